//! `cleveragents config unset KEY...`: remove keys or tables in one transaction.

use cleveragents_config::{schema, Key};
use serde_json::json;

use crate::commands::{committed, Context};
use crate::error::CommandError;
use crate::output::{toml_value, Output};

/// Remove keys or whole tables, all in one transaction
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Remove each KEY (a value, or a table such as `server`) in one \
transaction. A known key that is not set is not an error.",
    after_help = "Examples:\n  cleveragents config unset server.timeout\n  cleveragents config unset profiles.lab server.ca-cert"
)]
pub struct UnsetArgs {
    /// Dotted keys or tables
    #[arg(required = true, add = clap_complete::engine::ArgValueCompleter::new(crate::complete::config_keys))]
    pub keys: Vec<String>,
}

/// Runs `config unset`.
pub fn run(keys: &[String], ctx: &Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    super::set::refuse_repeats(keys.iter().map(String::as_str), "it is removed once")?;
    let keys = keys
        .iter()
        .map(|k| Key::parse(k))
        .collect::<Result<Vec<Key>, _>>()?;
    let store = ctx.store()?;
    let ((removed, not_set), changes) = store
        .transaction(|tx| {
            let (mut removed, mut not_set) = (Vec::new(), Vec::new());
            for key in &keys {
                if tx.unset(&key.to_string())? {
                    removed.push(key.to_string());
                } else if is_known(key) {
                    not_set.push(key.to_string());
                } else {
                    // A typo must not pass for "already unset": refuse it, writing nothing.
                    schema::require(key)?;
                }
            }
            Ok((removed, not_set))
        })?
        .into_parts();
    committed(out, &changes);
    if out.is_json() {
        return out.json(&json!({
            "config": store.path().display().to_string(),
            "removed": removed,
            "not-set": not_set,
            "changes": changes.changes(),
        }));
    }
    for key in &not_set {
        out.note(format_args!("{key} was not set"));
    }
    // Every key removed, a table's included, with the value it held (as `config set` says
    // what it replaced), so a mistaken unset can be undone from the screen.
    let removed_values = changes
        .changes()
        .iter()
        .filter_map(|change| Some((&change.key, change.old.as_ref()?)));
    for (key, old) in removed_values {
        out.line(format_args!("unset {key} (was {})", toml_value(old)))?;
    }
    Ok(())
}

/// A known key, or a table holding known keys (`server`, `profiles`, `profiles.NAME`).
fn is_known(key: &Key) -> bool {
    schema::KEYS.iter().any(|spec| {
        let pattern: Vec<&str> = spec.pattern.split('.').collect();
        key.len() <= pattern.len()
            && key.segments().zip(&pattern).all(|(segment, part)| {
                if *part == "*" {
                    schema::check_namespace(segment).is_ok()
                } else {
                    segment == *part
                }
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_and_their_tables() {
        for known in [
            "server",
            "server.url",
            "profiles",
            "profiles.lab",
            "profiles.lab.timeout",
        ] {
            assert!(is_known(&Key::parse(known).unwrap()), "{known}");
        }
        for unknown in [
            "serve",
            "server.ulr",
            "profiles.Lab",
            "profiles.lab.url.x",
            "other",
        ] {
            assert!(!is_known(&Key::parse(unknown).unwrap()), "{unknown}");
        }
    }
}
