//! Steps that run the real `cleveragents` binary in a scenario's own HOME.

use cucumber::gherkin::Step;
use cucumber::{given, then, when};

use super::CliWorld;
use crate::support::{self, closed_port, Pki, Server};

#[given("a fresh home directory")]
fn fresh_home(world: &mut CliWorld) {
    let home = world.home();
    assert!(std::fs::read_dir(&home).unwrap().next().is_none());
}

#[given("a health server on a loopback port")]
fn health_server(world: &mut CliWorld) {
    let server = Server::http(200);
    world.vars.insert("HEALTH_URL".into(), server.url());
    world.servers.push(server);
}

#[given("a closed loopback port")]
fn closed(world: &mut CliWorld) {
    world.vars.insert(
        "CLOSED_URL".into(),
        format!("http://127.0.0.1:{}", closed_port()),
    );
}

#[given("an HTTPS health server with a self-signed certificate")]
fn https_server(world: &mut CliWorld) {
    // A private CA the system does not trust: what a self-signed deployment looks like.
    serve_https(world, &Pki::new());
}

/// An HTTPS health server with `pki`'s leaf, as `$HTTPS_URL`, and its CA file as `$CA_CERT`.
fn serve_https(world: &mut CliWorld, pki: &Pki) {
    serve_identity(world, &pki.leaf, &pki.ca_pem);
}

/// An HTTPS health server presenting `identity`, as `$HTTPS_URL`, and `ca_pem` as `$CA_CERT`.
fn serve_identity(world: &mut CliWorld, identity: &support::Identity, ca_pem: &str) {
    let server = Server::https(identity, 200);
    let ca = world.home().join("ca.pem");
    std::fs::write(&ca, ca_pem).unwrap();
    world.vars.insert("HTTPS_URL".into(), server.url());
    world
        .vars
        .insert("HTTPS_ADDR".into(), format!("127.0.0.1:{}", server.port()));
    world
        .vars
        .insert("CA_CERT".into(), ca.display().to_string());
    world.servers.push(server);
}

#[given("the configuration file contains:")]
fn config_contains(world: &mut CliWorld, step: &Step) {
    let text = step.docstring.as_deref().expect("a doc string");
    // Gherkin keeps the doc string's first newline; the file starts at its first line.
    let text = text.strip_prefix('\n').unwrap_or(text);
    let text = format!("{}\n", world.expand(text).trim_end_matches('\n'));
    world.write_config(&text);
}

#[given(regex = r#"^the environment variable "([A-Z_]+)" is "(.*)"$"#)]
fn env_var(world: &mut CliWorld, name: String, value: String) {
    world.env.push((name, value));
}

fn run(world: &mut CliWorld, command: &str) {
    run_with(world, command, None);
}

/// Runs `command`, split at spaces, with `extra` as one more argument when given.
fn run_with(world: &mut CliWorld, command: &str, extra: Option<&str>) {
    let command = world.expand(command);
    let args = command
        .strip_prefix("cleveragents ")
        .unwrap_or_else(|| panic!("not a cleveragents command: {command}"));
    world.before = Some(world.config_bytes());
    let home = world.home();
    let mut cmd = support::bare_std_cmd();
    cmd.args(args.split_whitespace())
        .args(extra)
        .env("HOME", &home)
        .env("TMPDIR", &home)
        .current_dir(&home);
    for (k, v) in &world.env {
        cmd.env(k, v);
    }
    world.last = Some(support::run_std(&mut cmd));
}

#[when(regex = r"^I run `(.+)`$")]
fn when_run(world: &mut CliWorld, command: String) {
    run(world, &command);
}

#[given(regex = r"^I have run `(.+)`$")]
fn given_run(world: &mut CliWorld, command: String) {
    run(world, &command);
    let last = world.last();
    assert_eq!(last.code, 0, "setup command failed: {last:?}");
}

#[then(regex = r"^the exit code is (\d+)$")]
fn exit_code(world: &mut CliWorld, code: i32) {
    let last = world.last();
    assert_eq!(last.code, code, "{last:?}");
}

#[then("the exit code is not 0")]
fn exit_code_not_zero(world: &mut CliWorld) {
    let last = world.last();
    assert_ne!(last.code, 0, "{last:?}");
}

/// The named stream of the last command, and the needle with `\"` unescaped and `$VARS` expanded.
fn stream_and_needle<'w>(world: &'w CliWorld, stream: &str, needle: &str) -> (&'w str, String) {
    let needle = world.expand(&needle.replace("\\\"", "\""));
    let last = world.last();
    let text = if stream == "stdout" {
        &last.stdout
    } else {
        &last.stderr
    };
    (text, needle)
}

#[then(regex = r#"^(stdout|stderr) contains "(.*)"$"#)]
fn stream_contains(world: &mut CliWorld, stream: String, needle: String) {
    let (text, needle) = stream_and_needle(world, &stream, &needle);
    assert!(
        text.contains(&needle),
        "{stream} lacks {needle:?}: {:?}",
        world.last()
    );
}

#[then(regex = r#"^(stdout|stderr) does not contain "(.*)"$"#)]
fn stream_lacks(world: &mut CliWorld, stream: String, needle: String) {
    let (text, needle) = stream_and_needle(world, &stream, &needle);
    assert!(
        !text.contains(&needle),
        "{stream} has {needle:?}: {:?}",
        world.last()
    );
}

#[then("stdout is empty")]
fn stdout_empty(world: &mut CliWorld) {
    let last = world.last();
    assert_eq!(last.stdout, "", "{last:?}");
}

#[then(regex = r#"^stdout is exactly "(.*)"$"#)]
fn stdout_exactly(world: &mut CliWorld, expected: String) {
    let expected = world.expand(&expected);
    let last = world.last();
    assert_eq!(last.stdout, format!("{expected}\n"), "{last:?}");
}

#[then(regex = r#"^stdout is a JSON object with "([a-z_-]+)" equal to "(.*)"$"#)]
fn stdout_json(world: &mut CliWorld, field: String, expected: String) {
    let expected = world.expand(&expected);
    let json = world.last().json();
    let value = json
        .get(&field)
        .unwrap_or_else(|| panic!("no {field:?} in {json}"));
    let text = match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    assert_eq!(text, expected, "{json}");
}

#[then(regex = r#"^the config value "([A-Za-z0-9._-]+)" is "(.*)"$"#)]
fn config_value(world: &mut CliWorld, key: String, expected: String) {
    let expected = world.expand(&expected);
    let values = world.values();
    assert_eq!(values.get(&key), Some(&expected), "file values: {values:?}");
}

#[then(regex = r#"^the config value "([A-Za-z0-9._-]+)" is not set$"#)]
fn config_value_unset(world: &mut CliWorld, key: String) {
    let values = world.values();
    assert_eq!(values.get(&key), None, "file values: {values:?}");
}

#[then("the configuration file is unchanged")]
fn unchanged(world: &mut CliWorld) {
    let before = world.before.clone().expect("no command has run");
    let after = world.config_bytes();
    assert!(
        before == after,
        "the file changed:\n--- before\n{:?}\n--- after\n{:?}",
        before.map(String::from_utf8),
        after.map(String::from_utf8)
    );
}

#[then(regex = r#"^the configuration file still contains "(.*)"$"#)]
fn still_contains(world: &mut CliWorld, needle: String) {
    let needle = needle.replace("\\\"", "\"");
    let text = String::from_utf8(world.config_bytes().expect("a config file")).unwrap();
    assert!(text.contains(&needle), "{needle:?} is gone:\n{text}");
}

#[then(regex = r#"^the configuration file starts with "(.*)"$"#)]
fn starts_with(world: &mut CliWorld, needle: String) {
    let needle = needle.replace("\\\"", "\"").replace("\\n", "\n");
    let text = String::from_utf8(world.config_bytes().expect("a config file")).unwrap();
    assert!(
        text.starts_with(&needle),
        "the file does not start with {needle:?}:\n{text}"
    );
}

#[then("the config file does not exist")]
fn no_file(world: &mut CliWorld) {
    let path = world.config_path();
    assert!(!path.exists(), "{} exists", path.display());
}

/// Unescapes `\r`, `\n`, `\"`, `\\` and `\u{XXXX}` in a step's quoted text.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('r') => out.push('\r'),
            Some('n') => out.push('\n'),
            Some('u') => {
                let code: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                out.push(char::from_u32(u32::from_str_radix(&code, 16).unwrap()).unwrap());
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[given(regex = r#"^the configuration file contains the bytes "(.*)"$"#)]
fn config_bytes(world: &mut CliWorld, text: String) {
    world.write_config(&unescape(&text));
}

#[then("the configuration file starts with a byte-order mark and has only CRLF line ends")]
fn bom_and_crlf(world: &mut CliWorld) {
    let text = String::from_utf8(world.config_bytes().expect("a config file")).unwrap();
    assert!(text.starts_with('\u{feff}'), "no byte-order mark: {text:?}");
    let bare_lf = text
        .match_indices('\n')
        .filter(|(i, _)| !text[..*i].ends_with('\r'))
        .count();
    assert_eq!(bare_lf, 0, "LF without CR: {text:?}");
}

#[given("the editor is a script that runs:")]
fn editor_script(world: &mut CliWorld, step: &Step) {
    use std::os::unix::fs::PermissionsExt;
    let body = step.docstring.as_deref().expect("a doc string");
    let path = world.home().join("editor.sh");
    std::fs::write(&path, format!("#!/bin/sh\n{}\n", body.trim())).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    let tmp = world.home().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    world
        .env
        .push(("EDITOR".into(), path.display().to_string()));
    world.env.push(("TMPDIR".into(), tmp.display().to_string()));
}

#[then(regex = r#"^stderr names a kept copy that contains "(.*)"$"#)]
fn kept_copy(world: &mut CliWorld, needle: String) {
    let last = world.last();
    let marker = "kept in ";
    let start = last
        .stderr
        .find(marker)
        .unwrap_or_else(|| panic!("stderr names no kept copy: {last:?}"))
        + marker.len();
    let path: String = last.stderr[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != ':' && *c != ';')
        .collect();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the kept copy {path} cannot be read: {e}"));
    assert!(text.contains(&needle), "{path} lacks {needle:?}:\n{text}");
}

#[given("an HTTPS health server whose self-signed certificate is its own CA")]
fn https_server_own_ca(world: &mut CliWorld) {
    // `openssl req -x509 ... -addext subjectAltName=...` marks the certificate CA:TRUE; the
    // user passes that very certificate as `--ca-cert`.
    let (identity, pem) = Pki::own_ca(&["127.0.0.1", "localhost"], None);
    serve_identity(world, &identity, &pem);
}

#[given(regex = r#"^an HTTPS health server whose certificate names only "(.+)"$"#)]
fn https_server_named(world: &mut CliWorld, name: String) {
    serve_https(world, &Pki::issue(&[name.as_str()], false));
}

#[given(regex = r"^a health server answering HTTP (\d+)$")]
fn health_server_answering(world: &mut CliWorld, status: u16) {
    let server = Server::http(status);
    world.vars.insert("HEALTH_URL".into(), server.url());
    world.servers.push(server);
}

/// The owner, group and permission bits of a file.
fn owner_and_mode(path: &std::path::Path) -> (u32, u32, u32) {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (meta.uid(), meta.gid(), meta.mode() & 0o7777)
}

#[given(
    regex = r"^the configuration file belongs to user (\d+) and group (\d+) with mode ([0-7]{4})$"
)]
fn config_owned_by(world: &mut CliWorld, uid: u32, gid: u32, mode: String) {
    use std::os::unix::fs::PermissionsExt;
    let path = world.config_path();
    // Needs root, as `sudo cleveragents ...` has.
    std::os::unix::fs::chown(&path, Some(uid), Some(gid))
        .unwrap_or_else(|e| panic!("chown {} (this scenario runs as root): {e}", path.display()));
    let mode = u32::from_str_radix(&mode, 8).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[given(regex = r"^the configuration file has mode ([0-7]{4})$")]
fn config_mode(world: &mut CliWorld, mode: String) {
    use std::os::unix::fs::PermissionsExt;
    let mode = u32::from_str_radix(&mode, 8).unwrap();
    std::fs::set_permissions(world.config_path(), std::fs::Permissions::from_mode(mode)).unwrap();
}

#[then(
    regex = r"^the configuration file belongs to user (\d+) and group (\d+) with mode ([0-7]{4})$"
)]
fn config_is_owned_by(world: &mut CliWorld, uid: u32, gid: u32, mode: String) {
    let mode = u32::from_str_radix(&mode, 8).unwrap();
    assert_eq!(owner_and_mode(&world.config_path()), (uid, gid, mode));
}

#[then(regex = r"^the lock file belongs to user (\d+) and group (\d+)$")]
fn lock_is_owned_by(world: &mut CliWorld, uid: u32, gid: u32) {
    let path = world.config_path().with_file_name("config.toml.lock");
    let (owner, group, _) = owner_and_mode(&path);
    assert_eq!((owner, group), (uid, gid));
}

#[when(regex = r"^I run `(.+)` with an empty last argument$")]
fn when_run_empty_last(world: &mut CliWorld, command: String) {
    run_with(world, &command, Some(""));
}

#[given("a health server that redirects to itself")]
fn redirect_loop(world: &mut CliWorld) {
    let server = Server::http_with(302, &[("Location", "/health")], "");
    world.vars.insert("HEALTH_URL".into(), server.url());
    world.servers.push(server);
}

#[given("the CA file is deleted")]
fn ca_deleted(world: &mut CliWorld) {
    let path = world.vars.get("CA_CERT").expect("a CA file").clone();
    std::fs::remove_file(path).unwrap();
}

#[given(regex = r#"^the file "([A-Za-z0-9._-]+)" contains:$"#)]
fn file_contains(world: &mut CliWorld, name: String, step: &Step) {
    let text = step.docstring.as_deref().expect("a doc string");
    let text = text.strip_prefix('\n').unwrap_or(text);
    std::fs::write(world.home().join(name), text).unwrap();
}

#[then(regex = r#"^the configuration file is exactly "(.*)"$"#)]
fn file_exactly(world: &mut CliWorld, expected: String) {
    let text = String::from_utf8(world.config_bytes().expect("a config file")).unwrap();
    assert_eq!(text, unescape(&expected));
}

#[then(regex = r#"^stdout contains "(.*)" exactly once$"#)]
fn stdout_once(world: &mut CliWorld, needle: String) {
    let last = world.last();
    assert_eq!(last.stdout.matches(needle.as_str()).count(), 1, "{last:?}");
}
