//! What the run, the register, the reports and the lint command say about a
//! bug scenario, in one place.

use crate::{register::Status, tags};

/// `bug #12`, `bugs #3 and #4`, `bugs #3, #4 and #5`; for a capture without
/// a number (a tag violation, reported as such) `a bug without a
/// @tdd_bug_<N>`.
///
/// ```
/// use cucumber_tdd::messages::bug_label;
///
/// assert_eq!(bug_label(&[12]), "bug #12");
/// assert_eq!(bug_label(&[3, 4]), "bugs #3 and #4");
/// ```
#[must_use]
pub fn bug_label(bugs: &[u64]) -> String {
    match bugs {
        [] => format!("a bug without a `@{}<N>`", tags::BUG_NUMBER_PREFIX),
        [n] => format!("bug #{n}"),
        [rest @ .., last] => format!(
            "bugs {} and #{last}",
            rest.iter()
                .map(|n| format!("#{n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The exact message of an unexpected pass; `line` is the line of the
/// `@tdd_expected_fail` tag to remove.
///
/// ```
/// assert_eq!(
///     cucumber_tdd::messages::appears_fixed_message(12, "features/tdd_lock.feature", 4),
///     "bug #12 appears fixed: remove @tdd_expected_fail from features/tdd_lock.feature:4",
/// );
/// ```
#[must_use]
pub fn appears_fixed_message(bug: u64, file: &str, line: usize) -> String {
    appears_fixed(&[bug], file, line)
}

/// [`appears_fixed_message`] for a scenario naming `bugs`.
#[must_use]
pub fn appears_fixed(bugs: &[u64], file: &str, line: usize) -> String {
    let verb = if bugs.len() > 1 { "appear" } else { "appears" };
    format!(
        "{} {verb} fixed: remove @{} from {file}:{line}",
        bug_label(bugs),
        tags::EXPECTED_FAIL
    )
}

/// Why a judged bug scenario fails the run, or `None` if it does not fail it
/// for a TDD rule (a guarded bug's regression is an ordinary failure).
///
/// `line` is the scenario's, `tag_line` the line of its `@tdd_expected_fail`,
/// `detail` what happened ([`Entry::detail`](crate::register::Entry::detail)).
#[must_use]
pub fn failure(
    status: Status,
    bugs: &[u64],
    file: &str,
    (line, tag_line): (usize, usize),
    detail: &str,
) -> Option<String> {
    let label = bug_label(bugs);
    match status {
        Status::AppearsFixed => Some(appears_fixed(bugs, file, tag_line)),
        Status::WrongFailure => Some(format!(
            "{label} at {file}:{line} must fail in a `Then` step, but {detail}"
        )),
        Status::WrongMessage => Some(format!("{label} at {file}:{line}: {detail}")),
        Status::ExpectedFailure
        | Status::Passed
        | Status::Failed
        | Status::Open
        | Status::Guarded => None,
    }
}

/// `message`, followed by ` (<url>)` when there is a link.
#[must_use]
pub fn with_url(message: String, url: Option<&str>) -> String {
    match url {
        Some(url) => format!("{message} ({url})"),
        None => message,
    }
}

/// `message` with every line after the first indented by `indent`, so that
/// a multi-line panic (`assert_eq!`'s `left`/`right`) stays readable under
/// the step it belongs to.
#[must_use]
pub fn indent_rest(message: &str, indent: &str) -> String {
    message.trim_end().replace('\n', &format!("\n{indent}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_messages_name_every_bug() {
        assert_eq!(bug_label(&[]), "a bug without a `@tdd_bug_<N>`");
        assert_eq!(bug_label(&[3, 4, 5]), "bugs #3, #4 and #5");
        assert_eq!(
            appears_fixed(&[3, 4], "f.feature", 2),
            "bugs #3 and #4 appear fixed: remove @tdd_expected_fail from f.feature:2"
        );
        assert_eq!(
            failure(Status::WrongMessage, &[7], "f.feature", (5, 2), "got x"),
            Some("bug #7 at f.feature:5: got x".to_owned())
        );
        assert_eq!(failure(Status::Failed, &[7], "f", (5, 2), ""), None);
        assert_eq!(indent_rest("a\nb\n", "  "), "a\n  b");
        assert_eq!(
            appears_fixed_message(9, "f.feature", 3),
            "bug #9 appears fixed: remove @tdd_expected_fail from f.feature:3"
        );
    }
}
