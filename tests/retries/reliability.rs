//! Faults, hostile input and the figures that prove nothing is lost: every file ends
//! staged (with its ID in the history) or failed (with its reason), under each fault a
//! real network, disk or server produces, and the server's own ledger of what it stored
//! agrees with the history: every ID the app holds was issued by the server for that
//! file's bytes. Copies the server stored without the app knowing (its answer was lost,
//! or the app sent the file again) are counted per fault.

use crate::support;

use std::path::Path;
use std::time::Duration;

use asteroid_stager::api::{ApiError, ClientOptions};
use asteroid_stager::history::HistoryStore;
use asteroid_stager::local_file::LocalFile;
use asteroid_stager::upload_queue::{QueueEvent, QueueOptions};
use support::scenario::{Meddle, Scenario, run, scenario};
use support::{Fault, NameChange, ORG, ServerFlavor, ServerOptions, StagingServer};
use support::{busboy_file_name, quoted_filename, write_pattern_file};

fn quick(stall: bool) -> ClientOptions {
    ClientOptions {
        stall_timeout: if stall {
            Duration::from_millis(400)
        } else {
            Duration::from_secs(60)
        },
        answer_timeout: Duration::from_millis(400),
        ..ClientOptions::default()
    }
}

fn scenarios() -> Vec<Scenario> {
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
        Scenario {
            retry_contains: Some(
                "The server failed. This is not your fault; retry in a moment.\nDetails: HTTP 500",
            ),
            ..scenario(
                "500 with 5 MB of text",
                vec![Fault::HugeError(500, 5_000_000)],
                3,
            )
        },
        Scenario {
            failure_contains: Some("not what the API promises"),
            ..scenario(
                "200 that is not JSON",
                vec![Fault::Body200("<html>".into())],
                2,
            )
        },
        Scenario {
            failure_contains: Some("confirmed 0 of the 1 file sent"),
            ..scenario(
                "200 listing no files",
                vec![Fault::Body200(r#"{"tempFiles":[]}"#.into())],
                2,
            )
        },
        // Stored, and answered under a name the client cannot explain: it keeps the ID the
        // server issued for the part (with a note), rather than sending the file again.
        scenario(
            "200 naming another file",
            vec![Fault::StoreThenRename(NameChange::Fixed("x.bin".into()))],
            3,
        ),
        Scenario {
            failure_contains: Some("not a member of this organization"),
            ..scenario(
                "403 not a member",
                vec![Fault::Status(
                    403,
                    "User is not a member of the organization.",
                )],
                2,
            )
        },
        scenario(
            "redirect to the same server",
            vec![Fault::RedirectSameHost("/agents/v2/moved/{org}".into())],
            3,
        ),
        Scenario {
            failure_contains: Some("The key was not sent there"),
            ..scenario(
                "redirect to another server",
                vec![Fault::RedirectTo("https://elsewhere.example/steal".into())],
                2,
            )
        },
        Scenario {
            files: 1,
            failure_contains: Some(
                "The server failed. This is not your fault; retry in a moment.\nDetails: HTTP 500",
            ),
            ..scenario(
                "server failing every try",
                vec![Fault::Status(500, "Internal server error."); 4],
                0,
            )
        },
        Scenario {
            client: quick(false),
            retry_contains: Some("did not answer"),
            ..scenario(
                "stored, answer never comes",
                vec![Fault::StoreThenAnswerLate(Duration::from_secs(3))],
                3,
            )
        },
        Scenario {
            retry_contains: Some("The connection broke"),
            ..scenario(
                "stored, then connection dropped",
                vec![Fault::StoreThenDrop],
                3,
            )
        },
        Scenario {
            files: 1,
            file_size: 32 * 1024 * 1024,
            client: quick(true),
            retry_contains: Some("The upload stalled"),
            ..scenario(
                "upload stalls",
                vec![Fault::StallReading(Duration::from_secs(3))],
                1,
            )
        },
        Scenario {
            file_size: 32 * 1024 * 1024,
            meddle: Some(Meddle::Truncate),
            failure_contains: Some("changed while it was being sent (it shrank"),
            ..scenario(
                "file truncated while sent",
                vec![Fault::PauseAfter(1_000_000)],
                2,
            )
        },
        Scenario {
            file_size: 32 * 1024 * 1024,
            meddle: Some(Meddle::Grow),
            failure_contains: Some("changed while it was being sent (it grew beyond"),
            ..scenario(
                "file growing while sent",
                vec![Fault::PauseAfter(1_000_000)],
                2,
            )
        },
        // Deleting or replacing (rename over) an open file leaves its bytes readable:
        // what is sent is still the file as it was added, which the ledger checks.
        Scenario {
            file_size: 32 * 1024 * 1024,
            meddle: Some(Meddle::Delete),
            ..scenario(
                "file deleted while sent",
                vec![Fault::PauseAfter(1_000_000)],
                3,
            )
        },
        Scenario {
            file_size: 32 * 1024 * 1024,
            meddle: Some(Meddle::ReplaceByRename),
            ..scenario(
                "file replaced (renamed over) while sent",
                vec![Fault::PauseAfter(1_000_000)],
                3,
            )
        },
    ];
    for s in &mut scenarios {
        // Distinct bytes per file need at least a few bytes.
        assert!(s.file_size >= 1000);
    }
    scenarios
}

/// The figures the reliability section of the README quotes: run with
/// `cargo test --test retries -- --nocapture reliability::every_fault` to see the table. Each
/// fault has its own server; "lost" counts files that never ended, IDs in the history the
/// server never issued, and IDs issued for other bytes than the file's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_ends_in_a_definite_state_and_loses_nothing() {
    let scenarios = scenarios();
    let mut table = vec![
        "| fault | files | staged | failed | retries | bytes resent | stored by the server | extra copies | stored, reported failed | records lost |".to_owned(),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |".to_owned(),
    ];
    let mut problems = Vec::new();
    for s in &scenarios {
        let o = run(s).await;
        let sent_once = (o.staged * s.file_size) as u64;
        table.push(format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            s.name,
            s.files,
            o.staged,
            o.failed.len(),
            o.retries.len(),
            o.bytes_received.saturating_sub(sent_once),
            o.ledger.stored,
            o.ledger.duplicates,
            o.ledger.stored_but_reported_failed,
            o.lost()
        ));
        let mut check = |ok: bool, what: String| {
            if !ok {
                problems.push(format!("{}: {what}", s.name));
            }
        };
        check(o.lost() == 0, format!("records lost: {:?}", o.ledger));
        check(
            o.staged + o.failed.len() + o.cancelled == s.files,
            format!("every file ends somewhere: {o:?}"),
        );
        check(
            o.staged == s.expect_staged,
            format!("staged {} of {}: {:?}", o.staged, s.expect_staged, o.failed),
        );
        check(
            o.ledger.foreign == 0,
            format!(
                "the server stored bytes that are no file's: {:?}",
                o.entries
            ),
        );
        for reason in o.failed.iter().chain(&o.retries) {
            // Plain, short, and never the server's whole wall of text.
            check(reason.len() < 600, format!("too long: {reason}"));
        }
        if let Some(expected) = s.failure_contains {
            check(
                !o.failed.is_empty() && o.failed.iter().all(|r| r.contains(expected)),
                format!("failures should say {expected:?}: {:?}", o.failed),
            );
        }
        if let Some(expected) = s.retry_contains {
            check(
                !o.retries.is_empty() && o.retries.iter().all(|r| r.contains(expected)),
                format!("retries should say {expected:?}: {:?}", o.retries),
            );
        }
    }
    println!("\n{}", table.join("\n"));
    assert!(problems.is_empty(), "{problems:#?}");
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
    )
    .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut retried = false;
    loop {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("staged within 30 s")
            .expect("the queue is alive");
        match event {
            QueueEvent::Retrying { delay, reason, .. } => {
                assert_eq!(delay, Duration::from_secs(2));
                assert!(matches!(reason, ApiError::RateLimited { .. }));
                retried = true;
            }
            QueueEvent::Staged { .. } => break,
            QueueEvent::Failed { error, .. } => panic!("{error}"),
            _ => {}
        }
    }
    assert!(retried, "the 429 was retried");
    assert_eq!(server.ledger().len(), 1, "stored once, by the second try");
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
    )
    .await;
    let mut staged = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    while staged < ids.len() {
        match tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("all staged within 120 s")
            .expect("the queue is alive")
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
    assert_eq!(reopened.entries().expect("the history reads").len(), 10_000);
    // The history holds exactly the IDs the server issued, each once.
    let mut recorded: Vec<String> = reopened
        .entries()
        .expect("the history reads")
        .into_iter()
        .map(|e| e.id)
        .collect();
    let mut issued = server.issued_ids();
    recorded.sort();
    issued.sort();
    assert_eq!(recorded, issued);
}

/// Names that could break a multipart header if sent raw: the bytes on the wire keep
/// every name inside its quoted string, so no name can forge a part. What each real parser
/// then reads from those bytes is asserted too (multer, busboy, the RFC reading).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_file_names_cannot_break_out_of_their_header() {
    // The careful (RFC 7578) reader stores every name as sent, so all files stage here;
    // what multer- and busboy-based servers make of the same bytes is asserted below, and
    // staging through them is in tests/matching/ledger.rs.
    let server = StagingServer::start_with(ServerOptions {
        flavor: ServerFlavor::Rfc7578,
        ..ServerOptions::default()
    })
    .await;
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
    )
    .await;
    let mut done = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while done < ids.len() {
        let e = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("all staged within 30 s")
            .expect("the queue is alive");
        if let QueueEvent::Failed { error, .. } = &e {
            panic!("{error}");
        }
        if e.is_final() {
            done += 1;
        }
    }
    let parts = server.received_parts();
    assert_eq!(parts.len(), names.len(), "one part per file, none forged");
    assert_eq!(server.ledger().len(), names.len(), "each stored once");
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
    // What each parser reads from those bytes: (RFC 7578, multer, busboy).
    let quote = "a%22; name=%22evil";
    let crlf = "line%0D%0AContent-Type: text-html%0D%0A%0D%0Aforged";
    let expected: [(&str, Option<&str>, &str); 6] = [
        (quote, Some(quote), quote),
        (crlf, Some(crlf), crlf),
        // The client escapes each backslash (`back\\slash\\`). multer keeps the escapes
        // and cannot find the closing quote after `\\"`: no name at all. busboy keeps
        // what follows the last backslash: nothing.
        ("back\\slash\\", None, ""),
        ("semi;colon=1", Some("semi;colon=1"), "semi;colon=1"),
        (
            "Ünïcödé 文件.pdf",
            Some("Ünïcödé 文件.pdf"),
            "Ünïcödé 文件.pdf",
        ),
        (&long, Some(&long), &long),
    ];
    for (part, (rfc, multer, busboy)) in parts.iter().zip(expected) {
        let raw = &part.raw_disposition;
        assert_eq!(quoted_filename(raw).as_deref(), Some(rfc), "{raw:?}");
        assert_eq!(part.rfc_name.as_deref(), Some(rfc));
        assert_eq!(part.multer_name.as_deref(), multer, "multer: {raw:?}");
        assert_eq!(busboy_file_name(raw).as_deref(), Some(busboy), "busboy");
        assert_eq!(
            part.file_name.as_deref(),
            Some(rfc),
            "stored as the RFC reads it"
        );
    }
}

fn stage_command(
    server: &StagingServer,
    home: &Path,
    files: &[std::path::PathBuf],
) -> tokio::process::Command {
    let mut cmd = support::cli::command_for(home, server);
    cmd.arg("stage")
        .args(files)
        .env("ASTEROID_ORG_ID", ORG)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    cmd
}

fn history_ids(home: &Path) -> Vec<String> {
    let (history, notice) = HistoryStore::open(&home.join("data/asteroid-stager/history.sqlite3"));
    assert!(
        notice.as_ref().is_none_or(|n| !n.is_problem()),
        "the history is whole after a kill: {notice:?}"
    );
    history
        .entries()
        .expect("the history reads")
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
    // A big history makes each rewrite take a while, so kills land inside writes too.
    let history_path = home.path().join("data/asteroid-stager/history.sqlite3");
    let (seed, _) = HistoryStore::open(&history_path);
    let old: Vec<_> = (0..20_000)
        .map(|i| asteroid_stager::history::HistoryEntry {
            id: uuid::Uuid::new_v4().to_string(),
            name: format!("old {i}.pdf"),
            size: 1,
            organization_id: ORG.into(),
            server: asteroid_stager::DEFAULT_BASE_URL.into(),
            staged_at: std::time::SystemTime::now(),
            group: None,
            place_in_group: None,
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
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        while reported.len() < kill_after {
            let Some(line) = tokio::time::timeout_at(deadline, lines.next_line())
                .await
                .expect("the binary reports staged files within 60 s")
                .unwrap()
            else {
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
        let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
            .await
            .expect("the killed binary was reaped")
            .unwrap();
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
    // Every new ID in the history was issued by the server.
    let issued: std::collections::HashSet<String> = server.issued_ids().into_iter().collect();
    let old: std::collections::HashSet<String> = old.into_iter().map(|e| e.id).collect();
    for id in &known {
        assert!(
            old.contains(id) || issued.contains(id),
            "{id} is in the history but the server never issued it"
        );
    }
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
        let run = stage_command(&server, home.path(), std::slice::from_ref(&file)).output();
        let out = tokio::time::timeout(Duration::from_secs(60), run)
            .await
            .expect("the binary finished within 60 s")
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(
            stderr.contains("The history file could not be used"),
            "{stderr}"
        );
        assert!(
            stderr.contains("The settings file could not be used"),
            "{stderr}"
        );
        // Each damaged file is kept aside whole, once, beside where it was.
        for (dir, name, bytes) in [
            (&data, "history.json", damaged),
            (&config, "settings.json", settings),
        ] {
            let kept: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| {
                    p.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .starts_with(&format!("{name}.bad-"))
                })
                .collect();
            assert_eq!(kept.len(), 1, "{name} kept aside once: {kept:?}");
            assert_eq!(
                std::fs::read(&kept[0]).unwrap(),
                bytes,
                "{} holds the damaged {name} as it was",
                kept[0].display()
            );
            std::fs::remove_file(&kept[0]).unwrap();
        }
        // The database keeps what each round staged; the damaged JSON was never imported.
        assert_eq!(history_ids(home.path()).len(), round + 1);
        // The damaged settings were moved aside, not left for the next run to meet again
        // (the command line only reads settings: it writes none in their place).
        assert!(
            !config.join("settings.json").exists(),
            "the damaged settings file is still in place"
        );
    }
    assert_eq!(server.ledger().len(), 2, "one file stored per run");
    // The next run starts from what the last one left: nothing damaged is met again.
    let run = stage_command(&server, home.path(), std::slice::from_ref(&file)).output();
    let out = tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the binary finished within 60 s")
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("could not be used"), "{stderr}");
    assert_eq!(history_ids(home.path()).len(), 3);
}
