//! Tag rule violations: found with file:line (and a did-you-mean for near
//! misses), both up front by `cucumber_tdd::run` and by the writer during a
//! run.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{fixture, run, shown, Buf, Config};
use cucumber::writer::Stats as _;
use cucumber_tdd::{
    register::Status,
    tags::{validate_path, ViolationKind},
    Error,
};

fn lines(file: &str) -> Vec<(usize, ViolationKind)> {
    validate_path(fixture(file))
        .into_iter()
        .map(|v| (v.line, v.kind))
        .collect()
}

#[test]
fn each_rule_is_reported_at_its_scenario() {
    assert_eq!(
        lines("violations/rules.feature"),
        vec![
            (4, ViolationKind::BugNumberWithoutBug),
            (8, ViolationKind::BugNumberWithoutBug),
            (8, ViolationKind::ExpectedFailWithoutBug),
            (12, ViolationKind::ExpectedFailWithoutBugNumber),
            (16, ViolationKind::ExpectedFailWithManyBugNumbers),
            (20, ViolationKind::InvalidBugNumber),
            (24, ViolationKind::InvalidBugNumber),
            (28, ViolationKind::ExpectedFailWithoutThen),
        ]
    );
}

#[test]
fn messages_name_the_file_line_and_fix() {
    let text: Vec<String> = validate_path(fixture("violations/rules.feature"))
        .iter()
        .map(ToString::to_string)
        .collect();
    let file = shown("violations/rules.feature");
    assert_eq!(
        text,
        vec![
            format!("{file}:4: `@tdd_bug_40` needs `@tdd_bug` too (on the scenario, its Rule or its Feature)"),
            format!("{file}:8: `@tdd_bug_41` needs `@tdd_bug` too (on the scenario, its Rule or its Feature)"),
            format!("{file}:8: `@tdd_expected_fail` needs `@tdd_bug` too"),
            format!("{file}:12: `@tdd_expected_fail` needs exactly one `@tdd_bug_<N>` naming the bug; found none"),
            format!(
                "{file}:16: `@tdd_expected_fail` needs exactly one `@tdd_bug_<N>` naming the bug; \
                 found `@tdd_bug_42`, `@tdd_bug_43`"
            ),
            format!("{file}:20: `@tdd_bug_0`: the bug number must be a positive integer, like `@tdd_bug_42`"),
            format!("{file}:24: `@tdd_bug_x`: the bug number must be a positive integer, like `@tdd_bug_42`"),
            format!(
                "{file}:28: `@tdd_expected_fail` scenario has no `Then` step, so it can never fail \
                 for the right reason (only a failing `Then` is an expected failure)"
            ),
        ]
    );
}

#[test]
fn near_misses_get_a_did_you_mean() {
    let file = shown("violations/near_misses.feature");
    let text: Vec<String> = validate_path(fixture("violations/near_misses.feature"))
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        text,
        vec![
            format!("{file}:2: `@tdd-bug` is not a TDD tag; did you mean `@tdd_bug`?"),
            format!("{file}:5: `@tdd_expect_fail` is not a TDD tag; did you mean `@tdd_expected_fail`?"),
            format!("{file}:9: `@tddbug_993` is not a TDD tag; did you mean `@tdd_bug_993`?"),
            format!(
                "{file}:13: `@tdd_expected_failure` is not a TDD tag; did you mean `@tdd_expected_fail`?"
            ),
            format!(
                "{file}:17: `@tdd_xfail_sometimes` is not a TDD tag; the TDD tags are `@tdd_bug`, \
                 `@tdd_bug_<N>` and `@tdd_expected_fail`"
            ),
        ]
    );
}

#[test]
fn valid_fixtures_have_no_violations() {
    for file in [
        "expected_fail.feature",
        "appears_fixed.feature",
        "inherit_feature.feature",
        "inherit_rule.feature",
        "register.feature",
        "retries.feature",
        "hooks.feature",
    ] {
        assert_eq!(validate_path(fixture(file)), Vec::new(), "{file}");
    }
    // A directory is walked; the unparsable file is left to cucumber.
    assert_eq!(validate_path(fixture("parse_error")), Vec::new());
}

#[tokio::test]
async fn run_refuses_to_start_on_violations() {
    let (output, report) = (Buf::default(), Buf::default());
    let cucumber = common::cucumber(&Config::default(), &output, &report);
    let err = cucumber_tdd::run(cucumber, fixture("violations"))
        .await
        .unwrap_err();
    let Error::TagViolations(violations) = &err else {
        panic!("unexpected error: {err}")
    };
    assert_eq!(violations.len(), 13);
    // Nothing ran.
    assert_eq!(output.text(), "");
    let text = err.to_string();
    assert!(
        text.starts_with("13 TDD tag violations; fix the tags, then run again:\n"),
        "{text}"
    );
    assert!(text.contains(&format!(
        "\n{}:9: `@tddbug_993`",
        shown("violations/near_misses.feature")
    )));
}

#[tokio::test]
async fn run_runs_a_valid_suite() {
    let (output, report) = (Buf::default(), Buf::default());
    let cucumber = common::cucumber(&Config::default(), &output, &report);
    let writer = cucumber_tdd::run(cucumber, fixture("expected_fail.feature"))
        .await
        .unwrap();
    assert!(!writer.execution_has_failed(), "{}", output.text());
    assert_eq!(writer.register().entries().len(), 1);
}

#[tokio::test]
async fn the_writer_fails_the_run_on_violations_too() {
    // Without `cucumber_tdd::run`, the writer checks each feature as it starts.
    let out = run("violations/near_misses.feature").await;
    assert!(out.failed(), "{}", out.debug());
    // The misspelt `@tdd_expect_fail` does not invert anything: its failing
    // `Then` is an ordinary failure.
    assert_eq!(out.writer.failed_steps(), 1, "{}", out.debug());
    let got: Vec<_> = out
        .writer
        .register()
        .entries()
        .iter()
        .map(|e| (e.bug, e.status))
        .collect();
    assert_eq!(got, vec![(45, Status::Failed), (46, Status::Passed)]);
    assert_eq!(out.writer.parsing_errors(), 5);
    assert_eq!(out.writer.violations().len(), 5);
    let file = shown("violations/near_misses.feature");
    assert!(
        out.report.contains(&format!(
            "error: {file}:5: `@tdd_expect_fail` is not a TDD tag; did you mean `@tdd_expected_fail`?\n"
        )),
        "{}",
        out.debug()
    );
    assert_eq!(out.writer.failure_messages().len(), 5);
}

#[test]
fn an_expect_note_needs_an_expected_failure() {
    let got: Vec<_> = validate_path(fixture("lint/broken/misplaced_expect.feature"))
        .into_iter()
        .map(|v| (v.line, v.kind))
        .collect();
    assert_eq!(
        got,
        vec![
            (5, ViolationKind::ExpectWithoutExpectedFail),
            (
                9,
                ViolationKind::NearMiss {
                    suggestion: "tdd_expected_fail".to_owned()
                }
            ),
        ]
    );
}
