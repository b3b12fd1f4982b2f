//! The README's guarantees and the review's findings, one test each, against a real
//! server on 127.0.0.1 (its ledger says what it stored): retries and their waits, shared
//! requests under load, a stalled `/context`, the proxy rule, cancelling inside a shared
//! request, a slow but moving upload, a panic inside an upload, and which key and
//! organization a run uses.

use crate::support;

use std::sync::Arc;
use std::time::Duration;

use asteroid_stager::api::{ApiError, ClientOptions};
use asteroid_stager::local_file::LocalFile;
use asteroid_stager::upload_queue::{QueueEvent, QueueOptions, UploadId, UploadQueue};
use support::cli::{command, output};
use support::queue_events::{retry_delays, until_done};
use support::{Fault, KEY, ORG, StagingServer, write_seeded_file};

fn files(dir: &std::path::Path, names: &[&str], size: usize) -> Vec<LocalFile> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let path = dir.join(name);
            write_seeded_file(&path, size, i as u64);
            LocalFile::inspect(&path).unwrap()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_faults_are_retried_after_waits_that_double() {
    let server = StagingServer::start().await;
    server.push_faults(vec![Fault::Status(500, "Internal server error."); 3]);
    let dir = tempfile::tempdir().unwrap();
    let options = QueueOptions {
        backoff: Duration::from_millis(20),
        ..QueueOptions::default()
    };
    let (_queue, mut events, ids) = support::start_queue(
        &server,
        files(dir.path(), &["a.bin"], 1000),
        ClientOptions::default(),
        options,
        None,
    )
    .await;
    let events = until_done(&mut events, &ids).await;
    // 1, 2, 4 times the first wait (1 s, 2 s, 4 s by default), then it goes through.
    let ms = |n| Duration::from_millis(n);
    assert_eq!(
        retry_delays(&events),
        [(1, ms(20)), (2, ms(40)), (3, ms(80))]
    );
    assert!(matches!(events.last(), Some(QueueEvent::Staged { .. })));
    assert_eq!(server.ledger().len(), 1, "stored once");
    assert_eq!(
        server.requests().len(),
        4,
        "three retries after the first try"
    );
    let defaults = QueueOptions::default();
    assert_eq!(
        (defaults.backoff, defaults.max_attempts),
        (Duration::from_secs(1), 4)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_asking_for_an_hour_is_tried_again_at_the_longest_wait() {
    let server = StagingServer::start().await;
    server.push_faults([Fault::TooManyRequests(3600)]);
    let dir = tempfile::tempdir().unwrap();
    let options = QueueOptions {
        max_backoff: Duration::from_millis(300),
        ..QueueOptions::default()
    };
    let (_queue, mut events, ids) = support::start_queue(
        &server,
        files(dir.path(), &["a.bin"], 1000),
        ClientOptions::default(),
        options,
        None,
    )
    .await;
    let events = until_done(&mut events, &ids).await;
    assert_eq!(retry_delays(&events), [(1, Duration::from_millis(300))]);
    assert_eq!(server.ledger().len(), 1);
}

/// A shared request that gets a 503 with Retry-After: each file counts the try, waits
/// what the server asked, and then goes alone (never at once, never uncounted).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_shared_request_waits_as_asked_counts_the_try_then_splits() {
    let server = StagingServer::start().await;
    server.push_faults([Fault::Unavailable(1)]);
    let dir = tempfile::tempdir().unwrap();
    let (_queue, mut events, ids) = support::start_queue(
        &server,
        files(dir.path(), &["a.txt", "b.txt", "c.txt"], 2000),
        ClientOptions::default(),
        QueueOptions::default(),
        None,
    )
    .await;
    let events = until_done(&mut events, &ids).await;
    assert_eq!(
        retry_delays(&events),
        [(1, Duration::from_secs(1)); 3],
        "each file counted one try and waited the second the server asked"
    );
    let requests = server.requests();
    assert_eq!(requests[0].parts.len(), 3, "they shared the first request");
    assert!(
        requests[1..].iter().all(|r| r.parts.len() == 1),
        "then each went alone"
    );
    assert_eq!(server.ledger().len(), 3, "each stored once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_503_whose_text_is_huge_is_still_a_503_and_retried() {
    let server = StagingServer::start().await;
    server.push_faults([Fault::HugeError(503, 12_000_000)]);
    let dir = tempfile::tempdir().unwrap();
    let options = QueueOptions {
        backoff: Duration::from_millis(20),
        ..QueueOptions::default()
    };
    let (_queue, mut events, ids) = support::start_queue(
        &server,
        files(dir.path(), &["a.bin"], 1000),
        ClientOptions::default(),
        options,
        None,
    )
    .await;
    let events = until_done(&mut events, &ids).await;
    let reasons: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            QueueEvent::Retrying { reason, .. } => Some(reason.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(reasons[0].contains("HTTP 503"), "{}", reasons[0]);
    assert!(
        reasons[0].len() < 600,
        "the text is cut: {}",
        reasons[0].len()
    );
    assert!(matches!(events.last(), Some(QueueEvent::Staged { .. })));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_context_answer_that_stalls_gives_up_in_time() {
    let server = StagingServer::start().await;
    server.stall_context(true);
    let client = support::client(
        &server,
        ClientOptions {
            answer_timeout: Duration::from_millis(500),
            ..ClientOptions::default()
        },
    );
    let result = tokio::time::timeout(Duration::from_secs(10), client.context())
        .await
        .expect("the client gave up by itself");
    assert!(matches!(result, Err(ApiError::NoAnswer(_))), "{result:?}");
}

/// Cancelling one file of a shared request stops that request: the others go again from
/// the start, and each says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_one_file_of_a_shared_request_sends_the_others_again_and_says_so() {
    let server = StagingServer::start().await;
    server.push_faults([Fault::StallReading(Duration::from_secs(60))]);
    let dir = tempfile::tempdir().unwrap();
    let (queue, mut events, ids) = support::start_queue(
        &server,
        files(dir.path(), &["a.txt", "b.txt", "c.txt"], 2000),
        ClientOptions::default(),
        QueueOptions::default(),
        None,
    )
    .await;
    server.wait_paused(Duration::from_secs(30)).await;
    queue.cancel(ids[0]);
    let events = until_done(&mut events, &ids).await;
    server.resume();
    let requeued: Vec<&String> = events
        .iter()
        .filter_map(|e| match e {
            QueueEvent::Requeued { reason, .. } => Some(reason),
            _ => None,
        })
        .collect();
    assert_eq!(requeued.len(), 2, "{events:?}");
    assert!(
        requeued[0].contains("a.txt, which was cancelled"),
        "{}",
        requeued[0]
    );
    let staged: Vec<_> = server.ledger().into_iter().map(|e| e.name).collect();
    assert_eq!(staged, ["b.txt", "c.txt"]);
}

/// The stall timeout is much shorter than the whole upload, yet a slow but moving upload
/// goes through: what counts is that bytes keep moving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_but_moving_upload_is_not_cut_off() {
    let server = StagingServer::start().await;
    server.push_faults([Fault::ReadSlowly(2_000_000)]);
    let dir = tempfile::tempdir().unwrap();
    // The connection takes more of the file each time the socket's buffer drains by half
    // (a few MB on this computer's loopback): at 2 MB/s about once a second.
    let options = ClientOptions {
        stall_timeout: Duration::from_secs(3),
        answer_timeout: Duration::from_secs(5),
        ..ClientOptions::default()
    };
    let started = std::time::Instant::now();
    let (_queue, mut events, ids) = support::start_queue(
        &server,
        files(dir.path(), &["big.bin"], 16_000_000),
        options,
        QueueOptions::default(),
        None,
    )
    .await;
    let events = until_done(&mut events, &ids).await;
    assert!(retry_delays(&events).is_empty(), "{events:?}");
    assert!(
        matches!(events.last(), Some(QueueEvent::Staged { .. })),
        "{events:?}"
    );
    // It really was slow: longer than the stall timeout.
    assert!(started.elapsed() > Duration::from_secs(4));
    assert_eq!(server.ledger().len(), 1);
}

/// A bug that panics inside an upload ends that file "failed" (retry possible); the queue
/// and the other files go on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_inside_an_upload_fails_that_file_and_nothing_else() {
    let server = StagingServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let files = files(dir.path(), &["boom.bin", "fine.bin"], 3000);
    let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    // Progress is reported from inside the request: a sink that panics on boom.bin's
    // progress is a panic inside that upload.
    let boom = Arc::new(std::sync::Mutex::new(None::<UploadId>));
    let watch = boom.clone();
    let queue = UploadQueue::start(
        &tokio::runtime::Handle::current(),
        QueueOptions {
            small_file_limit: 0,
            concurrency: 1,
            backoff: Duration::from_millis(20),
            ..QueueOptions::default()
        },
        None,
        Arc::new(move |event| {
            if let QueueEvent::Progress { id, .. } | QueueEvent::WaitingForServer { id } = &event
                && *watch.lock().unwrap() == Some(*id)
            {
                panic!("a bug inside the upload");
            }
            let _ = tx.send(event);
        }),
    );
    queue.add_paths(
        files.iter().map(|f| f.path.clone()).collect(),
        None,
        asteroid_stager::upload_queue::AddMode::All,
    );
    let mut ids = Vec::new();
    while ids.len() < 2 {
        if let Some(QueueEvent::Added { id, .. }) = events.recv().await {
            ids.push(id);
        }
    }
    *boom.lock().unwrap() = Some(ids[0]);
    support::aim(&queue, &server, ClientOptions::default());
    let events = until_done(&mut events, &ids).await;
    // The panic ends that request (inside the connection or the request task); the file
    // ends failed, with a reason, once its tries are spent.
    let failed = events.iter().find_map(|e| match e {
        QueueEvent::Failed { id, error } if *id == ids[0] => Some(error.to_string()),
        _ => None,
    });
    assert!(
        failed
            .as_deref()
            .is_some_and(|reason| reason.to_lowercase().contains("retry")),
        "{events:?}"
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, QueueEvent::Staged { id, .. } if *id == ids[1]))
    );
}

/// Plain http to this computer never goes through a proxy: the key would cross to it in
/// clear. The proxy named here does not exist, so going through it would fail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn this_computer_is_reached_without_the_proxy() {
    let server = StagingServer::start().await;
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("a.txt");
    write_seeded_file(&file, 100, 1);
    let mut cmd = command(home.path());
    for var in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        cmd.env(var, "http://127.0.0.1:9");
    }
    cmd.env("NO_PROXY", "").env("no_proxy", "");
    cmd.env("ASTEROID_API_KEY", KEY)
        .env("ASTEROID_BASE_URL", &server.base_url)
        .env("ASTEROID_ORG_ID", ORG)
        .args(["stage", file.to_str().unwrap()]);
    let out = output(cmd).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(server.ledger().len(), 1);
}

/// `--org` beats `ASTEROID_ORG_ID`, which beats the settings; the request goes to the
/// organization the flag names.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_org_flag_wins_over_the_environment() {
    let server = StagingServer::start().await;
    let other = "99999999-2222-3333-4444-555555555555";
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("a.txt");
    write_seeded_file(&file, 100, 1);
    let mut cmd = command(home.path());
    cmd.env("ASTEROID_API_KEY", KEY)
        .env("ASTEROID_BASE_URL", &server.base_url)
        .env("ASTEROID_ORG_ID", other)
        .args(["stage", "--org", ORG, file.to_str().unwrap()]);
    let out = output(cmd).await;
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(server.requests()[0].path, format!("/temp-files/{ORG}"));
    assert_eq!(
        server.context_calls(),
        0,
        "a known organization needs no /context"
    );
}

/// Starts `stage a.txt b.txt` (100 bytes, then 2 MB, so in two requests) against `server`,
/// one request at a time so that the server's faults meet the files in order; its output
/// is piped.
#[cfg(unix)]
fn stage_a_then_b(server: &StagingServer) -> (tempfile::TempDir, tokio::process::Child) {
    let home = tempfile::tempdir().unwrap();
    let a = home.path().join("a.txt");
    let b = home.path().join("b.txt");
    write_seeded_file(&a, 100, 1);
    write_seeded_file(&b, 2_000_000, 2);
    let config = home.path().join("config/asteroid-stager");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("settings.json"),
        br#"{"version":1,"concurrency":1}"#,
    )
    .unwrap();
    let mut cmd = command(home.path());
    cmd.env("ASTEROID_API_KEY", KEY)
        .env("ASTEROID_BASE_URL", &server.base_url)
        .env("ASTEROID_ORG_ID", ORG)
        .args(["stage", a.to_str().unwrap(), b.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    (home, cmd.spawn().unwrap())
}

/// The first Ctrl-C cancels what is still running and still prints what was staged; the
/// exit status says not everything was.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_cancels_what_runs_and_prints_what_was_staged() {
    let server = StagingServer::start().await;
    // The first file goes through; the second's request never gets read.
    server.push_faults([Fault::None, Fault::StallReading(Duration::from_secs(60))]);
    let (_home, child) = stage_a_then_b(&server);
    server.wait_paused(Duration::from_secs(30)).await;
    let pid = child.id().expect("running") as i32;
    // SAFETY: a signal to our own child process.
    unsafe { libc::kill(pid, libc::SIGINT) };
    let out = tokio::time::timeout(Duration::from_secs(20), child.wait_with_output())
        .await
        .expect("it stopped after Ctrl-C")
        .unwrap();
    server.resume();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Interrupted"), "{stderr}");
    assert!(stderr.contains("Cancelled: b.txt"), "{stderr}");
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["tempFiles"][0]["name"], "a.txt", "{stderr}");
    assert_eq!(printed["tempFiles"].as_array().map(Vec::len), Some(1));
}

/// A second Ctrl-C quits at once, even while the first one's cancelling still waits (here
/// on a history that another program holds): nothing waits for the disk once asked twice.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_ctrl_c_quits_at_once() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let server = StagingServer::start().await;
    // Both requests are held unread on arrival: a.txt's so that the history can be taken
    // once the command opened it; b.txt's, which says a.txt's record is being written by
    // then (one request at a time).
    let stall = Fault::StallReading(Duration::from_secs(60));
    server.push_faults([stall.clone(), stall]);
    let (home, mut child) = stage_a_then_b(&server);
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let pauses = |n: usize| {
        move |events: &[support::ServerEvent]| {
            events
                .iter()
                .filter(|e| matches!(e, support::ServerEvent::Paused { .. }))
                .count()
                >= n
        }
    };
    server
        .wait_for("hold a.txt", Duration::from_secs(30), pauses(1))
        .await;
    // Another program takes the history, so a.txt's record waits (up to the busy timeout).
    let history = home.path().join("data/asteroid-stager/history.sqlite3");
    let blocker = rusqlite::Connection::open(&history).unwrap();
    blocker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    server.resume();
    server
        .wait_for("hold b.txt", Duration::from_secs(30), pauses(2))
        .await;
    let pid = child.id().expect("running") as i32;
    // SAFETY: a signal to our own child process.
    unsafe { libc::kill(pid, libc::SIGINT) };
    let mut told = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !told.iter().any(|l: &String| l.starts_with("Interrupted")) {
        let line = tokio::time::timeout_at(deadline, stderr.next_line())
            .await
            .expect("the first Ctrl-C is answered")
            .unwrap()
            .expect("stderr stays open until it is answered");
        told.push(line);
    }
    // SAFETY: as above.
    unsafe { libc::kill(pid, libc::SIGINT) };
    let status = tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .expect("it quit after the second Ctrl-C")
        .unwrap();
    while let Ok(Some(line)) = stderr.next_line().await {
        told.push(line);
    }
    // The database is still held: the process did not wait for the history.
    server.resume();
    let told = told.join("\n");
    assert_eq!(status.code(), Some(130), "{told}");
    assert!(told.contains("Stopped."), "{told}");
    assert!(
        !told.contains("Staged a.txt"),
        "a.txt's record never got written: {told}"
    );
    drop(blocker);
}

/// The history cannot be written (another program holds the database): the staged IDs
/// are still announced (and kept in memory), the operator is told once, cancels are
/// answered at once meanwhile, and everything is written when the database is free again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_history_that_cannot_be_written_loses_nothing_and_blocks_nothing() {
    use asteroid_stager::history::HistoryStore;
    let server = StagingServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    let (history, _) = HistoryStore::open(&path);
    // Another program takes the database and keeps it.
    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN EXCLUSIVE").unwrap();

    let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    let queue = UploadQueue::start(
        &tokio::runtime::Handle::current(),
        QueueOptions {
            history_retry: Duration::from_millis(200),
            small_file_limit: 0,
            ..QueueOptions::default()
        },
        Some(history),
        Arc::new(move |event| {
            let _ = tx.send(event);
        }),
    );
    support::aim(&queue, &server, ClientOptions::default());
    let names = ["a.txt", "b.txt", "c.txt"];
    let files = files(dir.path(), &names, 500);
    server.push_faults([
        Fault::None,
        Fault::StallReading(Duration::from_secs(60)),
        Fault::None,
    ]);
    let mut next = async || {
        tokio::time::timeout(Duration::from_secs(30), events.recv())
            .await
            .expect("an event in time")
            .expect("the queue is alive")
    };
    let add = |file: &LocalFile| {
        queue.add_paths(
            vec![file.path.clone()],
            None,
            asteroid_stager::upload_queue::AddMode::All,
        );
    };
    // a.txt is staged while its record cannot be written: announced all the same, and
    // the operator is told.
    add(&files[0]);
    let (mut not_saved, mut staged) = (0, Vec::new());
    while staged.is_empty() {
        match next().await {
            QueueEvent::HistoryNotSaved { .. } => not_saved += 1,
            QueueEvent::Staged { entry, .. } => staged.push(entry.id),
            _ => {}
        }
    }
    assert_eq!(not_saved, 1);
    // Meanwhile the queue answers at once: b.txt is cancelled while its request stalls.
    add(&files[1]);
    server.wait_paused(Duration::from_secs(30)).await;
    let b = loop {
        if let QueueEvent::Sending { id } = next().await {
            break id;
        }
    };
    let asked = std::time::Instant::now();
    queue.cancel(b);
    loop {
        if let QueueEvent::Cancelled { id } = next().await {
            assert_eq!(id, b);
            break;
        }
    }
    assert!(
        asked.elapsed() < Duration::from_secs(2),
        "the cancel waited on the disk: {:?}",
        asked.elapsed()
    );
    server.resume();
    // c.txt too; the operator is not told again.
    add(&files[2]);
    loop {
        match next().await {
            QueueEvent::HistoryNotSaved { .. } => not_saved += 1,
            QueueEvent::Staged { entry, .. } => {
                staged.push(entry.id);
                break;
            }
            _ => {}
        }
    }
    assert_eq!(not_saved, 1, "told once");
    // The database is free again: what waited is written, and the operator is told.
    blocker.execute_batch("COMMIT").unwrap();
    drop(blocker);
    let recovered = loop {
        if let QueueEvent::HistorySaved { recovered } = next().await {
            break recovered;
        }
    };
    assert_eq!(recovered, 2);
    let (reopened, _) = HistoryStore::open(&path);
    let mut recorded: Vec<String> = reopened
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    recorded.sort();
    staged.sort();
    assert_eq!(recorded, staged);
    let issued: Vec<String> = server.ledger().into_iter().map(|e| e.id).collect();
    assert!(staged.iter().all(|id| issued.contains(id)));
}

/// Two files of the same name never share a request: a server that answers by name could
/// not tell them apart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_of_the_same_name_never_share_a_request() {
    let server = StagingServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut all = Vec::new();
    for (i, folder) in ["a", "b", "c"].iter().enumerate() {
        let path = dir.path().join(folder).join("page1.pdf");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        write_seeded_file(&path, 500, i as u64);
        all.push(LocalFile::inspect(&path).unwrap());
    }
    all.extend(files(dir.path(), &["other.txt"], 500));
    let (_queue, mut events, ids) = support::start_queue(
        &server,
        all,
        ClientOptions::default(),
        QueueOptions::default(),
        None,
    )
    .await;
    let events = until_done(&mut events, &ids).await;
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, QueueEvent::Staged { .. }))
            .count(),
        4
    );
    for request in server.requests() {
        let names: Vec<_> = request
            .parts
            .iter()
            .filter_map(|p| p.file_name.clone())
            .collect();
        let unique: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "one request held {names:?}");
    }
    assert!(
        server.requests().len() >= 3,
        "the three page1.pdf went apart"
    );
}
