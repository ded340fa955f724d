//! `server connect` over plain HTTP: validation, the probe, and the one transaction.

use std::time::{Duration, Instant};

use crate::support::{closed_port, run, Sandbox, Server};

const HAND_WRITTEN: &str = "\
# CleverAgents configuration, written by hand
# (keep these comments)

[ui]   # a table this version does not know
theme = \"dark\"   # trailing comment

[server]
# the old connection
url = \"http://old.example\"
namespace = \"old-ns\"
ca-cert = \"/old/ca.pem\"
timeout = \"30s\"
token = \"left-from-a-plugin\"

[profiles.keep]
url = \"https://keep.example\"   # saved earlier
";

#[test]
fn connect_probes_health_and_writes_the_server_table() {
    let server = Server::http(200);
    let sandbox = Sandbox::new();
    let out =
        run(sandbox
            .cmd()
            .args(["server", "connect", &server.url(), "--namespace", "team-a"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(server.requests(), ["GET /health HTTP/1.1"]);
    let line = out.stdout.trim_end();
    assert_eq!(out.stdout.lines().count(), 1, "{out:?}");
    assert!(
        line.starts_with(&format!(
            "connected to {} (namespace team-a): HTTP 200 in ",
            server.url()
        )),
        "{line}"
    );
    assert!(line.contains("plain HTTP"), "{line}");
    assert!(
        line.ends_with(&format!("saved to {}", sandbox.config.display())),
        "{line}"
    );
    assert_eq!(out.stderr, "");
    let toml = sandbox.toml();
    let table = toml["server"].as_table().unwrap();
    assert_eq!(table["url"].as_str(), Some(server.url().as_str()));
    assert_eq!(table["namespace"].as_str(), Some("team-a"));
    assert_eq!(table["tls-verify"].as_bool(), Some(true));
    assert_eq!(table.len(), 3, "{table:?}");
}

#[test]
fn defaults_trailing_slash_and_json_output() {
    let server = Server::http(204);
    let sandbox = Sandbox::new();
    let out =
        run(sandbox
            .cmd()
            .args(["server", "connect", &format!("{}/", server.url()), "--json"]));
    assert_eq!(out.code, 0, "{out:?}");
    let json = out.json();
    assert_eq!(json["url"], server.url());
    assert_eq!(json["namespace"], "default");
    assert_eq!(json["tls-verify"], true);
    assert_eq!(json["ca-cert"], serde_json::Value::Null);
    // The timeout in effect, not null: none was given, so the default.
    assert_eq!(json["timeout"], "10s");
    assert_eq!(json["timeout-origin"], "default");
    assert_eq!(json["profile"], serde_json::Value::Null);
    assert_eq!(json["changed"], true);
    assert_eq!(json["config"], sandbox.config.display().to_string());
    assert_eq!(json["probe"]["reachable"], true);
    assert_eq!(json["probe"]["status"], 204);
    assert_eq!(json["probe"]["tls"], "none");
    assert!(json["probe"]["latency-ms"].as_f64().unwrap() >= 0.0);
    assert_eq!(
        sandbox.toml()["server"]["namespace"].as_str(),
        Some("default")
    );

    // The same connection again changes nothing.
    let again = run(sandbox
        .cmd()
        .args(["server", "connect", &server.url(), "--json"]));
    assert_eq!(again.json()["changed"], false);
}

#[test]
fn the_health_contract_holds_for_every_kind_of_answer_and_redirects_are_not_followed() {
    // (status, exit code, what stderr says; empty: nothing).
    for (status, code, said) in [
        (200, 0, ""),
        (204, 0, ""),
        (401, 0, "reachable, but not authorised"),
        (403, 0, "reachable, but not authorised"),
        (404, 0, "may not be a CleverAgents server"),
        (418, 0, "answered HTTP 418 for /health"),
        (500, 1, "is unhealthy: it answered HTTP 500"),
        (503, 1, "is unhealthy: it answered HTTP 503"),
    ] {
        let server = Server::http(status);
        let sandbox = Sandbox::new();
        let out = run(sandbox.cmd().args(["server", "connect", &server.url()]));
        assert_eq!(out.code, code, "{status}: {out:?}");
        if said.is_empty() {
            assert_eq!(out.stderr, "", "{status}: {out:?}");
        } else {
            assert!(out.stderr.contains(said), "{status}: {out:?}");
        }
        if code == 0 {
            assert!(out.stdout.contains(&format!("HTTP {status} in")), "{out:?}");
        } else {
            // An unhealthy server is not connected to: nothing written.
            assert!(!sandbox.config.exists(), "{status}");
            let out = run(sandbox
                .cmd()
                .args(["server", "connect", &server.url(), "--no-check"]));
            assert_eq!(out.code, 0, "{status} --no-check: {out:?}");
        }
        // `server status` follows the same contract.
        sandbox.write_config(format!("[server]\nurl = \"{}\"\n", server.url()));
        let out = run(sandbox.cmd().args(["server", "status"]));
        assert_eq!(out.code, code, "status {status}: {out:?}");
        if !said.is_empty() {
            assert!(out.stderr.contains(said), "status {status}: {out:?}");
        }
    }
    let target = Server::http(200);
    let redirect = Server::http_with(
        302,
        &[("Location", &format!("{}/elsewhere", target.url()))],
        "",
    );
    let sandbox = Sandbox::new();
    let out = run(sandbox
        .cmd()
        .args(["server", "connect", &redirect.url(), "--json"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["probe"]["status"], 302);
    assert_eq!(
        out.json()["probe"]["redirect"],
        format!("{}/elsewhere", target.url())
    );
    assert!(
        target.requests().is_empty(),
        "redirect followed: {:?}",
        target.requests()
    );
}

#[test]
fn a_url_with_a_path_probes_below_it() {
    let server = Server::http(200);
    let sandbox = Sandbox::new();
    let url = format!("{}/api/v1/", server.url());
    let out = run(sandbox.cmd().args(["server", "connect", &url]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(server.requests(), ["GET /api/v1/health HTTP/1.1"]);
    assert_eq!(
        sandbox.toml()["server"]["url"].as_str(),
        Some(format!("{}/api/v1", server.url()).as_str())
    );
}

#[test]
fn the_connection_is_replaced_and_everything_else_survives_byte_for_byte() {
    let server = Server::http(200);
    let sandbox = Sandbox::with_config(HAND_WRITTEN);
    let out = run(sandbox
        .cmd()
        .args(["server", "connect", &server.url(), "--force"]));
    assert_eq!(out.code, 0, "{out:?}");
    let text = sandbox.text();
    let head = &HAND_WRITTEN[..HAND_WRITTEN.find("[server]").unwrap()];
    let tail = &HAND_WRITTEN[HAND_WRITTEN.find("[profiles.keep]").unwrap()..];
    assert!(text.starts_with(head), "{text}");
    // The replaced connection is kept after everything else.
    let (rest, previous) = text.split_at(text.find("\n[previous-server]\n").unwrap());
    assert!(rest.ends_with(tail), "{text}");
    assert_eq!(
        previous,
        "\n[previous-server]\nurl = \"http://old.example\"\nnamespace = \"old-ns\"\ntls-verify = true\nca-cert = \"/old/ca.pem\"\ntimeout = \"30s\"\n"
    );
    assert!(
        text.contains("# the old connection\n"),
        "comment in [server] lost: {text}"
    );
    let toml = sandbox.toml();
    let table = toml["server"].as_table().unwrap();
    let mut keys: Vec<&str> = table.keys().map(String::as_str).collect();
    keys.sort_unstable();
    // The plugin's key is no command's: it stays where it was.
    assert_eq!(keys, ["namespace", "tls-verify", "token", "url"], "{text}");
    assert!(
        text.contains("namespace = \"default\"\ntoken = \"left-from-a-plugin\"\n"),
        "{text}"
    );
    assert_eq!(table["namespace"].as_str(), Some("default"));
    assert_eq!(toml["ui"]["theme"].as_str(), Some("dark"));
    assert_eq!(
        toml["profiles"]["keep"]["url"].as_str(),
        Some("https://keep.example")
    );
}

#[test]
fn json_names_the_connection_it_replaced_and_null_when_none_or_the_same() {
    let sandbox = Sandbox::with_config(HAND_WRITTEN);
    let connect = |url: &str| {
        run(sandbox
            .cmd()
            .args(["server", "connect", url, "--no-check", "--force", "--json"]))
    };
    let out = connect("http://new.example");
    assert_eq!(out.code, 0, "{out:?}");
    let replaced = &out.json()["replaced"];
    assert_eq!(replaced["url"], "http://old.example", "{out:?}");
    assert_eq!(replaced["namespace"], "old-ns", "{out:?}");
    // The same connection again replaces nothing.
    let out = connect("http://new.example");
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["replaced"], serde_json::Value::Null, "{out:?}");
    // Nor does the first connection of a fresh file.
    let fresh = Sandbox::new();
    let out = run(fresh.cmd().args([
        "server",
        "connect",
        "http://a.example",
        "--no-check",
        "--json",
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["replaced"], serde_json::Value::Null, "{out:?}");
}

#[test]
fn save_as_writes_the_profile_in_the_same_transaction() {
    let server = Server::http(200);
    let sandbox = Sandbox::with_config(HAND_WRITTEN);
    let out = run(sandbox.cmd().args([
        "server",
        "connect",
        &server.url(),
        "--namespace",
        "lab-ns",
        "--timeout",
        "3s",
        "--no-tls-verify",
        "--save-as",
        "lab",
        "--force",
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("(also as profile lab)"), "{out:?}");
    let toml = sandbox.toml();
    for table in [&toml["server"], &toml["profiles"]["lab"]] {
        assert_eq!(table["url"].as_str(), Some(server.url().as_str()));
        assert_eq!(table["namespace"].as_str(), Some("lab-ns"));
        assert_eq!(table["tls-verify"].as_bool(), Some(false));
        assert_eq!(table["timeout"].as_str(), Some("3s"));
    }
    // The connection records the profile it was saved as; the profile holds its four keys.
    assert_eq!(toml["server"]["profile"].as_str(), Some("lab"));
    assert_eq!(toml["server"].as_table().unwrap().len(), 6, "token stays");
    assert_eq!(toml["server"]["token"].as_str(), Some("left-from-a-plugin"));
    assert_eq!(toml["profiles"]["lab"].as_table().unwrap().len(), 4);
    // Plain HTTP has no TLS yet, but the setting is saved: warn all the same.
    assert!(
        out.stderr
            .starts_with("warning: TLS verification is off (once the URL uses https://)"),
        "{out:?}"
    );
}

#[test]
fn invalid_arguments_exit_2_before_any_request_or_write() {
    let server = Server::http(200);
    let sandbox = Sandbox::with_config(HAND_WRITTEN);
    let pem = sandbox.file("not-a-cert.pem", "hello\n");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["ftp://h".into()], "invalid URL \"ftp://h\""),
        (vec!["localhost:8080".into()], "invalid URL"),
        (
            vec![format!("http://{}.example", "a".repeat(64))],
            "longer than 63 characters",
        ),
        (vec![format!("http://{}", "a.".repeat(130))], "at most 253"),
        (vec!["https://user:pw@h.example".into()], "credentials"),
        (
            vec![server.url(), "--namespace".into(), "Team A".into()],
            "invalid --namespace \"Team A\"",
        ),
        (
            vec![server.url(), "--namespace=-x".into()],
            "invalid --namespace \"-x\"",
        ),
        (
            vec![server.url(), "--timeout".into(), "10".into()],
            "invalid --timeout \"10\": a number needs a unit",
        ),
        (
            vec![server.url(), "--timeout".into(), "0s".into()],
            "invalid --timeout",
        ),
        (
            vec![server.url(), "--ca-cert".into(), "missing.pem".into()],
            "missing.pem\": cannot be read (No such file or directory",
        ),
        (
            vec![server.url(), "--ca-cert".into(), pem.display().to_string()],
            "holds no PEM certificate (expected the absolute path of a PEM file",
        ),
        (
            vec![server.url(), "--save-as".into(), "Bad_Name".into()],
            "--save-as: invalid profile name \"Bad_Name\"",
        ),
    ];
    let before = sandbox.bytes();
    for (args, expected) in cases {
        let out = run(sandbox.cmd().args(["server", "connect"]).args(&args));
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(out.stderr.starts_with("error: "), "{args:?}: {out:?}");
        assert!(out.stderr.contains(expected), "{args:?}: {out:?}");
        assert!(
            out.stderr.contains("hint: nothing was checked or written"),
            "{out:?}"
        );
        assert_eq!(out.stdout, "");
        assert_eq!(sandbox.bytes(), before, "{args:?} changed the file");
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());

    // Several problems are reported together.
    let out = run(sandbox.cmd().args([
        "server",
        "connect",
        "nope",
        "--namespace",
        "A",
        "--timeout",
        "x",
    ]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with("error: invalid arguments:\n"),
        "{out:?}"
    );
    assert_eq!(out.stderr.matches("\n  invalid").count(), 3, "{out:?}");
    assert_eq!(sandbox.bytes(), before);
}

#[test]
fn usage_errors_from_clap_exit_2() {
    let sandbox = Sandbox::new();
    for args in [
        vec!["server", "connect"],
        vec!["server", "connect", "http://h", "--bogus"],
        vec!["server", "connect", "http://h", "--namespace"],
        vec!["server", "connect", "http://h", "--save-as"],
    ] {
        let out = run(sandbox.cmd().args(&args));
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(out.stderr.contains("error:"), "{out:?}");
    }
    assert!(!sandbox.config.exists());
}

#[test]
fn a_closed_port_fails_with_exit_1_and_writes_nothing() {
    let sandbox = Sandbox::with_config(HAND_WRITTEN);
    let url = format!("http://127.0.0.1:{}", closed_port());
    let out = run(sandbox
        .cmd()
        .args(["server", "connect", &url, "--save-as", "x"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.stdout, "");
    let mut lines = out.stderr.lines();
    let error = lines.next().unwrap();
    assert!(
        error.starts_with(&format!("error: cannot reach {url}: connection refused")),
        "{error}"
    );
    let hint = lines.next().unwrap();
    assert!(
        hint.starts_with("hint: ") && hint.contains("--no-check"),
        "{hint}"
    );
    assert_eq!(sandbox.text(), HAND_WRITTEN);
}

#[test]
fn an_unresolvable_host_fails_with_a_dns_reason() {
    let sandbox = Sandbox::new();
    let out = run(sandbox.cmd().args([
        "server",
        "connect",
        "http://no-such-host.invalid",
        "--timeout",
        "5s",
    ]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains("cannot resolve the host name"),
        "{out:?}"
    );
    assert!(!sandbox.config.exists());
}

#[test]
fn a_silent_server_times_out_within_the_bound() {
    let server = Server::silent();
    let sandbox = Sandbox::with_config(HAND_WRITTEN);
    let started = Instant::now();
    let out = run(sandbox
        .cmd()
        .args(["server", "connect", &server.url(), "--timeout", "2s"]));
    let took = started.elapsed();
    assert_eq!(out.code, 1, "{out:?}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(out.stderr.contains("no answer from"), "{out:?}");
    assert!(out.stderr.contains("within 2s"), "{out:?}");
    assert!(out.stderr.contains("--timeout"), "{out:?}");
    assert_eq!(sandbox.text(), HAND_WRITTEN);
}

#[test]
fn a_server_that_does_not_speak_http_is_unreachable() {
    let server = Server::garbage();
    let sandbox = Sandbox::new();
    let out = run(sandbox
        .cmd()
        .args(["server", "connect", &server.url(), "--timeout", "5s"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("not with HTTP"), "{out:?}");
    assert!(!sandbox.config.exists());
}

#[test]
fn no_check_saves_without_a_request() {
    let server = Server::http(200);
    let sandbox = Sandbox::new();
    let out = run(sandbox
        .cmd()
        .args(["server", "connect", &server.url(), "--no-check"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("not checked"), "{out:?}");
    assert!(server.requests().is_empty());
    let json = run(sandbox.cmd().args([
        "server",
        "connect",
        &server.url(),
        "--no-check",
        "--json",
        "--force",
    ]))
    .json();
    assert_eq!(json["probe"], serde_json::Value::Null);

    // A closed port does not matter without the check.
    let url = format!("http://127.0.0.1:{}", closed_port());
    let out = run(sandbox
        .cmd()
        .args(["server", "connect", &url, "--no-check", "--force"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(sandbox.toml()["server"]["url"].as_str(), Some(url.as_str()));
}

#[test]
fn an_unreadable_config_fails_before_the_probe() {
    let server = Server::http(200);
    let sandbox = Sandbox::with_config("[server\nurl = 1\n");
    let before = sandbox.bytes();
    let out = run(sandbox.cmd().args(["server", "connect", &server.url()]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .starts_with(&format!("error: {}:1:", sandbox.config.display())),
        "{out:?}"
    );
    assert!(
        out.stderr
            .contains("hint: fix it with `cleveragents config edit`, or by hand"),
        "{out:?}"
    );
    assert!(server.requests().is_empty());
    assert_eq!(sandbox.bytes(), before);
}

#[test]
fn environment_overrides_are_noted_and_never_written() {
    let server = Server::http(200);
    let sandbox = Sandbox::new();
    let out = run(sandbox
        .cmd()
        .env("CLEVERAGENTS_SERVER_URL", "http://from-env.example")
        .env("CLEVERAGENTS_SERVER_NAMESPACE", "env-ns")
        .args(["server", "connect", &server.url()]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr
            .contains("note: CLEVERAGENTS_SERVER_URL is set: it overrides server.url"),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("CLEVERAGENTS_SERVER_NAMESPACE"),
        "{out:?}"
    );
    let text = sandbox.text();
    assert!(
        !text.contains("from-env") && !text.contains("env-ns"),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn a_ca_cert_whose_path_is_not_utf8_is_refused() {
    use std::os::unix::ffi::OsStrExt;

    let server = Server::http(200);
    let sandbox = Sandbox::with_config("[server]\nurl = \"http://old\"\n");
    // A real certificate, under a name the TOML file could not hold.
    let name = std::ffi::OsStr::from_bytes(b"ca-\xff.pem");
    let pem = sandbox.dir.path().join(name);
    std::fs::write(&pem, crate::support::Pki::new().ca_pem).unwrap();

    let before = sandbox.bytes();
    let out = run(sandbox
        .cmd()
        .args(["server", "connect", &server.url(), "--ca-cert"])
        .arg(&pem));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.starts_with(&format!(
            "error: invalid --ca-cert {}: the path is not UTF-8\n",
            pem.display()
        )),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("hint: nothing was checked or written"),
        "{out:?}"
    );
    assert_eq!(sandbox.bytes(), before);
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

#[test]
fn a_proxy_is_named_only_when_the_request_goes_through_it() {
    let server = Server::http(200);
    let sandbox = Sandbox::new();
    let proxied = |no_proxy: Option<&str>| {
        let mut cmd = sandbox.cmd();
        cmd.env("HTTPS_PROXY", "http://127.0.0.1:1").args([
            "server",
            "connect",
            &server.url(),
            "--force",
        ]);
        if let Some(hosts) = no_proxy {
            cmd.env("NO_PROXY", hosts);
        }
        run(&mut cmd)
    };
    let out = proxied(None);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("connection refused by the proxy 127.0.0.1:1 (set by HTTPS_PROXY)"),
        "{out:?}"
    );
    // A host listed in NO_PROXY is asked directly: its failures are its own.
    let out = proxied(Some("127.0.0.1"));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(!out.stderr.contains("proxy"), "{out:?}");
    let port = closed_port();
    let out = run(sandbox
        .cmd()
        .env("HTTPS_PROXY", "http://127.0.0.1:1")
        .env("NO_PROXY", "127.0.0.1")
        .args([
            "server",
            "connect",
            &format!("http://127.0.0.1:{port}"),
            "--force",
        ]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains(&format!("connection refused by 127.0.0.1:{port}\n")),
        "{out:?}"
    );
    assert!(!out.stderr.contains("proxy"), "{out:?}");
}

#[test]
fn an_invalid_connection_is_replaced_and_kept_as_written() {
    let sandbox =
        Sandbox::with_config("[server]\nurl = \"http://a.example\"\ntls-verify = \"yes\"\n");
    let out = run(sandbox
        .cmd()
        .args(["server", "connect", "http://b.example", "--no-check"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr
            .contains("the replaced connection has an invalid value")
            && out.stderr.contains("server.tls-verify")
            && out
                .stderr
                .contains("`cleveragents config set previous-server.tls-verify VALUE`"),
        "{out:?}"
    );
    let toml = sandbox.toml();
    assert_eq!(toml["server"]["url"].as_str(), Some("http://b.example"));
    assert_eq!(toml["server"]["tls-verify"].as_bool(), Some(true));
    assert_eq!(
        toml["previous-server"]["url"].as_str(),
        Some("http://a.example")
    );
    assert_eq!(toml["previous-server"]["tls-verify"].as_str(), Some("yes"));
}

#[test]
fn an_invalid_connection_is_kept_by_disconnect_and_named_by_use_previous() {
    let sandbox = Sandbox::with_config(
        "[server]\nurl = \"http://a.example\"\nnamespace = \"Bad_NS\"\n\n[profiles.p]\nurl = \"http://p.example\"\n",
    );
    let out = run(sandbox.cmd().args(["server", "disconnect"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .starts_with("disconnected from http://a.example;"),
        "{out:?}"
    );
    // Not said to reconnect as is: the warning says what to fix first.
    assert!(!out.stdout.contains("reconnects"), "{out:?}");
    assert!(
        out.stderr.contains("kept as written in [previous-server]")
            && out
                .stderr
                .contains("`cleveragents config set previous-server.namespace VALUE`"),
        "{out:?}"
    );
    assert_eq!(
        sandbox.toml()["previous-server"]["namespace"].as_str(),
        Some("Bad_NS")
    );

    // Returning to it fails on the value, naming its line and the command that fixes it.
    let before = sandbox.text();
    let out = run(sandbox.cmd().args(["server", "use", "-"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("config.toml:6: invalid value \"Bad_NS\" for `previous-server.namespace`")
            && out.stderr.contains(
                "hint: fix it with `cleveragents config set previous-server.namespace VALUE`"
            ),
        "{out:?}"
    );
    assert_eq!(sandbox.text(), before);

    // Fixed, it is returned to, and the JSON report says the file changed.
    let ok = |args: &[&str]| {
        let out = run(sandbox.cmd().args(args));
        assert_eq!(out.code, 0, "{out:?}");
        out
    };
    ok(&["config", "set", "previous-server.namespace", "ok"]);
    let report = ok(&["--json", "server", "use", "-"]).json();
    assert_eq!(report["changed"], true, "{report}");
    assert_eq!(report["url"], "http://a.example", "{report}");
    assert_eq!(report["replaced"], serde_json::Value::Null, "{report}");
    ok(&["server", "connect", "http://c.example", "--no-check"]);
    let report = ok(&["--json", "server", "use", "-"]).json();
    assert_eq!(report["url"], "http://a.example", "{report}");
    assert_eq!(report["replaced"]["url"], "http://c.example", "{report}");
}

#[test]
fn returning_to_the_previous_connection_keeps_an_invalid_one_as_written() {
    let sandbox = Sandbox::with_config(
        "[server]\nurl = \"http://a.example\"\ntls-verify = \"yes\"\n\n[previous-server]\nurl = \"http://b.example\"\nnamespace = \"b\"\n",
    );
    let out = run(sandbox.cmd().args(["server", "use", "-"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .contains("using the previous connection: http://b.example (namespace b)")
            && out
                .stderr
                .contains("`cleveragents config set previous-server.tls-verify VALUE`"),
        "{out:?}"
    );
    let toml = sandbox.toml();
    assert_eq!(toml["server"]["url"].as_str(), Some("http://b.example"));
    assert_eq!(
        toml["previous-server"]["url"].as_str(),
        Some("http://a.example")
    );
    assert_eq!(toml["previous-server"]["tls-verify"].as_str(), Some("yes"));
    assert!(
        toml["previous-server"].get("namespace").is_none(),
        "{}",
        sandbox.text()
    );
}
