//! The process environment as the commands see it, and what is decided from it: where the
//! configuration file is, and which values environment variables override.
//!
//! The environment is captured once into an [`Env`] so that every decision can be tested
//! without touching the real process environment.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::{Path, PathBuf};

use cleveragents_config::{schema, Key, Value};
use serde::Serialize;

use crate::error::{quote, CommandError};

/// `--config` is taken from here when the flag is absent.
pub const CONFIG_VAR: &str = "CLEVERAGENTS_CONFIG";

/// The environment variables that override configuration values, and the key each
/// overrides: every key the schema gives one (`CLEVERAGENTS_` + the key in capitals, with `_`
/// for `.` and `-`).
pub fn known_overrides() -> Vec<(&'static str, &'static str)> {
    schema::KEYS
        .iter()
        .filter_map(|spec| spec.env.map(|var| (var, spec.pattern)))
        .collect()
}

/// A snapshot of environment variables. An empty variable counts as unset.
#[derive(Clone, Debug, Default)]
pub struct Env {
    vars: BTreeMap<OsString, OsString>,
}

impl Env {
    /// The environment of this process.
    pub fn from_process() -> Env {
        Env::from_pairs(std::env::vars_os())
    }

    /// An environment made of the given pairs (for tests and embedding).
    pub fn from_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Env
    where
        K: Into<OsString>,
        V: Into<OsString>,
    {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .filter(|(_, v)| !v.is_empty())
                .collect(),
        }
    }

    /// The value of a variable, unless it is unset or empty.
    pub fn get(&self, name: &str) -> Option<&OsStr> {
        self.vars.get(OsStr::new(name)).map(OsString::as_os_str)
    }

    /// The value of a variable as text; a value that is not UTF-8 is an error naming it.
    pub fn get_str(&self, name: &str) -> Result<Option<&str>, CommandError> {
        match self.get(name) {
            None => Ok(None),
            Some(value) => value.to_str().map(Some).ok_or_else(|| {
                CommandError::usage(format!("{name} is not valid UTF-8"))
                    .with_hint(format!("fix or unset {name}"))
            }),
        }
    }
}

/// How the configuration file was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PathSource {
    /// The `--config` flag.
    Flag,
    /// The `CLEVERAGENTS_CONFIG` variable.
    Env,
    /// `$XDG_CONFIG_HOME/cleveragents/config.toml`.
    Xdg,
    /// `~/.config/cleveragents/config.toml`.
    Home,
}

impl PathSource {
    /// `{"origin", "source"}`, as every `--json` report says where something comes from: the
    /// flag, the variable, or the variable a default location is derived from.
    pub fn to_json(self) -> serde_json::Value {
        let origin = match self {
            PathSource::Flag => "flag",
            PathSource::Env => "env",
            PathSource::Xdg | PathSource::Home => "default",
        };
        serde_json::json!({ "origin": origin, "source": self.to_string() })
    }
}

impl fmt::Display for PathSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PathSource::Flag => "--config",
            PathSource::Env => CONFIG_VAR,
            PathSource::Xdg => "XDG_CONFIG_HOME",
            PathSource::Home => "HOME",
        })
    }
}

/// Finds the configuration file: `--config PATH` > `CLEVERAGENTS_CONFIG` >
/// `$XDG_CONFIG_HOME/cleveragents/config.toml` > `~/.config/cleveragents/config.toml`.
///
/// Relative paths are made absolute against the current directory, so messages and
/// `config path` name the file unambiguously. A relative `XDG_CONFIG_HOME` is ignored, as the
/// XDG specification asks.
pub fn config_path(flag: Option<&Path>, env: &Env) -> Result<(PathBuf, PathSource), CommandError> {
    let (path, source) = if let Some(path) = flag.filter(|p| !p.as_os_str().is_empty()) {
        (path.to_path_buf(), PathSource::Flag)
    } else if let Some(path) = env.get(CONFIG_VAR) {
        (PathBuf::from(path), PathSource::Env)
    } else if let Some(xdg) = env
        .get("XDG_CONFIG_HOME")
        .map(Path::new)
        .filter(|p| p.is_absolute())
    {
        (xdg.join("cleveragents/config.toml"), PathSource::Xdg)
    } else if let Some(home) = env.get("HOME") {
        (
            Path::new(home).join(".config/cleveragents/config.toml"),
            PathSource::Home,
        )
    } else {
        return Err(
            CommandError::failure("cannot locate the configuration file: HOME is not set")
                .with_hint(format!("pass --config PATH or set {CONFIG_VAR}")),
        );
    };
    let path = std::path::absolute(&path).map_err(|e| CommandError::io("resolve", &path, &e))?;
    Ok((path, source))
}

/// A value set by an environment variable, parsed and checked like a value in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// The variable.
    pub var: &'static str,
    /// The key it overrides.
    pub key: Key,
    /// The value, normalised by the key's rule.
    pub value: Value,
}

/// Every override that is set. A value that breaks its key's rule is an error (exit code 2)
/// naming the variable.
pub fn overrides(env: &Env) -> Result<Vec<Override>, CommandError> {
    let mut found = Vec::new();
    for (var, key) in known_overrides() {
        let Some(text) = env.get_str(var)? else {
            continue;
        };
        let key = Key::parse(key)?;
        let value = schema::require(&key)?.parse(&key, text).map_err(|e| {
            CommandError::usage(format!(
                "{var}={}: {}",
                quote(text),
                e.to_string().trim_start_matches("invalid value ")
            ))
            .with_hint(format!("fix or unset {var}"))
        })?;
        found.push(Override { var, key, value });
    }
    Ok(found)
}

/// The variable overriding `key`, if one is set (whatever its value).
pub fn override_var(env: &Env, key: &Key) -> Option<&'static str> {
    known_overrides()
        .into_iter()
        .find(|(var, k)| *k == key.to_string() && env.get(var).is_some())
        .map(|(var, _)| var)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_path_as_documented() -> Result<(), crate::error::CommandError> {
        use crate::env::{config_path, Env, PathSource};
        use std::path::Path;
        let env = Env::from_pairs([("HOME", "/home/ada")]);
        let (path, source) = config_path(None, &env)?;
        assert_eq!(
            path,
            Path::new("/home/ada/.config/cleveragents/config.toml")
        );
        assert_eq!(source, PathSource::Home);
        Ok(())
    }

    #[test]
    fn overrides_as_documented() -> Result<(), crate::error::CommandError> {
        use crate::env::{overrides, Env};
        let env = Env::from_pairs([("CLEVERAGENTS_SERVER_TLS_VERIFY", "off")]);
        let found = overrides(&env)?;
        assert_eq!(found[0].key.to_string(), "server.tls-verify");
        assert_eq!(found[0].value.as_bool(), Some(false));
        Ok(())
    }

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn the_flag_wins_over_everything() {
        let e = env(&[
            (CONFIG_VAR, "/env/c.toml"),
            ("XDG_CONFIG_HOME", "/xdg"),
            ("HOME", "/home/u"),
        ]);
        let (path, source) = config_path(Some(Path::new("/flag/c.toml")), &e).unwrap();
        assert_eq!(
            (path.as_path(), source),
            (Path::new("/flag/c.toml"), PathSource::Flag)
        );
        let (path, source) = config_path(None, &e).unwrap();
        assert_eq!(
            (path.as_path(), source),
            (Path::new("/env/c.toml"), PathSource::Env)
        );
    }

    #[test]
    fn xdg_then_home_and_empty_values_count_as_unset() {
        let e = env(&[
            (CONFIG_VAR, ""),
            ("XDG_CONFIG_HOME", "/xdg"),
            ("HOME", "/h"),
        ]);
        let (path, source) = config_path(Some(Path::new("")), &e).unwrap();
        assert_eq!(path, Path::new("/xdg/cleveragents/config.toml"));
        assert_eq!(source, PathSource::Xdg);
        assert_eq!(source.to_string(), "XDG_CONFIG_HOME");

        let e = env(&[("XDG_CONFIG_HOME", "relative/xdg"), ("HOME", "/h")]);
        let (path, source) = config_path(None, &e).unwrap();
        assert_eq!(path, Path::new("/h/.config/cleveragents/config.toml"));
        assert_eq!(source.to_string(), "HOME");
    }

    #[test]
    fn no_home_is_a_runtime_error_with_a_hint() {
        let err = config_path(None, &Env::default()).unwrap_err();
        assert_eq!(err.exit().code(), 1);
        assert!(err.hints()[0].contains("--config"), "{err}");
    }

    #[test]
    fn relative_paths_become_absolute() {
        let (path, _) = config_path(Some(Path::new("rel/c.toml")), &Env::default()).unwrap();
        assert!(path.is_absolute());
        assert!(path.ends_with("rel/c.toml"));
        assert_eq!(PathSource::Flag.to_string(), "--config");
        assert_eq!(PathSource::Env.to_string(), CONFIG_VAR);
    }

    #[test]
    fn overrides_are_parsed_normalised_and_named_in_errors() {
        let e = env(&[
            ("CLEVERAGENTS_SERVER_URL", "https://h.example/"),
            ("CLEVERAGENTS_SERVER_NAMESPACE", "team-a"),
        ]);
        let found = overrides(&e).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].value, Value::from("https://h.example"));
        assert_eq!(found[1].var, "CLEVERAGENTS_SERVER_NAMESPACE");
        let key = Key::parse("server.url").unwrap();
        assert_eq!(override_var(&e, &key), Some("CLEVERAGENTS_SERVER_URL"));
        let key = Key::parse("server.tls-verify").unwrap();
        assert_eq!(override_var(&e, &key), None);

        let err = overrides(&env(&[("CLEVERAGENTS_SERVER_TLS_VERIFY", "maybe")])).unwrap_err();
        assert_eq!(err.exit().code(), 2);
        assert!(
            err.message()
                .starts_with("CLEVERAGENTS_SERVER_TLS_VERIFY=\"maybe\""),
            "{err}"
        );
        assert!(err.message().contains("true or false"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_values_are_refused_by_name() {
        use std::os::unix::ffi::OsStringExt;
        let e = Env::from_pairs([(
            OsString::from("CLEVERAGENTS_SERVER_URL"),
            OsString::from_vec(vec![0xff, 0xfe]),
        )]);
        let err = overrides(&e).unwrap_err();
        assert!(err.message().contains("not valid UTF-8"), "{err}");
    }
}
