//! Dynamic completion, driven the way bash, zsh and fish drive it: `COMPLETE=SHELL
//! cleveragents -- WORDS...` with each shell's variables, answered from the schema and the
//! configuration file at that moment.

use std::process::Command;

use crate::support::{bare_std_cmd, Sandbox};

const FILE: &str = "[server]\nurl = \"http://a.example\"\n\n[profiles.lab]\nurl = \"http://lab.example\"\n\n[profiles.prod]\nurl = \"http://prod.example\"\n\n[ui]\ntheme = \"dark\"\n";

/// The candidates `shell` gets for `words` (the last one being completed), values only.
fn complete(sandbox: &Sandbox, shell: &str, words: &[&str]) -> Vec<String> {
    let mut cmd = bare_std_cmd();
    cmd.env("CLEVERAGENTS_CONFIG", &sandbox.config)
        .env("COMPLETE", shell)
        .arg("--")
        .arg("cleveragents")
        .args(words);
    // Each shell's registration passes the index of the word being completed and a separator.
    let index = words.len().to_string();
    match shell {
        "bash" => {
            cmd.env("_CLAP_COMPLETE_INDEX", &index)
                .env("_CLAP_COMPLETE_COMP_TYPE", "9")
                .env("_CLAP_COMPLETE_SPACE", "true")
                .env("_CLAP_IFS", "\n");
        }
        "zsh" => {
            cmd.env("_CLAP_COMPLETE_INDEX", &index)
                .env("_CLAP_IFS", "\n");
        }
        _ => {}
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{shell} {words:?}: {out:?}");
    let separator = if shell == "zsh" { ':' } else { '\t' };
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| line.split(separator).next().unwrap().replace("\\:", ":"))
        .filter(|value| !value.starts_with('-'))
        .collect()
}

#[test]
fn keys_profiles_and_fixed_values_complete_in_bash_zsh_and_fish() {
    let sandbox = Sandbox::with_config(FILE);
    for shell in ["bash", "zsh", "fish"] {
        let run = |words: &[&str]| complete(&sandbox, shell, words);
        assert_eq!(run(&["server", "use", ""]), ["lab", "prod"], "{shell}");
        assert_eq!(run(&["server", "forget", "p"]), ["prod"], "{shell}");
        let keys = run(&["config", "get", "se"]);
        assert!(
            keys.contains(&"server.url".to_string()),
            "{shell}: {keys:?}"
        );
        assert!(
            keys.contains(&"server.timeout".to_string()),
            "{shell}: {keys:?}"
        );
        assert!(
            keys.iter().all(|k| k.starts_with("se")),
            "{shell}: {keys:?}"
        );
        // Profile keys for the profiles in the file, and keys only the file has.
        let keys = run(&["config", "unset", "profiles.l"]);
        assert!(
            keys.contains(&"profiles.lab.namespace".to_string()),
            "{shell}: {keys:?}"
        );
        assert!(
            !keys.iter().any(|k| k.contains("prod")),
            "{shell}: {keys:?}"
        );
        assert_eq!(run(&["config", "get", "ui"]), ["ui.theme"], "{shell}");
        // config set: keys at the key positions, nothing at a free-text value's.
        assert_eq!(run(&["config", "set", "ui"]), ["ui.theme"], "{shell}");
        assert!(
            run(&["config", "set", "ui.theme", "d"]).is_empty(),
            "{shell}"
        );
        assert_eq!(
            run(&["config", "set", "ui.theme", "x", "ui"]),
            ["ui.theme"],
            "{shell}"
        );
        assert!(
            run(&["config", "set", "ui.theme", "x", "ui.theme", "u"]).is_empty(),
            "{shell}"
        );
        assert_eq!(
            run(&["config", "set", "a", "b", "c", "d", "ui"]),
            ["ui.theme"],
            "{shell}"
        );
        // A key's fixed set of values: bools, and the profile names for server.profile.
        assert_eq!(
            run(&["config", "set", "server.tls-verify", ""]),
            ["true", "false"],
            "{shell}"
        );
        assert_eq!(
            run(&["config", "set", "server.url", "u", "server.profile", "p"]),
            ["prod"],
            "{shell}"
        );
        assert!(
            run(&["config", "set", "server.url", ""]).is_empty(),
            "{shell}"
        );
        // A fixed set of values.
        let shells = run(&["completions", ""]);
        for name in ["bash", "fish", "zsh"] {
            assert!(shells.contains(&name.to_string()), "{shell}: {shells:?}");
        }
    }
    // No file: the schema's keys still complete; no profiles.
    let empty = Sandbox::new();
    assert!(complete(&empty, "fish", &["server", "use", ""]).is_empty());
    assert!(complete(&empty, "fish", &["config", "get", "server.u"])
        .contains(&"server.url".to_string()));
}

#[test]
fn the_bash_registration_completes_profile_names_in_bash() {
    let sandbox = Sandbox::with_config(FILE);
    let bin = assert_cmd::cargo::cargo_bin("cleveragents");
    let dir = bin.parent().unwrap();
    let script = r#"
source <(cleveragents completions bash)
COMP_WORDS=(cleveragents server use "")
COMP_CWORD=3
COMP_LINE="cleveragents server use "
COMP_POINT=${#COMP_LINE}
COMP_TYPE=9
_clap_complete_cleveragents cleveragents "" use
printf '%s\n' "${COMPREPLY[@]}"
"#;
    let out = Command::new("bash")
        .arg("-c")
        .arg(script)
        .env("PATH", format!("{}:/usr/bin:/bin", dir.display()))
        .env("CLEVERAGENTS_CONFIG", &sandbox.config)
        .env_remove("COMPLETE")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let words: Vec<&str> = text.split_whitespace().collect();
    assert!(words.contains(&"lab") && words.contains(&"prod"), "{out:?}");
}
