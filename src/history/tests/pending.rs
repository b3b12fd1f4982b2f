//! The pending files: written before they are sent, removed when they end, taken over by
//! the next start only when their owner is gone.

use super::*;

fn pending(name: &str) -> PendingFile {
    PendingFile {
        path: PathBuf::from(format!("/home/op/Scans/{name}")),
        relative_path: format!("Scans/{name}"),
        size: 1_000_000,
        modified: Some(at(1_800_000_000) + Duration::from_millis(7)),
        group: Some(StagedGroup {
            id: "g1".into(),
            source: dropped(1, Some("Scans")),
            created_at: at(1_800_000_000),
        }),
        place_in_group: Some(2),
        organization_id: ORG.into(),
        server: SERVER.into(),
        replaces: None,
    }
}

fn names(files: &[UnfinishedFile]) -> Vec<&str> {
    files
        .iter()
        .map(|f| f.file.relative_path.as_str())
        .collect()
}

/// Found by mutation testing: nothing checked that an orderly end takes its lock file
/// away (the data folder would fill with one per run).
#[test]
fn an_orderly_end_leaves_no_lock_file_behind() {
    let (_dir, path, store) = fresh();
    store.add_pending(&[pending("a.pdf")]).unwrap();
    let running = path.parent().unwrap().join("running");
    let locks = || {
        std::fs::read_dir(&running)
            .map(|dir| dir.count())
            .unwrap_or(0)
    };
    assert_eq!(locks(), 1, "the owner's lock file while it runs");
    drop(store);
    assert_eq!(locks(), 0, "no lock file left after an orderly end");
}

/// Found by mutation testing: "quit and cancel" (and a command that ended in order) must
/// leave nothing for the next start to stage again, and keep nothing from then on.
#[test]
fn stopping_forgets_this_processs_pending_files_and_keeps_no_more() {
    let (_dir, path, store) = fresh();
    store
        .add_pending(&[pending("a.pdf"), pending("b.pdf")])
        .unwrap();
    assert_eq!(store.stop_pending().unwrap(), 2, "both were removed");
    assert_eq!(
        store.add_pending(&[pending("c.pdf")]).unwrap(),
        vec![None],
        "nothing is kept after stopping"
    );
    drop(store);
    let (next, _) = HistoryStore::open(&path);
    assert!(
        next.unfinished().unwrap().is_empty(),
        "the next start has nothing to stage again"
    );
}

/// Stores of one process opened in the same millisecond (the window's and a test's) each
/// get an owner of their own: the second takes the next free millisecond. Found by
/// mutation testing (`+=` made `*=` kept trying the taken one).
#[test]
fn stores_of_one_process_claimed_at_once_each_get_their_own_owner() {
    let (_dir, path, first) = fresh();
    let mut stores = vec![first];
    for _ in 0..4 {
        stores.push(HistoryStore::open(&path).0);
    }
    let owners: Vec<PendingOwner> = stores.iter().map(|s| s.owner().unwrap()).collect();
    let distinct: std::collections::HashSet<_> =
        owners.iter().map(|o| (o.pid, o.started_at)).collect();
    assert_eq!(distinct.len(), owners.len(), "{owners:?}");
}

#[test]
fn pending_files_are_added_listed_and_removed() {
    let (_dir, path, store) = fresh();
    let mut c = pending("c.pdf");
    c.group = None;
    c.place_in_group = None;
    c.modified = None;
    c.replaces = Some("old-id".into());
    let files = [pending("a.pdf"), pending("b.pdf"), c];
    let rows = store.add_pending(&files).unwrap();
    let rows: Vec<PendingId> = rows.into_iter().map(Option::unwrap).collect();
    assert_eq!(rows.len(), 3);
    // This process owns them while it runs: they are not unfinished.
    assert!(store.unfinished().unwrap().is_empty());
    store.mark_pending_sending(&rows[1..2]).unwrap();
    assert_eq!(store.remove_pending(&rows[..1]).unwrap(), 1);
    assert_eq!(store.remove_pending(&rows[..1]).unwrap(), 0);
    drop(store);

    // The owner has ended: the next start finds what was left, as it was written.
    let (next, _) = HistoryStore::open(&path);
    let left = next.unfinished().unwrap();
    assert_eq!(names(&left), ["Scans/b.pdf", "Scans/c.pdf"]);
    assert_eq!(left[0].file, files[1]);
    assert_eq!(left[1].file, files[2]);
    assert_eq!(
        (left[0].maybe_stored, left[1].maybe_stored),
        (true, false),
        "only a file whose request had started may be on the server"
    );
    // The staged list is not touched by any of it.
    assert!(next.is_empty().unwrap());
}

/// Files a request carries from the start are written marked as sending, in the one
/// write that keeps them: after a crash they are told as maybe on the server, the others
/// not. Each row keeps its own group's source (the source is worded once per run of one
/// group, so groups that alternate must each keep theirs).
#[test]
fn files_kept_as_their_request_starts_are_marked_as_sending_in_the_same_write() {
    let (_dir, path, store) = fresh();
    let mut other_group = pending("b.pdf");
    other_group.group = Some(StagedGroup {
        id: "g2".into(),
        source: dropped(3, None),
        created_at: at(1_800_000_100),
    });
    let files = [
        (pending("a.pdf"), true),
        (other_group, false),
        (pending("c.pdf"), true),
        (pending("d.pdf"), false),
    ];
    let rows = store.add_pending_marked(&files).unwrap();
    assert!(rows.iter().all(Option::is_some), "{rows:?}");
    drop(store);

    let (next, _) = HistoryStore::open(&path);
    let left = next.unfinished().unwrap();
    assert_eq!(
        names(&left),
        ["Scans/a.pdf", "Scans/b.pdf", "Scans/c.pdf", "Scans/d.pdf"]
    );
    for (found, (file, _)) in left.iter().zip(&files) {
        assert_eq!(&found.file, file, "kept as it was written");
    }
    let marked: Vec<bool> = left.iter().map(|f| f.maybe_stored).collect();
    assert_eq!(marked, [true, false, true, false]);
}

/// A window never resumes files that another running process is sending; once that
/// process ends, one start (and only one) takes them over.
#[test]
fn files_of_a_running_owner_are_never_taken_over() {
    let (_dir, path, sender) = fresh();
    sender.add_pending(&[pending("a.pdf")]).unwrap();
    let owner = sender.owner().unwrap();
    assert_eq!(owner.pid, std::process::id());

    let (window, _) = HistoryStore::open(&path);
    assert!(window.is_running(&owner));
    assert!(window.unfinished().unwrap().is_empty());
    assert!(window.adopt_unfinished().unwrap().is_empty());

    drop(sender);
    assert!(!window.is_running(&owner));
    let adopted = window.adopt_unfinished().unwrap();
    assert_eq!(names(&adopted), ["Scans/a.pdf"]);
    // Now the window's: a third start does not take them again while the window runs.
    let (third, _) = HistoryStore::open(&path);
    assert!(third.adopt_unfinished().unwrap().is_empty());
    assert!(third.unfinished().unwrap().is_empty());
    window.remove_pending(&[adopted[0].id]).unwrap();
    drop(window);
    assert!(third.adopt_unfinished().unwrap().is_empty());
}

/// A store that was never cleanly dropped (a crash: the process ends, the system drops the
/// lock, the lock file stays) is seen as ended.
#[test]
fn an_owner_that_crashed_is_seen_as_ended() {
    let (dir, path, store) = fresh();
    store.add_pending(&[pending("a.pdf")]).unwrap();
    let owner = store.owner().unwrap();
    let lock = dir.path().join("data/running").join(format!(
        "{}-{}.lock",
        owner.pid,
        to_millis(owner.started_at)
    ));
    assert!(lock.exists());
    // What a crash leaves: the lock released, the file still there.
    let kept = std::fs::read(&lock).unwrap();
    drop(store);
    std::fs::write(&lock, kept).unwrap();
    let (next, _) = HistoryStore::open(&path);
    assert!(!next.is_running(&owner));
    assert_eq!(names(&next.adopt_unfinished().unwrap()), ["Scans/a.pdf"]);
    assert!(!lock.exists(), "the dead owner's file is cleared away");
}

#[cfg(unix)]
#[test]
fn a_path_that_is_not_utf8_is_sent_but_not_kept() {
    use std::os::unix::ffi::OsStrExt;
    let (_dir, _path, store) = fresh();
    let mut odd = pending("x.pdf");
    odd.path = PathBuf::from(std::ffi::OsStr::from_bytes(b"/tmp/caf\xe9.pdf"));
    let rows = store.add_pending(&[odd, pending("b.pdf")]).unwrap();
    assert!(rows[0].is_none() && rows[1].is_some());
}

#[test]
fn pending_writes_fail_on_a_newer_database_and_change_nothing() {
    let (_dir, path, store) = fresh();
    drop(store);
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let (store, _) = HistoryStore::open(&path);
    assert!(matches!(
        store.add_pending(&[pending("a.pdf")]),
        Err(HistoryError::NewerVersion { .. })
    ));
    assert!(store.unfinished().unwrap().is_empty());
}

/// A staged file's record and the removal of its pending row are one transaction: after
/// a crash there is never a row left that would stage again a file already in the history.
#[test]
fn a_record_forgets_its_files_pending_rows_in_the_same_transaction() {
    let count = |path: &Path, table: &str| -> i64 {
        Connection::open(path)
            .unwrap()
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    let (_dir, path, store) = fresh();
    let rows: Vec<PendingId> = store
        .add_pending(&[pending("a.pdf"), pending("b.pdf")])
        .unwrap()
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(rows.len(), 2);
    store
        .record_and_forget_pending(&[entry("a", at(1_800_000_000))], &rows[..1])
        .unwrap();
    assert_eq!(count(&path, "staged_files"), 1);
    assert_eq!(count(&path, "pending_files"), 1, "only a's row went");

    // A write that fails changes neither: b's row stays for the next start.
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    assert!(
        store
            .record_and_forget_pending(&[entry("b", at(1_800_000_000))], &rows[1..])
            .is_err()
    );
    assert_eq!(count(&path, "staged_files"), 1);
    assert_eq!(count(&path, "pending_files"), 1);
}
