//! The durable replace protocol. All of it is here:
//!
//! 1. resolve the path through symbolic links (the link stays a link; its target is replaced);
//! 2. create the parent directory (mode 0700) if the lock file cannot be opened for lack of it;
//! 3. take an exclusive advisory lock on the sidecar `<file>.lock`, waiting at most the
//!    configured bound — the kernel drops it when its holder dies, so a killed writer never
//!    blocks the next one, and the lock file is never deleted (deleting it would let two
//!    writers lock two different inodes);
//! 4. read the current bytes under the lock (missing = empty) and let the caller compute the
//!    new bytes; nothing to change stops here, and so does a dry run;
//! 5. refuse a file without its owner's write permission (`chmod 444`): rename would replace
//!    it regardless, and the user made it read-only on purpose;
//! 6. when the file belongs to another user (root writing a user's file), give the lock file
//!    and the temp file that owner and group, so the user keeps their file;
//! 7. write the new bytes to a temp file created exclusively in the same directory, with the
//!    old file's mode (new files 0600), and flush it (`fdatasync`); when a crashed writer left
//!    its temp file (`.<file>.tmp`), creating ours fails, and the leftover is removed first;
//! 8. rename it over the file and flush the directory (a failed flush after the rename is
//!    reported as a warning, not an error: the new file is already what every reader sees);
//! 9. unlock (by dropping the lock file handle).
//!
//! A crash at any point leaves the old file or the new one, whole.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::fs::{Fs, Owner};

/// The temp file is `.<file name>.tmp`, beside the file. Only the lock holder writes it, so one
/// fixed name suffices, and a crashed writer's leftover is found without listing the directory.
const TEMP_SUFFIX: &str = ".tmp";

/// The outcome of [`commit`].
#[derive(Debug)]
pub(crate) enum Outcome<T> {
    /// The new bytes replaced the file. `unflushed` holds the error of the directory flush if
    /// that failed: the rename is done and visible to every reader, so the change stands (and
    /// is not reported as a failure that changed the file), but a power loss may undo it.
    Written { value: T, unflushed: Option<Error> },
    /// The caller decided nothing changes, or it was a dry run; nothing was written.
    Unchanged(T),
}

/// Whether [`commit`] writes what the caller computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Write it.
    Write,
    /// Compute it and stop before writing (refusals that writing would meet still apply).
    DryRun,
}

/// Resolves `path` through symbolic links so the link's target is what gets replaced.
pub(crate) fn resolve(fs: &dyn Fs, path: &Path) -> Result<PathBuf> {
    let mut current = path.to_path_buf();
    // A bound on link chains, as the kernel has (ELOOP).
    for _ in 0..40 {
        match fs
            .read_link(&current)
            .map_err(|e| Error::io("resolve", &current, e))?
        {
            // Relative to the link's directory; `join` keeps an absolute target as it is.
            Some(target) => current = current.parent().unwrap_or(Path::new("")).join(target),
            None => return Ok(current),
        }
    }
    Err(Error::io(
        "resolve",
        path,
        std::io::Error::other("too many levels of symbolic links"),
    ))
}

/// The sidecar lock file of a configuration file.
pub(crate) fn lock_path(target: &Path) -> PathBuf {
    sibling(target, ".lock", "")
}

fn sibling(target: &Path, suffix: &str, prefix: &str) -> PathBuf {
    let mut name = std::ffi::OsString::from(prefix);
    name.push(target.file_name().unwrap_or_default());
    name.push(suffix);
    target.with_file_name(name)
}

fn parent_dir(target: &Path) -> &Path {
    // `config.toml` has the parent "", which names the current directory.
    target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Runs the protocol on `path`. `change` gets the current bytes (`None`: no file) and returns
/// the new bytes, or `None` to write nothing, plus a value handed back to the caller.
pub(crate) fn commit<T>(
    fs: &dyn Fs,
    path: &Path,
    lock_timeout: Duration,
    run: Mode,
    change: impl FnOnce(&Path, Option<Vec<u8>>) -> Result<(Option<Vec<u8>>, T)>,
) -> Result<Outcome<T>> {
    let target = resolve(fs, path)?;
    let dir = parent_dir(&target);
    // A dry run takes no lock: it creates nothing, not even the lock file or its directory.
    let lock = match run {
        Mode::Write => Some(acquire_lock(fs, &target, lock_timeout)?),
        Mode::DryRun => None,
    };
    let temp = sibling(&target, TEMP_SUFFIX, ".");

    let current = fs
        .read(&target)
        .map_err(|e| Error::io("read", &target, e))?;
    let mode = current.as_ref().map_or(0o600, |c| c.mode);
    let exists = current.is_some();
    // Only another user's file needs its owner given back: a file is created as its writer.
    let owner = current
        .as_ref()
        .and_then(|c| c.owner)
        .filter(|owner| Owner::of_process().is_some_and(|me| me.uid != owner.uid));
    let (new_bytes, value) = change(&target, current.map(|c| c.bytes))?;
    let Some(bytes) = new_bytes else {
        return Ok(Outcome::Unchanged(value));
    };
    if exists && mode & 0o200 == 0 {
        return Err(Error::ReadOnly { path: target, mode });
    }
    let Some(lock) = lock else {
        return Ok(Outcome::Unchanged(value));
    };
    if let Some(owner) = owner {
        fs.set_owner(&lock.file, owner)
            .map_err(|e| Error::io("keep the owner of", lock_path(&target), e))?;
    }

    let written = write_temp(fs, &temp, mode, owner, &bytes).and_then(|()| {
        fs.rename(&temp, &target)
            .map_err(|e| Error::io("rename", &temp, e))
    });
    if let Err(err) = written {
        // Best effort: if even this fails, the next writer removes the temp under the lock.
        let _ = fs.remove_file(&temp);
        return Err(err);
    }
    let unflushed = fs
        .sync_dir(dir)
        .err()
        .map(|e| Error::io("flush directory", dir, e));
    Ok(Outcome::Written { value, unflushed })
}

fn write_temp(
    fs: &dyn Fs,
    temp: &Path,
    mode: u32,
    owner: Option<Owner>,
    bytes: &[u8],
) -> Result<()> {
    let mut file = match fs.create_new(temp, mode) {
        // A crashed writer's leftover: under the lock, nobody else's.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            remove_stale_temp(fs, temp)?;
            fs.create_new(temp, mode)
        }
        created => created,
    }
    .map_err(|e| Error::io("create", temp, e))?;
    if let Some(owner) = owner {
        fs.set_owner(&file, owner)
            .map_err(|e| Error::io("keep the owner of", temp, e))?;
    }
    fs.write_all(&mut file, bytes)
        .map_err(|e| Error::io("write", temp, e))?;
    fs.sync_data(&file).map_err(|e| Error::io("flush", temp, e))
}

/// An exclusive lock on the sidecar lock file, released when dropped (or when the process dies).
#[derive(Debug)]
pub(crate) struct Lock {
    file: std::fs::File,
}

fn acquire_lock(fs: &dyn Fs, target: &Path, timeout: Duration) -> Result<Lock> {
    let path = lock_path(target);
    // The directory usually exists: create it only when opening the lock says it does not.
    let file = match fs.open_lock(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let dir = parent_dir(target);
            fs.create_dir_all(dir)
                .map_err(|e| Error::io("create directory", dir, e))?;
            fs.open_lock(&path)
        }
        opened => opened,
    }
    .map_err(|e| Error::io("open lock file", &path, e))?;
    let start = Instant::now();
    let mut pause = Duration::from_micros(200);
    loop {
        if fs
            .try_lock(&file)
            .map_err(|e| Error::io("lock", &path, e))?
        {
            return Ok(Lock { file });
        }
        let waited = start.elapsed();
        if waited >= timeout {
            return Err(Error::LockTimeout { path, waited });
        }
        // A few milliseconds past the bound at most: the pause never exceeds 5 ms.
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(5));
    }
}

/// Removes the temp file a writer that died holding the lock left behind.
fn remove_stale_temp(fs: &dyn Fs, temp: &Path) -> Result<()> {
    match fs.remove_file(temp) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(Error::io("remove the stale temp file", temp, e))
        }
        _ => Ok(()),
    }
}
