//! Dynamic shell completion: configuration keys and profile names, read from the schema and
//! the configuration file when the shell asks (`COMPLETE=bash cleveragents -- ...`, set up by
//! `cleveragents completions SHELL`).
//!
//! The file is found as the command being completed would find it: its `--config PATH` or
//! `--config=PATH`, else `CLEVERAGENTS_CONFIG`, the XDG directory, then `~/.config`. A file that
//! cannot be read completes nothing from it.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use clap_complete::engine::{CompletionCandidate, ValueCompleter};
use cleveragents_config::{schema, ConfigStore, Key, Value};

use crate::env::{config_path, Env};

/// The values of the configuration file in effect for completion; empty when there is none.
fn file_entries() -> Vec<(Key, Value)> {
    let env = Env::from_process();
    let flag = config_flag(std::env::args_os());
    config_path(flag.as_deref(), &env)
        .ok()
        .and_then(|(path, _)| ConfigStore::open(path).load().ok())
        .map(|snapshot| snapshot.entries())
        .unwrap_or_default()
}

/// The `--config` value among the words of the command line being completed (the last one
/// given wins, as clap takes it).
pub fn config_flag(words: impl IntoIterator<Item = OsString>) -> Option<PathBuf> {
    let mut found = None;
    let mut words = words.into_iter();
    while let Some(word) = words.next() {
        if word == "--config" {
            if let Some(value) = words.next() {
                found = Some(PathBuf::from(value));
            }
        } else if let Some(value) = word.to_str().and_then(|w| w.strip_prefix("--config=")) {
            found = Some(PathBuf::from(value));
        }
    }
    found
}

/// The profile names of `entries`, in file order.
fn names(entries: &[(Key, Value)]) -> Vec<String> {
    crate::connection::profile_names(entries)
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

/// Candidates for the value of `key` when its values are a fixed set: `true`/`false` for a
/// bool, the profile names for a profile reference; nothing for free text.
pub fn values_in(entries: &[(Key, Value)], key: &str, current: &str) -> Vec<CompletionCandidate> {
    let kind = Key::parse(key)
        .ok()
        .and_then(|key| schema::lookup(&key))
        .map(|spec| spec.kind);
    match kind {
        Some(schema::Kind::Bool) => ["true", "false"]
            .into_iter()
            .filter(|value| value.starts_with(current))
            .map(CompletionCandidate::new)
            .collect(),
        Some(schema::Kind::ProfileRef) => profiles_in(entries, current),
        _ => Vec::new(),
    }
}

/// The words after `config set` up to the one being completed, from the completion request
/// (`COMPLETE=SHELL cleveragents -- cleveragents ... config set WORDS...`, the word being
/// completed at `index` when the shell says, else the last); `None` when the request does not
/// have that shape.
fn set_words(args: &[String], index: Option<usize>) -> Option<&[String]> {
    let words = &args[args.iter().position(|arg| arg == "--")? + 1..];
    let words = &words[..index.map_or(words.len(), |i| (i + 1).min(words.len()))];
    let set = words
        .windows(2)
        .position(|w| w[0] == "config" && w[1] == "set")?;
    Some(&words[set + 2..])
}

/// `config set KEY VALUE ...`: a key at each even position, and at a value's position the
/// values of its key when they are a fixed set.
pub struct KeyValuePairs;

impl ValueCompleter for KeyValuePairs {
    fn complete(&self, current: &OsStr) -> Vec<CompletionCandidate> {
        config_keys(current)
    }

    fn complete_at(&self, arg_index: usize, current: &OsStr) -> Vec<CompletionCandidate> {
        let args: Vec<String> = std::env::args().collect();
        // bash and zsh pass the index of the word being completed (the cursor may be mid-line).
        let index = std::env::var("_CLAP_COMPLETE_INDEX")
            .ok()
            .and_then(|i| i.parse().ok());
        let words = set_words(&args, index);
        pair_candidates(
            &file_entries(),
            words,
            arg_index,
            &current.to_string_lossy(),
        )
    }
}

/// What [`KeyValuePairs`] offers. From the request's words (the last is the one being
/// completed, `current`): a key after an even number of words, else the values of the key
/// before. Without them, clap_complete's index, which numbers a positional's values 0, 0, 1,
/// 2, 3, ... (the first two alike; the e2e completion tests pin this): keys at 0 and odd.
fn pair_candidates(
    entries: &[(Key, Value)],
    words: Option<&[String]>,
    arg_index: usize,
    current: &str,
) -> Vec<CompletionCandidate> {
    match words {
        Some(words) if words.len() % 2 == 0 => values_in(entries, &words[words.len() - 2], current),
        Some(_) => keys_in(entries, current),
        None if arg_index == 0 || arg_index % 2 == 1 => keys_in(entries, current),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_flag_as_documented() {
        use crate::complete::config_flag;
        use std::ffi::OsString;
        let words = |w: &[&str]| w.iter().map(OsString::from).collect::<Vec<_>>();
        let flag = config_flag(words(&[
            "cleveragents",
            "--",
            "cleveragents",
            "--config",
            "a.toml",
            "server",
        ]));
        assert_eq!(flag.unwrap().to_str(), Some("a.toml"));
        let flag = config_flag(words(&[
            "cleveragents",
            "--",
            "cleveragents",
            "--config=b.toml",
        ]));
        assert_eq!(flag.unwrap().to_str(), Some("b.toml"));
        assert_eq!(
            config_flag(words(&["cleveragents", "--", "cleveragents", "--config"])),
            None
        );
    }

    fn values(candidates: &[CompletionCandidate]) -> Vec<String> {
        candidates
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect()
    }

    fn words(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn a_set_pair_completes_a_key_then_the_keys_fixed_values() {
        let keys = values(&KeyValuePairs.complete(OsStr::new("server.u")));
        assert!(keys.contains(&"server.url".to_string()), "{keys:?}");
        let entries = vec![(
            Key::parse("profiles.lab.url").unwrap(),
            Value::from("http://h"),
        )];
        let request = words("cleveragents -- cleveragents config set server.tls-verify ");
        let first = set_words(&request, None);
        assert_eq!(
            values(&pair_candidates(&entries, first, 0, "")),
            ["true", "false"]
        );
        assert_eq!(values(&pair_candidates(&entries, first, 0, "f")), ["false"]);
        let request = words("x -- cleveragents config set server.url h server.profile l");
        assert_eq!(
            values(&pair_candidates(
                &entries,
                set_words(&request, None),
                2,
                "l"
            )),
            ["lab"]
        );
        // Free text gets nothing; a key position gets keys.
        let request = words("x -- cleveragents config set server.url h");
        assert!(pair_candidates(&entries, set_words(&request, None), 0, "h").is_empty());
        let request = words("x -- cleveragents config set server.url h server.t");
        let keys = values(&pair_candidates(
            &entries,
            set_words(&request, None),
            1,
            "server.t",
        ));
        assert!(keys.contains(&"server.timeout".to_string()), "{keys:?}");
        // Without the request's words: clap_complete's index.
        assert!(!pair_candidates(&entries, None, 0, "server.u").is_empty());
        assert!(!pair_candidates(&entries, None, 3, "server.u").is_empty());
        assert!(pair_candidates(&entries, None, 2, "server.u").is_empty());
        assert_eq!(set_words(&words("cleveragents config set a"), None), None);
        assert_eq!(
            set_words(&words("x -- cleveragents config get a"), None),
            None
        );
        // The cursor on the 4th word: what follows it does not count.
        let request = words("x -- cleveragents config set server.tls-verify t server.url");
        let before = set_words(&request, Some(4)).unwrap();
        assert_eq!(before, ["server.tls-verify", "t"]);
        assert_eq!(
            values(&pair_candidates(&entries, Some(before), 3, "t")),
            ["true"]
        );
    }
}
