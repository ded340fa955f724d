//! `config get/set/unset/list/path/validate`.

use crate::support::{bare_cmd, run, Sandbox};

const FILE: &str = "\
# settings
[server]
url = \"http://h.example\"   # the server
namespace = \"team-a\"

[ui]
theme = \"dark\"
";

#[test]
fn get_prints_the_value_and_a_missing_key_exits_1_silently() {
    let sandbox = Sandbox::with_config(FILE);
    let out = run(sandbox.cmd().args(["config", "get", "server.url"]));
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "http://h.example\n", "")
    );
    // Defaults apply to server keys.
    let out = run(sandbox.cmd().args(["config", "get", "server.tls-verify"]));
    assert_eq!((out.code, out.stdout.as_str()), (0, "true\n"));
    // Unknown keys in the file can be read.
    let out = run(sandbox.cmd().args(["config", "get", "ui.theme"]));
    assert_eq!((out.code, out.stdout.as_str()), (0, "dark\n"));
    // Missing: exit 1, nothing on stdout.
    for key in ["server.ca-cert", "profiles.lab.url"] {
        let out = run(sandbox.cmd().args(["config", "get", key]));
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr.as_str()),
            (1, "", ""),
            "{key}"
        );
    }
    // No file: missing too.
    let empty = Sandbox::new();
    let out = run(empty.cmd().args(["config", "get", "server.url"]));
    assert_eq!((out.code, out.stdout.as_str()), (1, ""));
    // A table prints its values, as `config list TABLE` does.
    let out = run(sandbox.cmd().args(["config", "get", "server"]));
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (
            0,
            "server.url = \"http://h.example\"\nserver.namespace = \"team-a\"\n"
        ),
        "{out:?}"
    );
    let list = run(sandbox.cmd().args(["config", "list", "server"]));
    assert_eq!(list.stdout, out.stdout);
}

#[test]
fn list_takes_a_prefix_and_lists_only_what_is_under_it() {
    let sandbox = Sandbox::with_config(FILE);
    let out = run(sandbox.cmd().args(["config", "list", "ui"]));
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "ui.theme = \"dark\"\n")
    );
    let out = run(sandbox
        .cmd()
        .args(["config", "list", "server.url", "--show-origin"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .ends_with("\tserver.url = \"http://h.example\"\n"),
        "{out:?}"
    );
    assert_eq!(out.stdout.lines().count(), 1, "{out:?}");
    // `serv` is not a table: keys are matched by whole segments.
    let out = run(sandbox.cmd().args(["config", "list", "serv", "--json"]));
    assert_eq!((out.code, out.stderr.as_str()), (1, ""), "{out:?}");
    assert_eq!(
        out.json()["error"]["message"],
        "nothing is set under `serv`"
    );
    // The same for people: nothing on stdout, nothing on stderr, exit 1.
    let out = run(sandbox.cmd().args(["config", "list", "serv"]));
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (1, "", ""),
        "{out:?}"
    );
    let out = run(sandbox.cmd().args(["config", "list", "a..b"]));
    assert_eq!(out.code, 2, "{out:?}");
    // Why a key is not set, under --json: a profile key's default needs its profile.
    let out = run(sandbox
        .cmd()
        .args(["config", "get", "profiles.x.namespace", "--json"]));
    assert_eq!((out.code, out.stderr.as_str()), (1, ""), "{out:?}");
    assert_eq!(
        out.json()["error"]["message"],
        "`profiles.x.namespace` is not set: it is not in the file, and no such profile exists for its default to apply to"
    );
}

#[test]
fn profile_names_one_a_line_and_status_without_the_network() {
    let sandbox = Sandbox::with_config(
        "[server]\nurl = \"http://127.0.0.1:9\"\n\n[profiles.prod]\nurl = \"http://p.example\"\n\n[profiles.Odd]\nurl = \"x\"\n",
    );
    let out = run(sandbox.cmd().args(["server", "profiles", "--names"]));
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "prod\nOdd\n", "")
    );
    let out = run(sandbox
        .cmd()
        .args(["server", "profiles", "--names", "--json"]));
    assert_eq!(out.json(), serde_json::json!(["prod", "Odd"]));
    // Port 9 answers nothing: --no-check does not ask it.
    let out = run(sandbox.cmd().args(["server", "status", "--no-check"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("server:      http://127.0.0.1:9\n"),
        "{out:?}"
    );
    assert!(
        out.stdout
            .ends_with("reachable:   not checked (--no-check)\n"),
        "{out:?}"
    );
    let out = run(sandbox
        .cmd()
        .args(["server", "status", "--no-check", "--json"]));
    let json = out.json();
    assert_eq!(
        (json["checked"].clone(), json.get("reachable")),
        (false.into(), None)
    );
    let out = run(sandbox
        .cmd()
        .args(["server", "status", "--no-check", "--timeout", "1s"]));
    assert_eq!(out.code, 2, "{out:?}");
    let out = run(Sandbox::new()
        .cmd()
        .args(["server", "status", "--no-check"]));
    assert_eq!(out.code, 1, "{out:?}");
}

#[test]
fn get_json_and_env_overrides() {
    let sandbox = Sandbox::with_config(FILE);
    let json = run(sandbox
        .cmd()
        .args(["config", "get", "server.url", "--json"]))
    .json();
    assert_eq!(json["key"], "server.url");
    assert_eq!(json["value"], "http://h.example");
    assert_eq!(json["origin"], "file");
    assert_eq!(json["source"], sandbox.config.display().to_string());
    let json = run(sandbox
        .cmd()
        .env("CLEVERAGENTS_SERVER_TLS_VERIFY", "no")
        .args(["config", "get", "server.tls-verify", "--json"]))
    .json();
    assert_eq!(json["value"], false);
    assert_eq!(json["origin"], "env");
    assert_eq!(json["source"], "CLEVERAGENTS_SERVER_TLS_VERIFY");
    let json = run(sandbox
        .cmd()
        .args(["config", "get", "server.timeout", "--json"]))
    .json();
    assert_eq!(json["value"], "10s");
    assert_eq!(json["origin"], "default");
    assert_eq!(json["source"], serde_json::Value::Null);
    let out = run(sandbox
        .cmd()
        .env("CLEVERAGENTS_SERVER_URL", "https://env.example/")
        .args(["config", "get", "server.url"]));
    assert_eq!(out.stdout, "https://env.example\n");
}

#[test]
fn get_refuses_unknown_and_malformed_keys_with_exit_2() {
    let sandbox = Sandbox::with_config(FILE);
    let out = run(sandbox.cmd().args(["config", "get", "server.ulr"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "error: unknown configuration key `server.ulr`\nhint: did you mean `server.url`?\n"
    );
    let out = run(sandbox.cmd().args(["config", "get", "server..url"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("invalid key"), "{out:?}");
}

#[test]
fn set_applies_all_pairs_in_one_transaction() {
    let sandbox = Sandbox::with_config(FILE);
    let out = run(sandbox.cmd().args([
        "config",
        "set",
        "server.namespace",
        "team-b",
        "server.tls-verify",
        "off",
        "server.timeout",
        "1m30s",
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        "set server.namespace = \"team-b\" (was \"team-a\")\nset server.timeout = \"1m30s\"\nset server.tls-verify = false\n"
    );
    let toml = sandbox.toml();
    assert_eq!(toml["server"]["namespace"].as_str(), Some("team-b"));
    assert_eq!(toml["server"]["tls-verify"].as_bool(), Some(false));
    assert_eq!(toml["server"]["timeout"].as_str(), Some("1m30s"));
    let text = sandbox.text();
    assert!(
        text.starts_with("# settings\n[server]\nurl = \"http://h.example\"   # the server\n"),
        "{text}"
    );
    assert!(text.contains("\n[ui]\ntheme = \"dark\"\n"), "{text}");

    let out = run(sandbox
        .cmd()
        .args(["config", "set", "server.namespace", "team-b"]));
    assert_eq!(out.stdout, "nothing changed: the values are already set\n");

    let json = run(sandbox.cmd().args([
        "config",
        "set",
        "profiles.lab.url",
        "https://lab.example/",
        "--json",
    ]))
    .json();
    assert_eq!(json["changes"][0]["key"], "profiles.lab.url");
    assert_eq!(json["changes"][0]["old"], serde_json::Value::Null);
    assert_eq!(json["changes"][0]["new"], "https://lab.example");
}

#[test]
fn set_with_one_bad_pair_applies_none() {
    let sandbox = Sandbox::with_config(FILE);
    let before = sandbox.bytes();
    let out = run(sandbox.cmd().args([
        "config",
        "set",
        "server.namespace",
        "ok-ns",
        "server.timeout",
        "forever",
    ]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .starts_with("error: invalid value \"forever\" for `server.timeout`"),
        "{out:?}"
    );
    assert!(out.stderr.contains("hint: nothing was changed"), "{out:?}");
    assert_eq!(sandbox.bytes(), before);

    let out = run(sandbox.cmd().args([
        "config",
        "set",
        "server.ulr",
        "http://x",
        "server.namespace",
        "Bad",
        "server.url",
        "http://ok",
    ]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.starts_with("error: 2 of 3 pairs are invalid:"),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("hint: did you mean `server.url`?"),
        "{out:?}"
    );
    assert_eq!(sandbox.bytes(), before);

    // An odd number of arguments is a usage error.
    let out = run(sandbox.cmd().args([
        "config",
        "set",
        "server.url",
        "http://x",
        "server.namespace",
    ]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("\"server.namespace\" has no value"),
        "{out:?}"
    );
    let out = run(sandbox.cmd().args(["config", "set"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(sandbox.bytes(), before);

    // A key under a value.
    let out = run(sandbox.cmd().args(["config", "set", "server.url.x", "1"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(sandbox.bytes(), before);
}

#[test]
fn set_notes_environment_overrides_and_never_writes_them() {
    let sandbox = Sandbox::new();
    let out = run(sandbox
        .cmd()
        .env("CLEVERAGENTS_SERVER_URL", "http://env.example")
        .args(["config", "set", "server.url", "http://file.example"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("note: CLEVERAGENTS_SERVER_URL is set"),
        "{out:?}"
    );
    assert_eq!(sandbox.text(), "[server]\nurl = \"http://file.example\"\n");
}

#[test]
fn unset_removes_keys_and_tables_and_refuses_typos() {
    let sandbox = Sandbox::with_config(FILE);
    let out = run(sandbox.cmd().args([
        "config",
        "unset",
        "server.namespace",
        "server.ca-cert",
        "ui",
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        "unset server.namespace (was \"team-a\")\nunset ui.theme (was \"dark\")\n"
    );
    assert_eq!(out.stderr, "note: server.ca-cert was not set\n");
    assert_eq!(
        sandbox.text(),
        "# settings\n[server]\nurl = \"http://h.example\"   # the server\n"
    );

    let before = sandbox.bytes();
    let out = run(sandbox
        .cmd()
        .args(["config", "unset", "server.url", "server.ulr"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("did you mean `server.url`?"), "{out:?}");
    assert_eq!(
        sandbox.bytes(),
        before,
        "the valid key must not be removed either"
    );

    let json = run(sandbox
        .cmd()
        .args(["config", "unset", "server", "profiles.x", "--json"]))
    .json();
    assert_eq!(json["removed"], serde_json::json!(["server"]));
    assert_eq!(json["not-set"], serde_json::json!(["profiles.x"]));
    // The file's header comment is the file's, not the table's: it stays.
    assert_eq!(sandbox.text(), "# settings\n");

    let out = run(sandbox.cmd().args(["config", "unset"]));
    assert_eq!(out.code, 2, "{out:?}");
}

#[test]
fn list_shows_values_origins_and_json() {
    let sandbox = Sandbox::with_config(FILE);
    let out = run(sandbox.cmd().args(["config", "list"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        "server.url = \"http://h.example\"\nserver.namespace = \"team-a\"\nui.theme = \"dark\"\n"
    );
    let out = run(sandbox
        .cmd()
        .env("CLEVERAGENTS_SERVER_NAMESPACE", "env-ns")
        .env("CLEVERAGENTS_SERVER_TLS_VERIFY", "false")
        .args(["config", "list", "--show-origin", "--include-defaults"]));
    let file = format!("file:{}", sandbox.config.display());
    assert_eq!(
        out.stdout,
        format!(
            "{file}\tserver.url = \"http://h.example\"\n\
             env:CLEVERAGENTS_SERVER_NAMESPACE\tserver.namespace = \"env-ns\"\n\
             {file}\tui.theme = \"dark\"\n\
             env:CLEVERAGENTS_SERVER_TLS_VERIFY\tserver.tls-verify = false\n\
             default\tserver.timeout = \"10s\"\n"
        )
    );
    let json = run(sandbox
        .cmd()
        .args(["config", "list", "--json", "--include-defaults"]))
    .json();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0]["key"], "server.url");
    assert_eq!(rows[0]["origin"], "file");
    assert_eq!(rows[3]["key"], "server.tls-verify");
    assert_eq!(rows[3]["value"], true);
    assert_eq!(rows[3]["origin"], "default");

    let empty = Sandbox::new();
    let out = run(empty.cmd().args(["config", "list"]));
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
    assert_eq!(
        run(empty.cmd().args(["config", "list", "--json"])).stdout,
        "[]\n"
    );
}

#[test]
fn path_follows_the_precedence_rules() {
    let sandbox = Sandbox::new();
    let out = run(sandbox.cmd().args(["config", "path"]));
    assert_eq!(out.stdout, format!("{}\n", sandbox.config.display()));
    let json = run(sandbox.cmd().args(["config", "path", "--json"])).json();
    assert_eq!(json["origin"], "env");
    assert_eq!(json["source"], "CLEVERAGENTS_CONFIG");
    assert_eq!(json["exists"], false);

    let flag = sandbox.path("flag.toml");
    let out = run(sandbox
        .cmd()
        .args(["--config", flag.to_str().unwrap(), "config", "path"]));
    assert_eq!(out.stdout, format!("{}\n", flag.display()));
    // Relative flag paths are made absolute.
    let out = run(sandbox
        .cmd()
        .args(["config", "path", "--config", "rel.toml", "--json"]));
    assert_eq!(
        out.json()["path"],
        sandbox.path("rel.toml").display().to_string()
    );
    assert_eq!(out.json()["origin"], "flag");
    assert_eq!(out.json()["source"], "--config");

    let home = sandbox.path("home");
    let out = run(bare_cmd()
        .env("HOME", &home)
        .args(["config", "path", "--json"]));
    assert_eq!(
        out.json()["path"],
        home.join(".config/cleveragents/config.toml")
            .display()
            .to_string()
    );
    assert_eq!(out.json()["origin"], "default");
    assert_eq!(out.json()["source"], "HOME");
    let xdg = sandbox.path("xdg");
    let out = run(bare_cmd()
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", &xdg)
        .args(["config", "path"]));
    assert_eq!(
        out.stdout,
        format!("{}\n", xdg.join("cleveragents/config.toml").display())
    );
    let out = run(bare_cmd().env_remove("HOME").args(["config", "path"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("HOME is not set"), "{out:?}");

    // The default location is created on first write, with its directories.
    let out = run(bare_cmd()
        .env("HOME", &home)
        .args(["config", "set", "server.namespace", "n"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(home.join(".config/cleveragents/config.toml").is_file());
    let sandbox2 = Sandbox::with_config("not = [valid");
    let json = run(sandbox2.cmd().args(["config", "path", "--json"])).json();
    assert_eq!(json["exists"], true);
}

#[test]
fn validate_reports_problems_with_the_right_exit_code() {
    let sandbox = Sandbox::with_config(FILE);
    let out = run(sandbox.cmd().args(["config", "validate"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.starts_with(&format!(
            "warning: {}:7: unknown configuration key `ui.theme`",
            sandbox.config.display()
        )),
        "{out:?}"
    );
    assert!(
        out.stdout.ends_with(&format!(
            "{}: valid, 1 warning(s)\n",
            sandbox.config.display()
        )),
        "{out:?}"
    );

    // A bad file is a runtime failure, as for every command that reads it.
    let out = run(sandbox.cmd().args(["config", "validate", "--strict"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("is invalid: 1 error(s)"), "{out:?}");

    sandbox.write_config("[server]\nurl = \"ftp://x\"\ntimeout = 5\nnamspace = \"x\"\n");
    let before = sandbox.bytes();
    let out = run(sandbox.cmd().args(["config", "validate", "--json"]));
    assert_eq!(out.code, 1, "{out:?}");
    let json = out.json();
    assert_eq!(json["valid"], false);
    let problems = json["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 3, "{json}");
    assert_eq!(problems[0]["key"], "server.url");
    assert_eq!(problems[0]["severity"], "error");
    assert_eq!(problems[2]["key"], "server.namspace");
    assert_eq!(problems[2]["severity"], "warning");
    assert_eq!(problems[2]["hint"], "did you mean `server.namespace`?");
    assert_eq!(sandbox.bytes(), before);

    let out = run(sandbox
        .cmd()
        .env("CLEVERAGENTS_SERVER_NAMESPACE", "Not Valid")
        .args(["config", "validate"]));
    assert!(
        out.stdout
            .contains("CLEVERAGENTS_SERVER_NAMESPACE=\"Not Valid\""),
        "{out:?}"
    );

    // A bad override with a good file is invalid input, as for every command that reads it.
    let good = Sandbox::with_config("[server]\nurl = \"http://h\"\n");
    let out = run(good
        .cmd()
        .env("CLEVERAGENTS_SERVER_NAMESPACE", "Not Valid")
        .args(["config", "validate"]));
    assert_eq!(out.code, 2, "{out:?}");
    let get = run(good
        .cmd()
        .env("CLEVERAGENTS_SERVER_NAMESPACE", "Not Valid")
        .args(["config", "get", "server.namespace"]));
    assert_eq!(get.code, out.code, "{get:?}");

    let empty = Sandbox::new();
    let out = run(empty.cmd().args(["config", "validate"]));
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.ends_with("does not exist; the defaults apply\n"),
        "{out:?}"
    );
    let good = Sandbox::with_config("[server]\nurl = \"http://h\"\n");
    assert!(run(good.cmd().args(["config", "validate"]))
        .stdout
        .ends_with(": valid\n"));

    let broken = Sandbox::with_config("[server]\nurl = \"http://h\"\nurl = \"x\"\n");
    let out = run(broken.cmd().args(["config", "validate"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .starts_with(&format!("error: {}:3:", broken.config.display())),
        "{out:?}"
    );
}

#[test]
fn include_overridden_shows_the_file_value_an_override_hides() {
    let sandbox = Sandbox::with_config(FILE);
    let list = |extra: &[&str]| {
        run(sandbox
            .cmd()
            .env("CLEVERAGENTS_SERVER_URL", "http://env.example")
            .args(["config", "list"])
            .args(extra))
    };
    let out = list(&[]);
    assert!(!out.stdout.contains("h.example"), "{out:?}");
    let out = list(&["--include-overridden"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.starts_with(
            "server.url = \"http://env.example\"\nserver.url = \"http://h.example\"  # overridden by CLEVERAGENTS_SERVER_URL\n"
        ),
        "{out:?}"
    );
    let out = list(&["--include-overridden", "--show-origin"]);
    assert!(
        out.stdout.contains(&format!(
            "file:{}\tserver.url = \"http://h.example\"  # overridden by CLEVERAGENTS_SERVER_URL\n",
            sandbox.config.display()
        )),
        "{out:?}"
    );
    let json = list(&["--include-overridden", "--json"]).json();
    assert_eq!(json[0]["origin"], "env");
    assert_eq!(json[0]["source"], "CLEVERAGENTS_SERVER_URL");
    assert_eq!(json[1]["value"], "http://h.example");
    assert_eq!(json[1]["origin"], "file");
    assert_eq!(json[1]["overridden-by"], "CLEVERAGENTS_SERVER_URL");
    assert!(json[2].get("overridden-by").is_none(), "{json}");
}

#[test]
fn config_get_checks_a_profile_value_by_its_field_whatever_the_name() {
    let sandbox = Sandbox::with_config(
        "[profiles.Lab]\nurl = \"http://lab.example\"\ntls-verify = \"yes\"\n",
    );
    let out = run(sandbox.cmd().args(["config", "get", "profiles.Lab.url"]));
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "http://lab.example\n"),
        "{out:?}"
    );
    let out = run(sandbox
        .cmd()
        .args(["config", "get", "profiles.Lab.tls-verify"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("profiles.Lab.tls-verify"), "{out:?}");
    assert!(out.stderr.contains("expected a bool"), "{out:?}");
}

#[test]
fn unset_of_a_table_names_every_key_it_removes() {
    let sandbox = Sandbox::with_config(
        "[profiles.a]\nurl = \"http://a\"\nnamespace = \"n\"\n[profiles.b]\nurl = \"http://b\"\n",
    );
    let out = run(sandbox
        .cmd()
        .args(["config", "unset", "profiles", "--json"]));
    assert_eq!(out.code, 0, "{out:?}");
    let json = out.json();
    assert_eq!(json["removed"], serde_json::json!(["profiles"]));
    let changes = json["changes"].as_array().unwrap();
    let keys: Vec<&str> = changes.iter().map(|c| c["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        ["profiles.a.namespace", "profiles.a.url", "profiles.b.url"]
    );
    assert_eq!(changes[1]["old"], "http://a");
    assert_eq!(changes[1]["new"], serde_json::Value::Null);

    let sandbox = Sandbox::with_config(
        "[profiles.a]\nurl = \"http://a\"\n[profiles.b]\nurl = \"http://b\"\n",
    );
    let out = run(sandbox.cmd().args(["config", "unset", "profiles"]));
    assert_eq!(
        out.stdout,
        "unset profiles.a.url (was \"http://a\")\nunset profiles.b.url (was \"http://b\")\n"
    );
}
