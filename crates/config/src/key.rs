//! Dotted key paths: `server.tls-verify` names `tls-verify` in the `[server]` table.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// A dotted configuration key such as `server.url` or `profiles.prod.namespace`.
///
/// Each segment is a bare TOML key (`A-Z a-z 0-9 _ -`), so a key always maps to nested tables
/// without quoting.
///
/// ```
/// use cleveragents_config::Key;
/// let key: Key = "profiles.prod.url".parse()?;
/// assert_eq!(key.segments(), ["profiles", "prod", "url"]);
/// assert_eq!(key.to_string(), "profiles.prod.url");
/// # Ok::<(), cleveragents_config::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    segments: Vec<String>,
}

/// Longest key accepted; far beyond any real key, it keeps error messages readable.
const MAX_KEY_LEN: usize = 256;

impl Key {
    /// Parses a dotted key.
    pub fn parse(text: &str) -> Result<Key> {
        let invalid = |reason: &str| Error::InvalidKey {
            key: shorten(text),
            reason: reason.to_string(),
        };
        if text.is_empty() {
            return Err(invalid("a key cannot be empty"));
        }
        if text.len() > MAX_KEY_LEN {
            return Err(invalid("a key is at most 256 characters"));
        }
        let segments = split(text).map_err(|reason| invalid(&reason))?;
        Ok(Key { segments })
    }

    /// A key of one segment, taken as it is (`profiles`).
    pub fn root(segment: &str) -> Key {
        Key {
            segments: vec![segment.to_string()],
        }
    }

    /// This key with one more segment, taken as it is (a profile name such as `a.b` or `my
    /// prod`): the way to name a table whose name is not a bare key.
    ///
    /// ```
    /// use cleveragents_config::Key;
    /// let key = Key::root("profiles").child("a.b").child("url");
    /// assert_eq!(key.segments(), ["profiles", "a.b", "url"]);
    /// assert_eq!(key.to_string(), "profiles.\"a.b\".url");
    /// assert_eq!(Key::parse(&key.to_string())?, key);
    /// # Ok::<(), cleveragents_config::Error>(())
    /// ```
    pub fn child(&self, segment: &str) -> Key {
        let mut segments = self.segments.clone();
        segments.push(segment.to_string());
        Key { segments }
    }

    /// Builds a key from segments that are already known to be valid (e.g. read from a file).
    pub(crate) fn from_segments(segments: Vec<String>) -> Key {
        Key { segments }
    }

    /// The segments of the key, outermost table first.
    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// The last segment: the key inside its table.
    pub fn leaf(&self) -> &str {
        self.segments.last().map(String::as_str).unwrap_or("")
    }

    /// The tables leading to the leaf (all segments but the last).
    pub fn parents(&self) -> &[String] {
        &self.segments[..self.segments.len().saturating_sub(1)]
    }

    /// True when `prefix` names this key or one of its enclosing tables.
    pub fn starts_with(&self, prefix: &Key) -> bool {
        self.segments.starts_with(&prefix.segments)
    }
}

/// The segments of a dotted key: bare (`A-Z a-z 0-9 _ -`) or quoted as TOML quotes a key
/// (`"a.b"`, with `\\`, `\"` and `\uXXXX` escapes).
fn split(text: &str) -> std::result::Result<Vec<String>, String> {
    let mut segments = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut segment = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    None => return Err("a quoted segment lacks its closing `\"`".into()),
                    Some('"') => break,
                    Some('\\') => segment.push(unescape(&mut chars)?),
                    Some(c) if c.is_control() => {
                        return Err(format!("character {c:?} is not allowed in a key"))
                    }
                    Some(c) => segment.push(c),
                }
            }
            if segment.is_empty() {
                return Err("a quoted segment cannot be empty".into());
            }
            match chars.next() {
                None => {
                    segments.push(segment);
                    return Ok(segments);
                }
                Some('.') => segments.push(segment),
                Some(c) => {
                    return Err(format!(
                        "character {c:?} after a quoted segment: expected `.`"
                    ))
                }
            }
        } else {
            let mut more = false;
            for c in chars.by_ref() {
                if c == '.' {
                    more = true;
                    break;
                }
                if !(c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                    return Err(format!(
                        "character {c:?} is not allowed: use letters, digits, `-` and `_`, or quote the segment (\"a.b\")"
                    ));
                }
                segment.push(c);
            }
            if segment.is_empty() || (more && chars.peek().is_none()) {
                return Err("empty segment: segments are separated by single dots".into());
            }
            segments.push(segment);
            if !more {
                return Ok(segments);
            }
        }
    }
}

/// One escape of a quoted segment, after its `\\`.
fn unescape(chars: &mut impl Iterator<Item = char>) -> std::result::Result<char, String> {
    match chars.next() {
        Some('"') => Ok('"'),
        Some('\\') => Ok('\\'),
        Some('u') => {
            let hex: String = chars.take(4).collect();
            u32::from_str_radix(&hex, 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| format!("invalid escape \\u{hex}"))
        }
        other => Err(format!(
            "invalid escape \\{}",
            other.map(String::from).unwrap_or_default()
        )),
    }
}

/// A segment as a key spells it: bare when it can be, else quoted.
fn spell(segment: &str) -> String {
    let bare = !segment.is_empty()
        && segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        return segment.to_string();
    }
    let mut out = String::from("\"");
    for c in segment.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Keeps a hostile key (a 1 MB argument) from flooding an error message.
pub(crate) fn shorten(text: &str) -> String {
    const LIMIT: usize = 80;
    if text.chars().count() <= LIMIT {
        text.to_string()
    } else {
        let head: String = text.chars().take(LIMIT).collect();
        format!("{head}… ({} bytes)", text.len())
    }
}

impl FromStr for Key {
    type Err = Error;
    fn from_str(s: &str) -> Result<Key> {
        Key::parse(s)
    }
}

/// Bare segments as they are, others quoted: `profiles."a.b".url`, which parses back.
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            f.write_str(&spell(segment))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays_dotted_keys() {
        let key = Key::parse("server.tls-verify").unwrap();
        assert_eq!(key.segments(), ["server", "tls-verify"]);
        assert_eq!(key.leaf(), "tls-verify");
        assert_eq!(key.parents(), ["server"]);
        assert_eq!(key.to_string(), "server.tls-verify");
    }

    #[test]
    fn refuses_malformed_keys_with_a_reason() {
        for (text, needle) in [
            ("", "empty"),
            ("server..url", "empty segment"),
            (".server", "empty segment"),
            ("server.", "empty segment"),
            ("server.u rl", "' '"),
            ("server.\"url", "closing"),
            ("server.\"\"", "cannot be empty"),
            ("server.\"a\"b", "after a quoted segment"),
            ("server.\"a\\qb\"", "invalid escape"),
            ("server.\"a\\u12\"", "invalid escape"),
            ("server.\"a\nb\"", "not allowed in a key"),
            ("server.\"a\".", "empty segment"),
        ] {
            let err = Key::parse(text).unwrap_err().to_string();
            assert!(err.contains(needle), "{text:?}: {err}");
        }
    }

    #[test]
    fn quoted_segments_hold_any_name_and_display_parses_back() {
        let key = Key::parse("profiles.\"my prod\".url").unwrap();
        assert_eq!(key.segments(), ["profiles", "my prod", "url"]);
        assert_eq!(
            Key::parse("server.\"url\"").unwrap().to_string(),
            "server.url"
        );
        for name in [
            "a.b",
            "my prod",
            "prød",
            "q\"uote",
            "back\\slash",
            "tab\there",
        ] {
            let key = Key::parse("profiles").unwrap().child(name).child("url");
            let text = key.to_string();
            assert_eq!(Key::parse(&text).unwrap(), key, "{text}");
        }
        assert_eq!(
            Key::parse("p").unwrap().child("a\"b\\c\td").to_string(),
            "p.\"a\\\"b\\\\c\\u0009d\""
        );
        assert_eq!(Key::parse("p.\"\\u00f8\"").unwrap().segments(), ["p", "ø"]);
    }

    #[test]
    fn long_keys_are_refused_and_shortened_in_the_message() {
        let long = "a".repeat(1_000_000);
        let err = Key::parse(&long).unwrap_err().to_string();
        assert!(err.len() < 300, "{}", err.len());
        assert!(err.contains("1000000 bytes"));
    }

    #[test]
    fn keys_up_to_256_characters_are_accepted() {
        assert!(Key::parse(&"a".repeat(256)).is_ok());
        assert!(Key::parse(&"a".repeat(257)).is_err());
    }

    #[test]
    fn prefix_matching_is_by_segment() {
        let key = Key::parse("server.url").unwrap();
        assert!(key.starts_with(&Key::parse("server").unwrap()));
        assert!(!key.starts_with(&Key::parse("serv").unwrap()));
    }
}
