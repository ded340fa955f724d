//! `cleveragents server ...`: the connection and saved profiles.

use crate::commands::Context;
use crate::error::CommandError;
use crate::output::Output;

pub mod connect;
pub mod disconnect;
pub mod forget;
pub mod names;
pub mod profiles;
pub mod rename;
pub mod status;
pub mod use_;

/// `cleveragents server ...`; each command's help is on its arguments.
#[allow(missing_docs)]
#[derive(Debug, clap::Subcommand)]
pub enum ServerCommand {
    Connect(connect::ConnectArgs),
    Status(status::StatusArgs),
    Disconnect(disconnect::DisconnectArgs),
    #[command(name = "use")]
    Use(use_::UseArgs),
    Profiles(profiles::ProfilesArgs),
    Rename(rename::RenameArgs),
    Forget(forget::ForgetArgs),
}

/// Runs one `server` command.
pub fn dispatch(
    command: ServerCommand,
    ctx: Context<'_>,
    out: &mut Output<'_>,
) -> Result<(), CommandError> {
    match command {
        ServerCommand::Connect(args) => connect::run(&args, &ctx, out),
        ServerCommand::Status(args) => status::run(&args, &ctx, out),
        ServerCommand::Disconnect(_) => disconnect::run(&ctx, out),
        ServerCommand::Use(args) => use_::run(&args.name, &ctx, out),
        ServerCommand::Profiles(args) => profiles::run(args.names, &ctx, out),
        ServerCommand::Forget(args) => forget::run(&args.name, &ctx, out),
        ServerCommand::Rename(args) => rename::run(&args.old, &args.new, &ctx, out),
    }
}
