//! `examples/reports.rs` runs green and leaves annotated reports behind.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[allow(dead_code)]
#[path = "../examples/reports.rs"]
mod example;

use cucumber_tdd::register::Status;

#[tokio::test]
async fn the_reports_example_runs_green_and_marks_its_reports() {
    let dir = tempfile::tempdir().unwrap();
    let (failed, register) = example::run(dir.path()).await.unwrap();
    assert!(!failed);
    let statuses: Vec<_> = register
        .entries()
        .iter()
        .map(|e| (e.bug, e.status))
        .collect();
    assert_eq!(
        statuses,
        vec![(12, Status::ExpectedFailure), (7, Status::Passed)]
    );

    let xml = std::fs::read_to_string(dir.path().join("junit.xml")).unwrap();
    assert!(
        xml.contains(
            "<skipped type=\"xfail\" message=\"xfail: bug #12: a writer that crashes while \
             holding the lock leaves the lock file behind (https://tracker.example/issues/12)\">\
             the lock is still held by the crashed writer</skipped>"
        ),
        "{xml}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("cucumber.json")).unwrap())
            .unwrap();
    assert_eq!(json[0]["elements"][0]["tdd"]["status"], "expected_failure");
    let bugs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("bugs.json")).unwrap())
            .unwrap();
    assert_eq!(
        bugs["open"][0]["scenarios"][0]["expect"][0],
        "the lock is still held"
    );
}
