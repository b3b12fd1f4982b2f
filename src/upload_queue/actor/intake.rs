//! What comes in: paths looked at on the blocking pool, batches held for an answer, files
//! looked at again before a retry.

use tokio_util::sync::CancellationToken;

use super::outcomes::may_be_there_twice;
use super::resume::{self, ResumeDecision};
use super::{Found, Internal, Job, QueueActor, Stage};
use crate::history::PendingId;
use crate::history::StagedGroup;
use crate::local_file::{LocalFile, LocalFileError};
use crate::upload_queue::planner::{FileState, PendingFile};
use crate::upload_queue::{AddMode, BatchId, BatchSummary, QueueEvent, UploadError, UploadId};

impl QueueActor {
    /// Looks at what was added on the blocking pool; the result comes back as
    /// [`Internal::Inspected`]. Should the work itself fail (a bug), `failed` still says
    /// what happened to each item: nothing is dropped silently.
    pub(super) fn inspect(
        &mut self,
        batch: BatchId,
        mode: AddMode,
        group: Option<StagedGroup>,
        work: impl FnOnce() -> Found + Send + 'static,
        failed: impl FnOnce(String) -> Found + Send + 'static,
    ) {
        self.busy += 1;
        let internal = self.internal.clone();
        tokio::spawn(async move {
            let found = match tokio::task::spawn_blocking(work).await {
                Ok(found) => found,
                Err(e) => failed(crate::t!(
                    "queue-internal-error-looking",
                    reason = e.to_string()
                )),
            };
            let _ = internal.send(Internal::Inspected {
                batch,
                mode,
                group,
                found,
            });
        });
    }

    pub(super) fn inspected(
        &mut self,
        batch: BatchId,
        mode: AddMode,
        group: Option<StagedGroup>,
        found: Found,
    ) {
        self.busy -= 1;
        let mut summary = BatchSummary {
            files: 0,
            bytes: 0,
            refused: 0,
            folders: Vec::new(),
            question: None,
        };
        // Each found file: (file, the ID it replaces, a note, its group, its place in it,
        // its pending row when resumed).
        type NewJob = (
            LocalFile,
            Option<String>,
            Option<String>,
            Option<StagedGroup>,
            Option<u32>,
            Option<PendingId>,
        );
        let mut resumed: Option<(usize, Vec<String>)> = None;
        let mut added: Vec<NewJob> = Vec::new();
        match found {
            Found::Paths(given, expansion) => {
                if mode == AddMode::AskIfLarge {
                    summary.question = expansion.confirmation_question();
                }
                summary.folders = expansion.folders;
                for refusal in expansion.refused {
                    let id = self.new_id();
                    summary.refused += 1;
                    self.emit(QueueEvent::Refused {
                        id,
                        batch,
                        shown: refusal.shown,
                        named: given.contains(&refusal.path),
                        error: refusal.error,
                        replaces: None,
                    });
                }
                for (place, file) in expansion.files.into_iter().enumerate() {
                    let place = group.as_ref().and(u32::try_from(place).ok());
                    added.push((file, None, None, group.clone(), place, None));
                }
            }
            Found::Restaged(items) => {
                for (item, result) in items {
                    match result {
                        Ok(mut file) => {
                            file.relative_path = item.source.relative_path.clone();
                            // The history keeps modification times to the millisecond:
                            // compared finer, every file would look changed.
                            let millis = |at: Option<std::time::SystemTime>| {
                                at.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                                    .map(|d| d.as_millis())
                            };
                            let changed = file.size != item.source.size
                                || (item.source.modified.is_some()
                                    && millis(file.modified) != millis(item.source.modified));
                            let note = changed.then(|| crate::t!("queue-changed-since-staged"));
                            added.push((
                                file,
                                Some(item.entry.id.clone()),
                                note,
                                item.entry.group.clone(),
                                item.entry.place_in_group,
                                None,
                            ));
                        }
                        Err(error) => {
                            let id = self.new_id();
                            summary.refused += 1;
                            self.emit(QueueEvent::Refused {
                                id,
                                batch,
                                shown: item.source.relative_path.clone(),
                                error,
                                named: true,
                                replaces: Some(item.entry.id.clone()),
                            });
                        }
                    }
                }
            }
            Found::Resumed(items) => {
                let mut maybe_stored = 0;
                let mut not_resumed = Vec::new();
                let mut gone_rows = Vec::new();
                for (unfinished, result) in items {
                    match resume::decide(&unfinished.file, &result) {
                        ResumeDecision::Resume => {
                            let Ok(mut file) = result else { continue };
                            file.relative_path = unfinished.file.relative_path.clone();
                            let note = unfinished.maybe_stored.then(|| {
                                maybe_stored += 1;
                                may_be_there_twice()
                            });
                            added.push((
                                file,
                                unfinished.file.replaces.clone(),
                                note,
                                unfinished.file.group.clone(),
                                unfinished.file.place_in_group,
                                Some(unfinished.id),
                            ));
                        }
                        ResumeDecision::GoneOrChanged => {
                            not_resumed.push(unfinished.file.relative_path.clone());
                            gone_rows.push(unfinished.id);
                        }
                    }
                }
                if !gone_rows.is_empty() {
                    let _ = self.history.send(
                        crate::upload_queue::history_writer::ToWriter::RemoveRows(gone_rows),
                    );
                }
                resumed = Some((maybe_stored, not_resumed));
            }
        }
        let hold = summary.question.is_some();
        let mut ids = Vec::with_capacity(added.len());
        for (file, replaces, note, group, place_in_group, pending_row) in added {
            let id = self.new_id();
            summary.files += 1;
            summary.bytes += file.size;
            self.emit(QueueEvent::Added {
                id,
                batch,
                file: file.clone(),
                group: group.clone(),
                replaces: replaces.clone(),
            });
            self.jobs.insert(
                id,
                Job {
                    file,
                    group,
                    place_in_group,
                    stage: if hold { Stage::Held } else { Stage::Planned },
                    cancel: CancellationToken::new(),
                    request_stop: None,
                    replaces,
                    note,
                    pending_row,
                },
            );
            ids.push(id);
        }
        if hold {
            self.held.insert(batch, ids.clone());
        } else {
            let pending: Vec<PendingFile> =
                ids.iter().filter_map(|&id| self.pending_file(id)).collect();
            self.plan(pending);
        }
        self.emit(QueueEvent::Inspected { batch, summary });
        if let Some((maybe_stored, not_resumed)) = resumed {
            self.emit(QueueEvent::Resumed {
                batch,
                ids,
                maybe_stored,
                not_resumed,
            });
        }
    }

    pub(super) fn confirm(&mut self, batch: BatchId, accept: bool) {
        let Some(ids) = self.held.remove(&batch) else {
            return;
        };
        let mut accepted = Vec::new();
        for id in ids {
            if accept {
                if let Some(job) = self.jobs.get_mut(&id)
                    && job.stage == Stage::Held
                {
                    job.stage = Stage::Planned;
                    accepted.extend(self.pending_file(id));
                }
            } else {
                self.jobs.remove(&id);
            }
        }
        self.plan(accepted);
        if !accept {
            self.emit(QueueEvent::Discarded { batch });
        }
    }

    pub(super) fn retry(&mut self, id: UploadId) {
        let Some(job) = self.jobs.get_mut(&id) else {
            return;
        };
        let ended = match job.stage {
            Stage::EndedEarly => true,
            Stage::Planned => matches!(
                self.planner.state(id),
                Some(FileState::Failed | FileState::Cancelled)
            ),
            Stage::Held | Stage::Checking => false,
        };
        if !ended {
            return;
        }
        // The file may have changed since: look at it again, on the blocking pool.
        job.stage = Stage::Checking;
        let file = job.file.clone();
        self.busy += 1;
        let internal = self.internal.clone();
        tokio::spawn(async move {
            let shown = file.relative_path.clone();
            let result = tokio::task::spawn_blocking(move || file.reinspect())
                .await
                .unwrap_or_else(|e| Err(LocalFileError::Unreadable(shown, e.to_string())));
            let _ = internal.send(Internal::Rechecked { id, result });
        });
    }

    pub(super) fn rechecked(&mut self, id: UploadId, result: Result<LocalFile, LocalFileError>) {
        self.busy -= 1;
        let Some(job) = self.jobs.get_mut(&id) else {
            return;
        };
        if job.stage != Stage::Checking {
            return;
        }
        match result {
            Ok(fresh) => {
                job.file = fresh;
                job.stage = Stage::Planned;
                job.cancel = CancellationToken::new();
                job.request_stop = None;
                // Its pending row went when it ended: it is kept afresh.
                job.pending_row = None;
                // The planner starts its tries again and sends it alone.
                let again: Vec<PendingFile> = self.pending_file(id).into_iter().collect();
                self.plan(again);
            }
            Err(e) => {
                // Ended before the planner had it again.
                job.stage = Stage::EndedEarly;
                self.emit(QueueEvent::Failed {
                    id,
                    error: UploadError::File(e),
                });
            }
        }
    }

    /// What the planner needs of a file.
    pub(super) fn pending_file(&self, id: UploadId) -> Option<PendingFile> {
        self.jobs.get(&id).map(|job| PendingFile {
            id,
            name: job.file.name.clone(),
            size: job.file.size,
        })
    }
}
