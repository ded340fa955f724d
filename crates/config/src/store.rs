//! [`ConfigStore`]: lock-free reads, and transactions that commit whole or not at all.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use toml_edit::DocumentMut;

use crate::commit::{self, Mode, Outcome};
use crate::doc::{self, Quick, Style};
use crate::error::{Error, Result};
use crate::fs::{Fs, RealFs};
use crate::key::Key;
use crate::scan::{self, Edit, Got};
use crate::schema;
use crate::value::Value;

/// How long a writer waits for another writer's lock by default.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(5);

/// A TOML configuration file, read without locks and changed only through
/// [`ConfigStore::transaction`].
///
/// ```
/// use cleveragents_config::{ConfigStore, Value};
/// let dir = tempfile::tempdir()?;
/// let store = ConfigStore::open(dir.path().join("config.toml"));
/// let changes = store.transaction(|tx| {
///     tx.set_str("server.url", "https://agents.example.com/")?;
///     tx.set_str("server.namespace", "team-a")?;
///     tx.set("server.tls-verify", true)
/// })?;
/// assert_eq!(changes.len(), 3);
/// assert_eq!(store.get("server.url")?, Some(Value::from("https://agents.example.com")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ConfigStore {
    path: PathBuf,
    fs: Arc<dyn Fs>,
    lock_timeout: Duration,
    dry_run: bool,
}

impl fmt::Debug for ConfigStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigStore")
            .field("path", &self.path)
            .field("fs", &self.fs)
            .field("lock_timeout", &self.lock_timeout)
            .field("dry_run", &self.dry_run)
            .finish_non_exhaustive()
    }
}

impl ConfigStore {
    /// A store for the file at `path`. Nothing is read or created until used; a missing file
    /// reads as empty and is created by the first transaction that changes something.
    pub fn open(path: impl Into<PathBuf>) -> ConfigStore {
        ConfigStore {
            path: path.into(),
            fs: Arc::new(RealFs),
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            dry_run: false,
        }
    }

    /// Routes every file operation through `fs` (see [`crate::fs::FaultyFs`] for tests).
    pub fn with_fs(mut self, fs: Arc<dyn Fs>) -> ConfigStore {
        self.fs = fs;
        self
    }

    /// Sets how long a transaction waits for another writer's lock before failing with
    /// [`Error::LockTimeout`].
    pub fn with_lock_timeout(mut self, timeout: Duration) -> ConfigStore {
        self.lock_timeout = timeout;
        self
    }

    /// Makes every transaction a dry run when `dry_run`: it reads the file, applies and
    /// validates the changes, and returns the [`ChangeSet`] it would commit (marked
    /// [`ChangeSet::is_dry_run`]), but takes no lock and writes nothing. A file the commit
    /// would refuse (read-only) is refused all the same.
    ///
    /// ```
    /// use cleveragents_config::ConfigStore;
    /// let dir = tempfile::tempdir()?;
    /// let store = ConfigStore::open(dir.path().join("config.toml")).with_dry_run(true);
    /// let changes = store.transaction(|tx| tx.set_str("server.namespace", "team-a"))?;
    /// assert!(changes.is_dry_run());
    /// assert_eq!(changes.changes()[0].key.to_string(), "server.namespace");
    /// assert!(!store.path().exists());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_dry_run(mut self, dry_run: bool) -> ConfigStore {
        self.dry_run = dry_run;
        self
    }

    /// The configuration file's path as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the file as it is now. No lock is taken: a concurrent commit is seen whole or not
    /// at all, because it replaces the file by rename.
    pub fn load(&self) -> Result<Snapshot> {
        let bytes = self
            .fs
            .read(&self.path)
            .map_err(|e| Error::io("read", &self.path, e))?
            .map(|contents| contents.bytes);
        Snapshot::from_bytes(&self.path, bytes)
    }

    /// The value of `key`, or `None` when it is not set. An unknown key that the file does
    /// not contain is an error with a did-you-mean suggestion.
    pub fn get(&self, key: &str) -> Result<Option<Value>> {
        let parsed = Key::parse(key)?;
        let bytes = self
            .fs
            .read(&self.path)
            .map_err(|e| Error::io("read", &self.path, e))?
            .map(|contents| contents.bytes);
        let raw = bytes.as_deref().unwrap_or_default();
        // A plain file (most are) is read in one pass without building any tree.
        match std::str::from_utf8(raw)
            .ok()
            .and_then(|text| scan::lookup(text, &parsed))
        {
            Some(Got::Value(value, _)) => return Ok(Some(value)),
            Some(Got::Table) => return Ok(None),
            Some(Got::Absent) => return schema::require(&parsed).map(|_| None),
            None => {}
        }
        match doc::quick_get(raw, &parsed) {
            Quick::Found(Some(value)) => Ok(Some(value)),
            Quick::Found(None) => schema::require(&parsed).map(|_| None),
            Quick::Undecided => Snapshot::from_bytes(&self.path, bytes)?.get(key),
        }
    }

    /// Every value in the file, known keys and others, in document order.
    pub fn entries(&self) -> Result<Vec<(Key, Value)>> {
        Ok(self.load()?.entries())
    }

    /// Runs `change` against a fresh read of the file taken under the write lock, then
    /// validates and commits all of its changes with one atomic replace — or writes nothing.
    ///
    /// A transaction that changes nothing writes nothing.
    pub fn transaction<T, F>(&self, change: F) -> Result<Committed<T>>
    where
        F: FnOnce(&mut Transaction) -> Result<T>,
    {
        self.run(None, false, change)
    }

    /// Like [`ConfigStore::transaction`], but fails with [`Error::Conflict`] (writing nothing)
    /// unless the file is still at `expected`, the version a caller read earlier.
    pub fn transaction_if<T, F>(&self, expected: &Version, change: F) -> Result<Committed<T>>
    where
        F: FnOnce(&mut Transaction) -> Result<T>,
    {
        self.run(Some(expected), false, change)
    }

    /// The file's bytes as they are now (`None`: no file), whether they parse or not, and
    /// their version for [`ConfigStore::replace_if`]: what an editor opens when the file is
    /// broken.
    pub fn read_raw(&self) -> Result<(Option<Vec<u8>>, Version)> {
        let bytes = self
            .fs
            .read(&self.path)
            .map_err(|e| Error::io("read", &self.path, e))?
            .map(|contents| contents.bytes);
        let version = Version(bytes.as_deref().map(Arc::from));
        Ok((bytes, version))
    }

    /// Replaces the whole file with `text` if it is still at `expected` (else
    /// [`Error::Conflict`]), keeping `text`'s formatting. The new document must parse (errors
    /// name `origin`) and every value in it must be valid. Unlike a transaction, this also
    /// replaces a file that does not parse: the caller read it with
    /// [`ConfigStore::read_raw`] and `text` is its repaired version.
    pub fn replace_if(&self, expected: &Version, text: &str, origin: &Path) -> Result<ChangeSet> {
        self.run(Some(expected), true, |tx| tx.replace_document(text, origin))
            .map(Committed::into_changes)
    }

    /// Checks the whole file against the schema: unknown keys and invalid values.
    pub fn validate(&self) -> Result<Vec<Problem>> {
        Ok(self.load()?.validate())
    }

    fn run<T, F>(&self, expected: Option<&Version>, repair: bool, change: F) -> Result<Committed<T>>
    where
        F: FnOnce(&mut Transaction) -> Result<T>,
    {
        let outcome = commit::commit(
            &*self.fs,
            &self.path,
            self.lock_timeout,
            if self.dry_run {
                Mode::DryRun
            } else {
                Mode::Write
            },
            |target, current| {
                // Compared in place: a copy of a 10 MB file for every transaction is wasted.
                if expected.is_some_and(|expected| expected.0.as_deref() != current.as_deref()) {
                    return Err(Error::Conflict {
                        path: self.path.clone(),
                    });
                }
                let old_text = current.unwrap_or_default();
                let plain = std::str::from_utf8(&old_text)
                    .ok()
                    .filter(|text| scan::scan(text, |_| {}).is_some());
                let (doc, text) = match plain {
                    // Edited as text until an edit needs the document (see `Transaction`).
                    Some(text) => (None, text.to_string()),
                    None => match doc::parse(target, &old_text) {
                        Ok(doc) => (Some(doc), String::new()),
                        // A repair starts from nothing: every value of the new text is checked.
                        Err(_) if repair => (Some(DocumentMut::new()), String::new()),
                        Err(e) => return Err(e),
                    },
                };
                let mut tx = Transaction {
                    doc,
                    text,
                    style: Style::of(&old_text),
                    original: old_text,
                    log: Vec::new(),
                    path: target.to_path_buf(),
                    replaced: false,
                    touched: Touched::default(),
                };
                let value = change(&mut tx)?;
                let after = tx.after();
                let changes = diff(
                    std::mem::take(&mut tx.touched.before),
                    after,
                    &tx.touched.renamed,
                )?;
                // Only a change of values is written (the document may not round-trip byte for
                // byte); a replaced document is written if its text differs at all.
                if changes.is_empty() && !tx.replaced {
                    return Ok((None, (changes, value)));
                }
                let (new_text, old_text) = tx.into_bytes();
                if new_text == old_text {
                    return Ok((None, (ChangeSet::default(), value)));
                }
                Ok((Some(new_text), (changes, value)))
            },
        )?;
        match outcome {
            Outcome::Unchanged((mut changes, value)) => {
                changes.dry_run = self.dry_run;
                Ok(Committed { value, changes })
            }
            Outcome::Written {
                value: (mut changes, value),
                unflushed,
            } => {
                changes.warning = unflushed.map(|e| {
                    format!("{e}; the change is in place but may not survive a power loss")
                });
                Ok(Committed { value, changes })
            }
        }
    }
}

/// Compares the leaves before and after, validating every key that changed. Keys already in
/// the file that the schema does not know are kept; new unknown keys are refused.
fn diff(
    before: Vec<(Key, Value)>,
    after: Vec<(Key, Value)>,
    renamed: &[(Key, Key)],
) -> Result<ChangeSet> {
    let mut old: BTreeMap<Key, Value> = before.into_iter().collect();
    // What was there before any change, for the values a transaction moved or copied.
    let original = match renamed.is_empty() {
        true => BTreeMap::new(),
        false => old.clone(),
    };
    let carried = |old: &BTreeMap<Key, Value>, key: &Key, new: &Value| {
        renamed.iter().any(|(from, to)| {
            key.starts_with(to) && {
                let at = Key::from_segments(from.segments().chain(key.segments().skip(to.len())));
                old.get(&at) == Some(new)
            }
        })
    };
    let mut changes = Vec::new();
    let mut problems = Vec::new();
    for (key, new) in after {
        let previous = old.remove(&key);
        if previous.as_ref() == Some(&new) {
            continue;
        }
        // A value moved or copied as it was is the user's, kept whatever the schema says.
        let carried = carried(&original, &key, &new);
        match schema::lookup(&key) {
            Some(spec) if !carried => {
                if let Err(e) = spec.check(&key, new.clone()) {
                    problems.push(e);
                }
            }
            None if previous.is_none() && !carried => problems.push(Error::UnknownKey {
                suggestion: schema::suggest(&key),
                key: key.to_string(),
            }),
            _ => {}
        }
        changes.push(Change {
            key,
            old: previous,
            new: Some(new),
        });
    }
    changes.extend(old.into_iter().map(|(key, old)| Change {
        key,
        old: Some(old),
        new: None,
    }));
    changes.sort_by(|a, b| a.key.cmp(&b.key));
    match problems.len() {
        0 => Ok(ChangeSet {
            changes,
            warning: None,
            dry_run: false,
        }),
        1 => Err(problems.remove(0)),
        _ => Err(Error::Invalid {
            problems: problems
                .iter()
                .map(|p| match p.hint() {
                    Some(hint) => format!("{p} ({hint})"),
                    None => p.to_string(),
                })
                .collect(),
        }),
    }
}

/// The file's contents at one moment, for [`ConfigStore::transaction_if`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version(Option<Arc<[u8]>>);

/// The parsed file at one moment.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// `None` for a plain file, which is read from its text without building a document.
    doc: Option<DocumentMut>,
    style: Style,
    version: Version,
}

impl Snapshot {
    fn from_bytes(path: &Path, bytes: Option<Vec<u8>>) -> Result<Snapshot> {
        let raw = bytes.as_deref().unwrap_or_default();
        let plain = std::str::from_utf8(raw).is_ok_and(|text| scan::scan(text, |_| {}).is_some());
        let doc = match plain {
            true => None,
            false => Some(doc::parse(path, raw)?),
        };
        Ok(Snapshot {
            doc,
            style: Style::of(raw),
            version: Version(bytes.map(Arc::from)),
        })
    }

    /// The snapshot a file holding `text` would give, without touching any file: how a
    /// whole new text (an edit) can be checked before it replaces the file. Parse errors name
    /// `origin`, where the text comes from.
    ///
    /// ```
    /// use std::path::Path;
    /// use cleveragents_config::Snapshot;
    /// let snapshot = Snapshot::parse(Path::new("edit.toml"), "[server]\nurl = \"http://h\"\n")?;
    /// assert_eq!(snapshot.entries()[0].0.to_string(), "server.url");
    /// let err = Snapshot::parse(Path::new("edit.toml"), "[server").unwrap_err();
    /// assert!(err.to_string().contains("edit.toml"), "{err}");
    /// # Ok::<(), cleveragents_config::Error>(())
    /// ```
    pub fn parse(origin: &Path, text: &str) -> Result<Snapshot> {
        Snapshot::from_bytes(origin, Some(text.as_bytes().to_vec()))
    }

    /// The text of a plain file (valid UTF-8: checked when it was read).
    fn plain_text(&self) -> &str {
        std::str::from_utf8(self.version.0.as_deref().unwrap_or_default()).unwrap_or_default()
    }

    /// The version to pass to [`ConfigStore::transaction_if`].
    pub fn version(&self) -> &Version {
        &self.version
    }

    /// The file's text (empty when there is no file).
    pub fn text(&self) -> String {
        match &self.doc {
            Some(doc) => String::from_utf8_lossy(&self.style.render(doc)).into_owned(),
            None => self.plain_text().to_string(),
        }
    }

    /// True when there is no file.
    pub fn is_missing(&self) -> bool {
        self.version.0.is_none()
    }

    /// See [`ConfigStore::get`].
    pub fn get(&self, key: &str) -> Result<Option<Value>> {
        let key = Key::parse(key)?;
        let (value, present) = match &self.doc {
            Some(doc) => (doc::get(doc, &key), doc::item(doc, &key).is_some()),
            None => match scan::lookup(self.plain_text(), &key).unwrap_or(Got::Absent) {
                Got::Value(value, _) => (Some(value), true),
                Got::Table => (None, true),
                Got::Absent => (None, false),
            },
        };
        if !present {
            schema::require(&key)?;
        }
        Ok(value)
    }

    /// The inline table written at `key` (`t = { a = 1, b = "x" }`) as one value: its TOML
    /// text without the comment after it, serialized as an object. `None` for a table with a
    /// header, a leaf, or nothing. [`Snapshot::get`] and [`Snapshot::entries`] see an inline
    /// table as the table it is: `get` has no value for it, `entries` lists its leaves.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("config.toml");
    /// std::fs::write(&path, "[tool]\nt = { a = 1 }   # note\n[other]\nb = 2\n")?;
    /// let snapshot = cleveragents_config::ConfigStore::open(&path).load()?;
    /// assert_eq!(snapshot.inline_table("tool.t")?.unwrap().to_string(), "{ a = 1 }");
    /// assert_eq!(snapshot.inline_table("other")?, None);
    /// assert_eq!(snapshot.get("tool.t")?, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn inline_table(&self, key: &str) -> Result<Option<Value>> {
        let key = Key::parse(key)?;
        // A plain file has no inline tables.
        Ok(self
            .doc
            .as_ref()
            .and_then(|doc| doc::inline_table(doc, &key)))
    }

    /// The 1-based line of the value at `key` in the file as read, for messages that name
    /// the place of a value (`path:line`). `None` when the file does not hold it.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("config.toml");
    /// std::fs::write(&path, "# note\n[server]\nurl = \"http://a.example\"\nnamespace = \"Bad\"\n")?;
    /// let snapshot = cleveragents_config::ConfigStore::open(&path).load()?;
    /// assert_eq!(snapshot.line_of(&"server.namespace".parse()?), Some(4));
    /// assert_eq!(snapshot.line_of(&"server.timeout".parse()?), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn line_of(&self, key: &Key) -> Option<usize> {
        let text = std::str::from_utf8(self.version.0.as_deref()?).ok()?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        doc::line_of(text, key)
    }

    /// See [`ConfigStore::entries`].
    pub fn entries(&self) -> Vec<(Key, Value)> {
        match &self.doc {
            Some(doc) => doc::flatten(doc),
            None => scan::entries(self.plain_text()).unwrap_or_default(),
        }
    }

    /// Calls `visit` with every value of [`Snapshot::entries`], in its order, without
    /// listing them first: a plain file is read value by value.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("config.toml");
    /// std::fs::write(&path, "[server]\nurl = \"http://a\"\n[profiles.a]\nurl = \"http://b\"\n")?;
    /// let snapshot = cleveragents_config::ConfigStore::open(&path).load()?;
    /// let mut keys = Vec::new();
    /// snapshot.visit_entries(|key, _| keys.push(key.to_string()));
    /// assert_eq!(keys, ["server.url", "profiles.a.url"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn visit_entries(&self, mut visit: impl FnMut(Key, Value)) {
        match &self.doc {
            Some(doc) => doc::flatten(doc)
                .into_iter()
                .for_each(|(key, value)| visit(key, value)),
            None => {
                let _ = scan::scan(self.plain_text(), |l| {
                    visit(scan::key_of(&l), l.value.to_value())
                });
            }
        }
    }

    /// The values at and under each of `keys` (a table's values, or a value), table by
    /// table: what [`Snapshot::entries`] lists there, without listing the whole file.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("config.toml");
    /// std::fs::write(&path, "[server]\nurl = \"http://a\"\n[profiles.a]\nurl = \"http://b\"\n")?;
    /// let snapshot = cleveragents_config::ConfigStore::open(&path).load()?;
    /// let found = snapshot.entries_under(&["profiles.a".parse()?]);
    /// assert_eq!(found, [("profiles.a.url".parse()?, "http://b".into())]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn entries_under(&self, keys: &[Key]) -> Vec<(Key, Value)> {
        match &self.doc {
            Some(doc) => doc::flatten_at_all(doc, keys),
            None => scan::entries_under(self.plain_text(), keys).unwrap_or_default(),
        }
    }

    /// See [`ConfigStore::validate`].
    pub fn validate(&self) -> Vec<Problem> {
        self.entries()
            .into_iter()
            .filter_map(|(key, value)| {
                let error = match schema::lookup(&key) {
                    Some(spec) => spec.check(&key, value).err()?,
                    None => Error::UnknownKey {
                        suggestion: schema::suggest(&key),
                        key: key.to_string(),
                    },
                };
                Some(Problem {
                    key,
                    message: error.to_string(),
                    hint: error.hint(),
                    unknown: matches!(error, Error::UnknownKey { .. }),
                })
            })
            .collect()
    }
}

/// One finding of [`ConfigStore::validate`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The key concerned.
    pub key: Key,
    /// What is wrong.
    pub message: String,
    /// What to do, if known.
    pub hint: Option<String>,
    /// True for a key the schema does not know (kept in the file, but not used).
    pub unknown: bool,
}

impl serde::Serialize for Key {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The edits of one transaction, applied to a fresh read of the file under the lock.
///
/// A plain file (see `scan`) is edited as text for as long as every edit replaces a value in
/// place: `config set` of a key the file has costs two passes over the text, not a document
/// of the whole file. The first edit that needs more builds the document.
#[derive(Debug)]
pub struct Transaction {
    /// The document; `None` while the edits are made on `text`.
    doc: Option<DocumentMut>,
    /// The file's text with the edits so far, while `doc` is `None`.
    text: String,
    /// The file as read, and the edits made on the text: the document is built by replaying
    /// them on it, so that it is exactly the one the edits would have made (a table it adds
    /// has no position, which later removals look at).
    original: Vec<u8>,
    log: Vec<(Key, Option<Value>)>,
    path: PathBuf,
    style: Style,
    replaced: bool,
    touched: Touched,
}

/// What the edited keys held before their first edit: the change set compares only these
/// with what they hold at the end, rather than the whole file twice.
#[derive(Debug, Default)]
struct Touched {
    /// Keys and tables edited, each covering the keys under it.
    prefixes: Vec<Key>,
    /// Their values before the first edit under them.
    before: Vec<(Key, Value)>,
    /// Tables moved by [`Transaction::rename_table`] and values copied by
    /// [`Transaction::carry`], `(from, to)`: what they carry unchanged keeps the standing of
    /// values already in the file.
    renamed: Vec<(Key, Key)>,
}

impl Touched {
    fn covers(&self, key: &Key) -> bool {
        self.prefixes.iter().any(|prefix| key.starts_with(prefix))
    }

    /// Notes the values under `prefix` before it is edited, unless an earlier edit covers it.
    fn record(&mut self, prefix: &Key, values: impl FnOnce() -> Vec<(Key, Value)>) {
        if self.covers(prefix) {
            return;
        }
        for (key, value) in values() {
            if !self.covers(&key) {
                self.before.push((key, value));
            }
        }
        self.prefixes.push(prefix.clone());
    }
}

impl Transaction {
    /// The value of `key` as the transaction sees it (its own changes included).
    pub fn get(&self, key: &str) -> Result<Option<Value>> {
        let key = Key::parse(key)?;
        Ok(match &self.doc {
            Some(doc) => doc::get(doc, &key),
            None => match scan::lookup(&self.text, &key) {
                Some(Got::Value(value, _)) => Some(value),
                _ => None,
            },
        })
    }

    /// Every value as the transaction sees it (its own changes included), in document order:
    /// lets a caller replace a whole table, dropping keys it does not set again.
    pub fn entries(&self) -> Vec<(Key, Value)> {
        match &self.doc {
            Some(doc) => doc::flatten(doc),
            None => scan::entries(&self.text).unwrap_or_default(),
        }
    }

    /// The values at and under each of `keys` as the transaction sees them, table by table:
    /// see [`Snapshot::entries_under`].
    pub fn entries_under(&self, keys: &[Key]) -> Vec<(Key, Value)> {
        match &self.doc {
            Some(doc) => doc::flatten_at_all(doc, keys),
            None => scan::entries_under(&self.text, keys).unwrap_or_default(),
        }
    }

    /// Sets a known key to a typed value, checked against the schema.
    pub fn set(&mut self, key: &str, value: impl Into<Value>) -> Result<()> {
        let key = Key::parse(key)?;
        let value = schema::require(&key)?.check(&key, value.into())?;
        self.assign(&key, &value)
    }

    /// Sets a known key from text as a user types it (`true`, `10s`, a URL), parsed by the
    /// key's type and checked against its rule.
    pub fn set_str(&mut self, key: &str, text: &str) -> Result<()> {
        let key = Key::parse(key)?;
        let value = schema::require(&key)?.parse(&key, text)?;
        self.assign(&key, &value)
    }

    /// Makes `table` a table holding `fields`: a value standing where the table belongs
    /// (`server = "..."`) is removed, then each field is set to its value or removed
    /// (`None`), in order, as [`Transaction::set`] and [`Transaction::unset`] of each
    /// `table.field` in turn would, errors included. Other keys of the table stay. On a plain
    /// text all of it is found in one pass over the text, not one pass each: how a command
    /// writes a connection's fields into a file of 100,000 profiles.
    pub fn set_table(&mut self, table: &str, fields: &[(&str, Option<Value>)]) -> Result<()> {
        let table = Key::parse(table)?;
        // Each key as `set` reads it: a field that makes no key (an empty one) is refused alike.
        let keys = fields
            .iter()
            .map(|(field, _)| {
                Key::parse(&Key::from_segments(table.segments().chain([*field])).to_string())
            })
            .collect::<Result<Vec<Key>>>()?;
        // Every value checked first; a refused one leaves the order of errors to the edits
        // made one by one.
        let checked: Option<Vec<(Key, Option<Value>)>> = keys
            .iter()
            .zip(fields)
            .map(|(key, (_, value))| match value {
                Some(value) => schema::require(key)
                    .and_then(|spec| spec.check(key, value.clone()))
                    .ok()
                    .map(|value| (key.clone(), Some(value))),
                None => Some((key.clone(), None)),
            })
            .collect();
        if let Some(edits) = checked {
            if self.doc.is_none() && self.set_fields_in_text(&table, fields, &edits) {
                return Ok(());
            }
        }
        if self.get(&table.to_string())?.is_some() {
            self.unset_key(&table)?;
        }
        for (key, (_, value)) in keys.iter().zip(fields) {
            match value {
                Some(value) => {
                    let value = schema::require(key)?.check(key, value.clone())?;
                    self.assign(key, &value)?;
                }
                None => {
                    self.unset_key(key)?;
                }
            }
        }
        Ok(())
    }

    /// [`Transaction::set_table`] as edits of the plain text, when [`scan::plan_fields`]
    /// finds them all simple and every value keeps the text plain. False: nothing done.
    fn set_fields_in_text(
        &mut self,
        table: &Key,
        fields: &[(&str, Option<Value>)],
        edits: &[(Key, Option<Value>)],
    ) -> bool {
        let mut reprs = Vec::with_capacity(edits.len());
        for (_, value) in edits {
            let repr = value.as_ref().map(|value| value.to_toml().to_string());
            if repr
                .as_deref()
                .is_some_and(|r| scan::plain_value(r).is_none())
            {
                return false;
            }
            reprs.push(repr);
        }
        let asked: Vec<(&str, Option<&str>)> = fields
            .iter()
            .zip(&reprs)
            .map(|((field, _), repr)| (*field, repr.as_deref()))
            .collect();
        let Some(plan) = scan::plan_fields(&self.text, table, &asked) else {
            return false;
        };
        let mut splices = Vec::with_capacity(plan.len());
        for (order, ((key, value), (old, splice))) in edits.iter().zip(plan).enumerate() {
            let Some(splice) = splice else {
                // Nothing there to remove.
                continue;
            };
            self.touched.record(key, || {
                old.map(|old| (key.clone(), old)).into_iter().collect()
            });
            self.log.push((key.clone(), value.clone()));
            splices.push((order, splice));
        }
        // From the last byte to the first, so that each edit's positions still hold; at one
        // place (only insertions meet), later ones before earlier ones, which then come first.
        splices.sort_by(|(a, (x, _)), (b, (y, _))| (y.start, b).cmp(&(x.start, a)));
        for (_, (bytes, new)) in splices {
            self.text.replace_range(bytes, &new);
        }
        true
    }

    fn assign(&mut self, key: &Key, value: &Value) -> Result<()> {
        if self.doc.is_none() && self.assign_in_text(key, value) {
            return Ok(());
        }
        self.materialize()?;
        let doc = self.doc.get_or_insert_with(DocumentMut::new);
        self.touched.record(key, || doc::flatten_at(doc, key));
        doc::set(doc, key, value)
    }

    /// Sets `key` by editing the plain text, writing exactly the bytes the document would
    /// print, when the new value keeps the text plain and the edit is a simple one: a value
    /// replaced in place (its spacing and comments stay), a new value after its table's last
    /// one, or a new table after its parent's last table. False: nothing done.
    fn assign_in_text(&mut self, key: &Key, value: &Value) -> bool {
        let repr = value.to_toml().to_string();
        if scan::plain_value(&repr).is_none() {
            return false;
        }
        // One pass finds the edit; a value in a text the plan leaves alone (one without a
        // last newline) is still replaced in place.
        let (at, old, new) = match scan::plan(&self.text, key, false) {
            Some(Edit::Replace(old, span)) => (span, Some(old), repr),
            Some(Edit::Append(at)) => (at..at, None, format!("{} = {repr}\n", key.leaf())),
            Some(Edit::NewTable(at)) => {
                let table = key.parents().join(".");
                (
                    at..at,
                    None,
                    format!("\n[{table}]\n{} = {repr}\n", key.leaf()),
                )
            }
            _ => match scan::lookup(&self.text, key) {
                Some(Got::Value(old, span)) => (span, Some(old), repr),
                _ => return false,
            },
        };
        self.touched.record(key, || {
            old.map(|old| (key.clone(), old)).into_iter().collect()
        });
        self.log.push((key.clone(), Some(value.clone())));
        self.text.replace_range(at, &new);
        true
    }

    /// Builds the document, once: the text before any edit, and the edits replayed on it
    /// (each was shown to succeed on the text).
    fn materialize(&mut self) -> Result<()> {
        if self.doc.is_none() {
            let mut doc = doc::parse(&self.path, &self.original)?;
            for (key, value) in self.log.drain(..) {
                let _ = match value {
                    Some(value) => doc::set(&mut doc, &key, &value).is_ok(),
                    None => doc::remove(&mut doc, &key),
                };
            }
            self.doc = Some(doc);
            self.text = String::new();
        }
        Ok(())
    }

    /// Removes a key or a whole table (`server`), and tables the removal leaves empty.
    /// Returns whether anything was there. Unknown keys can be removed too.
    pub fn unset(&mut self, key: &str) -> Result<bool> {
        self.unset_key(&Key::parse(key)?)
    }

    fn unset_key(&mut self, key: &Key) -> Result<bool> {
        let key = key.clone();
        if self.doc.is_none() {
            // A value whose table keeps others: its line goes, as the document would drop it.
            match scan::plan(&self.text, &key, true) {
                Some(Edit::Remove(old, lines)) => {
                    self.touched.record(&key, || vec![(key.clone(), old)]);
                    self.log.push((key.clone(), None));
                    self.text.replace_range(lines, "");
                    return Ok(true);
                }
                Some(Edit::Nothing) => return Ok(false),
                _ => {}
            }
            // A whole table: its header and its values go. Not after a value was set: a
            // table it added has no place in the document's order, which its removal
            // follows.
            let removal = match self.log.iter().any(|(_, value)| value.is_some()) {
                true => None,
                false => scan::plan_table_removal(&self.text, &key),
            };
            if let Some((old, bytes, insert)) = removal {
                self.touched.record(&key, || old);
                self.log.push((key.clone(), None));
                self.text.replace_range(bytes, insert);
                return Ok(true);
            }
        }
        self.materialize()?;
        let doc = self.doc.get_or_insert_with(DocumentMut::new);
        self.touched.record(&key, || doc::flatten_at(doc, &key));
        Ok(doc::remove(doc, &key))
    }

    /// The 1-based line of the value at `key` in the file as it was read, if it holds it: for
    /// a message that names a value the file holds.
    pub fn line_of(&self, key: &Key) -> Option<usize> {
        let text = std::str::from_utf8(&self.original).ok()?;
        doc::line_of(text.strip_prefix('\u{feff}').unwrap_or(text), key)
    }

    /// Sets `to` to the value `from` holds, as it is, even a value the schema refuses: what a
    /// command keeps of the user's file (the connection it replaces) is kept as the user
    /// wrote it, to be fixed later, rather than lost. `to` must be a key the schema knows, and
    /// `from` one this transaction has not changed (else the value is checked as a new one).
    /// Returns false, changing nothing, when `from` holds no value.
    pub fn carry(&mut self, from: &str, to: &str) -> Result<bool> {
        let (from, to) = (Key::parse(from)?, Key::parse(to)?);
        schema::require(&to)?;
        let Some(value) = self.get(&from.to_string())? else {
            return Ok(false);
        };
        self.touched
            .record(&from, || vec![(from.clone(), value.clone())]);
        self.touched.renamed.push((from, to.clone()));
        self.assign(&to, &value)?;
        Ok(true)
    }

    /// Renames the table at `from` to `to` (`profiles.lab` to `profiles.bench`), a sibling
    /// under the same parent: every key it holds moves, those the schema does not know
    /// included, with its comments and its place in the file. Returns false, changing
    /// nothing, when there is no such table, `to` exists already, or they are not siblings.
    pub fn rename_table(&mut self, from: &str, to: &str) -> Result<bool> {
        let (from, to) = (Key::parse(from)?, Key::parse(to)?);
        self.materialize()?;
        let doc = self.doc.get_or_insert_with(DocumentMut::new);
        if !matches!(doc::item(doc, &from), Some(item) if item.is_table_like()) {
            return Ok(false);
        }
        self.touched.record(&from, || doc::flatten_at(doc, &from));
        self.touched.record(&to, || doc::flatten_at(doc, &to));
        let moved = doc::rename(doc, &from, &to);
        if moved {
            self.touched.renamed.push((from, to));
        }
        Ok(moved)
    }

    /// Replaces the whole document with `text` (as `config edit` does), keeping its
    /// formatting. Parse errors name `origin`; the new values are validated at commit.
    pub fn replace_document(&mut self, text: &str, origin: &Path) -> Result<()> {
        let new = doc::parse(origin, text.as_bytes())?;
        let old = self.entries();
        self.touched
            .record(&Key::from_segments(Vec::<&str>::new()), || old);
        self.doc = Some(new);
        self.style = Style::of(text.as_bytes());
        self.replaced = true;
        Ok(())
    }

    /// What the edited keys hold now.
    fn after(&self) -> Vec<(Key, Value)> {
        let Some(doc) = &self.doc else {
            // Edited as text: one pass finds the values at and under every edited key.
            let wanted: Vec<(String, &str, String)> = self
                .touched
                .prefixes
                .iter()
                .map(|key| (key.parents().join("."), key.leaf(), key.to_string()))
                .collect();
            let mut after = BTreeMap::new();
            let _ = scan::scan(&self.text, |leaf| {
                let hit = wanted.iter().any(|(table, name, path)| {
                    (leaf.key == *name && leaf.table == table)
                        || leaf
                            .table
                            .strip_prefix(path.as_str())
                            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
                });
                if hit {
                    after.insert(scan::key_of(&leaf), leaf.value.to_value());
                }
            });
            return after.into_iter().collect();
        };
        let mut after = BTreeMap::new();
        for prefix in &self.touched.prefixes {
            after.extend(doc::flatten_at(doc, prefix));
        }
        after.into_iter().collect()
    }

    /// The file's new bytes, and the bytes read.
    fn into_bytes(self) -> (Vec<u8>, Vec<u8>) {
        let new = match &self.doc {
            Some(doc) => self.style.render(doc),
            None => self.text.into_bytes(),
        };
        (new, self.original)
    }
}

/// What [`ConfigStore::transaction`] returns: the value its closure returned, and what it
/// changed (the [`ChangeSet`] it dereferences to).
///
/// ```
/// use cleveragents_config::ConfigStore;
/// let dir = tempfile::tempdir()?;
/// let store = ConfigStore::open(dir.path().join("config.toml"));
/// let done = store.transaction(|tx| {
///     let was = tx.get("server.namespace")?;
///     tx.set_str("server.namespace", "team-a")?;
///     Ok(was)
/// })?;
/// assert_eq!(done.len(), 1);
/// assert_eq!(done.value(), &None);
/// assert_eq!(done.into_value(), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Committed<T> {
    value: T,
    changes: ChangeSet,
}

impl<T> Committed<T> {
    /// The closure's value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The closure's value, giving up the change set.
    pub fn into_value(self) -> T {
        self.value
    }

    /// What the transaction changed.
    pub fn into_changes(self) -> ChangeSet {
        self.changes
    }

    /// The closure's value and what the transaction changed.
    pub fn into_parts(self) -> (T, ChangeSet) {
        (self.value, self.changes)
    }
}

impl<T> std::ops::Deref for Committed<T> {
    type Target = ChangeSet;

    fn deref(&self) -> &ChangeSet {
        &self.changes
    }
}

/// One changed key of a committed transaction.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Change {
    /// The key.
    pub key: Key,
    /// Its value before; `None` if it was not set.
    pub old: Option<Value>,
    /// Its value after; `None` if it was removed.
    pub new: Option<Value>,
}

/// What a committed transaction changed, sorted by key. Empty when nothing was written.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct ChangeSet {
    changes: Vec<Change>,
    warning: Option<String>,
    #[serde(skip)]
    dry_run: bool,
}

impl ChangeSet {
    /// The changes, sorted by key.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Number of changed keys.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// True when the transaction changed no value.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// True when the changes were computed by a dry run
    /// ([`ConfigStore::with_dry_run`]) and not written.
    pub fn is_dry_run(&self) -> bool {
        self.dry_run
    }

    /// Set when the change is in place but its durability could not be confirmed (the
    /// directory flush failed after the rename).
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A transaction on `text` that builds the document from the start, as for a file that is
    /// not plain.
    fn with_document(text: &str) -> Transaction {
        Transaction {
            doc: Some(doc::parse(Path::new("t.toml"), text.as_bytes()).unwrap()),
            text: String::new(),
            original: text.as_bytes().to_vec(),
            log: Vec::new(),
            path: PathBuf::from("t.toml"),
            style: Style::of(text.as_bytes()),
            replaced: false,
            touched: Touched::default(),
        }
    }

    fn as_text(text: &str) -> Transaction {
        Transaction {
            doc: None,
            text: text.to_string(),
            original: text.as_bytes().to_vec(),
            log: Vec::new(),
            path: PathBuf::from("t.toml"),
            style: Style::default(),
            replaced: false,
            touched: Touched::default(),
        }
    }

    impl Transaction {
        fn rendered(&self) -> Vec<u8> {
            match &self.doc {
                Some(doc) => self.style.render(doc),
                None => self.text.as_bytes().to_vec(),
            }
        }
    }

    fn finish(mut tx: Transaction) -> (Result<ChangeSet>, Vec<u8>) {
        let after = tx.after();
        let changes = diff(
            std::mem::take(&mut tx.touched.before),
            after,
            &tx.touched.renamed,
        );
        (changes, tx.into_bytes().0)
    }

    fn line() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec![
            "url",
            "namespace",
            "tls-verify",
            "profile",
            "timeout",
            "x",
            "a",
        ]);
        let value = prop::sample::select(vec![
            "\"http://h.example\"",
            "'http://l.example'",
            "\"ns\"",
            "\"\"",
            "true",
            "false",
            "\"a#b\"",
            "1",
            "\"e\\\"q\"",
            "[1]",
        ]);
        let header = prop::sample::select(vec![
            "[server]",
            "[profiles.a]",
            "[profiles.b]",
            "[profiles]",
            "[a.b]",
            "[a]",
            "[x]",
            "[[t]]",
        ]);
        let pad = prop::sample::select(vec!["", " ", "\t"]);
        let tail = prop::sample::select(vec!["", " # c", "#", " "]);
        prop_oneof![
            (pad.clone(), key, pad.clone(), value, tail.clone())
                .prop_map(|(p, k, q, v, t)| format!("{p}{k}{q}={q}{v}{t}")),
            (pad, header, tail).prop_map(|(p, h, t)| format!("{p}{h}{t}")),
            Just(String::new()),
            Just("# comment".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

        /// Whatever the one-pass reader accepts, the full parser accepts too and reads the
        /// same values in the same order; a value set in place gives the same bytes and the
        /// same change set as the document would.
        #[test]
        fn plain_text_reads_and_edits_as_the_document_does(
            lines in prop::collection::vec(line(), 0..12),
            key in prop::sample::select(vec![
                "server.url", "server.namespace", "server.tls-verify", "profiles.a.url",
                "profiles.b.namespace", "server.timeout",
            ]),
            value in prop::sample::select(vec!["http://n.example", "ns2", "true", "false", "a'b", "q\"x"]),
            ops in prop::collection::vec((any::<bool>(), prop::sample::select(vec![
                "server.url", "server.namespace", "server.tls-verify", "server.profile",
                "profiles.a.url", "profiles.b.namespace", "profiles.c.url", "profiles.a",
                "server", "x", "a", "a.b", "profiles.\"a.b\".url", "profiles.\"a.b\"",
            ]), prop::sample::select(vec!["http://m.example", "ns3", "false"])), 0..5),
        ) {
            let text = lines.join("\n") + "\n";
            let Some(entries) = scan::entries(&text) else {
                return Ok(());
            };
            let parsed = doc::parse(Path::new("t.toml"), text.as_bytes());
            prop_assert!(parsed.is_ok(), "accepted, but not TOML: {text:?}");
            let parsed = parsed.unwrap();
            prop_assert_eq!(&entries, &doc::flatten(&parsed));
            prop_assert_eq!(Style::default().render(&parsed), text.as_bytes());
            let snapshot = Snapshot::from_bytes(Path::new("t.toml"), Some(text.clone().into_bytes())).unwrap();
            prop_assert!(snapshot.doc.is_none());
            let parsed_key = Key::parse(key).unwrap();
            prop_assert_eq!(snapshot.get(key).ok(), Ok::<_, Error>(doc::get(&parsed, &parsed_key)).ok());

            let (mut lazy, mut full) = (as_text(&text), with_document(&text));
            let lazy_result = lazy.set_str(key, value).map_err(|e| e.to_string());
            let full_result = full.set_str(key, value).map_err(|e| e.to_string());
            prop_assert_eq!(&lazy_result, &full_result);
            for (unset, key, value) in &ops {
                let (lazy_result, full_result) = if *unset {
                    (lazy.unset(key).map(|b| b.to_string()), full.unset(key).map(|b| b.to_string()))
                } else {
                    (lazy.set_str(key, value).map(|()| String::new()), full.set_str(key, value).map(|()| String::new()))
                };
                prop_assert_eq!(lazy_result.map_err(|e| e.to_string()), full_result.map_err(|e| e.to_string()));
                prop_assert_eq!(lazy.rendered(), full.rendered(), "after {} {}", unset, key);
            }
            prop_assert_eq!(lazy.get(key).unwrap(), full.get(key).unwrap());
            prop_assert_eq!(lazy.entries(), full.entries());
            // The values under some tables and keys, read from the text or the document.
            let under: Vec<Key> = [
                "server", "profiles", "profiles.a", "a", "a.b", "x", "server.url", "profiles.\"a.b\"",
            ].iter().map(|k| Key::parse(k).unwrap()).collect();
            for keys in [&under[..], &under[2..3], &under[6..]] {
                prop_assert_eq!(lazy.entries_under(keys), full.entries_under(keys));
                prop_assert_eq!(snapshot.entries_under(keys), doc::flatten_at_all(&parsed, keys));
            }
            let (lazy_changes, lazy_bytes) = finish(lazy);
            let (full_changes, full_bytes) = finish(full);
            prop_assert_eq!(
                String::from_utf8_lossy(&lazy_bytes),
                String::from_utf8_lossy(&full_bytes)
            );
            prop_assert_eq!(format!("{lazy_changes:?}"), format!("{full_changes:?}"));
        }

        /// A batch of field edits makes the bytes, the values and the change set of the same
        /// edits made one by one, as text and as a document; a refused value is the same error.
        #[test]
        fn a_batch_of_field_edits_is_its_edits_one_by_one(
            lines in prop::collection::vec(line(), 0..12),
            table in prop::sample::select(vec![
                "server", "profiles.a", "profiles.b", "profiles.c", "previous-server", "a",
            ]),
            // (field, set or remove, which of its values: the last one is refused).
            fields in prop::collection::vec((0..7usize, any::<bool>(), 0..12usize), 0..7),
        ) {
            let text = lines.join("\n") + "\n";
            if scan::entries(&text).is_none() {
                return Ok(());
            }
            let values: [(&str, &[&str]); 7] = [
                ("url", &["http://m.example", "https://n.example:8443", "ns3"]),
                ("namespace", &["ns3", "b", "Bad"]),
                ("tls-verify", &["true", "false"]),
                ("timeout", &["10s", "2m", "soon"]),
                ("profile", &["a", "b", ""]),
                ("ca-cert", &["/no/such/ca.pem"]),
                ("x", &["kept"]),
            ];
            let fields: Vec<(&str, Option<Value>)> = fields
                .iter()
                .map(|&(field, set, pick)| {
                    let (name, choices) = values[field];
                    // Mostly a valid value: the refused one a twelfth of the time.
                    let pick = match pick {
                        11 => choices.len() - 1,
                        _ => pick % choices.len().saturating_sub(1).max(1),
                    };
                    let value = set.then(|| match name {
                        "tls-verify" => Value::Bool(choices[pick] == "true"),
                        _ => Value::String(choices[pick].to_string()),
                    });
                    (name, value)
                })
                .collect();
            let one_by_one = |tx: &mut Transaction| -> Result<()> {
                if tx.get(table)?.is_some() {
                    tx.unset(table)?;
                }
                for (field, value) in &fields {
                    let key = format!("{table}.{field}");
                    match value {
                        Some(value) => tx.set(&key, value.clone())?,
                        None => {
                            tx.unset(&key)?;
                        }
                    }
                }
                Ok(())
            };
            let mut batch = as_text(&text);
            let (mut lazy, mut full) = (as_text(&text), with_document(&text));
            let batch_result = batch.set_table(table, &fields).map_err(|e| e.to_string());
            let lazy_result = one_by_one(&mut lazy).map_err(|e| e.to_string());
            let full_result = one_by_one(&mut full).map_err(|e| e.to_string());
            prop_assert_eq!(&batch_result, &lazy_result);
            prop_assert_eq!(&batch_result, &full_result);
            if batch_result.is_err() {
                // The caller's transaction fails: what the edits before the error did is
                // never written.
                return Ok(());
            }
            let (batch_text, lazy_text) = (batch.rendered(), lazy.rendered());
            prop_assert_eq!(
                String::from_utf8_lossy(&batch_text),
                String::from_utf8_lossy(&lazy_text)
            );
            prop_assert_eq!(batch.rendered(), full.rendered());
            prop_assert_eq!(batch.entries(), full.entries());
            let (batch_changes, batch_bytes) = finish(batch);
            let (full_changes, full_bytes) = finish(full);
            prop_assert_eq!(batch_bytes, full_bytes);
            prop_assert_eq!(format!("{batch_changes:?}"), format!("{full_changes:?}"));
        }

        /// Arbitrary text over TOML's punctuation: never accepted unless it is TOML.
        #[test]
        fn the_reader_accepts_only_toml(text in "[a-c\\[\\].=\"'# \\t\\n\\r\\\\]{0,40}") {
            if scan::entries(&text).is_some() {
                prop_assert!(doc::parse(Path::new("t.toml"), text.as_bytes()).is_ok(), "{text:?}");
            }
        }
    }

    /// The passes over the text `edit` makes, and the text it leaves (`None`: a document).
    fn passes(text: &str, edit: impl FnOnce(&mut Transaction)) -> (usize, Option<String>) {
        let mut tx = as_text(text);
        let before = scan::PASSES.with(|p| p.get());
        edit(&mut tx);
        let after = scan::PASSES.with(|p| p.get());
        (after - before, tx.doc.is_none().then(|| tx.text.clone()))
    }

    #[test]
    fn a_connections_fields_are_written_in_one_pass_over_the_text() {
        let text = "# mine\n[server]\nurl = \"http://a.example\"  # here\nnamespace = \"a\"\ntls-verify = true\ntimeout = \"5s\"\nprofile = \"a\"\n\n[profiles.a]\nurl = \"http://a.example\"\n";
        let fields = |url: &str| {
            vec![
                ("url", Some(Value::String(url.to_string()))),
                ("namespace", Some(Value::String("b".into()))),
                ("tls-verify", Some(Value::Bool(false))),
                ("ca-cert", None),
                ("timeout", None),
                ("x", Some(Value::String("kept".into()))),
            ]
        };
        let one_by_one = |tx: &mut Transaction| {
            tx.set_str("server.url", "http://b.example").unwrap();
            tx.set_str("server.namespace", "b").unwrap();
            tx.set("server.tls-verify", false).unwrap();
            tx.unset("server.ca-cert").unwrap();
            tx.unset("server.timeout").unwrap();
        };
        let (many, expected) = passes(text, one_by_one);
        assert_eq!(many, 5);
        let expected = expected.unwrap();
        assert_eq!(
            expected,
            "# mine\n[server]\nurl = \"http://b.example\"  # here\nnamespace = \"b\"\ntls-verify = false\nprofile = \"a\"\n\n[profiles.a]\nurl = \"http://a.example\"\n"
        );
        let (one, written) = passes(text, |tx| {
            tx.set_table("server", &fields("http://b.example")[..5])
                .unwrap()
        });
        assert_eq!((one, written.as_deref()), (1, Some(expected.as_str())));
        // A new table: its header and its values, after its parent's last table.
        let (one, written) = passes(text, |tx| {
            tx.set_table("profiles.b", &fields("http://b.example")[..5])
                .unwrap()
        });
        assert_eq!(one, 1);
        assert_eq!(
            written.unwrap(),
            format!("{text}\n[profiles.b]\nurl = \"http://b.example\"\nnamespace = \"b\"\ntls-verify = false\n")
        );
        // Edge cases, each the same bytes as the edits one by one: (text, table, fields,
        // edited in one pass).
        let s = |v: &str| Some(Value::String(v.to_string()));
        let a = "[server]\nurl = \"http://a.example\"\n\n[profiles.a]\nurl = \"http://b.example\"\n# about b\n\n[profiles.b]\nurl = \"http://c.example\"\nnamespace = \"b\"\n";
        type Fields<'a> = Vec<(&'a str, Option<Value>)>;
        let cases: Vec<(&str, &str, Fields, bool)> = vec![
            // A table's only value: the table goes with it, as the document removes it.
            (a, "profiles.a", vec![("url", None)], false),
            (
                a,
                "profiles.a",
                vec![("url", None), ("namespace", s("n"))],
                false,
            ),
            // Added, then the value before it removed; removed, then one added.
            (
                a,
                "profiles.a",
                vec![("namespace", s("n")), ("url", None)],
                true,
            ),
            (
                a,
                "profiles.b",
                vec![("namespace", None), ("timeout", s("1s"))],
                true,
            ),
            (
                a,
                "profiles.b",
                vec![
                    ("timeout", s("1s")),
                    ("namespace", None),
                    ("tls-verify", Some(Value::Bool(true))),
                ],
                true,
            ),
            (
                a,
                "profiles.b",
                vec![("url", None), ("namespace", None), ("timeout", s("1s"))],
                false,
            ),
            // A new table: removals first find nothing; values go in order.
            (
                a,
                "profiles.c",
                vec![
                    ("timeout", None),
                    ("url", s("http://d.example")),
                    ("namespace", s("d")),
                ],
                true,
            ),
            (a, "profiles.c", vec![("timeout", None)], true),
            // Twice the same field: one by one.
            (
                a,
                "profiles.b",
                vec![("namespace", s("x")), ("namespace", None)],
                false,
            ),
            // A table with a subtable keeps its header when its last value goes; a value
            // added to the empty table then is the document's to place.
            (
                "[server]\nurl = \"http://a.example\"\n\n[server.extra]\nx = true\n",
                "server",
                vec![("url", None)],
                true,
            ),
            (
                "[server]\nurl = \"http://a.example\"\n\n[server.extra]\nx = true\n",
                "server",
                vec![("url", None), ("namespace", s("n"))],
                false,
            ),
            // A value the text would write with an escape: the document writes it.
            (
                a,
                "server",
                vec![
                    ("namespace", s("n")),
                    ("tls-verify", Some(Value::Bool(true))),
                    ("profile", s("a'b\"c")),
                ],
                false,
            ),
            // A value of the file's root before the table: still one pass.
            (
                "x = true\n[server]\nurl = \"http://a.example\"\n",
                "server",
                vec![("namespace", s("n"))],
                true,
            ),
            // A value where the table belongs goes, whatever the fields.
            (
                "server = \"http://a.example\"\n[x]\ny = true\n",
                "server",
                vec![("timeout", None)],
                false,
            ),
            (
                "[profiles]\na = \"x\"\nb = true\n",
                "profiles.a",
                vec![("url", s("http://a.example"))],
                false,
            ),
            // No last newline: one by one.
            (
                "[server]\nurl = \"http://a.example\"",
                "server",
                vec![("namespace", s("n"))],
                false,
            ),
        ];
        for (text, table, fields, in_one) in cases {
            let (count, batch) = passes(text, |tx| tx.set_table(table, &fields).unwrap());
            let (_, expected) = passes(text, |tx| {
                if tx.get(table).unwrap().is_some() {
                    tx.unset(table).unwrap();
                }
                for (field, value) in &fields {
                    let key = format!("{table}.{field}");
                    match value {
                        Some(value) => tx.set(&key, value.clone()).unwrap(),
                        None => drop(tx.unset(&key).unwrap()),
                    }
                }
            });
            assert_eq!(batch, expected, "{table} {fields:?} in {text:?}");
            assert_eq!(
                count == 1,
                in_one,
                "{count} passes: {table} {fields:?} in {text:?}"
            );
        }
        // Names that are not bare keys: `profiles."a.b"` is not the `[profiles.a.b]` of the
        // text, and an empty field is no key.
        let dotted = "[server]\nurl = \"http://a.example\"\n\n[profiles.a.b]\nurl = \"http://b.example\"\nnamespace = \"b\"\n";
        let quoted = [
            ("profiles.\"a.b\"", "url", None),
            ("profiles.\"a.b\"", "url", s("http://q.example")),
            ("server", "", None),
            ("server", "a b", s("x")),
        ];
        for (table, field, value) in quoted {
            let mut batch = as_text(dotted);
            let batch_result = batch
                .set_table(table, &[(field, value.clone())])
                .map_err(|e| e.to_string());
            let mut lazy = as_text(dotted);
            let key = Key::from_segments(Key::parse(table).unwrap().segments().chain([field]));
            let lazy_result = match value {
                Some(value) => lazy.set(&key.to_string(), value),
                None => lazy.unset(&key.to_string()).map(|_| ()),
            }
            .map_err(|e| e.to_string());
            assert_eq!(batch_result, lazy_result, "{table} {field}");
            assert_eq!(batch.rendered(), lazy.rendered(), "{table} {field}");
        }
        // An unknown field is refused, as `set` refuses it (the transaction then writes
        // nothing).
        let mut tx = as_text(text);
        let err = tx
            .set_table("server", &fields("http://b.example"))
            .unwrap_err();
        assert!(err.to_string().contains("`server.x`"), "{err}");
    }

    #[test]
    fn a_whole_table_is_removed_as_text_with_the_documents_bytes() {
        let server = "[server]\nurl = \"http://s\"\n";
        // (text, table to remove, removed as text)
        let cases = [
            (format!("{server}\n[profiles.a]\nurl = \"http://a\"\nx = true\n\n[profiles.b]\nurl = \"http://b\"\n"), "profiles.a", true),
            (format!("{server}\n[profiles.a]\nurl = \"http://a\"\n[profiles.b]\nurl = \"http://b\"\n"), "profiles.a", true),
            (format!("{server}[profiles.a]\nurl = \"http://a\"\n\n[profiles.b]\nurl = \"http://b\"\n"), "profiles.a", true),
            (format!("{server}\n[profiles.a]\nurl = \"http://a\"\n\n[profiles.b]\nurl = \"http://b\"\n"), "profiles.b", true),
            (format!("{server}\n  [profiles.a]  # a\n# about url\nurl = \"http://a\"  # u\n \n[profiles.b]\n"), "profiles.a", true),
            (format!("{server}\n[profiles.a]\n\n[profiles.c]\ny = true\n\n"), "profiles.a", true),
            (format!("{server}\n[profiles.a]\n\n[x]\ny = true\n\n"), "profiles.a", false),
            (format!("{server}\n[x]\n\n[y]\nz = true\n"), "x", true),
            (format!("x = true\n{server}\n[y]\nz = true\n"), "y", true),
            // A comment above the header, or after the last value: the document decides.
            (format!("{server}\n# about a\n[profiles.a]\nurl = \"http://a\"\n\n[profiles.b]\n"), "profiles.a", false),
            (format!("{server}\n[profiles.a]\nurl = \"http://a\"\n# end of a\n\n[profiles.b]\n"), "profiles.a", false),
            // The first table, a table with subtables, the last of its parent's tables.
            (format!("{server}\n[profiles.a]\nurl = \"http://a\"\n"), "server", false),
            (format!("{server}\n[profiles.a]\nurl = \"http://a\"\n[profiles.a.b]\nx = true\n"), "profiles.a", false),
            (format!("{server}\n[profiles.a]\nurl = \"http://a\"\n"), "profiles.a", false),
            (format!("{server}\n[profiles]\n[profiles.a]\nurl = \"http://a\"\n"), "profiles.a", false),
            (format!("{server}\n[profiles]\nx = true\n[profiles.a]\nurl = \"http://a\"\n"), "profiles.a", true),
        ];
        // A text without its last newline: a value is still replaced in place, and the text
        // keeps its end as it is.
        let mut lazy = as_text("[server]\nurl = \"http://a\"");
        lazy.set_str("server.url", "http://b").unwrap();
        assert!(lazy.doc.is_none());
        assert_eq!(lazy.rendered(), b"[server]\nurl = \"http://b\"");
        // A table the transaction added has no place in the document's order.
        let text = "[profiles.b]\n[server]\n";
        let (mut lazy, mut full) = (as_text(text), with_document(text));
        for tx in [&mut lazy, &mut full] {
            tx.set_str("profiles.a.url", "http://a").unwrap();
            assert!(tx.unset("profiles.a").unwrap());
        }
        assert_eq!(lazy.rendered(), full.rendered());
        assert_eq!(lazy.rendered(), text.as_bytes());
        for (text, table, as_text_edit) in cases {
            let (mut lazy, mut full) = (as_text(&text), with_document(&text));
            assert!(lazy.unset(table).unwrap(), "{text:?} {table}");
            assert!(full.unset(table).unwrap());
            assert_eq!(lazy.doc.is_none(), as_text_edit, "{text:?} {table}");
            let (lazy_changes, lazy_bytes) = finish(lazy);
            let (full_changes, full_bytes) = finish(full);
            assert_eq!(
                String::from_utf8_lossy(&lazy_bytes),
                String::from_utf8_lossy(&full_bytes),
                "{text:?} {table}"
            );
            assert_eq!(format!("{lazy_changes:?}"), format!("{full_changes:?}"));
        }
    }

    #[test]
    fn edits_under_an_edited_table_keep_their_first_values() {
        let text = "[server]\nurl = \"http://a\"\nnamespace = \"n\"\n";
        let mut tx = as_text(text);
        tx.set_str("server.url", "http://b").unwrap();
        tx.unset("server").unwrap();
        tx.set_str("server.timeout", "5s").unwrap();
        tx.unset("server.timeout").unwrap();
        let (changes, bytes) = finish(tx);
        let changes = changes.unwrap();
        let shown: Vec<String> = changes
            .changes()
            .iter()
            .map(|c| format!("{} {:?} {:?}", c.key, c.old, c.new))
            .collect();
        assert_eq!(
            shown,
            [
                "server.namespace Some(String(\"n\")) None",
                "server.url Some(String(\"http://a\")) None",
            ]
        );
        assert_eq!(bytes, b"");
        // Replacing the document compares everything.
        let mut tx = as_text(text);
        tx.replace_document("[server]\nurl = \"http://c\"\n", Path::new("e.toml"))
            .unwrap();
        let (changes, _) = finish(tx);
        assert_eq!(changes.unwrap().len(), 2);
    }

    #[test]
    fn a_plain_file_answers_tables_missing_keys_and_its_text_without_a_document() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        let text = "# keep\n[server]\nurl = \"http://a\"  # here\n";
        std::fs::write(&path, text).unwrap();
        let store = ConfigStore::open(&path);
        assert_eq!(store.get("server").unwrap(), None);
        assert_eq!(store.get("server.namespace").unwrap(), None);
        assert!(store.get("server.ulr").is_err());
        let snapshot = store.load().unwrap();
        assert!(snapshot.doc.is_none());
        assert_eq!(snapshot.text(), text);
        assert_eq!(snapshot.get("server").unwrap(), None);
        assert!(snapshot.get("server.ulr").is_err());
        let tx = as_text(text);
        assert_eq!(tx.get("server").unwrap(), None);
        // A quoted segment is one name: `profiles."a.b"` is not the table `profiles.a.b`.
        std::fs::write(&path, "[profiles.a.b]\nurl = \"http://x\"\n").unwrap();
        assert!(store.get("profiles.\"a.b\".url").is_err());
        let mut tx = as_text("[profiles.a]\nurl = \"http://a\"\n");
        let key = Key::parse("profiles.\"a.b\".url").unwrap();
        assert!(!tx.assign_in_text(&key, &Value::from("http://x")));
    }

    #[test]
    fn values_and_places_the_text_cannot_take_build_the_document() {
        let key = |k: &str| Key::parse(k).unwrap();
        let mut tx = as_text("[server]\nurl = \"http://a\"\n[a.b]\nx = true\n");
        // Both quotes (or a backslash): only an escaped string holds it.
        assert!(!tx.assign_in_text(&key("server.url"), &Value::from("a'b\"c")));
        // A table where a value would go.
        assert!(!tx.assign_in_text(&key("a.b"), &Value::Bool(true)));
        assert!(tx.doc.is_none() && tx.log.is_empty());
        // The document takes over and gives the same answer as ever.
        tx.set_str("server.namespace", "ns").unwrap();
        tx.unset("a").unwrap();
        tx.materialize().unwrap();
        assert!(tx.doc.is_some());
        let (changes, bytes) = finish(tx);
        assert_eq!(changes.unwrap().len(), 2);
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "[server]\nurl = \"http://a\"\nnamespace = \"ns\"\n"
        );
    }

    #[test]
    fn a_file_that_is_not_plain_is_read_by_the_borrowed_parse_or_the_document() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        // CRLF line ends and an integer: not plain.
        let text = "[server]\r\nurl = \"http://a\"\r\ntls-verify = false\r\nn = 1\r\nv = \"x\"\r\n";
        std::fs::write(&path, text).unwrap();
        let store = ConfigStore::open(&path);
        assert_eq!(
            store.get("server.url").unwrap(),
            Some(Value::from("http://a"))
        );
        assert_eq!(
            store.get("server.tls-verify").unwrap(),
            Some(Value::Bool(false))
        );
        assert_eq!(store.get("server.namespace").unwrap(), None);
        assert_eq!(store.get("profiles.p.url").unwrap(), None);
        assert_eq!(store.get("server.n").unwrap(), Some(Value::Integer(1)));
        // A value where a table would be: the document says there is nothing.
        assert!(store.get("server.v.url").is_err());
        assert!(store.load().unwrap().doc.is_some());
    }
}
