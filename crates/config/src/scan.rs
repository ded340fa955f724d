//! A single-pass reader for plain TOML: what the store writes and what most people type.
//!
//! A file of 100,000 profiles is 10 MB; building an editable `toml_edit` document of it takes
//! about a second and 250 MB. Most files hold nothing but `[table.headers]` of bare keys and
//! `key = "string"` / `key = true` lines, comments and blank lines; this reader checks such a
//! file completely (every rule of TOML that can apply to those lines: the characters allowed,
//! duplicate keys and tables, a key that is also a table) in one pass, without building a tree,
//! and hands every value with its byte span to the caller.
//!
//! Anything else (escapes, multi-line strings, numbers, arrays, inline tables, dotted or quoted
//! keys, arrays of tables, CRLF line ends, a byte-order mark, tables out of nesting order) makes
//! it answer `None`, and the caller uses the full parser, which also produces the error message
//! when the file is not TOML at all. So this reader never accepts a file the full parser
//! refuses, and for a file it accepts, it reports the values the full parser would, in the same
//! order as [`crate::doc::flatten`].

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use crate::key::Key;
use crate::value::Value;

/// A value of a plain file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scalar<'a> {
    /// A string without escapes (basic or literal), as its contents.
    Str(&'a str),
    /// `true` or `false`.
    Bool(bool),
}

impl Scalar<'_> {
    pub(crate) fn to_value(self) -> Value {
        match self {
            Scalar::Str(s) => Value::String(s.to_string()),
            Scalar::Bool(b) => Value::Bool(b),
        }
    }
}

/// One `key = value` line.
#[derive(Clone, Debug)]
pub(crate) struct Leaf<'a> {
    /// The dotted path of its table (`profiles.prod`); empty for the root table.
    pub(crate) table: &'a str,
    /// The key inside the table.
    pub(crate) key: &'a str,
    /// The value.
    pub(crate) value: Scalar<'a>,
    /// The value's bytes in the text (its quotes included).
    pub(crate) span: Range<usize>,
    /// Its line with the comments and blank lines above it (since the previous key or header):
    /// what removing the key removes.
    pub(crate) lines: Range<usize>,
}

/// What a complete scan found besides the leaves.
#[derive(Debug, Default)]
pub(crate) struct Tables<'a> {
    /// Every table path, those implied by a header (`profiles` of `[profiles.a]`) included.
    paths: HashSet<&'a str, BuildHasherDefault<Fx>>,
    /// Every header's path and where its line ends, in order.
    headers: Vec<(&'a str, usize)>,
    /// Some table's header follows one of its subtables' (the document then orders new
    /// tables by position rather than by nesting).
    reopened: bool,
}

/// The Fx hash (as in rustc): the default hasher's protection against chosen collisions is
/// not needed for a user's own file, and it took a third of a lookup's time.
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        // The multiplication leaves the low bits, which pick the bucket, poorly mixed: the
        // last word's low byte is the same `.p0` in every `profiles.p0NNNNN`. Murmur3's
        // finaliser spreads every bit over all of them.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

impl Tables<'_> {
    /// True when `path` (dotted) names a table.
    pub(crate) fn contains(&self, path: &str) -> bool {
        self.paths.contains(path)
    }
}

/// More keys than this in one table, and the file is left to the full parser (duplicates are
/// searched linearly within a table).
const MAX_KEYS_PER_TABLE: usize = 512;

struct Open<'a> {
    segment: &'a str,
    explicit: bool,
    /// Defined by a header after some of its subtables: its keys may clash with them.
    reopened: bool,
    keys: Vec<&'a str>,
}

#[cfg(test)]
thread_local! {
    /// How many passes [`scan`] made over a text on this thread: what tests of the number of
    /// passes an edit costs count.
    pub(crate) static PASSES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Scans `text`, calling `visit` for each value in document order. `None`: not plain (see the
/// module docs); the caller must use the full parser.
pub(crate) fn scan<'a>(text: &'a str, mut visit: impl FnMut(Leaf<'a>)) -> Option<Tables<'a>> {
    #[cfg(test)]
    PASSES.with(|passes| passes.set(passes.get() + 1));
    let bytes = text.as_bytes();
    if bytes.starts_with(b"\xef\xbb\xbf") {
        return None;
    }
    let mut tables = Tables::default();
    // About one table per 100 bytes in a file of profiles: growing the set from empty
    // rehashes it a dozen times on a large file, and every edit scans the text again.
    tables.paths.reserve(text.len() / 128);
    // The open tables: the root, then the path of the current table, segment by segment.
    let mut open: Vec<Open<'a>> = vec![Open {
        segment: "",
        explicit: true,
        reopened: false,
        keys: Vec::new(),
    }];
    let mut current: &'a str = "";
    let mut scratch = String::new();
    // Where the line of the last key or header ends.
    let mut item_end = 0;
    // Each line is read once, byte by byte, up to its newline.
    let mut i = 0;
    while i < bytes.len() {
        i = skip_ws(bytes, i);
        match bytes.get(i) {
            None => {}
            Some(b'\n') => i += 1,
            Some(b'#') => i = comment(bytes, i)?,
            Some(b'[') => {
                if bytes.get(i + 1) == Some(&b'[') {
                    return None;
                }
                let start = i + 1;
                i = start;
                while bytes.get(i).is_some_and(|b| *b != b']' && *b != b'\n') {
                    i += 1;
                }
                if bytes.get(i) != Some(&b']') {
                    return None;
                }
                let path = &text[start..i];
                i = rest_of_line(bytes, i + 1)?;
                header(path, &mut open, &mut tables)?;
                tables.headers.push((path, i));
                item_end = i;
                current = path;
            }
            Some(_) => {
                let key_start = i;
                while bytes.get(i).is_some_and(|b| is_bare(*b)) {
                    i += 1;
                }
                if i == key_start {
                    return None;
                }
                let key = &text[key_start..i];
                i = skip_ws(bytes, i);
                if bytes.get(i) != Some(&b'=') {
                    return None;
                }
                i = skip_ws(bytes, i + 1);
                let (value, value_end) = scalar(text, i)?;
                let span = i..value_end;
                i = rest_of_line(bytes, value_end)?;
                let table = open.last_mut()?;
                if table.keys.len() >= MAX_KEYS_PER_TABLE || table.keys.contains(&key) {
                    return None;
                }
                // A key that is also a table (`[a.b]` before `[a]` with `b = 1`).
                if table.reopened {
                    scratch.clear();
                    scratch.push_str(current);
                    scratch.push('.');
                    scratch.push_str(key);
                    if tables.paths.contains(scratch.as_str()) {
                        return None;
                    }
                }
                table.keys.push(key);
                visit(Leaf {
                    table: current,
                    key,
                    value,
                    span,
                    lines: item_end..i,
                });
                item_end = i;
            }
        }
    }
    Some(tables)
}

/// A header's path: bare segments joined by single dots, and tables opened in nesting order
/// (a table's subtables follow it before any other table), so that document order is the
/// order in which the full parser's tree is walked.
fn header<'a>(path: &'a str, open: &mut Vec<Open<'a>>, tables: &mut Tables<'a>) -> Option<()> {
    let mut segments = Vec::new();
    let mut offset = 0;
    for segment in path.split('.') {
        if segment.is_empty() || !segment.bytes().all(is_bare) {
            return None;
        }
        offset += segment.len();
        segments.push((segment, &path[..offset]));
        offset += 1;
    }
    // How much of the path the open tables share.
    let common = segments
        .iter()
        .zip(&open[1..])
        .take_while(|((segment, _), table)| *segment == table.segment)
        .count();
    if common == segments.len() {
        // A table whose subtable came first (`[a.b]`, then `[a]`): once only.
        let table = open.get_mut(common)?;
        if table.explicit {
            return None;
        }
        table.explicit = true;
        table.reopened = true;
        tables.reopened = true;
        open.truncate(common + 1);
        return Some(());
    }
    // A new table under the deepest shared one: not one of its keys.
    let parent = open.get(common)?;
    if parent.keys.contains(&segments[common].0) {
        return None;
    }
    open.truncate(common + 1);
    for (depth, (segment, prefix)) in segments.iter().enumerate().skip(common) {
        // A table seen before and left: either a duplicate or out of nesting order.
        if !tables.paths.insert(prefix) {
            return None;
        }
        open.push(Open {
            segment,
            explicit: depth + 1 == segments.len(),
            reopened: false,
            keys: Vec::new(),
        });
    }
    Some(())
}

/// What a plain file holds at a key.
#[derive(Debug, PartialEq)]
pub(crate) enum Got {
    /// A value, and its bytes in the text.
    Value(Value, Range<usize>),
    /// A table.
    Table,
    /// Nothing.
    Absent,
}

/// True when every segment of `key` is a bare key: only such keys are in a plain text, and
/// only they are written there as they are.
fn is_bare_key(key: &Key) -> bool {
    key.segments()
        .all(|segment| !segment.is_empty() && segment.bytes().all(is_bare))
}

/// What `text` holds at `key`; `None` when the text is not plain.
pub(crate) fn lookup(text: &str, key: &Key) -> Option<Got> {
    if !is_bare_key(key) {
        // `profiles."a.b".url`: not `profiles.a.b.url`, and never in a plain text.
        return scan(text, |_| {}).map(|_| Got::Absent);
    }
    let table = key.parents().join(".");
    let leaf = key.leaf();
    let mut found = None;
    let tables = scan(text, |l| {
        if found.is_none() && l.key == leaf && l.table == table {
            found = Some((l.value.to_value(), l.span));
        }
    })?;
    Some(match found {
        Some((value, span)) => Got::Value(value, span),
        None if tables.contains(&key.to_string()) => Got::Table,
        None => Got::Absent,
    })
}

/// Every value of `text` with its key, in the order of [`crate::doc::flatten`]; `None` when
/// the text is not plain.
pub(crate) fn entries(text: &str) -> Option<Vec<(Key, Value)>> {
    let mut out = Vec::new();
    scan(text, |l| out.push((key_of(&l), l.value.to_value())))?;
    Some(out)
}

/// The values of `text` at and under each of `keys`, key by key, each in the order of
/// [`entries`]; `None` when the text is not plain. A key that is not bare names nothing in a
/// plain text.
pub(crate) fn entries_under(text: &str, keys: &[Key]) -> Option<Vec<(Key, Value)>> {
    let wanted: Vec<String> = keys
        .iter()
        .map(|key| match is_bare_key(key) {
            true => key.to_string(),
            false => String::new(),
        })
        .collect();
    let mut found: Vec<Vec<(Key, Value)>> = vec![Vec::new(); keys.len()];
    scan(text, |l| {
        for (at, path) in wanted.iter().enumerate() {
            if !path.is_empty() && is_under(&l, path) {
                found[at].push((key_of(&l), l.value.to_value()));
            }
        }
    })?;
    Some(found.into_iter().flatten().collect())
}

/// True when the value `leaf` is at `path` (dotted) or in a table under it.
fn is_under(leaf: &Leaf<'_>, path: &str) -> bool {
    let under = |table: &str| {
        table
            .strip_prefix(path)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    };
    under(leaf.table)
        || path
            .strip_suffix(leaf.key)
            .map(|rest| match rest.strip_suffix('.') {
                Some(table) => table == leaf.table,
                None => rest.is_empty() && leaf.table.is_empty(),
            })
            .unwrap_or(false)
}

/// The dotted key of a value.
pub(crate) fn key_of(leaf: &Leaf<'_>) -> Key {
    let table = (!leaf.table.is_empty()).then(|| leaf.table.split('.'));
    Key::from_segments(table.into_iter().flatten().chain([leaf.key]))
}

/// Where an edit of a key that is not a value in place goes in a plain text, when it is one
/// of the simple cases; `None` leaves it to the document.
#[derive(Debug, PartialEq)]
pub(crate) enum Edit {
    /// Removing the key removes these bytes (its line and the comments above it); its table
    /// keeps other values, so no table goes with it.
    Remove(Value, Range<usize>),
    /// The key is a new value of a table with values: its line goes after the last one.
    Append(usize),
    /// The key is the first value of a new table under an existing one: the table goes after
    /// its parent's last table.
    NewTable(usize),
    /// Nothing is there to remove (neither a value nor a table).
    Nothing,
    /// The key is a value (this one, at these bytes): setting it replaces them.
    Replace(Value, Range<usize>),
}

/// A value found: the value, its lines (with the comments above it) and its bytes.
type Found = (Value, Range<usize>, Range<usize>);

/// What one pass over a plain text finds about a table and some of its keys: what [`plan`]
/// and [`plan_fields`] decide their edits from.
struct Survey {
    /// Per key asked: what the table holds there, if anything.
    found: Vec<Option<Found>>,
    /// Per key asked: it names a table (`[server.url]`), not a value.
    is_table: Vec<bool>,
    /// The table's values.
    values: usize,
    /// Where the line of its last value ends.
    last_value: Option<usize>,
    /// The table has subtables (or is the root table).
    subtables: bool,
    /// The table does not exist and may be added as a new table after its parent's last
    /// table: here.
    new_table_at: Option<usize>,
    /// The text ends with a newline (the plans leave one without it alone).
    ends_with_newline: bool,
    /// A value stands where the table would be (`server = "..."`).
    value_at_table: bool,
}

/// Surveys `text` for the table whose path is `table` (its segments, bare) and its keys
/// `leaves`; `None` when the text is not plain.
fn survey(text: &str, table: &[&str], leaves: &[&str]) -> Option<Survey> {
    let path = table.join(".");
    // The parent of the table, for a new table.
    let parent = table[..table.len().saturating_sub(1)].join(".");
    let under = |path: &str, of: &str| {
        of.is_empty() || path == of || path.strip_prefix(of).is_some_and(|r| r.starts_with('.'))
    };
    let mut found = vec![None; leaves.len()];
    let (mut values, mut last_value, mut parent_end) = (0, None, None);
    // The new table's name is a value of its parent (`server.url` of `server.url.x`).
    let mut clash = false;
    let name = table.last().copied().unwrap_or("");
    let tables = scan(text, |l| {
        clash |= l.table == parent && l.key == name;
        if l.table == path {
            values += 1;
            last_value = Some(l.lines.end);
            if let Some(at) = leaves.iter().position(|leaf| *leaf == l.key) {
                found[at] = Some((l.value.to_value(), l.lines.clone(), l.span.clone()));
            }
        }
        if under(l.table, &parent) {
            parent_end = Some(l.lines.end);
        }
    })?;
    let subtables = tables.headers.iter().any(|(header, _)| {
        path.is_empty()
            || header
                .strip_prefix(path.as_str())
                .is_some_and(|r| r.starts_with('.'))
    });
    let headers_under_parent = tables
        .headers
        .iter()
        .filter(|(header, _)| under(header, &parent));
    let parent_end = headers_under_parent
        .map(|(_, end)| *end)
        .chain(parent_end)
        .max();
    let is_table = leaves
        .iter()
        .map(|leaf| match path.is_empty() {
            true => tables.contains(leaf),
            false => tables.contains(&format!("{path}.{leaf}")),
        })
        .collect();
    let new_table = !path.is_empty()
        && !clash
        && !tables.reopened
        && !tables.contains(&path)
        && (parent.is_empty() || tables.contains(&parent))
        && !tables.headers.is_empty();
    Some(Survey {
        found,
        is_table,
        values,
        last_value,
        subtables,
        new_table_at: parent_end.filter(|_| new_table),
        ends_with_newline: text.ends_with('\n'),
        value_at_table: clash,
    })
}

/// How removing (`remove`) or adding a value at `key` edits `text`, as the document would.
pub(crate) fn plan(text: &str, key: &Key, remove: bool) -> Option<Edit> {
    if !is_bare_key(key) {
        return None;
    }
    let table: Vec<&str> = key.parents().collect();
    let mut survey = survey(text, &table, &[key.leaf()])?;
    if !survey.ends_with_newline || survey.is_table[0] {
        return None;
    }
    match (remove, survey.found[0].take()) {
        (true, Some((value, lines, _))) if survey.values > 1 || survey.subtables => {
            Some(Edit::Remove(value, file_header_kept(text, lines)))
        }
        (false, Some((value, _, span))) => Some(Edit::Replace(value, span)),
        (true, None) => Some(Edit::Nothing),
        (false, None) if survey.values > 0 => survey.last_value.map(Edit::Append),
        (false, None) => survey.new_table_at.map(Edit::NewTable),
        _ => None,
    }
}

/// One edit of [`plan_fields`]: what the key held, and the bytes of the text replaced by new
/// ones (`None`: nothing to remove).
pub(crate) type FieldEdit = (Option<Value>, Option<(Range<usize>, String)>);

/// How setting (`Some(value as TOML)`) or removing (`None`) each of `fields` of the table
/// `table` in turn edits `text`, as [`plan`] would edit it key by key, found in one pass over
/// the text. Per field, in order: what it held, and the bytes its edit replaces in `text`
/// (positions in the text as given: the caller applies the edits from the last byte to the
/// first, ties in reverse order). `None` when the fields are not distinct bare keys of a
/// table with a header, a value stands where the table would be, or some edit is not one of
/// the simple cases (the first value of a table that does not exist goes as a new table; the
/// last value of a table is not removed); the caller then makes them one by one.
pub(crate) fn plan_fields(
    text: &str,
    table: &Key,
    fields: &[(&str, Option<&str>)],
) -> Option<Vec<FieldEdit>> {
    let segments: Vec<&str> = table.segments().collect();
    let bare = |s: &str| !s.is_empty() && s.bytes().all(is_bare);
    let distinct = fields
        .iter()
        .enumerate()
        .all(|(i, (field, _))| fields[..i].iter().all(|(other, _)| other != field));
    if segments.is_empty()
        || !segments.iter().all(|s| bare(s))
        || !fields.iter().all(|(field, _)| bare(field))
        || !distinct
    {
        return None;
    }
    let names: Vec<&str> = fields.iter().map(|(field, _)| *field).collect();
    let mut survey = survey(text, &segments, &names)?;
    if !survey.ends_with_newline || survey.value_at_table || survey.is_table.iter().any(|t| *t) {
        return None;
    }
    // Where a new value goes: after the table's last value; once one is added, after it (so
    // at the same place in the text as given). The end of a removed last value's line is
    // right too: its bytes go, and what is added there follows the value before it.
    let last = survey.last_value;
    let mut values = survey.values;
    let mut added_at = None;
    let mut edits = Vec::with_capacity(fields.len());
    for (at, (field, value)) in fields.iter().enumerate() {
        let found = survey.found[at].take();
        edits.push(match (value, found) {
            (Some(repr), Some((old, _, span))) => (Some(old), Some((span, repr.to_string()))),
            (None, Some((old, lines, _))) if values > 1 || survey.subtables => {
                values -= 1;
                (Some(old), Some((lines, String::new())))
            }
            (None, Some(_)) => return None,
            (None, None) => (None, None),
            (Some(repr), None) => {
                let line = format!("{field} = {repr}\n");
                let (at, new) = match added_at {
                    Some(at) => (at, line),
                    None if values > 0 => (last?, line),
                    None => {
                        let at = survey.new_table_at.take()?;
                        (at, format!("\n[{}]\n{line}", segments.join(".")))
                    }
                };
                added_at = Some(at);
                values += 1;
                (None, Some((at..at, new)))
            }
        });
    }
    Some(edits)
}

/// What removing a value takes of `lines` (its line and the comments and blank lines above
/// it): all of them, but for the file's first value, whose comments head the file and stay.
fn file_header_kept(text: &str, lines: Range<usize>) -> Range<usize> {
    if lines.start != 0 {
        return lines;
    }
    let own = text[..lines.end - 1].rfind('\n').map_or(0, |at| at + 1);
    let above = &text[..own];
    match above.lines().any(|line| line.trim_start().starts_with('#')) {
        true => own..lines.end,
        false => lines,
    }
}

/// The values a removed table held, the bytes that go, and the text that takes their place.
pub(crate) type TableRemoval = (Vec<(Key, Value)>, Range<usize>, &'static str);

/// Removing the whole table at `key` from `text`, as the document removes it, when it is the
/// simple case: a table with a header and values only (no subtables), not the file's first
/// table, whose parent keeps something else (so no other table goes with it), with no
/// comment between the value before it and its header, nor between its last value and the
/// next header. The values it held, the bytes that go, and the text that takes their
/// place. `None` leaves it to the document (and for a text that is not plain).
pub(crate) fn plan_table_removal(text: &str, key: &Key) -> Option<TableRemoval> {
    if !is_bare_key(key) || !text.ends_with('\n') {
        return None;
    }
    let path = key.to_string();
    let parent = key.parents().collect::<Vec<_>>().join(".");
    let mut values = Vec::new();
    // Where each value's line ends, in order; the end of the table's last value.
    let mut ends = Vec::new();
    let mut last = None;
    // The parent has a value.
    let mut parent_values = false;
    let tables = scan(text, |l| {
        if l.table == path {
            last = Some(l.lines.end);
            values.push((key_of(&l), l.value.to_value()));
        }
        parent_values |= !parent.is_empty() && l.table == parent;
        ends.push(l.lines.end);
    })?;
    // The table's header, not the file's first one.
    let at = tables.headers.iter().position(|(p, _)| *p == path)?;
    if tables.reopened || at == 0 {
        return None;
    }
    let under = |p: &str, of: &str| p.strip_prefix(of).is_some_and(|r| r.starts_with('.'));
    // Subtables follow their table directly (nesting order): one would be the next header.
    let next = tables.headers.get(at + 1);
    if next.is_some_and(|(p, _)| under(p, &path)) {
        return None;
    }
    // The parent keeps a value or another table, so it stays (and with it its header).
    let sibling = tables
        .headers
        .iter()
        .any(|(p, _)| *p != path && under(p, &parent));
    if !(parent.is_empty() || parent_values || sibling) {
        return None;
    }
    let header_end = tables.headers[at].1;
    let header_start = line_start(text, header_end);
    // The header's prefix starts where the item before it ends: the header before it, or
    // a value after that header.
    let value_before = ends.partition_point(|end| *end <= header_start);
    let start = ends[..value_before]
        .last()
        .copied()
        .unwrap_or(0)
        .max(tables.headers[at - 1].1);
    let end = last.unwrap_or(header_end).max(header_end);
    let next_start = next.map(|(_, e)| line_start(text, *e));
    let prefix = &text[start..header_start];
    let next_prefix = &text[end..next_start.unwrap_or(text.len())];
    if prefix.contains('#') || next_prefix.contains('#') {
        return None;
    }
    // The blank line that parted the table from what precedes it now parts the next one.
    let insert = match next_start {
        Some(_) if prefix.starts_with('\n') && !next_prefix.starts_with('\n') => "\n",
        _ => "",
    };
    Some((values, start..end, insert))
}

/// Where the line that ends at `end` (after its newline) starts.
fn line_start(text: &str, end: usize) -> usize {
    let line = &text[..end];
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.rfind('\n').map_or(0, |i| i + 1)
}

/// The value `text` holds whole, if it is a plain one (`"x"`, `'x'`, `true`).
pub(crate) fn plain_value(text: &str) -> Option<Scalar<'_>> {
    let (value, end) = scalar(text, 0)?;
    (end == text.len()).then_some(value)
}

fn is_bare(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
        i += 1;
    }
    i
}

/// Control characters other than tab are not allowed in comments and strings.
fn is_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

/// A comment from its `#`; where the next line starts.
fn comment(bytes: &[u8], mut i: usize) -> Option<usize> {
    while let Some(&b) = bytes.get(i) {
        if b == b'\n' {
            return Some(i + 1);
        }
        if is_control(b) {
            return None;
        }
        i += 1;
    }
    Some(i)
}

/// After a header or a value: spaces, then a comment or the end of the line; where the next
/// line starts.
fn rest_of_line(bytes: &[u8], i: usize) -> Option<usize> {
    let i = skip_ws(bytes, i);
    match bytes.get(i) {
        None => Some(i),
        Some(b'\n') => Some(i + 1),
        Some(b'#') => comment(bytes, i),
        Some(_) => None,
    }
}

/// A string without escapes, `true` or `false` at `i`; the value and where it ends.
fn scalar(text: &str, i: usize) -> Option<(Scalar<'_>, usize)> {
    let bytes = text.as_bytes();
    let quote = *bytes.get(i)?;
    match quote {
        b'"' | b'\'' => {
            // `""` followed by a quote opens a multi-line string.
            if bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) {
                return None;
            }
            let mut j = i + 1;
            loop {
                let b = *bytes.get(j)?;
                if b == quote {
                    break;
                }
                // Newlines are control characters: a string ends on its line.
                if is_control(b) || (quote == b'"' && b == b'\\') {
                    return None;
                }
                j += 1;
            }
            Some((Scalar::Str(&text[i + 1..j]), j + 1))
        }
        _ => {
            let mut j = i;
            while bytes.get(j).is_some_and(u8::is_ascii_alphanumeric) {
                j += 1;
            }
            match &text[i..j] {
                "true" => Some((Scalar::Bool(true), j)),
                "false" => Some((Scalar::Bool(false), j)),
                _ => None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(text: &str) -> Option<Vec<String>> {
        let mut out = Vec::new();
        scan(text, |leaf| {
            out.push(format!(
                "{}|{}|{}|{}",
                leaf.table,
                leaf.key,
                leaf.value.to_value(),
                &text[leaf.span]
            ))
        })?;
        Some(out)
    }

    #[test]
    fn plain_files_are_read_with_spans() {
        let text = "# top\nname = 'x' # c\n\n[server]\n  url = \"http://a\"\ntls-verify = false\n[profiles.p-1]\nurl = \"\"\n";
        assert_eq!(
            leaves(text).unwrap(),
            [
                "|name|x|'x'",
                "server|url|http://a|\"http://a\"",
                "server|tls-verify|false|false",
                "profiles.p-1|url||\"\"",
            ]
        );
        let mut found = None;
        let tables = scan(text, |_| {}).unwrap();
        for path in ["server", "profiles", "profiles.p-1"] {
            assert!(tables.contains(path), "{path}");
        }
        assert!(!tables.contains("name"));
        scan("", |leaf| found = Some(leaf.key)).unwrap();
        assert_eq!(found, None);
    }

    #[test]
    fn a_last_line_without_its_line_end_is_read() {
        assert_eq!(
            leaves("[server]\nurl = \"http://a\"").unwrap(),
            ["server|url|http://a|\"http://a\""]
        );
        assert!(scan("[server]", |_| {}).unwrap().contains("server"));
        // Blanks after the last line end, or a file of blanks: nothing more to read.
        assert_eq!(
            leaves("[server]\nurl = \"http://a\"\n  \t").unwrap(),
            ["server|url|http://a|\"http://a\""]
        );
        assert!(leaves("   ").unwrap().is_empty());
    }

    #[test]
    fn anything_else_is_left_to_the_full_parser() {
        for text in [
            "\u{feff}a = true\n",
            "a = 1\n",
            "a = \"x\\ty\"\n",
            "a = \"\"\"x\"\"\"\n",
            "a = '''x'''\n",
            "a = \"open\n",
            "a = truex\n",
            "a.b = true\n",
            "\"a\" = true\n",
            "a = true x\n",
            "a = true\r\n",
            "a\n",
            "= true\n",
            "a = \n",
            "[[a]]\n",
            "[a\n",
            "[ a ]\n",
            "[a.]\n",
            "[a] x\n",
            "a = true\na = false\n",
            "a = true\n[a]\n",
            "[a.b]\n[a]\nb = true\n",
            "[a]\n[a]\n",
            "[a]\n[a.b]\n[a]\n",
            "[a.b]\n[c]\n[a.d]\n",
            "[a.b]\n[a]\n[a]\n",
            "# bell \u{7}\n",
            "a = 'x\u{1}'\n",
        ] {
            assert!(leaves(text).is_none(), "{text:?}");
        }
        let many: String = (0..=MAX_KEYS_PER_TABLE)
            .map(|i| format!("k{i} = true\n"))
            .collect();
        assert!(leaves(&many).is_none());
    }

    #[test]
    fn subtables_before_their_parent_and_comments_are_plain() {
        let text = "[a.b]\nx = true\n[a]\ny = 'z'\n[a.c] # c\n\tq = false\n[d]\n";
        assert_eq!(
            leaves(text).unwrap(),
            ["a.b|x|true|true", "a|y|z|'z'", "a.c|q|false|false"]
        );
    }
}
