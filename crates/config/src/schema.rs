//! The table of known keys: each with its type, default, rule and a line of help.
//!
//! Adding a key is one entry in [`KEYS`]; adding a field of a connection is one entry in the
//! `connection_schema!` list, which derives [`CONNECTION_FIELDS`] and the `server.*`,
//! `previous-server.*` and `profiles.*.*` entries of [`KEYS`]. A `*` segment matches one name
//! that follows the namespace rule (used for `profiles.<name>.*`).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::key::{shorten, Key};
use crate::value::Value;

/// The kind of value a key holds, which decides how text is parsed and what rule applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Absolute `http`/`https` URL with a host, no credentials, stored without trailing slash.
    Url,
    /// 1 to 63 of `a-z 0-9 -`, not starting or ending with `-`.
    Namespace,
    /// `true`/`false` (also `yes`/`no`, `on`/`off`, `1`/`0` when given as text).
    Bool,
    /// The absolute path of a PEM file holding at least one certificate.
    Path,
    /// A duration such as `10s`, `500ms`, `2m` or `1m30s`.
    Duration,
    /// The absolute path of a CA file kept as it was when the connection was replaced: the
    /// file is checked when the connection is used again, not when it is kept.
    KeptPath,
    /// The name of a saved profile, as a key segment spells it (a profile written by hand may
    /// break the rule for new names, and is still referred to).
    ProfileRef,
}

impl Kind {
    /// The rule, in words, as shown in errors and help.
    pub fn rule(self) -> &'static str {
        match self {
            Kind::Url => {
                "an absolute http:// or https:// URL with a host and no user:password part"
            }
            Kind::Namespace => LABEL_RULE,
            Kind::Bool => "true or false",
            Kind::Path => "the absolute path of a PEM file with at least one certificate",
            Kind::Duration => "a positive duration such as 10s, 500ms, 2m or 1m30s",
            Kind::KeptPath => "an absolute path",
            Kind::ProfileRef => "the name of a saved profile",
        }
    }
}

/// One known key.
#[derive(Debug)]
pub struct KeySpec {
    /// The key, with `*` standing for a profile name.
    pub pattern: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// The value used when the key is not set, if there is one.
    pub default: Option<&'static str>,
    /// One line of help.
    pub help: &'static str,
    /// The environment variable that overrides the value when it is read, if any.
    pub env: Option<&'static str>,
}

/// One field of a connection: `[server]`, every `[profiles.NAME]` and `[previous-server]` have
/// it. Listed once in [`CONNECTION_FIELDS`], from which the `server.*`, `profiles.*.*` and
/// `previous-server.*` entries of [`KEYS`], the environment overrides, `--help` and the manual
/// page are derived.
#[derive(Debug)]
pub struct Field {
    /// The key inside the table (`url`, `tls-verify`, ...).
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// The value used when the field is not set, if there is one.
    pub default: Option<&'static str>,
    /// The environment variable that overrides `server.<name>` when it is read.
    pub env: &'static str,
    /// One line of help for `server.<name>`.
    pub help: &'static str,
    /// One line of help for `profiles.NAME.<name>`.
    pub profile_help: &'static str,
    /// One line of help for `previous-server.<name>`.
    pub previous_help: &'static str,
}

/// What `previous-server.<name>` holds for a field of this kind: a CA file is kept as a path,
/// checked when the connection is used again.
const fn kept(kind: Kind) -> Kind {
    match kind {
        Kind::Path => Kind::KeptPath,
        other => other,
    }
}

/// Defines [`CONNECTION_FIELDS`] and [`KEYS`] from one list of connection fields.
macro_rules! connection_schema {
    // The entry of one field in one kind of connection table.
    (@key $table:literal, $name:literal, $kind:expr, $default:expr, $help:expr, $env:expr) => {
        KeySpec {
            pattern: concat!($table, ".", $name),
            kind: $kind,
            default: $default,
            help: $help,
            env: $env,
        }
    };
    ($(
        $name:literal: $kind:ident, default $default:expr, env $env:literal,
        help $help:literal, profile $profile:literal, previous $previous:literal;
    )*) => {
        /// The fields of a connection, once: adding one is an entry here, a field of the
        /// CLI's connection and its `server connect` flag.
        pub static CONNECTION_FIELDS: &[Field] = &[$(
            Field {
                name: $name,
                kind: Kind::$kind,
                default: $default,
                env: $env,
                help: $help,
                profile_help: $profile,
                previous_help: $previous,
            },
        )*];

        /// Every key the store accepts.
        pub static KEYS: &[KeySpec] = &[
            $(connection_schema!(@key "server", $name, Kind::$kind, $default, $help, Some($env)),)*
            KeySpec {
                pattern: "server.profile",
                kind: Kind::ProfileRef,
                default: None,
                help: "the profile the connection was made from (written by server use and --save-as)",
                env: None,
            },
            $(connection_schema!(@key "previous-server", $name, kept(Kind::$kind), None, $previous, None),)*
            KeySpec {
                pattern: "previous-server.profile",
                kind: Kind::ProfileRef,
                default: None,
                help: "the profile the previous connection was made from",
                env: None,
            },
            $(connection_schema!(@key "profiles.*", $name, Kind::$kind, $default, $profile, None),)*
        ];
    };
}

connection_schema! {
    "url": Url, default None, env "CLEVERAGENTS_SERVER_URL",
        help "URL of the CleverAgents server",
        profile "URL of a saved server profile",
        previous "URL of the connection replaced last (written by server connect, use and disconnect; server use - returns to it)";
    "namespace": Namespace, default Some("default"), env "CLEVERAGENTS_SERVER_NAMESPACE",
        help "namespace to work in",
        profile "namespace of a saved profile",
        previous "namespace of the previous connection";
    "tls-verify": Bool, default Some("true"), env "CLEVERAGENTS_SERVER_TLS_VERIFY",
        help "verify the server's TLS certificate",
        profile "TLS verification of a saved profile",
        previous "TLS verification of the previous connection";
    "ca-cert": Path, default None, env "CLEVERAGENTS_SERVER_CA_CERT",
        help "PEM file of extra trusted CA certificates",
        profile "CA certificates of a saved profile",
        previous "CA certificates of the previous connection";
    "timeout": Duration, default Some("10s"), env "CLEVERAGENTS_SERVER_TIMEOUT",
        help "connect and read timeout",
        profile "timeout of a saved profile",
        previous "timeout of the previous connection";
}

impl KeySpec {
    /// True when `key` is an instance of this pattern.
    pub fn matches(&self, key: &Key) -> bool {
        let segments = key.segments();
        let mut count = 0;
        for (pattern, segment) in self.pattern.split('.').zip(segments) {
            count += 1;
            let ok = if pattern == "*" {
                check_namespace(segment).is_ok()
            } else {
                pattern == segment
            };
            if !ok {
                return false;
            }
        }
        count == key.len() && self.pattern.split('.').count() == count
    }

    /// Parses text typed by a user into this key's typed value, checking the rule.
    pub fn parse(&self, key: &Key, text: &str) -> Result<Value> {
        let value = match self.kind {
            Kind::Bool => match text.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" | "1" => Value::Bool(true),
                "false" | "no" | "off" | "0" => Value::Bool(false),
                _ => return Err(self.invalid(key, text, None)),
            },
            _ => Value::String(text.to_string()),
        };
        self.check(key, value)
    }

    /// Checks a typed value against the rule and returns it normalised: what every command
    /// that sets a value, and `config validate`, applies.
    pub fn check(&self, key: &Key, value: Value) -> Result<Value> {
        self.check_value(key, value, true)
    }

    /// Like [`KeySpec::check`], for a value read back to be used: the parts of the rule about
    /// the world outside the file (a CA file that still exists) are left to the use, which
    /// reports them there (a CA file deleted since is the probe's error, not a broken file).
    pub fn check_stored(&self, key: &Key, value: Value) -> Result<Value> {
        self.check_value(key, value, false)
    }

    fn check_value(&self, key: &Key, value: Value, outside: bool) -> Result<Value> {
        let checked = match (self.kind, &value) {
            (Kind::Bool, Value::Bool(_)) => return Ok(value),
            (Kind::Url, Value::String(s)) => normalize_url(s),
            (Kind::Namespace, Value::String(s)) => check_namespace(s).map(|()| s.clone()),
            (Kind::Path, Value::String(s)) if outside => check_ca_file(s).map(|()| s.clone()),
            (Kind::Path | Kind::KeptPath, Value::String(s)) => check_path(s).map(|()| s.clone()),
            (Kind::Duration, Value::String(s)) => parse_duration(s).map(|_| s.clone()),
            // Any name a `[profiles.NAME]` table can have, quoted or not.
            (Kind::ProfileRef, Value::String(s)) => (!s.is_empty()
                && !s.chars().any(char::is_control))
            .then(|| s.clone())
            .ok_or_else(|| "is not a profile name".to_string()),
            (kind, other) => {
                let expected = if kind == Kind::Bool {
                    "a bool"
                } else {
                    "a string"
                };
                return Err(Error::InvalidValue {
                    key: key.to_string(),
                    value: shorten(&other.to_string()),
                    rule: format!(
                        "expected {expected} ({}), found a {}",
                        kind.rule(),
                        other.type_name()
                    ),
                });
            }
        };
        checked
            .map(Value::String)
            .map_err(|detail| self.invalid(key, &value.to_string(), Some(detail)))
    }

    fn invalid(&self, key: &Key, text: &str, detail: Option<String>) -> Error {
        let rule = match detail {
            Some(detail) => format!("{detail} (expected {})", self.kind.rule()),
            None => format!("expected {}", self.kind.rule()),
        };
        Error::InvalidValue {
            key: key.to_string(),
            value: shorten(text),
            rule,
        }
    }
}

/// The rule every new profile name follows, as errors, `--help` and the README state it.
pub const PROFILE_NAME_RULE: &str = LABEL_RULE;

/// Namespaces and profile names are DNS labels.
const LABEL_RULE: &str = "1 to 63 characters of a-z, 0-9 and '-', not starting or ending with '-'";

/// Checks the name of a new profile against [`PROFILE_NAME_RULE`].
///
/// Names already in a file are taken as they are (a hand-written `[profiles.Prod]` can still
/// be listed, used and forgotten); only new names must follow the rule.
///
/// ```
/// use cleveragents_config::schema::check_profile_name;
/// assert!(check_profile_name("lab-2").is_ok());
/// let err = check_profile_name("Lab").unwrap_err().to_string();
/// assert!(err.contains("1 to 63 characters of a-z"), "{err}");
/// ```
pub fn check_profile_name(name: &str) -> Result<()> {
    check_namespace(name).map_err(|reason| Error::InvalidProfileName {
        name: shorten(name),
        reason,
        rule: PROFILE_NAME_RULE.to_string(),
    })
}

/// The schema entry of a field of a server table (`url`, `namespace`, ...), which `[server]`
/// and every `[profiles.NAME]` share, whatever the profile's name.
pub fn server_field(field: &str) -> Option<&'static KeySpec> {
    KEYS.iter()
        .find(|spec| spec.pattern.strip_prefix("server.") == Some(field))
}

/// Finds the schema entry of a key.
pub fn lookup(key: &Key) -> Option<&'static KeySpec> {
    KEYS.iter().find(|spec| spec.matches(key))
}

/// True when the schema knows `key` as a table: one that holds known keys (`server`,
/// `profiles`, `profiles.prod`, `previous-server`), whether the file writes it with a header
/// or inline.
///
/// ```
/// use cleveragents_config::{schema, Key};
/// assert!(schema::is_table(&Key::parse("profiles.prod")?));
/// assert!(schema::is_table(&Key::parse("profiles.\"my prod\"")?));
/// assert!(!schema::is_table(&Key::parse("server.url")?));
/// assert!(!schema::is_table(&Key::parse("other-tool")?));
/// # Ok::<(), cleveragents_config::Error>(())
/// ```
pub fn is_table(key: &Key) -> bool {
    KEYS.iter().any(|spec| {
        let pattern: Vec<&str> = spec.pattern.split('.').collect();
        pattern.len() > key.len()
            && pattern
                .iter()
                .zip(key.segments())
                .all(|(pattern, segment)| {
                    // Any name under `profiles` is a profile's table, even one its rule refuses.
                    *pattern == "*" || *pattern == segment
                })
    })
}

/// Finds the schema entry of a key, or refuses it with a did-you-mean suggestion.
pub fn require(key: &Key) -> Result<&'static KeySpec> {
    if let Some([first, name, field]) = key.to_array() {
        // A profile key whose only fault is its name: say the name rule, not "unknown key".
        if first == "profiles" && server_field(field).is_some() {
            check_profile_name(name)?;
        }
    }
    lookup(key).ok_or_else(|| Error::UnknownKey {
        key: key.to_string(),
        suggestion: suggest(key),
    })
}

/// The known key closest to `key`, if it is close enough to be a typo.
///
/// ```
/// use cleveragents_config::{schema, Key};
/// let key = Key::parse("server.ulr")?;
/// assert_eq!(schema::suggest(&key).as_deref(), Some("server.url"));
/// # Ok::<(), cleveragents_config::Error>(())
/// ```
pub fn suggest(key: &Key) -> Option<String> {
    let text = key.to_string();
    let candidates = KEYS.iter().map(|spec| {
        // Profile keys are suggested with the user's own profile name in place of `*`.
        let mut out = Vec::new();
        for (i, part) in spec.pattern.split('.').enumerate() {
            match (part, key.segment(i)) {
                ("*", Some(name)) => out.push(name.to_string()),
                ("*", None) => out.push("NAME".to_string()),
                (part, _) => out.push(part.to_string()),
            }
        }
        out.join(".")
    });
    closest(&text, candidates)
}

/// The candidate closest to `text`, if it is close enough to be a typo of it: at most 2 edits
/// away, or a fifth of its length for long ones. Keys and profile names are suggested alike.
///
/// ```
/// use cleveragents_config::schema::closest;
/// assert_eq!(closest("lba", ["lab".to_string(), "prod".to_string()]).as_deref(), Some("lab"));
/// assert_eq!(closest("staging", ["lab".to_string()]), None);
/// ```
pub fn closest(text: &str, candidates: impl IntoIterator<Item = String>) -> Option<String> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(text, &candidate), candidate))
        .filter(|(distance, candidate)| *distance > 0 && *distance <= 2.max(candidate.len() / 5))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Checks a namespace or profile name.
///
/// ```
/// use cleveragents_config::schema::check_namespace;
/// assert!(check_namespace("team-a").is_ok());
/// assert!(check_namespace("-team").is_err());
/// ```
pub fn check_namespace(name: &str) -> std::result::Result<(), String> {
    if name.is_empty() || name.len() > 63 {
        return Err(format!("{} characters", name.chars().count()));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!("character {bad:?} is not allowed"));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err("starts or ends with '-'".into());
    }
    Ok(())
}

/// Checks a server URL and returns it normalised (no trailing slash).
///
/// ```
/// use cleveragents_config::schema::normalize_url;
/// assert_eq!(normalize_url("https://Example.com/api/").unwrap(), "https://example.com/api");
/// assert!(normalize_url("ftp://example.com").is_err());
/// ```
pub fn normalize_url(text: &str) -> std::result::Result<String, String> {
    if text.chars().any(char::is_control) {
        return Err("contains a control character (newline, tab, ...)".into());
    }
    if text.is_empty() {
        return Err("the URL is empty".into());
    }
    if text.trim() != text {
        return Err("has leading or trailing spaces".into());
    }
    if !text.contains("://") {
        // A suggestion only for what could be a host name, not for a megabyte of text.
        return Err(match text.len() {
            0..=300 => format!(
                "lacks http:// or https:// (did you mean {}?)",
                with_scheme(text)
            ),
            _ => "lacks http:// or https://".into(),
        });
    }
    let url = url::Url::parse(text).map_err(|e| e.to_string())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("scheme {:?} is not http or https", url.scheme()));
    }
    // The URL parser itself refuses an http(s) URL without a host.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            "contains a user:password part; credentials do not belong in the config file".into(),
        );
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("has a query or fragment".into());
    }
    // Host names DNS cannot hold: over 253 characters, or a label over 63.
    if let Some(url::Host::Domain(host)) = url.host() {
        if host.len() > 253 {
            return Err(format!(
                "the host name is {} characters long (at most 253)",
                host.len()
            ));
        }
        if host.split('.').any(|label| label.len() > 63) {
            return Err("a part of the host name is longer than 63 characters".into());
        }
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// `text` with the scheme it most likely lacks: `http://` for this machine (`localhost`,
/// `127.x`, `[::1]`), `https://` for any other host.
///
/// ```
/// use cleveragents_config::schema::with_scheme;
/// assert_eq!(with_scheme("localhost:8080"), "http://localhost:8080");
/// assert_eq!(with_scheme("agents.example.com"), "https://agents.example.com");
/// ```
pub fn with_scheme(text: &str) -> String {
    let host = text.split(['/', ':']).next().unwrap_or_default();
    let local = host == "localhost" || host.starts_with("127.") || text.starts_with("[::1]");
    let scheme = if local { "http" } else { "https" };
    format!("{scheme}://{text}")
}

/// Checks a path value.
pub fn check_path(text: &str) -> std::result::Result<(), String> {
    if text.is_empty() {
        return Err("is empty".into());
    }
    if text.chars().any(char::is_control) {
        return Err("contains a control character".into());
    }
    if !std::path::Path::new(text).is_absolute() {
        return Err("is relative".into());
    }
    Ok(())
}

/// Checks a CA certificates value: an absolute path ([`check_path`]) of a readable PEM file
/// with at least one certificate. Every command gives this verdict: `config set`, `server
/// connect --ca-cert`, environment overrides and `config validate`.
pub fn check_ca_file(text: &str) -> std::result::Result<(), String> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::CertificateDer;
    check_path(text)?;
    let bytes =
        read_ca_file(std::path::Path::new(text)).map_err(|e| format!("cannot be read ({e})"))?;
    let certificates = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("is not a valid PEM file ({e})"))?;
    if certificates.is_empty() {
        return Err("holds no PEM certificate".into());
    }
    Ok(())
}

/// The bytes of a CA file, opened once however many times a command checks or uses it (the
/// argument, each key it is saved under, the probe): they are read again only when the file's
/// size or modification time changed since.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("ca.pem");
/// std::fs::write(&path, "pem")?;
/// let bytes = cleveragents_config::schema::read_ca_file(&path).unwrap();
/// assert_eq!(&*bytes, b"pem");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn read_ca_file(path: &std::path::Path) -> std::io::Result<Arc<[u8]>> {
    /// A file read: its path, size and modification time, and its bytes.
    type Read = (PathBuf, (u64, Option<std::time::SystemTime>), Arc<[u8]>);
    static READ: Mutex<Vec<Read>> = Mutex::new(Vec::new());
    let meta = std::fs::metadata(path)?;
    let stamp = (meta.len(), meta.modified().ok());
    let mut read = READ
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, _, bytes)) = read.iter().find(|(p, s, _)| p == path && *s == stamp) {
        return Ok(bytes.clone());
    }
    let bytes: Arc<[u8]> = std::fs::read(path)?.into();
    read.retain(|(p, _, _)| p != path);
    read.push((path.to_path_buf(), stamp, bytes.clone()));
    Ok(bytes)
}

/// Parses a duration such as `10s`, `500ms`, `2m`, `1h` or `1m30s`.
///
/// ```
/// use std::time::Duration;
/// use cleveragents_config::schema::parse_duration;
/// assert_eq!(parse_duration("1m30s").unwrap(), Duration::from_secs(90));
/// assert!(parse_duration("10").is_err());
/// ```
pub fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    let mut total: u64 = 0;
    let mut rest = text;
    if rest.is_empty() {
        return Err("is empty".into());
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(format!("expected a number at {rest:?}"));
        }
        let number: u64 = rest[..digits]
            .parse()
            .map_err(|_| "number too large".to_string())?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let millis_per_unit = match &rest[..unit_len] {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "" => return Err("a number needs a unit (ms, s, m or h)".into()),
            other => return Err(format!("unknown unit {other:?} (use ms, s, m or h)")),
        };
        rest = &rest[unit_len..];
        total = number
            .checked_mul(millis_per_unit)
            .and_then(|ms| total.checked_add(ms))
            .ok_or_else(|| "duration too large".to_string())?;
    }
    if total == 0 {
        return Err("must be greater than zero".into());
    }
    Ok(Duration::from_millis(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_previous_connection_keeps_a_ca_path_to_check_when_it_is_used() {
        assert_eq!(kept(Kind::Path), Kind::KeptPath);
        assert_eq!(kept(Kind::Bool), Kind::Bool);
        assert_eq!(
            lookup(&Key::parse("previous-server.ca-cert").unwrap()).map(|spec| spec.kind),
            Some(Kind::KeptPath)
        );
    }

    #[test]
    fn the_tables_the_schema_knows_are_the_parents_of_its_keys() {
        let table = |key: &str| is_table(&Key::parse(key).unwrap());
        for key in [
            "server",
            "previous-server",
            "profiles",
            "profiles.prod",
            "profiles.\"a.b\"",
        ] {
            assert!(table(key), "{key}");
        }
        for key in [
            "server.url",
            "profiles.prod.url",
            "other-tool",
            "servers",
            "server.url.x",
        ] {
            assert!(!table(key), "{key}");
        }
    }

    #[test]
    fn a_ca_file_is_read_once_while_it_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, "aaa").unwrap();
        assert_eq!(&*read_ca_file(&path).unwrap(), b"aaa");
        // Other bytes behind the same size and time: the bytes read before are used.
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::fs::write(&path, "bbb").unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(modified).unwrap();
        assert_eq!(&*read_ca_file(&path).unwrap(), b"aaa");
        // A change of size is seen.
        std::fs::write(&path, "bbbb").unwrap();
        assert_eq!(&*read_ca_file(&path).unwrap(), b"bbbb");
        std::fs::remove_file(&path).unwrap();
        assert!(read_ca_file(&path).is_err());
    }

    fn key(text: &str) -> Key {
        Key::parse(text).unwrap()
    }

    #[test]
    fn every_known_key_resolves_and_profiles_need_a_valid_name() {
        for spec in KEYS {
            let concrete = spec.pattern.replace('*', "prod");
            assert_eq!(
                lookup(&key(&concrete)).map(|s| s.pattern),
                Some(spec.pattern)
            );
        }
        assert!(lookup(&key("profiles.Prod.url")).is_none());
        assert!(lookup(&key("profiles.prod")).is_none());
        assert!(lookup(&key("server")).is_none());
        assert!(lookup(&key("server.url.x")).is_none());
    }

    #[test]
    fn typos_get_a_suggestion_and_nonsense_does_not() {
        assert_eq!(suggest(&key("server.ulr")).as_deref(), Some("server.url"));
        assert_eq!(
            suggest(&key("server.tls_verify")).as_deref(),
            Some("server.tls-verify")
        );
        assert_eq!(
            suggest(&key("profiles.prod.namspace")).as_deref(),
            Some("profiles.prod.namespace")
        );
        assert_eq!(suggest(&key("color.theme")), None);
        // Long keys tolerate more typos: four edits away from a 23-character key.
        assert_eq!(
            suggest(&key("profiles.prod.nmspc")).as_deref(),
            Some("profiles.prod.namespace")
        );
        assert_eq!(suggest(&key("profiles.prod.nspc")), None);
        let err = require(&key("server.ulr")).unwrap_err();
        assert_eq!(err.hint().as_deref(), Some("did you mean `server.url`?"));
    }

    #[test]
    fn urls_are_checked_and_normalised() {
        assert_eq!(
            normalize_url("http://localhost:8080/").unwrap(),
            "http://localhost:8080"
        );
        assert_eq!(
            normalize_url("https://h.example/a/b/").unwrap(),
            "https://h.example/a/b"
        );
        for bad in [
            "localhost:8080",
            "ftp://h",
            "https://user:pw@h",
            "https://user@h",
            "https://h/\nx",
            "http://",
            " http://h",
            "https://h/?q=1",
            "https://h/#f",
            "relative/path",
        ] {
            assert!(normalize_url(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn host_names_dns_cannot_hold_are_refused_at_their_limits() {
        // 253 characters in labels of 63: the longest name DNS holds; one more is refused.
        let label = "a".repeat(63);
        let host = format!("{label}.{label}.{label}.{}", "a".repeat(61));
        assert_eq!(host.len(), 253);
        assert!(normalize_url(&format!("http://{host}")).is_ok());
        let err = normalize_url(&format!("http://{host}a")).unwrap_err();
        assert_eq!(err, "the host name is 254 characters long (at most 253)");
        assert!(normalize_url(&format!("http://{label}.example")).is_ok());
        let err = normalize_url(&format!("http://{label}a.example")).unwrap_err();
        assert_eq!(err, "a part of the host name is longer than 63 characters");
    }

    #[test]
    fn ca_files_must_exist_and_hold_a_pem_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path.display().to_string()
        };
        let block = "-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----\n";
        assert_eq!(check_ca_file(&file("one.pem", block)), Ok(()));
        let two = format!("# a bundle\n{block}{block}");
        assert_eq!(check_ca_file(&file("two.pem", &two)), Ok(()));
        assert_eq!(
            check_ca_file(&file("notes.txt", "just text\n")),
            Err("holds no PEM certificate".into())
        );
        let broken = "-----BEGIN CERTIFICATE-----\nMIIBAA==\n";
        let err = check_ca_file(&file("broken.pem", broken)).unwrap_err();
        assert!(err.starts_with("is not a valid PEM file"), "{err}");
        let missing = dir.path().join("missing.pem").display().to_string();
        assert!(check_ca_file(&missing)
            .unwrap_err()
            .starts_with("cannot be read"));
        assert_eq!(check_ca_file("relative.pem"), Err("is relative".into()));
    }

    #[test]
    fn a_url_without_a_scheme_gets_the_likely_one() {
        assert_eq!(with_scheme("127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(with_scheme("[::1]:80/api"), "http://[::1]:80/api");
        assert_eq!(
            with_scheme("agents.example.com/x"),
            "https://agents.example.com/x"
        );
        let err = normalize_url("localhost").unwrap_err();
        assert_eq!(
            err,
            "lacks http:// or https:// (did you mean http://localhost?)"
        );
        let long = "a".repeat(301);
        assert_eq!(
            normalize_url(&long).unwrap_err(),
            "lacks http:// or https://"
        );
    }

    #[test]
    fn namespaces_follow_the_dns_label_rule() {
        for good in ["a", "default", "team-1", &"a".repeat(63)] {
            assert!(check_namespace(good).is_ok(), "{good}");
        }
        for bad in ["", "-a", "a-", "A", "a_b", "a.b", &"a".repeat(64), "é"] {
            assert!(check_namespace(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("10s").unwrap(), Duration::from_secs(10));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("1h2m3s").unwrap(), Duration::from_secs(3723));
        for bad in [
            "",
            "10",
            "s",
            "0s",
            "10x",
            "-1s",
            "1.5s",
            "99999999999999999999s",
            "18446744073709551615h",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn values_are_typed_and_errors_name_key_value_and_rule() {
        let spec = lookup(&key("server.tls-verify")).unwrap();
        assert_eq!(
            spec.parse(&key("server.tls-verify"), "off").unwrap(),
            Value::Bool(false)
        );
        assert_eq!(
            spec.parse(&key("server.tls-verify"), "TRUE").unwrap(),
            Value::Bool(true)
        );
        let err = spec
            .parse(&key("server.tls-verify"), "maybe")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("server.tls-verify")
                && err.contains("maybe")
                && err.contains("true or false"),
            "{err}"
        );
        let err = spec
            .check(&key("server.tls-verify"), Value::from("true"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("expected a bool") && err.contains("found a string"),
            "{err}"
        );

        let spec = lookup(&key("server.namespace")).unwrap();
        let err = spec
            .parse(&key("server.namespace"), "Bad_NS")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("server.namespace") && err.contains("Bad_NS") && err.contains("a-z"),
            "{err}"
        );
        let err = spec
            .check(&key("server.namespace"), Value::Bool(true))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("expected a string") && err.contains("found a bool"),
            "{err}"
        );

        let spec = lookup(&key("server.ca-cert")).unwrap();
        assert!(spec.parse(&key("server.ca-cert"), "ca.pem").is_err());
        // The file must exist and hold a certificate when the value is set; a value read back
        // is only checked for its shape (the file may have gone since).
        assert!(spec.parse(&key("server.ca-cert"), "/etc/ca.pem").is_err());
        assert!(spec
            .check_stored(&key("server.ca-cert"), Value::from("/etc/ca.pem"))
            .is_ok());
        assert!(spec
            .check_stored(&key("server.ca-cert"), Value::from("etc/ca.pem"))
            .is_err());
        assert!(spec.parse(&key("server.ca-cert"), "").is_err());
        let err = spec
            .parse(&key("server.ca-cert"), "/etc/ca\n.pem")
            .unwrap_err()
            .to_string();
        assert!(err.contains("control character"), "{err}");
    }

    #[test]
    fn one_profile_name_rule_with_a_suggested_name() {
        let err = require(&key("profiles.My_Lab.url")).unwrap_err();
        assert!(err.is_invalid_input());
        assert_eq!(
            err.to_string(),
            format!("invalid profile name \"My_Lab\": character 'M' is not allowed (a profile name is {PROFILE_NAME_RULE})")
        );
        assert_eq!(
            err.hint().as_deref(),
            Some("a name that follows the rule: `my-lab`")
        );
        // Nothing to suggest when nothing of the name is left, or too much.
        assert_eq!(check_profile_name("__").unwrap_err().hint(), None);
        assert_eq!(
            check_profile_name(&"A".repeat(64)).unwrap_err().hint(),
            None
        );
        // Other unknown keys under profiles are unknown keys, not name problems.
        assert!(matches!(
            require(&key("profiles.Lab.colour")),
            Err(Error::UnknownKey { .. })
        ));
        assert_eq!(server_field("url").map(|s| s.pattern), Some("server.url"));
        assert!(server_field("colour").is_none());
        assert_eq!(Kind::Namespace.rule(), PROFILE_NAME_RULE);
    }
}
