//! `cucumber_tdd::run_and_exit` as a `harness = false` target uses it: the
//! process exit status is the verdict.
//!
//! Run with no environment, this binary runs a green suite in-process (an
//! open bug, a guarded bug: it must return normally), then re-runs itself on
//! red suites and checks they exit with status 1 and say why.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::process::Command;

use cucumber::World as _;
use cucumber_tdd::TddCucumberExt as _;

const FIXTURE_VAR: &str = "CUCUMBER_TDD_TEST_FIXTURE";

async fn run_and_exit(fixture: &str) {
    let cucumber = common::TestWorld::cucumber().with_tdd().with_default_cli();
    cucumber_tdd::run_and_exit(cucumber, common::fixture(fixture)).await;
}

fn run_child(fixture: &str) -> (Option<i32>, String, String) {
    let out = Command::new(std::env::current_exe().unwrap())
        .env(FIXTURE_VAR, fixture)
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

#[tokio::main]
async fn main() {
    if let Ok(fixture) = std::env::var(FIXTURE_VAR) {
        run_and_exit(&fixture).await;
        return;
    }

    // Green: returns, so this process goes on.
    run_and_exit("green").await;
    println!("green suite: run_and_exit returned");

    let (code, stdout, stderr) = run_child("green");
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("bug register: 1 open bug, 1 guarded bug"),
        "{stderr}"
    );

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

    let (code, stdout, stderr) = run_child("given_fails.feature");
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("must fail in a `Then` step"), "{stderr}");

    let (code, stdout, stderr) = run_child("violations");
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("error: 13 TDD tag violations"), "{stderr}");
    assert!(!stdout.contains("Scenario"), "nothing may run: {stdout}");

    let (code, stdout, stderr) = run_child("parse_error");
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("1 parsing error"), "{stderr}");

    println!("red suites: exit status 1 with the reason");
}
