//! Reading what a queue said: every event until each file ended, and the retries in them.

use std::collections::HashSet;
use std::time::Duration;

use asteroid_stager::upload_queue::{QueueEvent, UploadId};
use tokio::sync::mpsc::UnboundedReceiver;

/// Every event until each of `ids` ended (staged, failed or cancelled), at most 60 s.
pub async fn until_done(
    events: &mut UnboundedReceiver<QueueEvent>,
    ids: &[UploadId],
) -> Vec<QueueEvent> {
    let mut open: HashSet<UploadId> = ids.iter().copied().collect();
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !open.is_empty() {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("the queue finished in time")
            .expect("the queue is alive");
        if event.is_final()
            && let Some(id) = event.id()
        {
            open.remove(&id);
        }
        seen.push(event);
    }
    seen
}

/// Each retry announced: (the try that failed, the wait before the next).
pub fn retry_delays(events: &[QueueEvent]) -> Vec<(u32, Duration)> {
    events
        .iter()
        .filter_map(|e| match e {
            QueueEvent::Retrying { attempt, delay, .. } => Some((*attempt, *delay)),
            _ => None,
        })
        .collect()
}
