//! The state of every upload, folded from the queue's events: one fold for the window and
//! the command line, so both agree on what happened to each file.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::{BatchId, QueueEvent, UploadId};
use crate::history::HistoryEntry;

/// Where one added item is.
#[derive(Debug, Clone, PartialEq)]
pub enum UploadStatus {
    /// Queued, not yet sent.
    Waiting,
    /// Its bytes are being sent.
    Sending,
    /// All sent; the server has not answered since `since`.
    WaitingForServer {
        /// When the last byte was handed over.
        since: Instant,
    },
    /// The server could not be reached; it goes when the network is back (no try used).
    WaitingForNetwork,
    /// A try failed; another follows at `at`.
    Retrying {
        /// Tries so far.
        attempt: u32,
        /// What went wrong, in plain words.
        reason: String,
        /// When the next try starts.
        at: Instant,
    },
    /// Staged.
    Staged {
        /// Its record, with the name the server stored (boxed: the largest by far).
        entry: Box<HistoryEntry>,
    },
    /// Given up on, with the reason in plain words.
    Failed(String),
    /// Cancelled by the operator.
    Cancelled,
    /// Refused before it was queued (a folder's unreadable file, an empty file…).
    Refused(String),
}

impl UploadStatus {
    /// Still on its way.
    pub fn is_active(&self) -> bool {
        matches!(
            self,
            UploadStatus::Waiting
                | UploadStatus::Sending
                | UploadStatus::WaitingForServer { .. }
                | UploadStatus::WaitingForNetwork
                | UploadStatus::Retrying { .. }
        )
    }

    /// Done with, needing nothing more from the operator.
    pub fn is_finished(&self) -> bool {
        matches!(
            self,
            UploadStatus::Staged { .. } | UploadStatus::Cancelled | UploadStatus::Refused(_)
        )
    }

    /// Can be sent again by the operator.
    pub fn can_retry(&self) -> bool {
        matches!(self, UploadStatus::Failed(_) | UploadStatus::Cancelled)
    }
}

/// One added item as the faces show it.
#[derive(Debug, Clone)]
pub struct UploadRecord {
    /// Its ID in the queue.
    pub id: UploadId,
    /// The batch it was added with.
    pub batch: BatchId,
    /// Its batch waits for the operator's yes.
    pub held: bool,
    /// The name sent to the server.
    pub name: String,
    /// Its path inside its folder (or its name): what the operator recognises.
    pub shown: String,
    /// Its size.
    pub size: u64,
    /// Bytes handed to the connection in the current try.
    pub sent: u64,
    /// Where it is.
    pub status: UploadStatus,
    /// What else the operator should know (sent again because…, renamed by the server…).
    pub note: Option<String>,
    /// Bytes per second, smoothed so the number is readable.
    pub speed: f64,
    /// Its tries that failed so far: above zero, the try under way (or due) is a retry,
    /// number `tries + 1`. Back to zero when the operator sends it again.
    pub tries: u32,
    last_sample: Option<(Instant, u64)>,
}

impl UploadRecord {
    fn sample(&mut self, sent: u64, now: Instant) {
        match self.last_sample {
            Some((at, before)) if sent >= before => {
                let dt = now.duration_since(at).as_secs_f64();
                if dt >= 0.05 {
                    let current = (sent - before) as f64 / dt;
                    self.speed = if self.speed == 0.0 {
                        current
                    } else {
                        0.7 * self.speed + 0.3 * current
                    };
                    self.last_sample = Some((now, sent));
                }
            }
            _ => {
                self.last_sample = Some((now, sent));
                self.speed = 0.0;
            }
        }
    }

    /// The estimated time left, when the speed is known.
    pub fn time_left(&self) -> Option<Duration> {
        (self.speed > 0.0).then(|| {
            let left = self.size.saturating_sub(self.sent) as f64 / self.speed;
            Duration::from_secs_f64(left.min(1e7))
        })
    }
}

/// Counts over all items, for the overall progress line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Items counted (refused and cancelled ones are not).
    pub files: usize,
    /// Staged among them.
    pub staged: usize,
    /// Failed.
    pub failed: usize,
    /// Still on their way.
    pub active: usize,
    /// Bytes of the counted items.
    pub bytes: u64,
    /// Bytes of them sent (staged ones whole).
    pub sent: u64,
}

/// The queue waits for the network: the server could not be reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkWait {
    /// When the queue looks again (unless told to at once).
    pub retry_at: Instant,
    /// What happened, in plain words.
    pub reason: String,
}

/// What one event changed, so that neither face works it out again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// Something shown changed: a row, or the wait for the network.
    pub shown: bool,
    /// This file ended with the event (staged, failed or cancelled) after being on its way.
    pub finished: Option<UploadId>,
    /// With the event, every file of this batch has ended (said once; a retry opens the
    /// batch again).
    pub batch_done: Option<BatchDone>,
}

/// A batch (a group) whose files have all ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchDone {
    /// The batch.
    pub batch: BatchId,
    /// Its files staged since it was last said done.
    pub staged: usize,
    /// Its files failed since then.
    pub failed: usize,
}

/// How far one batch is: when none of its files is open any more, it is done.
#[derive(Debug, Default, Clone, Copy)]
struct BatchCount {
    looked_at: bool,
    open: usize,
    staged: usize,
    failed: usize,
}

/// Every item, in the order added.
#[derive(Debug)]
pub struct UploadTable {
    rows: Vec<UploadRecord>,
    index: HashMap<UploadId, usize>,
    network: Option<NetworkWait>,
    batches: HashMap<BatchId, BatchCount>,
    max_tries: u32,
}

impl Default for UploadTable {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            index: HashMap::new(),
            network: None,
            batches: HashMap::new(),
            max_tries: super::planner::PlanLimits::default().max_attempts,
        }
    }
}

impl UploadTable {
    /// The tries the queue makes per file, the first included (its
    /// [`QueueOptions::max_attempts`](super::QueueOptions::max_attempts)): "try 2 of 4".
    pub fn set_max_tries(&mut self, tries: u32) {
        self.max_tries = tries;
    }

    /// The tries the queue makes per file, the first included.
    pub fn max_tries(&self) -> u32 {
        self.max_tries
    }

    /// The rows, oldest first.
    pub fn rows(&self) -> &[UploadRecord] {
        &self.rows
    }

    /// Set while files wait for the network.
    pub fn network(&self) -> Option<&NetworkWait> {
        self.network.as_ref()
    }

    /// One row.
    pub fn get(&self, id: UploadId) -> Option<&UploadRecord> {
        self.index.get(&id).and_then(|&i| self.rows.get(i))
    }

    /// Folds one event in; `now` times speeds and waits. Says what changed.
    pub fn apply(&mut self, event: &QueueEvent, now: Instant) -> Change {
        let was_open = event
            .id()
            .and_then(|id| self.get(id))
            .is_some_and(|r| r.status.is_active());
        let mut change = Change {
            shown: self.fold(event, now),
            ..Change::default()
        };
        let batch = match event {
            QueueEvent::Added { batch, .. } => {
                self.batches.entry(*batch).or_default().open += 1;
                return change;
            }
            QueueEvent::Inspected { batch, .. } => {
                self.batches.entry(*batch).or_default().looked_at = true;
                *batch
            }
            QueueEvent::Discarded { batch } => {
                self.batches.remove(batch);
                return change;
            }
            event if event.is_final() && was_open => {
                let Some((id, batch)) = event
                    .id()
                    .and_then(|id| self.get(id))
                    .map(|r| (r.id, r.batch))
                else {
                    return change;
                };
                change.finished = Some(id);
                let count = self.batches.entry(batch).or_default();
                count.open = count.open.saturating_sub(1);
                match event {
                    QueueEvent::Staged { .. } => count.staged += 1,
                    QueueEvent::Failed { .. } => count.failed += 1,
                    _ => {}
                }
                batch
            }
            _ => return change,
        };
        let count = self.batches.entry(batch).or_default();
        if count.looked_at && count.open == 0 && count.staged + count.failed > 0 {
            change.batch_done = Some(BatchDone {
                batch,
                staged: count.staged,
                failed: count.failed,
            });
            // Said once; a retry opens it again.
            count.staged = 0;
            count.failed = 0;
        }
        change
    }

    /// Folds one event into the rows; returns whether something shown changed.
    fn fold(&mut self, event: &QueueEvent, now: Instant) -> bool {
        match event {
            QueueEvent::Added {
                id, batch, file, ..
            } => {
                self.push(UploadRecord {
                    id: *id,
                    batch: *batch,
                    held: false,
                    name: file.name.clone(),
                    shown: file.relative_path.clone(),
                    size: file.size,
                    sent: 0,
                    status: UploadStatus::Waiting,
                    note: None,
                    speed: 0.0,
                    tries: 0,
                    last_sample: None,
                });
                return true;
            }
            QueueEvent::Refused {
                id,
                batch,
                shown,
                error,
                ..
            } => {
                self.push(UploadRecord {
                    id: *id,
                    batch: *batch,
                    held: false,
                    name: shown.rsplit('/').next().unwrap_or(shown).to_owned(),
                    shown: shown.clone(),
                    size: 0,
                    sent: 0,
                    status: UploadStatus::Refused(error.to_string()),
                    note: None,
                    speed: 0.0,
                    tries: 0,
                    last_sample: None,
                });
                return true;
            }
            QueueEvent::NetworkDown { retry_in, reason } => {
                self.network = Some(NetworkWait {
                    retry_at: now + *retry_in,
                    reason: reason.to_string(),
                });
                return true;
            }
            QueueEvent::NetworkBack | QueueEvent::NetworkWaitOver => {
                return self.network.take().is_some();
            }
            _ => {}
        }
        let Some(row) = event
            .id()
            .and_then(|id| self.index.get(&id).copied())
            .and_then(|i| self.rows.get_mut(i))
        else {
            return false;
        };
        match event {
            QueueEvent::Sending { .. } => {
                row.status = UploadStatus::Sending;
                row.sent = 0;
                row.speed = 0.0;
                row.last_sample = None;
            }
            QueueEvent::Progress { sent, total, .. } => {
                row.sent = *sent;
                row.size = *total;
                row.sample(*sent, now);
                if !matches!(row.status, UploadStatus::WaitingForServer { .. }) {
                    row.status = UploadStatus::Sending;
                }
            }
            QueueEvent::WaitingForServer { .. } => {
                row.sent = row.size;
                row.sample(row.size, now);
                row.status = UploadStatus::WaitingForServer { since: now };
            }
            QueueEvent::Retrying {
                attempt,
                delay,
                reason,
                ..
            } => {
                row.status = UploadStatus::Retrying {
                    attempt: *attempt,
                    reason: reason.to_string(),
                    at: now + *delay,
                };
                row.tries = *attempt;
                row.sent = 0;
            }
            QueueEvent::WaitingForNetwork { .. } => {
                row.status = UploadStatus::WaitingForNetwork;
                row.sent = 0;
            }
            QueueEvent::Requeued { reason, .. } => {
                row.status = UploadStatus::Waiting;
                row.sent = 0;
                row.note = Some(reason.clone());
            }
            QueueEvent::Staged { entry, note, .. } => {
                row.status = UploadStatus::Staged {
                    entry: Box::new(entry.clone()),
                };
                row.sent = row.size;
                row.note = note.clone();
            }
            QueueEvent::Failed { error, .. } => {
                row.status = UploadStatus::Failed(error.to_string())
            }
            QueueEvent::Cancelled { .. } => row.status = UploadStatus::Cancelled,
            _ => return false,
        }
        true
    }

    /// Marks a row as about to be sent again (the operator clicked Retry).
    pub fn mark_retrying(&mut self, id: UploadId) {
        if let Some(row) = self.index.get(&id).and_then(|&i| self.rows.get_mut(i))
            && row.status.can_retry()
        {
            if let Some(count) = self.batches.get_mut(&row.batch) {
                count.open += 1;
                if matches!(row.status, UploadStatus::Failed(_)) {
                    count.failed = count.failed.saturating_sub(1);
                }
            }
            row.status = UploadStatus::Waiting;
            row.sent = 0;
            row.tries = 0;
            row.note = None;
        }
    }

    /// Marks a batch's rows as waiting for the operator's answer, or no longer.
    pub fn hold_batch(&mut self, batch: BatchId, held: bool) {
        for row in self.rows.iter_mut().filter(|r| r.batch == batch) {
            row.held = held;
        }
    }

    /// Drops the rows for which `keep` is false.
    pub fn retain(&mut self, keep: impl Fn(&UploadRecord) -> bool) {
        self.rows.retain(|row| keep(row));
        self.reindex();
    }

    /// Counts for the overall progress.
    pub fn totals(&self) -> Totals {
        let mut totals = Totals::default();
        for row in &self.rows {
            match &row.status {
                UploadStatus::Refused(_) | UploadStatus::Cancelled => continue,
                UploadStatus::Staged { .. } => totals.staged += 1,
                UploadStatus::Failed(_) => totals.failed += 1,
                _ => {}
            }
            if row.status.is_active() {
                totals.active += 1;
            }
            totals.files += 1;
            totals.bytes += row.size;
            totals.sent += row.sent.min(row.size);
        }
        totals
    }

    fn push(&mut self, row: UploadRecord) {
        self.index.insert(row.id, self.rows.len());
        self.rows.push(row);
    }

    fn reindex(&mut self) {
        self.index = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| (row.id, i))
            .collect();
    }
}
#[cfg(test)]
mod tests;
