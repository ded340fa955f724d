//! Effective values: the file, overridden by environment variables, completed by defaults;
//! and [`ServerSettings`], the connection a `[server]` table or a profile describes.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use cleveragents_config::{schema, Key, Snapshot, Transaction, Value};
use serde::Serialize;

use crate::env::Override;
use crate::error::CommandError;

/// The probe timeout when none is configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where an effective value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The configuration file.
    File(PathBuf),
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
    let mut entries: Vec<Entry> = snapshot
        .entries()
        .into_iter()
        .map(|(key, value)| Entry {
            key,
            value,
            origin: Origin::File(path.to_path_buf()),
        })
        .collect();
    for o in overrides {
        let entry = Entry {
            key: o.key.clone(),
            value: o.value.clone(),
            origin: Origin::Env(o.var),
        };
        match entries.iter_mut().find(|e| e.key == o.key) {
            Some(existing) => *existing = entry,
            None => entries.push(entry),
        }
    }
    if include_defaults {
        for spec in schema::KEYS
            .iter()
            .filter(|s| s.pattern.starts_with("server."))
        {
            let (Some(default), Ok(key)) = (spec.default, Key::parse(spec.pattern)) else {
                continue;
            };
            if entries.iter().any(|e| e.key == key) {
                continue;
            }
            if let Ok(value) = spec.parse(&key, default) {
                entries.push(Entry {
                    key,
                    value,
                    origin: Origin::Default,
                });
            }
        }
    }
    entries
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
            origin: Origin::File(path.to_path_buf()),
        }));
    }
    let Some(spec) = schema::lookup(key) else {
        return Ok(None);
    };
    let applies = match key.segments() {
        [first, name, _] if first == "profiles" => {
            let profile = Key::parse(&format!("profiles.{name}"))?;
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

/// The connection a `[server]` table or a `[profiles.NAME]` table describes. In JSON its fields
/// are spelled as the file spells the keys (`tls-verify`, `ca-cert`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ServerSettings {
    /// The server URL, normalised.
    pub url: String,
    /// The namespace.
    pub namespace: String,
    /// Whether the server's TLS certificate is verified.
    pub tls_verify: bool,
    /// Absolute path of a PEM file of extra trusted CA certificates.
    pub ca_cert: Option<String>,
    /// The probe timeout as written (`10s`), when one is set.
    pub timeout: Option<String>,
}

impl ServerSettings {
    /// Reads the settings under `prefix` (`server` or `profiles.NAME`) from `(leaf, value)`
    /// pairs, checking each value by its key's rule. `Ok(None)` when there is no URL.
    pub fn from_values<'a>(
        prefix: &str,
        values: impl IntoIterator<Item = (&'a str, &'a Value)>,
    ) -> Result<Option<ServerSettings>, cleveragents_config::Error> {
        let mut found: BTreeMap<&str, Value> = BTreeMap::new();
        for (leaf, value) in values {
            // The schema says which fields a server table has; others are not a connection's.
            let Some(spec) = schema::server_field(leaf) else {
                continue;
            };
            let field = spec.pattern.strip_prefix("server.").unwrap_or(leaf);
            let key = Key::parse(&format!("{prefix}.{field}"))?;
            // By the field alone: a profile's values are checked whatever its name.
            let checked = spec.check_stored(&key, value.clone())?;
            found.insert(field, checked);
        }
        let text = |field: &str| found.get(field).and_then(Value::as_str).map(str::to_string);
        let Some(url) = text("url") else {
            return Ok(None);
        };
        // Unset fields take the schema's defaults.
        let default = |field: &str| schema::server_field(field).and_then(|spec| spec.default);
        Ok(Some(ServerSettings {
            url,
            namespace: text("namespace")
                .or_else(|| default("namespace").map(str::to_string))
                .unwrap_or_default(),
            tls_verify: found
                .get("tls-verify")
                .and_then(Value::as_bool)
                .unwrap_or(default("tls-verify") != Some("false")),
            ca_cert: text("ca-cert"),
            timeout: text("timeout"),
        }))
    }

    /// The probe timeout: the one set, or [`DEFAULT_TIMEOUT`].
    pub fn timeout(&self) -> Duration {
        self.timeout
            .as_deref()
            .and_then(|t| schema::parse_duration(t).ok())
            .unwrap_or(DEFAULT_TIMEOUT)
    }

    /// Makes the table at `prefix` hold exactly these settings, inside `tx`: every value is
    /// set, and every other key under `prefix` (from an earlier connection, or written by
    /// hand) is removed, so nothing leaks from one connection into the next. Comments and
    /// the table's place in the file are kept.
    pub fn write(
        &self,
        tx: &mut Transaction,
        prefix: &str,
    ) -> Result<(), cleveragents_config::Error> {
        let table = Key::parse(prefix)?;
        if tx.get(prefix)?.is_some() {
            // `server = "..."`: a value where the table belongs.
            tx.unset(prefix)?;
        }
        tx.set_str(&format!("{prefix}.url"), &self.url)?;
        tx.set_str(&format!("{prefix}.namespace"), &self.namespace)?;
        tx.set(&format!("{prefix}.tls-verify"), self.tls_verify)?;
        let mut keep = vec!["url", "namespace", "tls-verify"];
        if let Some(ca) = &self.ca_cert {
            tx.set_str(&format!("{prefix}.ca-cert"), ca)?;
            keep.push("ca-cert");
        }
        if let Some(timeout) = &self.timeout {
            tx.set_str(&format!("{prefix}.timeout"), timeout)?;
            keep.push("timeout");
        }
        let depth = table.segments().len() + 1;
        for (key, _) in tx.entries() {
            let ours = key.segments().len() == depth && keep.contains(&key.leaf());
            if key.starts_with(&table) && !ours {
                tx.unset(&key.to_string())?;
            }
        }
        Ok(())
    }
}

/// The `server.*` values in effect and where each comes from.
pub fn server_origins(entries: &[Entry]) -> BTreeMap<String, Origin> {
    entries
        .iter()
        .filter(|e| e.key.segments().len() == 2 && e.key.segments()[0] == "server")
        .map(|e| (e.key.leaf().to_string(), e.origin.clone()))
        .collect()
}

/// A value read from the file, checked by its key's rule: a value that breaks it is a runtime
/// error naming the file, the same verdict `server status` and `config validate` give.
/// Profile keys are checked by their field whatever the profile's name; unknown keys pass.
pub fn checked(key: &Key, value: Value, path: &Path) -> Result<Value, CommandError> {
    let spec = match key.segments() {
        [first, _, field] if first == "profiles" => schema::server_field(field),
        _ => schema::lookup(key),
    };
    let Some(spec) = spec else {
        return Ok(value);
    };
    spec.check_stored(key, value).map_err(|e| {
        CommandError::failure(format!("{}: {e}", path.display())).with_hint(
            "fix it with `cleveragents config set KEY VALUE` or `cleveragents config edit`",
        )
    })
}

/// The connection in effect (file, overrides, defaults), `Ok(None)` when no URL is set.
/// A value of the wrong type or breaking its rule in the file is a runtime error naming it.
pub fn connection(entries: &[Entry], path: &Path) -> Result<Option<ServerSettings>, CommandError> {
    let values = entries
        .iter()
        .filter(|e| e.key.segments().len() == 2 && e.key.segments()[0] == "server")
        .map(|e| (e.key.leaf(), &e.value));
    ServerSettings::from_values("server", values).map_err(|e| {
        CommandError::failure(format!("{}: {e}", path.display())).with_hint(
            "fix it with `cleveragents config set KEY VALUE` or `cleveragents config edit`",
        )
    })
}

/// Why replacing `[server]` with `new` would lose a connection the user has nowhere else, as
/// an error saying how to keep it; `None` when nothing would be lost: there is no connection,
/// it is the same as `new`, or a profile holds the same settings. Called inside the
/// transaction, so the answer is about the file as it is committed.
pub(crate) fn unsaved_connection(
    entries: &[(Key, Value)],
    new: Option<&ServerSettings>,
) -> Option<CommandError> {
    let values = entries
        .iter()
        .filter(|(key, _)| key.segments().len() == 2 && key.segments()[0] == "server")
        .map(|(key, value)| (key.leaf(), value));
    let current = match ServerSettings::from_values("server", values) {
        Ok(None) => return None,
        Ok(Some(current)) => current,
        Err(e) => {
            return Some(
                CommandError::failure(format!(
                    "the current [server] table is invalid ({e}) and would be replaced"
                ))
                .with_hint("fix it with `cleveragents config edit`, or pass --force to replace it"),
            )
        }
    };
    if new == Some(&current) || profiles_in(entries).iter().any(|p| p.settings == current) {
        return None;
    }
    Some(
        CommandError::failure(format!(
            "the current connection ({}, namespace {}) is saved in no profile; replacing it would lose it",
            current.url, current.namespace
        ))
        .with_hint(format!(
            "save it first: `{} --save-as NAME`",
            current.connect_command()
        ))
        .with_hint("or pass --force to replace it anyway"),
    )
}

/// Why saving `new` as profile `name` would overwrite a different profile of that name.
pub(crate) fn profile_overwrite(
    entries: &[(Key, Value)],
    name: &str,
    new: &ServerSettings,
) -> Option<CommandError> {
    let exists = entries.iter().any(|(key, _)| is_profile_key(key, name));
    if !exists {
        return None;
    }
    let same =
        ServerSettings::from_values(&format!("profiles.{name}"), profile_values(entries, name))
            .ok()
            .flatten()
            .is_some_and(|old| old == *new);
    if same {
        return None;
    }
    Some(
        CommandError::failure(format!(
            "a different profile named {name} exists; saving would overwrite it"
        ))
        .with_hint("choose another name for --save-as, or pass --force to overwrite it"),
    )
}

/// The key that records which profile the connection was made from (`server use`,
/// `--save-as`); it goes with `[server]`, so replacing or removing the connection clears it.
pub const CURRENT_PROFILE: &str = "server.profile";

/// The profile recorded as the connection's, if any.
pub(crate) fn current_profile(entries: &[(Key, Value)]) -> Option<String> {
    entries
        .iter()
        .find(|(key, _)| key.to_string() == CURRENT_PROFILE)
        .and_then(|(_, value)| value.as_str().map(str::to_string))
}

/// The fields (as the file spells them) in which the file's `[server]` differs from profile
/// `name`: what changed since the profile was used. Empty when they agree, or when either
/// is missing or invalid.
pub(crate) fn changed_since(entries: &[(Key, Value)], name: &str) -> Vec<&'static str> {
    let server = entries
        .iter()
        .filter(|(key, _)| key.segments().len() == 2 && key.segments()[0] == "server")
        .map(|(key, value)| (key.leaf(), value));
    let profile = profile_values(entries, name);
    let server = ServerSettings::from_values("server", server).ok().flatten();
    let profile = ServerSettings::from_values(&format!("profiles.{name}"), profile)
        .ok()
        .flatten();
    server
        .zip(profile)
        .map(|(server, profile)| server.differences(&profile))
        .unwrap_or_default()
}

/// True when `key` is under `profiles.NAME`.
pub(crate) fn is_profile_key(key: &Key, name: &str) -> bool {
    let segments = key.segments();
    segments.len() > 1 && segments[0] == "profiles" && segments[1] == name
}

impl ServerSettings {
    /// The fields, as the file spells them, whose values differ from `other`'s.
    pub fn differences(&self, other: &ServerSettings) -> Vec<&'static str> {
        [
            ("url", self.url != other.url),
            ("namespace", self.namespace != other.namespace),
            ("tls-verify", self.tls_verify != other.tls_verify),
            ("ca-cert", self.ca_cert != other.ca_cert),
            ("timeout", self.timeout != other.timeout),
        ]
        .into_iter()
        .filter_map(|(field, differs)| differs.then_some(field))
        .collect()
    }

    /// The `server connect` command that recreates these settings.
    pub fn connect_command(&self) -> String {
        let mut command = format!("cleveragents server connect {}", self.url);
        if self.namespace != "default" {
            command.push_str(&format!(" --namespace {}", self.namespace));
        }
        if !self.tls_verify {
            command.push_str(" --no-tls-verify");
        }
        if let Some(ca) = &self.ca_cert {
            command.push_str(&format!(" --ca-cert {ca}"));
        }
        if let Some(timeout) = &self.timeout {
            command.push_str(&format!(" --timeout {timeout}"));
        }
        command.push_str(" --no-check");
        command
    }
}

/// A saved profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Profile {
    /// Its name.
    pub name: String,
    /// Its settings.
    #[serde(flatten)]
    pub settings: ServerSettings,
}

/// Every profile of the file that has a URL, in file order, checked by the schema, and a
/// warning for each profile whose values break their rules (it is left out, not fatal).
pub fn profiles(snapshot: &Snapshot, path: &Path) -> (Vec<Profile>, Vec<String>) {
    let entries = snapshot.entries();
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for (name, values) in profile_groups(&entries) {
        match ServerSettings::from_values(&format!("profiles.{name}"), values) {
            Ok(Some(settings)) => out.push(Profile {
                name: name.to_string(),
                settings,
            }),
            Ok(None) => {}
            Err(e) => warnings.push(format!(
                "{}: {e}; profile {name} is left out (fix it with `cleveragents config edit`, or remove it with `cleveragents server forget {name}`)",
                path.display()
            )),
        }
    }
    (out, warnings)
}

/// The valid profiles among `entries` (those with a URL and valid values).
fn profiles_in(entries: &[(Key, Value)]) -> Vec<Profile> {
    profile_groups(entries)
        .into_iter()
        .filter_map(|(name, values)| {
            let settings = ServerSettings::from_values(&format!("profiles.{name}"), values)
                .ok()
                .flatten()?;
            Some(Profile {
                name: name.to_string(),
                settings,
            })
        })
        .collect()
}

/// The names of the profiles among `entries`, in file order.
pub(crate) fn profile_names(entries: &[(Key, Value)]) -> Vec<&str> {
    profile_groups(entries)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// A profile's `(leaf, value)` pairs.
type ProfileValues<'a> = Vec<(&'a str, &'a Value)>;

/// The profiles among `entries` in file order, each with its values, in one pass over the
/// entries (a file may hold 100,000 profiles).
fn profile_groups(entries: &[(Key, Value)]) -> Vec<(&str, ProfileValues<'_>)> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut groups: Vec<(&str, ProfileValues<'_>)> = Vec::new();
    for (key, value) in entries {
        if let [first, name, leaf] = key.segments() {
            if first == "profiles" {
                let at = *index.entry(name).or_insert_with(|| {
                    groups.push((name, Vec::new()));
                    groups.len() - 1
                });
                groups[at].1.push((leaf, value));
            }
        }
    }
    groups
}

/// The values of `profiles.NAME.*` among `entries`, as `(leaf, value)`.
pub(crate) fn profile_values<'a>(
    entries: &'a [(cleveragents_config::Key, cleveragents_config::Value)],
    name: &'a str,
) -> impl Iterator<Item = (&'a str, &'a cleveragents_config::Value)> + 'a {
    entries
        .iter()
        .filter_map(move |(key, value)| match key.segments() {
            [first, n, leaf] if first == "profiles" && n == name => Some((leaf.as_str(), value)),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cleveragents_config::ConfigStore;

    fn open(text: &str) -> (tempfile::TempDir, ConfigStore) {
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
        let conn = connection(&entries, store.path()).unwrap().unwrap();
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
    fn bad_values_in_the_file_are_runtime_errors_naming_the_file() {
        let (_dir, store) = open("[server]\nurl = \"http://a\"\ntls-verify = \"yes\"\n");
        let snap = store.load().unwrap();
        let entries = effective(&snap, store.path(), &[], true);
        let err = connection(&entries, store.path()).unwrap_err();
        assert_eq!(err.exit().code(), 1);
        assert!(err.message().contains("server.tls-verify"), "{err}");
        assert!(err.message().contains("c.toml"), "{err}");

        let (_dir, store) =
            open("[profiles.p]\nurl = \"ftp://x\"\n[profiles.Q]\nurl = \"http://q\"\n");
        let (found, warnings) = profiles(&store.load().unwrap(), store.path());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "Q");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("profiles.p.url"), "{warnings:?}");
        assert!(warnings[0].contains("server forget p"), "{warnings:?}");
    }

    #[test]
    fn profiles_are_listed_in_file_order_and_those_without_url_skipped() {
        let (_dir, store) = open(
            "[profiles.b]\nurl = \"http://b\"\ntimeout = \"3s\"\nextra = 1\n[profiles.a]\nurl = \"https://a\"\ntls-verify = false\n[profiles.c]\nnamespace = \"x\"\n",
        );
        let (found, _) = profiles(&store.load().unwrap(), store.path());
        let names: Vec<&str> = found.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["b", "a"]);
        assert_eq!(found[0].settings.timeout(), Duration::from_secs(3));
        assert!(!found[1].settings.tls_verify);
    }

    #[test]
    fn write_replaces_the_table_but_keeps_comments_and_neighbours() {
        let text = "# top\n[server]\n# the url\nurl = \"http://old\"\nca-cert = \"/old.pem\"\ntoken = \"s3cret\"\nsub.x = 1\n\n[other]\nkeep = true\n";
        let (_dir, store) = open(text);
        let settings = ServerSettings {
            url: "https://new".into(),
            namespace: "ns".into(),
            tls_verify: false,
            ca_cert: None,
            timeout: Some("5s".into()),
        };
        store
            .transaction(|tx| settings.write(tx, "server"))
            .unwrap();
        let after = std::fs::read_to_string(store.path()).unwrap();
        assert!(
            after.starts_with("# top\n[server]\n# the url\nurl = \"https://new\"\n"),
            "{after}"
        );
        assert!(after.contains("[other]\nkeep = true\n"), "{after}");
        for gone in ["old.pem", "token", "sub"] {
            assert!(!after.contains(gone), "{after}");
        }
        let snap = store.load().unwrap();
        let entries = effective(&snap, store.path(), &[], false);
        assert_eq!(
            connection(&entries, store.path()).unwrap(),
            Some(settings.clone())
        );

        // A value where the table belongs is replaced too.
        let (_dir, store) = open("server = \"x\"\n");
        store
            .transaction(|tx| settings.write(tx, "server"))
            .unwrap();
        assert_eq!(
            store.get("server.url").unwrap(),
            Some(Value::from("https://new"))
        );
    }

    #[test]
    fn a_connection_saved_nowhere_is_guarded_and_its_save_command_recreates_it() {
        let parse = |text: &str| {
            let (_dir, store) = open(text);
            store.load().unwrap().entries()
        };
        let new = ServerSettings {
            url: "http://new".into(),
            namespace: "default".into(),
            tls_verify: true,
            ca_cert: None,
            timeout: None,
        };
        // Nothing to lose: no connection, the same one, or one a profile holds.
        assert!(unsaved_connection(&parse(""), Some(&new)).is_none());
        assert!(
            unsaved_connection(&parse("[server]\nurl = \"http://new\"\n"), Some(&new)).is_none()
        );
        let saved = "[server]\nurl = \"http://a\"\n[profiles.a]\nurl = \"http://a\"\n";
        assert!(unsaved_connection(&parse(saved), Some(&new)).is_none());

        let unsaved = "[server]\nurl = \"https://a\"\nnamespace = \"ns\"\ntls-verify = false\nca-cert = \"/ca.pem\"\ntimeout = \"3s\"\n";
        let err = unsaved_connection(&parse(unsaved), Some(&new)).unwrap();
        assert_eq!(err.exit().code(), 1);
        assert!(err.message().contains("https://a, namespace ns"), "{err}");
        assert_eq!(
            err.hints()[0],
            "save it first: `cleveragents server connect https://a --namespace ns --no-tls-verify --ca-cert /ca.pem --timeout 3s --no-check --save-as NAME`"
        );
        let invalid = "[server]\nurl = \"http://a\"\ntls-verify = \"yes\"\n";
        let err = unsaved_connection(&parse(invalid), Some(&new)).unwrap();
        assert!(err.message().contains("is invalid"), "{err}");
        assert!(err.hints()[0].contains("--force"), "{err}");

        // --save-as: a missing or identical profile is fine, a different one is not.
        let entries =
            parse("[profiles.p]\nurl = \"http://new\"\n[profiles.q]\nurl = \"http://q\"\n");
        assert!(profile_overwrite(&entries, "p", &new).is_none());
        assert!(profile_overwrite(&entries, "r", &new).is_none());
        let err = profile_overwrite(&entries, "q", &new).unwrap();
        assert!(err.message().contains("profile named q"), "{err}");
    }

    #[test]
    fn the_default_timeout_is_the_schemas() {
        let spec = schema::server_field("timeout").unwrap();
        assert_eq!(
            spec.default.map(|d| schema::parse_duration(d).unwrap()),
            Some(DEFAULT_TIMEOUT)
        );
        assert_eq!(Origin::Flag("--timeout").to_string(), "flag:--timeout");
    }
}
