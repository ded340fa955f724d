//! The one error type of this crate.

use std::{io, path::PathBuf};

use crate::tags::Violation;

/// What can go wrong around a TDD run, each variant saying what to fix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The feature files break the TDD tag rules; nothing was run.
    #[error(
        "{} TDD tag violation{}; fix the tags, then run again:\n{}",
        .0.len(),
        if .0.len() == 1 { "" } else { "s" },
        .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    )]
    TagViolations(Vec<Violation>),

    /// The bug register could not be written as JSON.
    #[error("cannot write the bug register to {}: {source}; check the directory exists and is writable", .path.display())]
    WriteRegister {
        /// Where it was to be written.
        path: PathBuf,
        /// The underlying failure.
        #[source]
        source: io::Error,
    },

    /// A JUnit XML or cucumber JSON report could not be annotated.
    #[error("cannot annotate {}: {reason}; check that the run writes this report to this path", .path.display())]
    Annotate {
        /// The report file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },

    /// A report to annotate is not what cucumber's writer produces.
    #[error("not a well-formed {format} report: {reason}")]
    MalformedReport {
        /// `JUnit XML` or `cucumber JSON`.
        format: &'static str,
        /// What is wrong with it.
        reason: String,
    },

    /// A path given to [`lint`](crate::lint::lint) does not exist.
    #[error("{}: no such file or directory; give feature files or directories that hold them", .0.display())]
    NoSuchPath(PathBuf),
}
