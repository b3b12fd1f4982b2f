//! What the staged list's copy buttons copy, and the question before a copy whose files
//! share a name. A copy holds the files the list shows (the filter applies) that the API
//! still keeps: as IDs one per line, or as the `{"tempFiles":[…]}` text the command line
//! prints (one core function writes both, so they are byte-identical).

use std::collections::HashMap;
use std::time::SystemTime;

use unicode_normalization::UnicodeNormalization;

use super::StagedState;
use super::view::Filter;
use crate::api::{TempFile, temp_files_json};
use crate::history::HistoryEntry;
use crate::ui::command::CopyWhat;

/// A tempFiles copy held back for the operator's yes: several of its files have the same
/// name, and an execute call would get that name several times with nothing to tell the
/// files apart (three `page1.pdf` from different folders).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SameNames {
    /// The copy asked for.
    pub what: CopyWhat,
    /// Each name given to more than one of its files, and to how many, in the order the
    /// files come.
    pub names: Vec<(String, usize)>,
    /// How many files the copy holds.
    pub files: usize,
}

impl CopyWhat {
    /// Whether this copy is tempFiles text (an execute call reads its names), not IDs.
    pub fn is_temp_files(&self) -> bool {
        matches!(
            self,
            CopyWhat::Json | CopyWhat::Group(_) | CopyWhat::SelectedJson
        )
    }
}

impl StagedState {
    /// The files `what` copies, in the order they are copied: not expired, and (except for
    /// an explicit selection or one row) let through by the filter, as the list shows them.
    pub(super) fn files_to_copy(&self, what: &CopyWhat, now: SystemTime) -> Vec<&HistoryEntry> {
        let filter = Filter::new(&self.filter);
        let shown_live = |e: &&HistoryEntry| !e.is_expired(now) && filter.passes(e);
        match what {
            CopyWhat::Id(id) => self.entries.iter().filter(|e| &e.id == id).collect(),
            CopyWhat::AllIds | CopyWhat::Json => self.entries.iter().filter(shown_live).collect(),
            CopyWhat::Group(key) => self
                .group(key)
                .into_iter()
                .flat_map(|g| g.members.iter().filter_map(|&i| self.entries.get(i)))
                .filter(shown_live)
                .collect(),
            CopyWhat::SelectedJson | CopyWhat::SelectedIds => {
                self.selection().filter(|e| !e.is_expired(now)).collect()
            }
        }
    }

    /// The text for `what` on the clipboard.
    pub(super) fn copy_text(&self, what: &CopyWhat, now: SystemTime) -> String {
        let files = self.files_to_copy(what, now);
        if what.is_temp_files() {
            let list: Vec<TempFile> = files.into_iter().map(HistoryEntry::temp_file).collect();
            temp_files_json(&list)
        } else {
            files
                .into_iter()
                .map(|e| e.id.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        }
    }

    /// The question to ask before copying `what`, when its files share names.
    pub(super) fn same_names(&self, what: &CopyWhat, now: SystemTime) -> Option<SameNames> {
        if !what.is_temp_files() {
            return None;
        }
        let files = self.files_to_copy(what, now);
        let names = shared_names(files.iter().map(|e| e.name.as_str()));
        (!names.is_empty()).then(|| SameNames {
            what: what.clone(),
            names,
            files: files.len(),
        })
    }
}

/// The names that occur more than once, with their counts, first occurrence first. Names
/// are compared as they look (Unicode NFC: `é` typed two ways is one name to a reader).
fn shared_names<'a>(names: impl Iterator<Item = &'a str>) -> Vec<(String, usize)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut order: Vec<(String, &'a str)> = Vec::new();
    for name in names {
        let key: String = name.nfc().collect();
        let count = counts.entry(key.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            order.push((key, name));
        }
    }
    order
        .into_iter()
        .filter_map(|(key, name)| {
            let count = counts.get(&key).copied().unwrap_or(0);
            (count > 1).then(|| (name.to_owned(), count))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::shared_names;

    #[test]
    fn shared_names_are_counted_as_they_look() {
        let names = [
            "page1.pdf",
            "b.pdf",
            "page1.pdf",
            "e\u{301}.txt",
            "é.txt",
            "page1.pdf",
        ];
        assert_eq!(
            shared_names(names.into_iter()),
            [("page1.pdf".to_owned(), 3), ("e\u{301}.txt".to_owned(), 2)]
        );
        assert!(shared_names(["a", "b"].into_iter()).is_empty());
    }
}
