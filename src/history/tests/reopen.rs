//! A history that could not be opened at start is tried again when it is needed, and what
//! waited in memory meanwhile is written once (issue 17.5).

use super::*;

/// The database's path is a folder at start: it cannot be opened, by root either (no
/// permission involved). Once the folder is gone, the next write opens it.
#[test]
fn a_history_that_could_not_be_opened_at_start_is_opened_at_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    std::fs::create_dir_all(path.join("in the way")).unwrap();
    let (store, notice) = HistoryStore::open(&path);
    assert!(
        notice.as_ref().is_some_and(|n| n.is_problem()),
        "{notice:?}"
    );
    assert!(store.record(&[entry("a", at(1_800_000_000))]).is_err());

    std::fs::remove_dir_all(&path).unwrap();
    store.record(&[entry("b", at(1_800_000_001))]).unwrap();
    // Written to disk: another store (the next start) reads both.
    let (reopened, _) = HistoryStore::open(&path);
    assert_eq!(ids(&reopened.entries().unwrap()), ["a", "b"]);
    // And the pending table works too.
    assert!(store.owner().is_ok());
}

/// The queue's writer hands the records that failed back with every try: each is kept once,
/// not once per try.
#[test]
fn records_tried_again_are_kept_once_while_the_history_cannot_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    std::fs::create_dir_all(path.join("in the way")).unwrap();
    let (store, _) = HistoryStore::open(&path);
    let a = entry("a", at(1_800_000_000));
    for _ in 0..3 {
        assert!(store.record(std::slice::from_ref(&a)).is_err());
    }
    assert_eq!(ids(&store.entries().unwrap()), ["a"]);
    assert_eq!(store.len().unwrap(), 1);
    std::fs::remove_dir_all(&path).unwrap();
    store.record(std::slice::from_ref(&a)).unwrap();
    assert_eq!(ids(&store.entries().unwrap()), ["a"]);
}
