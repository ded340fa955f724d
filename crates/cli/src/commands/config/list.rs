//! `cleveragents config list`: the values in effect, optionally with their origins.

use std::path::Path;
use std::sync::Arc;

use cleveragents_config::{Key, Snapshot};
use serde_json::json;

use crate::commands::Context;
use crate::env::{self, Override};
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
    if !out.is_json() {
        return listing(&options, prefix.as_ref(), &snapshot, &path, &overrides, out);
    }
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
    // The file values that environment overrides hide, each listed after the value in effect.
    let file: Arc<Path> = Arc::from(path.as_path());
    let mut hidden: Vec<(usize, Entry, &'static str)> = Vec::new();
    if options.include_overridden {
        for (at, entry) in effective.iter().enumerate() {
            if let Origin::Env(var) = &entry.origin {
                if let Some(value) = snapshot.get(&entry.key.to_string())? {
                    let origin = Origin::File(Arc::clone(&file));
                    let key = entry.key.clone();
                    hidden.push((at, Entry { key, value, origin }, var));
                }
            }
        }
    }
    // Each row: the entry, and the variable hiding it when it is an overridden file value.
    type Row<'e> = (&'e Entry, Option<&'static str>);
    let rows: Box<dyn Iterator<Item = Row<'_>>> = if hidden.is_empty() {
        Box::new(effective.iter().map(|entry| (entry, None)))
    } else {
        let mut rows = Vec::with_capacity(effective.len() + hidden.len());
        let mut hidden_rows = hidden.iter().peekable();
        for (at, entry) in effective.iter().enumerate() {
            rows.push((entry, None));
            while let Some((_, e, var)) = hidden_rows.next_if(|(of, _, _)| *of == at) {
                rows.push((e, Some(*var)));
            }
        }
        Box::new(rows.into_iter())
    };
    let json_rows: Vec<_> = rows
        .map(|(e, hidden_by)| {
            let mut row = e.to_json();
            if let Some(var) = hidden_by {
                row["overridden-by"] = json!(var);
            }
            row
        })
        .collect();
    out.json(&json_rows)?;
    // The values in effect are all listed, a file value that breaks its rule included, so
    // that the user sees it; then it gets the verdict every command gives it: exit 1 and its
    // line.
    settings::check_file(&snapshot, &path, &effective)
}

/// The listing for people, printed value by value as the file is read (a file of 100,000
/// profiles is never held as a list). The same rows and verdict as `--json`'s.
fn listing(
    options: &ListArgs,
    prefix: Option<&Key>,
    snapshot: &Snapshot,
    path: &Path,
    overrides: &[Override],
    out: &mut Output<'_>,
) -> Result<(), CommandError> {
    let file: Arc<Path> = Arc::from(path);
    let mut listed = false;
    // A failure to print stops the listing; the first value that breaks its rule is
    // reported after it.
    let (mut stopped, mut invalid) = (None, None);
    settings::visit_effective(
        snapshot,
        path,
        overrides,
        options.include_defaults,
        |entry| {
            if stopped.is_some() || prefix.is_some_and(|p| !entry.key.starts_with(p)) {
                return;
            }
            listed = true;
            // The file value an override hides, listed after it with --include-overridden.
            let hidden = match (&entry.origin, options.include_overridden) {
                (Origin::Env(var), true) => snapshot
                    .get(&entry.key.to_string())
                    .map(|value| value.map(|value| (value, *var)))
                    .map_err(CommandError::from),
                _ => Ok(None),
            };
            let printed = hidden.and_then(|hidden| {
                row_line(out, options, &entry, None)?;
                let Some((value, var)) = hidden else {
                    return Ok(());
                };
                let origin = Origin::File(Arc::clone(&file));
                let key = entry.key.clone();
                row_line(out, options, &Entry { key, value, origin }, Some(var))
            });
            if let Err(e) = printed {
                stopped = Some(e);
                return;
            }
            if invalid.is_none() && matches!(entry.origin, Origin::File(_)) {
                let line = || snapshot.line_of(&entry.key);
                invalid = settings::checked(&entry.key, entry.value, path, line).err();
            }
        },
    );
    if let Some(e) = stopped {
        return Err(e);
    }
    if let (false, Some(prefix)) = (listed, prefix) {
        // As `config get` of a key that is not set: exit 1.
        return Err(CommandError::quiet_failure(format!(
            "nothing is set under `{prefix}`"
        )));
    }
    invalid.map_or(Ok(()), Err)
}

/// One row of the listing: `KEY = VALUE`, after its origin with `--show-origin`, and the
/// variable that hides it for a file value an override hides.
fn row_line(
    out: &mut Output<'_>,
    options: &ListArgs,
    e: &Entry,
    hidden_by: Option<&str>,
) -> Result<(), CommandError> {
    let note = hidden_by
        .map(|var| format!("  # overridden by {var}"))
        .unwrap_or_default();
    if options.show_origin {
        out.line(format_args!(
            "{}\t{} = {}{note}",
            e.origin,
            e.key,
            toml_value(&e.value)
        ))
    } else {
        out.line(format_args!("{} = {}{note}", e.key, toml_value(&e.value)))
    }
}
