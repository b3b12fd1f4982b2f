//! What comes back: a request's answer or failure handed to the planner, and the planner's
//! outcomes told as events (staged files through the history first).

use super::{QueueActor, now};
use crate::api::{ApiError, Renamed, StagedAnswer};
use crate::endpoint::OrganizationId;
use crate::history::{HistoryEntry, SourceFile};
use crate::upload_queue::history_writer::Staging;
use crate::upload_queue::planner::{FailureClass, Outcome, RequestId, Requeue};
use crate::upload_queue::{QueueEvent, UploadError, UploadId};

/// Said of a file whose earlier try may have been stored although no answer said so.
pub(super) fn may_be_there_twice() -> String {
    crate::t!("queue-may-be-there-twice")
}

impl QueueActor {
    pub(super) fn answered(
        &mut self,
        request: RequestId,
        organization: OrganizationId,
        server: String,
        answers: Vec<StagedAnswer>,
    ) {
        let ids: Vec<&str> = answers.iter().map(|a| a.temp_file.id.as_str()).collect();
        let outcomes = self.planner.answered(request, &ids, now());
        // Only used when the planner refused the answer (an ID given twice).
        let refused = ApiError::MalformedAnswer(crate::t!("queue-id-given-twice"));
        self.tell(
            outcomes,
            &refused,
            Some((&organization, &server, &answers)),
            &[],
        );
    }

    pub(super) fn request_failed(&mut self, request: RequestId, error: ApiError, body_sent: bool) {
        let class = self.classify(request, &error, body_sent);
        let outcomes = self.planner.failed(request, class, now());
        self.tell(outcomes, &error, None, &[]);
    }

    /// What kind of failure this is, as the planner decides by it.
    fn classify(&self, request: RequestId, error: &ApiError, body_sent: bool) -> FailureClass {
        if error.is_unreachable() {
            return FailureClass::Unreachable;
        }
        if error.concerns_account() {
            return FailureClass::Final;
        }
        match error {
            // A file fault names its file: that one fails, the others go again.
            ApiError::FileChanged { name, .. } | ApiError::FileUnreadable { name, .. } => {
                return self
                    .planner
                    .request_files(request)
                    .iter()
                    .find(|id| self.jobs.get(id).is_some_and(|j| &j.file.name == name))
                    .map_or(FailureClass::Final, |&id| FailureClass::FileFault(id));
            }
            ApiError::MalformedAnswer(_) => return FailureClass::Malformed,
            // Which file the server refused is unknown.
            ApiError::Rejected(_) | ApiError::TooLarge | ApiError::UnexpectedStatus { .. } => {
                return FailureClass::Refused;
            }
            _ => {}
        }
        if error.is_transient() {
            FailureClass::Transient {
                retry_after: error.retry_after(),
                may_have_stored: body_sent && error.may_have_stored(),
            }
        } else {
            FailureClass::Final
        }
    }

    /// Tells what the planner decided. `error` is why files failed; `answer` the answer
    /// staged files take their IDs from; `cancelled` the names of the files whose cancel
    /// sent the others again.
    pub(super) fn tell(
        &mut self,
        outcomes: Vec<Outcome>,
        error: &ApiError,
        answer: Option<(&OrganizationId, &str, &[StagedAnswer])>,
        cancelled: &[String],
    ) {
        let mut staged = Vec::new();
        for outcome in outcomes {
            let event = match outcome {
                Outcome::Staged {
                    id,
                    answer: index,
                    maybe_stored,
                } => {
                    if let Some((organization, server, answers)) = answer
                        && let Some(got) = answers.get(index)
                        && let Some(item) =
                            self.staging(id, organization, server, got, maybe_stored)
                    {
                        staged.push(item);
                    }
                    continue;
                }
                Outcome::Retrying { id, attempt, delay } => QueueEvent::Retrying {
                    id,
                    attempt,
                    delay,
                    reason: error.clone(),
                },
                Outcome::Requeued { id, reason } => QueueEvent::Requeued {
                    id,
                    reason: self.requeue_reason(&reason, cancelled),
                },
                Outcome::WaitingForNetwork { id } => QueueEvent::WaitingForNetwork { id },
                Outcome::Failed { id } => QueueEvent::Failed {
                    id,
                    error: UploadError::Api(error.clone()),
                },
                Outcome::Cancelled { id } => QueueEvent::Cancelled { id },
                Outcome::NetworkDown { retry_in } => QueueEvent::NetworkDown {
                    retry_in,
                    reason: error.clone(),
                },
                Outcome::NetworkBack => QueueEvent::NetworkBack,
                Outcome::NetworkWaitOver => QueueEvent::NetworkWaitOver,
            };
            self.emit(event);
        }
        // Written before anyone hears of it: an ID the operator saw is an ID on disk.
        if !staged.is_empty() {
            self.busy += 1;
            let _ = self
                .history
                .send(crate::upload_queue::history_writer::ToWriter::Record(
                    staged,
                ));
        }
    }

    fn requeue_reason(&self, reason: &Requeue, cancelled: &[String]) -> String {
        match reason {
            Requeue::SharedWithCancelled => crate::t!(
                "queue-requeued-shared-with-cancelled",
                names = cancelled.join(", ")
            ),
            Requeue::SharedWithFaulty(culprit) => {
                let name = self
                    .jobs
                    .get(culprit)
                    .map_or_else(String::new, |j| j.file.name.clone());
                crate::t!("queue-requeued-shared-with-changed", name = name)
            }
            Requeue::SplitAfterRefusal => crate::t!("queue-requeued-split-after-refusal"),
            Requeue::SplitAfterMalformedAnswer => {
                crate::t!("queue-requeued-split-after-unclear-answer")
            }
        }
    }

    fn staging(
        &mut self,
        id: UploadId,
        organization: &OrganizationId,
        server: &str,
        answer: &StagedAnswer,
        maybe_stored: bool,
    ) -> Option<Staging> {
        let job = self.jobs.get_mut(&id)?;
        let mut notes = Vec::new();
        match answer.renamed {
            Some(Renamed::AsServersDo) => notes.push(crate::t!(
                "queue-renamed",
                name = answer.temp_file.name.as_str()
            )),
            Some(Renamed::Unexplained) => notes.push(crate::t!(
                "queue-renamed-unexplained",
                name = answer.temp_file.name.as_str()
            )),
            None => {}
        }
        if maybe_stored {
            notes.push(may_be_there_twice());
        }
        notes.extend(job.note.take());
        let entry = HistoryEntry {
            id: answer.temp_file.id.clone(),
            name: answer.temp_file.name.clone(),
            size: job.file.size,
            organization_id: organization.to_string(),
            server: server.to_owned(),
            staged_at: self.options.clock.now(),
            group: job.group.clone(),
            place_in_group: job.place_in_group,
            source: Some(SourceFile {
                path: job.file.path.clone(),
                relative_path: job.file.relative_path.clone(),
                size: job.file.size,
                modified: job.file.modified,
            }),
        };
        Some(Staging {
            id,
            entry,
            note: (!notes.is_empty()).then(|| notes.join(" ")),
            replaces: job.replaces.clone(),
        })
    }
}
