//! Which expired files are being staged again. "Stage again" pressed twice for one file
//! used to send it twice, and the group then held the file twice (the second answer found
//! no expired entry left to replace). Each expired ID may have one re-stage at a time: a
//! second press while one runs does nothing, and after one stopped (failed, cancelled) the
//! press sends that same upload again rather than a second one.

use std::collections::HashMap;

use crate::local_file::LocalFileError;
use crate::t;
use crate::upload_queue::{QueueEvent, UploadId};

/// Where the file of a re-stage was, when the re-stage was refused because nothing is
/// there any more (moved, renamed, deleted): that is said as a notice with what to do, not
/// as an uploads row that reads "there is no such file".
pub(in crate::ui::state) fn gone_from(event: &QueueEvent) -> Option<&str> {
    match event {
        QueueEvent::Refused {
            error: LocalFileError::Gone(path) | LocalFileError::NotFound(path),
            replaces: Some(_),
            ..
        } => Some(path),
        _ => None,
    }
}

/// The notice for re-staged files no longer where they were (at least one).
pub(in crate::ui::state) fn gone_text(paths: &[String]) -> String {
    match paths {
        [path] => t!("restage-gone", path = path.as_str()),
        paths => t!(
            "restage-gone-several",
            count = paths.len(),
            paths = paths.join(", ")
        ),
    }
}

/// Where the re-stage of one expired ID is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Progress {
    /// Asked for; the queue is looking at the file.
    Asked,
    /// Queued or being sent as this upload.
    Running(UploadId),
    /// This upload failed or was cancelled; it can be sent again.
    Stopped(UploadId),
}

/// What pressing "Stage again" for an expired ID does now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Press {
    /// Start a re-stage.
    Start,
    /// Send the stopped upload again.
    Retry(UploadId),
    /// One is running: nothing.
    Ignore,
}

/// The re-stages in progress, by the expired ID each replaces.
#[derive(Debug, Default)]
pub(super) struct Restages {
    by_old_id: HashMap<String, Progress>,
}

impl Restages {
    /// What a press for `old_id` does, and notes it as running.
    pub(super) fn press(&mut self, old_id: &str) -> Press {
        match self.by_old_id.get(old_id).copied() {
            Some(Progress::Asked | Progress::Running(_)) => Press::Ignore,
            Some(Progress::Stopped(upload)) => {
                self.by_old_id
                    .insert(old_id.to_owned(), Progress::Running(upload));
                Press::Retry(upload)
            }
            None => {
                self.by_old_id.insert(old_id.to_owned(), Progress::Asked);
                Press::Start
            }
        }
    }

    /// Whether a re-stage of `old_id` is under way (its button is disabled).
    pub(super) fn is_running(&self, old_id: &str) -> bool {
        matches!(
            self.by_old_id.get(old_id),
            Some(Progress::Asked | Progress::Running(_))
        )
    }

    /// How many re-stages are under way.
    pub(super) fn running(&self) -> usize {
        self.by_old_id
            .values()
            .filter(|p| matches!(p, Progress::Asked | Progress::Running(_)))
            .count()
    }

    /// `upload` is sent again (Retry in the uploads list): its re-stage runs again.
    pub(super) fn retried(&mut self, upload: UploadId) {
        for progress in self.by_old_id.values_mut() {
            if *progress == Progress::Stopped(upload) {
                *progress = Progress::Running(upload);
            }
        }
    }

    /// Follows the queue: an added file starts running, a staged or refused one is done, a
    /// failed or cancelled one stops (and may be sent again).
    pub(super) fn on_event(&mut self, event: &QueueEvent) {
        match event {
            QueueEvent::Added {
                id,
                replaces: Some(old),
                ..
            } => {
                self.by_old_id.insert(old.clone(), Progress::Running(*id));
            }
            QueueEvent::Refused {
                replaces: Some(old),
                ..
            }
            | QueueEvent::Staged {
                replaces: Some(old),
                ..
            } => {
                self.by_old_id.remove(old);
            }
            QueueEvent::Failed { id, .. } | QueueEvent::Cancelled { id } => {
                for progress in self.by_old_id.values_mut() {
                    if *progress == Progress::Running(*id) {
                        *progress = Progress::Stopped(*id);
                    }
                }
            }
            _ => {}
        }
    }
}
