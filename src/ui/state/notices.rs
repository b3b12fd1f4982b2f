//! Messages for the operator that stay until dismissed: a file that could not be added,
//! a history that could not be saved, a key that was removed.

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
        let text = text.into();
        if self.list.last().is_some_and(|n| n.text == text) {
            return;
        }
        self.next_id += 1;
        self.list.push(Notice {
            id: self.next_id,
            level,
            text,
        });
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
}
