//! The window's state, split by concern. Plain Rust, no egui: each part folds commands and
//! events and returns [`Effect`]s for the app to run, so all of it is tested without a
//! window. [`State`] routes to the part that owns a command or an event, and keeps the
//! effects that concern the state itself (notices, opening a panel).

mod connection;
mod notices;
mod staged;
mod uploads;

use std::time::{Duration, Instant, SystemTime};

pub use connection::{ConnectionState, KeyForm, KeyStoreFactory, OrganizationForm, Phase};
pub use notices::{Notice, NoticeLevel, Notices};
pub use staged::{COPIED_FEEDBACK, StagedState, temp_files_json};
pub use uploads::{DIALOG_TOO_FAST, Question, UploadsState};

use super::command::{Command, Effect, Event, ViewCommand};

/// Which panels are open.
#[derive(Debug, Default)]
pub struct ViewState {
    /// Settings, on the right.
    pub settings_open: bool,
    /// About, in the middle.
    pub about_open: bool,
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
            Command::Staged(c) => self.staged.handle(c, self.now, self.instant),
            Command::View(ViewCommand::DismissNotice(id)) => {
                self.notices.dismiss(id);
                Vec::new()
            }
            Command::View(ViewCommand::ToggleSettings) => {
                self.view.settings_open = !self.view.settings_open;
                Vec::new()
            }
            Command::View(ViewCommand::ToggleAbout) => {
                self.view.about_open = !self.view.about_open;
                Vec::new()
            }
        };
        self.keep_local(effects)
    }

    /// Folds a background event into the state that owns it.
    pub fn on_event(&mut self, event: Event) -> Vec<Effect> {
        let effects = match event {
            Event::KeyLoaded { generation, result } => {
                self.connection.key_loaded(generation, result)
            }
            Event::KeyChecked { generation, result } => {
                self.connection.key_checked(generation, result)
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
            Event::Queue(event) => {
                let mut effects = self.uploads.on_event(&event, self.instant);
                effects.extend(self.staged.on_event(&event));
                effects
            }
        };
        self.keep_local(effects)
    }

    /// Runs the effects that only change the state, and returns the others.
    pub fn keep_local(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        effects
            .into_iter()
            .filter_map(|effect| match effect {
                Effect::Notice(level, text) => {
                    self.notices.push(level, text);
                    None
                }
                Effect::ShowSettings => {
                    self.view.settings_open = true;
                    None
                }
                other => Some(other),
            })
            .collect()
    }

    /// When something on screen changes by itself next, if anything does.
    pub fn next_change(&self) -> Option<Duration> {
        let mut next = self.staged.next_change(self.now, self.instant);
        // "Waiting for the server for 42 s" and retry countdowns move every second.
        let counting = self.uploads.table.rows().iter().any(|r| {
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
