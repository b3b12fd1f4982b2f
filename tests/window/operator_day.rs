//! The operator's day in the window, driven headlessly (egui_kittest) against a real
//! staging server on 127.0.0.1: groups and selections, staging again after expiry (a test
//! clock), pasting a screenshot, a large folder, quitting while uploads run, and being told
//! when a group is staged in the background.

use crate::support;
use crate::window_support;

use std::sync::Arc;
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use asteroid_stager::clipboard::ClipboardContent;
use asteroid_stager::ui::StagerApp;
use window_support::{
    Fault, World, copied_texts, drop_paths, root_viewport, viewport_commands, wait_for,
    wait_for_text, wait_ready, wait_until,
};

/// Clicks and returns what the click put on the clipboard.
fn click_and_copy(harness: &mut Harness<'_, StagerApp>, label: &str) -> String {
    harness.get_by_label(label).click();
    for _ in 0..5 {
        harness.step();
        if let Some(text) = copied_texts(harness).pop() {
            return text;
        }
    }
    panic!("{label} copied nothing");
}

fn id(n: u64) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

#[test]
fn two_rows_selected_in_different_groups_are_copied_together() {
    let world = World::with_good_key();
    let a = world.file("a.txt", b"alpha");
    let b = world.file("b.txt", b"beta");
    let c = world.file("c.txt", b"gamma");
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    drop_paths(&mut harness, &[a, b]);
    wait_for(&mut harness, "Copy the ID of b.txt");
    drop_paths(&mut harness, &[c]);
    wait_for(&mut harness, "Copy the ID of c.txt");
    // Two groups, the newest first, each with its own tempFiles JSON.
    // Each named by what was dropped.
    wait_for_text(&mut harness, "2 files dropped at");
    wait_for_text(&mut harness, "Dropped: c.txt at");
    let group_json = harness
        .query_all_by_label_contains("Copy tempFiles JSON of ")
        .count();
    assert_eq!(group_json, 2);

    harness.get_by_label("Select a.txt").click();
    // The selection bar appears above the list: wait for it before the next click.
    wait_for_text(&mut harness, "1 file selected");
    harness.get_by_label("Select c.txt").click();
    wait_for_text(&mut harness, "2 files selected");
    let json = click_and_copy(&mut harness, "Copy selected as tempFiles JSON");
    assert_eq!(
        json,
        format!(
            r#"{{"tempFiles":[{{"id":"{}","name":"a.txt"}},{{"id":"{}","name":"c.txt"}}]}}"#,
            id(1),
            id(3)
        )
    );
    let ids = click_and_copy(&mut harness, "Copy selected IDs");
    assert_eq!(ids, format!("{}\n{}", id(1), id(3)));
    // What was copied is what the server issued for those files.
    assert_eq!(world.server.staged_names(), ["a.txt", "b.txt", "c.txt"]);
}

/// Files of one drop finish in any order (here the first fails once and goes again after
/// the second); the group lists and copies them in the order they were dropped.
#[test]
fn a_group_lists_and_copies_its_files_in_the_order_they_were_dropped() {
    let world = World::with_good_key();
    // Each file alone, one request at a time, so the retry of a.txt comes after b.txt.
    let mut env = world.environment(vec![]);
    env.queue_options.concurrency = 1;
    env.queue_options.small_file_limit = 0;
    world
        .server
        .push_faults([Fault::Status(500, "Internal server error.")]);
    let a = world.file("a.txt", b"alpha");
    let b = world.file("b.txt", b"beta");
    let mut harness = Harness::builder()
        .with_size([1000.0, 760.0])
        .build_eframe(move |cc| StagerApp::new(&cc.egui_ctx, env));
    wait_ready(&mut harness);
    drop_paths(&mut harness, &[a, b]);
    wait_for(&mut harness, "Copy the ID of a.txt");
    wait_for(&mut harness, "Copy the ID of b.txt");
    // The server stored b.txt first.
    assert_eq!(world.server.staged_names(), ["b.txt", "a.txt"]);
    harness
        .query_all_by_label_contains("Copy tempFiles JSON of 2 files dropped")
        .next()
        .expect("the group's copy button")
        .click();
    let mut json = None;
    for _ in 0..5 {
        harness.step();
        json = copied_texts(&harness).pop();
        if json.is_some() {
            break;
        }
    }
    let json = json.expect("the group's JSON was copied");
    assert_eq!(
        json,
        format!(
            r#"{{"tempFiles":[{{"id":"{}","name":"a.txt"}},{{"id":"{}","name":"b.txt"}}]}}"#,
            id(2),
            id(1)
        )
    );
}

#[test]
fn an_expired_file_is_staged_again_and_its_new_id_takes_the_old_place() {
    let world = World::with_good_key();
    let kept = world.file("kept.txt", b"same bytes");
    let changed = world.file("changed.txt", b"first version");
    let gone = world.file("gone.txt", b"soon deleted");
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    drop_paths(&mut harness, &[kept, changed.clone(), gone.clone()]);
    wait_for(&mut harness, "Copy the ID of gone.txt");
    // An hour later: all three expired.
    world.advance_clock(Duration::from_secs(61 * 60));
    wait_for(&mut harness, "Stage kept.txt again");
    std::fs::write(&changed, b"second, longer version").expect("rewrite");
    std::fs::remove_file(&gone).expect("delete");
    harness
        .get_by_label_contains("Stage expired again in 3 files dropped")
        .click();
    wait_for(&mut harness, "Copy the ID of kept.txt");
    wait_for(&mut harness, "Copy the ID of changed.txt");
    // New IDs, in the old places; the old ones are gone from the list.
    assert!(harness.query_all_by_label(&id(4)).next().is_some());
    assert!(harness.query_all_by_label(&id(1)).next().is_none());
    wait_for_text(&mut harness, "changed since it was first staged");
    // Said as a file that went away, not as a mistyped name.
    wait_for_text(&mut harness, "The original file is no longer at ");
    wait_for_text(&mut harness, "gone.txt: it was moved, renamed or deleted");
    assert_eq!(
        world.server.staged_names(),
        [
            "kept.txt",
            "changed.txt",
            "gone.txt",
            "kept.txt",
            "changed.txt"
        ]
    );
    let json = click_and_copy(&mut harness, "Copy as tempFiles JSON");
    assert!(json.contains(&id(4)) && json.contains(&id(5)), "{json}");
    assert!(!json.contains(&id(1)), "{json}");
}

#[test]
fn a_pasted_screenshot_is_staged_as_a_png() {
    let world = World::with_good_key();
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    let image = egui::ColorImage::new([3, 2], vec![egui::Color32::from_rgb(10, 200, 30); 6]);
    harness
        .input_mut()
        .events
        .push(egui::Event::PasteImage(Arc::new(image)));
    wait_for_text(&mut harness, "Copy the ID of Pasted image ");
    wait_for_text(&mut harness, "Pasted: Pasted image ");
    let parts = world.server.received_parts();
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].content_type.as_deref(), Some("image/png"));
    let name = parts[0].file_name.clone().unwrap_or_default();
    assert!(
        name.starts_with("Pasted image ") && name.ends_with(".png"),
        "{name}"
    );
    // The bytes that arrived are the PNG kept beside the history, and it is the picture.
    let kept = world.dir.path().join("app/data/pasted").join(&name);
    let png = std::fs::read(&kept).expect("the pasted image is kept");
    assert_eq!(parts[0].sha256, support::sha256_hex(&png));
    let decoded = image::load_from_memory(&png).expect("a PNG").to_rgba8();
    assert_eq!(decoded.dimensions(), (3, 2));
    assert_eq!(decoded.get_pixel(2, 1).0, [10, 200, 30, 255]);
}

#[test]
fn the_empty_window_is_a_drop_zone_whose_paste_button_stages_copied_files() {
    let world = World::with_good_key();
    let copied = world.file("from the file manager.pdf", b"%PDF copied");
    *world.clipboard.lock().expect("clipboard") = ClipboardContent::Files(vec![copied]);
    let mut harness = world.harness(vec![]);
    wait_for(&mut harness, "Drop files or folders here");
    wait_for(&mut harness, "Add folder…");
    harness.get_by_label("Paste").click();
    wait_for(&mut harness, "Copy the ID of from the file manager.pdf");
    assert_eq!(world.server.staged_names(), ["from the file manager.pdf"]);
    // With nothing usable on the clipboard, it says what to do.
    *world.clipboard.lock().expect("clipboard") = ClipboardContent::Text;
    harness
        .input_mut()
        .events
        .push(egui::Event::Paste("just some words".into()));
    wait_for_text(&mut harness, "The clipboard holds no image and no files");
}

#[test]
fn a_large_folder_asks_first_and_a_no_sends_nothing() {
    let world = World::with_good_key();
    let big = world.dir.path().join("Big");
    std::fs::create_dir_all(&big).expect("folder");
    for i in 0..101 {
        std::fs::write(big.join(format!("{i:03}.txt")), format!("file {i}")).expect("file");
    }
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    drop_paths(&mut harness, std::slice::from_ref(&big));
    wait_for_text(&mut harness, "Big holds 101 files");
    harness.get_by_label("Don't stage them").click();
    wait_until(&mut harness, "the question to go", |h| {
        h.query_all_by_label_contains("Big holds").next().is_none()
    });
    assert!(world.server.requests().is_empty());
    drop_paths(&mut harness, &[big]);
    wait_for_text(&mut harness, "Big holds 101 files");
    harness.get_by_label("Stage them all").click();
    wait_until(&mut harness, "the 101 files to be staged", |h| {
        h.state().staged_entries().len() == 101
    });
    assert_eq!(world.server.staged_names().len(), 101);
}

#[test]
fn closing_while_uploads_run_asks_first() {
    let world = World::with_good_key();
    world
        .server
        .push_faults([Fault::SlowAnswer(Duration::from_secs(30))]);
    let slow = world.file("slow.bin", b"slow data");
    let mut harness = world.harness(vec![slow]);
    wait_for(&mut harness, "Cancel slow.bin");
    root_viewport(&mut harness)
        .events
        .push(egui::ViewportEvent::Close);
    harness.step();
    assert!(
        viewport_commands(&harness).contains(&egui::ViewportCommand::CancelClose),
        "the close was held back"
    );
    wait_for_text(
        &mut harness,
        "1 upload is still running: quit and cancel it?",
    );
    harness.get_by_label("Keep uploading").click();
    wait_until(&mut harness, "the question to go", |h| {
        h.query_all_by_label_contains("still running")
            .next()
            .is_none()
    });
    root_viewport(&mut harness)
        .events
        .push(egui::ViewportEvent::Close);
    wait_for(&mut harness, "Quit and cancel them");
    harness.get_by_label("Quit and cancel them").click();
    let mut closed = false;
    for _ in 0..10 {
        harness.step();
        closed |= viewport_commands(&harness).contains(&egui::ViewportCommand::Close);
    }
    assert!(closed, "the window closes once the operator said so");
    assert!(world.server.staged_names().is_empty());
}

#[test]
fn a_group_staged_in_the_background_is_announced_once() {
    let world = World::with_good_key();
    let a = world.file("one.txt", b"1");
    let b = world.file("two.txt", b"2");
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    root_viewport(&mut harness).focused = Some(false);
    drop_paths(&mut harness, &[a, b]);
    let mut attention = false;
    wait_until(&mut harness, "a notification", |h| {
        attention |= viewport_commands(h)
            .iter()
            .any(|c| matches!(c, egui::ViewportCommand::RequestUserAttention(_)));
        !world
            .notifications
            .lock()
            .expect("notifications")
            .is_empty()
    });
    for _ in 0..5 {
        harness.step();
        attention |= viewport_commands(&harness)
            .iter()
            .any(|c| matches!(c, egui::ViewportCommand::RequestUserAttention(_)));
    }
    assert!(attention, "the taskbar asks for attention");
    let shown = world.notifications.lock().expect("notifications").clone();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].1, "2 files staged; the IDs are ready to copy.");
    // In the foreground, nobody is disturbed.
    root_viewport(&mut harness).focused = Some(true);
    let c = world.file("three.txt", b"3");
    drop_paths(&mut harness, &[c]);
    wait_for(&mut harness, "Copy the ID of three.txt");
    assert_eq!(world.notifications.lock().expect("notifications").len(), 1);
}
