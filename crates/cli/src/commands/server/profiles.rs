//! `cleveragents server profiles`: the saved profiles; `*` marks the current one.

use serde::Serialize;

use crate::commands::Context;
use crate::connection::{self, Profile};
use crate::error::CommandError;
use crate::output::Output;
use crate::settings;

/// List saved profiles (`*` marks the one in use)
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cleveragents server profiles\n  cleveragents server profiles --names\n  cleveragents server profiles --json"
)]
pub struct ProfilesArgs {
    /// Print only the names, one a line (with --json, an array of names), for scripts
    #[arg(long)]
    pub names: bool,
}

#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    profile: &'a Profile,
    active: bool,
    /// True for the profile the previous connection was made from (`server use -`).
    previous: bool,
    /// For the current profile: the fields the connection changed since it was used.
    #[serde(rename = "changed-since")]
    changed_since: Vec<&'static str>,
}

/// Runs `server profiles`.
pub fn run(names: bool, ctx: &Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    let (path, _) = ctx.config_path()?;
    let snapshot = ctx.store()?.load()?;
    // The file's values, listed once.
    let file_entries = snapshot.entries();
    if names {
        // Every profile the file holds, valid or not: what `server use` and `forget` take.
        let names = connection::profile_names(&file_entries);
        if out.is_json() {
            return out.json(&names);
        }
        return names.iter().try_for_each(|name| out.line(name));
    }
    let (profiles, warnings) = connection::profiles_of(&snapshot, &file_entries, &path);
    for warning in &warnings {
        out.warn(warning);
    }
    // The file's own [server], not environment overrides: "in use" means "copied from".
    let server = file_entries
        .iter()
        .filter(|(key, _)| connection::is_server_key(key))
        .cloned()
        .collect();
    let entries = settings::effective_of(server, &path, &[], false);
    let current = settings::connection(&entries, &path, &snapshot)?;
    // The profile `server use` recorded; a file without one is matched by its settings.
    let named = connection::current_profile(&file_entries);
    let previous = match connection::shown_previous(&snapshot, &path, &file_entries) {
        Ok(previous) => previous,
        Err(warning) => {
            out.warn(&warning);
            None
        }
    };
    let rows: Vec<Row<'_>> = profiles
        .iter()
        .map(|profile| {
            let active = match &named {
                Some(name) => *name == profile.name,
                None => current.as_ref() == Some(&profile.settings),
            };
            let changed_since = if active {
                connection::changed_since(&file_entries, &profile.name)
            } else {
                Vec::new()
            };
            Row {
                profile,
                active,
                previous: previous
                    .as_ref()
                    .and_then(|p| p.profile.as_deref())
                    .is_some_and(|name| name == profile.name),
                changed_since,
            }
        })
        .collect();
    if out.is_json() {
        return out.json(&rows);
    }
    if rows.is_empty() && warnings.is_empty() {
        out.note(
            "no saved profiles; save one with `cleveragents server connect URL --save-as NAME`",
        );
    }
    let width = rows
        .iter()
        .map(|r| r.profile.name.chars().count())
        .max()
        .unwrap_or(0);
    for row in &rows {
        let s = &row.profile.settings;
        let mut details = vec![format!("namespace {}", s.namespace)];
        if !s.tls_verify {
            details.push("tls-verify off".into());
        }
        if let Some(ca) = &s.ca_cert {
            details.push(format!("ca-cert {ca}"));
        }
        if let Some(timeout) = &s.timeout {
            details.push(format!("timeout {timeout}"));
        }
        let changed = if row.changed_since.is_empty() {
            String::new()
        } else {
            let fields = row.changed_since.join(", ");
            format!("; current connection changed: {fields}")
        };
        let mark = match (row.active, row.previous) {
            (true, _) => '*',
            (false, true) => '-',
            (false, false) => ' ',
        };
        out.line(format_args!(
            "{mark} {:width$}  {}  ({}{changed})",
            row.profile.name,
            s.url,
            details.join(", ")
        ))?;
    }
    // A previous connection that is a listed profile is marked `-`; another is named.
    match previous.filter(|_| !rows.iter().any(|row| row.previous)) {
        Some(previous) => out.line(format_args!(
            "previous connection: {}; `cleveragents server use -` returns to it",
            previous.describe()
        )),
        None => Ok(()),
    }
}
