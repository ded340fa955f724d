//! The README's worked session is what the binary prints: each `$ ` command of the first
//! ```` ```console ```` block under "## A worked session" is run in order, in a fresh home, against
//! loopback servers, and its stdout and stderr together must equal the lines the README shows
//! under it.
//!
//! Normalised on both sides: the servers' real ports print as the README's `8080` (HTTP) and
//! `8443` (HTTPS), the temporary home as `/home/me`, and latencies (`in 7.5ms`) as `in TIME`.
//! A command's `# comment` is not passed to the binary; `VAR=value` before it is set in its
//! environment. `server.pem` in the home is the HTTPS server's self-signed certificate.

use std::path::Path;

use crate::support::{bare_std_cmd, run_std, Pki, Server};

const README_HOME: &str = "/home/me";

/// One `$ command` and the output lines the README shows for it.
struct Step {
    command: String,
    expected: Vec<String>,
}

fn worked_session(readme: &str) -> Vec<Step> {
    let section = readme
        .split("\n## A worked session\n")
        .nth(1)
        .expect("README has a `## A worked session` section");
    let block = section
        .split("```console\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("the section has a ```console block");
    let mut steps: Vec<Step> = Vec::new();
    for line in block.lines() {
        match (line.strip_prefix("$ "), steps.last_mut()) {
            (Some(command), _) => steps.push(Step {
                command: command.to_string(),
                expected: Vec::new(),
            }),
            (None, Some(step)) => step.expected.push(line.to_string()),
            (None, None) => panic!("output before the first command: {line:?}"),
        }
    }
    for step in &mut steps {
        while step.expected.last().is_some_and(|l| l.is_empty()) {
            step.expected.pop();
        }
    }
    steps
}

/// `in 21.8ms` / `in 1.2s` / `in 950µs` -> `in TIME`.
fn normalise_times(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find(" in ") {
        out.push_str(&rest[..at + 4]);
        rest = &rest[at + 4..];
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let unit = ["ms", "µs", "s"]
            .into_iter()
            .find(|u| rest[digits..].starts_with(u));
        match unit {
            Some(unit) if digits > 0 => {
                out.push_str("TIME");
                rest = &rest[digits + unit.len()..];
            }
            _ => {}
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn the_readme_worked_session_is_what_the_binary_prints() {
    let readme_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    let readme = std::fs::read_to_string(&readme_path).expect("README.md");
    let steps = worked_session(&readme);
    assert!(steps.len() >= 8, "the worked session is missing or short");

    let http = Server::http(200);
    let (identity, pem) = Pki::openssl_self_signed();
    let https = Server::https(&identity, 200);
    let home = tempfile::tempdir().expect("temp home");
    let home_path = home.path().canonicalize().unwrap();
    std::fs::write(home_path.join("server.pem"), pem).unwrap();
    let ports = [
        ("127.0.0.1:8080", http.url().replace("http://", "")),
        ("127.0.0.1:8443", https.url().replace("https://", "")),
    ];

    let mut mismatches = Vec::new();
    let mut transcript = String::new();
    for step in &steps {
        let mut command = step.command.clone();
        if let Some(at) = command.find(" #") {
            command.truncate(at);
        }
        for (readme_addr, real) in &ports {
            command = command.replace(readme_addr, real);
        }
        let mut words = command.split_whitespace().peekable();
        let mut cmd = bare_std_cmd();
        cmd.env("HOME", &home_path).current_dir(&home_path);
        while let Some((var, value)) = words.peek().and_then(|w| w.split_once('=')) {
            cmd.env(var, value);
            words.next();
        }
        assert_eq!(words.next(), Some("cleveragents"), "{}", step.command);
        let out = run_std(cmd.args(words));
        let mut printed = out.stdout.clone();
        printed.push_str(&out.stderr);
        let home_text = home_path.display().to_string();
        let actual: Vec<String> = printed
            .lines()
            .map(|line| {
                let mut line = line.replace(&home_text, README_HOME);
                for (readme_addr, real) in &ports {
                    line = line.replace(real, readme_addr);
                }
                normalise_times(&line)
            })
            .collect();
        let expected: Vec<String> = step.expected.iter().map(|l| normalise_times(l)).collect();
        transcript.push_str(&format!("$ {}\n", step.command));
        for line in &actual {
            transcript.push_str(line);
            transcript.push('\n');
        }
        if actual != expected {
            mismatches.push(format!(
                "$ {}\n  README:\n    {}\n  binary (exit {}):\n    {}",
                step.command,
                expected.join("\n    "),
                out.code,
                actual.join("\n    ")
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "the README's worked session differs from what the binary prints:\n{}\n\nthe whole \
         session as printed (times as TIME):\n{transcript}",
        mismatches.join("\n")
    );
}

#[test]
fn times_are_normalised_and_nothing_else() {
    assert_eq!(
        normalise_times("HTTP 200 in 21.8ms, plain HTTP"),
        "HTTP 200 in TIME, plain HTTP"
    );
    assert_eq!(normalise_times("within 1s in 3s"), "within 1s in TIME");
    assert_eq!(
        normalise_times("saved in no profile"),
        "saved in no profile"
    );
    assert_eq!(normalise_times("answered in 950µs"), "answered in TIME");
    assert_eq!(normalise_times("in 2 steps"), "in 2 steps");
}
