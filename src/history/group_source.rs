//! Where a group of staged files came from, kept as data (how they were added, how many,
//! the name of the one item given) rather than as an English sentence, so that each face
//! words it in the operator's language when it draws it ([`crate::format::group_label`]).
//!
//! In the database a source is one short stable string, `how:items[:name]`, e.g.
//! `dropped:1:Scans` or `command-line:3`: the name comes last and may hold any character,
//! `:` included.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// How the operator added the files of one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddedBy {
    /// Dropped on the window.
    Dropped,
    /// Chosen in the file or folder dialog.
    Picked,
    /// Pasted from the clipboard (copied files or an image).
    Pasted,
    /// Named on `asteroid-stager stage`.
    CommandLine,
    /// Handed to the app by the file manager ("Open with", "Send to").
    OpenedWith,
}

impl AddedBy {
    const ALL: [AddedBy; 5] = [
        AddedBy::Dropped,
        AddedBy::Picked,
        AddedBy::Pasted,
        AddedBy::CommandLine,
        AddedBy::OpenedWith,
    ];

    /// The stable word kept in the database; never change one, only add.
    fn key(self) -> &'static str {
        match self {
            AddedBy::Dropped => "dropped",
            AddedBy::Picked => "picked",
            AddedBy::Pasted => "pasted",
            AddedBy::CommandLine => "command-line",
            AddedBy::OpenedWith => "opened-with",
        }
    }
}

/// What one group of staged files was made from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum GroupSource {
    /// Files and folders the operator added in one go.
    Added {
        /// How.
        how: AddedBy,
        /// How many items (files or folders) were given, before folders were opened.
        items: u32,
        /// The file name of the item when exactly one was given (a folder's name, say),
        /// so the label can name it.
        name: Option<String>,
    },
    /// Staged by a version that kept an English label instead: shown as it was.
    Labelled(String),
}

impl GroupSource {
    /// The source of a group made from `paths`, added `how`.
    pub fn of_paths(how: AddedBy, paths: &[impl AsRef<Path>]) -> Self {
        let name = match paths {
            [one] => one
                .as_ref()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned()),
            _ => None,
        };
        GroupSource::Added {
            how,
            items: u32::try_from(paths.len()).unwrap_or(u32::MAX),
            name,
        }
    }

    /// Reads what [`fmt::Display`] wrote. Anything else (a label from an older version,
    /// or a source a newer version invented) is kept as a label, never lost.
    pub fn parse(stored: &str) -> Self {
        let mut parts = stored.splitn(3, ':');
        let how = parts
            .next()
            .and_then(|key| AddedBy::ALL.into_iter().find(|h| h.key() == key));
        let items = parts.next().and_then(|n| n.parse::<u32>().ok());
        match (how, items) {
            (Some(how), Some(items)) => GroupSource::Added {
                how,
                items,
                name: parts.next().map(str::to_owned),
            },
            _ => GroupSource::Labelled(stored.to_owned()),
        }
    }
}

impl fmt::Display for GroupSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupSource::Added { how, items, name } => {
                write!(f, "{}:{items}", how.key())?;
                match name {
                    Some(name) => write!(f, ":{name}"),
                    None => Ok(()),
                }
            }
            GroupSource::Labelled(label) => f.write_str(label),
        }
    }
}

impl From<GroupSource> for String {
    fn from(source: GroupSource) -> Self {
        source.to_string()
    }
}

impl From<String> for GroupSource {
    fn from(stored: String) -> Self {
        GroupSource::parse(&stored)
    }
}
