//! `cleveragents server forget NAME`: delete a saved profile.

use serde_json::json;

use crate::commands::server::{check_profile_name, no_such_profile, profile_exists};
use crate::commands::{committed, Context};
use crate::error::CommandError;
use crate::output::Output;

/// Runs `server forget NAME`.
pub fn run(name: &str, ctx: &Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    let store = ctx.store()?;
    let mut removed = false;
    let mut all = Vec::new();
    let changes = store.transaction(|tx| {
        all = tx.entries();
        if profile_exists(&all, name) {
            removed = tx.unset(&format!("profiles.{name}"))?;
            if crate::settings::current_profile(&all).as_deref() == Some(name) {
                tx.unset(crate::settings::CURRENT_PROFILE)?;
            }
        }
        Ok(())
    })?;
    if !removed {
        // No such profile: a name that could never be one gets the rule.
        check_profile_name(name)?;
        return Err(no_such_profile(name, &all)
            .with_hint("list profiles with `cleveragents server profiles`"));
    }
    committed(out, &changes);
    if out.is_json() {
        return out.json(&json!({
            "forgotten": name,
            "config": store.path().display().to_string(),
        }));
    }
    out.line(format_args!("forgot profile {name}"))
}
