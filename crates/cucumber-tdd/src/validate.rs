//! [`Validate`]: the tag check where cucumber reads the feature files.
//!
//! A [`Parser`] wrapper: it validates every feature its inner parser yields
//! (the path given in code, or the files of `--input <glob>`), before
//! cucumber applies `--tags`, `--name` or `filter_run` and before any
//! scenario runs. If a file breaks the [tag rules](crate::tags), no scenario
//! runs: the parser yields one error per such file instead of the features,
//! which [`Tdd`](crate::Tdd) reports as tag violations.

use std::{error, fmt, io, sync::Arc};

use cucumber::{gherkin, parser, Parser};
use futures::{stream, StreamExt as _};

use crate::tags::{self, Violation};

/// A [`Parser`] wrapper validating the TDD tags of every feature it yields.
///
/// [`TddCucumberExt::with_tdd`](crate::TddCucumberExt::with_tdd) installs
/// it around cucumber's default parser; with another parser, wrap it:
///
/// ```no_run
/// use cucumber::{World, parser};
/// use cucumber_tdd::{TddCucumberExt as _, Validate};
///
/// # #[derive(Debug, Default, World)]
/// # struct AppWorld;
/// # async fn run() {
/// let cucumber = AppWorld::cucumber::<&str>()
///     .with_tdd()
///     .with_parser(Validate::new(parser::Basic::new().language("fr").unwrap()));
/// cucumber_tdd::run_and_exit(cucumber, "tests/features").await;
/// # }
/// ```
#[derive(Clone, Debug, Default)]
pub struct Validate<P = parser::Basic> {
    inner: P,
}

impl<P> Validate<P> {
    /// Wraps `inner`.
    #[must_use]
    pub const fn new(inner: P) -> Self {
        Self { inner }
    }
}

impl<I, P> Parser<I> for Validate<P>
where
    P: Parser<I>,
{
    type Cli = P::Cli;

    type Output = stream::LocalBoxStream<'static, parser::Result<gherkin::Feature>>;

    fn parse(self, input: I, cli: Self::Cli) -> Self::Output {
        let parsed = self.inner.parse(input, cli).collect::<Vec<_>>();
        stream::once(async move { stream::iter(validated(parsed.await)) })
            .flatten()
            .boxed_local()
    }
}

/// The features as parsed, or, if any breaks a tag rule, the parse errors
/// and one [`Violations`] error per file that breaks one.
fn validated(
    parsed: Vec<parser::Result<gherkin::Feature>>,
) -> Vec<parser::Result<gherkin::Feature>> {
    let broken: Vec<Vec<Violation>> = parsed
        .iter()
        .filter_map(|f| f.as_ref().ok())
        .map(tags::validate_feature)
        .filter(|v| !v.is_empty())
        .collect();
    if broken.is_empty() {
        return parsed;
    }
    let errors = parsed.into_iter().filter(Result::is_err);
    errors
        .chain(broken.into_iter().map(|v| Err(Violations(v).into())))
        .collect()
}

/// The tag violations of one feature file, carried through cucumber as a
/// [`parser::Error`] so that no scenario runs.
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Violations(pub Vec<Violation>);

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        write!(f, "TDD tag violations:\n{}", lines.join("\n"))
    }
}

impl error::Error for Violations {}

impl From<Violations> for parser::Error {
    fn from(v: Violations) -> Self {
        let path =
            v.0.first()
                .map(|v| v.file.clone().into())
                .unwrap_or_default();
        Self::Parsing(Arc::new(gherkin::ParseFileError::Reading {
            path,
            source: io::Error::other(v),
        }))
    }
}

impl Violations {
    /// The violations a [`parser::Error`] carries, if it is one made by
    /// [`Validate`].
    #[must_use]
    pub fn of(error: &parser::Error) -> Option<&Self> {
        match error {
            parser::Error::Parsing(e) => match &**e {
                gherkin::ParseFileError::Reading { source, .. } => {
                    source.get_ref().and_then(|e| e.downcast_ref::<Self>())
                }
                gherkin::ParseFileError::Parsing { .. } => None,
            },
            parser::Error::ExampleExpansion(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::ViolationKind;

    #[test]
    fn violations_show_one_line_each_and_are_told_from_other_parse_errors() {
        let v = |line| Violation {
            file: "f.feature".to_owned(),
            line,
            kind: ViolationKind::UnknownTdd,
            message: "m".to_owned(),
        };
        let violations = Violations(vec![v(3), v(5)]);
        assert_eq!(
            violations.to_string(),
            "TDD tag violations:\nf.feature:3: m\nf.feature:5: m"
        );
        let error = parser::Error::from(violations.clone());
        assert_eq!(Violations::of(&error), Some(&violations));

        let unreadable = parser::Error::from(gherkin::ParseFileError::Reading {
            path: "f.feature".into(),
            source: io::Error::other("gone"),
        });
        assert_eq!(Violations::of(&unreadable), None);
        let src = "Feature: f\n  Scenario Outline: <y>\n    Then it works\n    Examples:\n      | x |\n      | 1 |\n";
        let outline = gherkin::Feature::parse(src, gherkin::GherkinEnv::default()).unwrap();
        let expansion = cucumber::feature::Ext::expand_examples(outline).unwrap_err();
        assert_eq!(Violations::of(&parser::Error::from(expansion)), None);
    }
}
