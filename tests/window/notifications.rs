//! The "files staged" notification (and the taskbar's request for attention) when a group
//! finishes while the window is in the background, and its off switch in Settings.

use crate::window_support;

use std::sync::Arc;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use asteroid_stager::ui::StagerApp;
use window_support::{
    Dropped, World, root_viewport, viewport_commands, wait_for, wait_ready, wait_until,
};

const SWITCH: &str = "Tell me when files are staged while this window is in the background";

fn drop_file(harness: &mut Harness<'_, StagerApp>, path: std::path::PathBuf) {
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(path)));
}

fn asks_for_attention(harness: &Harness<'_, StagerApp>) -> bool {
    viewport_commands(harness)
        .iter()
        .any(|c| matches!(c, egui::ViewportCommand::RequestUserAttention(_)))
}

/// The switch read back from the settings file the window wrote.
fn saved_switch(world: &World) -> Option<bool> {
    let bytes = std::fs::read(world.dir.path().join("app/config/settings.json")).ok()?;
    let settings: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    settings["notifyWhenStaged"].as_bool()
}

/// Switched off, a group staged in the background neither notifies nor asks for
/// attention, and the choice is saved; switched on again, the next group does (and only
/// that one: the first never shows up late).
#[test]
fn the_notification_can_be_switched_off() {
    let world = World::with_good_key();
    let first = [world.file("one.txt", b"1"), world.file("two.txt", b"2")];
    let later = world.file("three.txt", b"3");
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    harness.get_by_label("Settings").click();
    wait_for(&mut harness, SWITCH);
    harness.get_by_label(SWITCH).click();
    wait_until(&mut harness, "the switch to be saved off", |_| {
        saved_switch(&world) == Some(false)
    });

    root_viewport(&mut harness).focused = Some(false);
    for path in first {
        drop_file(&mut harness, path);
    }
    let mut attention = false;
    wait_until(&mut harness, "both files staged", |h| {
        attention |= asks_for_attention(h);
        world.server.ledger().len() == 2
    });
    wait_for(&mut harness, "Copy the ID of two.txt");
    for _ in 0..10 {
        harness.step();
        attention |= asks_for_attention(&harness);
    }
    assert!(!attention, "the taskbar was asked for attention");

    harness.get_by_label(SWITCH).click();
    wait_until(&mut harness, "the switch to be saved on", |_| {
        saved_switch(&world) == Some(true)
    });
    drop_file(&mut harness, later);
    wait_until(&mut harness, "a notification", |h| {
        attention |= asks_for_attention(h);
        !world
            .notifications
            .lock()
            .expect("notifications")
            .is_empty()
    });
    assert!(attention, "switched on, the taskbar asks for attention");
    let shown = world.notifications.lock().expect("notifications").clone();
    assert_eq!(
        shown,
        [(
            "Asteroid Stager".to_owned(),
            "1 file staged; the IDs are ready to copy.".to_owned()
        )]
    );
}
