//! `server disconnect`, `use`, `profiles` and `forget`.

use crate::support::{run, Sandbox, Server};

const TWO_PROFILES: &str = "\
# top comment
[server]
url = \"http://current.example\"
namespace = \"cur\"
extra = \"from an old version\"

[profiles.lab]   # the lab
url = \"https://lab.example:8443\"
namespace = \"lab-ns\"
tls-verify = false
timeout = \"3s\"

[profiles.prod]
url = \"https://prod.example\"

[other]
x = 1
";

#[test]
fn disconnect_removes_server_only_and_is_idempotent() {
    let rest = "# top comment\n[other]\nx = 1 # one\n";
    let profiles = "\n# saved\n[profiles.lab]\nurl = \"https://lab.example\"\n";
    let sandbox = Sandbox::with_config(format!(
        "{rest}\n[server]\nurl = \"http://current.example\"\ntimeout = \"3s\"\n{profiles}"
    ));
    let out = run(sandbox.cmd().args(["server", "disconnect"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        format!(
            "disconnected from http://current.example; [server] removed from {}; `cleveragents server use -` reconnects\n",
            sandbox.config.display()
        )
    );
    assert!(sandbox.toml().get("server").is_none());
    // The connection is kept as the previous one, after everything else.
    let previous = "\n[previous-server]\nurl = \"http://current.example\"\nnamespace = \"default\"\ntls-verify = true\ntimeout = \"3s\"\n";
    assert_eq!(sandbox.text(), format!("{rest}{profiles}{previous}"));

    // A key no command owns stays in [server], and so does the table.
    let kept = Sandbox::with_config("[server]\nurl = \"http://a\"\n# mine\nextra = 1\n");
    let out = run(kept.cmd().args(["server", "disconnect"]));
    assert_eq!(
        out.stdout,
        format!(
            "disconnected from http://a; the connection's keys removed from [server] (keys no command owns stay) in {}; `cleveragents server use -` reconnects\n",
            kept.config.display()
        )
    );
    assert!(
        kept.text().starts_with("[server]\n# mine\nextra = 1\n"),
        "{}",
        kept.text()
    );
    let before = sandbox.bytes();
    let out = run(sandbox.cmd().args(["server", "disconnect"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "not connected: nothing to do\n");
    assert_eq!(sandbox.bytes(), before);
    let json = run(sandbox.cmd().args(["server", "disconnect", "--json"])).json();
    assert_eq!(json["disconnected"], false);
    assert_eq!(json["url"], serde_json::Value::Null);

    // No file at all: nothing is created.
    let empty = Sandbox::new();
    assert_eq!(run(empty.cmd().args(["server", "disconnect"])).code, 0);
    assert!(!empty.config.exists());

    // The environment still provides a server: say so.
    let out = run(empty
        .cmd()
        .env("CLEVERAGENTS_SERVER_URL", "http://env.example")
        .args(["server", "disconnect"]));
    assert!(
        out.stderr.contains("CLEVERAGENTS_SERVER_URL is still set"),
        "{out:?}"
    );
}

#[test]
fn disconnect_without_a_url_still_removes_the_table() {
    let sandbox = Sandbox::with_config("[server]\nnamespace = \"x\"\n");
    let out = run(sandbox.cmd().args(["server", "disconnect"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        format!("[server] removed from {}\n", sandbox.config.display())
    );
    assert_eq!(sandbox.text(), "");
}

#[test]
fn profiles_show_their_ca_file() {
    let sandbox = Sandbox::with_config(
        "[profiles.lab]\nurl = \"https://lab\"\nca-cert = \"/etc/lab-ca.pem\"\n",
    );
    let out = run(sandbox.cmd().args(["server", "profiles"]));
    assert_eq!(
        out.stdout,
        "  lab  https://lab  (namespace default, ca-cert /etc/lab-ca.pem)\n"
    );
}

#[test]
fn disconnect_json_names_the_old_url() {
    let sandbox = Sandbox::with_config(TWO_PROFILES);
    let json = run(sandbox.cmd().args(["server", "disconnect", "--json"])).json();
    assert_eq!(json["disconnected"], true);
    assert_eq!(json["url"], "http://current.example");
}

#[test]
fn profiles_lists_them_and_marks_the_one_in_use() {
    let sandbox = Sandbox::with_config(TWO_PROFILES);
    let out = run(sandbox.cmd().args(["server", "profiles"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        "  lab   https://lab.example:8443  (namespace lab-ns, tls-verify off, timeout 3s)\n  prod  https://prod.example  (namespace default)\n"
    );
    let out = run(sandbox.cmd().args(["server", "use", "prod", "--force"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        "using profile prod: https://prod.example (namespace default)\nreplaced http://current.example (namespace cur); `cleveragents server use -` returns to it\n"
    );
    let out = run(sandbox.cmd().args(["server", "profiles"]));
    assert_eq!(
        out.stdout,
        "  lab   https://lab.example:8443  (namespace lab-ns, tls-verify off, timeout 3s)\n* prod  https://prod.example  (namespace default)\nprevious connection: http://current.example (namespace cur); `cleveragents server use -` returns to it\n"
    );
    let out = run(sandbox.cmd().args(["server", "use", "lab"]));
    assert_eq!(out.code, 0, "{out:?}");
    let out = run(sandbox.cmd().args(["server", "profiles"]));
    assert_eq!(
        out.stdout,
        "* lab   https://lab.example:8443  (namespace lab-ns, tls-verify off, timeout 3s)\n- prod  https://prod.example  (namespace default)\n"
    );
    let out = run(sandbox.cmd().args(["server", "use", "-"]));
    assert_eq!(
        out.stdout,
        "using the previous connection: https://prod.example (namespace default, profile prod)\nreplaced https://lab.example:8443 (namespace lab-ns, profile lab); `cleveragents server use -` returns to it\n"
    );
    let json = run(sandbox.cmd().args(["server", "profiles", "--json"])).json();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["name"], "lab");
    assert_eq!(rows[0]["active"], false);
    assert_eq!(rows[0]["tls-verify"], false);
    assert_eq!(rows[0]["timeout"], "3s");
    assert_eq!(rows[1]["name"], "prod");
    assert_eq!(rows[1]["active"], true);
    assert_eq!(rows[1]["url"], "https://prod.example");

    let empty = Sandbox::new();
    let out = run(empty.cmd().args(["server", "profiles"]));
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("--save-as"), "{out:?}");
    assert_eq!(
        run(empty.cmd().args(["server", "profiles", "--json"])).stdout,
        "[]\n"
    );
}

#[test]
fn use_copies_a_profile_into_server_whole() {
    let sandbox = Sandbox::with_config(TWO_PROFILES);
    let out = run(sandbox
        .cmd()
        .args(["server", "use", "lab", "--json", "--force"]));
    assert_eq!(out.code, 0, "{out:?}");
    let json = out.json();
    assert_eq!(json["profile"], "lab");
    assert_eq!(json["url"], "https://lab.example:8443");
    assert_eq!(json["changed"], true);
    let toml = sandbox.toml();
    let server = toml["server"].as_table().unwrap();
    assert_eq!(server["url"].as_str(), Some("https://lab.example:8443"));
    assert_eq!(server["namespace"].as_str(), Some("lab-ns"));
    assert_eq!(server["tls-verify"].as_bool(), Some(false));
    assert_eq!(server["timeout"].as_str(), Some("3s"));
    // A key no command owns stays.
    assert_eq!(server["extra"].as_str(), Some("from an old version"));
    let text = sandbox.text();
    assert!(text.starts_with("# top comment\n[server]\n"), "{text}");
    assert!(text.contains("[profiles.lab]   # the lab\n"), "{text}");
    assert!(
        text.ends_with("[other]\nx = 1\n\n[previous-server]\nurl = \"http://current.example\"\nnamespace = \"cur\"\ntls-verify = true\n"),
        "{text}"
    );
    assert_eq!(json["replaced"]["url"], "http://current.example");
}

#[test]
fn use_and_forget_refuse_unknown_or_invalid_names_without_writing() {
    let sandbox = Sandbox::with_config(TWO_PROFILES);
    let before = sandbox.bytes();
    for (args, code, expected) in [
        (
            vec!["server", "use", "nope"],
            1,
            "error: no profile named \"nope\"",
        ),
        (
            vec!["server", "forget", "nope"],
            1,
            "error: no profile named \"nope\"",
        ),
        (
            vec!["server", "use", "Bad_Name"],
            2,
            "error: invalid profile name \"Bad_Name\"",
        ),
        (
            vec!["server", "forget", "--", "-x"],
            2,
            "error: invalid profile name \"-x\"",
        ),
    ] {
        let out = run(sandbox.cmd().args(&args));
        assert_eq!(out.code, code, "{args:?}: {out:?}");
        assert!(out.stderr.starts_with(expected), "{args:?}: {out:?}");
        assert!(out.stderr.contains("hint:"), "{out:?}");
        assert_eq!(sandbox.bytes(), before);
    }
    // A profile without a url cannot be used.
    let sandbox = Sandbox::with_config("[profiles.half]\nnamespace = \"x\"\n");
    let out = run(sandbox.cmd().args(["server", "use", "half"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains("profile \"half\" has no url"),
        "{out:?}"
    );
}

#[test]
fn forget_deletes_one_profile_and_keeps_the_connection() {
    let sandbox = Sandbox::with_config(TWO_PROFILES);
    let out = run(sandbox.cmd().args(["server", "forget", "lab"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        "forgot profile lab: removed profiles.lab.url, profiles.lab.namespace, profiles.lab.tls-verify, profiles.lab.timeout\n"
    );
    let toml = sandbox.toml();
    assert!(toml["profiles"].get("lab").is_none());
    assert!(toml["profiles"].get("prod").is_some());
    assert_eq!(
        toml["server"]["url"].as_str(),
        Some("http://current.example")
    );
    let json = run(sandbox.cmd().args(["server", "forget", "prod", "--json"])).json();
    assert_eq!(json["forgotten"], "prod");
    assert_eq!(json["removed"], serde_json::json!(["profiles.prod.url"]));
    assert!(sandbox.toml().get("profiles").is_none());

    // A key of the profile no command owns stays, and is named.
    let sandbox = Sandbox::with_config("[profiles.p]\nurl = \"http://p\"\nowner = \"ops\"\n");
    let out = run(sandbox.cmd().args(["server", "forget", "p"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "forgot profile p: removed profiles.p.url\n");
    assert!(
        out.stderr
            .contains("kept profiles.p.owner: no command owns it"),
        "{out:?}"
    );
    assert_eq!(sandbox.text(), "[profiles.p]\nowner = \"ops\"\n");
}

#[test]
fn a_forgotten_profile_is_saved_again_by_the_command_forget_prints() {
    let current = TWO_PROFILES.replace(
        "namespace = \"cur\"\n",
        "namespace = \"cur\"\nprofile = \"lab\"\n",
    );
    let sandbox = Sandbox::with_config(&current);
    let before = sandbox.toml();
    let json = run(sandbox.cmd().args(["server", "forget", "lab", "--json"])).json();
    let restore: Vec<String> = serde_json::from_value(json["restore"].clone()).unwrap();
    assert_eq!(
        restore,
        [
            "cleveragents",
            "config",
            "set",
            "profiles.lab.url",
            "https://lab.example:8443",
            "profiles.lab.namespace",
            "lab-ns",
            "profiles.lab.tls-verify",
            "false",
            "profiles.lab.timeout",
            "3s",
            "server.profile",
            "lab",
        ]
    );
    assert!(sandbox.toml()["profiles"].get("lab").is_none());
    let out = run(sandbox.cmd().args(&restore[1..]));
    assert_eq!(out.code, 0, "{out:?}");
    let after = sandbox.toml();
    assert_eq!(after["profiles"]["lab"], before["profiles"]["lab"]);
    assert_eq!(after["server"], before["server"]);

    // The text says the same command, quoted for a shell.
    let out = run(sandbox.cmd().args(["server", "forget", "lab"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr
            .contains(&format!("note: to restore it: {}\n", restore.join(" "))),
        "{out:?}"
    );
}

#[test]
fn connect_save_as_then_use_round_trips() {
    let a = Server::http(200);
    let b = Server::http(200);
    let sandbox = Sandbox::new();
    for (server, name) in [(&a, "a"), (&b, "b")] {
        let out = run(sandbox
            .cmd()
            .args(["server", "connect", &server.url(), "--save-as", name]));
        assert_eq!(out.code, 0, "{out:?}");
    }
    assert_eq!(
        sandbox.toml()["server"]["url"].as_str(),
        Some(b.url().as_str())
    );
    assert_eq!(run(sandbox.cmd().args(["server", "use", "a"])).code, 0);
    assert_eq!(
        sandbox.toml()["server"]["url"].as_str(),
        Some(a.url().as_str())
    );
    let out = run(sandbox.cmd().args(["server", "profiles"]));
    assert!(out.stdout.starts_with("* a "), "{out:?}");
    let out = run(sandbox.cmd().args(["server", "status"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(a.requests().len(), 2);
}

#[test]
fn a_mistyped_profile_name_gets_a_suggestion() {
    let sandbox = Sandbox::with_config(
        "[server]\nurl = \"http://lab.example\"\n[profiles.lab]\nurl = \"http://lab.example\"\nnamespace = \"default\"\n[profiles.production]\nurl = \"http://p.example\"\n",
    );
    let before = sandbox.bytes();
    for (command, typo, meant) in [("use", "lba", "lab"), ("forget", "prodution", "production")] {
        let out = run(sandbox.cmd().args(["server", command, typo]));
        assert_eq!(out.code, 1, "{out:?}");
        assert!(
            out.stderr
                .contains(&format!("hint: did you mean `{meant}`?")),
            "{out:?}"
        );
        assert_eq!(sandbox.bytes(), before);
    }
    // Nothing close: no suggestion.
    let out = run(sandbox.cmd().args(["server", "use", "staging"]));
    assert!(!out.stderr.contains("did you mean"), "{out:?}");
}

#[test]
fn the_current_profile_is_recorded_shown_and_kept_until_the_connection_changes() {
    let sandbox = Sandbox::new();
    let connect = |url: &str, extra: &[&str]| {
        let out = run(sandbox
            .cmd()
            .args(["server", "connect", url, "--no-check"])
            .args(extra));
        assert_eq!(out.code, 0, "{out:?}");
    };
    let current = || {
        let toml = sandbox.toml();
        toml.get("server")
            .and_then(|s| s.get("profile"))
            .and_then(|p| p.as_str())
            .map(str::to_string)
    };
    let marked = || {
        let json = run(sandbox.cmd().args(["server", "profiles", "--json"])).json();
        json.as_array()
            .unwrap()
            .iter()
            .filter(|row| row["active"] == true)
            .map(|row| row["name"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    connect("http://lab.example", &["--save-as", "lab"]);
    connect("http://other.example", &["--save-as", "other"]);
    let out = run(sandbox.cmd().args(["server", "use", "lab"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(current().as_deref(), Some("lab"));
    assert_eq!(marked(), ["lab"]);
    let out = run(sandbox.cmd().args(["server", "status", "--timeout", "1ms"]));
    assert!(out.stdout.contains("\nprofile:     lab\n"), "{out:?}");
    // A change elsewhere, even to the profile itself, leaves the record as it is.
    for pair in [
        ["profiles.lab.timeout", "5s"],
        ["profiles.spare.url", "http://spare.example"],
    ] {
        let out = run(sandbox.cmd().arg("config").arg("set").args(pair));
        assert_eq!(out.code, 0, "{out:?}");
        assert_eq!(marked(), ["lab"], "after config set {pair:?}");
    }
    // Connecting to the same settings keeps it; to others (without --save-as) clears it.
    // ([server] no longer matches the edited profile: replacing it takes --force.)
    connect("http://lab.example", &["--timeout", "5s", "--force"]);
    assert_eq!(current().as_deref(), Some("lab"));
    connect("http://elsewhere.example", &["--force"]);
    assert_eq!(current(), None);
    assert!(marked().is_empty());
    let json = run(sandbox
        .cmd()
        .args(["server", "status", "--json", "--timeout", "1ms"]))
    .json();
    assert_eq!(json["profile"], serde_json::Value::Null);
    // Forgetting the current profile clears the record; disconnecting removes it with [server].
    let out = run(sandbox.cmd().args(["server", "use", "other", "--force"]));
    assert_eq!(out.code, 0, "{out:?}");
    let json = run(sandbox
        .cmd()
        .args(["server", "status", "--json", "--timeout", "1ms"]))
    .json();
    assert_eq!(json["profile"], "other");
    let out = run(sandbox.cmd().args(["server", "forget", "other"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(current(), None);
    let out = run(sandbox.cmd().args(["server", "use", "lab", "--force"]));
    assert_eq!(out.code, 0, "{out:?}");
    let out = run(sandbox.cmd().args(["server", "disconnect"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(sandbox.toml().get("server").is_none());
}

#[test]
fn use_takes_a_profile_whose_ca_file_is_there_and_names_its_key_when_it_is_gone() {
    let sandbox = Sandbox::new();
    let ca = sandbox.file("ca.pem", crate::support::Pki::new().ca_pem);
    sandbox.write_config(format!(
        "[profiles.sec]\nurl = \"https://sec.example\"\nca-cert = \"{}\"\n",
        ca.display()
    ));
    let out = run(sandbox.cmd().args(["server", "use", "sec"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(sandbox.toml()["server"]["ca-cert"].as_str(), ca.to_str());
    std::fs::remove_file(&ca).unwrap();
    let before = sandbox.bytes();
    let out = run(sandbox.cmd().args(["server", "use", "sec", "--force"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains("the CA file of `profiles.sec.ca-cert`"),
        "{out:?}"
    );
    assert_eq!(sandbox.bytes(), before);
}

#[test]
fn rename_moves_a_profile_and_the_records_that_name_it_follow() {
    let sandbox = Sandbox::with_config(
        "[server]\nurl = \"http://a\"\nprofile = \"lab\"\n\n[profiles.lab]   # the lab\nurl = \"http://a\"\ntimeout = \"3s\"\nowner = \"ops\"\n\n[profiles.other]\nurl = \"http://o\"\n\n[previous-server]\nurl = \"http://b\"\nprofile = \"lab\"\n",
    );
    let out = run(sandbox.cmd().args(["server", "rename", "lab", "bench"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        "renamed profile lab to bench: moved profiles.lab.url, profiles.lab.timeout, profiles.lab.owner\nset server.profile = \"bench\"\nset previous-server.profile = \"bench\"\n"
    );
    assert_eq!(out.stderr, "", "{out:?}");
    let toml = sandbox.toml();
    assert_eq!(toml["profiles"]["bench"]["url"].as_str(), Some("http://a"));
    assert_eq!(toml["profiles"]["bench"]["timeout"].as_str(), Some("3s"));
    assert_eq!(toml["profiles"]["bench"]["owner"].as_str(), Some("ops"));
    assert!(toml["profiles"].get("lab").is_none(), "{}", sandbox.text());
    assert!(
        sandbox.text().contains("[profiles.bench]   # the lab\n"),
        "{}",
        sandbox.text()
    );
    assert_eq!(toml["server"]["profile"].as_str(), Some("bench"));
    assert_eq!(toml["previous-server"]["profile"].as_str(), Some("bench"));

    // Refusals write nothing: an existing new name, a missing or impossible old one, a bad
    // new one; the same name is nothing to do.
    let before = sandbox.bytes();
    for (args, code, needle) in [
        (
            ["rename", "bench", "other"],
            1,
            "error: profiles.other exists already: profiles.other.url\n",
        ),
        (["rename", "nope", "x"], 1, "no profile named \"nope\""),
        (["rename", "Bad", "x"], 2, "invalid profile name"),
        (["rename", "bench", "Bad"], 2, "invalid profile name"),
        (["rename", "bench", "bench"], 0, ""),
    ] {
        let out = run(sandbox.cmd().arg("server").args(args));
        assert_eq!(out.code, code, "{args:?}: {out:?}");
        assert!(out.stderr.contains(needle), "{args:?}: {out:?}");
        assert_eq!(sandbox.bytes(), before, "{args:?}");
    }
    let out = run(sandbox.cmd().args(["server", "rename", "bench", "bench"]));
    assert_eq!(
        out.stdout,
        "profile bench already has that name: nothing to do\n"
    );

    // An empty table of the new name is in the way too.
    let sandbox = Sandbox::with_config("[profiles.lab]\nurl = \"http://a\"\n\n[profiles.empty]\n");
    let before = sandbox.bytes();
    let out = run(sandbox.cmd().args(["server", "rename", "lab", "empty"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .starts_with("error: profiles.empty exists already\n"),
        "{out:?}"
    );
    assert_eq!(sandbox.bytes(), before);
}

#[test]
fn use_dash_after_disconnect_reconnects_and_status_shows_the_previous_connection() {
    let sandbox = Sandbox::with_config("[server]\nurl = \"http://a.example\"\n");
    assert_eq!(run(sandbox.cmd().args(["server", "disconnect"])).code, 0);
    let out = run(sandbox.cmd().args(["server", "status"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains(
            "hint: return to the previous connection, http://a.example (namespace default), with `cleveragents server use -`"
        ),
        "{out:?}"
    );
    let out = run(sandbox.cmd().args(["server", "use", "-"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        "using the previous connection: http://a.example (namespace default)\n"
    );
    assert!(
        sandbox.toml().get("previous-server").is_none(),
        "{}",
        sandbox.text()
    );
    let out = run(sandbox
        .cmd()
        .args(["server", "connect", "http://b.example", "--no-check"]));
    assert_eq!(out.code, 0, "{out:?}");
    let out = run(sandbox.cmd().args(["server", "status", "--no-check"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.ends_with(
            "reachable:   not checked (--no-check)\nprevious:    http://a.example (namespace default); `cleveragents server use -` returns to it\n"
        ),
        "{out:?}"
    );
    // No profile at all: the note, then the previous connection.
    let out = run(sandbox.cmd().args(["server", "profiles"]));
    assert_eq!(
        out.stdout,
        "previous connection: http://a.example (namespace default); `cleveragents server use -` returns to it\n"
    );

    // An invalid connection cannot be kept: disconnect says nothing of reconnecting.
    let sandbox =
        Sandbox::with_config("[server]\nurl = \"http://a.example\"\ntls-verify = \"yes\"\n");
    let out = run(sandbox.cmd().args(["server", "disconnect"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(!out.stdout.contains("server use -"), "{out:?}");
}

#[test]
fn disconnect_removes_a_value_written_where_the_server_table_belongs() {
    let sandbox =
        Sandbox::with_config("# top\nserver = \"http://a\"\n\n[profiles.p]\nurl = \"http://p\"\n");
    let out = run(sandbox.cmd().args(["server", "disconnect"]));
    assert_eq!(out.code, 0, "{out:?}");
    let toml = sandbox.toml();
    assert!(toml.get("server").is_none(), "{}", sandbox.text());
    assert_eq!(toml["profiles"]["p"]["url"].as_str(), Some("http://p"));
}

#[test]
fn use_json_replaces_nothing_when_there_was_no_connection() {
    let sandbox = Sandbox::with_config("[profiles.p]\nurl = \"http://p\"\n");
    let out = run(sandbox.cmd().args(["server", "use", "p", "--json"]));
    assert_eq!(out.code, 0, "{out:?}");
    let json = out.json();
    assert_eq!(json["replaced"], serde_json::Value::Null, "{json}");
    assert_eq!(json["profile"], "p", "{json}");
    assert_eq!(sandbox.toml()["server"]["url"].as_str(), Some("http://p"));
}
