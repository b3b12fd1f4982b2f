//! Every file staged from this computer: its ID, the name the server stored, size,
//! organization and server (an ID is only valid there), when it was staged (so when it
//! expires), the drop it came with and the local file it was read from; and the files asked
//! to be staged that have no ID yet ([`pending`]), so that a window that dies loses nothing.
//!
//! Kept in an SQLite database (`history.sqlite3`) in the platform's data folder, one row per
//! staged file. Recording is one small transaction that appends rows, so it costs the same
//! with 10 entries or 100,000 (`cargo bench --bench history_record`), and nothing is ever
//! rewritten whole. The window and the command line may record at the same moment: the
//! database is in WAL mode, each write takes the write lock up front (`BEGIN IMMEDIATE`) and
//! waits up to [`BUSY_TIMEOUT`] for the other one, and no process keeps a copy that it could
//! write back over the other's rows.
//!
//! Durability: `synchronous=FULL`. The app's promise is "an ID the operator saw is on disk":
//! the queue records a staged file before it shows or prints its ID. In WAL mode, FULL syncs
//! the log at every commit, so a committed record survives a crash, a kill and a power loss;
//! NORMAL would sync only at checkpoints, so the last records could vanish in a power loss or
//! an OS crash (not in an app crash). The JSON history this replaces synced every write too.
//! The cost is one fsync per write: the queue records a whole answer (every file of a
//! request) in one, and writes the pending table's changes a run at a time (the files a
//! request carries are marked together, not one by one), so staging 10,000 small files
//! takes a few dozen fsyncs, not thousands (figures in the README's "Speed and memory").
//!
//! The schema version is kept in `PRAGMA user_version`; a database written by a newer version
//! of the app is opened read-only and never changed (writes fail with
//! [`HistoryError::NewerVersion`]). A damaged database is kept aside as
//! `history.sqlite3.bad-<secs>` and a fresh one started. The `history.json` of earlier
//! versions is imported once, then renamed `history.json.imported-<secs>`.
//!
//! Calls block on the disk (and on the other process for at most [`BUSY_TIMEOUT`]): run them
//! on a blocking thread, never in a frame.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::ffi::ErrorCode;
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};
use serde::{Deserialize, Serialize};

use crate::api::TempFile;
use crate::atomic_file;

mod database;
mod error;
mod group_source;
mod legacy;
pub mod pending;

pub use database::replaced;
use database::*;
pub use error::{DiskProblem, HistoryError, HistoryNotice, OpenEvent};
pub use group_source::{AddedBy, GroupSource};
use legacy::*;
pub use pending::{PendingFile, PendingId, PendingOwner, UnfinishedFile};

/// The schema this version writes (`PRAGMA user_version`). A database with a higher number
/// was written by a newer version of the app: it is read, never written. Format 2 added
/// `group_place`; format 3 the `server` of each entry, the `group_source` (what the group
/// was made from, as data) and the `pending_files` table. An older database gains what it
/// lacks when opened; its entries read as staged on [`crate::DEFAULT_BASE_URL`], the only
/// server earlier versions could have meant unless told otherwise.
pub const SCHEMA_VERSION: i64 = 3;

/// The file earlier versions kept the history in, beside the database; imported once.
pub const LEGACY_FILE_NAME: &str = "history.json";

/// How long a write waits for another process (the window or the command line) that is
/// writing at the same moment, before it gives up with [`HistoryError::Busy`]. A record
/// holds the lock for a few milliseconds, so this is only reached when something is stuck.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The format version of the legacy `history.json` this version can import.
const LEGACY_VERSION: u32 = 1;

/// The staged files. `seq` gives the order (insertion order; a replaced entry keeps its
/// own); `group_place` the order within a group, as the operator gave the files;
/// times are unix milliseconds; `source_path` is NULL when the path is not valid UTF-8
/// (then the entry's source reads back as unknown). `group_label` is the group's source in
/// English, for older versions that read this database; this version reads `group_source`
/// (NULL for groups made by older versions: then the label is all there is).
/// The pending files are in [`pending::CREATE_PENDING`].
const CREATE_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS staged_files (
    seq              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    size             INTEGER NOT NULL,
    organization_id  TEXT NOT NULL,
    staged_at        INTEGER NOT NULL,
    group_id         TEXT,
    group_label      TEXT,
    group_created_at INTEGER,
    source_path      TEXT,
    source_relative  TEXT,
    source_size      INTEGER,
    source_modified  INTEGER,
    group_place      INTEGER,
    server           TEXT NOT NULL DEFAULT 'https://odyssey.asteroid.ai/agents/v2',
    group_source     TEXT
);
CREATE INDEX IF NOT EXISTS staged_files_staged_at ON staged_files (staged_at);
CREATE INDEX IF NOT EXISTS staged_files_scope ON staged_files (organization_id, server);
";

const COLUMNS: &str = "id, name, size, organization_id, staged_at, group_id, group_label, \
     group_created_at, source_path, source_relative, source_size, source_modified, group_place, \
     server, group_source";

/// One staged file, as the history keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    /// The staged file's ID, what an execute call's `tempFiles` needs.
    pub id: String,
    /// The name the server stored (what an execute call must be given).
    pub name: String,
    /// Bytes sent, to show and to sum against the execution limit.
    pub size: u64,
    /// The organization it was staged for: the ID is only valid there.
    pub organization_id: String,
    /// The API's base URL it was staged on (as [`crate::endpoint::BaseUrl`] writes it): the
    /// ID is only valid there too. Entries from before format 3 read as the default server.
    #[serde(default = "default_server")]
    pub server: String,
    /// When it was staged, which says when the API deletes it. Kept to the millisecond.
    #[serde(with = "rfc3339")]
    pub staged_at: SystemTime,
    /// The drop, pick or paste it came with (`None` for entries imported from history.json).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<StagedGroup>,
    /// Its place among the files of its group as the operator gave them (a folder's files
    /// in the folder's order), which finish staging in any order. `None` for files staged
    /// by versions that did not keep it: those go in the order they were staged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_in_group: Option<u32>,
    /// The local file it was staged from, to stage it again after expiry (`None` when unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceFile>,
}

/// The files the operator added in one go, so the window can list and copy them together.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StagedGroup {
    /// A UUID, unique per drop, pick or paste.
    pub id: String,
    /// What it was made from, worded when drawn ("Scans folder", "3 files dropped").
    pub source: GroupSource,
    /// Kept to the millisecond.
    #[serde(with = "rfc3339")]
    pub created_at: SystemTime,
}

/// Where a staged file came from on this computer, so it can be found and staged again.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceFile {
    /// The file as it was read. A path that is not valid UTF-8 is not stored: such an
    /// entry's source reads back as `None`.
    pub path: PathBuf,
    /// The path inside the dropped folder, '/'-separated, or the file name.
    pub relative_path: String,
    /// The size when it was staged, to tell whether it changed since.
    pub size: u64,
    /// The modification time when it was staged, to the millisecond, when the system has one.
    #[serde(default, with = "rfc3339::option")]
    pub modified: Option<SystemTime>,
}

/// The server of entries staged before the history kept one.
fn default_server() -> String {
    crate::DEFAULT_BASE_URL.to_owned()
}

/// One organization on one server: the only place where its staged IDs can be used, so
/// lists and copies never mix two of them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Scope {
    /// As [`HistoryEntry::organization_id`].
    pub organization_id: String,
    /// As [`HistoryEntry::server`].
    pub server: String,
}

impl Scope {
    /// The scope of `organization` on `server`, written as the history writes them.
    pub fn new(
        organization: &crate::endpoint::OrganizationId,
        server: &crate::endpoint::BaseUrl,
    ) -> Self {
        Self {
            organization_id: organization.to_string(),
            server: server.to_string(),
        }
    }

    /// Whether `entry` was staged for this organization on this server.
    pub fn contains(&self, entry: &HistoryEntry) -> bool {
        entry.organization_id == self.organization_id && entry.server == self.server
    }
}

impl HistoryEntry {
    /// The organization and server this entry's ID belongs to.
    pub fn scope(&self) -> Scope {
        Scope {
            organization_id: self.organization_id.clone(),
            server: self.server.clone(),
        }
    }

    /// When the API deletes the staged file.
    pub fn expires_at(&self) -> SystemTime {
        self.staged_at + crate::STAGED_FILE_LIFETIME
    }

    /// Time left before the API deletes the file; zero once it has.
    pub fn time_left(&self, now: SystemTime) -> Duration {
        self.expires_at()
            .duration_since(now)
            .unwrap_or(Duration::ZERO)
    }

    /// True once the API has deleted the file, so its ID is of no use any more.
    pub fn is_expired(&self, now: SystemTime) -> bool {
        self.time_left(now).is_zero()
    }

    /// The `{id, name}` pair an execute call's `tempFiles` takes.
    pub fn temp_file(&self) -> TempFile {
        TempFile {
            id: self.id.clone(),
            name: self.name.clone(),
        }
    }
}

/// The history, shared by the upload queue (which records) and the faces (which read,
/// clear and stage again). Cheap to clone: every clone uses the same connection.
///
/// An entry whose write failed (full disk, read-only folder, a newer version's database, no
/// database at all) is not dropped: the store keeps it in memory, lists it with the others,
/// and writes it with the next record that succeeds. So what the window shows after a failed
/// save never vanishes at the next change. When no database could be opened at all, the store
/// works in memory only: every record fails with [`HistoryError::Unavailable`] (so the
/// operator is told each time), reads list what this session staged, and clearing clears it.
#[derive(Clone)]
pub struct HistoryStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    state: Mutex<State>,
    /// This store's process as the owner of pending files, once claimed.
    claim: Mutex<Option<pending::Claim>>,
    /// Set by [`HistoryStore::stop_pending`]: this process keeps no pending files any more.
    pending_stopped: std::sync::atomic::AtomicBool,
}

struct State {
    db: Db,
    /// Recorded, but not written yet (the write failed); oldest first.
    unsaved: Vec<HistoryEntry>,
}

enum Db {
    /// `newer` is set when a newer version wrote the database: read, never written.
    Open {
        conn: Connection,
        newer: Option<i64>,
    },
    /// No database: why, for every write.
    Unavailable(Arc<HistoryError>),
}

impl HistoryStore {
    /// Opens (creating) the database at `path` (`AppPaths::history_file()`). Imports
    /// `history.json` from the same folder once if present (then renames it
    /// `history.json.imported-<secs>`), keeps a damaged database aside
    /// (`.bad-<secs>`) and starts fresh, and opens a database written by a newer schema
    /// read-only. The notice says what happened, in plain words for the operator. Never
    /// panics: when not even a fresh database can be made, the store works in memory and
    /// its writes fail with [`HistoryError::Unavailable`] (see [`HistoryStore`]).
    pub fn open(path: &Path) -> (Self, Option<HistoryNotice>) {
        let mut events = Vec::new();
        let mut db = open_database(path, &mut events);
        if let Db::Open { conn, newer: None } = &mut db {
            import_legacy(conn, path, &mut events);
        }
        let store = Self {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                state: Mutex::new(State {
                    db,
                    unsaved: Vec::new(),
                }),
                claim: Mutex::new(None),
                pending_stopped: std::sync::atomic::AtomicBool::new(false),
            }),
        };
        let notice = (!events.is_empty()).then(|| HistoryNotice {
            path: path.to_path_buf(),
            events,
        });
        (store, notice)
    }

    /// Where the database is, to tell the operator.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Appends `entries` in one transaction: all of them are on disk, or none (and then they
    /// are kept in memory, listed, and written with the next record that succeeds). An ID
    /// already in the history is left as it is.
    pub fn record<'a>(
        &self,
        entries: impl IntoIterator<Item = &'a HistoryEntry>,
    ) -> Result<(), HistoryError> {
        self.record_and_forget_pending(entries, &[])
    }

    /// [`record`](Self::record), and in the same transaction forgets the pending files
    /// these entries stand for: a crash leaves either both (the file resumes) or neither
    /// (its ID is in the history), never a file staged twice for a row left behind. Kept
    /// in memory after a failed write, the entries are written later; the rows then stay
    /// (and are forgotten when this process ends in order).
    pub fn record_and_forget_pending<'a>(
        &self,
        entries: impl IntoIterator<Item = &'a HistoryEntry>,
        pending: &[PendingId],
    ) -> Result<(), HistoryError> {
        let mut state = self.lock();
        let State { db, unsaved } = &mut *state;
        // A caller that tries again with what failed before (the queue's writer does)
        // must not make it wait twice: each ID is kept once.
        let fresh: Vec<&HistoryEntry> = if unsaved.is_empty() {
            entries.into_iter().collect()
        } else {
            let waiting: std::collections::HashSet<&str> =
                unsaved.iter().map(|e| e.id.as_str()).collect();
            entries
                .into_iter()
                .filter(|e| !waiting.contains(e.id.as_str()))
                .collect()
        };
        if fresh.is_empty() && unsaved.is_empty() && pending.is_empty() {
            return Ok(());
        }
        let result = write(db, &self.inner.path, |tx| {
            insert_entries(tx, unsaved.iter().chain(fresh.iter().copied()))?;
            pending::forget_pending_in(tx, pending)
        });
        match result {
            Ok(_) => {
                unsaved.clear();
                Ok(())
            }
            Err(e) => {
                // Copied only now: kept in memory for the next write.
                unsaved.extend(fresh.into_iter().cloned());
                Err(e)
            }
        }
    }

    /// Staging again after expiry: the entry with `old_id` takes the new ID, name, size,
    /// organization, staged_at and source, and keeps its group and its place, in one
    /// transaction. Returns the entry as it is now stored (see [`replaced`]), or `None`
    /// if `old_id` is unknown (then nothing changes). An entry whose write had failed is
    /// changed in memory, then written with the others waiting.
    pub fn replace(
        &self,
        old_id: &str,
        new: &HistoryEntry,
    ) -> Result<Option<HistoryEntry>, HistoryError> {
        let mut state = self.lock();
        let State { db, unsaved } = &mut *state;
        if let Some(kept) = unsaved.iter_mut().find(|e| e.id == old_id) {
            // Not on disk yet: change it in memory, then try to write what is waiting.
            *kept = replaced(kept, new);
            let stored = kept.clone();
            write(db, &self.inner.path, |tx| {
                insert_entries(tx, unsaved.iter())
            })?;
            unsaved.clear();
            return Ok(Some(stored));
        }
        write(db, &self.inner.path, |tx| {
            let s = new.source.as_ref();
            tx.prepare_cached(&format!(
                "UPDATE staged_files SET id = ?1, name = ?2, size = ?3, organization_id = ?4, \
                 staged_at = ?5, source_path = ?6, source_relative = ?7, source_size = ?8, \
                 source_modified = ?9, server = ?11 WHERE id = ?10 RETURNING {COLUMNS}"
            ))?
            .query_row(
                params![
                    new.id,
                    new.name,
                    to_i64(new.size),
                    new.organization_id,
                    to_millis(new.staged_at),
                    s.and_then(|s| s.path.to_str()),
                    s.map(|s| &s.relative_path),
                    s.map(|s| to_i64(s.size)),
                    s.and_then(|s| s.modified).map(to_millis),
                    old_id,
                    new.server,
                ],
                entry_from_row,
            )
            .optional()
        })
    }

    /// All entries, oldest first (insertion order; a replaced entry keeps its place).
    pub fn entries(&self) -> Result<Vec<HistoryEntry>, HistoryError> {
        self.select("", params![])
    }

    /// Entries not yet expired at `now`, oldest first (for `asteroid-stager history`).
    pub fn unexpired(&self, now: SystemTime) -> Result<Vec<HistoryEntry>, HistoryError> {
        let mut list = self.select("WHERE staged_at > ?1", params![expiry_cutoff(now)])?;
        // The SQL and `is_expired` agree to the millisecond; this also filters the unsaved.
        list.retain(|e| !e.is_expired(now));
        Ok(list)
    }

    /// The entries staged for one organization on one server, oldest first; with
    /// `unexpired_at`, only those not yet expired then. What a list or a copy may show
    /// without handing an execute call an ID it cannot use.
    pub fn in_scope(
        &self,
        scope: &Scope,
        unexpired_at: Option<SystemTime>,
    ) -> Result<Vec<HistoryEntry>, HistoryError> {
        let cutoff = unexpired_at.map_or(i64::MIN, expiry_cutoff);
        let mut list = self.select(
            "WHERE organization_id = ?1 AND server = ?2 AND staged_at > ?3",
            params![scope.organization_id, scope.server, cutoff],
        )?;
        // The unsaved ones are added whatever the filter: filter them here too.
        list.retain(|e| scope.contains(e) && unexpired_at.is_none_or(|now| !e.is_expired(now)));
        Ok(list)
    }

    /// Removes the entries whose files the API has already deleted; returns how many.
    pub fn clear_expired(&self, now: SystemTime) -> Result<usize, HistoryError> {
        let cutoff = expiry_cutoff(now);
        self.clear(
            |tx| {
                tx.prepare_cached("DELETE FROM staged_files WHERE staged_at <= ?1")?
                    .execute([cutoff])
            },
            |e| e.is_expired(now),
        )
    }

    /// Removes every entry; returns how many.
    pub fn clear_all(&self) -> Result<usize, HistoryError> {
        self.clear(|tx| tx.execute("DELETE FROM staged_files", []), |_| true)
    }

    /// How many entries there are.
    pub fn len(&self) -> Result<usize, HistoryError> {
        let state = self.lock();
        let on_disk = match &state.db {
            Db::Open { conn, .. } => conn
                .query_row("SELECT count(*) FROM staged_files", [], |r| {
                    r.get::<_, i64>(0)
                })
                .map_err(|e| classify(&self.inner.path, e))?,
            Db::Unavailable(_) => 0,
        };
        Ok(usize::try_from(on_disk).unwrap_or(0) + state.unsaved.len())
    }

    /// True when there is no entry (without counting them all).
    pub fn is_empty(&self) -> Result<bool, HistoryError> {
        let state = self.lock();
        if !state.unsaved.is_empty() {
            return Ok(false);
        }
        match &state.db {
            Db::Open { conn, .. } => conn
                .query_row("SELECT NOT EXISTS (SELECT 1 FROM staged_files)", [], |r| {
                    r.get::<_, bool>(0)
                })
                .map_err(|e| classify(&self.inner.path, e)),
            Db::Unavailable(_) => Ok(true),
        }
    }

    /// Copies the log's writes back into the database file, without waiting for anyone
    /// (a reader or writer elsewhere just leaves the rest for later). Called when the
    /// queue goes idle: then the copy runs while the operator is shown the last IDs,
    /// instead of when the history is closed (a command that ends waits for that one).
    pub fn checkpoint(&self) -> Result<(), HistoryError> {
        let state = self.lock();
        match &state.db {
            Db::Open { conn, .. } => conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                .map_err(|e| classify(&self.inner.path, e)),
            Db::Unavailable(_) => Ok(()),
        }
    }

    /// For `benches/history_record.rs` only: sets `PRAGMA synchronous` (e.g. "NORMAL") on
    /// this store's connection, to measure what the durability choice costs.
    #[doc(hidden)]
    pub fn set_synchronous_for_bench(&self, mode: &str) -> Result<(), HistoryError> {
        let state = self.lock();
        match &state.db {
            Db::Open { conn, .. } => conn
                .pragma_update(None, "synchronous", mode)
                .map_err(|e| classify(&self.inner.path, e)),
            Db::Unavailable(e) => Err(HistoryError::Unavailable {
                path: self.inner.path.clone(),
                source: e.clone(),
            }),
        }
    }

    fn select(
        &self,
        filter: &str,
        params: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<HistoryEntry>, HistoryError> {
        let state = self.lock();
        let mut list = match &state.db {
            Db::Open { conn, .. } => (|| {
                let mut stmt = conn.prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM staged_files {filter} ORDER BY seq"
                ))?;
                let rows = stmt.query_map(params, entry_from_row)?;
                rows.collect::<rusqlite::Result<Vec<_>>>()
            })()
            .map_err(|e| classify(&self.inner.path, e))?,
            Db::Unavailable(_) => Vec::new(),
        };
        list.extend(state.unsaved.iter().cloned());
        Ok(list)
    }

    /// Deletes on disk, then (only if that worked, or there is no disk) in memory.
    fn clear(
        &self,
        on_disk: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<usize>,
        in_memory: impl Fn(&HistoryEntry) -> bool,
    ) -> Result<usize, HistoryError> {
        let mut state = self.lock();
        let State { db, unsaved } = &mut *state;
        let removed = match db {
            // Nothing on disk to clear: clearing what this session keeps is all there is.
            Db::Unavailable(_) => 0,
            Db::Open { .. } => write(db, &self.inner.path, on_disk)?,
        };
        let before = unsaved.len();
        unsaved.retain(|e| !in_memory(e));
        Ok(removed + before - unsaved.len())
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves a usable connection (SQLite rolls
        // back an unfinished transaction): keep going.
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests;
