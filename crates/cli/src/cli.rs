//! The command-line definition (clap derive). Help texts teach: each command says what it
//! does, what it writes, and shows examples.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use clap_complete::engine::ArgValueCompleter;
use clap_complete::Shell;

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
    /// connect/use/disconnect/forget)
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
    /// Print a shell completion script
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
    Completions {
        /// The shell to complete for
        shell: Shell,
    },
    /// Print a manual page (roff) on stdout
    #[command(
        long_about = "Print the manual page of cleveragents, or of one of its commands, as roff \
on stdout.",
        after_help = "\
Examples:
  cleveragents man | man -l -
  cleveragents man server connect > cleveragents-server-connect.1"
    )]
    Man {
        /// A command to print the page of, e.g. `server connect` (default: the whole program)
        command: Vec<String>,
        /// Write every page (cleveragents.1, cleveragents-server.1, ...) into DIR instead
        #[arg(long, value_name = "DIR", conflicts_with = "command")]
        out: Option<std::path::PathBuf>,
    },
}

/// `cleveragents server ...`
#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Check a server and save it as the connection
    #[command(
        long_about = "\
Check a server and save it as the connection.

Validates every argument first (nothing is written on bad input), then sends GET URL/health \
with the given TLS settings. A 2xx answer is a healthy server; 401 and 403 are saved with a \
warning that the server does not let this client in; 404 is saved with a warning that it may \
not be a CleverAgents server; a 5xx answer fails and writes nothing (--no-check saves without \
asking). A redirect is reported, not followed. Then replaces \
the connection in [server] in one transaction with url, namespace (default `default`), \
tls-verify (default true), and ca-cert and timeout when given. With --save-as, the same \
settings are saved as a profile too.

The connection replaced is kept as the previous connection ([previous-server]); the output \
names it, and `server use -` returns to it. --save-as does not overwrite a different profile \
of that name without --force.",
        after_help = "\
Examples:
  cleveragents server connect https://agents.example.com --namespace team-a
  cleveragents server connect https://10.0.0.5:8443 --ca-cert ./company-ca.pem --save-as lab
  cleveragents server connect http://localhost:8080 --no-check
  cleveragents server connect https://dev.local --no-tls-verify      # insecure: warns"
    )]
    Connect(ConnectArgs),
    /// Show the connection in effect and whether the server answers
    #[command(
        long_about = "\
Show the connection in effect (file, environment overrides, defaults) and probe the server \
with GET URL/health. Exits 0 when it answers (401, 403 and 404 with a warning), 1 when it \
answers 5xx, does not answer, or when no server is \
configured.",
        after_help = "\
Examples:
  cleveragents server status
  cleveragents server status --no-check        # offline: the connection only
  cleveragents server status --json | jq .reachable
  CLEVERAGENTS_SERVER_URL=http://localhost:8080 cleveragents server status"
    )]
    Status(StatusArgs),
    /// Forget the connection (the `[server]` table); saved profiles stay
    #[command(
        long_about = "Remove the [server] table in one transaction, keeping the connection as \
the previous one ([previous-server]) so `server use -` reconnects. Saved profiles are kept; \
running it when not connected does nothing and succeeds.",
        after_help = "Example:\n  cleveragents server disconnect"
    )]
    Disconnect,
    /// Make a saved profile the connection; `-` returns to the previous connection
    #[command(
        name = "use",
        long_about = "Copy the profile NAME into [server] in one transaction. The connection \
it replaces is kept as the previous connection ([previous-server]); `server use -` swaps the \
connection and the previous one, as `cd -` does. Profiles are saved with `server connect URL \
--save-as NAME`.",
        after_help = "Examples:\n  cleveragents server profiles\n  cleveragents server use lab\n  cleveragents server use -"
    )]
    Use {
        /// The profile to use, or `-` for the previous connection
        #[arg(add = ArgValueCompleter::new(crate::complete::profile_names))]
        name: String,
        /// Accepted for older scripts; nothing is refused without it
        #[arg(long, hide = true)]
        force: bool,
    },
    /// List saved profiles (`*` marks the one in use)
    #[command(
        after_help = "Examples:\n  cleveragents server profiles\n  cleveragents server profiles --names\n  cleveragents server profiles --json"
    )]
    Profiles {
        /// Print only the names, one a line (with --json, an array of names), for scripts
        #[arg(long)]
        names: bool,
    },
    /// Rename a saved profile
    #[command(
        long_about = "Rename the profile OLD to NEW in one transaction: its whole table moves \
(url, namespace, tls-verify, ca-cert, timeout, keys of your own and comments, in their place \
in the file), and server.profile and previous-server.profile follow when they name OLD. NEW \
must follow the profile-name rule, and nothing may exist under profiles.NEW yet.",
        after_help = "Example:\n  cleveragents server rename lab lab-old"
    )]
    Rename {
        /// The profile to rename
        #[arg(add = ArgValueCompleter::new(crate::complete::profile_names))]
        old: String,
        /// Its new name
        new: String,
    },
    /// Delete a saved profile
    #[command(
        long_about = "Delete the profile NAME: its url, namespace, tls-verify, ca-cert and \
timeout, each listed; keys of the profile no command owns stay. The connection in [server] is \
not changed; when it was made from that profile, it no longer names it (server.profile).",
        after_help = "Example:\n  cleveragents server forget lab"
    )]
    Forget {
        /// The profile to delete
        #[arg(add = ArgValueCompleter::new(crate::complete::profile_names))]
        name: String,
    },
}

/// Arguments of `server connect`.
#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// The server's URL: http:// or https://, a host, no user:password
    pub url: String,

    /// Namespace to work in: 1 to 63 of a-z, 0-9 and '-' [default: default]
    #[arg(long, value_name = "NS")]
    pub namespace: Option<String>,

    /// Verify the server's TLS certificate (the default)
    #[arg(long, conflicts_with = "no_tls_verify")]
    pub tls_verify: bool,

    /// Do not verify the server's TLS certificate (insecure: anyone in between can read and
    /// change the traffic)
    #[arg(long)]
    pub no_tls_verify: bool,

    /// PEM file of CA certificates to trust besides the system's (saved as an absolute path);
    /// a self-signed server certificate in it is trusted as itself, its names and dates checked
    #[arg(long, value_name = "PEM")]
    pub ca_cert: Option<PathBuf>,

    /// Time limit of the check and of later requests, e.g. 10s, 500ms, 1m [default: 10s]
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,

    /// Save without checking that the server answers
    #[arg(long)]
    pub no_check: bool,

    /// Also save these settings as the profile NAME (see `server use`)
    #[arg(long, value_name = "NAME", help = format!(
        "Also save these settings as the profile NAME (see `server use`); a name is {}",
        cleveragents_config::schema::PROFILE_NAME_RULE
    ))]
    pub save_as: Option<String>,

    /// Overwrite a different profile of the --save-as name (without it, that is refused and
    /// nothing is written)
    #[arg(long)]
    pub force: bool,
}

impl ConnectArgs {
    /// This command line with another URL, as a hint shows it.
    pub fn command_with_url(&self, url: &str) -> String {
        let mut command = format!("cleveragents server connect {url}");
        let mut push = |flag: &str, value: Option<&str>| {
            command.push_str(&format!(" {flag}"));
            if let Some(value) = value {
                command.push_str(&format!(" {value}"));
            }
        };
        if let Some(namespace) = &self.namespace {
            push("--namespace", Some(namespace));
        }
        if self.no_tls_verify {
            push("--no-tls-verify", None);
        }
        if let Some(ca) = &self.ca_cert {
            push("--ca-cert", Some(&ca.display().to_string()));
        }
        if let Some(timeout) = &self.timeout {
            push("--timeout", Some(timeout));
        }
        if self.no_check {
            push("--no-check", None);
        }
        if let Some(name) = &self.save_as {
            push("--save-as", Some(name));
        }
        if self.force {
            push("--force", None);
        }
        command
    }
}

/// Arguments of `server status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Time limit of the check [default: server.timeout, else 10s]
    #[arg(long, value_name = "DURATION", conflicts_with = "no_check")]
    pub timeout: Option<String>,

    /// Show the connection without checking the server (no network; exit 0 when one is
    /// configured)
    #[arg(long)]
    pub no_check: bool,
}

/// `cleveragents config ...`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the value of a key
    #[command(
        long_about = "\
Print the value in effect for KEY: an environment override, else the file, else the key's \
default. An array or an inline table (`t = { a = 1 }`) is one value: it prints as TOML (without \
the comment after it), and as a JSON array or object under --json. A table with a header \
(`[other-tool]`) and a connection's table (`server`, `profiles.prod`, however it is written) \
print their values as `config list TABLE` does. Like git: a key with no value prints nothing and exits 1; under --json, stdout \
holds an error object saying why.",
        after_help = "\
Examples:
  cleveragents config get server.url
  cleveragents config get profiles.prod
  cleveragents config get server.timeout --json"
    )]
    Get {
        /// A dotted key, e.g. server.url or profiles.lab.namespace
        #[arg(add = ArgValueCompleter::new(crate::complete::config_keys))]
        key: String,
    },
    /// Set one or more keys, all or none
    #[command(
        long_about = "\
Set each KEY to its VALUE in one transaction: if any pair is refused (unknown key, value \
breaking its rule) none is applied and the file is unchanged. Values are typed by their key: \
tls-verify takes true/false, timeout a duration like 30s.",
        after_help = known_keys_help()
    )]
    Set {
        /// KEY VALUE pairs
        #[arg(
            required = true,
            num_args = 1..,
            value_names = ["KEY", "VALUE"],
            add = ArgValueCompleter::new(crate::complete::KeyValuePairs)
        )]
        pairs: Vec<String>,
    },
    /// Remove keys or whole tables, all in one transaction
    #[command(
        long_about = "Remove each KEY (a value, or a table such as `server`) in one \
transaction. A known key that is not set is not an error.",
        after_help = "Examples:\n  cleveragents config unset server.timeout\n  cleveragents config unset profiles.lab server.ca-cert"
    )]
    Unset {
        /// Dotted keys or tables
        #[arg(required = true, add = ArgValueCompleter::new(crate::complete::config_keys))]
        keys: Vec<String>,
    },
    /// List the values in effect
    #[command(
        long_about = "List every value of the file, with environment overrides applied, one \
`key = value` line each (values as TOML). With PREFIX, only the keys under it (a table such \
as `server` or `profiles.prod`, or one key); a PREFIX with nothing under it lists nothing and \
exits 1, as `config get` does. Every line is a key `config get` answers: an inline table's \
values are listed by their full keys (`t.a = 1`).",
        after_help = "\
Examples:
  cleveragents config list
  cleveragents config list profiles.prod
  cleveragents config list --show-origin --include-defaults
  CLEVERAGENTS_SERVER_URL=http://localhost:8080 cleveragents config list --include-overridden
  cleveragents config list --json"
    )]
    List {
        /// Only the keys under this table (e.g. profiles.prod), or this one key
        #[arg(value_name = "PREFIX", add = ArgValueCompleter::new(crate::complete::config_keys))]
        prefix: Option<String>,
        /// Show where each value comes from: file:PATH, env:VARIABLE or default
        #[arg(long)]
        show_origin: bool,
        /// Also list the defaults of unset server keys
        #[arg(long)]
        include_defaults: bool,
        /// Also list the file's values that environment overrides hide, each after the value
        /// that hides it
        #[arg(long)]
        include_overridden: bool,
    },
    /// Print the configuration file's path
    #[command(
        long_about = "Print the path of the configuration file in use (it may not exist yet). \
--json adds how it was chosen and whether it exists.",
        after_help = "Example:\n  $EDITOR \"$(cleveragents config path)\""
    )]
    Path,
    /// Check the file: syntax, unknown keys, values breaking their rules
    #[command(
        long_about = "\
Check the configuration file and the environment overrides. Exits 0 when valid, 1 when the \
file cannot be read or parsed (with path:line:column), 2 when a value breaks its rule. \
Unknown keys are warnings (they are kept but not used), errors with --strict.",
        after_help = "Example:\n  cleveragents config validate --strict"
    )]
    Validate {
        /// Treat unknown keys as errors
        #[arg(long)]
        strict: bool,
    },
    /// Edit the file in $VISUAL or $EDITOR, safely
    #[command(
        long_about = "\
Open a copy of the configuration file in $VISUAL, else $EDITOR, else vi. When the editor \
exits, the copy is parsed and validated; on an error you are offered to edit again (without \
a terminal, the edit is dropped and nothing changes). The file is replaced only if nobody \
changed it meanwhile; otherwise your copy is kept and its path printed.

With --from FILE, no editor runs: FILE (for instance the kept copy of a rejected edit) is \
validated the same way and replaces the configuration, unless it changed meanwhile.",
        after_help = "Examples:\n  cleveragents config edit\n  EDITOR=nano cleveragents config edit\n  cleveragents config edit --from /tmp/cleveragents-config-1a2b3c.toml"
    )]
    Edit {
        /// Commit this file instead of opening an editor (same validation and compare-and-swap)
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
    },
}

/// `config set --help`'s list of keys, made from the schema so it cannot drift from it.
pub fn known_keys_help() -> String {
    use std::fmt::Write as _;
    // Built on every run (clap takes it when it builds the command line), so in one buffer.
    let mut out = String::with_capacity(4096);
    out.push_str("Known keys:\n");
    for spec in cleveragents_config::schema::KEYS {
        out.push_str("  ");
        for (i, part) in spec.pattern.split('*').enumerate() {
            if i > 0 {
                out.push_str("NAME");
            }
            out.push_str(part);
        }
        let _ = write!(out, "\n      {}: {}", spec.help, spec.kind.rule());
        if let Some(default) = spec.default {
            let _ = write!(out, "; default {default}");
        }
        if let Some(var) = spec.env {
            let _ = write!(out, "; overridden by {var}");
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "NAME, a profile name, is {}.",
        cleveragents_config::schema::PROFILE_NAME_RULE
    );
    out.push_str(
        "\nExamples:\n  cleveragents config set server.namespace team-b\n  \
         cleveragents config set server.url https://agents.example.com server.tls-verify true",
    );
    out
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
        let help = known_keys_help();
        for spec in cleveragents_config::schema::KEYS {
            let key = spec.pattern.replace('*', "NAME");
            assert!(
                help.contains(&format!("  {key}\n      {}: ", spec.help)),
                "{help}"
            );
        }
        assert!(help.contains(cleveragents_config::schema::PROFILE_NAME_RULE));
    }

    #[test]
    fn contradicting_tls_flags_are_a_usage_error() {
        let connect = |flags: &[&str]| {
            let args = ["cleveragents", "server", "connect", "http://h"];
            Cli::try_parse_from(args.iter().chain(flags))
        };
        for flags in [
            ["--no-tls-verify", "--tls-verify"],
            ["--tls-verify", "--no-tls-verify"],
        ] {
            let err = connect(&flags).unwrap_err();
            assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
        }
        assert!(matches!(
            connect(&["--no-tls-verify"]).unwrap().command,
            Command::Server(ServerCommand::Connect(args)) if !args.tls_verify && args.no_tls_verify
        ));
    }

    #[test]
    fn a_corrected_command_keeps_every_flag() {
        let parsed = Cli::try_parse_from([
            "cleveragents",
            "server",
            "connect",
            "h:1",
            "--namespace",
            "n",
            "--no-tls-verify",
            "--ca-cert",
            "/ca.pem",
            "--timeout",
            "3s",
            "--no-check",
            "--save-as",
            "p",
            "--force",
        ])
        .unwrap();
        let expected = "cleveragents server connect https://h:1 --namespace n --no-tls-verify --ca-cert /ca.pem --timeout 3s --no-check --save-as p --force";
        assert!(matches!(
            parsed.command,
            Command::Server(ServerCommand::Connect(ref args))
                if args.command_with_url("https://h:1") == expected
        ));
    }
}
