//! Dynamic shell completion: configuration keys and profile names, read from the schema and
//! the configuration file when the shell asks (`COMPLETE=bash cleveragents -- ...`, set up by
//! `cleveragents completions SHELL`).
//!
//! The file is found as every command finds it without `--config`: `CLEVERAGENTS_CONFIG`, the
//! XDG directory, then `~/.config`. A file that cannot be read completes nothing from it.

use std::ffi::OsStr;

use clap_complete::engine::{CompletionCandidate, ValueCompleter};
use cleveragents_config::{schema, ConfigStore, Key, Value};

use crate::env::{config_path, Env};

/// The values of the configuration file in effect for completion; empty when there is none.
fn file_entries() -> Vec<(Key, Value)> {
    let env = Env::from_process();
    config_path(None, &env)
        .ok()
        .and_then(|(path, _)| ConfigStore::open(path).load().ok())
        .map(|snapshot| snapshot.entries())
        .unwrap_or_default()
}

/// The profile names of `entries`, in file order.
fn names(entries: &[(Key, Value)]) -> Vec<String> {
    crate::settings::profile_names(entries)
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// Keys for `config get`, `set` and `unset`: every key the schema knows (profile keys for each
/// profile in the file), and every other key the file holds, with the schema's help.
pub fn keys_in(entries: &[(Key, Value)], current: &str) -> Vec<CompletionCandidate> {
    let profiles = names(entries);
    let mut keys: Vec<(String, Option<&'static str>)> = Vec::new();
    for spec in schema::KEYS {
        if spec.pattern.contains('*') {
            for name in &profiles {
                keys.push((spec.pattern.replace('*', name), Some(spec.help)));
            }
        } else {
            keys.push((spec.pattern.to_string(), Some(spec.help)));
        }
    }
    for (key, _) in entries {
        let key = key.to_string();
        if !keys.iter().any(|(known, _)| *known == key) {
            keys.push((key, None));
        }
    }
    keys.into_iter()
        .filter(|(key, _)| key.starts_with(current))
        .map(|(key, help)| CompletionCandidate::new(key).help(help.map(Into::into)))
        .collect()
}

/// Profile names for `server use` and `server forget`, with each profile's URL as help.
pub fn profiles_in(entries: &[(Key, Value)], current: &str) -> Vec<CompletionCandidate> {
    names(entries)
        .into_iter()
        .filter(|name| name.starts_with(current))
        .map(|name| {
            let url = entries
                .iter()
                .find(|(key, _)| key.to_string() == format!("profiles.{name}.url"))
                .map(|(_, value)| value.to_string());
            CompletionCandidate::new(name).help(url.map(Into::into))
        })
        .collect()
}

/// [`keys_in`] for the file in effect.
pub fn config_keys(current: &OsStr) -> Vec<CompletionCandidate> {
    keys_in(&file_entries(), &current.to_string_lossy())
}

/// [`profiles_in`] for the file in effect.
pub fn profile_names(current: &OsStr) -> Vec<CompletionCandidate> {
    profiles_in(&file_entries(), &current.to_string_lossy())
}

/// `config set KEY VALUE ...`: a key at each even position; a value is free text.
pub struct KeyValuePairs;

impl ValueCompleter for KeyValuePairs {
    fn complete(&self, current: &OsStr) -> Vec<CompletionCandidate> {
        config_keys(current)
    }

    fn complete_at(&self, arg_index: usize, current: &OsStr) -> Vec<CompletionCandidate> {
        // clap_complete 4.6 numbers the values of a positional as 0, 0, 1, 2, 3, ... (the
        // first two alike), so keys (values 0, 2, 4, ...) come at 0 and at odd indexes; the
        // e2e completion tests pin this. The key a value is for is not passed to completers,
        // so values get no candidates.
        if arg_index == 0 || arg_index % 2 == 1 {
            config_keys(current)
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_pair_completes_a_key_first() {
        let keys: Vec<String> = KeyValuePairs
            .complete(OsStr::new("server.u"))
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect();
        assert!(keys.contains(&"server.url".to_string()), "{keys:?}");
        assert!(KeyValuePairs
            .complete_at(2, OsStr::new("server.u"))
            .is_empty());
    }
}
