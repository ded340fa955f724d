#![doc = include_str!("../README.md")]

use std::{fmt::Debug, io::Write as _, path::Path};

use cucumber::{
    cli, event, gherkin,
    runner::{self, basic::RetryOptions},
    writer, Cucumber, Parser, Runner, World, Writer,
};
use futures::future::LocalBoxFuture;

pub mod annotate;
mod error;
pub mod files;
pub mod invert;
pub mod lint;
pub mod messages;
pub mod notes;
pub mod register;
pub mod tags;
pub mod validate;

pub use crate::{
    error::Error,
    invert::{Tdd, TddExt},
    notes::Notes,
    register::Register,
    tags::Violation,
    validate::Validate,
};

/// The writer [`TddCucumberExt::with_tdd`] installs: cucumber's default
/// (`writer::Basic::stdout().summarized()`) wrapped in [`Tdd`].
pub type DefaultWriter<W> = Tdd<writer::Summarize<writer::Normalize<W, writer::Basic>>>;

/// Adds [`with_tdd`](Self::with_tdd) and
/// [`with_tdd_checks`](Self::with_tdd_checks) to [`Cucumber`] with
/// cucumber's [`runner::Basic`].
pub trait TddCucumberExt<W, P, I, R, Wr, Cli>
where
    W: World + Debug,
    P: Parser<I>,
    I: AsRef<Path>,
    R: Runner<W>,
    Wr: Writer<W>,
    Cli: cli::Args,
{
    /// Sets cucumber up for the TDD workflow: replaces the writer with
    /// cucumber's default one wrapped in [`Tdd`] ([`DefaultWriter`]),
    /// reporting to stderr; replaces the parser with cucumber's default one
    /// wrapped in [`Validate`], which checks the tags of every file cucumber
    /// reads before anything runs; and makes the runner run expected failures
    /// once ([`retry_options`]).
    ///
    /// Call it before `with_cli` (a new parser drops the CLI options given
    /// so far) and before `with_parser` if you use another parser.
    ///
    /// Replaces, because cucumber offers no way to wrap the writer already
    /// set. For a writer of your own use
    /// [`with_tdd_checks`](Self::with_tdd_checks) and
    /// `.with_writer(my_writer.tdd())` instead.
    #[must_use]
    fn with_tdd(self) -> Cucumber<W, Validate, I, R, DefaultWriter<W>, Cli>;

    /// [`with_tdd`](Self::with_tdd) without the writer: the [`Validate`]
    /// parser and the [`retry_options`]; the writer stays.
    ///
    /// ```no_run
    /// use cucumber::{World, WriterExt as _, writer};
    /// use cucumber_tdd::{TddCucumberExt as _, TddExt as _};
    ///
    /// #[derive(Debug, Default, World)]
    /// struct AppWorld;
    ///
    /// #[tokio::main]
    /// async fn main() {
    ///     let cucumber = AppWorld::cucumber()
    ///         .with_tdd_checks()
    ///         .with_writer(writer::Basic::stdout().summarized().tdd().fail_on_skipped());
    ///     cucumber_tdd::run_and_exit(cucumber, "tests/features").await;
    /// }
    /// ```
    #[must_use]
    fn with_tdd_checks(self) -> Cucumber<W, Validate, I, R, Wr, Cli>;
}

impl<W, P, I, F, B, A, Wr, Cli> TddCucumberExt<W, P, I, runner::Basic<W, F, B, A>, Wr, Cli>
    for Cucumber<W, P, I, runner::Basic<W, F, B, A>, Wr, Cli>
where
    W: World + Debug,
    P: Parser<I>,
    I: AsRef<Path>,
    Wr: Writer<W>,
    Cli: cli::Args,
    F: Fn(&gherkin::Feature, Option<&gherkin::Rule>, &gherkin::Scenario) -> runner::ScenarioType
        + 'static,
    B: for<'a> Fn(
            &'a gherkin::Feature,
            Option<&'a gherkin::Rule>,
            &'a gherkin::Scenario,
            &'a mut W,
        ) -> LocalBoxFuture<'a, ()>
        + 'static,
    A: for<'a> Fn(
            &'a gherkin::Feature,
            Option<&'a gherkin::Rule>,
            &'a gherkin::Scenario,
            &'a event::ScenarioFinished,
            Option<&'a mut W>,
        ) -> LocalBoxFuture<'a, ()>
        + 'static,
{
    fn with_tdd(
        self,
    ) -> Cucumber<W, Validate, I, runner::Basic<W, F, B, A>, DefaultWriter<W>, Cli> {
        use cucumber::WriterExt as _;

        self.with_tdd_checks()
            .with_writer(Tdd::new(writer::Basic::stdout().summarized()))
    }

    fn with_tdd_checks(self) -> Cucumber<W, Validate, I, runner::Basic<W, F, B, A>, Wr, Cli> {
        self.retry_options(retry_options)
            .with_parser(Validate::default())
    }
}

/// Cucumber's retry options for a scenario ([`RetryOptions::parse_from_tags`]:
/// `@retry` tags, `--retry`, `--retry-after`, `--retry-tag-filter`), except
/// that an expected failure (`@tdd_expected_fail`, inherited or not) is never
/// retried: a capture runs once, as `xfail` does in pytest.
///
/// [`TddCucumberExt::with_tdd`] installs it; with a writer of your own, give
/// it to cucumber yourself:
///
/// ```no_run
/// use cucumber::{World, WriterExt as _, writer};
/// use cucumber_tdd::TddExt as _;
///
/// # #[derive(Debug, Default, World)]
/// # struct AppWorld;
/// # async fn run() {
/// let cucumber = AppWorld::cucumber()
///     .retry_options(cucumber_tdd::retry_options)
///     .with_writer(writer::Basic::stdout().summarized().tdd());
/// cucumber_tdd::run_and_exit(cucumber, "tests/features").await;
/// # }
/// ```
///
/// Without it the runner re-runs a failing capture as often as `--retry`
/// allows; [`Tdd`] then reports only its last attempt.
#[must_use]
pub fn retry_options(
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
    cli: &runner::basic::Cli,
) -> Option<RetryOptions> {
    if tags::TddTags::of(feature, rule, scenario).expected_fail {
        None
    } else {
        RetryOptions::parse_from_tags(feature, rule, scenario, cli)
    }
}

/// A writer with [`Tdd`] in it, as [`run`] and [`run_and_exit`] take it:
/// [`Tdd`] itself (`writer.tdd()`), or [`Tdd`] wrapped in cucumber's
/// [`FailOnSkipped`](writer::FailOnSkipped) (`writer.tdd().fail_on_skipped()`).
pub trait TddWriter<W: World>: Writer<W> + writer::Stats<W> + writer::Normalized {
    /// Every reason the TDD rules fail the run ([`Tdd::failure_messages`]).
    fn failure_messages(&self) -> Vec<String>;

    /// How many tag violations the run found (counted by
    /// [`writer::Stats::parsing_errors`] too).
    fn violation_count(&self) -> usize;

    /// The bug register ([`Tdd::register`]).
    fn register(&self) -> &Register;
}

impl<W, Wr> TddWriter<W> for Tdd<Wr>
where
    W: World,
    Wr: Writer<W> + writer::Stats<W> + writer::Normalized,
{
    fn failure_messages(&self) -> Vec<String> {
        Self::failure_messages(self)
    }

    fn violation_count(&self) -> usize {
        self.violations().len()
    }

    fn register(&self) -> &Register {
        Self::register(self)
    }
}

impl<W, Wr, F> TddWriter<W> for writer::FailOnSkipped<Wr, F>
where
    W: World,
    Wr: TddWriter<W>,
    Self: Writer<W> + writer::Stats<W>,
{
    fn failure_messages(&self) -> Vec<String> {
        TddWriter::<W>::failure_messages(&**self)
    }

    fn violation_count(&self) -> usize {
        TddWriter::<W>::violation_count(&**self)
    }

    fn register(&self) -> &Register {
        TddWriter::<W>::register(&**self)
    }
}

/// Validates the tags of every `.feature` file under `input`, then, if they
/// are all valid, runs the suite and returns its writer for inspection.
///
/// Validating up front means a broken tag stops the run before any scenario
/// executes. With `--input <glob>` cucumber reads other files: the
/// [`Validate`] parser ([`TddCucumberExt::with_tdd`] installs it) checks
/// those, and every scenario `--tags` leaves out, before anything runs.
///
/// The returned writer's [`writer::Stats`] give the verdict
/// (`execution_has_failed()`), and [`TddWriter::failure_messages`] and
/// [`TddWriter::register`] the TDD details.
///
/// # Errors
///
/// [`Error::TagViolations`] if any feature file breaks the [tag rules](tags);
/// nothing was run.
pub async fn run<W, P, I, R, Wr, Cli>(
    cucumber: Cucumber<W, P, I, R, Wr, Cli>,
    input: I,
) -> Result<Wr, Error>
where
    W: World,
    P: Parser<I>,
    I: AsRef<Path>,
    R: Runner<W>,
    Wr: TddWriter<W>,
    Cli: cli::Args,
{
    let violations = tags::validate_path(input.as_ref());
    if !violations.is_empty() {
        return Err(Error::TagViolations(violations));
    }
    Ok(cucumber.run(input).await)
}

/// [`run`], then exits the process with status 1 if the run failed: a real
/// failure, a parse error, an unexpected pass, an expected failure that failed
/// for another reason, a tag violation, or a `--fail-fast` stop at an
/// expected failure. Returns normally on success.
///
/// Meant for the `main` of a `harness = false` test target, so that
/// `cargo test` fails exactly when it should. Unlike cucumber's own
/// `run_and_exit`, a red run ends with `error: <why>` lines and status 1, not
/// a panic.
pub async fn run_and_exit<W, P, I, R, Wr, Cli>(cucumber: Cucumber<W, P, I, R, Wr, Cli>, input: I)
where
    W: World,
    P: Parser<I>,
    I: AsRef<Path>,
    R: Runner<W>,
    Wr: TddWriter<W>,
    Cli: cli::Args,
{
    let reason = match run(cucumber, input).await {
        Err(e) => Some(e.to_string()),
        Ok(w) if w.execution_has_failed() => Some(failure_summary::<W, Wr>(&w)),
        Ok(_) => None,
    };
    if let Some(reason) = reason {
        _ = std::io::stdout().flush();
        eprintln!("error: {reason}");
        std::process::exit(1);
    }
}

/// "2 steps failed, 1 bug appears fixed", in the style of cucumber's own.
fn failure_summary<W, Wr>(w: &Wr) -> String
where
    W: World,
    Wr: TddWriter<W>,
{
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = Vec::new();
    if w.failed_steps() > 0 {
        parts.push(plural(w.failed_steps(), "step failed", "steps failed"));
    }
    let parsing = w.parsing_errors().saturating_sub(w.violation_count());
    if parsing > 0 {
        parts.push(plural(parsing, "parsing error", "parsing errors"));
    }
    if w.hook_errors() > 0 {
        parts.push(plural(w.hook_errors(), "hook error", "hook errors"));
    }
    let tdd = w.failure_messages().len();
    if tdd > 0 {
        parts.push(plural(tdd, "TDD rule broken", "TDD rules broken"));
    }
    if parts.is_empty() {
        "the run failed".to_owned()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use cucumber::{event, parser, writer::Stats as _, Event};

    use super::*;

    #[derive(Debug, Default, cucumber::World)]
    struct NoWorld;

    /// An inner writer reporting fixed counts and counting the events it got.
    #[derive(Default)]
    struct Counts {
        passed: usize,
        skipped: usize,
        failed: usize,
        retried: usize,
        parsing: usize,
        hooks: usize,
        events: usize,
    }

    impl Writer<NoWorld> for Counts {
        type Cli = cli::Empty;

        async fn handle_event(
            &mut self,
            _: parser::Result<Event<event::Cucumber<NoWorld>>>,
            _: &Self::Cli,
        ) {
            self.events += 1;
        }
    }

    impl writer::Stats<NoWorld> for Counts {
        fn passed_steps(&self) -> usize {
            self.passed
        }

        fn skipped_steps(&self) -> usize {
            self.skipped
        }

        fn failed_steps(&self) -> usize {
            self.failed
        }

        fn retried_steps(&self) -> usize {
            self.retried
        }

        fn parsing_errors(&self) -> usize {
            self.parsing
        }

        fn hook_errors(&self) -> usize {
            self.hooks
        }
    }

    impl writer::Normalized for Counts {}

    fn summary(counts: Counts) -> String {
        failure_summary::<NoWorld, _>(&Tdd::new(counts))
    }

    #[test]
    fn failure_summary_counts_each_kind_with_plurals() {
        let one = Counts {
            failed: 1,
            parsing: 1,
            hooks: 1,
            ..Counts::default()
        };
        assert_eq!(summary(one), "1 step failed, 1 parsing error, 1 hook error");
        let many = Counts {
            failed: 3,
            parsing: 2,
            hooks: 2,
            ..Counts::default()
        };
        assert_eq!(
            summary(many),
            "3 steps failed, 2 parsing errors, 2 hook errors"
        );
        let hooks_only = Counts {
            hooks: 2,
            ..Counts::default()
        };
        assert_eq!(summary(hooks_only), "2 hook errors");
    }

    #[test]
    fn failure_summary_without_counts_still_gives_a_reason() {
        // An inner writer may judge a run red without counting anything.
        assert_eq!(summary(Counts::default()), "the run failed");
    }

    #[test]
    fn a_feature_without_a_file_is_validated_as_given() {
        let src = "Feature: f\n\n  @tdd_expect_fail\n  Scenario: s\n    Then it works\n";
        let feature = gherkin::Feature::parse(src, gherkin::GherkinEnv::default()).unwrap();
        let started = event::Cucumber::<NoWorld>::Feature(
            event::Source::new(feature),
            event::Feature::Started,
        );
        let mut tdd = Tdd::new(Counts::default()).report_to(Vec::new());
        futures::executor::block_on(
            tdd.handle_event(Ok(Event::new(started)), &cli::Compose::default()),
        );
        let v = tdd.violations();
        assert_eq!(
            (v.len(), v[0].file.as_str(), v[0].line),
            (1, "<unknown file>", 4)
        );
    }

    #[test]
    fn a_run_without_a_parsing_count_is_not_judged_stopped() {
        let mut tdd = Tdd::new(Counts::default()).report_to(Vec::new());
        for ev in [
            event::Cucumber::<NoWorld>::Started,
            event::Cucumber::Finished,
        ] {
            let ev = Event::new(ev);
            futures::executor::block_on(tdd.handle_event(Ok(ev), &cli::Compose::default()));
        }
        assert!(tdd.failure_messages().is_empty());
        assert_eq!(tdd.summary().to_string(), "none ran");
    }

    #[test]
    fn tdd_passes_events_and_counts_through() {
        let mut tdd = Tdd::new(Counts {
            passed: 1,
            skipped: 2,
            failed: 3,
            retried: 4,
            parsing: 5,
            hooks: 6,
            events: 0,
        })
        .report_to(Vec::new());
        let started = Event::new(event::Cucumber::<NoWorld>::Started);
        futures::executor::block_on(tdd.handle_event(Ok(started), &cli::Compose::default()));
        assert_eq!(tdd.inner_writer().events, 1);

        let counts = (
            tdd.passed_steps(),
            tdd.skipped_steps(),
            tdd.failed_steps(),
            tdd.retried_steps(),
            tdd.parsing_errors(),
            tdd.hook_errors(),
        );
        assert_eq!(counts, (1, 2, 3, 4, 5, 6));
        assert!(tdd.execution_has_failed());
    }
}
