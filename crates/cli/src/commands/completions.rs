//! `cleveragents completions SHELL`: the shell code that completes commands, flags, config
//! keys and profile names. For bash, zsh, fish, elvish and powershell it registers the binary
//! itself as the completer (`COMPLETE=SHELL cleveragents -- WORDS`), so keys and profiles come
//! from the schema and the file at the moment of completion; other shells get a static script.

use clap::CommandFactory;
use clap_complete::env::Shells;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::error::CommandError;
use crate::output::Output;

/// Prints the completion code for `shell`.
pub fn run(shell: Shell, out: &mut Output<'_>) -> Result<(), CommandError> {
    // Rendered in memory first: clap_complete panics on a failed write.
    let mut script = Vec::new();
    match Shells::builtins().completer(&shell.to_string()) {
        Some(dynamic) => dynamic
            .write_registration(
                "COMPLETE",
                "cleveragents",
                "cleveragents",
                "cleveragents",
                &mut script,
            )
            .map_err(|e| {
                CommandError::failure(format!("cannot render the completion code: {e}"))
            })?,
        None => clap_complete::generate(shell, &mut Cli::command(), "cleveragents", &mut script),
    }
    out.raw(&script)
}
