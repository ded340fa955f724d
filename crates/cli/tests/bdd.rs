//! The Gherkin suite in `features/` (repository root), run with the bug-capture workflow of
//! `cucumber-tdd`: tags are validated before anything runs, scenarios tagged
//! `@tdd_expected_fail` must fail in a `Then` step, and the bug register is printed at the end.
//!
//! `cargo test -p cleveragents --test bdd`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod steps;
mod support;

use cucumber::World as _;
use cucumber_tdd::TddCucumberExt as _;

#[tokio::main]
async fn main() {
    let features = std::fs::canonicalize(concat!(env!("CARGO_MANIFEST_DIR"), "/../../features"))
        .expect("the features directory at the repository root");
    cucumber_tdd::run_and_exit(steps::CliWorld::cucumber().with_tdd(), features).await;
}
