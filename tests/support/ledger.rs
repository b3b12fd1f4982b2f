//! The server's ledger: every file it stored, decided once a request's body arrived whole
//! and before any answer was sent, so "stored, but the answer was lost" is a state a test
//! can meet. The checks below compare it with what the app recorded: the ledger is the
//! truth, the app's history has to agree with it.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

/// What became of the answer that should have told the client about a stored file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Stored; the answer is not out yet.
    Pending,
    /// The answer naming this file was handed to the connection in full.
    Answered,
    /// The answer was handed over, but only this long after the body: later than a
    /// client with a shorter answer timeout waits.
    AnsweredLate(Duration),
    /// The server closed the connection on purpose instead of answering.
    Dropped,
    /// The answer never went out: the connection was gone first.
    Lost(String),
}

impl Delivery {
    pub fn reached_the_connection(&self) -> bool {
        matches!(self, Delivery::Answered | Delivery::AnsweredLate(_))
    }
}

/// One file the server stored.
#[derive(Debug, Clone)]
pub struct LedgerEntry {
    /// The ID the server issued for it.
    pub id: String,
    /// The index of the request it came in (in `requests()`).
    pub request: usize,
    /// Its position among that request's parts.
    pub part: usize,
    /// The name as this server stored it (its parser, then its normalisation).
    pub name: String,
    /// The name the server's answer gave for it (differs under `StoreThenRename`).
    pub answered_name: String,
    pub size: u64,
    /// Empty when the server was told not to hash (benchmarks).
    pub sha256: String,
    pub delivery: Delivery,
}

/// A file as the app ended it, for comparing with the ledger.
#[derive(Debug, Clone)]
pub struct LocalOutcome {
    pub name: String,
    /// SHA-256 of the file's bytes as they were when it was added.
    pub sha256: String,
    /// The ID the app reported (and recorded) for it, when it ended staged.
    pub staged_id: Option<String>,
}

/// The ledger against the app's records for one scenario.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LedgerReport {
    /// Files the server stored.
    pub stored: usize,
    /// Of those, how many the app holds the ID of.
    pub in_history: usize,
    /// IDs in the history that the server never issued (must be none).
    pub unknown_ids: Vec<String>,
    /// Staged files whose ID the server issued for other bytes, or for no file (must be
    /// none: the ID points at something that is not the file).
    pub wrong_bytes: Vec<String>,
    /// Files the app staged whose ID it does not hold although the server issued one for
    /// them (must be none).
    pub staged_without_issued_id: Vec<String>,
    /// Extra copies: stored again for a file that ended staged under another ID.
    pub duplicates: usize,
    /// Stored for a file that the app reports as not staged (failed or cancelled).
    pub stored_but_reported_failed: usize,
    /// Stored bytes that are no file's (a mix of two versions, say).
    pub foreign: usize,
    /// Stored files whose answer never reached the connection.
    pub unanswered: usize,
}

impl LedgerReport {
    /// What "nothing lost" demands: every ID the app holds was issued for the file's own
    /// bytes, and every file staged holds one. Duplicates and orphans are counted, not
    /// failed: they cost nothing but the operator should hear of them.
    pub fn nothing_lost(&self) -> bool {
        self.unknown_ids.is_empty()
            && self.wrong_bytes.is_empty()
            && self.staged_without_issued_id.is_empty()
    }
}

/// Compares the server's `ledger` with the app's `files` (their final states) and the
/// IDs in its `history`. Files are matched to ledger entries by their bytes (SHA-256), so
/// each file in a scenario must have distinct bytes.
pub fn check(ledger: &[LedgerEntry], files: &[LocalOutcome], history: &[String]) -> LedgerReport {
    let issued: HashMap<&str, &LedgerEntry> = ledger.iter().map(|e| (e.id.as_str(), e)).collect();
    let by_hash: HashMap<&str, &LocalOutcome> =
        files.iter().map(|f| (f.sha256.as_str(), f)).collect();
    let history: HashSet<&str> = history.iter().map(String::as_str).collect();
    let mut report = LedgerReport {
        stored: ledger.len(),
        ..LedgerReport::default()
    };
    for entry in ledger {
        if !entry.delivery.reached_the_connection() {
            report.unanswered += 1;
        }
        if history.contains(entry.id.as_str()) {
            report.in_history += 1;
            continue;
        }
        match by_hash.get(entry.sha256.as_str()) {
            Some(file) if file.staged_id.is_some() => report.duplicates += 1,
            Some(_) => report.stored_but_reported_failed += 1,
            None => report.foreign += 1,
        }
    }
    for id in &history {
        if !issued.contains_key(id) {
            report.unknown_ids.push((*id).to_owned());
        }
    }
    for file in files {
        let Some(id) = &file.staged_id else { continue };
        match issued.get(id.as_str()) {
            Some(entry) if entry.sha256 == file.sha256 => {}
            Some(_) => report
                .wrong_bytes
                .push(format!("{} → {id}: other bytes", file.name)),
            None => {
                if ledger.iter().any(|e| e.sha256 == file.sha256) {
                    report.staged_without_issued_id.push(file.name.clone());
                }
            }
        }
        if !history.contains(id.as_str()) {
            report
                .staged_without_issued_id
                .push(format!("{} ({id} not in the history)", file.name));
        }
    }
    report
}
