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
        let mut segments = Vec::new();
        for segment in text.split('.') {
            if segment.is_empty() {
                return Err(invalid(
                    "empty segment: segments are separated by single dots",
                ));
            }
            if let Some(bad) = segment
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
            {
                return Err(invalid(&format!(
                    "character {bad:?} is not allowed: use letters, digits, `-` and `_`"
                )));
            }
            segments.push(segment.to_string());
        }
        Ok(Key { segments })
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

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.segments.join("."))
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
            ("server.\"url\"", "'\"'"),
        ] {
            let err = Key::parse(text).unwrap_err().to_string();
            assert!(err.contains(needle), "{text:?}: {err}");
        }
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
