//! Real processes against one file: no lost update, and a writer killed while holding the lock
//! does not block the next one.
//!
//! The child processes are this test binary itself, re-run with `CLEVERAGENTS_TEST_CHILD` set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cleveragents_config::ConfigStore;

const CHILD: &str = "CLEVERAGENTS_TEST_CHILD";

fn spawn(role: &str, path: &std::path::Path, extra: &[(&str, String)]) -> Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "child_entry_point",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, role)
        .env("CHILD_CONFIG", path)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    for (k, v) in extra {
        command.env(k, v);
    }
    command.spawn().unwrap()
}

/// Not a test of its own: the body of the child processes (a no-op in a normal run).
#[test]
fn child_entry_point() {
    let Ok(role) = std::env::var(CHILD) else {
        return;
    };
    let store = ConfigStore::open(std::env::var("CHILD_CONFIG").unwrap())
        .with_lock_timeout(Duration::from_secs(60));
    match role.as_str() {
        "writer" => {
            let id: usize = std::env::var("CHILD_ID").unwrap().parse().unwrap();
            let count: usize = std::env::var("CHILD_COUNT").unwrap().parse().unwrap();
            for i in 0..count {
                store
                    .transaction(|tx| {
                        tx.set_str(
                            &format!("profiles.p{id}-{i}.url"),
                            &format!("http://h{id}.example/{i}"),
                        )?;
                        tx.set_str(&format!("profiles.p{id}-{i}.namespace"), &format!("n{i}"))
                    })
                    .unwrap();
            }
        }
        "holder" => {
            // Takes the lock through a transaction and never lets go until killed.
            let ready = std::env::var("CHILD_READY").unwrap();
            let _ = store.transaction(|tx| {
                std::fs::write(&ready, "locked").unwrap();
                std::thread::sleep(Duration::from_secs(600));
                tx.set_str("server.url", "http://never.example")
            });
        }
        other => panic!("unknown child role {other}"),
    }
}

#[test]
fn eight_processes_times_250_transactions_lose_no_update() {
    const PROCESSES: usize = 8;
    const EACH: usize = 250;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let children: Vec<Child> = (0..PROCESSES)
        .map(|id| {
            spawn(
                "writer",
                &path,
                &[
                    ("CHILD_ID", id.to_string()),
                    ("CHILD_COUNT", EACH.to_string()),
                ],
            )
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let entries = ConfigStore::open(&path).entries().unwrap();
    assert_eq!(entries.len(), PROCESSES * EACH * 2);
    let text = std::fs::read_to_string(&path).unwrap();
    let parsed: toml::Table = text.parse().unwrap();
    let profiles = parsed["profiles"].as_table().unwrap();
    assert_eq!(profiles.len(), PROCESSES * EACH);
    for id in 0..PROCESSES {
        for i in 0..EACH {
            let profile = &profiles[&format!("p{id}-{i}")];
            assert_eq!(
                profile["url"].as_str(),
                Some(format!("http://h{id}.example/{i}").as_str())
            );
        }
    }
}

#[test]
fn a_writer_killed_while_holding_the_lock_does_not_block_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "[server]\nurl = \"http://old.example\"\n").unwrap();
    let ready = dir.path().join("ready");
    let mut holder = spawn(
        "holder",
        &path,
        &[("CHILD_READY", ready.display().to_string())],
    );
    let start = Instant::now();
    while !ready.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the holder never took the lock"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    // While it lives, the lock is held.
    let impatient = ConfigStore::open(&path).with_lock_timeout(Duration::from_millis(100));
    assert!(impatient
        .transaction(|tx| tx.set_str("server.namespace", "x"))
        .is_err());

    holder.kill().unwrap(); // SIGKILL
    holder.wait().unwrap();
    let store = ConfigStore::open(&path).with_lock_timeout(Duration::from_secs(5));
    store
        .transaction(|tx| tx.set_str("server.namespace", "after"))
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        "[server]\nurl = \"http://old.example\"\nnamespace = \"after\"\n"
    );
}
