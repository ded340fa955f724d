//! A suite with an open bug and a guarded one, run through `Tdd` with
//! cucumber's JUnit XML and JSON writers; `Tdd` marks the bug scenarios in
//! both files.
//!
//! ```sh
//! cargo run -p cucumber-tdd --example reports -- target/reports
//! ```
//!
//! Writes `junit.xml`, `cucumber.json` and `bugs.json` to the directory
//! given (default `target/cucumber-tdd-example`) and prints the run and the
//! bug register. The open bug's scenario appears in `junit.xml` as
//!
//! ```xml
//! <testcase name="Scenario: a crashed writer does not leave the lock behind: ...">
//!   <properties>
//!     <property name="tdd.status" value="expected_failure"/>
//!     <property name="tdd.bug" value="12"/>
//!     ...
//!   </properties>
//!   <skipped type="xfail" message="xfail: bug #12: a writer that crashes ... (https://tracker.example/issues/12)">the lock is still held by the crashed writer</skipped>
//!   ...
//! ```

use std::{
    fs::{self, File},
    io,
    path::{Path, PathBuf},
};

use cucumber::{given, then, when, writer, writer::Stats as _, World, WriterExt as _};
use cucumber_tdd::{Register, TddCucumberExt as _, TddExt as _};

/// A lock file and the writers that use it.
#[derive(Debug, Default, World)]
pub struct LockWorld {
    lock_held: bool,
    saved: Option<Result<(), String>>,
}

#[given("a writer that crashed while holding the lock")]
fn crashed_writer(w: &mut LockWorld) {
    // The bug: nothing releases the lock of a writer that died.
    w.lock_held = true;
}

#[given("a writer that saves")]
fn writer_saves(w: &mut LockWorld) {
    w.lock_held = false;
}

#[when("another writer saves")]
fn another_writer_saves(w: &mut LockWorld) {
    w.saved = Some(if w.lock_held {
        Err("the lock is still held by the crashed writer".to_owned())
    } else {
        Ok(())
    });
}

#[then("the save succeeds")]
fn save_succeeds(w: &mut LockWorld) {
    if let Some(Err(e)) = &w.saved {
        panic!("{e}");
    }
}

/// Runs the example suite, writing its reports to `out`; returns whether the
/// run failed, and the bug register.
///
/// # Errors
///
/// If `out` or a report file cannot be created.
pub async fn run(out: &Path) -> io::Result<(bool, Register)> {
    fs::create_dir_all(out)?;
    let (junit, json) = (out.join("junit.xml"), out.join("cucumber.json"));
    let writer = writer::Basic::raw(io::stdout(), writer::Coloring::Auto, 0)
        .summarized()
        .tee::<LockWorld, _>(writer::JUnit::for_tee(File::create(&junit)?, 0))
        .tee::<LockWorld, _>(writer::Json::for_tee(File::create(&json)?))
        .normalized()
        .tdd()
        .issue_url("https://tracker.example/issues/{N}")
        .register_json(out.join("bugs.json"))
        .annotate_junit(junit)
        .annotate_json(json);
    let features = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/features");
    // `with_tdd_checks`: tags checked before anything runs, captures run once.
    let writer = LockWorld::cucumber()
        .with_tdd_checks()
        .with_writer(writer)
        .with_default_cli()
        .run(features)
        .await;
    Ok((writer.execution_has_failed(), writer.register().clone()))
}

#[tokio::main]
async fn main() -> io::Result<()> {
    let out = std::env::args_os().nth(1).map_or_else(
        || PathBuf::from("target/cucumber-tdd-example"),
        PathBuf::from,
    );
    let (failed, _) = run(&out).await?;
    println!("reports written to {}", out.display());
    if failed {
        std::process::exit(1);
    }
    Ok(())
}
