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
}
