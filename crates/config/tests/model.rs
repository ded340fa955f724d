//! Property test: random sequences of transactions agree with a plain in-memory map.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use cleveragents_config::{ConfigStore, Value};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Edit {
    Set(String, Value),
    Unset(String),
}

#[derive(Clone, Debug)]
struct Tx {
    edits: Vec<Edit>,
    /// A last edit that breaks the schema: the whole transaction must be refused.
    poisoned: bool,
}

fn table() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("server".to_string()),
        "[ab]".prop_map(|p| format!("profiles.{p}"))
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    let url = (table(), "[a-z]{1,8}", any::<bool>()).prop_map(|(t, host, tls)| {
        let scheme = if tls { "https" } else { "http" };
        Edit::Set(
            format!("{t}.url"),
            Value::String(format!("{scheme}://{host}.example")),
        )
    });
    let ns = (table(), "[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?")
        .prop_map(|(t, ns)| Edit::Set(format!("{t}.namespace"), Value::String(ns)));
    let verify = (table(), any::<bool>())
        .prop_map(|(t, b)| Edit::Set(format!("{t}.tls-verify"), Value::Bool(b)));
    let timeout = (table(), 1u32..300)
        .prop_map(|(t, s)| Edit::Set(format!("{t}.timeout"), Value::String(format!("{s}s"))));
    let unset_key = (
        table(),
        prop_oneof![
            Just("url"),
            Just("namespace"),
            Just("tls-verify"),
            Just("timeout")
        ],
    )
        .prop_map(|(t, k)| Edit::Unset(format!("{t}.{k}")));
    let unset_table = table().prop_map(Edit::Unset);
    prop_oneof![4 => url, 4 => ns, 3 => verify, 2 => timeout, 2 => unset_key, 1 => unset_table]
}

fn tx() -> impl Strategy<Value = Tx> {
    (
        prop::collection::vec(edit(), 1..5),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(edits, poisoned)| Tx { edits, poisoned })
}

fn apply(model: &mut BTreeMap<String, Value>, edit: &Edit) {
    match edit {
        Edit::Set(key, value) => {
            model.insert(key.clone(), value.clone());
        }
        Edit::Unset(key) => {
            let prefix = format!("{key}.");
            model.retain(|k, _| k != key && !k.starts_with(&prefix));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn transactions_agree_with_an_in_memory_model(txs in prop::collection::vec(tx(), 1..12)) {
        let dir = tempfile::tempdir().unwrap();
        let store = ConfigStore::open(dir.path().join("config.toml"));
        let mut model = BTreeMap::new();
        for tx in &txs {
            let result = store.transaction(|t| {
                for edit in &tx.edits {
                    match edit {
                        Edit::Set(key, value) => t.set(key, value.clone())?,
                        Edit::Unset(key) => { t.unset(key)?; }
                    }
                }
                if tx.poisoned {
                    t.set_str("server.namespace", "Not-Valid")?;
                }
                Ok(())
            });
            let before = model.clone();
            if tx.poisoned {
                prop_assert!(result.is_err());
            } else {
                let changes = result.unwrap();
                for edit in &tx.edits {
                    apply(&mut model, edit);
                }
                // The change set is exactly the difference between the two models.
                let mut expected: Vec<(String, Option<Value>, Option<Value>)> = before
                    .keys()
                    .chain(model.keys())
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .filter(|k| before.get(*k) != model.get(*k))
                    .map(|k| (k.clone(), before.get(k).cloned(), model.get(k).cloned()))
                    .collect();
                expected.sort_by(|a, b| a.0.cmp(&b.0));
                let mut got: Vec<_> = changes.changes().iter().map(|c| (c.key.to_string(), c.old.clone(), c.new.clone())).collect();
                got.sort_by(|a, b| a.0.cmp(&b.0));
                prop_assert_eq!(got, expected);
            }
            let stored: BTreeMap<String, Value> =
                store.entries().unwrap().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            prop_assert_eq!(&stored, &model);
            // An independent parser reads the same file.
            let text = std::fs::read_to_string(store.path()).unwrap_or_default();
            let parsed: toml::Table = text.parse().unwrap();
            let mut flat = BTreeMap::new();
            flatten(&parsed, "", &mut flat);
            prop_assert_eq!(flat, model.iter().map(|(k, v)| (k.clone(), v.to_string())).collect::<BTreeMap<_, _>>());
        }
    }
}

fn flatten(table: &toml::Table, prefix: &str, out: &mut BTreeMap<String, String>) {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(t) => flatten(t, &full, out),
            toml::Value::String(s) => {
                out.insert(full, s.clone());
            }
            other => {
                out.insert(full, other.to_string());
            }
        }
    }
}
