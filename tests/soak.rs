//! A soak: 2,000 files through a server that fails at random (a seeded mix of 5xx, 429,
//! 503, dropped connections, stalls, late and lost answers, renamed and reordered answers,
//! early refusals), checked against what the server stored. Afterwards every file is
//! staged or failed with a reason; every ID in the history was issued by the server for
//! that file's bytes; every ID the server issued for a file that ended staged is in the
//! history or counted as a duplicate. Bounded in time; its figures are printed (run with
//! `--nocapture`) and quoted in the README.

mod support;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use asteroid_stager::api::ClientOptions;
use asteroid_stager::history::HistoryStore;
use asteroid_stager::local_file::LocalFile;
use asteroid_stager::upload_queue::{QueueEvent, QueueOptions, UploadId};
use support::ledger::{LocalOutcome, check};
use support::{Fault, NameChange, StagingServer, seeded_bytes, sha256_hex};

const FILES: usize = 2_000;
const SEED: u64 = 0x5eed_2026;

/// A small, seeded generator (xorshift64*): the same faults in the same order every run.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// What the server does to one request: healthy most of the time.
fn fault(dice: &mut Dice) -> Fault {
    match dice.below(100) {
        0..=54 => Fault::None,
        55..=62 => Fault::Status(500, "Internal server error."),
        63..=67 => Fault::Unavailable(0),
        68..=72 => Fault::TooManyRequests(0),
        73..=78 => Fault::DropAfter(100 + dice.below(5_000) as usize),
        79..=81 => Fault::StallReading(Duration::from_secs(2)),
        82..=85 => Fault::StoreThenAnswerLate(Duration::from_millis(1_500)),
        86..=89 => Fault::StoreThenDrop,
        90..=92 => Fault::StoreThenRename(NameChange::Fixed("renamed by the server.bin".into())),
        93..=95 => Fault::Reorder,
        96..=97 => Fault::StoreThenRename(NameChange::Nfc),
        _ => Fault::EarlyStatus(503),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seeded_storm_of_faults_loses_nothing() {
    let server = StagingServer::start().await;
    let mut dice = Dice(SEED);
    let faults: Vec<Fault> = (0..6_000).map(|_| fault(&mut dice)).collect();
    server.push_faults(faults);

    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::with_capacity(FILES);
    let mut hashes = HashMap::new();
    for i in 0..FILES {
        let path = dir.path().join(format!("soak {i:04}.bin"));
        let bytes = seeded_bytes(1_000 + (i * 37) % 3_000, i as u64 + 7);
        std::fs::write(&path, &bytes).unwrap();
        hashes.insert(path.clone(), sha256_hex(&bytes));
        files.push(LocalFile::inspect(&path).unwrap());
    }
    let history_path = dir.path().join("history.sqlite3");
    let (history, _) = HistoryStore::open(&history_path);
    let client = ClientOptions {
        stall_timeout: Duration::from_millis(300),
        answer_timeout: Duration::from_millis(500),
        ..ClientOptions::default()
    };
    let options = QueueOptions {
        backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        ..QueueOptions::default()
    };
    let started = Instant::now();
    let (_queue, mut events, ids) =
        support::start_queue(&server, files.clone(), client, options, Some(history)).await;

    let mut open: HashSet<UploadId> = ids.iter().copied().collect();
    let mut staged: HashMap<UploadId, String> = HashMap::new();
    let mut failed: HashMap<UploadId, String> = HashMap::new();
    let (mut retries, mut requeued, mut noted_duplicates) = (0, 0, 0);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(240);
    while !open.is_empty() {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("the soak finished within 4 minutes")
            .expect("the queue is alive");
        match &event {
            QueueEvent::Retrying { .. } => retries += 1,
            QueueEvent::Requeued { .. } => requeued += 1,
            QueueEvent::Staged {
                id, entry, note, ..
            } => {
                if note.as_deref().is_some_and(|n| n.contains("twice")) {
                    noted_duplicates += 1;
                }
                staged.insert(*id, entry.id.clone());
            }
            QueueEvent::Failed { id, error } => {
                failed.insert(*id, error.to_string());
            }
            _ => {}
        }
        if event.is_final()
            && let Some(id) = event.id()
        {
            open.remove(&id);
        }
    }
    let took = started.elapsed();
    server.resume();
    server.wait_idle(Duration::from_secs(30)).await;

    // Every file ended, each failure with a reason in words.
    assert_eq!(staged.len() + failed.len(), FILES);
    assert!(
        failed.values().all(|reason| reason.len() > 20),
        "{failed:?}"
    );

    // The history as a restarted app reads it, against the server's ledger.
    let (reopened, _) = HistoryStore::open(&history_path);
    let recorded: Vec<String> = reopened
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    let outcomes: Vec<LocalOutcome> = ids
        .iter()
        .zip(&files)
        .map(|(id, file)| LocalOutcome {
            name: file.name.clone(),
            sha256: hashes[&file.path].clone(),
            staged_id: staged.get(id).cloned(),
        })
        .collect();
    let ledger = server.ledger();
    let report = check(&ledger, &outcomes, &recorded);
    assert!(report.nothing_lost(), "{report:#?}");
    assert_eq!(
        recorded.len(),
        staged.len(),
        "every staged ID is in the history"
    );

    println!(
        "\nSoak: {FILES} files, seed {SEED:#x}, {} requests, {:.1} s",
        server.requests().len(),
        took.as_secs_f64()
    );
    println!(
        "| staged | failed | retries | sent again | stored by the server | in the history | extra copies (said: {noted_duplicates}) | stored, reported failed | lost |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    println!(
        "| {} | {} | {retries} | {requeued} | {} | {} | {} | {} | 0 |",
        staged.len(),
        failed.len(),
        report.stored,
        report.in_history,
        report.duplicates,
        report.stored_but_reported_failed
    );
}
