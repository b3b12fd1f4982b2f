//! How often and how long a file is tried again, counted where it counts: at the server.
//! Through the queue's public API and the real binary only, so the checks hold whatever
//! decides the retries inside.

use crate::support;

use std::time::Duration;

use asteroid_stager::api::ClientOptions;
use asteroid_stager::local_file::LocalFile;
use asteroid_stager::upload_queue::{QueueEvent, QueueOptions};
use support::queue_events::{retry_delays, until_done};
use support::{Fault, ORG, StagingServer, write_seeded_file};

fn one_file(dir: &std::path::Path, name: &str) -> Vec<LocalFile> {
    let path = dir.join(name);
    write_seeded_file(&path, 1000, 1);
    vec![LocalFile::inspect(&path).expect("a readable file")]
}

/// A server that fails every try: the file is sent four times in all (the first try and
/// three retries, the default), then ends failed with the server's reason. The server's
/// own count of requests is the proof, not the queue's word.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_the_server_always_fails_is_sent_four_times_then_failed() {
    let server = StagingServer::start().await;
    // More faults than tries: a fifth try would meet one too, and be counted.
    server.push_faults(vec![Fault::Status(500, "Internal server error."); 8]);
    let dir = tempfile::tempdir().expect("temp dir");
    let options = QueueOptions {
        backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(4),
        ..QueueOptions::default()
    };
    let (_queue, mut events, ids) = support::start_queue(
        &server,
        one_file(dir.path(), "a.bin"),
        ClientOptions::default(),
        options,
        None,
    )
    .await;
    let events = until_done(&mut events, &ids).await;
    assert_eq!(
        server.requests().len(),
        4,
        "tries the server saw: {:?}",
        retry_delays(&events)
    );
    let attempts: Vec<u32> = retry_delays(&events).iter().map(|(a, _)| *a).collect();
    assert_eq!(attempts, [1, 2, 3], "each retry said which try failed");
    match events.last() {
        Some(QueueEvent::Failed { error, .. }) => {
            assert!(error.to_string().contains("HTTP 500"), "{error}");
        }
        other => panic!("the file should end failed, not {other:?}"),
    }
    assert!(server.ledger().is_empty(), "nothing was stored");
}

/// The two one-minute defaults the README promises: an upload is given up when no byte
/// moved for 60 s, and a server's `Retry-After` is followed for at most 60 s.
#[test]
fn a_stall_and_a_retry_after_are_each_waited_out_at_most_a_minute() {
    assert_eq!(
        ClientOptions::default().stall_timeout,
        Duration::from_secs(60)
    );
    assert_eq!(QueueOptions::default().max_backoff, Duration::from_secs(60));
    // And four tries in all, the first after waits of 1 s, 2 s, 4 s.
    let defaults = QueueOptions::default();
    assert_eq!(
        (defaults.max_attempts, defaults.backoff),
        (4, Duration::from_secs(1))
    );
}

/// A server asking for an hour (`Retry-After: 3600`) with the app's own options: the wait
/// the queue announces is one minute. The file is cancelled during that wait, so the test
/// does not wait it out; nothing more reaches the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_asking_for_an_hour_is_tried_again_after_a_minute_by_default() {
    let server = StagingServer::start().await;
    server.push_faults([Fault::TooManyRequests(3600)]);
    let dir = tempfile::tempdir().expect("temp dir");
    let (queue, mut events, ids) = support::start_queue(
        &server,
        one_file(dir.path(), "a.bin"),
        ClientOptions::default(),
        QueueOptions::default(),
        None,
    )
    .await;
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !seen
        .iter()
        .any(|e| matches!(e, QueueEvent::Retrying { .. }))
    {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("the 429 was answered with a retry")
            .expect("the queue is alive");
        assert!(!event.is_final(), "ended before retrying: {event:?}");
        seen.push(event);
    }
    assert_eq!(retry_delays(&seen), [(1, Duration::from_secs(60))]);
    queue.cancel(ids[0]);
    let rest = until_done(&mut events, &ids).await;
    assert!(
        matches!(rest.last(), Some(QueueEvent::Cancelled { .. })),
        "{rest:?}"
    );
    assert_eq!(server.requests().len(), 1);
    assert!(server.ledger().is_empty());
}

/// The same through the command line, for a 503: it says it will try again in 60 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_waits_a_minute_when_a_server_asks_for_an_hour() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let server = StagingServer::start().await;
    server.push_faults([Fault::Unavailable(3600)]);
    let home = tempfile::tempdir().expect("temp dir");
    let file = home.path().join("a.txt");
    write_seeded_file(&file, 100, 1);
    let mut cmd = support::cli::command_for(home.path(), &server);
    cmd.args(["stage", "--org", ORG])
        .arg(&file)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("the binary started");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let mut told = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let retry = loop {
        let line = tokio::time::timeout_at(deadline, stderr.next_line())
            .await
            .expect("a retry was announced in time")
            .expect("stderr readable")
            .unwrap_or_else(|| panic!("ended without a retry: {told:#?}"));
        if line.starts_with("Retrying") {
            break line;
        }
        told.push(line);
    };
    assert!(
        retry.starts_with("Retrying a.txt in 60 s (try 1 failed)"),
        "{retry}"
    );
    child.start_kill().expect("stopped");
    let _ = child.wait().await;
    assert_eq!(server.requests().len(), 1);
    assert!(server.ledger().is_empty());
}
