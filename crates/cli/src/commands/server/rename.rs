//! `cleveragents server rename OLD NEW`: rename a saved profile in one transaction.

use serde_json::json;

use crate::commands::server::{check_profile_name, no_such_profile, profile_exists};
use crate::commands::{committed, Context};
use crate::connection::{self, CURRENT_PROFILE, PREVIOUS};
use crate::error::{quote, CommandError};
use crate::output::Output;

/// Runs `server rename OLD NEW`: the fields of profile OLD move to NEW, and the records of
/// the profile the connection and the previous connection were made from follow. Keys of
/// OLD that no command owns stay where they are, and are named.
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
            if old != new && profile_exists(&entries, new) {
                return Ok(Err(CommandError::failure(format!(
                    "a profile named {} exists already",
                    quote(new)
                ))
                .with_hint(format!(
                    "forget it first (`cleveragents server forget {new}`), or choose another name"
                ))
                .with_hint("nothing was written")));
            }
            let mut moved = Vec::new();
            for (field, value) in connection::profile_values(&entries, old) {
                if connection::profile_field(field) {
                    tx.set(&format!("{to}.{field}"), value.clone())?;
                    moved.push(format!("{from}.{field}"));
                }
            }
            if old != new {
                connection::remove_fields(tx, &from, connection::profile_field)?;
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
            let kept: Vec<String> = tx
                .entries()
                .into_iter()
                .filter(|(key, _)| old != new && connection::is_profile_key(key, old))
                .map(|(key, _)| key.to_string())
                .collect();
            Ok(Ok((moved, followed, kept)))
        })?
        .into_parts();
    let (moved, followed, kept) = outcome?;
    committed(out, &changes);
    if out.is_json() {
        return out.json(&json!({
            "from": old,
            "to": new,
            "moved": moved,
            "followed": followed,
            "kept": kept,
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
    if !kept.is_empty() {
        out.note(format!(
            "kept {}: no command owns {}",
            kept.join(", "),
            if kept.len() == 1 { "it" } else { "them" }
        ));
    }
    Ok(())
}
