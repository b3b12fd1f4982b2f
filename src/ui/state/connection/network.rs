//! Waiting for the network while the key is checked or the organization looked up: when
//! the server cannot be reached at all, the key is neither refused nor forgotten; the
//! check is tried again after a pause that doubles up to a cap (the upload queue's), until
//! it gets through or the operator stops waiting. Time is passed in; the app only runs the
//! request and the timer.

use std::time::{Duration, Instant};

use super::{ConnectionState, Phase};
use crate::api::{ApiError, UserContext};
use crate::t;
use crate::ui::command::Effect;

/// The server could not be reached: what the window says, and when it tries again.
#[derive(Debug, Clone)]
pub struct ConnectionWait {
    /// Why, in a few plain words ("nothing answered at example.com").
    pub reason: String,
    /// When the next try starts.
    pub retry_at: Instant,
    /// The last failure, for the key form's message if the operator stops waiting.
    error: ApiError,
}

/// The pauses between tries: the first, doubled after each failure, and the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetworkBackoff {
    /// After the first failure.
    pub first: Duration,
    /// The longest pause: a network that comes back is noticed within this.
    pub max: Duration,
}

impl Default for NetworkBackoff {
    /// The upload queue's defaults, so both wait alike.
    fn default() -> Self {
        let queue = crate::upload_queue::QueueOptions::default();
        Self {
            first: queue.network_backoff,
            max: queue.network_max_backoff,
        }
    }
}

impl NetworkBackoff {
    /// The pause after `failed` unreachable tries in a row (1 for the first).
    pub fn pause_after(&self, failed: u32) -> Duration {
        let doublings = failed.saturating_sub(1).min(16);
        self.first.saturating_mul(1 << doublings).min(self.max)
    }
}

impl ConnectionState {
    /// The server's answer about the key. An answer about an older attempt is ignored; a
    /// server that could not be reached at all starts (or goes on) waiting for the network.
    pub fn key_checked(
        &mut self,
        generation: u64,
        result: Result<UserContext, ApiError>,
        now: Instant,
    ) -> Vec<Effect> {
        if generation != self.generation {
            return Vec::new();
        }
        match result {
            Err(error) if error.is_unreachable() => self.wait_for_network(error, now),
            result => {
                self.stop_wait();
                self.answered(generation, |flow| flow.key_checked(result))
            }
        }
    }

    /// The pause after failed try `tries` is over: try again, unless something changed
    /// since (another key or server, a Retry now, the operator stopped waiting).
    pub fn retry_due(&mut self, generation: u64, tries: u32) -> Vec<Effect> {
        if generation != self.generation
            || self.network_wait.is_none()
            || tries != self.unreachable_tries
        {
            return Vec::new();
        }
        self.check_again()
    }

    /// Retry now: the check starts at once; a pause running is forgotten.
    pub(super) fn retry_now(&mut self) -> Vec<Effect> {
        if self.network_wait.is_none() {
            return Vec::new();
        }
        self.check_again()
    }

    /// The operator stops waiting: the key form, with why the key could not be checked.
    /// A stored or environment key is kept (the flow keeps it); a typed one must be
    /// entered again.
    pub(super) fn stop_waiting(&mut self) -> Vec<Effect> {
        let Some(wait) = self.network_wait.take() else {
            return Vec::new();
        };
        self.unreachable_tries = 0;
        // Any answer or timer still on its way is about the wait just left.
        self.generation += 1;
        let step = self.flow.key_checked(Err(wait.error));
        self.step(step)
    }

    /// Forgets a wait (a new attempt, or an answer that got through).
    pub(super) fn stop_wait(&mut self) {
        self.network_wait = None;
        self.unreachable_tries = 0;
    }

    fn wait_for_network(&mut self, error: ApiError, now: Instant) -> Vec<Effect> {
        self.unreachable_tries = self.unreachable_tries.saturating_add(1);
        let delay = self.network_backoff.pause_after(self.unreachable_tries);
        let reason = error
            .unreachable_reason()
            .unwrap_or_else(|| t!("connection-unreachable", host = self.base_url.host()));
        tracing::info!("key check: server unreachable ({error}); trying again in {delay:?}");
        self.phase = Phase::CheckingKey;
        self.network_wait = Some(ConnectionWait {
            reason,
            retry_at: now + delay,
            error,
        });
        vec![Effect::RetryConnectionAfter {
            delay,
            generation: self.generation,
            tries: self.unreachable_tries,
        }]
    }

    /// The same check again, with the key the flow kept.
    fn check_again(&mut self) -> Vec<Effect> {
        self.network_wait = None;
        let step = self.flow.retry();
        self.step(step)
    }
}
