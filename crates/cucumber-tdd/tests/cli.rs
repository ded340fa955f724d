//! The `cucumber-tdd` command, run as a user runs it: the real binary on
//! fixture feature files, checking its output and exit status.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::{fs, path::Path};

use assert_cmd::Command;
use common::{fixture, shown};

/// The binary, run from the workspace root (as `cargo run -p cucumber-tdd`
/// would), without the issue URL from the environment.
fn cucumber_tdd() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cucumber-tdd"));
    _ = cmd
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .env_remove("CUCUMBER_TDD_ISSUE_URL");
    cmd
}

/// Runs it with `args`: (exit code, stdout, stderr).
fn run(cmd: &mut Command, args: &[&str]) -> (Option<i32>, String, String) {
    let out = cmd.args(args).output().unwrap();
    let text = |b: &[u8]| String::from_utf8(b.to_vec()).unwrap();
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

fn lint(args: &[&str]) -> (Option<i32>, String, String) {
    run(&mut cucumber_tdd(), &[&["lint"][..], args].concat())
}

fn path(name: &str) -> String {
    fixture(name).display().to_string()
}

#[test]
fn clean_features_exit_zero_and_list_the_register() {
    let (code, stdout, stderr) = lint(&[&path("lint/clean")]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert_eq!(stderr, "");
    let lock = shown("lint/clean/tdd_lock.feature");
    let outline = shown("lint/clean/outline.feature");
    assert_eq!(
        stdout,
        format!(
            "bug register: 2 open bugs, 1 guarded bug\n\
             \x20 open    #3     {outline}:12  input <x> is handled (not run)\n\
             \x20         reason: some inputs are still mishandled\n\
             \x20 guarded #3     {outline}:16  input <x> is handled (not run)\n\
             \x20         reason: some inputs are still mishandled\n\
             \x20 open    #12    {lock}:6  a crashed writer does not leave the lock behind (not run)\n\
             \x20         reason: a crashed writer leaves the lock file behind\n\
             \x20 guarded #7     {lock}:12  saves are atomic (not run)\n\
             checked 2 feature files: no TDD tag violations\n"
        )
    );
}

#[test]
fn violations_exit_one_with_file_and_line() {
    let (code, stdout, stderr) =
        lint(&[&path("lint/broken"), &path("lint/clean/tdd_lock.feature")]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    let misplaced = shown("lint/broken/misplaced_expect.feature");
    let broken = shown("lint/broken/not_gherkin.feature");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[..3],
        [
            format!(
                "{misplaced}:5: `# expect:` applies only to a `@tdd_expected_fail` scenario; \
                 remove it, or tag the scenario"
            ),
            format!(
                "{misplaced}:9: `@tdd_expect_fail` is not a TDD tag; did you mean \
                 `@tdd_expected_fail`?"
            ),
            format!("{broken}:6: not valid Gherkin: Error at 6:20: {{\"unknown keyword\"}}"),
        ][..],
        "{stdout}"
    );
    // The register still lists what the files capture.
    assert!(
        stdout.contains("bug register: 1 open bug, 3 guarded bugs\n"),
        "{stdout}"
    );
    assert!(
        stdout
            .ends_with("checked 3 feature files: 1 file not valid Gherkin, 2 TDD tag violations\n"),
        "{stdout}"
    );
}

#[test]
fn json_output_has_violations_and_register() {
    let (code, stdout, _) = lint(&[
        "--json",
        "--issue-url",
        "https://tracker.example/issues/{N}",
        &path("lint/clean"),
        &path("violations/near_misses.feature"),
    ]);
    assert_eq!(code, Some(1), "{stdout}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["files"], 3);
    let first = &json["violations"][0];
    assert_eq!(first["file"], shown("violations/near_misses.feature"));
    assert_eq!(first["rule"], "near_miss");
    assert!(first["suggestion"].is_string(), "{first}");
    assert!(first["message"].as_str().unwrap().contains("did you mean"));

    let open = &json["register"]["open"];
    assert_eq!(open[1]["bug"], 12);
    let capture = &open[1]["scenarios"][0];
    assert_eq!(capture["status"], "open");
    assert_eq!(capture["line"], 6);
    assert_eq!(
        capture["reason"],
        "a crashed writer leaves the lock file behind"
    );
    assert_eq!(capture["expect"][0], "lock is held");
    assert_eq!(capture["url"], "https://tracker.example/issues/12");
    assert_eq!(
        json["register"]["guarded"][1]["scenarios"][0]["status"],
        "guarded"
    );
}

#[test]
fn json_output_of_a_clean_run_exits_zero() {
    let (code, stdout, _) = lint(&["--json", &path("lint/clean/outline.feature")]);
    assert_eq!(code, Some(0), "{stdout}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["violations"], serde_json::json!([]));
    assert_eq!(json["register"]["open"][0]["bug"], 3);
}

#[test]
fn issue_url_comes_from_the_environment_too() {
    let mut cmd = cucumber_tdd();
    _ = cmd.env("CUCUMBER_TDD_ISSUE_URL", "https://git.example/o/r/issues/");
    let (code, stdout, _) = run(&mut cmd, &["lint", &path("lint/clean/tdd_lock.feature")]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.contains(
            "  guarded #7     crates/cucumber-tdd/tests/fixtures/lint/clean/tdd_lock.feature:12  \
             saves are atomic (not run)\n          https://git.example/o/r/issues/7\n"
        ),
        "{stdout}"
    );
}

#[test]
fn default_path_is_features() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("features")).unwrap();
    fs::copy(
        fixture("violations/near_misses.feature"),
        dir.path().join("features/x.feature"),
    )
    .unwrap();
    let mut cmd = cucumber_tdd();
    _ = cmd.current_dir(dir.path());
    let (code, stdout, _) = run(&mut cmd, &["lint"]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.starts_with("features/x.feature:"), "{stdout}");
    assert!(stdout.contains("checked 1 feature file: "), "{stdout}");
}

#[test]
fn the_project_features_are_clean() {
    // What `cargo run -p cucumber-tdd -- lint features/` checks in CI.
    let (code, stdout, stderr) = lint(&["features/"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("no TDD tag violations"), "{stdout}");
}

#[test]
fn unreadable_files_are_violations() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("latin1.feature");
    fs::write(&file, b"Feature: caf\xe9\n").unwrap();
    let (code, stdout, _) = lint(&[&file.display().to_string()]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.starts_with(&format!(
            "{}:1: cannot read this file: stream did not contain valid UTF-8\n",
            file.display()
        )),
        "{stdout}"
    );
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let (code, stdout, stderr) = lint(&["features/", "no/such/dir"]);
    assert_eq!(code, Some(2));
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "error: no/such/dir: no such file or directory; give feature files or directories \
         that hold them\n"
    );
}

#[test]
fn bad_usage_exits_two() {
    for args in [&["lint", "--no-such-flag"][..], &["frobnicate"], &[]] {
        let (code, stdout, stderr) = run(&mut cucumber_tdd(), args);
        assert_eq!(code, Some(2), "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains("Usage: cucumber-tdd"), "{stderr}");
    }
}

#[test]
fn help_teaches_the_workflow() {
    let (code, stdout, _) = run(&mut cucumber_tdd(), &["lint", "--help"]);
    assert_eq!(code, Some(0));
    for needle in [
        "Usage: cucumber-tdd lint [OPTIONS] [PATH]...",
        "`@tdd_expected_fail` needs `@tdd_bug`, exactly one `@tdd_bug_<N>`, and a `Then` step",
        "# reason: <why the bug matters>",
        "# expect: <text>",
        "Exit status: 0 no violations, 1 violations, 2 bad usage",
        "[default: features]",
        "[env: CUCUMBER_TDD_ISSUE_URL=]",
        "entry: cucumber-tdd lint",
    ] {
        assert!(stdout.contains(needle), "{needle}\n---\n{stdout}");
    }
    let (code, stdout, _) = run(&mut cucumber_tdd(), &["--help"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("lint  Check the TDD tags"), "{stdout}");
    let (code, stdout, _) = run(&mut cucumber_tdd(), &["--version"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        stdout,
        format!("cucumber-tdd {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_capture_without_a_bug_number_is_listed_as_bug_zero() {
    let (code, stdout, _) = lint(&[&path("violations/rules.feature")]);
    assert_eq!(code, Some(1), "{stdout}");
    let file = shown("violations/rules.feature");
    assert!(
        stdout.contains(&format!(
            "{file}:12: `@tdd_expected_fail` needs exactly one `@tdd_bug_<N>` naming the bug; \
             found none\n"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "  open    #0     {file}:12  expected fail without number (not run)\n"
        )),
        "{stdout}"
    );
}
