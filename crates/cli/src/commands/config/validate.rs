//! `cleveragents config validate`: syntax, unknown keys, values breaking their rules, and
//! environment overrides.

use cleveragents_config::{Key, Problem, Snapshot};
use serde::Serialize;

use crate::commands::Context;
use crate::connection;
use crate::env::{self, known_overrides, Env};
use crate::error::CommandError;
use crate::output::Output;

/// Check the file: syntax, unknown keys, values breaking their rules
#[derive(Debug, clap::Args)]
#[command(
    long_about = "\
Check the configuration file and the environment overrides. Exits 0 when valid, 1 when the \
file cannot be read or parsed (with path:line:column), 2 when a value breaks its rule. \
Unknown keys are warnings (they are kept but not used), errors with --strict.",
    after_help = "Example:\n  cleveragents config validate --strict"
)]
pub struct ValidateArgs {
    /// Treat unknown keys as errors
    #[arg(long)]
    pub strict: bool,
}

#[derive(Serialize)]
struct Finding {
    #[serde(flatten)]
    problem: Problem,
    severity: &'static str,
}

/// Runs `config validate`.
pub fn run(strict: bool, ctx: &Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    let (path, _) = ctx.config_path()?;
    let snapshot = ctx.store()?.load()?;
    // A value in the file is named by its line, as every command that reads it names it.
    let mut problems: Vec<Problem> = snapshot
        .validate()
        .into_iter()
        .map(|mut problem| {
            if let Some(line) = snapshot.line_of(&problem.key) {
                problem.message = format!("{}:{line}: {}", path.display(), problem.message);
            }
            problem
        })
        .collect();
    if let Some((value, rule)) = missing_current_profile(&snapshot) {
        let key: Key = connection::CURRENT_PROFILE.parse()?;
        let line = snapshot.line_of(&key).unwrap_or_default();
        problems.push(Problem {
            message: format!(
                "{}:{line}: invalid value {value:?} for `{key}`: {rule}",
                path.display()
            ),
            hint: Some(
                "use `cleveragents server use NAME` with a saved profile, or `cleveragents config unset server.profile`"
                    .into(),
            ),
            key,
            unknown: false,
        });
    }
    let in_file = problems.len();
    problems.extend(override_problems(ctx.env));
    let findings: Vec<Finding> = problems
        .into_iter()
        .map(|problem| Finding {
            severity: if problem.unknown && !strict {
                "warning"
            } else {
                "error"
            },
            problem,
        })
        .collect();
    let errors = findings.iter().filter(|f| f.severity == "error").count();
    let file_errors = findings[..in_file]
        .iter()
        .filter(|f| f.severity == "error")
        .count();
    let warnings = findings.len() - errors;
    if out.is_json() {
        out.json(&serde_json::json!({
            "config": path.display().to_string(),
            "exists": !snapshot.is_missing(),
            "valid": errors == 0,
            "problems": findings,
        }))?;
    } else {
        for f in &findings {
            out.line(format_args!("{}: {}", f.severity, f.problem.message))?;
            if f.problem.unknown {
                out.line("  (unknown keys are kept in the file but not used)")?;
            }
            if let Some(hint) = &f.problem.hint {
                out.line(format_args!("  hint: {hint}"))?;
            }
        }
        let summary = match (snapshot.is_missing(), errors, warnings) {
            (true, 0, 0) => "does not exist; the defaults apply".to_string(),
            (_, 0, 0) => "valid".to_string(),
            (_, 0, w) => format!("valid, {w} warning(s)"),
            (_, e, w) => format!("{e} error(s), {w} warning(s)"),
        };
        out.line(format_args!("{}: {summary}", path.display()))?;
    }
    if errors > 0 {
        let message = format!("{} is invalid: {errors} error(s)", path.display());
        // A bad file is a runtime failure, as for every command that reads it; a bad
        // environment override alone is invalid input, as for every command that reads it.
        let error = match file_errors {
            0 => CommandError::usage(message),
            _ => CommandError::failure(message),
        };
        return Err(error
            .with_hint("fix it with `cleveragents config set`, `config unset` or `config edit`"));
    }
    Ok(())
}

/// `server.profile` when it names no profile, with why. The whole file is listed only
/// when the profile's own table has no field (to name the saved profiles).
fn missing_current_profile(snapshot: &Snapshot) -> Option<(String, String)> {
    let server = snapshot.entries_under(&connection::table_keys(&["server"]));
    let name = connection::current_profile(&server)?;
    let table = snapshot.entries_under(&[connection::profile_key(&name)]);
    if !connection::profile_names(&table).is_empty() {
        return None;
    }
    connection::missing_current_profile(&snapshot.entries())
}

/// Environment overrides whose value breaks their key's rule.
fn override_problems(env: &Env) -> Vec<Problem> {
    known_overrides()
        .into_iter()
        .filter_map(|(var, key)| {
            let single = Env::from_pairs(env.get(var).map(|value| (var, value)));
            let error = env::overrides(&single).err()?;
            Some(Problem {
                key: key.parse().ok()?,
                message: error.message().to_string(),
                hint: error.hints().first().cloned(),
                unknown: false,
            })
        })
        .collect()
}
