//! What goes out: the requests the planner plans, each reporting progress as it goes and
//! back to the queue when it ends.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use futures_util::FutureExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{Internal, QueueActor, now};
use crate::api::{ApiError, ProgressFn};
use crate::local_file::LocalFile;
use crate::upload_queue::history_writer::ToWriter;
use crate::upload_queue::planner::RequestId;
use crate::upload_queue::{EventSink, QueueEvent, Target, UploadId};

impl QueueActor {
    /// Starts the requests the planner plans while there is a target.
    pub(super) fn dispatch(&mut self) {
        let Some(target) = self.target.clone() else {
            return;
        };
        let mut plans = Vec::new();
        while let Some(plan) = self.planner.next_request(now(), self.in_flight) {
            self.in_flight += 1;
            plans.push(plan);
        }
        // The files these requests carry are kept in the pending table already marked as
        // sending (a crash from here on may leave them stored); files kept before are
        // marked in one write for all the requests.
        let starting: HashSet<UploadId> = if self.unrecorded.is_empty() {
            HashSet::new()
        } else {
            plans.iter().flat_map(|p| p.files.iter().copied()).collect()
        };
        let marked = self.record_pending(&target, &starting);
        let kept_before: Vec<UploadId> = plans
            .iter()
            .flat_map(|p| p.files.iter().copied())
            .filter(|id| !marked.contains(id))
            .collect();
        if !kept_before.is_empty() {
            let _ = self.history.send(ToWriter::Sending(kept_before));
        }
        for plan in plans {
            let mut files = Vec::with_capacity(plan.files.len());
            // Cancelling any of its files stops the request: one token for all of them
            // (waiting on a token per file costs a look at each at every wakeup).
            let stop = CancellationToken::new();
            for id in &plan.files {
                if let Some(job) = self.jobs.get_mut(id) {
                    files.push(job.file.clone());
                    job.request_stop = Some(stop.clone());
                }
                self.emit(QueueEvent::Sending { id: *id });
            }
            tokio::spawn(run_request(
                plan.id,
                plan.files,
                files,
                stop,
                target.clone(),
                self.sink.clone(),
                self.internal.clone(),
            ));
        }
    }
}

pub(super) async fn run_request(
    request: RequestId,
    ids: Vec<UploadId>,
    files: Vec<LocalFile>,
    stop: CancellationToken,
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
            // The last bytes are told by `WaitingForServer` alone: a small file is sent in
            // one go, and an event less per file counts at thousands of files.
            if sent < total {
                sink(QueueEvent::Progress { id, sent, total });
            } else {
                sink(QueueEvent::WaitingForServer { id });
                if files_left.fetch_sub(1, Ordering::AcqRel) == 1 {
                    body_sent.store(true, Ordering::Release);
                }
            }
        })
    };
    // A bug that panics in here must still free the slot and end the files in a definite
    // state, not leave them "sending" for ever.
    let stage =
        std::panic::AssertUnwindSafe(target.client.stage(&target.organization, &files, progress))
            .catch_unwind()
            .map(|r| r.unwrap_or(Err(ApiError::Internal)));
    let message = tokio::select! {
        result = stage => Internal::Finished {
            request,
            organization: target.organization,
            server: target.client.base().to_string(),
            body_sent: body_sent.load(Ordering::Acquire),
            result,
        },
        () = stop.cancelled() => Internal::Interrupted { request },
    };
    let _ = internal.send(message);
}
