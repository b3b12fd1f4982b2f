//! Format 3: each entry's server, each group's source as data, and the upgrade of older
//! databases to it.

use super::*;
use crate::endpoint::{BaseUrl, OrganizationId};

const OTHER_ORG: &str = "99999999-2222-3333-4444-555555555555";

/// A database as format 1 or 2 left it, with three entries (two in a group).
fn old_database(path: &Path, version: i64) {
    let place = if version >= 2 {
        ", group_place INTEGER"
    } else {
        ""
    };
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(&format!(
        "CREATE TABLE staged_files (
            seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
            size INTEGER NOT NULL, organization_id TEXT NOT NULL, staged_at INTEGER NOT NULL,
            group_id TEXT, group_label TEXT, group_created_at INTEGER, source_path TEXT,
            source_relative TEXT, source_size INTEGER, source_modified INTEGER{place});
         CREATE INDEX staged_files_staged_at ON staged_files (staged_at);
         INSERT INTO staged_files (id, name, size, organization_id, staged_at, group_id,
            group_label, group_created_at, source_path, source_relative, source_size)
            VALUES ('a', 'a.pdf', 3, '{ORG}', 1800000000000, 'g0', 'Scans', 1800000000000,
                    '/home/op/Scans/a.pdf', 'Scans/a.pdf', 3),
                   ('b', 'b.pdf', 4, '{ORG}', 1800000000001, 'g0', 'Scans', 1800000000000,
                    '/home/op/Scans/b.pdf', 'Scans/b.pdf', 4),
                   ('c', 'c.pdf', 5, '{OTHER_ORG}', 1800000000002, NULL, NULL, NULL,
                    NULL, NULL, NULL);
         PRAGMA user_version = {version};"
    ))
    .unwrap();
}

fn default_scope(org: &str) -> Scope {
    Scope::new(&OrganizationId::parse(org).unwrap(), &BaseUrl::default())
}

/// Every entry of a format-1 or format-2 database is kept, reads as staged on the default
/// server, keeps its group's label, and is found by the query for that server.
#[test]
fn an_older_history_keeps_every_entry_and_reads_the_default_server() {
    for version in [1, 2] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        old_database(&path, version);
        let (store, notice) = HistoryStore::open(&path);
        assert_eq!(notice, None, "format {version}");
        let all = store.entries().unwrap();
        assert_eq!(ids(&all), ["a", "b", "c"], "format {version}");
        for e in &all {
            assert_eq!(e.server, crate::DEFAULT_BASE_URL, "format {version}");
        }
        assert_eq!(
            all[0].group.as_ref().map(|g| &g.source),
            Some(&GroupSource::Labelled("Scans".into()))
        );
        assert_eq!(all[1].source.as_ref().unwrap().relative_path, "Scans/b.pdf");
        assert_eq!(all[2].group, None);
        assert_eq!(
            ids(&store.in_scope(&default_scope(ORG), None).unwrap()),
            ["a", "b"]
        );
        assert_eq!(
            ids(&store.in_scope(&default_scope(OTHER_ORG), None).unwrap()),
            ["c"]
        );
        // Upgraded on disk, with the pending table: written to like a new one.
        let mut new = entry("d", at(1_800_000_003));
        new.place_in_group = Some(0);
        store.record(std::slice::from_ref(&new)).unwrap();
        drop(store);
        let (reopened, _) = HistoryStore::open(&path);
        assert_eq!(ids(&reopened.entries().unwrap()), ["a", "b", "c", "d"]);
        assert_eq!(reopened.entries().unwrap()[3], new);
        assert!(reopened.unfinished().unwrap().is_empty());
        let conn = rusqlite::Connection::open(&path).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 3);
    }
}

#[test]
fn the_default_server_is_written_as_the_app_writes_base_urls() {
    assert_eq!(BaseUrl::default().to_string(), crate::DEFAULT_BASE_URL);
    assert!(CREATE_SCHEMA.contains(&format!("DEFAULT '{}'", crate::DEFAULT_BASE_URL)));
}

/// Server and group source come back as they were recorded; the English label is written
/// beside the source for older versions that read this database.
#[test]
fn server_and_group_source_round_trip() {
    let (_dir, path, store) = fresh();
    let sources = [
        dropped(1, Some("Scans: 2025")),
        dropped(3, None),
        GroupSource::Added {
            how: AddedBy::CommandLine,
            items: 2,
            name: None,
        },
        GroupSource::Added {
            how: AddedBy::OpenedWith,
            items: 1,
            name: Some("a\u{1b}[2Jb.pdf".into()),
        },
        GroupSource::Labelled("Dropped".into()),
    ];
    let list: Vec<_> = sources
        .iter()
        .enumerate()
        .map(|(i, source)| HistoryEntry {
            server: format!("http://127.0.0.1:{}/v{i}", 8000 + i),
            group: Some(StagedGroup {
                id: format!("g{i}"),
                source: source.clone(),
                created_at: at(1_800_000_000),
            }),
            ..entry(&format!("e{i}"), at(1_800_000_000))
        })
        .collect();
    store.record(&list).unwrap();
    drop(store);
    let (reopened, _) = HistoryStore::open(&path);
    assert_eq!(reopened.entries().unwrap(), list);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let labels: Vec<String> = conn
        .prepare("SELECT group_label FROM staged_files ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        labels,
        [
            "Dropped: Scans: 2025",
            "3 files dropped",
            "2 files from the command line",
            "Opened with Asteroid Stager: a\\u{1b}[2Jb.pdf",
            "Dropped"
        ]
    );
    // The JSON form (`history` tests read it) keeps the stable string.
    let json = serde_json::to_value(&list[0]).unwrap();
    assert_eq!(json["group"]["source"], "dropped:1:Scans: 2025");
    assert_eq!(json["server"], "http://127.0.0.1:8000/v0");
}

#[test]
fn a_source_string_that_is_not_understood_is_kept_as_a_label() {
    for stored in ["", "Dropped", "dropped", "dropped:x", "teleported:3:x"] {
        assert_eq!(
            GroupSource::parse(stored),
            GroupSource::Labelled(stored.into())
        );
    }
    assert_eq!(
        GroupSource::parse("pasted:1:a:b"),
        GroupSource::Added {
            how: AddedBy::Pasted,
            items: 1,
            name: Some("a:b".into())
        }
    );
    assert_eq!(
        GroupSource::of_paths(AddedBy::Picked, &["/x/Scans"]),
        GroupSource::Added {
            how: AddedBy::Picked,
            items: 1,
            name: Some("Scans".into())
        }
    );
}

/// The query by organization and server returns that scope only, and with a time, only
/// what has not expired.
#[test]
fn the_history_is_listed_for_one_organization_on_one_server() {
    let (_dir, _path, store) = fresh();
    let home = Scope {
        organization_id: ORG.into(),
        server: SERVER.into(),
    };
    let other_server = HistoryEntry {
        server: "http://127.0.0.1:9/".into(),
        ..entry("other-server", at(1_800_000_000))
    };
    let other_org = HistoryEntry {
        organization_id: OTHER_ORG.into(),
        ..entry("other-org", at(1_800_000_000))
    };
    let old = entry("old", at(1_700_000_000));
    store
        .record(&[
            entry("mine", at(1_800_000_000)),
            other_server,
            other_org,
            old,
        ])
        .unwrap();
    assert_eq!(ids(&store.in_scope(&home, None).unwrap()), ["mine", "old"]);
    let now = at(1_800_000_060);
    assert_eq!(ids(&store.in_scope(&home, Some(now)).unwrap()), ["mine"]);
    assert!(home.contains(&entry("x", now)));
    assert!(!home.contains(&HistoryEntry {
        organization_id: OTHER_ORG.into(),
        ..entry("x", now)
    }));
}

/// Found by mutation testing: records kept in memory after a failed write are listed with
/// the others, and must be filtered by scope and expiry just the same.
#[test]
fn records_not_yet_written_are_listed_for_their_scope_only() {
    let (_dir, path, store) = fresh();
    let home = Scope {
        organization_id: ORG.into(),
        server: SERVER.into(),
    };
    // Every write fails from now on (a newer version took the file): records stay in memory.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let other_org = HistoryEntry {
        organization_id: OTHER_ORG.into(),
        ..entry("other-org", at(1_800_000_000))
    };
    let result = store.record(&[
        entry("mine", at(1_800_000_000)),
        other_org,
        entry("old", at(1_700_000_000)),
    ]);
    assert!(result.is_err());
    let now = at(1_800_000_060);
    assert_eq!(ids(&store.in_scope(&home, Some(now)).unwrap()), ["mine"]);
    assert_eq!(ids(&store.in_scope(&home, None).unwrap()), ["mine", "old"]);
}

/// Found by mutation testing: an entry written before the history kept its server (in an
/// older `history.json`) is read as staged on the default server.
#[test]
fn an_entry_without_a_server_is_on_the_default_one() {
    let json = r#"{"id":"a","name":"a.pdf","size":3,"organizationId":"o",
        "stagedAt":"2027-01-15T08:00:00Z"}"#;
    let entry: HistoryEntry = serde_json::from_str(json).unwrap();
    assert_eq!(entry.server, crate::DEFAULT_BASE_URL);
}
