//! One module per subcommand, and what they share: the [`Context`] they run in.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use cleveragents_config::fs::Fs;
use cleveragents_config::{ChangeSet, ConfigStore};

use crate::cli::Command;
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
}

impl Context<'_> {
    /// The configuration file and how it was chosen.
    pub fn config_path(&self) -> Result<(PathBuf, PathSource), CommandError> {
        config_path(self.config, self.env)
    }

    /// The store of the configuration file.
    pub fn store(&self) -> Result<ConfigStore, CommandError> {
        Ok(ConfigStore::open(self.config_path()?.0).with_fs(self.fs.clone()))
    }
}

/// Runs one command.
pub fn dispatch(
    command: Command,
    ctx: Context<'_>,
    out: &mut Output<'_>,
) -> Result<(), CommandError> {
    match command {
        Command::Server(command) => server::dispatch(command, ctx, out),
        Command::Config(command) => config::dispatch(command, ctx, out),
        Command::Completions { shell } => completions::run(shell, out),
        Command::Man { command, out: dir } => man::run(&command, dir.as_deref(), out),
    }
}

/// Tells about a durability warning of a committed transaction.
pub(crate) fn committed(out: &mut Output<'_>, changes: &ChangeSet) {
    out.mark_committed();
    if let Some(warning) = changes.warning() {
        out.warn(warning);
    }
}
