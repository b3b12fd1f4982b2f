//! Waiting for the network: a server that cannot be reached at all does not use up tries;
//! the files wait and go on their own when it is back (the command line for up to
//! `--wait`, the window until cancelled, with a "Retry now" button).

use crate::support;
use crate::window_support;

use std::sync::Arc;
use std::time::Duration;

use egui_kittest::kittest::Queryable;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};

use support::cli::{CliHome, printed_temp_files};
use support::{ServerOptions, StagingServer, sha256_hex};
use window_support::{Dropped, ORG_ID, World, wait_for, wait_for_text};

fn base_url(port: u16) -> String {
    format!("http://127.0.0.1:{port}/agents/v2")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_starts_late_gets_every_file_once() {
    let home = CliHome::new();
    let folder = home.folder("Scans");
    let mut hashes = Vec::new();
    for i in 0..6 {
        let bytes = format!("scan number {i}").into_bytes();
        std::fs::write(folder.join(format!("scan-{i}.txt")), &bytes).unwrap();
        hashes.push(sha256_hex(&bytes));
    }
    let port = StagingServer::free_port();
    let mut child = home
        .command_on(&base_url(port), &["stage", folder.to_str().unwrap()])
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    // Nothing listens yet: the command says it waits for the network.
    let mut said = Vec::new();
    let waiting = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = stderr.next_line().await.unwrap() {
            said.push(line.clone());
            if line.contains("Waiting for the network") {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(waiting, Ok(true), "{said:#?}");
    let server = StagingServer::start_on_port(port, ServerOptions::default()).await;
    let rest = tokio::spawn(async move {
        let mut text = Vec::new();
        while let Some(line) = stderr.next_line().await.unwrap() {
            text.push(line);
        }
        text
    });
    let mut printed = Vec::new();
    stdout.read_to_end(&mut printed).await.unwrap();
    let status = tokio::time::timeout(Duration::from_secs(60), child.wait())
        .await
        .expect("the command ended")
        .unwrap();
    said.extend(rest.await.unwrap());
    assert_eq!(status.code(), Some(0), "{said:#?}");
    assert!(
        said.iter().any(|l| l.contains("can be reached again")),
        "{said:#?}"
    );
    // Each file stored once, and each printed ID issued for that file's bytes.
    let ledger = server.ledger();
    let mut stored: Vec<String> = ledger.iter().map(|e| e.sha256.clone()).collect();
    stored.sort();
    hashes.sort();
    assert_eq!(stored, hashes);
    let printed = printed_temp_files(&printed);
    assert_eq!(printed.len(), 6);
    for (id, name) in printed {
        let entry = ledger.iter().find(|e| e.id == id).expect("an issued ID");
        let bytes = std::fs::read(folder.join(&name)).unwrap();
        assert_eq!(entry.sha256, sha256_hex(&bytes), "{name}");
    }
    assert_eq!(home.history().len(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_wait_0_an_unreachable_server_fails_as_before() {
    let home = CliHome::new();
    let file = home.path().join("a.txt");
    std::fs::write(&file, "a").unwrap();
    let port = StagingServer::free_port();
    let out = home
        .run_on(
            &base_url(port),
            &["stage", "--wait", "0", file.to_str().unwrap()],
        )
        .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Nothing answered at"), "{stderr}");
    assert!(!stderr.contains("Waiting for the network"), "{stderr}");
    assert_eq!(stderr.matches("Retrying a.txt").count(), 3, "{stderr}");
    assert!(home.history().is_empty());
}

#[test]
fn the_window_waits_for_the_network_and_retry_now_sends_at_once() {
    let world = World::with_good_key();
    let port = StagingServer::free_port();
    let mut env = world.environment(Vec::new());
    env.overrides.base_url = Some(base_url(port));
    env.overrides.organization = Some(ORG_ID.to_owned());
    // Only "Retry now" can bring the file through within the test's patience.
    env.queue_options.network_backoff = Duration::from_secs(600);
    env.queue_options.network_max_backoff = Duration::from_secs(600);
    let mut harness = egui_kittest::Harness::builder()
        .with_size([1000.0, 760.0])
        .build_eframe(move |cc| asteroid_stager::ui::StagerApp::new(&cc.egui_ctx, env));
    let a = world.file("report.pdf", b"the report");
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(a.clone())));
    wait_for_text(&mut harness, "Waiting for the network… retrying in");
    wait_for(&mut harness, "Retry now");
    assert!(
        harness
            .query_all_by_label_contains("it goes on its own when the server can be reached")
            .next()
            .is_some()
    );
    let server = world
        .runtime
        .block_on(StagingServer::start_on_port(port, ServerOptions::default()));
    harness.get_by_label("Retry now").click();
    wait_for(&mut harness, "Copy the ID of report.pdf");
    assert!(harness.query_all_by_label("Retry now").next().is_none());
    let ledger = server.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].sha256, sha256_hex(b"the report"));
}

#[test]
fn cancelling_what_waits_for_the_network_ends_the_wait() {
    let world = World::with_good_key();
    let mut env = world.environment(Vec::new());
    env.overrides.base_url = Some(base_url(StagingServer::free_port()));
    env.overrides.organization = Some(ORG_ID.to_owned());
    let mut harness = egui_kittest::Harness::builder()
        .with_size([1000.0, 760.0])
        .build_eframe(move |cc| asteroid_stager::ui::StagerApp::new(&cc.egui_ctx, env));
    let a = world.file("notes.txt", b"notes");
    harness.input_mut().dropped_files.push(Arc::new(Dropped(a)));
    wait_for(&mut harness, "Retry now");
    harness.get_by_label("Cancel all").click();
    wait_for_text(&mut harness, "Cancelled.");
    window_support::wait_until(&mut harness, "the wait to end", |h| {
        h.query_all_by_label("Retry now").next().is_none()
    });
}
