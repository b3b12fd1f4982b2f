//! The queue's loop: one task owns every file; the [`Planner`] decides what is sent and
//! what each answer or failure does, and this loop only turns its plans into requests and
//! its outcomes into events. Requests, inspections and history writes run beside it and
//! report back, so the loop never waits on the disk or the network and always answers a
//! cancel at once.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::history_writer::{self, ToKeep, ToWriter, Written};
mod intake;
mod outcomes;
mod request;
mod resume;

use super::planner::{CancelResult, PendingFile as PlannedFile, PlanLimits, Planner, RequestId};
use super::{
    AddMode, BatchId, Envelope, EventSink, QueueCommand, QueueEvent, QueueOptions, Restage, Target,
    UploadId,
};
use crate::api::{ApiError, StagedAnswer};
use crate::endpoint::OrganizationId;
use crate::folder_scan::{self, Expansion, Refusal};
use crate::history::{HistoryStore, PendingId, StagedGroup, UnfinishedFile};
use crate::local_file::{LocalFile, LocalFileError};

/// The longest the loop sleeps without looking at the planner again: a wakeup computed
/// before a laptop slept is looked at again soon after it wakes, whatever the clock did.
const LONGEST_SLEEP: Duration = Duration::from_secs(15);

/// Where a file is outside the planner's reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Found, but its batch waits for the operator's yes.
    Held,
    /// Being looked at again before a retry.
    Checking,
    /// Cancelled or failed while the planner did not have it.
    EndedEarly,
    /// The planner has it.
    Planned,
}

struct Job {
    file: LocalFile,
    group: Option<StagedGroup>,
    /// Where the operator put it among the files of its group.
    place_in_group: Option<u32>,
    stage: Stage,
    cancel: CancellationToken,
    /// Stops the request that carries it, while one does.
    request_stop: Option<CancellationToken>,
    /// The expired ID this file replaces.
    replaces: Option<String>,
    /// What to tell about it once staged (changed since its earlier staging…).
    note: Option<String>,
    /// Its row in the pending table when it was resumed from there (already kept).
    pending_row: Option<PendingId>,
}

enum Internal {
    Inspected {
        batch: BatchId,
        mode: AddMode,
        group: Option<StagedGroup>,
        found: Found,
    },
    Finished {
        request: RequestId,
        organization: OrganizationId,
        /// The server's base URL, as the history keeps it.
        server: String,
        /// Every byte of the request was handed over: the server may have stored it.
        body_sent: bool,
        result: Result<Vec<StagedAnswer>, ApiError>,
    },
    Interrupted {
        request: RequestId,
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
    /// Files left unfinished by a process that ended, as they are on disk now.
    Resumed(Vec<(UnfinishedFile, Result<LocalFile, LocalFileError>)>),
}

struct QueueActor {
    options: QueueOptions,
    sink: EventSink,
    internal: mpsc::UnboundedSender<Internal>,
    history: mpsc::UnboundedSender<ToWriter>,
    target: Option<Target>,
    /// Files in the planner not yet kept in the pending table (it needs the target).
    unrecorded: Vec<UploadId>,
    /// Unfinished files to resume once a target for their organization and server is set.
    resumable: Vec<(BatchId, Vec<UnfinishedFile>)>,
    jobs: HashMap<UploadId, Job>,
    held: HashMap<BatchId, Vec<UploadId>>,
    planner: Planner,
    in_flight: usize,
    /// Batches being looked at, and history writes not yet back: the queue is not done.
    busy: usize,
    next_id: UploadId,
}

pub(super) async fn run(
    options: QueueOptions,
    history: Option<HistoryStore>,
    sink: EventSink,
    mut commands: mpsc::UnboundedReceiver<Envelope>,
) {
    let (internal_tx, mut internal) = mpsc::unbounded_channel();
    let (written_tx, mut written) = mpsc::unbounded_channel();
    let writer = history_writer::start(history, options.history_retry, written_tx);
    let planner = Planner::new(plan_limits(&options));
    let mut actor = QueueActor {
        options,
        sink,
        internal: internal_tx,
        history: writer,
        target: None,
        unrecorded: Vec::new(),
        resumable: Vec::new(),
        jobs: HashMap::new(),
        held: HashMap::new(),
        planner,
        in_flight: 0,
        busy: 0,
        next_id: 1,
    };
    let mut handles_alive = true;
    loop {
        // One timer for every wait (retries, the network): what is due is asked of the
        // planner each time round, so no wait can be lost or left stuck.
        let now = Instant::now();
        let wake = actor
            .planner
            .next_wakeup()
            .map_or(now + LONGEST_SLEEP, |at| {
                Instant::from_std(at).min(now + LONGEST_SLEEP)
            });
        tokio::select! {
            command = commands.recv(), if handles_alive => match command {
                Some(c) => actor.handle_command(c),
                None => handles_alive = false,
            },
            Some(message) = internal.recv() => actor.handle_internal(message),
            Some(done) = written.recv() => actor.written(done),
            () = tokio::time::sleep_until(wake) => {}
        }
        if !handles_alive && actor.in_flight == 0 && actor.busy == 0 {
            break;
        }
        actor.dispatch();
    }
}

fn plan_limits(options: &QueueOptions) -> PlanLimits {
    PlanLimits {
        concurrency: options.concurrency,
        max_attempts: options.max_attempts,
        backoff: options.backoff,
        max_backoff: options.max_backoff,
        small_file_limit: options.small_file_limit,
        batch_max_files: options.batch_max_files,
        batch_max_bytes: options.batch_max_bytes,
        spread_max_files: options.spread_max_files,
        spread_max_bytes: options.spread_max_bytes,
        network_backoff: options.network_backoff,
        network_max_backoff: options.network_max_backoff,
        network_wait: options.network_wait,
    }
}

/// The planner's clock: tokio's, so that a test that pauses time pauses the planner too.
fn now() -> std::time::Instant {
    Instant::now().into_std()
}

impl QueueActor {
    fn emit(&self, event: QueueEvent) {
        // The pending table follows each file's life (the writer ignores files it does not
        // keep). A staged file's row goes with its record, in the writer; the files a
        // request carries are marked together when it starts (`dispatch`).
        match &event {
            QueueEvent::Failed { id, .. } | QueueEvent::Cancelled { id } => {
                let _ = self.history.send(ToWriter::Ended(vec![*id]));
            }
            _ => {}
        }
        (self.sink)(event);
    }

    /// Hands files to the planner; they are kept in the pending table before they are sent.
    fn plan(&mut self, files: Vec<PlannedFile>) {
        self.unrecorded.extend(files.iter().map(|f| f.id));
        self.planner.add(files);
    }

    /// Keeps the files not yet kept in the pending table, now that the target says which
    /// organization and server they are for; those in `starting` (a request carrying them
    /// starts now) are kept marked as sending. Returns the files so marked.
    fn record_pending(
        &mut self,
        target: &Target,
        starting: &HashSet<UploadId>,
    ) -> HashSet<UploadId> {
        let mut marked = HashSet::new();
        if self.unrecorded.is_empty() {
            return marked;
        }
        let organization_id = target.organization.to_string();
        let server = target.client.base().to_string();
        let files: Vec<_> = std::mem::take(&mut self.unrecorded)
            .into_iter()
            .filter_map(|id| {
                let job = self.jobs.get(&id)?;
                let file = crate::history::PendingFile {
                    path: job.file.path.clone(),
                    relative_path: job.file.relative_path.clone(),
                    size: job.file.size,
                    modified: job.file.modified,
                    group: job.group.clone(),
                    place_in_group: job.place_in_group,
                    organization_id: organization_id.clone(),
                    server: server.clone(),
                    replaces: job.replaces.clone(),
                };
                // A resumed file has its row already: it is marked by `Sending`.
                let sending = job.pending_row.is_none() && starting.contains(&id);
                if sending {
                    marked.insert(id);
                }
                Some(ToKeep {
                    id,
                    file,
                    row: job.pending_row,
                    sending,
                })
            })
            .collect();
        let _ = self.history.send(ToWriter::AddPending(files));
        marked
    }

    /// Starts resuming the unfinished files meant for the target now set.
    fn resume_for_target(&mut self) {
        let Some(target) = &self.target else {
            return;
        };
        let organization = target.organization.to_string();
        let server = target.client.base().to_string();
        for (batch, files) in std::mem::take(&mut self.resumable) {
            let (now, later) = resume::for_target(files, &organization, &server);
            if !later.is_empty() {
                self.resumable.push((batch, later));
            }
            if now.is_empty() {
                continue;
            }
            let given = now.clone();
            self.inspect(
                batch,
                AddMode::All,
                None,
                move || {
                    Found::Resumed(
                        now.into_iter()
                            .map(|u| {
                                let result = LocalFile::inspect(&u.file.path);
                                (u, result)
                            })
                            .collect(),
                    )
                },
                move |problem| {
                    Found::Resumed(
                        given
                            .into_iter()
                            .map(|u| {
                                let shown = u.file.relative_path.clone();
                                (u, Err(LocalFileError::Unreadable(shown, problem.clone())))
                            })
                            .collect(),
                    )
                },
            );
        }
    }

    fn new_id(&mut self) -> UploadId {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn handle_command(&mut self, Envelope { batch, command }: Envelope) {
        match command {
            QueueCommand::AddPaths { paths, group, mode } => {
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
            QueueCommand::Restage(items) => {
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
                                    // Staged before from there: a file missing now was
                                    // moved or deleted, not mistyped.
                                    let result = LocalFile::inspect(&item.source.path).map_err(
                                        |e| match e {
                                            LocalFileError::NotFound(shown) => {
                                                LocalFileError::Gone(shown)
                                            }
                                            other => other,
                                        },
                                    );
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
            QueueCommand::Confirm(batch, accept) => self.confirm(batch, accept),
            QueueCommand::SetTarget(target) => {
                self.target = *target;
                self.resume_for_target();
            }
            QueueCommand::Resume(files) => {
                self.resumable.push((batch, files));
                self.resume_for_target();
            }
            QueueCommand::Cancel(id) => {
                self.cancel(id);
                self.settle();
            }
            QueueCommand::CancelAll => {
                let mut ids: Vec<_> = self.jobs.keys().copied().collect();
                ids.sort_unstable();
                for id in ids {
                    self.cancel(id);
                }
                self.settle();
            }
            QueueCommand::CancelEach(ids) => {
                for id in ids {
                    self.cancel(id);
                }
                self.settle();
            }
            QueueCommand::Retry(id) => self.retry(id),
            QueueCommand::RetryNow => self.planner.retry_now(now()),
        }
    }

    /// Says when nothing waits for the network any more.
    fn settle(&mut self) {
        if let Some(outcome) = self.planner.settle() {
            self.tell(vec![outcome], &ApiError::Internal, None, &[]);
        }
    }

    fn cancel(&mut self, id: UploadId) {
        let Some(job) = self.jobs.get_mut(&id) else {
            return;
        };
        match job.stage {
            Stage::Held | Stage::Checking => {
                job.stage = Stage::EndedEarly;
                self.emit(QueueEvent::Cancelled { id });
            }
            Stage::EndedEarly => {}
            Stage::Planned => match self.planner.cancel(id) {
                CancelResult::Cancelled => self.emit(QueueEvent::Cancelled { id }),
                // The request task sees the token and reports back as Interrupted.
                CancelResult::InFlight => {
                    job.cancel.cancel();
                    if let Some(stop) = &job.request_stop {
                        stop.cancel();
                    }
                }
                CancelResult::NotActive => {}
            },
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
                request,
                organization,
                server,
                body_sent,
                result,
            } => {
                self.in_flight -= 1;
                match result {
                    Ok(answers) => self.answered(request, organization, server, answers),
                    Err(error) => self.request_failed(request, error, body_sent),
                }
            }
            Internal::Interrupted { request } => {
                self.in_flight -= 1;
                let cancelled: Vec<UploadId> = self
                    .planner
                    .request_files(request)
                    .iter()
                    .copied()
                    .filter(|id| self.jobs.get(id).is_some_and(|j| j.cancel.is_cancelled()))
                    .collect();
                let outcomes = self.planner.interrupted(request, &cancelled);
                let names: Vec<String> = cancelled
                    .iter()
                    .filter_map(|id| self.jobs.get(id))
                    .map(|job| job.file.name.clone())
                    .collect();
                self.tell(outcomes, &ApiError::Internal, None, &names);
                self.settle();
            }
            Internal::Rechecked { id, result } => self.rechecked(id, result),
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
        // The last write of a run is back and nothing is out: the log is copied back
        // while the operator reads the IDs (a command that ends would otherwise wait for
        // the copy when it closes the history).
        if self.busy == 0 && self.in_flight == 0 {
            let _ = self.history.send(ToWriter::Checkpoint);
        }
    }
}
