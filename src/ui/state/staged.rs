//! The staged list: every file staged from this computer (the history), with copy
//! feedback and the clearing of what expired.

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use super::NoticeLevel;
use crate::api::TempFile;
use crate::history::HistoryEntry;
use crate::ui::command::{CopyWhat, Effect, HistoryChange, StagedCommand};
use crate::upload_queue::QueueEvent;

/// How long "Copied!" stays on a button.
pub const COPIED_FEEDBACK: Duration = Duration::from_secs(2);

/// The staged list.
#[derive(Debug)]
pub struct StagedState {
    /// Every staged file, oldest first, expired ones included.
    pub entries: Vec<HistoryEntry>,
    /// Where the history is kept, for messages.
    pub history_path: PathBuf,
    /// "Clear all" asked to be confirmed.
    pub confirm_clear_all: bool,
    /// The last copy, for its "Copied!" feedback.
    pub copied: Option<(CopyWhat, Instant)>,
}

impl StagedState {
    /// The list as loaded at start.
    pub fn new(entries: Vec<HistoryEntry>, history_path: PathBuf) -> Self {
        Self {
            entries,
            history_path,
            confirm_clear_all: false,
            copied: None,
        }
    }

    /// Staged files the API still keeps, oldest first.
    pub fn unexpired(&self, now: SystemTime) -> impl Iterator<Item = &HistoryEntry> {
        self.entries.iter().filter(move |e| !e.is_expired(now))
    }

    /// Whether `what` was copied less than [`COPIED_FEEDBACK`] ago.
    pub fn is_copied(&self, what: &CopyWhat, now: Instant) -> bool {
        self.copied
            .as_ref()
            .is_some_and(|(w, at)| w == what && now.duration_since(*at) < COPIED_FEEDBACK)
    }

    /// Folds a command in. Copy texts are built here, on the click, never per frame.
    pub fn handle(
        &mut self,
        command: StagedCommand,
        now: SystemTime,
        instant: Instant,
    ) -> Vec<Effect> {
        match command {
            StagedCommand::Copy(what) => {
                let text = match &what {
                    CopyWhat::Id(id) => id.clone(),
                    CopyWhat::AllIds => self
                        .unexpired(now)
                        .map(|e| e.id.as_str())
                        .collect::<Vec<_>>()
                        .join("\n"),
                    CopyWhat::Json => temp_files_json(self.unexpired(now)),
                };
                self.copied = Some((what, instant));
                vec![Effect::CopyText(text)]
            }
            StagedCommand::ClearExpired => {
                self.entries.retain(|e| !e.is_expired(now));
                vec![Effect::ChangeHistory(HistoryChange::ClearExpired(now))]
            }
            StagedCommand::AskClearAll => {
                self.confirm_clear_all = true;
                Vec::new()
            }
            StagedCommand::ClearAll => {
                self.confirm_clear_all = false;
                self.entries.clear();
                vec![Effect::ChangeHistory(HistoryChange::ClearAll)]
            }
            StagedCommand::KeepAll => {
                self.confirm_clear_all = false;
                Vec::new()
            }
        }
    }

    /// Folds a queue event in: a staged file joins the list (or takes the place of the
    /// expired one it replaces).
    pub fn on_event(&mut self, event: &QueueEvent) -> Vec<Effect> {
        match event {
            QueueEvent::Staged {
                entry, replaces, ..
            } => {
                let slot = replaces
                    .as_ref()
                    .and_then(|old| self.entries.iter_mut().find(|e| &e.id == old));
                match slot {
                    Some(slot) => {
                        let group = slot.group.clone();
                        *slot = entry.clone();
                        if slot.group.is_none() {
                            slot.group = group;
                        }
                    }
                    None => self.entries.push(entry.clone()),
                }
                Vec::new()
            }
            QueueEvent::HistoryNotSaved { reason } => vec![Effect::Notice(
                NoticeLevel::Warning,
                format!(
                    "The list of staged files could not be saved to {} ({reason}). The IDs are shown below; copy them before closing the window. Saving is tried again by itself.",
                    self.history_path.display()
                ),
            )],
            QueueEvent::HistorySaved { recovered } => vec![Effect::Notice(
                NoticeLevel::Info,
                format!(
                    "The list of staged files is saved again ({recovered} waiting record(s) written to {}).",
                    self.history_path.display()
                ),
            )],
            _ => Vec::new(),
        }
    }

    /// Whether the history change was written.
    pub fn history_changed(&self, result: Result<usize, String>) -> Vec<Effect> {
        match result {
            Ok(_) => Vec::new(),
            Err(reason) => vec![Effect::Notice(
                NoticeLevel::Warning,
                format!(
                    "The list of staged files could not be saved ({reason}). Check that {} is writable.",
                    self.history_path.display()
                ),
            )],
        }
    }

    /// When a label of the list changes by itself next: a countdown's minute, the last
    /// minute's seconds, "Copied!" going away. `None`: nothing changes until something happens.
    pub fn next_change(&self, now: SystemTime, instant: Instant) -> Option<Duration> {
        let mut next: Option<Duration> = None;
        let mut consider = |d: Duration| next = Some(next.map_or(d, |n| n.min(d)));
        if let Some((_, at)) = &self.copied
            && let Some(left) = COPIED_FEEDBACK.checked_sub(instant.duration_since(*at))
        {
            consider(left);
        }
        for entry in &self.entries {
            let left = entry.time_left(now);
            if left.is_zero() {
                continue;
            }
            // "expires in N min" changes when a whole minute passes; seconds in the last one.
            let to_next = if left <= Duration::from_secs(60) {
                Duration::from_secs(1).min(left)
            } else {
                let into_minute = Duration::from_nanos((left.as_nanos() % 60_000_000_000) as u64);
                if into_minute.is_zero() {
                    Duration::from_secs(60)
                } else {
                    into_minute
                }
            };
            consider(to_next);
        }
        next
    }
}

/// Staged files as an execute call's `tempFiles` takes them.
pub fn temp_files_json<'a>(entries: impl Iterator<Item = &'a HistoryEntry>) -> String {
    let list: Vec<TempFile> = entries.map(HistoryEntry::temp_file).collect();
    serde_json::to_string(&list).unwrap_or_else(|_| "[]".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, staged_at: SystemTime) -> HistoryEntry {
        HistoryEntry {
            id: id.into(),
            name: format!("{id}.pdf"),
            size: 1,
            organization_id: "o".into(),
            staged_at,
            group: None,
            source: None,
        }
    }

    #[test]
    fn a_staged_file_expiring_leaves_the_copies_and_can_be_cleared() {
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_900_000_000);
        let mut state = StagedState::new(
            vec![entry("a", t0), entry("b", t0 + Duration::from_secs(600))],
            "h".into(),
        );
        let at = Instant::now();
        let copy = |state: &mut StagedState, now| match state
            .handle(StagedCommand::Copy(CopyWhat::AllIds), now, at)
            .pop()
        {
            Some(Effect::CopyText(text)) => text,
            _ => panic!("no copy"),
        };
        assert_eq!(copy(&mut state, t0 + Duration::from_secs(60)), "a\nb");
        // An hour after "a" was staged it is gone from what is copied.
        let later = t0 + crate::STAGED_FILE_LIFETIME + Duration::from_secs(1);
        assert_eq!(copy(&mut state, later), "b");
        assert!(state.is_copied(&CopyWhat::AllIds, at));
        assert!(!state.is_copied(&CopyWhat::AllIds, at + COPIED_FEEDBACK));
        state.handle(StagedCommand::ClearExpired, later, at);
        let ids: Vec<_> = state.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["b"]);
    }

    #[test]
    fn the_next_repaint_is_when_a_countdown_label_changes() {
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_900_000_000);
        let state = StagedState::new(vec![entry("a", t0)], "h".into());
        let at = Instant::now();
        // 59 min 30 s left: the label says 60 min until 30 s from now.
        let next = state.next_change(t0 + Duration::from_secs(30), at);
        assert_eq!(next, Some(Duration::from_secs(30)));
        // In the last minute, every second.
        let next = state.next_change(t0 + Duration::from_secs(3570), at);
        assert_eq!(next, Some(Duration::from_secs(1)));
        // Expired: nothing changes by itself.
        assert_eq!(state.next_change(t0 + Duration::from_secs(7200), at), None);
    }
}
