//! Files asked to be staged that have no ID yet, kept beside the staged ones so that a
//! window that dies (a crash, a kill, a power cut) loses nothing: what the operator asked
//! for is written before it is sent, removed once it ends (staged, cancelled, or failed for
//! good), and on the next start what is left is taken over and sent again.
//!
//! Each pending file names its **owner**, the process sending it: its process ID and the
//! moment it took ownership. An owner is running while it holds an exclusive lock on its
//! own small file in `running/` beside the database; the system releases that lock when the
//! process ends, however it ends, so a live window or `stage` in a terminal is never robbed
//! of its files, and a process ID reused after a reboot is never mistaken for the old one.
//! Taking over ([`HistoryStore::adopt_unfinished`]) is one transaction: two windows starting
//! at once never both resume the same file.

use std::fs::{File, OpenOptions};

use super::*;

/// The pending files (created with the schema, see [`super::CREATE_SCHEMA`]). Times are unix
/// milliseconds; `sending` is set once a request carrying the file has started (so the
/// server may have stored it).
pub(super) const CREATE_PENDING: &str = "
CREATE TABLE IF NOT EXISTS pending_files (
    seq              INTEGER PRIMARY KEY,
    path             TEXT NOT NULL,
    relative_path    TEXT NOT NULL,
    size             INTEGER NOT NULL,
    modified         INTEGER,
    group_id         TEXT,
    group_source     TEXT,
    group_created_at INTEGER,
    group_place      INTEGER,
    organization_id  TEXT NOT NULL,
    server           TEXT NOT NULL,
    replaces         TEXT,
    owner_pid        INTEGER NOT NULL,
    owner_started_at INTEGER NOT NULL,
    added_at         INTEGER NOT NULL,
    sending          INTEGER NOT NULL DEFAULT 0
);
";

const PENDING_COLUMNS: &str = "seq, path, relative_path, size, modified, group_id, group_source, \
     group_created_at, group_place, organization_id, server, replaces, owner_pid, \
     owner_started_at, sending";

/// The folder, beside the database, where each running owner holds its lock file.
const RUNNING_DIR: &str = "running";

/// A pending file's row, to remove it or mark it once its fate is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PendingId(i64);

impl PendingId {
    /// A row number, for tests of code that only passes rows along.
    #[cfg(test)]
    pub(crate) fn for_tests(seq: u64) -> Self {
        Self(i64::try_from(seq).unwrap_or(i64::MAX))
    }
}

/// A file asked to be staged, as kept until it has an ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingFile {
    /// The file on this computer. A path that is not valid UTF-8 cannot be kept: such a
    /// file is left out of the table (it is still sent, it just does not resume).
    pub path: PathBuf,
    /// The name shown (the path inside the dropped folder, or the file name).
    pub relative_path: String,
    /// Its size when it was added: resuming checks the file has not changed since.
    pub size: u64,
    /// Its modification time when it was added, when the system has one.
    pub modified: Option<SystemTime>,
    /// The drop, pick or paste it came with.
    pub group: Option<StagedGroup>,
    /// Its place in that group.
    pub place_in_group: Option<u32>,
    /// The organization it is staged for.
    pub organization_id: String,
    /// The server it is staged on.
    pub server: String,
    /// The expired entry it stages again, if it does.
    pub replaces: Option<String>,
}

/// The process that sends a pending file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PendingOwner {
    /// Its process ID.
    pub pid: u32,
    /// When it took ownership (to the millisecond): with the process ID, names it uniquely.
    pub started_at: SystemTime,
}

/// A pending file whose owner is no longer running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnfinishedFile {
    /// Its row (now owned by the process that took it over).
    pub id: PendingId,
    /// The file.
    pub file: PendingFile,
    /// True when a request carrying it had started: the server may have stored it already,
    /// so staging it again may leave a second copy (which expires unused).
    pub maybe_stored: bool,
}

/// This store's ownership, claimed on the first pending write: the lock file stays open
/// (and locked) as long as the store lives.
pub(super) struct Claim {
    owner: PendingOwner,
    lock_path: PathBuf,
    _lock: File,
}

impl Drop for Claim {
    fn drop(&mut self) {
        // An orderly end: nobody needs the file any more. After a crash it stays, unlocked,
        // and is removed by whoever takes the files over.
        let _ = std::fs::remove_file(&self.lock_path);
    }
}

impl HistoryStore {
    /// Writes `files` as pending, owned by this store's process, in one transaction;
    /// returns their rows in order (`None` for a file whose path cannot be kept).
    pub fn add_pending(
        &self,
        files: &[PendingFile],
    ) -> Result<Vec<Option<PendingId>>, HistoryError> {
        self.insert_pending(files.iter().map(|f| (f, false)), files.len())
    }

    /// [`add_pending`](Self::add_pending), each file with whether a request carrying it
    /// starts now: such a file is written already marked as sending
    /// ([`mark_pending_sending`](Self::mark_pending_sending)), in the same write.
    pub fn add_pending_marked(
        &self,
        files: &[(PendingFile, bool)],
    ) -> Result<Vec<Option<PendingId>>, HistoryError> {
        self.insert_pending(files.iter().map(|(f, sending)| (f, *sending)), files.len())
    }

    fn insert_pending<'a>(
        &self,
        files: impl Iterator<Item = (&'a PendingFile, bool)>,
        count: usize,
    ) -> Result<Vec<Option<PendingId>>, HistoryError> {
        if self.pending_stopped() {
            return Ok(vec![None; count]);
        }
        let owner = self.claim()?;
        let now = to_millis(SystemTime::now());
        let mut state = self.lock();
        write(&mut state.db, &self.inner.path, |tx| {
            let mut stmt = tx.prepare_cached(&format!(
                "INSERT INTO pending_files ({PENDING_COLUMNS}, added_at) \
                 VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
            ))?;
            // The files of one group share its source: worded once, not once per row.
            let mut source: Option<(&str, String)> = None;
            files
                .map(|(f, sending)| {
                    let Some(path) = f.path.to_str() else {
                        return Ok(None);
                    };
                    let g = f.group.as_ref();
                    if let Some(g) = g
                        && source.as_ref().is_none_or(|(id, _)| *id != g.id)
                    {
                        source = Some((&g.id, g.source.to_string()));
                    }
                    let worded = g.and(source.as_ref().map(|(_, text)| text.as_str()));
                    stmt.execute(params![
                        path,
                        f.relative_path,
                        to_i64(f.size),
                        f.modified.map(to_millis),
                        g.map(|g| &g.id),
                        worded,
                        g.map(|g| to_millis(g.created_at)),
                        f.place_in_group,
                        f.organization_id,
                        f.server,
                        f.replaces,
                        owner.pid,
                        to_millis(owner.started_at),
                        sending,
                        now,
                    ])?;
                    Ok(Some(PendingId(tx.last_insert_rowid())))
                })
                .collect()
        })
    }

    /// Notes that a request carrying these files has started: from now on the server may
    /// have them, whatever becomes of the answer.
    pub fn mark_pending_sending(&self, ids: &[PendingId]) -> Result<(), HistoryError> {
        if self.pending_stopped() {
            return Ok(());
        }
        self.change_pending(ids, "UPDATE pending_files SET sending = 1 WHERE seq = ?1")
            .map(|_| ())
    }

    /// Forgets these files: staged (their ID is in the history), cancelled, or failed for
    /// good. Returns how many were still there.
    pub fn remove_pending(&self, ids: &[PendingId]) -> Result<usize, HistoryError> {
        self.change_pending(ids, FORGET_PENDING)
    }

    /// Forgets every pending file this process owns and keeps none from now on: the
    /// operator quit and cancelled (nothing is to resume), or a command ended in order.
    /// Returns how many were removed.
    pub fn stop_pending(&self) -> Result<usize, HistoryError> {
        self.inner
            .pending_stopped
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let Some(owner) = self.claimed() else {
            return Ok(0);
        };
        let mut state = self.lock();
        write(&mut state.db, &self.inner.path, |tx| {
            tx.prepare_cached(
                "DELETE FROM pending_files WHERE owner_pid = ?1 AND owner_started_at = ?2",
            )?
            .execute(params![owner.pid, to_millis(owner.started_at)])
        })
    }

    fn pending_stopped(&self) -> bool {
        self.inner
            .pending_stopped
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The pending files whose owner is no longer running, oldest first, without taking
    /// them (to tell the operator, or for tests).
    pub fn unfinished(&self) -> Result<Vec<UnfinishedFile>, HistoryError> {
        let state = self.lock();
        let Db::Open { conn, .. } = &state.db else {
            return Ok(Vec::new());
        };
        let rows = select_pending(conn).map_err(|e| classify(&self.inner.path, e))?;
        Ok(rows
            .into_iter()
            .filter(|(owner, _)| !self.is_running(owner))
            .map(|(_, file)| file)
            .collect())
    }

    /// Takes over the pending files whose owner is no longer running: in one transaction
    /// they become this process's, so no other process resumes them too. Oldest first.
    pub fn adopt_unfinished(&self) -> Result<Vec<UnfinishedFile>, HistoryError> {
        let owner = self.claim()?;
        let mut state = self.lock();
        let mut dead_owners = Vec::new();
        let adopted =
            write(&mut state.db, &self.inner.path, |tx| {
                let mut adopted = Vec::new();
                for (previous, file) in select_pending(tx)? {
                    if previous == owner || self.is_running(&previous) {
                        continue;
                    }
                    tx.prepare_cached(
                    "UPDATE pending_files SET owner_pid = ?1, owner_started_at = ?2 WHERE seq = ?3",
                )?
                .execute(params![owner.pid, to_millis(owner.started_at), file.id.0])?;
                    dead_owners.push(previous);
                    adopted.push(file);
                }
                Ok(adopted)
            })?;
        for dead in dead_owners {
            let _ = std::fs::remove_file(self.lock_path(&dead));
        }
        Ok(adopted)
    }

    /// Whether `owner` is still running: it holds the lock on its file.
    pub fn is_running(&self, owner: &PendingOwner) -> bool {
        if self.claimed() == Some(*owner) {
            return true;
        }
        let Ok(file) = OpenOptions::new().write(true).open(self.lock_path(owner)) else {
            // No lock file: it ended in order, or never got that far.
            return false;
        };
        match file.try_lock() {
            Ok(()) => false,
            Err(std::fs::TryLockError::WouldBlock) => true,
            // A file system without locks: assume it runs, so its files are never stolen.
            Err(std::fs::TryLockError::Error(_)) => true,
        }
    }

    /// This store's process as an owner of pending files, claiming the lock on first use.
    pub fn owner(&self) -> Result<PendingOwner, HistoryError> {
        self.claim()
    }

    /// The owner this store has claimed, if it has.
    fn claimed(&self) -> Option<PendingOwner> {
        let claim = self
            .inner
            .claim
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        claim.as_ref().map(|c| c.owner)
    }

    /// Claims on first use; a claim that failed (a folder not writable yet) is tried again
    /// the next time.
    fn claim(&self) -> Result<PendingOwner, HistoryError> {
        let mut claim = self
            .inner
            .claim
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(c) = claim.as_ref() {
            return Ok(c.owner);
        }
        let made = self
            .make_claim()
            .map_err(|e| io_error(&self.inner.path, e))?;
        let owner = made.owner;
        *claim = Some(made);
        Ok(owner)
    }

    fn make_claim(&self) -> std::io::Result<Claim> {
        let dir = self.running_dir();
        std::fs::create_dir_all(&dir)?;
        let pid = std::process::id();
        let mut at = to_millis(SystemTime::now());
        // Two stores of one process in the same millisecond: the second takes the next one.
        for _ in 0..1000 {
            let owner = PendingOwner {
                pid,
                started_at: from_millis(at),
            };
            let lock_path = self.lock_path(&owner);
            let file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&lock_path)?;
            match file.try_lock() {
                Ok(()) => {
                    return Ok(Claim {
                        owner,
                        lock_path,
                        _lock: file,
                    });
                }
                Err(std::fs::TryLockError::WouldBlock) => at += 1,
                Err(std::fs::TryLockError::Error(e)) => return Err(e),
            }
        }
        Err(std::io::Error::other("no free lock file"))
    }

    fn running_dir(&self) -> PathBuf {
        self.inner
            .path
            .parent()
            .unwrap_or(Path::new("."))
            .join(RUNNING_DIR)
    }

    fn lock_path(&self, owner: &PendingOwner) -> PathBuf {
        self.running_dir().join(format!(
            "{}-{}.lock",
            owner.pid,
            to_millis(owner.started_at)
        ))
    }

    fn change_pending(&self, ids: &[PendingId], sql: &str) -> Result<usize, HistoryError> {
        if ids.is_empty() {
            return Ok(0);
        }
        let mut state = self.lock();
        write(&mut state.db, &self.inner.path, |tx| {
            let mut stmt = tx.prepare_cached(sql)?;
            ids.iter()
                .try_fold(0, |n, id| Ok(n + stmt.execute([id.0])?))
        })
    }
}

const FORGET_PENDING: &str = "DELETE FROM pending_files WHERE seq = ?1";

/// Forgets pending files inside a transaction already open (a record's: the file's ID is
/// on disk exactly when its pending row is gone).
pub(super) fn forget_pending_in(
    tx: &Transaction<'_>,
    ids: &[PendingId],
) -> rusqlite::Result<usize> {
    let mut stmt = tx.prepare_cached(FORGET_PENDING)?;
    ids.iter()
        .try_fold(0, |n, id| Ok(n + stmt.execute([id.0])?))
}

/// Every pending file with its owner, oldest first.
fn select_pending(conn: &Connection) -> rusqlite::Result<Vec<(PendingOwner, UnfinishedFile)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PENDING_COLUMNS} FROM pending_files ORDER BY seq"
    ))?;
    let rows = stmt.query_map([], |row| {
        let group_id: Option<String> = row.get(5)?;
        let source: Option<String> = row.get(6)?;
        let created: Option<i64> = row.get(7)?;
        let group = match (group_id, source, created) {
            (Some(id), Some(source), Some(created)) => Some(StagedGroup {
                id,
                source: GroupSource::parse(&source),
                created_at: from_millis(created),
            }),
            _ => None,
        };
        let owner = PendingOwner {
            pid: row.get(12)?,
            started_at: from_millis(row.get(13)?),
        };
        let file = UnfinishedFile {
            id: PendingId(row.get(0)?),
            file: PendingFile {
                path: PathBuf::from(row.get::<_, String>(1)?),
                relative_path: row.get(2)?,
                size: to_u64(row.get(3)?),
                modified: row.get::<_, Option<i64>>(4)?.map(from_millis),
                group,
                place_in_group: row.get(8)?,
                organization_id: row.get(9)?,
                server: row.get(10)?,
                replaces: row.get(11)?,
            },
            maybe_stored: row.get(14)?,
        };
        Ok((owner, file))
    })?;
    rows.collect()
}
