//! `schema::check_path`: never panics; an accepted path is absolute, non-empty and free of
//! control characters.
#![no_main]

use cleveragents_config::schema::check_path;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if check_path(text).is_ok() {
        assert!(text.starts_with('/'), "{text:?}");
        assert!(!text.chars().any(char::is_control), "{text:?}");
    }
});
