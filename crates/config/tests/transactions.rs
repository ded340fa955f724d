//! Transaction semantics on a real file system: typing, validation, format preservation,
//! compare-and-swap, notification, links, modes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::{MetadataExt, PermissionsExt};

use cleveragents_config::{ConfigStore, Error, Value};

fn store() -> (tempfile::TempDir, ConfigStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = ConfigStore::open(dir.path().join("config.toml"));
    (dir, store)
}

fn connect(
    store: &ConfigStore,
    url: &str,
    ns: &str,
    verify: bool,
) -> cleveragents_config::Result<()> {
    store
        .transaction(|tx| {
            tx.set_str("server.url", url)?;
            tx.set_str("server.namespace", ns)?;
            tx.set("server.tls-verify", verify)
        })
        .map(drop)
}

#[test]
fn a_missing_file_reads_empty_and_the_first_commit_creates_it_0600() {
    let (dir, store) = store();
    assert_eq!(store.get("server.url").unwrap(), None);
    assert!(store.entries().unwrap().is_empty());
    connect(&store, "https://a.example/", "team-a", false).unwrap();
    let text = std::fs::read_to_string(store.path()).unwrap();
    assert_eq!(
        text,
        "[server]\nurl = \"https://a.example\"\nnamespace = \"team-a\"\ntls-verify = false\n"
    );
    let parsed: toml::Table = text.parse().unwrap();
    assert_eq!(parsed["server"]["tls-verify"], toml::Value::Boolean(false));
    let mode = std::fs::metadata(store.path())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    // Only the file and its lock are left: no temp files.
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["config.toml", "config.toml.lock"]);
}

#[test]
fn missing_parent_directories_are_created_0700() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/config.toml");
    let store = ConfigStore::open(&path);
    connect(&store, "http://h", "ns", true).unwrap();
    let mode = std::fs::metadata(dir.path().join("a/b"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o700);
}

#[test]
fn change_sets_list_old_and_new_values() {
    let (_dir, store) = store();
    connect(&store, "http://one", "a", true).unwrap();
    let changes = store
        .transaction(|tx| {
            tx.set_str("server.url", "http://two")?;
            tx.unset("server.namespace")?;
            tx.set_str("server.timeout", "30s")?;
            tx.set("server.tls-verify", true)
        })
        .unwrap();
    let got: Vec<_> = changes
        .changes()
        .iter()
        .map(|c| (c.key.to_string(), c.old.clone(), c.new.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("server.namespace".into(), Some(Value::from("a")), None),
            ("server.timeout".into(), None, Some(Value::from("30s"))),
            (
                "server.url".into(),
                Some(Value::from("http://one")),
                Some(Value::from("http://two"))
            ),
        ]
    );
    assert!(changes.warning().is_none());
}

#[test]
fn one_bad_value_refuses_the_whole_transaction_and_writes_nothing() {
    let (_dir, store) = store();
    connect(&store, "http://one", "a", true).unwrap();
    let before = std::fs::read(store.path()).unwrap();
    let err = store
        .transaction(|tx| {
            tx.set_str("server.url", "http://two")?;
            tx.set_str("server.namespace", "b")?;
            tx.set_str("server.timeout", "ten seconds")
        })
        .unwrap_err();
    assert!(err.is_invalid_input());
    let message = err.to_string();
    assert!(
        message.contains("server.timeout") && message.contains("ten seconds"),
        "{message}"
    );
    assert_eq!(std::fs::read(store.path()).unwrap(), before);
}

#[test]
fn unknown_keys_are_refused_with_a_suggestion_but_kept_when_already_in_the_file() {
    let (_dir, store) = store();
    let err = store
        .transaction(|tx| tx.set_str("server.ulr", "http://h"))
        .unwrap_err();
    assert!(matches!(&err, Error::UnknownKey { suggestion: Some(s), .. } if s == "server.url"));
    assert!(err.is_invalid_input());
    assert!(matches!(
        store.get("server.ulr"),
        Err(Error::UnknownKey { .. })
    ));

    std::fs::write(store.path(), "[ui]\ntheme = \"dark\" # mine\n").unwrap();
    assert_eq!(store.get("ui.theme").unwrap(), Some(Value::from("dark")));
    connect(&store, "http://h", "ns", true).unwrap();
    let text = std::fs::read_to_string(store.path()).unwrap();
    assert!(
        text.starts_with("[ui]\ntheme = \"dark\" # mine\n"),
        "{text}"
    );
    let problems = store.validate().unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].key.to_string(), "ui.theme");
    assert!(problems[0].unknown);
}

#[test]
fn validate_reports_wrongly_typed_and_invalid_values() {
    let (_dir, store) = store();
    std::fs::write(
        store.path(),
        "[server]\nurl = \"ftp://x\"\ntls-verify = \"yes\"\nnamespace = \"ok\"\n[profiles.Bad]\nurl = \"http://h\"\n",
    )
    .unwrap();
    let problems = store.validate().unwrap();
    let keys: Vec<_> = problems.iter().map(|p| p.key.to_string()).collect();
    assert_eq!(
        keys,
        ["server.url", "server.tls-verify", "profiles.Bad.url"]
    );
    assert!(
        problems[1].message.contains("found a string"),
        "{}",
        problems[1].message
    );
}

#[test]
fn format_of_everything_untouched_is_preserved_byte_for_byte() {
    let (_dir, store) = store();
    let original = r#"# CleverAgents configuration
#   hand-edited, keep my comments

title   =   "mine"     # spacing kept
colors = { fg = "white",   bg = "black" }

[server]
# the production server
url = "http://old.example"   # trailing comment
namespace="tight"

[[plugins]]
name = "a"
args = [ 1, 2,
   3 ]

[[plugins]]
name = "b"

[profiles.prod]
url = "https://prod.example"
"#;
    std::fs::write(store.path(), original).unwrap();
    store
        .transaction(|tx| {
            tx.set_str("server.url", "https://new.example")?;
            tx.set_str("profiles.dev.url", "http://localhost:8080")
        })
        .unwrap();
    let text = std::fs::read_to_string(store.path()).unwrap();
    let expected = original.replace(
        "url = \"http://old.example\"   # trailing comment",
        "url = \"https://new.example\"   # trailing comment",
    );
    assert!(text.starts_with(&expected), "--- got:\n{text}");
    assert_eq!(
        &text[expected.len()..],
        "\n[profiles.dev]\nurl = \"http://localhost:8080\"\n"
    );
    // An independent parser agrees on the whole file.
    let parsed: toml::Table = text.parse().unwrap();
    assert_eq!(parsed["colors"]["bg"].as_str(), Some("black"));
    assert_eq!(parsed["plugins"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        parsed["profiles"]["prod"]["url"].as_str(),
        Some("https://prod.example")
    );
    assert_eq!(parsed["server"]["namespace"].as_str(), Some("tight"));
}

#[test]
fn dotted_and_inline_tables_are_edited_in_their_own_style() {
    let (_dir, store) = store();
    std::fs::write(
        store.path(),
        "server.url = \"http://a\"\nprofiles = { x = { url = \"http://x\" } }\n",
    )
    .unwrap();
    store
        .transaction(|tx| {
            tx.set_str("server.namespace", "n")?;
            tx.set_str("profiles.x.namespace", "m")
        })
        .unwrap();
    let text = std::fs::read_to_string(store.path()).unwrap();
    let parsed: toml::Table = text.parse().unwrap();
    assert_eq!(parsed["server"]["namespace"].as_str(), Some("n"));
    assert_eq!(parsed["profiles"]["x"]["namespace"].as_str(), Some("m"));
    assert!(
        !text.contains("[server]") && !text.contains("[profiles"),
        "{text}"
    );
}

#[test]
fn a_key_under_a_value_is_refused() {
    let (_dir, store) = store();
    std::fs::write(store.path(), "server = \"oops\"\n").unwrap();
    let err = store
        .transaction(|tx| tx.set_str("server.url", "http://h"))
        .unwrap_err();
    assert!(
        matches!(err, Error::NotATable { ref parent, .. } if parent == "server"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(store.path()).unwrap(),
        "server = \"oops\"\n"
    );
}

#[test]
fn a_transaction_that_changes_nothing_writes_nothing() {
    let (_dir, store) = store();
    connect(&store, "http://h", "ns", true).unwrap();
    let before = std::fs::metadata(store.path()).unwrap();
    let changes = store
        .transaction(|tx| {
            tx.set_str("server.url", "http://h/")?; // normalises to the same value
            tx.set("server.tls-verify", true)?;
            tx.unset("server.ca-cert").map(drop)
        })
        .unwrap();
    assert!(changes.is_empty());
    let after = std::fs::metadata(store.path()).unwrap();
    assert_eq!(
        (before.ino(), before.mtime_nsec()),
        (after.ino(), after.mtime_nsec())
    );
}

#[test]
fn compare_and_swap_refuses_a_stale_version() {
    let (_dir, store) = store();
    connect(&store, "http://h", "ns", true).unwrap();
    let snapshot = store.load().unwrap();
    connect(&store, "http://other", "ns", true).unwrap();
    let before = std::fs::read(store.path()).unwrap();
    let err = store
        .transaction_if(snapshot.version(), |tx| {
            tx.set_str("server.namespace", "mine")
        })
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
    assert!(!err.is_invalid_input());
    assert_eq!(
        err.hint().as_deref(),
        Some("re-read the file and apply your change again")
    );
    assert_eq!(std::fs::read(store.path()).unwrap(), before);

    let fresh = store.load().unwrap();
    store
        .transaction_if(fresh.version(), |tx| tx.set_str("server.namespace", "mine"))
        .unwrap();
    assert_eq!(
        store.get("server.namespace").unwrap(),
        Some(Value::from("mine"))
    );
    // A missing file is a version too.
    let (_d, empty) = self::store();
    let none = empty.load().unwrap();
    assert!(none.is_missing());
    empty
        .transaction_if(none.version(), |tx| tx.set_str("server.url", "http://h"))
        .unwrap();
    assert!(empty
        .transaction_if(none.version(), |tx| tx.unset("server").map(drop))
        .is_err());
}

#[test]
fn replace_document_validates_the_new_text_whole() {
    let (_dir, store) = store();
    std::fs::write(store.path(), "[legacy]\nx = 1\n").unwrap();
    let origin = std::path::Path::new("/tmp/edit.toml");
    let err = store
        .transaction(|tx| {
            tx.replace_document(
                "[server]\nurl = \"http://h\"\nnamspace = \"x\"\nlegacy.y = 2\n",
                origin,
            )
        })
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("namspace") && text.contains("legacy.y"),
        "{text}"
    );
    let err = store
        .transaction(|tx| tx.replace_document("[server\n", origin))
        .unwrap_err();
    assert!(err.to_string().starts_with("/tmp/edit.toml:1:"), "{err}");
    // Keys that were already there may stay, even unknown ones.
    store
        .transaction(|tx| {
            tx.replace_document(
                "# mine\n[legacy]\nx = 1\n[server]\nurl = \"http://h\"\n",
                origin,
            )
        })
        .unwrap();
    assert_eq!(
        store.get("server.url").unwrap(),
        Some(Value::from("http://h"))
    );
}

#[test]
fn an_unparsable_file_is_never_overwritten_and_the_error_gives_line_and_column() {
    let (_dir, store) = store();
    let garbage = b"[server]\nurl = \"http://h\"\nnamespace = = 3\n";
    std::fs::write(store.path(), garbage).unwrap();
    let err = connect(&store, "http://x", "y", true).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("config.toml:3:"), "{text}");
    assert!(!err.is_invalid_input());
    assert!(err.hint().unwrap().contains("untouched"));
    assert_eq!(std::fs::read(store.path()).unwrap(), garbage);

    let binary = [0xff_u8, 0xfe, 0x00, b'\n', 0x80];
    std::fs::write(store.path(), binary).unwrap();
    let err = store.get("server.url").unwrap_err();
    assert!(
        err.to_string()
            .contains("config.toml:1:1: the file is not valid UTF-8"),
        "{err}"
    );
    assert!(connect(&store, "http://x", "y", true).is_err());
    assert_eq!(std::fs::read(store.path()).unwrap(), binary);

    // `get` reports the same position as a transaction.
    std::fs::write(store.path(), garbage).unwrap();
    let err = store.get("server.url").unwrap_err();
    assert!(err.to_string().contains("config.toml:3:"), "{err}");
}

#[test]
fn a_directory_where_the_file_should_be_is_an_io_error() {
    let (_dir, store) = store();
    std::fs::create_dir(store.path()).unwrap();
    let err = store.get("server.url").unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
    assert!(connect(&store, "http://x", "y", true).is_err());
    assert!(store.path().is_dir());
}

#[test]
fn a_symlinked_config_is_written_through_and_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("dotfiles")).unwrap();
    let target = dir.path().join("dotfiles/cleveragents.toml");
    std::fs::write(&target, "# managed by my dotfiles\n").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("config.toml");
    std::os::unix::fs::symlink("dotfiles/cleveragents.toml", &link).unwrap();

    let store = ConfigStore::open(&link);
    connect(&store, "http://h", "ns", true).unwrap();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(
        text.starts_with("# managed by my dotfiles\n[server]\n"),
        "{text}"
    );
    // The old file's mode is kept, and the lock sits beside the real file.
    assert_eq!(
        std::fs::metadata(&target).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert!(dir.path().join("dotfiles/cleveragents.toml.lock").exists());
}

#[test]
fn a_held_lock_times_out_with_a_clear_error() {
    let (_dir, store) = store();
    connect(&store, "http://h", "ns", true).unwrap();
    let lock = std::fs::File::options()
        .write(true)
        .open(store.path().with_extension("toml.lock"))
        .unwrap();
    lock.lock().unwrap();
    let quick =
        ConfigStore::open(store.path()).with_lock_timeout(std::time::Duration::from_millis(200));
    let start = std::time::Instant::now();
    let err = connect(&quick, "http://x", "y", true).unwrap_err();
    assert!(matches!(err, Error::LockTimeout { .. }), "{err}");
    assert!(err.to_string().contains("config.toml.lock"));
    assert!(err.hint().is_some());
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "hang guard"
    );
    // Readers take no lock.
    assert_eq!(
        quick.get("server.url").unwrap(),
        Some(Value::from("http://h"))
    );
    drop(lock);
    connect(&quick, "http://x", "y", true).unwrap();
}

#[test]
fn the_old_files_mode_is_kept_on_replace() {
    // Modes the usual umask (022) keeps, and modes it narrows (group or others writing).
    for mode in [0o644, 0o640, 0o666, 0o660, 0o604] {
        let (_dir, store) = store();
        std::fs::write(store.path(), "").unwrap();
        std::fs::set_permissions(store.path(), std::fs::Permissions::from_mode(mode)).unwrap();
        connect(&store, "http://h", "ns", true).unwrap();
        let kept = std::fs::metadata(store.path())
            .unwrap()
            .permissions()
            .mode()
            & 0o7777;
        assert_eq!(kept, mode, "{mode:o} became {kept:o}");
    }
}

#[test]
fn get_answers_every_toml_type_and_refuses_unknown_absent_keys() {
    let (_dir, store) = store();
    std::fs::write(
        store.path(),
        "[ui]\ncount = 3\nratio = 0.5\nwhen = 1979-05-27\nlist = [1, 2]\nname = \"x\"\non = true\n[server]\nurl = \"http://h\"\n",
    )
    .unwrap();
    assert_eq!(store.get("ui.count").unwrap(), Some(Value::Integer(3)));
    assert_eq!(store.get("ui.ratio").unwrap(), Some(Value::Float(0.5)));
    assert_eq!(
        store.get("ui.when").unwrap(),
        Some(Value::Other("1979-05-27".into()))
    );
    assert_eq!(
        store.get("ui.list").unwrap(),
        Some(Value::Other("[1, 2]".into()))
    );
    assert_eq!(store.get("ui.name").unwrap(), Some(Value::from("x")));
    assert_eq!(store.get("ui.on").unwrap(), Some(Value::Bool(true)));
    assert_eq!(
        store.get("server.url").unwrap(),
        Some(Value::from("http://h"))
    );
    assert_eq!(store.get("server.namespace").unwrap(), None);
    assert_eq!(store.get("profiles.x.url").unwrap(), None);
    assert!(matches!(
        store.get("server.url.deeper"),
        Err(Error::UnknownKey { .. })
    ));
    assert!(matches!(
        store.get("ui.missing"),
        Err(Error::UnknownKey { .. })
    ));
    assert!(matches!(
        store.get("bad key"),
        Err(Error::InvalidKey { .. })
    ));
    // A table is not a value.
    assert_eq!(store.get("server").unwrap(), None);
}

#[test]
fn tables_in_the_way_are_named_in_the_error() {
    let (_dir, store) = store();
    std::fs::write(store.path(), "profiles = \"oops\"\n[server.url]\nx = 1\n").unwrap();
    let err = store
        .transaction(|tx| tx.set_str("profiles.a.url", "http://h"))
        .unwrap_err();
    assert!(
        matches!(&err, Error::NotATable { parent, .. } if parent == "profiles"),
        "{err}"
    );
    assert_eq!(
        err.hint().as_deref(),
        Some("unset `profiles` first, or pick another key")
    );
    let err = store
        .transaction(|tx| tx.set_str("server.url", "http://h"))
        .unwrap_err();
    assert!(
        matches!(&err, Error::NotATable { parent, .. } if parent == "server.url"),
        "{err}"
    );
}

#[test]
fn new_tables_inside_inline_tables_stay_inline() {
    let (_dir, store) = store();
    std::fs::write(store.path(), "profiles = { a = { url = \"http://a\" } }\n").unwrap();
    store
        .transaction(|tx| tx.set_str("profiles.b.url", "http://b"))
        .unwrap();
    let text = std::fs::read_to_string(store.path()).unwrap();
    assert!(!text.contains('['), "{text}");
    let parsed: toml::Table = text.parse().unwrap();
    assert_eq!(parsed["profiles"]["b"]["url"].as_str(), Some("http://b"));
}

#[test]
fn leading_comments_stay_on_top_when_the_first_table_is_nested() {
    let (_dir, store) = store();
    std::fs::write(store.path(), "# profiles only\n").unwrap();
    store
        .transaction(|tx| tx.set_str("profiles.a.url", "http://a"))
        .unwrap();
    let text = std::fs::read_to_string(store.path()).unwrap();
    assert_eq!(text, "# profiles only\n[profiles.a]\nurl = \"http://a\"\n");
}

#[test]
fn a_replaced_document_is_written_when_only_its_text_changes_and_not_when_identical() {
    let (_dir, store) = store();
    let origin = std::path::Path::new("edit.toml");
    std::fs::write(store.path(), "[ui]\ntheme = \"dark\"\n").unwrap();
    let changes = store
        .transaction(|tx| tx.replace_document("# note\n[ui]\ntheme = \"dark\"\n", origin))
        .unwrap();
    assert!(changes.is_empty());
    assert_eq!(
        std::fs::read_to_string(store.path()).unwrap(),
        "# note\n[ui]\ntheme = \"dark\"\n"
    );
    // An unknown key already in the file may change value.
    let changes = store
        .transaction(|tx| tx.replace_document("# note\n[ui]\ntheme = \"light\"\n", origin))
        .unwrap();
    assert_eq!(changes.len(), 1);
    let before = std::fs::metadata(store.path()).unwrap().modified().unwrap();
    let changes = store
        .transaction(|tx| tx.replace_document("# note\n[ui]\ntheme = \"light\"\n", origin))
        .unwrap();
    assert!(changes.is_empty());
    assert_eq!(
        std::fs::metadata(store.path()).unwrap().modified().unwrap(),
        before
    );
}

#[test]
fn links_resolve_absolute_targets_and_refuse_loops() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("real.toml");
    let link = dir.path().join("config.toml");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let store = ConfigStore::open(&link);
    connect(&store, "http://h", "ns", true).unwrap();
    assert!(std::fs::read_to_string(&target)
        .unwrap()
        .contains("http://h"));

    let a = dir.path().join("a.toml");
    let b = dir.path().join("b.toml");
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    let err = connect(&ConfigStore::open(&a), "http://h", "ns", true).unwrap_err();
    assert!(
        err.to_string()
            .contains("too many levels of symbolic links"),
        "{err}"
    );
}

#[test]
fn a_file_in_place_of_a_directory_is_an_io_error_naming_the_path() {
    let (dir, _store) = store();
    std::fs::write(dir.path().join("plain"), "").unwrap();
    let store = ConfigStore::open(dir.path().join("plain/config.toml"));
    let err = store.get("server.url").unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
    assert!(err.to_string().contains("plain/config.toml"), "{err}");
    let err = connect(&store, "http://x", "y", true)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("cannot resolve ") && err.contains("Not a directory"),
        "{err}"
    );
}

#[test]
fn stores_and_keys_debug_print_what_they_are() {
    let (_dir, store) = store();
    let shown = format!("{store:?}");
    assert!(
        shown.contains("config.toml") && shown.contains("lock_timeout"),
        "{shown}"
    );
    let key = cleveragents_config::Key::parse("server.url").unwrap();
    assert_eq!(format!("{key:?}"), "Key(server.url)");
}

#[test]
fn arrays_of_tables_read_back_as_their_toml_text() {
    let (_dir, store) = store();
    std::fs::write(store.path(), "[[plugins]]\nname = \"a\"\n").unwrap();
    let value = store.get("plugins").unwrap().unwrap();
    assert!(
        matches!(&value, Value::Other(text) if text.contains("name = \"a\"")),
        "{value:?}"
    );
}

#[test]
fn crlf_line_ends_and_a_byte_order_mark_survive_a_change() {
    let (_dir, store) = store();
    std::fs::write(
        store.path(),
        "\u{feff}# mine\r\n[server]\r\nurl = \"http://a\"\r\n",
    )
    .unwrap();
    store
        .transaction(|tx| tx.set_str("server.namespace", "n"))
        .unwrap();
    let text = std::fs::read_to_string(store.path()).unwrap();
    assert_eq!(
        text,
        "\u{feff}# mine\r\n[server]\r\nurl = \"http://a\"\r\nnamespace = \"n\"\r\n"
    );
    // A file that mixes line ends, or has none, is written with LF.
    for original in [
        "[server]\r\nurl = \"http://a\"\n",
        "\nurl0 = 1",
        "url0 = 1",
        "",
    ] {
        std::fs::write(store.path(), original).unwrap();
        store
            .transaction(|tx| tx.set_str("profiles.p.namespace", "n"))
            .unwrap();
        let text = std::fs::read_to_string(store.path()).unwrap();
        assert!(!text.starts_with('\u{feff}'), "{text:?}");
        assert!(
            text.ends_with("[profiles.p]\nnamespace = \"n\"\n"),
            "{original:?} -> {text:?}"
        );
        store
            .transaction(|tx| tx.unset("profiles").map(drop))
            .unwrap();
    }
}

#[test]
fn parse_errors_point_at_the_line_and_column() {
    let (_dir, store) = store();
    std::fs::write(store.path(), "# ok\n[server]\nurl = = 3\n").unwrap();
    let err = store.load().unwrap_err().to_string();
    assert!(err.contains("config.toml:3:7:"), "{err}");
    std::fs::write(store.path(), "a = \"é\" \"\n").unwrap();
    let err = store.load().unwrap_err().to_string();
    assert!(err.contains("config.toml:1:9:"), "{err}");
    std::fs::write(store.path(), b"ok = 1\nk = \"\xff\"\n").unwrap();
    let err = store.load().unwrap_err().to_string();
    assert!(
        err.contains("config.toml:2:6: the file is not valid UTF-8"),
        "{err}"
    );
}

#[test]
fn a_writer_waits_for_the_lock_within_its_bound() {
    let (_dir, store) = store();
    connect(&store, "http://h", "ns", true).unwrap();
    let lock = std::fs::File::options()
        .write(true)
        .open(store.path().with_extension("toml.lock"))
        .unwrap();
    lock.lock().unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        drop(lock);
    });
    let patient =
        ConfigStore::open(store.path()).with_lock_timeout(std::time::Duration::from_secs(20));
    connect(&patient, "http://x", "y", true).unwrap();
    release.join().unwrap();
    assert_eq!(
        patient.get("server.url").unwrap(),
        Some(Value::from("http://x"))
    );
}

#[test]
fn a_key_holding_an_inline_table_is_not_overwritten() {
    let (_dir, store) = store();
    std::fs::write(store.path(), "[profiles.a]\nurl = { x = 1 }\n").unwrap();
    let err = store
        .transaction(|tx| tx.set_str("profiles.a.url", "http://h"))
        .unwrap_err();
    assert!(matches!(err, Error::NotATable { .. }), "{err}");
}

#[test]
fn snapshots_and_transactions_show_the_document_as_it_stands() {
    let (_dir, store) = store();
    let missing = store.load().unwrap();
    assert!(missing.is_missing());
    assert_eq!(missing.text(), "");
    std::fs::write(store.path(), "# mine\n[server]\nurl = \"http://a\"\n").unwrap();
    let snapshot = store.load().unwrap();
    assert!(!snapshot.is_missing());
    assert_eq!(snapshot.text(), "# mine\n[server]\nurl = \"http://a\"\n");
    store
        .transaction(|tx| {
            assert_eq!(tx.get("server.url")?, Some(Value::from("http://a")));
            tx.set_str("server.namespace", "n")?;
            assert_eq!(tx.get("server.namespace")?, Some(Value::from("n")));
            let keys: Vec<String> = tx.entries().iter().map(|(k, _)| k.to_string()).collect();
            assert_eq!(keys, ["server.url", "server.namespace"]);
            Ok(())
        })
        .unwrap();
}

#[test]
fn one_bad_value_in_a_replaced_document_is_reported_as_itself() {
    let (_dir, store) = store();
    let err = store
        .transaction(|tx| {
            tx.replace_document(
                "[server]\nnamespace = \"BAD\"\n",
                std::path::Path::new("e.toml"),
            )
        })
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidValue { ref key, .. } if key == "server.namespace"),
        "{err}"
    );
}

/// Removes `key` from a file holding `text` and returns the file's text afterwards.
fn after_unset(text: &str, key: &str) -> String {
    let (_dir, store) = store();
    std::fs::write(store.path(), text).unwrap();
    let changes = store.transaction(|tx| tx.unset(key).map(drop)).unwrap();
    assert!(!changes.is_empty(), "{key} was not removed from {text:?}");
    std::fs::read_to_string(store.path()).unwrap()
}

#[test]
fn removing_a_table_keeps_the_comments_that_belong_to_the_file() {
    // The file's header, above its first table, stays (and is not left as a 0-byte file).
    assert_eq!(
        after_unset("# managed by ops\n[server]\nurl = \"http://a\"\n", "server"),
        "# managed by ops\n"
    );
    assert_eq!(
        after_unset(
            "# header\n\n[server]\nurl = \"http://a\"\n\n[ui]\nx = 1\n",
            "server"
        ),
        // One blank line after the header, as before the removed table: not two.
        "# header\n\n[ui]\nx = 1\n"
    );
    // Elsewhere, comments up to the last blank line stay; the block right above the header
    // describes the table and goes with it.
    assert_eq!(
        after_unset(
            "[a]\nx = 1\n\n# shared below\n\n# the server\n[server]\nurl = \"http://a\"\n\n[b]\ny = 2\n",
            "server"
        ),
        "[a]\nx = 1\n\n# shared below\n\n[b]\ny = 2\n"
    );
    assert_eq!(
        after_unset(
            "[a]\nx = 1\n\n# the server\n[server]\nurl = \"http://a\"\n",
            "server"
        ),
        "[a]\nx = 1\n"
    );
    // Top-level keys come first, so a table after them has no file header above it.
    assert_eq!(
        after_unset(
            "a = 1\n# about server\n[server]\nurl = \"http://a\"\n",
            "server"
        ),
        "a = 1\n"
    );
    // A nested table's comments go to the next table, wherever it is.
    assert_eq!(
        after_unset(
            "[server]\nurl = \"http://a\"\n\n# team profiles\n\n[profiles.s]\nurl = \"http://s\"\n\n[profiles.p]\nurl = \"http://p\"\n",
            "profiles.s"
        ),
        "[server]\nurl = \"http://a\"\n\n# team profiles\n\n[profiles.p]\nurl = \"http://p\"\n"
    );
    // CRLF files keep their line ends.
    assert_eq!(
        after_unset(
            "[a]\r\nx = 1\r\n\r\n# keep\r\n\r\n[server]\r\nurl = \"http://a\"\r\n",
            "server"
        ),
        "[a]\r\nx = 1\r\n\r\n# keep\r\n"
    );
    // Blank lines alone are not kept; removing a value leaves the rest as it was.
    assert_eq!(
        after_unset("[a]\nx = 1\n\n\n[server]\nurl = \"http://a\"\n", "server"),
        "[a]\nx = 1\n"
    );
    assert_eq!(
        after_unset(
            "# top\n[server]\nurl = \"http://a\"\nns = 1\n",
            "server.url"
        ),
        "# top\n[server]\nns = 1\n"
    );
}

#[test]
fn replace_if_repairs_a_file_that_does_not_parse_but_only_with_valid_text() {
    let (_dir, store) = store();
    let origin = std::path::Path::new("edited.toml");
    // No file: the raw read says so, and a replace creates it.
    let (bytes, missing) = store.read_raw().unwrap();
    assert_eq!(bytes, None);
    store
        .replace_if(&missing, "[server]\nurl = \"http://a\"\n", origin)
        .unwrap();

    std::fs::write(store.path(), "[server\nurl = 1\n").unwrap();
    assert!(matches!(store.load(), Err(Error::Parse { .. })));
    let (bytes, version) = store.read_raw().unwrap();
    assert_eq!(bytes.as_deref(), Some(&b"[server\nurl = 1\n"[..]));
    // The repaired text is validated whole: a bad value or text that does not parse is
    // refused and the broken file stays as it is.
    let err = store
        .replace_if(&version, "[server]\nurl = \"ftp://x\"\n", origin)
        .unwrap_err();
    assert!(err.to_string().contains("ftp://x"), "{err}");
    let err = store.replace_if(&version, "[server\n", origin).unwrap_err();
    assert!(err.to_string().starts_with("edited.toml:1:"), "{err}");
    assert_eq!(std::fs::read(store.path()).unwrap(), b"[server\nurl = 1\n");
    // A stale version is a conflict, even for a broken file.
    let err = store
        .replace_if(&missing, "[server]\nurl = \"http://b\"\n", origin)
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
    let changes = store
        .replace_if(&version, "# fixed\n[server]\nurl = \"http://b\"\n", origin)
        .unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(
        store.get("server.url").unwrap(),
        Some(Value::from("http://b"))
    );
    // Transactions still refuse to write over a file that does not parse.
    std::fs::write(store.path(), "[server\n").unwrap();
    let err = store
        .transaction(|tx| tx.set_str("server.url", "http://c"))
        .unwrap_err();
    assert!(matches!(err, Error::Parse { .. }), "{err}");
}

/// The file after one `set_str` of `key` to `value`.
fn after_set(text: &str, key: &str, value: &str) -> String {
    let (_dir, store) = store();
    std::fs::write(store.path(), text).unwrap();
    store.transaction(|tx| tx.set_str(key, value)).unwrap();
    std::fs::read_to_string(store.path()).unwrap()
}

#[test]
fn inline_tables_keep_their_spacing_when_keys_come_and_go() {
    let spacious = "server = { url = \"http://a\", namespace = \"n\" }  # c\n";
    assert_eq!(
        after_set(spacious, "server.timeout", "3s"),
        "server = { url = \"http://a\", namespace = \"n\", timeout = \"3s\" }  # c\n"
    );
    let compact = "server = {url=\"http://a\", namespace=\"n\"}\n";
    assert_eq!(
        after_set(compact, "server.timeout", "3s"),
        "server = {url=\"http://a\", namespace=\"n\", timeout=\"3s\"}\n"
    );
    assert_eq!(
        after_set("server = {url=\"http://a\"}\n", "server.timeout", "3s"),
        "server = {url=\"http://a\", timeout=\"3s\"}\n"
    );
    assert_eq!(
        after_set("server = {}\n", "server.timeout", "3s"),
        "server = { timeout = \"3s\" }\n"
    );
    // Removing the last key keeps the space before the brace; the first, the one after it.
    assert_eq!(
        after_unset(spacious, "server.namespace"),
        "server = { url = \"http://a\" }  # c\n"
    );
    assert_eq!(
        after_unset(compact, "server.url"),
        "server = {namespace=\"n\"}\n"
    );
    assert_eq!(
        after_unset(
            "server = { url = \"http://a\", namespace = \"n\", timeout = \"3s\" }\n",
            "server.namespace"
        ),
        "server = { url = \"http://a\", timeout = \"3s\" }\n"
    );
}

#[test]
fn removing_the_first_table_leaves_the_file_starting_with_what_follows() {
    assert_eq!(
        after_unset("[server]\nurl = \"http://a\"\n\n\n[ui]\nx = 1\n", "server"),
        "[ui]\nx = 1\n"
    );
    // The removed table's own last comment goes with it; one separated from it stays.
    assert_eq!(
        after_unset(
            "[server]\nurl = \"http://a\"\n# server's\n\n[ui]\nx = 1\n",
            "server"
        ),
        "[ui]\nx = 1\n"
    );
    assert_eq!(
        after_unset(
            "[server]\nurl = \"http://a\"\n\n# the ui\n[ui]\nx = 1\n",
            "server"
        ),
        "# the ui\n[ui]\nx = 1\n"
    );
    // A comment directly above the next header is that table's.
    assert_eq!(
        after_unset(
            "[a]\nx = 1\n\n[server]\nurl = \"http://a\"\n# the ui\n[ui]\nx = 1\n",
            "server"
        ),
        "[a]\nx = 1\n\n# the ui\n[ui]\nx = 1\n"
    );
    // Comments that were the whole file before the first table was added stay on top.
    let (_dir, store) = store();
    std::fs::write(store.path(), "# only comments\n").unwrap();
    store
        .transaction(|tx| {
            tx.set_str("server.url", "http://a")?;
            tx.set_str("profiles.p.url", "http://p")
        })
        .unwrap();
    store
        .transaction(|tx| tx.unset("server").map(drop))
        .unwrap();
    let text = std::fs::read_to_string(store.path()).unwrap();
    assert!(text.starts_with("# only comments\n"), "{text}");
    assert!(
        text.contains("[profiles.p]\nurl = \"http://p\"\n"),
        "{text}"
    );
}

#[test]
fn a_transaction_returns_its_closures_value_beside_the_change_set() {
    let (_dir, store) = store();
    std::fs::write(store.path(), "[server]\nnamespace = \"old\"\n").unwrap();
    let done = store
        .transaction(|tx| {
            let was = tx.get("server.namespace")?;
            tx.set_str("server.namespace", "new")?;
            Ok(was)
        })
        .unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(done.value(), &Some(Value::String("old".into())));
    assert_eq!(done.into_value(), Some(Value::String("old".into())));
}

#[test]
fn the_text_of_a_file_read_as_a_document_is_the_file() {
    // Escapes and an array keep the file off the one-pass reader: the text comes from the
    // parsed document and must still be the file, byte for byte.
    let (_dir, store) = store();
    let text = "# top\n[server]\nurl = \"http://a\\u0041\"\nlist = [1, 2]   # kept\n";
    std::fs::write(store.path(), text).unwrap();
    assert_eq!(store.load().unwrap().text(), text);
}

#[test]
fn an_array_of_tables_is_listed_as_one_value_and_kept() {
    let (_dir, store) = store();
    let text = "[[plugins]]\nname = \"a\"\n\n[[plugins]]\nname = \"b\"\n";
    std::fs::write(store.path(), text).unwrap();
    let entries = store.entries().unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].0.to_string(), "plugins");
    assert!(
        matches!(&entries[0].1, Value::Other(t) if t.contains("name = \"b\"")),
        "{entries:?}"
    );
    store
        .transaction(|tx| tx.set_str("server.namespace", "ns"))
        .unwrap();
    assert!(std::fs::read_to_string(store.path())
        .unwrap()
        .starts_with(text));
}

#[test]
fn a_renamed_table_moves_whole_with_keys_no_schema_knows_and_its_comments() {
    let (_dir, store) = store();
    let text = "# lab\n[profiles.lab]   # shared\nurl = \"http://a\"\nowner = \"ops\"   # who\n\n[profiles.other]\nurl = \"http://o\"\n";
    std::fs::write(store.path(), text).unwrap();
    let done = store
        .transaction(|tx| tx.rename_table("profiles.lab", "profiles.bench"))
        .unwrap();
    assert!(done.value());
    let keys: Vec<String> = done.changes().iter().map(|c| c.key.to_string()).collect();
    assert_eq!(
        keys,
        [
            "profiles.bench.owner",
            "profiles.bench.url",
            "profiles.lab.owner",
            "profiles.lab.url"
        ]
    );
    assert_eq!(
        std::fs::read_to_string(store.path()).unwrap(),
        text.replace("profiles.lab", "profiles.bench")
    );

    // Nothing to move, a name taken, or not siblings: false, and nothing written.
    let before = std::fs::read(store.path()).unwrap();
    for (from, to) in [
        ("profiles.nope", "profiles.x"),
        ("profiles.bench", "profiles.other"),
        ("profiles.bench", "elsewhere.bench"),
        ("profiles.bench.url", "profiles.bench.link"),
    ] {
        let done = store.transaction(|tx| tx.rename_table(from, to)).unwrap();
        assert!(!done.value(), "{from} -> {to}");
        assert!(done.is_empty());
    }
    assert_eq!(std::fs::read(store.path()).unwrap(), before);
}

#[test]
fn a_snapshot_names_the_line_of_a_value_and_none_for_a_missing_key() {
    let (_dir, store) = store();
    std::fs::write(
        store.path(),
        "\u{feff}# note\n[server]\nurl = \"http://a.example\"\n\n[profiles.p]\nnamespace = \"ns\"\n",
    )
    .unwrap();
    let snapshot = store.load().unwrap();
    let line = |key: &str| snapshot.line_of(&key.parse().unwrap());
    assert_eq!(line("server.url"), Some(3));
    assert_eq!(line("profiles.p.namespace"), Some(6));
    assert_eq!(line("server.timeout"), None);
    assert_eq!(line("other.key"), None);
}

#[test]
fn a_carried_value_is_kept_as_written_and_a_new_one_is_checked() {
    let (_dir, store) = store();
    let text = "[server]\nurl = \"http://a\"\nnamespace = \"Bad_NS\"\n";
    std::fs::write(store.path(), text).unwrap();
    // A value the schema refuses, copied as it is, is the user's: it is kept.
    let done = store
        .transaction(|tx| {
            assert_eq!(tx.line_of(&"server.namespace".parse().unwrap()), Some(3));
            let copied = tx.carry("server.namespace", "previous-server.namespace")?;
            let nothing = tx.carry("server.timeout", "previous-server.timeout")?;
            tx.set_str("server.namespace", "ok")?;
            Ok((copied, nothing))
        })
        .unwrap();
    assert_eq!(*done.value(), (true, false));
    assert_eq!(
        store.get("previous-server.namespace").unwrap(),
        Some(Value::from("Bad_NS"))
    );
    assert_eq!(
        store.get("server.namespace").unwrap(),
        Some(Value::from("ok"))
    );

    // Only a key the schema knows can receive a value; a refused transaction writes nothing.
    let before = std::fs::read(store.path()).unwrap();
    let err = store
        .transaction(|tx| tx.carry("server.url", "elsewhere.url").map(|_| ()))
        .unwrap_err();
    assert!(matches!(err, Error::UnknownKey { .. }), "{err}");
    assert_eq!(std::fs::read(store.path()).unwrap(), before);
}

#[test]
fn the_comment_at_the_top_stays_at_the_top_whichever_way_its_table_goes() {
    let (_dir, store) = store();
    let text = "# managed by ops\n[server]\nurl = \"http://a\"\n";
    // The table's last value removed: the table goes, the file's comment stays.
    std::fs::write(store.path(), text).unwrap();
    store.transaction(|tx| tx.unset("server.url")).unwrap();
    assert_eq!(
        std::fs::read_to_string(store.path()).unwrap(),
        "# managed by ops\n"
    );
    // An inline table's last value: the key that held it goes, and nothing else.
    std::fs::write(
        store.path(),
        "server = { url = \"http://a\" }\n[other]\nx = 1\n",
    )
    .unwrap();
    store.transaction(|tx| tx.unset("server.url")).unwrap();
    assert_eq!(
        std::fs::read_to_string(store.path()).unwrap(),
        "[other]\nx = 1\n"
    );
    // The table removed after another was added: the comment goes above the new one.
    for (new, header) in [
        ("previous-server.url", "[previous-server]"),
        ("profiles.p.url", "[profiles.p]"),
    ] {
        std::fs::write(store.path(), text).unwrap();
        store
            .transaction(|tx| {
                tx.set_str(new, "http://b")?;
                tx.unset("server").map(|_| ())
            })
            .unwrap();
        assert_eq!(
            std::fs::read_to_string(store.path()).unwrap(),
            format!("# managed by ops\n{header}\nurl = \"http://b\"\n")
        );
    }
}

#[test]
fn the_comment_above_the_first_top_level_value_heads_the_file_when_the_value_goes() {
    let (_dir, store) = store();
    let cases = [
        // A plain file, edited as text: the first value's own line goes, the comment stays.
        (
            "# top\n\n  x = \"a\"\ny = \"b\"\n",
            None,
            "# top\n\ny = \"b\"\n",
        ),
        // Alone: the comment is what is left.
        ("# top\nx = { a = \"x\" }\n", None, "# top\n"),
        // The next top-level value, the first table, or a table added in the transaction.
        (
            "# top\nx = { a = \"x\" }\n# b's\nb = 1\n",
            None,
            "# top\n# b's\nb = 1\n",
        ),
        (
            "# top\nx = { a = \"x\" }\n\n[t]\nk = 1\n",
            None,
            "# top\n\n[t]\nk = 1\n",
        ),
        (
            "# top\nx = { a = \"x\" }\n",
            Some("previous-server.url"),
            "# top\n\n[previous-server]\nurl = \"http://b\"\n",
        ),
    ];
    for (text, added, expected) in cases {
        std::fs::write(store.path(), text).unwrap();
        // `x` is no key of the schema: kept as the file holds it, removable all the same.
        store
            .transaction(|tx| {
                if let Some(key) = added {
                    tx.set_str(key, "http://b")?;
                }
                tx.unset(if text.contains('{') { "x.a" } else { "x" })
                    .map(|_| ())
            })
            .unwrap();
        assert_eq!(
            std::fs::read_to_string(store.path()).unwrap(),
            expected,
            "{text}"
        );
    }
    // A comment above any other value is that value's, and goes with it.
    std::fs::write(store.path(), "a = 1\n# b's\nb = 2\n").unwrap();
    store.transaction(|tx| tx.unset("b").map(|_| ())).unwrap();
    assert_eq!(std::fs::read_to_string(store.path()).unwrap(), "a = 1\n");

    // A key absent from an empty table removes nothing, not even the empty table (a file the
    // document edits: it holds a number).
    let text = "n = 1\n[profiles.x]\n\n[server]\nurl = \"http://a\"\n";
    std::fs::write(store.path(), text).unwrap();
    let gone = store.transaction(|tx| tx.unset("profiles.x.url")).unwrap();
    assert!(!gone.value());
    assert_eq!(std::fs::read_to_string(store.path()).unwrap(), text);

    // The first line holds dotted keys: (text, key removed, what is left).
    let dotted = [
        // The next dotted value, of the same table or another, is the first line.
        ("# top\nu.a = 1\nu.b = 2\n", "u.a", "# top\nu.b = 2\n"),
        ("# top\nu.v.a = 1\nw.b = 2\n", "u", "# top\nw.b = 2\n"),
        ("# top\nx = 1\nu.a = 2\n", "x", "# top\nu.a = 2\n"),
        // The table they made gone: above the first table.
        (
            "# top\nu.a = 1\nu.b = 2\n\n[t]\nk = 1\n",
            "u",
            "# top\n\n[t]\nk = 1\n",
        ),
        // Not the first line: the comment at the top stays where it is.
        ("# top\nu.a = 1\nu.b = 2\n", "u.b", "# top\nu.a = 1\n"),
    ];
    for (text, key, expected) in dotted {
        std::fs::write(store.path(), text).unwrap();
        store.transaction(|tx| tx.unset(key).map(|_| ())).unwrap();
        assert_eq!(
            std::fs::read_to_string(store.path()).unwrap(),
            expected,
            "{text} without {key}"
        );
    }
}
