//! `cleveragents server ...`: the connection and saved profiles.

use cleveragents_config::{Key, Value};

use crate::commands::Context;
use crate::error::CommandError;
use crate::output::Output;

pub mod connect;
pub mod disconnect;
pub mod forget;
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

/// Checks the name of a new profile: the schema's one rule.
pub(crate) fn check_profile_name(name: &str) -> Result<(), CommandError> {
    cleveragents_config::schema::check_profile_name(name).map_err(CommandError::from)
}

/// True when the file has a profile of this name (whatever its name looks like).
pub(crate) fn profile_exists(entries: &[(Key, Value)], name: &str) -> bool {
    entries
        .iter()
        .any(|(key, _)| crate::connection::is_profile_key(key, name))
}

/// "no profile named NAME", with the closest existing name when it looks like a typo of one.
pub(crate) fn no_such_profile(name: &str, entries: &[(Key, Value)]) -> CommandError {
    let names = crate::connection::profile_names(entries)
        .into_iter()
        .map(str::to_string);
    let error = CommandError::failure(format!("no profile named {}", crate::error::quote(name)));
    match cleveragents_config::schema::closest(name, names) {
        Some(close) => error.with_hint(format!("did you mean `{close}`?")),
        None => error,
    }
}
