//! The window, driven headlessly (egui_kittest) against a real staging server on
//! 127.0.0.1, with the key in a memory store and the app's files in a temporary folder.

mod support;
mod window_support;

use std::sync::Arc;
use std::time::Duration;

use egui_kittest::kittest::Queryable;

use asteroid_stager::key_store::{ApiKeyStore, KeyStoreError, MemoryKeyStore};
use window_support::{
    Dropped, Fault, GOOD_KEY, ORG_ID, World, copied_texts, wait_for, wait_for_text, wait_until,
};

fn drop_files(
    harness: &mut egui_kittest::Harness<'_, asteroid_stager::ui::StagerApp>,
    paths: &[std::path::PathBuf],
) {
    for path in paths {
        harness
            .input_mut()
            .dropped_files
            .push(Arc::new(Dropped(path.clone())));
    }
}

#[test]
fn first_run_asks_for_the_key_checks_it_and_saves_it() {
    let world = World::new(MemoryKeyStore::default());
    let mut harness = world.harness(vec![]);
    wait_for(&mut harness, "API key");
    assert!(
        harness
            .query_all_by_label_contains("platform.asteroid.ai")
            .next()
            .is_some()
    );

    // A wrong key is refused in plain words, and not saved.
    harness.get_by_label("API key").focus();
    harness.get_by_label("API key").type_text("sk-wrong");
    harness.get_by_label("Check and save key").click();
    wait_for_text(&mut harness, "The server did not accept the API key");
    assert_eq!(world.store.load(), Ok(None));

    harness.get_by_label("API key").focus();
    harness.step();
    harness.key_combination_modifiers(egui::Modifiers::COMMAND, &[egui::Key::A]);
    harness.step();
    harness.get_by_label("API key").type_text(GOOD_KEY);
    harness.step();
    harness.get_by_label("Check and save key").click();
    wait_for(&mut harness, "Uploads");
    assert!(
        harness
            .query_all_by_label_contains("Acme Research")
            .next()
            .is_some()
    );
    let saved = world.store.load().expect("store").expect("a key");
    assert_eq!(saved.expose(), GOOD_KEY);
    // The organization came from the key and is remembered; the key is not in the settings.
    let settings = std::fs::read_to_string(world.dir.path().join("app/config/settings.json"))
        .expect("settings saved");
    assert!(settings.contains(ORG_ID), "{settings}");

    // Stage a file too, then look at every file the app wrote: none holds the key.
    let file = world.file("after-key.txt", b"data");
    drop_files(&mut harness, &[file]);
    wait_for(&mut harness, "Copy the ID of after-key.txt");
    drop(harness);
    let mut folders = vec![world.dir.path().join("app")];
    let mut checked = 0;
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).expect("app folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("readable");
                assert!(
                    !String::from_utf8_lossy(&bytes).contains(GOOD_KEY),
                    "{} holds the key",
                    path.display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 2, "settings and history were written");
}

#[test]
fn dropped_files_are_staged_and_their_ids_can_be_copied() {
    let world = World::with_good_key();
    let a = world.file("a.txt", b"alpha");
    let b = world.file("report final.pdf", b"%PDF-1.4 beta");
    let mut harness = world.harness(vec![]);
    wait_for(&mut harness, "Uploads");

    drop_files(&mut harness, &[a, b]);
    wait_for(&mut harness, "Copy the ID of report final.pdf");
    wait_for(&mut harness, "Copy the ID of a.txt");
    assert_eq!(world.server.staged_names(), ["a.txt", "report final.pdf"]);
    // The IDs are on screen.
    let first_id = "00000000-0000-4000-8000-000000000001";
    assert!(harness.query_all_by_label(first_id).next().is_some());
    wait_for_text(&mut harness, "2 of 2 file(s) staged");

    harness.get_by_label("Copy the ID of a.txt").click();
    harness.step();
    harness.step();
    assert_eq!(copied_texts(&harness), [first_id.to_owned()]);
    wait_for(&mut harness, "Copied the ID of a.txt");

    harness.get_by_label("Copy all IDs").click();
    harness.step();
    harness.step();
    assert_eq!(
        copied_texts(&harness),
        ["00000000-0000-4000-8000-000000000001\n00000000-0000-4000-8000-000000000002".to_owned()]
    );

    harness.get_by_label("Copy as tempFiles JSON").click();
    harness.step();
    harness.step();
    assert_eq!(
        copied_texts(&harness),
        [r#"[{"id":"00000000-0000-4000-8000-000000000001","name":"a.txt"},{"id":"00000000-0000-4000-8000-000000000002","name":"report final.pdf"}]"#.to_owned()]
    );
}

#[test]
fn files_from_the_command_line_are_added_like_dropped_ones() {
    let world = World::with_good_key();
    let a = world.file("given.csv", b"x,y\n1,2\n");
    let mut harness = world.harness(vec![a]);
    wait_for(&mut harness, "Copy the ID of given.csv");
    assert_eq!(world.server.staged_names(), ["given.csv"]);
}

#[test]
fn a_refused_organization_is_explained_and_only_the_failed_file_is_retried() {
    let world = World::with_good_key();
    world.server.push_faults([Fault::Status(
        403,
        "User is not a member of the organization.",
    )]);
    let a = world.file("first.txt", b"one");
    let mut harness = world.harness(vec![]);
    wait_for(&mut harness, "Uploads");
    drop_files(&mut harness, &[a]);
    wait_for_text(&mut harness, "not a member of this organization");
    assert!(world.server.staged_names().is_empty());

    // Another file goes through; then retrying sends the failed one, and only it.
    let b = world.file("second.txt", b"two");
    drop_files(&mut harness, &[b]);
    wait_for(&mut harness, "Copy the ID of second.txt");
    harness.get_by_label("Retry first.txt").click();
    wait_for(&mut harness, "Copy the ID of first.txt");
    assert_eq!(world.server.staged_names(), ["second.txt", "first.txt"]);
    assert_eq!(
        world.server.received_names(),
        ["first.txt", "second.txt", "first.txt"]
    );
}

#[test]
fn a_server_failure_is_retried_by_itself() {
    let world = World::with_good_key();
    world
        .server
        .push_faults([Fault::Status(500, "Internal server error.")]);
    let a = world.file("flaky.txt", b"data");
    let mut harness = world.harness(vec![a]);
    wait_for(&mut harness, "Copy the ID of flaky.txt");
    assert_eq!(world.server.received_names(), ["flaky.txt", "flaky.txt"]);
}

#[test]
fn an_upload_can_be_cancelled() {
    let world = World::with_good_key();
    world
        .server
        .push_faults([Fault::SlowAnswer(Duration::from_secs(30))]);
    let a = world.file("slow.bin", b"slow data");
    let mut harness = world.harness(vec![a]);
    wait_for(&mut harness, "Cancel slow.bin");
    harness.get_by_label("Cancel slow.bin").click();
    wait_for_text(&mut harness, "Cancelled.");
    assert!(world.server.staged_names().is_empty());
    assert!(
        harness
            .query_all_by_label("Retry slow.bin")
            .next()
            .is_some()
    );
}

#[test]
fn folders_and_empty_files_get_a_plain_message() {
    let world = World::with_good_key();
    let empty = world.file("empty.txt", b"");
    let folder = world.dir.path().join("files");
    let mut harness = world.harness(vec![]);
    wait_for(&mut harness, "Uploads");
    drop_files(&mut harness, &[empty, folder]);
    wait_for_text(&mut harness, "is empty (0 bytes)");
    wait_for_text(
        &mut harness,
        "is a folder. Add the files inside it instead.",
    );
    wait_for_text(&mut harness, "2 items could not be added");
    assert!(world.server.received_names().is_empty());
}

#[test]
fn the_staged_list_survives_a_restart() {
    let world = World::with_good_key();
    let a = world.file("kept.txt", b"keep me");
    {
        let mut harness = world.harness(vec![a]);
        wait_for(&mut harness, "Copy the ID of kept.txt");
    }
    let mut harness = world.harness(vec![]);
    wait_for(&mut harness, "Copy the ID of kept.txt");
    wait_for_text(&mut harness, "expires in 60 min");
    assert_eq!(world.server.staged_names(), ["kept.txt"]);
}

#[test]
fn no_keychain_offers_the_key_for_this_session_only() {
    let world = World::new(MemoryKeyStore::failing(KeyStoreError::Unavailable(
        "no Secret Service on the session bus".into(),
    )));
    let mut harness = world.harness(vec![]);
    wait_for_text(&mut harness, "No keychain is available");
    harness
        .get_by_label("Use the key for this session only")
        .click();
    wait_until(&mut harness, "the keychain problem to go", |h| {
        h.query_all_by_label_contains("No keychain is available")
            .next()
            .is_none()
    });
    harness.get_by_label("API key").focus();
    harness.get_by_label("API key").type_text(GOOD_KEY);
    harness.get_by_label("Check and save key").click();
    wait_for(&mut harness, "Uploads");
    harness.get_by_label("Settings").click();
    wait_for_text(&mut harness, "this session only");
}

#[test]
fn signing_out_removes_the_key() {
    let world = World::with_good_key();
    let mut harness = world.harness(vec![]);
    wait_for(&mut harness, "Uploads");
    harness.get_by_label("Settings").click();
    wait_for(&mut harness, "Sign out");
    harness.get_by_label("Sign out").click();
    wait_for_text(&mut harness, "Signed out");
    wait_for(&mut harness, "API key");
    assert_eq!(world.store.load(), Ok(None));
}

#[test]
fn a_damaged_history_is_kept_aside_and_said() {
    let world = World::with_good_key();
    let history = world.dir.path().join("app/data/history.json");
    std::fs::create_dir_all(history.parent().expect("parent")).expect("data dir");
    std::fs::write(&history, b"{not json").expect("write");
    let mut harness = world.harness(vec![]);
    wait_for(&mut harness, "Uploads");
    wait_until(&mut harness, "a notice about the history", |h| {
        h.query_all_by_label_contains("history.json")
            .next()
            .is_some()
    });
}

#[test]
fn idle_means_no_repaint_loop() {
    let world = World::with_good_key();
    let mut harness = world.harness(vec![]);
    wait_for(&mut harness, "Uploads");
    // Nothing staged, nothing moving: the app settles.
    harness.run();
}

#[test]
fn a_thousand_staged_files_are_listed_without_slowing_the_window() {
    use asteroid_stager::history::{HistoryEntry, HistoryStore};
    use std::time::{Instant, SystemTime};

    let world = World::with_good_key();
    let now = SystemTime::now();
    let entries: Vec<HistoryEntry> = (0..1000u64)
        .map(|i| HistoryEntry {
            id: format!("00000000-0000-4000-9000-{i:012}"),
            name: format!("file-{i:04}.pdf"),
            size: 1000 + i,
            organization_id: ORG_ID.into(),
            // The older half has expired.
            staged_at: now - Duration::from_secs(if i < 500 { 7200 } else { 60 }),
            group: None,
            source: None,
        })
        .collect();
    let (history, _) = HistoryStore::open(&world.dir.path().join("app/data/history.sqlite3"));
    history.record(&entries).expect("history written");

    let mut harness = world.harness(vec![]);
    wait_for(&mut harness, "Copy the ID of file-0999.pdf");
    // Only the visible rows are laid out: a frame stays cheap.
    let started = Instant::now();
    for _ in 0..20 {
        harness.step();
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(harness.query_all_by_label("file-0000.pdf").next().is_none());
    // Expired ones can be cleared; the others stay.
    harness.get_by_label("Clear expired").click();
    wait_until(&mut harness, "expired entries to be cleared", |h| {
        h.state().staged_entries().len() == 500
    });
    let (reopened, _) = HistoryStore::open(&world.dir.path().join("app/data/history.sqlite3"));
    assert_eq!(reopened.entries().unwrap().len(), 500);
}

#[test]
fn a_key_with_several_organizations_lets_the_operator_pick_or_type_one() {
    let world = World::with_good_key();
    let second = "22222222-2222-3333-4444-555555555555";
    world.server.add_organization(second, "Beta Labs");
    let mut harness = world.harness(vec![]);
    wait_for(&mut harness, "Or enter an organization ID");
    // A wrong ID gets a plain message.
    harness.get_by_label("Or enter an organization ID").focus();
    harness
        .get_by_label("Or enter an organization ID")
        .type_text("acme");
    harness.get_by_label("Use this organization").click();
    wait_for_text(&mut harness, "is not an organization ID");
    harness
        .get_by_label(&format!("Beta Labs ({second})"))
        .click();
    wait_for(&mut harness, "Uploads");
    assert!(
        harness
            .query_all_by_label_contains("Beta Labs")
            .next()
            .is_some()
    );
}

#[test]
fn hovering_files_shows_that_the_window_takes_them() {
    let world = World::with_good_key();
    let mut harness = world.harness(vec![]);
    wait_for(&mut harness, "Uploads");
    harness.input_mut().hovered_files.push(egui::HoveredFile {
        path: Some(world.dir.path().join("x.pdf")),
        ..Default::default()
    });
    harness.step();
    let painted = harness
        .output()
        .shapes
        .iter()
        .any(|s| format!("{:?}", s.shape).contains("Drop the file to stage it"));
    assert!(painted, "the drop hint is painted while a file hovers");
}

#[test]
fn about_says_version_server_files_and_keychain() {
    let world = World::with_good_key();
    let mut harness = world.harness(vec![]);
    wait_for(&mut harness, "Uploads");
    harness.get_by_label("About").click();
    wait_for_text(
        &mut harness,
        &format!("Asteroid Stager {}", env!("CARGO_PKG_VERSION")),
    );
    wait_for_text(&mut harness, &world.server.base_url);
    wait_for_text(&mut harness, "history.sqlite3");
    wait_for_text(&mut harness, "settings.json");
    wait_for_text(&mut harness, "this session only");
    wait_for(&mut harness, "Asteroid documentation");
    harness.get_by_label("Close").click();
    wait_until(&mut harness, "the About window to close", |h| {
        h.query_by_label("Asteroid documentation").is_none()
    });
}
