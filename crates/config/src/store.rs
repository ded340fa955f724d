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
        match doc::quick_get(bytes.as_deref().unwrap_or_default(), &parsed) {
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
                let version = Version(current.as_deref().map(Arc::from));
                if expected.is_some_and(|expected| *expected != version) {
                    return Err(Error::Conflict {
                        path: self.path.clone(),
                    });
                }
                let old_text = current.unwrap_or_default();
                let doc = match doc::parse(target, &old_text) {
                    Ok(doc) => doc,
                    // A repair starts from nothing: every value of the new text is checked.
                    Err(_) if repair => toml_edit::DocumentMut::new(),
                    Err(e) => return Err(e),
                };
                let before = doc::flatten(&doc);
                let mut tx = Transaction {
                    doc,
                    style: Style::of(&old_text),
                    replaced: false,
                };
                let value = change(&mut tx)?;
                let after = doc::flatten(&tx.doc);
                let changes = diff(before, after)?;
                // Only a change of values is written (the document may not round-trip byte for
                // byte); a replaced document is written if its text differs at all.
                if changes.is_empty() && !tx.replaced {
                    return Ok((None, (changes, value)));
                }
                let new_text = tx.style.render(&tx.doc);
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
fn diff(before: Vec<(Key, Value)>, after: Vec<(Key, Value)>) -> Result<ChangeSet> {
    let mut old: BTreeMap<Key, Value> = before.into_iter().collect();
    let mut changes = Vec::new();
    let mut problems = Vec::new();
    for (key, new) in after {
        let previous = old.remove(&key);
        if previous.as_ref() == Some(&new) {
            continue;
        }
        match schema::lookup(&key) {
            Some(spec) => {
                if let Err(e) = spec.check(&key, new.clone()) {
                    problems.push(e);
                }
            }
            None if previous.is_none() => problems.push(Error::UnknownKey {
                suggestion: schema::suggest(&key),
                key: key.to_string(),
            }),
            None => {}
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
    doc: DocumentMut,
    style: Style,
    version: Version,
}

impl Snapshot {
    fn from_bytes(path: &Path, bytes: Option<Vec<u8>>) -> Result<Snapshot> {
        let doc = doc::parse(path, bytes.as_deref().unwrap_or_default())?;
        Ok(Snapshot {
            doc,
            style: Style::of(bytes.as_deref().unwrap_or_default()),
            version: Version(bytes.map(Arc::from)),
        })
    }

    /// The version to pass to [`ConfigStore::transaction_if`].
    pub fn version(&self) -> &Version {
        &self.version
    }

    /// The file's text (empty when there is no file).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.style.render(&self.doc)).into_owned()
    }

    /// True when there is no file.
    pub fn is_missing(&self) -> bool {
        self.version.0.is_none()
    }

    /// See [`ConfigStore::get`].
    pub fn get(&self, key: &str) -> Result<Option<Value>> {
        let key = Key::parse(key)?;
        let value = doc::get(&self.doc, &key);
        if value.is_none() && doc::item(&self.doc, &key).is_none() {
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
        Ok(doc::inline_table(&self.doc, &Key::parse(key)?))
    }

    /// See [`ConfigStore::entries`].
    pub fn entries(&self) -> Vec<(Key, Value)> {
        doc::flatten(&self.doc)
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
#[derive(Debug)]
pub struct Transaction {
    doc: DocumentMut,
    style: Style,
    replaced: bool,
}

impl Transaction {
    /// The value of `key` as the transaction sees it (its own changes included).
    pub fn get(&self, key: &str) -> Result<Option<Value>> {
        Ok(doc::get(&self.doc, &Key::parse(key)?))
    }

    /// Every value as the transaction sees it (its own changes included), in document order:
    /// lets a caller replace a whole table, dropping keys it does not set again.
    pub fn entries(&self) -> Vec<(Key, Value)> {
        doc::flatten(&self.doc)
    }

    /// Sets a known key to a typed value, checked against the schema.
    pub fn set(&mut self, key: &str, value: impl Into<Value>) -> Result<()> {
        let key = Key::parse(key)?;
        let value = schema::require(&key)?.check(&key, value.into())?;
        doc::set(&mut self.doc, &key, &value)
    }

    /// Sets a known key from text as a user types it (`true`, `10s`, a URL), parsed by the
    /// key's type and checked against its rule.
    pub fn set_str(&mut self, key: &str, text: &str) -> Result<()> {
        let key = Key::parse(key)?;
        let value = schema::require(&key)?.parse(&key, text)?;
        doc::set(&mut self.doc, &key, &value)
    }

    /// Removes a key or a whole table (`server`), and tables the removal leaves empty.
    /// Returns whether anything was there. Unknown keys can be removed too.
    pub fn unset(&mut self, key: &str) -> Result<bool> {
        Ok(doc::remove(&mut self.doc, &Key::parse(key)?))
    }

    /// Replaces the whole document with `text` (as `config edit` does), keeping its
    /// formatting. Parse errors name `origin`; the new values are validated at commit.
    pub fn replace_document(&mut self, text: &str, origin: &Path) -> Result<()> {
        self.doc = doc::parse(origin, text.as_bytes())?;
        self.style = Style::of(text.as_bytes());
        self.replaced = true;
        Ok(())
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
