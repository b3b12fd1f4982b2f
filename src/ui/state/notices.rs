//! Messages for the operator that stay until dismissed: a file that could not be added,
//! a history that could not be saved, a key that was removed, files resumed after a crash.
//! A notice about a passing condition has a [`NoticeTopic`], and goes by itself once that
//! condition is resolved ("Signed out…" once a new key is accepted).

use crate::t;
use crate::upload_queue::UploadId;

/// What a notice reports, when it reports a condition that can be resolved: once it is,
/// the notice goes by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeTopic {
    /// Signed out (and what came with it: the key could not be removed, the environment
    /// still sets one): resolved once a key is accepted.
    SignedOut,
    /// The settings could not be saved: resolved once they are.
    SettingsNotSaved,
    /// Staged files could not be written to their list: resolved once they are.
    HistoryNotSaved,
    /// A change to the list of staged files (clearing) could not be saved: resolved once
    /// one is.
    HistoryChangeNotSaved,
}

/// How a notice looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeLevel {
    /// Good to know.
    Info,
    /// Something needs attention.
    Warning,
}

/// One message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Its ID, for Dismiss.
    pub id: u64,
    /// How it looks.
    pub level: NoticeLevel,
    /// What it says.
    pub text: String,
    /// What it offers besides Dismiss.
    pub action: Option<NoticeAction>,
    /// The condition it reports, if it goes by itself once that is resolved.
    pub topic: Option<NoticeTopic>,
}

/// What a notice offers besides Dismiss.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeAction {
    /// Cancel these files (resumed after a crash, say).
    CancelUploads(Vec<UploadId>),
}

impl Notice {
    /// The button of its action, if it has one.
    pub fn action_label(&self) -> Option<String> {
        self.action.as_ref().map(|action| match action {
            NoticeAction::CancelUploads(_) => t!("notice-cancel"),
        })
    }
}

/// Said when files left unfinished by an earlier run are staged again.
pub fn resumed_text(count: usize, maybe_stored: usize) -> String {
    let text = t!("notice-resumed", count = count);
    match maybe_stored {
        0 => text,
        n => t!(
            "notice-two-sentences",
            first = text,
            second = t!("notice-resumed-maybe-twice", count = n)
        ),
    }
}

/// Said, in one line, of unfinished files that are not staged again.
pub fn not_resumed_text(names: &[String]) -> String {
    t!(
        "notice-not-resumed",
        count = names.len(),
        names = names.join(", ")
    )
}

/// The messages shown under the top bar, oldest first.
#[derive(Debug, Default)]
pub struct Notices {
    list: Vec<Notice>,
    next_id: u64,
}

impl Notices {
    /// The messages, oldest first.
    pub fn list(&self) -> &[Notice] {
        &self.list
    }

    /// Adds a message; the same message twice in a row (ten dropped folders…) is shown once.
    pub fn push(&mut self, level: NoticeLevel, text: impl Into<String>) {
        self.push_about(None, level, text);
    }

    /// Adds a message about `topic` (when it has one): it goes once that is resolved.
    pub fn push_about(
        &mut self,
        topic: Option<NoticeTopic>,
        level: NoticeLevel,
        text: impl Into<String>,
    ) {
        let text = text.into();
        if self.list.last().is_some_and(|n| n.text == text) {
            return;
        }
        self.add(level, text, None);
        if let Some(notice) = self.list.last_mut() {
            notice.topic = topic;
        }
    }

    /// What `topic` reported is resolved: its notices go.
    pub fn resolved(&mut self, topic: NoticeTopic) {
        self.list.retain(|n| n.topic != Some(topic));
    }

    fn add(&mut self, level: NoticeLevel, text: String, action: Option<NoticeAction>) {
        self.next_id += 1;
        self.list.push(Notice {
            id: self.next_id,
            level,
            text,
            action,
            topic: None,
        });
    }

    /// Says that files left unfinished are staged again (with Cancel), and which were not.
    pub fn resumed(&mut self, ids: &[UploadId], maybe_stored: usize, not_resumed: &[String]) {
        if !ids.is_empty() {
            // In the log too: what a crashed window's next start did, for support.
            tracing::info!("{}", resumed_text(ids.len(), maybe_stored));
            self.add(
                NoticeLevel::Info,
                resumed_text(ids.len(), maybe_stored),
                Some(NoticeAction::CancelUploads(ids.to_vec())),
            );
        }
        if !not_resumed.is_empty() {
            self.add(NoticeLevel::Warning, not_resumed_text(not_resumed), None);
        }
    }

    /// Files end (staged, failed, cancelled): a notice that offers to cancel files goes once
    /// none of them is on its way ("…are being staged now" is over).
    pub fn uploads_ended(&mut self, on_its_way: impl Fn(UploadId) -> bool) {
        self.list.retain(|n| match &n.action {
            Some(NoticeAction::CancelUploads(ids)) => ids.iter().any(|&id| on_its_way(id)),
            None => true,
        });
    }

    /// Takes the action of notice `id` and removes the notice (its action is done).
    pub fn take_action(&mut self, id: u64) -> Option<NoticeAction> {
        let index = self.list.iter().position(|n| n.id == id)?;
        self.list.remove(index).action
    }

    /// Removes one.
    pub fn dismiss(&mut self, id: u64) {
        self.list.retain(|n| n.id != id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_shown_once_and_dismiss_removes_one() {
        let mut notices = Notices::default();
        notices.push(NoticeLevel::Warning, "a");
        notices.push(NoticeLevel::Warning, "a");
        notices.push(NoticeLevel::Info, "b");
        assert_eq!(notices.list().len(), 2);
        let first = notices.list()[0].id;
        notices.dismiss(first);
        assert_eq!(notices.list()[0].text, "b");
    }

    #[test]
    fn resumed_files_are_said_with_cancel_and_the_others_in_one_line() {
        let mut notices = Notices::default();
        notices.resumed(&[3, 4, 5, 6], 1, &["a.pdf".to_owned(), "b.pdf".to_owned()]);
        let list = notices.list();
        assert_eq!(list.len(), 2);
        assert!(
            list[0].text.starts_with(
                "4 files that were not finished when Asteroid Stager closed are being staged now."
            ),
            "{}",
            list[0].text
        );
        assert!(list[0].text.contains("may be on the server twice"));
        assert_eq!(list[0].action_label().as_deref(), Some("Cancel"));
        assert!(list[1].text.contains("(a.pdf, b.pdf)"), "{}", list[1].text);
        assert!(!list[1].text.contains('\n'));
        let id = list[0].id;
        assert_eq!(
            notices.take_action(id),
            Some(NoticeAction::CancelUploads(vec![3, 4, 5, 6]))
        );
        assert_eq!(notices.list().len(), 1);
        assert_eq!(
            resumed_text(1, 0),
            "1 file that was not finished when Asteroid Stager closed is being staged now."
        );
        assert_eq!(
            resumed_text(1, 1),
            "1 file that was not finished when Asteroid Stager closed is being staged now. One of them may be on the server twice (it was being sent when Asteroid Stager closed); the extra copy is never used and expires on its own."
        );
        assert!(
            not_resumed_text(&["a.pdf".to_owned()]).starts_with(
                "1 file that was not finished when Asteroid Stager closed was not staged again: it changed"
            )
        );
    }

    #[test]
    fn a_resolved_topic_takes_its_notices_away_and_no_other() {
        let mut notices = Notices::default();
        notices.push_about(Some(NoticeTopic::SignedOut), NoticeLevel::Info, "out");
        notices.push(NoticeLevel::Warning, "other");
        notices.push_about(
            Some(NoticeTopic::HistoryNotSaved),
            NoticeLevel::Warning,
            "history",
        );
        notices.resolved(NoticeTopic::SignedOut);
        let left: Vec<&str> = notices.list().iter().map(|n| n.text.as_str()).collect();
        assert_eq!(left, ["other", "history"]);
    }
}

#[cfg(test)]
mod languages {
    use crate::messages::{FluentValue, Language, text_in};

    /// Every sentence of the window's state reads in each language with its arguments,
    /// never as the English fallback or as its id (the plurals chosen by the language).
    #[test]
    fn the_state_texts_read_in_every_language() {
        let args: [(&'static str, FluentValue<'static>); 12] = [
            ("count", FluentValue::from(3)),
            ("failed", FluentValue::from(1)),
            ("names", FluentValue::from("a.pdf, b.pdf")),
            ("path", FluentValue::from("/home/op/a.pdf")),
            ("paths", FluentValue::from("/a, /b")),
            ("reason", FluentValue::from("disk full")),
            ("problem", FluentValue::from("bad address")),
            ("variable", FluentValue::from("ASTEROID_API_KEY")),
            ("host", FluentValue::from("example.com")),
            ("first", FluentValue::from("A.")),
            ("second", FluentValue::from("B.")),
            ("name", FluentValue::from("a.pdf")),
        ];
        let ids = [
            "notice-cancel",
            "notice-resumed",
            "notice-resumed-maybe-twice",
            "notice-not-resumed",
            "notice-internal-error",
            "notice-notification-staged",
            "notice-notification-staged-failed",
            "connection-signed-out",
            "connection-key-not-removed",
            "connection-env-key-still-set",
            "connection-settings-not-saved",
            "connection-unreachable",
            "connection-base-url-from-env",
            "staged-state-earlier",
            "staged-state-history-not-saved",
            "staged-state-history-saved-again",
            "staged-state-history-change-not-saved",
            "restage-source-unknown",
            "restage-gone",
            "restage-gone-several",
            "uploads-state-clipboard-empty",
            "uploads-state-image-not-saved",
            "uploads-state-no-file-chosen",
            "uploads-state-refused",
            "uploads-state-dialog-files",
            "uploads-state-dialog-folders",
        ];
        for language in Language::ALL.into_iter().skip(1) {
            for id in ids {
                let english = text_in(Language::English, id, &args);
                let theirs = text_in(language, id, &args);
                assert_ne!(theirs, id, "{}: {id}", language.code());
                assert!(!theirs.contains('{'), "{}: {theirs}", language.code());
                // "connection-base-url-from-env" is mostly its arguments in any language.
                if id != "connection-base-url-from-env" {
                    assert_ne!(theirs, english, "{}: {id} is English", language.code());
                }
            }
        }
        let de = |count: i64| {
            text_in(
                Language::German,
                "notice-notification-staged",
                &[("count", FluentValue::from(count))],
            )
        };
        assert_eq!(
            de(1),
            "1 Datei bereitgestellt; die IDs können kopiert werden."
        );
        assert_eq!(
            de(2),
            "2 Dateien bereitgestellt; die IDs können kopiert werden."
        );
    }
}
