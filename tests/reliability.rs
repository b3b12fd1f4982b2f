//! Faults, hostile input and the figures that prove nothing is lost: every file ends
//! staged (with its ID in the history) or failed (with its reason), under each fault a
//! real network, disk or server produces.

mod support;

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use asteroid_stager::api::{ApiError, ClientOptions};
use asteroid_stager::history::HistoryStore;
use asteroid_stager::local_file::LocalFile;
use asteroid_stager::upload_queue::{QueueEvent, QueueOptions, UploadId};
use support::{Fault, KEY, ORG, StagingServer, write_pattern_file};

/// What happened to one batch of files under one fault.
#[derive(Debug, Default)]
struct Outcome {
    staged: usize,
    failed: Vec<String>,
    cancelled: usize,
    retries: usize,
    /// Files that never reached a final state, or whose staged ID is not in the history.
    lost: usize,
    bytes_received: u64,
}

struct Scenario {
    name: &'static str,
    faults: Vec<Fault>,
    files: usize,
    file_size: usize,
    client: ClientOptions,
    /// Something to do to the files while they are being sent.
    meddle: Option<fn(&Path)>,
    expect_staged: usize,
}

fn scenario(name: &'static str, faults: Vec<Fault>, expect_staged: usize) -> Scenario {
    Scenario {
        name,
        faults,
        files: 3,
        file_size: 200_000,
        client: ClientOptions::default(),
        meddle: None,
        expect_staged,
    }
}

async fn run(server: &StagingServer, s: &Scenario) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<LocalFile> = (0..s.files)
        .map(|i| {
            let path = dir.path().join(format!("file {i}.bin"));
            write_pattern_file(&path, s.file_size);
            LocalFile::inspect(&path).unwrap()
        })
        .collect();
    let history_path = dir.path().join("history.sqlite3");
    let (history, _) = HistoryStore::open(&history_path);
    let before = server.requests().len();
    server.push_faults(s.faults.clone());
    let options = QueueOptions {
        concurrency: 1,
        backoff: Duration::from_millis(20),
        small_file_limit: 0,
        ..QueueOptions::default()
    };
    let (_queue, mut events, ids) = support::start_queue(
        server,
        files.clone(),
        s.client.clone(),
        options,
        Some(history),
    );
    if let Some(meddle) = s.meddle {
        let path = files[0].path.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(400)).await;
            meddle(&path);
        });
    }

    let mut outcome = Outcome::default();
    let mut open: HashSet<UploadId> = ids.iter().copied().collect();
    let mut staged_ids = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !open.is_empty() {
        let Ok(Some(event)) = tokio::time::timeout_at(deadline, events.recv()).await else {
            break;
        };
        match &event {
            QueueEvent::Retrying { .. } => outcome.retries += 1,
            QueueEvent::Staged { entry, .. } => {
                outcome.staged += 1;
                staged_ids.push(entry.id.clone());
            }
            QueueEvent::Failed { error, .. } => outcome.failed.push(error.to_string()),
            QueueEvent::Cancelled { .. } => outcome.cancelled += 1,
            _ => {}
        }
        if let Some(id) = event.id().filter(|_| event.is_final()) {
            open.remove(&id);
        }
    }
    // Reopen the history as a restarted app would: every staged ID must be there.
    let (reopened, problem) = HistoryStore::open(&history_path);
    assert!(problem.is_none());
    let saved: HashSet<String> = reopened
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    outcome.lost = open.len() + staged_ids.iter().filter(|id| !saved.contains(*id)).count();
    outcome.bytes_received = server.requests()[before..]
        .iter()
        .flat_map(|r| &r.parts)
        .map(|p| p.size)
        .sum();
    outcome
}

/// The figures the reliability section of the README quotes: run with
/// `cargo test --test reliability -- --nocapture` to see the table.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_ends_in_a_definite_state_and_loses_nothing() {
    let server = StagingServer::start().await;
    let quick = |stall: bool| ClientOptions {
        stall_timeout: if stall {
            Duration::from_millis(400)
        } else {
            Duration::from_secs(60)
        },
        answer_timeout: Duration::from_millis(400),
        ..ClientOptions::default()
    };
    let mut scenarios = vec![
        scenario(
            "500 twice, then success",
            vec![
                Fault::Status(500, "Internal server error."),
                Fault::Status(500, "Internal server error."),
            ],
            3,
        ),
        scenario(
            "502 then 503, then success",
            vec![
                Fault::Status(502, "Bad Gateway"),
                Fault::Status(503, "Service Unavailable"),
            ],
            3,
        ),
        scenario(
            "429 with Retry-After: 1",
            vec![Fault::TooManyRequests(1)],
            3,
        ),
        scenario(
            "connection dropped mid-body",
            vec![Fault::DropAfter(50_000), Fault::DropAfter(150_000)],
            3,
        ),
        scenario(
            "500 with 5 MB of text",
            vec![Fault::HugeError(5_000_000)],
            3,
        ),
        scenario(
            "200 that is not JSON",
            vec![Fault::Body200("<html>".into())],
            2,
        ),
        scenario(
            "200 listing no files",
            vec![Fault::Body200(r#"{"tempFiles":[]}"#.into())],
            2,
        ),
        scenario(
            "200 naming another file",
            vec![Fault::Body200(format!(
                r#"{{"tempFiles":[{{"id":"{}","name":"x.bin"}}]}}"#,
                uuid::Uuid::new_v4()
            ))],
            2,
        ),
        scenario(
            "403 not a member",
            vec![Fault::Status(
                403,
                "User is not a member of the organization.",
            )],
            2,
        ),
        scenario(
            "redirect to the same server",
            vec![Fault::RedirectSameHost("/agents/v2/moved/{org}".into())],
            3,
        ),
        scenario(
            "redirect to another server",
            vec![Fault::RedirectTo("https://elsewhere.example/steal".into())],
            2,
        ),
    ];
    let mut failing = scenario(
        "server failing every try",
        vec![Fault::Status(500, "Internal server error."); 4],
        0,
    );
    failing.files = 1;
    scenarios.push(failing);
    let mut slow = scenario(
        "answer never comes",
        vec![Fault::SlowAnswer(Duration::from_secs(3))],
        3,
    );
    slow.client = quick(false);
    scenarios.push(slow);
    let mut stalled = scenario(
        "upload stalls",
        vec![Fault::StallReading(Duration::from_secs(3))],
        3,
    );
    stalled.files = 1;
    stalled.file_size = 32 * 1024 * 1024;
    stalled.client = quick(true);
    stalled.expect_staged = 1;
    scenarios.push(stalled);
    let mut shrink = scenario(
        "file truncated while sent",
        vec![Fault::PauseAfter(1_000_000, Duration::from_millis(1500))],
        2,
    );
    shrink.file_size = 32 * 1024 * 1024;
    shrink.meddle = Some(|p| {
        std::fs::OpenOptions::new()
            .write(true)
            .open(p)
            .unwrap()
            .set_len(10_000_000)
            .unwrap()
    });
    scenarios.push(shrink);
    let mut grow = scenario(
        "file growing while sent",
        vec![Fault::PauseAfter(1_000_000, Duration::from_millis(1500))],
        2,
    );
    grow.file_size = 32 * 1024 * 1024;
    grow.meddle = Some(|p| {
        use std::io::Write;
        std::fs::OpenOptions::new()
            .append(true)
            .open(p)
            .unwrap()
            .write_all(&[1; 4096])
            .unwrap();
    });
    scenarios.push(grow);
    let mut deleted = scenario(
        "file deleted while sent",
        vec![Fault::PauseAfter(1_000_000, Duration::from_millis(1500))],
        3,
    );
    deleted.file_size = 32 * 1024 * 1024;
    // Deleting an open file leaves its bytes readable: what is sent is still the file.
    deleted.meddle = Some(|p| std::fs::remove_file(p).unwrap());
    scenarios.push(deleted);

    println!("\n| fault | files | staged | failed | retries | bytes resent | records lost |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    let mut total_lost = 0;
    for s in &scenarios {
        let o = run(&server, s).await;
        let sent_once = (o.staged * s.file_size) as u64;
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            s.name,
            s.files,
            o.staged,
            o.failed.len(),
            o.retries,
            o.bytes_received.saturating_sub(sent_once),
            o.lost
        );
        for reason in &o.failed {
            // Plain, short, and never the server's whole wall of text.
            assert!(reason.len() < 600, "{}: {reason}", s.name);
        }
        assert_eq!(o.lost, 0, "{}", s.name);
        assert_eq!(
            o.staged + o.failed.len() + o.cancelled,
            s.files,
            "{}: every file ends somewhere",
            s.name
        );
        assert_eq!(o.staged, s.expect_staged, "{}: {:?}", s.name, o.failed);
        total_lost += o.lost;
    }
    println!("\nrecords lost in all: {total_lost}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_is_honoured() {
    let server = StagingServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt");
    write_pattern_file(&path, 10);
    server.push_faults([Fault::TooManyRequests(2)]);
    let (_queue, mut events, _ids) = support::start_queue(
        &server,
        vec![LocalFile::inspect(&path).unwrap()],
        ClientOptions::default(),
        QueueOptions::default(),
        None,
    );
    loop {
        match events.recv().await.unwrap() {
            QueueEvent::Retrying { delay, reason, .. } => {
                assert_eq!(delay, Duration::from_secs(2));
                assert!(matches!(reason, ApiError::RateLimited { .. }));
            }
            QueueEvent::Staged { .. } => break,
            QueueEvent::Failed { error, .. } => panic!("{error}"),
            _ => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_files_at_once_are_all_staged_and_recorded() {
    let server = StagingServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<LocalFile> = (0..10_000)
        .map(|i| {
            let path = dir.path().join(format!("{i:05}.txt"));
            std::fs::write(&path, format!("file {i}")).unwrap();
            LocalFile::inspect(&path).unwrap()
        })
        .collect();
    let history_path = dir.path().join("history.sqlite3");
    let (history, _) = HistoryStore::open(&history_path);
    let (_queue, mut events, ids) = support::start_queue(
        &server,
        files,
        ClientOptions::default(),
        QueueOptions::default(),
        Some(history),
    );
    let mut staged = 0;
    while staged < ids.len() {
        match tokio::time::timeout(Duration::from_secs(60), events.recv())
            .await
            .unwrap()
            .unwrap()
        {
            QueueEvent::Staged { .. } => staged += 1,
            QueueEvent::Failed { error, .. } => panic!("{error}"),
            _ => {}
        }
    }
    assert_eq!(server.received_parts().len(), 10_000);
    assert!(
        server.requests().len() < 10_000 / 8,
        "small files share requests"
    );
    let (reopened, _) = HistoryStore::open(&history_path);
    assert_eq!(reopened.entries().unwrap().len(), 10_000);
}

/// Names that could break a multipart header if sent raw: the bytes on the wire keep
/// every name inside its quoted string, so no name can forge a part.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_file_names_cannot_break_out_of_their_header() {
    let server = StagingServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let long = format!("{}.txt", "é".repeat(125)); // 254 bytes
    let names = [
        "a\"; name=\"evil",
        "line\r\nContent-Type: text-html\r\n\r\nforged",
        "back\\slash\\",
        "semi;colon=1",
        "Ünïcödé 文件.pdf",
        long.as_str(),
    ];
    let files: Vec<LocalFile> = names
        .iter()
        .map(|n| {
            let path = dir.path().join(n);
            std::fs::write(&path, n.as_bytes()).unwrap();
            LocalFile::inspect(&path).unwrap()
        })
        .collect();
    let (_queue, mut events, ids) = support::start_queue(
        &server,
        files,
        ClientOptions::default(),
        QueueOptions::default(),
        None,
    );
    let mut done = 0;
    while done < ids.len() {
        let e = events.recv().await.unwrap();
        if let QueueEvent::Failed { error, .. } = &e {
            panic!("{error}");
        }
        if e.is_final() {
            done += 1;
        }
    }
    let parts = server.received_parts();
    assert_eq!(parts.len(), names.len(), "one part per file, none forged");
    for (part, name) in parts.iter().zip(names) {
        assert_eq!(part.field, "files");
        let raw = String::from_utf8(part.raw_disposition.clone()).unwrap();
        assert!(!raw.contains('\r') && !raw.contains('\n'), "{raw:?}");
        // Exactly two parameters: the quoted filename holds no bare quote.
        let value = raw
            .strip_prefix("form-data; name=\"files\"; filename=\"")
            .and_then(|r| r.strip_suffix('"'))
            .unwrap();
        assert!(!value.replace("\\\\", "").contains('"'), "{raw:?}");
        // The content is the file's own: no part took another's bytes.
        assert_eq!(part.sha256, support::sha256_hex(name.as_bytes()));
    }
    // What a careful server stores: quotes and line breaks encoded as browsers do, the
    // backslashes and everything else as the operator named the file.
    assert_eq!(parts[0].file_name.as_deref(), Some("a%22; name=%22evil"));
    assert_eq!(
        parts[1].file_name.as_deref(),
        Some("line%0D%0AContent-Type: text-html%0D%0A%0D%0Aforged")
    );
    assert_eq!(parts[2].file_name.as_deref(), Some("back\\slash\\"));
    assert_eq!(parts[3].file_name.as_deref(), Some("semi;colon=1"));
    assert_eq!(parts[4].file_name.as_deref(), Some("Ünïcödé 文件.pdf"));
    assert_eq!(parts[5].file_name.as_deref(), Some(long.as_str()));
}

const BIN: &str = env!("CARGO_BIN_EXE_asteroid-stager");

fn stage_command(
    server: &StagingServer,
    home: &Path,
    files: &[std::path::PathBuf],
) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(BIN);
    cmd.arg("stage")
        .args(files)
        .env("ASTEROID_API_KEY", KEY)
        .env("ASTEROID_BASE_URL", &server.base_url)
        .env("ASTEROID_ORG_ID", ORG)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    cmd
}

fn history_ids(home: &Path) -> Vec<String> {
    let (history, _) = HistoryStore::open(&home.join("data/asteroid-stager/history.sqlite3"));
    history
        .entries()
        .expect("the history is whole after a kill")
        .into_iter()
        .map(|e| e.id)
        .collect()
}

/// SIGKILL in the middle of uploads and of history writes: on restart the history is
/// whole and lists every file that was reported staged before the kill.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_upload_and_mid_write_the_history_keeps_everything_staged() {
    use tokio::io::AsyncBufReadExt;
    let server = StagingServer::start().await;
    server.set_delay(Duration::from_millis(60));
    let home = tempfile::tempdir().unwrap();
    // A big history, as a year of an operator's work leaves it.
    let history_path = home.path().join("data/asteroid-stager/history.sqlite3");
    let (seed, _) = HistoryStore::open(&history_path);
    let old: Vec<_> = (0..20_000)
        .map(|i| asteroid_stager::history::HistoryEntry {
            id: uuid::Uuid::new_v4().to_string(),
            name: format!("old {i}.pdf"),
            size: 1,
            organization_id: ORG.into(),
            staged_at: std::time::SystemTime::now(),
            group: None,
            source: None,
        })
        .collect();
    seed.record(&old).unwrap();

    let files: Vec<_> = (0..24)
        .map(|i| {
            let p = home.path().join(format!("f{i}.bin"));
            write_pattern_file(&p, 1_100_000);
            p
        })
        .collect();
    let mut known = history_ids(home.path());
    for kill_after in [1, 3, 6, 10] {
        let mut child = stage_command(&server, home.path(), &files).spawn().unwrap();
        let mut lines = tokio::io::BufReader::new(child.stderr.take().unwrap()).lines();
        let mut reported = Vec::new();
        while reported.len() < kill_after {
            let Some(line) = lines.next_line().await.unwrap() else {
                break;
            };
            if let Some(id) = line
                .strip_prefix("Staged ")
                .and_then(|l| l.split(" → ").nth(1))
            {
                reported.push(id.to_owned());
            }
        }
        child.start_kill().unwrap(); // SIGKILL
        let status = child.wait().await.unwrap();
        assert!(!status.success());
        let after = history_ids(home.path());
        for id in known.iter().chain(&reported) {
            assert!(
                after.contains(id),
                "{id} was staged before the kill and must survive it"
            );
        }
        known = after;
    }
    assert!(known.len() >= 20_000 + 20);
}

/// A damaged or newer-format history is kept aside, said so, and staging goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_history_is_kept_aside_and_staging_goes_on() {
    let server = StagingServer::start().await;
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("a.txt");
    write_pattern_file(&file, 10);
    let data = home.path().join("data/asteroid-stager");
    std::fs::create_dir_all(&data).unwrap();
    let config = home.path().join("config/asteroid-stager");
    std::fs::create_dir_all(&config).unwrap();
    for (round, (damaged, settings)) in [
        (&b"{\"entries\": [tru"[..], &b"\x00\x01"[..]),
        (
            &b"{\"version\": 7, \"entries\": []}"[..],
            &b"{\"version\": 9}"[..],
        ),
    ]
    .into_iter()
    .enumerate()
    {
        std::fs::write(data.join("history.json"), damaged).unwrap();
        std::fs::write(config.join("settings.json"), settings).unwrap();
        let out = stage_command(&server, home.path(), std::slice::from_ref(&file))
            .output()
            .await
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(
            stderr.contains("the history file could not be used"),
            "{stderr}"
        );
        assert!(
            stderr.contains("the settings file could not be used"),
            "{stderr}"
        );
        let kept: Vec<_> = std::fs::read_dir(&data)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains(".bad-"))
            .collect();
        assert!(
            kept.iter().any(|p| std::fs::read(p).unwrap() == damaged),
            "the bad file is kept"
        );
        for p in kept {
            std::fs::remove_file(p).unwrap();
        }
        // The database keeps what each round staged; the JSON was never imported.
        assert_eq!(history_ids(home.path()).len(), round + 1);
    }
}
