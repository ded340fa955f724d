//! A tiny world for fixture suites, run in-process with captured output.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, missing_docs)]

use std::{
    collections::HashSet,
    io,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use cucumber::{
    cli,
    gherkin::tagexpr::TagOperation,
    given, then, when,
    writer::{self, Coloring, Stats as _, Verbosity},
    World, WriterExt as _,
};
use cucumber_tdd::{Tdd, TddExt as _};
use futures::FutureExt as _;

#[derive(Debug, Default, World)]
pub struct TestWorld;

#[given("a step that passes")]
#[when("a step that passes")]
#[then("a step that passes")]
fn passes(_: &mut TestWorld) {}

#[given("a step that fails")]
#[when("a step that fails")]
fn fails(_: &mut TestWorld) {
    panic!("this step fails on purpose");
}

#[then("an assertion that fails")]
fn assertion_fails(_: &mut TestWorld) {
    assert_eq!(1 + 1, 3, "the bug is still here");
}

#[then("an assertion that passes")]
fn assertion_passes(_: &mut TestWorld) {
    assert!("fixed".starts_with('f'), "the bug is fixed");
}

#[then("an assertion that panics with a number")]
fn assertion_panics_with_a_number(_: &mut TestWorld) {
    std::panic::panic_any(42_i32);
}

/// Two definitions matching the same text: cucumber reports the match as
/// ambiguous instead of running either.
#[then("an ambiguous assertion")]
fn ambiguous_assertion(_: &mut TestWorld) {}

#[then(regex = "^an ambiguous assert(ion)?$")]
fn ambiguous_assertion_again(_: &mut TestWorld) {}

/// Attempts seen so far by the "flaky" steps, keyed by their argument.
static SEEN: Mutex<Option<HashSet<String>>> = Mutex::new(None);

/// Runs of the "counted" step so far, keyed by their argument.
static RUNS: Mutex<Option<std::collections::HashMap<String, usize>>> = Mutex::new(None);

/// How often `an assertion that fails, counted as {key}` ran.
pub fn runs(key: &str) -> usize {
    RUNS.lock()
        .unwrap()
        .get_or_insert_with(Default::default)
        .get(key)
        .copied()
        .unwrap_or_default()
}

#[then(expr = "an assertion that fails, counted as {word}")]
fn counted_failure(_: &mut TestWorld, key: String) {
    *RUNS
        .lock()
        .unwrap()
        .get_or_insert_with(Default::default)
        .entry(key)
        .or_default() += 1;
    assert_eq!(1 + 1, 3, "the bug is still here");
}

#[then(expr = "an assertion that fails only the first time for {word}")]
fn fails_first_time(_: &mut TestWorld, key: String) {
    let first = SEEN
        .lock()
        .unwrap()
        .get_or_insert_with(HashSet::new)
        .insert(key);
    assert!(!first, "first attempt fails");
}

/// A cloneable in-memory output.
#[derive(Clone, Debug, Default)]
pub struct Buf(Arc<Mutex<Vec<u8>>>);

impl Buf {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl io::Write for Buf {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

pub type TestWriter = Tdd<writer::Summarize<writer::Normalize<TestWorld, writer::Basic<Buf>>>>;

/// How to run a fixture.
#[derive(Default)]
pub struct Config {
    pub retries: Option<usize>,
    pub tags: Option<&'static str>,
    pub register_json: Option<PathBuf>,
    pub issue_url: Option<&'static str>,
    /// `--fail-fast --concurrency 1`.
    pub fail_fast: bool,
    /// The runner gets `cucumber_tdd::retry_options`.
    pub tdd_retry_options: bool,
    /// `--runxfail`.
    pub runxfail: bool,
}

/// What a run produced.
pub struct Outcome {
    pub writer: TestWriter,
    /// What cucumber's `Basic` writer printed.
    pub output: String,
    /// What `Tdd` printed at the end.
    pub report: String,
}

impl Outcome {
    pub fn failed(&self) -> bool {
        self.writer.execution_has_failed()
    }

    pub fn debug(&self) -> String {
        format!(
            "--- output ---\n{}\n--- report ---\n{}",
            self.output, self.report
        )
    }
}

/// The fixture path, absolute.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The fixture path as the crate shows it: relative to the workspace root.
pub fn shown(name: &str) -> String {
    format!("crates/cucumber-tdd/tests/fixtures/{name}")
}

pub fn writer(output: &Buf, report: &Buf) -> TestWriter {
    writer::Basic::new(output.clone(), Coloring::Never, Verbosity::Default)
        .summarized()
        .tdd()
        .report_to(report.clone())
}

/// A cucumber with hooks failing on `@fail_before_hook` / `@fail_after_hook`.
pub fn cucumber(
    cfg: &Config,
    output: &Buf,
    report: &Buf,
) -> cucumber::Cucumber<
    TestWorld,
    cucumber::parser::Basic,
    PathBuf,
    impl cucumber::Runner<TestWorld>,
    TestWriter,
> {
    let mut w = writer(output, report);
    if let Some(path) = &cfg.register_json {
        w = w.register_json(path);
    }
    if let Some(template) = cfg.issue_url {
        w = w.issue_url(template);
    }
    let opts = cli::Opts {
        tags_filter: cfg.tags.map(|t| t.parse::<TagOperation>().unwrap()),
        runner: cucumber::runner::basic::Cli {
            fail_fast: cfg.fail_fast,
            concurrency: cfg.fail_fast.then_some(1),
            ..cucumber::runner::basic::Cli::default()
        },
        writer: cli::Compose {
            left: cucumber_tdd::invert::Cli {
                runxfail: cfg.runxfail,
            },
            right: Default::default(),
        },
        ..cli::Opts::default()
    };
    let retry_options = if cfg.tdd_retry_options {
        cucumber_tdd::retry_options
    } else {
        cucumber::runner::basic::RetryOptions::parse_from_tags
    };
    TestWorld::cucumber()
        .retries(cfg.retries)
        .retry_options(retry_options)
        .before(|_, _, sc, _| {
            let fail = sc.tags.iter().any(|t| t == "fail_before_hook");
            async move { assert!(!fail, "before hook fails on purpose") }.boxed_local()
        })
        .after(|_, _, sc, _, _| {
            let fail = sc.tags.iter().any(|t| t == "fail_after_hook");
            async move { assert!(!fail, "after hook fails on purpose") }.boxed_local()
        })
        .with_writer(w)
        .with_cli(opts)
}

pub async fn run_with(name: &str, cfg: Config) -> Outcome {
    let (output, report) = (Buf::default(), Buf::default());
    let writer = cucumber(&cfg, &output, &report).run(fixture(name)).await;
    Outcome {
        writer,
        output: output.text(),
        report: report.text(),
    }
}

pub async fn run(name: &str) -> Outcome {
    run_with(name, Config::default()).await
}
