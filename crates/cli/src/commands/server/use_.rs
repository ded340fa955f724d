//! `cleveragents server use NAME`: copy a saved profile into `[server]` in one transaction;
//! `server use -` swaps the connection and the previous one.

use serde::Serialize;

use crate::commands::server::connect::report_replaced;
use crate::commands::server::names::{check_profile_name, no_such_profile, profile_exists};
use crate::commands::{committed, Context};
use crate::connection::{self, Recorded, Replaced, ServerSettings};
use crate::error::{quote, CommandError};
use crate::output::Output;
use crate::settings;

/// Make a saved profile the connection; `-` returns to the previous connection
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Copy the profile NAME into [server] in one transaction. The connection \
it replaces is kept as the previous connection ([previous-server]); `server use -` swaps the \
connection and the previous one, as `cd -` does. Profiles are saved with `server connect URL \
--save-as NAME`.",
    after_help = "Examples:\n  cleveragents server profiles\n  cleveragents server use lab\n  cleveragents server use -"
)]
pub struct UseArgs {
    /// The profile to use, or `-` for the previous connection
    #[arg(add = clap_complete::engine::ArgValueCompleter::new(crate::complete::profile_names))]
    pub name: String,
    /// Accepted for older scripts; nothing is refused without it
    #[arg(long, hide = true)]
    pub force: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    profile: Option<&'a str>,
    #[serde(flatten)]
    settings: &'a ServerSettings,
    config: String,
    changed: bool,
    /// The connection this one replaced, now the previous one (`server use -`).
    replaced: Option<&'a Recorded>,
}

/// The argument of `server use` that returns to the previous connection.
pub const PREVIOUS_ARG: &str = "-";

/// Runs `server use NAME`. `--force` is accepted and changes nothing: the replaced connection
/// is always kept as the previous one.
pub fn run(name: &str, ctx: &Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    if name == PREVIOUS_ARG {
        return previous(ctx, out);
    }
    let store = ctx.store()?;
    let prefix = crate::connection::profile_prefix(name);
    let (outcome, changes) = store
        .transaction(|tx| {
            // Only the profile's table is read, not the whole file.
            let entries = tx.entries_under(&[connection::profile_key(name)]);
            let values = connection::profile_values(&entries, name);
            // Nothing is written when the profile is missing or unusable.
            let found = match ServerSettings::from_values(&prefix, values) {
                Ok(Some(found)) => found,
                Ok(None) => return Ok(Err(missing(name, &tx.entries()))),
                // A value of the file that breaks its rule: the one verdict, with its line.
                Err(e) => {
                    return Ok(Err(settings::invalid_value(store.path(), &e, |key| {
                        tx.line_of(key)
                    })))
                }
            };
            // A CA file deleted since it was saved fails here, naming the profile's key.
            if let Some(ca) = &found.ca_cert {
                if let Err(reason) = cleveragents_config::schema::check_ca_file(ca) {
                    return Ok(Err(unusable_ca(name, &prefix, &format!("{ca} {reason}"))));
                }
            }
            let replaced = connection::replace_connection(tx, &found, Some(name))?;
            Ok(Ok((found, replaced)))
        })?
        .into_parts();
    let (used, replaced) = outcome?;
    committed(out, &changes);
    if out.is_json() {
        return out.json(&Report {
            profile: Some(name),
            settings: &used,
            config: store.path().display().to_string(),
            changed: !changes.is_empty(),
            replaced: match &replaced {
                Replaced::Kept(old) => Some(old),
                _ => None,
            },
        });
    }
    out.line(format_args!(
        "using profile {name}: {} (namespace {})",
        used.url, used.namespace
    ))?;
    report_replaced(out, &replaced)
}

/// Why profile `name` cannot be used: there is none of that name (a name that could never be
/// one gets the rule), or it has no url.
fn missing(
    name: &str,
    entries: &[(cleveragents_config::Key, cleveragents_config::Value)],
) -> CommandError {
    let error = if profile_exists(entries, name) {
        CommandError::failure(format!("profile {} has no url", quote(name)))
    } else if let Err(error) = check_profile_name(name) {
        return error;
    } else {
        no_such_profile(name, entries)
    };
    error.with_hint("list profiles with `cleveragents server profiles`; save one with `cleveragents server connect URL --save-as NAME`")
}

/// Why profile `name` cannot be used: its CA file is gone or unusable (`reason`).
fn unusable_ca(name: &str, prefix: &str, reason: &str) -> CommandError {
    let key = format!("{prefix}.ca-cert");
    CommandError::failure(format!(
        "cannot use profile {}: the CA file of `{key}`, {reason}",
        quote(name)
    ))
    .with_hint(format!(
        "restore the file, or name another PEM file: `cleveragents config set {key} PEM` (or remove it: `cleveragents config unset {key}`)"
    ))
    .with_hint("nothing was written")
}

/// Why the previous connection cannot be returned to: its CA file is gone or unusable.
fn unusable_previous_ca(reason: &str) -> CommandError {
    let key = format!("{}.ca-cert", connection::PREVIOUS);
    CommandError::failure(format!(
        "cannot return to the previous connection: the CA file of `{key}`, {reason}"
    ))
    .with_hint(format!(
        "restore the file, or name another PEM file: `cleveragents config set {key} PEM` (or remove it: `cleveragents config unset {key}`)"
    ))
    .with_hint("nothing was written")
}

/// `server use -`: the previous connection becomes the connection, and the connection the
/// previous one.
fn previous(ctx: &Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    let store = ctx.store()?;
    let (outcome, changes) = store
        .transaction(|tx| {
            // A value that breaks its rule, or a CA file deleted since, fails here, naming
            // the previous connection's key.
            let previous = match connection::previous_connection(
                &tx.entries_under(&connection::table_keys(&[connection::PREVIOUS])),
            ) {
                Ok(previous) => previous,
                Err(e) => {
                    return Ok(Err(settings::invalid_value(store.path(), &e, |key| {
                        tx.line_of(key)
                    })))
                }
            };
            if let Some(ca) = previous.and_then(|p| p.settings.ca_cert) {
                if let Err(reason) = cleveragents_config::schema::check_ca_file(&ca) {
                    return Ok(Err(unusable_previous_ca(&format!("{ca} {reason}"))));
                }
            }
            connection::swap_with_previous(tx).map(Ok)
        })?
        .into_parts();
    let swapped = outcome?;
    let Some((now, before)) = swapped else {
        return Err(CommandError::failure("no previous connection to return to").with_hint(
            "`server connect`, `server use NAME` and `server disconnect` keep the connection they replace; nothing was written",
        ));
    };
    committed(out, &changes);
    if out.is_json() {
        return out.json(&Report {
            profile: now.profile.as_deref(),
            settings: &now.settings,
            config: store.path().display().to_string(),
            changed: !changes.is_empty(),
            replaced: match &before {
                Replaced::Kept(old) => Some(old),
                _ => None,
            },
        });
    }
    out.line(format_args!(
        "using the previous connection: {}",
        now.describe()
    ))?;
    report_replaced(out, &before)
}
