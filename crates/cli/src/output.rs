//! Human and JSON rendering, and the two streams they go to.
//!
//! Results go to stdout, one human line each or one JSON document (`--json`); warnings,
//! notes and errors go to stderr. A closed stdout (`cleveragents config list | head -0`)
//! is not an error: the rest of the output is dropped and the command ends as it would have.

use std::fmt::Display;
use std::io::{self, Write};

use cleveragents_config::Value;
use serde::Serialize;

use crate::error::{clip, CommandError};
use crate::probe::{format_duration, Failure, FailureKind, Reply, Tls};

/// Where a command writes.
pub struct Output<'a> {
    stdout: &'a mut dyn Write,
    stderr: &'a mut dyn Write,
    stdout_closed: bool,
    json: bool,
    committed: bool,
    colour: bool,
    printed: bool,
    sealed: bool,
    /// The line being written, kept between lines (a listing is 100,000 of them).
    scratch: String,
}

impl<'a> Output<'a> {
    /// Writes results to `stdout` (as JSON when `json`) and diagnostics to `stderr`.
    pub fn new(stdout: &'a mut dyn Write, stderr: &'a mut dyn Write, json: bool) -> Output<'a> {
        Output {
            stdout,
            stderr,
            stdout_closed: false,
            json,
            committed: false,
            colour: false,
            printed: false,
            sealed: false,
            scratch: String::new(),
        }
    }

    /// True once anything was written to stdout (under `--json`: the command's report).
    pub fn has_printed(&self) -> bool {
        self.printed
    }

    /// Colours the `error:`, `warning:`, `hint:` and `note:` prefixes of diagnostics.
    pub fn with_colour(mut self, colour: bool) -> Output<'a> {
        self.colour = colour;
        self
    }

    /// Records that the command's transaction succeeded: from here on, a failure to print
    /// its summary must not make the command look failed (the file did change).
    pub fn mark_committed(&mut self) {
        self.committed = true;
    }

    /// True after [`Output::mark_committed`].
    pub fn is_committed(&self) -> bool {
        self.committed
    }

    /// True when `--json` was given.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Ends the command's stdout: later results are dropped (a dry run printed its change
    /// set in their place). Diagnostics still go to stderr.
    pub fn seal(&mut self) {
        self.sealed = true;
    }

    /// Writes bytes to stdout as they are.
    pub fn raw(&mut self, bytes: &[u8]) -> Result<(), CommandError> {
        if self.stdout_closed || self.sealed {
            return Ok(());
        }
        self.printed = true;
        match self.stdout.write_all(bytes) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.stdout_closed = true;
                Ok(())
            }
            Err(e) => Err(CommandError::stdout(&e)),
        }
    }

    /// Writes one line to stdout.
    pub fn line(&mut self, text: impl Display) -> Result<(), CommandError> {
        use std::fmt::Write as _;
        let mut line = std::mem::take(&mut self.scratch);
        line.clear();
        // Writing to a String fails only if `text`'s Display does, which ours never do.
        let _ = writeln!(line, "{text}");
        let result = self.raw(line.as_bytes());
        self.scratch = line;
        result
    }

    /// Writes a value to stdout as one line of JSON.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CommandError> {
        let text = serde_json::to_string(value)
            .map_err(|e| CommandError::failure(format!("cannot render JSON: {e}")))?;
        self.line(text)
    }

    /// Flushes stdout (a closed pipe is not an error).
    pub fn flush(&mut self) -> Result<(), CommandError> {
        if self.stdout_closed {
            return Ok(());
        }
        match self.stdout.flush() {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(CommandError::stdout(&e)),
            _ => Ok(()),
        }
    }

    /// `warning: TEXT` on stderr.
    pub fn warn(&mut self, text: impl Display) {
        self.diagnostic(format_args!("warning: {text}\n"));
    }

    /// `note: TEXT` on stderr.
    pub fn note(&mut self, text: impl Display) {
        self.diagnostic(format_args!("note: {text}\n"));
    }

    /// Text on stderr as it is (a question, an error already rendered).
    pub fn diagnostic(&mut self, text: impl Display) {
        // Results printed so far come first (stdout is buffered: one write for a 100,000-line
        // listing, not one per line); a failure to print them is reported by the last flush.
        if !self.stdout_closed {
            let _ = self.stdout.flush();
        }
        // Nothing useful can be done when stderr itself is gone.
        let text = paint(&text.to_string(), self.colour);
        let _ = self.stderr.write_all(text.as_bytes());
        let _ = self.stderr.flush();
    }

    /// `error: ...` and `hint: ...` lines on stderr.
    pub fn report(&mut self, error: &CommandError) {
        self.diagnostic(error);
    }
}

/// Whether diagnostics are coloured: never with `NO_COLOR` set, always with `CLICOLOR_FORCE`
/// set (to anything but `0`), else when stderr is a terminal — the conventions of
/// no-color.org and `CLICOLOR`.
pub fn colour_wanted(env: &crate::env::Env, stderr_is_terminal: bool) -> bool {
    if env.get("NO_COLOR").is_some() {
        return false;
    }
    match env.get("CLICOLOR_FORCE") {
        Some(force) => force != "0",
        None => stderr_is_terminal,
    }
}

/// `text` with each line's `error:`, `warning:`, `hint:` or `note:` prefix in colour (bold red,
/// bold yellow, cyan, cyan), when `colour`.
pub fn paint(text: &str, colour: bool) -> String {
    if !colour {
        return text.to_string();
    }
    const PREFIXES: [(&str, &str); 4] = [
        ("error:", "\x1b[1;31m"),
        ("warning:", "\x1b[1;33m"),
        ("hint:", "\x1b[36m"),
        ("note:", "\x1b[36m"),
    ];
    text.split_inclusive('\n')
        .map(
            |line| match PREFIXES.iter().find(|(prefix, _)| line.starts_with(prefix)) {
                Some((prefix, style)) => {
                    format!("{style}{prefix}\x1b[0m{}", &line[prefix.len()..])
                }
                None => line.to_string(),
            },
        )
        .collect()
}

/// A value as TOML source: strings quoted and escaped, so that one value is one line.
pub fn toml_value(value: &Value) -> String {
    match value {
        Value::String(s) => {
            let mut out = String::with_capacity(s.len() + 2);
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    '\r' => out.push_str("\\r"),
                    c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
        other => other.to_string(),
    }
}

/// The probe's result as `--json` shows it, under `"probe"` in `server connect` and
/// `server status` alike.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ProbeReport {
    /// True when the server gave any HTTP answer.
    pub reachable: bool,
    /// The HTTP status of `GET URL/health`.
    pub status: Option<u16>,
    /// Milliseconds to the response headers, to 0.1 ms.
    pub latency_ms: Option<f64>,
    /// `none` (plain HTTP), `verified` or `unverified`; `null` when unreachable.
    pub tls: Option<Tls>,
    /// True when the server's certificate was verified.
    pub tls_verified: bool,
    /// Where a redirect pointed (not followed).
    pub redirect: Option<String>,
    /// How the probe failed (`refused`, `dns`, `timeout`, ...), when it did.
    pub failure: Option<FailureKind>,
    /// Why, as the error object every `--json` failure has.
    pub error: Option<serde_json::Value>,
}

impl ProbeReport {
    /// The report of one probe of `url`.
    pub fn new(result: &Result<Reply, Failure>, url: &str) -> ProbeReport {
        match result {
            Ok(reply) => ProbeReport {
                reachable: true,
                status: Some(reply.status),
                latency_ms: Some((reply.latency.as_secs_f64() * 10_000.0).round() / 10.0),
                tls: Some(reply.tls),
                tls_verified: reply.tls == Tls::Verified,
                redirect: reply.redirect.clone(),
                failure: None,
                error: None,
            },
            Err(failure) => ProbeReport {
                reachable: false,
                status: None,
                latency_ms: None,
                tls: None,
                tls_verified: false,
                redirect: None,
                failure: Some(failure.kind),
                error: Some(unreachable(url, failure).to_json()["error"].take()),
            },
        }
    }
}

/// The error of a probe that reached nothing: `cannot reach URL: REASON` and its hint.
pub fn unreachable(url: &str, failure: &Failure) -> CommandError {
    CommandError::failure(format!("cannot reach {}: {}", clip(url), failure.reason))
        .with_hint(failure.hint.clone())
}

/// `HTTP 200 in 3.1ms, TLS verified`: a reply in a few words.
pub fn describe_reply(reply: &Reply) -> String {
    let tls = match reply.tls {
        Tls::None => "plain HTTP",
        Tls::Verified => "TLS verified",
        Tls::Unverified => "TLS not verified",
    };
    let redirect = match &reply.redirect {
        Some(to) => format!(" (redirect to {to}, not followed)"),
        None => String::new(),
    };
    format!(
        "HTTP {}{redirect} in {}, {tls}",
        reply.status,
        format_duration(reply.latency)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::FailureKind;
    use std::time::Duration;

    #[test]
    fn colour_wanted_as_documented() {
        use crate::env::Env;
        use crate::output::colour_wanted;
        assert!(colour_wanted(&Env::default(), true));
        assert!(!colour_wanted(&Env::default(), false));
        assert!(!colour_wanted(
            &Env::from_pairs([("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]),
            true
        ));
        assert!(colour_wanted(
            &Env::from_pairs([("CLICOLOR_FORCE", "1")]),
            false
        ));
    }

    #[test]
    fn toml_value_as_documented() {
        use crate::output::toml_value;
        use cleveragents_config::Value;
        assert_eq!(toml_value(&Value::from("a \"b\"\n")), r#""a \"b\"\n""#);
        assert_eq!(toml_value(&Value::Bool(true)), "true");
    }

    struct Broken(io::ErrorKind);
    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(self.0.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(self.0.into())
        }
    }

    #[test]
    fn lines_json_and_diagnostics_go_to_their_streams() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut o = Output::new(&mut out, &mut err, true);
        assert!(o.is_json());
        o.line("one").unwrap();
        o.json(&serde_json::json!({"a": 1})).unwrap();
        o.warn("careful");
        o.note("fyi");
        o.report(&CommandError::usage("bad").with_hint("fix"));
        o.flush().unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "one\n{\"a\":1}\n");
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "warning: careful\nnote: fyi\nerror: bad\nhint: fix\n"
        );
    }

    #[test]
    fn a_closed_stdout_is_silence_and_other_errors_are_failures() {
        let mut err = Vec::new();
        let mut pipe = Broken(io::ErrorKind::BrokenPipe);
        let mut o = Output::new(&mut pipe, &mut err, false);
        o.line("x").unwrap();
        o.line("y").unwrap();
        o.flush().unwrap();

        let mut full = Broken(io::ErrorKind::StorageFull);
        let mut o = Output::new(&mut full, &mut err, false);
        let e = o.line("x").unwrap_err();
        assert_eq!(e.exit().code(), 1);
        assert!(e.message().starts_with("cannot write to stdout"));
        assert!(o.flush().is_err());

        // A broken stderr is ignored.
        let mut out = Vec::new();
        let mut bad_err = Broken(io::ErrorKind::BrokenPipe);
        let mut o = Output::new(&mut out, &mut bad_err, false);
        o.warn("lost");
    }

    #[test]
    fn toml_values_are_one_line() {
        assert_eq!(
            toml_value(&Value::from("a\tb\\c\r\u{1}")),
            r#""a\tb\\c\r\u0001""#
        );
        assert_eq!(
            toml_value(&Value::from("say \"hi\"\nbye")),
            r#""say \"hi\"\nbye""#
        );
        assert_eq!(toml_value(&Value::Integer(3)), "3");
        assert_eq!(toml_value(&Value::Other("[1, 2]".into())), "[1, 2]");
    }

    #[test]
    fn probe_reports_and_descriptions() {
        let reply = Reply {
            status: 301,
            latency: Duration::from_micros(3_140),
            tls: Tls::Verified,
            redirect: Some("https://elsewhere/".into()),
        };
        assert_eq!(
            describe_reply(&reply),
            "HTTP 301 (redirect to https://elsewhere/, not followed) in 3.1ms, TLS verified"
        );
        let report = ProbeReport::new(&Ok(reply.clone()), "http://h");
        assert_eq!(report.latency_ms, Some(3.1));
        assert!(report.reachable && report.tls_verified);
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["tls"], "verified");
        let plain = Reply {
            tls: Tls::None,
            redirect: None,
            ..reply.clone()
        };
        assert!(describe_reply(&plain).ends_with("plain HTTP"));
        let insecure = Reply {
            tls: Tls::Unverified,
            ..reply
        };
        assert!(describe_reply(&insecure).ends_with("TLS not verified"));

        let failure = Failure {
            kind: FailureKind::Refused,
            reason: "r".into(),
            hint: "h".into(),
        };
        let json = serde_json::to_value(ProbeReport::new(&Err(failure), "http://h")).unwrap();
        assert_eq!(json["reachable"], false);
        assert_eq!(json["failure"], "refused");
        // The one error object of every `--json` failure.
        assert_eq!(json["error"]["message"], "cannot reach http://h: r");
        assert_eq!(json["error"]["hints"][0], "h");
        assert_eq!(json["error"]["kind"], "failure");
        assert_eq!(json["error"]["exit-code"], 1);
        assert_eq!(json["status"], serde_json::Value::Null);
    }
}
