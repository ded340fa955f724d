//! The bug register: which bugs are still open and which are guarded.
//!
//! At the end of a run the [`Tdd`](crate::Tdd) writer has one [`Entry`] per
//! executed scenario that names a bug (`@tdd_bug_<N>`), judged on its final
//! attempt. The [`Register`] groups them:
//!
//! * **open** bugs: scenarios still tagged `@tdd_expected_fail`;
//! * **guarded** bugs: scenarios tagged `@tdd_bug_<N>` without
//!   `@tdd_expected_fail`, i.e. regression tests of fixed bugs.
//!
//! Its [`Display`](fmt::Display) is the short human report printed after the
//! run; [`Register::to_json`] and [`Register::write_json`] give the same data
//! for tools.
//!
//! [`crate::lint`] builds a register from the feature files alone, without
//! running anything: its entries are [`Status::Open`] or
//! [`Status::Guarded`].
//!
//! Each entry carries the capture's `# reason:` [note](crate::notes) and,
//! when an issue URL template is configured ([`Tdd::issue_url`]), the bug's
//! link ([`issue_url`]).
//!
//! [`Tdd::issue_url`]: crate::Tdd::issue_url

use std::{collections::BTreeMap, fmt, fs, path::Path};

use serde::Serialize;

use crate::Error;

/// How a bug scenario ended (on its final attempt, when retried).
#[derive(Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// `@tdd_expected_fail`, and a `Then` step failed: the bug is still open.
    ExpectedFailure,
    /// `@tdd_expected_fail`, but every step passed: the bug looks fixed and
    /// the tag must go. Fails the run.
    AppearsFixed,
    /// `@tdd_expected_fail`, but it failed somewhere else than in a `Then`
    /// step (a `Given`/`When`, a background, a hook, an undefined step). Fails
    /// the run.
    WrongFailure,
    /// `@tdd_expected_fail`, and a `Then` step failed, but its message lacks
    /// what the capture's `# expect:` note requires. Fails the run.
    WrongMessage,
    /// A guarded bug whose scenario passed.
    Passed,
    /// A guarded bug whose scenario failed or was skipped: a regression.
    Failed,
    /// Listed from the feature files, not run: tagged `@tdd_expected_fail`.
    Open,
    /// Listed from the feature files, not run: tagged `@tdd_bug_<N>` only.
    Guarded,
}

impl Status {
    /// Whether a scenario ending this way makes the run fail.
    #[must_use]
    pub const fn fails_run(self) -> bool {
        matches!(
            self,
            Self::AppearsFixed | Self::WrongFailure | Self::WrongMessage | Self::Failed
        )
    }

    /// Whether the scenario was tagged `@tdd_expected_fail`.
    #[must_use]
    pub const fn is_open(self) -> bool {
        matches!(
            self,
            Self::ExpectedFailure
                | Self::AppearsFixed
                | Self::WrongFailure
                | Self::WrongMessage
                | Self::Open
        )
    }

    /// The name used in JSON and in annotated reports: `expected_failure`,
    /// `appears_fixed`, `wrong_failure`, `wrong_message`, `passed`, `failed`,
    /// `open`, `guarded`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::ExpectedFailure => "expected_failure",
            Self::AppearsFixed => "appears_fixed",
            Self::WrongFailure => "wrong_failure",
            Self::WrongMessage => "wrong_message",
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::Open => "open",
            Self::Guarded => "guarded",
        }
    }

    const fn label(self) -> &'static str {
        match self {
            Self::ExpectedFailure => "expected failure",
            Self::AppearsFixed => "APPEARS FIXED",
            Self::WrongFailure => "FAILED FOR ANOTHER REASON",
            Self::WrongMessage => "FAILED WITH ANOTHER MESSAGE",
            Self::Passed => "passed",
            Self::Failed => "FAILED",
            Self::Open | Self::Guarded => "not run",
        }
    }
}

/// One judged bug scenario.
#[derive(Clone, Debug, Eq, PartialEq, Serialize)]
pub struct Entry {
    /// The bug number, from `@tdd_bug_<N>`.
    pub bug: u64,
    /// The feature file, as shown to the user.
    pub file: String,
    /// 1-based line of the scenario (of its `Examples` row for an outline).
    pub line: usize,
    /// The scenario's name.
    pub scenario: String,
    /// How it ended.
    pub status: Status,
    /// Why, in a line: the assertion message of an expected failure, or what
    /// went wrong. Empty for a passed guarded bug.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// The capture's `# reason:` [note](crate::notes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The capture's `# expect:` [notes](crate::notes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expect: Vec<String>,
    /// The bug's link, from the configured issue URL template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// 1-based line of the step that decided the outcome: the `Then` step
    /// that failed as expected, the last step of an unexpected pass, or the
    /// step that failed for another reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_line: Option<usize>,
    /// 1-based line of the `@tdd_expected_fail` tag (on the scenario, its
    /// `Examples`, its `Rule` or its `Feature`): where an unexpected pass
    /// says to remove it. Known when the scenario ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_line: Option<usize>,
    /// Every bug the scenario names, when it names more than `bug`.
    #[serde(skip_serializing_if = "names_one_bug")]
    pub bugs: Vec<u64>,
}

fn names_one_bug(bugs: &[u64]) -> bool {
    bugs.len() <= 1
}

impl Entry {
    /// An entry for `bug` at `file:line`, named `scenario`, with nothing else
    /// known yet.
    #[must_use]
    pub fn new(
        bug: u64,
        file: impl Into<String>,
        line: usize,
        scenario: impl Into<String>,
        status: Status,
    ) -> Self {
        Self {
            bug,
            file: file.into(),
            line,
            scenario: scenario.into(),
            status,
            detail: String::new(),
            reason: None,
            expect: Vec::new(),
            url: None,
            step_line: None,
            tag_line: None,
            bugs: vec![bug],
        }
    }
}

/// The link of `bug` from an issue URL `template`: every `{N}` is replaced
/// with the bug number; a template without `{N}` gets it appended.
///
/// ```
/// use cucumber_tdd::register::issue_url;
///
/// assert_eq!(issue_url("https://tracker.example/issues/{N}", 12), "https://tracker.example/issues/12");
/// assert_eq!(issue_url("https://github.com/o/r/issues/", 12), "https://github.com/o/r/issues/12");
/// ```
#[must_use]
pub fn issue_url(template: &str, bug: u64) -> String {
    if template.contains("{N}") {
        template.replace("{N}", &bug.to_string())
    } else {
        format!("{template}{bug}")
    }
}

/// All the scenarios of one bug in one group of the register.
#[derive(Clone, Debug, Eq, PartialEq, Serialize)]
pub struct Bug<'a> {
    /// The bug number.
    pub bug: u64,
    /// Its scenarios, in file and line order.
    pub scenarios: Vec<&'a Entry>,
}

/// The bug register of a run. See the [module docs](self).
#[derive(Clone, Debug, Default, Eq, PartialEq)]
pub struct Register {
    entries: Vec<Entry>,
}

impl Register {
    /// Adds a judged scenario.
    pub fn push(&mut self, entry: Entry) {
        self.entries.push(entry);
    }

    /// Every entry, in file and line order.
    #[must_use]
    pub fn entries(&self) -> Vec<&Entry> {
        let mut all: Vec<&Entry> = self.entries.iter().collect();
        all.sort_by(|a, b| (&a.file, a.line, a.bug).cmp(&(&b.file, b.line, b.bug)));
        all
    }

    /// Bugs with a scenario still tagged `@tdd_expected_fail`, by bug
    /// number, with all their scenarios (a guarded one too: the bug is open
    /// while any capture of it is).
    #[must_use]
    pub fn open_bugs(&self) -> Vec<Bug<'_>> {
        self.group(true)
    }

    /// Bugs whose every scenario is tagged `@tdd_bug_<N>` without
    /// `@tdd_expected_fail`, by bug number.
    #[must_use]
    pub fn guarded_bugs(&self) -> Vec<Bug<'_>> {
        self.group(false)
    }

    /// Entries whose status fails the run.
    #[must_use]
    pub fn failures(&self) -> Vec<&Entry> {
        self.entries()
            .into_iter()
            .filter(|e| e.status.fails_run())
            .collect()
    }

    /// Whether no bug scenario ran.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn group(&self, open: bool) -> Vec<Bug<'_>> {
        let mut by_bug: BTreeMap<u64, Vec<&Entry>> = BTreeMap::new();
        for e in self.entries() {
            by_bug.entry(e.bug).or_default().push(e);
        }
        by_bug
            .into_iter()
            .filter(|(_, scenarios)| scenarios.iter().any(|e| e.status.is_open()) == open)
            .map(|(bug, scenarios)| Bug { bug, scenarios })
            .collect()
    }

    /// The register as JSON:
    ///
    /// ```json
    /// {
    ///   "open": [
    ///     { "bug": 12, "scenarios": [
    ///       { "bug": 12, "file": "features/tdd_x.feature", "line": 4,
    ///         "scenario": "...", "status": "expected_failure", "detail": "..." }
    ///     ] }
    ///   ],
    ///   "guarded": [ ... ]
    /// }
    /// ```
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "open": self.open_bugs(),
            "guarded": self.guarded_bugs(),
        })
    }

    /// Writes [`to_json`](Self::to_json), pretty-printed, to `path`.
    ///
    /// # Errors
    ///
    /// [`Error::WriteRegister`] if the file cannot be written.
    pub fn write_json(&self, path: impl AsRef<Path>) -> Result<(), Error> {
        let path = path.as_ref();
        // `{:#}` is serde_json's pretty printer; unlike `to_string_pretty` it
        // cannot fail on a `Value`.
        let text = format!("{:#}\n", self.to_json());
        fs::write(path, text).map_err(|source| Error::WriteRegister {
            path: path.to_path_buf(),
            source,
        })
    }
}

impl fmt::Display for Register {
    /// The short report, with the reason and link of a capture below it when
    /// known:
    ///
    /// ```text
    /// bug register: 1 open bug, 1 guarded bug
    ///   open    #12    features/tdd_lock.feature:4  Lock is released (expected failure: ...)
    ///           reason: a crashed writer leaves the lock file behind
    ///           https://tracker.example/issues/12
    ///   guarded #7     features/tdd_save.feature:9  Save is atomic (passed)
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let open = self.open_bugs();
        let guarded = self.guarded_bugs();
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        writeln!(
            f,
            "bug register: {} open bug{}, {} guarded bug{}",
            open.len(),
            plural(open.len()),
            guarded.len(),
            plural(guarded.len()),
        )?;
        for bug in open.iter().chain(&guarded) {
            for e in &bug.scenarios {
                let group = if e.status.is_open() {
                    "open"
                } else {
                    "guarded"
                };
                // One line per scenario: a multi-line message shows its first
                // line here, all of it in the output, the JSON and the reports.
                let detail = match e.detail.lines().next() {
                    Some(first) => format!(": {first}"),
                    None => String::new(),
                };
                writeln!(
                    f,
                    "  {group:<7} #{:<5} {}:{}  {} ({}{detail})",
                    e.bug,
                    e.file,
                    e.line,
                    e.scenario,
                    e.status.label(),
                )?;
                if let Some(reason) = &e.reason {
                    writeln!(f, "          reason: {reason}")?;
                }
                if let Some(url) = &e.url {
                    writeln!(f, "          {url}")?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(bug: u64, line: usize, status: Status) -> Entry {
        Entry::new(
            bug,
            "features/x.feature",
            line,
            format!("scenario {line}"),
            status,
        )
    }

    #[test]
    fn a_bug_with_an_open_capture_and_a_guard_is_one_open_bug() {
        let mut r = Register::default();
        r.push(entry(42, 4, Status::ExpectedFailure));
        r.push(entry(42, 9, Status::Passed));
        let text = r.to_string();
        assert!(
            text.starts_with("bug register: 1 open bug, 0 guarded bugs\n"),
            "{text}"
        );
        // Each scenario is still listed as what it is.
        assert!(
            text.contains("  open    #42    features/x.feature:4  "),
            "{text}"
        );
        assert!(
            text.contains("  guarded #42    features/x.feature:9  "),
            "{text}"
        );
    }

    #[test]
    fn a_multi_line_detail_shows_its_first_line_in_the_text() {
        let mut r = Register::default();
        r.push(Entry {
            detail: "assertion failed\n  left: 1\n right: 2".to_owned(),
            ..entry(5, 4, Status::ExpectedFailure)
        });
        assert!(
            r.to_string()
                .contains("(expected failure: assertion failed)\n"),
            "{r}"
        );
    }

    #[test]
    fn groups_by_bug_and_openness() {
        let mut r = Register::default();
        r.push(entry(12, 9, Status::ExpectedFailure));
        r.push(entry(7, 3, Status::Passed));
        r.push(entry(12, 4, Status::ExpectedFailure));
        r.push(entry(5, 20, Status::AppearsFixed));

        let open = r.open_bugs();
        assert_eq!(open.iter().map(|b| b.bug).collect::<Vec<_>>(), vec![5, 12]);
        assert_eq!(
            open[1].scenarios.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![4, 9]
        );
        let guarded = r.guarded_bugs();
        assert_eq!(guarded.iter().map(|b| b.bug).collect::<Vec<_>>(), vec![7]);
        assert_eq!(
            r.failures().iter().map(|e| e.bug).collect::<Vec<_>>(),
            vec![5]
        );

        let text = r.to_string();
        assert!(
            text.starts_with("bug register: 2 open bugs, 1 guarded bug\n"),
            "{text}"
        );
        assert!(
            text.contains("open    #5     features/x.feature:20"),
            "{text}"
        );
    }

    #[test]
    fn status_codes_are_the_json_names() {
        use Status::*;
        for status in [
            ExpectedFailure,
            AppearsFixed,
            WrongFailure,
            WrongMessage,
            Passed,
            Failed,
            Open,
            Guarded,
        ] {
            assert_eq!(serde_json::to_value(status).unwrap(), status.code());
            // Listed captures never fail a run; only run outcomes do.
            let fails = matches!(status, AppearsFixed | WrongFailure | WrongMessage | Failed);
            assert_eq!(status.fails_run(), fails, "{status:?}");
        }
        assert!(Open.is_open() && !Guarded.is_open() && WrongMessage.is_open());
    }

    #[test]
    fn display_adds_the_reason_and_link_below_a_row() {
        let mut r = Register::default();
        r.push(Entry {
            reason: Some("the lock survives a crash".to_owned()),
            url: Some(issue_url("https://t.example/{N}/x/{N}", 12)),
            ..entry(12, 4, Status::Open)
        });
        assert_eq!(
            r.to_string(),
            "bug register: 1 open bug, 0 guarded bugs\n\
             \x20 open    #12    features/x.feature:4  scenario 4 (not run)\n\
             \x20         reason: the lock survives a crash\n\
             \x20         https://t.example/12/x/12\n"
        );
    }

    #[test]
    fn json_shape() {
        let mut r = Register::default();
        r.push(entry(12, 4, Status::ExpectedFailure));
        r.push(entry(7, 3, Status::Failed));
        let json = r.to_json();
        assert_eq!(json["open"][0]["bug"], 12);
        assert_eq!(
            json["open"][0]["scenarios"][0]["status"],
            "expected_failure"
        );
        assert_eq!(json["open"][0]["scenarios"][0]["line"], 4);
        assert_eq!(json["guarded"][0]["scenarios"][0]["status"], "failed");
        assert!(json["guarded"][0]["scenarios"][0].get("detail").is_none());
    }

    #[test]
    fn write_json_writes_pretty_json_with_a_final_newline() {
        let mut r = Register::default();
        r.push(entry(12, 4, Status::ExpectedFailure));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("register.json");
        r.write_json(&path).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            format!("{}\n", serde_json::to_string_pretty(&r.to_json()).unwrap())
        );
        assert!(
            text.starts_with("{\n  \"guarded\": [],\n  \"open\": [\n"),
            "{text}"
        );
    }

    /// A `fmt::Write` that takes `room` bytes, then fails.
    struct Cramped {
        text: String,
        room: usize,
    }

    impl fmt::Write for Cramped {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            if s.len() > self.room {
                return Err(fmt::Error);
            }
            self.room -= s.len();
            self.text.push_str(s);
            Ok(())
        }
    }

    fn render_into(r: &Register, room: usize) -> (fmt::Result, String) {
        let mut out = Cramped {
            text: String::new(),
            room,
        };
        let result = fmt::write(&mut out, format_args!("{r}"));
        (result, out.text)
    }

    #[test]
    fn display_stops_at_the_first_write_error() {
        let mut r = Register::default();
        r.push(entry(12, 4, Status::ExpectedFailure));
        r.push(entry(7, 3, Status::Passed));
        let full = r.to_string();
        let header = "bug register: 1 open bug, 1 guarded bug\n";
        assert!(full.starts_with(header), "{full}");

        // Failing in the header: nothing after it is attempted.
        let (result, text) = render_into(&r, 0);
        assert_eq!(result, Err(fmt::Error));
        assert_eq!(text, "");

        // Failing in the first row: the header is out, the rest is not.
        let (result, text) = render_into(&r, header.len());
        assert_eq!(result, Err(fmt::Error));
        assert!(text.starts_with(header), "{text}");
        assert!(!text.contains("guarded #7"), "{text}");

        // Room for all of it: the same text as `to_string`.
        assert_eq!(render_into(&r, full.len()), (Ok(()), full));
    }
}
