//! `cleveragents server connect URL ...`: validate, probe, then replace `[server]` in one
//! transaction.

use std::path::Path;

use cleveragents_config::schema;
use serde::Serialize;

use crate::commands::server::names::check_profile_name;
use crate::commands::{committed, Context};
use crate::connection::{
    current_profile, profile_overwrite, profile_values, replace_connection, Recorded, Replaced,
    ServerSettings,
};
use crate::env::{known_overrides, Env};
use crate::error::{clip, quote, CommandError};
use crate::output::{describe_reply, Output, ProbeReport};
use crate::probe::{self, Health, Purpose, Target};

/// Check a server and save it as the connection
#[derive(Debug, clap::Args)]
#[command(
    long_about = "\
Check a server and save it as the connection.

Validates every argument first (nothing is written on bad input), then sends GET URL/health \
with the given TLS settings. A 2xx answer is a healthy server; 401 and 403 are saved with a \
warning that the server does not let this client in; 404 is saved with a warning that it may \
not be a CleverAgents server; a 5xx answer fails and writes nothing (--no-check saves without \
asking). A redirect is reported, not followed. Then replaces \
the connection in [server] in one transaction with url, namespace (default `default`), \
tls-verify (default true), and ca-cert and timeout when given. With --save-as, the same \
settings are saved as a profile too.

The connection replaced is kept as the previous connection ([previous-server]); the output \
names it, and `server use -` returns to it. --save-as does not overwrite a different profile \
of that name without --force.",
    after_help = "\
Examples:
  cleveragents server connect https://agents.example.com --namespace team-a
  cleveragents server connect https://10.0.0.5:8443 --ca-cert ./company-ca.pem --save-as lab
  cleveragents server connect http://localhost:8080 --no-check
  cleveragents server connect https://dev.local --no-tls-verify      # insecure: warns"
)]
pub struct ConnectArgs {
    /// The server's URL: http:// or https://, a host, no user:password
    pub url: String,

    /// Namespace to work in: 1 to 63 of a-z, 0-9 and '-' [default: default]
    #[arg(long, value_name = "NS")]
    pub namespace: Option<String>,

    /// Verify the server's TLS certificate (the default)
    #[arg(long, conflicts_with = "no_tls_verify")]
    pub tls_verify: bool,

    /// Do not verify the server's TLS certificate (insecure: anyone in between can read and
    /// change the traffic)
    #[arg(long)]
    pub no_tls_verify: bool,

    /// PEM file of CA certificates to trust besides the system's (saved as an absolute path);
    /// a self-signed server certificate in it is trusted as itself, its names and dates checked
    #[arg(long, value_name = "PEM")]
    pub ca_cert: Option<std::path::PathBuf>,

    /// Time limit of the check and of later requests, e.g. 10s, 500ms, 1m [default: 10s]
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,

    /// Save without checking that the server answers
    #[arg(long)]
    pub no_check: bool,

    /// Also save these settings as the profile NAME (see `server use`)
    #[arg(long, value_name = "NAME", help = format!(
        "Also save these settings as the profile NAME (see `server use`); a name is {}",
        cleveragents_config::schema::PROFILE_NAME_RULE
    ))]
    pub save_as: Option<String>,

    /// Overwrite a different profile of the --save-as name (without it, that is refused and
    /// nothing is written)
    #[arg(long)]
    pub force: bool,
}

impl ConnectArgs {
    /// This command line with another URL, as a hint shows it.
    pub fn command_with_url(&self, url: &str) -> String {
        let mut command = format!("cleveragents server connect {url}");
        let mut push = |flag: &str, value: Option<&str>| {
            command.push_str(&format!(" {flag}"));
            if let Some(value) = value {
                command.push_str(&format!(" {value}"));
            }
        };
        if let Some(namespace) = &self.namespace {
            push("--namespace", Some(namespace));
        }
        if self.no_tls_verify {
            push("--no-tls-verify", None);
        }
        if let Some(ca) = &self.ca_cert {
            push("--ca-cert", Some(&ca.display().to_string()));
        }
        if let Some(timeout) = &self.timeout {
            push("--timeout", Some(timeout));
        }
        if self.no_check {
            push("--no-check", None);
        }
        if let Some(name) = &self.save_as {
            push("--save-as", Some(name));
        }
        if self.force {
            push("--force", None);
        }
        command
    }
}

/// What `--json` prints.
#[derive(Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    settings: &'a ServerSettings,
    profile: Option<&'a str>,
    config: String,
    changed: bool,
    probe: Option<ProbeReport>,
    /// The connection this one replaced, now the previous one (`server use -`).
    replaced: Option<&'a Recorded>,
}

/// Runs `server connect`.
pub fn run(
    args: &ConnectArgs,
    ctx: &Context<'_>,
    out: &mut Output<'_>,
) -> Result<(), CommandError> {
    let settings = validate(args)?;
    let store = ctx.store()?;
    if !args.no_check {
        // A file that cannot be read or parsed fails now, before the network is used.
        // (Without the probe, the transaction's read is the only one.)
        store.load()?;
    }
    if args.no_tls_verify {
        let scope = if settings.url.starts_with("https:") {
            ""
        } else {
            " (once the URL uses https://)"
        };
        out.warn(format_args!(
            "TLS verification is off{scope}: anyone between here and the server can read and change the traffic"
        ));
    }
    if settings.ca_cert.is_some() && args.no_tls_verify {
        out.warn("--ca-cert is not used while --no-tls-verify is given: no certificate is checked");
    } else if settings.ca_cert.is_some() && !settings.url.starts_with("https:") {
        out.note("--ca-cert is only used with https:// URLs");
    }
    let result = (!args.no_check).then(|| {
        probe::probe(
            &Target {
                url: settings.url.clone(),
                tls_verify: settings.tls_verify,
                ca_cert: settings.ca_cert.as_deref().map(Into::into),
                timeout: settings.timeout(),
            },
            Purpose::Connect,
        )
    });
    if let Some(Err(failure)) = &result {
        return Err(CommandError::failure(format!(
            "cannot reach {}: {}",
            clip(&settings.url),
            failure.reason
        ))
        .with_hint(&failure.hint));
    }
    if let Some(Ok(reply)) = &result {
        if reply.health() == Health::Unhealthy {
            return Err(CommandError::failure(format!(
                "{} is unhealthy: it answered HTTP {} for /health",
                clip(&settings.url),
                reply.status
            ))
            .with_hint("nothing was written; retry when it is healthy, or save the settings without checking: --no-check"));
        }
        if let Some(warning) = reply.warning() {
            out.warn(warning);
        }
    }
    let profile = args.save_as.as_deref();
    let (outcome, changes) = store
        .transaction(|tx| {
            // Only `[server]` and the profiles concerned are read, not the whole file.
            let mut tables = crate::connection::table_keys(&["server"]);
            tables.extend(profile.map(crate::connection::profile_key));
            let mut entries = tx.entries_under(&tables);
            if profile.is_none() {
                if let Some(name) = current_profile(&entries) {
                    entries.extend(tx.entries_under(&[crate::connection::profile_key(&name)]));
                }
            }
            if !args.force {
                if let Some(refusal) =
                    profile.and_then(|name| profile_overwrite(&entries, name, &settings))
                {
                    // Nothing is written: the transaction changes nothing.
                    return Ok(Err(refusal));
                }
            }
            // The current profile: the one saved now, else the one still describing [server].
            let current = current_after_connect(&entries, &settings, profile);
            let replaced = replace_connection(tx, &settings, current.as_deref())?;
            if let Some(name) = profile {
                settings.write(tx, &crate::connection::profile_prefix(name))?;
            }
            Ok(Ok(replaced))
        })?
        .into_parts();
    let replaced = outcome.map_err(|refusal| refusal.with_hint("nothing was written"))?;
    committed(out, &changes);
    note_overrides(ctx.env, out);

    if out.is_json() {
        return out.json(&Report {
            settings: &settings,
            profile,
            config: store.path().display().to_string(),
            changed: !changes.is_empty(),
            probe: result.as_ref().map(|r| ProbeReport::new(r, &settings.url)),
            replaced: match &replaced {
                Replaced::Kept(old) => Some(old),
                _ => None,
            },
        });
    }
    out.line(summary(
        &settings,
        result.as_ref().and_then(|r| r.as_ref().ok()),
        profile,
        store.path(),
    ))?;
    report_replaced(out, &replaced)
}

/// Says what a command replaced and how to get it back.
pub(crate) fn report_replaced(
    out: &mut Output<'_>,
    replaced: &Replaced,
) -> Result<(), CommandError> {
    match replaced {
        Replaced::Nothing => Ok(()),
        Replaced::Kept(old) => out.line(format_args!(
            "replaced {}; `cleveragents server use -` returns to it",
            old.describe()
        )),
        Replaced::Invalid { reason, field } => {
            let key = match field {
                Some(field) => format!("{}.{field}", crate::connection::PREVIOUS),
                None => "KEY".to_string(),
            };
            out.warn(format_args!(
                "the replaced connection has an invalid value ({reason}); it is kept as written in [{}]: fix it with `cleveragents config set {key} VALUE`, and `cleveragents server use -` returns to it",
                crate::connection::PREVIOUS
            ));
            Ok(())
        }
    }
}

/// Which profile is current after connecting with `settings`: the `--save-as` one, else the
/// current one if it holds exactly these settings, else none.
fn current_after_connect(
    entries: &[(cleveragents_config::Key, cleveragents_config::Value)],
    settings: &ServerSettings,
    saved_as: Option<&str>,
) -> Option<String> {
    if let Some(name) = saved_as {
        return Some(name.to_string());
    }
    let current = current_profile(entries)?;
    let prefix = crate::connection::profile_prefix(&current);
    let same = ServerSettings::from_values(&prefix, profile_values(entries, &current))
        .ok()
        .flatten()
        .is_some_and(|profile| profile == *settings);
    same.then_some(current)
}

fn summary(
    settings: &ServerSettings,
    reply: Option<&probe::Reply>,
    profile: Option<&str>,
    path: &Path,
) -> String {
    let saved = match profile {
        Some(name) => format!("saved to {} (also as profile {name})", path.display()),
        None => format!("saved to {}", path.display()),
    };
    match reply {
        Some(reply) => format!(
            "connected to {} (namespace {}): {}; {saved}",
            settings.url,
            settings.namespace,
            describe_reply(reply)
        ),
        None => format!(
            "{} (namespace {}, not checked) {saved}",
            settings.url, settings.namespace
        ),
    }
}

/// Tells when environment variables will hide what was just saved.
fn note_overrides(env: &Env, out: &mut Output<'_>) {
    for (var, key) in known_overrides() {
        if env.get(var).is_some() {
            out.note(format!(
                "{var} is set: it overrides {key} of the file when read"
            ));
        }
    }
}

/// Checks every argument and reports all problems at once (exit code 2).
fn validate(args: &ConnectArgs) -> Result<ServerSettings, CommandError> {
    let mut problems = Vec::new();
    let mut corrected = None;
    let url = schema::normalize_url(&args.url)
        .map_err(|reason| {
            if !args.url.contains("://") && args.url.len() <= 300 {
                corrected = Some(args.command_with_url(&schema::with_scheme(&args.url)));
            }
            problems.push(format!("invalid URL {}: {reason}", quote(&args.url)))
        })
        .unwrap_or_default();
    let namespace = args.namespace.clone().unwrap_or_else(|| "default".into());
    if let Err(reason) = schema::check_namespace(&namespace) {
        problems.push(format!(
            "invalid --namespace {}: {reason} (expected {})",
            quote(&namespace),
            schema::Kind::Namespace.rule()
        ));
    }
    if let Some(timeout) = &args.timeout {
        if let Err(reason) = schema::parse_duration(timeout) {
            problems.push(format!(
                "invalid --timeout {}: {reason} (expected {})",
                quote(timeout),
                schema::Kind::Duration.rule()
            ));
        }
    }
    let ca_cert = match &args.ca_cert {
        Some(path) => match ca_cert(path) {
            Ok(path) => Some(path),
            Err(problem) => {
                problems.push(problem);
                None
            }
        },
        None => None,
    };
    if let Some(name) = &args.save_as {
        if let Err(e) = check_profile_name(name) {
            problems.push(format!("--save-as: {}", e.message()));
        }
    }
    match problems.len() {
        0 => Ok(ServerSettings {
            url,
            namespace,
            tls_verify: !args.no_tls_verify,
            ca_cert,
            timeout: args.timeout.clone(),
        }),
        1 => {
            let mut error = CommandError::usage(problems.remove(0));
            if let Some(command) = corrected {
                error = error.with_hint(format!("did you mean `{command}`?"));
            }
            Err(error.with_hint(
                "nothing was checked or written; see `cleveragents server connect --help`",
            ))
        }
        _ => Err(
            CommandError::usage(format!("invalid arguments:\n  {}", problems.join("\n  ")))
                .with_hint(
                    "nothing was checked or written; see `cleveragents server connect --help`",
                ),
        ),
    }
}

/// The `--ca-cert` file as an absolute path, checked by the schema's rule for `ca-cert`.
fn ca_cert(path: &Path) -> Result<String, String> {
    let absolute = std::path::absolute(path)
        .map_err(|e| format!("invalid --ca-cert {}: {e}", path.display()))?;
    let text = absolute.to_str().ok_or_else(|| {
        format!(
            "invalid --ca-cert {}: the path is not UTF-8",
            absolute.display()
        )
    })?;
    schema::check_ca_file(text).map_err(|reason| {
        format!(
            "invalid --ca-cert {}: {reason} (expected {})",
            quote(text),
            schema::Kind::Path.rule()
        )
    })?;
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use crate::cli::{Cli, Command};
    use clap::Parser;

    #[test]
    fn contradicting_tls_flags_are_a_usage_error() {
        let connect = |flags: &[&str]| {
            let args = ["cleveragents", "server", "connect", "http://h"];
            Cli::try_parse_from(args.iter().chain(flags))
        };
        for flags in [
            ["--no-tls-verify", "--tls-verify"],
            ["--tls-verify", "--no-tls-verify"],
        ] {
            let err = connect(&flags).unwrap_err();
            assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
        }
        assert!(matches!(
            connect(&["--no-tls-verify"]).unwrap().command,
            Command::Server(crate::commands::server::ServerCommand::Connect(args)) if !args.tls_verify && args.no_tls_verify
        ));
    }

    #[test]
    fn a_corrected_command_keeps_every_flag() {
        let parsed = Cli::try_parse_from([
            "cleveragents",
            "server",
            "connect",
            "h:1",
            "--namespace",
            "n",
            "--no-tls-verify",
            "--ca-cert",
            "/ca.pem",
            "--timeout",
            "3s",
            "--no-check",
            "--save-as",
            "p",
            "--force",
        ])
        .unwrap();
        let expected = "cleveragents server connect https://h:1 --namespace n --no-tls-verify --ca-cert /ca.pem --timeout 3s --no-check --save-as p --force";
        assert!(matches!(
            parsed.command,
            Command::Server(crate::commands::server::ServerCommand::Connect(ref args))
                if args.command_with_url("https://h:1") == expected
        ));
    }
}
