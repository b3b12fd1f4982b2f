//! The planner's words: its limits, what it is given, and what it decides.

use std::time::{Duration, Instant};

use crate::upload_queue::UploadId;

/// Identifies one request the planner handed out.
pub type RequestId = u64;

/// The limits the planner keeps to; the defaults are what the app uses.
#[derive(Debug, Clone)]
pub struct PlanLimits {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Tries per file, the first included. Not reaching the server is not a try.
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
    /// When many small files wait, requests grow to spread them over the connections in
    /// few round trips: up to this many files in one request (never the first request, so
    /// the first IDs come early)…
    pub spread_max_files: usize,
    /// …and up to this many bytes.
    pub spread_max_bytes: u64,
    /// First wait after the server could not be reached; doubled up to `network_max_backoff`.
    pub network_backoff: Duration,
    /// The longest wait between two looks for the network.
    pub network_max_backoff: Duration,
    /// How long files wait for the network before they fail: `None` for as long as it
    /// takes (the window, where the operator cancels), zero to count an unreachable server
    /// as an ordinary failed try.
    pub network_wait: Option<Duration>,
}

impl Default for PlanLimits {
    fn default() -> Self {
        Self {
            concurrency: crate::settings::DEFAULT_CONCURRENCY,
            max_attempts: 4,
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            small_file_limit: 1024 * 1024,
            batch_max_files: 32,
            batch_max_bytes: 8 * 1024 * 1024,
            // 10,000 small files go over 4 connections in one round trip (32 first, then
            // about 3,300 each); the bytes bound keeps a request's retry affordable.
            spread_max_files: 4096,
            spread_max_bytes: 64 * 1024 * 1024,
            network_backoff: Duration::from_secs(2),
            network_max_backoff: Duration::from_secs(20),
            network_wait: None,
        }
    }
}

/// A file ready to be sent: what the planner needs of it.
#[derive(Debug, Clone)]
pub struct PendingFile {
    /// Its ID in the queue.
    pub id: UploadId,
    /// The name sent to the server.
    pub name: String,
    /// Its size.
    pub size: u64,
}

/// One request to send: these files, in this order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPlan {
    /// The request's ID, for [`Planner::answered`] and [`Planner::failed`].
    pub id: RequestId,
    /// Its files, in the order their parts go.
    pub files: Vec<UploadId>,
}

/// What became of a request that did not bring IDs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureClass {
    /// The server was not reached at all: the files wait for the network, no try counted.
    Unreachable,
    /// Reached, but it failed in a way that may pass: a try counted.
    Transient {
        /// How long the server asked to wait.
        retry_after: Option<Duration>,
        /// The server may have stored the files although no answer said so.
        may_have_stored: bool,
    },
    /// The server refused the request; which file it objected to is unknown.
    Refused,
    /// This file of the request changed or could not be read; the others are not at fault.
    FileFault(UploadId),
    /// The answer could not be matched to the files without guessing (or gave one ID to
    /// two files): the server probably stored them.
    Malformed,
    /// Every file of the request fails, whatever is tried (a refused key, …).
    Final,
}

/// Why a file goes again from the start through no fault of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requeue {
    /// A file it shared the request with was cancelled.
    SharedWithCancelled,
    /// A file it shared the request with changed (this one).
    SharedWithFaulty(UploadId),
    /// The server refused a shared request: each file goes alone.
    SplitAfterRefusal,
    /// The answer to a shared request was unusable: each file goes alone, and may be on
    /// the server twice.
    SplitAfterMalformedAnswer,
}

/// What a decision did to a file (or to the queue), for the actor to tell.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Confirmed: the answer's entry `answer` is its own.
    Staged {
        /// The file.
        id: UploadId,
        /// Its entry in the answer given to [`Planner::answered`].
        answer: usize,
        /// An earlier try may have been stored too.
        maybe_stored: bool,
    },
    /// A try failed; the next one is due after `delay`.
    Retrying {
        /// The file.
        id: UploadId,
        /// Tries so far.
        attempt: u32,
        /// The wait.
        delay: Duration,
    },
    /// Goes again from the start, no try counted.
    Requeued {
        /// The file.
        id: UploadId,
        /// Why.
        reason: Requeue,
    },
    /// Waits for the network, no try counted.
    WaitingForNetwork {
        /// The file.
        id: UploadId,
    },
    /// Given up on, for the failure of the request it was in (or, after waiting too long
    /// for the network, of the last request that tried).
    Failed {
        /// The file.
        id: UploadId,
    },
    /// Cancelled by the operator.
    Cancelled {
        /// The file.
        id: UploadId,
    },
    /// The server could not be reached; the next look is in `retry_in`.
    NetworkDown {
        /// The wait before the next look.
        retry_in: Duration,
    },
    /// The server was reached again.
    NetworkBack,
    /// Nothing waits for the network any more (every waiting file was cancelled).
    NetworkWaitOver,
}

/// What [`Planner::cancel`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelResult {
    /// It was waiting: it is cancelled now.
    Cancelled,
    /// It is being sent: stop its request, then call [`Planner::interrupted`].
    InFlight,
    /// It is not in the queue, or already finished.
    NotActive,
}

/// Where a file is, as the planner sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    /// Waiting for a request (maybe for the network, or for a retry's time).
    Waiting,
    /// In a request in flight.
    Sending,
    /// A try failed; waits until then.
    RetryAt(Instant),
    /// Confirmed.
    Staged,
    /// Given up on.
    Failed,
    /// Cancelled.
    Cancelled,
}
