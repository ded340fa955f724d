//! `cleveragents config list`: the values in effect, optionally with their origins.

use std::path::Path;
use std::sync::Arc;

use cleveragents_config::{ConfigStore, Key, Snapshot};
use serde_json::json;

use crate::commands::Context;
use crate::env;
use crate::error::CommandError;
use crate::output::{toml_value, Output};
use crate::settings::{self, Entry, Origin};

/// What `config list` shows besides the values in effect.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Only the keys under this table, or this key.
    pub prefix: Option<String>,
    /// Where each value comes from.
    pub show_origin: bool,
    /// The defaults of unset server keys.
    pub include_defaults: bool,
    /// The file's values that environment overrides hide.
    pub include_overridden: bool,
}

/// Runs `config list`.
pub fn run(options: Options, ctx: &Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    let prefix = options.prefix.as_deref().map(Key::parse).transpose()?;
    let (path, _) = ctx.config_path()?;
    let snapshot = ConfigStore::open(&path).load()?;
    let overrides = env::overrides(ctx.env)?;
    let mut effective = settings::effective(&snapshot, &path, &overrides, options.include_defaults);
    if let Some(prefix) = &prefix {
        effective.retain(|entry| entry.key.starts_with(prefix));
        if effective.is_empty() {
            // As `config get` of a key that is not set: exit 1, and say why under --json.
            return Err(CommandError::quiet_failure(format!(
                "nothing is set under `{prefix}`"
            )));
        }
    }
    // Each row: the entry, and the variable hiding it when it is an overridden file value.
    let mut rows: Vec<(Entry, Option<&'static str>)> = Vec::with_capacity(effective.len());
    let file: Arc<Path> = Arc::from(path.as_path());
    for entry in effective {
        let hidden = match (&entry.origin, options.include_overridden) {
            (Origin::Env(var), true) => snapshot
                .get(&entry.key.to_string())?
                .map(|value| (value, *var)),
            _ => None,
        };
        let key = entry.key.clone();
        rows.push((entry, None));
        if let Some((value, var)) = hidden {
            let origin = Origin::File(Arc::clone(&file));
            rows.push((Entry { key, value, origin }, Some(var)));
        }
    }
    if out.is_json() {
        let json_rows: Vec<_> = rows
            .iter()
            .map(|(e, hidden_by)| {
                let mut row = e.to_json();
                if let Some(var) = hidden_by {
                    row["overridden-by"] = json!(var);
                }
                row
            })
            .collect();
        out.json(&json_rows)?;
        return check_listed(&snapshot, &path, &rows);
    }
    for (e, hidden_by) in &rows {
        let note = hidden_by
            .map(|var| format!("  # overridden by {var}"))
            .unwrap_or_default();
        if options.show_origin {
            out.line(format_args!(
                "{}\t{} = {}{note}",
                e.origin,
                e.key,
                toml_value(&e.value)
            ))?;
        } else {
            out.line(format_args!("{} = {}{note}", e.key, toml_value(&e.value)))?;
        }
    }
    check_listed(&snapshot, &path, &rows)
}

/// The values in effect are all listed, a file value that breaks its rule included, so that
/// the user sees it; then it gets the verdict every command gives it: exit 1 and its line.
fn check_listed(
    snapshot: &Snapshot,
    path: &Path,
    rows: &[(Entry, Option<&'static str>)],
) -> Result<(), CommandError> {
    let in_effect = rows
        .iter()
        .filter(|(_, hidden_by)| hidden_by.is_none())
        .map(|(entry, _)| entry);
    settings::check_file(snapshot, path, in_effect)
}
