//! `cleveragents config path`: which file is in use.

use crate::commands::Context;
use crate::error::CommandError;
use crate::output::Output;

/// Print the configuration file's path
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Print the path of the configuration file in use (it may not exist yet). \
--json adds how it was chosen and whether it exists.",
    after_help = "Example:\n  $EDITOR \"$(cleveragents config path)\""
)]
pub struct PathArgs {}

/// Runs `config path`.
pub fn run(ctx: &Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    let (path, source) = ctx.config_path()?;
    if out.is_json() {
        // A file that exists but cannot be read or parsed still exists.
        let exists = ctx
            .store()?
            .load()
            .map_or(true, |snapshot| !snapshot.is_missing());
        let mut report = source.to_json();
        report["path"] = path.display().to_string().into();
        report["exists"] = exists.into();
        return out.json(&report);
    }
    out.line(path.display())
}
