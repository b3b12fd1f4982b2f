//! The upload queue: paths go in, events come out. It looks at what was added (on the
//! blocking pool: folders are walked, each file checked), sends a few requests at once,
//! lets small files share a request, retries transient faults with backoff, records each
//! staged file in the history before announcing it, and can cancel or retry any file.
//!
//! Both faces use it the same way: send commands through [`UploadQueue`], fold the
//! [`QueueEvent`]s it hands to their sink into an [`UploadTable`].

mod actor;
mod history_writer;
mod planner;
mod table;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::mpsc;

use crate::api::{ApiClient, ApiError};
use crate::endpoint::OrganizationId;
use crate::folder_scan::FolderSummary;
use crate::history::{HistoryEntry, HistoryStore, SourceFile, StagedGroup, UnfinishedFile};
use crate::local_file::{LocalFile, LocalFileError};

pub use table::{BatchDone, Change, NetworkWait, Totals, UploadRecord, UploadStatus, UploadTable};

/// Identifies one added item (a file, or something refused) for the life of the process.
pub type UploadId = u64;

/// Identifies one `add_paths` call, for its summary and its confirmation.
pub type BatchId = u64;

/// Receives every event, on the queue's task: keep it quick (send it on a channel).
pub type EventSink = Arc<dyn Fn(QueueEvent) + Send + Sync>;

/// Where staged files go: a client (server and key) and an organization.
#[derive(Clone, Debug)]
pub struct Target {
    /// The server and key.
    pub client: ApiClient,
    /// The organization the files are staged for.
    pub organization: OrganizationId,
}

/// How the queue behaves; the defaults are what the app uses.
#[derive(Debug, Clone)]
pub struct QueueOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Tries per file, the first included.
    pub max_attempts: u32,
    /// First retry delay; doubled for each further retry, up to `max_backoff`.
    pub backoff: Duration,
    /// The longest wait before a retry, also for a server's `Retry-After`.
    pub max_backoff: Duration,
    /// Files up to this size may share a request with others.
    pub small_file_limit: u64,
    /// At most this many files in one shared request.
    pub batch_max_files: usize,
    /// At most this many bytes in one shared request.
    pub batch_max_bytes: u64,
    /// When many small files wait, a request may grow to this many files, so that they
    /// go over the connections in few round trips (never the first request).
    pub spread_max_files: usize,
    /// …and to this many bytes.
    pub spread_max_bytes: u64,
    /// First wait after the server could not be reached; doubled up to `network_max_backoff`.
    pub network_backoff: Duration,
    /// The longest wait between two looks for the network.
    pub network_max_backoff: Duration,
    /// How long files wait for the network before they fail: `None` for as long as it
    /// takes (the window: the operator cancels), zero for "not reaching the server is a
    /// failed try like any other".
    pub network_wait: Option<Duration>,
    /// After the history could not be written, try again this often.
    pub history_retry: Duration,
    /// When a file counts as staged (its hour starts then).
    pub clock: crate::clock::Clock,
}

impl Default for QueueOptions {
    /// The planner's defaults, written once in [`PlanLimits`]: the two cannot drift apart.
    fn default() -> Self {
        let limits = planner::PlanLimits::default();
        Self {
            concurrency: limits.concurrency,
            max_attempts: limits.max_attempts,
            backoff: limits.backoff,
            max_backoff: limits.max_backoff,
            small_file_limit: limits.small_file_limit,
            batch_max_files: limits.batch_max_files,
            batch_max_bytes: limits.batch_max_bytes,
            spread_max_files: limits.spread_max_files,
            spread_max_bytes: limits.spread_max_bytes,
            network_backoff: limits.network_backoff,
            network_max_backoff: limits.network_max_backoff,
            network_wait: limits.network_wait,
            history_retry: Duration::from_secs(30),
            clock: crate::clock::Clock::system(),
        }
    }
}

/// Why a file did not get staged.
#[derive(Debug, Clone, thiserror::Error)]
pub enum UploadError {
    /// The server or the connection.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The local file.
    #[error(transparent)]
    File(#[from] LocalFileError),
}

/// Whether a large folder is staged at once or waits for the operator's yes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddMode {
    /// Hold a batch that found many files (or more than an execution may use) until
    /// [`UploadQueue::confirm`].
    AskIfLarge,
    /// Queue whatever was found.
    All,
}

/// What one `add_paths` found, said once all of it was looked at.
#[derive(Debug, Clone)]
pub struct BatchSummary {
    /// Files queued (or held for confirmation).
    pub files: usize,
    /// Their bytes.
    pub bytes: u64,
    /// Items refused, each also reported as [`QueueEvent::Refused`].
    pub refused: usize,
    /// What each folder given held (its `describe()` is the line for the operator).
    pub folders: Vec<FolderSummary>,
    /// Set when the batch waits for [`UploadQueue::confirm`]: the question to ask.
    pub question: Option<String>,
}

/// What the queue reports.
#[derive(Debug, Clone)]
pub enum QueueEvent {
    /// A file was found and queued (or held, when its batch asks first).
    Added {
        /// Its ID.
        id: UploadId,
        /// The batch it came with.
        batch: BatchId,
        /// The file.
        file: LocalFile,
        /// The group it belongs to.
        group: Option<StagedGroup>,
        /// The expired ID it is staged again for (see [`UploadQueue::restage`]).
        replaces: Option<String>,
    },
    /// An item cannot be staged; nothing was sent.
    Refused {
        /// Its ID.
        id: UploadId,
        /// The batch it came with.
        batch: BatchId,
        /// Its path as shown (inside its folder, when found in one).
        shown: String,
        /// Why.
        error: LocalFileError,
        /// True when the operator named it; false when it was found inside a folder.
        named: bool,
        /// The expired ID it was to be staged again for (its file is gone, say).
        replaces: Option<String>,
    },
    /// Everything in a batch was looked at.
    Inspected {
        /// The batch.
        batch: BatchId,
        /// What it found.
        summary: BatchSummary,
    },
    /// A batch that asked first was declined: its files are gone from the queue.
    Discarded {
        /// The batch.
        batch: BatchId,
    },
    /// The file is part of a request being sent.
    Sending {
        /// Its ID.
        id: UploadId,
    },
    /// Bytes of this file handed to the connection so far.
    Progress {
        /// Its ID.
        id: UploadId,
        /// Bytes handed over.
        sent: u64,
        /// Its size.
        total: u64,
    },
    /// All bytes are sent (no `Progress` tells the last of them); the server has not
    /// answered yet.
    WaitingForServer {
        /// Its ID.
        id: UploadId,
    },
    /// A try failed and another will follow after `delay`.
    Retrying {
        /// Its ID.
        id: UploadId,
        /// Tries so far.
        attempt: u32,
        /// The wait before the next.
        delay: Duration,
        /// What went wrong.
        reason: ApiError,
    },
    /// The server could not be reached: the file waits for the network (no try counted)
    /// and goes on its own when the server can be reached again.
    WaitingForNetwork {
        /// Its ID.
        id: UploadId,
    },
    /// The server could not be reached; files wait for the network and the queue looks
    /// again after `retry_in` (or at once after [`UploadQueue::retry_now`]).
    NetworkDown {
        /// The wait before the next look.
        retry_in: Duration,
        /// What happened, for the details.
        reason: ApiError,
    },
    /// The server can be reached again; waiting files go on.
    NetworkBack,
    /// No file waits for the network any more (they were cancelled); nothing was reached.
    NetworkWaitOver,
    /// The file goes again from the start, through no fault of its own (a file it shared a
    /// request with was cancelled or changed). No try is counted.
    Requeued {
        /// Its ID.
        id: UploadId,
        /// Why, in plain words.
        reason: String,
    },
    /// Staged, and recorded in the history (or kept for it, see `HistoryNotSaved`).
    Staged {
        /// Its ID.
        id: UploadId,
        /// The record, with the name the server stored.
        entry: HistoryEntry,
        /// What the operator should know (a renamed file, a possible earlier copy).
        note: Option<String>,
        /// The ID this one replaces (a file staged again after it expired).
        replaces: Option<String>,
    },
    /// Given up on; the operator may retry.
    Failed {
        /// Its ID.
        id: UploadId,
        /// Why.
        error: UploadError,
    },
    /// Cancelled by the operator.
    Cancelled {
        /// Its ID.
        id: UploadId,
    },
    /// The history could not be written; said once until it works again. The staged
    /// IDs are kept in memory and written at the next chance.
    HistoryNotSaved {
        /// Why.
        reason: String,
    },
    /// The history works again: everything kept in memory is now on disk.
    HistorySaved {
        /// How many records had waited.
        recovered: usize,
    },
    /// Files an earlier process left unfinished were looked at (after their `Added`s).
    Resumed {
        /// The batch of the [`QueueCommand::Resume`].
        batch: BatchId,
        /// The files being staged again.
        ids: Vec<UploadId>,
        /// How many of those may already be on the server (a request carried them).
        maybe_stored: usize,
        /// The files not resumed because their bytes are gone or changed, as shown.
        not_resumed: Vec<String>,
    },
}

impl QueueEvent {
    /// The file the event is about, if any.
    pub fn id(&self) -> Option<UploadId> {
        match self {
            QueueEvent::Added { id, .. }
            | QueueEvent::Refused { id, .. }
            | QueueEvent::Sending { id }
            | QueueEvent::Progress { id, .. }
            | QueueEvent::WaitingForServer { id }
            | QueueEvent::Retrying { id, .. }
            | QueueEvent::WaitingForNetwork { id }
            | QueueEvent::Requeued { id, .. }
            | QueueEvent::Staged { id, .. }
            | QueueEvent::Failed { id, .. }
            | QueueEvent::Cancelled { id } => Some(*id),
            QueueEvent::Inspected { .. }
            | QueueEvent::Discarded { .. }
            | QueueEvent::NetworkDown { .. }
            | QueueEvent::NetworkBack
            | QueueEvent::NetworkWaitOver
            | QueueEvent::HistoryNotSaved { .. }
            | QueueEvent::HistorySaved { .. }
            | QueueEvent::Resumed { .. } => None,
        }
    }

    /// True for the events after which the file is no longer in the queue.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            QueueEvent::Staged { .. }
                | QueueEvent::Failed { .. }
                | QueueEvent::Cancelled { .. }
                | QueueEvent::Refused { .. }
        )
    }
}

/// A staged file to stage again (it expired): its record and where its file is.
#[derive(Debug, Clone)]
pub struct Restage {
    /// The expired record; its ID is replaced by the new one in the history.
    pub entry: HistoryEntry,
    /// The local file it was staged from.
    pub source: SourceFile,
}

/// Everything the faces can ask of the queue: one type, sent with [`UploadQueue::send`]
/// (the window's effects carry it as they are; the methods below are shorthands for it).
#[derive(Debug, Clone)]
pub enum QueueCommand {
    /// Look at these paths (folders are walked) and queue the files found; they are sent
    /// as soon as a target is set.
    AddPaths {
        /// What was given.
        paths: Vec<PathBuf>,
        /// The group they form.
        group: Option<StagedGroup>,
        /// Whether a large batch waits for the operator's yes.
        mode: AddMode,
    },
    /// Stage expired files again from their local files; each new ID replaces the old one
    /// in the history (same group). A file that is gone is refused; one that changed is
    /// staged as it is now, with a note.
    Restage(Vec<Restage>),
    /// Answer a batch's question: `true` queues its files, `false` drops them.
    Confirm(BatchId, bool),
    /// Set (or clear, pausing new requests) where files go.
    SetTarget(Box<Option<Target>>),
    /// Stop one file: waiting, it is dropped; sending, its request is stopped.
    Cancel(UploadId),
    /// Stop every file not yet finished.
    CancelAll,
    /// Stop these files, all at once (no request is sent again between two of them).
    CancelEach(Vec<UploadId>),
    /// Send a failed or cancelled file again, and only it (looked at again first).
    Retry(UploadId),
    /// Look for the network at once, and send files waiting for a retry now.
    RetryNow,
    /// Stage files that an earlier process left unfinished (taken over from the pending
    /// table with [`HistoryStore::adopt_unfinished`]): each goes once a target for its own
    /// organization and server is set, if its bytes are unchanged on disk. Said as
    /// [`QueueEvent::Resumed`].
    Resume(Vec<UnfinishedFile>),
}

/// A command on its way to the queue's task, with the batch it opened (if it adds files).
struct Envelope {
    batch: BatchId,
    command: QueueCommand,
}

/// The handle the faces hold. Cheap to clone; the queue stops when every handle is gone
/// and nothing is left in flight.
#[derive(Clone)]
pub struct UploadQueue {
    commands: mpsc::UnboundedSender<Envelope>,
    next_batch: Arc<AtomicU64>,
}

impl UploadQueue {
    /// Starts the queue on `runtime`; every event goes to `sink`.
    pub fn start(
        runtime: &tokio::runtime::Handle,
        options: QueueOptions,
        history: Option<HistoryStore>,
        sink: EventSink,
    ) -> Self {
        let (commands, command_rx) = mpsc::unbounded_channel();
        runtime.spawn(actor::run(options, history, sink, command_rx));
        Self {
            commands,
            next_batch: Arc::new(AtomicU64::new(1)),
        }
    }

    /// Hands `command` to the queue. Commands that add files return the batch their
    /// events carry.
    pub fn send(&self, command: QueueCommand) -> Option<BatchId> {
        let batch = matches!(
            command,
            QueueCommand::AddPaths { .. } | QueueCommand::Restage(_) | QueueCommand::Resume(_)
        )
        .then(|| self.next_batch.fetch_add(1, Ordering::Relaxed));
        // Fails only when the runtime is shutting down, when nothing can be done anyway.
        let _ = self.commands.send(Envelope {
            batch: batch.unwrap_or_default(),
            command,
        });
        batch
    }

    /// [`QueueCommand::AddPaths`]; returns its batch.
    pub fn add_paths(
        &self,
        paths: Vec<PathBuf>,
        group: Option<StagedGroup>,
        mode: AddMode,
    ) -> BatchId {
        self.send(QueueCommand::AddPaths { paths, group, mode })
            .unwrap_or_default()
    }

    /// [`QueueCommand::Restage`]; returns its batch.
    pub fn restage(&self, items: Vec<Restage>) -> BatchId {
        self.send(QueueCommand::Restage(items)).unwrap_or_default()
    }

    /// [`QueueCommand::Confirm`].
    pub fn confirm(&self, batch: BatchId, accept: bool) {
        self.send(QueueCommand::Confirm(batch, accept));
    }

    /// [`QueueCommand::SetTarget`].
    pub fn set_target(&self, target: Option<Target>) {
        self.send(QueueCommand::SetTarget(Box::new(target)));
    }

    /// [`QueueCommand::Cancel`].
    pub fn cancel(&self, id: UploadId) {
        self.send(QueueCommand::Cancel(id));
    }

    /// [`QueueCommand::CancelAll`].
    pub fn cancel_all(&self) {
        self.send(QueueCommand::CancelAll);
    }

    /// [`QueueCommand::Retry`].
    pub fn retry(&self, id: UploadId) {
        self.send(QueueCommand::Retry(id));
    }

    /// [`QueueCommand::RetryNow`].
    pub fn retry_now(&self) {
        self.send(QueueCommand::RetryNow);
    }
}
