//! `cleveragents config ...`: reading and changing the configuration file.

use crate::commands::Context;
use crate::error::CommandError;
use crate::output::Output;

pub mod edit;
pub mod get;
pub mod list;
pub mod path;
pub mod set;
pub mod unset;
pub mod validate;

/// `cleveragents config ...`; each command's help is on its arguments.
#[allow(missing_docs)]
#[derive(Debug, clap::Subcommand)]
pub enum ConfigCommand {
    Get(get::GetArgs),
    Set(set::SetArgs),
    Unset(unset::UnsetArgs),
    List(list::ListArgs),
    Path(path::PathArgs),
    Validate(validate::ValidateArgs),
    Edit(edit::EditArgs),
}

/// Runs one `config` command.
pub fn dispatch(
    command: ConfigCommand,
    ctx: Context<'_>,
    out: &mut Output<'_>,
) -> Result<(), CommandError> {
    match command {
        ConfigCommand::Get(args) => get::run(&args.key, &ctx, out),
        ConfigCommand::Set(args) => set::run(&args.pairs, &ctx, out),
        ConfigCommand::Unset(args) => unset::run(&args.keys, &ctx, out),
        ConfigCommand::List(args) => list::run(args, &ctx, out),
        ConfigCommand::Path(_) => path::run(&ctx, out),
        ConfigCommand::Validate(args) => validate::run(args.strict, &ctx, out),
        ConfigCommand::Edit(args) => match args.from {
            None => edit::run(ctx, out),
            Some(file) => edit::from_file(&file, &ctx, out),
        },
    }
}
