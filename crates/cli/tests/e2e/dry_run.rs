//! `--dry-run` on every command that changes the file: it prints the change set the command
//! would commit and writes nothing; the real run then commits exactly that change set.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::{run, script, Sandbox, Server};

const FILE: &str = "# my servers\n[server]\nurl = \"http://old.example\"\nnamespace = \"old\"\n\n[profiles.lab]\nurl = \"http://lab.example\"\nnamespace = \"lab\"\n\n[profiles.keep]\nurl = \"http://old.example\"\nnamespace = \"old\"\n";

/// Every leaf of a TOML text, as JSON values, by dotted key.
fn leaves(text: &str) -> BTreeMap<String, Value> {
    crate::support::leaves(&text.parse().unwrap())
        .into_iter()
        .map(|(key, value)| (key, serde_json::to_value(value).unwrap()))
        .collect()
}

/// The change set between two texts, as the dry run prints it.
fn diff(before: &str, after: &str) -> Value {
    let (old, new) = (leaves(before), leaves(after));
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    let changes: Vec<Value> = keys
        .into_iter()
        .filter(|key| old.get(*key) != new.get(*key))
        .map(|key| serde_json::json!({"key": key, "old": old.get(key), "new": new.get(key)}))
        .collect();
    Value::Array(changes)
}

#[test]
fn every_writing_command_prints_its_change_set_and_writes_nothing() {
    let server = Server::http(200);
    let url = server.url();
    let sandbox = Sandbox::new();
    let editor = script(
        sandbox.dir.path(),
        "ed.sh",
        "sed -i 's/namespace = \"old\"/namespace = \"edited\"/' \"$1\"",
    );
    let tmp = sandbox.path("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec![
            "config",
            "set",
            "server.namespace",
            "team-b",
            "server.timeout",
            "30s",
        ],
        vec!["config", "unset", "profiles.lab", "server.namespace"],
        vec!["config", "edit"],
        vec![
            "server",
            "connect",
            &url,
            "--namespace",
            "n",
            "--save-as",
            "new",
            "--force",
        ],
        vec!["server", "use", "lab"],
        vec!["server", "disconnect"],
        vec!["server", "forget", "lab"],
    ];
    for args in commands {
        sandbox.write_config(FILE);
        // The real run of the last command made one; a dry run makes none.
        let _ = std::fs::remove_file(sandbox.path("config.toml.lock"));
        let cmd = || {
            let mut cmd = sandbox.cmd();
            cmd.env("EDITOR", &editor).env("TMPDIR", &tmp);
            cmd
        };
        let dry = run(cmd().args(&args).args(["--dry-run", "--json"]));
        assert_eq!(dry.code, 0, "{args:?}: {dry:?}");
        assert_eq!(sandbox.text(), FILE, "{args:?}: the dry run wrote");
        assert!(!sandbox.path("config.toml.lock").exists(), "{args:?}");
        let printed = dry.json();
        assert_eq!(printed["dry-run"], true, "{args:?}");
        assert!(
            !printed["changes"].as_array().unwrap().is_empty(),
            "{args:?}"
        );
        let text = run(cmd().args(&args).arg("--dry-run"));
        assert_eq!(text.code, 0, "{args:?}: {text:?}");
        assert!(text.stdout.starts_with("would "), "{args:?}: {text:?}");
        assert!(
            text.stderr.contains("dry run: nothing was written"),
            "{text:?}"
        );
        assert_eq!(sandbox.text(), FILE, "{args:?}: the dry run wrote");

        let real = run(cmd().args(&args));
        assert_eq!(real.code, 0, "{args:?}: {real:?}");
        assert_eq!(
            printed["changes"],
            diff(FILE, &sandbox.text()),
            "{args:?}: the dry run's change set is not what the real run committed"
        );
    }
}

#[test]
fn a_dry_run_shows_nothing_to_change_and_is_refused_where_nothing_is_written() {
    let sandbox = Sandbox::with_config(FILE);
    let out = run(sandbox
        .cmd()
        .args(["config", "set", "server.namespace", "old", "--dry-run"]));
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "nothing would change\n"),
        "{out:?}"
    );
    let out = run(sandbox
        .cmd()
        .args(["config", "unset", "server.url", "--dry-run"]));
    assert_eq!(
        out.stdout, "would unset server.url (was \"http://old.example\")\n",
        "{out:?}"
    );
    let out = run(sandbox
        .cmd()
        .args(["config", "get", "server.url", "--dry-run"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("--dry-run applies to commands that change"),
        "{out:?}"
    );
    // An invalid change is refused by a dry run as by the real run.
    let out = run(sandbox
        .cmd()
        .args(["config", "set", "server.url", "ftp://x", "--dry-run"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(sandbox.text(), FILE);
}
