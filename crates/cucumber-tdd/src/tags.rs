//! The three TDD tags, how they combine, and their validation.
//!
//! | tag                   | meaning                                                    |
//! |-----------------------|------------------------------------------------------------|
//! | `@tdd_bug`            | this scenario captures a bug                               |
//! | `@tdd_bug_<N>`        | ... bug number `N` (a positive integer, the issue number)  |
//! | `@tdd_expected_fail`  | ... which is still open: a `Then` step is expected to fail |
//!
//! Tags are inherited the way Gherkin defines it: a tag on a `Feature` applies
//! to every scenario in it, a tag on a `Rule` to every scenario of that rule,
//! and a tag on an `Examples` block to the scenarios expanded from it.
//!
//! [`validate_feature`] checks one parsed feature and returns every
//! [`Violation`] with the file and line to fix; [`validate_path`] does the same
//! for every `.feature` file under a directory. The rules:
//!
//! * `@tdd_bug_<N>` needs `@tdd_bug`;
//! * `@tdd_expected_fail` needs `@tdd_bug` and exactly one `@tdd_bug_<N>`;
//! * `@tdd_expected_fail` needs a `Then` step, as only a failing `Then` counts
//!   as an expected failure;
//! * `N` is a positive integer written in plain digits (no `@tdd_bug_0`, no
//!   `@tdd_bug_x`, no `@tdd_bug_007`);
//! * a tag that looks like a misspelt TDD tag (`@tdd_expect_fail`,
//!   `@tddbug_993`, `@tdd-bug`) or any other tag in the reserved `@tdd...`
//!   namespace is reported, with a did-you-mean where one is close enough;
//! * an [`# expect:` note](crate::notes) applies only to a
//!   `@tdd_expected_fail` scenario.

use std::{collections::BTreeSet, fmt, path::Path};

use cucumber::gherkin;
use serde::{ser::SerializeStruct as _, Serialize, Serializer};

use crate::{files, notes::FeatureNotes};

/// The tag marking a scenario as a bug capture, without its `@`.
pub const BUG: &str = "tdd_bug";

/// The prefix of the tag naming the bug number, without its `@`.
pub const BUG_NUMBER_PREFIX: &str = "tdd_bug_";

/// The tag marking a bug capture whose bug is still open, without its `@`.
pub const EXPECTED_FAIL: &str = "tdd_expected_fail";

/// What one tag means to this crate.
///
/// ```
/// use cucumber_tdd::tags::Tag;
///
/// assert_eq!(Tag::parse("tdd_bug_42"), Tag::BugNumber(42));
/// assert_eq!(Tag::parse("smoke"), Tag::Other);
/// assert_eq!(
///     Tag::parse("tdd_expect_fail"),
///     Tag::NearMiss { suggestion: "tdd_expected_fail".to_owned() },
/// );
/// ```
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum Tag {
    /// `@tdd_bug`.
    Bug,
    /// `@tdd_bug_<N>` with a valid `N`.
    BugNumber(u64),
    /// `@tdd_expected_fail`.
    ExpectedFail,
    /// `@tdd_bug_<something>` where the something is not a positive integer.
    InvalidBugNumber,
    /// Close to a TDD tag but not one: probably a typo.
    NearMiss {
        /// The tag that was probably meant, without its `@`.
        suggestion: String,
    },
    /// In the reserved `tdd` namespace, but not close to any TDD tag.
    UnknownTdd,
    /// A tag this crate has nothing to say about.
    Other,
}

impl Tag {
    /// Classifies a tag as written in a feature file, without its `@` (which is
    /// how [`gherkin`] stores tags).
    #[must_use]
    pub fn parse(tag: &str) -> Self {
        match tag {
            BUG => return Self::Bug,
            EXPECTED_FAIL => return Self::ExpectedFail,
            _ => {}
        }
        if let Some(number) = tag.strip_prefix(BUG_NUMBER_PREFIX) {
            return parse_bug_number(number).map_or(Self::InvalidBugNumber, Self::BugNumber);
        }
        if let Some(suggestion) = suggest(tag) {
            return Self::NearMiss { suggestion };
        }
        if tag.to_ascii_lowercase().starts_with("tdd") {
            return Self::UnknownTdd;
        }
        Self::Other
    }
}

/// Parses the `N` of `@tdd_bug_<N>`: plain ASCII digits, no leading zero, > 0.
fn parse_bug_number(digits: &str) -> Option<u64> {
    let plain = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if plain {
        digits.parse().ok()
    } else {
        None
    }
}

/// The TDD tag a misspelt tag most likely meant, if any is close enough.
fn suggest(tag: &str) -> Option<String> {
    let norm = tag.to_ascii_lowercase().replace(['-', ' ', '.'], "_");
    // `@tddbug_993`, `@tdd-bug-993`, `@tdd_bugs_993`, `@TDD_BUG_993`.
    let stem = norm.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = &norm[stem.len()..];
    let stem = stem.trim_end_matches('_');
    if !digits.is_empty() && strsim::damerau_levenshtein(stem, BUG) <= 2 {
        let number = digits.trim_start_matches('0');
        let number = if number.is_empty() { "<N>" } else { number };
        return Some(format!("{BUG_NUMBER_PREFIX}{number}"));
    }
    // `@tdd_expect_fail`, `@tdd_expected_failure`, `@tdd-expected-fail`.
    if norm.len() > 8 && strsim::damerau_levenshtein(&norm, EXPECTED_FAIL) <= 3 {
        return Some(EXPECTED_FAIL.to_owned());
    }
    // `@tdd-bug`, `@tddbug`, `@tdd_bugs`, `@TDD_BUG`.
    if digits.is_empty() && strsim::damerau_levenshtein(&norm, BUG) <= 2 && norm.starts_with('t') {
        return Some(BUG.to_owned());
    }
    None
}

/// The TDD meaning of the tags a scenario carries, inherited ones included.
///
/// ```
/// use cucumber::gherkin::{Feature, GherkinEnv};
/// use cucumber_tdd::tags::TddTags;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let feature = Feature::parse(
///     "@tdd_bug\nFeature: f\n  @tdd_bug_7 @tdd_expected_fail\n  Scenario: s\n    Then it works\n",
///     GherkinEnv::default(),
/// )?;
/// let tags = TddTags::of(&feature, None, &feature.scenarios[0]);
/// assert!(tags.expected_fail);
/// assert_eq!(tags.bug_number(), Some(7));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, Default, Eq, PartialEq)]
pub struct TddTags {
    /// `@tdd_bug` is present.
    pub bug: bool,
    /// Every distinct valid `@tdd_bug_<N>`, in ascending order.
    pub bug_numbers: Vec<u64>,
    /// `@tdd_expected_fail` is present.
    pub expected_fail: bool,
}

impl TddTags {
    /// Collects the TDD tags of `scenario`, including those inherited from its
    /// `feature` and `rule` (and, for an expanded outline, its `Examples`).
    #[must_use]
    pub fn of(
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
    ) -> Self {
        let tags = feature
            .tags
            .iter()
            .chain(rule.iter().flat_map(|r| &r.tags))
            .chain(&scenario.tags)
            .chain(scenario.examples.iter().flat_map(|e| &e.tags));
        Self::from_tags(tags)
    }

    /// Collects the TDD tags out of raw tag names (without `@`).
    #[must_use]
    pub fn from_tags<'a>(tags: impl IntoIterator<Item = &'a String>) -> Self {
        let mut out = Self::default();
        let mut numbers = BTreeSet::new();
        for tag in tags {
            match Tag::parse(tag) {
                Tag::Bug => out.bug = true,
                Tag::ExpectedFail => out.expected_fail = true,
                Tag::BugNumber(n) => {
                    _ = numbers.insert(n);
                }
                Tag::InvalidBugNumber | Tag::NearMiss { .. } | Tag::UnknownTdd | Tag::Other => {}
            }
        }
        out.bug_numbers = numbers.into_iter().collect();
        out
    }

    /// The bug number, if exactly one `@tdd_bug_<N>` applies.
    #[must_use]
    pub fn bug_number(&self) -> Option<u64> {
        match self.bug_numbers.as_slice() {
            [n] => Some(*n),
            _ => None,
        }
    }
}

/// The line of the `@tdd_expected_fail` a scenario carries or inherits: its
/// `Examples` block, the scenario itself, its `Rule`, or its `Feature`, the
/// nearest first. The scenario's own line if none carries it.
///
/// ```
/// use cucumber::gherkin::{Feature, GherkinEnv};
/// use cucumber_tdd::tags::expected_fail_line;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let src = "@tdd_expected_fail\nFeature: f\n  @tdd_bug @tdd_bug_7\n  Scenario: s\n    Then it works\n";
/// let feature = Feature::parse(src, GherkinEnv::default())?;
/// assert_eq!(expected_fail_line(&feature, None, &feature.scenarios[0]), 2);
/// # Ok(())
/// # }
/// ```
#[must_use]
pub fn expected_fail_line(
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
) -> usize {
    let carries = |tags: &[String]| tags.iter().any(|t| t == EXPECTED_FAIL);
    if let Some(e) = scenario.examples.iter().find(|e| carries(&e.tags)) {
        return e.position.line;
    }
    if carries(&scenario.tags) {
        return scenario.position.line;
    }
    match rule {
        Some(r) if carries(&r.tags) => r.position.line,
        _ if carries(&feature.tags) => feature.position.line,
        _ => scenario.position.line,
    }
}

/// Which rule a [`Violation`] breaks.
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum ViolationKind {
    /// `@tdd_bug_<N>` without `@tdd_bug`.
    BugNumberWithoutBug,
    /// `@tdd_expected_fail` without `@tdd_bug`.
    ExpectedFailWithoutBug,
    /// `@tdd_expected_fail` without any `@tdd_bug_<N>`.
    ExpectedFailWithoutBugNumber,
    /// `@tdd_expected_fail` with more than one `@tdd_bug_<N>`.
    ExpectedFailWithManyBugNumbers,
    /// `@tdd_expected_fail` on a scenario that has no `Then` step.
    ExpectedFailWithoutThen,
    /// `@tdd_bug_<N>` whose `N` is not a positive integer.
    InvalidBugNumber,
    /// A misspelt TDD tag.
    NearMiss {
        /// The tag that was probably meant, without its `@`.
        suggestion: String,
    },
    /// A tag in the reserved `tdd` namespace that means nothing.
    UnknownTdd,
    /// An `# expect:` note on a scenario that is not `@tdd_expected_fail`.
    ExpectWithoutExpectedFail,
    /// The feature file cannot be read or is not valid Gherkin (reported by
    /// [`crate::lint`]; a run reports it as a parsing error instead).
    Unparsable,
}

impl ViolationKind {
    /// A stable name for the rule, as used in JSON output:
    /// `bug_number_without_bug`, `near_miss`, ...
    ///
    /// ```
    /// use cucumber_tdd::tags::ViolationKind;
    ///
    /// assert_eq!(ViolationKind::ExpectedFailWithoutThen.code(), "expected_fail_without_then");
    /// ```
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::BugNumberWithoutBug => "bug_number_without_bug",
            Self::ExpectedFailWithoutBug => "expected_fail_without_bug",
            Self::ExpectedFailWithoutBugNumber => "expected_fail_without_bug_number",
            Self::ExpectedFailWithManyBugNumbers => "expected_fail_with_many_bug_numbers",
            Self::ExpectedFailWithoutThen => "expected_fail_without_then",
            Self::InvalidBugNumber => "invalid_bug_number",
            Self::NearMiss { .. } => "near_miss",
            Self::UnknownTdd => "unknown_tdd_tag",
            Self::ExpectWithoutExpectedFail => "expect_without_expected_fail",
            Self::Unparsable => "unparsable",
        }
    }
}

/// One broken tag rule, located at a line of a feature file.
///
/// Its [`Display`](fmt::Display) is `<file>:<line>: <message>`, the format
/// compilers use, so terminals and editors can jump to it.
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Violation {
    /// The feature file, as shown to the user (see
    /// [`display_path`](crate::files::display_path)).
    pub file: String,
    /// 1-based line of the scenario, rule, feature or `Examples` at fault.
    pub line: usize,
    /// Which rule is broken.
    pub kind: ViolationKind,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// `{"file": ..., "line": ..., "rule": ..., "message": ...}`, where `rule`
/// is [`ViolationKind::code`], plus `"suggestion"` for a near miss.
impl Serialize for Violation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let suggestion = match &self.kind {
            ViolationKind::NearMiss { suggestion } => Some(suggestion),
            _ => None,
        };
        let mut s =
            serializer.serialize_struct("Violation", 4 + usize::from(suggestion.is_some()))?;
        s.serialize_field("file", &self.file)?;
        s.serialize_field("line", &self.line)?;
        s.serialize_field("rule", self.kind.code())?;
        s.serialize_field("message", &self.message)?;
        if let Some(suggestion) = suggestion {
            s.serialize_field("suggestion", suggestion)?;
        }
        s.end()
    }
}

/// Checks every tag rule over one parsed feature.
///
/// Works both on a feature as written (outlines with `Examples`) and on one
/// whose outlines were expanded by cucumber's parser. The result is sorted by
/// line and has no duplicates. The [notes](crate::notes) are read from the
/// feature's file, if it has one; see [`validate_feature_with`] to supply
/// them.
///
/// ```
/// use cucumber::gherkin::{Feature, GherkinEnv};
/// use cucumber_tdd::tags::validate_feature;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let src = "Feature: f\n\n  @tdd_bug @tdd_expect_fail\n  Scenario: s\n    Then it works\n";
/// let feature = Feature::parse(src, GherkinEnv::default())?;
/// let violations = validate_feature(&feature);
/// assert_eq!(violations.len(), 1);
/// assert_eq!(violations[0].line, 4);
/// assert!(violations[0].message.contains("did you mean `@tdd_expected_fail`?"));
/// # Ok(())
/// # }
/// ```
#[must_use]
pub fn validate_feature(feature: &gherkin::Feature) -> Vec<Violation> {
    validate_feature_with(feature, &FeatureNotes::of(feature))
}

/// [`validate_feature`] with the feature's [notes](crate::notes) already
/// read.
#[must_use]
pub fn validate_feature_with(feature: &gherkin::Feature, notes: &FeatureNotes) -> Vec<Violation> {
    let file = feature
        .path
        .as_deref()
        .map_or_else(|| "<unknown file>".to_owned(), files::display_path);
    let mut out = Vec::new();
    let mut push = |line: usize, kind: ViolationKind, message: String| {
        out.push(Violation {
            file: file.clone(),
            line,
            kind,
            message,
        });
    };

    check_each_tag(&feature.tags, feature.position.line, &mut push);
    for scenario in &feature.scenarios {
        check_scenario(feature, None, scenario, notes, &mut push);
    }
    for rule in &feature.rules {
        check_each_tag(&rule.tags, rule.position.line, &mut push);
        for scenario in &rule.scenarios {
            check_scenario(feature, Some(rule), scenario, notes, &mut push);
        }
    }

    out.sort_by(|a, b| (a.line, &a.message).cmp(&(b.line, &b.message)));
    out.dedup();
    out
}

/// Checks every `.feature` file under `path` (or `path` itself, if it is a
/// file), in path order.
///
/// Files that cannot be read or parsed are skipped: cucumber's own parser
/// reports those when the suite runs.
#[must_use]
pub fn validate_path(path: impl AsRef<Path>) -> Vec<Violation> {
    files::feature_files(path.as_ref())
        .iter()
        .filter_map(|f| gherkin::Feature::parse_path(f, gherkin::GherkinEnv::default()).ok())
        .flat_map(|f| validate_feature(&f))
        .collect()
}

/// Reports the tags that are wrong on their own, at the line that carries them.
fn check_each_tag(
    tags: &[String],
    line: usize,
    push: &mut impl FnMut(usize, ViolationKind, String),
) {
    for tag in tags {
        match Tag::parse(tag) {
            Tag::InvalidBugNumber => push(
                line,
                ViolationKind::InvalidBugNumber,
                format!(
                    "`@{tag}`: the bug number must be a positive integer, like `@{BUG_NUMBER_PREFIX}42`"
                ),
            ),
            Tag::NearMiss { suggestion } => push(
                line,
                ViolationKind::NearMiss { suggestion: suggestion.clone() },
                format!("`@{tag}` is not a TDD tag; did you mean `@{suggestion}`?"),
            ),
            Tag::UnknownTdd => push(
                line,
                ViolationKind::UnknownTdd,
                format!(
                    "`@{tag}` is not a TDD tag; the TDD tags are `@{BUG}`, \
                     `@{BUG_NUMBER_PREFIX}<N>` and `@{EXPECTED_FAIL}`"
                ),
            ),
            Tag::Bug | Tag::BugNumber(_) | Tag::ExpectedFail | Tag::Other => {}
        }
    }
}

/// The captures of a scenario with their TDD tags: the scenario itself, at
/// its line, or each `Examples` block of an outline, at the block's line
/// (see [`notes::capture_line`](crate::notes::capture_line)).
pub(crate) fn captures(
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
) -> Vec<(usize, TddTags)> {
    if scenario.examples.is_empty() {
        return vec![(scenario.position.line, TddTags::of(feature, rule, scenario))];
    }
    scenario
        .examples
        .iter()
        .map(|e| {
            let tags = feature
                .tags
                .iter()
                .chain(rule.iter().flat_map(|r| &r.tags))
                .chain(&scenario.tags)
                .chain(&e.tags);
            (e.position.line, TddTags::from_tags(tags))
        })
        .collect()
}

fn check_scenario(
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
    notes: &FeatureNotes,
    push: &mut impl FnMut(usize, ViolationKind, String),
) {
    // An expanded outline repeats its `Examples` tags on the scenario: report
    // those once, at the `Examples` line.
    let own: Vec<String> = scenario
        .tags
        .iter()
        .filter(|t| !scenario.examples.iter().any(|e| e.tags.contains(t)))
        .cloned()
        .collect();
    check_each_tag(&own, scenario.position.line, push);
    for examples in &scenario.examples {
        check_each_tag(&examples.tags, examples.position.line, push);
    }

    let units = captures(feature, rule, scenario);
    let has_then = scenario
        .steps
        .iter()
        .any(|s| s.ty == gherkin::StepType::Then);

    for (line, tags) in units {
        if !tags.bug_numbers.is_empty() && !tags.bug {
            let numbers = tags
                .bug_numbers
                .iter()
                .map(|n| format!("`@{BUG_NUMBER_PREFIX}{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            push(
                line,
                ViolationKind::BugNumberWithoutBug,
                format!(
                    "{numbers} {} `@{BUG}` too (on the scenario, its Rule or its Feature)",
                    if tags.bug_numbers.len() == 1 {
                        "needs"
                    } else {
                        "need"
                    }
                ),
            );
        }
        if !tags.expected_fail {
            if !notes.get(line).expect.is_empty() {
                push(
                    line,
                    ViolationKind::ExpectWithoutExpectedFail,
                    format!(
                        "`# expect:` applies only to a `@{EXPECTED_FAIL}` scenario; remove it, \
                         or tag the scenario"
                    ),
                );
            }
            continue;
        }
        if !tags.bug {
            push(
                line,
                ViolationKind::ExpectedFailWithoutBug,
                format!("`@{EXPECTED_FAIL}` needs `@{BUG}` too"),
            );
        }
        match tags.bug_numbers.len() {
            0 => push(
                line,
                ViolationKind::ExpectedFailWithoutBugNumber,
                format!(
                    "`@{EXPECTED_FAIL}` needs exactly one `@{BUG_NUMBER_PREFIX}<N>` naming the \
                     bug; found none"
                ),
            ),
            1 => {}
            _ => push(
                line,
                ViolationKind::ExpectedFailWithManyBugNumbers,
                format!(
                    "`@{EXPECTED_FAIL}` needs exactly one `@{BUG_NUMBER_PREFIX}<N>` naming the \
                     bug; found {}",
                    tags.bug_numbers
                        .iter()
                        .map(|n| format!("`@{BUG_NUMBER_PREFIX}{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        }
        if !has_then {
            push(
                line,
                ViolationKind::ExpectedFailWithoutThen,
                format!(
                    "`@{EXPECTED_FAIL}` scenario has no `Then` step, so it can never fail for \
                     the right reason (only a failing `Then` is an expected failure)"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::{fs, path::PathBuf};

    use super::*;
    use crate::files::display_path;

    #[test]
    fn several_bug_numbers_without_tdd_bug_need_it() {
        let src = "Feature: f\n\n  @tdd_bug_1 @tdd_bug_2\n  Scenario: s\n    Then it works\n";
        let feature = gherkin::Feature::parse(src, gherkin::GherkinEnv::default()).unwrap();
        let v = validate_feature(&feature);
        assert_eq!(
            v[0].message,
            "`@tdd_bug_1`, `@tdd_bug_2` need `@tdd_bug` too (on the scenario, its Rule or its \
             Feature)"
        );
    }

    #[test]
    fn violations_serialize_with_their_rule_code() {
        let v = |kind| Violation {
            file: "f.feature".to_owned(),
            line: 3,
            kind,
            message: "m".to_owned(),
        };
        assert_eq!(
            serde_json::to_value(v(ViolationKind::UnknownTdd)).unwrap(),
            serde_json::json!({"file": "f.feature", "line": 3, "rule": "unknown_tdd_tag", "message": "m"})
        );
        let near = v(ViolationKind::NearMiss {
            suggestion: "tdd_bug".to_owned(),
        });
        assert_eq!(serde_json::to_value(near).unwrap()["suggestion"], "tdd_bug");
        let codes: Vec<&str> = [
            ViolationKind::BugNumberWithoutBug,
            ViolationKind::ExpectedFailWithoutBug,
            ViolationKind::ExpectedFailWithoutBugNumber,
            ViolationKind::ExpectedFailWithManyBugNumbers,
            ViolationKind::ExpectedFailWithoutThen,
            ViolationKind::InvalidBugNumber,
            ViolationKind::ExpectWithoutExpectedFail,
            ViolationKind::Unparsable,
        ]
        .iter()
        .map(ViolationKind::code)
        .collect();
        assert_eq!(
            codes,
            [
                "bug_number_without_bug",
                "expected_fail_without_bug",
                "expected_fail_without_bug_number",
                "expected_fail_with_many_bug_numbers",
                "expected_fail_without_then",
                "invalid_bug_number",
                "expect_without_expected_fail",
                "unparsable",
            ]
        );
    }

    #[test]
    fn classifies_valid_tags() {
        assert_eq!(Tag::parse("tdd_bug"), Tag::Bug);
        assert_eq!(Tag::parse("tdd_expected_fail"), Tag::ExpectedFail);
        assert_eq!(Tag::parse("tdd_bug_1"), Tag::BugNumber(1));
        assert_eq!(Tag::parse("tdd_bug_993"), Tag::BugNumber(993));
        assert_eq!(Tag::parse("serial"), Tag::Other);
        assert_eq!(Tag::parse("allow.skipped"), Tag::Other);
    }

    #[test]
    fn rejects_bad_bug_numbers() {
        for tag in [
            "tdd_bug_0",
            "tdd_bug_x",
            "tdd_bug_",
            "tdd_bug_-3",
            "tdd_bug_007",
            "tdd_bug_1a",
        ] {
            assert_eq!(Tag::parse(tag), Tag::InvalidBugNumber, "{tag}");
        }
    }

    #[test]
    fn suggests_near_misses() {
        let cases = [
            ("tdd_expect_fail", "tdd_expected_fail"),
            ("tdd_expected_failure", "tdd_expected_fail"),
            ("tdd-expected-fail", "tdd_expected_fail"),
            ("TDD_EXPECTED_FAIL", "tdd_expected_fail"),
            ("tdd_expected_fial", "tdd_expected_fail"),
            ("tddbug_993", "tdd_bug_993"),
            ("tdd-bug-993", "tdd_bug_993"),
            ("tdd_bugs_12", "tdd_bug_12"),
            ("tdd_bug993", "tdd_bug_993"),
            ("tdd-bug", "tdd_bug"),
            ("tddbug", "tdd_bug"),
            ("tdd_bugs", "tdd_bug"),
            ("TDD_BUG", "tdd_bug"),
        ];
        for (tag, want) in cases {
            assert_eq!(
                Tag::parse(tag),
                Tag::NearMiss {
                    suggestion: want.to_owned()
                },
                "{tag}"
            );
        }
    }

    #[test]
    fn unknown_tdd_namespace_and_unrelated_tags() {
        assert_eq!(Tag::parse("tdd_xfail_when_flaky"), Tag::UnknownTdd);
        assert_eq!(Tag::parse("bug"), Tag::Other);
        assert_eq!(Tag::parse("expected"), Tag::Other);
        assert_eq!(Tag::parse("retry(3)"), Tag::Other);
    }

    #[test]
    fn collects_tags_and_bug_number() {
        let tags: Vec<String> = ["tdd_bug", "tdd_bug_4", "tdd_bug_4", "tdd_expected_fail"]
            .into_iter()
            .map(String::from)
            .collect();
        let t = TddTags::from_tags(&tags);
        assert!(t.bug && t.expected_fail);
        assert_eq!(t.bug_numbers, vec![4]);
        assert_eq!(t.bug_number(), Some(4));

        let two: Vec<String> = ["tdd_bug_4", "tdd_bug_2"]
            .into_iter()
            .map(String::from)
            .collect();
        let t = TddTags::from_tags(&two);
        assert_eq!(t.bug_numbers, vec![2, 4]);
        assert_eq!(t.bug_number(), None);
    }

    fn parse(src: &str) -> gherkin::Feature {
        gherkin::Feature::parse(src, gherkin::GherkinEnv::default()).expect("fixture parses")
    }

    #[test]
    fn outline_examples_are_separate_units() {
        let f = parse(
            "@tdd_bug\nFeature: f\n\n  @tdd_bug_3\n  Scenario Outline: o\n    Then <x>\n\n    \
             @tdd_expected_fail\n    Examples: open\n      | x |\n      | a |\n\n    \
             Examples: fixed\n      | x |\n      | b |\n",
        );
        assert_eq!(validate_feature(&f), Vec::new());

        let f = parse(
            "Feature: f\n\n  Scenario Outline: o\n    Then <x>\n\n    @tdd_expected_fail\n    \
             Examples: open\n      | x |\n      | a |\n",
        );
        let v = validate_feature(&f);
        let kinds: Vec<_> = v.iter().map(|v| (v.line, v.kind.clone())).collect();
        assert_eq!(
            kinds,
            vec![
                (7, ViolationKind::ExpectedFailWithoutBug),
                (7, ViolationKind::ExpectedFailWithoutBugNumber),
            ]
        );
    }

    #[test]
    fn validate_path_finds_feature_files_in_subdirectories_only() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        fs::create_dir_all(&nested).unwrap();
        let bad = "Feature: f\n\n  @tdd_expect_fail\n  Scenario: s\n    Then it works\n";
        fs::write(nested.join("deep.feature"), bad).unwrap();
        fs::write(dir.path().join("a/LOUD.FEATURE"), bad).unwrap();
        // Not a feature file, even with feature content.
        fs::write(dir.path().join("a/notes.txt"), bad).unwrap();

        let found: Vec<(String, usize)> = validate_path(dir.path())
            .into_iter()
            .map(|v| (v.file, v.line))
            .collect();
        let shown = |p: PathBuf| display_path(&p);
        assert_eq!(
            found,
            vec![
                (shown(dir.path().join("a/LOUD.FEATURE")), 4),
                (shown(nested.join("deep.feature")), 4),
            ]
        );
    }

    #[test]
    fn validate_path_of_a_missing_path_finds_nothing() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(validate_path(dir.path().join("no-such-dir")), Vec::new());
    }
}
