//! Steps for the #993 regression: `server connect` run through the library entry point with
//! the store's fault-injecting file system, so one write of the commit fails for real.

use std::sync::Arc;

use cleveragents::Env;
use cleveragents::Streams;
use cleveragents_config::fs::{Fault, FaultyFs};
use cucumber::{given, then, when};

use super::CliWorld;
use crate::support::Outcome;

#[given(
    regex = r#"^a configuration with server url "(.+)", namespace "(.+)" and tls-verify (true|false)$"#
)]
fn configuration(world: &mut CliWorld, url: String, namespace: String, verify: String) {
    world.write_config(&format!(
        "[server]\nurl = \"{url}\"\nnamespace = \"{namespace}\"\ntls-verify = {verify}\n"
    ));
}

#[given("an empty configuration")]
fn empty(world: &mut CliWorld) {
    assert!(world.config_bytes().is_none());
}

#[when(
    regex = r#"^server connect "(.+)" with namespace "(.+)" and no TLS verification runs while the first write carrying the new (namespace|tls-verify) fails with (ENOSPC|EIO)$"#
)]
fn connect_with_failing_write(
    world: &mut CliWorld,
    url: String,
    namespace: String,
    field: String,
    errno: String,
) {
    let errno = if errno == "ENOSPC" { 28 } else { 5 };
    // The new value as the file spells it: only a write that commits that change carries it
    // (the old file's `namespace = "old"` / `tls-verify = true` never match).
    let needle = if field == "namespace" {
        format!("namespace = \"{namespace}\"")
    } else {
        "tls-verify = false".to_string()
    };
    let path = world.config_path();
    world.before = Some(world.config_bytes());
    let fs = Arc::new(FaultyFs::new(Fault::FailWriteContaining {
        needle: needle.into_bytes(),
        errno,
    }));
    let args = [
        "cleveragents",
        "--config",
        path.to_str().unwrap(),
        "server",
        "connect",
        &url,
        "--namespace",
        &namespace,
        "--no-tls-verify",
        "--no-check",
        // The old connection is saved in no profile; this scenario is about atomicity.
        "--force",
    ];
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let code = cleveragents::run_with_fs(
        args,
        &Env::default(),
        Streams::new(&mut stdout, &mut stderr),
        fs.clone(),
    );
    assert!(
        fs.ops().contains(&cleveragents_config::fs::Op::WriteAll),
        "the commit never reached its write"
    );
    world.last = Some(Outcome {
        code: i32::from(code),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    });
}

#[then("an error was reported")]
fn error_reported(world: &mut CliWorld) {
    let last = world.last();
    assert_eq!(last.code, 1, "{last:?}");
    assert!(
        last.stderr.starts_with("error: ") || last.stderr.contains("\nerror: "),
        "{last:?}"
    );
}
