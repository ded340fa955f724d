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
pub fn quote(text: &str) -> String {
    if text.chars().count() <= QUOTE_LIMIT {
        format!("{text:?}")
    } else {
        let head: String = text.chars().take(QUOTE_LIMIT).collect();
        format!("{head:?}… ({} bytes)", text.len())
    }
}

/// User input for a message, unquoted, cut to a readable length.
pub fn clip(text: &str) -> String {
    if text.chars().count() <= QUOTE_LIMIT {
        text.to_string()
    } else {
        let head: String = text.chars().take(QUOTE_LIMIT).collect();
        format!("{head}… ({} bytes)", text.len())
    }
}

/// What kind of failure a [`CommandError`] is, which decides its exit code and how it is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Refused input: exit code 2.
    Usage,
    /// A runtime failure: exit code 1.
    Failure,
    /// A runtime failure with nothing printed on stderr (`config get` of a key not set).
    Quiet,
    /// Standard output could not be written: exit code 1.
    Stdout,
}

/// A failed command: a one-line (or few-line) message, the chain of errors that caused it
/// (`caused by:` lines, as jj shows them), hints, and a [`Kind`] that decides the exit code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandError {
    kind: Kind,
    message: String,
    causes: Vec<String>,
    hints: Vec<String>,
}

impl CommandError {
    fn new(kind: Kind, message: impl Into<String>) -> CommandError {
        CommandError {
            kind,
            message: message.into(),
            causes: Vec::new(),
            hints: Vec::new(),
        }
    }

    /// Refused input (exit code 2).
    pub fn usage(message: impl Into<String>) -> CommandError {
        CommandError::new(Kind::Usage, message)
    }

    /// A runtime failure (exit code 1).
    pub fn failure(message: impl Into<String>) -> CommandError {
        CommandError::new(Kind::Failure, message)
    }

    /// Standard output could not be written (exit code 1).
    pub fn stdout(error: &std::io::Error) -> CommandError {
        CommandError::new(Kind::Stdout, format!("cannot write to stdout: {error}"))
    }

    /// True for [`CommandError::stdout`].
    pub fn is_stdout_failure(&self) -> bool {
        self.kind == Kind::Stdout
    }

    /// Exit code 1 with nothing printed on stderr, as `config get` does for a missing key;
    /// `message` is said only in the JSON error object under `--json`.
    pub fn quiet_failure(message: impl Into<String>) -> CommandError {
        CommandError::new(Kind::Quiet, message)
    }

    /// Adds `error` and every error that caused it as `caused by:` lines, except what the
    /// message already says.
    pub fn with_source(mut self, error: &(dyn std::error::Error + 'static)) -> CommandError {
        let mut next = Some(error);
        while let Some(error) = next {
            let text = error.to_string();
            if !self.message.contains(&text) && !self.causes.contains(&text) {
                self.causes.push(text);
            }
            next = error.source();
        }
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The causes, outermost first, without the `caused by: ` prefix.
    pub fn causes(&self) -> &[String] {
        &self.causes
    }

    /// The JSON error object printed on stdout under `--json`: `{"error": {"message", "caused-by", "hints",
    /// "kind", "exit-code"}}`, the same for every command.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "error": {
                "message": self.message,
                "caused-by": self.causes,
                "hints": self.hints,
                "kind": match self.kind {
                    Kind::Usage => "usage",
                    _ => "failure",
                },
                "exit-code": self.exit().code(),
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
        match self.kind {
            Kind::Usage => Exit::Usage,
            Kind::Failure | Kind::Quiet | Kind::Stdout => Exit::Failure,
        }
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
        self.kind == Kind::Quiet
    }
}

/// `error: MESSAGE` and one `hint: HINT` line per hint, each ending in a newline.
impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_silent() {
            return Ok(());
        }
        writeln!(f, "error: {}", self.message)?;
        for cause in &self.causes {
            writeln!(f, "caused by: {cause}")?;
        }
        for hint in &self.hints {
            writeln!(f, "hint: {hint}")?;
        }
        Ok(())
    }
}

impl From<config::Error> for CommandError {
    fn from(error: config::Error) -> CommandError {
        let kind = if error.is_invalid_input() {
            Kind::Usage
        } else {
            Kind::Failure
        };
        let mut out = CommandError::new(kind, error.to_string());
        if let Some(source) = std::error::Error::source(&error) {
            out = out.with_source(source);
        }
        // The library names no command; the commands that help are named here.
        if let config::Error::Parse { .. } = &error {
            out = out.with_hint("fix it with `cleveragents config edit`, or by hand");
        }
        if let Some(hint) = error.hint() {
            out = out.with_hint(hint);
        }
        out
    }
}

/// `path:line`, or `path` when the line is not known.
pub(crate) fn place(path: &Path, line: Option<usize>) -> String {
    match line {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    }
}

/// `path:line: message` for `e`, an error found reading the file at `path`: the line is that
/// of the value it names (`line_of` finds a key's line), when it names one.
pub(crate) fn in_file(
    path: &Path,
    e: &config::Error,
    line_of: impl FnOnce(&config::Key) -> Option<usize>,
) -> String {
    let line = invalid_key(e).and_then(|key| line_of(&key));
    format!("{}: {e}", place(path, line))
}

/// The key whose value `e` refuses, if it refuses a value.
pub(crate) fn invalid_key(e: &config::Error) -> Option<config::Key> {
    let config::Error::InvalidValue { key, .. } = e else {
        return None;
    };
    config::Key::parse(key).ok()
}

/// The command that sets the key whose value `e` refuses (`KEY` when it names none).
pub(crate) fn set_command(e: &config::Error) -> String {
    let key = invalid_key(e).map_or_else(|| "KEY".to_string(), |key| key.to_string());
    format!("`cleveragents config set {key} VALUE`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_as_documented() {
        assert_eq!(crate::error::quote("team a"), "\"team a\"");
        assert!(crate::error::quote(&"x".repeat(1_000_000)).len() < 200);
    }

    #[test]
    fn clip_as_documented() {
        assert_eq!(crate::error::clip("https://h.example"), "https://h.example");
        assert!(crate::error::clip(&"h".repeat(100_000)).ends_with("… (100000 bytes)"));
    }

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
            serde_json::json!({"error": {"message": "`k` is not set", "caused-by": [], "hints": [], "kind": "failure", "exit-code": 1}})
        );
        assert_eq!(e.exit(), Exit::Failure);
        assert!(e.is_silent());
        assert!(!e.is_stdout_failure());
        let e = CommandError::stdout(&std::io::ErrorKind::StorageFull.into());
        assert!(e.is_stdout_failure());
        assert!(e.message().starts_with("cannot write to stdout: "));
        assert_eq!(e.kind(), Kind::Stdout);
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
    fn causes_are_listed_once_and_not_when_the_message_says_them() {
        #[derive(Debug)]
        struct Outer(std::io::Error);
        impl fmt::Display for Outer {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("outer")
            }
        }
        impl std::error::Error for Outer {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let inner = std::io::Error::other("inner");
        let e = CommandError::failure("it failed: outer").with_source(&Outer(inner));
        assert_eq!(e.causes(), ["inner"]);
        assert_eq!(e.to_string(), "error: it failed: outer\ncaused by: inner\n");
        assert_eq!(
            e.to_json()["error"]["caused-by"],
            serde_json::json!(["inner"])
        );
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
