//! The inversion, end to end: fixture suites run in-process through
//! `Basic -> Summarize -> Tdd`, asserting on the verdict, the counts and the
//! text a person would read.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{run, run_with, shown, Config};
use cucumber::writer::Stats as _;
use cucumber_tdd::register::Status;

#[tokio::test]
async fn expected_failure_keeps_the_run_green() {
    let out = run("expected_fail.feature").await;
    assert!(!out.failed(), "{}", out.debug());
    assert_eq!(out.writer.failed_steps(), 0);
    assert_eq!(out.writer.passed_steps(), 5, "{}", out.debug());
    assert_eq!(out.writer.failure_messages(), Vec::<String>::new());

    // Reported as such, with its bug number and the assertion message.
    assert!(
        out.output.contains(
            "expected failure (xfail), bug #12 is still open: assertion `left == right` failed: \
             the bug is still here\n        left: 2\n       right: 3\n"
        ),
        "{}",
        out.debug()
    );
    let entries = out.writer.register().entries();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].bug, 12);
    assert_eq!(entries[0].status, Status::ExpectedFailure);
    assert_eq!(entries[0].file, shown("expected_fail.feature"));
    assert_eq!(entries[0].line, 4);
    assert!(
        out.report
            .starts_with("bug register: 1 open bug, 0 guarded bugs\n"),
        "{}",
        out.debug()
    );
    assert!(!out.report.contains("error:"), "{}", out.debug());
}

#[tokio::test]
async fn unexpected_pass_fails_the_run_with_file_and_line() {
    let out = run("appears_fixed.feature").await;
    assert!(out.failed(), "{}", out.debug());
    let msg = format!(
        "bug #13 appears fixed: remove @tdd_expected_fail from {}:4",
        shown("appears_fixed.feature")
    );
    assert_eq!(out.writer.failure_messages(), vec![msg.clone()]);
    // The inner writer counts it as a failed step and shows the message on it.
    assert_eq!(out.writer.inner_writer().failed_steps(), 1);
    assert!(out.output.contains(&msg), "{}", out.debug());
    assert!(
        out.report.contains(&format!("error: {msg}\n")),
        "{}",
        out.debug()
    );
    assert_eq!(
        out.writer.register().entries()[0].status,
        Status::AppearsFixed
    );
}

#[tokio::test]
async fn and_after_then_is_an_assertion() {
    let out = run("and_but.feature").await;
    assert!(!out.failed(), "{}", out.debug());
    assert_eq!(
        out.writer.register().entries()[0].status,
        Status::ExpectedFailure
    );
}

#[tokio::test]
async fn given_failure_is_not_masked() {
    let out = run("given_fails.feature").await;
    assert!(out.failed(), "{}", out.debug());
    assert_eq!(out.writer.failed_steps(), 1);
    let entry = out.writer.register().entries()[0].clone();
    assert_eq!(entry.status, Status::WrongFailure);
    assert!(
        entry
            .detail
            .starts_with("`Given` step `a step that fails` (line 5) failed"),
        "{}",
        entry.detail
    );
    let msgs = out.writer.failure_messages();
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(
        msgs[0].starts_with(&format!(
            "bug #15 at {}:4 must fail in a `Then` step, but `Given` step",
            shown("given_fails.feature")
        )),
        "{msgs:?}"
    );
}

#[tokio::test]
async fn when_failure_continued_by_but_is_not_masked() {
    let out = run("when_fails.feature").await;
    assert!(out.failed(), "{}", out.debug());
    assert_eq!(out.writer.failed_steps(), 1);
    let entry = out.writer.register().entries()[0].clone();
    assert_eq!(entry.status, Status::WrongFailure);
    // `But` after `When` is a `When`.
    assert!(
        entry
            .detail
            .starts_with("`When` step `a step that fails` (line 7)"),
        "{}",
        entry.detail
    );
}

#[tokio::test]
async fn undefined_step_is_not_masked() {
    let out = run("undefined_step.feature").await;
    assert!(out.failed(), "{}", out.debug());
    // Turned into a failure for the inner writer, like `FailOnSkipped`.
    assert_eq!(out.writer.failed_steps(), 1);
    assert_eq!(out.writer.skipped_steps(), 0);
    let entry = out.writer.register().entries()[0].clone();
    assert_eq!(entry.status, Status::WrongFailure);
    assert!(entry.detail.contains("is undefined"), "{}", entry.detail);
}

#[tokio::test]
async fn hook_failures_are_not_masked() {
    let out = run("hooks.feature").await;
    assert!(out.failed(), "{}", out.debug());
    assert_eq!(out.writer.hook_errors(), 2, "{}", out.debug());
    let statuses: Vec<_> = out
        .writer
        .register()
        .entries()
        .iter()
        .map(|e| {
            (
                e.bug,
                e.status,
                e.detail.split(':').next().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        vec![
            (
                18,
                Status::WrongFailure,
                "the before hook failed".to_owned()
            ),
            (19, Status::WrongFailure, "the after hook failed".to_owned()),
        ]
    );
}

#[tokio::test]
async fn parse_error_is_not_masked() {
    let out = run("parse_error").await;
    assert!(out.failed(), "{}", out.debug());
    assert_eq!(out.writer.parsing_errors(), 1);
    // The valid neighbour still ran and its expected failure was inverted.
    assert_eq!(out.writer.failed_steps(), 0);
    assert_eq!(
        out.writer.register().entries()[0].status,
        Status::ExpectedFailure
    );
    assert!(out.writer.failure_messages().is_empty());
}

#[tokio::test]
async fn tags_are_inherited_from_the_feature() {
    let out = run("inherit_feature.feature").await;
    assert!(out.failed(), "{}", out.debug());
    let got: Vec<_> = out
        .writer
        .register()
        .entries()
        .iter()
        .map(|e| (e.bug, e.line, e.status))
        .collect();
    assert_eq!(
        got,
        vec![
            (21, 4, Status::ExpectedFailure),
            (21, 8, Status::AppearsFixed)
        ]
    );
    assert_eq!(
        out.writer.failure_messages(),
        vec![format!(
            // The feature carries the tag: its line, not the scenario's.
            "bug #21 appears fixed: remove @tdd_expected_fail from {}:2",
            shown("inherit_feature.feature")
        )]
    );
}

#[tokio::test]
async fn tags_are_inherited_from_the_rule() {
    let out = run("inherit_rule.feature").await;
    assert!(out.failed(), "{}", out.debug());
    assert!(
        out.writer.violations().is_empty(),
        "{:?}",
        out.writer.violations()
    );
    let got: Vec<_> = out
        .writer
        .register()
        .entries()
        .iter()
        .map(|e| (e.bug, e.line, e.status))
        .collect();
    assert_eq!(
        got,
        vec![
            (22, 7, Status::ExpectedFailure),
            (22, 11, Status::AppearsFixed),
            (23, 22, Status::ExpectedFailure),
        ]
    );
    assert_eq!(out.writer.failure_messages().len(), 1);
}

#[tokio::test]
async fn tag_filter_can_exclude_a_bug_capture() {
    // Control: unfiltered, the capture is an unexpected pass.
    let out = run("filtered.feature").await;
    assert!(out.failed(), "{}", out.debug());

    let cfg = Config {
        tags: Some("not @excluded"),
        ..Config::default()
    };
    let out = run_with("filtered.feature", cfg).await;
    assert!(!out.failed(), "{}", out.debug());
    assert_eq!(out.writer.passed_steps(), 2);
    assert!(out.writer.register().is_empty());
    assert_eq!(out.report, "scenarios: 1 passed\n", "{}", out.debug());
}

#[tokio::test]
async fn filter_run_can_exclude_a_bug_capture() {
    let (output, report) = (common::Buf::default(), common::Buf::default());
    let writer = common::cucumber(&Config::default(), &output, &report)
        .filter_run(common::fixture("filtered.feature"), |_, _, sc| {
            !sc.tags.iter().any(|t| t == "excluded")
        })
        .await;
    assert!(!writer.execution_has_failed(), "{}", output.text());
    assert!(writer.register().is_empty());
}

#[tokio::test]
async fn retried_scenarios_are_judged_on_the_final_attempt() {
    let cfg = Config {
        retries: Some(2),
        ..Config::default()
    };
    let out = run_with("retries.feature", cfg).await;
    assert!(!out.failed(), "{}", out.debug());
    // One retried attempt of the flaky guarded bug 26; the capture's earlier
    // attempts are not reported.
    assert_eq!(out.writer.retried_steps(), 1, "{}", out.debug());
    assert_eq!(
        out.output
            .matches("Scenario: fails on every attempt")
            .count(),
        1,
        "{}",
        out.debug()
    );
    assert_eq!(out.writer.failed_steps(), 0);
    let got: Vec<_> = out
        .writer
        .register()
        .entries()
        .iter()
        .map(|e| (e.bug, e.status))
        .collect();
    assert_eq!(
        got,
        vec![(25, Status::ExpectedFailure), (26, Status::Passed)]
    );
}

#[tokio::test]
async fn a_capture_passing_on_retry_appears_fixed() {
    let cfg = Config {
        retries: Some(1),
        ..Config::default()
    };
    let out = run_with("retries_fixed.feature", cfg).await;
    assert!(out.failed(), "{}", out.debug());
    // The failed first attempt is not reported, only the verdict.
    assert_eq!(out.writer.retried_steps(), 0, "{}", out.debug());
    assert_eq!(out.writer.inner_writer().failed_steps(), 1);
    assert_eq!(
        out.writer.failure_messages(),
        vec![format!(
            "bug #27 appears fixed: remove @tdd_expected_fail from {}:4",
            shown("retries_fixed.feature")
        )]
    );
}

#[tokio::test]
async fn guarded_bug_regression_fails_normally() {
    let out = run("regression.feature").await;
    assert!(out.failed(), "{}", out.debug());
    assert_eq!(out.writer.failed_steps(), 1);
    // Not a TDD rule: an ordinary failure, shown in the register.
    assert!(out.writer.failure_messages().is_empty());
    assert_eq!(out.writer.register().entries()[0].status, Status::Failed);
    assert!(out.report.contains("guarded #8"), "{}", out.debug());
}

#[tokio::test]
async fn failing_background_step_is_not_masked() {
    let out = run("background_fails.feature").await;
    assert!(out.failed(), "{}", out.debug());
    // The inner writer sees the background failure as it happened.
    assert_eq!(out.writer.failed_steps(), 1, "{}", out.debug());
    let entry = out.writer.register().entries()[0].clone();
    assert_eq!((entry.bug, entry.status), (30, Status::WrongFailure));
    assert_eq!(
        entry.detail,
        "background `Given` step `a step that fails` (line 4) failed: this step fails on purpose"
    );
    assert_eq!(
        out.writer.failure_messages(),
        vec![format!(
            "bug #30 at {}:7 must fail in a `Then` step, but background `Given` step \
             `a step that fails` (line 4) failed: this step fails on purpose",
            shown("background_fails.feature")
        )]
    );
}

#[tokio::test]
async fn undefined_background_step_is_not_masked() {
    let out = run("background_undefined.feature").await;
    assert!(out.failed(), "{}", out.debug());
    // In the open capture and in the guarded bug's scenario alike, the
    // undefined background step becomes a failure.
    assert_eq!(out.writer.failed_steps(), 2, "{}", out.debug());
    assert_eq!(out.writer.skipped_steps(), 0, "{}", out.debug());
    let detail = "background `Given` step `a background step nobody has written` (line 4) \
                  is undefined";
    let got: Vec<_> = out
        .writer
        .register()
        .entries()
        .iter()
        .map(|e| (e.bug, e.status, e.detail.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (31, Status::WrongFailure, detail.to_owned()),
            (32, Status::Failed, detail.to_owned()),
        ]
    );
    assert_eq!(
        out.writer.failure_messages(),
        vec![format!(
            "bug #31 at {}:7 must fail in a `Then` step, but {detail}",
            shown("background_undefined.feature")
        )]
    );
}

#[tokio::test]
async fn undefined_step_of_a_guarded_bug_fails_the_run() {
    let out = run("guarded_undefined.feature").await;
    // A regression guard that skips its checks guards nothing: the skip
    // becomes a failure, and the register names the step.
    assert!(out.failed(), "{}", out.debug());
    assert_eq!(out.writer.skipped_steps(), 0, "{}", out.debug());
    assert_eq!(out.writer.failed_steps(), 1, "{}", out.debug());
    let entry = out.writer.register().entries()[0].clone();
    assert_eq!((entry.bug, entry.status), (33, Status::Failed));
    assert_eq!(
        entry.detail,
        "`Given` step `a step nobody has written` (line 5) is undefined"
    );
}

#[tokio::test]
async fn ambiguous_then_step_is_not_an_expected_failure() {
    let out = run("odd_failures.feature").await;
    assert!(out.failed(), "{}", out.debug());
    let entries = out.writer.register().entries();
    assert_eq!(entries.len(), 2, "{}", out.debug());

    // Only a panic is an assertion: an ambiguous match fails for real.
    assert_eq!(
        (entries[0].bug, entries[0].status),
        (34, Status::WrongFailure)
    );
    assert!(
        entries[0].detail.starts_with(
            "`Then` step `an ambiguous assertion` (line 6) failed: Step match is ambiguous"
        ),
        "{}",
        entries[0].detail
    );
    assert_eq!(out.writer.failed_steps(), 1, "{}", out.debug());
    assert_eq!(out.writer.failure_messages().len(), 1);
}

#[tokio::test]
async fn non_string_panic_is_an_expected_failure_with_a_placeholder_message() {
    let out = run("odd_failures.feature").await;
    let entries = out.writer.register().entries();
    assert_eq!(
        (entries[1].bug, entries[1].status),
        (35, Status::ExpectedFailure)
    );
    assert_eq!(entries[1].detail, "(non-string panic payload)");
    assert!(
        out.output.contains(
            "expected failure (xfail), bug #35 is still open: (non-string panic payload)"
        ),
        "{}",
        out.debug()
    );
}

#[tokio::test]
async fn capture_without_a_bug_number_is_a_violation_but_still_registered() {
    let out = run("no_bug_number.feature").await;
    assert!(out.failed(), "{}", out.debug());
    // The tag rule is broken and says so ...
    assert_eq!(
        out.writer.failure_messages(),
        vec![format!(
            "{}:4: `@tdd_expected_fail` needs exactly one `@tdd_bug_<N>` naming the bug; found none",
            shown("no_bug_number.feature")
        )]
    );
    assert_eq!(out.writer.parsing_errors(), 1);
    // ... and the verdict stays visible, in the register under bug 0.
    assert_eq!(out.writer.failed_steps(), 0, "{}", out.debug());
    let entries = out.writer.register().entries();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].bug, entries[0].status),
        (0, Status::ExpectedFailure)
    );
    assert!(
        out.output
            .contains("expected failure (xfail), a bug without a `@tdd_bug_<N>` is still open"),
        "{}",
        out.debug()
    );
}

#[tokio::test]
async fn expect_note_must_be_found_in_the_assertion_message() {
    let out = run("expect_message.feature").await;
    assert!(out.failed(), "{}", out.debug());
    let got: Vec<_> = out
        .writer
        .register()
        .entries()
        .iter()
        .map(|e| (e.bug, e.status, e.step_line))
        .collect();
    assert_eq!(
        got,
        vec![
            (70, Status::ExpectedFailure, Some(7)),
            (71, Status::WrongMessage, Some(13)),
            // The `Examples` note wins over the outline's.
            (72, Status::ExpectedFailure, Some(19)),
        ]
    );

    // The mismatch is a real failure: the inner writer counts the step as
    // failed, and the report says what was expected and what came.
    assert_eq!(
        out.writer.inner_writer().failed_steps(),
        1,
        "{}",
        out.debug()
    );
    let detail = "expected failure message \"the lock is held\" not found; got \
                  \"assertion `left == right` failed: the bug is still here\\n  left: 2\\n right: 3\" \
                  (`Then` step `an assertion that fails`, line 13)";
    assert_eq!(
        out.writer.failure_messages(),
        vec![format!(
            "bug #71 at {}:11: {detail}",
            shown("expect_message.feature")
        )]
    );
    assert!(
        out.output.contains(&format!("      bug #71: {detail}\n")),
        "{}",
        out.debug()
    );
    assert!(
        out.report
            .contains("FAILED WITH ANOTHER MESSAGE: expected failure message"),
        "{}",
        out.debug()
    );
    let entries = out.writer.register().entries();
    assert_eq!(entries[0].expect, vec!["the bug is still here"]);
    assert_eq!(entries[2].expect, vec!["left == right"]);
}

#[tokio::test]
async fn reasons_and_issue_links_appear_in_messages_and_output() {
    let cfg = Config {
        issue_url: Some("https://tracker.example/issues/{N}"),
        ..Config::default()
    };
    let out = run_with("outcomes.feature", cfg).await;
    assert!(out.failed(), "{}", out.debug());
    let file = shown("outcomes.feature");
    let link = "          https://tracker.example/issues/";
    let fixed = format!(
        "bug #61 appears fixed: remove @tdd_expected_fail from {file}:11 \
         (https://tracker.example/issues/61)"
    );
    assert_eq!(out.writer.failure_messages(), vec![fixed.clone()]);
    // The failed step carries the same message, link included.
    assert!(out.output.contains(&fixed), "{}", out.debug());
    assert!(
        out.output.contains(
            "      expected failure (xfail), bug #60 is still open: assertion `left == right` \
             failed: the bug is still here\n        left: 2\n       right: 3\n      reason: the lock file survives a crash\n      \
             https://tracker.example/issues/60\n"
        ),
        "{}",
        out.debug()
    );
    assert!(
        out.report.contains(&format!(
            "  open    #60    {file}:5  an open bug (expected failure: assertion `left == right` \
             failed: the bug is still here)\n          reason: the lock file survives a crash\n\
             {link}60\n"
        )),
        "{}",
        out.debug()
    );
    // A guarded bug has a link but no reason.
    assert!(
        out.report.contains(&format!(
            "  guarded #62    {file}:16  a guarded bug (passed)\n{link}62\n"
        )),
        "{}",
        out.debug()
    );
}

#[tokio::test]
async fn fail_fast_stopping_at_an_expected_failure_fails_the_run() {
    let cfg = Config {
        fail_fast: true,
        ..Config::default()
    };
    let out = run_with("fail_fast.feature", cfg).await;
    // cucumber stops at the capture's real failure, so the regression never
    // runs: a green run here would hide it.
    assert!(
        !out.output.contains("an ordinary scenario"),
        "{}",
        out.debug()
    );
    assert!(out.failed(), "{}", out.debug());
    assert_eq!(
        out.writer.failure_messages(),
        vec![format!(
            "--fail-fast stopped the run at the expected failure of bug #40 ({}:4): 1 of 2 \
             scenarios did not run; run without --fail-fast to see them all",
            shown("fail_fast.feature")
        )]
    );
}

#[tokio::test]
async fn fail_fast_without_a_stop_stays_green() {
    let cfg = Config {
        fail_fast: true,
        ..Config::default()
    };
    let out = run_with("fail_fast_last.feature", cfg).await;
    assert!(!out.failed(), "{}", out.debug());
    assert!(
        out.output.contains("2 scenarios (2 passed)"),
        "{}",
        out.debug()
    );
}

#[tokio::test]
async fn a_capture_runs_once_under_retries_and_is_counted() {
    let cfg = Config {
        retries: Some(2),
        ..Config::default()
    };
    let out = run_with("retries_not_last.feature", cfg).await;
    assert!(!out.failed(), "{}", out.debug());
    // One attempt: no red `Step failed` block before the verdict.
    assert_eq!(out.writer.retried_steps(), 0, "{}", out.debug());
    assert!(!out.output.contains("Step failed"), "{}", out.debug());
    assert_eq!(
        out.output
            .matches("Scenario: fails before its last step")
            .count(),
        1,
        "{}",
        out.debug()
    );
    assert!(
        out.output.contains("2 scenarios (2 passed)"),
        "{}",
        out.debug()
    );
}

#[tokio::test]
async fn with_the_tdd_retry_options_a_capture_runs_once() {
    let cfg = Config {
        retries: Some(2),
        tdd_retry_options: true,
        ..Config::default()
    };
    let out = run_with("retries_counted.feature", cfg).await;
    assert!(!out.failed(), "{}", out.debug());
    assert_eq!(common::runs("retries-counted"), 1, "{}", out.debug());
    assert!(
        out.output.contains("2 scenarios (2 passed)"),
        "{}",
        out.debug()
    );
    assert_eq!(
        out.writer.register().entries()[0].status,
        Status::ExpectedFailure
    );
}

#[tokio::test]
async fn an_unexpected_pass_names_the_rule_or_examples_line_that_carries_the_tag() {
    let out = run("tag_lines.feature").await;
    assert!(out.failed(), "{}", out.debug());
    let file = shown("tag_lines.feature");
    assert_eq!(
        out.writer.failure_messages(),
        vec![
            format!("bug #43 appears fixed: remove @tdd_expected_fail from {file}:5"),
            format!("bug #44 appears fixed: remove @tdd_expected_fail from {file}:19"),
        ]
    );
    // The register keeps the scenario's own line: the outline row's.
    let lines: Vec<_> = out
        .writer
        .register()
        .entries()
        .iter()
        .map(|e| (e.bug, e.line, e.tag_line))
        .collect();
    assert_eq!(lines, vec![(43, 7, Some(5)), (44, 21, Some(19))]);
}

#[tokio::test]
async fn the_summary_counts_xfailed_and_xpassed_and_marks_the_inverted_step() {
    let out = run("outcomes.feature").await;
    assert!(out.failed(), "{}", out.debug());
    assert_eq!(
        out.writer.summary(),
        cucumber_tdd::invert::Summary {
            passed: 2,
            failed: 1,
            skipped: 0,
            xfailed: 1,
            xpassed: 1,
        }
    );
    assert!(
        out.report
            .contains("scenarios: 2 passed, 1 failed, 1 xfailed, 1 xpassed\n"),
        "{}",
        out.debug()
    );
    // The inverted step is marked, not shown as a plain pass.
    assert!(
        out.output
            .contains("✔  Then an assertion that fails [xfail]\n"),
        "{}",
        out.debug()
    );
}

#[tokio::test]
async fn runxfail_runs_captures_as_ordinary_scenarios() {
    let cfg = Config {
        runxfail: true,
        ..Config::default()
    };
    let out = run_with("expected_fail.feature", cfg).await;
    // The capture's real failure, as it is.
    assert!(out.failed(), "{}", out.debug());
    assert_eq!(out.writer.failed_steps(), 1, "{}", out.debug());
    assert!(out.output.contains("Step failed"), "{}", out.debug());
    assert!(!out.output.contains("[xfail]"), "{}", out.debug());
    assert_eq!(out.writer.failure_messages(), Vec::<String>::new());
    assert_eq!(out.writer.register().entries()[0].status, Status::Failed);
    assert!(
        out.report
            .contains("--runxfail: expected failures ran as ordinary scenarios\n"),
        "{}",
        out.debug()
    );
    assert!(
        out.report.contains("scenarios: 1 passed, 1 failed\n"),
        "{}",
        out.debug()
    );
}

#[tokio::test]
async fn a_capture_that_passes_with_retries_left_is_reported_once() {
    let cfg = Config {
        retries: Some(2),
        ..Config::default()
    };
    let out = run_with("appears_fixed.feature", cfg).await;
    assert!(out.failed(), "{}", out.debug());
    assert_eq!(out.writer.summary().xpassed, 1, "{}", out.debug());
    assert_eq!(
        out.output.matches("Scenario: ").count(),
        out.writer.summary().xpassed + out.writer.summary().passed,
        "{}",
        out.debug()
    );
    assert!(
        out.writer.failure_messages()[0].starts_with("bug #13 appears fixed"),
        "{}",
        out.debug()
    );
}

#[tokio::test]
async fn the_summary_counts_a_scenario_stopped_at_an_undefined_step_as_skipped() {
    let out = run("skipped.feature").await;
    assert_eq!(
        out.writer.summary(),
        cucumber_tdd::invert::Summary {
            passed: 1,
            skipped: 1,
            ..Default::default()
        },
        "{}",
        out.debug()
    );
    assert!(
        out.report.contains("scenarios: 1 passed, 1 skipped\n"),
        "{}",
        out.debug()
    );
}

#[tokio::test]
async fn run_xfail_is_also_a_builder_option() {
    use cucumber::World as _;

    let (output, report) = (common::Buf::default(), common::Buf::default());
    let writer = common::TestWorld::cucumber()
        .with_writer(common::writer(&output, &report).run_xfail(true))
        .with_default_cli()
        .run(common::fixture("expected_fail.feature"))
        .await;
    assert_eq!(writer.failed_steps(), 1, "{}", output.text());
    assert_eq!(writer.register().entries()[0].status, Status::Failed);
}
