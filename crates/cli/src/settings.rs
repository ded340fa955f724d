//! Where a value comes from: the file, overridden by environment variables, completed by
//! defaults (and, for a command, its flags). Every command reads values through here; the
//! connection those values describe is [`crate::connection`].

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use cleveragents_config::{schema, Key, Snapshot, Value};

use crate::connection::ServerSettings;
use crate::env::Override;
use crate::error::{in_file, place, set_command, CommandError};

/// Where an effective value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The configuration file (one path shared by all of its values).
    File(Arc<Path>),
    /// An environment variable.
    Env(&'static str),
    /// A command-line flag, such as `--timeout`.
    Flag(&'static str),
    /// The key's default.
    Default,
}

impl Origin {
    /// `file`, `env`, `flag` or `default`.
    pub fn kind(&self) -> &'static str {
        match self {
            Origin::File(_) => "file",
            Origin::Env(_) => "env",
            Origin::Flag(_) => "flag",
            Origin::Default => "default",
        }
    }

    /// `{"origin": KIND, "source": SOURCE}`: the one way every `--json` report says where a
    /// value comes from (`get` and `list` put the two fields in each row).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({ "origin": self.kind(), "source": self.source() })
    }

    /// The file path or the variable name; `None` for a default.
    pub fn source(&self) -> Option<String> {
        match self {
            Origin::File(path) => Some(path.display().to_string()),
            Origin::Env(var) | Origin::Flag(var) => Some((*var).to_string()),
            Origin::Default => None,
        }
    }
}

/// `file:PATH`, `env:VAR` or `default`, as `config list --show-origin` prints it.
impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.source() {
            Some(source) => write!(f, "{}:{source}", self.kind()),
            None => f.write_str(self.kind()),
        }
    }
}

/// One effective value.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key.
    pub key: Key,
    /// The value in effect.
    pub value: Value,
    /// Where it comes from.
    pub origin: Origin,
}

impl Entry {
    /// `{"key", "value", "origin", "source"}`: a row of `config get` and `config list`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut row = self.origin.to_json();
        row["key"] = self.key.to_string().into();
        row["value"] = serde_json::to_value(&self.value).unwrap_or_default();
        row
    }
}

/// Every value of the file, with environment overrides applied (an overridden value takes
/// the override's place; an override of a key the file lacks comes after the file's values),
/// and, with `include_defaults`, the defaults of unset `server.*` keys.
pub fn effective(
    snapshot: &Snapshot,
    path: &Path,
    overrides: &[Override],
    include_defaults: bool,
) -> Vec<Entry> {
    let mut entries = Vec::new();
    visit_effective(snapshot, path, overrides, include_defaults, |e| {
        entries.push(e)
    });
    entries
}

/// [`effective`] over the file's values `file` (all of them, or those of some tables).
pub fn effective_of(
    file: Vec<(Key, Value)>,
    path: &Path,
    overrides: &[Override],
    include_defaults: bool,
) -> Vec<Entry> {
    let mut entries = Vec::with_capacity(file.len());
    let each = |value: &mut dyn FnMut(Key, Value)| file.into_iter().for_each(|(k, v)| value(k, v));
    in_effect(each, path, overrides, include_defaults, |e| entries.push(e));
    entries
}

/// Calls `visit` with each value of [`effective`], in its order, without listing them first
/// (a listing of a large file holds none of its values).
pub fn visit_effective(
    snapshot: &Snapshot,
    path: &Path,
    overrides: &[Override],
    include_defaults: bool,
    visit: impl FnMut(Entry),
) {
    let each = |value: &mut dyn FnMut(Key, Value)| snapshot.visit_entries(value);
    in_effect(each, path, overrides, include_defaults, visit);
}

/// The rule of [`effective`], over the file's values as `each_file_value` hands them out.
fn in_effect(
    each_file_value: impl FnOnce(&mut dyn FnMut(Key, Value)),
    path: &Path,
    overrides: &[Override],
    include_defaults: bool,
    mut visit: impl FnMut(Entry),
) {
    let path: Arc<Path> = Arc::from(path);
    let overriding = |o: &Override| Entry {
        key: o.key.clone(),
        value: o.value.clone(),
        origin: Origin::Env(o.var),
    };
    // Which overrides took a file value's place; the `server.*` keys listed (for defaults).
    let mut placed = vec![false; overrides.len()];
    let mut server_keys: Vec<Key> = Vec::new();
    let mut note = |key: &Key| {
        if include_defaults && crate::connection::is_server_key(key) {
            server_keys.push(key.clone());
        }
    };
    each_file_value(&mut |key, value| {
        // The last override of a key wins.
        let entry = match overrides.iter().rposition(|o| o.key == key) {
            Some(at) => {
                placed[at] = true;
                overriding(&overrides[at])
            }
            None => Entry {
                key,
                value,
                origin: Origin::File(Arc::clone(&path)),
            },
        };
        note(&entry.key);
        visit(entry);
    });
    // Overrides of keys the file lacks come after its values (the last of a key only).
    for (at, o) in overrides.iter().enumerate() {
        let last = overrides[at + 1..].iter().all(|later| later.key != o.key);
        if last && !placed[at] {
            note(&o.key);
            visit(overriding(o));
        }
    }
    if !include_defaults {
        return;
    }
    for spec in schema::KEYS
        .iter()
        .filter(|s| s.pattern.starts_with("server."))
    {
        let (Some(default), Ok(key)) = (spec.default, Key::parse(spec.pattern)) else {
            continue;
        };
        if server_keys.contains(&key) {
            continue;
        }
        if let Ok(value) = spec.parse(&key, default) {
            visit(Entry {
                key,
                value,
                origin: Origin::Default,
            });
        }
    }
}

/// The value in effect for one key: an override, else the file, else the key's default
/// (for a profile's key, only when the profile exists). `Ok(None)` when there is none.
/// An unknown key the file does not contain is refused with a did-you-mean suggestion.
pub fn lookup(
    snapshot: &Snapshot,
    path: &Path,
    overrides: &[Override],
    key: &Key,
) -> Result<Option<Entry>, CommandError> {
    if let Some(o) = overrides.iter().find(|o| o.key == *key) {
        return Ok(Some(Entry {
            key: key.clone(),
            value: o.value.clone(),
            origin: Origin::Env(o.var),
        }));
    }
    if let Some(value) = snapshot.get(&key.to_string())? {
        return Ok(Some(Entry {
            key: key.clone(),
            value,
            origin: Origin::File(Arc::from(path)),
        }));
    }
    let Some(spec) = schema::lookup(key) else {
        return Ok(None);
    };
    let applies = match key.to_array() {
        Some(["profiles", name, _]) => {
            let profile = Key::root("profiles").child(name);
            snapshot
                .entries()
                .iter()
                .any(|(k, _)| k.starts_with(&profile))
        }
        // Every other known key is a `server.` key.
        _ => true,
    };
    Ok(spec
        .default
        .filter(|_| applies)
        .and_then(|default| spec.parse(key, default).ok())
        .map(|value| Entry {
            key: key.clone(),
            value,
            origin: Origin::Default,
        }))
}

/// The `server.*` values in effect and where each comes from.
pub fn server_origins(entries: &[Entry]) -> BTreeMap<String, Origin> {
    entries
        .iter()
        .filter(|e| crate::connection::is_server_key(&e.key))
        .map(|e| (e.key.leaf().to_string(), e.origin.clone()))
        .collect()
}

/// A value read from the file, checked by its key's rule: a value that breaks it is a runtime
/// error naming the file, the same verdict `server status` and `config validate` give.
/// Profile keys are checked by their field whatever the profile's name; unknown keys pass.
/// `line` finds the value's line in the file for the message (`path:line: ...`).
pub fn checked(
    key: &Key,
    value: Value,
    path: &Path,
    line: impl FnOnce() -> Option<usize>,
) -> Result<Value, CommandError> {
    let spec = match key.to_array() {
        Some(["profiles", _, field]) => schema::server_field(field),
        _ => schema::lookup(key),
    };
    let Some(spec) = spec else {
        return Ok(value);
    };
    spec.check_stored(key, value)
        .map_err(|e| invalid_in_file(path, line(), &e.to_string()))
}

/// The one verdict on a value in the file that breaks its key's rule: a runtime failure
/// (exit 1) naming the file and the value's line, whichever command read it.
pub fn invalid_in_file(path: &Path, line: Option<usize>, message: &str) -> CommandError {
    CommandError::failure(format!("{}: {message}", place(path, line)))
        .with_hint("fix it with `cleveragents config set KEY VALUE` or `cleveragents config edit`")
}

/// The one verdict ([`invalid_in_file`]) on `e`, an invalid value found reading the file at
/// `path`.
pub fn invalid_value(
    path: &Path,
    e: &cleveragents_config::Error,
    line_of: impl FnOnce(&Key) -> Option<usize>,
) -> CommandError {
    CommandError::failure(in_file(path, e, line_of)).with_hint(format!(
        "fix it with {} or `cleveragents config edit`",
        set_command(e)
    ))
}

/// Every value in the file (not hidden by an override) checked by its key's rule, the first
/// that breaks it reported with its line.
pub fn check_file<'a>(
    snapshot: &Snapshot,
    path: &Path,
    entries: impl IntoIterator<Item = &'a Entry>,
) -> Result<(), CommandError> {
    for entry in entries
        .into_iter()
        .filter(|e| matches!(e.origin, Origin::File(_)))
    {
        checked(&entry.key, entry.value.clone(), path, || {
            snapshot.line_of(&entry.key)
        })?;
    }
    Ok(())
}

/// The connection in effect (file, overrides, defaults), `Ok(None)` when no URL is set.
/// A value of the wrong type or breaking its rule in the file is a runtime error naming it.
/// `snapshot` is the file the entries come from, for the line of a value in it.
pub fn connection(
    entries: &[Entry],
    path: &Path,
    snapshot: &Snapshot,
) -> Result<Option<ServerSettings>, CommandError> {
    check_file(
        snapshot,
        path,
        entries
            .iter()
            .filter(|e| crate::connection::is_server_key(&e.key)),
    )?;
    let values = entries
        .iter()
        .filter(|e| crate::connection::is_server_key(&e.key))
        .map(|e| (e.key.leaf(), &e.value));
    ServerSettings::from_values("server", values).map_err(|e| {
        CommandError::failure(format!("{}: {e}", path.display())).with_hint(
            "fix it with `cleveragents config set KEY VALUE` or `cleveragents config edit`",
        )
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::connection::{profiles_of, DEFAULT_TIMEOUT};
    use cleveragents_config::ConfigStore;

    /// A store over a file holding `text`, in a directory the test owns.
    pub(crate) fn open(text: &str) -> (tempfile::TempDir, ConfigStore) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, text).unwrap();
        (dir, ConfigStore::open(path))
    }

    fn ov(var: &'static str, key: &str, value: Value) -> Override {
        Override {
            var,
            key: Key::parse(key).unwrap(),
            value,
        }
    }

    #[test]
    fn overrides_replace_file_values_and_defaults_fill_in() {
        let (_dir, store) = open("[server]\nurl = \"http://a\"\n[other]\nx = 1\n");
        let snap = store.load().unwrap();
        let overrides = [
            ov(
                "CLEVERAGENTS_SERVER_URL",
                "server.url",
                Value::from("http://b"),
            ),
            ov(
                "CLEVERAGENTS_SERVER_NAMESPACE",
                "server.namespace",
                Value::from("ns"),
            ),
        ];
        let entries = effective(&snap, store.path(), &overrides, true);
        let shown: Vec<String> = entries
            .iter()
            .map(|e| format!("{}={} {}", e.key, e.value, e.origin))
            .collect();
        let file = format!("file:{}", store.path().display());
        assert_eq!(
            shown,
            [
                "server.url=http://b env:CLEVERAGENTS_SERVER_URL".to_string(),
                format!("other.x=1 {file}"),
                "server.namespace=ns env:CLEVERAGENTS_SERVER_NAMESPACE".to_string(),
                "server.tls-verify=true default".to_string(),
                "server.timeout=10s default".to_string(),
            ]
        );
        let without = effective(&snap, store.path(), &[], false);
        assert_eq!(without.len(), 2);
        let origins = server_origins(&entries);
        assert_eq!(origins["url"].kind(), "env");
        assert_eq!(origins["timeout"].source(), None);
        let conn = connection(&entries, store.path(), &snap).unwrap().unwrap();
        assert_eq!(conn.url, "http://b");
        assert_eq!(conn.namespace, "ns");
        assert!(conn.tls_verify);
        assert_eq!(conn.timeout(), DEFAULT_TIMEOUT);
    }

    #[test]
    fn lookup_follows_env_then_file_then_default() {
        let (_dir, store) =
            open("[server]\nurl = \"http://a\"\n[profiles.p]\nurl = \"http://p\"\n");
        let snap = store.load().unwrap();
        let key = |k: &str| Key::parse(k).unwrap();
        let over = [ov(
            "CLEVERAGENTS_SERVER_URL",
            "server.url",
            Value::from("http://e"),
        )];
        let got = lookup(&snap, store.path(), &over, &key("server.url"))
            .unwrap()
            .unwrap();
        assert_eq!(got.origin, Origin::Env("CLEVERAGENTS_SERVER_URL"));
        let got = lookup(&snap, store.path(), &[], &key("server.url"))
            .unwrap()
            .unwrap();
        assert_eq!(got.origin.kind(), "file");
        let got = lookup(&snap, store.path(), &[], &key("server.tls-verify"))
            .unwrap()
            .unwrap();
        assert_eq!(
            (got.value, got.origin),
            (Value::Bool(true), Origin::Default)
        );
        let got = lookup(&snap, store.path(), &[], &key("profiles.p.namespace")).unwrap();
        assert_eq!(got.unwrap().value, Value::from("default"));
        assert_eq!(
            lookup(&snap, store.path(), &[], &key("profiles.q.namespace")).unwrap(),
            None
        );
        assert_eq!(
            lookup(&snap, store.path(), &[], &key("server.ca-cert")).unwrap(),
            None
        );
        assert_eq!(
            lookup(&snap, store.path(), &[], &key("server")).unwrap(),
            None
        );
        let err = lookup(&snap, store.path(), &[], &key("server.ulr")).unwrap_err();
        assert_eq!(err.hints(), ["did you mean `server.url`?"]);
    }

    #[test]
    fn a_value_without_a_line_is_named_by_the_file_alone() {
        let path = Path::new("/c.toml");
        let err = invalid_in_file(path, None, "bad");
        assert_eq!(err.message(), "/c.toml: bad");
        assert_eq!(err.exit().code(), 1);
        assert_eq!(
            invalid_in_file(path, Some(3), "bad").message(),
            "/c.toml:3: bad"
        );
    }

    #[test]
    fn bad_values_in_the_file_are_runtime_errors_naming_the_file() {
        let (_dir, store) = open("[server]\nurl = \"http://a\"\ntls-verify = \"yes\"\n");
        let snap = store.load().unwrap();
        let entries = effective(&snap, store.path(), &[], true);
        let err = connection(&entries, store.path(), &snap).unwrap_err();
        assert_eq!(err.exit().code(), 1);
        assert!(err.message().contains("server.tls-verify"), "{err}");
        assert!(err.message().contains("c.toml"), "{err}");

        let (_dir, store) =
            open("[profiles.p]\nurl = \"ftp://x\"\n[profiles.Q]\nurl = \"http://q\"\n");
        let snapshot = store.load().unwrap();
        let (found, warnings) = profiles_of(&snapshot, &snapshot.entries(), store.path());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "Q");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("profiles.p.url"), "{warnings:?}");
        assert!(warnings[0].contains("server forget p"), "{warnings:?}");
    }
}
