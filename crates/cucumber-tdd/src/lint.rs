//! Checks feature files and lists their bugs without running anything: what
//! the `cucumber-tdd lint` command does, for pre-commit hooks and editors.
//!
//! ```
//! use cucumber_tdd::lint;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! std::fs::write(
//!     dir.path().join("tdd_lock.feature"),
//!     "Feature: Locking\n\n  # reason: the lock survives a crash\n  \
//!      @tdd_bug @tdd_bug_12 @tdd_expected_fail\n  Scenario: s\n    Then it works\n",
//! )?;
//! let report = lint::lint(&[dir.path()], Some("https://tracker.example/issues/{N}"))?;
//! assert!(report.is_clean());
//! let open = report.register.open_bugs();
//! assert_eq!(open[0].bug, 12);
//! assert_eq!(open[0].scenarios[0].reason.as_deref(), Some("the lock survives a crash"));
//! assert_eq!(open[0].scenarios[0].url.as_deref(), Some("https://tracker.example/issues/12"));
//! # Ok(())
//! # }
//! ```

use std::{fmt, fs, path::Path};

use cucumber::gherkin;

use crate::{
    files,
    notes::FeatureNotes,
    register::{self, Entry, Register, Status},
    tags::{self, Violation, ViolationKind},
    Error,
};

/// What [`lint`] found.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// How many feature files were checked.
    pub files: usize,
    /// Every broken tag rule, and every file that is not valid Gherkin, by
    /// file and line.
    pub violations: Vec<Violation>,
    /// The bugs the files capture: [`Status::Open`] for `@tdd_expected_fail`
    /// captures, [`Status::Guarded`] for the others.
    pub register: Register,
}

impl Report {
    /// How many files are not valid Gherkin (listed among the violations as
    /// [`ViolationKind::Unparsable`], not counted as tag violations).
    #[must_use]
    pub fn unparsable(&self) -> usize {
        self.violations
            .iter()
            .filter(|v| v.kind == ViolationKind::Unparsable)
            .count()
    }

    /// Whether no rule is broken.
    #[must_use]
    pub fn is_clean(&self) -> bool {
        self.violations.is_empty()
    }

    /// `{"files": N, "violations": [...], "register": {"open": [...],
    /// "guarded": [...]}}`, with the violations as their
    /// [`Serialize`](serde::Serialize) form and the register as
    /// [`Register::to_json`].
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "files": self.files,
            "violations": self.violations,
            "register": self.register.to_json(),
        })
    }
}

impl fmt::Display for Report {
    /// One `<file>:<line>: <message>` line per violation, the bug register,
    /// then a summary line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for v in &self.violations {
            writeln!(f, "{v}")?;
        }
        write!(f, "{}", self.register)?;
        let files = match self.files {
            1 => "1 feature file".to_owned(),
            n => format!("{n} feature files"),
        };
        let unparsable = self.unparsable();
        let tags = self.violations.len() - unparsable;
        let mut parts = Vec::new();
        if unparsable > 0 {
            parts.push(match unparsable {
                1 => "1 file not valid Gherkin".to_owned(),
                n => format!("{n} files not valid Gherkin"),
            });
        }
        parts.push(match tags {
            0 => "no TDD tag violations".to_owned(),
            1 => "1 TDD tag violation".to_owned(),
            n => format!("{n} TDD tag violations"),
        });
        writeln!(f, "checked {files}: {}", parts.join(", "))
    }
}

/// Checks every `.feature` file under `paths` (files, or directories searched
/// recursively) against the [tag rules](crate::tags), and lists the bugs
/// they capture, with their [notes](crate::notes) and, given an issue URL
/// `template` (see [`register::issue_url`]), their links.
///
/// Unlike a run, a file that cannot be read or parsed is a violation here.
///
/// # Errors
///
/// [`Error::NoSuchPath`] if a path does not exist; nothing is checked.
pub fn lint<P: AsRef<Path>>(paths: &[P], template: Option<&str>) -> Result<Report, Error> {
    if let Some(missing) = paths.iter().map(AsRef::as_ref).find(|p| !p.exists()) {
        return Err(Error::NoSuchPath(missing.to_path_buf()));
    }
    let mut files: Vec<_> = paths
        .iter()
        .flat_map(|p| files::feature_files(p.as_ref()))
        .collect();
    files.sort();
    files.dedup();

    let mut report = Report {
        files: files.len(),
        ..Report::default()
    };
    for file in &files {
        let feature = fs::read_to_string(file)
            .map_err(|e| (1, format!("cannot read this file: {e}")))
            .and_then(|source| {
                gherkin::Feature::parse(&source, gherkin::GherkinEnv::default())
                    .map(|mut feature| {
                        feature.path = Some(file.clone());
                        (feature, FeatureNotes::parse(&source))
                    })
                    .map_err(|e| {
                        (
                            error_line(&e.to_string()),
                            format!("not valid Gherkin: {e}"),
                        )
                    })
            });
        match feature {
            Ok((feature, notes)) => {
                report
                    .violations
                    .extend(tags::validate_feature_with(&feature, &notes));
                list_bugs(&feature, &notes, template, &mut report.register);
            }
            Err((line, message)) => report.violations.push(Violation {
                file: files::display_path(file),
                line,
                kind: ViolationKind::Unparsable,
                message,
            }),
        }
    }
    Ok(report)
}

/// The line of a gherkin parse error, `Error at <line>:<column>: ...`; 1 if
/// it does not say.
fn error_line(message: &str) -> usize {
    message
        .strip_prefix("Error at ")
        .and_then(|rest| rest.split(':').next())
        .and_then(|line| line.parse().ok())
        .unwrap_or(1)
}

/// Adds an entry per bug capture of `feature` to `register`.
fn list_bugs(
    feature: &gherkin::Feature,
    notes: &FeatureNotes,
    template: Option<&str>,
    register: &mut Register,
) {
    let file = feature
        .path
        .as_deref()
        .map_or_else(|| "<unknown file>".to_owned(), files::display_path);
    let scenarios = feature.scenarios.iter().map(|s| (None, s)).chain(
        feature
            .rules
            .iter()
            .flat_map(|r| r.scenarios.iter().map(move |s| (Some(r), s))),
    );
    for (rule, scenario) in scenarios {
        let captures = tags::captures(feature, rule, scenario);
        for (i, (line, tags)) in captures.into_iter().enumerate() {
            if !tags.expected_fail && tags.bug_numbers.is_empty() {
                continue;
            }
            let status = if tags.expected_fail {
                Status::Open
            } else {
                Status::Guarded
            };
            let notes = notes.get(line);
            // `@tdd_expected_fail` without a number is a violation; list it
            // all the same, as bug 0.
            let bugs = if tags.bug_numbers.is_empty() {
                vec![0]
            } else {
                tags.bug_numbers.clone()
            };
            for row in scenario_lines(scenario, i, line) {
                for &bug in &bugs {
                    register.push(Entry {
                        reason: notes.reason.clone(),
                        expect: notes.expect.clone(),
                        url: template.map(|t| register::issue_url(t, bug)),
                        bugs: tags.bug_numbers.clone(),
                        ..Entry::new(bug, file.clone(), row, scenario.name.clone(), status)
                    });
                }
            }
        }
    }
}

/// The lines a run reports the scenarios of capture `i` of `scenario` at:
/// the scenario's line, or, for the `i`-th `Examples` block (at
/// `block_line`) of an outline, the line of each of its rows, as cucumber
/// numbers the scenarios it expands them into.
fn scenario_lines(scenario: &gherkin::Scenario, i: usize, block_line: usize) -> Vec<usize> {
    let Some(examples) = scenario.examples.get(i) else {
        return vec![block_line];
    };
    let rows = examples
        .table
        .as_ref()
        .map_or(0, |t| t.rows.len().saturating_sub(1));
    (0..rows).map(|row| block_line + row + 2).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_line_reads_the_parser_position() {
        assert_eq!(error_line("Error at 7:3: {\"Scenario\"}"), 7);
        assert_eq!(error_line("something else"), 1);
        assert_eq!(error_line("Error at x:3"), 1);
    }

    #[test]
    fn files_not_valid_gherkin_are_counted_apart() {
        let bad = |line| Violation {
            file: "f.feature".to_owned(),
            line,
            kind: ViolationKind::Unparsable,
            message: "not valid Gherkin".to_owned(),
        };
        let report = Report {
            files: 2,
            violations: vec![bad(1), bad(2)],
            ..Report::default()
        };
        assert_eq!(report.unparsable(), 2);
        assert!(report.to_string().ends_with(
            "checked 2 feature files: 2 files not valid Gherkin, no TDD tag violations\n"
        ));
    }

    #[test]
    fn display_counts_files_and_violations() {
        let mut report = Report {
            files: 1,
            ..Report::default()
        };
        assert!(report
            .to_string()
            .ends_with("checked 1 feature file: no TDD tag violations\n"));
        let v = Violation {
            file: "f.feature".to_owned(),
            line: 3,
            kind: ViolationKind::UnknownTdd,
            message: "m".to_owned(),
        };
        report.violations = vec![v.clone()];
        report.files = 2;
        let text = report.to_string();
        assert!(
            text.starts_with("f.feature:3: m\nbug register: 0 open bugs"),
            "{text}"
        );
        assert!(
            text.ends_with("checked 2 feature files: 1 TDD tag violation\n"),
            "{text}"
        );
        report.violations.push(v);
        assert!(report.to_string().ends_with(": 2 TDD tag violations\n"));
    }
}
