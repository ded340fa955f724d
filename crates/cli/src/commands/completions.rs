//! `cleveragents completions SHELL`: a completion script generated from the clap definition.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::error::CommandError;
use crate::output::Output;

/// Prints the completion script for `shell`.
pub fn run(shell: Shell, out: &mut Output<'_>) -> Result<(), CommandError> {
    // Rendered in memory first: clap_complete panics on a failed write.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "cleveragents", &mut script);
    out.raw(&script)
}
