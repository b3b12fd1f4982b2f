//! Writes staged files to the history, one write at a time, off the queue's loop: while
//! another process holds the database or a network home hangs, cancels and events still
//! flow. A write that fails keeps its records in memory and tries again later (and with
//! the next write); the operator is told once, and told again when it works.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use tokio::sync::mpsc;

use super::UploadId;
use crate::history::{HistoryEntry, HistoryStore, PendingFile, PendingId};

/// What the writer is asked, in order: the pending table follows each file's life
/// (written before it is sent, marked when a request carrying it starts, removed when it
/// ends), and staged files are recorded (then their pending rows removed).
pub(super) enum ToWriter {
    /// Staged files to record.
    Record(Vec<Staging>),
    /// Files to keep as pending.
    AddPending(Vec<ToKeep>),
    /// A request carrying these files started.
    Sending(Vec<UploadId>),
    /// These files ended without an ID (failed, cancelled).
    Ended(Vec<UploadId>),
    /// Rows no file of this queue stands for (a resumed file whose bytes are gone).
    RemoveRows(Vec<PendingId>),
    /// The queue went idle: copy the log back into the database now.
    Checkpoint,
}

/// A file to keep in the pending table.
pub(super) struct ToKeep {
    pub id: UploadId,
    pub file: PendingFile,
    /// The row it has already (a resumed file): nothing is written for it.
    pub row: Option<PendingId>,
    /// A request carrying it starts now: its row is written marked as sending, in the same
    /// write (a mark after the insert would write each row twice).
    pub sending: bool,
}

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
) -> mpsc::UnboundedSender<ToWriter> {
    let (tx, mut rx) = mpsc::unbounded_channel::<ToWriter>();
    tokio::spawn(async move {
        let mut unsaved: Vec<Staging> = Vec::new();
        let mut warned = false;
        let mut rows: HashMap<UploadId, PendingId> = HashMap::new();
        // What arrived while the last write ran, in order.
        let mut backlog: VecDeque<ToWriter> = VecDeque::new();
        loop {
            let message = match backlog.pop_front() {
                Some(message) => message,
                None => tokio::select! {
                    message = rx.recv() => match message {
                        Some(message) => message,
                        None => break,
                    },
                    () = tokio::time::sleep(retry_every), if !unsaved.is_empty() => ToWriter::Record(Vec::new()),
                },
            };
            while let Ok(next) = rx.try_recv() {
                backlog.push_back(next);
            }
            // One transaction for a run of the same change to the pending table (the files
            // of many requests starting, say), not one each: order is kept.
            let message = coalesce(message, &mut backlog);
            let batch = match message {
                ToWriter::Record(batch) => batch,
                other => {
                    if let Some(store) = store.clone() {
                        pending(&store, other, &mut rows).await;
                    }
                    continue;
                }
            };
            let Some(store) = store.clone() else {
                let _ = done.send(Written {
                    items: batch,
                    problem: None,
                    recovered: 0,
                });
                continue;
            };
            // What waited and this batch, moved (not copied) into the write and back: at
            // thousands of files a request, copies of every record cost more than the write.
            let waited = unsaved.len();
            let mut to_write = std::mem::take(&mut unsaved);
            to_write.extend(batch);
            let finished: Vec<PendingId> = to_write
                .iter()
                .filter_map(|item| rows.get(&item.id).copied())
                .collect();
            let written = tokio::task::spawn_blocking(move || {
                // A bug that panics in the write must not lose the records: they are
                // kept for the next try like any other failed write.
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    write(&store, &to_write, &finished)
                }))
                .unwrap_or_else(|_| {
                    Err(crate::t!("queue-internal-error-saving", reason = "panic"))
                });
                (to_write, result)
            })
            .await;
            let (mut to_write, result) = match written {
                Ok(written) => written,
                // Only when the runtime shuts down: nobody is left to tell.
                Err(e) => {
                    tracing::warn!("the history write did not run: {e}");
                    break;
                }
            };
            let mut batch = to_write.split_off(waited);
            let (problem, recovered) = match result {
                Ok(stored) => {
                    for item in to_write.iter().chain(&batch) {
                        rows.remove(&item.id);
                    }
                    // Heard of as the history stored them (a file staged again keeps the
                    // group and place of the one it replaces: the history's rule).
                    for (item, entry) in batch.iter_mut().zip(stored.into_iter().skip(waited)) {
                        if let Some(entry) = entry {
                            item.entry = entry;
                        }
                    }
                    let recovered = if warned { waited } else { 0 };
                    warned = false;
                    (None, recovered)
                }
                Err(reason) => {
                    // Kept for the next try, and told now.
                    to_write.extend(batch.iter().cloned());
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

/// Merges into `first` the messages at the front of `backlog` that make the same change to
/// the pending table. Records are never merged: each comes back as its own [`Written`].
fn coalesce(first: ToWriter, backlog: &mut VecDeque<ToWriter>) -> ToWriter {
    let mut merged = first;
    while let Some(next) = backlog.pop_front() {
        merged = match (merged, next) {
            (ToWriter::AddPending(mut a), ToWriter::AddPending(b)) => {
                a.extend(b);
                ToWriter::AddPending(a)
            }
            (ToWriter::Sending(mut a), ToWriter::Sending(b)) => {
                a.extend(b);
                ToWriter::Sending(a)
            }
            (ToWriter::Ended(mut a), ToWriter::Ended(b)) => {
                a.extend(b);
                ToWriter::Ended(a)
            }
            (ToWriter::RemoveRows(mut a), ToWriter::RemoveRows(b)) => {
                a.extend(b);
                ToWriter::RemoveRows(a)
            }
            (ToWriter::Checkpoint, ToWriter::Checkpoint) => ToWriter::Checkpoint,
            (merged, next) => {
                backlog.push_front(next);
                return merged;
            }
        };
    }
    merged
}

/// Follows the pending table; a failure is logged only (the file is still sent, it just
/// may not resume after a crash).
async fn pending(store: &HistoryStore, message: ToWriter, rows: &mut HashMap<UploadId, PendingId>) {
    let store = store.clone();
    match message {
        ToWriter::Record(_) => {}
        ToWriter::AddPending(files) => {
            let mut ids = Vec::with_capacity(files.len());
            let mut new = Vec::with_capacity(files.len());
            for keep in files {
                match keep.row {
                    Some(row) => {
                        rows.insert(keep.id, row);
                    }
                    None => {
                        ids.push(keep.id);
                        new.push((keep.file, keep.sending));
                    }
                }
            }
            if new.is_empty() {
                return;
            }
            match tokio::task::spawn_blocking(move || store.add_pending_marked(&new)).await {
                Ok(Ok(added)) => {
                    for (id, row) in ids.into_iter().zip(added) {
                        if let Some(row) = row {
                            rows.insert(id, row);
                        }
                    }
                }
                Ok(Err(e)) => tracing::warn!("pending files not kept: {e}"),
                Err(e) => tracing::warn!("pending files not kept: {e}"),
            }
        }
        ToWriter::Sending(ids) => {
            let marked: Vec<PendingId> =
                ids.iter().filter_map(|id| rows.get(id).copied()).collect();
            if marked.is_empty() {
                return;
            }
            run(move || store.mark_pending_sending(&marked).map(|_| ())).await;
        }
        ToWriter::Ended(ids) => {
            let ended: Vec<PendingId> = ids.iter().filter_map(|id| rows.remove(id)).collect();
            if ended.is_empty() {
                return;
            }
            run(move || store.remove_pending(&ended).map(|_| ())).await;
        }
        ToWriter::RemoveRows(ended) => run(move || store.remove_pending(&ended).map(|_| ())).await,
        // Only the log's size is at stake: the writes are in the log already.
        ToWriter::Checkpoint => match tokio::task::spawn_blocking(move || store.checkpoint()).await
        {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!("the history's log was not copied back: {e}"),
            Err(e) => tracing::warn!("the history's log was not copied back: {e}"),
        },
    }
}

async fn run(work: impl FnOnce() -> Result<(), crate::history::HistoryError> + Send + 'static) {
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!("pending files not updated: {e}"),
        Err(e) => tracing::warn!("pending files not updated: {e}"),
    }
}

/// One write: new records in one transaction with the removal of their files' pending
/// rows (`finished`); a record that replaces an expired one takes its place (or is added,
/// when the old one was cleared meanwhile). Returns, for each item in order, its entry as
/// stored when that differs from the item's (a replacement).
fn write(
    store: &HistoryStore,
    items: &[Staging],
    finished: &[PendingId],
) -> Result<Vec<Option<HistoryEntry>>, String> {
    let mut new = Vec::new();
    let mut stored = Vec::with_capacity(items.len());
    for item in items {
        let replaced = match &item.replaces {
            Some(old) => store.replace(old, &item.entry).map_err(|e| e.to_string())?,
            None => None,
        };
        if replaced.is_none() {
            new.push(&item.entry);
        }
        stored.push(replaced);
    }
    store
        .record_and_forget_pending(new, finished)
        .map_err(|e| e.to_string())?;
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(messages: &[ToWriter]) -> Vec<String> {
        messages
            .iter()
            .map(|m| match m {
                ToWriter::Record(items) => format!("record {}", items.len()),
                ToWriter::AddPending(files) => format!("add {}", files.len()),
                ToWriter::Sending(ids) => format!("sending {ids:?}"),
                ToWriter::Ended(ids) => format!("ended {ids:?}"),
                ToWriter::RemoveRows(rows) => format!("remove {}", rows.len()),
                ToWriter::Checkpoint => "checkpoint".into(),
            })
            .collect()
    }

    fn drain(first: ToWriter, rest: Vec<ToWriter>) -> Vec<ToWriter> {
        let mut backlog: VecDeque<ToWriter> = rest.into();
        let mut out = vec![coalesce(first, &mut backlog)];
        while let Some(next) = backlog.pop_front() {
            out.push(coalesce(next, &mut backlog));
        }
        out
    }

    #[test]
    fn runs_of_one_change_become_one_write_in_order() {
        let out = drain(
            ToWriter::Sending(vec![1]),
            vec![
                ToWriter::Sending(vec![2, 3]),
                ToWriter::Sending(vec![4]),
                ToWriter::Ended(vec![2]),
                ToWriter::Ended(vec![3]),
                ToWriter::Sending(vec![5]),
                ToWriter::RemoveRows(vec![PendingId::for_tests(1)]),
                ToWriter::RemoveRows(vec![PendingId::for_tests(2)]),
            ],
        );
        assert_eq!(
            kinds(&out),
            [
                "sending [1, 2, 3, 4]",
                "ended [2, 3]",
                "sending [5]",
                "remove 2"
            ]
        );
    }

    #[test]
    fn records_are_never_merged_and_nothing_passes_them() {
        let out = drain(
            ToWriter::Record(Vec::new()),
            vec![
                ToWriter::Record(Vec::new()),
                ToWriter::Ended(vec![1]),
                ToWriter::Record(Vec::new()),
                ToWriter::Ended(vec![2]),
            ],
        );
        assert_eq!(
            kinds(&out),
            ["record 0", "record 0", "ended [1]", "record 0", "ended [2]"]
        );
    }
}
