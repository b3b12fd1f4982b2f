//! The staging core against a real HTTP server on 127.0.0.1: what arrives, and what the
//! queue does when the server or the file misbehaves.

use crate::support;

use std::time::Duration;

use asteroid_stager::api::{ApiClient, ApiError, ClientOptions};
use asteroid_stager::endpoint::BaseUrl;
use asteroid_stager::history::HistoryStore;
use asteroid_stager::key_store::ApiKey;
use asteroid_stager::local_file::LocalFile;
use asteroid_stager::upload_queue::{QueueEvent, QueueOptions, UploadError, UploadId, UploadQueue};
use support::{Fault, KEY, ORG, StagingServer, client, write_pattern_file};
use tokio::sync::mpsc::UnboundedReceiver;

fn fast_options() -> QueueOptions {
    QueueOptions {
        backoff: Duration::from_millis(20),
        ..QueueOptions::default()
    }
}

struct Run {
    queue: UploadQueue,
    events: UnboundedReceiver<QueueEvent>,
    ids: Vec<UploadId>,
    history: HistoryStore,
    _dir: tempfile::TempDir,
}

async fn start(
    server: &StagingServer,
    files: Vec<LocalFile>,
    client_options: ClientOptions,
    options: QueueOptions,
) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let (history, _) = HistoryStore::open(&dir.path().join("history.sqlite3"));
    let (queue, events, ids) = support::start_queue(
        server,
        files,
        client_options,
        options,
        Some(history.clone()),
    )
    .await;
    Run {
        queue,
        events,
        ids,
        history,
        _dir: dir,
    }
}

/// Collects events until every file reached a final state (or 30 s passed).
async fn finish(run: &mut Run) -> Vec<QueueEvent> {
    let mut seen = Vec::new();
    let mut open = run.ids.len();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while open > 0 {
        let event = tokio::time::timeout_at(deadline, run.events.recv())
            .await
            .expect("the queue finished in time")
            .expect("the queue is alive");
        if event.is_final() {
            open -= 1;
        }
        seen.push(event);
    }
    seen
}

fn outcome(events: &[QueueEvent], id: UploadId) -> &QueueEvent {
    events
        .iter()
        .rev()
        .find(|e| e.id() == Some(id) && e.is_final())
        .expect("a final event for the file")
}

fn file(dir: &std::path::Path, name: &str, size: usize) -> (LocalFile, String) {
    let path = dir.join(name);
    let hash = write_pattern_file(&path, size);
    (LocalFile::inspect(&path).unwrap(), hash)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bytes_names_types_and_both_key_headers_arrive() {
    let server = StagingServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "report final.pdf",
        "quote\"d.csv",
        "résumé ñ.txt",
        "notes.md",
        "no extension",
        "semi;colon.json",
    ];
    let files: Vec<_> = names
        .iter()
        .enumerate()
        .map(|(i, n)| file(dir.path(), n, 1000 + i * 333))
        .collect();
    let mut run = start(
        &server,
        files.iter().map(|f| f.0.clone()).collect(),
        ClientOptions::default(),
        fast_options(),
    )
    .await;
    let events = finish(&mut run).await;

    let requests = server.requests();
    assert_eq!(
        requests.len(),
        1,
        "small files share one request: {events:?}"
    );
    let request = &requests[0];
    assert_eq!(request.path, format!("/temp-files/{ORG}"));
    assert_eq!(request.asteroid_key.as_deref(), Some(KEY));
    assert_eq!(request.x_api_key.as_deref(), Some(KEY));
    assert!(
        request.content_length.is_some() && !request.chunked,
        "sent with a Content-Length"
    );
    let received: Vec<_> = request
        .parts
        .iter()
        .map(|p| (p.field.as_str(), p.size, p.sha256.as_str()))
        .collect();
    let sent: Vec<_> = files
        .iter()
        .map(|(f, h)| ("files", f.size, h.as_str()))
        .collect();
    assert_eq!(received, sent);
    let types: Vec<_> = request
        .parts
        .iter()
        .map(|p| p.content_type.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        types,
        [
            "application/pdf",
            "text/csv",
            "text/plain",
            "text/markdown",
            "application/octet-stream",
            "application/json"
        ]
    );
    // The quote is encoded as browsers and the official SDK do; the rest arrives as is.
    assert_eq!(
        String::from_utf8_lossy(&request.parts[1].raw_disposition),
        "form-data; name=\"files\"; filename=\"quote%22d.csv\""
    );
    assert_eq!(request.parts[2].file_name.as_deref(), Some("résumé ñ.txt"));
    assert_eq!(
        request.parts[0].file_name.as_deref(),
        Some("report final.pdf")
    );

    // Every file staged, and in the history under the name the server gave it.
    for id in &run.ids {
        assert!(matches!(outcome(&events, *id), QueueEvent::Staged { .. }));
    }
    let history: Vec<_> = run
        .history
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(history.len(), names.len());
    assert_eq!(history[0], "report final.pdf");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_server_is_retried_then_succeeds() {
    let server = StagingServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (f, hash) = file(dir.path(), "a.bin", 300_000);
    server.push_faults([
        Fault::Status(500, "Internal server error."),
        Fault::Status(503, "busy"),
        Fault::DropAfter(100_000),
    ]);
    let mut run = start(&server, vec![f], ClientOptions::default(), fast_options()).await;
    let events = finish(&mut run).await;
    assert!(
        matches!(outcome(&events, run.ids[0]), QueueEvent::Staged { .. }),
        "{events:?}"
    );
    let retries = events
        .iter()
        .filter(|e| matches!(e, QueueEvent::Retrying { .. }))
        .count();
    assert_eq!(retries, 3);
    assert_eq!(server.requests().len(), 4);
    assert_eq!(server.received_parts().last().unwrap().sha256, hash);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_are_not_retried_and_say_what_happened() {
    let server = StagingServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (f, _) = file(dir.path(), "a.pdf", 10);
    server.push_faults([Fault::Status(
        403,
        "User is not a member of the organization.",
    )]);
    let mut run = start(&server, vec![f], ClientOptions::default(), fast_options()).await;
    let events = finish(&mut run).await;
    let QueueEvent::Failed { error, .. } = outcome(&events, run.ids[0]) else {
        panic!("{events:?}")
    };
    assert!(
        matches!(error, UploadError::Api(ApiError::NotMember(text)) if text == "User is not a member of the organization."),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("not a member of this organization")
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_that_is_not_the_promised_json_fails_plainly() {
    let server = StagingServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = file(dir.path(), "a.pdf", 10);
    let (b, _) = file(dir.path(), "b.pdf", 10);
    // The shared request gets a short list, so each file goes alone; then one gets garbage,
    // the other an ID that is not a file ID.
    server.push_faults([
        Fault::Body200(r#"{"tempFiles":[]}"#.into()),
        Fault::Body200("<html>oops</html>".into()),
        Fault::Body200(r#"{"tempFiles":[{"id":"not-an-id","name":"b.pdf"}]}"#.into()),
    ]);
    let mut run = start(
        &server,
        vec![a, b],
        ClientOptions::default(),
        fast_options(),
    )
    .await;
    let events = finish(&mut run).await;
    for id in &run.ids {
        let QueueEvent::Failed { error, .. } = outcome(&events, *id) else {
            panic!("{events:?}")
        };
        assert!(
            error.to_string().contains("not what the API promises"),
            "{error}"
        );
    }
    assert!(run.history.entries().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_bad_file_in_a_shared_request_fails_alone() {
    let server = StagingServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<_> = ["one.txt", "two.txt", "three.txt"]
        .iter()
        .map(|n| file(dir.path(), n, 50).0)
        .collect();
    server.push_faults([
        Fault::Status(400, "Invalid file upload request."),
        Fault::Status(400, "Invalid file upload request."),
    ]);
    // One request at a time, so the second fault meets the first file.
    let options = QueueOptions {
        concurrency: 1,
        ..fast_options()
    };
    let mut run = start(&server, files, ClientOptions::default(), options).await;
    let events = finish(&mut run).await;
    assert!(matches!(
        outcome(&events, run.ids[0]),
        QueueEvent::Failed { .. }
    ));
    assert!(matches!(
        outcome(&events, run.ids[1]),
        QueueEvent::Staged { .. }
    ));
    assert!(matches!(
        outcome(&events, run.ids[2]),
        QueueEvent::Staged { .. }
    ));
    let sizes: Vec<usize> = server.requests().iter().map(|r| r.parts.len()).collect();
    assert_eq!(sizes, [3, 1, 1, 1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_answer_times_out_and_is_retried() {
    let server = StagingServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (f, _) = file(dir.path(), "a.pdf", 10);
    server.push_faults([Fault::SlowAnswer(Duration::from_secs(5))]);
    let options = ClientOptions {
        answer_timeout: Duration::from_millis(300),
        ..ClientOptions::default()
    };
    let mut run = start(&server, vec![f], options, fast_options()).await;
    let events = finish(&mut run).await;
    assert!(
        events.iter().any(|e| matches!(
            e,
            QueueEvent::Retrying {
                reason: ApiError::NoAnswer(_),
                ..
            }
        )),
        "{events:?}"
    );
    assert!(matches!(
        outcome(&events, run.ids[0]),
        QueueEvent::Staged { .. }
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_upload_is_detected_and_can_be_cancelled() {
    let server = StagingServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    // Larger than the loopback socket buffers, so the stall is felt by the sender.
    let (f, _) = file(dir.path(), "big.bin", 64 * 1024 * 1024);
    server.push_faults([
        Fault::StallReading(Duration::from_secs(20)),
        Fault::StallReading(Duration::from_secs(20)),
    ]);
    let options = ClientOptions {
        stall_timeout: Duration::from_millis(500),
        ..ClientOptions::default()
    };
    let mut run = start(&server, vec![f], options, fast_options()).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut next = async || {
        tokio::time::timeout_at(deadline, run.events.recv())
            .await
            .expect("the queue moved on in time")
            .expect("the queue is alive")
    };
    // The first stall is noticed and retried…
    loop {
        if let QueueEvent::Retrying { reason, .. } = next().await {
            assert!(matches!(reason, ApiError::Stalled(_)), "{reason:?}");
            break;
        }
    }
    // …and the operator cancels the second try, once the server holds it.
    server
        .wait_for("hold the second request", Duration::from_secs(30), |e| {
            e.iter()
                .filter(|e| matches!(e, support::ServerEvent::Paused { .. }))
                .count()
                == 2
        })
        .await;
    run.queue.cancel(run.ids[0]);
    let events = finish(&mut run).await;
    assert!(matches!(
        outcome(&events, run.ids[0]),
        QueueEvent::Cancelled { .. }
    ));
    // Let the server read on: it finds both bodies cut short, and stores nothing.
    server.resume();
    server.wait_idle(Duration::from_secs(30)).await;
    assert!(
        server.requests().iter().all(|r| !r.complete),
        "no body arrived whole"
    );
    assert!(server.ledger().is_empty(), "{:?}", server.ledger());
    assert!(run.history.entries().unwrap().is_empty());
}

/// The parsers the test server imitates read names as their originals do.
#[test]
fn server_parsers_read_names_as_their_originals_do() {
    let d = |name: &str| format!("form-data; name=\"files\"; filename=\"{name}\"");
    // What the client sends for `back\slash.txt`: the backslash escaped.
    let raw = d(r"back\\slash.txt");
    assert_eq!(
        support::quoted_filename(raw.as_bytes()).as_deref(),
        Some(r"back\slash.txt")
    );
    assert_eq!(
        support::busboy_file_name(raw.as_bytes()).as_deref(),
        Some("slash.txt")
    );
    assert_eq!(support::names::after_last_separator(".."), "");
    assert_eq!(support::names::percent_decoded("a%22b"), "a\"b");
    assert_eq!(support::names::nfc("e\u{301}"), "\u{e9}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_that_changed_is_not_sent_as_if_it_were_the_file() {
    let server = StagingServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (f, _) = file(dir.path(), "a.csv", 1000);
    let (gone, _) = file(dir.path(), "gone.csv", 1000);
    let options = QueueOptions {
        small_file_limit: 0,
        ..fast_options()
    };
    // Added and looked at; then changed before it is sent.
    let (queue, events, ids) =
        support::start_paused_queue(vec![f.clone(), gone.clone()], options, None).await;
    std::fs::write(&f.path, b"shorter now").unwrap();
    std::fs::remove_file(&gone.path).unwrap();
    support::aim(&queue, &server, ClientOptions::default());
    let history_dir = tempfile::tempdir().unwrap();
    let (history, _) = HistoryStore::open(&history_dir.path().join("h.json"));
    let mut run = Run {
        queue,
        events,
        ids,
        history,
        _dir: history_dir,
    };
    let events = finish(&mut run).await;
    for id in &run.ids {
        let QueueEvent::Failed { error, .. } = outcome(&events, *id) else {
            panic!("{events:?}")
        };
        assert!(
            error
                .to_string()
                .contains("changed while it was being sent"),
            "{error}"
        );
    }
    assert!(server.received_parts().is_empty());

    // Retry sends the file as it is now, and only it.
    run.queue.retry(run.ids[0]);
    run.ids.truncate(1);
    let events = finish(&mut run).await;
    assert!(matches!(
        outcome(&events, run.ids[0]),
        QueueEvent::Staged { .. }
    ));
    let parts = server.received_parts();
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].sha256, support::sha256_hex(b"shorter now"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_keep_the_key_on_the_same_server_only() {
    let server = StagingServer::start().await;
    let elsewhere = StagingServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = file(dir.path(), "a.pdf", 10);
    server.push_faults([Fault::RedirectSameHost("/agents/v2/moved/{org}".into())]);
    let mut run = start(&server, vec![a], ClientOptions::default(), fast_options()).await;
    let events = finish(&mut run).await;
    assert!(
        matches!(outcome(&events, run.ids[0]), QueueEvent::Staged { .. }),
        "{events:?}"
    );
    assert_eq!(server.requests()[1].asteroid_key.as_deref(), Some(KEY));

    let (b, _) = file(dir.path(), "b.pdf", 10);
    server.push_faults([Fault::RedirectTo(format!(
        "{}/temp-files/{ORG}",
        elsewhere.base_url
    ))]);
    let mut run = start(&server, vec![b], ClientOptions::default(), fast_options()).await;
    let events = finish(&mut run).await;
    let QueueEvent::Failed { error, .. } = outcome(&events, run.ids[0]) else {
        panic!("{events:?}")
    };
    assert!(
        error.to_string().contains("The key was not sent there"),
        "{error}"
    );
    assert!(elsewhere.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn context_lists_the_key_s_organizations() {
    let server = StagingServer::start().await;
    let ctx = client(&server, ClientOptions::default())
        .context()
        .await
        .unwrap();
    assert_eq!(ctx.organizations.len(), 1);
    assert_eq!(ctx.organizations[0].id, ORG);
    let bad = ApiClient::new(
        BaseUrl::parse(&server.base_url).unwrap(),
        &ApiKey::new("wrong").unwrap(),
        ClientOptions::default(),
    )
    .unwrap();
    assert!(matches!(
        bad.context().await,
        Err(ApiError::BadKey { status: 401, .. })
    ));

    // A hostile or broken server: names with control characters and megabytes of text.
    let long = format!("Evil\u{1b}[2J\r\nCorp{}", "x".repeat(2_000_000));
    server.set_organizations(&[(ORG, long.as_str())]);
    let ctx = client(&server, ClientOptions::default())
        .context()
        .await
        .unwrap();
    let name = &ctx.organizations[0].name;
    assert!(name.starts_with("Evil [2J  Corp"), "{name}");
    assert!(name.chars().count() <= 301 && !name.chars().any(char::is_control));
}
