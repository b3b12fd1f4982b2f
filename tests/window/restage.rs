//! "Stage again" in the window (egui_kittest, a real staging server on 127.0.0.1): an
//! expired file is staged again once, however often the button is pressed, and its group
//! holds it once.

use crate::support;
use crate::window_support;

use std::time::Duration;

use egui_kittest::kittest::Queryable;

use asteroid_stager::history::HistoryStore;
use window_support::{Fault, World, drop_paths, wait_for, wait_for_text, wait_ready, wait_until};

#[test]
fn stage_again_pressed_twice_stores_the_file_once_and_the_group_holds_it_once() {
    let world = World::with_good_key();
    let file = world.file("kept.txt", b"the same bytes");
    let sha = support::sha256_hex(b"the same bytes");
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    drop_paths(&mut harness, &[file]);
    wait_for(&mut harness, "Copy the ID of kept.txt");
    // An hour later it has expired; the server holds its answer to the next request, so
    // the re-stage is still running when the button is pressed again.
    world.advance_clock(Duration::from_secs(61 * 60));
    wait_for(&mut harness, "Stage kept.txt again");
    world
        .server
        .push_faults([Fault::SlowAnswer(Duration::from_secs(30))]);
    harness.get_by_label("Stage kept.txt again").click();
    for _ in 0..3 {
        harness.step();
    }
    world
        .runtime
        .block_on(world.server.wait_paused(Duration::from_secs(10)));
    for _ in 0..3 {
        harness.step();
    }
    harness.get_by_label("Stage kept.txt again").click();
    for _ in 0..3 {
        harness.step();
    }
    world.server.resume();
    wait_for(&mut harness, "Copy the ID of kept.txt");
    world
        .runtime
        .block_on(world.server.wait_idle(Duration::from_secs(10)));
    for _ in 0..5 {
        harness.step();
    }

    // The server stored the file twice in all: when first staged, and once again.
    let stored: Vec<_> = world
        .server
        .ledger()
        .into_iter()
        .filter(|entry| entry.sha256 == sha)
        .collect();
    assert_eq!(stored.len(), 2, "{stored:#?}");
    let new_id = stored[1].id.clone();
    // The window's group holds the file once, under its new ID.
    let entries = harness.state().staged_entries();
    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, [new_id.as_str()]);
    assert_eq!(
        harness
            .query_all_by_label("Copy the ID of kept.txt")
            .count(),
        1
    );
    // And so does the history on disk.
    let history = world.dir.path().join("app/data/history.sqlite3");
    wait_until(
        &mut harness,
        "the history on disk to hold the new ID",
        |_| {
            HistoryStore::open(&history)
                .0
                .entries()
                .is_ok_and(|entries| entries.iter().map(|e| e.id.as_str()).eq([new_id.as_str()]))
        },
    );
}

#[test]
fn stage_again_for_a_file_that_is_gone_says_it_is_no_longer_there() {
    let world = World::with_good_key();
    let file = world.file("moved.txt", b"bytes that will move");
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    drop_paths(&mut harness, std::slice::from_ref(&file));
    wait_for(&mut harness, "Copy the ID of moved.txt");
    world.advance_clock(Duration::from_secs(61 * 60));
    wait_for(&mut harness, "Stage moved.txt again");
    std::fs::remove_file(&file).expect("remove the file");
    harness.get_by_label("Stage moved.txt again").click();
    wait_for_text(&mut harness, "no longer at");
    let said: Vec<String> = harness
        .state()
        .state()
        .notices
        .list()
        .iter()
        .map(|n| n.text.clone())
        .collect();
    assert!(
        said.iter().any(|t| t.contains(&file.display().to_string())),
        "the notice names where the file was: {said:#?}"
    );
    assert!(
        harness
            .query_all_by_label_contains("there is no such file")
            .next()
            .is_none(),
        "nothing says \"there is no such file\""
    );
}
