//! `cleveragents config edit`: edit a copy in `$VISUAL`/`$EDITOR`, validate it, and commit it
//! only if the file did not change meanwhile (compare-and-swap).

use std::io::Write;
use std::path::Path;
use std::process::Command;

use cleveragents_config::{ChangeSet, ConfigStore, Error, Snapshot, Version};
use serde_json::json;
use tempfile::NamedTempFile;

use crate::commands::{committed, Context};
use crate::connection;
use crate::env::Env;
use crate::error::CommandError;
use crate::output::Output;

/// Edit the file in $VISUAL or $EDITOR, safely
#[derive(Debug, clap::Args)]
#[command(
    long_about = "\
Open a copy of the configuration file in $VISUAL, else $EDITOR, else vi. When the editor \
exits, the copy is parsed and validated; on an error you are offered to edit again (without \
a terminal, the edit is dropped and nothing changes). The file is replaced only if nobody \
changed it meanwhile; otherwise your copy is kept and its path printed.

With --from FILE, no editor runs: FILE (for instance the kept copy of a rejected edit) is \
validated the same way and replaces the configuration, unless it changed meanwhile.",
    after_help = "Examples:\n  cleveragents config edit\n  EDITOR=nano cleveragents config edit\n  cleveragents config edit --from /tmp/cleveragents-config-1a2b3c.toml"
)]
pub struct EditArgs {
    /// Commit this file instead of opening an editor (same validation and compare-and-swap)
    #[arg(long, value_name = "FILE")]
    pub from: Option<std::path::PathBuf>,
}

/// Runs `config edit --from FILE`: FILE replaces the configuration, validated as an edit is,
/// unless the configuration changed between its read and the commit.
pub fn from_file(file: &Path, ctx: &Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    let store = ctx.store()?;
    let (current, version) = store.read_raw()?;
    let bytes = std::fs::read(file).map_err(|e| CommandError::io("read", file, &e))?;
    if current.as_deref() == Some(bytes.as_slice()) {
        return report(out, &store, false, "no changes");
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        CommandError::usage(format!("{} is not valid UTF-8 text", file.display()))
            .with_hint("the configuration was not changed")
    })?;
    match replace(&store, &version, &text, file) {
        Ok(changes) => {
            committed(out, &changes);
            report(out, &store, !changes.is_empty(), "saved")
        }
        Err(e) if is_bad_edit(&e, file) => Err(CommandError::usage(format!(
            "{} is not a valid configuration: {e}",
            file.display()
        ))
        .with_hint("fix it, then run this command again; the configuration was not changed")),
        Err(e) => Err(e.into()),
    }
}

/// Runs `config edit`.
pub fn run(mut ctx: Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    let store = ctx.store()?;
    // A file that does not parse is opened as it is: that is when an editor is needed most.
    let (original, version, broken) = match store.load() {
        Ok(snapshot) => (
            snapshot.text().into_bytes(),
            snapshot.version().clone(),
            None,
        ),
        Err(e @ Error::Parse { .. }) => {
            let (bytes, version) = store.read_raw()?;
            out.warn(format_args!(
                "{e}\nopening it as it is; only a version that parses and validates is saved"
            ));
            (bytes.unwrap_or_default(), version, Some(e))
        }
        Err(e) => return Err(e.into()),
    };
    let editor = editor(ctx.env)?;
    // $TMPDIR as the command's environment has it (the process's, or a test's).
    let dir = ctx
        .env
        .get("TMPDIR")
        .map_or_else(std::env::temp_dir, std::path::PathBuf::from);
    let copy = tempfile::Builder::new()
        .prefix("cleveragents-config-")
        .suffix(".toml")
        .tempfile_in(dir)
        .map_err(|e| CommandError::failure(format!("cannot create a copy to edit: {e}")))?;
    copy.as_file()
        .write_all(&original)
        .and_then(|()| copy.as_file().sync_all())
        .map_err(|e| CommandError::io("write", copy.path(), &e))?;
    loop {
        run_editor(&editor, copy.path())?;
        let edited =
            std::fs::read(copy.path()).map_err(|e| CommandError::io("read", copy.path(), &e))?;
        if edited == original {
            if let Some(e) = broken {
                return Err(CommandError::failure(format!(
                    "no changes; the file still does not parse: {e}"
                ))
                .with_hint("run `cleveragents config edit` again and fix it"));
            }
            return report(out, &store, false, "no changes");
        }
        let result = match String::from_utf8(edited) {
            Ok(text) => replace(&store, &version, &text, copy.path()),
            Err(_) => Err(Error::Parse {
                path: copy.path().to_path_buf(),
                line: 1,
                column: 1,
                message: "the file is not valid UTF-8 text".into(),
            }),
        };
        let error = match result {
            Ok(changes) => {
                committed(out, &changes);
                if changes.is_dry_run() {
                    // The edit is not committed: keep it, so that it can be.
                    if let Some(kept) = keep(copy) {
                        out.note(format_args!(
                            "your edit is kept in {kept}; commit it with `cleveragents config edit --from {kept}`"
                        ));
                    }
                    return Ok(());
                }
                return report(out, &store, !changes.is_empty(), "saved");
            }
            Err(Error::Conflict { path }) => return Err(conflict(copy, &path)),
            Err(e) if is_bad_edit(&e, copy.path()) => e,
            Err(e) => {
                // The file system or the lock failed: keep the edit so it is not lost.
                return Err(with_kept_copy(CommandError::from(e), copy));
            }
        };
        let error = CommandError::usage(format!("the edited configuration is invalid: {error}"));
        out.report(&error);
        if !ask_again(&mut ctx, out) {
            let aborted = CommandError::usage("edit aborted; the configuration was not changed");
            return Err(match keep(copy) {
                Some(kept) => aborted
                    .with_hint(format!("your edit is kept in {kept}"))
                    .with_hint(format!(
                        "fix the errors above in it, then commit it: `cleveragents config edit --from {kept}`"
                    )),
                None => aborted,
            });
        }
    }
}

/// Replaces the configuration with `text`, read from `origin`, if it is still at `version`;
/// first checks what a value alone cannot say, as `config set` and `config validate` do:
/// `server.profile` names a profile of the new text.
fn replace(
    store: &ConfigStore,
    version: &Version,
    text: &str,
    origin: &Path,
) -> Result<ChangeSet, Error> {
    // A text that does not parse is refused by the replace, with its line.
    if let Ok(snapshot) = Snapshot::parse(origin, text) {
        if let Some((value, rule)) = connection::missing_current_profile(&snapshot.entries()) {
            return Err(Error::InvalidValue {
                key: connection::CURRENT_PROFILE.into(),
                value,
                rule,
            });
        }
    }
    store.replace_if(version, text, origin)
}

/// Keeps the edited copy on disk and says where, so an edit is never lost.
fn with_kept_copy(error: CommandError, copy: NamedTempFile) -> CommandError {
    match keep(copy) {
        Some(kept) => error.with_hint(format!("your edit is kept in {kept}")),
        None => error,
    }
}

fn report(
    out: &mut Output<'_>,
    store: &ConfigStore,
    changed: bool,
    what: &str,
) -> Result<(), CommandError> {
    let path = store.path().display().to_string();
    if out.is_json() {
        return out.json(&json!({ "config": path, "changed": changed }));
    }
    out.line(format_args!("{what}: {path}"))
}

/// True for errors in what the user wrote (they can fix it by editing again).
fn is_bad_edit(error: &Error, copy: &Path) -> bool {
    match error {
        Error::Parse { path, .. } => path == copy,
        other => other.is_invalid_input(),
    }
}

fn conflict(copy: NamedTempFile, path: &Path) -> CommandError {
    // Keeping the copy cannot fail on Unix; where it can, the hint just leaves out where.
    let kept = keep(copy)
        .map(|kept| format!("your edit is kept in {kept}: "))
        .unwrap_or_default();
    CommandError::failure(format!(
        "{} was changed by someone else while you were editing; it was not overwritten",
        path.display()
    ))
    .with_hint(format!(
        "{kept}run `cleveragents config edit` again and re-apply your edit"
    ))
}

/// Keeps the edited copy on disk and returns its path.
fn keep(copy: NamedTempFile) -> Option<String> {
    copy.keep().ok().map(|(_, path)| path.display().to_string())
}

/// Asks whether to edit again; no terminal means no.
fn ask_again(ctx: &mut Context<'_>, out: &mut Output<'_>) -> bool {
    let Some(input) = ctx.stdin.as_mut() else {
        return false;
    };
    out.diagnostic("Edit again? [Y/n] ");
    let mut answer = String::new();
    match input.read_line(&mut answer) {
        Ok(0) | Err(_) => false,
        Ok(_) => !matches!(answer.trim().to_ascii_lowercase().as_str(), "n" | "no"),
    }
}

/// `$VISUAL`, else `$EDITOR`, else `vi`.
fn editor(env: &Env) -> Result<String, CommandError> {
    Ok(match env.get_str("VISUAL")? {
        Some(editor) => editor.to_string(),
        None => env.get_str("EDITOR")?.unwrap_or("vi").to_string(),
    })
}

/// Runs the editor the way git does: through the shell, so `code --wait` works.
fn run_editor(editor: &str, path: &Path) -> Result<(), CommandError> {
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg(editor)
        .arg(path)
        .status()
        .map_err(|e| CommandError::failure(format!("cannot start the editor {editor:?}: {e}")))?;
    if !status.success() {
        return Err(CommandError::failure(format!(
            "the editor {editor:?} failed ({status}); the configuration was not changed"
        ))
        .with_hint("set VISUAL or EDITOR to an editor that exits 0 after saving"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn the_editor_is_visual_then_editor_then_vi() {
        let env = Env::from_pairs([("VISUAL", "code --wait"), ("EDITOR", "nano")]);
        assert_eq!(editor(&env).unwrap(), "code --wait");
        assert_eq!(
            editor(&Env::from_pairs([("EDITOR", "nano")])).unwrap(),
            "nano"
        );
        assert_eq!(editor(&Env::default()).unwrap(), "vi");
    }

    #[test]
    fn asking_again_reads_an_answer_and_defaults_to_yes() {
        let env = Env::default();
        let (mut o, mut e) = (Vec::new(), Vec::new());
        {
            let mut out = Output::new(&mut o, &mut e, false);
            for (answer, expected) in [
                ("\n", true),
                ("y\n", true),
                ("n\n", false),
                ("No\n", false),
                ("", false),
            ] {
                let mut input = Cursor::new(answer.as_bytes().to_vec());
                let mut ctx = Context {
                    env: &env,
                    config: None,
                    stdin: Some(&mut input),
                    fs: std::sync::Arc::new(cleveragents_config::fs::RealFs),
                    dry_run: false,
                };
                assert_eq!(ask_again(&mut ctx, &mut out), expected, "{answer:?}");
            }
            let mut ctx = Context {
                env: &env,
                config: None,
                stdin: None,
                fs: std::sync::Arc::new(cleveragents_config::fs::RealFs),
                dry_run: false,
            };
            assert!(!ask_again(&mut ctx, &mut out));
        }
        assert!(String::from_utf8(e).unwrap().contains("Edit again? [Y/n]"));
    }

    #[test]
    fn a_failing_editor_is_a_runtime_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = run_editor("false", &dir.path().join("x")).unwrap_err();
        assert_eq!(err.exit().code(), 1);
        assert!(err.message().contains("failed"), "{err}");
    }

    /// The exit code, stdout, stderr, the file afterwards, and the test's directory (its
    /// `TMPDIR`).
    fn edit_with_answers(answers: &str) -> (u8, String, String, String, String) {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("c.toml");
        std::fs::write(&config, "[server]\nurl = \"http://a\"\n").unwrap();
        let editor = dir.path().join("ed.sh");
        // The first session breaks the URL, the next one fixes it.
        std::fs::write(
            &editor,
            "#!/bin/sh\nif [ -e \"$0.once\" ]; then sed -i 's|ftp://b|http://b|' \"$1\"; \
             else touch \"$0.once\"; sed -i 's|http://a|ftp://b|' \"$1\"; fi\n",
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        // The kept copy of a rejected edit goes into the test's own directory.
        let env = Env::from_pairs([
            ("CLEVERAGENTS_CONFIG", config.as_os_str()),
            ("EDITOR", editor.as_os_str()),
            ("TMPDIR", dir.path().as_os_str()),
        ]);
        let mut input = Cursor::new(answers.as_bytes().to_vec());
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let streams = crate::Streams {
            stdout: &mut out,
            stderr: &mut err,
            stdin: Some(&mut input),
            stderr_is_terminal: false,
        };
        let code = crate::run(["cleveragents", "config", "edit"], &env, streams);
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
            std::fs::read_to_string(&config).unwrap(),
            dir.path().display().to_string(),
        )
    }

    #[test]
    fn an_invalid_edit_can_be_fixed_by_editing_again() {
        let (code, out, err, file, _) = edit_with_answers("\n");
        assert_eq!(code, 0, "{err}");
        assert!(out.starts_with("saved: "), "{out}");
        assert!(err.contains("invalid value \"ftp://b\""), "{err}");
        assert!(err.contains("Edit again? [Y/n] "), "{err}");
        assert_eq!(file, "[server]\nurl = \"http://b\"\n");
    }

    #[test]
    fn declining_to_edit_again_aborts() {
        let (code, out, err, file, dir) = edit_with_answers("n\n");
        assert_eq!(code, 2, "{err}");
        assert_eq!(out, "");
        let kept = format!("hint: your edit is kept in {dir}/cleveragents-config-");
        assert!(err.contains(&kept), "{err}");
        assert!(
            err.contains("then commit it: `cleveragents config edit --from "),
            "{err}"
        );
        assert_eq!(file, "[server]\nurl = \"http://a\"\n");
    }
}
