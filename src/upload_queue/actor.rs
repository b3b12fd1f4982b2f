//! The queue's loop: one task owns every file's state; requests, inspections and history
//! writes run beside it and report back, so the loop never waits on the disk or the
//! network and always answers a cancel at once.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::SystemTime;

use futures_util::FutureExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::history_writer::{self, Staging, Written};
use super::{
    AddMode, BatchId, BatchSummary, Command, EventSink, QueueEvent, QueueOptions, Restage, Target,
    UploadError, UploadId,
};
use crate::api::{ApiError, ProgressFn, Renamed, StagedAnswer};
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

    /// Looks at what was added on the blocking pool; the result comes back as
    /// [`Internal::Inspected`]. Should the work itself fail (a bug), `failed` still says
    /// what happened to each item: nothing is dropped silently.
    fn inspect(
        &mut self,
        batch: BatchId,
        mode: AddMode,
        group: Option<StagedGroup>,
        work: impl FnOnce() -> Found + Send + 'static,
        failed: impl FnOnce(String) -> Found + Send + 'static,
    ) {
        self.busy += 1;
        let internal = self.internal.clone();
        tokio::spawn(async move {
            let found = match tokio::task::spawn_blocking(work).await {
                Ok(found) => found,
                Err(e) => failed(format!("an internal error interrupted looking at it ({e})")),
            };
            let _ = internal.send(Internal::Inspected {
                batch,
                mode,
                group,
                found,
            });
        });
    }

    fn inspected(
        &mut self,
        batch: BatchId,
        mode: AddMode,
        group: Option<StagedGroup>,
        found: Found,
    ) {
        self.busy -= 1;
        let mut summary = BatchSummary {
            files: 0,
            bytes: 0,
            refused: 0,
            folders: Vec::new(),
            question: None,
        };
        // Each found file: (file, the ID it replaces, a note, its group).
        type NewJob = (
            LocalFile,
            Option<String>,
            Option<String>,
            Option<StagedGroup>,
        );
        let mut added: Vec<NewJob> = Vec::new();
        match found {
            Found::Paths(given, expansion) => {
                if mode == AddMode::AskIfLarge {
                    summary.question = expansion.confirmation_question();
                }
                summary.folders = expansion.folders;
                for refusal in expansion.refused {
                    let id = self.new_id();
                    summary.refused += 1;
                    self.emit(QueueEvent::Refused {
                        id,
                        batch,
                        shown: refusal.shown,
                        named: given.contains(&refusal.path),
                        error: refusal.error,
                    });
                }
                for file in expansion.files {
                    added.push((file, None, None, group.clone()));
                }
            }
            Found::Restaged(items) => {
                for (item, result) in items {
                    match result {
                        Ok(mut file) => {
                            file.relative_path = item.source.relative_path.clone();
                            let changed = file.size != item.source.size
                                || (item.source.modified.is_some()
                                    && file.modified != item.source.modified);
                            let note = changed.then(|| {
                                "It changed since it was first staged: the new ID is for the file as it is now.".to_owned()
                            });
                            added.push((
                                file,
                                Some(item.entry.id.clone()),
                                note,
                                item.entry.group.clone(),
                            ));
                        }
                        Err(error) => {
                            let id = self.new_id();
                            summary.refused += 1;
                            self.emit(QueueEvent::Refused {
                                id,
                                batch,
                                shown: item.source.relative_path.clone(),
                                error,
                                named: true,
                            });
                        }
                    }
                }
            }
        }
        let hold = summary.question.is_some();
        let mut ids = Vec::with_capacity(added.len());
        for (file, replaces, note, group) in added {
            let id = self.new_id();
            summary.files += 1;
            summary.bytes += file.size;
            self.emit(QueueEvent::Added {
                id,
                batch,
                file: file.clone(),
                group: group.clone(),
            });
            self.jobs.insert(
                id,
                Job {
                    file,
                    group,
                    state: if hold {
                        JobState::Held
                    } else {
                        JobState::Waiting
                    },
                    attempts: 0,
                    solo: false,
                    cancel: CancellationToken::new(),
                    maybe_stored: false,
                    replaces,
                    note,
                },
            );
            ids.push(id);
        }
        if hold {
            self.held.insert(batch, ids);
        } else {
            self.pending.extend(ids);
        }
        self.emit(QueueEvent::Inspected { batch, summary });
    }

    fn confirm(&mut self, batch: BatchId, accept: bool) {
        let Some(ids) = self.held.remove(&batch) else {
            return;
        };
        for id in ids {
            if accept {
                if let Some(job) = self.jobs.get_mut(&id)
                    && job.state == JobState::Held
                {
                    job.state = JobState::Waiting;
                    self.pending.push_back(id);
                }
            } else {
                self.jobs.remove(&id);
            }
        }
        if !accept {
            self.emit(QueueEvent::Discarded { batch });
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

    fn retry(&mut self, id: UploadId) {
        let Some(job) = self.jobs.get_mut(&id) else {
            return;
        };
        if !matches!(job.state, JobState::Failed | JobState::Cancelled) {
            return;
        }
        // The file may have changed since: look at it again, on the blocking pool.
        job.state = JobState::Checking;
        let file = job.file.clone();
        self.busy += 1;
        let internal = self.internal.clone();
        tokio::spawn(async move {
            let shown = file.relative_path.clone();
            let result = tokio::task::spawn_blocking(move || file.reinspect())
                .await
                .unwrap_or_else(|e| Err(LocalFileError::Unreadable(shown, e.to_string())));
            let _ = internal.send(Internal::Rechecked { id, result });
        });
    }

    fn rechecked(&mut self, id: UploadId, result: Result<LocalFile, LocalFileError>) {
        self.busy -= 1;
        let Some(job) = self.jobs.get_mut(&id) else {
            return;
        };
        if job.state != JobState::Checking {
            return;
        }
        match result {
            Ok(fresh) => {
                job.file = fresh;
                job.state = JobState::Waiting;
                job.attempts = 0;
                job.solo = true;
                job.cancel = CancellationToken::new();
                self.pending.push_back(id);
            }
            Err(e) => {
                job.state = JobState::Failed;
                self.emit(QueueEvent::Failed {
                    id,
                    error: UploadError::File(e),
                });
            }
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
                body_sent,
                result,
            } => {
                self.in_flight -= 1;
                match result {
                    Ok(staged) => self.staged(&ids, organization, staged),
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
        staged: Vec<StagedAnswer>,
    ) {
        let now = SystemTime::now();
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
                    "An earlier try may also have been stored without an answer; that copy expires on its own."
                        .to_owned(),
                );
            }
            notes.extend(job.note.take());
            let entry = HistoryEntry {
                id: answer.temp_file.id,
                name: answer.temp_file.name,
                size: job.file.size,
                organization_id: organization.to_string(),
                staged_at: now,
                group: job.group.clone(),
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

    /// Starts requests while there is room, a target, and something waiting.
    fn dispatch(&mut self) {
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
    fn next_batch(&mut self) -> Vec<UploadId> {
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

async fn run_request(
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
            body_sent: body_sent.load(Ordering::Acquire),
            result,
        },
        _ = any_cancelled => Internal::Interrupted { ids },
    };
    let _ = internal.send(message);
}
