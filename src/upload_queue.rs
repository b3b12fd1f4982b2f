//! The upload queue: files go in, events come out. It runs on tokio, sends a few requests
//! at once, lets small files share a request (and splits a shared request that failed, so
//! one file's fault never fails another), retries transient faults with backoff, records
//! each staged file in the history before announcing it, and can cancel or retry any file.
//!
//! Both faces use it the same way: send commands through [`UploadQueue`], fold the
//! [`QueueEvent`]s from the receiver into their own state. `notify` is called after each
//! event, so the window can ask egui for a repaint instead of polling.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use futures_util::FutureExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::api::{ApiClient, ApiError, ProgressFn, TempFile};
use crate::endpoint::OrganizationId;
use crate::history::{HistoryEntry, HistoryStore};
use crate::local_file::{LocalFile, LocalFileError};

/// Identifies one file in the queue for the life of the process.
pub type UploadId = u64;

/// Called after every event so a UI can wake up.
pub type Notify = Arc<dyn Fn() + Send + Sync>;

/// Where staged files go: a client (server and key) and an organization.
#[derive(Clone, Debug)]
pub struct Target {
    pub client: ApiClient,
    pub organization: OrganizationId,
}

#[derive(Debug, Clone)]
pub struct QueueOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Tries per file, the first included.
    pub max_attempts: u32,
    /// First retry delay; doubled for each further retry, up to `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// Files up to this size may share a request with others.
    pub small_file_limit: u64,
    pub batch_max_files: usize,
    pub batch_max_bytes: u64,
}

impl Default for QueueOptions {
    fn default() -> Self {
        Self {
            concurrency: crate::settings::DEFAULT_CONCURRENCY,
            max_attempts: 4,
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            small_file_limit: 1024 * 1024,
            batch_max_files: 32,
            batch_max_bytes: 8 * 1024 * 1024,
        }
    }
}

/// Why a file did not get staged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    File(#[from] LocalFileError),
}

#[derive(Debug, Clone, PartialEq)]
pub enum QueueEvent {
    /// The file is part of a request being sent.
    Sending {
        id: UploadId,
    },
    /// Bytes of this file handed to the connection so far.
    Progress {
        id: UploadId,
        sent: u64,
        total: u64,
    },
    /// All bytes are sent; the server has not answered yet.
    WaitingForServer {
        id: UploadId,
    },
    /// A try failed and another will follow after `delay`.
    Retrying {
        id: UploadId,
        attempt: u32,
        delay: Duration,
        reason: ApiError,
    },
    /// Staged, and already recorded in the history.
    Staged {
        id: UploadId,
        entry: HistoryEntry,
    },
    Failed {
        id: UploadId,
        error: UploadError,
    },
    Cancelled {
        id: UploadId,
    },
    /// The history file could not be written; the staged IDs are still in the events.
    HistoryNotSaved {
        reason: String,
    },
}

impl QueueEvent {
    pub fn id(&self) -> Option<UploadId> {
        match self {
            QueueEvent::Sending { id }
            | QueueEvent::Progress { id, .. }
            | QueueEvent::WaitingForServer { id }
            | QueueEvent::Retrying { id, .. }
            | QueueEvent::Staged { id, .. }
            | QueueEvent::Failed { id, .. }
            | QueueEvent::Cancelled { id } => Some(*id),
            QueueEvent::HistoryNotSaved { .. } => None,
        }
    }

    /// True for the events after which the file is no longer in the queue.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            QueueEvent::Staged { .. } | QueueEvent::Failed { .. } | QueueEvent::Cancelled { .. }
        )
    }
}

enum Command {
    Add(Vec<(UploadId, LocalFile)>),
    SetTarget(Box<Option<Target>>),
    Cancel(UploadId),
    CancelAll,
    Retry(UploadId),
}

/// The handle the faces hold. Cheap to clone; the queue stops when every handle is gone
/// and nothing is left in flight.
#[derive(Clone)]
pub struct UploadQueue {
    commands: mpsc::UnboundedSender<Command>,
    next_id: Arc<AtomicU64>,
}

impl UploadQueue {
    /// Starts the queue on `runtime`. Events arrive on the returned receiver.
    pub fn start(
        runtime: &tokio::runtime::Handle,
        options: QueueOptions,
        history: Option<HistoryStore>,
        notify: Notify,
    ) -> (Self, mpsc::UnboundedReceiver<QueueEvent>) {
        let (commands, command_rx) = mpsc::unbounded_channel();
        let (event_tx, event_rx) = mpsc::unbounded_channel();
        let (internal_tx, internal_rx) = mpsc::unbounded_channel();
        let actor = QueueActor {
            options,
            history,
            events: EventSink {
                tx: event_tx,
                notify,
            },
            internal: internal_tx,
            target: None,
            jobs: HashMap::new(),
            pending: VecDeque::new(),
            in_flight: 0,
        };
        runtime.spawn(actor.run(command_rx, internal_rx));
        (
            Self {
                commands,
                next_id: Arc::new(AtomicU64::new(1)),
            },
            event_rx,
        )
    }

    /// Queues files; they are sent as soon as a target is set.
    pub fn add(&self, files: Vec<LocalFile>) -> Vec<UploadId> {
        let batch: Vec<_> = files
            .into_iter()
            .map(|f| (self.next_id.fetch_add(1, Ordering::Relaxed), f))
            .collect();
        let ids = batch.iter().map(|(id, _)| *id).collect();
        self.send(Command::Add(batch));
        ids
    }

    /// Sets (or clears, pausing new requests) where files go.
    pub fn set_target(&self, target: Option<Target>) {
        self.send(Command::SetTarget(Box::new(target)));
    }

    pub fn cancel(&self, id: UploadId) {
        self.send(Command::Cancel(id));
    }

    pub fn cancel_all(&self) {
        self.send(Command::CancelAll);
    }

    /// Sends a failed or cancelled file again, and only it.
    pub fn retry(&self, id: UploadId) {
        self.send(Command::Retry(id));
    }

    fn send(&self, command: Command) {
        // Fails only when the runtime is shutting down, when nothing can be done anyway.
        let _ = self.commands.send(command);
    }
}

#[derive(Clone)]
struct EventSink {
    tx: mpsc::UnboundedSender<QueueEvent>,
    notify: Notify,
}

impl EventSink {
    fn emit(&self, event: QueueEvent) {
        if self.tx.send(event).is_ok() {
            (self.notify)();
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JobState {
    Waiting,
    Sending,
    RetryWait,
    Staged,
    Failed,
    Cancelled,
}

struct Job {
    file: LocalFile,
    state: JobState,
    attempts: u32,
    /// Set after a shared request failed: from then on the file goes alone.
    solo: bool,
    cancel: CancellationToken,
}

enum Internal {
    Finished {
        ids: Vec<UploadId>,
        organization: OrganizationId,
        result: Result<Vec<TempFile>, ApiError>,
    },
    Interrupted {
        ids: Vec<UploadId>,
    },
    RetryDue {
        id: UploadId,
    },
}

struct QueueActor {
    options: QueueOptions,
    history: Option<HistoryStore>,
    events: EventSink,
    internal: mpsc::UnboundedSender<Internal>,
    target: Option<Target>,
    jobs: HashMap<UploadId, Job>,
    pending: VecDeque<UploadId>,
    in_flight: usize,
}

impl QueueActor {
    async fn run(
        mut self,
        mut commands: mpsc::UnboundedReceiver<Command>,
        mut internal: mpsc::UnboundedReceiver<Internal>,
    ) {
        let mut handles_alive = true;
        loop {
            tokio::select! {
                command = commands.recv(), if handles_alive => match command {
                    Some(c) => self.handle_command(c),
                    None => handles_alive = false,
                },
                Some(message) = internal.recv() => self.handle_internal(message).await,
            }
            if !handles_alive && self.in_flight == 0 {
                break;
            }
            self.dispatch();
        }
    }

    fn handle_command(&mut self, command: Command) {
        match command {
            Command::Add(files) => {
                for (id, file) in files {
                    self.jobs.insert(
                        id,
                        Job {
                            file,
                            state: JobState::Waiting,
                            attempts: 0,
                            solo: false,
                            cancel: CancellationToken::new(),
                        },
                    );
                    self.pending.push_back(id);
                }
            }
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
            JobState::Waiting | JobState::RetryWait => {
                job.state = JobState::Cancelled;
                self.pending.retain(|p| *p != id);
                self.events.emit(QueueEvent::Cancelled { id });
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
        // The file may have changed since: look at it again (a stat, no content read).
        match LocalFile::inspect(&job.file.path) {
            Ok(mut fresh) => {
                // Keep the name the operator saw, even if the path now resolves differently.
                fresh.name = job.file.name.clone();
                job.file = fresh;
                job.state = JobState::Waiting;
                job.attempts = 0;
                job.solo = true;
                job.cancel = CancellationToken::new();
                self.pending.push_back(id);
            }
            Err(e) => self.events.emit(QueueEvent::Failed {
                id,
                error: UploadError::File(e),
            }),
        }
    }

    async fn handle_internal(&mut self, message: Internal) {
        match message {
            Internal::Finished {
                ids,
                organization,
                result,
            } => {
                self.in_flight -= 1;
                match result {
                    Ok(staged) => self.staged(&ids, organization, staged).await,
                    Err(error) => self.request_failed(&ids, error),
                }
            }
            Internal::Interrupted { ids } => {
                self.in_flight -= 1;
                // Cancelled files end here; the others that shared the request go again.
                for id in ids.iter().rev() {
                    let Some(job) = self.jobs.get_mut(id) else {
                        continue;
                    };
                    if job.cancel.is_cancelled() {
                        job.state = JobState::Cancelled;
                        self.events.emit(QueueEvent::Cancelled { id: *id });
                    } else {
                        job.state = JobState::Waiting;
                        self.pending.push_front(*id);
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
        }
    }

    async fn staged(
        &mut self,
        ids: &[UploadId],
        organization: OrganizationId,
        staged: Vec<TempFile>,
    ) {
        let now = SystemTime::now();
        let entries: Vec<HistoryEntry> = ids
            .iter()
            .zip(staged)
            .filter_map(|(id, temp)| {
                let job = self.jobs.get(id)?;
                Some(HistoryEntry {
                    id: temp.id,
                    name: temp.name,
                    size: job.file.size,
                    organization_id: organization.to_string(),
                    staged_at: now,
                    group: None,
                    source: None,
                })
            })
            .collect();
        // Written before anyone hears of it: an ID the operator saw is an ID on disk.
        if let Some(history) = self.history.clone() {
            let to_save = entries.clone();
            let saved = tokio::task::spawn_blocking(move || history.record(&to_save)).await;
            let problem = match saved {
                Ok(Ok(())) => None,
                Ok(Err(e)) => Some(e.to_string()),
                Err(e) => Some(e.to_string()),
            };
            if let Some(reason) = problem {
                self.events.emit(QueueEvent::HistoryNotSaved { reason });
            }
        }
        for (id, entry) in ids.iter().zip(entries) {
            if let Some(job) = self.jobs.get_mut(id) {
                job.state = JobState::Staged;
            }
            self.events.emit(QueueEvent::Staged { id: *id, entry });
        }
    }

    fn request_failed(&mut self, ids: &[UploadId], error: ApiError) {
        if ids.len() > 1 && !error.concerns_account() {
            // Which file caused it is unknown: send each alone, in the same order.
            for id in ids.iter().rev() {
                if let Some(job) = self.jobs.get_mut(id) {
                    job.solo = true;
                    job.state = JobState::Waiting;
                    self.pending.push_front(*id);
                    self.events.emit(QueueEvent::Progress {
                        id: *id,
                        sent: 0,
                        total: job.file.size,
                    });
                }
            }
            return;
        }
        for &id in ids {
            let Some(job) = self.jobs.get_mut(&id) else {
                continue;
            };
            job.attempts += 1;
            if error.is_transient() && job.attempts < self.options.max_attempts {
                let delay = match &error {
                    ApiError::RateLimited {
                        retry_after: Some(after),
                    } => (*after).min(self.options.max_backoff),
                    _ => self
                        .options
                        .backoff
                        .saturating_mul(1 << (job.attempts - 1).min(16))
                        .min(self.options.max_backoff),
                };
                job.state = JobState::RetryWait;
                self.events.emit(QueueEvent::Retrying {
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
                job.state = JobState::Failed;
                self.events.emit(QueueEvent::Failed {
                    id,
                    error: UploadError::Api(error.clone()),
                });
            }
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
                self.events.emit(QueueEvent::Sending { id: *id });
            }
            tokio::spawn(run_request(
                batch,
                files,
                tokens,
                target.clone(),
                self.events.clone(),
                self.internal.clone(),
            ));
        }
    }

    fn next_batch(&mut self) -> Vec<UploadId> {
        let mut batch = Vec::new();
        let mut bytes = 0u64;
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
            batch.push(id);
            bytes += job.file.size;
            if !shareable {
                break;
            }
        }
        batch
    }
}

async fn run_request(
    ids: Vec<UploadId>,
    files: Vec<LocalFile>,
    tokens: Vec<CancellationToken>,
    target: Target,
    events: EventSink,
    internal: mpsc::UnboundedSender<Internal>,
) {
    let progress: ProgressFn = {
        let ids = ids.clone();
        let sizes: Vec<u64> = files.iter().map(|f| f.size).collect();
        let events = events.clone();
        Arc::new(move |index, sent| {
            let (Some(&id), Some(&total)) = (ids.get(index), sizes.get(index)) else {
                return;
            };
            events.emit(QueueEvent::Progress { id, sent, total });
            if sent == total {
                events.emit(QueueEvent::WaitingForServer { id });
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
            .map(|r| {
                r.unwrap_or_else(|_| {
                    Err(ApiError::Setup(
                        "an internal error stopped this upload; please retry".into(),
                    ))
                })
            });
    let message = tokio::select! {
        result = stage => Internal::Finished { ids, organization: target.organization, result },
        _ = any_cancelled => Internal::Interrupted { ids },
    };
    let _ = internal.send(message);
}
