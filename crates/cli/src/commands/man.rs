//! `cleveragents man [COMMAND...]`: manual pages generated from the clap definition and the
//! schema; `cleveragents man --out DIR` writes every page.

use std::path::Path;

use clap::Command;
use roff::{bold, italic, roman, Roff};
use serde_json::json;

use crate::env::{known_overrides, CONFIG_VAR};
use crate::error::{quote, CommandError};
use crate::output::Output;

/// Print a manual page (roff) on stdout
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Print the manual page of cleveragents, or of one of its commands, as roff \
on stdout.",
    after_help = "\
Examples:
  cleveragents man | man -l -
  cleveragents man server connect > cleveragents-server-connect.1"
)]
pub struct ManArgs {
    /// A command to print the page of, e.g. `server connect` (default: the whole program)
    pub command: Vec<String>,
    /// Write every page (cleveragents.1, cleveragents-server.1, ...) into DIR instead
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub out: Option<std::path::PathBuf>,
}

/// Prints the roff page of `program`, or of its command named by `path`
/// (e.g. `["server", "connect"]`); with `out_dir`, writes every page there instead.
pub fn run(
    program: Command,
    path: &[String],
    out_dir: Option<&Path>,
    out: &mut Output<'_>,
) -> Result<(), CommandError> {
    if out.is_json() && out_dir.is_none() {
        return Err(CommandError::usage(
            "--json applies to `man --out DIR` only: a page is roff text",
        )
        .with_hint("list the pages written with `cleveragents man --out DIR --json`"));
    }
    let mut root = program.disable_help_subcommand(true);
    root.build();
    let pages = pages(&root, None);
    if let Some(dir) = out_dir {
        std::fs::create_dir_all(dir).map_err(|e| CommandError::io("create", dir, &e))?;
        let mut written = Vec::new();
        for page in &pages {
            let file = dir.join(format!("{}.1", page.name));
            std::fs::write(&file, render(page))
                .map_err(|e| CommandError::io("write", &file, &e))?;
            written.push(file.display().to_string());
        }
        if out.is_json() {
            return out.json(&json!({ "written": written }));
        }
        for file in &written {
            out.line(file)?;
        }
        return Ok(());
    }
    let name = std::iter::once("cleveragents")
        .chain(path.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("-");
    let Some(page) = pages.iter().find(|p| p.name == name) else {
        let parent = pages
            .iter()
            .rev()
            .find(|p| name.starts_with(&format!("{}-", p.name)))
            .map_or("cleveragents", |p| p.name.as_str());
        let known: Vec<&str> = pages
            .iter()
            .filter(|p| p.parent.as_deref() == Some(parent))
            .filter_map(|p| p.name.rsplit('-').next())
            .collect();
        let missing = path.last().map_or("", String::as_str);
        return Err(
            CommandError::usage(format!("no command {} here", quote(missing)))
                .with_hint(format!("pick one of: {}", known.join(", "))),
        );
    };
    out.raw(render(page).as_bytes())
}

/// One manual page: a command, its page name (`cleveragents-server-connect`) and its
/// neighbours for SEE ALSO.
struct Page {
    name: String,
    command: Command,
    parent: Option<String>,
    children: Vec<String>,
}

/// The page of `command` and of every command below it, parents first.
fn pages(command: &Command, parent: Option<&str>) -> Vec<Page> {
    let name = command
        .get_bin_name()
        .unwrap_or_else(|| command.get_name())
        .replace(' ', "-");
    let subcommands: Vec<&Command> = command
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .collect();
    let mut out = vec![Page {
        name: name.clone(),
        command: command.clone(),
        parent: parent.map(str::to_string),
        children: subcommands
            .iter()
            .map(|c| format!("{name}-{}", c.get_name()))
            .collect(),
    }];
    for sub in subcommands {
        out.extend(pages(sub, Some(&name)));
    }
    out
}

fn render(page: &Page) -> String {
    let man = clap_mangen::Man::new(page.command.clone())
        .title(page.name.to_uppercase())
        .source(format!("cleveragents {}", env!("CARGO_PKG_VERSION")))
        .manual("CleverAgents Manual");
    let mut text = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = man.render_title(&mut text);
    let _ = man.render_name_section(&mut text);
    let mut roff = Roff::new();
    synopsis(&mut roff, &page.command);
    text.extend(roff.render().into_bytes());
    let _ = man.render_description_section(&mut text);
    if page.command.get_arguments().any(|a| !a.is_hide_set()) {
        let _ = man.render_options_section(&mut text);
    }
    if page.command.has_subcommands() {
        let _ = man.render_subcommands_section(&mut text);
    }
    let mut roff = Roff::new();
    after_help(&mut roff, &page.command);
    environment(&mut roff);
    files(&mut roff);
    exit_status(&mut roff);
    see_also(&mut roff, page);
    text.extend(roff.render().into_bytes());
    once_preamble(&String::from_utf8_lossy(&text))
}

/// The page with roff's preamble (the `Aq` string definition every rendered piece starts
/// with) kept at its first place only.
fn once_preamble(page: &str) -> String {
    const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    match page.split_once(PREAMBLE) {
        Some((head, rest)) => format!("{head}{PREAMBLE}{}", rest.replace(PREAMBLE, "")),
        None => page.to_string(),
    }
}

/// `cleveragents server connect [--namespace NS] ... URL`: every option with its value name.
fn synopsis(roff: &mut Roff, command: &Command) {
    let name = command.get_bin_name().unwrap_or_else(|| command.get_name());
    let mut line = vec![bold(name)];
    for arg in command.get_arguments().filter(|a| !a.is_hide_set()) {
        let values: Vec<String> = arg
            .get_value_names()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect();
        let takes_value = arg.get_action().takes_values();
        if arg.is_positional() {
            let mut shown = values.join(" ");
            if matches!(arg.get_num_args(), Some(n) if n.max_values() > 1) {
                shown.push_str("...");
            }
            line.push(roman(" "));
            let (open, close) = if arg.is_required_set() {
                ("", "")
            } else {
                ("[", "]")
            };
            line.extend([roman(open), italic(shown), roman(close)]);
            continue;
        }
        // Every option has a long name (a unit test holds the definition to that).
        let flag = format!("--{}", arg.get_long().unwrap_or_default());
        line.push(roman(" ["));
        line.push(bold(flag));
        if takes_value {
            let value = values.first().cloned().unwrap_or_default();
            line.extend([roman(" "), italic(value)]);
        }
        line.push(roman("]"));
    }
    if command.has_subcommands() {
        line.push(roman(" "));
        line.push(italic("COMMAND"));
    }
    roff.control("SH", ["SYNOPSIS"]).text(line);
}

/// The command's after-help as its own sections: the known keys, and EXAMPLES.
fn after_help(roff: &mut Roff, command: &Command) {
    let text = command
        .get_after_help()
        .map(ToString::to_string)
        .unwrap_or_default();
    let (notes, examples) = text.split_at(text.find("Example").unwrap_or(text.len()));
    if !notes.trim().is_empty() {
        let (heading, body) = notes
            .strip_prefix("Known keys:")
            .map_or(("NOTES", notes), |keys| ("KEYS", keys));
        verbatim(roff, heading, body);
    }
    if let Some((_, body)) = examples.split_once('\n') {
        verbatim(roff, "EXAMPLES", body);
    }
}

fn verbatim(roff: &mut Roff, heading: &str, body: &str) {
    roff.control("SH", [heading]).control("nf", []);
    for line in body.trim_matches('\n').lines() {
        roff.text([roman(line.trim_start())]);
    }
    roff.control("fi", []);
}

fn entry(roff: &mut Roff, term: &str, text: &str) {
    roff.control("TP", [])
        .text([bold(term)])
        .text([roman(text)]);
}

fn environment(roff: &mut Roff) {
    roff.control("SH", ["ENVIRONMENT"]);
    entry(
        roff,
        CONFIG_VAR,
        "The configuration file, when --config is not given.",
    );
    for (var, key) in known_overrides() {
        entry(
            roff,
            var,
            &format!("Overrides {key} when it is read; checked by the same rule, never written."),
        );
    }
    entry(roff, "XDG_CONFIG_HOME", "The configuration file is $XDG_CONFIG_HOME/cleveragents/config.toml when set (and absolute).");
    entry(
        roff,
        "HOME",
        "Else the configuration file is ~/.config/cleveragents/config.toml.",
    );
    entry(
        roff,
        "VISUAL, EDITOR",
        "The editor of config edit (else vi).",
    );
    entry(roff, "NO_COLOR", "Turns off colour in diagnostics.");
    entry(
        roff,
        "CLICOLOR_FORCE",
        "Turns on colour in diagnostics where stderr is not a terminal.",
    );
}

fn files(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    entry(
        roff,
        "~/.config/cleveragents/config.toml",
        "The configuration file (see ENVIRONMENT for where else it may be).",
    );
    entry(
        roff,
        "config.toml.lock",
        "Beside it: the advisory lock writers take; the kernel releases it if a writer dies.",
    );
    entry(
        roff,
        ".config.toml.tmp",
        "Beside it: the new content before it replaces the file; a crashed writer's is removed by the next one.",
    );
}

fn exit_status(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    entry(roff, "0", "Success.");
    entry(
        roff,
        "1",
        "Runtime failure: I/O error, lock timeout, a read-only file, a file that cannot be read or parsed, an unreachable or unhealthy server, a key that is not set (config get), no profile of that name, --save-as over a different profile without --force.",
    );
    entry(
        roff,
        "2",
        "Invalid input: a usage error, a value that breaks its key's rule, an unknown key, a profile name that breaks the rule.",
    );
}

fn see_also(roff: &mut Roff, page: &Page) {
    // Every page has a parent or children: the program has commands.
    let mut names: Vec<&str> = page.parent.iter().map(String::as_str).collect();
    names.extend(page.children.iter().map(String::as_str));
    let mut line = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            line.push(roman(", "));
        }
        line.push(bold(*name));
        line.push(roman("(1)"));
    }
    roff.control("SH", ["SEE ALSO"]).text(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preamble_is_kept_once_where_it_first_is() {
        let preamble = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
        let page = format!("{preamble}.TH X 1\n{preamble}.SH NAME\n{preamble}x\n");
        assert_eq!(
            once_preamble(&page),
            format!("{preamble}.TH X 1\n.SH NAME\nx\n")
        );
        assert_eq!(once_preamble(".TH X 1\n"), ".TH X 1\n");
    }
}
