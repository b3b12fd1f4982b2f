//! What goes out: which files share the next request, and the request itself, reporting
//! progress as it goes and back to the queue when it ends.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use futures_util::FutureExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{Internal, JobState, QueueActor};
use crate::api::{ApiError, ProgressFn};
use crate::local_file::LocalFile;
use crate::upload_queue::{EventSink, QueueEvent, Target, UploadId};

impl QueueActor {
    /// Starts requests while there is room, a target, and something waiting.
    pub(super) fn dispatch(&mut self) {
        let Some(target) = self.target.clone() else {
            return;
        };
        while self.in_flight < self.options.concurrency.max(1) {
            let batch = self.next_batch();
            if batch.is_empty() {
                break;
            }
            self.in_flight += 1;
            let mut files = Vec::with_capacity(batch.len());
            let mut tokens = Vec::with_capacity(batch.len());
            for id in &batch {
                if let Some(job) = self.jobs.get_mut(id) {
                    job.state = JobState::Sending;
                    files.push(job.file.clone());
                    tokens.push(job.cancel.clone());
                }
                self.emit(QueueEvent::Sending { id: *id });
            }
            tokio::spawn(run_request(
                batch,
                files,
                tokens,
                target.clone(),
                self.sink.clone(),
                self.internal.clone(),
            ));
        }
    }

    /// The next request's files: one large file, or small ones up to the limits, never
    /// two of the same name (a server answering by name could not tell them apart).
    pub(super) fn next_batch(&mut self) -> Vec<UploadId> {
        let mut batch = Vec::new();
        let mut names = HashSet::new();
        let mut bytes = 0u64;
        let mut skipped = Vec::new();
        while let Some(&id) = self.pending.front() {
            let Some(job) = self.jobs.get(&id) else {
                self.pending.pop_front();
                continue;
            };
            if job.state != JobState::Waiting {
                self.pending.pop_front();
                continue;
            }
            let shareable = !job.solo && job.file.size <= self.options.small_file_limit;
            if !batch.is_empty()
                && (!shareable
                    || batch.len() >= self.options.batch_max_files
                    || bytes + job.file.size > self.options.batch_max_bytes)
            {
                break;
            }
            self.pending.pop_front();
            if !names.insert(job.file.name.clone()) {
                // Waits for the next request, keeping its place.
                skipped.push(id);
                continue;
            }
            batch.push(id);
            bytes += job.file.size;
            if !shareable {
                break;
            }
        }
        for id in skipped.into_iter().rev() {
            self.pending.push_front(id);
        }
        batch
    }
}

pub(super) async fn run_request(
    ids: Vec<UploadId>,
    files: Vec<LocalFile>,
    tokens: Vec<CancellationToken>,
    target: Target,
    sink: EventSink,
    internal: mpsc::UnboundedSender<Internal>,
) {
    let files_left = Arc::new(AtomicU64::new(files.len() as u64));
    let body_sent = Arc::new(AtomicBool::new(false));
    let progress: ProgressFn = {
        let ids = ids.clone();
        let sizes: Vec<u64> = files.iter().map(|f| f.size).collect();
        let sink = sink.clone();
        let files_left = files_left.clone();
        let body_sent = body_sent.clone();
        Arc::new(move |index, sent| {
            let (Some(&id), Some(&total)) = (ids.get(index), sizes.get(index)) else {
                return;
            };
            sink(QueueEvent::Progress { id, sent, total });
            if sent == total {
                sink(QueueEvent::WaitingForServer { id });
                if files_left.fetch_sub(1, Ordering::AcqRel) == 1 {
                    body_sent.store(true, Ordering::Release);
                }
            }
        })
    };
    let any_cancelled = futures_util::future::select_all(
        tokens.iter().map(|t| t.clone().cancelled_owned().boxed()),
    );
    // A bug that panics in here must still free the slot and end the files in a definite
    // state, not leave them "sending" for ever.
    let stage =
        std::panic::AssertUnwindSafe(target.client.stage(&target.organization, &files, progress))
            .catch_unwind()
            .map(|r| r.unwrap_or(Err(ApiError::Internal)));
    let message = tokio::select! {
        result = stage => Internal::Finished {
            ids,
            organization: target.organization,
            server: target.client.base().to_string(),
            body_sent: body_sent.load(Ordering::Acquire),
            result,
        },
        _ = any_cancelled => Internal::Interrupted { ids },
    };
    let _ = internal.send(message);
}
