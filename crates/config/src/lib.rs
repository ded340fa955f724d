//! A transactional, crash-safe store for the CleverAgents client's TOML configuration.
//!
//! Every change is a [`ConfigStore::transaction`]: the closure sees a fresh read of the file
//! taken under an exclusive lock, all of its edits are validated against the [`schema`]
//! together, and they reach the disk in one atomic replace — or not at all. A crash, a
//! `kill -9`, a full disk or an I/O error at any step leaves the old file or the new one, whole
//! (see [`commit`](crate#the-commit-protocol)). Readers take no lock.
//!
//! ```
//! use cleveragents_config::{ConfigStore, Value};
//! let dir = tempfile::tempdir()?;
//! let store = ConfigStore::open(dir.path().join("config.toml"));
//! store.transaction(|tx| {
//!     tx.set_str("server.url", "http://localhost:8080")?;
//!     tx.set_str("server.namespace", "default")?;
//!     tx.set_str("server.tls-verify", "false")
//! })?;
//! assert_eq!(store.get("server.tls-verify")?, Some(Value::Bool(false)));
//!
//! // A bad value refuses the whole transaction; the file is left as it was.
//! let before = std::fs::read(store.path())?;
//! let err = store.transaction(|tx| {
//!     tx.set_str("server.url", "https://other.example")?;
//!     tx.set_str("server.namespace", "Not Valid")
//! });
//! assert!(err.is_err());
//! assert_eq!(std::fs::read(store.path())?, before);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The commit protocol
//!
//! Lock `<file>.lock` (kernel advisory lock: released when its holder dies; bounded wait) →
//! remove temp files of crashed writers → read and parse under the lock (a file that does not
//! parse is never overwritten) → apply the edits to a format-preserving `toml_edit` document →
//! validate → stop if nothing changed → write a temp file in the same directory (exclusive
//! create, old mode or 0600) → `fdatasync` → rename over the file → flush the directory →
//! unlock. A symbolic link is written through: its target is replaced.
//!
//! # Keys
//!
//! Dotted keys map to tables: `server.tls-verify` is `tls-verify` in `[server]`. The known
//! keys, their types and rules are in [`schema::KEYS`]; unknown keys are refused with a
//! suggestion, but those already in a file are kept and reported by
//! [`ConfigStore::validate`].
//!
//! # Testing failures
//!
//! Every file operation goes through the [`fs::Fs`] seam; [`fs::FaultyFs`] makes any call fail
//! with an OS error or simulates a crash after it.

mod commit;
mod doc;
mod error;
pub mod fs;
mod key;
mod scan;
pub mod schema;
mod store;
mod value;

pub use error::{Error, Result};
pub use key::Key;
pub use store::{
    Change, ChangeSet, Committed, ConfigStore, Problem, Snapshot, Transaction, Version,
    DEFAULT_LOCK_TIMEOUT,
};
pub use value::Value;
