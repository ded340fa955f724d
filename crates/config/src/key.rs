//! Dotted key paths: `server.tls-verify` names `tls-verify` in the `[server]` table.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
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
/// assert!(key.segments().eq(["profiles", "prod", "url"]));
/// assert_eq!(key.to_array(), Some(["profiles", "prod", "url"]));
/// assert_eq!(key.to_string(), "profiles.prod.url");
/// # Ok::<(), cleveragents_config::Error>(())
/// ```
///
/// A key is one allocation: its segments one after the other, and where each ends (inline
/// for up to four segments). A file of 100,000 profiles has 300,000 keys, so this is most of
/// the memory a listing of it takes.
#[derive(Clone)]
pub struct Key {
    /// The segments, concatenated without separators (a segment may hold any character).
    text: Box<str>,
    /// Where each segment ends in `text`.
    ends: Ends,
}

/// The end offsets of a key's segments.
#[derive(Clone)]
enum Ends {
    /// Up to four segments of a key shorter than 64 KiB: the count and the ends.
    Inline(u8, [u16; 4]),
    /// Any other key (boxed twice, so that a key stays 32 bytes).
    Heap(Box<LongEnds>),
}

/// The ends of a key of more than four segments, or of 64 KiB or more.
#[derive(Clone)]
struct LongEnds(Box<[usize]>);

impl Ends {
    fn new(ends: &[usize]) -> Ends {
        let fits = ends.len() <= 4 && ends.last().is_none_or(|&end| end <= usize::from(u16::MAX));
        if !fits {
            return Ends::Heap(Box::new(LongEnds(ends.into())));
        }
        let mut inline = [0u16; 4];
        for (slot, &end) in inline.iter_mut().zip(ends) {
            *slot = u16::try_from(end).unwrap_or(u16::MAX);
        }
        Ends::Inline(ends.len() as u8, inline)
    }

    fn len(&self) -> usize {
        match self {
            Ends::Inline(n, _) => usize::from(*n),
            Ends::Heap(ends) => ends.0.len(),
        }
    }

    fn get(&self, i: usize) -> usize {
        match self {
            Ends::Inline(_, ends) => usize::from(ends[i]),
            Ends::Heap(ends) => ends.0[i],
        }
    }
}

/// The segments of a [`Key`], outermost table first.
#[derive(Clone)]
pub struct Segments<'a> {
    key: &'a Key,
    front: usize,
    back: usize,
}

impl<'a> Segments<'a> {
    /// The segments joined by `sep` (`profiles.prod` for `sep` = `.`), as
    /// `[String]::join` joins them.
    pub fn join(self, sep: &str) -> String {
        let mut out = String::new();
        for (i, segment) in self.enumerate() {
            if i > 0 {
                out.push_str(sep);
            }
            out.push_str(segment);
        }
        out
    }
}

impl<'a> Iterator for Segments<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.front >= self.back {
            return None;
        }
        let segment = self.key.segment_at(self.front);
        self.front += 1;
        Some(segment)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for Segments<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        Some(self.key.segment_at(self.back))
    }
}

impl ExactSizeIterator for Segments<'_> {}

impl fmt::Debug for Segments<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
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
        Ok(Key::from_segments(segments))
    }

    /// A key of one segment, taken as it is (`profiles`).
    pub fn root(segment: &str) -> Key {
        Key::from_segments([segment])
    }

    /// This key with one more segment, taken as it is (a profile name such as `a.b` or `my
    /// prod`): the way to name a table whose name is not a bare key.
    ///
    /// ```
    /// use cleveragents_config::Key;
    /// let key = Key::root("profiles").child("a.b").child("url");
    /// assert_eq!(key.to_array(), Some(["profiles", "a.b", "url"]));
    /// assert_eq!(key.to_string(), "profiles.\"a.b\".url");
    /// assert_eq!(Key::parse(&key.to_string())?, key);
    /// # Ok::<(), cleveragents_config::Error>(())
    /// ```
    pub fn child(&self, segment: &str) -> Key {
        Key::from_segments(self.segments().chain([segment]))
    }

    /// Builds a key from segments that are already known to be valid (e.g. read from a file).
    pub(crate) fn from_segments<S: AsRef<str>>(segments: impl IntoIterator<Item = S>) -> Key {
        let mut text = String::new();
        let mut ends = Vec::with_capacity(4);
        for segment in segments {
            text.push_str(segment.as_ref());
            ends.push(text.len());
        }
        Key {
            text: text.into_boxed_str(),
            ends: Ends::new(&ends),
        }
    }

    /// The `i`-th segment; `i` is below the count.
    fn segment_at(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends.get(i - 1) };
        self.text.get(start..self.ends.get(i)).unwrap_or_default()
    }

    /// The segments of the key, outermost table first.
    pub fn segments(&self) -> Segments<'_> {
        Segments {
            key: self,
            front: 0,
            back: self.ends.len(),
        }
    }

    /// The number of segments.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True for a key of no segments (the whole file, as a transaction notes it).
    pub fn is_empty(&self) -> bool {
        self.ends.len() == 0
    }

    /// The `i`-th segment, if the key has that many.
    pub fn segment(&self, i: usize) -> Option<&str> {
        (i < self.len()).then(|| self.segment_at(i))
    }

    /// The segments as an array when there are exactly `N`, for matching:
    /// `Some(["profiles", name, field])`.
    pub fn to_array<const N: usize>(&self) -> Option<[&str; N]> {
        if self.len() != N {
            return None;
        }
        let mut out = [""; N];
        for (slot, segment) in out.iter_mut().zip(self.segments()) {
            *slot = segment;
        }
        Some(out)
    }

    /// The last segment: the key inside its table.
    pub fn leaf(&self) -> &str {
        self.segments().next_back().unwrap_or("")
    }

    /// The tables leading to the leaf (all segments but the last).
    pub fn parents(&self) -> Segments<'_> {
        Segments {
            key: self,
            front: 0,
            back: self.len().saturating_sub(1),
        }
    }

    /// True when `prefix` names this key or one of its enclosing tables.
    pub fn starts_with(&self, prefix: &Key) -> bool {
        let n = prefix.len();
        n <= self.len()
            && (n == 0 || {
                let end = prefix.ends.get(n - 1);
                end <= self.text.len()
                    && self.text.as_bytes()[..end] == prefix.text.as_bytes()[..]
                    && (0..n).all(|i| self.ends.get(i) == prefix.ends.get(i))
            })
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.text == other.text
            && self.len() == other.len()
            && (0..self.len()).all(|i| self.ends.get(i) == other.ends.get(i))
    }
}

impl Eq for Key {}

/// Segment by segment, as a list of strings compares.
impl Ord for Key {
    fn cmp(&self, other: &Key) -> Ordering {
        self.segments().cmp(other.segments())
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.len().hash(state);
        for segment in self.segments() {
            segment.hash(state);
        }
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

/// A segment that is not a bare key, quoted as a key spells it (`"a.b"`).
fn quoted(segment: &str) -> String {
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

/// True for a segment that is a bare TOML key.
fn is_bare(segment: &str) -> bool {
    !segment.is_empty()
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
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
        for (i, segment) in self.segments().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            if is_bare(segment) {
                f.write_str(segment)?;
            } else {
                f.write_str(&quoted(segment))?;
            }
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
        assert_eq!(key.to_array(), Some(["server", "tls-verify"]));
        assert_eq!(key.leaf(), "tls-verify");
        assert!(key.parents().eq(["server"]));
        assert_eq!(key.len(), 2);
        assert_eq!(key.segment(1), Some("tls-verify"));
        assert_eq!(key.segment(2), None);
        assert_eq!(key.to_array::<3>(), None);
        assert_eq!(key.parents().join("/"), "server");
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
        assert_eq!(key.to_array(), Some(["profiles", "my prod", "url"]));
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
        assert_eq!(
            Key::parse("p.\"\\u00f8\"").unwrap().to_array(),
            Some(["p", "ø"])
        );
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
    fn keys_compare_segment_by_segment() {
        let ab_c = Key::root("ab").child("c");
        let a_bc = Key::root("a").child("bc");
        assert_ne!(ab_c, a_bc);
        assert!(!ab_c.starts_with(&Key::root("a")));
        assert!(!a_bc.starts_with(&Key::root("ab")));
        // As lists of segments: `a` < `ab`, although "az" > "ab".
        assert!(Key::root("a").child("z") < Key::root("ab"));
        assert!(Key::root("a") < Key::root("a").child("b"));
        let set: std::collections::HashSet<Key> = [ab_c.clone(), a_bc.clone(), ab_c.clone()].into();
        assert_eq!(set.len(), 2);
        let long = Key::parse("a.b.c.d.e.f").unwrap();
        assert_eq!(long.len(), 6);
        assert_eq!(long.leaf(), "f");
        assert!(long.starts_with(&Key::parse("a.b.c.d.e").unwrap()));
        assert!(!long.starts_with(&Key::parse("a.b.c.d.f").unwrap()));
        assert_eq!(
            long.parents().rev().collect::<Vec<_>>().join("."),
            "e.d.c.b.a"
        );
        assert_eq!(long.to_string(), "a.b.c.d.e.f");
        assert_eq!(
            format!("{:?}", long.segments()),
            r#"["a", "b", "c", "d", "e", "f"]"#
        );
        let big = Key::root(&"x".repeat(70_000)).child("y");
        assert_eq!(big.leaf(), "y");
        assert!(big.starts_with(&Key::root(&"x".repeat(70_000))));
        assert!(Key::from_segments(Vec::<String>::new()).is_empty());
    }

    /// One allocation and 32 bytes: most of the memory of a listing of a large file.
    #[cfg(target_pointer_width = "64")]
    #[test]
    fn a_key_is_32_bytes() {
        assert_eq!(std::mem::size_of::<Key>(), 32);
    }

    #[test]
    fn prefix_matching_is_by_segment() {
        let key = Key::parse("server.url").unwrap();
        assert!(key.starts_with(&Key::parse("server").unwrap()));
        assert!(!key.starts_with(&Key::parse("serv").unwrap()));
    }
}
