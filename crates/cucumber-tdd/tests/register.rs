//! The bug register at the end of a run, as text and as JSON.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{run_with, shown, Config};
use cucumber::writer::Stats as _;
use cucumber_tdd::register::Status;

#[tokio::test]
async fn register_lists_open_and_guarded_bugs() {
    let dir = tempfile::tempdir().unwrap();
    let json_path = dir.path().join("bugs.json");
    let cfg = Config {
        register_json: Some(json_path.clone()),
        ..Config::default()
    };
    let out = run_with("register.feature", cfg).await;
    assert!(!out.failed(), "{}", out.debug());

    let open = out.writer.register().open_bugs();
    let open: Vec<_> = open.iter().map(|b| (b.bug, b.scenarios.len())).collect();
    // Bug 31's outline ran concurrently as three scenarios, all judged.
    assert_eq!(open, vec![(30, 2), (31, 3)]);
    let guarded: Vec<_> = out
        .writer
        .register()
        .guarded_bugs()
        .iter()
        .map(|b| b.bug)
        .collect();
    assert_eq!(guarded, vec![7]);

    let file = shown("register.feature");
    let report = &out.report;
    assert!(
        report.starts_with("bug register: 2 open bugs, 1 guarded bug\n"),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "  open    #30    {file}:5  first capture of bug 30 (expected failure: assertion"
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "  guarded #7     {file}:13  bug 7 stays fixed (passed)\n"
        )),
        "{report}"
    );
    // Outline rows are located at their `Examples` row.
    assert!(
        report.contains(&format!("{file}:24  bug 31 on 1 (expected failure")),
        "{report}"
    );
    assert!(
        report.contains(&format!("{file}:26  bug 31 on 3 (expected failure")),
        "{report}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(json["open"][0]["bug"], 30);
    assert_eq!(json["open"][0]["scenarios"][1]["line"], 9);
    assert_eq!(
        json["open"][0]["scenarios"][1]["status"],
        "expected_failure"
    );
    assert_eq!(json["open"][0]["scenarios"][1]["file"], file.as_str());
    assert_eq!(json["open"][1]["scenarios"].as_array().unwrap().len(), 3);
    assert_eq!(json["guarded"][0]["bug"], 7);
    assert_eq!(json["guarded"][0]["scenarios"][0]["status"], "passed");
    assert_eq!(
        json["guarded"][0]["scenarios"][0]["scenario"],
        "bug 7 stays fixed"
    );
}

#[tokio::test]
async fn register_json_write_failure_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let json_path = dir.path().join("missing-dir").join("bugs.json");
    let cfg = Config {
        register_json: Some(json_path.clone()),
        ..Config::default()
    };
    let out = run_with("expected_fail.feature", cfg).await;
    assert!(out.failed(), "{}", out.debug());
    assert!(!out.writer.inner_writer().execution_has_failed());
    let msgs = out.writer.failure_messages();
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(
        msgs[0].starts_with(&format!(
            "cannot write the bug register to {}: ",
            json_path.display()
        )),
        "{msgs:?}"
    );
}

#[tokio::test]
async fn statuses_of_failing_captures_are_recorded() {
    let out = run_with("hooks.feature", Config::default()).await;
    let statuses: Vec<_> = out
        .writer
        .register()
        .entries()
        .iter()
        .map(|e| e.status)
        .collect();
    assert_eq!(statuses, vec![Status::WrongFailure, Status::WrongFailure]);
    assert!(
        out.report.contains("FAILED FOR ANOTHER REASON"),
        "{}",
        out.debug()
    );
}
