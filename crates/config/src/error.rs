//! The one error type of the store. Every variant carries what a user needs to act on it.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

/// A specialised `Result` for store operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong reading or changing a configuration file.
///
/// [`Error::is_invalid_input`] tells input errors (the caller asked for something the schema
/// refuses) from runtime failures (the file or the OS refused); [`Error::hint`] says what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A key that is not a dotted path of `[A-Za-z0-9_-]` segments.
    #[error("invalid key {key:?}: {reason}")]
    InvalidKey {
        /// The key as given.
        key: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A well-formed key that the schema does not know.
    #[error("unknown configuration key `{key}`")]
    UnknownKey {
        /// The key as given.
        key: String,
        /// The closest known key, if one is close enough.
        suggestion: Option<String>,
    },
    /// A new profile name that breaks the profile-name rule.
    #[error("invalid profile name {name:?}: {reason} (a profile name is {rule})")]
    InvalidProfileName {
        /// The name as given.
        name: String,
        /// What is wrong with it.
        reason: String,
        /// The rule a profile name follows (the schema's `PROFILE_NAME_RULE`).
        rule: String,
    },
    /// A value that breaks its key's rule.
    #[error("invalid value {value:?} for `{key}`: {rule}")]
    InvalidValue {
        /// The key being set.
        key: String,
        /// The offending value, as given.
        value: String,
        /// The rule it breaks.
        rule: String,
    },
    /// A key whose parent in the file is a value, not a table.
    #[error("cannot set `{key}`: `{parent}` holds a value, not a table")]
    NotATable {
        /// The key being set.
        key: String,
        /// The prefix that is not a table.
        parent: String,
    },
    /// The configuration file is not valid TOML; it is never overwritten in that state.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column (in characters) of the error.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// A document handed to [`crate::Transaction::replace_document`] that breaks the schema.
    #[error("the new configuration is invalid:\n{}", problems.join("\n"))]
    Invalid {
        /// One line per problem.
        problems: Vec<String>,
    },
    /// The operating system refused a file operation.
    #[error("cannot {op} {}: {source}", path.display())]
    Io {
        /// What was being done, e.g. `write`.
        op: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// The file has no write permission for its owner (`chmod 444`): it is not replaced.
    #[error("{} is read-only (mode {mode:04o}); it was not changed", path.display())]
    ReadOnly {
        /// The configuration file (a symbolic link's target).
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// Another writer held the lock for longer than the bounded wait.
    #[error("timed out after {:.1}s waiting for the lock {}", waited.as_secs_f64(), path.display())]
    LockTimeout {
        /// The lock file.
        path: PathBuf,
        /// How long we waited.
        waited: Duration,
    },
    /// A conditional transaction found the file changed since the caller read it.
    #[error("{} was changed by someone else since it was read", path.display())]
    Conflict {
        /// The configuration file.
        path: PathBuf,
    },
}

impl Error {
    pub(crate) fn io(op: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            op,
            path: path.into(),
            source,
        }
    }

    /// True when the caller's input was refused (exit code 2 in a CLI), false for runtime
    /// failures of the file system, the lock or the file's contents (exit code 1).
    pub fn is_invalid_input(&self) -> bool {
        matches!(
            self,
            Error::InvalidKey { .. }
                | Error::UnknownKey { .. }
                | Error::InvalidProfileName { .. }
                | Error::InvalidValue { .. }
                | Error::NotATable { .. }
                | Error::Invalid { .. }
        )
    }

    /// A sentence telling the user what to do about this error, where there is one.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::UnknownKey {
                suggestion: Some(s),
                ..
            } => Some(format!("did you mean `{s}`?")),
            Error::Parse { path, .. } => Some(format!("it was left untouched: {}", path.display())),
            Error::InvalidProfileName { name, .. } => {
                let fixed: String = name
                    .to_ascii_lowercase()
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect();
                let fixed = fixed.trim_matches('-');
                match fixed.len() {
                    1..=63 => Some(format!("a name that follows the rule: `{fixed}`")),
                    _ => None,
                }
            }
            Error::NotATable { parent, .. } => {
                Some(format!("unset `{parent}` first, or pick another key"))
            }
            Error::LockTimeout { .. } => {
                Some("another process is writing the configuration; retry when it is done".into())
            }
            Error::Conflict { .. } => Some("re-read the file and apply your change again".into()),
            Error::ReadOnly { path, .. } => Some(format!(
                "to allow the change, make it writable: chmod u+w {}",
                path.display()
            )),
            Error::Io { source, .. } => match source.raw_os_error() {
                Some(28) => Some("the disk is full: free some space and retry".into()),
                Some(13) | Some(1) => {
                    Some("check the permissions of the file and its directory".into())
                }
                Some(30) => Some("the file system is read-only".into()),
                _ => None,
            },
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_get_a_hint_where_the_user_can_act() {
        let io = |errno| {
            Error::io(
                "write",
                "/c/config.toml",
                io::Error::from_raw_os_error(errno),
            )
        };
        assert!(io(28).hint().unwrap().contains("disk is full"));
        assert!(io(13).hint().unwrap().contains("permissions"));
        assert!(io(1).hint().unwrap().contains("permissions"));
        assert!(io(30).hint().unwrap().contains("read-only"));
        assert_eq!(io(5).hint(), None);
        assert!(!io(5).is_invalid_input());
        let message = io(28).to_string();
        assert!(
            message.starts_with("cannot write /c/config.toml: "),
            "{message}"
        );
    }

    #[test]
    fn input_errors_are_told_from_runtime_failures() {
        let invalid = Error::Invalid {
            problems: vec!["a".into(), "b".into()],
        };
        assert!(invalid.is_invalid_input());
        assert_eq!(
            invalid.to_string(),
            "the new configuration is invalid:\na\nb"
        );
        let timeout = Error::LockTimeout {
            path: "/c/x.lock".into(),
            waited: Duration::from_millis(5200),
        };
        assert!(!timeout.is_invalid_input());
        assert_eq!(
            timeout.to_string(),
            "timed out after 5.2s waiting for the lock /c/x.lock"
        );
    }
}
