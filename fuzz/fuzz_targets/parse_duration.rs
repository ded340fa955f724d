//! `schema::parse_duration`: never panics (no overflow, no slicing inside a character) and
//! agrees with a straightforward reference implementation.
#![no_main]

use std::time::Duration;

use cleveragents_config::schema::parse_duration;
use libfuzzer_sys::fuzz_target;

/// Reference: a sequence of `<digits><unit>` with unit ms|s|m|h, total > 0, no overflow.
fn reference(text: &str) -> Option<Duration> {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return None;
    }
    let mut i = 0;
    let mut total: u128 = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        let number: u64 = text[start..i].parse().ok()?;
        let unit_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_digit() {
            i += 1;
        }
        let per: u128 = match &text[unit_start..i] {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            _ => return None,
        };
        total += u128::from(number) * per;
        if total > u128::from(u64::MAX) {
            return None;
        }
    }
    if total == 0 {
        return None;
    }
    Some(Duration::from_millis(u64::try_from(total).ok()?))
}

fuzz_target!(|text: &str| {
    assert_eq!(parse_duration(text).ok(), reference(text), "{text:?}");
});
