//! What the window's copy buttons put on the clipboard (egui_kittest, a real staging server
//! on 127.0.0.1): the `{"tempFiles":[…]}` text the command line prints, byte for byte; only
//! what the filter shows; and a question before files that share a name are copied.

use crate::support;
use crate::window_support;

use std::collections::HashMap;
use std::path::Path;

use egui_kittest::kittest::Queryable;

use asteroid_stager::history::HistoryStore;
use window_support::{
    ORG_ID, World, click_and_read_clipboard, drop_paths, wait_for, wait_for_text, wait_ready,
    wait_until,
};

/// The ID the server issued for each stored file, by the file's bytes.
fn issued_by_bytes(world: &World) -> HashMap<String, String> {
    world
        .server
        .ledger()
        .into_iter()
        .map(|entry| (entry.sha256, entry.id))
        .collect()
}

fn envelope(files: &[(&str, &str)]) -> String {
    let parts: Vec<String> = files
        .iter()
        .map(|(id, name)| format!(r#"{{"id":"{id}","name":"{name}"}}"#))
        .collect();
    format!(r#"{{"tempFiles":[{}]}}"#, parts.join(","))
}

#[test]
fn a_group_and_the_whole_list_are_copied_as_the_temp_files_envelope() {
    let world = World::with_good_key();
    let a = world.file("a.txt", b"alpha");
    let b = world.file("b.txt", b"beta");
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    drop_paths(&mut harness, &[a, b]);
    wait_for(&mut harness, "Copy the ID of a.txt");
    wait_for(&mut harness, "Copy the ID of b.txt");
    let issued = issued_by_bytes(&world);
    let id_a = &issued[&support::sha256_hex(b"alpha")];
    let id_b = &issued[&support::sha256_hex(b"beta")];
    let expected = envelope(&[(id_a, "a.txt"), (id_b, "b.txt")]);

    let group = click_and_read_clipboard(&mut harness, "Copy tempFiles JSON of 2 files dropped")
        .expect("the group was copied");
    assert_eq!(group, expected);
    let all = click_and_read_clipboard(&mut harness, "Copy as tempFiles JSON")
        .expect("the list was copied");
    assert_eq!(all, expected);
    let ids = click_and_read_clipboard(&mut harness, "Copy all IDs").expect("IDs copied");
    assert_eq!(ids, format!("{id_a}\n{id_b}"));
}

/// With a filter, the line beside it says how many of how many are shown, the copy
/// buttons copy only those, and no button changes its place or width on the way.
#[test]
fn with_a_filter_the_buttons_copy_what_is_shown_and_stay_put() {
    let world = World::with_good_key();
    let files = [
        world.file("invoice-1.pdf", b"first invoice"),
        world.file("invoice-2.pdf", b"second invoice"),
        world.file("receipt.pdf", b"a receipt"),
    ];
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    drop_paths(&mut harness, &files);
    wait_for(&mut harness, "Copy the ID of receipt.pdf");
    wait_for(&mut harness, "Copy the ID of invoice-2.pdf");
    wait_for_text(&mut harness, "3 files");
    let ids_before = harness.get_by_label("Copy all IDs").rect();
    let json_before = harness.get_by_label("Copy as tempFiles JSON").rect();

    harness.get_by_label("Filter").focus();
    harness.get_by_label("Filter").type_text("INVOICE");
    wait_for_text(&mut harness, "2 of 3 shown");
    wait_until(&mut harness, "the receipt to be filtered out", |h| {
        h.query_by_label("Copy the ID of receipt.pdf").is_none()
    });
    assert_eq!(harness.get_by_label("Copy shown IDs").rect(), ids_before);
    assert_eq!(
        harness.get_by_label("Copy shown as tempFiles JSON").rect(),
        json_before
    );

    let issued = issued_by_bytes(&world);
    let id_1 = &issued[&support::sha256_hex(b"first invoice")];
    let id_2 = &issued[&support::sha256_hex(b"second invoice")];
    let json = click_and_read_clipboard(&mut harness, "Copy shown as tempFiles JSON")
        .expect("the shown files were copied");
    assert_eq!(
        json,
        envelope(&[(id_1, "invoice-1.pdf"), (id_2, "invoice-2.pdf")])
    );
    let ids = click_and_read_clipboard(&mut harness, "Copy shown IDs").expect("IDs copied");
    assert_eq!(ids, format!("{id_1}\n{id_2}"));
    // A toast says so; the button keeps its label and place.
    wait_for(&mut harness, "Copied to the clipboard");
    assert_eq!(harness.get_by_label("Copy shown IDs").rect(), ids_before);
    let group = click_and_read_clipboard(&mut harness, "Copy tempFiles JSON of 3 files dropped")
        .expect("the group was copied");
    assert_eq!(group, json, "the group copies its shown files");
}

/// Three `page1.pdf` from different folders: the execute call would see one name three
/// times, so the window asks before copying them as tempFiles text.
#[test]
fn a_group_whose_files_share_a_name_asks_before_it_is_copied() {
    let world = World::with_good_key();
    let scans = world.dir.path().join("Scans");
    for (folder, bytes) in [
        ("a", &b"page one"[..]),
        ("b", b"page two"),
        ("c", b"page 3"),
    ] {
        let path = scans.join(folder).join("page1.pdf");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        std::fs::write(path, bytes).expect("file");
    }
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    drop_paths(&mut harness, &[scans]);
    for folder in ["a", "b", "c"] {
        wait_for(
            &mut harness,
            &format!("Copy the ID of Scans/{folder}/page1.pdf"),
        );
    }

    let copied = click_and_read_clipboard(&mut harness, "Copy tempFiles JSON of Scans folder");
    assert_eq!(
        copied, None,
        "nothing is copied before the operator answers"
    );
    wait_for_text(
        &mut harness,
        r#"Of the 3 files to copy, 3 are named "page1.pdf""#,
    );
    // "Don't copy": the question goes, nothing was copied.
    assert_eq!(click_and_read_clipboard(&mut harness, "Don't copy"), None);
    wait_until(&mut harness, "the question to close", |h| {
        h.query_by_label("Copy anyway").is_none()
    });

    click_and_read_clipboard(&mut harness, "Copy tempFiles JSON of Scans folder");
    let json = click_and_read_clipboard(&mut harness, "Copy anyway").expect("copied anyway");
    let issued = issued_by_bytes(&world);
    let ids: Vec<&str> = [&b"page one"[..], b"page two", b"page 3"]
        .iter()
        .map(|bytes| issued[&support::sha256_hex(bytes)].as_str())
        .collect();
    assert_eq!(
        json,
        envelope(&[
            (ids[0], "page1.pdf"),
            (ids[1], "page1.pdf"),
            (ids[2], "page1.pdf")
        ])
    );
}

/// The window's "Copy as tempFiles JSON" and `asteroid-stager history --json` give the
/// same text for the same files (the command's stdout ends with a line break).
#[cfg(unix)]
#[test]
fn the_window_copies_what_history_json_prints() {
    let world = World::with_good_key();
    let files = [
        world.file("quote \"1\".txt", b"one"),
        world.file("請求書 2026年11月.pdf", b"two"),
        world.file("back\\slash.txt", b"three"),
    ];
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    drop_paths(&mut harness, &files);
    wait_for(&mut harness, "Copy the ID of back\\slash.txt");
    wait_for(&mut harness, "Copy the ID of quote \"1\".txt");
    wait_for(&mut harness, "Copy the ID of 請求書 2026年11月.pdf");
    let history = world.dir.path().join("app/data/history.sqlite3");
    wait_until(
        &mut harness,
        "the history on disk to hold the three",
        |_| {
            HistoryStore::open(&history)
                .0
                .entries()
                .is_ok_and(|entries| entries.len() == 3)
        },
    );
    let copied = click_and_read_clipboard(&mut harness, "Copy as tempFiles JSON")
        .expect("the list was copied");

    let out = run_history_json(&world, &world.dir.path().join("app/data"));
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(stdout, format!("{copied}\n"));
    assert_eq!(world.server.ledger().len(), 3);
}

/// `asteroid-stager history --json` over the window's data folder (the platform's folder
/// under `XDG_DATA_HOME` is linked to it), for the test server and organization.
#[cfg(unix)]
fn run_history_json(world: &World, data_dir: &Path) -> std::process::Output {
    let home = world.dir.path().join("home");
    let xdg_data = home.join("data");
    std::fs::create_dir_all(&xdg_data).expect("data home");
    std::os::unix::fs::symlink(data_dir, xdg_data.join("asteroid-stager")).expect("link");
    std::process::Command::new(env!("CARGO_BIN_EXE_asteroid-stager"))
        .args(["history", "--json"])
        .env("HOME", &home)
        .env("XDG_DATA_HOME", &xdg_data)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_RUNTIME_DIR", home.join("runtime"))
        .env("DBUS_SESSION_BUS_ADDRESS", support::NO_DBUS)
        .env("ASTEROID_BASE_URL", &world.server.base_url)
        .env("ASTEROID_ORG_ID", ORG_ID)
        .env_remove("ASTEROID_API_KEY")
        .env_remove("RUST_LOG")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the binary runs")
}
