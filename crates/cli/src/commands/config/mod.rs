//! `cleveragents config ...`: reading and changing the configuration file.

use crate::cli::ConfigCommand;
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

/// Runs one `config` command.
pub fn dispatch(
    command: ConfigCommand,
    ctx: Context<'_>,
    out: &mut Output<'_>,
) -> Result<(), CommandError> {
    match command {
        ConfigCommand::Get { key } => get::run(&key, &ctx, out),
        ConfigCommand::Set { pairs } => set::run(&pairs, &ctx, out),
        ConfigCommand::Unset { keys } => unset::run(&keys, &ctx, out),
        ConfigCommand::List {
            prefix,
            show_origin,
            include_defaults,
            include_overridden,
        } => list::run(
            list::Options {
                prefix,
                show_origin,
                include_defaults,
                include_overridden,
            },
            &ctx,
            out,
        ),
        ConfigCommand::Path => path::run(&ctx, out),
        ConfigCommand::Validate { strict } => validate::run(strict, &ctx, out),
        ConfigCommand::Edit { from: None } => edit::run(ctx, out),
        ConfigCommand::Edit { from: Some(file) } => edit::from_file(&file, &ctx, out),
    }
}
