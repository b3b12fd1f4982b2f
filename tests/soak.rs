//! A soak: 2,000 files through a server that fails often (a seeded mix of 5xx, 429, 503,
//! connections dropped mid-body, answers that never come, late and lost answers after
//! the files were stored, renamed answers, early refusals), checked against what the server stored.
//!
//! Its outcome is a function of the seed: each fault is decided by the seed, the file a
//! request carries and how many times the server has seen that file (never by timing or
//! by the order requests arrive in), and every file goes in a request of its own
//! (`small_file_limit: 0`, `batch_max_files: 1`), so which files share a request cannot
//! depend on timing either. The test works out from the plan alone what must happen to
//! each file and asserts that it did; the table it prints (run with `--nocapture`) is
//! computed from the server's ledger and the queue's events, and is the same on every run.
//! The README quotes it.

mod support;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use asteroid_stager::api::ClientOptions;
use asteroid_stager::history::HistoryStore;
use asteroid_stager::local_file::LocalFile;
use asteroid_stager::upload_queue::{QueueEvent, QueueOptions, UploadId};
use support::ledger::{LocalOutcome, check};
use support::{Fault, NameChange, PlannedTry, StagingServer, seeded_bytes, sha256_hex};

const FILES: usize = 2_000;
const SEED: u64 = 0x5eed_2026;
const TRIES: u32 = 4;

/// A small generator (xorshift64*), started from the seed, the file and the try.
struct Dice(u64);

impl Dice {
    /// The dice for `name`'s `attempt`-th try: FNV-1a over the name, mixed with the seed
    /// and the try (never zero, which xorshift would keep).
    fn for_try(seed: u64, name: &str, attempt: u32) -> Self {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in name.bytes().chain(attempt.to_le_bytes()) {
            h = (h ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        let mut dice = Dice((h ^ seed) | 1);
        dice.next();
        dice
    }

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

/// What the server does to `name`'s `attempt`-th try: healthy a little more than half the
/// time. Long waits last until the test calls `resume()` at the end: the client has long
/// given up on them by then, whatever the machine's load.
fn fault(name: &str, attempt: u32) -> Fault {
    let mut dice = Dice::for_try(SEED, name, attempt);
    match dice.below(100) {
        0..=54 => Fault::None,
        55..=62 => Fault::Status(500, "Internal server error."),
        63..=67 => Fault::Unavailable(0),
        68..=72 => Fault::TooManyRequests(0),
        73..=78 => Fault::DropAfter(100 + dice.below(5_000) as usize),
        79..=80 => Fault::NoAnswer(Duration::from_secs(600)),
        81..=82 => Fault::StoreThenAnswerLate(Duration::from_secs(600)),
        83..=87 => Fault::StoreThenDrop,
        88..=93 => Fault::StoreThenRename(NameChange::Fixed("renamed by the server.bin".into())),
        94..=97 => Fault::Status(502, "Bad gateway"),
        _ => Fault::EarlyStatus(503),
    }
}

/// How one try of a file of `size` bytes ends under `fault`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TryEnd {
    /// The answer gave the file its ID.
    Staged,
    /// An answer said it failed; the server kept nothing.
    Refused,
    /// No answer after the whole file went out; the server kept nothing. The app cannot
    /// tell this from a lost answer, so the file, once staged, says it may be there twice.
    NoAnswer,
    /// No answer after the whole body arrived and was stored (the answer came after the
    /// client stopped waiting, or the connection was closed instead): an extra copy.
    AnswerLost,
}

fn try_end(fault: &Fault, size: usize) -> TryEnd {
    match fault {
        Fault::None | Fault::StoreThenRename(_) | Fault::Reorder => TryEnd::Staged,
        // The server drops once it has read this many bytes of the file; a smaller file
        // arrives whole first and is handled as by a healthy server. A file this small is
        // handed to the connection in one piece, so all of it went out before the server
        // could read those bytes and drop.
        Fault::DropAfter(n) if *n > size => TryEnd::Staged,
        Fault::DropAfter(_) | Fault::NoAnswer(_) => TryEnd::NoAnswer,
        Fault::StoreThenAnswerLate(_) | Fault::StoreThenDrop => TryEnd::AnswerLost,
        _ => TryEnd::Refused,
    }
}

/// What the plan alone says must become of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fate {
    staged: bool,
    tries: u32,
    /// Copies stored by tries whose answer was lost.
    lost_answers: u32,
    /// Some try had no answer after the whole file went out.
    unanswered: bool,
}

fn fate(name: &str, size: usize) -> Fate {
    let mut fate = Fate {
        staged: false,
        tries: TRIES,
        lost_answers: 0,
        unanswered: false,
    };
    for attempt in 1..=TRIES {
        match try_end(&fault(name, attempt), size) {
            TryEnd::Staged => {
                fate.staged = true;
                fate.tries = attempt;
                return fate;
            }
            TryEnd::AnswerLost => {
                fate.lost_answers += 1;
                fate.unanswered = true;
            }
            TryEnd::NoAnswer => fate.unanswered = true,
            TryEnd::Refused => {}
        }
    }
    fate
}

/// The soak's figures, each counted from the server's ledger and requests or the queue's
/// events.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Figures {
    requests: usize,
    staged: usize,
    failed: usize,
    retries: usize,
    stored: usize,
    in_history: usize,
    extra_copies: usize,
    /// Staged files the operator was told may be on the server twice.
    said_twice: usize,
    stored_reported_failed: usize,
    lost: usize,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seeded_storm_of_faults_loses_nothing() {
    let server = StagingServer::start().await;
    server.plan_faults(fault);

    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::with_capacity(FILES);
    let mut hashes = HashMap::new();
    let mut sizes = HashMap::new();
    for i in 0..FILES {
        let path = dir.path().join(format!("soak {i:04}.bin"));
        let size = 1_000 + (i * 37) % 3_000;
        let bytes = seeded_bytes(size, i as u64 + 7);
        std::fs::write(&path, &bytes).unwrap();
        hashes.insert(path.clone(), sha256_hex(&bytes));
        let file = LocalFile::inspect(&path).unwrap();
        sizes.insert(file.name.clone(), size);
        files.push(file);
    }
    let history_path = dir.path().join("history.sqlite3");
    let (history, _) = HistoryStore::open(&history_path);
    // A healthy answer comes in milliseconds; a second leaves room for a loaded machine.
    // The faults that keep an answer back keep it until the end.
    let client = ClientOptions {
        stall_timeout: Duration::from_secs(1),
        answer_timeout: Duration::from_secs(1),
        ..ClientOptions::default()
    };
    // The request plan is fixed: one file per request, however the queue would size its
    // requests, so a fault meets one file and which files travel together never depends
    // on timing.
    let options = QueueOptions {
        concurrency: 32,
        max_attempts: TRIES,
        small_file_limit: 0,
        batch_max_files: 1,
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
    let mut told_twice: HashSet<UploadId> = HashSet::new();
    let mut retries = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(240);
    while !open.is_empty() {
        let Ok(Some(event)) = tokio::time::timeout_at(deadline, events.recv()).await else {
            break;
        };
        match &event {
            QueueEvent::Retrying { .. } => retries += 1,
            QueueEvent::Staged {
                id, entry, note, ..
            } => {
                if note.as_deref().is_some_and(|n| n.contains("twice")) {
                    told_twice.insert(*id);
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
    let unfinished = open.len();
    // The answers held back go out now (to connections the client closed long ago); once
    // every handler is done, the ledger is final.
    server.resume();
    server.wait_idle(Duration::from_secs(60)).await;

    // The history as a restarted app reads it, against the server's ledger.
    let (reopened, _) = HistoryStore::open(&history_path);
    let recorded: HashSet<String> = reopened
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
    let recorded_list: Vec<String> = recorded.iter().cloned().collect();
    let report = check(&ledger, &outcomes, &recorded_list);
    let requests = server.requests();
    let figures = Figures {
        requests: requests.len(),
        staged: staged.len(),
        failed: failed.len(),
        retries,
        stored: report.stored,
        in_history: report.in_history,
        extra_copies: report.duplicates,
        said_twice: told_twice.len(),
        stored_reported_failed: report.stored_but_reported_failed,
        lost: unfinished
            + report.unknown_ids.len()
            + report.wrong_bytes.len()
            + report.staged_without_issued_id.len(),
    };

    println!(
        "\nSoak: {FILES} files, seed {SEED:#x}, one file per request, {TRIES} tries each ({:.1} s)",
        took.as_secs_f64()
    );
    println!(
        "| files | requests | staged | failed (after {TRIES} tries) | retries | stored by the server | in the history | extra copies | said \"may be there twice\" | stored, reported failed | lost |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    println!(
        "| {FILES} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        figures.requests,
        figures.staged,
        figures.failed,
        figures.retries,
        figures.stored,
        figures.in_history,
        figures.extra_copies,
        figures.said_twice,
        figures.stored_reported_failed,
        figures.lost
    );

    // Nothing lost: every file ended, every ID the app holds was issued for the file's
    // own bytes and is in the history, every failure says why in words.
    assert_eq!(figures.lost, 0, "{report:#?}");
    assert!(report.nothing_lost(), "{report:#?}");
    assert_eq!(
        report.foreign, 0,
        "no stored bytes are no file's: {report:#?}"
    );
    assert_eq!(figures.staged + figures.failed, FILES);
    assert_eq!(
        recorded.len(),
        figures.staged,
        "every staged ID is in the history"
    );
    assert!(
        failed.values().all(|reason| reason.len() > 20),
        "{failed:?}"
    );

    // The server's per-file log: every request was decided by the plan, and each file's
    // tries are numbered 1, 2, 3… with the fault the plan gives them.
    let tries = server.planned_tries();
    assert_eq!(tries.len(), requests.len(), "every request was planned");
    let mut by_name: HashMap<&str, Vec<&PlannedTry>> = HashMap::new();
    for t in &tries {
        by_name.entry(t.name.as_str()).or_default().push(t);
    }
    for (name, log) in &by_name {
        let numbers: Vec<u32> = log.iter().map(|t| t.attempt).collect();
        let expected: Vec<u32> = (1..=log.len() as u32).collect();
        assert_eq!(numbers, expected, "{name}: tries in order");
    }

    // Each file met exactly the fate its plan gives it; a failed file met a fault on every
    // one of its four tries, a staged one on every try before the last.
    let (mut want_retries, mut want_extra, mut want_stored_failed, mut want_requests) =
        (0, 0, 0, 0);
    let mut want_said = 0;
    for (id, file) in ids.iter().zip(&files) {
        let size = sizes[&file.name];
        let want = fate(&file.name, size);
        let log = by_name.get(file.name.as_str()).cloned().unwrap_or_default();
        let ends: Vec<TryEnd> = log.iter().map(|t| try_end(&t.fault, size)).collect();
        assert_eq!(log.len() as u32, want.tries, "{}: {ends:?}", file.name);
        assert_eq!(
            staged.contains_key(id),
            want.staged,
            "{}: {ends:?}",
            file.name
        );
        if want.staged {
            assert_eq!(ends.last(), Some(&TryEnd::Staged), "{}", file.name);
        }
        let faulted = if want.staged {
            &ends[..ends.len() - 1]
        } else {
            &ends[..]
        };
        assert!(
            faulted.iter().all(|end| *end != TryEnd::Staged),
            "{}: a try that met no fault did not stage it: {ends:?}",
            file.name
        );
        if failed.contains_key(id) {
            assert_eq!(
                log.len() as u32,
                TRIES,
                "{} failed only after {TRIES} tries",
                file.name
            );
        }
        want_requests += want.tries as usize;
        want_retries += (want.tries - 1) as usize;
        if want.staged {
            want_extra += want.lost_answers as usize;
            want_said += usize::from(want.unanswered);
        } else {
            want_stored_failed += want.lost_answers as usize;
        }
    }
    let want_staged = files
        .iter()
        .filter(|f| fate(&f.name, sizes[&f.name]).staged)
        .count();
    assert_eq!(
        figures,
        Figures {
            requests: want_requests,
            staged: want_staged,
            failed: FILES - want_staged,
            retries: want_retries,
            stored: want_staged + want_extra + want_stored_failed,
            in_history: want_staged,
            extra_copies: want_extra,
            said_twice: want_said,
            stored_reported_failed: want_stored_failed,
            lost: 0,
        },
        "the figures are the ones the seed gives"
    );

    // Every extra copy is accounted for: stored from a whole body by a try whose answer
    // was lost, and the file it belongs to, if staged, carries the note.
    let try_of: HashMap<usize, &PlannedTry> = tries.iter().map(|t| (t.request, t)).collect();
    let staged_by_name: HashMap<&str, UploadId> = ids
        .iter()
        .zip(&files)
        .filter(|(id, _)| staged.contains_key(id))
        .map(|(id, f)| (f.name.as_str(), *id))
        .collect();
    for entry in ledger.iter().filter(|e| !recorded.contains(&e.id)) {
        let t = try_of[&entry.request];
        assert!(requests[entry.request].complete, "{entry:?}");
        assert_eq!(
            try_end(&t.fault, sizes[&t.name]),
            TryEnd::AnswerLost,
            "{entry:?} came from {t:?}"
        );
        if let Some(id) = staged_by_name.get(t.name.as_str()) {
            assert!(
                told_twice.contains(id),
                "{}: stored twice, and the operator was told",
                t.name
            );
        }
    }
}
