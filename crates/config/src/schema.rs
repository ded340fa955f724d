//! The table of known keys: each with its type, default, rule and a line of help.
//!
//! Adding a key is one entry in [`KEYS`]. A `*` segment matches one name that follows the
//! namespace rule (used for `profiles.<name>.*`).

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

/// Every key the store accepts.
pub static KEYS: &[KeySpec] = &[
    KeySpec {
        pattern: "server.url",
        kind: Kind::Url,
        default: None,
        help: "URL of the CleverAgents server",
        env: Some("CLEVERAGENTS_SERVER_URL"),
    },
    KeySpec {
        pattern: "server.namespace",
        kind: Kind::Namespace,
        default: Some("default"),
        help: "namespace to work in",
        env: Some("CLEVERAGENTS_SERVER_NAMESPACE"),
    },
    KeySpec {
        pattern: "server.tls-verify",
        kind: Kind::Bool,
        default: Some("true"),
        help: "verify the server's TLS certificate",
        env: Some("CLEVERAGENTS_SERVER_TLS_VERIFY"),
    },
    KeySpec {
        pattern: "server.ca-cert",
        kind: Kind::Path,
        default: None,
        help: "PEM file of extra trusted CA certificates",
        env: Some("CLEVERAGENTS_SERVER_CA_CERT"),
    },
    KeySpec {
        pattern: "server.timeout",
        kind: Kind::Duration,
        default: Some("10s"),
        help: "connect and read timeout",
        env: Some("CLEVERAGENTS_SERVER_TIMEOUT"),
    },
    KeySpec {
        pattern: "server.profile",
        kind: Kind::ProfileRef,
        default: None,
        help: "the profile the connection was made from (written by server use and --save-as)",
        env: None,
    },
    KeySpec {
        pattern: "profiles.*.url",
        kind: Kind::Url,
        default: None,
        help: "URL of a saved server profile",
        env: None,
    },
    KeySpec {
        pattern: "profiles.*.namespace",
        kind: Kind::Namespace,
        default: Some("default"),
        help: "namespace of a saved profile",
        env: None,
    },
    KeySpec {
        pattern: "profiles.*.tls-verify",
        kind: Kind::Bool,
        default: Some("true"),
        help: "TLS verification of a saved profile",
        env: None,
    },
    KeySpec {
        pattern: "profiles.*.ca-cert",
        kind: Kind::Path,
        default: None,
        help: "CA certificates of a saved profile",
        env: None,
    },
    KeySpec {
        pattern: "profiles.*.timeout",
        kind: Kind::Duration,
        default: Some("10s"),
        help: "timeout of a saved profile",
        env: None,
    },
];

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
        count == segments.len() && self.pattern.split('.').count() == count
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
            (Kind::Path, Value::String(s)) => check_path(s).map(|()| s.clone()),
            (Kind::Duration, Value::String(s)) => parse_duration(s).map(|_| s.clone()),
            (Kind::ProfileRef, Value::String(s)) => Key::parse(&format!("profiles.{s}"))
                .ok()
                .filter(|key| key.segments().len() == 2)
                .map(|_| s.clone())
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

/// Finds the schema entry of a key, or refuses it with a did-you-mean suggestion.
pub fn require(key: &Key) -> Result<&'static KeySpec> {
    if let [first, name, field] = key.segments() {
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
            match (part, key.segments().get(i)) {
                ("*", Some(name)) => out.push(name.clone()),
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
    let bytes = std::fs::read(text).map_err(|e| format!("cannot be read ({e})"))?;
    let certificates = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("is not a valid PEM file ({e})"))?;
    if certificates.is_empty() {
        return Err("holds no PEM certificate".into());
    }
    Ok(())
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
