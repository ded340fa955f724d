//! `cleveragents server rename OLD NEW`: rename a saved profile in one transaction.

use serde_json::json;

use crate::commands::server::names::{check_profile_name, no_such_profile, profile_exists};
use crate::commands::{committed, Context};
use crate::connection::{self, CURRENT_PROFILE, PREVIOUS};
use crate::error::{quote, CommandError};
use crate::output::Output;

/// Rename a saved profile
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Rename the profile OLD to NEW in one transaction: its whole table moves \
(url, namespace, tls-verify, ca-cert, timeout, keys of your own and comments, in their place \
in the file), and server.profile and previous-server.profile follow when they name OLD. NEW \
must follow the profile-name rule, and nothing may exist under profiles.NEW yet.",
    after_help = "Example:\n  cleveragents server rename lab lab-old"
)]
pub struct RenameArgs {
    /// The profile to rename
    #[arg(add = clap_complete::engine::ArgValueCompleter::new(crate::complete::profile_names))]
    pub old: String,
    /// Its new name
    pub new: String,
}

/// Runs `server rename OLD NEW`: the fields of profile OLD move to NEW, and the records of
/// the profile the connection and the previous connection were made from follow. The whole
/// table moves, with the keys a user added to it and its comments.
pub fn run(
    old: &str,
    new: &str,
    ctx: &Context<'_>,
    out: &mut Output<'_>,
) -> Result<(), CommandError> {
    check_profile_name(new)?;
    let store = ctx.store()?;
    let from = crate::connection::profile_prefix(old);
    let to = crate::connection::profile_prefix(new);
    let (outcome, changes) = store
        .transaction(|tx| {
            let entries = tx.entries();
            if !profile_exists(&entries, old) {
                // No such profile: a name that could never be one gets the rule.
                return Ok(Err(check_profile_name(old).err().unwrap_or_else(|| {
                    no_such_profile(old, &entries)
                        .with_hint("list profiles with `cleveragents server profiles`")
                })));
            }
            // The whole table moves: the keys a user added and the comments go with it.
            let moved: Vec<String> = entries
                .iter()
                .filter(|(key, _)| connection::is_profile_key(key, old))
                .map(|(key, _)| key.to_string())
                .collect();
            // Anything already under the new name, a profile, keys left by hand or an empty
            // table, would be mixed into the renamed one or hide it: refuse, naming it.
            if old != new && !tx.rename_table(&from, &to)? {
                let taken: Vec<String> = entries
                    .iter()
                    .filter(|(key, _)| connection::is_profile_key(key, new))
                    .map(|(key, _)| key.to_string())
                    .collect();
                let holding = taken.first().map(|_| format!(": {}", taken.join(", ")));
                return Ok(Err(CommandError::failure(format!(
                    "{to} exists already{}",
                    holding.unwrap_or_default()
                ))
                .with_hint(format!(
                    "remove it first (`cleveragents config unset {to}`), or choose another name"
                ))
                .with_hint("nothing was written")));
            }
            // The records that name the profile follow it.
            let mut followed = Vec::new();
            for key in [CURRENT_PROFILE.to_string(), format!("{PREVIOUS}.profile")] {
                if tx
                    .get(&key)?
                    .and_then(|v| v.as_str().map(str::to_string))
                    .as_deref()
                    == Some(old)
                {
                    tx.set_str(&key, new)?;
                    followed.push(key);
                }
            }
            Ok(Ok((moved, followed)))
        })?
        .into_parts();
    let (moved, followed) = outcome?;
    committed(out, &changes);
    if out.is_json() {
        return out.json(&json!({
            "from": old,
            "to": new,
            "moved": moved,
            "followed": followed,
            "config": store.path().display().to_string(),
        }));
    }
    if old == new {
        return out.line(format_args!(
            "profile {new} already has that name: nothing to do"
        ));
    }
    out.line(format_args!(
        "renamed profile {old} to {new}: moved {}",
        moved.join(", ")
    ))?;
    for key in &followed {
        out.line(format_args!("set {key} = {}", quote(new)))?;
    }
    Ok(())
}
