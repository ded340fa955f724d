//! `cucumber-tdd`: checks the TDD tags of feature files and lists their bugs,
//! without running the suite. See `cucumber-tdd lint --help`.

use std::{
    io::{self, Write as _},
    path::PathBuf,
    process::ExitCode,
};

use clap::{Parser, Subcommand};
use cucumber_tdd::lint;

const ABOUT: &str =
    "The test-first bug workflow for cucumber-rs suites, checked without running them";

const LONG_ABOUT: &str = "\
The test-first bug workflow for cucumber-rs suites, checked without running them.

A bug is captured as a scenario asserting the correct behaviour in a `Then` step, tagged
`@tdd_bug @tdd_bug_<N> @tdd_expected_fail` (N = the issue number). While the bug is open the
scenario fails and the cucumber-tdd writer counts that as a pass; once it is fixed,
`@tdd_expected_fail` is removed and the scenario stays as the bug's regression test.

This command checks those tags in the feature files and lists the bugs they capture. The suite
itself runs with the `cucumber_tdd::Tdd` writer in your cucumber test target.";

const LINT_LONG_ABOUT: &str = "\
Check the TDD tags of feature files and list the bugs they capture, without running anything.

The rules, each reported as `<file>:<line>: <message>`:
  * `@tdd_bug_<N>` needs `@tdd_bug`; N is a positive integer (no 0, no leading zeros)
  * `@tdd_expected_fail` needs `@tdd_bug`, exactly one `@tdd_bug_<N>`, and a `Then` step
  * misspelt tags get a did-you-mean (`@tdd_expect_fail`, `@tddbug_12`); the rest of the
    `@tdd...` namespace is reserved
  * an `# expect:` comment belongs on a `@tdd_expected_fail` scenario
  * every file must be valid Gherkin

Tags are inherited from the Feature, the Rule and an outline's Examples. Comments in the block of
tags and comments directly above a Scenario (or Examples, Rule, Feature) are notes:
  # reason: <why the bug matters>        shown in the register and the reports
  # expect: <text>                       the failing `Then` must panic with this text

Then the bug register: open bugs (still `@tdd_expected_fail`) and guarded bugs (fixed, kept as
regression tests), with their reasons and, given --issue-url, their links.

Exit status: 0 no violations, 1 violations, 2 bad usage (such as a path that does not exist).";

const LINT_EXAMPLES: &str = "\
Examples:
  cucumber-tdd lint                                  check features/
  cucumber-tdd lint features/tdd_lock.feature tests/features
  cucumber-tdd lint --json | jq '.register.open[].bug'
  cucumber-tdd lint --issue-url 'https://tracker.example/issues/{N}'

As a pre-commit hook (.pre-commit-config.yaml):
  - repo: local
    hooks:
      - id: cucumber-tdd
        name: cucumber-tdd lint
        entry: cucumber-tdd lint
        language: system
        files: '\\.feature$'";

#[derive(Debug, Parser)]
#[command(name = "cucumber-tdd", version, about = ABOUT, long_about = LONG_ABOUT)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check the TDD tags of feature files and list their bugs, without running anything
    #[command(long_about = LINT_LONG_ABOUT, after_long_help = LINT_EXAMPLES)]
    Lint {
        /// Feature files, or directories searched recursively for `*.feature`
        #[arg(value_name = "PATH", default_value = "features")]
        paths: Vec<PathBuf>,

        /// Print one JSON object: {"files", "violations", "register": {"open", "guarded"}}
        #[arg(long)]
        json: bool,

        /// Link each bug: `{N}` in TEMPLATE is replaced by the bug number
        #[arg(long, value_name = "TEMPLATE", env = "CUCUMBER_TDD_ISSUE_URL")]
        issue_url: Option<String>,
    },
}

fn main() -> ExitCode {
    let Command::Lint {
        paths,
        json,
        issue_url,
    } = Cli::parse().command;
    let report = match lint::lint(&paths, issue_url.as_deref()) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let text = if json {
        format!("{:#}\n", report.to_json())
    } else {
        report.to_string()
    };
    // A closed stdout (`| head`) must not turn the verdict into a panic.
    _ = io::stdout().lock().write_all(text.as_bytes());
    if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
