//! `Key::parse` on arbitrary text: never panics; an accepted key displays as the input,
//! re-parses to itself and has only non-empty segments of `A-Z a-z 0-9 _ -`.
#![no_main]

use cleveragents_config::Key;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(key) = Key::parse(text) else { return };
    assert_eq!(key.to_string(), text, "display is not the input");
    assert!(!key.segments().is_empty());
    for segment in key.segments() {
        assert!(!segment.is_empty(), "empty segment accepted in {text:?}");
        assert!(
            segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "bad segment {segment:?}"
        );
    }
    assert_eq!(Key::parse(&key.to_string()).ok().as_ref(), Some(&key));
    let _ = key.leaf();
    let _ = key.parents();
    assert!(key.starts_with(&key));
    let _ = cleveragents_config::schema::lookup(&key);
    let _ = cleveragents_config::schema::suggest(&key);
});
