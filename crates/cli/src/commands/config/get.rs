//! `cleveragents config get KEY`: the value in effect; like git, a missing key prints nothing
//! and exits 1.

use cleveragents_config::{ConfigStore, Key};
use serde_json::json;

use crate::commands::Context;
use crate::env;
use crate::error::CommandError;
use crate::output::Output;
use crate::settings;

/// Runs `config get KEY`.
pub fn run(key: &str, ctx: &Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    let key = Key::parse(key)?;
    let (path, _) = ctx.config_path()?;
    let snapshot = ConfigStore::open(&path).load()?;
    let overrides = env::overrides(ctx.env)?;
    let Some(entry) = settings::lookup(&snapshot, &path, &overrides, &key)? else {
        let is_table = snapshot
            .entries()
            .iter()
            .any(|(k, _)| k.starts_with(&key) && k.segments().len() > key.segments().len());
        if is_table {
            out.note(format_args!(
                "`{key}` is a table, not a value: see its values with `cleveragents config list`"
            ));
        }
        return Err(CommandError::quiet_failure());
    };
    if out.is_json() {
        return out.json(&json!({
            "key": entry.key.to_string(),
            "value": entry.value,
            "origin": entry.origin.kind(),
            "source": entry.origin.source(),
        }));
    }
    out.line(&entry.value)
}
