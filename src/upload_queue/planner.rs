//! The queue's decisions, as a plain type: which files share the next request, what an
//! answer or a failure does to each file, when to try again, and when the network is
//! waited for. No I/O and no clock of its own (time is passed in), so every rule is tested
//! without a server; the actor only turns its plans into requests and its outcomes into
//! events.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

use super::UploadId;
use crate::api::canonical_name;

mod types;

pub use types::{
    CancelResult, FailureClass, FileState, Outcome, PendingFile, PlanLimits, RequestId,
    RequestPlan, Requeue,
};

#[derive(Debug, Clone)]
struct PlannedFile {
    size: u64,
    /// The name's canonical form: two files with the same one never share a request.
    canon: String,
    state: FileState,
    attempts: u32,
    /// From now on it goes alone.
    solo: bool,
    maybe_stored: bool,
}

/// The server could not be reached: nothing goes until `retry_at`, then one request looks.
#[derive(Debug, Clone)]
struct Outage {
    since: Instant,
    delay: Duration,
    retry_at: Instant,
    /// The request that looks whether the server is back.
    probe: Option<RequestId>,
}

/// The queue's decisions. See the module's documentation.
#[derive(Debug)]
pub struct Planner {
    limits: PlanLimits,
    files: HashMap<UploadId, PlannedFile>,
    /// Files waiting, in the order they go.
    queue: VecDeque<UploadId>,
    /// Files waiting for a retry, by when.
    retries: BTreeSet<(Instant, UploadId)>,
    requests: HashMap<RequestId, Vec<UploadId>>,
    next_request: RequestId,
    outage: Option<Outage>,
    /// Every ID handed to a file: an answer giving one again is not applied.
    issued: HashSet<String>,
}

impl Planner {
    /// A planner with nothing to do.
    pub fn new(limits: PlanLimits) -> Self {
        Self {
            limits,
            files: HashMap::new(),
            queue: VecDeque::new(),
            retries: BTreeSet::new(),
            requests: HashMap::new(),
            next_request: 1,
            outage: None,
            issued: HashSet::new(),
        }
    }

    /// Queues files behind those waiting. A file the planner knew (a retry after it failed
    /// or was cancelled) starts its tries again and goes alone.
    pub fn add(&mut self, files: impl IntoIterator<Item = PendingFile>) {
        for file in files {
            let known = self.files.get(&file.id).map(|f| f.maybe_stored);
            if self
                .files
                .get(&file.id)
                .is_some_and(|f| !matches!(f.state, FileState::Failed | FileState::Cancelled))
            {
                continue;
            }
            self.files.insert(
                file.id,
                PlannedFile {
                    size: file.size,
                    canon: canonical_name(&file.name),
                    state: FileState::Waiting,
                    attempts: 0,
                    solo: known.is_some(),
                    maybe_stored: known.unwrap_or(false),
                },
            );
            self.queue.push_back(file.id);
        }
    }

    /// Where a file is.
    pub fn state(&self, id: UploadId) -> Option<FileState> {
        self.files.get(&id).map(|f| f.state)
    }

    /// Tries so far for a file.
    #[cfg(test)]
    pub fn attempts(&self, id: UploadId) -> u32 {
        self.files.get(&id).map_or(0, |f| f.attempts)
    }

    /// The files of a request in flight.
    pub fn request_files(&self, request: RequestId) -> &[UploadId] {
        self.requests.get(&request).map_or(&[], Vec::as_slice)
    }

    /// The next request to send, when there is room (`in_flight` requests are out), the
    /// network is not being waited for, and something is waiting: one large file, or small
    /// ones up to the limits, never two whose names the answer's matcher could confuse.
    pub fn next_request(&mut self, now: Instant, in_flight: usize) -> Option<RequestPlan> {
        if in_flight >= self.limits.concurrency.max(1) {
            return None;
        }
        self.release_due_retries(now);
        if let Some(outage) = &self.outage
            && (now < outage.retry_at || outage.probe.is_some())
        {
            return None;
        }
        let files = self.choose_files(in_flight);
        if files.is_empty() {
            return None;
        }
        let id = self.next_request;
        self.next_request += 1;
        for file in &files {
            if let Some(f) = self.files.get_mut(file) {
                f.state = FileState::Sending;
            }
        }
        self.requests.insert(id, files.clone());
        if let Some(outage) = &mut self.outage {
            outage.probe = Some(id);
        }
        Some(RequestPlan { id, files })
    }

    fn release_due_retries(&mut self, now: Instant) {
        let due: Vec<(Instant, UploadId)> = self
            .retries
            .iter()
            .take_while(|(at, _)| *at <= now)
            .copied()
            .collect();
        // The earliest goes first: pushed to the front last.
        for key in due.into_iter().rev() {
            self.retries.remove(&key);
            let (_, id) = key;
            if let Some(f) = self.files.get_mut(&id)
                && f.state == FileState::RetryAt(key.0)
            {
                f.state = FileState::Waiting;
                self.queue.push_front(id);
            }
        }
    }

    /// How many files and bytes the next shared request may hold: the usual limits, or,
    /// when more waits than the free connections carry at those limits, an equal share of
    /// what waits per free connection (up to the spread limits).
    fn request_limits(&self, in_flight: usize) -> (usize, u64) {
        let usual = (
            self.limits.batch_max_files.max(1),
            self.limits.batch_max_bytes,
        );
        let first = self.next_request == 1;
        let free = self
            .limits
            .concurrency
            .max(1)
            .saturating_sub(in_flight)
            .max(1);
        let share = self.queue.len().div_ceil(free);
        if first || share <= usual.0 || self.limits.spread_max_files <= usual.0 {
            return usual;
        }
        (
            share.min(self.limits.spread_max_files),
            self.limits.spread_max_bytes.max(usual.1),
        )
    }

    fn choose_files(&mut self, in_flight: usize) -> Vec<UploadId> {
        let (max_files, max_bytes) = self.request_limits(in_flight);
        let mut chosen = Vec::new();
        let mut canons: HashSet<String> = HashSet::new();
        let mut bytes = 0u64;
        let mut skipped = Vec::new();
        // Files passed over for a confusable name keep their place; looking further than
        // this for others is not worth it (a folder of one name would make it quadratic).
        let look_past = max_files * 4;
        while let Some(&id) = self.queue.front() {
            let Some(file) = self.files.get(&id) else {
                self.queue.pop_front();
                continue;
            };
            if file.state != FileState::Waiting {
                self.queue.pop_front();
                continue;
            }
            let shareable = !file.solo && file.size <= self.limits.small_file_limit;
            if !chosen.is_empty()
                && (!shareable || chosen.len() >= max_files || bytes + file.size > max_bytes)
            {
                break;
            }
            self.queue.pop_front();
            if canons.contains(&file.canon) {
                skipped.push(id);
                if skipped.len() >= look_past {
                    break;
                }
                continue;
            }
            canons.insert(file.canon.clone());
            bytes += file.size;
            chosen.push(id);
            if !shareable {
                break;
            }
        }
        for id in skipped.into_iter().rev() {
            self.queue.push_front(id);
        }
        chosen
    }

    /// The server answered `request` with one entry per file, in the order sent, each
    /// with its ID. An answer giving one ID to two files (in this answer, or one already
    /// given to another file) is not applied: it counts as [`FailureClass::Malformed`].
    pub fn answered(&mut self, request: RequestId, ids: &[&str], now: Instant) -> Vec<Outcome> {
        let Some(files) = self.requests.get(&request) else {
            return Vec::new();
        };
        let mut seen = HashSet::with_capacity(ids.len());
        let repeats = ids.len() != files.len()
            || ids
                .iter()
                .any(|id| !seen.insert(*id) || self.issued.contains(*id));
        if repeats {
            return self.failed(request, FailureClass::Malformed, now);
        }
        let files = self.requests.remove(&request).unwrap_or_default();
        let mut outcomes = self.network_reached();
        for (index, (id, given)) in files.into_iter().zip(ids).enumerate() {
            let Some(file) = self.files.get_mut(&id) else {
                continue;
            };
            file.state = FileState::Staged;
            self.issued.insert((*given).to_owned());
            outcomes.push(Outcome::Staged {
                id,
                answer: index,
                maybe_stored: file.maybe_stored,
            });
        }
        outcomes
    }

    fn network_reached(&mut self) -> Vec<Outcome> {
        match self.outage.take() {
            Some(_) => vec![Outcome::NetworkBack],
            None => Vec::new(),
        }
    }

    /// `request` failed as `class` says; decides what each of its files does next.
    pub fn failed(
        &mut self,
        request: RequestId,
        class: FailureClass,
        now: Instant,
    ) -> Vec<Outcome> {
        let Some(files) = self.requests.remove(&request) else {
            return Vec::new();
        };
        let class = match class {
            FailureClass::Unreachable if self.limits.network_wait == Some(Duration::ZERO) => {
                FailureClass::Transient {
                    retry_after: None,
                    may_have_stored: false,
                }
            }
            other => other,
        };
        if class == FailureClass::Unreachable {
            return self.unreachable(request, files, now);
        }
        let mut outcomes = self.network_reached();
        let shared = files.len() > 1;
        match class {
            FailureClass::Unreachable => {}
            FailureClass::FileFault(culprit) if files.contains(&culprit) => {
                for &id in files.iter().rev() {
                    if id != culprit {
                        self.requeue_front(id);
                    }
                }
                for &id in &files {
                    if id == culprit {
                        self.finish(id, FileState::Failed);
                        outcomes.push(Outcome::Failed { id });
                    } else {
                        outcomes.push(Outcome::Requeued {
                            id,
                            reason: Requeue::SharedWithFaulty(culprit),
                        });
                    }
                }
            }
            FailureClass::Refused | FailureClass::Malformed if shared => {
                let malformed = class == FailureClass::Malformed;
                for &id in files.iter().rev() {
                    if let Some(f) = self.files.get_mut(&id) {
                        f.solo = true;
                        f.maybe_stored |= malformed;
                    }
                    self.requeue_front(id);
                }
                let reason = if malformed {
                    Requeue::SplitAfterMalformedAnswer
                } else {
                    Requeue::SplitAfterRefusal
                };
                outcomes.extend(files.iter().map(|&id| Outcome::Requeued {
                    id,
                    reason: reason.clone(),
                }));
            }
            FailureClass::Transient {
                retry_after,
                may_have_stored,
            } => {
                for id in files {
                    outcomes.push(self.try_failed(id, shared, retry_after, may_have_stored, now));
                }
            }
            FailureClass::FileFault(_)
            | FailureClass::Refused
            | FailureClass::Malformed
            | FailureClass::Final => {
                for id in files {
                    self.finish(id, FileState::Failed);
                    outcomes.push(Outcome::Failed { id });
                }
            }
        }
        outcomes
    }

    fn try_failed(
        &mut self,
        id: UploadId,
        shared: bool,
        retry_after: Option<Duration>,
        may_have_stored: bool,
        now: Instant,
    ) -> Outcome {
        let limits = &self.limits;
        let Some(file) = self.files.get_mut(&id) else {
            return Outcome::Failed { id };
        };
        file.attempts += 1;
        file.maybe_stored |= may_have_stored;
        if file.attempts >= limits.max_attempts {
            file.state = FileState::Failed;
            return Outcome::Failed { id };
        }
        let delay = match retry_after {
            Some(after) => after.min(limits.max_backoff),
            None => limits
                .backoff
                .saturating_mul(1 << (file.attempts - 1).min(16))
                .min(limits.max_backoff),
        };
        // After the wait, a file from a shared request goes alone.
        file.solo |= shared;
        let at = now + delay;
        file.state = FileState::RetryAt(at);
        self.retries.insert((at, id));
        Outcome::Retrying {
            id,
            attempt: file.attempts,
            delay,
        }
    }

    /// The server could not be reached: the files wait at the front, the next look is
    /// later (doubling, capped); past the wait allowed, every waiting file fails.
    fn unreachable(
        &mut self,
        request: RequestId,
        files: Vec<UploadId>,
        now: Instant,
    ) -> Vec<Outcome> {
        for &id in files.iter().rev() {
            self.requeue_front(id);
        }
        let limits = &self.limits;
        let outage = self.outage.get_or_insert(Outage {
            since: now,
            delay: Duration::ZERO,
            retry_at: now,
            probe: None,
        });
        let was_probe = outage.probe == Some(request);
        if was_probe {
            outage.probe = None;
        }
        let mut outcomes = Vec::new();
        if let Some(bound) = limits.network_wait
            && now.saturating_duration_since(outage.since) >= bound
        {
            // Waited long enough: every file waiting fails with this request's failure.
            self.outage = None;
            let waiting: Vec<UploadId> = self.queue.drain(..).collect();
            for id in waiting {
                if self
                    .files
                    .get(&id)
                    .is_some_and(|f| f.state == FileState::Waiting)
                {
                    self.finish(id, FileState::Failed);
                    outcomes.push(Outcome::Failed { id });
                }
            }
            return outcomes;
        }
        outcomes.extend(files.iter().map(|&id| Outcome::WaitingForNetwork { id }));
        // Requests that were already out when the network went do not push the next look
        // further; the look that failed does.
        if was_probe || outage.delay.is_zero() {
            outage.delay = if outage.delay.is_zero() {
                limits.network_backoff
            } else {
                outage.delay.saturating_mul(2)
            }
            .min(limits.network_max_backoff);
            let mut retry_at = now + outage.delay;
            if let Some(bound) = limits.network_wait {
                retry_at = retry_at.min(outage.since + bound);
            }
            outage.retry_at = retry_at;
            outcomes.push(Outcome::NetworkDown {
                retry_in: retry_at.saturating_duration_since(now),
            });
        }
        outcomes
    }

    /// Looks for the network at once (the operator's "Retry now"), and sends files waiting
    /// for a retry's time now too.
    pub fn retry_now(&mut self, now: Instant) {
        if let Some(outage) = &mut self.outage {
            outage.retry_at = now;
        }
        let waiting: Vec<(Instant, UploadId)> = self.retries.iter().copied().collect();
        for (at, id) in waiting.into_iter().rev() {
            self.retries.remove(&(at, id));
            if let Some(f) = self.files.get_mut(&id)
                && f.state == FileState::RetryAt(at)
            {
                f.state = FileState::Waiting;
                self.queue.push_front(id);
            }
        }
    }

    /// Stops a file. One that waits is cancelled now; one in a request is only marked by
    /// the caller, whose request then ends in [`Planner::interrupted`].
    pub fn cancel(&mut self, id: UploadId) -> CancelResult {
        match self.files.get(&id).map(|f| f.state) {
            Some(FileState::Waiting | FileState::RetryAt(_)) => {
                self.finish(id, FileState::Cancelled);
                CancelResult::Cancelled
            }
            Some(FileState::Sending) => CancelResult::InFlight,
            _ => CancelResult::NotActive,
        }
    }

    /// `request` was stopped because the files in `cancelled` were cancelled: they end
    /// cancelled, the others go again from the start (no try counted).
    pub fn interrupted(&mut self, request: RequestId, cancelled: &[UploadId]) -> Vec<Outcome> {
        let Some(files) = self.requests.remove(&request) else {
            return Vec::new();
        };
        if let Some(outage) = &mut self.outage
            && outage.probe == Some(request)
        {
            outage.probe = None;
        }
        let mut outcomes = Vec::new();
        for &id in files.iter().rev() {
            if cancelled.contains(&id) {
                self.finish(id, FileState::Cancelled);
                outcomes.push(Outcome::Cancelled { id });
            } else {
                self.requeue_front(id);
                outcomes.push(Outcome::Requeued {
                    id,
                    reason: Requeue::SharedWithCancelled,
                });
            }
        }
        outcomes
    }

    /// Ends the wait for the network when no file is left to wait for it (all cancelled):
    /// nothing should say "waiting for the network" then.
    pub fn settle(&mut self) -> Option<Outcome> {
        self.outage.as_ref()?;
        let waiting = !self.requests.is_empty()
            || !self.retries.is_empty()
            || self.queue.iter().any(|id| {
                self.files
                    .get(id)
                    .is_some_and(|f| f.state == FileState::Waiting)
            });
        if waiting {
            return None;
        }
        self.outage = None;
        Some(Outcome::NetworkWaitOver)
    }

    /// When the planner next has something to do without being told: a retry's time, or
    /// the next look for the network.
    pub fn next_wakeup(&self) -> Option<Instant> {
        let retry = self.retries.first().map(|(at, _)| *at);
        let network = self
            .outage
            .as_ref()
            .filter(|o| o.probe.is_none() && !self.queue.is_empty())
            .map(|o| o.retry_at);
        match (retry, network) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn requeue_front(&mut self, id: UploadId) {
        if let Some(f) = self.files.get_mut(&id) {
            f.state = FileState::Waiting;
            self.queue.push_front(id);
        }
    }

    fn finish(&mut self, id: UploadId, state: FileState) {
        if let Some(f) = self.files.get_mut(&id) {
            if let FileState::RetryAt(at) = f.state {
                self.retries.remove(&(at, id));
            }
            f.state = state;
        }
        // Its place in the queue, if any, is skipped when met.
    }
}

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;
