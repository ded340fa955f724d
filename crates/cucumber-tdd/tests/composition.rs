//! `Tdd` in front of cucumber's JUnit and JSON writers (teed with the usual
//! `Basic` + `Summarize`): the reports they write show the inverted outcome.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{fixture, shown, Buf, TestWorld};
use cucumber::{
    writer::{self, Coloring, Stats as _},
    World as _, WriterExt as _,
};
use cucumber_tdd::TddExt as _;

/// Runs `name` through `Basic -> Summarize -> Tee(JUnit) -> Normalize -> Tdd`
/// and returns (failed, basic output, junit xml).
async fn run_junit(name: &str) -> (bool, String, String) {
    let (out, junit) = (Buf::default(), Buf::default());
    let writer = writer::Basic::raw(out.clone(), Coloring::Never, 0)
        .summarized()
        .tee::<TestWorld, _>(writer::JUnit::for_tee(junit.clone(), 0))
        .normalized()
        .tdd()
        .report_to(Buf::default());
    let writer = TestWorld::cucumber()
        .with_writer(writer)
        .with_default_cli()
        .run(fixture(name))
        .await;
    (writer.execution_has_failed(), out.text(), junit.text())
}

#[tokio::test]
async fn junit_shows_an_expected_failure_as_passed() {
    let (failed, out, xml) = run_junit("expected_fail.feature").await;
    assert!(!failed, "{out}");
    assert!(xml.contains("the bug is captured"), "{xml}");
    assert!(!xml.contains("<failure"), "{xml}");
}

#[tokio::test]
async fn junit_shows_an_unexpected_pass_as_failed() {
    let (failed, out, xml) = run_junit("appears_fixed.feature").await;
    assert!(failed, "{out}");
    assert!(xml.contains("<failure"), "{xml}");
    let msg = format!(
        "bug #13 appears fixed: remove @tdd_expected_fail from {}:4",
        shown("appears_fixed.feature")
    );
    assert!(xml.contains(&msg), "{xml}");
}

#[tokio::test]
async fn junit_shows_a_wrong_failure_as_failed() {
    let (failed, _, xml) = run_junit("given_fails.feature").await;
    assert!(failed);
    assert!(xml.contains("<failure"), "{xml}");
}

#[tokio::test]
async fn json_shows_the_inverted_step_statuses() {
    let (out, json) = (Buf::default(), Buf::default());
    let writer = writer::Basic::raw(out.clone(), Coloring::Never, 0)
        .summarized()
        .tee::<TestWorld, _>(writer::Json::for_tee(json.clone()))
        .normalized()
        .tdd()
        .report_to(Buf::default());
    let writer = TestWorld::cucumber()
        .with_writer(writer)
        .with_default_cli()
        .run(fixture("expected_fail.feature"))
        .await;
    assert!(!writer.execution_has_failed(), "{}", out.text());

    let report: serde_json::Value = serde_json::from_str(&json.text()).unwrap();
    let statuses: Vec<String> = report[0]["elements"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|sc| sc["steps"].as_array().unwrap().clone())
        .map(|st| st["result"]["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statuses, vec!["passed"; 5], "{report:#}");
}

#[tokio::test]
async fn arbitrary_output_passes_through_to_the_inner_writer() {
    let (out, report) = (Buf::default(), Buf::default());
    let mut w = common::writer(&out, &report);
    writer::Arbitrary::<TestWorld, _>::write(&mut w, "a line of my own").await;
    assert_eq!(out.text(), "a line of my own\n");
    // Not part of the TDD report.
    assert!(report.text().is_empty());
}
