use super::*;
use crate::history::{GroupSource, SourceFile, StagedGroup};
use crate::ui::command::StageAgain;

fn entry(id: &str, staged_at: SystemTime) -> HistoryEntry {
    HistoryEntry {
        id: id.into(),
        name: format!("{id}.pdf"),
        size: 1,
        organization_id: "o".into(),
        server: crate::DEFAULT_BASE_URL.into(),
        staged_at,
        group: None,
        place_in_group: None,
        source: None,
    }
}

fn grouped(id: &str, group: &str, staged_at: SystemTime) -> HistoryEntry {
    HistoryEntry {
        group: Some(StagedGroup {
            id: group.into(),
            source: GroupSource::Labelled(format!("Dropped {group}")),
            created_at: staged_at,
        }),
        source: Some(SourceFile {
            path: format!("/files/{id}.pdf").into(),
            relative_path: format!("Scans/{id}.pdf"),
            size: 1,
            modified: None,
        }),
        ..entry(id, staged_at)
    }
}

fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_900_000_000)
}

fn copied(effects: Vec<Effect>) -> String {
    match effects.into_iter().next() {
        Some(Effect::CopyText(text)) => text,
        _ => panic!("nothing copied"),
    }
}

#[test]
fn a_staged_file_expiring_leaves_the_copies_and_can_be_cleared() {
    let mut state = StagedState::new(
        vec![
            entry("a", t0()),
            entry("b", t0() + Duration::from_secs(600)),
        ],
        "h".into(),
    );
    let at = Instant::now();
    let copy = |state: &mut StagedState, now| {
        copied(state.handle(StagedCommand::Copy(CopyWhat::AllIds), now, at))
    };
    assert_eq!(copy(&mut state, t0() + Duration::from_secs(60)), "a\nb");
    // An hour after "a" was staged it is gone from what is copied.
    let later = t0() + crate::STAGED_FILE_LIFETIME + Duration::from_secs(1);
    assert_eq!(copy(&mut state, later), "b");
    assert!(state.is_copied(&CopyWhat::AllIds, at));
    assert!(!state.is_copied(&CopyWhat::AllIds, at + COPIED_FEEDBACK));
    state.handle(StagedCommand::ClearExpired, later, at);
    let ids: Vec<_> = state.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["b"]);
}

#[test]
fn the_next_repaint_is_when_a_countdown_label_changes() {
    let mut state = StagedState::new(vec![entry("a", t0())], "h".into());
    let at = Instant::now();
    let mut next_at = |secs| {
        let now = t0() + Duration::from_secs(secs);
        state.prepare(now);
        (state.next_change(now, at), state.live)
    };
    // 59 min 30 s left: the label says 60 min until 30 s from now.
    assert_eq!(next_at(30), (Some(Duration::from_secs(30)), 1));
    // Ten seconds later, without a recount: 20 s to go.
    assert_eq!(next_at(40), (Some(Duration::from_secs(20)), 1));
    // In the last minute, every second.
    assert_eq!(next_at(3570), (Some(Duration::from_secs(1)), 1));
    // Expired: nothing changes by itself, and nothing is live.
    assert_eq!(next_at(7200), (None, 0));
}

#[test]
fn groups_come_newest_first_and_copy_their_own_files() {
    let later = t0() + Duration::from_secs(60);
    let mut state = StagedState::new(
        vec![
            grouped("a", "g1", t0()),
            grouped("b", "g1", t0()),
            grouped("c", "g2", later),
        ],
        "h".into(),
    );
    assert_eq!(
        state.rows,
        [
            ListRow::Group(0),
            ListRow::Entry(2),
            ListRow::Group(1),
            ListRow::Entry(0),
            ListRow::Entry(1)
        ]
    );
    assert_eq!(state.groups[1].label, "Dropped g1");
    let json = copied(state.handle(
        StagedCommand::Copy(CopyWhat::Group("g1".into())),
        later,
        Instant::now(),
    ));
    assert_eq!(
        json,
        r#"{"tempFiles":[{"id":"a","name":"a.pdf"},{"id":"b","name":"b.pdf"}]}"#
    );
}

/// Files finish in any order (a large one after a small one); their group lists and copies
/// them as the operator gave them, and so does a selection.
#[test]
fn a_group_keeps_the_order_its_files_were_given_in() {
    let placed = |id: &str, place| HistoryEntry {
        place_in_group: Some(place),
        ..grouped(id, "g1", t0())
    };
    // Staged (recorded) as c, a, b; given as a, b, c.
    let mut state = StagedState::new(
        vec![placed("c", 2), placed("a", 0), placed("b", 1)],
        "h".into(),
    );
    let names: Vec<&str> = state
        .rows
        .iter()
        .filter_map(|row| match row {
            ListRow::Entry(i) => Some(state.entries[*i].id.as_str()),
            ListRow::Group(_) => None,
        })
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
    let now = t0() + Duration::from_secs(5);
    let json = copied(state.handle(
        StagedCommand::Copy(CopyWhat::Group("g1".into())),
        now,
        Instant::now(),
    ));
    assert_eq!(
        json,
        r#"{"tempFiles":[{"id":"a","name":"a.pdf"},{"id":"b","name":"b.pdf"},{"id":"c","name":"c.pdf"}]}"#
    );
    for id in ["c", "a"] {
        state.handle(
            StagedCommand::ToggleSelected(id.into()),
            now,
            Instant::now(),
        );
    }
    let ids = copied(state.handle(
        StagedCommand::Copy(CopyWhat::SelectedIds),
        now,
        Instant::now(),
    ));
    assert_eq!(ids, "a\nc");
}

#[test]
fn a_selection_across_groups_is_copied_together() {
    let mut state = StagedState::new(
        vec![
            grouped("a", "g1", t0()),
            grouped("b", "g1", t0()),
            grouped("c", "g2", t0()),
        ],
        "h".into(),
    );
    let now = t0() + Duration::from_secs(5);
    state.handle(
        StagedCommand::ToggleSelected("a".into()),
        now,
        Instant::now(),
    );
    state.handle(
        StagedCommand::ToggleSelected("c".into()),
        now,
        Instant::now(),
    );
    let ids = copied(state.handle(
        StagedCommand::Copy(CopyWhat::SelectedIds),
        now,
        Instant::now(),
    ));
    assert_eq!(ids, "a\nc");
    state.handle(
        StagedCommand::ToggleSelected("a".into()),
        now,
        Instant::now(),
    );
    assert_eq!(state.selection().count(), 1);
}

#[test]
fn the_filter_matches_names_paths_and_ids_in_any_case() {
    let mut state = StagedState::new(
        vec![grouped("alpha", "g1", t0()), grouped("beta", "g2", t0())],
        "h".into(),
    );
    state.handle(
        StagedCommand::EditFilter("SCANS/BET".into()),
        t0(),
        Instant::now(),
    );
    state.prepare(t0());
    assert_eq!(state.rows.len(), 2, "{:?}", state.rows);
    assert!(matches!(state.rows[1], ListRow::Entry(1)));
}

#[test]
fn expired_files_are_staged_again_and_the_new_id_takes_the_old_place() {
    let mut state = StagedState::new(
        vec![
            grouped("old", "g1", t0()),
            grouped("kept", "g1", t0() + Duration::from_secs(3500)),
        ],
        "h".into(),
    );
    let later = t0() + crate::STAGED_FILE_LIFETIME + Duration::from_secs(1);
    let effects = state.handle(
        StagedCommand::StageAgain(StageAgain::Group("g1".into())),
        later,
        Instant::now(),
    );
    let Some(Effect::Queue(crate::upload_queue::QueueCommand::Restage(items))) =
        effects.into_iter().next()
    else {
        panic!("nothing to stage again");
    };
    // Only the expired one.
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].entry.id, "old");
    let mut fresh = grouped("new", "other", later);
    fresh.group = None;
    state.on_event(&QueueEvent::Staged {
        id: 1,
        entry: fresh,
        note: None,
        replaces: Some("old".into()),
    });
    state.prepare(t0());
    let ids: Vec<_> = state.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["new", "kept"]);
    assert_eq!(
        state.entries[0].group.as_ref().map(|g| g.id.as_str()),
        Some("g1")
    );
}

/// Only the organization and server in use are listed and copied; the others come back
/// when their organization is chosen again, and a file staged elsewhere joins them.
#[test]
fn the_list_holds_one_organization_on_one_server() {
    let now = t0();
    let mine = entry("mine", now);
    let theirs = HistoryEntry {
        organization_id: "other".into(),
        ..entry("theirs", now + Duration::from_secs(1))
    };
    let mut state = StagedState::new(vec![mine.clone(), theirs.clone()], "h".into());
    let scope = |org: &str| Scope {
        organization_id: org.into(),
        server: crate::DEFAULT_BASE_URL.into(),
    };
    state.set_scope(Some(scope("o")));
    state.prepare(now);
    assert_eq!(state.entries, std::slice::from_ref(&mine));
    assert_eq!(state.elsewhere, std::slice::from_ref(&theirs));
    let copied = state.handle(StagedCommand::Copy(CopyWhat::AllIds), now, Instant::now());
    assert!(matches!(&copied[..], [Effect::CopyText(t)] if t == "mine"));
    state.on_event(&QueueEvent::Staged {
        id: 1,
        entry: HistoryEntry {
            organization_id: "other".into(),
            ..entry("late", now)
        },
        note: None,
        replaces: None,
    });
    assert_eq!(state.elsewhere.len(), 2);
    state.set_scope(Some(scope("other")));
    state.prepare(now);
    let ids: Vec<&str> = state.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["late", "theirs"]);
    assert_eq!(state.elsewhere, [mine]);
}

/// With a filter, the copy buttons copy what the list shows, and the count says how many
/// of how many that is.
#[test]
fn with_a_filter_the_copies_hold_what_is_shown() {
    let mut state = StagedState::new(
        vec![
            grouped("alpha", "g1", t0()),
            grouped("beta", "g1", t0()),
            grouped("gamma", "g2", t0()),
        ],
        "h".into(),
    );
    let now = t0() + Duration::from_secs(5);
    state.handle(
        StagedCommand::EditFilter("ALPHA".into()),
        now,
        Instant::now(),
    );
    state.prepare(now);
    assert_eq!((state.shown, state.entries.len()), (1, 3));
    let copy = |state: &mut StagedState, what| {
        copied(state.handle(StagedCommand::Copy(what), now, Instant::now()))
    };
    assert_eq!(copy(&mut state, CopyWhat::AllIds), "alpha");
    assert_eq!(
        copy(&mut state, CopyWhat::Json),
        r#"{"tempFiles":[{"id":"alpha","name":"alpha.pdf"}]}"#
    );
    assert_eq!(
        copy(&mut state, CopyWhat::Group("g1".into())),
        r#"{"tempFiles":[{"id":"alpha","name":"alpha.pdf"}]}"#
    );
    state.handle(
        StagedCommand::EditFilter(String::new()),
        now,
        Instant::now(),
    );
    state.prepare(now);
    assert_eq!(state.shown, 3);
    assert_eq!(copy(&mut state, CopyWhat::AllIds), "alpha\nbeta\ngamma");
}

/// Files that share a name are not copied as tempFiles text until the operator says so;
/// their IDs alone are copied without asking.
#[test]
fn a_copy_whose_files_share_a_name_asks_first() {
    let named = |id: &str| HistoryEntry {
        name: "page1.pdf".into(),
        ..grouped(id, "g1", t0())
    };
    let mut state = StagedState::new(vec![named("a"), named("b"), named("c")], "h".into());
    let now = t0() + Duration::from_secs(5);
    let group = CopyWhat::Group("g1".into());
    let effects = state.handle(StagedCommand::Copy(group.clone()), now, Instant::now());
    assert!(effects.is_empty(), "nothing copied before the answer");
    assert_eq!(
        state.confirm_copy,
        Some(SameNames {
            what: group.clone(),
            names: vec![("page1.pdf".into(), 3)],
            files: 3,
        })
    );
    // "Don't copy": nothing copied, the question goes.
    assert!(
        state
            .handle(StagedCommand::KeepCopy, now, Instant::now())
            .is_empty()
    );
    assert_eq!(state.confirm_copy, None);
    // Asked again, then "Copy anyway".
    state.handle(StagedCommand::Copy(group.clone()), now, Instant::now());
    let json = copied(state.handle(StagedCommand::CopyAnyway, now, Instant::now()));
    assert_eq!(json.matches("page1.pdf").count(), 3, "{json}");
    assert!(state.is_copied(&group, Instant::now()));
    assert_eq!(state.confirm_copy, None);
    // IDs alone carry no names: copied at once.
    let ids = copied(state.handle(StagedCommand::Copy(CopyWhat::AllIds), now, Instant::now()));
    assert_eq!(ids, "a\nb\nc");
}

/// "Stage again" pressed twice for one file sends it once; once that upload stopped, a
/// press sends the same upload again (a Retry), never a second copy; once staged, the
/// group holds the file once.
#[test]
fn an_expired_file_is_staged_again_once_however_often_it_is_pressed() {
    let mut state = StagedState::new(vec![grouped("old", "g1", t0())], "h".into());
    let later = t0() + crate::STAGED_FILE_LIFETIME + Duration::from_secs(1);
    let press = |state: &mut StagedState| {
        state.handle(
            StagedCommand::StageAgain(StageAgain::One("old".into())),
            later,
            Instant::now(),
        )
    };
    assert!(
        matches!(press(&mut state).as_slice(), [Effect::Queue(QueueCommand::Restage(items))] if items.len() == 1)
    );
    assert!(state.is_restaging("old"));
    assert!(press(&mut state).is_empty(), "a second press while it runs");
    // Nor does the group's or the list's "Stage expired again" send it again.
    let group = state.handle(
        StagedCommand::StageAgain(StageAgain::Group("g1".into())),
        later,
        Instant::now(),
    );
    assert!(group.is_empty());
    assert!(
        state
            .handle(
                StagedCommand::StageAgain(StageAgain::AllExpired),
                later,
                Instant::now()
            )
            .is_empty()
    );
    let source = state.entries[0].source.clone().expect("a source");
    state.on_event(&QueueEvent::Added {
        id: 7,
        batch: 2,
        file: crate::local_file::LocalFile {
            path: source.path.clone(),
            name: "old.pdf".into(),
            relative_path: source.relative_path.clone(),
            size: 1,
            modified: None,
        },
        group: None,
        replaces: Some("old".into()),
    });
    assert!(press(&mut state).is_empty(), "still running");
    // It failed: the next press sends upload 7 again.
    state.on_event(&QueueEvent::Cancelled { id: 7 });
    assert!(!state.is_restaging("old"));
    assert!(matches!(
        press(&mut state).as_slice(),
        [Effect::Queue(QueueCommand::Retry(7))]
    ));
    assert!(press(&mut state).is_empty());
    state.on_event(&QueueEvent::Staged {
        id: 7,
        entry: grouped("new", "g1", later),
        note: None,
        replaces: Some("old".into()),
    });
    state.prepare(later);
    let ids: Vec<_> = state.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["new"]);
    assert!(!state.is_restaging("old"));
}

/// A file that is gone is refused: its "Stage again" works again (the file may be back).
#[test]
fn a_refused_re_stage_can_be_pressed_again() {
    let mut state = StagedState::new(vec![grouped("old", "g1", t0())], "h".into());
    let later = t0() + crate::STAGED_FILE_LIFETIME + Duration::from_secs(1);
    let press = StagedCommand::StageAgain(StageAgain::One("old".into()));
    assert_eq!(state.handle(press.clone(), later, Instant::now()).len(), 1);
    state.on_event(&QueueEvent::Refused {
        id: 3,
        batch: 2,
        shown: "Scans/old.pdf".into(),
        error: crate::local_file::LocalFileError::Unreadable("x".into(), "gone".into()),
        named: true,
        replaces: Some("old".into()),
    });
    assert!(!state.is_restaging("old"));
    assert!(matches!(
        state.handle(press, later, Instant::now()).as_slice(),
        [Effect::Queue(QueueCommand::Restage(_))]
    ));
}
