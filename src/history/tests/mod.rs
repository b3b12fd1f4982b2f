use super::*;

const ORG: &str = "11111111-2222-3333-4444-555555555555";
const SERVER: &str = "https://staging.example.com/agents/v2";

fn dropped(items: u32, name: Option<&str>) -> GroupSource {
    GroupSource::Added {
        how: AddedBy::Dropped,
        items,
        name: name.map(str::to_owned),
    }
}

/// A time on a whole millisecond, as the database keeps it.
fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn entry(id: &str, staged_at: SystemTime) -> HistoryEntry {
    HistoryEntry {
        id: id.into(),
        name: format!("{id}.pdf"),
        size: 3,
        organization_id: ORG.into(),
        server: SERVER.into(),
        staged_at,
        group: None,
        place_in_group: None,
        source: None,
    }
}

fn ids(entries: &[HistoryEntry]) -> Vec<&str> {
    entries.iter().map(|e| e.id.as_str()).collect()
}

fn fresh() -> (tempfile::TempDir, PathBuf, HistoryStore) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/history.sqlite3");
    let (store, notice) = HistoryStore::open(&path);
    assert_eq!(notice, None);
    (dir, path, store)
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn entries_come_back_whole_with_their_groups_and_sources_in_order() {
    let (_dir, path, store) = fresh();
    let group = StagedGroup {
        id: "6f1c2a8e-0000-4000-8000-000000000001".into(),
        source: dropped(1, Some("Scans: 2025")),
        created_at: at(1_800_000_000) + Duration::from_millis(250),
    };
    let mut a = entry("a", at(1_800_000_001));
    a.group = Some(group.clone());
    a.place_in_group = Some(1);
    a.source = Some(SourceFile {
        path: PathBuf::from("/home/op/Scans/2025/report é.pdf"),
        relative_path: "Scans/2025/report é.pdf".into(),
        size: u64::from(u32::MAX) + 7,
        modified: Some(at(1_700_000_000) + Duration::from_millis(999)),
    });
    a.size = u64::from(u32::MAX) + 7;
    let mut b = entry("b", at(1_800_000_001));
    b.group = Some(group);
    b.place_in_group = Some(0);
    b.source = Some(SourceFile {
        path: PathBuf::from("/tmp/b.pdf"),
        relative_path: "b.pdf".into(),
        size: 3,
        modified: None,
    });
    let c = entry("c", at(1_800_000_002)); // no group, no source: as imported
    store.record(&[a.clone(), b.clone()]).unwrap();
    store.record(std::slice::from_ref(&c)).unwrap();
    assert_eq!(store.entries().unwrap(), [a.clone(), b.clone(), c.clone()]);
    assert_eq!(store.len().unwrap(), 3);
    assert!(!store.is_empty().unwrap());

    drop(store);
    let (reopened, notice) = HistoryStore::open(&path);
    assert_eq!(notice, None);
    assert_eq!(reopened.entries().unwrap(), [a.clone(), b, c]);
    // Recording an ID again changes nothing.
    let mut again = a;
    again.name = "other.pdf".into();
    reopened.record(&[again]).unwrap();
    assert_eq!(reopened.entries().unwrap()[0].name, "a.pdf");
    assert_eq!(reopened.len().unwrap(), 3);
}

#[test]
fn times_are_kept_to_the_millisecond() {
    let (_dir, _path, store) = fresh();
    let mut e = entry("a", at(1_800_000_000) + Duration::from_nanos(123_456_789));
    e.group = Some(StagedGroup {
        id: "g".into(),
        source: dropped(1, None),
        created_at: at(5) + Duration::from_nanos(1_999_999),
    });
    store.record(&[e]).unwrap();
    let back = &store.entries().unwrap()[0];
    assert_eq!(
        back.staged_at,
        at(1_800_000_000) + Duration::from_millis(123)
    );
    assert_eq!(
        back.group.as_ref().unwrap().created_at,
        at(5) + Duration::from_millis(1)
    );
}

#[cfg(unix)]
#[test]
fn a_source_path_that_is_not_utf8_reads_back_as_unknown() {
    use std::os::unix::ffi::OsStrExt;
    let (_dir, _path, store) = fresh();
    let mut e = entry("a", at(1_800_000_000));
    e.source = Some(SourceFile {
        path: PathBuf::from(std::ffi::OsStr::from_bytes(b"/tmp/caf\xe9.pdf")),
        relative_path: "caf\u{fffd}.pdf".into(),
        size: 3,
        modified: None,
    });
    store.record(&[e]).unwrap();
    assert_eq!(store.entries().unwrap()[0].source, None);
}

#[test]
fn expired_entries_are_told_apart_and_cleared() {
    let (_dir, path, store) = fresh();
    let now = at(1_800_000_000) + Duration::from_nanos(500_000);
    let lifetime = crate::STAGED_FILE_LIFETIME;
    store
        .record(&[
            entry("old", at(1_700_000_000)),
            // Expires half a millisecond before `now`.
            entry("just-expired", at(1_800_000_000) - lifetime),
            // Expires one millisecond after.
            entry(
                "just-alive",
                at(1_800_000_000) - lifetime + Duration::from_millis(1),
            ),
            entry("new", now - Duration::from_secs(60)),
        ])
        .unwrap();
    let all = store.entries().unwrap();
    let by_rust: Vec<_> = all.iter().filter(|e| !e.is_expired(now)).collect();
    assert_eq!(ids(&store.unexpired(now).unwrap()), ["just-alive", "new"]);
    assert_eq!(by_rust.len(), 2);
    assert_eq!(
        all[3].time_left(now),
        Duration::from_secs(59 * 60) - Duration::from_micros(500)
    );

    assert_eq!(store.clear_expired(now).unwrap(), 2);
    assert_eq!(store.clear_expired(now).unwrap(), 0);
    let (reopened, _) = HistoryStore::open(&path);
    assert_eq!(ids(&reopened.entries().unwrap()), ["just-alive", "new"]);
    assert_eq!(reopened.clear_all().unwrap(), 2);
    assert!(reopened.is_empty().unwrap());
    assert!(store.entries().unwrap().is_empty());
}

#[test]
fn staging_again_keeps_the_place_and_the_group() {
    let (_dir, path, store) = fresh();
    let group = StagedGroup {
        id: "g1".into(),
        source: dropped(3, None),
        created_at: at(1_800_000_000),
    };
    let list: Vec<_> = ["a", "b", "c"]
        .iter()
        .zip(0..)
        .map(|(id, place)| HistoryEntry {
            group: Some(group.clone()),
            place_in_group: Some(place),
            ..entry(id, at(1_800_000_000))
        })
        .collect();
    store.record(&list).unwrap();
    store.record(&[entry("d", at(1_800_000_001))]).unwrap();

    let again = HistoryEntry {
        id: "b2".into(),
        name: "b (2).pdf".into(),
        size: 4,
        organization_id: "99999999-2222-3333-4444-555555555555".into(),
        server: "http://127.0.0.1:9/".into(),
        staged_at: at(1_800_009_000),
        group: None,
        place_in_group: None,
        source: Some(SourceFile {
            path: "/x/b.pdf".into(),
            relative_path: "b.pdf".into(),
            size: 4,
            modified: Some(at(1_800_008_000)),
        }),
    };
    let stored = store.replace("b", &again).unwrap();
    assert_eq!(stored.as_ref(), Some(&replaced(&list[1], &again)));
    assert_eq!(store.replace("unknown", &entry("zz", at(1))).unwrap(), None);
    let (reopened, _) = HistoryStore::open(&path);
    let all = reopened.entries().unwrap();
    assert_eq!(ids(&all), ["a", "b2", "c", "d"]);
    // What a face shows by the same rule is what the disk holds.
    assert_eq!(all[1], replaced(&list[1], &again));
    assert_eq!(
        all[1],
        HistoryEntry {
            group: Some(group),
            place_in_group: Some(1),
            ..again
        }
    );
}

/// A database of format 1 (before files kept their place in a group) is taken over when
/// opened: its entries stay as they were, without a place, and new ones keep theirs.
#[test]
fn a_format_1_history_gains_places_and_keeps_its_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE staged_files (
                seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                size INTEGER NOT NULL, organization_id TEXT NOT NULL, staged_at INTEGER NOT NULL,
                group_id TEXT, group_label TEXT, group_created_at INTEGER, source_path TEXT,
                source_relative TEXT, source_size INTEGER, source_modified INTEGER);
             CREATE INDEX staged_files_staged_at ON staged_files (staged_at);
             INSERT INTO staged_files (id, name, size, organization_id, staged_at, group_id,
                group_label, group_created_at)
                VALUES ('old', 'old.pdf', 3, 'o', 1800000000000, 'g0', 'Dropped', 1800000000000);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let (store, notice) = HistoryStore::open(&path);
    assert_eq!(notice, None);
    let old = &store.entries().unwrap()[0];
    assert_eq!((old.id.as_str(), old.place_in_group), ("old", None));
    assert_eq!(
        old.group.as_ref().map(|g| &g.source),
        Some(&GroupSource::Labelled("Dropped".into()))
    );
    assert_eq!(old.server, crate::DEFAULT_BASE_URL);
    let mut new = entry("new", at(1_800_000_001));
    new.place_in_group = Some(4);
    store.record(std::slice::from_ref(&new)).unwrap();
    drop(store);
    let (reopened, _) = HistoryStore::open(&path);
    assert_eq!(reopened.entries().unwrap()[1], new);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
}

fn write_legacy(dir: &Path, ids: &[&str]) -> Vec<u8> {
    let entries: Vec<_> = ids
        .iter()
        .map(|id| {
            serde_json::json!({
                "id": id, "name": format!("{id}.pdf"), "size": 12,
                "organizationId": ORG, "stagedAt": "2027-01-15T08:00:00Z"
            })
        })
        .collect();
    let json = serde_json::to_vec_pretty(&serde_json::json!({
        "version": 1, "entries": entries
    }))
    .unwrap();
    std::fs::write(dir.join("history.json"), &json).unwrap();
    json
}

#[test]
fn history_json_is_imported_once_and_kept_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    // An ID staged with the new version already, before the old file shows up.
    let (store, _) = HistoryStore::open(&path);
    store.record(&[entry("y", at(1_800_000_000))]).unwrap();
    drop(store);
    let json = write_legacy(dir.path(), &["x", "y", "z"]);

    let (store, notice) = HistoryStore::open(&path);
    let notice = notice.expect("the import is told");
    assert!(!notice.is_problem());
    let [
        OpenEvent::Imported {
            imported: 2,
            already_present: 1,
            kept_as: Some(kept),
            ..
        },
    ] = &notice.events[..]
    else {
        panic!("{notice:?}");
    };
    let text = notice.to_string();
    assert!(text.starts_with("Imported 2 staged files from "), "{text}");
    assert!(text.contains("history.json.imported-"), "{text}");
    assert!(!dir.path().join("history.json").exists());
    assert_eq!(std::fs::read(kept).unwrap(), json);
    let all = store.entries().unwrap();
    assert_eq!(ids(&all), ["y", "x", "z"]);
    assert_eq!(
        all[1].staged_at,
        humantime::parse_rfc3339("2027-01-15T08:00:00Z").unwrap()
    );
    assert_eq!((all[1].size, all[1].group.as_ref()), (12, None));
    drop(store);

    // Imported once: a second start finds nothing to import.
    let (store, notice) = HistoryStore::open(&path);
    assert_eq!(notice, None);
    assert_eq!(store.len().unwrap(), 3);
}

#[test]
fn a_damaged_or_newer_history_json_is_kept_aside_and_not_imported() {
    for (bytes, says) in [
        (&b"{\"entries\": [tru"[..], "it is damaged"),
        (&b"{\"version\": 7, \"entries\": []}"[..], "newer version"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("history.json"), bytes).unwrap();
        let (store, notice) = HistoryStore::open(&dir.path().join("history.sqlite3"));
        let notice = notice.unwrap();
        assert!(notice.is_problem());
        let text = notice.to_string();
        assert!(text.contains("history.json was not imported"), "{text}");
        assert!(text.contains(says), "{text}");
        let [
            OpenEvent::LegacyNotImported {
                kept_as: Some(kept),
                ..
            },
        ] = &notice.events[..]
        else {
            panic!("{notice:?}");
        };
        assert!(kept.to_string_lossy().contains("history.json.bad-"));
        assert_eq!(std::fs::read(kept).unwrap(), bytes);
        assert!(store.is_empty().unwrap());
        store.record(&[entry("a", at(1_800_000_000))]).unwrap();
    }
}

#[test]
fn entries_serialize_as_before_plus_group_and_source() {
    let mut e = entry("a", at(1_800_000_000) + Duration::from_millis(5));
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["stagedAt"], "2027-01-15T08:00:00.005Z");
    assert!(json.get("group").is_none());
    e.source = Some(SourceFile {
        path: "/a".into(),
        relative_path: "a".into(),
        size: 1,
        modified: None,
    });
    let back: HistoryEntry = serde_json::from_value(serde_json::to_value(&e).unwrap()).unwrap();
    assert_eq!(back, e);
    // Times humantime cannot write are an error, not a panic.
    e.staged_at = UNIX_EPOCH - Duration::from_secs(1);
    assert!(serde_json::to_value(&e).is_err());
}

mod concurrency;
mod failures;
mod format3;
mod pending;
mod reopen;

/// Found by mutation testing: the history is in WAL mode (kept in the file), so the window
/// reads while a `stage` in a terminal writes, and a commit syncs one log, not two files.
#[test]
fn a_new_history_is_kept_in_wal_mode() {
    let (_dir, path, store) = fresh();
    store.record(&[entry("a", at(1_800_000_000))]).unwrap();
    let mode: String = Connection::open(&path)
        .unwrap()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode.to_ascii_lowercase(), "wal");
}

/// Found by mutation testing: a time before 1970 (a file's modification time can be one)
/// is stored rounded down like any other, and a whole millisecond stays as it is.
#[test]
fn times_before_1970_are_rounded_down_to_the_millisecond() {
    use super::database::to_millis;
    assert_eq!(to_millis(UNIX_EPOCH - Duration::from_micros(1_500)), -2);
    assert_eq!(to_millis(UNIX_EPOCH - Duration::from_millis(1)), -1);
    assert_eq!(to_millis(UNIX_EPOCH + Duration::from_micros(1_500)), 1);
}

/// Found by mutation testing: the import counts what was already in the history (the
/// test above has 3 entries and 1 there, where a wrong sum gives the same number).
#[test]
fn the_import_counts_what_was_already_there() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    let (store, _) = HistoryStore::open(&path);
    store
        .record(&[
            entry("a", at(1_800_000_000)),
            entry("b", at(1_800_000_000)),
            entry("c", at(1_800_000_000)),
        ])
        .unwrap();
    drop(store);
    write_legacy(dir.path(), &["a", "b", "c", "d", "e"]);
    let (_store, notice) = HistoryStore::open(&path);
    let notice = notice.expect("the import is told");
    assert!(
        matches!(
            notice.events[..],
            [OpenEvent::Imported {
                imported: 2,
                already_present: 3,
                ..
            }]
        ),
        "{notice:?}"
    );
}

/// Found by mutation testing: a `history.json` that is there but cannot be read (here a
/// folder of that name) is told, not passed over as if there were none.
#[test]
fn a_history_json_that_cannot_be_read_is_told() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    std::fs::create_dir(dir.path().join("history.json")).unwrap();
    let (_store, notice) = HistoryStore::open(&path);
    let notice = notice.expect("the unreadable file is told");
    assert!(
        matches!(
            notice.events[..],
            [OpenEvent::LegacyNotImported { kept_as: None, .. }]
        ),
        "{notice:?}"
    );
}

/// Found by mutation testing: an entry's source keeps its modification time through JSON
/// (`history --json` writes it; the optional time was read back as none).
#[test]
fn an_entrys_source_keeps_its_modification_time_through_json() {
    let mut e = entry("a", at(1_800_000_000));
    e.source = Some(SourceFile {
        path: PathBuf::from("/home/op/Scans/a.pdf"),
        relative_path: "Scans/a.pdf".into(),
        size: 3,
        modified: Some(at(1_700_000_000) + Duration::from_millis(250)),
    });
    let json = serde_json::to_string(&e).unwrap();
    let back: HistoryEntry = serde_json::from_str(&json).unwrap();
    assert_eq!(back, e);
}

/// Found by mutation testing (`checkpoint` → `Ok(())` survived the library's tests): what
/// was recorded is in the database file itself once the log is copied back, while the
/// store is still open (the queue asks for this when it goes idle).
#[test]
fn a_checkpoint_puts_what_was_recorded_in_the_database_file_itself() {
    let (dir, path, store) = fresh();
    store.record(&[entry("a", at(1_800_000_000))]).unwrap();
    let ids_in_the_file_alone = || -> Vec<String> {
        let copy = dir.path().join("copy.sqlite3");
        std::fs::copy(&path, &copy).unwrap();
        let conn = rusqlite::Connection::open(&copy).unwrap();
        // Before the copy back, the file alone may not have the table yet.
        let ids = conn
            .prepare("SELECT id FROM staged_files")
            .and_then(|mut stmt| {
                stmt.query_map([], |r| r.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap_or_default();
        drop(conn);
        std::fs::remove_file(&copy).unwrap();
        ids
    };
    assert!(ids_in_the_file_alone().is_empty(), "still only in the log");
    store.checkpoint().unwrap();
    assert_eq!(ids_in_the_file_alone(), ["a"]);
}
