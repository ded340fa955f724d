//! The connection model: [`ServerSettings`], the connection a `[server]`, `[previous-server]`
//! or `[profiles.NAME]` table describes, compared as values; the fields commands own in those
//! tables (and the keys they leave alone); the previous connection; and the profile rules
//! (which profile a connection is, what `--save-as` would overwrite, profiles collected in one
//! pass).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Duration;

use cleveragents_config::{schema, Key, Snapshot, Transaction, Value};
use serde::Serialize;

use crate::error::CommandError;
use crate::output::toml_value;

/// The probe timeout when none is configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The connection a `[server]` table or a `[profiles.NAME]` table describes. In JSON its fields
/// are spelled as the file spells the keys (`tls-verify`, `ca-cert`), and the timeout is the
/// one in effect with where it comes from (`"timeout": "10s", "timeout-origin": "default"`).
/// Two are equal when their values are: the timeout is compared as a duration (`10000ms`
/// equals `10s` equals unset).
#[derive(Clone, Debug, Eq)]
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

impl Serialize for ServerSettings {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (timeout, origin) = match &self.timeout {
            Some(text) => (text.clone(), "file"),
            None => (crate::probe::format_duration(DEFAULT_TIMEOUT), "default"),
        };
        let mut out = s.serialize_struct("ServerSettings", 6)?;
        out.serialize_field("url", &self.url)?;
        out.serialize_field("namespace", &self.namespace)?;
        out.serialize_field("tls-verify", &self.tls_verify)?;
        out.serialize_field("ca-cert", &self.ca_cert)?;
        out.serialize_field("timeout", &timeout)?;
        out.serialize_field("timeout-origin", origin)?;
        out.end()
    }
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
    /// field these settings leave unset (`ca-cert`, `timeout`) is removed, a value where the
    /// table belongs (`server = "..."`) is replaced, and every key no command owns (written
    /// by hand, or by another tool) stays, with its comments.
    pub fn write(
        &self,
        tx: &mut Transaction,
        prefix: &str,
    ) -> Result<(), cleveragents_config::Error> {
        tx.set_table(prefix, &self.fields())
    }

    /// The fields as [`Transaction::set_table`] writes them: all of them in one pass over the
    /// file, not one pass each.
    fn fields(&self) -> Vec<(&'static str, Option<Value>)> {
        let text = |value: &str| Some(Value::String(value.to_string()));
        vec![
            ("url", text(&self.url)),
            ("namespace", text(&self.namespace)),
            ("tls-verify", Some(Value::Bool(self.tls_verify))),
            ("ca-cert", self.ca_cert.as_deref().and_then(text)),
            ("timeout", self.timeout.as_deref().and_then(text)),
        ]
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
    let entries = tx.entries_under(std::slice::from_ref(&table));
    remove_fields_in(tx, prefix, owned, &entries)
}

/// [`remove_fields`], with the values of the table at `prefix` already read: `entries` (the
/// values under other keys among them are left alone).
pub(crate) fn remove_fields_in(
    tx: &mut Transaction,
    prefix: &str,
    owned: fn(&str) -> bool,
    entries: &[(Key, Value)],
) -> Result<Vec<String>, cleveragents_config::Error> {
    let table = Key::parse(prefix)?;
    let depth = table.len() + 1;
    let mut removed = Vec::new();
    let mut others = false;
    for (key, _) in entries.iter().filter(|(key, _)| key.starts_with(&table)) {
        if key.len() == depth && owned(key.leaf()) {
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

/// The key of profile `name`'s table (`profiles.NAME`).
pub(crate) fn profile_key(name: &str) -> Key {
    Key::root("profiles").child(name)
}

/// The keys of the top-level tables `tables` (`server`, [`PREVIOUS`]).
pub(crate) fn table_keys(tables: &[&str]) -> Vec<Key> {
    tables.iter().map(|table| Key::root(table)).collect()
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
        .filter_map(move |(key, value)| match key.to_array() {
            Some([first, leaf]) if first == table => Some((leaf, value)),
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

/// The previous connection kept in the file, if there is one; an error names a value of it
/// that breaks its rule.
pub(crate) fn previous_connection(
    entries: &[(Key, Value)],
) -> Result<Option<Recorded>, cleveragents_config::Error> {
    recorded(entries, PREVIOUS)
}

/// The previous connection, for a command that shows it beside the connection (`server
/// status`, `server profiles`): one with an invalid value is left out, and the error is the
/// warning to give, naming the value's file and line.
pub(crate) fn shown_previous(
    snapshot: &Snapshot,
    path: &Path,
    entries: &[(Key, Value)],
) -> Result<Option<Recorded>, String> {
    previous_connection(entries).map_err(|e| {
        format!(
            "{}; the previous connection is left out (fix it with {}, or remove it with `cleveragents config unset {PREVIOUS}`)",
            crate::error::in_file(path, &e, |key| snapshot.line_of(key)),
            crate::error::set_command(&e)
        )
    })
}

/// Keeps the connection table `table`, which holds a value its rule refuses, as the previous
/// connection as it is written (the refused value included, to be fixed there) rather than
/// lose it: every field a command owns is copied unchanged, and the previous one's go.
fn carry_as_previous(
    tx: &mut Transaction,
    entries: &[(Key, Value)],
    table: &str,
) -> Result<(), cleveragents_config::Error> {
    remove_owned(tx, PREVIOUS)?;
    for (leaf, _) in table_values(entries, table).filter(|(leaf, _)| connection_field(leaf)) {
        tx.carry(&format!("{table}.{leaf}"), &format!("{PREVIOUS}.{leaf}"))?;
    }
    Ok(())
}

/// What making a connection current did to the one before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Replaced {
    /// There was no connection, or the same one: the previous connection is unchanged.
    Nothing,
    /// This connection was replaced and is now the previous one.
    Kept(Recorded),
    /// The `[server]` table had an invalid value: it is kept, as written, as the previous
    /// connection.
    Invalid {
        /// Why it is invalid.
        reason: String,
        /// The field whose value breaks its rule (`namespace`), when one does.
        field: Option<String>,
    },
}

impl Replaced {
    /// An invalid `[server]` table, kept as written, that `e` refused.
    fn invalid(e: &cleveragents_config::Error) -> Replaced {
        Replaced::Invalid {
            reason: e.to_string(),
            field: crate::error::invalid_key(e).map(|key| key.leaf().to_string()),
        }
    }
}

/// Writes `recorded` into the top-level table `table` (its settings and its profile).
fn write_recorded(
    tx: &mut Transaction,
    table: &str,
    recorded: &Recorded,
) -> Result<(), cleveragents_config::Error> {
    let mut fields = recorded.settings.fields();
    fields.push(("profile", recorded.profile.clone().map(Value::String)));
    tx.set_table(table, &fields)
}

/// Makes `new` the connection inside `tx`, made from profile `profile` (if any). The
/// connection it replaces becomes the previous one ([`PREVIOUS`]) in the same transaction,
/// unless it is the same connection.
pub(crate) fn replace_connection(
    tx: &mut Transaction,
    new: &ServerSettings,
    profile: Option<&str>,
) -> Result<Replaced, cleveragents_config::Error> {
    let entries = tx.entries_under(&table_keys(&["server"]));
    let replaced = match recorded(&entries, "server") {
        Ok(Some(current)) if current.settings != *new => {
            write_recorded_or_clear(tx, PREVIOUS, Some(&current))?;
            Replaced::Kept(current)
        }
        Ok(_) => Replaced::Nothing,
        Err(e) => {
            carry_as_previous(tx, &entries, "server")?;
            Replaced::invalid(&e)
        }
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
/// connection now current and what became of the one it replaced, or `None` (nothing
/// written) when there is no previous one. A previous connection's profile that no longer
/// exists is not recorded as current. An invalid previous connection is an error (nothing
/// written); an invalid current one is kept as written.
pub(crate) fn swap_with_previous(
    tx: &mut Transaction,
) -> Result<Option<(Recorded, Replaced)>, cleveragents_config::Error> {
    let entries = tx.entries_under(&table_keys(&["server", PREVIOUS]));
    let Some(mut previous) = previous_connection(&entries)? else {
        return Ok(None);
    };
    if let Some(name) = &previous.profile {
        if tx.entries_under(&[profile_key(name)]).is_empty() {
            previous.profile = None;
        }
    }
    let replaced = match recorded(&entries, "server") {
        Ok(current) => {
            write_recorded_or_clear(tx, PREVIOUS, current.as_ref())?;
            current.map_or(Replaced::Nothing, Replaced::Kept)
        }
        Err(e) => {
            carry_as_previous(tx, &entries, "server")?;
            Replaced::invalid(&e)
        }
    };
    write_recorded(tx, "server", &previous)?;
    Ok(Some((previous, replaced)))
}

/// Keeps the connection as the previous one before `[server]` is removed (`server
/// disconnect`), so `server use -` reconnects; one with an invalid value is kept as written.
/// Returns what was kept.
pub(crate) fn keep_as_previous(
    tx: &mut Transaction,
) -> Result<Replaced, cleveragents_config::Error> {
    let entries = tx.entries_under(&table_keys(&["server"]));
    Ok(match recorded(&entries, "server") {
        Ok(Some(current)) => {
            write_recorded(tx, PREVIOUS, &current)?;
            Replaced::Kept(current)
        }
        Ok(None) => Replaced::Nothing,
        Err(e) => {
            carry_as_previous(tx, &entries, "server")?;
            Replaced::invalid(&e)
        }
    })
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

/// `server.profile` when it names no profile among `entries`, with why: the rule of its key
/// that a value alone cannot say, checked by `config set` and `config validate`.
pub(crate) fn missing_current_profile(entries: &[(Key, Value)]) -> Option<(String, String)> {
    let name = current_profile(entries)?;
    let names = profile_names(entries);
    if names.contains(&name.as_str()) {
        return None;
    }
    let saved = match names.is_empty() {
        true => "none is saved".to_string(),
        false => format!("saved: {}", names.join(", ")),
    };
    Some((name, format!("no profile of that name exists ({saved})")))
}

/// The fields (as the file spells them) in which the file's `[server]` differs from profile
/// `name`: what changed since the profile was used. Empty when they agree, or when either
/// is missing or invalid.
pub(crate) fn changed_since(entries: &[(Key, Value)], name: &str) -> Vec<&'static str> {
    let server = entries
        .iter()
        .filter(|(key, _)| is_server_key(key))
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

/// True for a `server.*` value.
pub(crate) fn is_server_key(key: &Key) -> bool {
    key.len() == 2 && key.segment(0) == Some("server")
}

/// True when `key` is under `profiles.NAME`.
pub(crate) fn is_profile_key(key: &Key, name: &str) -> bool {
    key.len() > 1 && key.segment(0) == Some("profiles") && key.segment(1) == Some(name)
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

/// Every profile among the `entries` of the file `snapshot` that has a URL, in file order,
/// checked by the schema, and a warning for each profile whose values break their rules (it
/// is left out, not fatal). The entries are read once: linear in the number of profiles.
pub(crate) fn profiles_of(
    snapshot: &Snapshot,
    entries: &[(Key, Value)],
    path: &Path,
) -> (Vec<Profile>, Vec<String>) {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for (name, fields) in profile_tables(entries) {
        match ServerSettings::from_values(&profile_prefix(name), fields) {
            Ok(Some(settings)) => out.push(Profile {
                name: name.to_string(),
                settings,
            }),
            Ok(None) => {}
            Err(e) => warnings.push(format!(
                "{}; profile {name} is left out (fix it with `cleveragents config edit`, or remove it with `cleveragents server forget {}`)",
                crate::error::in_file(path, &e, |key| snapshot.line_of(key)),
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
        if let Some(["profiles", name, leaf]) = key.to_array() {
            let at = *index.entry(name).or_insert_with(|| {
                tables.push((name, Vec::new()));
                tables.len() - 1
            });
            tables[at].1.push((leaf, value));
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
        .filter_map(move |(key, value)| match key.to_array() {
            Some(["profiles", n, leaf]) if n == name => Some((leaf, value)),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::tests::open;
    use crate::settings::{connection, effective, Origin};
    use std::time::Duration;

    /// A connection to `url` with every other field at its default.
    fn at_defaults(url: &str) -> ServerSettings {
        ServerSettings {
            url: url.into(),
            namespace: "default".into(),
            tls_verify: true,
            ca_cert: None,
            timeout: None,
        }
    }

    #[test]
    fn profiles_are_listed_in_file_order_and_those_without_url_skipped() {
        let (_dir, store) = open(
            "[profiles.b]\nurl = \"http://b\"\ntimeout = \"3s\"\nextra = 1\n[profiles.a]\nurl = \"https://a\"\ntls-verify = false\n[profiles.c]\nnamespace = \"x\"\n",
        );
        let snapshot = store.load().unwrap();
        let (found, _) = profiles_of(&snapshot, &snapshot.entries(), store.path());
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
            connection(&entries, store.path(), &snap).unwrap(),
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
        let new = at_defaults("http://new");
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
        let r = replaced;
        let Replaced::Kept(old) = r else { panic!() };
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
        assert!(matches!(before, Replaced::Kept(ref before) if before.settings == new));
        assert_eq!(value("previous-server.url").as_deref(), Some("http://new"));

        // Disconnecting keeps the connection; swapping then leaves no previous one.
        store
            .transaction(|tx| {
                assert!(matches!(keep_as_previous(tx)?, Replaced::Kept(_)));
                tx.unset("server").map(|_| ())
            })
            .unwrap();
        assert_eq!(value("previous-server.url").as_deref(), Some("https://a"));
        store
            .transaction(|tx| {
                let (now, before) = swap_with_previous(tx)?.unwrap();
                assert_eq!(
                    (now.settings.url.as_str(), before),
                    ("https://a", Replaced::Nothing)
                );
                assert!(matches!(keep_as_previous(tx)?, Replaced::Kept(_)));
                Ok(())
            })
            .unwrap();
        store
            .transaction(|tx| {
                tx.unset("server")?;
                tx.unset("previous-server")?;
                assert_eq!(keep_as_previous(tx)?, Replaced::Nothing);
                assert_eq!(swap_with_previous(tx)?, None);
                Ok(())
            })
            .unwrap();

        // An invalid [server] is replaced, and kept as written as the previous connection.
        let (_dir, store) = open(
            "[server]\nurl = \"http://a\"\ntls-verify = \"yes\"\nwrapper = 1\n[previous-server]\nurl = \"http://b\"\ntimeout = \"3s\"\n",
        );
        store
            .transaction(|tx| {
                let replaced = replace_connection(tx, &new, None)?;
                assert!(matches!(
                    replaced,
                    Replaced::Invalid { ref reason, field: Some(ref field) }
                        if reason.contains("\"yes\"") && field == "tls-verify"
                ));
                Ok(())
            })
            .unwrap();
        let value = |key: &str| store.get(key).unwrap().map(|v| v.to_string());
        assert_eq!(value("previous-server.url").as_deref(), Some("http://a"));
        assert_eq!(value("previous-server.tls-verify").as_deref(), Some("yes"));
        assert_eq!(value("previous-server.timeout"), None);
        assert_eq!(value("server.url").as_deref(), Some("http://new"));
        assert_eq!(value("server.wrapper").as_deref(), Some("1"));
    }

    #[test]
    fn saving_over_a_different_profile_is_refused() {
        let parse = |text: &str| {
            let (_dir, store) = open(text);
            store.load().unwrap().entries()
        };
        let new = at_defaults("http://new");
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
        let base = at_defaults("http://a");
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
    fn every_field_reads_as_the_file_holds_it() {
        let settings = ServerSettings {
            url: "https://a.example".into(),
            namespace: "team".into(),
            tls_verify: false,
            ca_cert: Some("/etc/ca.pem".into()),
            timeout: Some("5s".into()),
        };
        assert_eq!(
            settings.field("url"),
            Some(Value::from("https://a.example"))
        );
        assert_eq!(settings.field("namespace"), Some(Value::from("team")));
        assert_eq!(settings.field("tls-verify"), Some(Value::Bool(false)));
        assert_eq!(settings.field("ca-cert"), Some(Value::from("/etc/ca.pem")));
        assert_eq!(settings.field("timeout"), Some(Value::from("5s")));
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
