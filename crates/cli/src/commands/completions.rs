//! `cleveragents completions SHELL`: the shell code that completes commands, flags, config
//! keys and profile names. For bash, zsh, fish, elvish and powershell it registers the binary
//! itself as the completer (`COMPLETE=SHELL cleveragents -- WORDS`), so keys and profiles come
//! from the schema and the file at the moment of completion.

use clap_complete::env::Shells;
use clap_complete::Shell;

use crate::error::CommandError;
use crate::output::Output;

/// Print a shell completion script
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Print the completion code for SHELL on stdout. For bash, zsh, fish, \
elvish and powershell it asks the binary itself for candidates when you press TAB, so config \
keys and profile names come from the schema and the configuration file at that moment.",
    after_help = "\
Examples:
  echo 'source <(cleveragents completions bash)' >> ~/.bashrc
  echo 'source <(cleveragents completions zsh)' >> ~/.zshrc
  cleveragents completions fish > ~/.config/fish/completions/cleveragents.fish"
)]
pub struct CompletionsArgs {
    /// The shell to complete for
    pub shell: Shell,
}

/// Prints the completion code for `shell`.
pub fn run(shell: Shell, out: &mut Output<'_>) -> Result<(), CommandError> {
    if out.is_json() {
        return Err(CommandError::usage(
            "--json does not apply to `completions`: it prints shell code",
        )
        .with_hint(format!(
            "run `cleveragents completions {shell}` without --json"
        )));
    }
    // Every shell of clap_complete's `Shell` has a dynamic completer; `None` cannot happen.
    let shells = Shells::builtins();
    let Some(completer) = shells.completer(&shell.to_string()) else {
        return Err(CommandError::failure(format!("no completion for {shell}")));
    };
    let mut script = Vec::new();
    // Rendered in memory first, where writing cannot fail.
    let _ = completer.write_registration(
        "COMPLETE",
        "cleveragents",
        "cleveragents",
        "cleveragents",
        &mut script,
    );
    out.raw(&script)
}
