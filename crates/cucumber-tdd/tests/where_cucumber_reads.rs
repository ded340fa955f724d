//! The tag check follows what cucumber reads: the files of `--input`, and
//! every scenario of them, whatever `--tags` selects.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::path::PathBuf;

use common::{fixture, shown, Buf, Config, TestWorld};
use cucumber::{cli, gherkin::tagexpr::TagOperation, parser, World as _};
use cucumber_tdd::{TddCucumberExt as _, Validate};

const NEAR_MISS: &str = "`@tdd_expect_fail` is not a TDD tag; did you mean `@tdd_expected_fail`?";

/// Runs `input` with the `Validate` parser, the given `--tags` and `--input`.
async fn run_validated(
    input: &str,
    tags: Option<&str>,
    glob: Option<String>,
) -> (bool, Vec<String>, String) {
    let (output, report) = (Buf::default(), Buf::default());
    let opts: cli::Opts<_, _, _, cli::Empty> = cli::Opts {
        tags_filter: tags.map(|t| t.parse::<TagOperation>().unwrap()),
        parser: parser::basic::Cli {
            features: glob.map(|g| g.parse().unwrap()),
        },
        ..cli::Opts::default()
    };
    let cucumber = TestWorld::cucumber::<PathBuf>()
        .with_parser(Validate::new(parser::Basic::new()))
        .with_writer(common::writer(&output, &report))
        .with_cli(opts);
    // cucumber's own `run`: the check is the parser's.
    let writer = cucumber.run(fixture(input)).await;
    let failed = cucumber::writer::Stats::execution_has_failed(&writer);
    (
        failed,
        writer.failure_messages(),
        output.text() + &report.text(),
    )
}

/// The run failed on one violation only: the near-miss tag in the file `--tags @smoke` leaves
/// out of `filtered_out/`.
fn refused_only_the_left_out_file(failed: bool, messages: &[String], text: &str) {
    assert!(failed, "{text}");
    assert_eq!(
        messages,
        [format!(
            "{}:4: {NEAR_MISS}",
            shown("filtered_out/b_left_out.feature")
        )],
        "{text}"
    );
}

#[tokio::test]
async fn a_file_the_tag_filter_leaves_out_is_checked_before_anything_runs() {
    let (failed, messages, text) = run_validated("filtered_out", Some("@smoke"), None).await;
    refused_only_the_left_out_file(failed, &messages, &text);
    // Nothing ran, and the violation is not shown as an unreadable file.
    assert!(!text.contains("Scenario: selected"), "{text}");
    assert!(!text.contains("Could not read"), "{text}");
}

#[tokio::test]
async fn the_files_of_input_are_checked_not_the_path_in_code() {
    let glob = format!("{}/*.feature", fixture("filtered_out").display());
    let (failed, messages, text) = run_validated("green", Some("@smoke"), Some(glob)).await;
    refused_only_the_left_out_file(failed, &messages, &text);
}

#[tokio::test]
async fn valid_files_run_as_usual_through_the_validating_parser() {
    let (failed, messages, text) =
        run_validated("filtered_out/a_selected.feature", None, None).await;
    assert!(!failed, "{text}");
    assert!(messages.is_empty(), "{text}");
    assert!(text.contains("1 scenario (1 passed)"), "{text}");
}

#[tokio::test]
async fn the_writer_alone_checks_the_scenarios_the_tag_filter_leaves_out() {
    let cfg = Config {
        tags: Some("@smoke"),
        ..Config::default()
    };
    let out = common::run_with("filtered_violation.feature", cfg).await;
    assert!(out.failed(), "{}", out.debug());
    assert_eq!(
        out.writer.failure_messages(),
        vec![format!(
            "{}:9: {NEAR_MISS}",
            shown("filtered_violation.feature")
        )]
    );
}

#[tokio::test]
async fn with_tdd_installs_the_validating_parser() {
    let (output, report) = (Buf::default(), Buf::default());
    let opts: cli::Opts<_, _, _, cli::Empty> = cli::Opts {
        tags_filter: Some("@smoke".parse::<TagOperation>().unwrap()),
        ..cli::Opts::default()
    };
    // `with_tdd` first, then a writer that captures its output.
    let writer = TestWorld::cucumber()
        .with_tdd()
        .with_writer(common::writer(&output, &report))
        .with_cli(opts)
        .run(fixture("filtered_out"))
        .await;
    assert_eq!(
        writer.failure_messages(),
        vec![format!(
            "{}:4: {NEAR_MISS}",
            shown("filtered_out/b_left_out.feature")
        )]
    );
}

#[tokio::test]
async fn two_bug_numbers_are_named_both_never_bug_0() {
    let out = common::run("two_bugs.feature").await;
    assert!(out.failed(), "{}", out.debug());
    let messages = out.writer.failure_messages();
    assert!(
        messages.contains(&format!(
            "bugs #3 and #4 appear fixed: remove @tdd_expected_fail from {}:4",
            shown("two_bugs.feature")
        )),
        "{messages:?}"
    );
    assert!(!out.output.contains("#0"), "{}", out.debug());
    assert!(!out.report.contains("#0"), "{}", out.debug());
}

#[tokio::test]
async fn run_gives_back_tdd_under_fail_on_skipped_with_its_findings() {
    use cucumber::WriterExt as _;
    use cucumber_tdd::TddWriter;

    let (output, report) = (Buf::default(), Buf::default());
    let cucumber = TestWorld::cucumber::<PathBuf>()
        .with_writer(common::writer(&output, &report).fail_on_skipped())
        .with_default_cli();
    let writer = cucumber_tdd::run(cucumber, fixture("appears_fixed.feature"))
        .await
        .unwrap();
    assert_eq!(TddWriter::<TestWorld>::violation_count(&writer), 0);
    assert_eq!(
        TddWriter::<TestWorld>::register(&writer).entries()[0].bug,
        13
    );
    assert_eq!(TddWriter::<TestWorld>::failure_messages(&writer).len(), 1);

    let (output, report) = (Buf::default(), Buf::default());
    let cucumber = TestWorld::cucumber::<PathBuf>()
        .with_writer(common::writer(&output, &report))
        .with_default_cli();
    let writer = cucumber_tdd::run(cucumber, fixture("appears_fixed.feature"))
        .await
        .unwrap();
    assert_eq!(
        TddWriter::<TestWorld>::register(&writer).entries()[0].bug,
        13
    );
    assert_eq!(TddWriter::<TestWorld>::violation_count(&writer), 0);
}
