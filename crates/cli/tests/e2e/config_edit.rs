//! `config edit` with scripted editors: a good edit, no edit, invalid edits without a
//! terminal, a failing editor, and a concurrent change (compare-and-swap).

use crate::support::{run, script, Sandbox};

const FILE: &str = "# my settings\n[server]\nurl = \"http://h.example\"\nnamespace = \"team-a\"   # ns\n\n[ui]\ntheme = \"dark\"\n";

/// The sandbox's command with `TMPDIR` inside the sandbox, so leftover copies can be seen.
fn edit(sandbox: &Sandbox, editor: &std::path::Path) -> assert_cmd::Command {
    let tmp = sandbox.path("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let mut cmd = sandbox.cmd();
    cmd.env("TMPDIR", &tmp)
        .env("EDITOR", editor)
        .args(["config", "edit"]);
    cmd
}

fn leftovers(sandbox: &Sandbox) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(sandbox.path("tmp"))
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

#[test]
fn a_valid_edit_is_committed_and_keeps_the_rest() {
    let sandbox = Sandbox::with_config(FILE);
    let editor = script(
        sandbox.dir.path(),
        "ed.sh",
        "sed -i 's/team-a/team-b/' \"$1\"",
    );
    let out = run(&mut edit(&sandbox, &editor));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, format!("saved: {}\n", sandbox.config.display()));
    assert_eq!(sandbox.text(), FILE.replace("team-a", "team-b"));
    assert_eq!(
        sandbox.toml()["server"]["namespace"].as_str(),
        Some("team-b")
    );
    assert!(leftovers(&sandbox).is_empty(), "{:?}", leftovers(&sandbox));
}

#[test]
fn visual_wins_over_editor_and_an_untouched_copy_changes_nothing() {
    let sandbox = Sandbox::with_config(FILE);
    let visual = script(sandbox.dir.path(), "visual.sh", "exit 0");
    let editor = script(sandbox.dir.path(), "editor.sh", "echo 'broken [' > \"$1\"");
    let out = run(edit(&sandbox, &editor).env("VISUAL", &visual).arg("--json"));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["changed"], false);
    assert_eq!(sandbox.text(), FILE);

    let out = run(edit(&sandbox, &visual).env_remove("VISUAL"));
    assert_eq!(
        out.stdout,
        format!("no changes: {}\n", sandbox.config.display())
    );
}

#[test]
fn editing_a_missing_file_creates_it() {
    let sandbox = Sandbox::new();
    let editor = script(
        sandbox.dir.path(),
        "ed.sh",
        "printf '[server]\\nurl = \"https://new.example\"\\n' > \"$1\"",
    );
    let out = run(edit(&sandbox, &editor).arg("--json"));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["changed"], true);
    assert_eq!(sandbox.text(), "[server]\nurl = \"https://new.example\"\n");
}

#[test]
fn an_invalid_edit_without_a_terminal_aborts_and_keeps_the_edit() {
    let sandbox = Sandbox::with_config(FILE);
    for (body, expected) in [
        (
            "sed -i 's|http://h.example|ftp://h|' \"$1\"",
            "invalid value \"ftp://h\" for `server.url`",
        ),
        (
            "sed -i '1i serverr-url = 1' \"$1\"",
            "unknown configuration key `serverr-url`",
        ),
        ("printf '[server\\n' > \"$1\"", ":1:"),
        ("printf '\\377\\376' > \"$1\"", "not valid UTF-8"),
    ] {
        let editor = script(sandbox.dir.path(), "bad.sh", body);
        let out = run(&mut edit(&sandbox, &editor));
        assert_eq!(out.code, 2, "{body}: {out:?}");
        assert!(
            out.stderr
                .starts_with("error: the edited configuration is invalid: "),
            "{out:?}"
        );
        assert!(out.stderr.contains(expected), "{body}: {out:?}");
        assert!(
            out.stderr
                .contains("error: edit aborted; the configuration was not changed"),
            "{out:?}"
        );
        assert!(
            !out.stderr.contains("Edit again?"),
            "asked without a terminal: {out:?}"
        );
        assert_eq!(sandbox.text(), FILE, "{body}");
        // The rejected edit is kept where the hint says, never deleted.
        let kept = leftovers(&sandbox);
        assert_eq!(kept.len(), 1, "{body}: {kept:?}");
        assert!(
            out.stderr.contains(&format!(
                "hint: your edit is kept in {}\n",
                kept[0].display()
            )),
            "{out:?}"
        );
        assert_ne!(std::fs::read(&kept[0]).unwrap(), FILE.as_bytes(), "{body}");
        std::fs::remove_file(&kept[0]).unwrap();
    }
}

#[test]
fn a_concurrent_change_is_not_overwritten_and_the_edit_is_kept() {
    let sandbox = Sandbox::with_config(FILE);
    // The "editor" edits the copy, and meanwhile someone else changes the real file.
    let editor = script(
        sandbox.dir.path(),
        "race.sh",
        "sed -i 's/team-a/mine/' \"$1\"\nprintf '[server]\\nurl = \"http://theirs.example\"\\n' > \"$CLEVERAGENTS_CONFIG.new\"\nmv \"$CLEVERAGENTS_CONFIG.new\" \"$CLEVERAGENTS_CONFIG\"",
    );
    let out = run(&mut edit(&sandbox, &editor));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("was changed by someone else while you were editing"),
        "{out:?}"
    );
    assert_eq!(
        sandbox.text(),
        "[server]\nurl = \"http://theirs.example\"\n"
    );
    let kept = leftovers(&sandbox);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(
        out.stderr
            .contains(&format!("hint: your edit is kept in {}", kept[0].display())),
        "{out:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&kept[0]).unwrap(),
        FILE.replace("team-a", "mine")
    );
}

#[test]
fn a_failing_editor_changes_nothing() {
    let sandbox = Sandbox::with_config(FILE);
    let editor = script(sandbox.dir.path(), "fail.sh", "echo x >> \"$1\"; exit 3");
    let out = run(&mut edit(&sandbox, &editor));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("failed"), "{out:?}");
    assert!(
        out.stderr.contains("the configuration was not changed"),
        "{out:?}"
    );
    assert_eq!(sandbox.text(), FILE);
    assert!(leftovers(&sandbox).is_empty());

    let out = run(&mut edit(
        &sandbox,
        std::path::Path::new("/nonexistent/editor"),
    ));
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(sandbox.text(), FILE);
}

#[test]
fn an_unparsable_file_is_opened_and_only_a_version_that_parses_is_saved() {
    let sandbox = Sandbox::with_config("[server\n");
    // Untouched: nothing is saved and the file is said to be still broken.
    let editor = script(sandbox.dir.path(), "ed.sh", "echo ran > \"$0.ran\"");
    let out = run(&mut edit(&sandbox, &editor));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(sandbox.path("ed.sh.ran").exists(), "the editor did not run");
    assert!(out.stderr.starts_with("warning: "), "{out:?}");
    assert!(
        out.stderr
            .contains("error: no changes; the file still does not parse"),
        "{out:?}"
    );
    assert_eq!(sandbox.text(), "[server\n");

    // Repaired: saved, through the same compare-and-swap as any edit.
    let fixer = script(
        sandbox.dir.path(),
        "fix.sh",
        "printf '[server]\\nurl = \"http://fixed.example\"\\n' > \"$1\"",
    );
    let out = run(&mut edit(&sandbox, &fixer));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(sandbox.text(), "[server]\nurl = \"http://fixed.example\"\n");
    assert!(leftovers(&sandbox).is_empty(), "{:?}", leftovers(&sandbox));
}

#[test]
fn editor_commands_with_arguments_run_through_the_shell() {
    let sandbox = Sandbox::with_config(FILE);
    let editor = script(
        sandbox.dir.path(),
        "ed.sh",
        "sed -i \"s/team-a/$1/\" \"$2\"",
    );
    let out = run(edit(&sandbox, &editor).env("EDITOR", format!("{} team-z", editor.display())));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        sandbox.text().contains("namespace = \"team-z\""),
        "{}",
        sandbox.text()
    );
}

#[test]
fn a_file_system_failure_at_commit_keeps_the_edit() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path("conf");
    std::fs::create_dir(&dir).unwrap();
    let config = dir.join("config.toml");
    std::fs::write(&config, FILE).unwrap();
    // While the editor runs, the configuration's directory becomes a file.
    let editor = script(
        sandbox.dir.path(),
        "ed.sh",
        "sed -i 's/team-a/mine/' \"$1\"\nrm -rf \"$(dirname \"$CLEVERAGENTS_CONFIG\")\"\ntouch \"$(dirname \"$CLEVERAGENTS_CONFIG\")\"",
    );
    let out = run(edit(&sandbox, &editor).env("CLEVERAGENTS_CONFIG", &config));
    assert_eq!(out.code, 1, "{out:?}");
    let kept = leftovers(&sandbox);
    assert_eq!(kept.len(), 1, "{kept:?}: {out:?}");
    assert!(
        out.stderr
            .contains(&format!("hint: your edit is kept in {}", kept[0].display())),
        "{out:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&kept[0]).unwrap(),
        FILE.replace("team-a", "mine")
    );
}

#[test]
fn a_config_path_that_cannot_be_read_is_a_runtime_error_before_the_editor_runs() {
    let sandbox = Sandbox::new();
    std::fs::create_dir_all(&sandbox.config).unwrap();
    let editor = script(sandbox.dir.path(), "ed.sh", "echo ran > \"$0.ran\"");
    let out = run(&mut edit(&sandbox, &editor));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.starts_with("error: cannot read "), "{out:?}");
    assert!(!sandbox.path("ed.sh.ran").exists(), "the editor ran");
}

#[test]
fn edit_from_a_file_commits_it_with_the_same_checks() {
    let sandbox = Sandbox::with_config(FILE);
    let good = sandbox.file("good.toml", FILE.replace("team-a", "from-file"));
    let out = run(sandbox
        .cmd()
        .args(["config", "edit", "--from", good.to_str().unwrap()]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.starts_with("saved: "), "{out:?}");
    assert_eq!(sandbox.text(), FILE.replace("team-a", "from-file"));
    // The same file again: nothing to do.
    let out = run(sandbox
        .cmd()
        .args(["config", "edit", "--from", good.to_str().unwrap()]));
    assert_eq!(
        (out.code, out.stdout.starts_with("no changes: ")),
        (0, true),
        "{out:?}"
    );
    let before = sandbox.text();
    for (name, text, expected) in [
        (
            "bad-value.toml",
            "[server]\nurl = \"ftp://x\"\n",
            "invalid value \"ftp://x\"",
        ),
        ("bad-syntax.toml", "[server\n", "bad-syntax.toml:1:"),
    ] {
        let bad = sandbox.file(name, text);
        let out = run(sandbox
            .cmd()
            .args(["config", "edit", "--from", bad.to_str().unwrap()]));
        assert_eq!(out.code, 2, "{out:?}");
        assert!(
            out.stderr.contains("is not a valid configuration"),
            "{out:?}"
        );
        assert!(out.stderr.contains(expected), "{out:?}");
        assert_eq!(sandbox.text(), before, "{name}");
    }
    let binary = sandbox.file("binary.toml", [0xff, 0xfe]);
    let out = run(sandbox
        .cmd()
        .args(["config", "edit", "--from", binary.to_str().unwrap()]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("not valid UTF-8"), "{out:?}");
    // A configuration the commit refuses (read-only) is a runtime failure, file untouched.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&sandbox.config, std::fs::Permissions::from_mode(0o444)).unwrap();
    let other = sandbox.file("other.toml", FILE);
    let out = run(sandbox
        .cmd()
        .args(["config", "edit", "--from", other.to_str().unwrap()]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("is read-only (mode 0444)"), "{out:?}");
    assert_eq!(sandbox.text(), before);
    std::fs::set_permissions(&sandbox.config, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = run(sandbox
        .cmd()
        .args(["config", "edit", "--from", "missing.toml"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("cannot read missing.toml"), "{out:?}");
    // A dry run of an edit keeps the edit and says how to commit it.
    let tmp = sandbox.path("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let editor = script(
        sandbox.dir.path(),
        "ed.sh",
        "sed -i 's/from-file/dry/' \"$1\"",
    );
    let out = run(sandbox
        .cmd()
        .env("EDITOR", &editor)
        .env("TMPDIR", &tmp)
        .args(["config", "edit", "--dry-run"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(sandbox.text(), before);
    let kept = leftovers(&sandbox);
    assert_eq!(kept.len(), 1, "{kept:?}");
    let command = format!("`cleveragents config edit --from {}`", kept[0].display());
    assert!(out.stderr.contains(&command), "{out:?}");
    let out = run(sandbox
        .cmd()
        .args(["config", "edit", "--from", kept[0].to_str().unwrap()]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(sandbox.text().contains("\"dry\""));
}
