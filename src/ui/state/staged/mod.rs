//! The staged list: every file staged from this computer (the history), in groups (one
//! per drop, pick or paste: the set an operator pastes into one execute call), with a
//! filter, a selection across groups, copy feedback, staging again after expiry, and the
//! clearing of what expired.
//!
//! Only the files of the organization and server in use are listed and copied: an ID is
//! valid nowhere else, and "Copy all" must never hand an execute call one it cannot use.
//! The others are kept aside (counted, and listed again when their organization is chosen).

mod copy;
mod restage;
mod view;

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

pub use copy::SameNames;
pub(super) use restage::{gone_from, gone_text};
pub use view::{GroupView, ListRow};

use super::{NoticeLevel, NoticeTopic};
use crate::history::{HistoryEntry, Scope};
use crate::t;
use crate::ui::command::{CopyWhat, Effect, HistoryChange, StagedCommand};
use crate::upload_queue::{QueueCommand, QueueEvent, Restage};

/// How long "Copied!" stays on a button.
pub const COPIED_FEEDBACK: Duration = Duration::from_secs(2);

/// Files with less than this left stand out: stage them again or use them now.
pub const EXPIRING_SOON: Duration = Duration::from_secs(5 * 60);

/// The staged list.
#[derive(Debug)]
pub struct StagedState {
    /// The staged files of the organization and server in use (all of them while neither
    /// is known), oldest first, expired ones included.
    pub entries: Vec<HistoryEntry>,
    /// The staged files of other organizations or servers: not listed, never copied.
    pub elsewhere: Vec<HistoryEntry>,
    /// The organization and server in use, when known.
    pub scope: Option<Scope>,
    /// Where the history is kept, for messages.
    pub history_path: PathBuf,
    /// "Clear all" asked to be confirmed.
    pub confirm_clear_all: bool,
    /// The last copy, for its "Copied!" feedback.
    pub copied: Option<(CopyWhat, Instant)>,
    /// A tempFiles copy whose files share names, waiting for the operator's yes.
    pub confirm_copy: Option<SameNames>,
    /// The filter box: a part of a name, a path or an ID.
    pub filter: String,
    /// Selected files, by ID, across groups.
    pub selected: HashSet<String>,
    /// The list as drawn (group headers and files), rebuilt when it changes.
    pub rows: Vec<ListRow>,
    /// The groups, newest first.
    pub groups: Vec<GroupView>,
    /// How many files are not yet expired (as of the last `prepare`).
    pub live: usize,
    /// How many files the filter lets through (all of them without a filter).
    pub shown: usize,
    /// When a countdown label next changes (a minute passes, a second in the last
    /// minute, a file expires): until then `live` and the labels hold.
    next_label_change: Option<SystemTime>,
    /// The time `live` and `next_label_change` were worked out for.
    counted_at: Option<SystemTime>,
    /// Expired files being staged again: one re-stage each at a time.
    restages: restage::Restages,
    /// The language the group labels were worded in: another one words them again.
    labels_in: Option<crate::messages::Language>,
    dirty: bool,
}

impl StagedState {
    /// The list as loaded at start.
    pub fn new(entries: Vec<HistoryEntry>, history_path: PathBuf) -> Self {
        let mut state = Self {
            entries,
            elsewhere: Vec::new(),
            scope: None,
            history_path,
            confirm_clear_all: false,
            copied: None,
            confirm_copy: None,
            filter: String::new(),
            selected: HashSet::new(),
            rows: Vec::new(),
            groups: Vec::new(),
            live: 0,
            shown: 0,
            next_label_change: None,
            counted_at: None,
            restages: restage::Restages::default(),
            labels_in: None,
            dirty: true,
        };
        state.prepare(SystemTime::now());
        state
    }

    /// Lists only `scope`'s files (or all, with `None`); the others are set aside. Cheap
    /// when the scope has not changed, so it can run before every frame.
    pub fn set_scope(&mut self, scope: Option<Scope>) {
        if self.scope == scope {
            return;
        }
        let mut all = std::mem::take(&mut self.entries);
        all.append(&mut self.elsewhere);
        // Both halves were oldest first: so is their merge.
        all.sort_by_key(|e| e.staged_at);
        (self.entries, self.elsewhere) = all
            .into_iter()
            .partition(|e| scope.as_ref().is_none_or(|s| s.contains(e)));
        self.scope = scope;
        self.forget_missing_selection();
        self.dirty = true;
    }

    /// Brings the drawn list and the counts up to date: the list when something changed
    /// (once per frame at most, never per event: ten thousand files staged in a burst cost
    /// one rebuild), the counts when a countdown label changed. A frame in between costs
    /// nothing here, however long the list.
    pub fn prepare(&mut self, now: SystemTime) {
        let language = crate::messages::language();
        if self.labels_in != Some(language) {
            self.labels_in = Some(language);
            self.dirty = true;
        }
        let recount = self.dirty
            || self.counted_at.is_none_or(|at| now < at)
            || self.next_label_change.is_some_and(|next| now >= next);
        if self.dirty {
            (self.groups, self.rows) = view::build(&self.entries, &self.filter);
            self.shown = self.groups.iter().map(|g| g.shown).sum();
            self.dirty = false;
        }
        if recount {
            self.count(now);
        }
    }

    /// Files not yet expired, and when the next countdown label changes.
    fn count(&mut self, now: SystemTime) {
        let mut live = 0;
        let mut next: Option<Duration> = None;
        for entry in &self.entries {
            let left = entry.time_left(now);
            if left.is_zero() {
                continue;
            }
            live += 1;
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
            next = Some(next.map_or(to_next, |n| n.min(to_next)));
        }
        self.live = live;
        self.next_label_change = next.map(|d| now + d);
        self.counted_at = Some(now);
    }

    /// Staged files the API still keeps, oldest first.
    pub fn unexpired(&self, now: SystemTime) -> impl Iterator<Item = &HistoryEntry> {
        self.entries.iter().filter(move |e| !e.is_expired(now))
    }

    /// The selected files: oldest group first, each group's in the order it lists them.
    pub fn selection(&self) -> impl Iterator<Item = &HistoryEntry> {
        self.groups
            .iter()
            .rev()
            .flat_map(|g| &g.members)
            .filter_map(|&i| self.entries.get(i))
            .filter(|e| self.selected.contains(&e.id))
    }

    /// Whether `what` was copied less than [`COPIED_FEEDBACK`] ago.
    pub fn is_copied(&self, what: &CopyWhat, now: Instant) -> bool {
        self.copied
            .as_ref()
            .is_some_and(|(w, at)| w == what && now.duration_since(*at) < COPIED_FEEDBACK)
    }

    /// Folds a command in.
    pub fn handle(
        &mut self,
        command: StagedCommand,
        now: SystemTime,
        instant: Instant,
    ) -> Vec<Effect> {
        match command {
            StagedCommand::Copy(what) => {
                if let Some(question) = self.same_names(&what, now) {
                    self.confirm_copy = Some(question);
                    return Vec::new();
                }
                self.copy(what, now, instant)
            }
            StagedCommand::CopyAnyway => match self.confirm_copy.take() {
                Some(question) => self.copy(question.what, now, instant),
                None => Vec::new(),
            },
            StagedCommand::KeepCopy => {
                self.confirm_copy = None;
                Vec::new()
            }
            StagedCommand::EditFilter(text) => {
                self.filter = text;
                self.dirty = true;
                Vec::new()
            }
            StagedCommand::ToggleSelected(id) => {
                if !self.selected.remove(&id) {
                    self.selected.insert(id);
                }
                Vec::new()
            }
            StagedCommand::SelectGroup(key) => {
                let ids: Vec<String> = self
                    .group(&key)
                    .map(|g| {
                        g.members
                            .iter()
                            .filter_map(|&i| self.entries.get(i))
                            .filter(|e| !e.is_expired(now))
                            .map(|e| e.id.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                self.selected.extend(ids);
                Vec::new()
            }
            StagedCommand::ClearSelection => {
                self.selected.clear();
                Vec::new()
            }
            StagedCommand::StageAgain(scope) => self.stage_again(scope, now),
            StagedCommand::ClearExpired => {
                self.entries.retain(|e| !e.is_expired(now));
                self.elsewhere.retain(|e| !e.is_expired(now));
                self.forget_missing_selection();
                self.dirty = true;
                vec![Effect::ChangeHistory(HistoryChange::ClearExpired(now))]
            }
            StagedCommand::AskClearAll => {
                self.confirm_clear_all = true;
                Vec::new()
            }
            StagedCommand::ClearAll => {
                self.confirm_clear_all = false;
                self.entries.clear();
                self.elsewhere.clear();
                self.selected.clear();
                self.dirty = true;
                vec![Effect::ChangeHistory(HistoryChange::ClearAll)]
            }
            StagedCommand::KeepAll => {
                self.confirm_clear_all = false;
                Vec::new()
            }
        }
    }

    /// Folds a queue event in: a staged file joins the list (or takes the place of the
    /// expired one it replaces, in its group).
    pub fn on_event(&mut self, event: &QueueEvent) -> Vec<Effect> {
        self.restages.on_event(event);
        match event {
            QueueEvent::Staged {
                entry, replaces, ..
            } => {
                self.dirty = true;
                let in_scope = self.scope.as_ref().is_none_or(|s| s.contains(entry));
                let slot = replaces.as_ref().and_then(|old| {
                    self.entries
                        .iter_mut()
                        .chain(self.elsewhere.iter_mut())
                        .find(|e| &e.id == old)
                });
                match slot {
                    Some(slot) => {
                        let old = std::mem::replace(slot, crate::history::replaced(slot, entry));
                        if self.selected.remove(&old.id) {
                            self.selected.insert(entry.id.clone());
                        }
                        // Staged again elsewhere than before: it moves to its own list.
                        let (from, to) = if in_scope {
                            (&mut self.elsewhere, &mut self.entries)
                        } else {
                            (&mut self.entries, &mut self.elsewhere)
                        };
                        if let Some(i) = from.iter().position(|e| e.id == entry.id) {
                            to.push(from.remove(i));
                        }
                    }
                    None if in_scope => self.entries.push(entry.clone()),
                    None => self.elsewhere.push(entry.clone()),
                }
                Vec::new()
            }
            QueueEvent::HistoryNotSaved { reason } => vec![Effect::NoticeAbout(
                NoticeTopic::HistoryNotSaved,
                NoticeLevel::Warning,
                t!(
                    "staged-state-history-not-saved",
                    path = self.history_path.display().to_string(),
                    reason = reason.as_str()
                ),
            )],
            QueueEvent::HistorySaved { recovered } => vec![
                Effect::Resolved(NoticeTopic::HistoryNotSaved),
                Effect::Notice(
                    NoticeLevel::Info,
                    t!(
                        "staged-state-history-saved-again",
                        count = *recovered,
                        path = self.history_path.display().to_string()
                    ),
                ),
            ],
            _ => Vec::new(),
        }
    }

    /// Whether the history change was written.
    pub fn history_changed(&self, result: Result<usize, String>) -> Vec<Effect> {
        match result {
            Ok(_) => vec![Effect::Resolved(NoticeTopic::HistoryChangeNotSaved)],
            Err(reason) => vec![Effect::NoticeAbout(
                NoticeTopic::HistoryChangeNotSaved,
                NoticeLevel::Warning,
                t!(
                    "staged-state-history-change-not-saved",
                    reason = reason,
                    path = self.history_path.display().to_string()
                ),
            )],
        }
    }

    /// When a label of the list changes by itself next: a countdown's minute, the last
    /// minute's seconds, "Copied!" going away. `None`: nothing changes until something happens.
    /// Works from what `prepare` counted: no walk over the list.
    pub fn next_change(&self, now: SystemTime, instant: Instant) -> Option<Duration> {
        let mut next = self
            .next_label_change
            .map(|at| at.duration_since(now).unwrap_or(Duration::ZERO));
        if let Some((_, at)) = &self.copied
            && let Some(left) = COPIED_FEEDBACK.checked_sub(instant.duration_since(*at))
        {
            next = Some(next.map_or(left, |n| n.min(left)));
        }
        next
    }

    /// Whether the expired file with this ID is being staged again (its "Stage again" is
    /// disabled until that ends).
    pub fn is_restaging(&self, id: &str) -> bool {
        self.restages.is_running(id)
    }

    /// How many expired files are being staged again.
    pub fn restaging(&self) -> usize {
        self.restages.running()
    }

    /// An upload was sent again from the uploads list: if it was a re-stage, it runs again.
    pub fn upload_retried(&mut self, upload: crate::upload_queue::UploadId) {
        self.restages.retried(upload);
    }

    /// The group with this key (its ID, or "" for files staged before groups existed).
    pub fn group(&self, key: &str) -> Option<&GroupView> {
        self.groups.iter().find(|g| g.key == key)
    }

    /// Copies `what` now, and remembers it for the "Copied!" feedback. The text is built
    /// here, on the click, never per frame.
    fn copy(&mut self, what: CopyWhat, now: SystemTime, instant: Instant) -> Vec<Effect> {
        let text = self.copy_text(&what, now);
        self.copied = Some((what, instant));
        vec![Effect::CopyText(text)]
    }

    fn stage_again(
        &mut self,
        scope: crate::ui::command::StageAgain,
        now: SystemTime,
    ) -> Vec<Effect> {
        use crate::ui::command::StageAgain;
        let wanted: Vec<&HistoryEntry> = match &scope {
            StageAgain::One(id) => self.entries.iter().filter(|e| &e.id == id).collect(),
            StageAgain::Group(key) => self
                .group(key)
                .into_iter()
                .flat_map(|g| g.members.iter().filter_map(|&i| self.entries.get(i)))
                .collect(),
            StageAgain::AllExpired => self.entries.iter().collect(),
        };
        let mut items = Vec::new();
        let mut unknown = Vec::new();
        let mut presses = Vec::new();
        for entry in wanted.into_iter().filter(|e| e.is_expired(now)) {
            match &entry.source {
                Some(source) => presses.push(Restage {
                    entry: entry.clone(),
                    source: source.clone(),
                }),
                None => unknown.push(entry.name.clone()),
            }
        }
        // One re-stage per expired file at a time: a second press while one runs does
        // nothing; after one stopped, the same upload goes again (never a second copy).
        let mut effects = Vec::new();
        for item in presses {
            match self.restages.press(&item.entry.id) {
                restage::Press::Start => items.push(item),
                restage::Press::Retry(upload) => {
                    effects.push(Effect::Queue(QueueCommand::Retry(upload)))
                }
                restage::Press::Ignore => {}
            }
        }
        if !unknown.is_empty() {
            effects.push(Effect::Notice(
                NoticeLevel::Warning,
                t!(
                    "restage-source-unknown",
                    count = unknown.len(),
                    names = unknown.join(", ")
                ),
            ));
        }
        if !items.is_empty() {
            effects.push(Effect::Queue(QueueCommand::Restage(items)));
        }
        effects
    }

    fn forget_missing_selection(&mut self) {
        let present: HashSet<&str> = self.entries.iter().map(|e| e.id.as_str()).collect();
        self.selected.retain(|id| present.contains(id.as_str()));
    }
}

#[cfg(test)]
mod tests;
