//! `cleveragents config set KEY VALUE [KEY VALUE ...]`: all pairs in one transaction; one bad
//! pair and none is applied.

use std::path::Path;

use cleveragents_config::schema::{self, Kind};
use cleveragents_config::{Key, Value};
use serde_json::json;

use crate::commands::{committed, Context};
use crate::connection;
use crate::env::override_var;
use crate::error::{quote, CommandError};
use crate::output::{toml_value, Output};

/// Set one or more keys, all or none
#[derive(Debug, clap::Args)]
#[command(
    long_about = "\
Set each KEY to its VALUE in one transaction: if any pair is refused (unknown key, value \
breaking its rule) none is applied and the file is unchanged. Values are typed by their key: \
tls-verify takes true/false, timeout a duration like 30s.",
    after_help = known_keys_help()
)]
pub struct SetArgs {
    /// KEY VALUE pairs
    #[arg(
        required = true,
        num_args = 1..,
        value_names = ["KEY", "VALUE"],
        add = clap_complete::engine::ArgValueCompleter::new(crate::complete::KeyValuePairs)
    )]
    pub pairs: Vec<String>,
}

/// `config set --help`'s list of keys, made from the schema so it cannot drift from it.
pub fn known_keys_help() -> String {
    use std::fmt::Write as _;
    // Built on every run (clap takes it when it builds the command line), so in one buffer.
    let mut out = String::with_capacity(4096);
    out.push_str("Known keys:\n");
    for spec in cleveragents_config::schema::KEYS {
        out.push_str("  ");
        for (i, part) in spec.pattern.split('*').enumerate() {
            if i > 0 {
                out.push_str("NAME");
            }
            out.push_str(part);
        }
        let _ = write!(out, "\n      {}: {}", spec.help, spec.kind.rule());
        if let Some(default) = spec.default {
            let _ = write!(out, "; default {default}");
        }
        if let Some(var) = spec.env {
            let _ = write!(out, "; overridden by {var}");
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "NAME, a profile name, is {}.",
        cleveragents_config::schema::PROFILE_NAME_RULE
    );
    out.push_str(
        "\nExamples:\n  cleveragents config set server.namespace team-b\n  \
         cleveragents config set server.url https://agents.example.com server.tls-verify true",
    );
    out
}

/// Runs `config set`.
pub fn run(pairs: &[String], ctx: &Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    if !pairs.len().is_multiple_of(2) {
        let last = pairs.last().map(String::as_str).unwrap_or_default();
        return Err(CommandError::usage(format!(
            "`config set` takes KEY VALUE pairs, and {} has no value",
            quote(last)
        ))
        .with_hint("quote a value that contains spaces: cleveragents config set KEY 'a value'"));
    }
    let resolved: Vec<(&str, String)> = pairs
        .chunks_exact(2)
        .map(|pair| (pair[0].as_str(), resolve(&pair[0], &pair[1])))
        .collect();
    let pairs: Vec<(&str, &str)> = resolved
        .iter()
        .map(|(key, value)| (*key, value.as_str()))
        .collect();
    check(&pairs)?;
    refuse_repeats(pairs.iter().map(|(key, _)| *key), "a key takes one value")?;
    let store = ctx.store()?;
    let sets_profile = pairs.iter().any(|(key, _)| {
        Key::parse(key).is_ok_and(|key| key.to_string() == connection::CURRENT_PROFILE)
    });
    let changes = store.transaction(|tx| {
        for (key, value) in &pairs {
            tx.set_str(key, value)?;
        }
        // Checked on the file as it would be: the profile may be saved by the same command.
        if let Some((value, rule)) = sets_profile
            .then(|| connection::missing_current_profile(&tx.entries()))
            .flatten()
        {
            return Err(cleveragents_config::Error::InvalidValue {
                key: connection::CURRENT_PROFILE.into(),
                value,
                rule,
            });
        }
        Ok(())
    })?;
    committed(out, &changes);
    for change in changes.changes() {
        if let Some(var) = override_var(ctx.env, &change.key) {
            out.note(format_args!(
                "{var} is set: it overrides {} of the file when read",
                change.key
            ));
        }
    }
    if out.is_json() {
        return out.json(&json!({
            "config": store.path().display().to_string(),
            "changes": changes.changes(),
        }));
    }
    if changes.is_empty() {
        return out.line("nothing changed: the values are already set");
    }
    for change in changes.changes() {
        let new = change.new.as_ref().map(toml_value).unwrap_or_default();
        match &change.old {
            Some(old) => out.line(format_args!(
                "set {} = {new} (was {})",
                change.key,
                toml_value(old)
            ))?,
            None => out.line(format_args!("set {} = {new}", change.key))?,
        }
    }
    Ok(())
}

/// Refuses a key given twice (`config set k a k b`, `config unset k k`): which one was meant?
/// Keys are compared as parsed, so `server.url` and `"server".url` are the same key.
pub(crate) fn refuse_repeats<'a>(
    keys: impl Iterator<Item = &'a str>,
    why: &str,
) -> Result<(), CommandError> {
    let mut seen: Vec<Key> = Vec::new();
    for text in keys {
        // A key that does not parse is reported by the command's own check.
        let Ok(key) = Key::parse(text) else { continue };
        if seen.contains(&key) {
            return Err(
                CommandError::usage(format!("`{key}` is given more than once; {why}"))
                    .with_hint("give each key once; nothing was changed"),
            );
        }
        seen.push(key);
    }
    Ok(())
}

/// A CA path given here is taken as `server connect --ca-cert` takes it (and curl): relative
/// to the current directory, stored as the absolute path it names. Other values as given.
fn resolve(key: &str, value: &str) -> String {
    let is_path = Key::parse(key)
        .ok()
        .and_then(|key| schema::require(&key).ok().map(|spec| spec.kind))
        == Some(Kind::Path);
    if !is_path {
        return value.to_string();
    }
    // A path that cannot be made absolute (empty, or under a current directory that is
    // gone) stays as given, and the key's rule refuses it.
    let absolute = std::path::absolute(value).ok();
    absolute
        .as_deref()
        .and_then(Path::to_str)
        .unwrap_or(value)
        .to_string()
}

/// Checks every pair before the file is touched, reporting all bad pairs at once.
fn check(pairs: &[(&str, &str)]) -> Result<(), CommandError> {
    let mut errors: Vec<CommandError> = Vec::new();
    for (key, value) in pairs {
        let checked = Key::parse(key)
            .and_then(|key| schema::require(&key)?.parse(&key, value).map(|_: Value| ()));
        if let Err(e) = checked {
            errors.push(e.into());
        }
    }
    match errors.len() {
        0 => Ok(()),
        1 => Err(errors.remove(0).with_hint("nothing was changed")),
        n => {
            let mut error = CommandError::usage(format!(
                "{n} of {} pairs are invalid:\n  {}",
                pairs.len(),
                errors
                    .iter()
                    .map(CommandError::message)
                    .collect::<Vec<_>>()
                    .join("\n  ")
            ));
            for hint in errors.iter().flat_map(|e| e.hints().to_vec()) {
                error = error.with_hint(hint);
            }
            Err(error.with_hint("nothing was changed"))
        }
    }
}
