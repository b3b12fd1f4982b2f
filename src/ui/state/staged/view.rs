//! The staged list as drawn: files gathered in their groups, newest group first, with the
//! filter applied. Built once when the list changes, so drawing walks a flat list of rows
//! and lays out only those on screen.

use std::collections::HashMap;
use std::time::SystemTime;

use crate::format;
use crate::history::HistoryEntry;

/// One group: a drop, a pick, a paste.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupView {
    /// The group's ID; empty for files staged before groups existed.
    pub key: String,
    /// What it was made from, worded ("Scans folder", "3 files dropped"); "Earlier" for
    /// the ungrouped.
    pub label: String,
    /// When the group was made.
    pub created_at: Option<SystemTime>,
    /// Its files (indexes into the entries), in the order the operator gave them (a
    /// folder's in the folder's order), whatever order they finished in; newest first for
    /// the files from before groups existed.
    pub members: Vec<usize>,
    /// Their bytes.
    pub bytes: u64,
    /// How many of them the filter lets through.
    pub shown: usize,
}

/// A row of the drawn list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListRow {
    /// A group's header (index into the groups).
    Group(usize),
    /// A file (index into the entries).
    Entry(usize),
}

/// Groups and rows for `entries` (oldest first) under `filter` (a part of a name, a path
/// or an ID, any case). Groups go newest first, by their newest file.
pub(super) fn build(entries: &[HistoryEntry], filter: &str) -> (Vec<GroupView>, Vec<ListRow>) {
    let filter = Filter::new(filter);
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut groups: Vec<GroupView> = Vec::new();
    let mut passes: Vec<bool> = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let key = entry.group.as_ref().map_or("", |g| g.id.as_str());
        let slot = *index.entry(key).or_insert_with(|| {
            groups.push(GroupView {
                key: key.to_owned(),
                // Worded below, once it is known whether its files came from a folder.
                label: String::new(),
                created_at: entry.group.as_ref().map(|g| g.created_at),
                members: Vec::new(),
                bytes: 0,
                shown: 0,
            });
            groups.len() - 1
        });
        let group = &mut groups[slot];
        group.members.push(i);
        group.bytes = group.bytes.saturating_add(entry.size);
        let pass = filter.passes(entry);
        if pass {
            group.shown += 1;
        }
        passes.push(pass);
    }
    // Newest first: the group whose latest file is latest.
    groups.sort_by_key(|g| std::cmp::Reverse(g.members.last().copied().unwrap_or(0)));
    // A group lists its files as they were given (and an execute call gets them in that
    // order); files without a place (staged by older versions) follow in staging order. The
    // files from before groups existed read newest first, as they always did.
    for group in &mut groups {
        let first = group.members.first().and_then(|&i| entries.get(i));
        group.label = match first.and_then(|e| e.group.as_ref()) {
            Some(g) => {
                let from_folder = group.members.iter().any(|&i| {
                    entries[i]
                        .source
                        .as_ref()
                        .is_some_and(|s| s.relative_path.contains('/'))
                });
                format::group_label(&g.source, from_folder)
            }
            None => crate::t!("staged-state-earlier"),
        };
        if group.key.is_empty() {
            group.members.reverse();
        } else {
            group
                .members
                .sort_by_key(|&i| entries[i].place_in_group.unwrap_or(u32::MAX));
        }
    }
    let mut rows = Vec::with_capacity(entries.len() + groups.len());
    for (g, group) in groups.iter().enumerate() {
        if group.shown == 0 {
            continue;
        }
        rows.push(ListRow::Group(g));
        rows.extend(
            group
                .members
                .iter()
                .filter(|&&i| passes[i])
                .map(|&i| ListRow::Entry(i)),
        );
    }
    (groups, rows)
}

/// The filter box's text as a test: a part of a name, a path or an ID, any case. One rule
/// for what the list shows and what its copy buttons copy.
pub(super) struct Filter {
    needle: String,
}

impl Filter {
    pub(super) fn new(text: &str) -> Self {
        Self {
            needle: text.trim().to_lowercase(),
        }
    }

    /// Whether the filter lets `entry` through (an empty filter lets everything through).
    pub(super) fn passes(&self, entry: &HistoryEntry) -> bool {
        if self.needle.is_empty() {
            return true;
        }
        let shown = entry.source.as_ref().map(|s| s.relative_path.as_str());
        [Some(entry.name.as_str()), shown, Some(entry.id.as_str())]
            .into_iter()
            .flatten()
            .any(|text| text.to_lowercase().contains(&self.needle))
    }
}
