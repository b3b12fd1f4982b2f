//! The window, driven headlessly (egui_kittest) against a real staging server on
//! 127.0.0.1, with the key in a memory store and the app's files in a temporary folder.

use crate::support;
use crate::window_support;

use std::time::Duration;

use egui_kittest::kittest::Queryable;

use asteroid_stager::key_store::{ApiKeyStore, KeyStoreError, MemoryKeyStore};
use window_support::{
    Fault, GOOD_KEY, ORG_ID, World, copied_texts, drop_paths, wait_for, wait_for_text, wait_ready,
    wait_until,
};

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
    wait_ready(&mut harness);
    assert!(
        harness
            .query_all_by_label_contains("Acme Research")
            .next()
            .is_some()
    );
    let saved = world.store.load().expect("store").expect("a key");
    assert_eq!(saved.expose(), GOOD_KEY);
    // The organization came from the key and is remembered; the key is not in the settings.
    // Saved by an effect that runs after the frame that shows the organization.
    let settings_path = world.dir.path().join("app/config/settings.json");
    wait_until(&mut harness, "the settings to be saved", |_| {
        std::fs::read_to_string(&settings_path).is_ok_and(|s| s.contains(ORG_ID))
    });
    let settings = std::fs::read_to_string(&settings_path).expect("settings saved");
    assert!(settings.contains(ORG_ID), "{settings}");

    // Stage a file too, then look at every file the app wrote: none holds the key.
    let file = world.file("after-key.txt", b"data");
    drop_paths(&mut harness, &[file]);
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
    wait_ready(&mut harness);

    drop_paths(&mut harness, &[a, b]);
    wait_for(&mut harness, "Copy the ID of report final.pdf");
    wait_for(&mut harness, "Copy the ID of a.txt");
    assert_eq!(world.server.staged_names(), ["a.txt", "report final.pdf"]);
    // The IDs are on screen.
    let first_id = "00000000-0000-4000-8000-000000000001";
    assert!(harness.query_all_by_label(first_id).next().is_some());
    wait_for_text(&mut harness, "2 files");

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
        [r#"{"tempFiles":[{"id":"00000000-0000-4000-8000-000000000001","name":"a.txt"},{"id":"00000000-0000-4000-8000-000000000002","name":"report final.pdf"}]}"#.to_owned()]
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
    wait_ready(&mut harness);
    drop_paths(&mut harness, &[a]);
    wait_for_text(&mut harness, "not a member of this organization");
    assert!(world.server.staged_names().is_empty());

    // Another file goes through; then retrying sends the failed one, and only it.
    let b = world.file("second.txt", b"two");
    drop_paths(&mut harness, &[b]);
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
    // Cancel once the server has the file and is holding its answer.
    world.runtime.block_on(
        world
            .server
            .wait_for("store slow.bin", Duration::from_secs(10), |e| {
                e.iter()
                    .any(|e| matches!(e, support::ServerEvent::Paused { .. }))
            }),
    );
    // While the server holds its answer, the row says for how long it has waited.
    wait_for_text(&mut harness, "s so far)");
    harness.get_by_label("Cancel slow.bin").click();
    wait_for_text(&mut harness, "Cancelled.");
    // The body had arrived: the server stored the file and holds its answer. Let it
    // answer now, into the closed connection, and wait until it has.
    world.server.resume();
    world
        .runtime
        .block_on(world.server.wait_idle(Duration::from_secs(10)));
    assert_eq!(world.server.stored_names(), ["slow.bin"]);
    // A late answer does not undo the cancel: nothing recorded, the file still offers
    // Retry.
    for _ in 0..5 {
        harness.step();
    }
    // The history the app itself opened at start (it exists, so an open below cannot
    // make an empty one in its place): no entry for the cancelled file.
    let history = world.dir.path().join("app/data/history.sqlite3");
    assert!(
        history.is_file(),
        "the app's history is at {}",
        history.display()
    );
    let (store, _) = asteroid_stager::history::HistoryStore::open(&history);
    let recorded = store.entries().expect("the history reads");
    assert!(
        recorded.iter().all(|e| e.name != "slow.bin"),
        "a cancelled file was recorded: {recorded:?}"
    );
    assert!(recorded.is_empty(), "{recorded:?}");
    assert!(
        harness
            .query_all_by_label_contains("Cancelled.")
            .next()
            .is_some()
    );
    assert!(
        harness
            .query_all_by_label("Retry slow.bin")
            .next()
            .is_some()
    );
}

#[test]
fn a_dropped_folder_is_staged_with_its_paths_and_an_empty_file_is_explained() {
    let world = World::with_good_key();
    let empty = world.file("empty.txt", b"");
    let scans = world.dir.path().join("Scans");
    for (inside, content) in [
        ("a/page1.pdf", &b"%PDF first"[..]),
        ("b/page1.pdf", &b"%PDF second"[..]),
        (".hidden.txt", &b"secret"[..]),
        ("Thumbs.db", &b"clutter"[..]),
    ] {
        let path = scans.join(inside);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        std::fs::write(path, content).expect("file");
    }
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    drop_paths(&mut harness, &[empty, scans]);
    // Two files of the same name, told apart by their paths inside the folder.
    wait_for(&mut harness, "Copy the ID of Scans/a/page1.pdf");
    wait_for(&mut harness, "Copy the ID of Scans/b/page1.pdf");
    wait_for_text(&mut harness, "is empty (0 bytes)");
    wait_for_text(&mut harness, "1 item could not be added");
    wait_for_text(
        &mut harness,
        "2 files from Scans; 1 hidden item and 1 system file skipped",
    );
    // What arrived: both pages, byte for byte, and nothing hidden.
    let mut arrived: Vec<String> = world
        .server
        .received_parts()
        .into_iter()
        .map(|p| p.sha256)
        .collect();
    arrived.sort();
    let mut expected = vec![
        support::sha256_hex(b"%PDF first"),
        support::sha256_hex(b"%PDF second"),
    ];
    expected.sort();
    assert_eq!(arrived, expected);
    assert_eq!(world.server.staged_names(), ["page1.pdf", "page1.pdf"]);
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
    wait_ready(&mut harness);
    harness.get_by_label("Settings").click();
    wait_for_text(&mut harness, "this session only");
}

#[test]
fn signing_out_removes_the_key() {
    let world = World::with_good_key();
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    harness.get_by_label("Settings").click();
    wait_for(&mut harness, "Sign out…");
    harness.get_by_label("Sign out…").click();
    wait_for(&mut harness, "Sign out and remove the key");
    harness.get_by_label("Sign out and remove the key").click();
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
    wait_ready(&mut harness);
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
    wait_ready(&mut harness);
    // Nothing staged, nothing moving: the app settles, and then asks for no repaint at all,
    // neither now nor later (kittest's `run` stops at any non-zero delay, so it alone
    // would not see a `request_repaint_after` loop).
    harness.run();
    assert_eq!(
        repaint_delay(&harness),
        Duration::MAX,
        "an idle window asked to be repainted"
    );
    // The same measure sees a countdown: with a staged file on screen the window asks to
    // be woken when its "expires in" changes (within a minute), not in a busy loop.
    let file = world.file("counting.txt", b"tick");
    drop_paths(&mut harness, &[file]);
    wait_for(&mut harness, "Copy the ID of counting.txt");
    harness.run();
    let delay = repaint_delay(&harness);
    assert!(
        delay > Duration::ZERO && delay <= Duration::from_secs(60),
        "{delay:?}"
    );
}

/// When the last frame asked the window to be painted again (`Duration::MAX`: never).
fn repaint_delay(harness: &egui_kittest::Harness<'_, asteroid_stager::ui::StagerApp>) -> Duration {
    harness
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .map_or(Duration::MAX, |v| v.repaint_delay)
}

#[test]
fn a_thousand_staged_files_are_listed_without_slowing_the_window() {
    use asteroid_stager::history::{HistoryEntry, HistoryStore};
    use std::time::SystemTime;

    let world = World::with_good_key();
    let now = SystemTime::now();
    let server = world.server_as_recorded();
    let entries: Vec<HistoryEntry> = (0..1000u64)
        .map(|i| HistoryEntry {
            id: format!("00000000-0000-4000-9000-{i:012}"),
            name: format!("file-{i:04}.pdf"),
            size: 1000 + i,
            organization_id: ORG_ID.into(),
            server: server.clone(),
            // The older half has expired.
            staged_at: now - Duration::from_secs(if i < 500 { 7200 } else { 60 }),
            group: None,
            place_in_group: None,
            source: None,
        })
        .collect();
    let (history, _) = HistoryStore::open(&world.dir.path().join("app/data/history.sqlite3"));
    history.record(&entries).expect("history written");

    let mut harness = world.harness(vec![]);
    wait_for(&mut harness, "Copy the ID of file-0999.pdf");
    // Only the visible rows are laid out (the cost per frame is measured by the
    // frame benchmark, not asserted here).
    assert!(harness.query_all_by_label("file-0000.pdf").next().is_none());
    // Expired ones can be cleared; the others stay.
    harness.get_by_label("More list actions").click();
    wait_for(&mut harness, "Clear expired");
    harness.get_by_label("Clear expired").click();
    wait_until(&mut harness, "expired entries to be cleared", |h| {
        h.state().staged_entries().len() == 500
    });
    // What is on disk follows (written in the background): a restart shows the same.
    let history = world.dir.path().join("app/data/history.sqlite3");
    wait_until(&mut harness, "the history file to follow", |_| {
        HistoryStore::open(&history)
            .0
            .entries()
            .is_ok_and(|entries| entries.len() == 500)
    });
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
    wait_ready(&mut harness);
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
    wait_ready(&mut harness);
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
    wait_ready(&mut harness);
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

/// Through the real start-up path (settings read once): a damaged settings file is kept
/// aside, byte for byte, and the window says so.
#[test]
fn a_damaged_settings_file_is_kept_aside_and_said() {
    let world = World::with_good_key();
    let config = world.dir.path().join("app/config");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(config.join("settings.json"), b"\x00not json").expect("write");
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    wait_for_text(&mut harness, "settings.json was kept as");
    let kept: Vec<_> = std::fs::read_dir(&config)
        .expect("config dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("settings.json.bad-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(std::fs::read(&kept[0]).expect("backup"), b"\x00not json");
}

/// Files added before there is a key wait, say so, and go as soon as the key is set.
#[test]
fn files_added_before_the_key_go_once_it_is_set() {
    let world = World::new(MemoryKeyStore::default());
    let early = world.file("early.txt", b"before the key");
    let mut harness = world.harness(vec![early]);
    wait_for(&mut harness, "API key");
    wait_for_text(
        &mut harness,
        "1 file is waiting; it is sent as soon as the key and organization are set.",
    );
    assert!(world.server.requests().is_empty());
    harness.get_by_label("API key").focus();
    harness.get_by_label("API key").type_text(GOOD_KEY);
    harness.get_by_label("Check and save key").click();
    wait_for(&mut harness, "Copy the ID of early.txt");
    assert_eq!(world.server.stored_names(), ["early.txt"]);
}
