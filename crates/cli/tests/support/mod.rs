//! Test helpers shared by the integration test targets (`e2e`, and the BDD suite):
//! real servers on 127.0.0.1 ephemeral ports, test certificates, and a sandbox that runs the
//! real `cleveragents` binary against its own configuration file.
//!
//! Use from a test target at `tests/NAME.rs` with `mod support;`.
//!
//! - [`Server::http`] / [`Server::https`]: a minimal HTTP/1.1 responder (plain, or TLS with
//!   rustls) that answers every request with a fixed status and records request lines.
//! - [`Server::silent`]: accepts connections and never answers (timeouts).
//! - [`Server::garbage`]: answers with bytes that are not HTTP.
//! - [`closed_port`]: a port nothing listens on (connection refused).
//! - [`Pki`]: a test CA and a leaf for 127.0.0.1/localhost signed by it, a self-signed leaf,
//!   or an expired one, generated with rcgen at test time.
//! - [`Sandbox`]: a temp dir with `config.toml`, and [`Sandbox::cmd`], the binary with
//!   `CLEVERAGENTS_CONFIG` pointing at it and every other `CLEVERAGENTS_*`, proxy and
//!   editor variable removed.
//!
//! Every server stops (and joins its threads) when dropped; every socket has a read timeout,
//! so a broken test cannot hang forever.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// Longest a test server waits on one connection.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// What a server does with a connection.
#[derive(Clone)]
enum Behaviour {
    /// Answer with this status, these extra headers and this body.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Hold the connection open and never answer.
    Silent,
    /// Write these bytes and close.
    Raw(Vec<u8>),
}

/// A server on 127.0.0.1 with an ephemeral port, stopped on drop.
pub struct Server {
    addr: SocketAddr,
    scheme: &'static str,
    stop: Arc<AtomicBool>,
    requests: Arc<Mutex<Vec<String>>>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    /// Plain HTTP answering every request with `status`.
    pub fn http(status: u16) -> Server {
        Server::start("http", None, Behaviour::respond(status, &[], "ok\n"))
    }

    /// Plain HTTP answering with `status`, extra `headers` and `body`.
    pub fn http_with(status: u16, headers: &[(&str, &str)], body: &str) -> Server {
        Server::start("http", None, Behaviour::respond(status, headers, body))
    }

    /// HTTPS with the given certificate, answering every request with `status`.
    pub fn https(identity: &Identity, status: u16) -> Server {
        Server::https_versions(identity, status, rustls::DEFAULT_VERSIONS)
    }

    /// [`Server::https`] speaking only TLS 1.2.
    pub fn https_tls12(identity: &Identity, status: u16) -> Server {
        Server::https_versions(identity, status, &[&rustls::version::TLS12])
    }

    fn https_versions(
        identity: &Identity,
        status: u16,
        versions: &[&'static rustls::SupportedProtocolVersion],
    ) -> Server {
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_protocol_versions(versions)
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(identity.chain.clone(), identity.key.clone_key())
        .expect("test certificate and key match");
        Server::start(
            "https",
            Some(Arc::new(config)),
            Behaviour::respond(status, &[], "ok\n"),
        )
    }

    /// Accepts connections and never answers.
    pub fn silent() -> Server {
        Server::start("http", None, Behaviour::Silent)
    }

    /// Answers every connection with bytes that are not HTTP, then closes it.
    pub fn garbage() -> Server {
        Server::start(
            "http",
            None,
            Behaviour::Raw(b"SSH-2.0-OpenSSH_9.6\r\nProtocol mismatch.\r\n".to_vec()),
        )
    }

    fn start(
        scheme: &'static str,
        tls: Option<Arc<rustls::ServerConfig>>,
        behaviour: Behaviour,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let addr = listener.local_addr().expect("local addr");
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let accept = {
            let stop = stop.clone();
            let requests = requests.clone();
            std::thread::spawn(move || {
                let mut workers = Vec::new();
                let mut held = Vec::new();
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let _ = stream.set_nonblocking(false);
                            let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
                            let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
                            if let Behaviour::Silent = behaviour {
                                held.push(stream);
                                continue;
                            }
                            let (behaviour, tls, requests) =
                                (behaviour.clone(), tls.clone(), requests.clone());
                            workers.push(std::thread::spawn(move || {
                                serve(stream, tls, &behaviour, &requests)
                            }));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
                drop(held);
                for worker in workers {
                    let _ = worker.join();
                }
            })
        };
        Server {
            addr,
            scheme,
            stop,
            requests,
            accept: Some(accept),
        }
    }

    /// `http://127.0.0.1:PORT` or `https://...`.
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    /// `https://localhost:PORT`: for certificates naming `localhost`.
    pub fn localhost_url(&self) -> String {
        format!("{}://localhost:{}", self.scheme, self.addr.port())
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The request lines received so far, e.g. `GET /health HTTP/1.1`.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

impl Behaviour {
    fn respond(status: u16, headers: &[(&str, &str)], body: &str) -> Behaviour {
        Behaviour::Respond {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.to_string(),
        }
    }
}

fn serve(
    stream: TcpStream,
    tls: Option<Arc<rustls::ServerConfig>>,
    behaviour: &Behaviour,
    requests: &Mutex<Vec<String>>,
) {
    match tls {
        Some(config) => {
            let Ok(conn) = rustls::ServerConnection::new(config) else {
                return;
            };
            let mut stream = rustls::StreamOwned::new(conn, stream);
            exchange(&mut stream, behaviour, requests);
            stream.conn.send_close_notify();
            let _ = stream.flush();
        }
        None => {
            let mut stream = stream;
            exchange(&mut stream, behaviour, requests);
        }
    }
}

/// Reads one request head and answers it.
fn exchange(stream: &mut impl ReadWrite, behaviour: &Behaviour, requests: &Mutex<Vec<String>>) {
    if let Behaviour::Raw(bytes) = behaviour {
        let _ = stream.write_all(bytes);
        let _ = stream.flush();
        return;
    }
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
        if head.first() == Some(&0x16) {
            // A TLS ClientHello on a plain port: answer as real HTTP servers do.
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
            let _ = stream.flush();
            return;
        }
    }
    let text = String::from_utf8_lossy(&head);
    if let Ok(mut r) = requests.lock() {
        r.push(text.lines().next().unwrap_or_default().to_string());
    }
    if let Behaviour::Respond {
        status,
        headers,
        body,
    } = behaviour
    {
        let mut response = format!(
            "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
            reason(*status),
            body.len()
        );
        for (name, value) in headers {
            response.push_str(&format!("{name}: {value}\r\n"));
        }
        response.push_str("\r\n");
        response.push_str(body);
        let _ = stream.write_all(response.as_bytes());
        let _ = stream.flush();
    }
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// A port on 127.0.0.1 that nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local addr").port()
}

/// A certificate chain and its key, for [`Server::https`].
pub struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

/// Test certificates, generated at test time with rcgen.
pub struct Pki {
    /// The CA certificate, PEM (what `--ca-cert` takes).
    pub ca_pem: String,
    /// A leaf for 127.0.0.1 and localhost, signed by the CA.
    pub leaf: Identity,
}

impl Pki {
    /// A CA and a leaf for `127.0.0.1` and `localhost` signed by it.
    pub fn new() -> Pki {
        Pki::issue(&["127.0.0.1", "localhost"], false)
    }

    /// A CA and a leaf for `names` signed by it, optionally expired since 2001.
    pub fn issue(names: &[&str], expired: bool) -> Pki {
        let ca_key = rcgen::KeyPair::generate().expect("CA key");
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "cleveragents test CA");
        ca_params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
            rcgen::KeyUsagePurpose::DigitalSignature,
        ];
        let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).expect("CA cert");
        let leaf_key = rcgen::KeyPair::generate().expect("leaf key");
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = rcgen::CertificateParams::new(names).expect("leaf params");
        if expired {
            params.not_before = rcgen::date_time_ymd(2000, 1, 1);
            params.not_after = rcgen::date_time_ymd(2001, 1, 1);
        }
        let leaf = params.signed_by(&leaf_key, &ca).expect("leaf cert");
        Pki {
            ca_pem: ca.pem(),
            leaf: Identity {
                chain: vec![leaf.der().clone(), ca.der().clone()],
                key: PrivatePkcs8KeyDer::from(leaf_key.serialize_der()).into(),
            },
        }
    }

    /// A self-signed certificate that is its own CA (`CA:TRUE`), as `openssl req -x509` makes
    /// it, for `names`, valid from and to the given years (default: from now for a year); with
    /// its PEM (what `--ca-cert` takes).
    pub fn own_ca(names: &[&str], years: Option<(i32, i32)>) -> (Identity, String) {
        let key = rcgen::KeyPair::generate().expect("key");
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = rcgen::CertificateParams::new(names).expect("params");
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        if let Some((from, to)) = years {
            params.not_before = rcgen::date_time_ymd(from, 1, 1);
            params.not_after = rcgen::date_time_ymd(to, 1, 1);
        }
        let cert = params.self_signed(&key).expect("self-signed CA cert");
        let identity = Identity {
            chain: vec![cert.der().clone()],
            key: PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        };
        (identity, cert.pem())
    }

    /// The certificate made by `openssl req -x509 -newkey rsa:2048 ... -addext subjectAltName=`
    /// in `tests/fixtures/openssl-self-signed` (for localhost and 127.0.0.1), with its PEM.
    pub fn openssl_self_signed() -> (Identity, String) {
        use rustls::pki_types::pem::PemObject;
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/openssl-self-signed");
        let pem = std::fs::read_to_string(dir.join("cert.pem")).expect("fixture cert.pem");
        let cert = CertificateDer::from_pem_slice(pem.as_bytes()).expect("a PEM certificate");
        let key = PrivateKeyDer::from_pem_file(dir.join("key.pem")).expect("a PEM key");
        (
            Identity {
                chain: vec![cert],
                key,
            },
            pem,
        )
    }

    /// A self-signed leaf for `127.0.0.1` and `localhost`.
    pub fn self_signed() -> Identity {
        let certified = rcgen::generate_simple_self_signed(vec![
            "127.0.0.1".to_string(),
            "localhost".to_string(),
        ])
        .expect("self-signed cert");
        Identity {
            chain: vec![certified.cert.der().clone()],
            key: PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der()).into(),
        }
    }
}

/// A temp dir with a configuration file path, and the binary set up to use it.
pub struct Sandbox {
    /// The temp dir (removed on drop).
    pub dir: tempfile::TempDir,
    /// `DIR/config.toml` (not created until written).
    pub config: PathBuf,
}

impl Sandbox {
    /// A fresh sandbox with no configuration file.
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = dir.path().join("config.toml");
        Sandbox { dir, config }
    }

    /// A sandbox whose configuration file holds `text`.
    pub fn with_config(text: impl AsRef<[u8]>) -> Sandbox {
        let sandbox = Sandbox::new();
        sandbox.write_config(text);
        sandbox
    }

    /// Writes the configuration file directly (test setup only).
    pub fn write_config(&self, text: impl AsRef<[u8]>) {
        std::fs::write(&self.config, text).expect("write config");
    }

    /// The configuration file's bytes (empty when missing).
    pub fn bytes(&self) -> Vec<u8> {
        std::fs::read(&self.config).unwrap_or_default()
    }

    /// The configuration file as text.
    pub fn text(&self) -> String {
        String::from_utf8(self.bytes()).expect("config is UTF-8")
    }

    /// The configuration file parsed by an independent TOML parser.
    pub fn toml(&self) -> toml::Table {
        self.text().parse().expect("the CLI wrote valid TOML")
    }

    /// Writes a file in the sandbox and returns its path.
    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("write file");
        path
    }

    /// A path inside the sandbox.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The real binary, with `CLEVERAGENTS_CONFIG` set to this sandbox's file, run from the
    /// sandbox, with a clean environment for everything the CLI reads.
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::from_std(self.std_cmd());
        cmd.timeout(Duration::from_secs(60));
        cmd
    }

    /// [`Sandbox::cmd`] as a `std::process::Command`, to set up stdio freely.
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = bare_std_cmd();
        // Temp files (the copy `config edit` keeps) stay in the sandbox, not in /tmp.
        cmd.env("CLEVERAGENTS_CONFIG", &self.config)
            .env("HOME", self.dir.path())
            .env("TMPDIR", self.dir.path())
            .current_dir(self.dir.path());
        cmd
    }
}

/// The binary with every variable the CLI reads removed (overrides, config location,
/// proxies, editors), and no stdin.
pub fn bare_cmd() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::from_std(bare_std_cmd());
    cmd.timeout(Duration::from_secs(60));
    cmd
}

/// [`bare_cmd`] as a `std::process::Command`, with stdin from `/dev/null`.
pub fn bare_std_cmd() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("cleveragents"));
    cmd.stdin(std::process::Stdio::null());
    for var in cleveragents_config::schema::KEYS
        .iter()
        .filter_map(|spec| spec.env)
    {
        cmd.env_remove(var);
    }
    for var in [
        "CLEVERAGENTS_CONFIG",
        "NO_COLOR",
        "CLICOLOR_FORCE",
        "XDG_CONFIG_HOME",
        "VISUAL",
        "EDITOR",
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
        "no_proxy",
        "NO_PROXY",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// Writes an executable `sh` script (for `EDITOR`) and returns its path.
pub fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write script");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .expect("chmod script");
    }
    path
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Outcome {
    /// The exit code (`-1` if killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Outcome {
    /// Standard output parsed as JSON (panics with the output when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// Runs a command to completion and collects its exit code and output.
pub fn run(cmd: &mut assert_cmd::Command) -> Outcome {
    outcome(cmd.output().expect("run the binary"))
}

/// [`run`] for a `std::process::Command` (no hang guard: give it bounded work).
pub fn run_std(cmd: &mut std::process::Command) -> Outcome {
    outcome(cmd.output().expect("run the binary"))
}

fn outcome(output: std::process::Output) -> Outcome {
    Outcome {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Every leaf of a TOML table (tables walked into, everything else a leaf), by dotted key.
pub fn leaves(table: &toml::Table) -> std::collections::BTreeMap<String, toml::Value> {
    fn walk(
        table: &toml::Table,
        prefix: &str,
        out: &mut std::collections::BTreeMap<String, toml::Value>,
    ) {
        for (key, value) in table {
            let full = match prefix.is_empty() {
                true => key.clone(),
                false => format!("{prefix}.{key}"),
            };
            match value {
                toml::Value::Table(t) => walk(t, &full, out),
                other => {
                    out.insert(full, other.clone());
                }
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(table, "", &mut out);
    out
}
