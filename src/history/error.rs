//! What can go wrong with the history, and what opening it found, in words for the operator.

use super::*;

/// Why the history could not be read or written, in words for the operator. Each message
/// is a short phrase that fits after "could not be saved (…)"; the path is in the variant
/// and the underlying error is kept as the source.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// A newer version of the app wrote the database: this version reads it, never changes it.
    #[error("{}", crate::t!("history-error-newer", found = *found, known = SCHEMA_VERSION))]
    NewerVersion {
        /// The database.
        path: PathBuf,
        /// The schema version it has (`PRAGMA user_version`).
        found: i64,
    },
    /// Another process held the database longer than [`BUSY_TIMEOUT`].
    #[error("{}", crate::t!("history-error-busy", seconds = BUSY_TIMEOUT.as_secs()))]
    Busy {
        /// The database.
        path: PathBuf,
        /// What SQLite or the system said.
        #[source]
        source: rusqlite::Error,
    },
    /// The disk or the file system refused: full, read-only, no permission, an I/O error.
    #[error("{problem}")]
    Disk {
        /// The database.
        path: PathBuf,
        /// What was refused, in words.
        problem: DiskProblem,
        /// What SQLite or the system said.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The database file is not a database any more. Found at open, it is kept aside and
    /// a fresh one started; found later, the next start checks it again.
    #[error("{}", crate::t!("history-error-damaged", reason = source.to_string()))]
    Damaged {
        /// The database.
        path: PathBuf,
        /// What SQLite or the system said.
        #[source]
        source: rusqlite::Error,
    },
    /// The database could not be opened when the store was made, so nothing is written
    /// this session; `source` says why.
    #[error("{}", crate::t!("history-error-unavailable", reason = source.to_string()))]
    Unavailable {
        /// The database.
        path: PathBuf,
        /// What SQLite or the system said.
        #[source]
        source: Arc<HistoryError>,
    },
    /// Anything else SQLite reported.
    #[error("{}", crate::t!("history-error-database", reason = source.to_string()))]
    Database {
        /// The database.
        path: PathBuf,
        /// What SQLite or the system said.
        #[source]
        source: rusqlite::Error,
    },
}

/// What the disk refused, so the message can say what the operator can do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiskProblem {
    /// No space left (or the database reached its size limit).
    Full,
    /// The folder, the file or the whole disk is read-only.
    ReadOnly,
    /// The operating system denied access.
    PermissionDenied,
    /// The file could not be opened or created.
    CannotOpen,
    /// A read or write failed.
    Io,
}

impl std::fmt::Display for DiskProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self {
            DiskProblem::Full => crate::t!("history-disk-full"),
            DiskProblem::ReadOnly => crate::t!("history-disk-read-only"),
            DiskProblem::PermissionDenied => crate::t!("history-disk-permission-denied"),
            DiskProblem::CannotOpen => crate::t!("history-disk-cannot-open"),
            DiskProblem::Io => crate::t!("history-disk-io"),
        })
    }
}

/// What [`HistoryStore::open`] did that the operator should hear about, in plain words
/// (`Display`): an import, a damaged file kept aside, a newer version, no history at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryNotice {
    /// The database the notice is about.
    pub path: PathBuf,
    /// What happened, in order; never empty.
    pub events: Vec<OpenEvent>,
}

/// One thing that happened while opening the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenEvent {
    /// The `history.json` of an earlier version was copied into the database.
    Imported {
        /// The old file.
        from: PathBuf,
        /// Entries added.
        imported: usize,
        /// Entries whose ID was already in the database, skipped.
        already_present: usize,
        /// Where the JSON file went; `None` if it could not be renamed (the next start
        /// reads it again and skips what is already there).
        kept_as: Option<PathBuf>,
    },
    /// The `history.json` of an earlier version could not be imported.
    LegacyNotImported {
        /// The old file.
        file: PathBuf,
        /// Why, in words.
        reason: String,
        /// Where it was kept aside when it is damaged; `None` when it was left in place
        /// to be imported at the next start.
        kept_as: Option<PathBuf>,
    },
    /// The database was damaged: kept aside (or not, when it could not be moved, and then
    /// nothing is saved this session).
    Damaged {
        /// What SQLite said.
        reason: String,
        /// Where the damaged file went.
        kept_as: Option<PathBuf>,
    },
    /// A newer version wrote the database: it is shown, never changed.
    NewerVersion {
        /// The schema version it has.
        found: i64,
    },
    /// No database could be opened or made: nothing is saved this session.
    Unavailable {
        /// Why, in words.
        reason: String,
    },
}

impl HistoryNotice {
    /// True when something went wrong (show a warning); false when the notice only informs,
    /// e.g. that the old history.json was imported.
    pub fn is_problem(&self) -> bool {
        self.events
            .iter()
            .any(|e| !matches!(e, OpenEvent::Imported { .. }))
    }
}

impl std::fmt::Display for HistoryNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let db = self.path.display().to_string();
        let db = db.as_str();
        for (i, event) in self.events.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            match event {
                OpenEvent::Imported {
                    from,
                    imported,
                    already_present,
                    kept_as,
                } => {
                    f.write_str(&crate::t!(
                        "history-notice-imported",
                        count = *imported,
                        from = from.display().to_string(),
                        db = db
                    ))?;
                    if *already_present > 0 {
                        f.write_str(&crate::t!(
                            "history-notice-already-there",
                            count = *already_present
                        ))?;
                    }
                    f.write_str(&match kept_as {
                        Some(k) => {
                            crate::t!("history-notice-old-kept", kept = k.display().to_string())
                        }
                        None => crate::t!("history-notice-old-not-renamed"),
                    })?;
                }
                OpenEvent::LegacyNotImported {
                    file,
                    reason,
                    kept_as,
                } => {
                    f.write_str(&crate::t!(
                        "history-notice-not-imported",
                        file = file.display().to_string(),
                        reason = reason.as_str()
                    ))?;
                    f.write_str(&match kept_as {
                        Some(k) => crate::t!(
                            "history-notice-not-imported-kept",
                            kept = k.display().to_string()
                        ),
                        None => crate::t!("history-notice-not-imported-left"),
                    })?;
                }
                OpenEvent::Damaged { reason, kept_as } => f.write_str(&match kept_as {
                    Some(k) => crate::t!(
                        "history-notice-damaged-kept",
                        db = db,
                        reason = reason.as_str(),
                        kept = k.display().to_string()
                    ),
                    None => crate::t!(
                        "history-notice-damaged-not-moved",
                        db = db,
                        reason = reason.as_str()
                    ),
                })?,
                OpenEvent::NewerVersion { found } => f.write_str(&crate::t!(
                    "history-notice-newer",
                    db = db,
                    found = *found,
                    known = SCHEMA_VERSION
                ))?,
                OpenEvent::Unavailable { reason } => f.write_str(&crate::t!(
                    "history-notice-unavailable",
                    db = db,
                    reason = reason.as_str()
                ))?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imported(already_present: usize) -> OpenEvent {
        OpenEvent::Imported {
            from: PathBuf::from("/old/history.json"),
            imported: 3,
            already_present,
            kept_as: Some(PathBuf::from("/old/history.json.imported-1")),
        }
    }

    /// Found by mutation testing: the "already there" count was said whether or not any
    /// entry was, and two sentences could run together.
    #[test]
    fn a_notice_says_what_was_already_there_only_when_something_was() {
        let notice = |events| {
            HistoryNotice {
                path: PathBuf::from("/data/history.sqlite3"),
                events,
            }
            .to_string()
        };
        let none = notice(vec![imported(0)]);
        assert!(!none.contains("already there"), "{none}");
        let two = notice(vec![imported(2)]);
        assert!(two.contains(" (2 were already there)"), "{two}");
        let both = notice(vec![imported(0), OpenEvent::NewerVersion { found: 99 }]);
        let first_ends = both.find(".json.imported-1.").expect("the first sentence") + 17;
        assert_eq!(&both[first_ends..first_ends + 1], " ", "{both}");
        assert!(!both[first_ends + 1..].starts_with(' '), "{both}");
    }
}
