//! `schema::check_namespace`: never panics, and accepts exactly the DNS-label rule.
#![no_main]

use cleveragents_config::schema::check_namespace;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let expected = !text.is_empty()
        && text.len() <= 63
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-');
    assert_eq!(check_namespace(text).is_ok(), expected, "{text:?}");
});
