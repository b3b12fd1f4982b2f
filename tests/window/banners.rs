//! Banners clear themselves once what they report is resolved: "Signed out…" goes away
//! when a new key is accepted.

use crate::window_support;

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use asteroid_stager::key_store::ApiKeyStore;
use asteroid_stager::ui::StagerApp;
use asteroid_stager::ui::state::Phase;
use window_support::{GOOD_KEY, World, wait_ready};

/// Steps until `done`, without the accessibility check of `wait_until`: Settings stays open
/// here, and what it draws is checked by its own tests.
#[track_caller]
fn step_until(
    harness: &mut Harness<'_, StagerApp>,
    what: &str,
    done: impl Fn(&Harness<'_, StagerApp>) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !done(harness) {
        if Instant::now() >= deadline {
            let state = harness.state().state();
            panic!(
                "timed out waiting for {what}: {:?}, key form says {:?}, notices {:?}",
                state.connection.phase,
                state.connection.key_form.error,
                state.notices.list()
            );
        }
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn the_signed_out_banner_goes_once_a_new_key_is_accepted() {
    let world = World::with_good_key();
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    harness.get_by_label("Settings").click();
    step_until(&mut harness, "Sign out…", |h| {
        h.query_by_label("Sign out…").is_some()
    });
    harness.get_by_label("Sign out…").click();
    step_until(&mut harness, "the question", |h| {
        h.query_by_label("Sign out and remove the key").is_some()
    });
    harness.get_by_label("Sign out and remove the key").click();
    step_until(&mut harness, "the Signed out banner", |h| {
        h.query_all_by_label_contains("Signed out").next().is_some()
    });
    // Settings closed (Escape closes a dialog): the key form is what is left.
    harness.key_press(egui::Key::Escape);
    step_until(&mut harness, "the key form", |h| {
        !h.state().state().view.settings_open && h.query_by_label("Check and save key").is_some()
    });

    for _ in 0..3 {
        harness.step();
    }
    harness.get_by_label("API key").focus();
    harness.step();
    harness.get_by_label("API key").type_text(GOOD_KEY);
    harness.step();
    harness.get_by_label("Check and save key").click();
    step_until(&mut harness, "the key to be accepted", |h| {
        h.state().state().connection.phase == Phase::Ready
    });
    step_until(&mut harness, "the Signed out banner to go", |h| {
        h.query_all_by_label_contains("Signed out").next().is_none()
    });
    assert!(world.store.load().expect("store").is_some());
    for _ in 0..5 {
        harness.step();
    }
    assert!(
        harness
            .query_all_by_label_contains("Signed out")
            .next()
            .is_none(),
        "the banner stays gone"
    );
}
