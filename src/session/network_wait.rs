//! How long a command keeps trying a server it cannot reach at all (nothing listens, the
//! name is not found, no route): the network may come back (a laptop waking, a VPN
//! reconnecting), and a refusal that waiting cannot heal never comes through here (see
//! [`ApiError::is_unreachable`](crate::api::ApiError::is_unreachable)).

use std::time::Duration;

/// The command line's default bound on waiting for the network.
pub const DEFAULT_NETWORK_WAIT: Duration = Duration::from_secs(10 * 60);

/// The first pause between tries; each later one doubles, up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_secs(1);

/// The longest pause between two tries: a network that comes back is noticed within this.
const MAX_PAUSE: Duration = Duration::from_secs(20);

/// A capped backoff bounded in total: plain arithmetic, the caller sleeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetworkWait {
    bound: Duration,
}

impl NetworkWait {
    /// Waits at most `bound` in all; zero fails at once (no waiting).
    pub fn new(bound: Duration) -> Self {
        Self { bound }
    }

    /// The bound this wait was made with.
    pub fn bound(&self) -> Duration {
        self.bound
    }

    /// After `failed` unreachable tries (1 for the first), `waited` since the first one
    /// began: how long to pause before the next try, or `None` to give up.
    pub fn pause_after(&self, failed: u32, waited: Duration) -> Option<Duration> {
        let left = self.bound.checked_sub(waited)?;
        if left.is_zero() {
            return None;
        }
        let doublings = failed.saturating_sub(1).min(16);
        let pause = FIRST_PAUSE.saturating_mul(1 << doublings).min(MAX_PAUSE);
        Some(pause.min(left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_up_to_a_cap_and_stop_at_the_bound() {
        let wait = NetworkWait::new(Duration::from_secs(60));
        let pauses: Vec<u64> = (1..=7)
            .map(|n| wait.pause_after(n, Duration::ZERO).unwrap().as_secs())
            .collect();
        assert_eq!(pauses, [1, 2, 4, 8, 16, 20, 20]);
        assert_eq!(wait.pause_after(1000, Duration::ZERO), Some(MAX_PAUSE));
        // The last pause ends at the bound, not after it.
        assert_eq!(
            wait.pause_after(9, Duration::from_secs(55)),
            Some(Duration::from_secs(5))
        );
        assert_eq!(wait.pause_after(9, Duration::from_secs(60)), None);
        assert_eq!(wait.pause_after(9, Duration::from_secs(61)), None);
    }

    #[test]
    fn a_zero_bound_fails_at_once() {
        assert_eq!(
            NetworkWait::new(Duration::ZERO).pause_after(1, Duration::ZERO),
            None
        );
    }
}
