//! What the server did, in order, for tests to await (with a deadline) instead of sleeping
//! and hoping the server got there.

use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::watch;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerEvent {
    /// A staging request arrived (its index in `requests()`).
    RequestStarted { request: usize },
    /// The server stopped: reading this request's body (`PauseAfter`, `StallReading`), or
    /// before answering it (`SlowAnswer`, `StoreThenAnswerLate`). `resume()` ends it.
    Paused { request: usize },
    /// The server went on reading after a pause.
    Resumed { request: usize },
    /// The body ended: whole, or not (the connection broke or was dropped).
    BodyEnded { request: usize, complete: bool },
    /// The server stored these files (IDs issued), before answering.
    Stored { request: usize, ids: Vec<String> },
    /// The answer (status) was handed to the connection in full.
    Answered { request: usize, status: u16 },
    /// The answer was made but the connection went away before it was written.
    AnswerLost { request: usize },
    /// The server closed the connection on purpose, without an answer.
    Dropped { request: usize },
    /// A request's handler is done, whatever happened.
    RequestEnded { request: usize },
}

impl ServerEvent {
    pub fn request(&self) -> usize {
        match self {
            ServerEvent::RequestStarted { request }
            | ServerEvent::Paused { request }
            | ServerEvent::Resumed { request }
            | ServerEvent::BodyEnded { request, .. }
            | ServerEvent::Stored { request, .. }
            | ServerEvent::Answered { request, .. }
            | ServerEvent::AnswerLost { request }
            | ServerEvent::Dropped { request }
            | ServerEvent::RequestEnded { request } => *request,
        }
    }
}

/// The events so far, and a counter that moves at each one.
pub struct Signals {
    events: Mutex<Vec<ServerEvent>>,
    changed: watch::Sender<u64>,
}

impl Default for Signals {
    fn default() -> Self {
        Self {
            events: Mutex::new(Vec::new()),
            changed: watch::channel(0).0,
        }
    }
}

impl Signals {
    pub fn emit(&self, event: ServerEvent) {
        self.events.lock().unwrap().push(event);
        self.changed.send_modify(|n| *n += 1);
    }

    pub fn clear(&self) {
        self.events.lock().unwrap().clear();
        self.changed.send_modify(|n| *n += 1);
    }

    pub fn events(&self) -> Vec<ServerEvent> {
        self.events.lock().unwrap().clone()
    }

    /// Waits until `done` holds for the events so far; panics after `within`, naming
    /// `what` and listing what did happen.
    pub async fn wait_for(
        &self,
        what: &str,
        within: Duration,
        done: impl Fn(&[ServerEvent]) -> bool,
    ) -> Vec<ServerEvent> {
        let deadline = tokio::time::Instant::now() + within;
        let mut changes = self.changed.subscribe();
        loop {
            changes.borrow_and_update();
            {
                let events = self.events.lock().unwrap();
                if done(&events) {
                    return events.clone();
                }
            }
            if tokio::time::timeout_at(deadline, changes.changed())
                .await
                .is_err()
            {
                panic!(
                    "the server did not get to {what} within {within:?}; it did: {:#?}",
                    self.events()
                );
            }
        }
    }
}
