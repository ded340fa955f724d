//! `KeySpec::parse` for every entry of `schema::KEYS`: never panics, and a value it accepts
//! passes `KeySpec::check` unchanged (what a transaction stores re-validates on read).
#![no_main]

use cleveragents_config::{schema, Key, Value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for spec in schema::KEYS {
        let Ok(key) = Key::parse(&spec.pattern.replace('*', "prod")) else {
            panic!("pattern {} does not make a key", spec.pattern);
        };
        assert!(spec.matches(&key));
        let Ok(value) = spec.parse(&key, text) else {
            continue;
        };
        match (&value, spec.kind) {
            (Value::Bool(_), schema::Kind::Bool) => {}
            (Value::String(_), kind) if kind != schema::Kind::Bool => {}
            _ => panic!("{}: {text:?} parsed to {value:?}", spec.pattern),
        }
        let again = spec.check(&key, value.clone());
        assert_eq!(
            again.as_ref().ok(),
            Some(&value),
            "{}: {text:?} -> {value:?} does not re-validate: {again:?}",
            spec.pattern
        );
    }
});
