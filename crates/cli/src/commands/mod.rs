//! One module per subcommand, and what they share: the [`Context`] they run in. The tree of
//! commands and the dispatch to them are in `cli.rs`, which is the only module that names
//! them all.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use cleveragents_config::fs::Fs;
use cleveragents_config::{ChangeSet, ConfigStore};

use crate::env::{config_path, Env, PathSource};
use crate::error::CommandError;
use crate::output::Output;

pub mod completions;
pub mod config;
pub mod man;
pub mod server;

/// What a command runs with besides its arguments.
pub struct Context<'a> {
    /// The environment.
    pub env: &'a Env,
    /// The `--config` flag.
    pub config: Option<&'a Path>,
    /// A terminal to ask questions on, if there is one.
    pub stdin: Option<&'a mut dyn BufRead>,
    /// The file system seam the store uses (the real one, or a fault-injecting one in tests).
    pub fs: Arc<dyn Fs>,
    /// `--dry-run`: transactions compute their changes and write nothing.
    pub dry_run: bool,
}

impl Context<'_> {
    /// The configuration file and how it was chosen.
    pub fn config_path(&self) -> Result<(PathBuf, PathSource), CommandError> {
        config_path(self.config, self.env)
    }

    /// The store of the configuration file.
    pub fn store(&self) -> Result<ConfigStore, CommandError> {
        Ok(ConfigStore::open(self.config_path()?.0)
            .with_fs(self.fs.clone())
            .with_dry_run(self.dry_run))
    }
}

/// Tells about a durability warning of a committed transaction. After a dry run, prints the
/// change set it would have committed instead, and nothing more: the command's own report
/// would claim a change that was not made.
pub(crate) fn committed(out: &mut Output<'_>, changes: &ChangeSet) {
    if changes.is_dry_run() {
        dry_run_report(out, changes);
        return;
    }
    out.mark_committed();
    if let Some(warning) = changes.warning() {
        out.warn(warning);
    }
}

/// The change set of a dry run: `{"dry-run": true, "changes": [...]}` under `--json`, else
/// one `would set`/`would unset` line per key; then the output is sealed.
fn dry_run_report(out: &mut Output<'_>, changes: &ChangeSet) {
    use crate::output::toml_value;
    // A failure to print is reported by the flush at the end of the run.
    let _ = if out.is_json() {
        out.json(&serde_json::json!({
            "dry-run": true,
            "changes": changes.changes(),
        }))
    } else if changes.is_empty() {
        out.line("nothing would change")
    } else {
        changes.changes().iter().try_for_each(|change| {
            let was = change
                .old
                .as_ref()
                .map(|old| format!(" (was {})", toml_value(old)))
                .unwrap_or_default();
            match &change.new {
                Some(new) => out.line(format_args!(
                    "would set {} = {}{was}",
                    change.key,
                    toml_value(new)
                )),
                None => out.line(format_args!("would unset {}{was}", change.key)),
            }
        })
    };
    out.note("dry run: nothing was written");
    out.seal();
}
