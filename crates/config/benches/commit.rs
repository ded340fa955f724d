//! Store benchmarks, each beside its floor in the same run.
//!
//! - `commit_3_keys/store` vs `commit_3_keys/floor`: a 3-key transaction against the bare
//!   minimum a durable replace costs (write a temp file, `fdatasync`, rename, flush the
//!   directory) of the same bytes.
//! - `get_10000_keys`: one `get` on a file of 10,000 keys (read + parse).
//! - `commit_scaling/{store,floor}/N`: the 3-key commit on files of 10, 1,000 and 10,000 keys.
//!
//! `scripts/bench-store` runs this and prints the ratios.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::fs::File;
use std::io::Write;
use std::path::Path;

use cleveragents_config::ConfigStore;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

/// A file with `keys` keys: `[server]` (3) plus profiles of 5 keys each.
fn config_text(keys: usize) -> String {
    let mut text = String::from(
        "[server]\nurl = \"http://a.example\"\nnamespace = \"a\"\ntls-verify = true\n",
    );
    let mut n = 3;
    let mut p = 0;
    while n < keys {
        text.push_str(&format!("\n[profiles.p{p}]\n"));
        for (k, v) in [
            ("url", format!("\"https://h{p}.example\"")),
            ("namespace", format!("\"ns{p}\"")),
            ("tls-verify", "true".into()),
            ("timeout", "\"10s\"".into()),
            ("ca-cert", format!("\"/etc/ca/{p}.pem\"")),
        ] {
            if n < keys {
                text.push_str(&format!("{k} = {v}\n"));
                n += 1;
            }
        }
        p += 1;
    }
    text
}

/// The floor: the physical minimum of a durable atomic replace.
fn floor_replace(dir: &Path, target: &Path, bytes: &[u8]) {
    let temp = dir.join(".floor.tmp");
    let mut file = File::options()
        .write(true)
        .create_new(true)
        .open(&temp)
        .unwrap();
    file.write_all(bytes).unwrap();
    file.sync_data().unwrap();
    drop(file);
    std::fs::rename(&temp, target).unwrap();
    File::open(dir).unwrap().sync_all().unwrap();
}

fn commit(store: &ConfigStore, i: u64) {
    let flip = i.is_multiple_of(2);
    store
        .transaction(|tx| {
            tx.set_str(
                "server.url",
                if flip {
                    "https://b.example"
                } else {
                    "http://a.example"
                },
            )?;
            tx.set_str("server.namespace", if flip { "b" } else { "a" })?;
            tx.set("server.tls-verify", !flip)
        })
        .unwrap();
}

fn bench_commit(c: &mut Criterion) {
    let dir = tempfile::tempdir_in(
        std::env::var_os("BENCH_DIR").unwrap_or_else(|| std::env::temp_dir().into()),
    )
    .unwrap();
    let path = dir.path().join("config.toml");
    let mut group = c.benchmark_group("commit_3_keys");
    std::fs::write(&path, config_text(3)).unwrap();
    let store = ConfigStore::open(&path);
    let mut i = 0;
    group.bench_function("store", |b| {
        b.iter(|| {
            i += 1;
            commit(&store, i)
        })
    });
    let bytes = std::fs::read(&path).unwrap();
    let floor_target = dir.path().join("floor.toml");
    group.bench_function("floor", |b| {
        b.iter(|| floor_replace(dir.path(), &floor_target, &bytes))
    });
    group.finish();
}

fn bench_get(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, config_text(10_000)).unwrap();
    let store = ConfigStore::open(&path);
    assert_eq!(store.entries().unwrap().len(), 10_000);
    c.bench_function("get_10000_keys", |b| {
        b.iter(|| store.get("profiles.p1000.namespace").unwrap().unwrap())
    });
}

fn bench_scaling(c: &mut Criterion) {
    let dir = tempfile::tempdir_in(
        std::env::var_os("BENCH_DIR").unwrap_or_else(|| std::env::temp_dir().into()),
    )
    .unwrap();
    let mut group = c.benchmark_group("commit_scaling");
    for keys in [10, 1_000, 10_000] {
        let path = dir.path().join(format!("config-{keys}.toml"));
        std::fs::write(&path, config_text(keys)).unwrap();
        let store = ConfigStore::open(&path);
        let mut i = 0;
        group.bench_with_input(BenchmarkId::new("store", keys), &keys, |b, _| {
            b.iter(|| {
                i += 1;
                commit(&store, i)
            })
        });
        let bytes = std::fs::read(&path).unwrap();
        let floor_target = dir.path().join(format!("floor-{keys}.toml"));
        group.bench_with_input(BenchmarkId::new("floor", keys), &keys, |b, _| {
            b.iter(|| floor_replace(dir.path(), &floor_target, &bytes))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_commit, bench_get, bench_scaling);
criterion_main!(benches);
