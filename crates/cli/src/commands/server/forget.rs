//! `cleveragents server forget NAME`: delete a saved profile's fields.

use serde_json::json;

use crate::commands::server::{check_profile_name, no_such_profile, profile_exists};
use crate::commands::{committed, Context};
use crate::error::CommandError;
use crate::output::Output;
use crate::settings::{self, PROFILE_FIELDS};

/// Runs `server forget NAME`. The keys of the profile no command owns stay (and with them
/// the table); every key removed is listed.
pub fn run(name: &str, ctx: &Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    let store = ctx.store()?;
    let prefix = format!("profiles.{name}");
    let mut removed = Vec::new();
    let mut kept = Vec::new();
    let mut all = Vec::new();
    let changes = store.transaction(|tx| {
        all = tx.entries();
        if profile_exists(&all, name) {
            removed = settings::remove_fields(tx, &prefix, &PROFILE_FIELDS)?;
            if !removed.is_empty() && settings::current_profile(&all).as_deref() == Some(name) {
                tx.unset(settings::CURRENT_PROFILE)?;
                removed.push(settings::CURRENT_PROFILE.to_string());
            }
            kept = tx
                .entries()
                .into_iter()
                .filter(|(key, _)| settings::is_profile_key(key, name))
                .map(|(key, _)| key.to_string())
                .collect();
        }
        Ok(())
    })?;
    if removed.is_empty() {
        // No such profile: a name that could never be one gets the rule.
        check_profile_name(name)?;
        return Err(no_such_profile(name, &all)
            .with_hint("list profiles with `cleveragents server profiles`"));
    }
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
