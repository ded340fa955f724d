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
not changed; when it was made from that profile, it no longer names it (server.profile). The \
`config set` command that saves the profile again, with its values, is printed as a note \
(under --json, as \"restore\", its arguments).",
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
            // What saves it again: each value removed, as `config set` takes it.
            let mut restore = vec!["cleveragents".to_string(), "config".into(), "set".into()];
            for (key, value) in &mine {
                let key = key.to_string();
                if removed.contains(&key) {
                    restore.push(key);
                    restore.push(
                        value
                            .as_str()
                            .map_or_else(|| value.to_string(), str::to_string),
                    );
                }
            }
            if connection::current_profile(&server).as_deref() == Some(name) {
                tx.unset(connection::CURRENT_PROFILE)?;
                removed.push(connection::CURRENT_PROFILE.to_string());
                restore.extend([connection::CURRENT_PROFILE.to_string(), name.to_string()]);
            }
            Ok(Ok((removed, kept, restore)))
        })?
        .into_parts();
    let (removed, kept, restore) = outcome?;
    committed(out, &changes);
    if out.is_json() {
        return out.json(&json!({
            "forgotten": name,
            "removed": removed,
            "kept": kept,
            "restore": restore,
            "config": store.path().display().to_string(),
        }));
    }
    out.line(format_args!(
        "forgot profile {name}: removed {}",
        removed.join(", ")
    ))?;
    // A value no shell can pass (a NUL character) leaves the command out; --json has it.
    if let Ok(command) = shlex::try_join(restore.iter().map(String::as_str)) {
        out.note(format!("to restore it: {command}"));
    }
    if !kept.is_empty() {
        out.note(format!(
            "kept {}: no command owns {}",
            kept.join(", "),
            if kept.len() == 1 { "it" } else { "them" }
        ));
    }
    Ok(())
}
