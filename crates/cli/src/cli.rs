//! The top of the command-line definition (clap derive): the program, its global flags and its
//! command groups. Each command's arguments and help live beside the code that runs it, in
//! `commands/<group>/<command>.rs`. Help texts teach: each command says what it does, what it
//! writes, and shows examples.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::commands::completions::CompletionsArgs;
use crate::commands::config::ConfigCommand;
use crate::commands::man::ManArgs;
use crate::commands::server::ServerCommand;
use crate::commands::{self, Context};
use crate::error::CommandError;
use crate::output::Output;

/// The top-level `--help` text; its list of environment overrides comes from the schema.
fn about_long() -> String {
    let vars: Vec<&str> = crate::env::known_overrides()
        .into_iter()
        .map(|(var, _)| var)
        .collect();
    ABOUT_LONG.replace("{overrides}", &vars.join(", "))
}

const ABOUT_LONG: &str = "\
Command-line client of the CleverAgents platform.

Connects to a CleverAgents server and keeps the connection and other settings in a TOML \
configuration file. Every change is one atomic transaction: a failed or interrupted command \
leaves the file exactly as it was.

The configuration file is, in order of precedence:
  --config PATH
  $CLEVERAGENTS_CONFIG
  $XDG_CONFIG_HOME/cleveragents/config.toml
  ~/.config/cleveragents/config.toml

These variables override values of the file when read, and are never written to it:
  {overrides}

Exit codes: 0 success, 1 runtime failure (I/O, lock, unreadable file, unreachable server, \
missing value), 2 invalid input (usage, a value breaking its rule, an unknown key).";

const EXAMPLES: &str = "\
Examples:
  cleveragents server connect https://agents.example.com --namespace team-a
  cleveragents server status
  cleveragents config set server.timeout 30s
  cleveragents config list --show-origin
  source <(cleveragents completions bash)";

/// The `cleveragents` command line.
#[derive(Debug, Parser)]
#[command(
    name = "cleveragents",
    version,
    about = "Command-line client of the CleverAgents platform",
    long_about = about_long(),
    after_help = EXAMPLES,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Use this configuration file (default: $CLEVERAGENTS_CONFIG, then
    /// $XDG_CONFIG_HOME/cleveragents/config.toml, then ~/.config/cleveragents/config.toml)
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Print the result as one JSON document on stdout, a failure as {"error": ...} (schemas in
    /// docs/json/); refused by `completions` and by `man` without --out, which print text
    #[arg(long, global = true)]
    pub json: bool,

    /// Print the changes a command would make to the configuration file, and write nothing
    /// (commands that change the file: config set/unset/edit, server
    /// connect/use/disconnect/forget/rename)
    #[arg(long, global = true)]
    pub dry_run: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Connect to a server, check it, and manage saved server profiles
    #[command(
        subcommand,
        long_about = "Connect to a server, check it, and manage saved server profiles.\n\n\
The connection is the [server] table of the configuration file; profiles are saved copies \
under [profiles.NAME] that `server use` makes the connection again.",
        after_help = "\
Examples:
  cleveragents server connect https://agents.example.com --namespace team-a --save-as prod
  cleveragents server status
  cleveragents server profiles
  cleveragents server use prod
  cleveragents server use -
  cleveragents server rename prod production
  cleveragents server disconnect"
    )]
    Server(ServerCommand),
    /// Read and change the configuration file
    #[command(
        subcommand,
        long_about = "Read and change the configuration file.\n\n\
Every change is one transaction: all of a command's changes are applied, or none. Reads \
apply the CLEVERAGENTS_SERVER_* environment overrides; writes never store them.",
        after_help = "\
Examples:
  cleveragents config get server.url
  cleveragents config set server.namespace team-b server.timeout 30s
  cleveragents config unset server.ca-cert
  cleveragents config list --show-origin
  cleveragents config edit"
    )]
    Config(ConfigCommand),
    // The help of these two is on their arguments: a doc comment here would replace it.
    #[allow(missing_docs)]
    Completions(CompletionsArgs),
    #[allow(missing_docs)]
    Man(ManArgs),
}

/// Runs one command.
pub fn dispatch(
    command: Command,
    ctx: Context<'_>,
    out: &mut Output<'_>,
) -> Result<(), CommandError> {
    if ctx.dry_run && !writes(&command) {
        return Err(CommandError::usage(
            "--dry-run applies to commands that change the configuration file; this one changes nothing",
        )
        .with_hint("run it without --dry-run"));
    }
    match command {
        Command::Server(command) => commands::server::dispatch(command, ctx, out),
        Command::Config(command) => commands::config::dispatch(command, ctx, out),
        Command::Completions(args) => commands::completions::run(args.shell, out),
        Command::Man(args) => {
            let program = <Cli as clap::CommandFactory>::command();
            commands::man::run(program, &args.command, args.out.as_deref(), out)
        }
    }
}

/// True for the commands that change the configuration file (those `--dry-run` applies to).
fn writes(command: &Command) -> bool {
    use ConfigCommand as C;
    use ServerCommand as S;
    matches!(
        command,
        Command::Config(C::Set(_) | C::Unset(_) | C::Edit(_))
            | Command::Server(
                S::Connect(_) | S::Use(_) | S::Disconnect(_) | S::Forget(_) | S::Rename(_)
            )
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_option_has_a_long_name() {
        // The manual's synopsis shows options by their long names.
        fn without_long(command: &clap::Command, out: &mut Vec<String>) {
            out.extend(
                command
                    .get_arguments()
                    .filter(|a| !a.is_positional() && a.get_long().is_none())
                    .map(|a| format!("{} of {}", a.get_id(), command.get_name())),
            );
            for sub in command.get_subcommands() {
                without_long(sub, out);
            }
        }
        let mut command = Cli::command();
        command.build();
        let mut missing = Vec::new();
        without_long(&command, &mut missing);
        assert_eq!(missing, Vec::<String>::new());
    }

    /// The README's key table, as the schema says it must read.
    fn readme_key_table() -> String {
        let mut table = String::from(
            "| key | what it holds | default | environment override |\n| --- | --- | --- | --- |\n",
        );
        for spec in cleveragents_config::schema::KEYS {
            table.push_str(&format!(
                "| `{}` | {}: {} | {} | {} |\n",
                spec.pattern.replace('*', "NAME"),
                spec.help,
                spec.kind.rule(),
                spec.default.map(|d| format!("`{d}`")).unwrap_or_default(),
                spec.env.map(|v| format!("`{v}`")).unwrap_or_default(),
            ));
        }
        table
    }

    #[test]
    fn the_readme_and_help_list_every_key_as_the_schema_has_it() {
        let readme = include_str!("../../../README.md");
        let table = readme_key_table();
        assert!(
            readme.contains(&table),
            "README.md's key table differs from the schema; it must read:\n{table}"
        );
        // The table ends in a blank line and the next paragraph, nothing stray between.
        assert!(
            readme.contains(&format!("{table}\nAn unknown key is refused")),
            "README.md has something between its key table and the paragraph after it"
        );
        let about = about_long();
        for (var, _) in crate::env::known_overrides() {
            assert!(about.contains(var), "{var} is missing from --help");
        }
        let help = crate::commands::config::set::known_keys_help();
        for spec in cleveragents_config::schema::KEYS {
            let key = spec.pattern.replace('*', "NAME");
            assert!(
                help.contains(&format!("  {key}\n      {}: ", spec.help)),
                "{help}"
            );
        }
        assert!(help.contains(cleveragents_config::schema::PROFILE_NAME_RULE));
    }
}
