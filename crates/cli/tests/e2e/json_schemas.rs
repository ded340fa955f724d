//! Every command's `--json` output, produced by the real binary, validates against its JSON
//! Schema in `docs/json/`, and every schema there is exercised.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::Value;

use crate::support::{closed_port, run, script, Outcome, Pki, Sandbox, Server};

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/json")
}

/// Reads `file://` references (`common.schema.json#/$defs/...`) from `docs/json/`.
struct Files;

impl jsonschema::Retrieve for Files {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let path = uri.path().as_str();
        Ok(serde_json::from_str(&std::fs::read_to_string(path)?)?)
    }
}

/// The schemas used so far, to check at the end that none is left unexercised.
static USED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Validates `json` against `docs/json/NAME.schema.json`, listing every violation.
fn check(name: &str, json: &Value) {
    let path = schema_dir().join(format!("{name}.schema.json"));
    let path = path
        .canonicalize()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .with_base_uri(format!("file://{}", path.display()))
        .with_retriever(Files)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{name}: the schema does not build: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(json)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{name}: the output breaks its schema:\n{}\n{json:#}",
        errors.join("\n")
    );
    USED.lock().unwrap().insert(name.to_string());
}

/// Runs the command with `--json` and checks stdout against `name` (the exit code as given).
fn checked(name: &str, cmd: &mut assert_cmd::Command, code: i32) -> Outcome {
    let out = run(cmd.arg("--json"));
    assert_eq!(out.code, code, "{name}: {out:?}");
    check(name, &out.json());
    out
}

#[test]
fn every_command_prints_what_its_schema_says() {
    let server = Server::http(200);
    let pki = Pki::new();
    let https = Server::https(&pki.leaf, 200);
    let sandbox = Sandbox::new();
    let ca = sandbox.file("ca.pem", &pki.ca_pem);
    let ca = ca.to_str().unwrap();
    let url = server.url();
    let cmd = || sandbox.cmd();

    checked("config-path", cmd().args(["config", "path"]), 0);
    checked("server-status", cmd().args(["server", "status"]), 1);
    let connect = [
        "server",
        "connect",
        &url,
        "--namespace",
        "a",
        "--save-as",
        "lab",
    ];
    let out = checked("server-connect", cmd().args(connect), 0);
    assert!(out.json()["probe"]["latency-ms"].is_number(), "{out:?}");
    let no_check = [
        "server",
        "connect",
        &url,
        "--no-check",
        "--force",
        "--timeout",
        "3s",
    ];
    let out = checked("server-connect", cmd().args(no_check), 0);
    assert!(out.json()["probe"].is_null(), "{out:?}");
    let tls = [
        "server",
        "connect",
        &https.url(),
        "--ca-cert",
        ca,
        "--save-as",
        "secure",
        "--force",
    ];
    checked("server-connect", cmd().args(tls), 0);
    let out = checked("server-status", cmd().args(["server", "status"]), 0);
    assert_eq!(out.json()["probe"]["tls"], "verified", "{out:?}");
    // A probe that fails: its error is the one error object, in the report's one place.
    let closed = format!("http://127.0.0.1:{}", closed_port());
    let out = checked(
        "server-status",
        cmd()
            .env("CLEVERAGENTS_SERVER_URL", &closed)
            .args(["server", "status", "--timeout", "2s"]),
        1,
    );
    assert_eq!(out.json()["probe"]["failure"], "refused", "{out:?}");
    check(
        "error",
        &serde_json::json!({ "error": out.json()["probe"]["error"] }),
    );
    // Every origin: file, env, flag and default, in status, get and list alike.
    let env = ("CLEVERAGENTS_SERVER_NAMESPACE", "ci");
    let out = checked(
        "server-status",
        cmd()
            .env(env.0, env.1)
            .args(["server", "status", "--timeout", "2s"]),
        0,
    );
    let origins = &out.json()["origins"];
    assert_eq!(origins["namespace"]["origin"], "env", "{out:?}");
    assert_eq!(origins["timeout"]["origin"], "flag", "{out:?}");
    let get = checked(
        "config-get",
        cmd()
            .env(env.0, env.1)
            .args(["config", "get", "server.namespace"]),
        0,
    );
    assert_eq!(get.json()["origin"], origins["namespace"]["origin"]);
    assert_eq!(get.json()["source"], origins["namespace"]["source"]);
    let list = [
        "config",
        "list",
        "--include-defaults",
        "--include-overridden",
    ];
    let out = checked("config-list", cmd().env(env.0, env.1).args(list), 0);
    let rows = out.json();
    let kinds: BTreeSet<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["origin"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, BTreeSet::from(["default", "env", "file"]), "{rows}");
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .any(|r| r["overridden-by"] == env.0),
        "{rows}"
    );
    checked("config-get", cmd().args(["config", "get", "server.url"]), 0);

    let names = checked(
        "server-profiles",
        cmd().args(["server", "profiles", "--names"]),
        0,
    );
    assert_eq!(names.json(), serde_json::json!(["lab", "secure"]));
    let offline = checked(
        "server-status",
        cmd().args(["server", "status", "--no-check"]),
        0,
    );
    assert_eq!(offline.json()["checked"], false, "{offline:?}");
    let table = checked(
        "config-get",
        cmd().args(["config", "get", "profiles.lab"]),
        0,
    );
    assert!(table.json().is_array(), "{table:?}");
    let out = checked("server-profiles", cmd().args(["server", "profiles"]), 0);
    assert_eq!(out.json()[0]["previous"], false, "{out:?}");
    let out = checked("server-use", cmd().args(["server", "use", "lab"]), 0);
    assert_eq!(out.json()["replaced"]["profile"], "secure", "{out:?}");
    let out = checked("server-profiles", cmd().args(["server", "profiles"]), 0);
    assert_eq!(out.json()[1]["previous"], true, "{out:?}");
    // `server use -` returns to the previous connection and back.
    let out = checked("server-use", cmd().args(["server", "use", "-"]), 0);
    assert_eq!(out.json()["profile"], "secure", "{out:?}");
    assert_eq!(out.json()["replaced"]["profile"], "lab", "{out:?}");
    checked("server-use", cmd().args(["server", "use", "-"]), 0);
    checked(
        "config-set",
        cmd().args([
            "config",
            "set",
            "server.timeout",
            "5s",
            "server.namespace",
            "team-a",
        ]),
        0,
    );
    checked(
        "config-set",
        cmd().args(["config", "set", "server.timeout", "5s"]),
        0,
    );
    checked(
        "config-unset",
        cmd().args(["config", "unset", "server.timeout", "profiles.x"]),
        0,
    );
    let out = checked(
        "dry-run",
        cmd().args(["config", "unset", "server", "--dry-run"]),
        0,
    );
    assert!(
        !out.json()["changes"].as_array().unwrap().is_empty(),
        "{out:?}"
    );
    // A key the schema does not know, kept in the file: a warning, an error with --strict.
    let mut text = sandbox.text();
    text.push_str("\n[ui]\ntheme = \"dark\"\n");
    sandbox.write_config(text);
    let out = checked("config-validate", cmd().args(["config", "validate"]), 0);
    assert_eq!(out.json()["problems"][0]["severity"], "warning", "{out:?}");
    let strict = checked(
        "config-validate",
        cmd().args(["config", "validate", "--strict"]),
        1,
    );
    assert_eq!(strict.json()["valid"], false, "{strict:?}");
    let editor = script(
        sandbox.dir.path(),
        "ed.sh",
        "sed -i 's/team-a/team-b/' \"$1\"",
    );
    checked(
        "config-edit",
        cmd().env("EDITOR", &editor).args(["config", "edit"]),
        0,
    );
    let out = checked(
        "server-rename",
        cmd().args(["server", "rename", "secure", "secured"]),
        0,
    );
    assert_eq!(
        out.json()["followed"],
        serde_json::json!(["previous-server.profile"]),
        "{out:?}"
    );
    checked(
        "server-rename",
        cmd().args(["server", "rename", "secured", "secure"]),
        0,
    );
    checked(
        "server-forget",
        cmd().args(["server", "forget", "secure"]),
        0,
    );
    checked("server-disconnect", cmd().args(["server", "disconnect"]), 0);
    checked("server-disconnect", cmd().args(["server", "disconnect"]), 0);
    // Not connected, with a previous connection to return to.
    let out = checked("server-status", cmd().args(["server", "status"]), 1);
    assert!(out.json()["previous"]["url"].is_string(), "{out:?}");
    let dir = sandbox.path("man");
    checked(
        "man",
        cmd().args(["man", "--out", dir.to_str().unwrap()]),
        0,
    );
    checked(
        "config-path",
        cmd().args(["--config", "rel.toml", "config", "path"]),
        0,
    );

    // Failures: a usage error and a runtime failure print the error object.
    checked("error", cmd().args(["config", "get", "nope"]), 2);
    checked("error", cmd().args(["config", "get", "server.url"]), 1);
    checked("error", cmd().args(["server", "use", "nobody"]), 1);
    checked("error", cmd().args(["completions", "bash"]), 2);
    checked("error", cmd().args(["man"]), 2);
    let unreachable = ["server", "connect", "http://127.0.0.1:9", "--force"];
    checked("error", cmd().args(unreachable), 1);

    let files: BTreeSet<String> = std::fs::read_dir(schema_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|name| name.strip_suffix(".schema.json").map(str::to_string))
        .filter(|name| name != "common")
        .collect();
    assert_eq!(
        *USED.lock().unwrap(),
        files,
        "a schema in docs/json/ is not exercised"
    );
}

/// The schemas are strict enough to fail: a renamed key, a string origin, a missing field.
#[test]
fn the_schemas_refuse_what_the_vocabulary_forbids() {
    let bad: [(&str, Value); 4] = [
        (
            "config-get",
            serde_json::json!({"key": "server.url", "value": "http://h", "origin": "file"}),
        ),
        (
            "config-list",
            serde_json::json!([{"key": "k", "value": 1, "origin": "env:X", "source": "X"}]),
        ),
        (
            "server-profiles",
            serde_json::json!([{"name": "a", "url": "http://h", "namespace": "n", "tls_verify": true,
                "ca-cert": null, "timeout": null, "active": false}]),
        ),
        (
            "error",
            serde_json::json!({"error": {"message": "m", "hints": [], "kind": "usage", "exit_code": 2}}),
        ),
    ];
    for (name, json) in bad {
        let result = std::panic::catch_unwind(|| check(name, &json));
        assert!(result.is_err(), "{name} accepted {json}");
    }
}

#[test]
fn an_array_and_an_inline_table_are_values_of_their_json_shape() {
    let sandbox = Sandbox::with_config(
        "[other-tool]\narr = [1, 2]   # n\nt = { a = 1, b = \"x\" }   # note\n",
    );
    let get = |key: &str| checked("config-get", sandbox.cmd().args(["config", "get", key]), 0);
    let out = get("other-tool.t");
    assert_eq!(
        out.json()["value"],
        serde_json::json!({"a": 1, "b": "x"}),
        "{out:?}"
    );
    let out = get("other-tool.arr");
    assert_eq!(out.json()["value"], serde_json::json!([1, 2]), "{out:?}");
    // A table with a header: its rows, as `config list other-tool` prints them.
    let out = get("other-tool");
    let list = checked(
        "config-list",
        sandbox.cmd().args(["config", "list", "other-tool"]),
        0,
    );
    assert_eq!(out.json(), list.json());
    assert_eq!(out.json().as_array().map(Vec::len), Some(3), "{out:?}");
}
