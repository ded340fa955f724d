//! Config-file loading plus one transaction, on arbitrary file bytes.
//!
//! Never panics. `get`, `entries` and `validate` may fail but not crash. Then a transaction
//! sets a few keys (fuzzed or valid values):
//! - the file did not parse: the transaction fails and the file is byte-identical;
//! - the transaction failed: the file is byte-identical and no temp file is left;
//! - it succeeded: the file parses (with `toml_edit` via the store and independently with
//!   `toml`), holds the new values, and every other value that was there is still there.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use cleveragents_config::{schema, ConfigStore, Key, Value};
use libfuzzer_sys::fuzz_target;

/// Which key to set.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Url,
    Namespace,
    TlsVerify,
    Timeout,
    CaCert,
    ProfileUrl,
    ProfileNamespace,
}

const SLOTS: [Slot; 7] = [
    Slot::Url,
    Slot::Namespace,
    Slot::TlsVerify,
    Slot::Timeout,
    Slot::CaCert,
    Slot::ProfileUrl,
    Slot::ProfileNamespace,
];

/// Input layout: `HEADER \0 FILE`. Each header line is a slot digit followed by the text to
/// set, `*` meaning "a valid value for that key". Without a `\0` the whole input is the
/// file and the transaction is the #993 one (url, namespace, tls-verify, all valid), so a
/// plain TOML file is a useful seed.
fn decode(data: &[u8]) -> (Vec<(Slot, String)>, &[u8]) {
    let Some(nul) = data.iter().position(|b| *b == 0) else {
        let sets = [Slot::Url, Slot::Namespace, Slot::TlsVerify]
            .iter()
            .map(|s| (*s, s.valid().to_string()))
            .collect();
        return (sets, data);
    };
    let header = String::from_utf8_lossy(&data[..nul]);
    let sets = header
        .split('\n')
        .filter_map(|line| {
            let mut chars = line.chars();
            let slot = SLOTS[chars.next()?.to_digit(10)? as usize % SLOTS.len()];
            let text = chars.as_str();
            let text = if text == "*" { slot.valid() } else { text };
            Some((slot, text.to_string()))
        })
        .take(8)
        .collect();
    (sets, &data[nul + 1..])
}

impl Slot {
    fn key(self) -> &'static str {
        match self {
            Slot::Url => "server.url",
            Slot::Namespace => "server.namespace",
            Slot::TlsVerify => "server.tls-verify",
            Slot::Timeout => "server.timeout",
            Slot::CaCert => "server.ca-cert",
            Slot::ProfileUrl => "profiles.fz.url",
            Slot::ProfileNamespace => "profiles.fz.namespace",
        }
    }
    fn valid(self) -> &'static str {
        match self {
            Slot::Url | Slot::ProfileUrl => "http://new.example:8080/",
            Slot::Namespace | Slot::ProfileNamespace => "new",
            Slot::TlsVerify => "no",
            Slot::Timeout => "1m30s",
            Slot::CaCert => "/etc/ca.pem",
        }
    }
}

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        // tmpfs where available: fsync there costs nothing, so the fuzzer runs faster.
        let base = if std::path::Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("cleveragents-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok();
        dir
    })
}

fn related(a: &Key, b: &Key) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

fuzz_target!(|data: &[u8]| {
    let (sets, file) = decode(data);
    let path = dir().join("config.toml");
    std::fs::write(&path, file).expect("write the fuzz input");
    let store = ConfigStore::open(&path);

    let _ = store.get("server.url");
    let _ = store.get("profiles.fz.namespace");
    let entries = store.entries();
    let parsed = entries.is_ok();
    let _ = store.validate();
    if let Ok(snapshot) = store.load() {
        let _ = snapshot.text();
    }

    let result = store.transaction(|tx| {
        for (slot, text) in &sets {
            tx.set_str(slot.key(), text)?;
        }
        Ok(())
    });

    let after = std::fs::read(&path).expect("the file is still there");
    let temps: Vec<_> = std::fs::read_dir(dir())
        .expect("list the fuzz dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .map(|e| e.file_name())
        .collect();
    assert!(temps.is_empty(), "temp files left behind: {temps:?}");

    match result {
        Err(_) => assert!(after == file, "a failed transaction changed the file"),
        Ok(changes) => {
            assert!(parsed, "a file that did not parse was written over");
            let text = std::str::from_utf8(&after).expect("written file is UTF-8");
            if let Err(e) = text.parse::<toml::Table>() {
                panic!("written file does not parse with `toml`: {e}\n{text}");
            }
            if changes.is_empty() {
                assert!(after == file, "an empty change set wrote the file");
            }
            // The last write of each key wins; each must be there, as its schema normalises it.
            let mut last = std::collections::BTreeMap::new();
            for (slot, text) in &sets {
                last.insert(slot.key(), text.clone());
            }
            for (key, text) in &last {
                let parsed_key = Key::parse(key).expect("slot keys are valid");
                let spec = schema::lookup(&parsed_key).expect("slot keys are known");
                let expected = spec.parse(&parsed_key, text).expect("it was accepted");
                let got = store.get(key).expect("the written file reads back");
                assert_eq!(got.as_ref(), Some(&expected), "{key} after commit");
            }
            // Nothing else changed.
            let set_keys: Vec<Key> = last.keys().map(|k| Key::parse(k).unwrap()).collect();
            let now: Vec<(Key, String)> = store
                .entries()
                .expect("the written file reads back")
                .into_iter()
                .map(|(k, v)| (k, format!("{v:?}")))
                .collect();
            for (key, value) in entries.unwrap_or_default() {
                if set_keys.iter().any(|s| related(s, &key)) {
                    continue;
                }
                let value: Value = value;
                let value = format!("{value:?}");
                assert!(
                    now.iter().any(|(k, v)| *k == key && *v == value),
                    "{key} = {value} was lost or changed by the commit"
                );
            }
        }
    }
});
