//! Marks the bug scenarios in cucumber's machine-readable reports, so that
//! an expected failure and an unexpected pass stay distinct from a plain
//! pass and a plain failure.
//!
//! cucumber's [`JUnit`](https://docs.rs/cucumber/0.23/cucumber/writer/struct.JUnit.html) and
//! [`Json`](https://docs.rs/cucumber/0.23/cucumber/writer/struct.Json.html) writers, placed inside [`Tdd`], record
//! what [`Tdd`] passes on: an expected failure as a passed step, an
//! unexpected pass as a failed one. These functions rewrite such a report
//! with the register of the run, as pytest reports `xfail`:
//!
//! | outcome ([`Status`])     | JUnit XML `<testcase>`                                                  | cucumber JSON element |
//! |--------------------------|-------------------------------------------------------------------------|-----------------------|
//! | expected failure         | `<skipped type="xfail" message="xfail: bug #N: <reason> (<url>)">` with the assertion message as text | the failing `Then` step `skipped`, its `error_message` `xfail: ...` |
//! | unexpected pass          | its `<failure>` gets `type="xpass"` and the message `bug #N appears fixed: remove @tdd_expected_fail from <file>:<line> (<url>)` | (already failed with that message) |
//! | any bug scenario         | `<properties>`: `tdd.status`, `tdd.bug`, `tdd.reason`, `tdd.url`, `tdd.detail` | a `"tdd"` object: the register [`Entry`] |
//! | ordinary scenario        | unchanged                                                               | unchanged |
//!
//! `tdd.status` and the entry's `status` are [`Status::code`]s:
//! `expected_failure`, `appears_fixed`, `wrong_failure`, `wrong_message`,
//! `passed`, `failed`.
//!
//! A scenario is found by its feature file (a report's path, relative to
//! where cucumber ran, matches the register's when one ends with the other)
//! and its line. A retried scenario is marked in every attempt the report
//! kept; the `<skipped>` mark goes only where the attempt did not fail.
//!
//! [`Tdd::annotate_junit`] and [`Tdd::annotate_json`] apply these to the
//! report files when the run finishes; the functions here serve a report
//! written elsewhere, with a register read back or built by hand.
//!
//! ```
//! use cucumber_tdd::{annotate, register::{Entry, Register, Status}};
//!
//! let mut register = Register::default();
//! register.push(Entry {
//!     reason: Some("the lock survives a crash".into()),
//!     ..Entry::new(12, "features/tdd_lock.feature", 4, "lock", Status::ExpectedFailure)
//! });
//! let xml = r#"<testsuites><testsuite name="Feature: Locking: features/tdd_lock.feature">
//! <testcase name="Scenario: lock: features/tdd_lock.feature:4:3" time="0.1"/>
//! </testsuite></testsuites>"#;
//! let marked = annotate::junit(xml, &register)?;
//! assert!(marked.contains(
//!     r#"<skipped type="xfail" message="xfail: bug #12: the lock survives a crash"/>"#
//! ));
//! assert!(marked.contains(r#"<property name="tdd.status" value="expected_failure"/>"#));
//! # Ok::<(), cucumber_tdd::Error>(())
//! ```
//!
//! [`Tdd`]: crate::Tdd
//! [`Tdd::annotate_junit`]: crate::Tdd::annotate_junit
//! [`Tdd::annotate_json`]: crate::Tdd::annotate_json

use std::{fs, path::Path};

use quick_xml::{
    events::{BytesEnd, BytesStart, BytesText, Event},
    Reader, Writer, XmlVersion,
};
use serde_json::Value;

use crate::{
    messages::{self, bug_label},
    register::{Entry, Register, Status},
    Error,
};

/// The `message` of the `<skipped>` mark of an expected failure, also the
/// `error_message` of its step in cucumber JSON.
///
/// ```
/// use cucumber_tdd::{annotate::xfail_message, register::{Entry, Status}};
///
/// let mut e = Entry::new(12, "f.feature", 4, "s", Status::ExpectedFailure);
/// assert_eq!(xfail_message(&e), "xfail: bug #12 is still open");
/// e.reason = Some("the lock survives a crash".into());
/// e.url = Some("https://tracker.example/issues/12".into());
/// assert_eq!(
///     xfail_message(&e),
///     "xfail: bug #12: the lock survives a crash (https://tracker.example/issues/12)",
/// );
/// ```
#[must_use]
pub fn xfail_message(entry: &Entry) -> String {
    let label = bug_label(&entry.bugs);
    let mut out = match &entry.reason {
        Some(reason) => format!("xfail: {label}: {reason}"),
        None if entry.bugs.len() > 1 => format!("xfail: {label} are still open"),
        None => format!("xfail: {label} is still open"),
    };
    if let Some(url) = &entry.url {
        out.push_str(&format!(" ({url})"));
    }
    out
}

/// The `message` of the `<failure>` of an unexpected pass.
fn xpass_message(entry: &Entry) -> String {
    let line = entry.tag_line.unwrap_or(entry.line);
    let mut out = messages::appears_fixed(&entry.bugs, &entry.file, line);
    if let Some(url) = &entry.url {
        out.push_str(&format!(" ({url})"));
    }
    out
}

/// Whether a report's feature path and a register's name the same file: one
/// ends with the other (they are relative to different directories).
fn same_file(report: &str, register: &str) -> bool {
    let (a, b) = (Path::new(report), Path::new(register));
    !report.is_empty() && (a.ends_with(b) || b.ends_with(a))
}

/// The first register entry for the scenario at `file:line`.
fn find<'r>(register: &'r Register, file: &str, line: usize) -> Option<&'r Entry> {
    register
        .entries()
        .into_iter()
        .find(|e| e.line == line && same_file(file, &e.file))
}

fn malformed(format: &'static str, reason: impl ToString) -> Error {
    Error::MalformedReport {
        format,
        reason: reason.to_string(),
    }
}

/// Marks the bug scenarios of `register` in a JUnit XML report as written by
/// cucumber's [`JUnit`](https://docs.rs/cucumber/0.23/cucumber/writer/struct.JUnit.html) writer. See the
/// [module docs](self).
///
/// # Errors
///
/// [`Error::MalformedReport`] if `xml` is not well-formed XML.
pub fn junit(xml: &str, register: &Register) -> Result<String, Error> {
    let mut reader = Reader::from_str(xml);
    let mut out = Writer::new(Vec::new());
    // The feature file of the current `<testsuite>`, from its name
    // (`Feature: <name>: <path>`).
    let mut suite_file = String::new();
    // A bug scenario's `<testcase>`, held until its end to be rewritten.
    let mut case: Option<(BytesStart<'static>, &Entry, Vec<Event<'static>>)> = None;
    // The open `<testsuite>` and the writer of what encloses it: its content
    // is written apart, to count its skipped cases into its start tag.
    let mut suite: Option<(BytesStart<'static>, Writer<Vec<u8>>)> = None;
    loop {
        let event = reader.read_event().map_err(|e| malformed("JUnit XML", e))?;
        match event {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) if e.name().as_ref() == b"testsuite" => {
                suite_file = attribute(e, "name")
                    .and_then(|n| n.rsplit_once(": ").map(|(_, path)| path.to_owned()))
                    .unwrap_or_default();
                match event {
                    Event::Start(e) if suite.is_none() => {
                        let outer = std::mem::replace(&mut out, Writer::new(Vec::new()));
                        suite = Some((e.into_owned(), outer));
                    }
                    event => put(&mut out, event),
                }
            }
            Event::End(ref e) if e.name().as_ref() == b"testsuite" && suite.is_some() => {
                if let Some((start, outer)) = suite.take() {
                    let content = std::mem::replace(&mut out, outer).into_inner();
                    put(&mut out, Event::Start(with_skipped_count(&start, &content)));
                    out.get_mut().extend_from_slice(&content);
                    put(&mut out, event);
                }
            }
            Event::Start(e) if case.is_none() && e.name().as_ref() == b"testcase" => {
                match case_entry(&e, &suite_file, register) {
                    Some(entry) => case = Some((e.into_owned(), entry, Vec::new())),
                    None => put(&mut out, Event::Start(e)),
                }
            }
            Event::Empty(e) if case.is_none() && e.name().as_ref() == b"testcase" => {
                match case_entry(&e, &suite_file, register) {
                    Some(entry) => write_case(&mut out, e, entry, Vec::new()),
                    None => put(&mut out, Event::Empty(e)),
                }
            }
            Event::End(ref e) if e.name().as_ref() == b"testcase" && case.is_some() => {
                if let Some((start, entry, children)) = case.take() {
                    write_case(&mut out, start, entry, children);
                }
            }
            event => match &mut case {
                Some((_, _, children)) => children.push(event.into_owned()),
                None => put(&mut out, event),
            },
        }
    }
    Ok(String::from_utf8_lossy(&out.into_inner()).into_owned())
}

/// A `<testsuite>` start tag with `skipped` set to the number of
/// `<skipped>` marks in its `content` (cucumber's own and the `xfail` ones),
/// which tools reading the attribute count.
fn with_skipped_count(start: &BytesStart<'_>, content: &[u8]) -> BytesStart<'static> {
    let count = content
        .windows(b"<skipped".len())
        .filter(|w| *w == b"<skipped")
        .count();
    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    let mut out = BytesStart::new(name);
    for attr in start.attributes().flatten() {
        if attr.key.as_ref() != b"skipped" {
            out.push_attribute(attr);
        }
    }
    if count > 0 || start.try_get_attribute("skipped").ok().flatten().is_some() {
        out.push_attribute(("skipped", count.to_string().as_str()));
    }
    out.into_owned()
}

/// The register entry of a `<testcase>` in the suite of `suite_file`.
fn case_entry<'r>(
    e: &BytesStart<'_>,
    suite_file: &str,
    register: &'r Register,
) -> Option<&'r Entry> {
    let line = case_line(&attribute(e, "name")?)?;
    find(register, suite_file, line)
}

/// Writes a bug scenario's `<testcase>` with its marks.
fn write_case(
    out: &mut Writer<Vec<u8>>,
    start: BytesStart<'_>,
    entry: &Entry,
    children: Vec<Event<'_>>,
) {
    let end = BytesEnd::new(String::from_utf8_lossy(start.name().as_ref()).into_owned());
    put(out, Event::Start(start));

    put(out, Event::Start(BytesStart::new("properties")));
    let bugs = entry.bugs.iter().map(|b| ("tdd.bug", Some(b.to_string())));
    let properties = [("tdd.status", Some(entry.status.code().to_owned()))]
        .into_iter()
        .chain(bugs)
        .chain([
            ("tdd.reason", entry.reason.clone()),
            ("tdd.url", entry.url.clone()),
            (
                "tdd.detail",
                Some(entry.detail.clone()).filter(|d| !d.is_empty()),
            ),
        ]);
    for (name, value) in properties {
        if let Some(value) = value {
            let mut p = BytesStart::new("property");
            p.push_attribute(("name", name));
            push_text_attribute(&mut p, "value", &value);
            put(out, Event::Empty(p));
        }
    }
    put(out, Event::End(BytesEnd::new("properties")));

    let is_failure = |e: &BytesStart<'_>| matches!(e.name().as_ref(), b"failure" | b"error");
    let failed = children
        .iter()
        .any(|c| matches!(c, Event::Start(e) | Event::Empty(e) if is_failure(e)));
    if entry.status == Status::ExpectedFailure && !failed {
        let mut skipped = BytesStart::new("skipped");
        skipped.push_attribute(("type", "xfail"));
        push_text_attribute(&mut skipped, "message", &xfail_message(entry));
        if entry.detail.is_empty() {
            put(out, Event::Empty(skipped));
        } else {
            put(out, Event::Start(skipped));
            put(out, Event::Text(BytesText::new(&entry.detail)));
            put(out, Event::End(BytesEnd::new("skipped")));
        }
    }

    for child in children {
        let child = match child {
            Event::Start(e) if entry.status == Status::AppearsFixed && is_failure(&e) => {
                Event::Start(xpass_failure(&e, entry))
            }
            Event::Empty(e) if entry.status == Status::AppearsFixed && is_failure(&e) => {
                Event::Empty(xpass_failure(&e, entry))
            }
            other => other,
        };
        put(out, child);
    }
    put(out, Event::End(end));
}

/// The `<failure>` of an unexpected pass, with `type="xpass"` and the
/// message naming the bug.
fn xpass_failure(failure: &BytesStart<'_>, entry: &Entry) -> BytesStart<'static> {
    let name = String::from_utf8_lossy(failure.name().as_ref()).into_owned();
    let mut out = BytesStart::new(name);
    for attr in failure.attributes().flatten() {
        if !matches!(attr.key.as_ref(), b"type" | b"message") {
            out.push_attribute(attr);
        }
    }
    out.push_attribute(("type", "xpass"));
    push_text_attribute(&mut out, "message", &xpass_message(entry));
    out.into_owned()
}

/// Adds attribute `name` with `value` escaped, line breaks included: a
/// parser turns a raw line break in an attribute into a space, and a
/// multi-line panic message (`assert_eq!`'s `left`/`right`) would lose them.
fn push_text_attribute(e: &mut BytesStart<'_>, name: &str, value: &str) {
    let escaped = quick_xml::escape::escape(value)
        .replace('\r', "&#13;")
        .replace('\n', "&#10;")
        .replace('\t', "&#9;");
    e.push_attribute((name.as_bytes(), escaped.as_bytes()));
}

/// The unescaped value of attribute `name`, if present and well-formed.
fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let attr = e.try_get_attribute(name).ok()??;
    attr.normalized_value(XmlVersion::Implicit1_0)
        .ok()
        .map(|v| v.into_owned())
}

/// The scenario line of a cucumber JUnit test case name,
/// `Scenario: <name>: <path>:<line>:<column>`.
fn case_line(name: &str) -> Option<usize> {
    let mut parts = name.rsplitn(3, ':');
    let _column = parts.next()?;
    parts.next()?.parse().ok()
}

/// Writes one event to an in-memory XML writer.
fn put(out: &mut Writer<Vec<u8>>, event: Event<'_>) {
    // Writing to a `Vec` cannot fail.
    _ = out.write_event(event);
}

/// [`junit`] on the file at `path`, rewritten in place.
///
/// # Errors
///
/// [`Error::Annotate`] if the file cannot be read or written, or is not
/// well-formed XML.
pub fn junit_file(path: &Path, register: &Register) -> Result<(), Error> {
    rewrite(path, |text| junit(text, register))
}

/// Marks the bug scenarios of `register` in a cucumber JSON report as
/// written by cucumber's [`Json`](https://docs.rs/cucumber/0.23/cucumber/writer/struct.Json.html) writer. See the
/// [module docs](self).
///
/// # Errors
///
/// [`Error::MalformedReport`] if `json` is not JSON or not an array of
/// features.
pub fn cucumber_json(json: &str, register: &Register) -> Result<String, Error> {
    let mut report: Value =
        serde_json::from_str(json).map_err(|e| malformed("cucumber JSON", e))?;
    let features = report
        .as_array_mut()
        .ok_or_else(|| malformed("cucumber JSON", "expected an array of features"))?;
    for feature in features {
        let uri = feature["uri"].as_str().unwrap_or_default().to_owned();
        let Some(elements) = feature.get_mut("elements").and_then(Value::as_array_mut) else {
            continue;
        };
        for element in elements.iter_mut().filter_map(Value::as_object_mut) {
            let line = element.get("line").and_then(Value::as_u64);
            let is_scenario = element.get("type").and_then(Value::as_str) == Some("scenario");
            let entry = line
                .filter(|_| is_scenario)
                .and_then(|l| find(register, &uri, usize::try_from(l).ok()?));
            let Some(entry) = entry else {
                continue;
            };
            _ = element.insert("tdd".to_owned(), serde_json::json!(entry));
            if entry.status != Status::ExpectedFailure {
                continue;
            }
            let steps = element.get_mut("steps").and_then(Value::as_array_mut);
            let step = steps.into_iter().flatten().find(|s| {
                s["line"].as_u64() == entry.step_line.map(|l| l as u64)
                    && s["result"]["status"] == "passed"
            });
            if let Some(result) = step.and_then(|s| s["result"].as_object_mut()) {
                let message = format!("{}\n{}", xfail_message(entry), entry.detail);
                _ = result.insert("status".to_owned(), "skipped".into());
                _ = result.insert("error_message".to_owned(), message.into());
            }
        }
    }
    Ok(report.to_string())
}

/// [`cucumber_json`] on the file at `path`, rewritten in place.
///
/// # Errors
///
/// [`Error::Annotate`] if the file cannot be read or written, or is not a
/// cucumber JSON report.
pub fn cucumber_json_file(path: &Path, register: &Register) -> Result<(), Error> {
    rewrite(path, |text| cucumber_json(text, register))
}

fn rewrite(path: &Path, f: impl FnOnce(&str) -> Result<String, Error>) -> Result<(), Error> {
    let failed = |reason: String| Error::Annotate {
        path: path.to_path_buf(),
        reason,
    };
    let text = fs::read_to_string(path).map_err(|e| failed(e.to_string()))?;
    let marked = f(&text).map_err(|e| failed(e.to_string()))?;
    fs::write(path, marked).map_err(|e| failed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn register(status: Status) -> Register {
        let mut r = Register::default();
        r.push(Entry {
            detail: "assertion failed".to_owned(),
            step_line: Some(7),
            ..Entry::new(12, "features/x.feature", 4, "s", status)
        });
        r
    }

    #[test]
    fn junit_rejects_malformed_xml() {
        let err = junit("<testsuites><testsuite></testsuites>", &Register::default()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("not a well-formed JUnit XML report: "),
            "{err}"
        );
    }

    #[test]
    fn junit_leaves_other_test_cases_and_suites_alone() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="Errors"><testcase name="Feature: features/x.feature" time="0"><failure type="Parser Error" message="m"/></testcase></testsuite><testsuite name="Feature: f: features/x.feature"><testcase name="Scenario: other: features/x.feature:9:3" time="0"/><testcase name="odd" time="0"/></testsuite></testsuites>"#;
        assert_eq!(junit(xml, &register(Status::ExpectedFailure)).unwrap(), xml);
    }

    #[test]
    fn junit_marks_an_empty_test_case_and_an_unexpected_pass_without_a_body() {
        let xml = r#"<testsuite name="Feature: f: features/x.feature"><testcase name="Scenario: s: features/x.feature:4:3"/></testsuite>"#;
        let marked = junit(xml, &register(Status::Passed)).unwrap();
        assert_eq!(
            marked,
            r#"<testsuite name="Feature: f: features/x.feature"><testcase name="Scenario: s: features/x.feature:4:3"><properties><property name="tdd.status" value="passed"/><property name="tdd.bug" value="12"/><property name="tdd.detail" value="assertion failed"/></properties></testcase></testsuite>"#
        );

        let xml = r#"<testsuite name="Feature: f: features/x.feature"><testcase name="Scenario: s: features/x.feature:4:3"><failure type="Step Panicked" message="old">trace</failure></testcase></testsuite>"#;
        let marked = junit(xml, &register(Status::AppearsFixed)).unwrap();
        assert!(
            marked.contains(r#"<failure type="xpass" message="bug #12 appears fixed: remove @tdd_expected_fail from features/x.feature:4">trace</failure>"#),
            "{marked}"
        );

        let xml = r#"<testsuite name="Feature: f: features/x.feature"><testcase name="Scenario: s: features/x.feature:4:3"><failure type="Step Panicked" message="old" extra="kept"/></testcase></testsuite>"#;
        let marked = junit(xml, &register(Status::AppearsFixed)).unwrap();
        assert!(
            marked.contains(r#"<failure extra="kept" type="xpass" message="bug #12 appears fixed: remove @tdd_expected_fail from features/x.feature:4"/>"#),
            "{marked}"
        );
    }

    #[test]
    fn junit_leaves_an_empty_suite_alone() {
        let xml = r#"<testsuites><testsuite name="Feature: f: features/x.feature" tests="0"/></testsuites>"#;
        assert_eq!(junit(xml, &register(Status::ExpectedFailure)).unwrap(), xml);
    }

    #[test]
    fn junit_counts_skipped_cases_in_the_suite_and_names_every_bug() {
        let mut r = Register::default();
        r.push(Entry {
            bugs: vec![3, 4],
            detail: "left: 1\nright: 2".to_owned(),
            ..Entry::new(3, "features/x.feature", 4, "s", Status::ExpectedFailure)
        });
        let xml = r#"<testsuites><testsuite name="Feature: f: features/x.feature" tests="2"><testcase name="Scenario: s: features/x.feature:4:3"/><testcase name="Scenario: t: features/x.feature:9:3"/></testsuite><testsuite name="Feature: g: features/y.feature" tests="1" skipped="0"><testcase name="Scenario: u: features/y.feature:2:3"><skipped/></testcase></testsuite></testsuites>"#;
        let marked = junit(xml, &r).unwrap();
        assert!(
            marked.contains(
                r#"<testsuite name="Feature: f: features/x.feature" tests="2" skipped="1">"#
            ),
            "{marked}"
        );
        assert!(
            marked.contains(
                r#"<testsuite name="Feature: g: features/y.feature" tests="1" skipped="1">"#
            ),
            "{marked}"
        );
        assert!(
            marked.contains(
                r#"<property name="tdd.bug" value="3"/><property name="tdd.bug" value="4"/>"#
            ),
            "{marked}"
        );
        assert!(
            marked.contains(r#"message="xfail: bugs #3 and #4 are still open">"#),
            "{marked}"
        );
        // A multi-line detail keeps its line breaks in an attribute.
        assert!(
            marked.contains(r#"value="left: 1&#10;right: 2""#),
            "{marked}"
        );
    }

    #[test]
    fn junit_marks_no_skip_on_an_attempt_that_failed_and_none_without_detail() {
        let xml = r#"<testsuite name="Feature: f: features/x.feature"><testcase name="Scenario: s: features/x.feature:4:3"><failure type="Step Panicked" message="first attempt"/></testcase></testsuite>"#;
        let marked = junit(xml, &register(Status::ExpectedFailure)).unwrap();
        assert!(!marked.contains("<skipped"), "{marked}");
        assert!(marked.contains(r#"message="first attempt""#), "{marked}");

        let mut r = Register::default();
        r.push(Entry::new(
            12,
            "features/x.feature",
            4,
            "s",
            Status::ExpectedFailure,
        ));
        let xml = r#"<testsuite name="Feature: f: features/x.feature"><testcase name="Scenario: s: features/x.feature:4:3"/></testsuite>"#;
        let marked = junit(xml, &r).unwrap();
        assert!(
            marked.contains(
                r#"<skipped type="xfail" message="xfail: bug #12 is still open"/></testcase>"#
            ),
            "{marked}"
        );
    }

    #[test]
    fn json_rejects_what_is_not_a_cucumber_report() {
        for (text, why) in [
            ("{", "EOF while parsing"),
            ("{}", "expected an array of features"),
        ] {
            let err = cucumber_json(text, &Register::default()).unwrap_err();
            assert!(
                err.to_string()
                    .starts_with("not a well-formed cucumber JSON report: ")
                    && err.to_string().contains(why),
                "{err}"
            );
        }
    }

    #[test]
    fn json_skips_what_it_cannot_match() {
        let json = serde_json::json!([
            {"name": "no uri or elements"},
            {"uri": "features/x.feature", "elements": [
                "not an object",
                {"type": "background", "line": 4, "steps": []},
                {"type": "scenario", "line": 9, "steps": []},
                {"type": "scenario", "line": 4},
            ]},
        ]);
        let marked: Value = serde_json::from_str(
            &cucumber_json(&json.to_string(), &register(Status::ExpectedFailure)).unwrap(),
        )
        .unwrap();
        let elements = &marked[1]["elements"];
        assert!(elements[1].get("tdd").is_none());
        assert!(elements[2].get("tdd").is_none());
        // Matched, but without steps to mark.
        assert_eq!(elements[3]["tdd"]["status"], "expected_failure");
        assert_eq!(marked[0], json[0]);
    }

    #[test]
    fn file_errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.xml");
        let err = junit_file(&missing, &Register::default()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with(&format!("cannot annotate {}: ", missing.display())),
            "{err}"
        );
        let bad = dir.path().join("bad.json");
        fs::write(&bad, "[").unwrap();
        let err = cucumber_json_file(&bad, &Register::default()).unwrap_err();
        assert!(
            err.to_string()
                .contains("not a well-formed cucumber JSON report"),
            "{err}"
        );
    }

    #[test]
    fn same_file_matches_by_suffix_only() {
        assert!(same_file("tests/x.feature", "crates/c/tests/x.feature"));
        assert!(same_file(
            "/abs/crates/c/tests/x.feature",
            "crates/c/tests/x.feature"
        ));
        assert!(!same_file("tests/y.feature", "crates/c/tests/x.feature"));
        assert!(!same_file("", "crates/c/tests/x.feature"));
    }
}
