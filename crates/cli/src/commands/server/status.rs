//! `cleveragents server status`: the connection in effect and a live probe.

use std::collections::BTreeMap;

use cleveragents_config::schema;
use serde::Serialize;

use crate::commands::Context;
use crate::connection::{self, Recorded, ServerSettings};
use crate::env;
use crate::error::{clip, quote, CommandError};
use crate::output::{describe_reply, Output, ProbeReport};
use crate::probe::{self, format_duration, Purpose, Target};
use crate::settings::{self, Origin};

/// Show the connection in effect and whether the server answers
#[derive(Debug, clap::Args)]
#[command(
    long_about = "\
Show the connection in effect (file, environment overrides, defaults) and probe the server \
with GET URL/health. Exits 0 when it answers (401, 403 and 404 with a warning), 1 when it \
answers 5xx, does not answer, or when no server is \
configured.",
    after_help = "\
Examples:
  cleveragents server status
  cleveragents server status --no-check        # offline: the connection only
  cleveragents server status --json | jq .reachable
  CLEVERAGENTS_SERVER_URL=http://localhost:8080 cleveragents server status"
)]
pub struct StatusArgs {
    /// Time limit of the check [default: server.timeout, else 10s]
    #[arg(long, value_name = "DURATION", conflicts_with = "no_check")]
    pub timeout: Option<String>,

    /// Show the connection without checking the server (no network; exit 0 when one is
    /// configured)
    #[arg(long)]
    pub no_check: bool,
}

/// What `--json` prints when a server is configured.
#[derive(Serialize)]
struct Report<'a> {
    configured: bool,
    config: String,
    profile: Option<String>,
    /// The fields the connection changed since its profile was used.
    #[serde(rename = "changed-since")]
    changed_since: Vec<&'static str>,
    url: &'a str,
    namespace: &'a str,
    #[serde(rename = "tls-verify")]
    tls_verify: bool,
    #[serde(rename = "ca-cert")]
    ca_cert: Option<&'a str>,
    timeout: String,
    origins: BTreeMap<String, serde_json::Value>,
    /// False under `--no-check`, when there is no probe.
    checked: bool,
    /// The connection `server use -` returns to.
    previous: Option<&'a Recorded>,
    /// `null` under `--no-check`.
    probe: Option<ProbeReport>,
}

/// Runs `server status`.
pub fn run(args: &StatusArgs, ctx: &Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    let timeout = match &args.timeout {
        Some(text) => Some(schema::parse_duration(text).map_err(|reason| {
            CommandError::usage(format!("invalid --timeout {}: {reason}", quote(text)))
                .with_hint(format!("use {}", schema::Kind::Duration.rule()))
        })?),
        None => None,
    };
    let (path, _) = ctx.config_path()?;
    let snapshot = ctx.store()?.load()?;
    let overrides = env::overrides(ctx.env)?;
    // Only `[server]`, the previous connection and the current profile are read, not the
    // whole file.
    let mut file_entries =
        snapshot.entries_under(&connection::table_keys(&["server", connection::PREVIOUS]));
    let server = file_entries
        .iter()
        .filter(|(key, _)| connection::is_server_key(key))
        .cloned()
        .collect();
    let entries = settings::effective_of(server, &path, &overrides, true);
    let previous = match connection::shown_previous(&snapshot, &path, &file_entries) {
        Ok(previous) => previous,
        Err(warning) => {
            out.warn(&warning);
            None
        }
    };
    let Some(conn) = settings::connection(&entries, &path, &snapshot)? else {
        if out.is_json() {
            out.json(&serde_json::json!({
                "configured": false,
                "config": path.display().to_string(),
                "previous": previous,
            }))?;
        }
        let error = CommandError::failure("no server is configured");
        return Err(match &previous {
            Some(previous) => error.with_hint(format!(
                "return to the previous connection, {}, with `cleveragents server use -`",
                previous.describe()
            )),
            None => error.with_hint("connect to one with `cleveragents server connect URL`"),
        });
    };
    let mut origins = settings::server_origins(&entries);
    let profile = connection::current_profile(&file_entries);
    if let Some(name) = &profile {
        file_entries.extend(snapshot.entries_under(&[connection::profile_key(name)]));
    }
    let changed_since = profile
        .as_deref()
        .map(|name| connection::changed_since(&file_entries, name))
        .unwrap_or_default();
    let timeout_text = match (&args.timeout, timeout) {
        (Some(text), Some(_)) => {
            origins.insert("timeout".into(), Origin::Flag("--timeout"));
            text.clone()
        }
        _ => conn
            .timeout
            .clone()
            .unwrap_or_else(|| format_duration(connection::DEFAULT_TIMEOUT)),
    };
    let target = Target {
        url: conn.url.clone(),
        tls_verify: conn.tls_verify,
        ca_cert: conn.ca_cert.as_deref().map(Into::into),
        timeout: timeout.unwrap_or_else(|| conn.timeout()),
    };
    let Some(result) = (!args.no_check).then(|| probe::probe(&target, Purpose::Status)) else {
        return unchecked(
            out,
            &path,
            profile,
            &conn,
            &origins,
            &timeout_text,
            changed_since,
            previous.as_ref(),
        );
    };

    if out.is_json() {
        out.json(&Report {
            configured: true,
            config: path.display().to_string(),
            profile: profile.clone(),
            changed_since: changed_since.clone(),
            url: &conn.url,
            namespace: &conn.namespace,
            tls_verify: conn.tls_verify,
            ca_cert: conn.ca_cert.as_deref(),
            timeout: timeout_text,
            origins: origins
                .iter()
                .map(|(k, o)| (k.clone(), o.to_json()))
                .collect(),
            checked: true,
            previous: previous.as_ref(),
            probe: Some(ProbeReport::new(&result, &conn.url)),
        })?;
    } else {
        let profile = label(profile, &changed_since);
        human(
            out,
            &path,
            profile.as_deref(),
            &conn,
            &origins,
            &timeout_text,
        )?;
        match &result {
            Ok(reply) => out.line(format_args!("reachable:   yes, {}", describe_reply(reply)))?,
            Err(failure) => out.line(format_args!("reachable:   no, {}", failure.reason))?,
        }
        show_previous(out, previous.as_ref())?;
    }
    match result {
        Ok(reply) if reply.health() == probe::Health::Unhealthy => {
            Err(CommandError::failure(format!(
                "{} is unhealthy: it answered HTTP {} for /health",
                clip(&conn.url),
                reply.status
            ))
            .with_hint("the server is reachable; ask its operators, or retry later"))
        }
        Ok(reply) => {
            if let Some(warning) = reply.warning() {
                out.warn(warning);
            }
            Ok(())
        }
        Err(failure) => Err(crate::output::unreachable(&conn.url, &failure)),
    }
}

fn human(
    out: &mut Output<'_>,
    path: &std::path::Path,
    profile: Option<&str>,
    conn: &ServerSettings,
    origins: &BTreeMap<String, Origin>,
    timeout: &str,
) -> Result<(), CommandError> {
    let from = |field: &str| match origins.get(field) {
        Some(Origin::Env(var)) => format!("  (from {var})"),
        Some(Origin::Flag(flag)) => format!("  ({flag})"),
        Some(Origin::Default) => "  (default)".into(),
        _ => String::new(),
    };
    out.line(format_args!("config:      {}", path.display()))?;
    if let Some(profile) = profile {
        out.line(format_args!("profile:     {profile}"))?;
    }
    out.line(format_args!("server:      {}{}", conn.url, from("url")))?;
    out.line(format_args!(
        "namespace:   {}{}",
        conn.namespace,
        from("namespace")
    ))?;
    out.line(format_args!(
        "tls-verify:  {}{}",
        conn.tls_verify,
        from("tls-verify")
    ))?;
    if let Some(ca) = &conn.ca_cert {
        out.line(format_args!("ca-cert:     {ca}"))?;
    }
    out.line(format_args!("timeout:     {timeout}{}", from("timeout")))
}

/// The profile as `profile:` shows it: `local`, or `local (changed since: namespace)`.
fn label(profile: Option<String>, changed_since: &[&str]) -> Option<String> {
    profile.map(|name| {
        if changed_since.is_empty() {
            name
        } else {
            format!("{name} (changed since: {})", changed_since.join(", "))
        }
    })
}

/// The `previous:` line, when there is a previous connection.
fn show_previous(out: &mut Output<'_>, previous: Option<&Recorded>) -> Result<(), CommandError> {
    match previous {
        Some(previous) => out.line(format_args!(
            "previous:    {}; `cleveragents server use -` returns to it",
            previous.describe()
        )),
        None => Ok(()),
    }
}

/// `server status --no-check`: the connection, no network.
#[allow(clippy::too_many_arguments)]
fn unchecked(
    out: &mut Output<'_>,
    path: &std::path::Path,
    profile: Option<String>,
    conn: &ServerSettings,
    origins: &BTreeMap<String, Origin>,
    timeout: &str,
    changed_since: Vec<&'static str>,
    previous: Option<&Recorded>,
) -> Result<(), CommandError> {
    if out.is_json() {
        return out.json(&Report {
            configured: true,
            config: path.display().to_string(),
            profile,
            changed_since,
            url: &conn.url,
            namespace: &conn.namespace,
            tls_verify: conn.tls_verify,
            ca_cert: conn.ca_cert.as_deref(),
            timeout: timeout.to_string(),
            origins: origins
                .iter()
                .map(|(k, o)| (k.clone(), o.to_json()))
                .collect(),
            checked: false,
            previous,
            probe: None,
        });
    }
    let profile = label(profile, &changed_since);
    human(out, path, profile.as_deref(), conn, origins, timeout)?;
    out.line("reachable:   not checked (--no-check)")?;
    show_previous(out, previous)
}
