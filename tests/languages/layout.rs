//! The window's layout holds in every language, German's long words included: at 800 px
//! no button wraps onto a second line and none reaches past the window's edge; at 640×480
//! every button is still inside the window.

use crate::window_support::{World, drop_paths};

use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use asteroid_stager::key_store::MemoryKeyStore;
use asteroid_stager::messages::{self, Language};
use asteroid_stager::paths::AppPaths;
use asteroid_stager::settings::Settings;
use asteroid_stager::ui::StagerApp;

/// Writes the Settings file of `world`'s app with `language` chosen, as the Language menu
/// does.
fn choose_in_settings(world: &World, language: Language) {
    let paths = AppPaths::in_dir(world.dir.path().join("app"));
    let settings = Settings {
        language: Some(language.code().to_string()),
        ..Settings::default()
    };
    std::fs::create_dir_all(paths.settings_file().parent().expect("a folder")).expect("folder");
    settings.save(&paths.settings_file()).expect("settings");
}

/// A window in `language` (chosen in Settings, as an operator would) with three staged
/// files, sized `size`.
fn window_with_staged_files(
    world: &World,
    language: Language,
    size: [f32; 2],
) -> Harness<'static, StagerApp> {
    choose_in_settings(world, language);
    let files = [
        world.file("Rechnung-2026-11-Nordregion.pdf", b"first"),
        world.file("Lieferschein.pdf", b"second"),
        world.file("Angebot.docx", b"third"),
    ];
    let env = world.environment(vec![]);
    let mut harness = Harness::builder()
        .with_size(size)
        .build_eframe(move |cc| StagerApp::new(&cc.egui_ctx, env));
    assert_eq!(
        messages::language(),
        language,
        "the Settings' language is used"
    );
    // Ready when a Settings button exists (the top bar is drawn).
    step_until(&mut harness, "the top bar", |h| {
        h.query_all_by_role(Role::Button).count() >= 3
    });
    drop_paths(&mut harness, &files);
    step_until(&mut harness, "three staged files", |h| {
        h.state().staged_entries().len() == 3
    });
    for _ in 0..5 {
        harness.step();
    }
    harness
}

fn step_until(
    harness: &mut Harness<'static, StagerApp>,
    what: &str,
    done: impl Fn(&Harness<'static, StagerApp>) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done(harness) {
        assert!(Instant::now() < deadline, "waited 30 s for {what}");
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Each button: its text and where it is.
fn buttons(harness: &Harness<'static, StagerApp>) -> Vec<(String, egui::Rect)> {
    harness
        .query_all_by_role(Role::Button)
        .map(|node| {
            let label = node.accesskit_node().label().unwrap_or_default();
            (label, node.rect())
        })
        .collect()
}

/// The buttons that wrap (taller than one line) or cross the window's right edge.
fn broken(harness: &Harness<'static, StagerApp>, width: f32) -> Vec<String> {
    let all = buttons(harness);
    // One line of text in a button: the lowest button there is.
    let one_line = all
        .iter()
        .map(|(_, r)| r.height())
        .fold(f32::INFINITY, f32::min);
    all.iter()
        .filter(|(_, r)| r.height() > one_line * 1.5 || r.max.x > width + 0.5 || r.min.x < 0.0)
        .map(|(label, r)| format!("{label:?} at {r:?}"))
        .collect()
}

/// Buttons outside a window `width` wide.
fn outside(harness: &Harness<'static, StagerApp>, width: f32) -> Vec<String> {
    buttons(harness)
        .into_iter()
        .filter(|(_, rect)| rect.max.x > width + 0.5 || rect.min.x < 0.0)
        .map(|(label, rect)| format!("{label:?} at {rect:?} is outside the window"))
        .collect()
}

/// Opens Settings by its button, in the window's language.
fn open_settings(harness: &mut Harness<'static, StagerApp>, language: Language) {
    let settings = messages::text_in(language, "top-bar-settings", &[]);
    harness.get_by_label(&settings).click();
    let close = messages::text_in(language, "settings-close", &[]);
    step_until(harness, "Settings to open", |h| {
        h.query_all_by_label(&close).next().is_some()
    });
    for _ in 0..4 {
        harness.step();
    }
}

#[test]
fn no_button_wraps_or_leaves_the_window_in_any_language() {
    let _one = crate::one_language_at_a_time();
    let mut problems = Vec::new();
    for language in Language::ALL {
        let code = language.code();
        let world = World::with_good_key();
        let mut harness = window_with_staged_files(&world, language, [800.0, 600.0]);
        assert!(buttons(&harness).len() >= 6, "{:?}", buttons(&harness));
        for problem in broken(&harness, 800.0) {
            problems.push(format!("{code}, the list at 800×600: {problem}"));
        }
        open_settings(&mut harness, language);
        for problem in broken(&harness, 800.0) {
            problems.push(format!("{code}, Settings at 800×600: {problem}"));
        }
        drop(harness);
        let world = World::with_good_key();
        let mut harness = window_with_staged_files(&world, language, [640.0, 480.0]);
        for problem in outside(&harness, 640.0) {
            problems.push(format!("{code}, the list at 640×480: {problem}"));
        }
        open_settings(&mut harness, language);
        for problem in outside(&harness, 640.0) {
            problems.push(format!("{code}, Settings at 640×480: {problem}"));
        }
    }
    messages::set_language(Language::English);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The first-run screen (no key yet) in every language, at 640×480: its buttons inside.
#[test]
fn the_first_run_screen_fits_in_any_language() {
    let _one = crate::one_language_at_a_time();
    let mut problems = Vec::new();
    for language in Language::ALL {
        let world = World::new(MemoryKeyStore::default());
        choose_in_settings(&world, language);
        let env = world.environment(vec![]);
        let mut harness = Harness::builder()
            .with_size([640.0, 480.0])
            .build_eframe(move |cc| StagerApp::new(&cc.egui_ctx, env));
        let save = messages::text_in(language, "key-setup-check-and-save", &[]);
        step_until(&mut harness, "the key form", |h| {
            h.query_all_by_label(&save).next().is_some()
        });
        for _ in 0..4 {
            harness.step();
        }
        for problem in outside(&harness, 640.0) {
            problems.push(format!(
                "{}, first run at 640×480: {problem}",
                language.code()
            ));
        }
    }
    messages::set_language(Language::English);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
