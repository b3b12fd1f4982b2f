//! Networks that refuse: an untrusted certificate, a certificate for another name, a proxy
//! that wants a password, and nothing listening at all. Each failure has its own plain
//! sentence on stderr; refusals that waiting cannot heal are tried once; and no library
//! log line (with its colour codes) reaches the operator's terminal.

use crate::support;

use std::time::Duration;

use asteroid_stager::api::{ApiClient, ClientOptions};
use asteroid_stager::endpoint::BaseUrl;
use asteroid_stager::key_store::ApiKey;
use support::cli::{CliHome, arg, text};
use support::proxy::ConnectProxy;
use support::{KEY, ORG, ServerOptions, StagingServer, Transport};

/// A server name that does not exist here: only the test proxy knows where it goes.
const OFFICE_BASE: &str = "https://stager.test/agents/v2";

/// Stderr is plain text: no escape sequence, no library's words.
fn assert_plain(stderr: &str) {
    assert!(
        !stderr.contains('\u{1b}'),
        "colour codes on stderr: {stderr:?}"
    );
    for jargon in [
        "rustls",
        "hyper",
        "UnknownIssuer",
        "NotValidForName",
        "tunnel error",
        "client error",
    ] {
        assert!(!stderr.contains(jargon), "{jargon:?} on stderr: {stderr}");
    }
}

async fn tls_server() -> StagingServer {
    StagingServer::start_with(ServerOptions {
        transport: Transport::Tls { http2: false },
        ..Default::default()
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_certificate_is_said_in_words_and_not_retried() {
    let server = tls_server().await;
    let home = CliHome::new();
    let file = home.file("a.txt", 1000);
    // This computer trusts another CA than the one that made the server's certificate.
    let trusted = home.path().join("company-ca.pem");
    std::fs::write(&trusted, support::tls::unrelated_ca_pem()).unwrap();
    let env = [
        ("ASTEROID_API_KEY", KEY),
        ("ASTEROID_BASE_URL", server.base_url.as_str()),
        ("SSL_CERT_FILE", trusted.to_str().unwrap()),
    ];
    let out = home.run(&["stage", "--org", ORG, arg(&file)], &env).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("is not trusted by this computer, so nothing was sent")
            && stderr.contains("SSL_CERT_FILE"),
        "{stderr}"
    );
    assert_plain(&stderr);
    assert_eq!(
        server.connections(),
        1,
        "tried once: waiting cannot heal it"
    );
    assert!(server.ledger().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_certificate_is_said_in_words_and_not_retried() {
    let server = StagingServer::start_with(ServerOptions {
        transport: Transport::TlsExpired,
        ..Default::default()
    })
    .await;
    let home = CliHome::new();
    let file = home.file("a.txt", 1000);
    let trusted = home.path().join("ca.pem");
    std::fs::write(&trusted, server.ca_pem.clone().unwrap()).unwrap();
    let env = [
        ("ASTEROID_API_KEY", KEY),
        ("ASTEROID_BASE_URL", server.base_url.as_str()),
        ("SSL_CERT_FILE", trusted.to_str().unwrap()),
    ];
    let out = home.run(&["stage", "--org", ORG, arg(&file)], &env).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("has expired or is not valid yet, so nothing was sent")
            && stderr.contains("date and time"),
        "{stderr}"
    );
    assert_plain(&stderr);
    assert_eq!(
        server.connections(),
        1,
        "tried once: waiting cannot heal it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_that_wants_a_password_is_said_in_words_and_not_retried() {
    let proxy = ConnectProxy::start(Some(("ops", "s3cret")), 9).await;
    let home = CliHome::new();
    let file = home.file("a.txt", 1000);
    let proxy_url = proxy.url();
    let env = [
        ("ASTEROID_API_KEY", KEY),
        ("ASTEROID_BASE_URL", OFFICE_BASE),
        ("HTTPS_PROXY", proxy_url.as_str()),
    ];
    let out = home.run(&["stage", "--org", ORG, arg(&file)], &env).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("The proxy server asks for a user name and password"),
        "{stderr}"
    );
    assert_plain(&stderr);
    assert_eq!(proxy.connects(), 1, "tried once: waiting cannot heal it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_for_another_name_is_said_in_words() {
    // The proxy lets us through (right password) to a server whose certificate is
    // trusted but made out for 127.0.0.1, not for the name asked for.
    let server = tls_server().await;
    let proxy = ConnectProxy::start(Some(("ops", "s3cret")), server.port).await;
    let home = CliHome::new();
    let file = home.file("a.txt", 1000);
    let trusted = home.path().join("ca.pem");
    std::fs::write(&trusted, server.ca_pem.clone().unwrap()).unwrap();
    let proxy_url = proxy.url_with("ops", "s3cret");
    let env = [
        ("ASTEROID_API_KEY", KEY),
        ("ASTEROID_BASE_URL", OFFICE_BASE),
        ("HTTPS_PROXY", proxy_url.as_str()),
        ("SSL_CERT_FILE", trusted.to_str().unwrap()),
    ];
    let out = home.run(&["stage", "--org", ORG, arg(&file)], &env).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("is made out for another name, so nothing was sent"),
        "{stderr}"
    );
    assert_plain(&stderr);
    assert_eq!(proxy.connects(), 1, "tried once");
    assert_eq!(server.connections(), 1, "reached through the proxy once");
}

fn client_for(base: &str) -> ApiClient {
    ApiClient::new(
        BaseUrl::parse(base).unwrap(),
        &ApiKey::new(KEY).unwrap(),
        ClientOptions {
            connect_timeout: Duration::from_secs(10),
            ..ClientOptions::default()
        },
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_listening_and_an_unknown_name_are_unreachable_with_their_own_sentence() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let refused = client_for(&format!("http://127.0.0.1:{port}/agents/v2"))
        .context()
        .await
        .unwrap_err();
    assert!(refused.is_unreachable(), "{refused:?}");
    assert!(refused.is_transient());
    assert_eq!(
        refused.unreachable_reason(),
        Some(format!("nothing answered at 127.0.0.1:{port}"))
    );
    assert!(
        refused
            .to_string()
            .starts_with(&format!("Nothing answered at 127.0.0.1:{port}")),
        "{refused}"
    );

    let unknown = client_for("https://no-such-host.invalid/agents/v2")
        .context()
        .await
        .unwrap_err();
    assert!(unknown.is_unreachable(), "{unknown:?}");
    assert!(
        unknown
            .to_string()
            .starts_with("The server name no-such-host.invalid could not be found"),
        "{unknown}"
    );
}
