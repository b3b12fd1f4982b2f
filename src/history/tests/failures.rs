//! The history when things go wrong: damaged or newer databases, a full disk, a
//! read-only folder, no database at all.

use super::*;

#[test]
fn a_damaged_database_is_kept_aside_and_a_fresh_one_started() {
    // Not a database at all.
    let (dir, path, store) = fresh();
    drop(store);
    let garbage = b"these bytes are not an SQLite database, whatever the name says".repeat(100);
    std::fs::write(&path, &garbage).unwrap();
    let (store, notice) = HistoryStore::open(&path);
    let notice = notice.unwrap();
    let [
        OpenEvent::Damaged {
            kept_as: Some(kept),
            ..
        },
    ] = &notice.events[..]
    else {
        panic!("{notice:?}");
    };
    assert!(notice.is_problem());
    let text = notice.to_string();
    assert!(
        text.contains("was damaged (file is not a database)"),
        "{text}"
    );
    assert!(text.contains("a fresh one was started"), "{text}");
    assert!(kept.to_string_lossy().contains("history.sqlite3.bad-"));
    assert_eq!(std::fs::read(kept).unwrap(), garbage);
    store.record(&[entry("a", at(1_800_000_000))]).unwrap();
    assert_eq!(store.len().unwrap(), 1);
    drop(store);

    // A real one, cut in half (with its log checkpointed into it first).
    let (store, _) = HistoryStore::open(&path);
    let many: Vec<_> = (0..2000)
        .map(|i| entry(&format!("{i:04}-{}", "x".repeat(100)), at(1_800_000_000)))
        .collect();
    store.record(&many).unwrap();
    drop(store);
    let len = std::fs::metadata(&path).unwrap().len();
    assert!(len > 100_000, "{len}");
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(len / 2).unwrap();
    drop(file);
    let (store, notice) = HistoryStore::open(&path);
    let notice = notice.unwrap();
    assert!(
        matches!(
            &notice.events[..],
            [OpenEvent::Damaged {
                kept_as: Some(_),
                ..
            }]
        ),
        "{notice:?}"
    );
    assert!(store.is_empty().unwrap());
    let kept_aside = names_in(&dir.path().join("data"))
        .into_iter()
        .filter(|n| n.contains(".bad-"))
        .count();
    assert_eq!(kept_aside, 2, "the two backups never overwrite each other");
}

#[test]
fn a_database_from_a_newer_version_is_read_but_never_changed() {
    let (_dir, path, store) = fresh();
    store.record(&[entry("a", at(1_800_000_000))]).unwrap();
    drop(store);
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    std::fs::write(path.with_file_name("history.json"), b"{\"version\":1}").unwrap();

    let (store, notice) = HistoryStore::open(&path);
    let notice = notice.unwrap();
    let newer = SCHEMA_VERSION + 1;
    assert_eq!(notice.events, [OpenEvent::NewerVersion { found: newer }]);
    assert!(
        notice
            .to_string()
            .contains("newer version of Asteroid Stager")
    );
    assert_eq!(ids(&store.entries().unwrap()), ["a"]);
    let err = store.record(&[entry("b", at(1_800_000_000))]).unwrap_err();
    assert!(
        matches!(err, HistoryError::NewerVersion { found, .. } if found == newer),
        "{err:?}"
    );
    assert!(err.to_string().contains("only reads it"), "{err}");
    assert!(matches!(
        store.clear_all(),
        Err(HistoryError::NewerVersion { .. })
    ));
    assert!(matches!(
        store.replace("a", &entry("c", at(1))),
        Err(HistoryError::NewerVersion { .. })
    ));
    // What could not be saved is still listed this session.
    assert_eq!(ids(&store.entries().unwrap()), ["a", "b"]);
    drop(store);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file is untouched"
    );
    assert!(path.with_file_name("history.json").exists(), "not imported");
}

#[test]
fn a_newer_version_taking_over_while_open_stops_the_writes() {
    let (_dir, path, store) = fresh();
    store.record(&[entry("a", at(1_800_000_000))]).unwrap();
    let newer = Connection::open(&path).unwrap();
    newer
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let err = store.record(&[entry("b", at(1_800_000_000))]).unwrap_err();
    assert!(matches!(err, HistoryError::NewerVersion { .. }), "{err:?}");
    let on_disk: i64 = newer
        .query_row("SELECT count(*) FROM staged_files", [], |r| r.get(0))
        .unwrap();
    assert_eq!(on_disk, 1);
}

#[test]
fn a_full_disk_fails_the_write_keeps_earlier_records_and_the_unsaved_ones_listed() {
    let (_dir, path, store) = fresh();
    store.record(&[entry("kept", at(1_800_000_000))]).unwrap();
    // No page may be added: what a full disk does to SQLite (SQLITE_FULL).
    let limit = |pages: i64| {
        let state = store.lock();
        let Db::Open { conn, .. } = &state.db else {
            panic!("open");
        };
        conn.pragma_update(None, "max_page_count", pages).unwrap();
    };
    let pages: i64 = {
        let state = store.lock();
        let Db::Open { conn, .. } = &state.db else {
            panic!("open");
        };
        conn.query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap()
    };
    limit(pages);
    let big: Vec<_> = (0..500)
        .map(|i| {
            entry(
                &format!("lost-{i:03}-{}", "x".repeat(200)),
                at(1_800_000_000),
            )
        })
        .collect();
    let err = store.record(&big).unwrap_err();
    assert!(
        matches!(
            err,
            HistoryError::Disk {
                problem: DiskProblem::Full,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "the disk is full");
    assert!(
        std::error::Error::source(&err).is_some(),
        "the cause is kept"
    );
    // Earlier records are intact on disk; nothing of the failed batch is.
    let (other, _) = HistoryStore::open(&path);
    assert_eq!(ids(&other.entries().unwrap()), ["kept"]);
    // This session still lists them: they do not vanish at the next change either.
    assert_eq!(store.len().unwrap(), 501);
    assert_eq!(store.clear_expired(at(1_800_000_001)).unwrap(), 0);
    assert_eq!(store.entries().unwrap().len(), 501);
    // Space again: the next record writes the waiting ones first, in order.
    limit(1_073_741_823);
    store.record(&[entry("after", at(1_800_000_000))]).unwrap();
    let all = other.entries().unwrap();
    assert_eq!(all.len(), 502);
    assert_eq!(all[1].id, big[0].id);
    assert_eq!(all[501].id, "after");
}

/// True when the file system enforces permissions on us (not root, not an odd FS).
#[cfg(unix)]
fn permissions_apply(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("probe");
    std::fs::create_dir(&probe).unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o555)).unwrap();
    let applies = std::fs::write(probe.join("x"), b"x").is_err();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::remove_dir_all(&probe).unwrap();
    applies
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_fails_writes_clearly_and_keeps_earlier_records() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, path, store) = fresh();
    if !permissions_apply(dir.path()) {
        eprintln!(
            "note: skipped a_read_only_folder_…: permissions are not enforced here (running as root?)"
        );
        return;
    }
    store
        .record(&[entry("a", at(1_800_000_000)), entry("b", at(1_800_000_000))])
        .unwrap();
    drop(store);
    let data = path.parent().unwrap();
    let mode = |m| std::fs::set_permissions(data, std::fs::Permissions::from_mode(m));
    mode(0o555).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let (store, notice) = HistoryStore::open(&path);
    let outcome = store.record(&[entry("c", at(1_800_000_000))]);
    let listed = store.entries();
    drop(store);
    mode(0o755).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();

    let err = outcome.unwrap_err();
    eprintln!("open: {notice:?}\nrecord: {err}");
    assert!(
        matches!(
            &err,
            HistoryError::Disk { .. } | HistoryError::Unavailable { .. }
        ),
        "{err:?}"
    );
    assert!(listed.unwrap().iter().any(|e| e.id == "c"), "still listed");
    let (reopened, _) = HistoryStore::open(&path);
    assert_eq!(ids(&reopened.entries().unwrap()), ["a", "b"]);
}

#[test]
fn without_any_database_the_store_keeps_this_session_and_says_writes_fail() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the data folder should be: no folder, no database can be made.
    std::fs::write(dir.path().join("data"), b"").unwrap();
    let path = dir.path().join("data/history.sqlite3");
    let (store, notice) = HistoryStore::open(&path);
    let notice = notice.unwrap();
    assert!(matches!(
        &notice.events[..],
        [OpenEvent::Unavailable { .. }]
    ));
    assert!(
        notice.to_string().contains("could not be opened"),
        "{notice}"
    );
    let err = store.record(&[entry("a", at(1_800_000_000))]).unwrap_err();
    assert!(matches!(err, HistoryError::Unavailable { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("it could not be opened when Asteroid Stager started"),
        "{err}"
    );
    assert_eq!(ids(&store.entries().unwrap()), ["a"]);
    assert_eq!(store.clear_all().unwrap(), 1);
    assert!(store.is_empty().unwrap());
}

/// Found by mutation testing: a history whose folder could not be made at start (a file
/// stood where the folder goes) makes the folder at the first write once it can.
#[test]
fn a_history_folder_that_could_not_be_made_at_start_is_made_at_the_first_write() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("data");
    std::fs::write(&blocker, b"a file where the folder goes").unwrap();
    let path = blocker.join("history.sqlite3");
    let (store, notice) = HistoryStore::open(&path);
    assert!(notice.is_some_and(|n| n.is_problem()));
    assert!(store.record(&[entry("a", at(1_800_000_000))]).is_err());
    std::fs::remove_file(&blocker).unwrap();
    store.record(&[entry("b", at(1_800_000_001))]).unwrap();
    assert!(path.is_file());
    assert_eq!(ids(&store.entries().unwrap()), ["a", "b"]);
}

/// Found by mutation testing: a damaged database's log goes aside with it, beside the
/// backup; left in place, it would be applied to the fresh database that takes its name.
#[test]
fn a_damaged_databases_log_is_kept_aside_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    let log = b"the log of a database that is no more".repeat(10);
    std::fs::write(&path, b"not an SQLite database".repeat(50)).unwrap();
    std::fs::write(path.with_file_name("history.sqlite3-wal"), &log).unwrap();
    let kept = super::super::database::keep_database_aside(&path).unwrap();
    let mut kept_log = kept.as_os_str().to_os_string();
    kept_log.push("-wal");
    assert_eq!(
        std::fs::read(&kept_log).unwrap(),
        log,
        "the log lies beside its database"
    );
    assert!(!path.exists());
    assert!(!path.with_file_name("history.sqlite3-wal").exists());
}

/// Found by mutation testing: each SQLite and I/O failure is sorted into what the operator
/// is told (busy, damaged, disk full, read-only, no permission, cannot open, a failed
/// read or write); nothing checked the sorting itself.
#[test]
fn failures_are_told_by_what_the_operator_can_do_about_them() {
    use super::super::database::{classify, io_error};
    use rusqlite::ffi;
    use std::io::ErrorKind;
    let path = Path::new("/home/op/.local/share/asteroid-stager/history.sqlite3");
    let sqlite = |code| {
        classify(
            path,
            rusqlite::Error::SqliteFailure(ffi::Error::new(code), None),
        )
    };
    let problem = |e: HistoryError| match e {
        HistoryError::Disk { problem, .. } => format!("disk: {problem:?}"),
        other => format!("{other:?}")
            .split([' ', '{', '('])
            .next()
            .unwrap()
            .to_owned(),
    };
    let sorted: Vec<String> = [
        ffi::SQLITE_BUSY,
        ffi::SQLITE_LOCKED,
        ffi::SQLITE_CORRUPT,
        ffi::SQLITE_NOTADB,
        ffi::SQLITE_FULL,
        ffi::SQLITE_READONLY,
        ffi::SQLITE_PERM,
        ffi::SQLITE_CANTOPEN,
        ffi::SQLITE_IOERR,
        ffi::SQLITE_PROTOCOL,
        ffi::SQLITE_MISMATCH,
    ]
    .into_iter()
    .map(|code| problem(sqlite(code)))
    .collect();
    assert_eq!(
        sorted,
        [
            "Busy",
            "Busy",
            "Damaged",
            "Damaged",
            "disk: Full",
            "disk: ReadOnly",
            "disk: PermissionDenied",
            "disk: CannotOpen",
            "disk: Io",
            "disk: Io",
            "Database",
        ]
    );
    let io: Vec<String> = [
        ErrorKind::StorageFull,
        ErrorKind::QuotaExceeded,
        ErrorKind::ReadOnlyFilesystem,
        ErrorKind::PermissionDenied,
        ErrorKind::NotFound,
        ErrorKind::NotADirectory,
        ErrorKind::AlreadyExists,
        ErrorKind::Interrupted,
    ]
    .into_iter()
    .map(|kind| problem(io_error(path, kind.into())))
    .collect();
    assert_eq!(
        io,
        [
            "disk: Full",
            "disk: Full",
            "disk: ReadOnly",
            "disk: PermissionDenied",
            "disk: CannotOpen",
            "disk: CannotOpen",
            "disk: CannotOpen",
            "disk: Io",
        ]
    );
}

/// Found by mutation testing: the switch to WAL mode needs the new database to itself and
/// answers "busy" at once when another process has it open (the window and a `stage`
/// creating the history at the same moment); it is tried again until the other lets go.
#[test]
fn the_switch_to_wal_waits_while_another_process_holds_the_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    let holder = Connection::open(&path).unwrap();
    // A read transaction: a shared lock that the switch cannot take over.
    holder
        .execute_batch("CREATE TABLE t (x); BEGIN; SELECT * FROM t;")
        .unwrap();
    let other = Connection::open(&path).unwrap();
    // Without SQLite's own waiting, so that the loop's retries are what is tested.
    other.busy_timeout(Duration::ZERO).unwrap();
    let mode = |conn: &Connection| -> String {
        conn.pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap()
    };
    assert_eq!(
        other
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))
            .map_err(|e| e.sqlite_error_code()),
        Err(Some(rusqlite::ErrorCode::DatabaseBusy)),
        "the switch is refused while the other holds it"
    );
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        holder.execute_batch("COMMIT").unwrap();
    });
    super::super::database::enable_wal(&other).unwrap();
    release.join().unwrap();
    assert_eq!(mode(&other).to_ascii_lowercase(), "wal");
}
