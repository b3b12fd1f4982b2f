//! What can go wrong with the history, and what opening it found, in words for the operator.

use super::*;

/// Why the history could not be read or written, in words for the operator. Each message
/// is a short phrase that fits after "could not be saved (…)"; the path is in the variant
/// and the underlying error is kept as the source.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// A newer version of the app wrote the database: this version reads it, never changes it.
    #[error(
        "it was written by a newer version of Asteroid Stager (format {found}; this version knows format {SCHEMA_VERSION}), so this version only reads it: update Asteroid Stager to save new files in it"
    )]
    NewerVersion {
        /// The database.
        path: PathBuf,
        /// The schema version it has (`PRAGMA user_version`).
        found: i64,
    },
    /// Another process held the database longer than [`BUSY_TIMEOUT`].
    #[error(
        "another Asteroid Stager kept it locked for more than {} seconds; try again in a moment",
        BUSY_TIMEOUT.as_secs()
    )]
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
    #[error("the database is damaged ({source})")]
    Damaged {
        /// The database.
        path: PathBuf,
        /// What SQLite or the system said.
        #[source]
        source: rusqlite::Error,
    },
    /// The database could not be opened when the store was made, so nothing is written
    /// this session; `source` says why.
    #[error("it could not be opened when Asteroid Stager started ({source})")]
    Unavailable {
        /// The database.
        path: PathBuf,
        /// What SQLite or the system said.
        #[source]
        source: Arc<HistoryError>,
    },
    /// Anything else SQLite reported.
    #[error("an unexpected database error ({source})")]
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
        f.write_str(match self {
            DiskProblem::Full => "the disk is full",
            DiskProblem::ReadOnly => "the folder or the file is read-only",
            DiskProblem::PermissionDenied => "permission denied",
            DiskProblem::CannotOpen => {
                "the file could not be opened or created (check the folder's permissions)"
            }
            DiskProblem::Io => "the disk could not be read or written",
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
        let db = self.path.display();
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
                    write!(
                        f,
                        "Imported {} from {} into the history {db}",
                        crate::format::count(*imported, "staged file", "staged files"),
                        from.display()
                    )?;
                    if *already_present > 0 {
                        write!(f, " ({already_present} were already there)")?;
                    }
                    match kept_as {
                        Some(k) => write!(f, "; the old file is kept as {}.", k.display())?,
                        None => f.write_str(
                            "; the old file could not be renamed, so it will be read again at the next start (nothing is imported twice).",
                        )?,
                    }
                }
                OpenEvent::LegacyNotImported {
                    file,
                    reason,
                    kept_as,
                } => {
                    write!(
                        f,
                        "The old history {} was not imported: {reason}",
                        file.display()
                    )?;
                    match kept_as {
                        Some(k) => write!(f, "; it is kept as {}.", k.display())?,
                        None => {
                            f.write_str("; it is left in place and tried again at the next start.")?
                        }
                    }
                }
                OpenEvent::Damaged { reason, kept_as } => match kept_as {
                    Some(k) => write!(
                        f,
                        "The history {db} was damaged ({reason}); it is kept as {} and a fresh one was started.",
                        k.display()
                    )?,
                    None => write!(
                        f,
                        "The history {db} is damaged ({reason}) and could not be moved aside: staged files are not saved this session. Copy their IDs before closing, and move the file away."
                    )?,
                },
                OpenEvent::NewerVersion { found } => write!(
                    f,
                    "The history {db} was written by a newer version of Asteroid Stager (format {found}; this version knows format {SCHEMA_VERSION}). It is shown but not changed: files staged now are not saved in it. Update Asteroid Stager."
                )?,
                OpenEvent::Unavailable { reason } => write!(
                    f,
                    "The history {db} could not be opened ({reason}): staged files are not saved this session. Copy their IDs before closing."
                )?,
            }
        }
        Ok(())
    }
}
