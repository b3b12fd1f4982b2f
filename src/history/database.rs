//! The SQLite side: opening (and setting aside a damaged file), the schema, one
//! transaction per write, and the conversions between rows and entries.

use super::*;

/// Runs `work` in one write transaction, after checking that no newer version has taken
/// the database over since it was opened (then the store turns read-only).
pub(super) fn write<T>(
    db: &mut Db,
    path: &Path,
    work: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
) -> Result<T, HistoryError> {
    if let Db::Unavailable(_) = db
        && let Some(opened) = reopen(path)
    {
        *db = opened;
    }
    match db {
        Db::Unavailable(e) => Err(HistoryError::Unavailable {
            path: path.to_path_buf(),
            source: e.clone(),
        }),
        Db::Open { conn, newer } => write_to(conn, newer, path, work),
    }
}

pub(super) fn write_to<T>(
    conn: &mut Connection,
    newer: &mut Option<i64>,
    path: &Path,
    work: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
) -> Result<T, HistoryError> {
    if let Some(found) = *newer {
        return Err(HistoryError::NewerVersion {
            path: path.to_path_buf(),
            found,
        });
    }
    let outcome = (|| {
        // IMMEDIATE: the write lock is taken (or waited for) now, not halfway through, so
        // two writers never deadlock on an upgrade; SQLite's busy timeout does the waiting.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version = user_version(&tx)?;
        if version > SCHEMA_VERSION {
            return Ok(Err(version));
        }
        let value = work(&tx)?;
        tx.commit()?;
        Ok(Ok(value))
    })();
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(found)) => {
            *newer = Some(found);
            Err(HistoryError::NewerVersion {
                path: path.to_path_buf(),
                found,
            })
        }
        Err(e) => Err(classify(path, e)),
    }
}

/// Inserts, skipping IDs already present; returns how many were added.
pub(super) fn insert_entries<'a>(
    tx: &Transaction<'_>,
    entries: impl IntoIterator<Item = &'a HistoryEntry>,
) -> rusqlite::Result<usize> {
    let mut stmt = tx.prepare_cached(&format!(
        "INSERT INTO staged_files ({COLUMNS}) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) \
         ON CONFLICT (id) DO NOTHING"
    ))?;
    let mut added = 0;
    // The files of one group come together: its label and source are worded once, not
    // once per file (thousands, for a folder).
    let mut worded: Option<(&GroupSource, String, Option<String>)> = None;
    for e in entries {
        let g = e.group.as_ref();
        let s = e.source.as_ref();
        let (label, source) = match g {
            Some(g) => {
                let kept = match worded.take() {
                    Some(kept) if kept.0 == &g.source => kept,
                    _ => (&g.source, stored_label(&g.source), stored_source(&g.source)),
                };
                let (_, label, source) = worded.insert(kept);
                (Some(label.as_str()), source.as_deref())
            }
            None => (None, None),
        };
        added += stmt.execute(params![
            e.id,
            e.name,
            to_i64(e.size),
            e.organization_id,
            to_millis(e.staged_at),
            g.map(|g| &g.id),
            label,
            g.map(|g| to_millis(g.created_at)),
            s.and_then(|s| s.path.to_str()),
            s.map(|s| &s.relative_path),
            s.map(|s| to_i64(s.size)),
            s.and_then(|s| s.modified).map(to_millis),
            e.place_in_group,
            e.server,
            source,
        ])?;
    }
    Ok(added)
}

/// The `group_label` column: the source in English words, for older versions reading this
/// database (they show it as it is).
pub(super) fn stored_label(source: &GroupSource) -> String {
    crate::format::group_label(source, false)
}

/// The `group_source` column: NULL for a label kept from an older version.
pub(super) fn stored_source(source: &GroupSource) -> Option<String> {
    match source {
        GroupSource::Added { .. } => Some(source.to_string()),
        GroupSource::Labelled(_) => None,
    }
}

/// A group from its columns: the source when this version or a later one wrote it, else
/// the label an older version wrote.
pub(super) fn group_from(
    id: Option<String>,
    label: Option<String>,
    source: Option<String>,
    created: Option<i64>,
) -> Option<StagedGroup> {
    let source = match (source, label) {
        (Some(source), _) => GroupSource::parse(&source),
        (None, Some(label)) => GroupSource::Labelled(label),
        (None, None) => return None,
    };
    Some(StagedGroup {
        id: id?,
        source,
        created_at: from_millis(created?),
    })
}

pub(super) fn entry_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<HistoryEntry> {
    let group = group_from(
        row.get(5)?,
        row.get(6)?,
        row.get(14)?,
        row.get::<_, Option<i64>>(7)?,
    );
    let source = match (
        row.get::<_, Option<String>>(8)?,
        row.get::<_, Option<String>>(9)?,
        row.get::<_, Option<i64>>(10)?,
    ) {
        (Some(path), Some(relative_path), Some(size)) => Some(SourceFile {
            path: PathBuf::from(path),
            relative_path,
            size: to_u64(size),
            modified: row.get::<_, Option<i64>>(11)?.map(from_millis),
        }),
        _ => None,
    };
    Ok(HistoryEntry {
        id: row.get(0)?,
        name: row.get(1)?,
        size: to_u64(row.get(2)?),
        organization_id: row.get(3)?,
        server: row.get(13)?,
        staged_at: from_millis(row.get(4)?),
        group,
        source,
        place_in_group: row.get(12)?,
    })
}

/// `old` staged again as `new`: new ID, name, size, organization, server, time and source;
/// same group, same place in it. The one place this rule is written: the store applies it
/// on disk, and a face that lists the entries applies it to what it shows.
pub fn replaced(old: &HistoryEntry, new: &HistoryEntry) -> HistoryEntry {
    HistoryEntry {
        group: old.group.clone(),
        place_in_group: old.place_in_group,
        ..new.clone()
    }
}

/// Tries again to open a database that could not be opened at start (a full disk, a lock
/// held, a folder not yet writable): a write is the moment it is needed. A database found
/// damaged now is left as it is (unavailable) rather than moved aside mid-session.
fn reopen(path: &Path) -> Option<Db> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).ok()?;
    }
    let db = connect(path).ok()?;
    tracing::info!("the history at {} could be opened now", path.display());
    Some(db)
}

/// Opens the database, keeping a damaged one aside; says what happened in `events`.
pub(super) fn open_database(path: &Path, events: &mut Vec<OpenEvent>) -> Db {
    fn unavailable(error: HistoryError, events: &mut Vec<OpenEvent>) -> Db {
        events.push(OpenEvent::Unavailable {
            reason: error.to_string(),
        });
        Db::Unavailable(Arc::new(error))
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        return unavailable(io_error(path, e), events);
    }
    let error = match connect(path) {
        Ok(db) => {
            if let Db::Open {
                newer: Some(found), ..
            } = db
            {
                events.push(OpenEvent::NewerVersion { found });
            }
            return db;
        }
        Err(e) => e,
    };
    let HistoryError::Damaged { source, .. } = &error else {
        return unavailable(error, events);
    };
    let reason = source.to_string();
    match keep_database_aside(path) {
        Ok(backup) => {
            events.push(OpenEvent::Damaged {
                reason,
                kept_as: Some(backup),
            });
            connect(path).unwrap_or_else(|e| unavailable(e, events))
        }
        Err(moving) => {
            events.push(OpenEvent::Damaged {
                reason: crate::t!(
                    "history-damaged-not-moved",
                    reason = reason.as_str(),
                    moving = moving.to_string()
                ),
                kept_as: None,
            });
            Db::Unavailable(Arc::new(error))
        }
    }
}

/// One connection, set up; the schema is created if the database is new.
pub(super) fn connect(path: &Path) -> Result<Db, HistoryError> {
    let err = |e| classify(path, e);
    let mut conn = Connection::open(path).map_err(err)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
    // Reading the header is where a file that is not a database shows.
    let version = user_version(&conn).map_err(err)?;
    if version > SCHEMA_VERSION {
        // Read-only, before anything (not even the journal mode) is changed: the file stays
        // exactly as the newer version left it.
        drop(conn);
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
        return Ok(Db::Open {
            conn,
            newer: Some(version),
        });
    }
    enable_wal(&conn).map_err(err)?;
    // See the module documentation for why FULL.
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(err)?;
    // A big folder's pending rows and records pass the default 1,000-page log in the
    // middle of its answers, and each checkpoint there held the IDs back from the
    // operator; with room for a 10,000-file batch the log is copied back once, when the
    // history is closed (or by a later write).
    conn.pragma_update(None, "wal_autocheckpoint", WAL_PAGES_BEFORE_CHECKPOINT)
        .map_err(err)?;
    let check: String = conn
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .map_err(err)?;
    if check != "ok" {
        return Err(HistoryError::Damaged {
            path: path.to_path_buf(),
            source: rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
                Some(check),
            ),
        });
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(err)?;
    let version = user_version(&tx).map_err(err)?;
    if version < SCHEMA_VERSION {
        if (1..=2).contains(&version) {
            upgrade(&tx, version).map_err(err)?;
        }
        tx.execute_batch(CREATE_SCHEMA).map_err(err)?;
        tx.execute_batch(pending::CREATE_PENDING).map_err(err)?;
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(err)?;
    }
    tx.commit().map_err(err)?;
    // A newer version may have created it between our two looks: then only read.
    let newer = (version > SCHEMA_VERSION).then_some(version);
    Ok(Db::Open { conn, newer })
}

/// Brings a format-1 or format-2 `staged_files` table to format 3, in the open transaction.
/// Adding a column with a constant default rewrites nothing, so this costs the same with 10
/// entries or 100,000.
fn upgrade(tx: &Transaction<'_>, from: i64) -> rusqlite::Result<()> {
    if from == 1 {
        // Format 1 lacks the place in the group; its entries keep staging order.
        tx.execute_batch("ALTER TABLE staged_files ADD COLUMN group_place INTEGER")?;
    }
    // Older entries were staged on the default server: until format 3 the history had no
    // room for any other, and the default is what nearly every operator used.
    tx.execute_batch(
        "ALTER TABLE staged_files ADD COLUMN server TEXT NOT NULL \
             DEFAULT 'https://odyssey.asteroid.ai/agents/v2';
         ALTER TABLE staged_files ADD COLUMN group_source TEXT;",
    )
}

/// WAL: readers never wait for the writer, and a commit appends to the log instead of
/// rewriting pages in place. Where the file system cannot do WAL (no shared memory, e.g. some
/// network drives) SQLite keeps its rollback journal, which is still safe.
///
/// The switch is made once, by whoever creates the database. It needs the file to itself and,
/// unlike other statements, answers "busy" at once instead of calling the busy handler
/// (seen when the window and the command line create the database at the same moment), so
/// it is retried here, for at most [`BUSY_TIMEOUT`].
pub(super) fn enable_wal(conn: &Connection) -> rusqlite::Result<()> {
    let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
    if mode.eq_ignore_ascii_case("wal") {
        return Ok(());
    }
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    let mut pause = Duration::from_millis(1);
    loop {
        match conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0)) {
            Ok(_) => return Ok(()),
            Err(e)
                if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(e) => return Err(e),
        }
    }
}

/// How long the write-ahead log grows (in pages of 4 KiB) before a commit copies it back.
const WAL_PAGES_BEFORE_CHECKPOINT: i64 = 16_384;

pub(super) fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

/// Moves a damaged database aside with its write-ahead log, which belongs to it: a stale
/// log must never be applied to the fresh database that takes its place.
pub(super) fn keep_database_aside(path: &Path) -> std::io::Result<PathBuf> {
    let backup = atomic_file::keep_aside(path)?;
    let wal = with_suffix(path, "-wal");
    if std::fs::symlink_metadata(&wal).is_ok() {
        std::fs::rename(&wal, with_suffix(&backup, "-wal"))?;
    }
    // The shared-memory index is rebuilt from the log; it holds nothing of its own.
    let _ = std::fs::remove_file(with_suffix(path, "-shm"));
    Ok(backup)
}

pub(super) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// Maps SQLite's error codes to what the operator can act on.
pub(super) fn classify(path: &Path, source: rusqlite::Error) -> HistoryError {
    let path = path.to_path_buf();
    let disk = |problem, source: rusqlite::Error| HistoryError::Disk {
        path: path.clone(),
        problem,
        source: Box::new(source),
    };
    match source.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            HistoryError::Busy { path, source }
        }
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            HistoryError::Damaged { path, source }
        }
        Some(ErrorCode::DiskFull) => disk(DiskProblem::Full, source),
        Some(ErrorCode::ReadOnly) => disk(DiskProblem::ReadOnly, source),
        Some(ErrorCode::PermissionDenied) => disk(DiskProblem::PermissionDenied, source),
        Some(ErrorCode::CannotOpen) => disk(DiskProblem::CannotOpen, source),
        Some(ErrorCode::SystemIoFailure | ErrorCode::FileLockingProtocolFailed) => {
            disk(DiskProblem::Io, source)
        }
        _ => HistoryError::Database { path, source },
    }
}

pub(super) fn io_error(path: &Path, source: std::io::Error) -> HistoryError {
    use std::io::ErrorKind;
    let problem = match source.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => DiskProblem::Full,
        ErrorKind::ReadOnlyFilesystem => DiskProblem::ReadOnly,
        ErrorKind::PermissionDenied => DiskProblem::PermissionDenied,
        ErrorKind::NotFound | ErrorKind::NotADirectory | ErrorKind::AlreadyExists => {
            DiskProblem::CannotOpen
        }
        _ => DiskProblem::Io,
    };
    HistoryError::Disk {
        path: path.to_path_buf(),
        problem,
        source: Box::new(source),
    }
}

/// Latest time that is still stored in full (the last millisecond of year 9999): later or
/// earlier-than-1970 values read from a file are clamped, so no time arithmetic overflows.
pub(super) const MAX_MILLIS: i64 = 253_402_300_799_999;

/// Unix milliseconds, rounded down (also before 1970), saturating.
pub(super) fn to_millis(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(before) => {
            let d = before.duration();
            let ms = d.as_millis() + u128::from(d.subsec_nanos() % 1_000_000 != 0);
            i64::try_from(ms).map_or(i64::MIN, |ms| -ms)
        }
    }
}

pub(super) fn from_millis(ms: i64) -> SystemTime {
    let ms = u64::try_from(ms.clamp(0, MAX_MILLIS)).unwrap_or(0);
    UNIX_EPOCH + Duration::from_millis(ms)
}

/// Entries staged at or before this (unix ms) have expired at `now`: `staged_at + lifetime
/// <= now`, exact for whole milliseconds against a `now` of any precision.
pub(super) fn expiry_cutoff(now: SystemTime) -> i64 {
    let lifetime = i64::try_from(crate::STAGED_FILE_LIFETIME.as_millis()).unwrap_or(i64::MAX);
    to_millis(now).saturating_sub(lifetime)
}

pub(super) fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(super) fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}
