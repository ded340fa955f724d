//! Machine-readable outcomes: a real suite runs through cucumber's JUnit and
//! JSON writers with `Tdd` annotating their files; the files are parsed and
//! each kind of outcome is checked for its marks.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::{collections::BTreeMap, fs::File, path::Path};

use common::{fixture, shown, Buf, TestWorld};
use cucumber::{
    writer::{self, Coloring, Stats as _},
    World as _, WriterExt as _,
};
use cucumber_tdd::TddExt as _;
use quick_xml::{events::Event, Reader, XmlVersion};

/// One `<testcase>` as parsed from the JUnit XML.
#[derive(Debug, Default)]
struct Case {
    name: String,
    properties: BTreeMap<String, String>,
    /// (type, message, text) of `<skipped>`.
    skipped: Option<(String, String, String)>,
    /// (type, message) of `<failure>`.
    failure: Option<(String, String)>,
}

fn attrs(e: &quick_xml::events::BytesStart<'_>) -> BTreeMap<String, String> {
    e.attributes()
        .map(|a| {
            let a = a.unwrap();
            (
                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                a.normalized_value(XmlVersion::Implicit1_0)
                    .unwrap()
                    .into_owned(),
            )
        })
        .collect()
}

/// Parses the test cases of a JUnit XML report.
fn parse_junit(xml: &str) -> Vec<Case> {
    let mut reader = Reader::from_str(xml);
    let mut cases = Vec::new();
    let mut current: Option<Case> = None;
    let mut in_skipped = false;
    loop {
        let (e, empty) = match reader.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::Text(t) if in_skipped => {
                let text = t.xml10_content().unwrap().into_owned();
                if let Some((_, _, body)) = current.as_mut().and_then(|c| c.skipped.as_mut()) {
                    body.push_str(&text);
                }
                continue;
            }
            Event::End(e) => {
                match e.name().as_ref() {
                    b"testcase" => cases.push(current.take().unwrap()),
                    b"skipped" => in_skipped = false,
                    _ => {}
                }
                continue;
            }
            _ => continue,
        };
        let a = attrs(&e);
        let get = |k: &str| a.get(k).cloned().unwrap_or_default();
        match e.name().as_ref() {
            b"testcase" => {
                let case = Case {
                    name: get("name"),
                    ..Case::default()
                };
                if empty {
                    cases.push(case);
                } else {
                    current = Some(case);
                }
            }
            b"property" => {
                _ = current
                    .as_mut()
                    .unwrap()
                    .properties
                    .insert(get("name"), get("value"));
            }
            b"skipped" => {
                current.as_mut().unwrap().skipped =
                    Some((get("type"), get("message"), String::new()));
                in_skipped = !empty;
            }
            b"failure" => {
                current.as_mut().unwrap().failure = Some((get("type"), get("message")));
            }
            _ => {}
        }
    }
    cases
}

/// Runs `outcomes.feature` with JUnit and JSON reports written to `dir`
/// and annotated; returns whether the run failed.
async fn run_with_reports(dir: &Path) -> bool {
    let (junit, json) = (dir.join("junit.xml"), dir.join("cucumber.json"));
    let writer = writer::Basic::raw(Buf::default(), Coloring::Never, 0)
        .summarized()
        .tee::<TestWorld, _>(writer::JUnit::for_tee(File::create(&junit).unwrap(), 0))
        .tee::<TestWorld, _>(writer::Json::for_tee(File::create(&json).unwrap()))
        .normalized()
        .tdd()
        .report_to(Buf::default())
        .issue_url("https://tracker.example/issues/{N}")
        .annotate_junit(&junit)
        .annotate_json(&json);
    let writer = TestWorld::cucumber()
        .with_writer(writer)
        .with_default_cli()
        .run(fixture("outcomes.feature"))
        .await;
    assert_eq!(
        writer.failure_messages().len(),
        1,
        "{:?}",
        writer.failure_messages()
    );
    writer.execution_has_failed()
}

fn case<'a>(cases: &'a [Case], scenario: &str) -> &'a Case {
    cases
        .iter()
        .find(|c| c.name.starts_with(&format!("Scenario: {scenario}: ")))
        .unwrap_or_else(|| panic!("no test case for {scenario}: {cases:#?}"))
}

#[tokio::test]
async fn junit_marks_each_kind_of_outcome() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run_with_reports(dir.path()).await);
    let xml = std::fs::read_to_string(dir.path().join("junit.xml")).unwrap();
    let cases = parse_junit(&xml);
    assert_eq!(cases.len(), 5, "{xml}");

    // Expected failure: skipped as xfail, with bug, reason and link, and the
    // assertion message as text.
    let open = case(&cases, "an open bug");
    let (ty, message, text) = open.skipped.clone().expect("a <skipped> mark");
    assert_eq!(ty, "xfail");
    assert_eq!(
        message,
        "xfail: bug #60: the lock file survives a crash (https://tracker.example/issues/60)"
    );
    // The whole panic message, `assert_eq!`'s values included.
    assert_eq!(
        text,
        "assertion `left == right` failed: the bug is still here\n  left: 2\n right: 3"
    );
    assert_eq!(open.failure, None);
    let props = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    assert_eq!(
        open.properties,
        props(&[
            ("tdd.bug", "60"),
            (
                "tdd.detail",
                "assertion `left == right` failed: the bug is still here\n  left: 2\n right: 3"
            ),
            ("tdd.reason", "the lock file survives a crash"),
            ("tdd.status", "expected_failure"),
            ("tdd.url", "https://tracker.example/issues/60"),
        ])
    );

    // Unexpected pass: a failure of type xpass naming the bug.
    let fixed = case(&cases, "a fixed bug that kept its tag");
    let (ty, message) = fixed.failure.clone().expect("a <failure>");
    assert_eq!(ty, "xpass");
    assert_eq!(
        message,
        format!(
            "bug #61 appears fixed: remove @tdd_expected_fail from {}:11 \
             (https://tracker.example/issues/61)",
            shown("outcomes.feature")
        )
    );
    assert_eq!(fixed.skipped, None);
    assert_eq!(fixed.properties["tdd.status"], "appears_fixed");
    assert_eq!(fixed.properties["tdd.reason"], "saves were not atomic");

    // A guarded bug passes, marked with its bug only.
    let guarded = case(&cases, "a guarded bug");
    assert_eq!((&guarded.failure, &guarded.skipped), (&None, &None));
    assert_eq!(
        guarded.properties,
        props(&[
            ("tdd.bug", "62"),
            ("tdd.status", "passed"),
            ("tdd.url", "https://tracker.example/issues/62"),
        ])
    );

    // Ordinary scenarios: exactly as cucumber wrote them.
    let pass = case(&cases, "an ordinary pass");
    assert_eq!((&pass.failure, &pass.skipped), (&None, &None));
    assert!(pass.properties.is_empty());
    let fail = case(&cases, "an ordinary failure");
    let (ty, message) = fail.failure.clone().expect("a <failure>");
    assert_eq!(ty, "Step Panicked");
    assert!(message.contains("this step fails on purpose"), "{message}");
    assert_eq!(fail.skipped, None);
    assert!(fail.properties.is_empty());
}

#[tokio::test]
async fn cucumber_json_marks_each_kind_of_outcome() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run_with_reports(dir.path()).await);
    let text = std::fs::read_to_string(dir.path().join("cucumber.json")).unwrap();
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    let elements = report[0]["elements"].as_array().unwrap();
    let element = |name: &str| {
        elements
            .iter()
            .find(|e| e["name"] == name)
            .unwrap_or_else(|| panic!("no element {name}: {report:#}"))
    };
    let statuses = |e: &serde_json::Value| -> Vec<String> {
        e["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["result"]["status"].as_str().unwrap().to_owned())
            .collect()
    };

    // Expected failure: the `Then` step skipped as xfail, the element marked.
    let open = element("an open bug");
    assert_eq!(statuses(open), vec!["passed", "skipped"]);
    assert_eq!(
        open["steps"][1]["result"]["error_message"],
        "xfail: bug #60: the lock file survives a crash (https://tracker.example/issues/60)\n\
         assertion `left == right` failed: the bug is still here\n  left: 2\n right: 3"
    );
    assert_eq!(open["tdd"]["status"], "expected_failure");
    assert_eq!(open["tdd"]["bug"], 60);
    assert_eq!(open["tdd"]["reason"], "the lock file survives a crash");
    assert_eq!(open["tdd"]["url"], "https://tracker.example/issues/60");
    assert_eq!(open["tdd"]["step_line"], 7);

    // Unexpected pass: the last step failed with the message naming the bug.
    let fixed = element("a fixed bug that kept its tag");
    assert_eq!(statuses(fixed), vec!["passed", "failed"]);
    let message = fixed["steps"][1]["result"]["error_message"]
        .as_str()
        .unwrap();
    assert!(message.contains("bug #61 appears fixed"), "{message}");
    assert_eq!(fixed["tdd"]["status"], "appears_fixed");
    assert_eq!(fixed["tdd"]["reason"], "saves were not atomic");

    let guarded = element("a guarded bug");
    assert_eq!(statuses(guarded), vec!["passed", "passed"]);
    assert_eq!(guarded["tdd"]["status"], "passed");

    // Ordinary scenarios: unmarked.
    let pass = element("an ordinary pass");
    assert_eq!(statuses(pass), vec!["passed", "passed"]);
    assert!(pass.get("tdd").is_none());
    let fail = element("an ordinary failure");
    assert_eq!(statuses(fail), vec!["passed", "failed"]);
    assert!(fail.get("tdd").is_none());
}

#[tokio::test]
async fn a_report_that_cannot_be_annotated_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("never-written.xml");
    let writer = writer::Basic::raw(Buf::default(), Coloring::Never, 0)
        .summarized()
        .normalized()
        .tdd()
        .report_to(Buf::default())
        .annotate_junit(&missing);
    let writer = TestWorld::cucumber()
        .with_writer(writer)
        .with_default_cli()
        .run(fixture("expected_fail.feature"))
        .await;
    assert!(writer.execution_has_failed());
    let msgs = writer.failure_messages();
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(
        msgs[0].starts_with(&format!("cannot annotate {}: ", missing.display())),
        "{msgs:?}"
    );
}
