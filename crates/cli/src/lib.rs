//! The `cleveragents` command-line client: server connection and configuration.
//!
//! The binary is a thin `main` around [`run`], which parses the command line (module `cli`),
//! dispatches to one function per subcommand (`commands/<group>/<command>.rs`, each beside its
//! clap arguments) and maps every failure to an exit code and `error:`/`hint:` lines
//! (`error::CommandError`). [`run`], [`run_with_fs`], [`Streams`] and [`Env`] are the whole
//! API; the modules are private to the crate.
//!
//! Commands read and change the configuration file only through the
//! [`cleveragents_config::ConfigStore`], one transaction per change: a command that fails
//! leaves the file byte for byte as it was. Values are read with environment overrides
//! applied (modules `env`, `settings`); servers are checked with one `GET URL/health`
//! (module `probe`); results are printed for people or as JSON (module `output`).
//!
//! ```
//! use cleveragents::{run, Env, Streams};
//! let dir = tempfile::tempdir()?;
//! let config = dir.path().join("config.toml");
//! let env = Env::from_pairs([("CLEVERAGENTS_CONFIG", config.as_os_str())]);
//! let (mut out, mut err) = (Vec::new(), Vec::new());
//! let args = ["cleveragents", "config", "set", "server.namespace", "team-a"];
//! let code = run(args, &env, Streams::new(&mut out, &mut err));
//! assert_eq!(code, 0);
//! assert_eq!(std::fs::read_to_string(&config)?, "[server]\nnamespace = \"team-a\"\n");
//! # Ok::<(), std::io::Error>(())
//! ```

use std::ffi::OsString;
use std::io::{BufRead, Write};

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use cleveragents_config::fs::{Fs, RealFs};

mod cli;
mod commands;
mod complete;
mod connection;
mod env;
mod error;
mod output;
mod pinned;
mod probe;
mod settings;

pub use crate::env::Env;
use crate::error::Exit;

/// The command-line definition, for what needs it besides [`run`]: the shell asking the
/// binary for completions (`COMPLETE=bash cleveragents -- WORDS...`).
pub fn command() -> clap::Command {
    <cli::Cli as clap::CommandFactory>::command()
}

/// The streams a run reads and writes.
pub struct Streams<'a> {
    /// Results.
    pub stdout: &'a mut dyn Write,
    /// Diagnostics.
    pub stderr: &'a mut dyn Write,
    /// Answers to questions (`config edit` offering to edit again); `None` when there is no
    /// terminal to ask.
    pub stdin: Option<&'a mut dyn BufRead>,
    /// Whether stderr is a terminal, where `error:`, `warning:`, `hint:` and `note:` are
    /// coloured (unless `NO_COLOR` says otherwise).
    pub stderr_is_terminal: bool,
}

impl<'a> Streams<'a> {
    /// Output streams, and no terminal to ask questions on.
    pub fn new(stdout: &'a mut dyn Write, stderr: &'a mut dyn Write) -> Streams<'a> {
        Streams {
            stdout,
            stderr,
            stdin: None,
            stderr_is_terminal: false,
        }
    }
}

/// Longest line of a clap error that is printed whole: a 1 MB argument is echoed cut short.
const MAX_ERROR_LINE: usize = 200;

/// Runs the command line `args` (program name first) and returns the exit code.
pub fn run<I, T>(args: I, env: &Env, streams: Streams<'_>) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    run_with_fs(args, env, streams, Arc::new(RealFs))
}

/// [`run`] with the store's file operations going through `fs`, e.g. a
/// [`cleveragents_config::fs::FaultyFs`] that makes a chosen write fail.
pub fn run_with_fs<I, T>(args: I, env: &Env, streams: Streams<'_>, fs: Arc<dyn Fs>) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let colour = output::colour_wanted(env, streams.stderr_is_terminal);
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let json = args.iter().skip(1).any(|arg| arg == "--json");
    let cli = match parse(&args) {
        Ok(cli) => cli,
        Err(e) => match flag_like_value(&e, &args) {
            Some(error) => return refuse(&error, streams, colour, json),
            None => return usage(&e, streams, colour, json),
        },
    };
    let Streams {
        stdout,
        stderr,
        stdin,
        ..
    } = streams;
    let mut out = output::Output::new(stdout, stderr, cli.json).with_colour(colour);
    let ctx = commands::Context {
        env,
        config: cli.config.as_deref(),
        stdin: stdin.map(|s| s as &mut dyn BufRead),
        fs,
        dry_run: cli.dry_run,
    };
    let result = cli::dispatch(cli.command, ctx, &mut out).and_then(|()| out.flush());
    match result {
        Ok(()) => Exit::Success.code(),
        // The change is in the file: exiting 1 would claim it failed and invite a retry.
        Err(e) if e.is_stdout_failure() && out.is_committed() => {
            out.warn(format_args!("the change was saved, but {}", e.message()));
            Exit::Success.code()
        }
        Err(e) => {
            // Whatever was printed before the failure goes out before the error.
            let _ = out.flush();
            if out.is_json() && !out.has_printed() {
                // Under --json stdout holds one JSON document: the command's report (which
                // says what failed), or, when it failed before it had one, this error object.
                let _ = out.json(&e.to_json()).and_then(|()| out.flush());
            }
            out.report(&e);
            e.exit().code()
        }
    }
}

/// Parses the command line with a parser built once per process and kept: building clap's
/// tree of every command is most of a short command's work, and dropping it again a tenth.
fn parse(args: &[OsString]) -> Result<cli::Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    static COMMAND: OnceLock<Mutex<clap::Command>> = OnceLock::new();
    let command = COMMAND.get_or_init(|| Mutex::new(cli::Cli::command()));
    let mut command = command.lock().unwrap_or_else(PoisonError::into_inner);
    let mut matches = command.try_get_matches_from_mut(args)?;
    cli::Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut command))
}

/// `--namespace -x`: clap takes `-x` for an unknown flag and tips `-- -x`, which does not pass
/// a value to an option. The error this deserves says the value looks like a flag and shows
/// `--namespace=-x`.
fn flag_like_value(error: &clap::Error, args: &[OsString]) -> Option<error::CommandError> {
    use clap::error::{ContextKind, ErrorKind};
    if error.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    // The argument clap did not expect, as the user typed it.
    let value = error.get(ContextKind::InvalidArg)?.to_string();
    let at = args.iter().skip(1).position(|arg| *arg == *value)? + 1;
    let option = args[at - 1].to_str()?;
    let long = option.strip_prefix("--")?;
    takes_value(&<cli::Cli as clap::CommandFactory>::command(), long).then(|| {
        error::CommandError::usage(format!(
            "the value of {option}, {}, looks like a flag",
            error::quote(&value)
        ))
        .with_hint(format!(
            "to pass a value that starts with '-', attach it: {option}={}",
            error::clip(&value)
        ))
    })
}

/// True when some command has an option `--long` that takes a value.
fn takes_value(command: &clap::Command, long: &str) -> bool {
    command
        .get_arguments()
        .any(|arg| arg.get_long() == Some(long) && arg.get_action().takes_values())
        || command.get_subcommands().any(|sub| takes_value(sub, long))
}

/// Prints a usage error of our own (exit code 2), as JSON too under `--json`.
fn refuse(error: &error::CommandError, streams: Streams<'_>, colour: bool, json: bool) -> u8 {
    if json {
        let _ = writeln!(streams.stdout, "{}", error.to_json());
        let _ = streams.stdout.flush();
    }
    let _ = streams
        .stderr
        .write_all(output::paint(&error.to_string(), colour).as_bytes());
    let _ = streams.stderr.flush();
    error.exit().code()
}

/// The one error object of a clap error, from its text: the first line and the indented lines
/// under it (what is missing) are the message; a `tip:`, the usage line and the pointer to
/// `--help` are its hints. Nothing the text on stderr says is left out.
fn usage_error(kind: clap::error::ErrorKind, text: &str) -> error::CommandError {
    if kind == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        // The text is the group's help: the object says what is missing and where to look.
        let usage = text
            .lines()
            .find(|line| line.starts_with("Usage: "))
            .unwrap_or("Usage: cleveragents");
        let group = usage["Usage: ".len()..]
            .split(' ')
            .take_while(|word| !word.starts_with(['[', '<']))
            .collect::<Vec<_>>()
            .join(" ");
        return error::CommandError::usage(format!("`{group}` needs a subcommand"))
            .with_hint(usage)
            .with_hint(format!("list them with `{group} --help`"));
    }
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let mut message = first.strip_prefix("error: ").unwrap_or(first).to_string();
    let mut hints = Vec::new();
    let mut in_message = true;
    let list = message.ends_with(':');
    for line in lines.map(str::trim) {
        if line.is_empty() {
            in_message = false;
        } else if let Some(tip) = line.strip_prefix("tip: ") {
            hints.push(tip.to_string());
        } else if in_message {
            // `...not provided:` then one line per argument: a list; else one more clause.
            let sep = match (list, message.ends_with(':')) {
                (true, false) => ", ",
                _ => " ",
            };
            message = format!("{message}{sep}{line}");
        } else {
            hints.push(line.to_string());
        }
    }
    hints
        .into_iter()
        .fold(error::CommandError::usage(message), |e, hint| {
            e.with_hint(hint)
        })
}

/// Prints a clap error or help text and returns its exit code.
fn usage(error: &clap::Error, streams: Streams<'_>, colour: bool, json: bool) -> u8 {
    let text = error.render().to_string();
    if error.use_stderr() {
        let text: String = text
            .lines()
            .map(|line| {
                if line.chars().count() > MAX_ERROR_LINE {
                    let head: String = line.chars().take(MAX_ERROR_LINE).collect();
                    format!("{head}… ({} bytes)\n", line.len())
                } else {
                    format!("{line}\n")
                }
            })
            .collect();
        if json {
            let object = usage_error(error.kind(), &text).to_json();
            let _ = writeln!(streams.stdout, "{object}");
            let _ = streams.stdout.flush();
        }
        let text = output::paint(&text, colour);
        let _ = streams.stderr.write_all(text.as_bytes());
        let _ = streams.stderr.flush();
        Exit::Usage.code()
    } else {
        // Help and version go to stdout; failing to write them fails like any other output.
        match streams
            .stdout
            .write_all(text.as_bytes())
            .and_then(|()| streams.stdout.flush())
        {
            Ok(()) => Exit::Success.code(),
            // A reader that stopped reading (`| head`) wanted no more: not a failure.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Exit::Success.code(),
            Err(e) => {
                let error = error::CommandError::stdout(&e);
                let _ = writeln!(streams.stderr, "error: {}", error.message());
                error.exit().code()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_usage_error_object_says_all_the_text_says() {
        let object = |args: &[&str]| {
            let mut argv = vec!["cleveragents", "--json"];
            argv.extend_from_slice(args);
            let (code, stdout, stderr) = run_args(&argv[1..], &env::Env::default());
            assert_eq!(code, 2, "{stderr}");
            let error: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            (
                error["error"]["message"].as_str().unwrap().to_string(),
                error["error"]["hints"].to_string(),
            )
        };
        // Every missing argument, as a list; the usage line and the pointer to --help.
        let (message, hints) = object(&["server", "rename"]);
        assert_eq!(
            message,
            "the following required arguments were not provided: <OLD>, <NEW>"
        );
        assert!(
            hints.contains("Usage: cleveragents server rename <OLD> <NEW>"),
            "{hints}"
        );
        // clap's tip is a hint.
        let (message, hints) = object(&["config", "list", "--bogus"]);
        assert_eq!(message, "unexpected argument '--bogus' found");
        assert!(hints.contains("to pass '--bogus' as a value"), "{hints}");
        // A line under the first that is no list goes on the same sentence.
        let (message, _) = object(&[]);
        assert!(
            message.ends_with(
                "was not provided [subcommands: server, config, completions, man, help]"
            ),
            "{message}"
        );
        // A group without its subcommand: what is missing and where to look, not its help.
        let (message, hints) = object(&["server"]);
        assert_eq!(message, "`cleveragents server` needs a subcommand");
        assert_eq!(
            hints,
            r#"["Usage: cleveragents server [OPTIONS] <COMMAND>","list them with `cleveragents server --help`"]"#
        );
    }

    fn run_args(args: &[&str], env: &env::Env) -> (u8, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut argv = vec!["cleveragents"];
        argv.extend_from_slice(args);
        let code = run(argv, env, Streams::new(&mut out, &mut err));
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn a_one_megabyte_argument_is_refused_briefly() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("c.toml");
        let env = env::Env::from_pairs([("CLEVERAGENTS_CONFIG", config.as_os_str())]);
        let huge = "x".repeat(1024 * 1024);
        for args in [
            vec!["config", "get", huge.as_str()],
            vec!["config", "set", "server.url", huge.as_str()],
            vec!["server", "connect", huge.as_str()],
            vec!["server", "forget", huge.as_str()],
            vec![huge.as_str()],
            vec!["config", huge.as_str()],
        ] {
            let (code, out, err) = run_args(&args, &env);
            assert_eq!(code, 2, "{}", &err[..err.len().min(300)]);
            assert_eq!(out, "");
            assert!(err.starts_with("error"), "{}", &err[..err.len().min(300)]);
            assert!(err.len() < 2048, "{} bytes of stderr", err.len());
        }
        assert!(!config.exists());
    }

    #[test]
    fn a_value_that_looks_like_a_flag_is_shown_attached() {
        let env = env::Env::default();
        let (code, out, err) = run_args(
            &["server", "connect", "http://h", "--namespace", "-x"],
            &env,
        );
        assert_eq!((code, out.as_str()), (2, ""));
        assert_eq!(
            err,
            "error: the value of --namespace, \"-x\", looks like a flag\nhint: to pass a value that starts with '-', attach it: --namespace=-x\n"
        );
        let (code, out, _) = run_args(&["config", "list", "--json", "--config", "-c"], &env);
        assert_eq!(code, 2);
        assert!(out.contains("looks like a flag"), "{out}");
        // A flag that takes no value, or an unknown flag alone, keeps clap's own message.
        let (code, _, err) = run_args(&["config", "list", "--show-origin", "-x"], &env);
        assert_eq!(code, 2);
        assert!(err.contains("unexpected argument '-x'"), "{err}");
        let (_, _, err) = run_args(&["config", "list", "-x"], &env);
        assert!(err.contains("unexpected argument '-x'"), "{err}");
    }

    #[test]
    fn help_goes_to_stdout_with_exit_0() {
        let (code, out, err) = run_args(&["--help"], &env::Env::default());
        assert_eq!((code, err.as_str()), (0, ""));
        assert!(out.contains("Usage: cleveragents"), "{out}");
        let (code, out, err) = run_args(&[], &env::Env::default());
        assert_eq!((code, out.as_str()), (2, ""));
        assert!(err.contains("Usage:"), "{err}");
    }

    #[test]
    fn output_printed_before_a_failure_comes_first() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("c.toml");
        std::fs::write(&config, "[server]\nurl = \"http://127.0.0.1:9\"\n").unwrap();
        let env = env::Env::from_pairs([("CLEVERAGENTS_CONFIG", config.as_os_str())]);
        let (code, out, err) = run_args(&["server", "status", "--timeout", "2s"], &env);
        assert_eq!(code, 1);
        assert!(out.contains("reachable:   no"), "{out}");
        assert!(
            err.starts_with("error: cannot reach http://127.0.0.1:9"),
            "{err}"
        );
    }
}
