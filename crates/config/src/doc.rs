//! The format-preserving document: parse with positions, read leaves, and edit by dotted key
//! without disturbing a byte of anything else.

use std::path::Path;

use toml_edit::{Decor, DocumentMut, Item, RawString, Table, TableLike};

use crate::error::{Error, Result};
use crate::key::Key;
use crate::value::Value;

/// Parses file bytes; errors carry `path:line:column`.
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<DocumentMut> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_column(&bytes[..e.valid_up_to()], e.valid_up_to());
        Error::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: "the file is not valid UTF-8 text".into(),
        }
    })?;
    text.parse::<DocumentMut>().map_err(|e| {
        let at = e.span().map(|s| s.start).unwrap_or(0).min(text.len());
        let (line, column) = line_column(text.as_bytes(), at);
        Error::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })
}

/// 1-based line and column (in characters) of byte offset `at`.
fn line_column(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// What of a file's bytes the document does not keep: a byte-order mark and CRLF line ends.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Style {
    bom: bool,
    crlf: bool,
}

const BOM: &str = "\u{feff}";

impl Style {
    /// The style of a file: CRLF when it has CRLF line ends and no bare LF.
    pub(crate) fn of(bytes: &[u8]) -> Style {
        let crlf = bytes.windows(2).any(|w| w == b"\r\n")
            && !bytes
                .iter()
                .enumerate()
                .any(|(i, b)| *b == b'\n' && (i == 0 || bytes[i - 1] != b'\r'));
        Style {
            bom: bytes.starts_with(BOM.as_bytes()),
            crlf,
        }
    }

    /// The document as file bytes in this style.
    pub(crate) fn render(self, doc: &DocumentMut) -> Vec<u8> {
        let text = doc.to_string();
        let text = text.strip_prefix(BOM).unwrap_or(&text);
        let mut out = String::with_capacity(text.len() + 64);
        if self.bom {
            out.push_str(BOM);
        }
        if self.crlf {
            out.push_str(&text.replace("\r\n", "\n").replace('\n', "\r\n"));
        } else {
            out.push_str(text);
        }
        out.into_bytes()
    }
}

/// The outcome of [`quick_get`].
pub(crate) enum Quick {
    /// The key holds a string or a bool (or nothing).
    Found(Option<Value>),
    /// Not answered here (another type, or the text does not parse): use the full document.
    Undecided,
}

/// Looks one key up without building an editable document: 2-3x faster on large files,
/// which is what a `get` costs. Only strings and bools are answered here.
pub(crate) fn quick_get(bytes: &[u8], key: &Key) -> Quick {
    use toml::de::{DeTable, DeValue};
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Quick::Undecided;
    };
    let Ok(root) = DeTable::parse(text) else {
        return Quick::Undecided;
    };
    let mut table = root.get_ref();
    if key.is_empty() {
        return Quick::Undecided; // a key has at least one segment
    }
    let leaf = key.leaf();
    for segment in key.parents() {
        match table.get(segment).map(|v| v.get_ref()) {
            Some(DeValue::Table(child)) => table = child,
            None => return Quick::Found(None),
            Some(_) => return Quick::Undecided,
        }
    }
    match table.get(leaf).map(|v| v.get_ref()) {
        Some(DeValue::String(s)) => Quick::Found(Some(Value::String(s.to_string()))),
        Some(DeValue::Boolean(b)) => Quick::Found(Some(Value::Bool(*b))),
        None => Quick::Found(None),
        Some(_) => Quick::Undecided,
    }
}

/// Every leaf value with its dotted key, in document order. Tables and inline tables are
/// descended into; arrays of tables are leaves.
pub(crate) fn flatten(doc: &DocumentMut) -> Vec<(Key, Value)> {
    let mut out = Vec::new();
    let mut path = Vec::new();
    walk(doc.as_table(), &mut path, &mut out);
    out
}

/// The leaves at and under `key` (a value, or a table's values), as [`flatten`] lists them.
pub(crate) fn flatten_at(doc: &DocumentMut, key: &Key) -> Vec<(Key, Value)> {
    let mut out = Vec::new();
    if let Some(item) = item(doc, key) {
        let mut path: Vec<&str> = key.segments().collect();
        visit(item, &mut path, &mut out);
    }
    out
}

/// The leaves at and under each of `keys`, key by key.
pub(crate) fn flatten_at_all(doc: &DocumentMut, keys: &[Key]) -> Vec<(Key, Value)> {
    keys.iter().flat_map(|key| flatten_at(doc, key)).collect()
}

fn walk<'a>(table: &'a dyn TableLike, path: &mut Vec<&'a str>, out: &mut Vec<(Key, Value)>) {
    for (name, item) in table.iter() {
        path.push(name);
        visit(item, path, out);
        path.pop();
    }
}

fn visit<'a>(item: &'a Item, path: &mut Vec<&'a str>, out: &mut Vec<(Key, Value)>) {
    match item {
        Item::Table(t) => walk(t, path, out),
        Item::Value(toml_edit::Value::InlineTable(t)) => walk(t, path, out),
        Item::Value(v) => out.push((Key::from_segments(path.iter()), Value::from_toml(v))),
        Item::ArrayOfTables(a) => out.push((
            Key::from_segments(path.iter()),
            Value::Other(a.to_string().trim().to_string()),
        )),
        Item::None => {}
    }
}

/// Moves the item at `from` to `to`, a sibling under the same parent table, with everything
/// it holds (keys the schema does not know, comments) and its place in the file. False, and
/// nothing done, when `from` holds nothing, `to` holds something, or they are not siblings.
pub(crate) fn rename(doc: &mut DocumentMut, from: &Key, to: &Key) -> bool {
    if !from.parents().eq(to.parents()) || item(doc, to).is_some() {
        return false;
    }
    from.parents()
        .try_fold(doc.as_item_mut(), |item, segment| {
            item.as_table_like_mut()?.get_mut(segment)
        })
        .and_then(Item::as_table_like_mut)
        .and_then(|table| {
            let moved = table.remove(from.leaf())?;
            Some(table.insert(to.leaf(), moved).is_none())
        })
        .unwrap_or(false)
}

/// The item at `key`, if any.
pub(crate) fn item<'d>(doc: &'d DocumentMut, key: &Key) -> Option<&'d Item> {
    let mut current = doc.as_item();
    for segment in key.segments() {
        current = current.as_table_like()?.get(segment)?;
    }
    Some(current)
}

/// The 1-based line of the value at `key` in `text` (the file's bytes as read), if the text
/// parses and holds it. A value's line is only looked for when it is reported, so the spans
/// are built from the text then and not kept in every document.
pub(crate) fn line_of(text: &str, key: &Key) -> Option<usize> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let mut current = doc.as_item();
    for segment in key.segments() {
        current = current.as_table_like()?.get(segment)?;
    }
    let at = current.span()?.start;
    Some(line_column(text.as_bytes(), at).0)
}

/// The leaf value at `key`, if it is a value.
pub(crate) fn get(doc: &DocumentMut, key: &Key) -> Option<Value> {
    match item(doc, key)? {
        Item::Value(toml_edit::Value::InlineTable(_)) | Item::Table(_) | Item::None => None,
        Item::Value(v) => Some(Value::from_toml(v)),
        Item::ArrayOfTables(a) => Some(Value::Other(a.to_string().trim().to_string())),
    }
}

/// The inline table written at `key` (`t = { a = 1 }`), as one value without the spacing and
/// comment around it; `None` for a table with a header and for anything else.
pub(crate) fn inline_table(doc: &DocumentMut, key: &Key) -> Option<Value> {
    match item(doc, key)? {
        Item::Value(v @ toml_edit::Value::InlineTable(_)) => Some(Value::from_toml(v)),
        _ => None,
    }
}

/// Sets a leaf, creating missing tables. An existing value keeps its comments and spacing.
pub(crate) fn set(doc: &mut DocumentMut, key: &Key, value: &Value) -> Result<()> {
    let new = value.to_toml();
    let was_empty = doc.as_table().is_empty();
    set_in(doc, key, new)?;
    if was_empty {
        keep_leading_comments(doc);
    }
    Ok(())
}

/// A file of nothing but comments keeps them on top: `toml_edit` holds them as the text
/// after the last table, which would put them below the first table added.
fn keep_leading_comments(doc: &mut DocumentMut) {
    let mut comments = doc.trailing().as_str().unwrap_or_default().to_string();
    if comments.trim().is_empty() {
        return;
    }
    // A last comment line without its newline would swallow the next line.
    if !comments.ends_with('\n') {
        comments.push('\n');
    }
    // The root table's prefix is printed first, before any table header.
    doc.set_trailing("");
    doc.as_table_mut().decor_mut().set_prefix(comments);
}

fn set_in(doc: &mut DocumentMut, key: &Key, mut new: toml_edit::Value) -> Result<()> {
    let mut item = doc.as_item_mut();
    for (depth, segment) in key.parents().enumerate() {
        let parent = key.segments().take(depth).collect::<Vec<_>>().join(".");
        // New tables take the style of their parent: inside `a = { ... }` or `a.b = ...`
        // a header `[a.b]` would be wrong.
        let inline = matches!(item, Item::Value(_));
        let dotted = matches!(item, Item::Table(t) if t.is_dotted());
        let table = item.as_table_like_mut().ok_or_else(|| Error::NotATable {
            key: key.to_string(),
            parent: parent.clone(),
        })?;
        item = table.entry(segment).or_insert_with(|| {
            if inline {
                Item::Value(toml_edit::InlineTable::new().into())
            } else {
                let mut t = Table::new();
                t.set_implicit(true);
                t.set_dotted(dotted);
                Item::Table(t)
            }
        });
    }
    let inline_parent = matches!(item, Item::Value(_));
    let table = item.as_table_like_mut().ok_or_else(|| Error::NotATable {
        key: key.to_string(),
        parent: key.parents().join("."),
    })?;
    match table.get_mut(key.leaf()) {
        Some(Item::Value(old)) if !matches!(old, toml_edit::Value::InlineTable(_)) => {
            *new.decor_mut() = old.decor().clone();
            *old = new;
        }
        Some(Item::None) | None if inline_parent => insert_inline(table, key.leaf(), new),
        Some(Item::None) | None => {
            table.insert(key.leaf(), Item::Value(new));
        }
        Some(_) => {
            return Err(Error::NotATable {
                key: key.to_string(),
                parent: key.to_string(),
            })
        }
    }
    Ok(())
}

/// The text of a piece of decor (empty when there is none).
fn text(raw: Option<&RawString>) -> String {
    raw.and_then(RawString::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Adds `leaf` to an inline table in the table's own spacing: `{ a = 1 }` becomes
/// `{ a = 1, b = 2 }`, `{a=1}` becomes `{a=1, b=2}`.
fn insert_inline(table: &mut dyn TableLike, leaf: &str, mut new: toml_edit::Value) {
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    let Some(last) = keys.last() else {
        table.insert(leaf, Item::Value(new));
        return;
    };
    // A key after a comma is spaced as the second key is (the first follows the brace).
    let key_decor = match keys.get(1) {
        Some(second) => table.key(second).map(|k| k.leaf_decor().clone()),
        None => table
            .key(last)
            .map(|k| Decor::new(" ", text(k.leaf_decor().suffix()))),
    };
    let value_of = |table: &dyn TableLike, key: &str| {
        table
            .get(key)
            .and_then(Item::as_value)
            .map(|v| v.decor().clone())
    };
    let last_decor = value_of(table, last).unwrap_or_default();
    // Before a comma, a value is spaced as the table's first value is when it is not last.
    let before_comma = match keys.len() {
        1 => String::new(),
        _ => value_of(table, &keys[0])
            .map(|d| text(d.suffix()))
            .unwrap_or_default(),
    };
    if let Some(value) = table.get_mut(last).and_then(Item::as_value_mut) {
        value.decor_mut().set_suffix(before_comma);
    }
    *new.decor_mut() = Decor::new(text(last_decor.prefix()), text(last_decor.suffix()));
    table.insert(leaf, Item::Value(new));
    if let (Some(decor), Some(mut key)) = (key_decor, table.key_mut(leaf)) {
        *key.leaf_decor_mut() = decor;
    }
}

/// Removes `leaf` from an inline table, the spacing after the brace and before the closing
/// brace staying where they were.
fn remove_inline(table: &mut dyn TableLike, leaf: &str) -> Option<Item> {
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    let at = keys.iter().position(|k| k == leaf)?;
    let after_brace = table.key(leaf).map(|k| text(k.leaf_decor().prefix()));
    let before_brace = table
        .get(leaf)
        .and_then(Item::as_value)
        .map(|v| text(v.decor().suffix()));
    let removed = table.remove(leaf);
    if let (0, Some(next), Some(prefix)) = (at, keys.get(1), after_brace) {
        if let Some(mut key) = table.key_mut(next) {
            key.leaf_decor_mut().set_prefix(prefix);
        }
    }
    if at + 1 == keys.len() && at > 0 {
        let previous = table.get_mut(&keys[at - 1]).and_then(Item::as_value_mut);
        if let (Some(value), Some(suffix)) = (previous, before_brace) {
            value.decor_mut().set_suffix(suffix);
        }
    }
    removed
}

/// Removes `key` (a leaf or a whole table) and any tables left empty by the removal.
/// Returns whether anything was removed.
pub(crate) fn remove(doc: &mut DocumentMut, key: &Key) -> bool {
    let first_item = first_table_position(doc);
    let mut salvaged = None;
    let segments: Vec<&str> = key.segments().collect();
    let first_line = first_line(doc);
    let header = first_line
        .as_deref()
        .and_then(|line| file_header(doc, line));
    let removed = remove_in(doc.as_table_mut(), &segments, &mut salvaged, false);
    let line_gone = first_line.is_some_and(|line| line_parent(doc, &line).is_none());
    if let Some(header) = header.filter(|_| line_gone) {
        keep_file_header(doc, &header);
    }
    if let Some((position, prefix)) = salvaged {
        drop_trailing_comments(doc, position);
        let kept = file_comments(&prefix, position.is_some() && position == first_item);
        if !kept.is_empty() {
            reattach(doc, position, &kept);
        }
        if position.is_some() && position == first_item {
            no_blank_first_line(doc);
        } else if let Some(blank) = ["\r\n", "\n"].into_iter().find(|nl| prefix.starts_with(nl)) {
            // The blank line that parted the removed table from what precedes it now parts
            // the next one.
            if let Some(next) = next_table(doc, position) {
                let old = text(next.decor().prefix());
                if !old.starts_with(['\n', '\r']) {
                    next.decor_mut().set_prefix(format!("{blank}{old}"));
                }
            }
        }
    }
    removed
}

/// The keys of the file's first line when it is a value before any table's header (`a = 1`,
/// `server = {...}`, or `ui.theme = "dark"` through its dotted table): the comments above it
/// head the file.
fn first_line(doc: &DocumentMut) -> Option<Vec<String>> {
    let mut path = Vec::new();
    let mut table: &Table = doc.as_table();
    loop {
        let (name, item) = table.iter().next()?;
        path.push(name.to_string());
        match item {
            Item::Table(dotted) if dotted.is_dotted() => table = dotted,
            Item::Table(_) | Item::ArrayOfTables(_) => return None,
            _ => return Some(path),
        }
    }
}

/// The key of the line at `path` (see [`first_line`]), whose decor holds what is above it.
fn line_key<'a>(root: &'a mut Table, path: &[String]) -> Option<toml_edit::KeyMut<'a>> {
    let (last, parents) = path.split_last()?;
    let mut table = root;
    for name in parents {
        table = table.get_mut(name)?.as_table_mut()?;
    }
    table.key_mut(last)
}

/// The table holding the line at `path` (see [`first_line`]) and the line's key, while the
/// document still has that line.
fn line_parent<'a>(doc: &'a DocumentMut, path: &'a [String]) -> Option<(&'a Table, &'a str)> {
    let (last, parents) = path.split_last()?;
    let mut table = doc.as_table();
    for name in parents {
        table = table.get(name)?.as_table()?;
    }
    table.contains_key(last).then_some((table, last.as_str()))
}

/// The comments above the file's first line (`path`, a value): they head the file, and stay
/// if the line goes.
fn file_header(doc: &DocumentMut, path: &[String]) -> Option<String> {
    let (table, last) = line_parent(doc, path)?;
    let prefix = table.key(last)?.leaf_decor().prefix()?.as_str()?;
    // Whole lines: the indentation of the value's own line goes with it.
    let lines = &prefix[..prefix.rfind('\n').map_or(0, |at| at + 1)];
    Some(file_comments(lines, true)).filter(|kept| !kept.is_empty())
}

/// Puts the file's header comments (of a removed first line) above what now starts the file:
/// the next line of values, else the first table, else alone.
fn keep_file_header(doc: &mut DocumentMut, header: &str) {
    let next_line = first_line(doc);
    if let Some(mut key) = next_line.and_then(|line| line_key(doc.as_table_mut(), &line)) {
        let old = text(key.leaf_decor().prefix());
        key.leaf_decor_mut().set_prefix(format!("{header}{old}"));
        return;
    }
    let first = match first_table_position(doc) {
        Some(at) => table_at_mut(doc.as_table_mut(), at),
        None => first_added_table(doc.as_table_mut()),
    };
    if let Some(table) = first {
        // A table added in this transaction has no prefix yet: it would be parted from what
        // precedes it by a blank line.
        let old = table
            .decor()
            .prefix()
            .map_or("\n".to_string(), |p| text(Some(p)));
        table.decor_mut().set_prefix(format!("{header}{old}"));
        return;
    }
    let trailer = doc.trailing().as_str().unwrap_or_default().to_string();
    doc.set_trailing(format!("{header}{trailer}"));
}

/// The next table after a removed one: its prefix starts with the removed table's last
/// comments when they follow its values directly and a blank line parts them from the next
/// header. They go with their table.
fn drop_trailing_comments(doc: &mut DocumentMut, removed_at: Option<isize>) {
    let Some(next) = next_table(doc, removed_at) else {
        return;
    };
    let prefix = text(next.decor().prefix());
    let mut end = 0;
    for line in prefix.split_inclusive('\n') {
        if !line.trim_start().starts_with('#') {
            break;
        }
        end += line.len();
    }
    let rest = &prefix[end..];
    if end > 0
        && rest
            .split_inclusive('\n')
            .next()
            .is_some_and(|l| l.trim().is_empty())
    {
        let rest = rest.to_string();
        next.decor_mut().set_prefix(rest);
    }
}

/// After the file's first table was removed, the new first one starts the file: no blank
/// lines above it (its comments stay).
fn no_blank_first_line(doc: &mut DocumentMut) {
    // (A file's leading comments are in its first table's prefix: the parser gives the root
    // table none.)
    let first = first_table_position(doc);
    if let Some(table) = first.and_then(|at| table_at_mut(doc.as_table_mut(), at)) {
        let prefix = text(table.decor().prefix());
        let start = prefix
            .split_inclusive('\n')
            .take_while(|line| line.trim().is_empty())
            .map(str::len)
            .sum::<usize>();
        let trimmed = prefix[start..].to_string();
        table.decor_mut().set_prefix(trimmed);
    }
}

/// The first table with a header printed after `position`: one read from the file after it,
/// else the first one added since (the document prints those after the file's tables).
fn next_table(doc: &mut DocumentMut, position: Option<isize>) -> Option<&mut Table> {
    let removed_at = position?;
    let next = tables(doc.as_table())
        .into_iter()
        .filter_map(|t| t.position())
        .filter(|p| *p > removed_at)
        .min();
    match next {
        Some(next) => table_at_mut(doc.as_table_mut(), next),
        None => first_added_table(doc.as_table_mut()),
    }
}

/// The first table printed with a header that was not read from the file.
fn first_added_table(table: &mut Table) -> Option<&mut Table> {
    for (_, item) in table.iter_mut() {
        if let Some(child) = item.as_table_mut() {
            // (A table added for a value is implicit, yet printed with its header.)
            let header = !child.is_implicit() || child.iter().any(|(_, item)| item.is_value());
            if child.position().is_none() && header {
                return Some(child);
            }
            if let Some(found) = first_added_table(child) {
                return Some(found);
            }
        }
    }
    None
}

/// Removes the item at `segments`; a removed table's header prefix (its position and the
/// comments and blank lines above `[header]`) is handed back in `salvaged`.
fn remove_in(
    table: &mut dyn TableLike,
    segments: &[&str],
    salvaged: &mut Option<(Option<isize>, String)>,
    inline: bool,
) -> bool {
    let Some((first, rest)) = segments.split_first() else {
        return false;
    };
    if rest.is_empty() {
        let removed = if inline {
            remove_inline(table, first)
        } else {
            table.remove(first)
        };
        return match removed {
            Some(Item::Table(removed)) => {
                let prefix = removed.decor().prefix().and_then(|p| p.as_str());
                *salvaged = Some((removed.position(), prefix.unwrap_or_default().to_string()));
                true
            }
            Some(_) => true,
            None => false,
        };
    }
    let child_inline = matches!(table.get(first), Some(Item::Value(_)));
    let Some(child) = table.get_mut(first).and_then(Item::as_table_like_mut) else {
        return false;
    };
    let removed = remove_in(child, rest, salvaged, child_inline);
    if removed && child.is_empty() {
        // A table its last value left: its header's comments are salvaged as a removed
        // table's are.
        if let Some(Item::Table(gone)) = table.remove(first) {
            if salvaged.is_none() && !gone.is_implicit() {
                let prefix = gone.decor().prefix().and_then(|p| p.as_str());
                *salvaged = Some((gone.position(), prefix.unwrap_or_default().to_string()));
            }
        }
    }
    removed
}

/// The part of a removed table's prefix that belongs to the file rather than to the table.
/// Above the first table of a file with no top-level keys, everything is the file's header;
/// elsewhere, the comments up to the last blank line (a comment block directly above the
/// header describes the table and goes with it).
fn file_comments(prefix: &str, is_file_header: bool) -> String {
    let keep = if is_file_header {
        prefix
    } else {
        match prefix.rfind("\n\n").or_else(|| prefix.rfind("\n\r\n")) {
            Some(end) => &prefix[..=end],
            None => "",
        }
    };
    if keep.lines().any(|line| line.trim_start().starts_with('#')) {
        keep.to_string()
    } else {
        String::new()
    }
}

/// The position of the first table when the file has no top-level keys before it.
fn first_table_position(doc: &DocumentMut) -> Option<isize> {
    let root = doc.as_table();
    if root
        .iter()
        .any(|(_, item)| !item.is_table() && !item.is_array_of_tables())
    {
        return None;
    }
    tables(root).into_iter().filter_map(|t| t.position()).min()
}

/// Every table with a header, at any depth.
fn tables(table: &Table) -> Vec<&Table> {
    let mut out = Vec::new();
    for (_, item) in table.iter() {
        if let Some(child) = item.as_table() {
            if !child.is_implicit() {
                out.push(child);
            }
            out.extend(tables(child));
        }
    }
    out
}

/// Puts `text` above the first table after `position`, or at the end of the file.
fn reattach(doc: &mut DocumentMut, position: Option<isize>, text: &str) {
    if let Some(next) = next_table(doc, position) {
        let old = next
            .decor()
            .prefix()
            .and_then(|p| p.as_str())
            .unwrap_or_default();
        // One blank line between the kept comments and what follows, not two.
        let old = if text.ends_with("\n\n") {
            old.trim_start_matches(['\n', '\r'])
        } else {
            old
        };
        let joined = format!("{text}{old}");
        next.decor_mut().set_prefix(joined);
        return;
    }
    let trailer = doc.trailing().as_str().unwrap_or_default();
    let joined = format!("{text}{trailer}");
    doc.set_trailing(joined);
}

fn table_at_mut(table: &mut Table, position: isize) -> Option<&mut Table> {
    for (_, item) in table.iter_mut() {
        if let Some(child) = item.as_table_mut() {
            if child.position() == Some(position) && !child.is_implicit() {
                return Some(child);
            }
            if let Some(found) = table_at_mut(child, position) {
                return Some(found);
            }
        }
    }
    None
}
