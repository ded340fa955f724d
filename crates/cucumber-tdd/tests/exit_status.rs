//! `cucumber_tdd::run_and_exit`, as the `main` of a `harness = false` runner
//! uses it: the process exit status is the verdict.
//!
//! Red runs exit the process, so each one runs in a child process: this test
//! binary re-running only its [`child_process_entry_point`] test, with the
//! fixture to run in an environment variable.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::{fs::File, process::Command};

use cucumber::{writer, World as _, WriterExt as _};
use cucumber_tdd::{TddCucumberExt as _, TddExt as _};

const FIXTURE_VAR: &str = "CUCUMBER_TDD_CHILD_FIXTURE";
const WRITER_VAR: &str = "CUCUMBER_TDD_CHILD_WRITER";

async fn run_and_exit(fixture: &str) {
    // `with_default_cli`: the arguments are libtest's, not cucumber's.
    let cucumber = common::TestWorld::cucumber().with_tdd().with_default_cli();
    cucumber_tdd::run_and_exit(cucumber, common::fixture(fixture)).await;
}

/// `FailOnSkipped` outside `Tdd`, which the README allows.
async fn run_and_exit_fail_on_skipped(fixture: &str) {
    let writer = writer::Basic::stdout().summarized().tdd().fail_on_skipped();
    let cucumber = common::TestWorld::cucumber()
        .with_tdd()
        .with_writer(writer)
        .with_default_cli();
    cucumber_tdd::run_and_exit(cucumber, common::fixture(fixture)).await;
}

/// The README's reports example: JUnit and JSON teed, annotated.
async fn run_and_exit_reports(fixture: &str) {
    let dir = std::env::temp_dir().join(format!("cucumber-tdd-reports-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (junit, json) = (dir.join("junit.xml"), dir.join("cucumber.json"));
    let writer = writer::Basic::stdout()
        .summarized()
        .tee::<common::TestWorld, _>(writer::JUnit::for_tee(File::create(&junit).unwrap(), 0))
        .tee::<common::TestWorld, _>(writer::Json::for_tee(File::create(&json).unwrap()))
        .normalized()
        .tdd()
        .annotate_junit(junit)
        .annotate_json(json);
    let cucumber = common::TestWorld::cucumber()
        .with_tdd()
        .with_writer(writer)
        .with_default_cli();
    cucumber_tdd::run_and_exit(cucumber, common::fixture(fixture)).await;
}

/// Does nothing unless started by [`run_child`].
#[tokio::test]
async fn child_process_entry_point() {
    if let Ok(fixture) = std::env::var(FIXTURE_VAR) {
        match std::env::var(WRITER_VAR).as_deref() {
            Ok("fail_on_skipped") => run_and_exit_fail_on_skipped(&fixture).await,
            Ok("reports") => run_and_exit_reports(&fixture).await,
            _ => run_and_exit(&fixture).await,
        }
    }
}

/// Runs `fixture` through `run_and_exit` in a child process: (exit code,
/// stdout, stderr).
fn run_child(fixture: &str) -> (Option<i32>, String, String) {
    run_child_with(fixture, "with_tdd")
}

/// [`run_child`] with one of the writers of [`child_process_entry_point`].
fn run_child_with(fixture: &str, writer: &str) -> (Option<i32>, String, String) {
    run_child_env(fixture, writer, &[])
}

/// [`run_child_with`] with more environment variables.
fn run_child_env(
    fixture: &str,
    writer: &str,
    env: &[(&str, &str)],
) -> (Option<i32>, String, String) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_process_entry_point",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(FIXTURE_VAR, fixture)
        .env(WRITER_VAR, writer)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

#[tokio::test]
async fn green_run_returns() {
    // Exits this test process (failing it) if it judges the suite red.
    run_and_exit("green").await;
}

#[test]
fn green_run_exits_zero_and_prints_the_register() {
    let (code, stdout, stderr) = run_child("green");
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("expected failure (xfail), bug #50 is still open"),
        "{stdout}"
    );
    assert!(
        stderr.contains("bug register: 1 open bug, 1 guarded bug\n"),
        "{stderr}"
    );
    assert!(!stderr.contains("error:"), "{stderr}");
}

#[test]
fn unexpected_pass_exits_one() {
    let (code, stdout, stderr) = run_child("appears_fixed.feature");
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    let msg = format!(
        "bug #13 appears fixed: remove @tdd_expected_fail from {}:4",
        common::shown("appears_fixed.feature")
    );
    assert!(stderr.contains(&format!("error: {msg}\n")), "{stderr}");
    assert!(
        stderr.contains("error: 1 step failed, 1 TDD rule broken\n"),
        "{stderr}"
    );
}

#[test]
fn wrong_failure_exits_one() {
    let (code, stdout, stderr) = run_child("given_fails.feature");
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("must fail in a `Then` step"), "{stderr}");
}

#[test]
fn tag_violations_exit_one_before_anything_runs() {
    let (code, stdout, stderr) = run_child("violations");
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("error: 13 TDD tag violations"), "{stderr}");
    assert!(!stdout.contains("Scenario:"), "nothing may run: {stdout}");
}

#[test]
fn parse_error_exits_one() {
    let (code, stdout, stderr) = run_child("parse_error");
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("error: 1 parsing error\n"), "{stderr}");
}

#[test]
fn fail_on_skipped_outside_tdd_is_judged_by_run_and_exit() {
    let (code, stdout, stderr) = run_child_with("green", "fail_on_skipped");
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let (code, stdout, stderr) = run_child_with("undefined_step.feature", "fail_on_skipped");
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("error: "), "{stderr}");
}

#[test]
fn the_reports_writer_exits_one_with_reasons_not_a_panic() {
    let (code, stdout, stderr) = run_child_with("violations", "reports");
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("error: 13 TDD tag violations"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let (code, stdout, stderr) = run_child_with("appears_fixed.feature", "reports");
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("error: 1 step failed, 1 TDD rule broken\n"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let (code, stdout, stderr) = run_child_with("green", "reports");
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
}

#[test]
fn the_runxfail_environment_variable_shows_real_failures() {
    let (code, stdout, stderr) =
        run_child_env("green", "with_tdd", &[("CUCUMBER_TDD_RUNXFAIL", "1")]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("Step failed"), "{stdout}");
    assert!(stderr.contains("--runxfail"), "{stderr}");
    let (code, stdout, stderr) =
        run_child_env("green", "with_tdd", &[("CUCUMBER_TDD_RUNXFAIL", "0")]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
}
