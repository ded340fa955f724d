//! Hostile input and environments: garbage files, directories, huge arguments, closed pipes,
//! and the generated help, completions and manual pages.

use std::process::{Command, Stdio};
use std::sync::Arc;

use cleveragents_config::fs::{Fault, FaultyFs, Fs, Op, RealFs};

use crate::support::{bare_cmd, run, run_std, Sandbox};

/// Linux refuses a single argument of 128 KiB or more (MAX_ARG_STRLEN); this is the largest
/// one that can be passed.
const MAX_ARG: usize = 128 * 1024 - 1;

fn no_panic(out: &crate::support::Outcome) {
    assert!(!out.stderr.contains("panicked"), "{out:?}");
    assert!(!out.stderr.contains("RUST_BACKTRACE"), "{out:?}");
}

#[test]
fn binary_garbage_in_the_config_file_is_exit_1_with_the_path() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    let sandbox = Sandbox::new();
    sandbox.write_config(&garbage);
    for args in [
        vec!["config", "get", "server.url"],
        vec!["config", "list"],
        vec!["config", "set", "server.namespace", "x"],
        vec!["config", "unset", "server"],
        vec!["config", "validate"],
        vec!["config", "edit"],
        vec!["server", "status"],
        vec!["server", "connect", "http://127.0.0.1:9", "--no-check"],
        vec!["server", "disconnect"],
        vec!["server", "profiles"],
        vec!["server", "use", "x"],
        vec!["server", "forget", "x"],
    ] {
        let out = run(sandbox.cmd().env("EDITOR", "true").args(&args));
        assert_eq!(out.code, 1, "{args:?}: {out:?}");
        // `config edit` opens a broken file to fix it; saved untouched, it stays an error.
        let (prefix, error) = if args[1] == "edit" {
            (
                "warning: ",
                "error: no changes; the file still does not parse: ",
            )
        } else {
            ("error: ", "error: ")
        };
        assert!(
            out.stderr
                .starts_with(&format!("{prefix}{}:", sandbox.config.display())),
            "{args:?}: {out:?}"
        );
        assert!(
            out.stderr
                .contains(&format!("{error}{}:", sandbox.config.display())),
            "{args:?}: {out:?}"
        );
        no_panic(&out);
        assert_eq!(sandbox.bytes(), garbage, "{args:?}");
    }
}

#[test]
fn a_directory_where_the_file_should_be_is_exit_1() {
    let sandbox = Sandbox::new();
    std::fs::create_dir(&sandbox.config).unwrap();
    for args in [
        vec!["config", "get", "server.url"],
        vec!["config", "set", "server.namespace", "x"],
        vec!["config", "list"],
        vec!["server", "connect", "http://h", "--no-check"],
        vec!["config", "path", "--json"],
    ] {
        let out = run(sandbox.cmd().args(&args));
        if args[1] == "path" {
            assert_eq!(out.code, 0, "{out:?}");
            assert_eq!(out.json()["exists"], true);
            continue;
        }
        assert_eq!(out.code, 1, "{args:?}: {out:?}");
        assert!(
            out.stderr.contains(&sandbox.config.display().to_string()),
            "{out:?}"
        );
        no_panic(&out);
        assert!(sandbox.config.is_dir());
    }
}

#[test]
fn huge_arguments_are_exit_2_with_a_short_message() {
    let sandbox = Sandbox::with_config("[server]\nurl = \"http://h\"\n");
    let before = sandbox.bytes();
    let huge = "a".repeat(MAX_ARG);
    let url = format!("http://{}", "h".repeat(MAX_ARG - 7));
    for args in [
        vec!["config", "get", huge.as_str()],
        vec!["config", "set", "server.namespace", huge.as_str()],
        vec!["config", "set", huge.as_str(), "x"],
        vec!["config", "unset", huge.as_str()],
        vec!["server", "connect", url.as_str()],
        vec![
            "server",
            "connect",
            "http://h",
            "--namespace",
            huge.as_str(),
        ],
        vec!["server", "use", huge.as_str()],
        vec!["man", huge.as_str()],
        vec![huge.as_str()],
        vec!["server", "connect", "http://h", huge.as_str()],
    ] {
        let out = run(sandbox.cmd().args(&args));
        assert_eq!(
            out.code,
            2,
            "{:?}",
            &out.stderr[..out.stderr.len().min(300)]
        );
        assert!(
            out.stderr.starts_with("error"),
            "{}",
            &out.stderr[..out.stderr.len().min(300)]
        );
        assert!(
            out.stderr.len() < 4096,
            "stderr is {} bytes",
            out.stderr.len()
        );
        no_panic(&out);
        assert_eq!(sandbox.bytes(), before);
    }
    // 1 MB in total over several arguments: every pair is checked, none applied.
    let mut args = vec!["config".to_string(), "set".to_string()];
    for _ in 0..8 {
        args.push("server.namespace".into());
        args.push("n".repeat(MAX_ARG));
    }
    let out = run(sandbox.cmd().args(&args));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with("error: 8 of 8 pairs are invalid"),
        "{}",
        &out.stderr[..200]
    );
    assert!(out.stderr.len() < 8192);
    assert_eq!(sandbox.bytes(), before);
}

#[test]
fn a_closed_stdout_is_not_a_panic() {
    let mut text = String::from("[ui]\n");
    for i in 0..20_000 {
        text.push_str(&format!("key{i} = \"value number {i}\"\n"));
    }
    let sandbox = Sandbox::with_config(&text);
    let bin = assert_cmd::cargo::cargo_bin("cleveragents");
    for args in [
        "config list",
        "config list --json",
        "man",
        "completions bash",
        "--help",
    ] {
        let output = Command::new("bash")
            .arg("-c")
            .arg(format!(
                "\"$0\" {args} | head -0; echo \"status=${{PIPESTATUS[0]}}\""
            ))
            .arg(&bin)
            .env("CLEVERAGENTS_CONFIG", &sandbox.config)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stdout, "status=0\n", "{args}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args}: {stderr}");
    }
    assert_eq!(sandbox.text(), text);
}

#[test]
fn help_and_version_exit_0_and_teach() {
    let out = run(bare_cmd().arg("--help"));
    assert_eq!(out.code, 0, "{out:?}");
    for needle in [
        "CLEVERAGENTS_CONFIG",
        "CLEVERAGENTS_SERVER_URL",
        "Exit codes",
        "Examples:",
        "server connect",
    ] {
        assert!(out.stdout.contains(needle), "{needle}: {}", out.stdout);
    }
    let out = run(bare_cmd().args(["server", "connect", "--help"]));
    assert_eq!(out.code, 0);
    for needle in [
        "--ca-cert",
        "--no-tls-verify",
        "--save-as",
        "--no-check",
        "--timeout",
        "Examples:",
    ] {
        assert!(out.stdout.contains(needle), "{needle}");
    }
    for args in [
        vec!["config", "--help"],
        vec!["config", "set", "--help"],
        vec!["config", "edit", "--help"],
        vec!["server", "status", "--help"],
        vec!["help", "server"],
    ] {
        let out = run(bare_cmd().args(&args));
        assert_eq!(out.code, 0, "{args:?}");
        assert!(out.stdout.contains("Usage: cleveragents"), "{args:?}");
    }
    let out = run(bare_cmd().arg("--version"));
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout,
        format!("cleveragents {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec![],
        vec!["bogus"],
        vec!["server"],
        vec!["config", "get"],
        vec!["completions", "tcsh"],
    ] {
        let out = run(bare_cmd().args(&args));
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(
            out.stderr.contains("Usage:") || out.stderr.starts_with("error:"),
            "{out:?}"
        );
        assert_eq!(out.stdout, "");
    }
}

#[test]
fn completions_for_every_shell() {
    // Each registers the binary itself as the completer: `COMPLETE=SHELL cleveragents -- ...`.
    for (shell, needle) in [
        (
            "bash",
            "complete -o nospace -o bashdefault -o nosort -F _clap_complete_cleveragents",
        ),
        ("zsh", "#compdef cleveragents"),
        (
            "fish",
            "complete --keep-order --exclusive --command cleveragents",
        ),
        ("elvish", "set edit:completion:arg-completer[cleveragents]"),
        (
            "powershell",
            "Register-ArgumentCompleter -Native -CommandName cleveragents",
        ),
    ] {
        let out = run(bare_cmd().args(["completions", shell]));
        assert_eq!(out.code, 0, "{shell}: {out:?}");
        assert!(out.stdout.contains(needle), "{shell}: {}", out.stdout);
        assert!(
            out.stdout.contains(&format!("COMPLETE=\"{shell}\""))
                || out.stdout.contains(&format!("COMPLETE={shell}"))
                || out.stdout.contains(&format!("$env:COMPLETE = \"{shell}\"")),
            "{shell}: {}",
            out.stdout
        );
    }
}

#[test]
fn man_pages_are_roff() {
    let out = run(bare_cmd().arg("man"));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("\n.TH CLEVERAGENTS 1 "),
        "{}",
        &out.stdout[..200]
    );
    assert!(out.stdout.contains(".SH SUBCOMMANDS"), "no commands");
    let out = run(bare_cmd().args(["man", "server", "connect"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .contains(".TH CLEVERAGENTS-SERVER-CONNECT 1  \"cleveragents 0.1.0\""),
        "{}",
        &out.stdout[..300]
    );
    // The synopsis names every value.
    assert!(
        out.stdout.contains(
            "\\fBcleveragents server connect\\fR \\fIURL\\fR [\\fB\\-\\-namespace\\fR \\fINS\\fR]"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("[\\fB\\-\\-ca\\-cert\\fR \\fIPEM\\fR]"),
        "options missing"
    );
    let out = run(bare_cmd().args(["man", "server", "nope"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("hint: pick one of: connect, status"),
        "{out:?}"
    );
    let out = run(bare_cmd().args(["man", "server", "--out", "x"]));
    assert_eq!(out.code, 2, "{out:?}");
}

#[test]
fn man_out_writes_every_page_that_see_also_names_with_every_section() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(bare_cmd().args(["man", "--out"]).arg(dir.path()));
    assert_eq!(out.code, 0, "{out:?}");
    let mut pages: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    // One page per command, each listed as written.
    assert_eq!(pages.len(), 19, "{pages:?}");
    assert_eq!(out.stdout.lines().count(), 19, "{out:?}");
    for page in &pages {
        let text = std::fs::read_to_string(dir.path().join(page)).unwrap();
        for section in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH DESCRIPTION",
            ".SH ENVIRONMENT",
            ".SH FILES",
            ".SH \"EXIT STATUS\"",
            ".SH \"SEE ALSO\"",
        ] {
            assert!(text.contains(section), "{page} lacks {section}");
        }
        assert!(!text.contains(".SH EXTRA"), "{page} has an EXTRA section");
        // Every page SEE ALSO names was written.
        let see_also = &text[text.find(".SH \"SEE ALSO\"").unwrap()..];
        for name in see_also.split("\\fB").skip(1) {
            let name = name.split("\\fR").next().unwrap().replace("\\-", "-");
            assert!(
                pages.contains(&format!("{name}.1")),
                "{page} names {name}(1), which was not written"
            );
        }
    }
    let json = run(bare_cmd().args(["man", "--json", "--out"]).arg(dir.path())).json();
    assert_eq!(json["written"].as_array().unwrap().len(), 19, "{json}");
    // A DIR that is a file: a runtime failure naming it.
    let file = dir.path().join("cleveragents.1");
    let out = run(bare_cmd().args(["man", "--out"]).arg(&file));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.starts_with("error: cannot create "), "{out:?}");
    let set = std::fs::read_to_string(dir.path().join("cleveragents-config-set.1")).unwrap();
    assert!(
        set.contains(".SH KEYS") && set.contains(".SH EXAMPLES"),
        "{set}"
    );
    assert!(set.contains("CLEVERAGENTS_SERVER_TIMEOUT"), "{set}");
}

#[test]
fn a_full_stdout_is_a_runtime_error_for_reads_and_a_warning_after_a_commit() {
    let server = crate::support::Server::http(200);
    let text = format!(
        "[server]\nurl = \"{}\"\n[profiles.p]\nurl = \"http://p\"\n",
        server.url()
    );
    let sandbox = Sandbox::with_config(&text);
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    for args in [
        vec!["config", "list"],
        vec!["config", "list", "--show-origin"],
        vec!["config", "get", "server.url"],
        vec!["config", "path"],
        vec!["config", "validate"],
        vec!["server", "status"],
        vec!["server", "status", "--json"],
        vec!["server", "profiles"],
        vec!["man"],
        vec!["completions", "zsh"],
    ] {
        let out = run_std(sandbox.std_cmd().args(&args).stdout(full()));
        assert_eq!(out.code, 1, "{args:?}: {out:?}");
        assert!(
            out.stderr.contains("error: cannot write to stdout"),
            "{args:?}: {out:?}"
        );
        no_panic(&out);
        assert_eq!(sandbox.text(), text);
    }
    // A listing longer than stdout's buffer fails while it is printed, not at the end.
    let mut long = text.clone();
    for i in 0..400 {
        long.push_str(&format!("[profiles.p{i}]\nurl = \"http://p{i}.example\"\n"));
    }
    let big = Sandbox::with_config(&long);
    let out = run_std(big.std_cmd().args(["config", "list"]).stdout(full()));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains("error: cannot write to stdout"),
        "{out:?}"
    );
    no_panic(&out);
    // A change that was committed is not reported as failed (a retry would be wrong).
    for args in [
        // Replacing a value prints `set KEY = NEW (was OLD)`.
        vec!["config", "set", "server.url", "http://changed"],
        vec!["config", "set", "server.namespace", "full"],
        vec!["config", "unset", "server.namespace"],
        vec!["server", "use", "p", "--force"],
        vec!["server", "connect", "http://h", "--no-check", "--force"],
        vec!["server", "disconnect"],
    ] {
        let before = sandbox.bytes();
        let out = run_std(sandbox.std_cmd().args(&args).stdout(full()));
        assert_eq!(out.code, 0, "{args:?}: {out:?}");
        assert!(
            out.stderr
                .contains("warning: the change was saved, but cannot write to stdout"),
            "{args:?}: {out:?}"
        );
        assert_ne!(sandbox.bytes(), before, "{args:?}");
    }
    // Help and version text are output too.
    for args in [
        vec!["--help"],
        vec!["server", "connect", "--help"],
        vec!["--version"],
    ] {
        let out = run_std(sandbox.std_cmd().args(&args).stdout(full()));
        assert_eq!(out.code, 1, "{args:?}: {out:?}");
        assert!(
            out.stderr.starts_with("error: cannot write to stdout: "),
            "{args:?}: {out:?}"
        );
    }
}

#[test]
fn a_held_lock_is_a_runtime_failure_that_changes_nothing() {
    let sandbox = Sandbox::with_config("[server]\nurl = \"http://h\"\n");
    let before = sandbox.bytes();
    let lock = std::fs::File::create(sandbox.path("config.toml.lock")).unwrap();
    lock.lock().unwrap();
    let out = run(sandbox
        .cmd()
        .args(["config", "set", "server.namespace", "x"]));
    // Reads take no lock.
    let read = run(sandbox.cmd().args(["config", "get", "server.url"]));
    drop(lock);
    assert_eq!((read.code, read.stdout.as_str()), (0, "http://h\n"));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.starts_with("error: timed out after"), "{out:?}");
    assert!(
        out.stderr.contains("hint: another process is writing"),
        "{out:?}"
    );
    assert_eq!(sandbox.bytes(), before);
}

/// Runs `args` in-process, through the library entry point, with the store's file system
/// `fs` and `stdout`: (exit code, stderr).
fn run_in_process(
    sandbox: &Sandbox,
    args: &[&str],
    stdout: &mut dyn std::io::Write,
    fs: Arc<dyn Fs>,
) -> (u8, String) {
    let env = cleveragents::Env::from_pairs([("CLEVERAGENTS_CONFIG", &sandbox.config)]);
    let mut stderr = Vec::new();
    let argv = std::iter::once("cleveragents").chain(args.iter().copied());
    let code = cleveragents::run_with_fs(
        argv,
        &env,
        cleveragents::Streams::new(stdout, &mut stderr),
        fs,
    );
    (code, String::from_utf8_lossy(&stderr).into_owned())
}

#[test]
fn a_failed_directory_flush_is_a_warning_after_the_change_is_saved() {
    let sandbox = Sandbox::with_config("[server]\nurl = \"http://h\"\n");
    let args = ["config", "set", "server.namespace", "team-a"];
    // Learn where the commit flushes the directory ...
    let record = Arc::new(FaultyFs::new(Fault::None));
    let (code, _) = run_in_process(&sandbox, &args, &mut Vec::new(), record.clone());
    assert_eq!(code, 0);
    let index = record
        .ops()
        .iter()
        .position(|op| *op == Op::SyncDir)
        .expect("the commit flushes the directory");

    // ... and make exactly that call fail (EIO) on the next change.
    let args = ["config", "set", "server.namespace", "team-b"];
    let faulty = Arc::new(FaultyFs::new(Fault::FailCall { index, errno: 5 }));
    let mut stdout = Vec::new();
    let (code, stderr) = run_in_process(&sandbox, &args, &mut stdout, faulty);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        String::from_utf8(stdout).unwrap(),
        "set server.namespace = \"team-b\" (was \"team-a\")\n"
    );
    assert!(stderr.starts_with("warning: "), "{stderr}");
    assert!(
        stderr.contains("the change is in place but may not survive a power loss"),
        "{stderr}"
    );
    assert_eq!(
        sandbox.toml()["server"]["namespace"].as_str(),
        Some("team-b")
    );
}

/// A stdout that takes `lines` writes, then fails as a full disk does.
struct FailsAfter {
    lines: usize,
    written: Vec<u8>,
}

impl std::io::Write for FailsAfter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.lines == 0 {
            return Err(std::io::ErrorKind::StorageFull.into());
        }
        self.lines -= 1;
        self.written.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn server_status_stops_at_the_first_line_stdout_refuses() {
    let server = crate::support::Server::http(200);
    let sandbox = Sandbox::with_config(format!(
        "[server]\nurl = \"{}\"\nnamespace = \"team-a\"\n",
        server.url()
    ));
    let real = || Arc::new(RealFs);

    let mut full = Vec::new();
    let (code, stderr) = run_in_process(&sandbox, &["server", "status"], &mut full, real());
    assert_eq!(code, 0, "{stderr}");
    let full = String::from_utf8(full).unwrap();
    let lines: Vec<&str> = full.lines().collect();
    assert_eq!(lines.len(), 6, "{full}");
    assert!(lines[5].starts_with("reachable:   yes"), "{full}");

    for n in 0..lines.len() {
        let mut stdout = FailsAfter {
            lines: n,
            written: Vec::new(),
        };
        let (code, stderr) = run_in_process(&sandbox, &["server", "status"], &mut stdout, real());
        assert_eq!(code, 1, "after {n} lines: {stderr}");
        assert!(
            stderr.starts_with("error: cannot write to stdout"),
            "after {n} lines: {stderr}"
        );
        // Exactly the lines before the refused one, and nothing after it.
        let written = String::from_utf8(stdout.written).unwrap();
        assert_eq!(
            written.lines().collect::<Vec<_>>(),
            lines[..n],
            "after {n} lines"
        );
    }
}

#[test]
fn diagnostics_are_coloured_on_a_terminal_and_never_with_no_color_or_in_a_pipe() {
    let sandbox = Sandbox::new();
    let red_error = "\x1b[1;31merror:\x1b[0m unknown configuration key";
    let cyan_hint = "\x1b[36mhint:\x1b[0m did you mean";
    // A pipe: plain.
    let out = run(sandbox.cmd().args(["config", "get", "server.ulr"]));
    assert!(out.stderr.starts_with("error: unknown"), "{out:?}");
    // Forced: coloured, usage errors from the parser too.
    let out = run(sandbox
        .cmd()
        .env("CLICOLOR_FORCE", "1")
        .args(["config", "get", "server.ulr"]));
    assert!(out.stderr.starts_with(red_error), "{out:?}");
    assert!(out.stderr.contains(cyan_hint), "{out:?}");
    let out = run(sandbox.cmd().env("CLICOLOR_FORCE", "1").arg("--bogus"));
    assert!(out.stderr.starts_with("\x1b[1;31merror:\x1b[0m"), "{out:?}");
    // NO_COLOR wins over everything.
    let out = run(sandbox
        .cmd()
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .args(["config", "get", "server.ulr"]));
    assert!(out.stderr.starts_with("error: unknown"), "{out:?}");
    // A real terminal (script(1) gives the command a pty): coloured, and plain with NO_COLOR.
    let bin = assert_cmd::cargo::cargo_bin("cleveragents");
    let command = format!(
        "{} --config {} config get server.ulr",
        bin.display(),
        sandbox.config.display()
    );
    for (no_color, coloured) in [(false, true), (true, false)] {
        let mut script = std::process::Command::new("script");
        script.args(["-qec", &command, "/dev/null"]);
        script.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
        if no_color {
            script.env("NO_COLOR", "1");
        }
        let out = script.output().expect("script(1) runs");
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            text.contains(red_error),
            coloured,
            "NO_COLOR={no_color}: {text:?}"
        );
        assert!(text.contains("unknown configuration key"), "{text:?}");
    }
}

#[test]
fn under_json_every_failure_is_one_json_document_on_stdout() {
    let sandbox = Sandbox::with_config("[server]\nurl = \"http://127.0.0.1:9\"\n");
    for (args, code, message) in [
        (
            vec!["config", "get", "server.ulr", "--json"],
            2,
            "unknown configuration key `server.ulr`",
        ),
        (
            vec!["config", "get", "server.ca-cert", "--json"],
            1,
            "`server.ca-cert` is not set: it is not in the file, CLEVERAGENTS_SERVER_CA_CERT is not set, and the key has no default",
        ),
        (
            vec!["server", "use", "nope", "--json"],
            1,
            "no profile named \"nope\"",
        ),
        (
            vec!["server", "connect", "--bogus", "--json"],
            2,
            "unexpected argument '--bogus' found",
        ),
    ] {
        let out = run(sandbox.cmd().args(&args));
        assert_eq!(out.code, code, "{args:?}: {out:?}");
        let json = out.json();
        assert_eq!(json["error"]["message"], message, "{args:?}");
        assert_eq!(json["error"]["exit-code"], code, "{args:?}");
        let kind = if code == 2 { "usage" } else { "failure" };
        assert_eq!(json["error"]["kind"], kind, "{args:?}");
        assert!(json["error"]["hints"].is_array(), "{json}");
        // The human line is still on stderr.
        if args[1] != "get" || code == 2 {
            assert!(out.stderr.starts_with("error: "), "{args:?}: {out:?}");
        }
    }
    let json = run(sandbox
        .cmd()
        .args(["config", "get", "server.ulr", "--json"]))
    .json();
    assert_eq!(json["error"]["hints"][0], "did you mean `server.url`?");
    // A command whose report says what failed prints only that report.
    let out = run(sandbox
        .cmd()
        .args(["server", "status", "--json", "--timeout", "1s"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.stdout.lines().count(), 1, "{out:?}");
    assert_eq!(out.json()["probe"]["reachable"], false);
}

/// The real file system, except that reads of one file (the configuration) fail with `EIO`,
/// or find no file: a command that read the configuration other than through the store's
/// seam would not see either.
#[derive(Debug)]
struct ConfigReads {
    config: std::path::PathBuf,
    missing: bool,
}

impl Fs for ConfigReads {
    fn read(
        &self,
        path: &std::path::Path,
    ) -> std::io::Result<Option<cleveragents_config::fs::Contents>> {
        match path == self.config {
            true if self.missing => Ok(None),
            true => Err(std::io::Error::from_raw_os_error(5)),
            false => RealFs.read(path),
        }
    }
    fn read_link(&self, path: &std::path::Path) -> std::io::Result<Option<std::path::PathBuf>> {
        RealFs.read_link(path)
    }
    fn create_dir_all(&self, path: &std::path::Path) -> std::io::Result<()> {
        RealFs.create_dir_all(path)
    }
    fn open_lock(&self, path: &std::path::Path) -> std::io::Result<std::fs::File> {
        RealFs.open_lock(path)
    }
    fn try_lock(&self, file: &std::fs::File) -> std::io::Result<bool> {
        RealFs.try_lock(file)
    }
    fn remove_file(&self, path: &std::path::Path) -> std::io::Result<()> {
        RealFs.remove_file(path)
    }
    fn create_new(&self, path: &std::path::Path, mode: u32) -> std::io::Result<std::fs::File> {
        RealFs.create_new(path, mode)
    }
    fn write_all(&self, file: &mut std::fs::File, bytes: &[u8]) -> std::io::Result<()> {
        RealFs.write_all(file, bytes)
    }
    fn sync_data(&self, file: &std::fs::File) -> std::io::Result<()> {
        RealFs.sync_data(file)
    }
    fn rename(&self, from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
        RealFs.rename(from, to)
    }
    fn sync_dir(&self, dir: &std::path::Path) -> std::io::Result<()> {
        RealFs.sync_dir(dir)
    }
    fn set_owner(
        &self,
        file: &std::fs::File,
        owner: cleveragents_config::fs::Owner,
    ) -> std::io::Result<()> {
        RealFs.set_owner(file, owner)
    }
}

#[test]
fn every_command_reads_the_configuration_through_the_file_system_seam() {
    let text = "[server]\nurl = \"http://127.0.0.1:9\"\nnamespace = \"a\"\n\n\
                [previous-server]\nurl = \"http://127.0.0.1:9\"\nnamespace = \"b\"\n\n\
                [profiles.lab]\nurl = \"http://127.0.0.1:9\"\nnamespace = \"lab\"\n";
    let sandbox = Sandbox::with_config(text);
    let from = sandbox.file("edited.toml", "[server]\nurl = \"http://127.0.0.1:9\"\n");
    let from = from.to_str().unwrap();
    let config = sandbox.config.display().to_string();
    let unreadable = || -> Arc<dyn Fs> {
        Arc::new(ConfigReads {
            config: sandbox.config.clone(),
            missing: false,
        })
    };
    // An editor that changes the copy, so that `config edit` reading around the seam would
    // succeed (and this test fail).
    let editor = sandbox.file("editor.sh", "echo '# edited' >> \"$1\"\n");
    let editor = format!("sh {}", editor.display());
    let run_with = |args: &[&str], fs: Arc<dyn Fs>| {
        let env = cleveragents::Env::from_pairs([
            ("CLEVERAGENTS_CONFIG", sandbox.config.as_os_str()),
            ("VISUAL", std::ffi::OsStr::new(&editor)),
        ]);
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let argv = std::iter::once("cleveragents").chain(args.iter().copied());
        let code = cleveragents::run_with_fs(
            argv,
            &env,
            cleveragents::Streams::new(&mut stdout, &mut stderr),
            fs,
        );
        let stdout = String::from_utf8_lossy(&stdout).into_owned();
        (code, stdout, String::from_utf8_lossy(&stderr).into_owned())
    };
    let commands: &[&[&str]] = &[
        &["config", "get", "server.url"],
        &["config", "get", "server"],
        &["config", "get", "other.key"],
        &["config", "list"],
        &["config", "list", "server"],
        &["config", "validate"],
        &["config", "set", "server.namespace", "c"],
        &["config", "unset", "server.namespace"],
        &["config", "edit"],
        &["config", "edit", "--from", from],
        &["server", "status", "--no-check"],
        &["server", "status", "--timeout", "1s"],
        &["server", "profiles"],
        &["server", "profiles", "--names"],
        &["server", "connect", "http://127.0.0.1:9", "--no-check"],
        &["server", "use", "lab"],
        &["server", "use", "-"],
        &["server", "disconnect"],
        &["server", "forget", "lab"],
        &["server", "rename", "lab", "lab2"],
    ];
    for args in commands {
        let (code, _, stderr) = run_with(args, unreadable());
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(&config),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(sandbox.text(), text, "{args:?}");
        // The failure is the seam's: on the real file system the same command line reads the
        // file (and may change it: it is put back).
        let (_, _, stderr) = run_with(args, Arc::new(RealFs));
        assert!(!stderr.contains("Input/output error"), "{args:?}: {stderr}");
        sandbox.write_config(text);
    }
    // `config path` needs no read to print the path; whether the file exists, it asks the seam.
    let exists =
        |stdout: &str| serde_json::from_str::<serde_json::Value>(stdout).unwrap()["exists"].clone();
    let (code, stdout, _) = run_with(&["config", "path", "--json"], unreadable());
    assert_eq!((code, exists(&stdout)), (0, true.into()), "{stdout}");
    let missing = Arc::new(ConfigReads {
        config: sandbox.config.clone(),
        missing: true,
    });
    let (code, stdout, _) = run_with(&["config", "path", "--json"], missing);
    assert_eq!((code, exists(&stdout)), (0, false.into()), "{stdout}");
}
