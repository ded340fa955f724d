//! `cleveragents server use NAME`: copy a saved profile into `[server]` in one transaction;
//! `server use -` swaps the connection and the previous one.

use serde::Serialize;

use crate::commands::server::connect::report_replaced;
use crate::commands::server::{check_profile_name, no_such_profile, profile_exists};
use crate::commands::{committed, Context};
use crate::error::{quote, CommandError};
use crate::output::Output;
use crate::settings::{self, Recorded, Replaced, ServerSettings};

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
    let prefix = format!("profiles.{name}");
    let mut used = None;
    let mut exists = false;
    let mut replaced = Replaced::Nothing;
    let mut unusable_ca = None;
    let mut all = Vec::new();
    let changes = store.transaction(|tx| {
        let entries = tx.entries();
        let values = settings::profile_values(&entries, name);
        exists = profile_exists(&entries, name);
        // Nothing is written when the profile is missing: `used` stays `None`.
        if let Some(found) = ServerSettings::from_values(&prefix, values)? {
            // A CA file deleted since it was saved fails here, naming the profile's key.
            if let Some(ca) = &found.ca_cert {
                if let Err(reason) = cleveragents_config::schema::check_ca_file(ca) {
                    unusable_ca = Some(format!("{ca} {reason}"));
                    return Ok(());
                }
            }
            replaced = settings::replace_connection(tx, &found, Some(name))?;
            used = Some(found);
        }
        all = entries;
        Ok(())
    })?;
    if let Some(reason) = unusable_ca {
        let key = format!("{prefix}.ca-cert");
        return Err(CommandError::failure(format!(
            "cannot use profile {}: the CA file of `{key}`, {reason}",
            quote(name)
        ))
        .with_hint(format!(
            "restore the file, or name another PEM file: `cleveragents config set {key} PEM` (or remove it: `cleveragents config unset {key}`)"
        ))
        .with_hint("nothing was written"));
    }
    let Some(used) = used else {
        if !exists {
            // No such profile: a name that could never be one gets the rule.
            check_profile_name(name)?;
        }
        let error = if exists {
            CommandError::failure(format!("profile {} has no url", quote(name)))
        } else {
            no_such_profile(name, &all)
        };
        return Err(error
            .with_hint("list profiles with `cleveragents server profiles`; save one with `cleveragents server connect URL --save-as NAME`"));
    };
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

/// `server use -`: the previous connection becomes the connection, and the connection the
/// previous one.
fn previous(ctx: &Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    let store = ctx.store()?;
    let mut swapped = None;
    let changes = store.transaction(|tx| {
        swapped = settings::swap_with_previous(tx)?;
        Ok(())
    })?;
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
            replaced: before.as_ref(),
        });
    }
    out.line(format_args!(
        "using the previous connection: {}",
        now.describe()
    ))?;
    match before {
        Some(before) => report_replaced(out, &Replaced::Kept(before)),
        None => Ok(()),
    }
}
