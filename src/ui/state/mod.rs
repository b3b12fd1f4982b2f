//! The window's state, split by concern. Plain Rust, no egui: each part folds commands and
//! events and returns [`Effect`]s for the app to run, so all of it is tested without a
//! window. [`State`] routes to the part that owns a command or an event, and keeps the
//! effects that concern the state itself (notices, opening a panel).

mod connection;
mod notices;
mod staged;
mod uploads;

use std::time::{Duration, Instant, SystemTime};

pub use connection::{
    ConnectionState, ConnectionWait, KeyForm, KeyStoreFactory, NetworkBackoff, OrganizationForm,
    Phase,
};
pub use notices::{Notice, NoticeAction, NoticeLevel, NoticeTopic, Notices};
pub use staged::{COPIED_FEEDBACK, EXPIRING_SOON, GroupView, ListRow, SameNames, StagedState};
pub use uploads::{DIALOG_TOO_FAST, Question, UploadsState};

use super::command::{Command, Effect, Event, Origin, UploadsCommand, ViewCommand};
use crate::t;
use crate::upload_queue::QueueCommand;

/// Which panels are open, and what the window itself is doing.
#[derive(Debug, Default)]
pub struct ViewState {
    /// Settings, on the right.
    pub settings_open: bool,
    /// About, in the middle.
    pub about_open: bool,
    /// Sign out was clicked: asking whether to remove the key.
    pub confirm_sign_out: bool,
    /// The window was asked to close while uploads run: ask first.
    pub confirm_quit: bool,
    /// The operator said to quit: let the window close.
    pub quitting: bool,
    /// The window has the keyboard focus (else it is in the background).
    pub focused: bool,
}

/// Everything the window shows.
pub struct State {
    /// Key, organization and server.
    pub connection: ConnectionState,
    /// Files being added and sent.
    pub uploads: UploadsState,
    /// The staged list.
    pub staged: StagedState,
    /// Messages for the operator.
    pub notices: Notices,
    /// Open panels.
    pub view: ViewState,
    /// Where the settings are kept, for messages and About.
    pub settings_path: std::path::PathBuf,
    /// The time of this frame (a test clock in tests).
    pub now: SystemTime,
    /// The monotonic time of this frame, for durations.
    pub instant: Instant,
}

impl State {
    /// Folds a command into the state that owns it; returns what the app must run.
    pub fn handle(&mut self, command: Command) -> Vec<Effect> {
        let effects = match command {
            Command::Connection(c) => self.connection.handle(c),
            Command::Uploads(c) => self.uploads.handle(c, self.now),
            Command::Staged(c) => {
                let effects = self.staged.handle(c, self.now, self.instant);
                // "Stage again" for a re-stage that stopped sends that upload again, as
                // the uploads list's Retry does (which keeps its counts).
                let (now, uploads) = (self.now, &mut self.uploads);
                effects
                    .into_iter()
                    .flat_map(|effect| match effect {
                        Effect::Queue(QueueCommand::Retry(id)) => {
                            uploads.handle(UploadsCommand::Retry(id), now)
                        }
                        other => vec![other],
                    })
                    .collect()
            }
            Command::View(ViewCommand::DismissNotice(id)) => {
                self.notices.dismiss(id);
                Vec::new()
            }
            Command::View(ViewCommand::ToggleSettings) => {
                self.view.settings_open = !self.view.settings_open;
                Vec::new()
            }
            Command::View(ViewCommand::AskSignOut) => {
                self.view.confirm_sign_out = true;
                Vec::new()
            }
            Command::View(ViewCommand::KeepKey) => {
                self.view.confirm_sign_out = false;
                Vec::new()
            }
            Command::View(ViewCommand::ToggleAbout) => {
                self.view.about_open = !self.view.about_open;
                Vec::new()
            }
            Command::View(ViewCommand::QuitAndCancel) => {
                self.view.confirm_quit = false;
                self.view.quitting = true;
                vec![
                    Effect::Queue(crate::upload_queue::QueueCommand::CancelAll),
                    // Before the window closes: nothing the operator cancelled resumes.
                    Effect::ForgetPending,
                    Effect::CloseWindow,
                ]
            }
            Command::View(ViewCommand::NoticeAction(id)) => match self.notices.take_action(id) {
                // One command: cancelled one by one, a request they share could be sent
                // again between two cancels, with files not yet cancelled.
                Some(NoticeAction::CancelUploads(ids)) => {
                    vec![Effect::Queue(QueueCommand::CancelEach(ids))]
                }
                None => Vec::new(),
            },
            Command::View(ViewCommand::KeepRunning) => {
                self.view.confirm_quit = false;
                Vec::new()
            }
        };
        for effect in &effects {
            if let Effect::Queue(QueueCommand::Retry(id)) = effect {
                self.staged.upload_retried(*id);
            }
        }
        self.keep_local(effects)
    }

    /// Folds a background event into the state that owns it.
    pub fn on_event(&mut self, event: Event) -> Vec<Effect> {
        let effects = match event {
            Event::KeyLoaded { generation, result } => {
                self.connection.key_loaded(generation, result)
            }
            Event::KeyChecked { generation, result } => {
                self.connection
                    .key_checked(generation, result, self.instant)
            }
            Event::ConnectionRetryDue { generation, tries } => {
                self.connection.retry_due(generation, tries)
            }
            Event::KeySaved { generation, result } => self.connection.key_saved(generation, result),
            Event::KeyDeleted { generation, result } => {
                self.connection.key_deleted(generation, result)
            }
            Event::SettingsSaved(result) => {
                self.connection.settings_saved(result, &self.settings_path)
            }
            Event::FilesPicked { paths, took } => self.uploads.files_picked(paths, took, self.now),
            Event::HistoryChanged(result) => self.staged.history_changed(result),
            Event::Clipboard(content) => self.uploads.clipboard(content, self.now),
            Event::ImageSaved(result) => self.uploads.image_saved(result, self.now),
            Event::OtherLaunch(paths) => {
                let mut effects = vec![Effect::RaiseWindow];
                effects.extend(self.uploads.handle(
                    UploadsCommand::AddPaths(paths, Origin::OpenedWith),
                    self.now,
                ));
                effects
            }
            Event::Queue(event) => {
                if let crate::upload_queue::QueueEvent::Resumed {
                    ids,
                    maybe_stored,
                    not_resumed,
                    ..
                } = &*event
                {
                    self.notices.resumed(ids, *maybe_stored, not_resumed);
                }
                let mut effects = self.uploads.on_event(&event, self.instant);
                effects.extend(self.staged.on_event(&event));
                if event.is_final() {
                    let table = &self.uploads.table;
                    self.notices.uploads_ended(|id| {
                        table.get(id).is_some_and(|row| row.status.is_active())
                    });
                }
                effects
            }
        };
        self.keep_local(effects)
    }

    /// Runs the effects that only change the state, and returns the others.
    pub fn keep_local(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        let mut later = Vec::new();
        effects
            .into_iter()
            .filter_map(|effect| match effect {
                Effect::Notice(level, text) => {
                    self.notices.push(level, text);
                    None
                }
                Effect::NoticeAbout(topic, level, text) => {
                    self.notices.push_about(Some(topic), level, text);
                    None
                }
                Effect::Resolved(topic) => {
                    self.notices.resolved(topic);
                    None
                }
                Effect::ShowSettings => {
                    self.view.settings_open = true;
                    None
                }
                Effect::GroupStaged { staged, failed } => {
                    self.group_staged(staged, failed, &mut later);
                    None
                }
                other => Some(other),
            })
            .collect::<Vec<_>>()
            .into_iter()
            .chain(later)
            .collect()
    }

    /// A group is done: when the window is in the background (and the operator did not
    /// turn it off), the taskbar asks for attention and a notification says how it went.
    fn group_staged(&self, staged: usize, failed: usize, effects: &mut Vec<Effect>) {
        if self.view.focused || !self.connection.settings.notify_when_staged {
            return;
        }
        let body = if failed > 0 {
            t!(
                "notice-notification-staged-failed",
                count = staged,
                failed = failed
            )
        } else {
            t!("notice-notification-staged", count = staged)
        };
        effects.push(Effect::RequestAttention);
        effects.push(Effect::DesktopNotification {
            summary: "Asteroid Stager".into(),
            body,
        });
    }

    /// Whether the window may close now; when uploads run, it asks first.
    pub fn close_requested(&mut self) -> bool {
        if self.view.quitting || self.uploads.waiting() == 0 {
            return true;
        }
        self.view.confirm_quit = true;
        false
    }

    /// Brings derived views up to date before a frame is drawn.
    pub fn prepare(&mut self) {
        self.staged.set_scope(self.scope());
        self.staged.prepare(self.now);
    }

    /// The organization and server whose staged files are listed: the organization in use,
    /// or while none is (the key is being checked), the one the settings or the environment
    /// name; `None` when there is none at all.
    fn scope(&self) -> Option<crate::history::Scope> {
        let connection = &self.connection;
        let organization = connection.organization().map(|(o, _)| o).or_else(|| {
            crate::session::resolve_organization(None, &connection.overrides, &connection.settings)
                .ok()
                .flatten()
        })?;
        Some(crate::history::Scope::new(
            &organization,
            &connection.base_url,
        ))
    }

    /// When something on screen changes by itself next, if anything does.
    pub fn next_change(&self) -> Option<Duration> {
        let mut next = self.staged.next_change(self.now, self.instant);
        // "Waiting for the server for 42 s" and retry countdowns move every second.
        let counting = self.uploads.table.network().is_some()
            || self.connection.network_wait.is_some()
            || self.uploads.table.rows().iter().any(|r| {
                matches!(
                    r.status,
                    crate::upload_queue::UploadStatus::WaitingForServer { .. }
                        | crate::upload_queue::UploadStatus::Retrying { .. }
                )
            });
        if counting {
            next = Some(next.map_or(Duration::from_secs(1), |n| n.min(Duration::from_secs(1))));
        }
        next
    }
}

#[cfg(test)]
mod tests;
