//! The files being added and sent: the core's [`UploadTable`], plus what only the window
//! needs (batches being looked at, questions waiting for an answer, the file dialog).

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

use super::NoticeLevel;
use super::staged::{gone_from, gone_text};
use crate::clipboard::{ClipboardContent, paths_in_text};
use crate::history::{GroupSource, StagedGroup};
use crate::t;
use crate::ui::command::{Effect, Origin, UploadsCommand};
use crate::upload_queue::{AddMode, BatchId, QueueCommand, QueueEvent, UploadStatus, UploadTable};

/// A file dialog that returns nothing faster than this was most likely never shown (no
/// portal and no zenity): then say so, instead of looking as if the button did nothing.
pub const DIALOG_TOO_FAST: Duration = Duration::from_millis(700);

/// A batch that waits for the operator's yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The batch.
    pub batch: BatchId,
    /// What to ask.
    pub text: String,
}

/// Files being added and sent.
#[derive(Debug, Default)]
pub struct UploadsState {
    /// Every added item.
    pub table: UploadTable,
    /// Batches being looked at.
    pub inspecting: usize,
    /// Batches waiting for an answer, oldest first.
    pub questions: Vec<Question>,
    /// The file dialog is open.
    pub dialog_open: bool,
    /// Re-staged files no longer where they were, by batch: said together once the batch
    /// was looked at.
    gone: HashMap<BatchId, Vec<String>>,
}

impl UploadsState {
    /// Folds a command in.
    pub fn handle(&mut self, command: UploadsCommand, now: SystemTime) -> Vec<Effect> {
        match command {
            UploadsCommand::AddPaths(paths, origin) => self.add(paths, origin, now),
            UploadsCommand::PickFiles | UploadsCommand::PickFolder if self.dialog_open => {
                Vec::new()
            }
            UploadsCommand::PickFiles => {
                self.dialog_open = true;
                vec![Effect::PickFiles]
            }
            UploadsCommand::PickFolder => {
                self.dialog_open = true;
                vec![Effect::PickFolder]
            }
            UploadsCommand::Paste => vec![Effect::ReadClipboard],
            UploadsCommand::PastedImage {
                width,
                height,
                rgba,
            } => save_image(width, height, rgba, now),
            // Copied files arrive as their names; any other text: look at the clipboard
            // itself (its file list or image), which says what is there.
            UploadsCommand::PastedText(text) => match paths_in_text(&text) {
                Some(paths) => self.add(paths, Origin::Pasted, now),
                None => vec![Effect::ReadClipboard],
            },
            UploadsCommand::Confirm(batch, accept) => {
                self.questions.retain(|q| q.batch != batch);
                if accept {
                    self.table.hold_batch(batch, false);
                } else {
                    self.table.retain(|row| row.batch != batch);
                }
                vec![Effect::Queue(QueueCommand::Confirm(batch, accept))]
            }
            UploadsCommand::Cancel(id) => vec![Effect::Queue(QueueCommand::Cancel(id))],
            UploadsCommand::CancelAll => vec![Effect::Queue(QueueCommand::CancelAll)],
            UploadsCommand::RetryNow => vec![Effect::Queue(QueueCommand::RetryNow)],
            UploadsCommand::Retry(id) => {
                self.table.mark_retrying(id);
                vec![Effect::Queue(QueueCommand::Retry(id))]
            }
            UploadsCommand::RetryAllFailed => {
                let failed: Vec<_> = self
                    .table
                    .rows()
                    .iter()
                    .filter(|r| matches!(r.status, UploadStatus::Failed(_)))
                    .map(|r| r.id)
                    .collect();
                failed
                    .into_iter()
                    .flat_map(|id| self.handle(UploadsCommand::Retry(id), now))
                    .collect()
            }
            UploadsCommand::Remove(id) => {
                self.table
                    .retain(|row| row.id != id || row.status.is_active());
                Vec::new()
            }
            UploadsCommand::ClearFinished => {
                self.table.retain(|row| !row.status.is_finished());
                Vec::new()
            }
        }
    }

    /// What the clipboard held (the Paste button, or Ctrl+V with text that names no file).
    pub fn clipboard(&mut self, content: ClipboardContent, now: SystemTime) -> Vec<Effect> {
        match content {
            ClipboardContent::Files(paths) => self.add(paths, Origin::Pasted, now),
            ClipboardContent::Image {
                width,
                height,
                rgba,
            } => save_image(width, height, std::sync::Arc::new(rgba), now),
            ClipboardContent::Text | ClipboardContent::Empty => vec![Effect::Notice(
                NoticeLevel::Info,
                t!("uploads-state-clipboard-empty"),
            )],
        }
    }

    /// Where a pasted image was written.
    pub fn image_saved(
        &mut self,
        result: Result<std::path::PathBuf, String>,
        now: SystemTime,
    ) -> Vec<Effect> {
        match result {
            Ok(path) => self.add(vec![path], Origin::Pasted, now),
            Err(reason) => vec![Effect::Notice(
                NoticeLevel::Warning,
                t!("uploads-state-image-not-saved", reason = reason),
            )],
        }
    }

    /// What the file dialog returned.
    pub fn files_picked(
        &mut self,
        paths: Option<Vec<std::path::PathBuf>>,
        took: Duration,
        now: SystemTime,
    ) -> Vec<Effect> {
        self.dialog_open = false;
        match paths {
            Some(paths) => self.add(paths, Origin::Picked, now),
            None if took < DIALOG_TOO_FAST => vec![Effect::Notice(
                NoticeLevel::Info,
                t!("uploads-state-no-file-chosen"),
            )],
            // A cancel is normal: nothing to say.
            None => Vec::new(),
        }
    }

    /// Folds a queue event in; says what the operator should hear of it.
    pub fn on_event(&mut self, event: &QueueEvent, now: Instant) -> Vec<Effect> {
        // A re-staged file that is gone gets no row: the batch says it with what to do.
        if let (Some(path), QueueEvent::Refused { batch, .. }) = (gone_from(event), event) {
            self.gone.entry(*batch).or_default().push(path.to_owned());
            return Vec::new();
        }
        let change = self.table.apply(event, now);
        let mut effects: Vec<Effect> = change
            .batch_done
            .map(|done| Effect::GroupStaged {
                staged: done.staged,
                failed: done.failed,
            })
            .into_iter()
            .collect();
        effects.extend(self.say(event));
        // A staged file leaves Uploads: what its row noted (it changed since it was first
        // staged) is said once, as a notice.
        if let QueueEvent::Staged { id, .. } = event
            && let Some(row) = self.table.get(*id)
            && let Some(note) = &row.note
        {
            effects.push(Effect::Notice(
                NoticeLevel::Info,
                t!(
                    "uploads-state-file-note",
                    name = crate::format::display_name(&row.shown),
                    note = note.as_str()
                ),
            ));
        }
        // Once nothing is on its way, the staged rows leave: they are in the staged list,
        // and the next files start a new count ("Staging 1 of 3", not "8 of 10").
        if !self.table.rows().iter().any(|row| row.status.is_active()) {
            self.table
                .retain(|row| !matches!(row.status, UploadStatus::Staged { .. }));
        }
        effects
    }

    /// What the operator should hear of an event.
    fn say(&mut self, event: &QueueEvent) -> Vec<Effect> {
        match event {
            QueueEvent::Inspected { batch, summary } => {
                self.inspecting = self.inspecting.saturating_sub(1);
                let mut effects: Vec<Effect> = summary
                    .folders
                    .iter()
                    .map(|folder| Effect::Notice(NoticeLevel::Info, folder.describe()))
                    .collect();
                let gone = self.gone.remove(batch).unwrap_or_default();
                if !gone.is_empty() {
                    effects.push(Effect::Notice(NoticeLevel::Warning, gone_text(&gone)));
                }
                let listed = summary.refused.saturating_sub(gone.len());
                if listed > 0 {
                    effects.push(Effect::Notice(
                        NoticeLevel::Warning,
                        t!("uploads-state-refused", count = listed),
                    ));
                }
                if let Some(text) = &summary.question {
                    self.table.hold_batch(*batch, true);
                    self.questions.push(Question {
                        batch: *batch,
                        text: text.clone(),
                    });
                }
                effects
            }
            QueueEvent::Discarded { batch } => {
                self.table.retain(|row| row.batch != *batch);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Files not yet staged, failed or cancelled, including those still being looked at.
    pub fn waiting(&self) -> usize {
        self.table.totals().active + self.inspecting
    }

    fn add(
        &mut self,
        paths: Vec<std::path::PathBuf>,
        origin: Origin,
        now: SystemTime,
    ) -> Vec<Effect> {
        if paths.is_empty() {
            return Vec::new();
        }
        self.inspecting += 1;
        let group = StagedGroup {
            id: uuid::Uuid::new_v4().to_string(),
            source: GroupSource::of_paths(origin.added_by(), &paths),
            created_at: now,
        };
        vec![Effect::Queue(QueueCommand::AddPaths {
            paths,
            group: Some(group),
            mode: AddMode::AskIfLarge,
        })]
    }
}

/// A pasted image is written as a PNG first, then staged like a file.
fn save_image(
    width: usize,
    height: usize,
    rgba: std::sync::Arc<Vec<u8>>,
    at: SystemTime,
) -> Vec<Effect> {
    vec![Effect::SavePastedImage {
        width,
        height,
        rgba,
        at,
    }]
}
