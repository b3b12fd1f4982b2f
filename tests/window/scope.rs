//! The window lists and copies only the staged files of the organization and server in
//! use (issue 16.5), and names each group by what it was made from (issue 16.9).

use crate::window_support;

use std::time::{Duration, SystemTime};

use egui_kittest::kittest::Queryable;

use asteroid_stager::history::{
    AddedBy, GroupSource, HistoryEntry, HistoryStore, SourceFile, StagedGroup,
};
use window_support::{ORG_ID, World, copied_texts, wait_for, wait_for_text, wait_ready};

const OTHER_ORG: &str = "22222222-2222-3333-4444-555555555555";

fn staged(id: &str, name: &str, organization: &str, server: &str) -> HistoryEntry {
    HistoryEntry {
        id: id.into(),
        name: name.into(),
        size: 10,
        organization_id: organization.into(),
        server: server.into(),
        staged_at: SystemTime::now() - Duration::from_secs(60),
        group: None,
        place_in_group: None,
        source: None,
    }
}

#[test]
fn copy_all_copies_only_the_organization_and_server_in_use() {
    let world = World::with_good_key();
    let here = world.server_as_recorded();
    let mine = "aaaaaaaa-0000-4000-8000-000000000001";
    let other_org = "bbbbbbbb-0000-4000-8000-000000000002";
    let other_server = "cccccccc-0000-4000-8000-000000000003";
    let (history, _) = HistoryStore::open(&world.dir.path().join("app/data/history.sqlite3"));
    history
        .record(&[
            staged(mine, "mine.pdf", ORG_ID, &here),
            staged(other_org, "theirs.pdf", OTHER_ORG, &here),
            staged(
                other_server,
                "elsewhere.pdf",
                ORG_ID,
                asteroid_stager::DEFAULT_BASE_URL,
            ),
        ])
        .expect("history written");
    drop(history);

    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    wait_for(&mut harness, "Copy the ID of mine.pdf");
    wait_for_text(
        &mut harness,
        "2 files staged for other organizations or servers are not shown.",
    );
    for hidden in ["theirs.pdf", "elsewhere.pdf", other_org, other_server] {
        assert!(
            harness.query_all_by_label_contains(hidden).next().is_none(),
            "{hidden} is shown"
        );
    }

    harness.get_by_label("Copy all IDs").click();
    harness.step();
    harness.step();
    assert_eq!(copied_texts(&harness), [mine.to_owned()]);

    harness.get_by_label("Copy as tempFiles JSON").click();
    harness.step();
    harness.step();
    let copied = copied_texts(&harness).concat();
    assert!(copied.contains(mine), "{copied}");
    assert!(
        !copied.contains(other_org) && !copied.contains(other_server),
        "{copied}"
    );
}

#[test]
fn a_group_is_named_by_what_it_was_made_from() {
    let world = World::with_good_key();
    let here = world.server_as_recorded();
    let group = |id: &str, source| StagedGroup {
        id: id.into(),
        source,
        created_at: SystemTime::now() - Duration::from_secs(60),
    };
    let mut scan = staged(
        "aaaaaaaa-0000-4000-8000-000000000001",
        "a.pdf",
        ORG_ID,
        &here,
    );
    scan.group = Some(group(
        "g1",
        GroupSource::Added {
            how: AddedBy::Dropped,
            items: 1,
            name: Some("Scans".into()),
        },
    ));
    scan.source = Some(SourceFile {
        path: "/home/op/Scans/a.pdf".into(),
        relative_path: "Scans/a.pdf".into(),
        size: 10,
        modified: None,
    });
    let mut dropped = staged(
        "aaaaaaaa-0000-4000-8000-000000000002",
        "b.pdf",
        ORG_ID,
        &here,
    );
    dropped.group = Some(group(
        "g2",
        GroupSource::Added {
            how: AddedBy::Dropped,
            items: 3,
            name: None,
        },
    ));
    let (history, _) = HistoryStore::open(&world.dir.path().join("app/data/history.sqlite3"));
    let odd = staged(
        "aaaaaaaa-0000-4000-8000-000000000003",
        "\u{1b}[2Jodd\n.pdf",
        ORG_ID,
        &here,
    );
    history
        .record(&[scan, dropped, odd])
        .expect("history written");
    drop(history);

    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    wait_for_text(&mut harness, "Scans folder at ");
    wait_for_text(&mut harness, "3 files dropped at ");
    // A name with control characters is shown with them escaped, never raw.
    wait_for(&mut harness, "Copy the ID of \\u{1b}[2Jodd\\n.pdf");
    assert!(
        harness
            .query_all_by_label_contains("\u{1b}")
            .next()
            .is_none()
    );
}
