//! `cleveragents server forget NAME`: delete a saved profile's fields.

use cleveragents_config::Key;
use serde_json::json;

use crate::commands::server::names::{check_profile_name, no_such_profile, profile_exists};
use crate::commands::{committed, Context};
use crate::connection;
use crate::error::CommandError;
use crate::output::Output;

/// Delete a saved profile
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Delete the profile NAME: its url, namespace, tls-verify, ca-cert and \
timeout, each listed; keys of the profile no command owns stay. The connection in [server] is \
not changed; when it was made from that profile, it no longer names it (server.profile).",
    after_help = "Example:\n  cleveragents server forget lab"
)]
pub struct ForgetArgs {
    /// The profile to delete
    #[arg(add = clap_complete::engine::ArgValueCompleter::new(crate::complete::profile_names))]
    pub name: String,
}

/// Runs `server forget NAME`. The keys of the profile no command owns stay (and with them
/// the table); every key removed is listed.
pub fn run(name: &str, ctx: &Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    let store = ctx.store()?;
    let prefix = crate::connection::profile_prefix(name);
    let (outcome, changes) = store
        .transaction(|tx| {
            // Only the profile's table and `[server]` are read, once, not the whole file.
            let tables = [connection::profile_key(name), Key::root("server")];
            let (mine, server): (Vec<_>, Vec<_>) = tx
                .entries_under(&tables)
                .into_iter()
                .partition(|(key, _)| connection::is_profile_key(key, name));
            let mut removed = Vec::new();
            if profile_exists(&mine, name) {
                let owned = connection::profile_field;
                removed = connection::remove_fields_in(tx, &prefix, owned, &mine)?;
            }
            if removed.is_empty() {
                // No such profile: a name that could never be one gets the rule.
                return Ok(Err(check_profile_name(name).err().unwrap_or_else(|| {
                    no_such_profile(name, &tx.entries())
                        .with_hint("list profiles with `cleveragents server profiles`")
                })));
            }
            // What stays of the profile: its values that were not removed.
            let kept: Vec<String> = mine
                .iter()
                .map(|(key, _)| key.to_string())
                .filter(|key| !removed.contains(key))
                .collect();
            if connection::current_profile(&server).as_deref() == Some(name) {
                tx.unset(connection::CURRENT_PROFILE)?;
                removed.push(connection::CURRENT_PROFILE.to_string());
            }
            Ok(Ok((removed, kept)))
        })?
        .into_parts();
    let (removed, kept) = outcome?;
    committed(out, &changes);
    if out.is_json() {
        return out.json(&json!({
            "forgotten": name,
            "removed": removed,
            "kept": kept,
            "config": store.path().display().to_string(),
        }));
    }
    out.line(format_args!(
        "forgot profile {name}: removed {}",
        removed.join(", ")
    ))?;
    if !kept.is_empty() {
        out.note(format!(
            "kept {}: no command owns {}",
            kept.join(", "),
            if kept.len() == 1 { "it" } else { "them" }
        ));
    }
    Ok(())
}
