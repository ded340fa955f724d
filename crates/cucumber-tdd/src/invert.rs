//! [`Tdd`]: the [`Writer`] wrapper that inverts expected failures.
//!
//! It sits in front of any other writer, in the style of cucumber's own
//! [`FailOnSkipped`](writer::FailOnSkipped): it sees every event first,
//! rewrites the few that the TDD workflow judges differently, and passes
//! everything on. The inner writer's statistics therefore already reflect the
//! inverted view, and so do its output and its exit code.
//!
//! For a scenario tagged `@tdd_expected_fail` (directly or inherited):
//!
//! | what happens (final attempt)          | inner writer sees             | run   |
//! |---------------------------------------|-------------------------------|-------|
//! | a `Then` step panics                  | the step passed, shown as `<step> [xfail]`, plus a log line with the bug and the whole panic message | green |
//! | a `Then` step panics, but without the text of an `# expect:` note | the step failed, plus a log line saying so | red |
//! | every step passes                     | the last step failed with `bug #N appears fixed: remove @tdd_expected_fail from <file>:<line>` | red |
//! | a `Given`/`When`/background step fails, a hook fails | unchanged            | red   |
//! | a step is undefined (skipped)         | the step failed (not found)   | red   |
//!
//! A scenario that guards a fixed bug (`@tdd_bug_<N>` without
//! `@tdd_expected_fail`) passes and fails as usual, except that an undefined
//! step fails it too: a regression guard that skips its checks guards nothing.
//!
//! `And`/`But` steps count as the keyword they continue (gherkin's
//! [`gherkin::StepType`]). Only a panic counts as an assertion: an
//! ambiguous step match is a real failure even in a `Then`.
//!
//! Retried scenarios are judged on their final attempt. A capture should run
//! once ([`crate::retry_options`]); if the runner retries it anyway, its
//! earlier attempts are held back and dropped, so the inner writer sees it
//! once. Other scenarios' earlier attempts pass through unchanged (the inner
//! writer counts them as retried, not failed).
//!
//! cucumber's `--fail-fast` stops at a capture's real panic, before the
//! inversion: a run it stopped at an expected failure, with scenarios left
//! unrun, fails (see [`Tdd::failure_messages`]).
//!
//! With `--runxfail` ([`Cli`], [`RUNXFAIL_ENV`], [`Tdd::run_xfail`]) nothing
//! is inverted: captures pass and fail as ordinary scenarios.
//!
//! Every [`Feature`](gherkin::Feature) is checked against the
//! [tag rules](crate::tags) when it starts, the whole file as read from disk
//! (the scenarios a tag filter left out included), as are the violations the
//! [`Validate`](crate::Validate) parser found; violations fail the run and
//! are counted as parsing errors in [`writer::Stats`].
//!
//! A capture's [`notes`] (`# reason:`, `# expect:` comments next
//! to its tags) are read from the feature file when the feature starts.
//!
//! When the run finishes, [`Tdd`] writes its report (the [bug register], the
//! [`Summary`] line `scenarios: 4 passed, 2 xfailed, 1 xpassed`, and one
//! `error:` line per reason the TDD rules fail the run) to its report
//! output, stderr unless [`Tdd::report_to`] says otherwise, the register
//! as JSON if [`Tdd::register_json`] was given a path, and marks the bug
//! scenarios in the JUnit XML and cucumber JSON reports named by
//! [`Tdd::annotate_junit`] and [`Tdd::annotate_json`] (see
//! [`crate::annotate`]).
//!
//! [bug register]: crate::register

use std::{
    any::Any,
    collections::{HashMap, HashSet},
    fmt, io,
    ops::Deref,
    path::PathBuf,
    sync::Arc,
};

use cucumber::{
    event::{self, HookType, Retries, Source, StepError},
    gherkin::{self, StepType},
    parser, writer, Event, World, Writer,
};

use crate::{
    annotate, files,
    messages::{self, bug_label, with_url},
    notes::{self, FeatureNotes, Notes},
    register::{self, Entry, Register, Status},
    tags::{self, TddTags, Violation},
    validate::Violations,
};

/// Identity of one scenario during a run (cucumber's [`Source`]s compare by
/// pointer, so identical-looking scenarios stay apart).
type ScenarioKey = (
    Source<gherkin::Feature>,
    Option<Source<gherkin::Rule>>,
    Source<gherkin::Scenario>,
);

pub use crate::messages::appears_fixed_message;

/// [`Writer`] wrapper applying the TDD bug workflow. See the
/// [module docs](self) for what it does to events.
///
/// Compose it outermost, after (i.e. around) [`Summarize`](writer::Summarize),
/// so that the summary counts the inverted outcomes:
///
/// ```no_run
/// use cucumber::{World, WriterExt as _, writer};
/// use cucumber_tdd::TddExt as _;
///
/// #[derive(Debug, Default, World)]
/// struct MyWorld;
///
/// # async fn run() {
/// MyWorld::cucumber()
///     .with_writer(writer::Basic::stdout().summarized().tdd())
///     .run_and_exit("tests/features")
///     .await;
/// # }
/// ```
///
/// `Tdd` transforms events, so it is deliberately not
/// [`NonTransforming`](writer::NonTransforming): `.tdd().summarized()` and
/// `.tdd().repeat_failed()` do not compile, as with
/// [`FailOnSkipped`](writer::FailOnSkipped).
pub struct Tdd<Wr> {
    writer: Wr,
    report: Box<dyn io::Write>,
    register_json: Option<PathBuf>,
    issue_url: Option<String>,
    annotate_junit: Option<PathBuf>,
    annotate_json: Option<PathBuf>,
    notes: HashMap<Source<gherkin::Feature>, FeatureNotes>,
    violations: Vec<Violation>,
    attempts: HashMap<ScenarioKey, Attempt>,
    register: Register,
    errors: Vec<String>,
    /// Why bug scenarios fail the run, one line each.
    verdicts: Vec<String>,
    /// How many scenarios cucumber selected to run (after filtering).
    selected: Option<usize>,
    /// The scenarios that started, each once however often it was retried.
    ran: HashSet<ScenarioKey>,
    /// The first expected failure: what cucumber's `--fail-fast` stops at.
    first_xfail: Option<String>,
    /// Events held back per scenario (see [`Flow::Hold`]): each a
    /// `Vec<Event<event::Cucumber<W>>>`, boxed as the struct knows no `W`.
    held: HashMap<ScenarioKey, Box<dyn Any>>,
    /// Expected failures are not inverted (pytest's `--runxfail`).
    run_xfail: bool,
    /// The first event arrived (the command line was read).
    started: bool,
    /// What the inner writer was shown of each scenario's current attempt.
    seen: HashMap<ScenarioKey, Seen>,
    /// The verdict of a bug scenario judged at the end of its attempt.
    judged: HashMap<ScenarioKey, Status>,
    summary: Summary,
    finished: bool,
}

/// What the inner writer was shown of a scenario's attempt.
#[derive(Clone, Copy, Debug, Default)]
struct Seen {
    failed: bool,
    skipped: bool,
}

/// How the scenarios of a run ended, pytest style:
/// `4 passed, 1 failed, 2 xfailed, 1 xpassed`.
///
/// An expected failure is `xfailed`, an unexpected pass `xpassed` (it fails
/// the run), a capture that failed for another reason `failed`; a retried
/// scenario counts once, by its final attempt.
///
/// ```
/// let s = cucumber_tdd::invert::Summary { passed: 4, xfailed: 2, xpassed: 1, ..Default::default() };
/// assert_eq!(s.to_string(), "4 passed, 2 xfailed, 1 xpassed");
/// ```
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq)]
pub struct Summary {
    /// Passed, bug regression tests included.
    pub passed: usize,
    /// Failed: a real failure, or a capture that failed for another reason.
    pub failed: usize,
    /// Stopped at an undefined step (outside bug scenarios, which fail).
    pub skipped: usize,
    /// Expected failures: open bugs that still fail as captured.
    pub xfailed: usize,
    /// Unexpected passes: captures whose bug appears fixed.
    pub xpassed: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = [
            (self.passed, "passed"),
            (self.failed, "failed"),
            (self.skipped, "skipped"),
            (self.xfailed, "xfailed"),
            (self.xpassed, "xpassed"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if parts.is_empty() {
            f.write_str("none ran")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// What happens to the events of one scenario event.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
enum Flow {
    /// They go to the inner writer now.
    Pass,
    /// They wait with the rest of their attempt.
    Hold,
    /// They go after the events held for their attempt.
    Release,
    /// They and the events held for their attempt are dropped.
    Discard,
}

/// What is known about the current attempt of one bug scenario.
struct Attempt {
    tags: TddTags,
    /// `@tdd_expected_fail`, and not running expected failures as they are.
    inverted: bool,
    /// Its events are held until it ends (see [`Flow::Hold`]).
    held: bool,
    notes: Notes,
    url: Option<String>,
    file: String,
    line: usize,
    /// The line of the tag `@tdd_expected_fail` (scenario, `Examples`, rule
    /// or feature): where an unexpected pass says to remove it.
    tag_line: usize,
    last_step: Option<gherkin::Step>,
    /// The runner's view: a step panicked or a hook failed (decides retries).
    failed: bool,
    /// The assertion message of an expected `Then` failure.
    expected: Option<String>,
    /// The first failure that is not an expected one: how it is judged and
    /// what happened.
    wrong: Option<(Status, String)>,
    /// The line of the step that decided the outcome.
    step_line: Option<usize>,
}

impl Attempt {
    fn bug_label(&self) -> String {
        bug_label(&self.tags.bug_numbers)
    }

    /// Records the first failure that is not an expected one.
    fn went_wrong(&mut self, step_line: Option<usize>, detail: impl FnOnce() -> String) {
        if self.wrong.is_none() {
            self.wrong = Some((Status::WrongFailure, detail()));
            self.step_line = step_line;
        }
    }

    /// Judges one step, hook or log event of the attempt; returns what the
    /// inner writer gets instead.
    fn judge_event<W>(
        &mut self,
        event: event::Scenario<W>,
        retries: Option<Retries>,
    ) -> Vec<event::Scenario<W>> {
        use event::{Hook, Scenario, Step};

        match event {
            Scenario::Hook(which, Hook::Failed(world, info)) => {
                self.failed = true;
                let label = match which {
                    HookType::Before => "the before hook",
                    HookType::After => "the after hook",
                };
                self.went_wrong(None, || format!("{label} failed: {}", panic_message(&info)));
                vec![Scenario::Hook(which, Hook::Failed(world, info))]
            }
            Scenario::Background(st, Step::Failed(cap, loc, world, err)) => {
                self.failed = true;
                self.went_wrong(Some(st.position.line), || {
                    format!("background {} failed: {}", describe(&st), error_text(&err))
                });
                vec![Scenario::Background(st, Step::Failed(cap, loc, world, err))]
            }
            Scenario::Background(st, Step::Skipped) => {
                // A bug scenario, open or guarded, that stops at an undefined
                // step checks nothing: a failure, never a quiet skip.
                self.failed = true;
                self.went_wrong(Some(st.position.line), || {
                    format!("background {} is undefined", describe(&st))
                });
                let step = Step::Failed(None, None, None, StepError::NotFound);
                vec![Scenario::Background(st, step)]
            }
            Scenario::Step(st, Step::Failed(Some(cap), loc, world, StepError::Panic(info)))
                if self.inverted && st.ty == StepType::Then =>
            {
                self.failed = true;
                if retries.is_some_and(|r| r.left > 0) {
                    // Not the final attempt: dropped when it ends.
                    let step = Step::Failed(Some(cap), loc, world, StepError::Panic(info));
                    return vec![Scenario::Step(st, step)];
                }
                let message = panic_message(&info);
                if let Some(log) = self.check_expect(&st, &message) {
                    let step = Step::Failed(Some(cap), loc, world, StepError::Panic(info));
                    return vec![Scenario::Step(st, step), Scenario::Log(log)];
                }
                let log = self.expected_failure_log(&message);
                self.expected = Some(message);
                self.step_line = Some(st.position.line);
                // Shown as `✔  Then <step> [xfail]`, never as a plain pass.
                let mut marked = (*st).clone();
                marked.value.push_str(" [xfail]");
                let st = Source::new(marked);
                vec![
                    Scenario::Step(st, Step::Passed(cap, loc)),
                    Scenario::Log(log),
                ]
            }
            Scenario::Step(st, Step::Failed(cap, loc, world, err)) => {
                self.failed = true;
                self.went_wrong(Some(st.position.line), || {
                    format!("{} failed: {}", describe(&st), error_text(&err))
                });
                vec![Scenario::Step(st, Step::Failed(cap, loc, world, err))]
            }
            Scenario::Step(st, Step::Skipped) => {
                self.failed = true;
                self.went_wrong(Some(st.position.line), || {
                    format!("{} is undefined", describe(&st))
                });
                let step = Step::Failed(None, None, None, StepError::NotFound);
                vec![Scenario::Step(st, step)]
            }
            Scenario::Step(st, Step::Passed(cap, loc))
                if self.inverted
                    && self.expected.is_none()
                    && self.wrong.is_none()
                    && self.last_step.as_ref() == Some(&*st) =>
            {
                self.step_line = Some(st.position.line);
                let info: event::Info = Arc::new(self.appears_fixed());
                let step = Step::Failed(Some(cap), loc, None, StepError::Panic(info));
                vec![Scenario::Step(st, step)]
            }
            other => vec![other],
        }
    }

    /// The `# expect:` check of an expected failure's panic message: a log
    /// line saying what is missing, if anything is.
    fn check_expect(&mut self, st: &gherkin::Step, message: &str) -> Option<String> {
        let missing = self.notes.missing_from(message);
        if missing.is_empty() {
            return None;
        }
        let detail = format!(
            "expected failure message {} not found; got {:?} ({}, line {})",
            missing
                .iter()
                .map(|m| format!("{m:?}"))
                .collect::<Vec<_>>()
                .join(" and "),
            message.trim_end(),
            describe_short(st),
            st.position.line,
        );
        let log = format!("      {}: {detail}\n", self.bug_label());
        if self.wrong.is_none() {
            self.wrong = Some((Status::WrongMessage, detail));
            self.step_line = Some(st.position.line);
        }
        Some(log)
    }

    /// The log line under an inverted step: the bug, the whole panic
    /// message, the reason and the link.
    fn expected_failure_log(&self, message: &str) -> String {
        let mut log = format!(
            "      expected failure (xfail), {} is still open: {}\n",
            self.bug_label(),
            messages::indent_rest(message, "      "),
        );
        if let Some(reason) = &self.notes.reason {
            log.push_str(&format!("      reason: {reason}\n"));
        }
        if let Some(url) = &self.url {
            log.push_str(&format!("      {url}\n"));
        }
        log
    }

    /// The message of an unexpected pass, with the link.
    fn appears_fixed(&self) -> String {
        with_url(
            messages::appears_fixed(&self.tags.bug_numbers, &self.file, self.tag_line),
            self.url.as_deref(),
        )
    }
}

impl<Wr> Tdd<Wr> {
    /// Wraps `writer`. The report goes to stderr; see [`report_to`](Self::report_to).
    #[must_use]
    pub fn new(writer: Wr) -> Self {
        Self {
            writer,
            report: Box::new(io::stderr()),
            register_json: None,
            issue_url: None,
            annotate_junit: None,
            annotate_json: None,
            notes: HashMap::new(),
            violations: Vec::new(),
            attempts: HashMap::new(),
            register: Register::default(),
            errors: Vec::new(),
            verdicts: Vec::new(),
            selected: None,
            ran: HashSet::new(),
            first_xfail: None,
            held: HashMap::new(),
            run_xfail: false,
            started: false,
            seen: HashMap::new(),
            judged: HashMap::new(),
            summary: Summary::default(),
            finished: false,
        }
    }

    /// Sends the end-of-run report (bug register and TDD errors) to `out`
    /// instead of stderr, e.g. stdout, a file, or a buffer in a test.
    #[must_use]
    pub fn report_to(mut self, out: impl io::Write + 'static) -> Self {
        self.report = Box::new(out);
        self
    }

    /// Also writes the bug register as JSON to `path` when the run finishes
    /// (see [`Register::to_json`]). A failure to write it fails the run.
    #[must_use]
    pub fn register_json(mut self, path: impl Into<PathBuf>) -> Self {
        self.register_json = Some(path.into());
        self
    }

    /// Links each bug to its issue: `template` with every `{N}` replaced by
    /// the bug number (appended if there is no `{N}`; see
    /// [`register::issue_url`]). The link follows the end-of-run messages
    /// (`bug #12 appears fixed: ... (https://tracker.example/issues/12)`) and
    /// appears in the register, its JSON and the annotated reports.
    ///
    /// ```
    /// use cucumber_tdd::TddExt as _;
    ///
    /// use cucumber::writer::{Basic, Coloring};
    ///
    /// let writer = Basic::raw(std::io::stdout(), Coloring::Auto, 0)
    ///     .tdd()
    ///     .issue_url("https://tracker.example/issues/{N}");
    /// # drop(writer);
    /// ```
    #[must_use]
    pub fn issue_url(mut self, template: impl Into<String>) -> Self {
        self.issue_url = Some(template.into());
        self
    }

    /// When the run finishes, marks the bug scenarios in the JUnit XML report
    /// at `path`, which an inner [`writer::JUnit`](https://docs.rs/cucumber/0.23/cucumber/writer/struct.JUnit.html) (feature `output-junit` of
    /// cucumber) has written by then: an expected failure becomes
    /// `<skipped type="xfail" message="xfail: bug #N: <reason>">`, an
    /// unexpected pass keeps its `<failure>` (`type="xpass"`, `bug #N appears
    /// fixed: ...`), and every bug scenario gets `tdd.*` properties. See
    /// [`annotate::junit`]. A failure to do so fails the run.
    ///
    /// The JUnit writer must write straight to the file (a [`std::fs::File`],
    /// not a buffered writer that is flushed later).
    #[must_use]
    pub fn annotate_junit(mut self, path: impl Into<PathBuf>) -> Self {
        self.annotate_junit = Some(path.into());
        self
    }

    /// When the run finishes, marks the bug scenarios in the cucumber JSON
    /// report at `path`, which an inner [`writer::Json`](https://docs.rs/cucumber/0.23/cucumber/writer/struct.Json.html) (feature
    /// `output-json` of cucumber) has written by then: each gets a `"tdd"`
    /// object (its register [`Entry`]), and the `Then` step of an expected
    /// failure the status `skipped` with an `xfail: ...` message. See
    /// [`annotate::cucumber_json`]. A failure to do so fails the run.
    ///
    /// The JSON writer must write straight to the file, as for
    /// [`annotate_junit`](Self::annotate_junit).
    #[must_use]
    pub fn annotate_json(mut self, path: impl Into<PathBuf>) -> Self {
        self.annotate_json = Some(path.into());
        self
    }

    /// Runs expected failures as ordinary scenarios, without inversion, to
    /// see their real failures: pytest's `--runxfail`. Also set by the
    /// `--runxfail` option and the [`RUNXFAIL_ENV`] environment variable.
    #[must_use]
    pub const fn run_xfail(mut self, yes: bool) -> Self {
        self.run_xfail = yes;
        self
    }

    /// How the scenarios of the run ended so far, pytest style (see
    /// [`Summary`]).
    #[must_use]
    pub const fn summary(&self) -> Summary {
        self.summary
    }

    /// The wrapped writer.
    #[must_use]
    pub const fn inner_writer(&self) -> &Wr {
        &self.writer
    }

    /// The bug register collected so far (complete once the run finished).
    #[must_use]
    pub const fn register(&self) -> &Register {
        &self.register
    }

    /// Tag rule violations found in the files of the run.
    #[must_use]
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Every reason the TDD rules fail this run, one line each, in order:
    /// tag violations (`<file>:<line>: <message>`), unexpected passes
    /// (`bug #N appears fixed: remove @tdd_expected_fail from <file>:<line>`),
    /// expected failures that failed for another reason or with another
    /// message than their `# expect:` note requires, a `--fail-fast` stop at
    /// an expected failure, and report I/O errors. A bug's message ends with its link when an
    /// [issue URL](Self::issue_url) is configured. Empty when the TDD rules
    /// are satisfied. Failures of ordinary scenarios are not listed here; the
    /// inner writer counts them.
    #[must_use]
    pub fn failure_messages(&self) -> Vec<String> {
        let mut out: Vec<String> = self.violations.iter().map(ToString::to_string).collect();
        out.extend(self.verdicts.iter().cloned());
        out.extend(self.errors.iter().cloned());
        out
    }

    /// Reads a feature's notes and validates it as it starts (once per
    /// feature in a run). The whole file is validated, as read from disk:
    /// cucumber hands over only the scenarios that `--tags`, `--name` or
    /// `filter_run` selected.
    fn feature_started(&mut self, feature: &Source<gherkin::Feature>) {
        let notes = FeatureNotes::of(feature);
        let whole = feature
            .path
            .as_deref()
            .and_then(|p| gherkin::Feature::parse_path(p, gherkin::GherkinEnv::default()).ok());
        let violations = match &whole {
            Some(whole) => tags::validate_feature_with(whole, &notes),
            None => tags::validate_feature_with(feature, &notes),
        };
        for v in violations {
            self.add_violation(v);
        }
        _ = self.notes.insert(feature.clone(), notes);
    }

    /// Keeps each violation once.
    fn add_violation(&mut self, v: Violation) {
        if !self.violations.contains(&v) {
            self.violations.push(v);
        }
    }

    /// Judges one scenario event: the events the inner writer gets for it,
    /// with their retries, and when it gets them.
    fn scenario<W>(
        &mut self,
        key: &ScenarioKey,
        ev: event::RetryableScenario<W>,
    ) -> (Vec<event::Scenario<W>>, Option<Retries>, Flow) {
        use event::Scenario;

        let event::RetryableScenario { event, retries } = ev;
        match event {
            Scenario::Started => {
                let flow = self.start_attempt(key, retries);
                (
                    vec![Scenario::Started],
                    self.shown_retries(key, retries),
                    flow,
                )
            }
            Scenario::Finished => {
                let shown = self.shown_retries(key, retries);
                (
                    vec![Scenario::Finished],
                    shown,
                    self.end_attempt(key, retries),
                )
            }
            event => {
                let shown = self.shown_retries(key, retries);
                match self.attempts.get_mut(key) {
                    Some(attempt) => {
                        let flow = if attempt.held { Flow::Hold } else { Flow::Pass };
                        (attempt.judge_event(event, retries), shown, flow)
                    }
                    None => (vec![event], retries, Flow::Pass),
                }
            }
        }
    }

    /// Starts following an attempt of a bug scenario (ignoring others).
    fn start_attempt(&mut self, key: &ScenarioKey, retries: Option<Retries>) -> Flow {
        let (feature, rule, scenario) = key;
        _ = self.ran.insert(key.clone());
        let tags = TddTags::of(feature, rule.as_deref(), scenario);
        if !tags.expected_fail && tags.bug_numbers.is_empty() {
            return Flow::Pass;
        }
        let file = feature
            .path
            .as_deref()
            .map_or_else(|| "<unknown file>".to_owned(), files::display_path);
        let notes = self
            .notes
            .get(feature)
            .map(|n| n.get(notes::capture_line(scenario)))
            .unwrap_or_default();
        let url = self
            .issue_url
            .as_deref()
            .zip(tags.bug_number())
            .map(|(t, n)| register::issue_url(t, n));
        let inverted = tags.expected_fail && !self.run_xfail;
        // An inverted attempt that the runner may retry is held back until it
        // ends: a retried one is dropped, so a capture is reported once.
        let held = inverted && retries.is_some_and(|r| r.left > 0);
        let attempt = Attempt {
            tag_line: tags::expected_fail_line(feature, rule.as_deref(), scenario),
            tags,
            inverted,
            held,
            notes,
            url,
            file,
            line: scenario.position.line,
            last_step: scenario.steps.last().cloned(),
            failed: false,
            expected: None,
            wrong: None,
            step_line: None,
        };
        _ = self.attempts.insert(key.clone(), attempt);
        if held {
            Flow::Hold
        } else {
            Flow::Pass
        }
    }

    /// Ends an attempt: judges it if it is the final one.
    fn end_attempt(&mut self, key: &ScenarioKey, retries: Option<Retries>) -> Flow {
        let Some(attempt) = self.attempts.remove(key) else {
            return Flow::Pass;
        };
        let retried = attempt.failed && retries.is_some_and(|r| r.left > 0);
        if retried && attempt.held {
            return Flow::Discard;
        }
        let flow = if attempt.held {
            Flow::Release
        } else {
            Flow::Pass
        };
        if !retried {
            self.judge(key, attempt);
        }
        flow
    }

    /// The retries the inner writer is shown: none for an inverted capture,
    /// whose earlier attempts it never sees.
    fn shown_retries(&self, key: &ScenarioKey, retries: Option<Retries>) -> Option<Retries> {
        match self.attempts.get(key) {
            Some(a) if a.inverted => None,
            _ => retries,
        }
    }

    /// Counts a scenario in the [`Summary`] when its final attempt ends, from
    /// what the inner writer was shown and, for a bug scenario, its verdict.
    fn tally<W>(&mut self, key: &ScenarioKey, events: &[event::Scenario<W>], retries_left: bool) {
        use event::{Hook, Scenario, Step};

        let seen = self.seen.entry(key.clone()).or_default();
        for e in events {
            match e {
                Scenario::Step(_, Step::Failed(..))
                | Scenario::Background(_, Step::Failed(..))
                | Scenario::Hook(_, Hook::Failed(..)) => seen.failed = true,
                Scenario::Step(_, Step::Skipped) | Scenario::Background(_, Step::Skipped) => {
                    seen.skipped = true;
                }
                _ => {}
            }
        }
        if !events.iter().any(|e| matches!(e, Scenario::Finished)) {
            return;
        }
        let seen = self.seen.remove(key).unwrap_or_default();
        let s = &mut self.summary;
        match self.judged.remove(key) {
            Some(Status::ExpectedFailure) => s.xfailed += 1,
            Some(Status::AppearsFixed) => s.xpassed += 1,
            Some(Status::Passed) => s.passed += 1,
            Some(_) => s.failed += 1,
            // An attempt that is retried is not counted.
            None if seen.failed && retries_left => {}
            None if seen.failed => s.failed += 1,
            None if seen.skipped => s.skipped += 1,
            None => s.passed += 1,
        }
    }

    /// Records the final attempt of a bug scenario in the register.
    fn judge(&mut self, key: &ScenarioKey, attempt: Attempt) {
        let scenario = &key.2;
        let (status, detail) = if attempt.inverted {
            match (attempt.wrong.clone(), attempt.expected.as_deref()) {
                (Some(wrong), _) => wrong,
                (None, Some(expected)) => (Status::ExpectedFailure, expected.trim_end().to_owned()),
                (None, None) => (Status::AppearsFixed, "every step passed".to_owned()),
            }
        } else {
            match attempt.wrong.clone() {
                Some((_, wrong)) => (Status::Failed, wrong),
                None => (Status::Passed, String::new()),
            }
        };
        let failure = messages::failure(
            status,
            &attempt.tags.bug_numbers,
            &attempt.file,
            (attempt.line, attempt.tag_line),
            &detail,
        );
        if let Some(message) = failure {
            self.verdicts
                .push(with_url(message, attempt.url.as_deref()));
        }
        _ = self.judged.insert(key.clone(), status);
        if status == Status::ExpectedFailure && self.first_xfail.is_none() {
            self.first_xfail = Some(format!(
                "{} ({}:{})",
                attempt.bug_label(),
                attempt.file,
                attempt.line
            ));
        }
        let mut bugs = attempt.tags.bug_numbers.clone();
        if bugs.is_empty() {
            // `@tdd_expected_fail` without a bug number is a tag violation,
            // reported as such; keep the verdict visible all the same.
            bugs.push(0);
        }
        for bug in bugs {
            self.register.push(Entry {
                detail: detail.clone(),
                reason: attempt.notes.reason.clone(),
                expect: attempt.notes.expect.clone(),
                url: self
                    .issue_url
                    .as_deref()
                    .map(|t| register::issue_url(t, bug)),
                step_line: attempt.step_line,
                tag_line: Some(attempt.tag_line).filter(|_| attempt.tags.expected_fail),
                bugs: attempt.tags.bug_numbers.clone(),
                ..Entry::new(
                    bug,
                    attempt.file.clone(),
                    attempt.line,
                    scenario.name.clone(),
                    status,
                )
            });
        }
    }

    /// Fails the run when cucumber's `--fail-fast` stopped it at an expected
    /// failure: the runner sees the capture's real panic and stops, and the
    /// scenarios it never started could hide a regression.
    fn check_all_ran(&mut self) {
        let Some(selected) = self.selected else {
            return;
        };
        let missing = selected.saturating_sub(self.ran.len());
        if let (Some(xfail), 1..) = (&self.first_xfail, missing) {
            self.errors.push(format!(
                "--fail-fast stopped the run at the expected failure of {xfail}: {missing} of \
                 {selected} scenarios did not run; run without --fail-fast to see them all"
            ));
        }
    }

    /// Writes the end-of-run report, the JSON register and the annotations.
    fn finish(&mut self) {
        self.check_all_ran();
        if let Some(path) = &self.register_json {
            if let Err(e) = self.register.write_json(path) {
                self.errors.push(e.to_string());
            }
        }
        let junit = self
            .annotate_junit
            .as_deref()
            .map(|p| annotate::junit_file(p, &self.register));
        let json = self
            .annotate_json
            .as_deref()
            .map(|p| annotate::cucumber_json_file(p, &self.register));
        for result in [junit, json].into_iter().flatten() {
            if let Err(e) = result {
                self.errors.push(e.to_string());
            }
        }
        let mut text = String::new();
        if !self.register.is_empty() {
            text.push_str(&self.register.to_string());
        }
        if self.run_xfail {
            text.push_str("--runxfail: expected failures ran as ordinary scenarios\n");
        }
        text.push_str(&format!("scenarios: {}\n", self.summary));
        for line in self.failure_messages() {
            text.push_str("error: ");
            text.push_str(&line);
            text.push('\n');
        }
        if !text.is_empty() {
            // The report is a courtesy copy of what `failure_messages` and the
            // register hold; a broken report pipe must not mask the verdict.
            _ = self.report.write_all(text.as_bytes());
            _ = self.report.flush();
        }
    }
}

/// "`When` step `the file is saved` (line 7)".
fn describe(step: &gherkin::Step) -> String {
    format!("{} (line {})", describe_short(step), step.position.line)
}

/// "`When` step `the file is saved`".
fn describe_short(step: &gherkin::Step) -> String {
    let ty = match step.ty {
        StepType::Given => "Given",
        StepType::When => "When",
        StepType::Then => "Then",
    };
    format!("`{ty}` step `{}`", step.value)
}

/// What went wrong in a step, in a line: the panic message for a panic.
fn error_text(err: &StepError) -> String {
    match err {
        StepError::Panic(info) => panic_message(info).trim_end().to_owned(),
        StepError::NotFound | StepError::AmbiguousMatch(_) => err.to_string(),
    }
}

/// The text of a panic payload (what `assert!` and `panic!` produce).
fn panic_message(info: &event::Info) -> String {
    if let Some(s) = info.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = info.downcast_ref::<&str>() {
        (*s).to_owned()
    } else {
        "(non-string panic payload)".to_owned()
    }
}

impl<Wr: fmt::Debug> fmt::Debug for Tdd<Wr> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tdd")
            .field("writer", &self.writer)
            .field("register_json", &self.register_json)
            .field("issue_url", &self.issue_url)
            .field("annotate_junit", &self.annotate_junit)
            .field("annotate_json", &self.annotate_json)
            .field("violations", &self.violations)
            .field("register", &self.register)
            .field("errors", &self.errors)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

impl<Wr> Deref for Tdd<Wr> {
    type Target = Wr;

    fn deref(&self) -> &Wr {
        &self.writer
    }
}

impl<Wr> From<Wr> for Tdd<Wr> {
    fn from(writer: Wr) -> Self {
        Self::new(writer)
    }
}

/// The environment variable that, set to anything but `0`, `false`, `no`,
/// `off` or nothing, runs expected failures as ordinary scenarios, as
/// `--runxfail` does.
pub const RUNXFAIL_ENV: &str = "CUCUMBER_TDD_RUNXFAIL";

/// The command-line options [`Tdd`] adds to cucumber's.
#[derive(Clone, Copy, Debug, Default, clap::Args)]
#[group(skip)]
pub struct Cli {
    /// Run `@tdd_expected_fail` scenarios as ordinary ones, without
    /// inversion, to see their real failures (pytest's --runxfail)
    #[arg(long, global = true, env = RUNXFAIL_ENV)]
    pub runxfail: bool,
}

/// Whether [`RUNXFAIL_ENV`] asks for `--runxfail` (read when cucumber's
/// command line is not parsed, as with `with_default_cli`).
fn runxfail_from_env() -> bool {
    std::env::var(RUNXFAIL_ENV).is_ok_and(|v| {
        !matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "" | "0" | "false" | "no" | "off"
        )
    })
}

impl<W, Wr> Writer<W> for Tdd<Wr>
where
    W: World,
    Wr: Writer<W>,
{
    type Cli = cucumber::cli::Compose<Cli, Wr::Cli>;

    async fn handle_event(
        &mut self,
        event: parser::Result<Event<event::Cucumber<W>>>,
        cli: &Self::Cli,
    ) {
        use event::{Cucumber, Feature, Rule};

        if !self.started {
            self.started = true;
            self.run_xfail = self.run_xfail || cli.left.runxfail || runxfail_from_env();
        }
        let cli = &cli.right;

        let event = match event {
            Ok(event) if !self.finished => event,
            Err(e) if Violations::of(&e).is_some() => {
                // Made by `Validate`: reported as tag violations, not as a
                // file cucumber could not read.
                for v in Violations::of(&e).map(|v| v.0.clone()).unwrap_or_default() {
                    self.add_violation(v);
                }
                return;
            }
            // Parser errors and anything after `Finished` (e.g. re-emitted by
            // a `Repeat` inside) go through untouched.
            other => return self.writer.handle_event(other, cli).await,
        };
        let (ev, meta) = event.split();
        let out = match ev {
            Cucumber::Feature(f, Feature::Scenario(sc, ev)) => {
                return self.scenario_event((f, None, sc), ev, meta, cli).await;
            }
            Cucumber::Feature(f, Feature::Rule(r, Rule::Scenario(sc, ev))) => {
                return self.scenario_event((f, Some(r), sc), ev, meta, cli).await;
            }
            Cucumber::Feature(f, Feature::Started) => {
                self.feature_started(&f);
                vec![Cucumber::Feature(f, Feature::Started)]
            }
            Cucumber::Feature(f, Feature::Finished) => {
                _ = self.notes.remove(&f);
                vec![Cucumber::Feature(f, Feature::Finished)]
            }
            Cucumber::ParsingFinished {
                features,
                rules,
                scenarios,
                steps,
                parser_errors,
            } => {
                self.selected = Some(scenarios);
                vec![Cucumber::ParsingFinished {
                    features,
                    rules,
                    scenarios,
                    steps,
                    parser_errors,
                }]
            }
            Cucumber::Finished => {
                self.finished = true;
                vec![Cucumber::Finished]
            }
            other => vec![other],
        };
        for ev in out {
            self.writer.handle_event(Ok(meta.wrap(ev)), cli).await;
        }
        if self.finished {
            self.finish();
        }
    }
}

impl<Wr> Tdd<Wr> {
    /// Judges one scenario event and hands the result to the inner writer,
    /// now or, for a held attempt, when the attempt ends.
    async fn scenario_event<W>(
        &mut self,
        key: ScenarioKey,
        ev: event::RetryableScenario<W>,
        meta: event::Metadata,
        cli: &Wr::Cli,
    ) where
        W: World,
        Wr: Writer<W>,
    {
        let retries_left = ev.retries.is_some_and(|r| r.left > 0);
        let (events, retries, flow) = self.scenario(&key, ev);
        self.tally(&key, &events, retries_left);
        let (feature, rule, scenario) = key.clone();
        let mut out: Vec<Event<event::Cucumber<W>>> = events
            .into_iter()
            .map(|e| {
                let e = event::Cucumber::scenario(
                    feature.clone(),
                    rule.clone(),
                    scenario.clone(),
                    e.with_retries(retries),
                );
                meta.wrap(e)
            })
            .collect();
        let take_held = |held: &mut HashMap<ScenarioKey, Box<dyn Any>>| {
            held.remove(&key)
                .and_then(|b| b.downcast::<Vec<Event<event::Cucumber<W>>>>().ok())
                .map(|b| *b)
                .unwrap_or_default()
        };
        match flow {
            Flow::Pass => {}
            Flow::Hold => {
                let mut held = take_held(&mut self.held);
                held.append(&mut out);
                _ = self.held.insert(key, Box::new(held));
                return;
            }
            Flow::Release => {
                let mut held = take_held(&mut self.held);
                held.append(&mut out);
                out = held;
            }
            Flow::Discard => {
                _ = take_held(&mut self.held);
                return;
            }
        }
        for ev in out {
            self.writer.handle_event(Ok(ev), cli).await;
        }
    }
}

impl<W, Wr, Val> writer::Arbitrary<W, Val> for Tdd<Wr>
where
    W: World,
    Wr: writer::Arbitrary<W, Val>,
{
    async fn write(&mut self, val: Val) {
        self.writer.write(val).await;
    }
}

/// The inner writer's counts, which already reflect the inverted outcomes,
/// plus tag violations counted as parsing errors; the run has failed if the
/// inner writer says so or any [`Tdd::failure_messages`] exist.
impl<W, Wr> writer::Stats<W> for Tdd<Wr>
where
    W: World,
    Wr: writer::Stats<W>,
{
    fn passed_steps(&self) -> usize {
        self.writer.passed_steps()
    }

    fn skipped_steps(&self) -> usize {
        self.writer.skipped_steps()
    }

    fn failed_steps(&self) -> usize {
        self.writer.failed_steps()
    }

    fn retried_steps(&self) -> usize {
        self.writer.retried_steps()
    }

    fn parsing_errors(&self) -> usize {
        self.writer.parsing_errors() + self.violations.len()
    }

    fn hook_errors(&self) -> usize {
        self.writer.hook_errors()
    }

    fn execution_has_failed(&self) -> bool {
        self.writer.execution_has_failed() || !self.failure_messages().is_empty()
    }
}

impl<Wr: writer::Normalized> writer::Normalized for Tdd<Wr> {}

/// Adds [`tdd`](TddExt::tdd) to every writer, like cucumber's
/// [`WriterExt`](cucumber::WriterExt).
pub trait TddExt: Sized {
    /// Wraps this writer into [`Tdd`]. Call it last in the chain:
    /// `writer::Basic::stdout().summarized().tdd()`.
    #[must_use]
    fn tdd(self) -> Tdd<Self>;
}

impl<T> TddExt for T {
    fn tdd(self) -> Tdd<Self> {
        Tdd::new(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runxfail_is_a_command_line_flag() {
        use clap::Parser as _;

        #[derive(clap::Parser)]
        struct Args {
            #[command(flatten)]
            tdd: Cli,
        }
        assert!(
            Args::try_parse_from(["x", "--runxfail"])
                .unwrap()
                .tdd
                .runxfail
        );
        assert!(!Args::try_parse_from(["x"]).unwrap().tdd.runxfail || runxfail_from_env());
    }

    #[test]
    fn from_wraps_like_new_and_derefs_to_the_inner_writer() {
        let tdd = Tdd::from(String::from("inner"));
        assert_eq!(tdd.inner_writer(), "inner");
        // `Deref` reaches the inner writer's own methods.
        assert_eq!(tdd.len(), 5);
        assert!(tdd.register().is_empty());
        assert!(tdd.violations().is_empty());
        assert!(tdd.failure_messages().is_empty());
    }

    #[test]
    fn debug_shows_the_inner_writer_and_state_but_not_the_report_sink() {
        let tdd = Tdd::new("inner")
            .register_json("target/register.json")
            .issue_url("https://t.example/{N}")
            .annotate_json("target/cucumber.json");
        let text = format!("{tdd:?}");
        assert!(
            text.starts_with(
                "Tdd { writer: \"inner\", register_json: Some(\"target/register.json\"), \
                 issue_url: Some(\"https://t.example/{N}\"), annotate_junit: None, \
                 annotate_json: Some(\"target/cucumber.json\"), violations: [], register: "
            ),
            "{text}"
        );
        assert!(
            text.ends_with("errors: [], finished: false, .. }"),
            "{text}"
        );
        assert!(!text.contains("report"), "{text}");
    }
}
