//! `cleveragents man [COMMAND...]`: manual pages generated from the clap definition.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::{quote, CommandError};
use crate::output::Output;

/// Prints the roff page of the program, or of the command named by `path`
/// (e.g. `["server", "connect"]`).
pub fn run(path: &[String], out: &mut Output<'_>) -> Result<(), CommandError> {
    let mut command = Cli::command();
    command.build();
    for name in path {
        let Some(sub) = command.find_subcommand(name).cloned() else {
            let known: Vec<String> = command
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            return Err(
                CommandError::usage(format!("no command {} here", quote(name)))
                    .with_hint(format!("pick one of: {}", known.join(", "))),
            );
        };
        command = sub;
    }
    // Footer: `cleveragents 0.1.0`, for the program and each of its commands alike.
    let source = format!("cleveragents {}", env!("CARGO_PKG_VERSION"));
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .source(source)
        .manual("CleverAgents Manual")
        .render(&mut page)
        .map_err(|e| CommandError::failure(format!("cannot render the manual page: {e}")))?;
    out.raw(&page)
}
