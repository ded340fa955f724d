//! `cucumber_tdd::run_and_exit`, as the `main` of a `harness = false` runner
//! uses it: the process exit status is the verdict.
//!
//! Red runs exit the process, so each one runs in a child process: this test
//! binary re-running only its [`child_process_entry_point`] test, with the
//! fixture to run in an environment variable.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::process::Command;

use cucumber::World as _;
use cucumber_tdd::TddCucumberExt as _;

const FIXTURE_VAR: &str = "CUCUMBER_TDD_CHILD_FIXTURE";

async fn run_and_exit(fixture: &str) {
    // `with_default_cli`: the arguments are libtest's, not cucumber's.
    let cucumber = common::TestWorld::cucumber().with_tdd().with_default_cli();
    cucumber_tdd::run_and_exit(cucumber, common::fixture(fixture)).await;
}

/// Does nothing unless started by [`run_child`].
#[tokio::test]
async fn child_process_entry_point() {
    if let Ok(fixture) = std::env::var(FIXTURE_VAR) {
        run_and_exit(&fixture).await;
    }
}

/// Runs `fixture` through `run_and_exit` in a child process: (exit code,
/// stdout, stderr).
fn run_child(fixture: &str) -> (Option<i32>, String, String) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_process_entry_point",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(FIXTURE_VAR, fixture)
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
        stdout.contains("expected failure, bug #50 is still open"),
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
