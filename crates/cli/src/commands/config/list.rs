//! `cleveragents config list`: the values in effect, optionally with their origins.

use cleveragents_config::ConfigStore;
use serde_json::json;

use crate::commands::Context;
use crate::env;
use crate::error::CommandError;
use crate::output::{toml_value, Output};
use crate::settings;

/// Runs `config list`.
pub fn run(
    show_origin: bool,
    include_defaults: bool,
    ctx: &Context<'_>,
    out: &mut Output<'_>,
) -> Result<(), CommandError> {
    let (path, _) = ctx.config_path()?;
    let snapshot = ConfigStore::open(&path).load()?;
    let overrides = env::overrides(ctx.env)?;
    let entries = settings::effective(&snapshot, &path, &overrides, include_defaults);
    if out.is_json() {
        let rows: Vec<_> = entries
            .iter()
            .map(|e| {
                json!({
                    "key": e.key.to_string(),
                    "value": e.value,
                    "origin": e.origin.kind(),
                    "source": e.origin.source(),
                })
            })
            .collect();
        return out.json(&rows);
    }
    for e in &entries {
        if show_origin {
            out.line(format_args!(
                "{}\t{} = {}",
                e.origin,
                e.key,
                toml_value(&e.value)
            ))?;
        } else {
            out.line(format_args!("{} = {}", e.key, toml_value(&e.value)))?;
        }
    }
    Ok(())
}
