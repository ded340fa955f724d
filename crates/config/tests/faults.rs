//! Every step of the commit protocol, crashed or failed: the file is always the old one or the
//! new one, whole, and the next writer succeeds and cleans up.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::needless_range_loop)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cleveragents_config::fs::{Fault, FaultyFs, Op};
use cleveragents_config::{ConfigStore, Error, Value};

const OLD: &str = "# my servers\n[server]\nurl = \"http://old.example\"\nnamespace = \"old\"\ntls-verify = true\n\n[ui]\ntheme = \"dark\"\n";
const STALE_TEMP: &str = ".config.toml.tmp";

struct Case {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Case {
    /// A config directory holding `old` (or no file), plus a temp file a crashed writer left.
    fn new(old: Option<&str>) -> Case {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        if let Some(old) = old {
            std::fs::write(&path, old).unwrap();
        }
        std::fs::write(dir.path().join(STALE_TEMP), "half a file").unwrap();
        Case { _dir: dir, path }
    }

    fn store(&self, fault: Fault) -> (ConfigStore, Arc<FaultyFs>) {
        let fs = Arc::new(FaultyFs::new(fault));
        (ConfigStore::open(&self.path).with_fs(fs.clone()), fs)
    }

    fn content(&self) -> Option<Vec<u8>> {
        std::fs::read(&self.path).ok()
    }

    fn temps(&self) -> Vec<String> {
        std::fs::read_dir(self.path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.ends_with(".tmp"))
            .collect()
    }
}

/// The #993 change: three keys in one transaction.
fn connect(store: &ConfigStore) -> cleveragents_config::Result<cleveragents_config::ChangeSet> {
    store
        .transaction(|tx| {
            tx.set_str("server.url", "https://new.example")?;
            tx.set_str("server.namespace", "new")?;
            tx.set("server.tls-verify", false)
        })
        .map(cleveragents_config::Committed::into_changes)
}

/// The calls a clean commit makes, and the bytes it writes.
fn clean_run(old: Option<&str>) -> (Vec<Op>, Vec<u8>) {
    let case = Case::new(old);
    let (store, fs) = case.store(Fault::None);
    connect(&store).unwrap();
    (fs.ops(), case.content().unwrap())
}

#[test]
fn the_commit_path_makes_the_expected_calls() {
    let (ops, _) = clean_run(Some(OLD));
    use Op::*;
    assert_eq!(
        ops,
        [
            ReadLink, OpenLock, TryLock, Read, CreateNew, RemoveFile, CreateNew, WriteAll,
            SyncData, Rename, SyncDir
        ]
    );
    // Without a crashed writer's leftover, nothing is removed.
    let case = Case::new(Some(OLD));
    std::fs::remove_file(case.path.with_file_name(STALE_TEMP)).unwrap();
    let (store, fs) = case.store(Fault::None);
    connect(&store).unwrap();
    assert_eq!(
        fs.ops(),
        [ReadLink, OpenLock, TryLock, Read, CreateNew, WriteAll, SyncData, Rename, SyncDir]
    );
    assert!(case.temps().is_empty(), "{:?}", case.temps());
}

#[test]
fn a_crash_after_any_step_leaves_the_old_or_the_new_file_whole() {
    for old in [Some(OLD), None] {
        let (ops, new) = clean_run(old);
        let mut saw_old = 0;
        let mut saw_new = 0;
        for index in 0..ops.len() {
            let case = Case::new(old);
            let (store, fs) = case.store(Fault::CrashAfter { index });
            // The process is gone; only a crash after the last step, when the commit is already
            // complete, comes back as success (with a warning).
            let result = connect(&store);
            assert!(
                result.is_err() || index == ops.len() - 1,
                "crash after {:?} reported success",
                ops[index]
            );
            assert!(fs.crashed());
            let content = case.content();
            if content.as_deref() == old.map(str::as_bytes) {
                saw_old += 1;
            } else {
                assert_eq!(
                    content.as_deref(),
                    Some(&new[..]),
                    "torn file after crash at {:?}",
                    ops[index]
                );
                saw_new += 1;
            }
            // Reopening reads a whole document.
            let reopened = ConfigStore::open(&case.path);
            let url = reopened.get("server.url").unwrap();
            assert!(
                matches!(
                    url.as_ref().and_then(Value::as_str),
                    None | Some("http://old.example") | Some("https://new.example")
                ),
                "{url:?}"
            );
            // The next writer is not blocked, succeeds, and removes every temp file.
            reopened
                .transaction(|tx| tx.set_str("server.namespace", "after"))
                .unwrap();
            assert_eq!(
                reopened.get("server.namespace").unwrap(),
                Some(Value::from("after"))
            );
            assert!(
                case.temps().is_empty(),
                "temps left after crash at {:?}: {:?}",
                ops[index],
                case.temps()
            );
        }
        // Crashes before the rename keep the old file; from the rename on, the new one.
        let rename = ops.iter().position(|op| *op == Op::Rename).unwrap();
        assert_eq!((saw_old, saw_new), (rename, ops.len() - rename));
    }
}

#[test]
fn an_io_error_at_any_call_leaves_the_file_byte_identical_or_commits_whole() {
    for old in [Some(OLD), None] {
        let (ops, new) = clean_run(old);
        for index in 0..ops.len() {
            for (errno, text) in [
                (28, "No space left on device"),
                (5, "Input/output error"),
                (13, "Permission denied"),
            ] {
                let case = Case::new(old);
                let (store, _fs) = case.store(Fault::FailCall { index, errno });
                let what = format!("errno {errno} at {:?}", ops[index]);
                match connect(&store) {
                    Err(err) => {
                        assert_eq!(
                            case.content().as_deref(),
                            old.map(str::as_bytes),
                            "{what}: file changed"
                        );
                        let message = err.to_string();
                        assert!(message.contains(text), "{what}: {message}");
                        assert!(
                            message.contains(case.path.parent().unwrap().to_str().unwrap()),
                            "{what}: {message}"
                        );
                        assert!(
                            matches!(err, Error::Io { .. }) && !err.is_invalid_input(),
                            "{what}"
                        );
                        // Our own temp file is removed on the way out: what is left, if anything, is
                        // the crashed writer's, when the failure came before its removal.
                        let temp = case.path.with_file_name(STALE_TEMP);
                        if temp.exists() {
                            assert_eq!(std::fs::read(&temp).unwrap(), b"half a file", "{what}");
                        }
                    }
                    Ok(changes) => {
                        // Only the final directory flush may fail without failing the commit,
                        // and then the new file is in place.
                        assert!(ops[index] == Op::SyncDir, "{what}: success");
                        assert_eq!(case.content().as_deref(), Some(&new[..]), "{what}");
                        assert_eq!(
                            changes.warning().is_some(),
                            ops[index] == Op::SyncDir,
                            "{what}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn bug_993_a_failed_commit_of_three_keys_keeps_all_three_old_values() {
    for needle in ["url", "namespace", "tls-verify"] {
        let case = Case::new(Some(OLD));
        let (store, _) = case.store(Fault::FailWriteContaining {
            needle: needle.as_bytes().to_vec(),
            errno: 28,
        });
        let err = connect(&store).unwrap_err();
        assert!(err.to_string().contains("No space left on device"), "{err}");
        assert_eq!(case.content().as_deref(), Some(OLD.as_bytes()));
        let store = ConfigStore::open(&case.path);
        assert_eq!(
            store.get("server.url").unwrap(),
            Some(Value::from("http://old.example"))
        );
        assert_eq!(
            store.get("server.namespace").unwrap(),
            Some(Value::from("old"))
        );
        assert_eq!(
            store.get("server.tls-verify").unwrap(),
            Some(Value::Bool(true))
        );
    }
    // From an empty configuration, a failed connect leaves no server.url.
    let case = Case::new(None);
    let (store, _) = case.store(Fault::FailWriteContaining {
        needle: b"namespace".to_vec(),
        errno: 5,
    });
    assert!(connect(&store).is_err());
    assert_eq!(
        ConfigStore::open(&case.path).get("server.url").unwrap(),
        None
    );
    assert!(!Path::new(&case.path).exists());
}

#[test]
fn reads_go_through_the_seam_too() {
    let case = Case::new(Some(OLD));
    let (store, fs) = case.store(Fault::FailCall { index: 0, errno: 5 });
    let err = store.get("server.url").unwrap_err();
    assert!(err.to_string().contains("Input/output error"), "{err}");
    assert_eq!(fs.ops(), [Op::Read]);
}

#[test]
fn a_missing_directory_is_created_and_any_failure_on_the_way_leaves_no_file() {
    let fresh = || {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/config.toml");
        (dir, path)
    };
    let (_dir, path) = fresh();
    let fs = Arc::new(FaultyFs::new(Fault::None));
    connect(&ConfigStore::open(&path).with_fs(fs.clone())).unwrap();
    let ops = fs.ops();
    assert_eq!(
        &ops[..4],
        [Op::ReadLink, Op::OpenLock, Op::CreateDirAll, Op::OpenLock]
    );
    for index in 0..ops.len() {
        let (_dir, path) = fresh();
        let fs = Arc::new(FaultyFs::new(Fault::FailCall { index, errno: 13 }));
        match connect(&ConfigStore::open(&path).with_fs(fs)) {
            Err(err) => {
                assert!(!path.exists(), "failure at {:?} left a file", ops[index]);
                assert!(err.to_string().contains("Permission denied"), "{err}");
            }
            Ok(_) => assert_eq!(ops[index], Op::SyncDir),
        }
    }
}

#[test]
fn the_seam_fails_exactly_the_call_it_is_told_to() {
    // A fault past the last call, or a needle no write carries, changes nothing.
    let case = Case::new(Some(OLD));
    let (store, _) = case.store(Fault::FailCall {
        index: 1_000,
        errno: 5,
    });
    connect(&store).unwrap();
    let case = Case::new(Some(OLD));
    let (store, _) = case.store(Fault::FailWriteContaining {
        needle: b"not in the file".to_vec(),
        errno: 5,
    });
    connect(&store).unwrap();
    let (store, _) = case.store(Fault::FailWriteContaining {
        needle: Vec::new(),
        errno: 5,
    });
    store
        .transaction(|tx| tx.set_str("server.namespace", "empty-needle"))
        .unwrap();
    // The write fault fires once: the next transaction through the same seam succeeds.
    let case = Case::new(Some(OLD));
    let (store, fs) = case.store(Fault::FailWriteContaining {
        needle: b"namespace".to_vec(),
        errno: 28,
    });
    assert!(connect(&store).is_err());
    connect(&store).unwrap();
    assert_eq!(fs.ops().iter().filter(|op| **op == Op::WriteAll).count(), 2);
    // A failed call is the one asked for: the calls before it ran, none after it but clean-up.
    let case = Case::new(Some(OLD));
    let (store, fs) = case.store(Fault::FailCall { index: 3, errno: 5 });
    assert!(connect(&store).is_err());
    assert_eq!(
        fs.ops(),
        [Op::ReadLink, Op::OpenLock, Op::TryLock, Op::Read]
    );
}

/// The owner and group of a file.
fn owner(path: &Path) -> (u32, u32) {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).unwrap();
    (meta.uid(), meta.gid())
}

#[test]
fn another_users_file_keeps_its_owner_and_every_failure_on_the_way_leaves_it_whole() {
    // Root (`sudo cleveragents ...`) rewriting the file of user 65534. Not root: nothing to show.
    let case = Case::new(Some(OLD));
    if std::os::unix::fs::chown(&case.path, Some(65534), Some(65534)).is_err() {
        eprintln!("skipped: changing a file's owner needs root");
        return;
    }
    let (store, fs) = case.store(Fault::None);
    connect(&store).unwrap();
    use Op::*;
    let ops = fs.ops();
    assert_eq!(
        ops,
        [
            ReadLink, OpenLock, TryLock, Read, SetOwner, CreateNew, RemoveFile, CreateNew,
            SetOwner, WriteAll, SyncData, Rename, SyncDir
        ]
    );
    assert_eq!(owner(&case.path), (65534, 65534));
    assert_eq!(
        owner(&case.path.with_file_name("config.toml.lock")),
        (65534, 65534)
    );
    for index in 0..ops.len() - 1 {
        let case = Case::new(Some(OLD));
        std::os::unix::fs::chown(&case.path, Some(65534), Some(65534)).unwrap();
        let (store, _) = case.store(Fault::FailCall { index, errno: 1 });
        let err = connect(&store).unwrap_err();
        assert_eq!(
            case.content().as_deref(),
            Some(OLD.as_bytes()),
            "{:?}",
            ops[index]
        );
        assert_eq!(owner(&case.path), (65534, 65534));
        if ops[index] == SetOwner {
            assert!(
                err.to_string().starts_with("cannot keep the owner of "),
                "{err}"
            );
        }
    }
}

#[test]
fn a_read_only_file_is_refused_and_a_dry_run_writes_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let case = Case::new(Some(OLD));
    std::fs::set_permissions(&case.path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let (store, fs) = case.store(Fault::None);
    let err = connect(&store).unwrap_err();
    assert!(matches!(err, Error::ReadOnly { mode: 0o444, .. }), "{err}");
    assert!(!err.is_invalid_input());
    let hint = err.hint().unwrap();
    assert!(
        hint.ends_with(&format!("chmod u+w {}", case.path.display())),
        "{hint}"
    );
    assert_eq!(case.content().as_deref(), Some(OLD.as_bytes()));
    assert!(!fs.ops().contains(&Op::CreateNew));
    // Nothing to change is not refused: nothing is written.
    store
        .transaction(|tx| tx.set_str("server.namespace", "old"))
        .unwrap();

    // A dry run takes no lock and writes nothing, not even the lock file or the directory.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/config.toml");
    let fs = Arc::new(FaultyFs::new(Fault::None));
    let store = ConfigStore::open(&path)
        .with_fs(fs.clone())
        .with_dry_run(true);
    let changes = connect(&store).unwrap();
    assert!(changes.is_dry_run());
    assert_eq!(changes.len(), 3);
    assert_eq!(fs.ops(), [Op::ReadLink, Op::Read]);
    assert!(!dir.path().join("sub").exists());
}
