//! `schema::normalize_url`: never panics; an accepted URL normalises to a value that is
//! itself accepted unchanged (what is stored re-validates), is http(s), has no control
//! characters and no trailing slash.
#![no_main]

use cleveragents_config::schema::normalize_url;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(normal) = normalize_url(text) else {
        return;
    };
    assert!(
        normal.starts_with("http://") || normal.starts_with("https://"),
        "{text:?} -> {normal:?}"
    );
    assert!(!normal.chars().any(char::is_control), "{normal:?}");
    assert!(!normal.ends_with('/'), "{normal:?}");
    assert_eq!(
        normalize_url(&normal).as_deref(),
        Ok(normal.as_str()),
        "not idempotent: {text:?} -> {normal:?}"
    );
});
