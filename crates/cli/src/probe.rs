//! Reachability of a server: one HTTP `GET URL/health` with the connection's TLS settings and
//! timeout, over ureq and rustls.
//!
//! Any HTTP response, whatever its status, proves the server is reachable; redirects are
//! reported, never followed (a redirect to another host proves nothing about this one).
//! Failures are classified into a one-line reason and a hint saying what to do.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rustls::pki_types::CertificateDer;
use rustls::CertificateError;
use serde::Serialize;
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};
use ureq::unversioned::resolver::DefaultResolver;

use crate::pinned;

use crate::error::clip;

/// What to probe, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The server URL (normalised, no trailing slash); `/health` is appended.
    pub url: String,
    /// Whether to verify the server's certificate.
    pub tls_verify: bool,
    /// A PEM file of extra trusted CA certificates.
    pub ca_cert: Option<PathBuf>,
    /// The whole request's time limit: connect, TLS handshake and response headers.
    pub timeout: Duration,
}

impl Target {
    /// The URL that is requested.
    pub fn health_url(&self) -> String {
        format!("{}/health", self.url.trim_end_matches('/'))
    }

    fn is_https(&self) -> bool {
        self.url.starts_with("https:")
    }
}

/// Who is asking: the hints differ (`server connect` can skip the check with `--no-check`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// `server connect`.
    Connect,
    /// `server status`.
    Status,
}

/// How the connection was secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tls {
    /// Plain HTTP.
    None,
    /// HTTPS with the certificate verified.
    Verified,
    /// HTTPS without verification (`--no-tls-verify`).
    Unverified,
}

/// The server answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status code.
    pub status: u16,
    /// Time from the start of the request to the response headers.
    pub latency: Duration,
    /// How the connection was secured.
    pub tls: Tls,
    /// The `Location` of a redirect, which is not followed.
    pub redirect: Option<String>,
}

/// What an answer to `GET URL/health` says of the server: the health contract of `server
/// connect` and `server status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Health {
    /// 2xx (and a 3xx redirect, which is reported and not followed): healthy.
    Healthy,
    /// 401 or 403: reachable, but this client is not let in.
    Unauthorised,
    /// 404: something answers, but it may not be a CleverAgents server.
    NotFound,
    /// Any other 4xx: reachable, the answer is unexpected.
    Unexpected,
    /// 5xx: reachable but unhealthy; not connected to.
    Unhealthy,
}

impl Reply {
    /// What the status code says of the server.
    pub fn health(&self) -> Health {
        match self.status {
            401 | 403 => Health::Unauthorised,
            404 => Health::NotFound,
            500..=599 => Health::Unhealthy,
            400..=499 => Health::Unexpected,
            _ => Health::Healthy,
        }
    }

    /// The warning a reachable server that is not healthy deserves, if any.
    pub fn warning(&self) -> Option<String> {
        let status = self.status;
        match self.health() {
            Health::Healthy | Health::Unhealthy => None,
            Health::Unauthorised => Some(format!(
                "the server answered HTTP {status}: it is reachable, but not authorised to this client"
            )),
            Health::NotFound => Some(format!(
                "the server answered HTTP {status} for /health: it may not be a CleverAgents server, or the URL lacks its path"
            )),
            Health::Unexpected => Some(format!("the server answered HTTP {status} for /health")),
        }
    }
}

/// What kind of failure a probe met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// Nothing listens at the address (connection refused).
    Refused,
    /// The host name does not resolve.
    Dns,
    /// No answer within the timeout.
    Timeout,
    /// The TLS handshake or the certificate check failed.
    Tls,
    /// The `--ca-cert` file cannot be used.
    CaCert,
    /// The server answered, but not with HTTP.
    Protocol,
    /// The server answered with a redirect that cannot lead to a health answer (to itself,
    /// or nowhere).
    Redirect,
    /// Any other network failure.
    Network,
}

/// The server could not be reached.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The kind of failure.
    pub kind: FailureKind,
    /// One line saying what went wrong.
    pub reason: String,
    /// What to do about it.
    pub hint: String,
}

/// Sends `GET URL/health` and reports the answer or why there was none.
pub fn probe(target: &Target, purpose: Purpose) -> Result<Reply, Failure> {
    let tls = if !target.is_https() {
        Tls::None
    } else if target.tls_verify {
        Tls::Verified
    } else {
        Tls::Unverified
    };
    let pinned = match (&target.ca_cert, tls) {
        (Some(path), Tls::Verified) => {
            let certs = load_ca_certs(path).map_err(|reason| Failure {
                kind: FailureKind::CaCert,
                reason,
                hint: ca_cert_hint(purpose),
            })?;
            Some((path, certs))
        }
        _ => None,
    };
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(target.timeout))
        .user_agent(concat!("cleveragents/", env!("CARGO_PKG_VERSION")))
        .tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::WebPki)
                .disable_verification(!target.tls_verify)
                .build(),
        )
        .build();
    let agent = match pinned {
        // The CA file's certificates are trusted as CAs, and as server certificates (pinned).
        Some((ca_path, pinned)) => {
            let pinned: Vec<CertificateDer<'static>> = pinned
                .iter()
                .map(|cert| CertificateDer::from(cert.der().to_vec()))
                .collect();
            let mut roots = system_roots();
            roots.extend(pinned.iter().cloned());
            let tls = pinned::client_config(&roots, pinned).map_err(|e| Failure {
                kind: FailureKind::CaCert,
                reason: format!("{}: {e}", ca_path.display()),
                hint: ca_cert_hint(purpose),
            })?;
            ureq::Agent::with_parts(config, pinned::connector(tls), DefaultResolver::default())
        }
        None => config.into(),
    };
    let started = Instant::now();
    match agent.get(target.health_url()).call() {
        Ok(response) => {
            let reply = Reply {
                status: response.status().as_u16(),
                latency: started.elapsed(),
                tls,
                redirect: response
                    .headers()
                    .get("location")
                    .filter(|_| response.status().is_redirection())
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string),
            };
            match dead_end(&reply, target) {
                Some(failure) => Err(failure),
                None => Ok(reply),
            }
        }
        Err(error) => {
            let mut failure = classify(&error, target, purpose, proxy_in_use(target).as_ref());
            if matches!(failure.kind, FailureKind::Network | FailureKind::Protocol)
                && !target.is_https()
                && speaks_tls(target)
            {
                failure = tls_port(target, purpose);
            }
            Err(failure)
        }
    }
}

/// A redirect that cannot lead to a health answer: one without a `Location`, or to the very
/// URL asked (a loop). Other redirects are reported, not followed.
fn dead_end(reply: &Reply, target: &Target) -> Option<Failure> {
    if !(300..400).contains(&reply.status) || reply.status == 304 {
        return None;
    }
    let asked = target.health_url();
    let reason = match &reply.redirect {
        None => format!(
            "{} answered HTTP {} (a redirect) without saying where to",
            clip(&address(&target.url)),
            reply.status
        ),
        Some(location) => {
            let resolved = url::Url::parse(&asked)
                .and_then(|base| base.join(location))
                .map(String::from)
                .ok()?;
            if resolved != asked {
                return None;
            }
            format!(
                "{} redirects to itself (HTTP {}, Location {}): a redirect loop",
                clip(&asked),
                reply.status,
                clip(location)
            )
        }
    };
    Some(Failure {
        kind: FailureKind::Redirect,
        reason,
        hint: "the server does not answer its health check; check the URL's path, or ask its \
               operators to fix the redirect"
            .into(),
    })
}

/// The proxy a request goes through and the variable that set it, as ureq picks it from the
/// environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proxy {
    /// The proxy's `host:port`.
    pub address: String,
    /// The environment variable it comes from.
    pub var: &'static str,
}

/// Where ureq looks for a proxy, in its order.
const PROXY_VARS: [&str; 6] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
];

/// The proxy the probe of `target` goes through, if any.
fn proxy_in_use(target: &Target) -> Option<Proxy> {
    let proxy = ureq::Proxy::try_from_env()?;
    let uri: ureq::http::Uri = target.health_url().parse().ok()?;
    if proxy.is_no_proxy(&uri) {
        return None;
    }
    let var = PROXY_VARS
        .into_iter()
        .find(|var| std::env::var(var).is_ok_and(|value| ureq::Proxy::new(&value).is_ok()))?;
    Some(Proxy {
        address: format!("{}:{}", proxy.host(), proxy.port()),
        var,
    })
}

/// True when the port of an `http://` URL answers a TLS handshake (`https://` was meant).
fn speaks_tls(target: &Target) -> bool {
    let Some(rest) = target.url.strip_prefix("http://") else {
        return false;
    };
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(target.timeout))
        .tls_config(TlsConfig::builder().disable_verification(true).build())
        .build();
    let agent: ureq::Agent = config.into();
    agent
        .get(format!("https://{}/health", rest.trim_end_matches('/')))
        .call()
        .is_ok()
}

/// The failure of an `http://` URL whose port speaks TLS.
fn tls_port(target: &Target, purpose: Purpose) -> Failure {
    let https = format!("https://{}", target.url.trim_start_matches("http://"));
    let hint = match purpose {
        Purpose::Connect => format!("use the https:// URL: {}", clip(&https)),
        Purpose::Status => format!(
            "use the https:// URL: cleveragents config set server.url {}",
            clip(&https)
        ),
    };
    Failure {
        kind: FailureKind::Protocol,
        reason: format!(
            "{} speaks TLS, not plain HTTP: the URL must start with https://",
            clip(&address(&target.url))
        ),
        hint,
    }
}

/// What to do about a CA file that cannot be used.
fn ca_cert_hint(purpose: Purpose) -> String {
    match purpose {
        Purpose::Connect => hint(purpose, "pass a PEM file of CA certificates with --ca-cert"),
        Purpose::Status => "restore the file, or name another PEM file: \
                            `cleveragents config set server.ca-cert PEM` (or remove it: \
                            `cleveragents config unset server.ca-cert`)"
            .into(),
    }
}

/// The operating system's trust roots; none when they cannot be loaded (the `--ca-cert`
/// roots are then the only ones).
fn system_roots() -> Vec<CertificateDer<'static>> {
    rustls_native_certs::load_native_certs().certs
}

/// Reads the certificates of a PEM file; an error (one line) when it cannot be read or holds
/// no certificate. Other PEM sections (keys) are ignored.
pub fn load_ca_certs(path: &Path) -> Result<Vec<Certificate<'static>>, String> {
    // The bytes the schema's check already read: the file is opened once per command.
    let bytes = cleveragents_config::schema::read_ca_file(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(&bytes) {
        match item {
            Ok(PemItem::Certificate(cert)) => certs.push(cert),
            Ok(_) => {}
            Err(e) => return Err(format!("{} is not a valid PEM file: {e}", path.display())),
        }
    }
    if certs.is_empty() {
        return Err(format!("{} contains no PEM certificate", path.display()));
    }
    Ok(certs)
}

/// A name the certificate presents, as a person writes it: webpki reports them in Rust debug
/// form (`DnsName("a.example")`, `IpAddress(127.0.0.1)`).
fn readable_name(presented: &str) -> &str {
    ["DnsName(", "IpAddress(", "UniformResourceIdentifier("]
        .iter()
        .find_map(|prefix| presented.strip_prefix(prefix)?.strip_suffix(')'))
        .map_or(presented, |inner| inner.trim_matches('"'))
}

fn hint(purpose: Purpose, advice: &str) -> String {
    match purpose {
        Purpose::Connect => {
            format!("{advice}; or save the settings without checking: --no-check")
        }
        Purpose::Status => advice.to_string(),
    }
}

/// Turns a ureq error into a one-line reason and a hint; `proxy` is the proxy the request
/// went through, which is then what refused or could not be found.
pub fn classify(
    error: &ureq::Error,
    target: &Target,
    purpose: Purpose,
    proxy: Option<&Proxy>,
) -> Failure {
    if let Some(proxy) = proxy {
        let via = |kind, what: &str| {
            Failure {
            kind,
            reason: format!(
                "{what} the proxy {} (set by {})",
                clip(&proxy.address),
                proxy.var
            ),
            hint: hint(
                purpose,
                &format!(
                    "check that the proxy is running, or unset {} (or list the host in NO_PROXY) to connect directly",
                    proxy.var
                ),
            ),
        }
        };
        match error {
            ureq::Error::ConnectionFailed => return via(FailureKind::Refused, "cannot connect to"),
            ureq::Error::Io(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
                return via(FailureKind::Refused, "connection refused by")
            }
            ureq::Error::HostNotFound => {
                return via(FailureKind::Dns, "cannot resolve the host name of")
            }
            _ => {}
        }
    }
    let address = clip(&address(&target.url));
    let url = clip(&target.url);
    let seconds = format_duration(target.timeout);
    let fail = |kind, reason: String, advice: &str| Failure {
        kind,
        reason,
        hint: hint(purpose, advice),
    };
    if let Some(tls) = rustls_error(error) {
        return tls_failure(tls, target, purpose);
    }
    match error {
        ureq::Error::Timeout(_) => fail(
            FailureKind::Timeout,
            format!("no answer from {address} within {seconds}"),
            "check that the server is up and the URL's port is right, or allow more time with --timeout",
        ),
        ureq::Error::HostNotFound => fail(
            FailureKind::Dns,
            format!("cannot resolve the host name of {url}"),
            "check the host name in the URL",
        ),
        // The system resolver's failure comes as an uncategorised I/O error.
        ureq::Error::Io(e) if e.to_string().contains("lookup address") => fail(
            FailureKind::Dns,
            format!("cannot resolve the host name of {url}: {e}"),
            "check the host name in the URL",
        ),
        ureq::Error::ConnectionFailed => fail(
            FailureKind::Refused,
            format!("cannot connect to {address}"),
            "check that the server is running and listening on that address",
        ),
        ureq::Error::Io(e) if e.kind() == io::ErrorKind::ConnectionRefused => fail(
            FailureKind::Refused,
            format!("connection refused by {address}"),
            "check that the server is running and listening on that address",
        ),
        ureq::Error::Io(e) if e.kind() == io::ErrorKind::TimedOut => fail(
            FailureKind::Timeout,
            format!("no answer from {address} within {seconds}"),
            "check that the server is up and the URL's port is right, or allow more time with --timeout",
        ),
        ureq::Error::Io(e) => fail(
            FailureKind::Network,
            format!("connection to {address} failed: {e}"),
            "check the URL and the network between here and the server",
        ),
        ureq::Error::Protocol(e) => fail(
            FailureKind::Protocol,
            format!("{address} answered, but not with HTTP: {e}"),
            "check that the URL points at the CleverAgents server",
        ),
        other => fail(
            FailureKind::Network,
            format!("request to {} failed: {other}", clip(&target.health_url())),
            "check the URL and the network between here and the server",
        ),
    }
}

/// The rustls error inside a ureq error, wherever ureq put it.
fn rustls_error(error: &ureq::Error) -> Option<&rustls::Error> {
    match error {
        ureq::Error::Rustls(e) => Some(e),
        ureq::Error::Io(e) => e.get_ref()?.downcast_ref::<rustls::Error>(),
        _ => None,
    }
}

fn tls_failure(error: &rustls::Error, target: &Target, purpose: Purpose) -> Failure {
    // `server connect` takes flags; `server status` changes the saved connection's keys.
    let (insecure, trust) = match purpose {
        Purpose::Connect => (
            "or skip verification with --no-tls-verify (insecure)",
            "--ca-cert PEM",
        ),
        Purpose::Status => (
            "or skip verification: `cleveragents config set server.tls-verify false` (insecure)",
            "`cleveragents config set server.ca-cert PEM`",
        ),
    };
    let fix = |advice: &str| advice.to_string();
    let (reason, hint) = match error {
        rustls::Error::InvalidCertificate(cert) => match cert {
            CertificateError::UnknownIssuer => (
                "the certificate is self-signed or issued by an unknown CA (unknown issuer)"
                    .to_string(),
                fix(&format!(
                    "if you trust this server, trust its CA certificate: {trust}, {insecure}"
                )),
            ),
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => (
                "the certificate has expired".to_string(),
                fix(&format!(
                    "renew the server's certificate or check this machine's clock, {insecure}"
                )),
            ),
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => (
                "the certificate is not valid yet".to_string(),
                fix(&format!(
                    "check this machine's clock and the server's certificate, {insecure}"
                )),
            ),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                let names = match cert {
                    CertificateError::NotValidForNameContext { presented, .. } => {
                        let names: Vec<&str> =
                            presented.iter().map(|n| readable_name(n)).collect();
                        format!(" (it names {})", names.join(", "))
                    }
                    _ => String::new(),
                };
                (
                    format!(
                        "the certificate is not valid for {}{names}",
                        clip(&host(&target.url))
                    ),
                    fix(&match purpose {
                        Purpose::Connect => {
                            format!("connect with a host name the certificate names, {insecure}")
                        }
                        Purpose::Status => format!(
                            "use a host name the certificate names: `cleveragents config set server.url https://NAME:PORT`, {insecure}"
                        ),
                    }),
                )
            }
            CertificateError::Revoked => (
                "the certificate has been revoked".to_string(),
                fix("the server needs a new certificate"),
            ),
            CertificateError::Other(other) if is_ca_as_end_entity(other) => {
                (
                    "the certificate is self-signed (a CA certificate presented as the server's own)"
                        .to_string(),
                    fix(&format!(
                        "if you trust this server, trust that very certificate: {trust}, {insecure}"
                    )),
                )
            }
            CertificateError::BadSignature => (
                "the certificate's signature is invalid".to_string(),
                fix(&format!("check the server's certificate chain, {insecure}")),
            ),
            other => (
                format!("the certificate was refused: {other}"),
                fix(&format!("check the server's certificate, {insecure}")),
            ),
        },
        rustls::Error::InvalidMessage(_)
        | rustls::Error::InappropriateMessage { .. }
        | rustls::Error::InappropriateHandshakeMessage { .. } => (
            "the server does not speak TLS here (is it plain http://?)".to_string(),
            fix(match purpose {
                Purpose::Connect => "use an http:// URL if the server does not serve HTTPS",
                Purpose::Status => "if the server does not serve HTTPS, use its http:// URL: `cleveragents config set server.url http://...`",
            }),
        ),
        other => (
            format!("the TLS handshake failed: {other}"),
            fix(&format!("check the server's TLS setup, {insecure}")),
        ),
    };
    Failure {
        kind: FailureKind::Tls,
        reason: format!("TLS error with {}: {reason}", clip(&address(&target.url))),
        hint,
    }
}

/// webpki's `CaUsedAsEndEntity`: the server presented a CA certificate (`CA:TRUE`) as its own,
/// which is how `openssl req -x509` makes a self-signed certificate.
fn is_ca_as_end_entity(other: &rustls::OtherError) -> bool {
    let error = other.0.downcast_ref::<webpki::Error>();
    matches!(error, Some(webpki::Error::CaUsedAsEndEntity))
}

/// `host:port` of a URL, for messages.
fn address(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or(rest);
    if authority
        .rsplit_once(':')
        .is_some_and(|(_, port)| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
    {
        authority.to_string()
    } else if url.starts_with("https:") {
        format!("{authority}:443")
    } else {
        format!("{authority}:80")
    }
}

/// The host of a URL, for messages.
fn host(url: &str) -> String {
    let authority = address(url);
    authority
        .rsplit_once(':')
        .map_or(authority.clone(), |(host, _)| host.to_string())
}

/// `2s`, `1.5s`, `250ms`: a duration as a person reads it.
pub fn format_duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1000.0 {
        format!("{}ms", trim(ms))
    } else {
        format!("{}s", trim(ms / 1000.0))
    }
}

fn trim(x: f64) -> String {
    let text = if x >= 100.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    };
    text.trim_end_matches(".0").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::pki_types::ServerName;

    #[test]
    fn format_duration_as_documented() {
        use crate::probe::format_duration;
        use std::time::Duration;
        assert_eq!(format_duration(Duration::from_millis(2000)), "2s");
        assert_eq!(format_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(format_duration(Duration::from_micros(2500)), "2.5ms");
    }

    fn target(url: &str) -> Target {
        Target {
            url: url.into(),
            tls_verify: true,
            ca_cert: None,
            timeout: Duration::from_secs(2),
        }
    }

    fn tls(e: rustls::Error) -> ureq::Error {
        ureq::Error::Io(io::Error::new(io::ErrorKind::InvalidData, e))
    }

    fn cert(e: CertificateError) -> ureq::Error {
        tls(rustls::Error::InvalidCertificate(e))
    }

    #[test]
    fn network_failures_get_a_reason_and_a_fitting_hint() {
        let t = target("http://127.0.0.1:9");
        let refused = ureq::Error::Io(io::ErrorKind::ConnectionRefused.into());
        let f = classify(&refused, &t, Purpose::Connect, None);
        assert_eq!(f.kind, FailureKind::Refused);
        assert_eq!(f.reason, "connection refused by 127.0.0.1:9");
        assert!(f.hint.contains("--no-check"), "{}", f.hint);
        let f = classify(&refused, &t, Purpose::Status, None);
        assert!(!f.hint.contains("--no-check"), "{}", f.hint);

        let f = classify(&ureq::Error::ConnectionFailed, &t, Purpose::Status, None);
        assert_eq!(f.kind, FailureKind::Refused);
        let f = classify(
            &ureq::Error::Timeout(ureq::Timeout::Global),
            &t,
            Purpose::Connect,
            None,
        );
        assert_eq!(
            (f.kind, f.reason.as_str()),
            (FailureKind::Timeout, "no answer from 127.0.0.1:9 within 2s")
        );
        assert!(f.hint.contains("--timeout"));
        let f = classify(
            &ureq::Error::Io(io::ErrorKind::TimedOut.into()),
            &t,
            Purpose::Status,
            None,
        );
        assert_eq!(f.kind, FailureKind::Timeout);
        let f = classify(
            &ureq::Error::HostNotFound,
            &target("https://nowhere.invalid"),
            Purpose::Status,
            None,
        );
        assert_eq!(f.kind, FailureKind::Dns);
        assert!(f.reason.contains("nowhere.invalid"));
        let lookup =
            io::Error::other("failed to lookup address information: Name or service not known");
        let f = classify(&ureq::Error::Io(lookup), &t, Purpose::Status, None);
        assert_eq!(f.kind, FailureKind::Dns);
        let long = target(&format!("http://{}", "h".repeat(10_000)));
        let f = classify(&ureq::Error::HostNotFound, &long, Purpose::Connect, None);
        assert!(f.reason.len() < 200, "{}", f.reason);
        let f = classify(
            &ureq::Error::Io(io::ErrorKind::ConnectionReset.into()),
            &t,
            Purpose::Status,
            None,
        );
        assert_eq!(f.kind, FailureKind::Network);
        let f = classify(&ureq::Error::BadUri("x".into()), &t, Purpose::Status, None);
        assert_eq!(f.kind, FailureKind::Network);
        assert!(
            f.reason.contains("http://127.0.0.1:9/health"),
            "{}",
            f.reason
        );
    }

    #[test]
    fn certificate_problems_say_which_check_failed() {
        let t = target("https://localhost:8443/api");
        let f = classify(
            &cert(CertificateError::UnknownIssuer),
            &t,
            Purpose::Connect,
            None,
        );
        assert_eq!(f.kind, FailureKind::Tls);
        assert!(
            f.reason.contains("self-signed") && f.reason.contains("unknown issuer"),
            "{}",
            f.reason
        );
        assert!(f.reason.contains("localhost:8443"), "{}", f.reason);
        assert!(
            f.hint.contains("--ca-cert") && f.hint.contains("--no-tls-verify"),
            "{}",
            f.hint
        );
        let f = classify(
            &cert(CertificateError::UnknownIssuer),
            &t,
            Purpose::Status,
            None,
        );
        // `server status` has no flags for this: the hint names the keys that fix it.
        assert!(
            f.hint
                .contains("`cleveragents config set server.ca-cert PEM`")
                && f.hint
                    .contains("`cleveragents config set server.tls-verify false`"),
            "{}",
            f.hint
        );
        assert!(!f.hint.contains("--"), "{}", f.hint);

        let rustls_variant =
            ureq::Error::Rustls(rustls::Error::InvalidCertificate(CertificateError::Expired));
        let f = classify(&rustls_variant, &t, Purpose::Connect, None);
        assert!(
            f.reason.ends_with("the certificate has expired"),
            "{}",
            f.reason
        );
        let f = classify(
            &cert(CertificateError::NotValidYet),
            &t,
            Purpose::Connect,
            None,
        );
        assert!(f.reason.ends_with("not valid yet"), "{}", f.reason);
        let f = classify(
            &cert(CertificateError::NotValidForName),
            &t,
            Purpose::Connect,
            None,
        );
        assert!(
            f.reason.ends_with("not valid for localhost"),
            "{}",
            f.reason
        );
        let named = CertificateError::NotValidForNameContext {
            expected: ServerName::try_from("localhost").unwrap().to_owned(),
            presented: vec![
                "DnsName(\"a.example\")".into(),
                "IpAddress(127.0.0.1)".into(),
                "DirectoryName".into(),
            ],
        };
        let f = classify(&cert(named), &t, Purpose::Connect, None);
        assert!(
            f.reason
                .ends_with("(it names a.example, 127.0.0.1, DirectoryName)"),
            "{}",
            f.reason
        );
        let f = classify(&cert(CertificateError::Revoked), &t, Purpose::Connect, None);
        assert!(f.reason.ends_with("revoked"), "{}", f.reason);
        let f = classify(
            &cert(CertificateError::BadSignature),
            &t,
            Purpose::Connect,
            None,
        );
        assert!(f.reason.contains("signature"), "{}", f.reason);
        let f = classify(
            &cert(CertificateError::BadEncoding),
            &t,
            Purpose::Connect,
            None,
        );
        assert!(f.reason.contains("refused"), "{}", f.reason);
        let f = classify(
            &tls(rustls::Error::InvalidMessage(
                rustls::InvalidMessage::InvalidContentType,
            )),
            &t,
            Purpose::Connect,
            None,
        );
        assert!(f.reason.contains("plain http://"), "{}", f.reason);
        assert!(f.hint.contains("http:// URL"), "{}", f.hint);
        let f = classify(
            &tls(rustls::Error::DecryptError),
            &t,
            Purpose::Connect,
            None,
        );
        assert!(f.reason.contains("handshake failed"), "{}", f.reason);
    }

    #[test]
    fn status_hints_name_keys_and_connect_hints_name_flags() {
        let t = target("https://localhost:8443");
        let f = classify(
            &cert(CertificateError::NotValidForName),
            &t,
            Purpose::Status,
            None,
        );
        assert!(
            f.hint.contains("config set server.url https://NAME:PORT"),
            "{}",
            f.hint
        );
        let plain = tls(rustls::Error::InvalidMessage(
            rustls::InvalidMessage::InvalidContentType,
        ));
        let f = classify(&plain, &t, Purpose::Status, None);
        assert!(
            f.hint.contains("config set server.url http://"),
            "{}",
            f.hint
        );
        assert!(ca_cert_hint(Purpose::Status).contains("config set server.ca-cert PEM"));
        assert!(ca_cert_hint(Purpose::Connect).contains("--ca-cert"));
        let f = tls_port(&target("http://127.0.0.1:8443"), Purpose::Status);
        assert_eq!(
            f.reason,
            "127.0.0.1:8443 speaks TLS, not plain HTTP: the URL must start with https://"
        );
        assert_eq!(
            f.hint,
            "use the https:// URL: cleveragents config set server.url https://127.0.0.1:8443"
        );
        let f = tls_port(&target("http://127.0.0.1:8443"), Purpose::Connect);
        assert_eq!(f.hint, "use the https:// URL: https://127.0.0.1:8443");
        assert!(!speaks_tls(&target("https://127.0.0.1:9")));
    }

    #[test]
    fn a_refusing_proxy_is_named_with_its_variable() {
        let t = target("http://127.0.0.1:9");
        let proxy = Proxy {
            address: "127.0.0.1:1".into(),
            var: "HTTPS_PROXY",
        };
        let refused = ureq::Error::Io(io::ErrorKind::ConnectionRefused.into());
        let f = classify(&refused, &t, Purpose::Status, Some(&proxy));
        assert_eq!(f.kind, FailureKind::Refused);
        assert_eq!(
            f.reason,
            "connection refused by the proxy 127.0.0.1:1 (set by HTTPS_PROXY)"
        );
        assert!(f.hint.contains("unset HTTPS_PROXY"), "{}", f.hint);
        let f = classify(
            &ureq::Error::ConnectionFailed,
            &t,
            Purpose::Status,
            Some(&proxy),
        );
        assert!(
            f.reason.starts_with("cannot connect to the proxy"),
            "{}",
            f.reason
        );
        let f = classify(
            &ureq::Error::HostNotFound,
            &t,
            Purpose::Connect,
            Some(&proxy),
        );
        assert_eq!(f.kind, FailureKind::Dns);
        assert!(f.hint.ends_with("--no-check"), "{}", f.hint);
        // Other failures are the server's, reported as without a proxy.
        let f = classify(
            &ureq::Error::Timeout(ureq::Timeout::Global),
            &t,
            Purpose::Status,
            Some(&proxy),
        );
        assert_eq!(f.kind, FailureKind::Timeout);
    }

    #[test]
    fn a_redirect_that_leads_nowhere_is_a_failure() {
        let t = target("http://127.0.0.1:9/api");
        let reply = |status, to: Option<&str>| Reply {
            status,
            latency: Duration::ZERO,
            tls: Tls::None,
            redirect: to.map(str::to_string),
        };
        for to in ["/api/health", "http://127.0.0.1:9/api/health", "health"] {
            let f = dead_end(&reply(302, Some(to)), &t).unwrap();
            assert_eq!(f.kind, FailureKind::Redirect);
            assert!(f.reason.contains("redirects to itself"), "{}", f.reason);
        }
        let f = dead_end(&reply(301, None), &t).unwrap();
        assert!(f.reason.contains("without saying where to"), "{}", f.reason);
        assert_eq!(dead_end(&reply(302, Some("/login")), &t), None);
        assert_eq!(dead_end(&reply(302, Some("http://[::1")), &t), None);
        assert_eq!(dead_end(&reply(304, None), &t), None);
        assert_eq!(dead_end(&reply(200, None), &t), None);
    }

    #[test]
    fn addresses_and_durations_read_well() {
        assert_eq!(address("https://h.example"), "h.example:443");
        assert_eq!(address("http://h.example/api"), "h.example:80");
        assert_eq!(address("http://[::1]:8080/x"), "[::1]:8080");
        assert_eq!(host("http://[::1]:8080/x"), "[::1]");
        assert_eq!(host("https://h"), "h");
        assert_eq!(format_duration(Duration::from_secs(10)), "10s");
        assert_eq!(format_duration(Duration::from_millis(250)), "250ms");
        assert_eq!(format_duration(Duration::from_millis(12)), "12ms");
        assert_eq!(target("http://h/").health_url(), "http://h/health");
    }

    #[test]
    fn ca_files_must_hold_a_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        assert!(load_ca_certs(&missing)
            .unwrap_err()
            .starts_with("cannot read"));
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "just text\n").unwrap();
        assert!(load_ca_certs(&empty)
            .unwrap_err()
            .contains("no PEM certificate"));
        let bad = dir.path().join("bad.pem");
        std::fs::write(
            &bad,
            "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        assert!(load_ca_certs(&bad).unwrap_err().contains("not a valid PEM"));
        let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
        let bundle = dir.path().join("bundle.pem");
        let text = format!(
            "{}{}",
            generated.signing_key.serialize_pem(),
            generated.cert.pem()
        );
        std::fs::write(&bundle, text).unwrap();
        assert_eq!(load_ca_certs(&bundle).unwrap().len(), 1);

        let t = Target {
            ca_cert: Some(empty),
            ..target("https://127.0.0.1:9")
        };
        let f = probe(&t, Purpose::Connect).unwrap_err();
        assert_eq!(f.kind, FailureKind::CaCert);
    }
}
