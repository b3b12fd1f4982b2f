//! The window from the keyboard and for screen readers (issue 18): the key field takes the
//! keyboard on first run so Ctrl+V pastes the key; Escape closes the quit question and a
//! confirmation, and clears the filter, which also has a ✕; the window has a name a screen
//! reader can read.

use crate::window_support;

use std::time::Duration;

use egui_kittest::kittest::{NodeT, Queryable};

use asteroid_stager::key_store::{ApiKeyStore, MemoryKeyStore};
use window_support::{
    Fault, GOOD_KEY, World, drop_paths, root_viewport, wait_for, wait_for_text, wait_ready,
    wait_until,
};

#[test]
fn on_first_run_the_key_field_has_the_focus_and_ctrl_v_pastes_the_key_into_it() {
    let world = World::new(MemoryKeyStore::default());
    let mut harness = world.harness(vec![]);
    wait_for(&mut harness, "Check and save key");
    harness.step();
    assert!(
        harness.get_by_label("API key").is_focused(),
        "the key field has the keyboard"
    );
    // What Ctrl+V becomes in the window: the clipboard's text, to the focused widget.
    harness.event(egui::Event::Paste(GOOD_KEY.to_owned()));
    harness.step();
    harness.get_by_label("Check and save key").click();
    wait_ready(&mut harness);
    assert_eq!(
        world
            .store
            .load()
            .expect("store")
            .map(|k| k.expose().to_owned()),
        Some(GOOD_KEY.to_owned())
    );
}

/// A window with two staged files in its list.
fn with_two_staged(
    world: &World,
) -> egui_kittest::Harness<'static, asteroid_stager::ui::StagerApp> {
    let files = [
        world.file("invoice.pdf", b"an invoice"),
        world.file("receipt.pdf", b"a receipt"),
    ];
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    drop_paths(&mut harness, &files);
    wait_for(&mut harness, "Copy the ID of invoice.pdf");
    wait_for(&mut harness, "Copy the ID of receipt.pdf");
    harness
}

fn filter_for_invoices(
    harness: &mut egui_kittest::Harness<'static, asteroid_stager::ui::StagerApp>,
) {
    harness.get_by_label("Filter").focus();
    harness.get_by_label("Filter").type_text("invoice");
    wait_for_text(harness, "1 of 2 shown");
    wait_until(harness, "the receipt to be filtered out", |h| {
        h.query_by_label("Copy the ID of receipt.pdf").is_none()
    });
}

#[test]
fn escape_clears_the_filter() {
    let world = World::with_good_key();
    let mut harness = with_two_staged(&world);
    filter_for_invoices(&mut harness);
    harness.key_press(egui::Key::Escape);
    wait_for(&mut harness, "Copy the ID of receipt.pdf");
    assert!(
        harness
            .query_all_by_label_contains("shown")
            .next()
            .is_none()
    );
    assert_eq!(harness.state().state().staged.filter, "");
}

#[test]
fn the_clear_button_beside_the_filter_clears_it() {
    let world = World::with_good_key();
    let mut harness = with_two_staged(&world);
    filter_for_invoices(&mut harness);
    harness.get_by_label("Clear the filter").click();
    wait_for(&mut harness, "Copy the ID of receipt.pdf");
    assert_eq!(harness.state().state().staged.filter, "");
}

#[test]
fn escape_closes_the_clear_all_confirmation_and_keeps_the_list() {
    let world = World::with_good_key();
    let mut harness = with_two_staged(&world);
    // Clear all is a rarer action, in the list's ⋯ menu.
    harness.get_by_label("More list actions").click();
    wait_for(&mut harness, "Clear all…");
    harness.get_by_label("Clear all…").click();
    wait_for(&mut harness, "Yes, clear the list");
    harness.key_press(egui::Key::Escape);
    wait_until(&mut harness, "the confirmation to close", |h| {
        h.query_by_label("Yes, clear the list").is_none()
    });
    assert!(
        harness
            .query_by_label("Copy the ID of invoice.pdf")
            .is_some()
    );
    assert_eq!(harness.state().staged_entries().len(), 2);
}

#[test]
fn the_window_has_a_name_a_screen_reader_reads() {
    let world = World::with_good_key();
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    assert_eq!(
        harness.root().accesskit_node().label().as_deref(),
        Some("Asteroid Stager")
    );
}

#[test]
fn escape_closes_the_quit_question_and_the_upload_goes_on() {
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
    wait_for_text(&mut harness, "still running");
    harness.key_press(egui::Key::Escape);
    wait_until(&mut harness, "the question to go", |h| {
        h.query_all_by_label_contains("still running")
            .next()
            .is_none()
    });
    assert!(
        harness.query_by_label("Cancel slow.bin").is_some(),
        "still uploading"
    );
    assert!(!harness.state().state().view.quitting);
}

/// Tab goes left to right: from the first widget that takes the keyboard, the top bar's
/// buttons come in the order they stand in, leftmost first (they ran right to left).
#[test]
fn tab_goes_through_the_top_bar_from_left_to_right() {
    let world = World::with_good_key();
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    let buttons = ["Add files…", "Add folder…", "About", "Settings"];
    // The top bar's: the empty window's drop zone has an "Add files…" of its own, lower down.
    let settings = harness.get_by_label("Settings").rect();
    let top_bar_bottom = settings.max.y;
    // Still at the right-hand edge, where they were.
    assert!(
        settings.max.x > 1000.0 - 24.0,
        "Settings is at {settings:?}"
    );
    let mut visited: Vec<(String, f32)> = Vec::new();
    for _ in 0..buttons.len() {
        harness.key_press(egui::Key::Tab);
        harness.step();
        harness.step();
        let focused = harness
            .query_by(|node| node.is_focused())
            .expect("Tab gives a widget the keyboard");
        let rect = focused.rect();
        assert!(
            rect.max.y <= top_bar_bottom + 1.0,
            "Tab left the top bar after {visited:?} for {rect:?}"
        );
        let label = focused.accesskit_node().label().unwrap_or_default();
        visited.push((label, rect.left()));
    }
    let labels: Vec<&str> = visited.iter().map(|(label, _)| label.as_str()).collect();
    assert!(
        visited.windows(2).all(|pair| pair[0].1 < pair[1].1),
        "Tab visits the top bar's buttons right to left: {visited:?}"
    );
    assert_eq!(labels, buttons, "every top bar button, in order");
}
