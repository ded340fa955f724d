//! The file system seam: every file operation of the store goes through [`Fs`].
//!
//! [`RealFs`] is the operating system. [`FaultyFs`] wraps it to make chosen calls fail with an
//! OS error or to "crash" the process at any point, so tests can prove that no failure leaves a
//! half-written configuration.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

/// The file operations the store performs, one method per system call that can fail.
pub trait Fs: Send + Sync + std::fmt::Debug {
    /// Reads a whole file and its permission bits through one open file; `Ok(None)` when it
    /// does not exist.
    fn read(&self, path: &Path) -> io::Result<Option<Contents>>;
    /// The target of a symbolic link, or `None` when `path` is not a link (or does not exist).
    fn read_link(&self, path: &Path) -> io::Result<Option<PathBuf>>;
    /// Creates a directory and its parents, new ones with mode 0700.
    fn create_dir_all(&self, path: &Path) -> io::Result<()>;
    /// Opens (creating if needed) the lock file.
    fn open_lock(&self, path: &Path) -> io::Result<File>;
    /// Tries to take an exclusive advisory lock; `Ok(false)` when another holder has it.
    fn try_lock(&self, file: &File) -> io::Result<bool>;
    /// Removes a file.
    fn remove_file(&self, path: &Path) -> io::Result<()>;
    /// Creates a new file exclusively (fails if it exists) with the given permission bits.
    fn create_new(&self, path: &Path, mode: u32) -> io::Result<File>;
    /// Writes all bytes.
    fn write_all(&self, file: &mut File, bytes: &[u8]) -> io::Result<()>;
    /// Flushes a file's data (and the metadata needed to read it back) to stable storage.
    fn sync_data(&self, file: &File) -> io::Result<()>;
    /// Atomically renames `from` over `to`.
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Flushes a directory, making a rename in it durable.
    fn sync_dir(&self, dir: &Path) -> io::Result<()>;
    /// Gives an open file this owner and group (`fchown`): a file rewritten by another user
    /// (root) stays its owner's.
    fn set_owner(&self, file: &File, owner: Owner) -> io::Result<()>;
}

/// A file's owner and group, as numeric ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Owner {
    /// The owner's user id.
    pub uid: u32,
    /// The group id.
    pub gid: u32,
}

impl Owner {
    /// The user and group this process creates files as (its effective ids).
    pub fn of_process() -> Option<Owner> {
        #[cfg(unix)]
        {
            Some(Owner {
                uid: rustix::process::geteuid().as_raw(),
                gid: rustix::process::getegid().as_raw(),
            })
        }
        #[cfg(not(unix))]
        {
            None
        }
    }
}

/// A file's bytes and permission bits, as [`Fs::read`] returns them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contents {
    /// The whole file.
    pub bytes: Vec<u8>,
    /// Its permission bits (`0o7777` mask), kept by the file that replaces it.
    pub mode: u32,
    /// Its owner and group, kept by the file that replaces it (`None` where the platform has
    /// no such notion).
    pub owner: Option<Owner>,
}

/// The real file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct RealFs;

impl Fs for RealFs {
    fn read(&self, path: &Path) -> io::Result<Option<Contents>> {
        let mut file = match File::open(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            opened => opened?,
        };
        let meta = file.metadata()?;
        #[cfg(unix)]
        let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o7777;
        #[cfg(unix)]
        let owner = Some(Owner {
            uid: std::os::unix::fs::MetadataExt::uid(&meta),
            gid: std::os::unix::fs::MetadataExt::gid(&meta),
        });
        #[cfg(not(unix))]
        let (mode, owner) = (0o600, None);
        let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
        file.read_to_end(&mut bytes)?;
        Ok(Some(Contents { bytes, mode, owner }))
    }

    fn read_link(&self, path: &Path) -> io::Result<Option<PathBuf>> {
        match std::fs::read_link(path) {
            Ok(target) => Ok(Some(target)),
            // EINVAL: not a link; NotFound: nothing there yet.
            Err(e)
                if e.kind() == io::ErrorKind::NotFound
                    || e.kind() == io::ErrorKind::InvalidInput =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(path)
    }

    fn open_lock(&self, path: &Path) -> io::Result<File> {
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(path)
    }

    fn try_lock(&self, file: &File) -> io::Result<bool> {
        match file.try_lock() {
            Ok(()) => Ok(true),
            Err(std::fs::TryLockError::WouldBlock) => Ok(false),
            Err(std::fs::TryLockError::Error(e)) => Err(e),
        }
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        std::fs::remove_file(path)
    }

    fn create_new(&self, path: &Path, mode: u32) -> io::Result<File> {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
        let file = options.open(path)?;
        // The umask may have narrowed the mode; the old file's mode is kept exactly. Changing
        // it dirties the inode (more for the flush to write), so only when it differs.
        #[cfg(unix)]
        if mode != 0o600 {
            use std::os::unix::fs::PermissionsExt;
            if file.metadata()?.permissions().mode() & 0o7777 != mode {
                file.set_permissions(PermissionsExt::from_mode(mode))?;
            }
        }
        #[cfg(not(unix))]
        let _ = mode;
        Ok(file)
    }

    fn write_all(&self, file: &mut File, bytes: &[u8]) -> io::Result<()> {
        file.write_all(bytes)
    }

    fn sync_data(&self, file: &File) -> io::Result<()> {
        file.sync_data()
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::rename(from, to)
    }

    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        #[cfg(unix)]
        {
            File::open(dir)?.sync_all()
        }
        #[cfg(not(unix))]
        {
            let _ = dir;
            Ok(())
        }
    }

    fn set_owner(&self, file: &File, owner: Owner) -> io::Result<()> {
        #[cfg(unix)]
        {
            std::os::unix::fs::fchown(file, Some(owner.uid), Some(owner.gid))
        }
        #[cfg(not(unix))]
        {
            let _ = (file, owner);
            Ok(())
        }
    }
}

/// One operation of the [`Fs`] seam, as recorded by [`FaultyFs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// [`Fs::read`]
    Read,
    /// [`Fs::read_link`]
    ReadLink,
    /// [`Fs::create_dir_all`]
    CreateDirAll,
    /// [`Fs::open_lock`]
    OpenLock,
    /// [`Fs::try_lock`]
    TryLock,
    /// [`Fs::remove_file`]
    RemoveFile,
    /// [`Fs::create_new`]
    CreateNew,
    /// [`Fs::write_all`]
    WriteAll,
    /// [`Fs::sync_data`]
    SyncData,
    /// [`Fs::rename`]
    Rename,
    /// [`Fs::sync_dir`]
    SyncDir,
    /// [`Fs::set_owner`]
    SetOwner,
}

/// What [`FaultyFs`] does to the calls it sees.
#[derive(Clone, Debug, Default)]
pub enum Fault {
    /// Nothing: every call goes to the real file system (useful to record the calls).
    #[default]
    None,
    /// The call with this 0-based index fails with this OS error number; later calls succeed.
    FailCall {
        /// Index of the call among all calls made through this `FaultyFs`.
        index: usize,
        /// `libc` error number, e.g. 28 (`ENOSPC`) or 5 (`EIO`).
        errno: i32,
    },
    /// The first write whose bytes contain `needle` fails with `errno` (e.g. the write that
    /// carries a given key's new value).
    FailWriteContaining {
        /// Bytes to look for in the written data.
        needle: Vec<u8>,
        /// `libc` error number.
        errno: i32,
    },
    /// The process "dies" just after the call with this index completes: that call takes
    /// effect, and it and every later call fail, so no clean-up can run — the file system is
    /// left exactly as a killed process would leave it.
    CrashAfter {
        /// Index of the last call that takes effect.
        index: usize,
    },
}

/// A fault-injecting [`Fs`] for tests: records every call and applies one [`Fault`].
///
/// ```
/// use std::sync::Arc;
/// use cleveragents_config::{ConfigStore, fs::{Fault, FaultyFs}};
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("config.toml");
/// let fs = Arc::new(FaultyFs::new(Fault::FailWriteContaining { needle: b"url".to_vec(), errno: 28 }));
/// let store = ConfigStore::open(&path).with_fs(fs.clone());
/// let err = store.transaction(|tx| tx.set_str("server.url", "https://a.example")).unwrap_err();
/// assert!(err.to_string().contains("No space left on device"));
/// assert!(!path.exists());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct FaultyFs {
    fault: Fault,
    calls: AtomicUsize,
    crashed: AtomicBool,
    write_fault_used: AtomicBool,
    log: Mutex<Vec<Op>>,
}

impl FaultyFs {
    /// A seam applying `fault`.
    pub fn new(fault: Fault) -> FaultyFs {
        FaultyFs {
            fault,
            ..FaultyFs::default()
        }
    }

    /// The operations seen so far, in order.
    pub fn ops(&self) -> Vec<Op> {
        self.log.lock().map(|log| log.clone()).unwrap_or_default()
    }

    /// True once a [`Fault::CrashAfter`] has fired.
    pub fn crashed(&self) -> bool {
        self.crashed.load(Ordering::SeqCst)
    }

    fn call<T>(&self, op: Op, real: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
        if self.crashed() {
            return Err(io::Error::other("simulated crash: the process is gone"));
        }
        let index = self.calls.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut log) = self.log.lock() {
            log.push(op);
        }
        match self.fault {
            Fault::FailCall { index: at, errno } if at == index => {
                Err(io::Error::from_raw_os_error(errno))
            }
            Fault::CrashAfter { index: at } if at == index => {
                let _ = real();
                self.crashed.store(true, Ordering::SeqCst);
                Err(io::Error::other("simulated crash: the process is gone"))
            }
            _ => real(),
        }
    }
}

impl Fs for FaultyFs {
    fn read(&self, path: &Path) -> io::Result<Option<Contents>> {
        self.call(Op::Read, || RealFs.read(path))
    }
    fn read_link(&self, path: &Path) -> io::Result<Option<PathBuf>> {
        self.call(Op::ReadLink, || RealFs.read_link(path))
    }
    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        self.call(Op::CreateDirAll, || RealFs.create_dir_all(path))
    }
    fn open_lock(&self, path: &Path) -> io::Result<File> {
        self.call(Op::OpenLock, || RealFs.open_lock(path))
    }
    fn try_lock(&self, file: &File) -> io::Result<bool> {
        self.call(Op::TryLock, || RealFs.try_lock(file))
    }
    fn remove_file(&self, path: &Path) -> io::Result<()> {
        self.call(Op::RemoveFile, || RealFs.remove_file(path))
    }
    fn create_new(&self, path: &Path, mode: u32) -> io::Result<File> {
        self.call(Op::CreateNew, || RealFs.create_new(path, mode))
    }
    fn write_all(&self, file: &mut File, bytes: &[u8]) -> io::Result<()> {
        if let Fault::FailWriteContaining { needle, errno } = &self.fault {
            let hit =
                !needle.is_empty() && bytes.windows(needle.len()).any(|w| w == needle.as_slice());
            if hit && !self.write_fault_used.swap(true, Ordering::SeqCst) {
                if let Ok(mut log) = self.log.lock() {
                    log.push(Op::WriteAll);
                }
                self.calls.fetch_add(1, Ordering::SeqCst);
                return Err(io::Error::from_raw_os_error(*errno));
            }
        }
        self.call(Op::WriteAll, || RealFs.write_all(file, bytes))
    }
    fn sync_data(&self, file: &File) -> io::Result<()> {
        self.call(Op::SyncData, || RealFs.sync_data(file))
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.call(Op::Rename, || RealFs.rename(from, to))
    }
    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        self.call(Op::SyncDir, || RealFs.sync_dir(dir))
    }
    fn set_owner(&self, file: &File, owner: Owner) -> io::Result<()> {
        self.call(Op::SetOwner, || RealFs.set_owner(file, owner))
    }
}
