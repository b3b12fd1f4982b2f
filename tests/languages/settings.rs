//! Settings → Language: the window is worded in the chosen language from the next frame,
//! the choice is kept in the Settings file, and "System" follows the system again.

use crate::window_support::{World, wait_for, wait_ready};

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;

use asteroid_stager::messages::{self, Language, text_in};
use asteroid_stager::paths::AppPaths;
use asteroid_stager::settings::Settings;

fn saved_language(world: &World) -> Option<String> {
    let paths = AppPaths::in_dir(world.dir.path().join("app"));
    Settings::load(&paths.settings_file()).0.language
}

#[test]
fn a_language_chosen_in_settings_rewords_the_window_at_once_and_is_kept() {
    let _one = crate::one_language_at_a_time();
    let world = World::with_good_key();
    // No choice yet: the system's language, English under the tests' locale.
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    harness.get_by_label("Settings").click();
    wait_for(&mut harness, "Close");
    harness
        .get_by_role_and_label(Role::ComboBox, "Language")
        .click();
    wait_for(&mut harness, "Deutsch");
    harness.get_by_label("Deutsch").click();

    // The open dialog and the top bar say it in German at once.
    let close = text_in(Language::German, "settings-close", &[]);
    wait_for(&mut harness, &close);
    wait_for(
        &mut harness,
        &text_in(Language::German, "top-bar-close-settings", &[]),
    );
    assert_eq!(messages::language(), Language::German);
    assert!(harness.query_by_label("Close").is_none(), "no English left");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while saved_language(&world).as_deref() != Some("de") {
        assert!(
            std::time::Instant::now() < deadline,
            "the choice is kept in the Settings file"
        );
        harness.step();
    }

    // "System" again: English (the tests' locale), and no choice kept.
    harness
        .get_by_role_and_label(
            Role::ComboBox,
            &text_in(Language::German, "settings-language", &[]),
        )
        .click();
    let system = messages::text_with(
        "language-system",
        &[("language", Language::English.native_name().into())],
    );
    wait_for(&mut harness, &system);
    harness.get_by_label(&system).click();
    wait_for(&mut harness, "Close");
    while saved_language(&world).is_some() {
        assert!(
            std::time::Instant::now() < deadline,
            "System leaves no choice in the Settings file"
        );
        harness.step();
    }
    messages::set_language(Language::English);
}
