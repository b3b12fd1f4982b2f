//! The window's layout holds still and tells the truth (egui_kittest, a real staging
//! server on 127.0.0.1): ticking a box moves no row, Sign out asks first, Uploads lists only
//! what is not yet staged, a failed file has no progress bar, and at 640×480 a row's Copy
//! button is inside the window even with Settings open.

use crate::window_support;

use std::time::Duration;

use egui_kittest::kittest::{NodeT, Queryable};

use asteroid_stager::key_store::ApiKeyStore;
use window_support::{Fault, World, drop_paths, wait_for, wait_for_text, wait_ready, wait_until};

#[test]
fn ticking_a_checkbox_does_not_move_the_next_row() {
    let world = World::with_good_key();
    let files = [
        world.file("a.txt", b"first"),
        world.file("b.txt", b"second"),
        world.file("c.txt", b"third"),
    ];
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    drop_paths(&mut harness, &files);
    for name in ["a.txt", "b.txt", "c.txt"] {
        wait_for(&mut harness, &format!("Copy the ID of {name}"));
    }
    for _ in 0..3 {
        harness.step();
    }
    let before = harness.get_by_label("Select b.txt").rect();
    harness.get_by_label("Select a.txt").click();
    wait_for_text(&mut harness, "1 file selected");
    harness.step();
    assert_eq!(harness.get_by_label("Select b.txt").rect(), before);
}

#[test]
fn sign_out_asks_first_and_cancel_keeps_the_key() {
    let world = World::with_good_key();
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    harness.get_by_label("Settings").click();
    wait_for(&mut harness, "Sign out…");
    harness.get_by_label("Sign out…").click();
    wait_for(&mut harness, "Sign out?");
    assert!(
        world.store.load().expect("store").is_some(),
        "the key is still there while the question is asked"
    );
    harness.get_by_label("Cancel").click();
    wait_until(&mut harness, "the question to close", |h| {
        h.query_by_label("Sign out?").is_none()
    });
    assert!(world.store.load().expect("store").is_some());
    assert!(
        harness
            .query_all_by_label_contains("Signed out")
            .next()
            .is_none()
    );

    harness.get_by_label("Sign out…").click();
    wait_for(&mut harness, "Sign out and remove the key");
    harness.get_by_label("Sign out and remove the key").click();
    wait_for_text(&mut harness, "Signed out");
    assert_eq!(world.store.load(), Ok(None));
}

#[test]
fn uploads_lists_no_staged_file_and_no_empty_count_after_cancel_all() {
    let world = World::with_good_key();
    let first = world.file("done.txt", b"already staged");
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    drop_paths(&mut harness, &[first]);
    wait_for(&mut harness, "Copy the ID of done.txt");

    world
        .server
        .push_faults([Fault::StallReading(Duration::from_secs(30))]);
    let second = world.file("stuck.bin", &[7u8; 4096]);
    drop_paths(&mut harness, &[second]);
    wait_for(&mut harness, "Cancel stuck.bin");
    // The staged file is in the staged list only, not repeated in Uploads.
    assert!(
        harness
            .query_all_by_label_contains("Staged. ID")
            .next()
            .is_none(),
        "Uploads repeats a staged file"
    );
    assert!(harness.query_by_label("Progress of done.txt").is_none());

    harness.get_by_label("Cancel all").click();
    wait_for(&mut harness, "Retry stuck.bin");
    for _ in 0..3 {
        harness.step();
    }
    let shown: Vec<String> = harness
        .query_all_by_label_contains("0 of 0")
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    assert!(
        shown.is_empty(),
        "an empty count after Cancel all: {shown:?}"
    );
    assert!(
        harness
            .query_all_by_label_contains("Staged. ID")
            .next()
            .is_none()
    );
    wait_for_text(&mut harness, "1 cancelled");
}

#[test]
fn a_failed_file_has_no_progress_bar() {
    let world = World::with_good_key();
    world.server.push_faults([Fault::Status(
        403,
        "User is not a member of the organization.",
    )]);
    let file = world.file("refused.txt", b"the whole file was sent");
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    drop_paths(&mut harness, &[file]);
    wait_for_text(&mut harness, "not a member of this organization");
    wait_for(&mut harness, "Retry refused.txt");
    assert!(
        harness.query_by_label("Progress of refused.txt").is_none(),
        "a failed file still shows a progress bar"
    );
    // Nor an overall bar: the summary is a plain line.
    wait_for_text(&mut harness, "1 failed");
    let bars: Vec<String> = harness
        .root()
        .children_recursive()
        .filter(|n| n.accesskit_node().role() == egui::accesskit::Role::ProgressIndicator)
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    assert!(bars.is_empty(), "progress bars for a failed file: {bars:?}");
}

#[test]
fn at_640_by_480_a_rows_copy_button_is_inside_the_window_with_settings_open() {
    let world = World::with_good_key();
    let folder = world
        .dir
        .path()
        .join("Batch250-invoices-from-the-northern-region");
    std::fs::create_dir_all(folder.join("scans")).expect("folder");
    std::fs::write(
        folder
            .join("scans")
            .join("invoice-0923-for-the-northern-region.pdf"),
        b"invoice",
    )
    .expect("file");
    let env = world.environment(vec![]);
    let mut harness = egui_kittest::Harness::builder()
        .with_size([640.0, 480.0])
        .build_eframe(move |cc| asteroid_stager::ui::StagerApp::new(&cc.egui_ctx, env));
    wait_ready(&mut harness);
    drop_paths(&mut harness, &[folder]);
    let copy = "Copy the ID of Batch250-invoices-from-the-northern-region/scans/invoice-0923-for-the-northern-region.pdf";
    wait_for(&mut harness, copy);
    harness.get_by_label("Settings").click();
    for _ in 0..4 {
        harness.step();
    }
    let rect = harness.get_by_label(copy).rect();
    assert!(
        rect.min.x >= 0.0 && rect.max.x <= 640.0 && rect.max.y <= 480.0,
        "the Copy button is at {rect:?}, outside the 640×480 window"
    );
}

#[test]
fn choosing_another_organization_can_be_cancelled_back_to_the_list() {
    let world = World::with_good_key();
    world.server.set_organizations(&[
        (window_support::ORG_ID, "Accounting"),
        ("99999999-2222-3333-4444-555555555555", "Sales"),
    ]);
    let file = world.file("kept.txt", b"kept");
    let mut harness = world.harness(vec![]);
    let choice = format!("Accounting ({})", window_support::ORG_ID);
    wait_for(&mut harness, &choice);
    harness.get_by_label(&choice).click();
    wait_until(&mut harness, "the list", |h| {
        h.query_by_label("Drop files or folders here").is_some()
    });
    drop_paths(&mut harness, &[file]);
    wait_for(&mut harness, "Copy the ID of kept.txt");

    harness.get_by_label("Settings").click();
    wait_for(&mut harness, "Choose another organization");
    harness.get_by_label("Choose another organization").click();
    wait_for(&mut harness, "Choose the organization");
    harness.get_by_label("Close").click();
    wait_for(&mut harness, "Cancel");
    harness.get_by_label("Cancel").click();
    wait_for(&mut harness, "Copy the ID of kept.txt");
    wait_for_text(&mut harness, "Organization: Accounting");
}

/// A long organization name at 640 px is cut short before the buttons, never drawn under
/// them (an organization known only by its ID did run under "Add files…").
#[test]
fn a_long_organization_name_stops_before_the_top_bar_buttons() {
    let world = World::with_good_key();
    let long = "The Northern Region Accounts Payable and Receivables Department";
    world.server.set_context_body(Some(
        serde_json::json!({
            "userId": "u1",
            "email": "operator@example.com",
            "organizations": [{"id": window_support::ORG_ID, "name": long}],
        })
        .to_string(),
    ));
    let env = world.environment(vec![]);
    let mut harness = egui_kittest::Harness::builder()
        .with_size([640.0, 480.0])
        .build_eframe(move |cc| asteroid_stager::ui::StagerApp::new(&cc.egui_ctx, env));
    wait_ready(&mut harness);
    let organization = harness
        .get_by_label_contains("Organization: The Northern")
        .rect();
    // The top bar's (the empty window's drop zone has one too, lower down).
    let add_files = harness
        .query_all_by_label("Add files…")
        .map(|node| node.rect())
        .min_by(|a, b| a.min.y.total_cmp(&b.min.y))
        .expect("Add files… in the top bar");
    assert!(
        organization.max.x <= add_files.min.x,
        "the organization ({organization:?}) runs under Add files… ({add_files:?})"
    );
}
