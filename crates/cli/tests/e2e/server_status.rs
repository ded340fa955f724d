//! `server status`: the connection in effect and a live probe.

use std::time::{Duration, Instant};

use crate::support::{closed_port, run, Sandbox, Server};

#[test]
fn a_reachable_server_exits_0_with_its_details() {
    let server = Server::http(200);
    let sandbox = Sandbox::with_config(format!(
        "[server]\nurl = \"{}\"\nnamespace = \"team-a\"\ntimeout = \"4s\"\n",
        server.url()
    ));
    let before = sandbox.bytes();
    let out = run(sandbox.cmd().args(["server", "status"]));
    assert_eq!(out.code, 0, "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!("config:      {}", sandbox.config.display())
    );
    assert_eq!(lines[1], format!("server:      {}", server.url()));
    assert_eq!(lines[2], "namespace:   team-a");
    assert_eq!(lines[3], "tls-verify:  true  (default)");
    assert_eq!(lines[4], "timeout:     4s");
    assert!(
        lines[5].starts_with("reachable:   yes, HTTP 200 in "),
        "{}",
        lines[5]
    );
    assert_eq!(out.stderr, "");
    assert_eq!(server.requests(), ["GET /health HTTP/1.1"]);
    assert_eq!(sandbox.bytes(), before, "status must not write");

    let json = run(sandbox.cmd().args(["server", "status", "--json"])).json();
    assert_eq!(json["configured"], true);
    assert_eq!(json["url"], server.url());
    assert_eq!(json["namespace"], "team-a");
    assert_eq!(json["tls-verify"], true);
    assert_eq!(json["timeout"], "4s");
    // The probe report, in the one place `server connect` has it too.
    let probe = &json["probe"];
    assert_eq!(probe["reachable"], true);
    assert_eq!(probe["status"], 200);
    assert_eq!(probe["tls"], "none");
    assert_eq!(probe["tls-verified"], false);
    assert_eq!(probe["error"], serde_json::Value::Null);
    let file = sandbox.config.display().to_string();
    assert_eq!(
        json["origins"]["url"],
        serde_json::json!({"origin": "file", "source": file})
    );
    assert_eq!(
        json["origins"]["tls-verify"],
        serde_json::json!({"origin": "default", "source": null})
    );
}

#[test]
fn an_unreachable_server_exits_1_with_reason_and_hint() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let sandbox = Sandbox::with_config(format!("[server]\nurl = \"{url}\"\n"));
    let out = run(sandbox.cmd().args(["server", "status"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout.contains("reachable:   no, connection refused"),
        "{out:?}"
    );
    assert!(
        out.stderr
            .starts_with(&format!("error: cannot reach {url}: connection refused")),
        "{out:?}"
    );
    assert!(
        out.stderr
            .contains("hint: check that the server is running"),
        "{out:?}"
    );
    assert!(!out.stderr.contains("--no-check"), "{out:?}");

    let out = run(sandbox.cmd().args(["server", "status", "--json"]));
    assert_eq!(out.code, 1);
    let json = out.json();
    let probe = &json["probe"];
    assert_eq!(probe["reachable"], false);
    assert_eq!(probe["status"], serde_json::Value::Null);
    assert_eq!(probe["failure"], "refused");
    // The one error object, as the top-level error of any `--json` failure.
    assert!(probe["error"]["message"]
        .as_str()
        .unwrap()
        .contains("refused"));
    assert_eq!(probe["error"]["kind"], "failure");
    assert_eq!(probe["error"]["exit-code"], 1);
}

#[test]
fn nothing_configured_exits_1_with_a_hint_to_connect() {
    let sandbox = Sandbox::with_config("[profiles.x]\nurl = \"http://x\"\n");
    let out = run(sandbox.cmd().args(["server", "status"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "error: no server is configured\nhint: connect to one with `cleveragents server connect URL`\n"
    );
    let out = run(sandbox.cmd().args(["server", "status", "--json"]));
    assert_eq!(out.code, 1);
    assert_eq!(out.json()["configured"], false);
    // No file at all: the same.
    let empty = Sandbox::new();
    assert_eq!(run(empty.cmd().args(["server", "status"])).code, 1);
    assert!(!empty.config.exists());
}

#[test]
fn environment_overrides_win_and_are_shown_as_origins() {
    let server = Server::http(200);
    let sandbox =
        Sandbox::with_config("[server]\nurl = \"http://file.example\"\nnamespace = \"file-ns\"\n");
    let before = sandbox.bytes();
    let out = run(sandbox
        .cmd()
        .env("CLEVERAGENTS_SERVER_URL", server.url())
        .env("CLEVERAGENTS_SERVER_TLS_VERIFY", "off")
        .args(["server", "status"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains(&format!(
            "server:      {}  (from CLEVERAGENTS_SERVER_URL)",
            server.url()
        )),
        "{out:?}"
    );
    assert!(out.stdout.contains("namespace:   file-ns\n"), "{out:?}");
    assert!(
        out.stdout
            .contains("tls-verify:  false  (from CLEVERAGENTS_SERVER_TLS_VERIFY)"),
        "{out:?}"
    );
    assert_eq!(server.requests().len(), 1);
    assert_eq!(sandbox.bytes(), before);

    // With no file at all, the environment alone is a configuration.
    let bare = Sandbox::new();
    let out = run(bare
        .cmd()
        .env("CLEVERAGENTS_SERVER_URL", server.url())
        .args(["server", "status", "--json"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.json()["origins"]["url"],
        serde_json::json!({"origin": "env", "source": "CLEVERAGENTS_SERVER_URL"})
    );
    assert!(!bare.config.exists());

    // An invalid override is refused by name.
    let out = run(sandbox
        .cmd()
        .env("CLEVERAGENTS_SERVER_TLS_VERIFY", "maybe")
        .args(["server", "status"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("CLEVERAGENTS_SERVER_TLS_VERIFY=\"maybe\""),
        "{out:?}"
    );
}

#[test]
fn the_timeout_flag_bounds_the_probe() {
    let server = Server::silent();
    let sandbox = Sandbox::with_config(format!("[server]\nurl = \"{}\"\n", server.url()));
    let started = Instant::now();
    let out = run(sandbox.cmd().args(["server", "status", "--timeout", "1s"]));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout.contains("timeout:     1s  (--timeout)"),
        "{out:?}"
    );
    assert!(out.stderr.contains("within 1s"), "{out:?}");
    // A flag is an origin, in JSON too.
    let json = run(sandbox
        .cmd()
        .args(["server", "status", "--json", "--timeout", "1s"]))
    .json();
    assert_eq!(json["timeout"], "1s");
    assert_eq!(
        json["origins"]["timeout"],
        serde_json::json!({"origin": "flag", "source": "--timeout"})
    );

    // The configured timeout applies without the flag.
    sandbox.write_config(format!(
        "[server]\nurl = \"{}\"\ntimeout = \"1s\"\n",
        server.url()
    ));
    let started = Instant::now();
    let out = run(sandbox.cmd().args(["server", "status", "--json"]));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(out.json()["probe"]["failure"], "timeout");

    let out = run(sandbox
        .cmd()
        .args(["server", "status", "--timeout", "soon"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("invalid --timeout \"soon\""), "{out:?}");
}

#[test]
fn the_human_view_shows_the_ca_file() {
    let server = Server::http(200);
    let sandbox = Sandbox::new();
    let ca = sandbox.file("ca.pem", "unused for http");
    sandbox.write_config(format!(
        "[server]\nurl = \"{}\"\nca-cert = \"{}\"\n",
        server.url(),
        ca.display()
    ));
    let out = run(sandbox.cmd().args(["server", "status"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .contains(&format!("\nca-cert:     {}\n", ca.display())),
        "{out:?}"
    );
}

#[test]
fn bad_values_in_the_file_are_reported_with_the_path() {
    let sandbox = Sandbox::with_config("[server]\nurl = \"http://h\"\ntls-verify = \"yes\"\n");
    let out = run(sandbox.cmd().args(["server", "status"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains(&sandbox.config.display().to_string()),
        "{out:?}"
    );
    assert!(out.stderr.contains("server.tls-verify"), "{out:?}");
    assert!(out.stderr.contains("hint: fix it with"), "{out:?}");
}
