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
use crate::output::toml_value;

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

/// The connection a `[server]` table or a `[profiles.NAME]` table describes. In JSON its fields
/// are spelled as the file spells the keys (`tls-verify`, `ca-cert`). Two are equal when their
/// values are: the timeout is compared as a duration (`10000ms` equals `10s` equals unset).
#[derive(Clone, Debug, Eq, Serialize)]
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

impl PartialEq for ServerSettings {
    fn eq(&self, other: &ServerSettings) -> bool {
        self.differences(other).is_empty()
    }
}

/// True when two values of a connection field are the same value: a timeout as a duration, a
/// URL as it is normalised, anything else as it is.
pub(crate) fn same_value(field: &str, a: &Value, b: &Value) -> bool {
    let typed = match (field, a.as_str(), b.as_str()) {
        ("timeout", Some(a), Some(b)) => schema::parse_duration(a)
            .ok()
            .zip(schema::parse_duration(b).ok())
            .map(|(a, b)| a == b),
        ("url", Some(a), Some(b)) => schema::normalize_url(a)
            .ok()
            .zip(schema::normalize_url(b).ok())
            .map(|(a, b)| a == b),
        _ => None,
    };
    typed.unwrap_or(a == b)
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

    /// Makes the table at `prefix` hold these settings, inside `tx`: every field is set, a
    /// field these settings leave unset (`ca-cert`, `timeout`) is removed, and every key no
    /// command owns (written by hand, or by another tool) stays, with its comments.
    pub fn write(
        &self,
        tx: &mut Transaction,
        prefix: &str,
    ) -> Result<(), cleveragents_config::Error> {
        if tx.get(prefix)?.is_some() {
            // `server = "..."`: a value where the table belongs.
            tx.unset(prefix)?;
        }
        tx.set_str(&format!("{prefix}.url"), &self.url)?;
        tx.set_str(&format!("{prefix}.namespace"), &self.namespace)?;
        tx.set(&format!("{prefix}.tls-verify"), self.tls_verify)?;
        let optional = [
            ("ca-cert", self.ca_cert.as_deref()),
            ("timeout", self.timeout.as_deref()),
        ];
        for (field, value) in optional {
            let key = format!("{prefix}.{field}");
            match value {
                Some(value) => tx.set_str(&key, value)?,
                None => {
                    tx.unset(&key)?;
                }
            }
        }
        Ok(())
    }
}

/// True for a field of a profile that commands own: a connection field of the schema. Every
/// other key in `[profiles.NAME]` is the user's.
pub(crate) fn profile_field(field: &str) -> bool {
    schema::CONNECTION_FIELDS.iter().any(|f| f.name == field)
}

/// True for a field of `[server]` and [`PREVIOUS`] that commands own: a profile's, and
/// `profile`.
pub(crate) fn connection_field(field: &str) -> bool {
    profile_field(field) || field == "profile"
}

/// Removes the fields commands own from the connection table at `prefix`, inside `tx`, and
/// returns the keys removed. The table goes only when nothing else is left in it.
pub(crate) fn remove_owned(
    tx: &mut Transaction,
    prefix: &str,
) -> Result<Vec<String>, cleveragents_config::Error> {
    remove_fields(tx, prefix, connection_field)
}

/// Removes the fields `owned` accepts from the table at `prefix`, inside `tx`, and returns
/// the keys removed.
pub(crate) fn remove_fields(
    tx: &mut Transaction,
    prefix: &str,
    owned: fn(&str) -> bool,
) -> Result<Vec<String>, cleveragents_config::Error> {
    let table = Key::parse(prefix)?;
    let depth = table.segments().len() + 1;
    let mut removed = Vec::new();
    let mut others = false;
    for (key, _) in tx
        .entries()
        .iter()
        .filter(|(key, _)| key.starts_with(&table))
    {
        if key.segments().len() == depth && owned(key.leaf()) {
            removed.push(key.to_string());
        } else {
            others = true;
        }
    }
    if !others {
        // Nothing of the user's is left: the table goes whole, which keeps the comments
        // above it that belong to the file.
        tx.unset(prefix)?;
        return Ok(removed);
    }
    for key in &removed {
        tx.unset(key)?;
    }
    Ok(removed)
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

/// Why saving `new` as profile `name` would overwrite a different profile of that name: an
/// error naming every value `--force` would overwrite (a field the profile has that `new`
/// sets to another value or leaves unset). Fields the profile lacks are only added, and keys
/// no command owns are never touched, so neither is named.
pub(crate) fn profile_overwrite(
    entries: &[(Key, Value)],
    name: &str,
    new: &ServerSettings,
) -> Option<CommandError> {
    let prefix = profile_prefix(name);
    let old = ServerSettings::from_values(&prefix, profile_values(entries, name))
        .ok()
        .flatten();
    if old.as_ref() == Some(new) {
        return None;
    }
    let overwritten: Vec<String> = profile_values(entries, name)
        .filter(|(field, _)| profile_field(field))
        .filter_map(|(field, value)| match new.field(field) {
            Some(new) if same_value(field, &new, value) => None,
            Some(new) => Some(format!(
                "{prefix}.{field} = {} (new: {})",
                toml_value(value),
                toml_value(&new)
            )),
            None => Some(format!(
                "{prefix}.{field} = {} (removed)",
                toml_value(value)
            )),
        })
        .collect();
    if overwritten.is_empty() {
        return None;
    }
    Some(
        CommandError::failure(format!(
            "a different profile named {name} exists; saving would overwrite {}",
            overwritten.join(", ")
        ))
        .with_hint(
            "choose another name for --save-as, or pass --force to overwrite these values (nothing else in the profile changes)",
        ),
    )
}

/// The key of profile `name`'s table, its name quoted when it is not a bare key
/// (`profiles."a.b"`): every command names a profile by exactly the name it is listed under.
pub(crate) fn profile_prefix(name: &str) -> String {
    Key::root("profiles").child(name).to_string()
}

/// `name` as a shell passes it whole: as it is when it is plain, else in single quotes.
pub(crate) fn shell_word(name: &str) -> String {
    let plain = name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '@'));
    if plain && !name.is_empty() {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "'\\''"))
    }
}

/// The table that keeps the connection a command replaced last (`server connect`, `server
/// use`, `server disconnect`), so `server use -` can return to it: the same fields as
/// `[server]`, and `profile`, the profile that connection was made from.
pub const PREVIOUS: &str = "previous-server";

/// A connection as a table records it: its settings and the profile it was made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Recorded {
    /// The connection's settings.
    #[serde(flatten)]
    pub settings: ServerSettings,
    /// The profile it was made from, if any.
    pub profile: Option<String>,
}

impl Recorded {
    /// `URL (namespace NS, profile P)`, as the output names a connection.
    pub fn describe(&self) -> String {
        let profile = match &self.profile {
            Some(name) => format!(", profile {name}"),
            None => String::new(),
        };
        format!(
            "{} (namespace {}{profile})",
            self.settings.url, self.settings.namespace
        )
    }
}

/// The `(leaf, value)` pairs of the top-level table `table` among `entries`.
fn table_values<'a>(
    entries: &'a [(Key, Value)],
    table: &'a str,
) -> impl Iterator<Item = (&'a str, &'a Value)> + 'a {
    entries
        .iter()
        .filter_map(move |(key, value)| match key.segments() {
            [first, leaf] if first == table => Some((leaf.as_str(), value)),
            _ => None,
        })
}

/// The connection recorded in the top-level table `table` (`server` or [`PREVIOUS`]).
fn recorded(
    entries: &[(Key, Value)],
    table: &str,
) -> Result<Option<Recorded>, cleveragents_config::Error> {
    let settings = ServerSettings::from_values(table, table_values(entries, table))?;
    let profile = table_values(entries, table)
        .find(|(leaf, _)| *leaf == "profile")
        .and_then(|(_, value)| value.as_str().map(str::to_string));
    Ok(settings.map(|settings| Recorded { settings, profile }))
}

/// The previous connection kept in the file, if there is a valid one.
pub(crate) fn previous_connection(entries: &[(Key, Value)]) -> Option<Recorded> {
    recorded(entries, PREVIOUS).ok().flatten()
}

/// What making a connection current did to the one before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Replaced {
    /// There was no connection, or the same one: the previous connection is unchanged.
    Nothing,
    /// This connection was replaced and is now the previous one.
    Kept(Recorded),
    /// The `[server]` table had invalid values (the reason); they are replaced and not kept.
    Invalid(String),
}

/// Writes `recorded` into the top-level table `table` (its settings and its profile).
fn write_recorded(
    tx: &mut Transaction,
    table: &str,
    recorded: &Recorded,
) -> Result<(), cleveragents_config::Error> {
    recorded.settings.write(tx, table)?;
    let key = format!("{table}.profile");
    match &recorded.profile {
        Some(profile) => tx.set_str(&key, profile),
        None => tx.unset(&key).map(|_| ()),
    }
}

/// Makes `new` the connection inside `tx`, made from profile `profile` (if any). The
/// connection it replaces becomes the previous one ([`PREVIOUS`]) in the same transaction,
/// unless it is the same connection.
pub(crate) fn replace_connection(
    tx: &mut Transaction,
    new: &ServerSettings,
    profile: Option<&str>,
) -> Result<Replaced, cleveragents_config::Error> {
    let entries = tx.entries();
    let replaced = match recorded(&entries, "server") {
        Ok(Some(current)) if current.settings != *new => {
            write_recorded_or_clear(tx, PREVIOUS, Some(&current))?;
            Replaced::Kept(current)
        }
        Ok(_) => Replaced::Nothing,
        Err(e) => Replaced::Invalid(e.to_string()),
    };
    let new = Recorded {
        settings: new.clone(),
        profile: profile.map(str::to_string),
    };
    write_recorded(tx, "server", &new)?;
    Ok(replaced)
}

/// Writes `recorded` into `table`, or removes `table` when there is none.
fn write_recorded_or_clear(
    tx: &mut Transaction,
    table: &str,
    recorded: Option<&Recorded>,
) -> Result<(), cleveragents_config::Error> {
    match recorded {
        Some(recorded) => write_recorded(tx, table, recorded),
        None => remove_owned(tx, table).map(|_| ()),
    }
}

/// Swaps the connection and the previous one inside `tx` (`server use -`). Returns the
/// connection now current, or `None` (nothing written) when there is no previous one. A
/// previous connection's profile that no longer exists is not recorded as current.
pub(crate) fn swap_with_previous(
    tx: &mut Transaction,
) -> Result<Option<(Recorded, Option<Recorded>)>, cleveragents_config::Error> {
    let entries = tx.entries();
    let Some(mut previous) = previous_connection(&entries) else {
        return Ok(None);
    };
    let current = recorded(&entries, "server").ok().flatten();
    if let Some(name) = &previous.profile {
        if !entries.iter().any(|(key, _)| is_profile_key(key, name)) {
            previous.profile = None;
        }
    }
    write_recorded(tx, "server", &previous)?;
    write_recorded_or_clear(tx, PREVIOUS, current.as_ref())?;
    Ok(Some((previous, current)))
}

/// Keeps the connection as the previous one before `[server]` is removed (`server
/// disconnect`), so `server use -` reconnects. Returns it.
pub(crate) fn keep_as_previous(
    tx: &mut Transaction,
) -> Result<Option<Recorded>, cleveragents_config::Error> {
    let current = recorded(&tx.entries(), "server").ok().flatten();
    if let Some(current) = &current {
        write_recorded(tx, PREVIOUS, current)?;
    }
    Ok(current)
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
    let profile = ServerSettings::from_values(&profile_prefix(name), profile)
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
    /// The value of one field as the file holds it (`url`, `tls-verify`, ...); `None` for a
    /// field these settings leave unset, or that a connection does not have.
    pub fn field(&self, field: &str) -> Option<Value> {
        match field {
            "url" => Some(Value::from(self.url.as_str())),
            "namespace" => Some(Value::from(self.namespace.as_str())),
            "tls-verify" => Some(Value::Bool(self.tls_verify)),
            "ca-cert" => self.ca_cert.as_deref().map(Value::from),
            "timeout" => self.timeout.as_deref().map(Value::from),
            _ => None,
        }
    }

    /// The fields, as the file spells them, whose values differ from `other`'s.
    pub fn differences(&self, other: &ServerSettings) -> Vec<&'static str> {
        [
            ("url", self.url != other.url),
            ("namespace", self.namespace != other.namespace),
            ("tls-verify", self.tls_verify != other.tls_verify),
            ("ca-cert", self.ca_cert != other.ca_cert),
            ("timeout", self.timeout() != other.timeout()),
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
/// The file's entries are read once: linear in the number of profiles.
pub fn profiles(snapshot: &Snapshot, path: &Path) -> (Vec<Profile>, Vec<String>) {
    let entries = snapshot.entries();
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for (name, fields) in profile_tables(&entries) {
        match ServerSettings::from_values(&profile_prefix(name), fields) {
            Ok(Some(settings)) => out.push(Profile {
                name: name.to_string(),
                settings,
            }),
            Ok(None) => {}
            Err(e) => warnings.push(format!(
                "{}: {e}; profile {name} is left out (fix it with `cleveragents config edit`, or remove it with `cleveragents server forget {}`)",
                path.display(),
                shell_word(name)
            )),
        }
    }
    (out, warnings)
}

/// The profiles among `entries` in file order, each with its `(field, value)` pairs: one
/// pass over the entries, each profile found through a map.
pub(crate) fn profile_tables(entries: &[(Key, Value)]) -> Vec<(&str, Vec<(&str, &Value)>)> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut tables: Vec<(&str, Vec<(&str, &Value)>)> = Vec::new();
    for (key, value) in entries {
        if let [first, name, leaf] = key.segments() {
            if first == "profiles" {
                let at = *index.entry(name.as_str()).or_insert_with(|| {
                    tables.push((name.as_str(), Vec::new()));
                    tables.len() - 1
                });
                tables[at].1.push((leaf.as_str(), value));
            }
        }
    }
    tables
}

/// The names of the profiles among `entries`, in file order.
pub(crate) fn profile_names(entries: &[(Key, Value)]) -> Vec<&str> {
    profile_tables(entries)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
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
    fn write_sets_its_fields_and_keeps_every_other_key_and_comment() {
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
        assert!(!after.contains("old.pem"), "{after}");
        assert!(after.contains("token = \"s3cret\"\nsub.x = 1\n"), "{after}");
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
    fn a_replaced_connection_becomes_the_previous_one_and_swaps_back() {
        let new = ServerSettings {
            url: "http://new".into(),
            namespace: "default".into(),
            tls_verify: true,
            ca_cert: None,
            timeout: None,
        };
        let (_dir, store) = open(
            "[server]\nurl = \"https://a\"\nnamespace = \"ns\"\ntimeout = \"3s\"\nprofile = \"p\"\n[profiles.p]\nurl = \"https://a\"\n",
        );
        let mut replaced = Replaced::Nothing;
        store
            .transaction(|tx| {
                replaced = replace_connection(tx, &new, None)?;
                Ok(())
            })
            .unwrap();
        let Replaced::Kept(old) = replaced else {
            panic!("{replaced:?}")
        };
        assert_eq!(old.describe(), "https://a (namespace ns, profile p)");
        let value = |key: &str| store.get(key).unwrap().map(|v| v.to_string());
        assert_eq!(value("server.url").as_deref(), Some("http://new"));
        assert_eq!(value("server.profile"), None);
        assert_eq!(value("previous-server.url").as_deref(), Some("https://a"));
        assert_eq!(value("previous-server.timeout").as_deref(), Some("3s"));
        assert_eq!(value("previous-server.profile").as_deref(), Some("p"));

        // The same connection again keeps the previous one.
        let changes = store
            .transaction(|tx| {
                assert_eq!(replace_connection(tx, &new, None)?, Replaced::Nothing);
                Ok(())
            })
            .unwrap();
        assert!(changes.is_empty());

        // Swapping twice returns to where it started; a forgotten profile is not current.
        store
            .transaction(|tx| tx.unset("profiles.p").map(|_| ()))
            .unwrap();
        let mut swapped = None;
        store
            .transaction(|tx| {
                swapped = swap_with_previous(tx)?;
                Ok(())
            })
            .unwrap();
        let (now, before) = swapped.unwrap();
        assert_eq!(
            (now.settings.url.as_str(), now.profile),
            ("https://a", None)
        );
        assert_eq!(before.unwrap().settings, new);
        assert_eq!(value("previous-server.url").as_deref(), Some("http://new"));

        // Disconnecting keeps the connection; swapping then leaves no previous one.
        store
            .transaction(|tx| {
                assert!(keep_as_previous(tx)?.is_some());
                tx.unset("server").map(|_| ())
            })
            .unwrap();
        assert_eq!(value("previous-server.url").as_deref(), Some("https://a"));
        store
            .transaction(|tx| {
                let (now, before) = swap_with_previous(tx)?.unwrap();
                assert_eq!((now.settings.url.as_str(), before), ("https://a", None));
                assert!(keep_as_previous(tx)?.is_some());
                Ok(())
            })
            .unwrap();
        store
            .transaction(|tx| {
                tx.unset("server")?;
                tx.unset("previous-server")?;
                assert_eq!(keep_as_previous(tx)?, None);
                assert_eq!(swap_with_previous(tx)?, None);
                Ok(())
            })
            .unwrap();

        // An invalid [server] is replaced, and said to be lost.
        let (_dir, store) = open("[server]\nurl = \"http://a\"\ntls-verify = \"yes\"\n");
        store
            .transaction(|tx| {
                let replaced = replace_connection(tx, &new, None)?;
                assert!(matches!(replaced, Replaced::Invalid(ref e) if e.contains("tls-verify")));
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn saving_over_a_different_profile_is_refused() {
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
        // --save-as: a missing or identical profile is fine, a different one is not.
        let entries =
            parse("[profiles.p]\nurl = \"http://new\"\n[profiles.q]\nurl = \"http://q\"\n");
        assert!(profile_overwrite(&entries, "p", &new).is_none());
        assert!(profile_overwrite(&entries, "r", &new).is_none());
        let err = profile_overwrite(&entries, "q", &new).unwrap();
        assert!(err.message().contains("profile named q"), "{err}");
        assert!(
            err.message()
                .ends_with("overwrite profiles.q.url = \"http://q\" (new: \"http://new\")"),
            "{err}"
        );
        // A field the profile lacks is only added; one the new settings leave unset goes.
        let entries = parse("[profiles.r]\nurl = \"http://new\"\ntimeout = \"3s\"\nowner = 1\n");
        let err = profile_overwrite(&entries, "r", &new).unwrap();
        assert!(
            err.message()
                .ends_with("overwrite profiles.r.timeout = \"3s\" (removed)"),
            "{err}"
        );
    }

    #[test]
    fn values_are_compared_as_values() {
        let v = |s: &str| Value::from(s);
        assert!(same_value("timeout", &v("10000ms"), &v("10s")));
        assert!(!same_value("timeout", &v("10s"), &v("11s")));
        assert!(same_value(
            "url",
            &v("https://A.example/"),
            &v("https://a.example")
        ));
        assert!(!same_value(
            "url",
            &v("https://a.example"),
            &v("https://b.example")
        ));
        // A value that does not parse is compared as it is.
        assert!(!same_value("timeout", &v("soon"), &v("10s")));
        assert!(same_value("namespace", &v("a"), &v("a")));
        let base = ServerSettings {
            url: "http://a".into(),
            namespace: "default".into(),
            tls_verify: true,
            ca_cert: None,
            timeout: None,
        };
        let ten = ServerSettings {
            timeout: Some("10000ms".into()),
            ..base.clone()
        };
        assert_eq!(base, ten);
        assert_eq!(base.field("timeout"), None);
        assert_eq!(ten.field("timeout"), Some(v("10000ms")));
        assert_eq!(base.field("owner"), None);
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
