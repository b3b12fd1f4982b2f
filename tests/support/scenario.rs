//! One fault scenario, end to end: its own server, files with distinct bytes, a queue with
//! a history, something done to a file while the server holds the body (at the server's
//! signal, not after a guessed sleep), and the outcome compared with the server's ledger.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use asteroid_stager::api::ClientOptions;
use asteroid_stager::history::HistoryStore;
use asteroid_stager::local_file::LocalFile;
use asteroid_stager::upload_queue::{QueueEvent, QueueOptions, UploadId};

use super::ledger::{self, LedgerEntry, LedgerReport, LocalOutcome};
use super::{Fault, ServerOptions, StagingServer, seeded_bytes, sha256_hex};

/// Done to the first file while the server has paused reading it (`Fault::PauseAfter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meddle {
    /// Cut to 10,000,000 bytes.
    Truncate,
    /// 4 KiB appended.
    Grow,
    /// Unlinked (the open file stays readable).
    Delete,
    /// Replaced by another file of the same size, renamed over it (the open file keeps
    /// the old bytes).
    ReplaceByRename,
    /// Overwritten in place with other bytes of the same length: size and mtime-less
    /// checks cannot see it.
    RewriteSameSize,
}

impl Meddle {
    pub fn apply(self, path: &Path, size: usize) {
        match self {
            Meddle::Truncate => std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .unwrap()
                .set_len(10_000_000)
                .unwrap(),
            Meddle::Grow => {
                use std::io::Write;
                std::fs::OpenOptions::new()
                    .append(true)
                    .open(path)
                    .unwrap()
                    .write_all(&[1; 4096])
                    .unwrap();
            }
            Meddle::Delete => std::fs::remove_file(path).unwrap(),
            Meddle::ReplaceByRename => {
                let other = path.with_extension("new");
                std::fs::write(&other, seeded_bytes(size, 999)).unwrap();
                std::fs::rename(&other, path).unwrap();
            }
            Meddle::RewriteSameSize => {
                use std::io::{Seek, Write};
                let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
                f.seek(std::io::SeekFrom::Start(0)).unwrap();
                f.write_all(&seeded_bytes(size, 999)).unwrap();
                f.sync_all().unwrap();
            }
        }
    }
}

pub struct Scenario {
    pub name: &'static str,
    pub server: ServerOptions,
    pub faults: Vec<Fault>,
    pub files: usize,
    pub file_size: usize,
    /// Names of the files (default `file {i}.bin`).
    pub names: Option<Vec<String>>,
    pub client: ClientOptions,
    /// Whether small files may share a request (default: each file alone, one at a time).
    pub share: bool,
    pub meddle: Option<Meddle>,
    pub expect_staged: usize,
    /// Every failed file's reason must contain this.
    pub failure_contains: Option<&'static str>,
    /// At least one retry, and every retry's reason contains this.
    pub retry_contains: Option<&'static str>,
}

pub fn scenario(name: &'static str, faults: Vec<Fault>, expect_staged: usize) -> Scenario {
    Scenario {
        name,
        server: ServerOptions::default(),
        faults,
        files: 3,
        file_size: 200_000,
        names: None,
        client: ClientOptions::default(),
        share: false,
        meddle: None,
        expect_staged,
        failure_contains: None,
        retry_contains: None,
    }
}

/// What happened to one batch of files under one fault.
#[derive(Debug, Default)]
pub struct Outcome {
    pub staged: usize,
    pub failed: Vec<String>,
    pub cancelled: usize,
    pub retries: Vec<String>,
    /// Files that never reached a final state within the deadline.
    pub unfinished: usize,
    pub bytes_received: u64,
    /// The ledger against the app's history.
    pub ledger: LedgerReport,
    pub entries: Vec<LedgerEntry>,
    /// Per file, in order: the name, the original bytes' hash, and the ID the app holds.
    pub files: Vec<LocalOutcome>,
    /// The history as a restarted app reads it: (id, name).
    pub history: Vec<(String, String)>,
}

impl Outcome {
    /// Files not in a final state, plus every disagreement with the ledger that loses or
    /// misnames a file.
    pub fn lost(&self) -> usize {
        self.unfinished
            + self.ledger.unknown_ids.len()
            + self.ledger.wrong_bytes.len()
            + self.ledger.staged_without_issued_id.len()
    }
}

pub async fn run(s: &Scenario) -> Outcome {
    let server = StagingServer::start_with(s.server.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut hashes = Vec::new();
    for i in 0..s.files {
        let name = match &s.names {
            Some(names) => names[i].clone(),
            None => format!("file {i}.bin"),
        };
        let path = dir.path().join(name);
        let bytes = seeded_bytes(s.file_size, i as u64 + 1);
        std::fs::write(&path, &bytes).unwrap();
        hashes.push(sha256_hex(&bytes));
        paths.push(path);
    }
    let files: Vec<LocalFile> = paths
        .iter()
        .map(|p| LocalFile::inspect(p).unwrap())
        .collect();
    let history_path = dir.path().join("history.sqlite3");
    let (history, _) = HistoryStore::open(&history_path);
    server.push_faults(s.faults.clone());
    let options = QueueOptions {
        concurrency: 1,
        backoff: Duration::from_millis(20),
        small_file_limit: if s.share {
            QueueOptions::default().small_file_limit
        } else {
            0
        },
        ..QueueOptions::default()
    };
    let (_queue, mut events, ids) = super::start_queue(
        &server,
        files.clone(),
        s.client.clone(),
        options,
        Some(history),
    )
    .await;
    if let Some(meddle) = s.meddle {
        let path = files[0].path.clone();
        let server = server.clone();
        let size = s.file_size;
        tokio::spawn(async move {
            server.wait_paused(Duration::from_secs(30)).await;
            meddle.apply(&path, size);
            server.resume();
        });
    }

    let mut outcome = Outcome::default();
    let mut open: HashSet<UploadId> = ids.iter().copied().collect();
    let mut staged_ids: HashMap<UploadId, String> = HashMap::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !open.is_empty() {
        let Ok(Some(event)) = tokio::time::timeout_at(deadline, events.recv()).await else {
            break;
        };
        match &event {
            QueueEvent::Retrying { reason, .. } => outcome.retries.push(reason.to_string()),
            QueueEvent::Staged { id, entry, .. } => {
                outcome.staged += 1;
                staged_ids.insert(*id, entry.id.clone());
            }
            QueueEvent::Failed { error, .. } => outcome.failed.push(error.to_string()),
            QueueEvent::Cancelled { .. } => outcome.cancelled += 1,
            _ => {}
        }
        if let Some(id) = event.id().filter(|_| event.is_final()) {
            open.remove(&id);
        }
    }
    outcome.unfinished = open.len();
    // Every request's handler done (late answers written or lost), so the ledger is final.
    server.wait_idle(Duration::from_secs(30)).await;

    // Reopen the history as a restarted app would.
    let (reopened, problem) = HistoryStore::open(&history_path);
    assert!(problem.is_none(), "{}: the history reopens", s.name);
    outcome.history = reopened
        .entries()
        .expect("the history reads")
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    outcome.files = ids
        .iter()
        .zip(&files)
        .zip(&hashes)
        .map(|((id, file), hash)| LocalOutcome {
            name: file.name.clone(),
            sha256: hash.clone(),
            staged_id: staged_ids.get(id).cloned(),
        })
        .collect();
    outcome.entries = server.ledger();
    let history_ids: Vec<String> = outcome.history.iter().map(|(id, _)| id.clone()).collect();
    outcome.ledger = ledger::check(&outcome.entries, &outcome.files, &history_ids);
    outcome.bytes_received = server
        .requests()
        .iter()
        .flat_map(|r| &r.parts)
        .map(|p| p.size)
        .sum();
    outcome
}
