//! [`CommandError`]: what every command returns on failure, rendered as `error: ...` plus
//! `hint: ...` lines, with the exit code the failure deserves.

use std::fmt;
use std::path::Path;

use cleveragents_config as config;

/// The process exit code of a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// `0`: the command did what was asked.
    Success = 0,
    /// `1`: a runtime failure: I/O, the lock, an unreadable or unparsable configuration file,
    /// an unreachable server, a missing value (`config get`).
    Failure = 1,
    /// `2`: the input was refused: a usage error, a value that breaks its rule, an unknown key.
    Usage = 2,
}

impl Exit {
    /// The numeric code for the operating system.
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// Longest piece of user input quoted in a message: a 1 MB argument must not flood the
/// terminal.
const QUOTE_LIMIT: usize = 80;

/// Quotes user input for a message, cut to a readable length.
///
/// ```
/// assert_eq!(cleveragents::error::quote("team a"), "\"team a\"");
/// assert!(cleveragents::error::quote(&"x".repeat(1_000_000)).len() < 200);
/// ```
pub fn quote(text: &str) -> String {
    if text.chars().count() <= QUOTE_LIMIT {
        format!("{text:?}")
    } else {
        let head: String = text.chars().take(QUOTE_LIMIT).collect();
        format!("{head:?}… ({} bytes)", text.len())
    }
}

/// User input for a message, unquoted, cut to a readable length.
///
/// ```
/// assert_eq!(cleveragents::error::clip("https://h.example"), "https://h.example");
/// assert!(cleveragents::error::clip(&"h".repeat(100_000)).ends_with("… (100000 bytes)"));
/// ```
pub fn clip(text: &str) -> String {
    if text.chars().count() <= QUOTE_LIMIT {
        text.to_string()
    } else {
        let head: String = text.chars().take(QUOTE_LIMIT).collect();
        format!("{head}… ({} bytes)", text.len())
    }
}

/// A failed command: a one-line (or few-line) message, optional hints, and an exit code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandError {
    exit: Exit,
    message: String,
    hints: Vec<String>,
    silent: bool,
    stdout: bool,
}

impl CommandError {
    /// Refused input (exit code 2).
    pub fn usage(message: impl Into<String>) -> CommandError {
        CommandError {
            exit: Exit::Usage,
            message: message.into(),
            hints: Vec::new(),
            silent: false,
            stdout: false,
        }
    }

    /// A runtime failure (exit code 1).
    pub fn failure(message: impl Into<String>) -> CommandError {
        CommandError {
            exit: Exit::Failure,
            message: message.into(),
            hints: Vec::new(),
            silent: false,
            stdout: false,
        }
    }

    /// Standard output could not be written (exit code 1).
    pub fn stdout(error: &std::io::Error) -> CommandError {
        CommandError {
            stdout: true,
            ..CommandError::failure(format!("cannot write to stdout: {error}"))
        }
    }

    /// True for [`CommandError::stdout`].
    pub fn is_stdout_failure(&self) -> bool {
        self.stdout
    }

    /// Exit code 1 with nothing printed on stderr, as `config get` does for a missing key;
    /// `message` is said only in the JSON error object under `--json`.
    pub fn quiet_failure(message: impl Into<String>) -> CommandError {
        CommandError {
            silent: true,
            ..CommandError::failure(message)
        }
    }

    /// The JSON error object printed on stdout under `--json`: `{"error": {"message", "hints",
    /// "kind", "exit-code"}}`, the same for every command.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "error": {
                "message": self.message,
                "hints": self.hints,
                "kind": match self.exit {
                    Exit::Usage => "usage",
                    _ => "failure",
                },
                "exit-code": self.exit.code(),
            }
        })
    }

    /// Adds a `hint:` line.
    pub fn with_hint(mut self, hint: impl Into<String>) -> CommandError {
        self.hints.push(hint.into());
        self
    }

    /// A failure to read or write a file other than the configuration (a CA certificate, the
    /// copy `config edit` works on).
    pub fn io(action: &str, path: &Path, error: &std::io::Error) -> CommandError {
        CommandError::failure(format!("cannot {action} {}: {error}", path.display()))
    }

    /// The exit code.
    pub fn exit(&self) -> Exit {
        self.exit
    }

    /// The message, without the `error: ` prefix.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The hints, without the `hint: ` prefix.
    pub fn hints(&self) -> &[String] {
        &self.hints
    }

    /// True when nothing is to be printed (the exit code says it all).
    pub fn is_silent(&self) -> bool {
        self.silent
    }
}

/// `error: MESSAGE` and one `hint: HINT` line per hint, each ending in a newline.
impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.silent {
            return Ok(());
        }
        writeln!(f, "error: {}", self.message)?;
        for hint in &self.hints {
            writeln!(f, "hint: {hint}")?;
        }
        Ok(())
    }
}

impl From<config::Error> for CommandError {
    fn from(error: config::Error) -> CommandError {
        let mut out = if error.is_invalid_input() {
            CommandError::usage(error.to_string())
        } else {
            CommandError::failure(error.to_string())
        };
        if let Some(hint) = error.hint() {
            out = out.with_hint(hint);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_error_then_hints() {
        let e = CommandError::usage("bad")
            .with_hint("do this")
            .with_hint("or that");
        assert_eq!(e.to_string(), "error: bad\nhint: do this\nhint: or that\n");
        assert_eq!(e.exit().code(), 2);
        assert_eq!(e.message(), "bad");
        assert_eq!(e.hints(), ["do this", "or that"]);
        assert!(!e.is_silent());
    }

    #[test]
    fn quiet_failures_print_nothing() {
        let e = CommandError::quiet_failure("`k` is not set");
        assert_eq!(e.to_string(), "");
        assert_eq!(
            e.to_json(),
            serde_json::json!({"error": {"message": "`k` is not set", "hints": [], "kind": "failure", "exit-code": 1}})
        );
        assert_eq!(e.exit(), Exit::Failure);
        assert!(e.is_silent());
        assert!(!e.is_stdout_failure());
        let e = CommandError::stdout(&std::io::ErrorKind::StorageFull.into());
        assert!(e.is_stdout_failure());
        assert!(e.message().starts_with("cannot write to stdout: "));
    }

    #[test]
    fn store_errors_keep_their_class_and_hint() {
        let e: CommandError = cleveragents_config::Key::parse("server.ulr")
            .and_then(|k| cleveragents_config::schema::require(&k).map(|_| ()))
            .unwrap_err()
            .into();
        assert_eq!(e.exit(), Exit::Usage);
        assert_eq!(e.hints(), ["did you mean `server.url`?"]);
        let e: CommandError = cleveragents_config::ConfigStore::open("/")
            .load()
            .unwrap_err()
            .into();
        assert_eq!(e.exit(), Exit::Failure);
        assert!(e.message().contains("cannot read /"), "{}", e.message());
    }

    #[test]
    fn quotes_are_short_and_escaped() {
        assert_eq!(quote("a\nb"), "\"a\\nb\"");
        let long = quote(&"é".repeat(1000));
        assert!(long.ends_with("… (2000 bytes)"), "{long}");
        assert_eq!(Exit::Success.code(), 0);
        let io = std::io::Error::from(std::io::ErrorKind::NotFound);
        let e = CommandError::io("read", Path::new("/x"), &io);
        assert_eq!(e.exit(), Exit::Failure);
        assert!(e.message().starts_with("cannot read /x: "));
    }
}
