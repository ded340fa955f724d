//! One verdict per value: every command that takes a value of a `server` key accepts or
//! refuses it alike, because each asks the schema. Driven by the schema's own key table, so a
//! new key without samples here fails the test.

use cleveragents_config::schema::{self, Kind};

use crate::support::{run, Pki, Sandbox};

/// Sample values of a kind: `(text, valid)`. `outside` marks a value whose verdict depends
/// on the world outside the file (a CA file that exists), which only commands that set or
/// validate a value check; a value read back is used as it is and fails where it is used.
struct Sample {
    text: String,
    valid: bool,
    outside: bool,
}

fn samples(kind: Kind, sandbox: &Sandbox) -> Vec<Sample> {
    let plain = |text: &str, valid: bool| Sample {
        text: text.to_string(),
        valid,
        outside: false,
    };
    match kind {
        Kind::Url => vec![
            plain("http://a.example", true),
            plain("https://a.example:8443/api", true),
            plain("localhost:8080", false),
            plain("ftp://a.example", false),
            plain("https://user:pw@a.example", false),
            plain(&format!("http://{}.example", "a".repeat(64)), false),
            plain("https://a.example/?q=1", false),
        ],
        Kind::Namespace => vec![
            plain("team-a", true),
            plain(&"a".repeat(63), true),
            plain("Team", false),
            plain("a_b", false),
            plain("-a", false),
            plain(&"a".repeat(64), false),
        ],
        Kind::Bool => vec![
            plain("true", true),
            plain("false", true),
            plain("maybe", false),
        ],
        Kind::Path => {
            let pem = sandbox.file("ca.pem", Pki::new().ca_pem);
            let not_pem = sandbox.file("notes.txt", "just text\n");
            vec![
                Sample {
                    text: pem.display().to_string(),
                    valid: true,
                    outside: true,
                },
                Sample {
                    text: not_pem.display().to_string(),
                    valid: false,
                    outside: true,
                },
                Sample {
                    text: sandbox.path("missing.pem").display().to_string(),
                    valid: false,
                    outside: true,
                },
                plain("relative/ca.pem", false),
            ]
        }
        // Not server keys: `server.profile` and `[previous-server]` are written by commands.
        Kind::ProfileRef | Kind::KeptPath => Vec::new(),
        Kind::Duration => vec![
            plain("10s", true),
            plain("1m30s", true),
            plain("500ms", true),
            plain("10", false),
            plain("0s", false),
            plain("1.5s", false),
        ],
    }
}

/// The value as a TOML literal, as `config set` stores it.
fn literal(kind: Kind, text: &str) -> String {
    match (kind, text) {
        (Kind::Bool, "true" | "false") => text.to_string(),
        // The samples are plain ASCII: Rust's escaping is TOML's.
        _ => format!("{text:?}"),
    }
}

/// What each command says of `text` for the field: `(command, accepted)`.
fn verdicts(field: &str, kind: Kind, text: &str, outside: bool) -> Vec<(String, bool)> {
    let sandbox = Sandbox::new();
    let mut out = Vec::new();
    let mut judge = |name: String, args: Vec<String>, env: Option<(String, String)>| {
        let mut cmd = sandbox.cmd();
        cmd.args(&args);
        if let Some((var, value)) = env {
            cmd.env(var, value);
        }
        let result = run(&mut cmd);
        // Accepted is 0; refused input is 2 (a value read from the file: 1). Never anything else.
        assert!(matches!(result.code, 0..=2), "{name} {text:?}: {result:?}");
        out.push((name, result.code == 0));
        sandbox.write_config("");
    };
    let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();

    judge(
        "config set server.*".into(),
        args(&["config", "set", &format!("server.{field}"), text]),
        None,
    );
    judge(
        "config set profiles.p.*".into(),
        args(&["config", "set", &format!("profiles.p.{field}"), text]),
        None,
    );
    // `server connect` takes every field but tls-verify as a value (that one is a flag).
    let connect = match field {
        "url" => Some(args(&["server", "connect", text, "--no-check"])),
        "tls-verify" => None,
        _ => Some(args(&[
            "server",
            "connect",
            "http://a.example",
            &format!("--{field}"),
            text,
            "--no-check",
        ])),
    };
    if let Some(connect) = connect {
        judge("server connect".into(), connect.clone(), None);
        let mut save_as = connect;
        save_as.extend(args(&["--save-as", "p"]));
        judge("server connect --save-as".into(), save_as, None);
    }
    let var = schema::lookup(&format!("server.{field}").parse().unwrap())
        .and_then(|spec| spec.env)
        .unwrap_or_else(|| panic!("server.{field} has no environment override"));
    judge(
        format!("{var} override"),
        args(&["config", "get", &format!("server.{field}")]),
        Some((var.to_string(), text.to_string())),
    );
    // Every other command that reads the key through its override: the same verdict, exit 2
    // naming the variable. `server status` probes a closed loopback port (a URL override
    // would be looked up in DNS), so it is judged by whether it names the variable.
    let mut readers = vec![
        ("config list", args(&["config", "list"])),
        ("config validate", args(&["config", "validate"])),
    ];
    if field != "url" {
        readers.push((
            "server status",
            args(&["server", "status", "--timeout", "1s"]),
        ));
    }
    for (name, command) in readers {
        sandbox.write_config("[server]\nurl = \"http://127.0.0.1:9\"\n");
        let result = run(sandbox.cmd().env(var, text).args(&command));
        // `config validate` lists what it finds on stdout.
        let named = format!("{var}=");
        let refused = result.stderr.contains(&named) || result.stdout.contains(&named);
        if refused {
            assert_eq!(result.code, 2, "{name} with {var}={text:?}: {result:?}");
        }
        out.push((format!("{name} with {var}"), !refused));
    }
    // The file holds the value (and a URL, unless the value is the URL).
    let table = |url: &str| match field {
        "url" => format!("url = {}\n", literal(kind, text)),
        _ => format!("url = \"{url}\"\n{field} = {}\n", literal(kind, text)),
    };
    // `[server]` is line 1; the value is on the next line, or after the URL.
    let place = format!("config.toml:{}: ", if field == "url" { 2 } else { 3 });
    for (name, file) in [
        ("config validate", "server"),
        ("config validate (profile)", "profiles.p"),
    ] {
        sandbox.write_config(format!("[{file}]\n{}", table("http://a.example")));
        let result = run(sandbox.cmd().args(["config", "validate"]));
        if result.code != 0 {
            // A bad file is a runtime failure, its value named by its line.
            assert_eq!(result.code, 1, "{name} {text:?}: {result:?}");
            assert!(
                result.stdout.contains(&place),
                "{name} {text:?}: {result:?}"
            );
        }
        out.push((name.to_string(), result.code == 0));
    }
    if !outside {
        // Values read back from the file: `config get` and `server status` agree with the rest.
        let get = format!("server.{field}");
        let mut commands = vec![
            ("config get (file)", args(&["config", "get", &get])),
            ("config list (file)", args(&["config", "list"])),
        ];
        if field != "url" {
            // Probes a closed loopback port; a URL sample would be looked up in DNS.
            commands.push((
                "server status (file)",
                args(&["server", "status", "--json", "--timeout", "1s"]),
            ));
        }
        for (name, command) in commands {
            sandbox.write_config(format!("[server]\n{}", table("http://127.0.0.1:9")));
            let result = run(sandbox.cmd().args(&command));
            // `server status` exits 1 for the unreachable port too: it must name the value.
            let refused = result.stderr.contains(&format!("server.{field}"));
            if refused {
                // The same exit code and `file:line` from every command that reads it.
                assert_eq!(result.code, 1, "{name} {text:?}: {result:?}");
                assert!(
                    result.stderr.contains(&place),
                    "{name} {text:?}: {result:?}"
                );
            }
            out.push((name.to_string(), !refused));
        }
    }
    out
}

#[test]
fn every_command_gives_the_same_verdict_on_the_same_value() {
    let sandbox = Sandbox::new();
    let mut checked = 0;
    for spec in schema::KEYS.iter() {
        // The keys a user sets (each has an environment override); `server.profile` is
        // written by `server use` and `--save-as`.
        let (Some(field), Some(_)) = (spec.pattern.strip_prefix("server."), spec.env) else {
            continue;
        };
        for sample in samples(spec.kind, &sandbox) {
            for (command, accepted) in verdicts(field, spec.kind, &sample.text, sample.outside) {
                assert_eq!(
                    accepted,
                    sample.valid,
                    "{command} {} server.{field} = {:?}",
                    if accepted { "accepts" } else { "refuses" },
                    sample.text
                );
                checked += 1;
            }
        }
    }
    // Five server keys, each with valid and invalid samples through every command.
    assert!(checked > 150, "only {checked} verdicts checked");
}

#[test]
fn every_listed_profile_is_used_renamed_and_forgotten_by_the_name_shown() {
    for name in ["a.b", "my prod", "prød", "Prod_1"] {
        let quoted = format!("\"{name}\"");
        let sandbox = Sandbox::with_config(format!(
            "[profiles.{quoted}]\nurl = \"http://p.example\"\n[profiles.other]\nurl = \"http://o.example\"\n"
        ));
        let names = run(sandbox.cmd().args(["server", "profiles", "--names"]));
        assert_eq!(names.stdout, format!("{name}\nother\n"), "{names:?}");
        let listed = run(sandbox.cmd().args(["server", "profiles"]));
        assert!(listed.stdout.contains(name), "{name}: {listed:?}");
        assert!(!listed.stderr.contains("left out"), "{name}: {listed:?}");
        let used = run(sandbox.cmd().args(["server", "use", name]));
        assert_eq!(used.code, 0, "use {name}: {used:?}");
        assert_eq!(sandbox.toml()["server"]["profile"].as_str(), Some(name));
        let renamed = run(sandbox.cmd().args(["server", "rename", name, "renamed"]));
        assert_eq!(renamed.code, 0, "rename {name}: {renamed:?}");
        assert_eq!(
            sandbox.toml()["server"]["profile"].as_str(),
            Some("renamed")
        );
        let back = run(sandbox.cmd().args(["server", "use", "other"]));
        assert_eq!(back.code, 0, "{back:?}");
        // A name written by hand again, then forgotten by that name.
        let mut text = sandbox.text();
        text.push_str(&format!(
            "\n[profiles.{quoted}]\nurl = \"http://q.example\"\n"
        ));
        sandbox.write_config(text);
        let forgot = run(sandbox.cmd().args(["server", "forget", name]));
        assert_eq!(forgot.code, 0, "forget {name}: {forgot:?}");
        assert!(
            sandbox.toml()["profiles"].get(name).is_none(),
            "{}",
            sandbox.text()
        );
    }
    // A profile left out for an invalid value is named so that the shell passes it whole.
    let sandbox = Sandbox::with_config("[profiles.\"my prod\"]\nurl = \"ftp://x\"\n");
    let out = run(sandbox.cmd().args(["server", "profiles"]));
    assert!(
        out.stderr.contains("cleveragents server forget 'my prod'"),
        "{out:?}"
    );
}

#[test]
fn a_relative_ca_path_is_resolved_alike_by_config_set_and_server_connect() {
    // Run in the sandbox's directory: `./ca.pem` names the file there.
    let sandbox = Sandbox::new();
    let ca = sandbox.file("ca.pem", Pki::new().ca_pem);
    let stored = |args: &[&str], key: &str| {
        sandbox.write_config("");
        let out = run(sandbox.cmd().args(args));
        let toml = toml::Value::Table(sandbox.toml());
        let value = key
            .split('.')
            .try_fold(&toml, |item, segment| item.get(segment))
            .and_then(|item| item.as_str().map(str::to_string));
        (out.code, value)
    };
    let expected = (0, Some(ca.display().to_string()));
    for relative in ["./ca.pem", "ca.pem"] {
        let set = stored(
            &["config", "set", "server.ca-cert", relative],
            "server.ca-cert",
        );
        assert_eq!(set, expected, "config set {relative}");
        let connect = stored(
            &[
                "server",
                "connect",
                "https://a.example",
                "--ca-cert",
                relative,
                "--no-check",
            ],
            "server.ca-cert",
        );
        assert_eq!(connect, set, "server connect --ca-cert {relative}");
        let profile = stored(
            &[
                "config",
                "set",
                "profiles.p.url",
                "https://a.example",
                "profiles.p.ca-cert",
                relative,
            ],
            "profiles.p.ca-cert",
        );
        assert_eq!(profile, set, "config set profiles.p.ca-cert {relative}");
    }
    // A relative path to no file: both refuse it, as invalid input, naming the absolute path.
    let missing = sandbox.path("missing.pem").display().to_string();
    for args in [
        &["config", "set", "server.ca-cert", "./missing.pem"][..],
        &[
            "server",
            "connect",
            "https://a.example",
            "--ca-cert",
            "./missing.pem",
            "--no-check",
        ],
    ] {
        sandbox.write_config("");
        let out = run(sandbox.cmd().args(args));
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(out.stderr.contains(&missing), "{args:?}: {out:?}");
    }
}

#[test]
fn server_profile_must_name_a_profile_in_config_set_and_config_validate() {
    let sandbox = Sandbox::new();
    let file = "[server]\nurl = \"http://a.example\"\n[profiles.\"my prod\"]\nurl = \"http://p.example\"\n";
    for (name, valid) in [("my prod", true), ("nope", false), ("my", false)] {
        sandbox.write_config(file);
        let set = run(sandbox
            .cmd()
            .args(["config", "set", "server.profile", name]));
        assert_eq!(
            set.code,
            if valid { 0 } else { 2 },
            "config set {name:?}: {set:?}"
        );
        if !valid {
            assert_eq!(sandbox.text(), file, "config set {name:?} wrote");
            assert!(set.stderr.contains("server.profile"), "{set:?}");
        }
        sandbox.write_config(file.replace(
            "url = \"http://a.example\"\n",
            &format!("url = \"http://a.example\"\nprofile = {name:?}\n"),
        ));
        let validate = run(sandbox.cmd().args(["config", "validate"]));
        assert_eq!(
            validate.code,
            if valid { 0 } else { 1 },
            "validate {name:?}: {validate:?}"
        );
        if !valid {
            assert!(validate.stdout.contains("config.toml:3: "), "{validate:?}");
        }
    }
}
