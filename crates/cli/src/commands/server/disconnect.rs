//! `cleveragents server disconnect`: remove `[server]` in one transaction; idempotent.

use serde_json::json;

use crate::commands::server::connect::report_replaced;
use crate::commands::{committed, Context};
use crate::connection::Replaced;
use crate::error::CommandError;
use crate::output::Output;

/// Forget the connection (the `[server]` table); saved profiles stay
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Remove the [server] table in one transaction, keeping the connection as \
the previous one ([previous-server]) so `server use -` reconnects. Saved profiles are kept; \
running it when not connected does nothing and succeeds.",
    after_help = "Example:\n  cleveragents server disconnect"
)]
pub struct DisconnectArgs {}

/// Runs `server disconnect`.
pub fn run(ctx: &Context<'_>, out: &mut Output<'_>) -> Result<(), CommandError> {
    let store = ctx.store()?;
    let ((previous, kept, left), changes) = store
        .transaction(|tx| {
            let previous = tx.get("server.url")?;
            let kept = crate::connection::keep_as_previous(tx)?;
            if tx.get("server")?.is_some() {
                // `server = "..."`: a value where the table belongs.
                tx.unset("server")?;
            }
            crate::connection::remove_owned(tx, "server")?;
            let left = tx
                .entries()
                .iter()
                .any(|(key, _)| key.segment(0) == Some("server"));
            Ok((previous, kept, left))
        })?
        .into_parts();
    committed(out, &changes);
    if ctx.env.get("CLEVERAGENTS_SERVER_URL").is_some() {
        out.note("CLEVERAGENTS_SERVER_URL is still set and provides a server when read");
    }
    let path = store.path().display().to_string();
    let url = previous.map(|v| v.to_string());
    if out.is_json() {
        return out.json(&json!({
            "disconnected": !changes.is_empty(),
            "url": url,
            "config": path,
        }));
    }
    let what = if left {
        "the connection's keys removed from [server] (keys no command owns stay) in"
    } else {
        "[server] removed from"
    };
    match (changes.is_empty(), url) {
        (true, _) => out.line("not connected: nothing to do"),
        (false, Some(url)) => {
            let back = match kept {
                Replaced::Kept(_) => "; `cleveragents server use -` reconnects",
                _ => "",
            };
            out.line(format_args!("disconnected from {url}; {what} {path}{back}"))?;
            match kept {
                // Kept as written: the warning says what to fix before `server use -`.
                Replaced::Invalid { .. } => report_replaced(out, &kept),
                _ => Ok(()),
            }
        }
        (false, None) => out.line(format_args!("{what} {path}")),
    }
}
