//! Inputs found by the fuzzers in `fuzz/` (run with `scripts/fuzz`), kept as regression tests.
//! The bugs they found are fixed; `features/tdd_store_round_trip.feature` guards them too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cleveragents_config::{ConfigStore, Value};

/// Writes `bytes` as the config file, runs the #993 transaction (url, namespace, tls-verify)
/// and returns the store and the result.
fn connect_on(
    bytes: &[u8],
) -> (
    tempfile::TempDir,
    ConfigStore,
    cleveragents_config::Result<()>,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, bytes).unwrap();
    let store = ConfigStore::open(&path);
    let result = store
        .transaction(|tx| {
            tx.set_str("server.url", "http://new.example:8080/")?;
            tx.set_str("server.namespace", "new")?;
            tx.set_str("server.tls-verify", "no")
        })
        .map(|_| ());
    (dir, store, result)
}

fn assert_new_server(bytes: &[u8]) {
    let (_dir, store, result) = connect_on(bytes);
    result.unwrap();
    let text = std::fs::read_to_string(store.path()).unwrap();
    assert_eq!(
        store.get("server.url").unwrap(),
        Some(Value::from("http://new.example:8080")),
        "server.url missing after a successful commit; file:\n{text}"
    );
    assert_eq!(
        store.get("server.namespace").unwrap(),
        Some(Value::from("new"))
    );
    assert_eq!(
        store.get("server.tls-verify").unwrap(),
        Some(Value::Bool(false))
    );
}

/// Fuzz input `# ` (store_transaction crash-a0b2aa57). A file of only a comment, with no
/// final newline: the commit succeeds and reports `server.url` etc. as set, but writes
/// `# [server]` — the table header lands inside the comment, so url/namespace/tls-verify
/// become top-level keys and `server.url` reads back as unset.
#[test]
fn comment_only_file_without_newline_keeps_the_server_table() {
    assert_new_server(b"# ");
}

/// Same bug, other fuzz inputs: a longer comment, and a UTF-8 byte-order mark before it.
#[test]
fn comment_only_file_without_newline_longer_comment() {
    assert_new_server(b"# my serserve");
}

#[test]
fn comment_only_file_without_newline_after_a_bom() {
    assert_new_server("\u{feff}#".as_bytes());
}

/// The same file with its final newline is handled correctly (guards the fix's scope).
#[test]
fn comment_only_file_with_newline_keeps_the_server_table() {
    assert_new_server(b"# my server\n");
}

/// Fuzz input `1= 212121` (store_transaction crash-bfcb4565). A transaction that changes
/// nothing must write nothing ("A transaction that changes nothing writes nothing"), but a
/// file that does not end in a newline is rewritten with one added.
#[test]
fn no_op_transaction_leaves_a_file_without_final_newline_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, b"1= 212121").unwrap();
    let store = ConfigStore::open(&path);
    let changes = store.transaction(|_| Ok(())).unwrap();
    assert!(changes.is_empty());
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"1= 212121",
        "a transaction that changed nothing rewrote the file"
    );
}

/// Runs a transaction that changes nothing on `bytes` and asserts the file was left alone.
fn assert_no_op_leaves(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, bytes).unwrap();
    let store = ConfigStore::open(&path);
    let changes = store.transaction(|_| Ok(())).unwrap();
    assert!(changes.is_empty());
    let after = std::fs::read(&path).unwrap();
    assert!(
        after == bytes,
        "a transaction that changed nothing rewrote the file: {:?} -> {:?}",
        String::from_utf8_lossy(bytes),
        String::from_utf8_lossy(&after)
    );
}

/// Same bug, store_transaction crash-020bca4a: a UTF-8 byte-order mark is dropped.
#[test]
fn no_op_transaction_keeps_a_byte_order_mark() {
    assert_no_op_leaves("\u{feff}[server]\nurl = \"http://a\"\n".as_bytes());
}

/// Same bug, store_transaction crash-3bfdcaf9: CRLF line ends become LF.
#[test]
fn no_op_transaction_keeps_crlf_line_ends() {
    assert_no_op_leaves(b"[server]\r\nurl = \"http://a\"\r\n");
}

/// Same bug, store_transaction crash-2f78c45b (minimised): dotted keys of one table that are
/// not adjacent are regrouped, reordering the user's lines.
#[test]
fn no_op_transaction_keeps_the_order_of_dotted_keys() {
    assert_no_op_leaves(b"a.b = 1\nc = 1\na.d = 2\n");
}

/// A file that round-trips exactly is left alone (guards the fix's scope).
#[test]
fn no_op_transaction_leaves_a_plain_file_alone() {
    assert_no_op_leaves(b"# c\n[server]\nurl = \"http://a\"  # x\n\n[ui]\ncolor = \"auto\"\n");
}
