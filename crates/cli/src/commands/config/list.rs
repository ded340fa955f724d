//! `cleveragents config list`: the values in effect, optionally with their origins.

use std::path::Path;

use cleveragents_config::{Key, Snapshot};
use serde_json::json;

use crate::commands::Context;
use crate::env;
use crate::error::CommandError;
use crate::output::{toml_value, Output};
use crate::settings::{self, Entry, Origin};

/// List the values in effect
#[derive(Clone, Debug, Default, clap::Args)]
#[command(
    long_about = "List every value of the file, with environment overrides applied, one \
`key = value` line each (values as TOML). With PREFIX, only the keys under it (a table such \
as `server` or `profiles.prod`, or one key); a PREFIX with nothing under it lists nothing and \
exits 1, as `config get` does. Every line is a key `config get` answers: an inline table's \
values are listed by their full keys (`t.a = 1`).",
    after_help = "\
Examples:
  cleveragents config list
  cleveragents config list profiles.prod
  cleveragents config list --show-origin --include-defaults
  CLEVERAGENTS_SERVER_URL=http://localhost:8080 cleveragents config list --include-overridden
  cleveragents config list --json"
)]
pub struct ListArgs {
    /// Only the keys under this table (e.g. profiles.prod), or this one key
    #[arg(value_name = "PREFIX", add = clap_complete::engine::ArgValueCompleter::new(crate::complete::config_keys))]
    pub prefix: Option<String>,
    /// Show where each value comes from: file:PATH, env:VARIABLE or default
    #[arg(long)]
    pub show_origin: bool,
    /// Also list the defaults of unset server keys
    #[arg(long)]
    pub include_defaults: bool,
    /// Also list the file's values that environment overrides hide, each after the value
    /// that hides it
    #[arg(long)]
    pub include_overridden: bool,
}

/// Runs `config list`.
pub fn run(options: ListArgs, ctx: &Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    let prefix = options.prefix.as_deref().map(Key::parse).transpose()?;
    let (path, _) = ctx.config_path()?;
    let snapshot = ctx.store()?.load()?;
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
    let mut rows: Vec<(Entry, Option<&'static str>)> = Vec::new();
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
            let origin = Origin::File(path.clone());
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
    let in_effect: Vec<Entry> = rows
        .iter()
        .filter(|(_, hidden_by)| hidden_by.is_none())
        .map(|(entry, _)| entry.clone())
        .collect();
    settings::check_file(snapshot, path, &in_effect)
}
