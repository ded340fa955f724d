//! A small store with a real bug, its capture, and the cucumber-tdd runner,
//! set up as the crate's README says.

use std::collections::BTreeMap;

use cucumber::{given, then, when, World};
use cucumber_tdd::TddCucumberExt as _;

/// A key-value store whose save is not atomic: the bug the suite captures.
#[derive(Debug, Default)]
struct Store {
    values: BTreeMap<String, String>,
    /// The write (counting from 1) that fails, if any.
    failing_write: Option<usize>,
}

impl Store {
    /// Writes each change in turn. The bug: a failing write leaves the
    /// changes before it in place.
    fn save(&mut self, changes: &[(&str, &str)]) -> Result<(), String> {
        for (i, (key, value)) in changes.iter().enumerate() {
            if self.failing_write == Some(i + 1) {
                return Err(format!("write {} failed", i + 1));
            }
            if !value.is_empty() {
                // The other bug: an empty value is dropped.
                _ = self.values.insert((*key).to_owned(), (*value).to_owned());
            }
        }
        Ok(())
    }
}

#[derive(Debug, Default, World)]
struct StoreWorld {
    store: Store,
    before: BTreeMap<String, String>,
    result: Option<Result<(), String>>,
}

#[given("an empty store")]
fn empty_store(w: &mut StoreWorld) {
    w.store = Store::default();
}

#[given(expr = "the store holds {word} = {word}")]
fn holds(w: &mut StoreWorld, key: String, value: String) {
    _ = w.store.values.insert(key, value);
}

#[given(expr = "write {int} of a save fails")]
fn write_fails(w: &mut StoreWorld, n: usize) {
    w.store.failing_write = Some(n);
}

#[when(expr = "a and b are saved as {string} and {string}")]
fn save_two(w: &mut StoreWorld, a: String, b: String) {
    w.before = w.store.values.clone();
    w.result = Some(w.store.save(&[("a", &a), ("b", &b)]));
}

#[then("the save fails")]
fn save_fails(w: &mut StoreWorld) {
    assert!(
        matches!(w.result, Some(Err(_))),
        "the save succeeded: {:?}",
        w.result
    );
}

#[then("the save succeeds")]
fn save_succeeds(w: &mut StoreWorld) {
    assert_eq!(w.result, Some(Ok(())));
}

#[then("the store is unchanged")]
fn unchanged(w: &mut StoreWorld) {
    assert_eq!(w.store.values, w.before, "a failed save changed the store");
}

#[then(expr = "a reads back as {string}")]
fn reads_back(w: &mut StoreWorld, value: String) {
    assert_eq!(
        w.store.values.get("a").map(String::as_str),
        Some(value.as_str())
    );
}

#[then("this step is wrong on purpose")]
fn wrong(_: &mut StoreWorld) {
    panic!("an ordinary scenario that fails");
}

#[tokio::main]
async fn main() {
    let features = concat!(env!("CARGO_MANIFEST_DIR"), "/features");
    cucumber_tdd::run_and_exit(StoreWorld::cucumber().with_tdd(), features).await;
}
