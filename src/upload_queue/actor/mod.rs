//! The queue's loop: one task owns every file's state; requests, inspections and history
//! writes run beside it and report back, so the loop never waits on the disk or the
//! network and always answers a cancel at once.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::history_writer::{self, Staging, Written};
mod intake;
mod request;

use super::{
    AddMode, BatchId, Command, EventSink, QueueEvent, QueueOptions, Restage, Target, UploadError,
    UploadId,
};
use crate::api::{ApiError, Renamed, StagedAnswer};
use crate::endpoint::OrganizationId;
use crate::folder_scan::{self, Expansion, Refusal};
use crate::history::{HistoryEntry, HistoryStore, SourceFile, StagedGroup};
use crate::local_file::{LocalFile, LocalFileError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JobState {
    /// Found, but its batch waits for the operator's yes.
    Held,
    Waiting,
    Sending,
    RetryWait,
    /// Being looked at again before a retry.
    Checking,
    Staged,
    Failed,
    Cancelled,
}

struct Job {
    file: LocalFile,
    group: Option<StagedGroup>,
    /// Where the operator put it among the files of its group.
    place_in_group: Option<u32>,
    state: JobState,
    attempts: u32,
    /// Set after a shared request failed: from then on the file goes alone.
    solo: bool,
    cancel: CancellationToken,
    /// An earlier try may have been stored by the server although no answer said so.
    maybe_stored: bool,
    /// The expired ID this file replaces.
    replaces: Option<String>,
    /// What to tell about it once staged (changed since its earlier staging…).
    note: Option<String>,
}

enum Internal {
    Inspected {
        batch: BatchId,
        mode: AddMode,
        group: Option<StagedGroup>,
        found: Found,
    },
    Finished {
        ids: Vec<UploadId>,
        organization: OrganizationId,
        /// The server's base URL, as the history keeps it.
        server: String,
        /// Every byte of the request was handed over: the server may have stored it.
        body_sent: bool,
        result: Result<Vec<StagedAnswer>, ApiError>,
    },
    Interrupted {
        ids: Vec<UploadId>,
    },
    RetryDue {
        id: UploadId,
    },
    Rechecked {
        id: UploadId,
        result: Result<LocalFile, LocalFileError>,
    },
}

/// What looking at a batch found.
enum Found {
    /// The paths given, and what they expanded to.
    Paths(Vec<PathBuf>, Expansion),
    Restaged(Vec<(Restage, Result<LocalFile, LocalFileError>)>),
}

struct QueueActor {
    options: QueueOptions,
    sink: EventSink,
    internal: mpsc::UnboundedSender<Internal>,
    history: mpsc::UnboundedSender<Vec<Staging>>,
    target: Option<Target>,
    jobs: HashMap<UploadId, Job>,
    held: HashMap<BatchId, Vec<UploadId>>,
    pending: VecDeque<UploadId>,
    in_flight: usize,
    /// Batches being looked at, and history writes not yet back: the queue is not done.
    busy: usize,
    next_id: UploadId,
}

pub(super) async fn run(
    options: QueueOptions,
    history: Option<HistoryStore>,
    sink: EventSink,
    mut commands: mpsc::UnboundedReceiver<Command>,
) {
    let (internal_tx, mut internal) = mpsc::unbounded_channel();
    let (written_tx, mut written) = mpsc::unbounded_channel();
    let writer = history_writer::start(history, options.history_retry, written_tx);
    let mut actor = QueueActor {
        options,
        sink,
        internal: internal_tx,
        history: writer,
        target: None,
        jobs: HashMap::new(),
        held: HashMap::new(),
        pending: VecDeque::new(),
        in_flight: 0,
        busy: 0,
        next_id: 1,
    };
    let mut handles_alive = true;
    loop {
        tokio::select! {
            command = commands.recv(), if handles_alive => match command {
                Some(c) => actor.handle_command(c),
                None => handles_alive = false,
            },
            Some(message) = internal.recv() => actor.handle_internal(message),
            Some(done) = written.recv() => actor.written(done),
        }
        if !handles_alive && actor.in_flight == 0 && actor.busy == 0 {
            break;
        }
        actor.dispatch();
    }
}

impl QueueActor {
    fn emit(&self, event: QueueEvent) {
        (self.sink)(event);
    }

    fn new_id(&mut self) -> UploadId {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn handle_command(&mut self, command: Command) {
        match command {
            Command::AddPaths {
                batch,
                paths,
                group,
                mode,
            } => {
                let given = paths.clone();
                self.inspect(
                    batch,
                    mode,
                    group,
                    move || {
                        let expansion = folder_scan::expand(&paths);
                        Found::Paths(paths, expansion)
                    },
                    move |problem| {
                        let refused = given
                            .iter()
                            .map(|path| Refusal {
                                path: path.clone(),
                                shown: path.display().to_string(),
                                error: LocalFileError::Unreadable(
                                    path.display().to_string(),
                                    problem.clone(),
                                ),
                            })
                            .collect();
                        Found::Paths(
                            given,
                            Expansion {
                                files: Vec::new(),
                                refused,
                                folders: Vec::new(),
                            },
                        )
                    },
                )
            }
            Command::Restage { batch, items } => {
                let given = items.clone();
                self.inspect(
                    batch,
                    AddMode::All,
                    None,
                    move || {
                        Found::Restaged(
                            items
                                .into_iter()
                                .map(|item| {
                                    let result = LocalFile::inspect(&item.source.path);
                                    (item, result)
                                })
                                .collect(),
                        )
                    },
                    move |problem| {
                        Found::Restaged(
                            given
                                .into_iter()
                                .map(|item| {
                                    let shown = item.source.path.display().to_string();
                                    (
                                        item,
                                        Err(LocalFileError::Unreadable(shown, problem.clone())),
                                    )
                                })
                                .collect(),
                        )
                    },
                )
            }
            Command::Confirm { batch, accept } => self.confirm(batch, accept),
            Command::SetTarget(target) => self.target = *target,
            Command::Cancel(id) => self.cancel(id),
            Command::CancelAll => {
                let mut ids: Vec<_> = self.jobs.keys().copied().collect();
                ids.sort_unstable();
                for id in ids {
                    self.cancel(id);
                }
            }
            Command::Retry(id) => self.retry(id),
        }
    }

    fn cancel(&mut self, id: UploadId) {
        let Some(job) = self.jobs.get_mut(&id) else {
            return;
        };
        match job.state {
            JobState::Held | JobState::Waiting | JobState::RetryWait | JobState::Checking => {
                job.state = JobState::Cancelled;
                self.pending.retain(|p| *p != id);
                self.emit(QueueEvent::Cancelled { id });
            }
            // The request task sees the token and reports back as Interrupted.
            JobState::Sending => job.cancel.cancel(),
            JobState::Staged | JobState::Failed | JobState::Cancelled => {}
        }
    }

    fn handle_internal(&mut self, message: Internal) {
        match message {
            Internal::Inspected {
                batch,
                mode,
                group,
                found,
            } => self.inspected(batch, mode, group, found),
            Internal::Finished {
                ids,
                organization,
                server,
                body_sent,
                result,
            } => {
                self.in_flight -= 1;
                match result {
                    Ok(staged) => self.staged(&ids, organization, server, staged),
                    Err(error) => self.request_failed(&ids, error, body_sent),
                }
            }
            Internal::Interrupted { ids } => {
                self.in_flight -= 1;
                let cancelled: Vec<String> = ids
                    .iter()
                    .filter_map(|id| self.jobs.get(id))
                    .filter(|job| job.cancel.is_cancelled())
                    .map(|job| job.file.name.clone())
                    .collect();
                // Cancelled files end here; the others that shared the request go again.
                for id in ids.iter().rev() {
                    let Some(job) = self.jobs.get_mut(id) else {
                        continue;
                    };
                    if job.cancel.is_cancelled() {
                        job.state = JobState::Cancelled;
                        self.emit(QueueEvent::Cancelled { id: *id });
                    } else {
                        job.state = JobState::Waiting;
                        self.pending.push_front(*id);
                        self.emit(QueueEvent::Requeued {
                            id: *id,
                            reason: format!(
                                "Sent again from the start: it shared a request with {}, which was cancelled.",
                                cancelled.join(", ")
                            ),
                        });
                    }
                }
            }
            Internal::RetryDue { id } => {
                if let Some(job) = self.jobs.get_mut(&id)
                    && job.state == JobState::RetryWait
                {
                    job.state = JobState::Waiting;
                    self.pending.push_front(id);
                }
            }
            Internal::Rechecked { id, result } => self.rechecked(id, result),
        }
    }

    fn staged(
        &mut self,
        ids: &[UploadId],
        organization: OrganizationId,
        server: String,
        staged: Vec<StagedAnswer>,
    ) {
        let now = self.options.clock.now();
        let mut batch = Vec::with_capacity(ids.len());
        for (id, answer) in ids.iter().zip(staged) {
            let Some(job) = self.jobs.get_mut(id) else {
                continue;
            };
            // Confirmed by the server: never sent again, whatever happens next.
            job.state = JobState::Staged;
            let mut notes = Vec::new();
            match answer.renamed {
                Some(Renamed::AsServersDo) => notes.push(format!(
                    "The server stored it as \"{}\"; use that name.",
                    answer.temp_file.name
                )),
                Some(Renamed::Unexplained) => notes.push(format!(
                    "The server stored it under another name, \"{}\"; use that name.",
                    answer.temp_file.name
                )),
                None => {}
            }
            if job.maybe_stored {
                notes.push(
                    "It may be on the server twice: an earlier try was stored without an answer. The duplicate is never used and expires on its own."
                        .to_owned(),
                );
            }
            notes.extend(job.note.take());
            let entry = HistoryEntry {
                id: answer.temp_file.id,
                name: answer.temp_file.name,
                size: job.file.size,
                organization_id: organization.to_string(),
                server: server.clone(),
                staged_at: now,
                group: job.group.clone(),
                place_in_group: job.place_in_group,
                source: Some(SourceFile {
                    path: job.file.path.clone(),
                    relative_path: job.file.relative_path.clone(),
                    size: job.file.size,
                    modified: job.file.modified,
                }),
            };
            batch.push(Staging {
                id: *id,
                entry,
                note: (!notes.is_empty()).then(|| notes.join(" ")),
                replaces: job.replaces.clone(),
            });
        }
        // Written before anyone hears of it: an ID the operator saw is an ID on disk.
        if !batch.is_empty() {
            self.busy += 1;
            let _ = self.history.send(batch);
        }
    }

    fn written(&mut self, done: Written) {
        if !done.items.is_empty() {
            self.busy -= 1;
        }
        if let Some(reason) = done.problem {
            self.emit(QueueEvent::HistoryNotSaved { reason });
        }
        if done.recovered > 0 {
            self.emit(QueueEvent::HistorySaved {
                recovered: done.recovered,
            });
        }
        for item in done.items {
            self.emit(QueueEvent::Staged {
                id: item.id,
                entry: item.entry,
                note: item.note,
                replaces: item.replaces,
            });
        }
    }

    fn request_failed(&mut self, ids: &[UploadId], error: ApiError, body_sent: bool) {
        let shared = ids.len() > 1;
        if shared {
            // A file fault names its file: that one fails, the others go again at once.
            if let ApiError::FileChanged { name, .. } | ApiError::FileUnreadable { name, .. } =
                &error
                && let Some(&culprit) = ids
                    .iter()
                    .find(|id| self.jobs.get(id).is_some_and(|j| &j.file.name == name))
            {
                for &id in ids {
                    if id == culprit {
                        self.fail(id, error.clone());
                    } else {
                        self.requeue(
                            id,
                            format!("Sent again from the start: it shared a request with {name}, which changed."),
                        );
                    }
                }
                return;
            }
            // Which file the server refused is unknown: each goes alone, in the same order.
            if matches!(
                error,
                ApiError::Rejected(_) | ApiError::TooLarge | ApiError::UnexpectedStatus { .. }
            ) {
                for &id in ids.iter().rev() {
                    if let Some(job) = self.jobs.get_mut(&id) {
                        job.solo = true;
                        job.state = JobState::Waiting;
                        self.pending.push_front(id);
                    }
                }
                for &id in ids {
                    self.emit(QueueEvent::Requeued {
                        id,
                        reason: "The server refused a request this file shared; each file is now sent alone.".to_owned(),
                    });
                }
                return;
            }
        }
        let may_have_stored = body_sent && error.may_have_stored();
        for &id in ids {
            let Some(job) = self.jobs.get_mut(&id) else {
                continue;
            };
            job.attempts += 1;
            job.maybe_stored |= may_have_stored;
            if error.is_transient() && job.attempts < self.options.max_attempts {
                let delay = match error.retry_after() {
                    Some(after) => after.min(self.options.max_backoff),
                    None => self
                        .options
                        .backoff
                        .saturating_mul(1 << (job.attempts - 1).min(16))
                        .min(self.options.max_backoff),
                };
                // After the wait, a file from a shared request goes alone.
                job.solo |= shared;
                job.state = JobState::RetryWait;
                (self.sink)(QueueEvent::Retrying {
                    id,
                    attempt: job.attempts,
                    delay,
                    reason: error.clone(),
                });
                let internal = self.internal.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    let _ = internal.send(Internal::RetryDue { id });
                });
            } else {
                self.fail(id, error.clone());
            }
        }
    }

    fn fail(&mut self, id: UploadId, error: ApiError) {
        if let Some(job) = self.jobs.get_mut(&id) {
            job.state = JobState::Failed;
            self.emit(QueueEvent::Failed {
                id,
                error: UploadError::Api(error),
            });
        }
    }

    fn requeue(&mut self, id: UploadId, reason: String) {
        if let Some(job) = self.jobs.get_mut(&id) {
            job.state = JobState::Waiting;
            self.pending.push_front(id);
            self.emit(QueueEvent::Requeued { id, reason });
        }
    }
}
