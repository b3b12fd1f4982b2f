//! Settings say what the top bar and the key steps say about the key (issue 18): where the
//! key in use is kept, that it comes from the environment, or that it is being checked;
//! "No key yet." only when there is none, never while a key is checked or another
//! organization is being chosen.

use crate::window_support;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use asteroid_stager::key_store::MemoryKeyStore;
use asteroid_stager::ui::StagerApp;
use window_support::{GOOD_KEY, World, wait_for, wait_for_text, wait_ready};

fn open_settings(harness: &mut Harness<'static, StagerApp>) {
    harness.get_by_label("Settings").click();
    wait_for(harness, "Server address (advanced)");
}

#[track_caller]
fn assert_no_missing_key(harness: &Harness<'static, StagerApp>) {
    assert!(
        harness.query_by_label("No key yet.").is_none(),
        "Settings say there is no key although one is in use"
    );
}

/// Two organizations: the window stops at the choice until one is picked.
fn two_organizations(world: &World) {
    world.server.set_organizations(&[
        (window_support::ORG_ID, "Accounting"),
        ("99999999-2222-3333-4444-555555555555", "Sales"),
    ]);
}

#[test]
fn while_the_saved_key_is_checked_settings_say_so() {
    let world = World::with_good_key();
    // The server takes the question about the key and never finishes answering.
    world.server.stall_context(true);
    let mut harness = world.harness(vec![]);
    wait_for_text(&mut harness, "Checking the API key with");
    open_settings(&mut harness);
    wait_for_text(&mut harness, "Checking the key with");
    assert_no_missing_key(&harness);
}

#[test]
fn after_choose_another_organization_settings_still_show_the_saved_key() {
    let world = World::with_good_key();
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    open_settings(&mut harness);
    wait_for_text(&mut harness, "The key in use is kept in:");
    two_organizations(&world);
    harness.get_by_label("Choose another organization").click();
    wait_for(&mut harness, "Choose the organization");
    wait_for_text(&mut harness, "The key in use is kept in:");
    assert_no_missing_key(&harness);
    // The saved key can still be signed out of, as the top bar's state allows.
    assert!(harness.query_by_label("Sign out…").is_some());
}

#[test]
fn a_key_from_the_environment_is_named_at_every_step() {
    let world = World::new(MemoryKeyStore::default());
    two_organizations(&world);
    let mut env = world.environment(vec![]);
    env.overrides.api_key = Some(GOOD_KEY.to_owned());
    let mut harness = Harness::builder()
        .with_size([1000.0, 760.0])
        .build_eframe(move |cc| StagerApp::new(&cc.egui_ctx, env));
    let choice = format!("Accounting ({})", window_support::ORG_ID);
    wait_for(&mut harness, &choice);
    open_settings(&mut harness);
    let from_environment = "Using the key from the ASTEROID_API_KEY environment variable";
    wait_for_text(&mut harness, from_environment);
    assert_no_missing_key(&harness);

    harness.get_by_label("Close").click();
    wait_for(&mut harness, &choice);
    harness.get_by_label(&choice).click();
    wait_ready(&mut harness);
    open_settings(&mut harness);
    wait_for_text(&mut harness, from_environment);
    assert_no_missing_key(&harness);
}

#[test]
fn without_a_key_settings_say_there_is_none() {
    let world = World::new(MemoryKeyStore::default());
    let mut harness = world.harness(vec![]);
    wait_for(&mut harness, "Check and save key");
    open_settings(&mut harness);
    wait_for(&mut harness, "No key yet.");
    assert!(harness.query_by_label("Sign out…").is_none());
}
