//! `cleveragents config get KEY`: the value in effect; like git, a missing key prints nothing
//! and exits 1.

use cleveragents_config::{schema, Key, Snapshot};

use crate::commands::Context;
use crate::env;
use crate::error::CommandError;
use crate::output::Output;
use crate::settings::{self, Entry, Origin};

/// Print the value of a key
#[derive(Debug, clap::Args)]
#[command(
    long_about = "\
Print the value in effect for KEY: an environment override, else the file, else the key's \
default. An array or an inline table (`t = { a = 1 }`) is one value: it prints as TOML (without \
the comment after it), and as a JSON array or object under --json. A table with a header \
(`[other-tool]`) and a connection's table (`server`, `profiles.prod`, however it is written) \
print their values as `config list TABLE` does. Like git: a key with no value prints nothing and exits 1; under --json, stdout \
holds an error object saying why.",
    after_help = "\
Examples:
  cleveragents config get server.url
  cleveragents config get profiles.prod
  cleveragents config get server.timeout --json"
)]
pub struct GetArgs {
    /// A dotted key, e.g. server.url or profiles.lab.namespace
    #[arg(add = clap_complete::engine::ArgValueCompleter::new(crate::complete::config_keys))]
    pub key: String,
}

/// Runs `config get KEY`.
pub fn run(key: &str, ctx: &Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    let key = Key::parse(key)?;
    let (path, _) = ctx.config_path()?;
    let store = ctx.store()?;
    let overrides = env::overrides(ctx.env)?;
    let entry = match overrides.iter().find(|o| o.key == key) {
        Some(o) => Some(Entry {
            key: key.clone(),
            value: o.value.clone(),
            origin: Origin::Env(o.var),
        }),
        // The store's one-key read: no editable document is built for a value in the file.
        None => match store.get(&key.to_string())? {
            Some(value) => Some(Entry {
                value: settings::checked(&key, value, &path, || store.load().ok()?.line_of(&key))?,
                key: key.clone(),
                origin: Origin::File(path.as_path().into()),
            }),
            None => {
                let snapshot = store.load()?;
                let entry = settings::lookup(&snapshot, &path, &[], &key)?;
                let inline = if schema::is_table(&key) {
                    // A connection's table lists its values in effect, however it is written.
                    None
                } else {
                    snapshot.inline_table(&key.to_string())?
                };
                if let Some(value) = inline {
                    // `t = { a = 1 }`: one value, printed as written.
                    Some(Entry {
                        key: key.clone(),
                        value,
                        origin: Origin::File(path.as_path().into()),
                    })
                } else if entry.is_none() && is_table(&snapshot, &key) {
                    // A table: its values, as `config list TABLE` prints them.
                    let options = super::list::ListArgs {
                        prefix: Some(key.to_string()),
                        ..Default::default()
                    };
                    return super::list::run(options, ctx, out);
                } else {
                    entry
                }
            }
        },
    };
    let Some(entry) = entry else {
        return Err(not_set(&key));
    };
    if out.is_json() {
        return out.json(&entry.to_json());
    }
    out.line(&entry.value)
}

/// Exit 1 and, like git, nothing on stderr; under `--json` the error object says why.
fn not_set(key: &Key) -> CommandError {
    let spec = cleveragents_config::schema::lookup(key);
    let var = spec
        .and_then(|spec| spec.env)
        .map(|var| format!(", {var} is not set"))
        .unwrap_or_default();
    let default = spec.map_or("", |spec| match spec.default {
        None => ", and the key has no default",
        // A profile key's default applies to a profile that exists.
        Some(_) => ", and no such profile exists for its default to apply to",
    });
    CommandError::quiet_failure(format!(
        "`{key}` is not set: it is not in the file{var}{default}"
    ))
    .with_hint(format!("set it with `cleveragents config set {key} VALUE`"))
}

fn is_table(snapshot: &Snapshot, key: &Key) -> bool {
    snapshot
        .entries()
        .iter()
        .any(|(k, _)| k.starts_with(key) && k.len() > key.len())
}
