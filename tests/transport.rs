//! Staging over TLS, with HTTP/1.1 and with HTTP/2 (negotiated by ALPN, as with the real
//! server), against a test server whose certificate comes from a throwaway CA.
//!
//! The client trusts the platform's roots only (rustls-platform-verifier). On Linux and
//! the BSDs those are read through rustls-native-certs, which honours `SSL_CERT_FILE`:
//! that is how these tests point it at the test CA, without a change to the client. On
//! macOS and Windows the platform verifier asks the OS and ignores that variable, so
//! there these tests need an extra-root option on the client (`ClientOptions`), and are
//! not built.
#![cfg(all(unix, not(target_vendor = "apple")))]

mod support;

use std::collections::HashSet;
use std::time::Duration;

use asteroid_stager::api::ClientOptions;
use asteroid_stager::history::HistoryStore;
use asteroid_stager::local_file::LocalFile;
use asteroid_stager::upload_queue::{QueueEvent, QueueOptions};
use support::ledger::{self, LocalOutcome};
use support::{Fault, ORG, ServerOptions, StagingServer, Transport, write_seeded_file};

/// One test, so that `SSL_CERT_FILE` is set before anything else in this process runs.
#[test]
fn staging_over_tls_with_http1_and_http2() {
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("test-ca.pem");
    std::fs::write(&ca_file, support::tls::ca_pem()).unwrap();
    // SAFETY: this is the only test in this binary and it sets the variable first, before
    // any other thread of ours exists (the runtime is built below), so nothing reads the
    // environment while it changes.
    unsafe { std::env::set_var("SSL_CERT_FILE", &ca_file) };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        for (http2, version) in [(false, "HTTP/1.1"), (true, "HTTP/2.0")] {
            in_process(http2, version, dir.path()).await;
            with_the_binary(http2, version, dir.path(), &ca_file).await;
        }
        refused_without_the_ca(dir.path()).await;
    });
}

/// The queue, in this process: small files sharing a request, a large one alone, a 503
/// and a connection dropped mid-body on the way. Every file staged, its bytes on the
/// server, its ID issued, over the expected protocol.
async fn in_process(http2: bool, version: &str, dir: &std::path::Path) {
    let server = StagingServer::start_with(ServerOptions {
        transport: Transport::Tls { http2 },
        ..ServerOptions::default()
    })
    .await;
    assert!(server.base_url.starts_with("https://"));
    server.push_faults([Fault::Status(503, "busy"), Fault::DropAfter(1_000)]);
    let work = dir.join(format!("in-process-{http2}"));
    std::fs::create_dir_all(&work).unwrap();
    let sizes = [2_000, 3_000, 5_000, 3 * 1024 * 1024];
    let mut files = Vec::new();
    let mut hashes = Vec::new();
    for (i, size) in sizes.iter().enumerate() {
        let path = work.join(format!("file {i}.bin"));
        hashes.push(write_seeded_file(&path, *size, i as u64 + 1));
        files.push(LocalFile::inspect(&path).unwrap());
    }
    let history_path = work.join("history.sqlite3");
    let (history, _) = HistoryStore::open(&history_path);
    let options = QueueOptions {
        concurrency: 1,
        backoff: Duration::from_millis(20),
        ..QueueOptions::default()
    };
    let (_queue, mut events, ids) = support::start_queue(
        &server,
        files.clone(),
        ClientOptions::default(),
        options,
        Some(history),
    )
    .await;
    let mut staged = std::collections::HashMap::new();
    let mut open: HashSet<_> = ids.iter().copied().collect();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !open.is_empty() {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("staged within 60 s")
            .expect("the queue is alive");
        match &event {
            QueueEvent::Staged { id, entry, .. } => {
                staged.insert(*id, entry.id.clone());
            }
            QueueEvent::Failed { error, .. } => panic!("{version}: {error}"),
            _ => {}
        }
        if let Some(id) = event.id().filter(|_| event.is_final()) {
            open.remove(&id);
        }
    }
    server.wait_idle(Duration::from_secs(30)).await;
    let requests = server.requests();
    assert!(
        requests.len() >= 3,
        "the faults were met: {}",
        requests.len()
    );
    assert!(
        server
            .events()
            .iter()
            .any(|e| matches!(e, support::ServerEvent::Dropped { .. })),
        "a connection was dropped mid-body"
    );
    for r in &requests {
        assert_eq!(r.version, version, "spoken over {}", r.version);
    }
    let outcomes: Vec<LocalOutcome> = ids
        .iter()
        .zip(&files)
        .zip(&hashes)
        .map(|((id, f), h)| LocalOutcome {
            name: f.name.clone(),
            sha256: h.clone(),
            staged_id: staged.get(id).cloned(),
        })
        .collect();
    let (reopened, _) = HistoryStore::open(&history_path);
    let history: Vec<String> = reopened
        .entries()
        .expect("the history reads")
        .into_iter()
        .map(|e| e.id)
        .collect();
    let report = ledger::check(&server.ledger(), &outcomes, &history);
    assert!(report.nothing_lost(), "{version}: {report:?}");
    assert_eq!(report.in_history, sizes.len(), "{version}: {report:?}");
    assert_eq!(report.foreign, 0);
}

fn binary(
    server: &StagingServer,
    home: &std::path::Path,
    files: &[std::path::PathBuf],
) -> tokio::process::Command {
    let mut cmd = support::cli::command_for(home, server);
    cmd.arg("stage").args(files).env("ASTEROID_ORG_ID", ORG);
    cmd
}

/// The command line, trusting the test CA through `SSL_CERT_FILE`.
async fn with_the_binary(
    http2: bool,
    version: &str,
    dir: &std::path::Path,
    ca_file: &std::path::Path,
) {
    let server = StagingServer::start_with(ServerOptions {
        transport: Transport::Tls { http2 },
        ..ServerOptions::default()
    })
    .await;
    let home = dir.join(format!("binary-{http2}"));
    std::fs::create_dir_all(&home).unwrap();
    let a = home.join("a.pdf");
    let b = home.join("b.csv");
    let ha = write_seeded_file(&a, 4_000, 1);
    let hb = write_seeded_file(&b, 2 * 1024 * 1024, 2);
    let mut cmd = binary(&server, &home, &[a, b]);
    cmd.env("SSL_CERT_FILE", ca_file);
    let out = support::cli::output(cmd).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{version}: {stderr}");
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = printed["tempFiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    let ledger = server.ledger();
    let stored: Vec<(&str, &str)> = ledger
        .iter()
        .map(|e| (e.id.as_str(), e.sha256.as_str()))
        .collect();
    assert_eq!(
        stored,
        [(ids[0], ha.as_str()), (ids[1], hb.as_str())],
        "{version}"
    );
    assert!(server.requests().iter().all(|r| r.version == version));
}

/// Without the test CA the client refuses the server: the trust above is real.
async fn refused_without_the_ca(dir: &std::path::Path) {
    let server = StagingServer::start_with(ServerOptions {
        transport: Transport::Tls { http2: true },
        ..ServerOptions::default()
    })
    .await;
    let home = dir.join("refused");
    std::fs::create_dir_all(&home).unwrap();
    let a = home.join("a.pdf");
    write_seeded_file(&a, 4_000, 1);
    let other_ca = home.join("other-ca.pem");
    std::fs::write(&other_ca, support::tls::unrelated_ca_pem()).unwrap();
    let mut cmd = binary(&server, &home, &[a]);
    cmd.env("SSL_CERT_FILE", &other_ca);
    let out = support::cli::output(cmd).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.to_lowercase().contains("certificate"), "{stderr}");
    assert!(server.requests().is_empty() && server.ledger().is_empty());
}
