//! Notes on a bug capture, written as Gherkin comments next to its tags.
//!
//! ```gherkin
//! Feature: Locking
//!
//!   # reason: a crashed writer leaves the lock file behind
//!   # expect: lock is held
//!   @tdd_bug @tdd_bug_12 @tdd_expected_fail
//!   Scenario: a crashed writer does not leave the lock behind
//!     ...
//! ```
//!
//! * `# reason: <text>` says why the capture exists. It is shown in the bug
//!   register, the end-of-run messages and the annotated reports. Several
//!   `# reason:` lines are joined with spaces.
//! * `# expect: <text>` makes an expected failure stricter: the panic
//!   message of the failing `Then` step must contain `<text>`, or the
//!   scenario is a real failure (`expected failure message "<text>" not
//!   found; got "<message>"`). Several `# expect:` lines must all be found.
//!   Only a `@tdd_expected_fail` scenario may carry one.
//!
//! A note belongs to the `Feature`, `Rule`, `Scenario` (`Scenario Outline`)
//! or `Examples` whose keyword line follows it: it is in the block of tag and
//! comment lines directly above that line, in any order, with no blank line
//! in between. Notes are inherited like tags, the nearest level winning: an
//! `Examples` note over its outline's, a scenario's over its rule's, a rule's
//! over its feature's. The keywords are matched case-insensitively, and
//! `#reason:` works as well as `# reason:`.
//!
//! Gherkin parsers drop comments, so [`FeatureNotes`] reads them from the
//! feature file's text.

use std::{collections::HashMap, fs, path::Path};

use cucumber::gherkin;

/// The notes of one capture: a scenario, or one `Examples` block of an
/// outline.
#[derive(Clone, Debug, Default, Eq, PartialEq)]
pub struct Notes {
    /// Why the capture exists (`# reason:`), if stated.
    pub reason: Option<String>,
    /// Text the panic message of the expected failure must contain
    /// (`# expect:`), every item of it.
    pub expect: Vec<String>,
}

impl Notes {
    /// These notes, with what they leave unset taken from `outer` (the notes of
    /// the enclosing rule or feature).
    #[must_use]
    pub fn or(self, outer: &Self) -> Self {
        Self {
            reason: self.reason.or_else(|| outer.reason.clone()),
            expect: if self.expect.is_empty() {
                outer.expect.clone()
            } else {
                self.expect
            },
        }
    }

    /// The `# expect:` items that `message` does not contain.
    ///
    /// ```
    /// use cucumber_tdd::notes::Notes;
    ///
    /// let notes = Notes { reason: None, expect: vec!["lock".into(), "held".into()] };
    /// assert_eq!(notes.missing_from("the lock is free"), vec!["held"]);
    /// assert!(notes.missing_from("the lock is held").is_empty());
    /// ```
    #[must_use]
    pub fn missing_from(&self, message: &str) -> Vec<&str> {
        self.expect
            .iter()
            .map(String::as_str)
            .filter(|e| !message.contains(e))
            .collect()
    }
}

/// The notes of every capture in one feature file, by capture line.
///
/// A capture line is the line of a plain scenario's keyword, or of the
/// `Examples` keyword for the scenarios of an outline: [`capture_line`] gives
/// it for a scenario as written or as expanded by cucumber.
///
/// ```
/// use cucumber::gherkin::{Feature, GherkinEnv};
/// use cucumber_tdd::notes::{capture_line, FeatureNotes};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let src = "Feature: f\n\n  # reason: the lock survives a crash\n  @tdd_bug @tdd_bug_12\n  \
///            Scenario: s\n    Then it works\n";
/// let notes = FeatureNotes::parse(src);
/// let feature = Feature::parse(src, GherkinEnv::default())?;
/// let line = capture_line(&feature.scenarios[0]);
/// assert_eq!(notes.get(line).reason.as_deref(), Some("the lock survives a crash"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, Default, Eq, PartialEq)]
pub struct FeatureNotes {
    by_line: HashMap<usize, Notes>,
}

impl FeatureNotes {
    /// Reads the notes of a feature from its file (`feature.path`). A feature
    /// without a path or whose file cannot be read or parsed has none.
    #[must_use]
    pub fn of(feature: &gherkin::Feature) -> Self {
        feature.path.as_deref().map(Self::read).unwrap_or_default()
    }

    /// Reads the notes of the feature file at `path`; none if it cannot be
    /// read or parsed.
    #[must_use]
    pub fn read(path: &Path) -> Self {
        fs::read_to_string(path)
            .map(|source| Self::parse(&source))
            .unwrap_or_default()
    }

    /// The notes of the feature in `source`, the text of a feature file; none
    /// if it does not parse.
    #[must_use]
    pub fn parse(source: &str) -> Self {
        let Ok(feature) = gherkin::Feature::parse(source, gherkin::GherkinEnv::default()) else {
            return Self::default();
        };
        let lines: Vec<&str> = source.lines().collect();
        let above = |line: usize| notes_above(&lines, line);

        let mut by_line = HashMap::new();
        let feature_notes = above(feature.position.line);
        let rules = feature
            .rules
            .iter()
            .map(|r| (above(r.position.line).or(&feature_notes), &r.scenarios));
        for (outer, scenarios) in
            std::iter::once((feature_notes.clone(), &feature.scenarios)).chain(rules)
        {
            for scenario in scenarios {
                let own = above(scenario.position.line).or(&outer);
                for examples in &scenario.examples {
                    let line = examples.position.line;
                    _ = by_line.insert(line, above(line).or(&own));
                }
                if scenario.examples.is_empty() {
                    _ = by_line.insert(scenario.position.line, own);
                }
            }
        }
        Self { by_line }
    }

    /// The notes of the capture at `line` (see [`capture_line`]); none for a
    /// line that is not a capture.
    #[must_use]
    pub fn get(&self, line: usize) -> Notes {
        self.by_line.get(&line).cloned().unwrap_or_default()
    }
}

/// The line that identifies a scenario's notes: its `Examples` keyword line
/// for an outline (cucumber expands each row into a scenario that keeps its
/// one `Examples` block), its keyword line otherwise.
#[must_use]
pub fn capture_line(scenario: &gherkin::Scenario) -> usize {
    scenario
        .examples
        .first()
        .map_or(scenario.position.line, |e| e.position.line)
}

/// The notes in the block of tag and comment lines directly above the
/// 1-based `line`.
fn notes_above(lines: &[&str], line: usize) -> Notes {
    let block: Vec<&str> = lines[..line.saturating_sub(1).min(lines.len())]
        .iter()
        .rev()
        .map(|l| l.trim())
        .take_while(|l| l.starts_with('@') || l.starts_with('#'))
        .collect();
    let mut reasons = Vec::new();
    let mut expect = Vec::new();
    for l in block.into_iter().rev() {
        if let Some(text) = note(l, "reason") {
            reasons.push(text);
        } else if let Some(text) = note(l, "expect") {
            expect.push(text.to_owned());
        }
    }
    Notes {
        reason: (!reasons.is_empty()).then(|| reasons.join(" ")),
        expect,
    }
}

/// The text of `# <key>: <text>` (case-insensitive key), if `line` is such a
/// note with a non-empty text.
fn note<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.strip_prefix('#')?.trim_start();
    let head = rest.get(..key.len())?;
    if !head.eq_ignore_ascii_case(key) {
        return None;
    }
    let text = rest[key.len()..].strip_prefix(':')?.trim();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_notes_above_the_keyword_among_tags_in_any_order() {
        let src = "\
# reason: the feature's reason
Feature: f

  @tdd_bug
  # Reason: first half,
  #reason:  second half
  @tdd_bug_3 @tdd_expected_fail
  # expect: lock
  # EXPECT: held
  Scenario: s
    Then it works

  # expect: not mine: a blank line separates it

  Scenario: t
    Then it works
";
        let notes = FeatureNotes::parse(src);
        assert_eq!(
            notes.get(10),
            Notes {
                reason: Some("first half, second half".to_owned()),
                expect: vec!["lock".to_owned(), "held".to_owned()],
            }
        );
        assert_eq!(
            notes.get(15),
            Notes {
                reason: Some("the feature's reason".to_owned()),
                expect: Vec::new(),
            }
        );
        assert_eq!(notes.get(99), Notes::default());
    }

    #[test]
    fn the_nearest_level_wins() {
        let src = "\
# expect: feature
Feature: f

  # reason: rule
  Rule: r

    # reason: outline
    Scenario Outline: o
      Then <x>

      # expect: first examples
      Examples: one
        | x |
        | a |

      Examples: two
        | x |
        | b |

    Scenario: plain in rule
      Then it works
";
        let notes = FeatureNotes::parse(src);
        let one = notes.get(12);
        assert_eq!(one.reason.as_deref(), Some("outline"));
        assert_eq!(one.expect, vec!["first examples"]);
        let two = notes.get(16);
        assert_eq!(two.reason.as_deref(), Some("outline"));
        assert_eq!(two.expect, vec!["feature"]);
        let plain = notes.get(20);
        assert_eq!(plain.reason.as_deref(), Some("rule"));
        assert_eq!(plain.expect, vec!["feature"]);
        // An outline's own line is not a capture: its `Examples` are.
        assert_eq!(notes.get(8), Notes::default());
    }

    #[test]
    fn other_comments_and_empty_notes_are_ignored() {
        for line in [
            "# a comment",
            "# reason",
            "# reason:",
            "# reason:   ",
            "# reasons: x",
            "# re",
            "# language: en",
        ] {
            assert_eq!(note(line, "reason"), None, "{line}");
        }
        assert_eq!(note("#  reason :x", "reason"), None);
        assert_eq!(note("# rEaSoN: x y ", "reason"), Some("x y"));
    }

    #[test]
    fn unparsable_or_unreadable_features_have_no_notes() {
        assert_eq!(FeatureNotes::parse("not gherkin"), FeatureNotes::default());
        assert_eq!(
            FeatureNotes::read(Path::new("no-such-dir/x.feature")),
            FeatureNotes::default()
        );
        let feature = gherkin::Feature::parse(
            "Feature: f\n  # reason: r\n  Scenario: s\n    Then x\n",
            gherkin::GherkinEnv::default(),
        )
        .unwrap();
        // Parsed from a string: no path, so no file to read the notes from.
        assert_eq!(FeatureNotes::of(&feature), FeatureNotes::default());
    }

    #[test]
    fn capture_line_of_an_expanded_outline_is_its_examples_line() {
        let src = "Feature: f\n  Scenario Outline: o\n    Then <x>\n\n    Examples:\n      | x |\n      | a |\n";
        let feature = gherkin::Feature::parse(src, gherkin::GherkinEnv::default()).unwrap();
        assert_eq!(capture_line(&feature.scenarios[0]), 5);
        let plain = gherkin::Feature::parse(
            "Feature: f\n  Scenario: s\n    Then x\n",
            gherkin::GherkinEnv::default(),
        )
        .unwrap();
        assert_eq!(capture_line(&plain.scenarios[0]), 2);
    }
}
