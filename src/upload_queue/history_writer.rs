//! Writes staged files to the history, one write at a time, off the queue's loop: while
//! another process holds the database or a network home hangs, cancels and events still
//! flow. A write that fails keeps its records in memory and tries again later (and with
//! the next write); the operator is told once, and told again when it works.

use std::time::Duration;

use tokio::sync::mpsc;

use super::UploadId;
use crate::history::{HistoryEntry, HistoryStore};

/// A staged file on its way to the history, and from there to the operator.
#[derive(Debug, Clone)]
pub(super) struct Staging {
    pub id: UploadId,
    pub entry: HistoryEntry,
    pub note: Option<String>,
    /// The expired ID this one replaces.
    pub replaces: Option<String>,
}

/// The outcome of one write, sent back to the queue.
pub(super) struct Written {
    /// The files of this write, now on disk (or kept in memory for a later try).
    pub items: Vec<Staging>,
    /// Set the first time writing fails after it worked.
    pub problem: Option<String>,
    /// Records that had waited in memory and are now on disk.
    pub recovered: usize,
}

/// Starts the writer. Each batch sent to the returned channel comes back as [`Written`]
/// once it was written or found unwritable.
pub(super) fn start(
    store: Option<HistoryStore>,
    retry_every: Duration,
    done: mpsc::UnboundedSender<Written>,
) -> mpsc::UnboundedSender<Vec<Staging>> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Vec<Staging>>();
    tokio::spawn(async move {
        let mut unsaved: Vec<Staging> = Vec::new();
        let mut warned = false;
        loop {
            let batch = tokio::select! {
                batch = rx.recv() => match batch {
                    Some(batch) => batch,
                    None => break,
                },
                () = tokio::time::sleep(retry_every), if !unsaved.is_empty() => Vec::new(),
            };
            let Some(store) = store.clone() else {
                let _ = done.send(Written {
                    items: batch,
                    problem: None,
                    recovered: 0,
                });
                continue;
            };
            let mut to_write = std::mem::take(&mut unsaved);
            let waited = to_write.len();
            to_write.extend(batch.iter().cloned());
            let attempt = to_write.clone();
            let result = tokio::task::spawn_blocking(move || write(&store, &attempt))
                .await
                .unwrap_or_else(|e| Err(format!("an internal error interrupted it ({e})")));
            let mut batch = batch;
            let (problem, recovered) = match result {
                Ok(stored) => {
                    // Heard of as the history stored them (a file staged again keeps the
                    // group and place of the one it replaces: the history's rule).
                    for (item, entry) in batch.iter_mut().zip(stored.into_iter().skip(waited)) {
                        item.entry = entry;
                    }
                    let recovered = if warned { waited } else { 0 };
                    warned = false;
                    (None, recovered)
                }
                Err(reason) => {
                    unsaved = to_write;
                    let first = !warned;
                    warned = true;
                    (first.then_some(reason), 0)
                }
            };
            if batch.is_empty() && problem.is_none() && recovered == 0 {
                continue;
            }
            let _ = done.send(Written {
                items: batch,
                problem,
                recovered,
            });
        }
    });
    tx
}

/// One write: new records in one transaction; a record that replaces an expired one takes
/// its place (or is added, when the old one was cleared meanwhile). Returns each item's
/// entry as stored, in order.
fn write(store: &HistoryStore, items: &[Staging]) -> Result<Vec<HistoryEntry>, String> {
    let mut new = Vec::new();
    let mut stored = Vec::with_capacity(items.len());
    for item in items {
        let replaced = match &item.replaces {
            Some(old) => store.replace(old, &item.entry).map_err(|e| e.to_string())?,
            None => None,
        };
        match replaced {
            Some(entry) => stored.push(entry),
            None => {
                new.push(item.entry.clone());
                stored.push(item.entry.clone());
            }
        }
    }
    if !new.is_empty() {
        store.record(&new).map_err(|e| e.to_string())?;
    }
    Ok(stored)
}
