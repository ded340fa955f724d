//! `cleveragents server use NAME`: copy a saved profile into `[server]` in one transaction.

use serde::Serialize;

use crate::commands::server::{check_profile_name, no_such_profile, profile_exists};
use crate::commands::{committed, Context};
use crate::error::{quote, CommandError};
use crate::output::Output;
use crate::settings::ServerSettings;

#[derive(Serialize)]
struct Report<'a> {
    profile: &'a str,
    #[serde(flatten)]
    settings: &'a ServerSettings,
    config: String,
    changed: bool,
}

/// Runs `server use NAME`.
pub fn run(
    name: &str,
    force: bool,
    ctx: &Context<'_>,
    out: &mut Output<'_>,
) -> Result<(), CommandError> {
    let store = ctx.store()?;
    let prefix = format!("profiles.{name}");
    let mut used = None;
    let mut exists = false;
    let mut refused = None;
    let mut unusable_ca = None;
    let mut all = Vec::new();
    let changes = store.transaction(|tx| {
        let entries = tx.entries();
        let values = crate::settings::profile_values(&entries, name);
        exists = profile_exists(&entries, name);
        all.clone_from(&entries);
        // Nothing is written when the profile is missing: `used` stays `None`.
        if let Some(settings) = ServerSettings::from_values(&prefix, values)? {
            // A CA file deleted since it was saved fails here, naming the profile's key.
            if let Some(ca) = &settings.ca_cert {
                if let Err(reason) = cleveragents_config::schema::check_ca_file(ca) {
                    unusable_ca = Some(format!("{ca} {reason}"));
                    return Ok(());
                }
            }
            if !force {
                refused = crate::settings::unsaved_connection(&entries, Some(&settings));
                if refused.is_some() {
                    return Ok(());
                }
            }
            settings.write(tx, "server")?;
            tx.set_str(crate::settings::CURRENT_PROFILE, name)?;
            used = Some(settings);
        }
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
    if let Some(refusal) = refused {
        return Err(refusal.with_hint("nothing was written"));
    }
    let Some(settings) = used else {
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
            profile: name,
            settings: &settings,
            config: store.path().display().to_string(),
            changed: !changes.is_empty(),
        });
    }
    out.line(format_args!(
        "using profile {name}: {} (namespace {})",
        settings.url, settings.namespace
    ))
}
