//! Steps that run a small fixture suite through `cucumber-tdd`, in-process, to check the
//! workflow the project itself relies on.

use cucumber::writer::{self, Coloring, Stats as _};
use cucumber::{given, then, when, World as _, WriterExt as _};
use cucumber_tdd::TddExt as _;

use super::CliWorld;

/// The world of the fixture suites.
#[derive(Debug, Default, cucumber::World)]
pub struct FixtureWorld;

#[cucumber::given("a fixture step that passes")]
fn fixture_passes(_: &mut FixtureWorld) {}

#[cucumber::then("a fixture assertion that passes")]
fn fixture_assertion(_: &mut FixtureWorld) {}

fn fixture(world: &mut CliWorld, then: &str) {
    let dir = world.home().join("fixture-features");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("guarded.feature"),
        format!(
            "Feature: fixture\n  @tdd_bug @tdd_bug_7\n  Scenario: guarded\n    Given a fixture step that passes\n    Then {then}\n"
        ),
    )
    .unwrap();
    world
        .vars
        .insert("FIXTURE".into(), dir.display().to_string());
}

#[given("a fixture suite with a guarded bug scenario whose Then step has no definition")]
fn fixture_undefined(world: &mut CliWorld) {
    fixture(world, "a fixture assertion nobody defined");
}

#[given("a fixture suite with a guarded bug scenario whose steps are all defined")]
fn fixture_defined(world: &mut CliWorld) {
    fixture(world, "a fixture assertion that passes");
}

#[when("the fixture suite runs with cucumber-tdd")]
async fn run_fixture(world: &mut CliWorld) {
    let path = world.vars["FIXTURE"].clone();
    let writer = writer::Basic::raw(std::io::sink(), Coloring::Never, 0)
        .normalized::<FixtureWorld>()
        .summarized()
        .tdd()
        .report_to(std::io::sink());
    let cucumber = FixtureWorld::cucumber()
        .with_writer(writer)
        .with_cli(cucumber::cli::Opts::<_, _, _, cucumber::cli::Empty>::default());
    let result = cucumber_tdd::run(cucumber, path).await;
    let failed = match result {
        Ok(writer) => writer.execution_has_failed(),
        Err(_) => true,
    };
    world
        .vars
        .insert("FIXTURE_FAILED".into(), failed.to_string());
}

#[then("the fixture run is reported as failed")]
fn fixture_failed(world: &mut CliWorld) {
    assert_eq!(world.vars["FIXTURE_FAILED"], "true", "the run passed");
}

#[then("the fixture run is reported as passed")]
fn fixture_passed(world: &mut CliWorld) {
    assert_eq!(world.vars["FIXTURE_FAILED"], "false", "the run failed");
}
