//! HTTPS servers with test certificates: verification refused, accepted with `--ca-cert`,
//! skipped with `--no-tls-verify`.

use crate::support::{run, Pki, Sandbox, Server};

const EXISTING: &str = "# keep me\n[server]\nurl = \"http://before.example\"\n";

#[test]
fn a_self_signed_certificate_is_refused_with_the_reason_and_a_hint() {
    let server = Server::https(&Pki::self_signed(), 200);
    let sandbox = Sandbox::with_config(EXISTING);
    let out = run(sandbox.cmd().args(["server", "connect", &server.url()]));
    assert_eq!(out.code, 1, "{out:?}");
    let error = out.stderr.lines().next().unwrap();
    assert!(
        error.starts_with("error: cannot reach https://127.0.0.1:"),
        "{error}"
    );
    assert!(error.contains("TLS error"), "{error}");
    assert!(
        error.contains("self-signed") && error.contains("unknown issuer"),
        "{error}"
    );
    let hint = out.stderr.lines().nth(1).unwrap();
    assert!(
        hint.contains("--ca-cert") && hint.contains("--no-tls-verify"),
        "{hint}"
    );
    assert_eq!(out.stderr.lines().count(), 2, "{out:?}");
    assert_eq!(sandbox.text(), EXISTING);
}

#[test]
fn a_private_ca_is_trusted_with_ca_cert_and_saved_as_an_absolute_path() {
    let pki = Pki::new();
    let server = Server::https(&pki.leaf, 200);
    let sandbox = Sandbox::with_config(EXISTING);

    // Without the CA: refused.
    let out = run(sandbox.cmd().args(["server", "connect", &server.url()]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("unknown issuer"), "{out:?}");
    assert_eq!(sandbox.text(), EXISTING);

    // With it (given relative to the working directory): accepted.
    sandbox.file("ca.pem", &pki.ca_pem);
    let out = run(sandbox.cmd().args([
        "server",
        "connect",
        &server.url(),
        "--ca-cert",
        "ca.pem",
        "--json",
        "--force",
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    let json = out.json();
    assert_eq!(json["probe"]["tls"], "verified");
    assert_eq!(json["probe"]["tls-verified"], true);
    let stored = sandbox.toml()["server"]["ca-cert"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(std::path::Path::new(&stored).is_absolute(), "{stored}");
    assert_eq!(std::fs::read_to_string(&stored).unwrap(), pki.ca_pem);
    assert_eq!(json["ca-cert"], stored);
    assert!(sandbox.text().starts_with("# keep me\n[server]\n"));

    // By name too.
    let out = run(sandbox.cmd().args([
        "server",
        "connect",
        &server.localhost_url(),
        "--ca-cert",
        &stored,
        "--force",
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("TLS verified"), "{out:?}");

    // And `server status` uses the saved CA.
    let out = run(sandbox.cmd().args(["server", "status", "--json"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["probe"]["tls-verified"], true);
    assert_eq!(out.json()["ca-cert"], stored);
}

#[test]
fn no_tls_verify_accepts_any_certificate_with_a_warning() {
    let server = Server::https(&Pki::self_signed(), 200);
    let sandbox = Sandbox::new();
    let out = run(sandbox
        .cmd()
        .args(["server", "connect", &server.url(), "--no-tls-verify"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.starts_with("warning: TLS verification is off"),
        "{out:?}"
    );
    assert!(out.stdout.contains("TLS not verified"), "{out:?}");
    assert_eq!(
        sandbox.toml()["server"]["tls-verify"].as_bool(),
        Some(false)
    );

    let out = run(sandbox.cmd().args(["server", "status", "--json"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["probe"]["tls"], "unverified");
    assert_eq!(out.json()["probe"]["tls-verified"], false);

    // Both at once contradict each other: a usage error, nothing checked or written.
    let before = sandbox.bytes();
    let out = run(sandbox.cmd().args([
        "server",
        "connect",
        &server.url(),
        "--no-tls-verify",
        "--tls-verify",
    ]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("cannot be used with"), "{out:?}");
    assert_eq!(sandbox.bytes(), before);
}

#[test]
fn a_certificate_for_another_name_says_so() {
    let pki = Pki::issue(&["other.example"], false);
    let server = Server::https(&pki.leaf, 200);
    let sandbox = Sandbox::new();
    let ca = sandbox.file("ca.pem", &pki.ca_pem);
    let out = run(sandbox.cmd().args([
        "server",
        "connect",
        &server.url(),
        "--ca-cert",
        ca.to_str().unwrap(),
    ]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("not valid for 127.0.0.1"), "{out:?}");
    assert!(out.stderr.contains("other.example"), "{out:?}");
    assert!(!sandbox.config.exists());
}

#[test]
fn an_expired_certificate_says_so() {
    let pki = Pki::issue(&["127.0.0.1"], true);
    let server = Server::https(&pki.leaf, 200);
    let sandbox = Sandbox::new();
    let ca = sandbox.file("ca.pem", &pki.ca_pem);
    let out = run(sandbox.cmd().args([
        "server",
        "connect",
        &server.url(),
        "--ca-cert",
        ca.to_str().unwrap(),
    ]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("expired"), "{out:?}");
    assert!(!sandbox.config.exists());
}

#[test]
fn https_to_a_plain_http_server_says_it_does_not_speak_tls() {
    let server = Server::http(200);
    let sandbox = Sandbox::new();
    let url = server.url().replace("http://", "https://");
    let out = run(sandbox
        .cmd()
        .args(["server", "connect", &url, "--timeout", "5s"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("does not speak TLS"), "{out:?}");
    assert!(out.stderr.contains("http:// URL"), "{out:?}");
}

#[test]
fn ca_cert_with_plain_http_is_saved_with_a_note() {
    let pki = Pki::new();
    let server = Server::http(200);
    let sandbox = Sandbox::new();
    let ca = sandbox.file("ca.pem", &pki.ca_pem);
    let out = run(sandbox.cmd().args([
        "server",
        "connect",
        &server.url(),
        "--ca-cert",
        ca.to_str().unwrap(),
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr
            .contains("note: --ca-cert is only used with https://"),
        "{out:?}"
    );
    assert_eq!(sandbox.toml()["server"]["ca-cert"].as_str(), ca.to_str());
}

/// `openssl req -x509 -newkey rsa:2048 ... -addext subjectAltName=...` makes a certificate that
/// is its own CA (`CA:TRUE`); given as `--ca-cert`, the server presenting it is trusted.
#[test]
fn a_self_signed_certificate_made_by_openssl_is_trusted_as_its_own_ca_cert() {
    let (identity, pem) = Pki::openssl_self_signed();
    let server = Server::https(&identity, 200);
    let sandbox = Sandbox::new();
    let ca = sandbox.file("server.pem", &pem);

    // Without it: refused, saying what the certificate is and what to pass.
    let out = run(sandbox.cmd().args(["server", "connect", &server.url()]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("the certificate is self-signed (a CA certificate presented"),
        "{out:?}"
    );
    assert!(
        out.stderr
            .contains("trust that very certificate: --ca-cert PEM"),
        "{out:?}"
    );

    let out = run(sandbox.cmd().args([
        "server",
        "connect",
        &server.url(),
        "--ca-cert",
        ca.to_str().unwrap(),
        "--namespace",
        "lab",
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.is_empty(),
        "no warning for a verified pin: {out:?}"
    );
    let stored = &sandbox.toml()["server"];
    assert_eq!(stored["tls-verify"].as_bool(), Some(true));
    assert_eq!(stored["namespace"].as_str(), Some("lab"));
    // `localhost` is the certificate's other name: the name check passes for it too.
    let by_name = server.url().replace("127.0.0.1", "localhost");
    let out = run(sandbox.cmd().args([
        "server",
        "connect",
        &by_name,
        "--ca-cert",
        ca.to_str().unwrap(),
        "--force",
    ]));
    assert_eq!(out.code, 0, "{out:?}");

    // `server status` probes with the stored CA file and reports the connection healthy.
    let out = run(sandbox.cmd().args(["server", "status", "--json"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["probe"]["tls"], "verified", "{out:?}");
}

/// `server connect URL --ca-cert PEM --force` with `pem` written to the sandbox.
fn connect_with_ca(sandbox: &Sandbox, url: &str, pem: &str) -> crate::support::Outcome {
    let ca = sandbox.file("pinned.pem", pem);
    let ca = ca.to_str().unwrap();
    run(sandbox
        .cmd()
        .args(["server", "connect", url, "--ca-cert", ca, "--force"]))
}

/// A pin vouches for the certificate, not for the host or the date: its names and validity
/// dates are still checked, and only the very certificate is pinned.
#[test]
fn a_pinned_certificate_is_still_checked_for_its_name_dates_and_identity() {
    let sandbox = Sandbox::with_config(EXISTING);
    let wrong_name: &[&str] = &["wrong.example.com"];
    let ip: &[&str] = &["127.0.0.1"];
    // (the certificate's names, its validity years, whether the CA file holds another
    // certificate for the same names, the reason printed)
    let cases = [
        (
            wrong_name,
            None,
            false,
            "is not valid for 127.0.0.1 (it names wrong.example.com)",
        ),
        (ip, Some((2000, 2001)), false, "the certificate has expired"),
        (
            ip,
            Some((2200, 2201)),
            false,
            "the certificate is not valid yet",
        ),
        (ip, None, true, "TLS error"),
    ];
    for (names, years, another, reason) in cases {
        let (identity, pem) = Pki::own_ca(names, years);
        let server = Server::https(&identity, 200);
        let given = if another {
            Pki::own_ca(names, years).1
        } else {
            pem
        };
        let out = connect_with_ca(&sandbox, &server.url(), &given);
        assert_eq!(out.code, 1, "{names:?} {years:?}: {out:?}");
        assert!(out.stderr.contains(reason), "{reason}: {out:?}");
        assert_eq!(sandbox.text(), EXISTING);
    }
}

/// TLS 1.2 servers sign the handshake differently (the verifier's TLS 1.2 path): a pinned
/// certificate is trusted there too, and an unpinned one is still refused.
#[test]
fn a_pinned_certificate_is_trusted_over_tls_1_2() {
    let (identity, pem) = Pki::openssl_self_signed();
    let server = Server::https_tls12(&identity, 200);
    let sandbox = Sandbox::new();
    let out = connect_with_ca(&sandbox, &server.url(), &pem);
    assert_eq!(out.code, 0, "{out:?}");
    let other = Pki::own_ca(&["127.0.0.1"], None).1;
    let out = connect_with_ca(&sandbox, &server.url(), &other);
    assert_eq!(out.code, 1, "{out:?}");
}

/// A CA file whose only certificate is not one (PEM armour around other bytes), on a machine
/// without trust roots of its own: nothing to verify with, said before any connection.
#[test]
fn a_ca_file_without_a_usable_certificate_is_refused() {
    let server = Server::https(&Pki::openssl_self_signed().0, 200);
    let sandbox = Sandbox::with_config(EXISTING);
    let junk = "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n";
    let out = run(sandbox
        .cmd()
        .env("SSL_CERT_FILE", "/dev/null")
        .env("SSL_CERT_DIR", sandbox.path("no-certs"))
        .args(["server", "connect", &server.url(), "--ca-cert"])
        .arg(sandbox.file("junk.pem", junk))
        .arg("--force"));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("junk.pem: no certificate in it can be used (no root trust anchors"),
        "{out:?}"
    );
    assert!(server.requests().is_empty(), "nothing was sent: {out:?}");
    assert_eq!(sandbox.text(), EXISTING);
}

#[test]
fn an_http_url_on_a_tls_port_names_the_port_and_the_https_url() {
    let server = Server::https(&Pki::self_signed(), 200);
    let addr = server.url().replacen("https://", "", 1);
    let http = format!("http://{addr}");
    let https = format!("https://{addr}");

    let sandbox = Sandbox::with_config(EXISTING);
    let out = run(sandbox.cmd().args(["server", "connect", &http]));
    assert_eq!(out.code, 1, "{out:?}");
    let mut lines = out.stderr.lines();
    assert_eq!(
        lines.next(),
        Some(
            format!(
                "error: cannot reach {http}: {addr} speaks TLS, not plain HTTP: \
                 the URL must start with https://"
            )
            .as_str()
        ),
        "{out:?}"
    );
    assert_eq!(
        lines.next(),
        Some(format!("hint: use the https:// URL: {https}").as_str()),
        "{out:?}"
    );
    assert_eq!(sandbox.text(), EXISTING);

    let sandbox = Sandbox::with_config(format!("[server]\nurl = \"{http}\"\n"));
    let before = sandbox.bytes();
    let out = run(sandbox.cmd().args(["server", "status"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains(&format!("{addr} speaks TLS, not plain HTTP")),
        "{out:?}"
    );
    assert!(
        out.stderr.contains(&format!(
            "hint: use the https:// URL: cleveragents config set server.url {https}"
        )),
        "{out:?}"
    );
    assert_eq!(sandbox.bytes(), before);
}
