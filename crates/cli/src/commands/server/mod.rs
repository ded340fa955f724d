//! `cleveragents server ...`: the connection and saved profiles.

use crate::cli::ServerCommand;
use crate::commands::Context;
use crate::error::CommandError;
use crate::output::Output;

pub mod connect;
pub mod disconnect;
pub mod forget;
pub mod profiles;
pub mod status;
pub mod use_;

/// Runs one `server` command.
pub fn dispatch(
    command: ServerCommand,
    ctx: Context<'_>,
    out: &mut Output<'_>,
) -> Result<(), CommandError> {
    match command {
        ServerCommand::Connect(args) => connect::run(&args, &ctx, out),
        ServerCommand::Status(args) => status::run(&args, &ctx, out),
        ServerCommand::Disconnect => disconnect::run(&ctx, out),
        ServerCommand::Use { name, force } => use_::run(&name, force, &ctx, out),
        ServerCommand::Profiles => profiles::run(&ctx, out),
        ServerCommand::Forget { name } => forget::run(&name, &ctx, out),
    }
}

/// Checks a profile name (same rule as a namespace).
pub(crate) fn check_profile_name(name: &str) -> Result<(), CommandError> {
    cleveragents_config::schema::check_namespace(name).map_err(|reason| {
        CommandError::usage(format!(
            "invalid profile name {}: {reason}",
            crate::error::quote(name)
        ))
        .with_hint("a profile name is 1 to 63 of a-z, 0-9 and '-', not starting or ending with '-'")
    })
}
