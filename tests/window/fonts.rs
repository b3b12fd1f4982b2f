//! File names in every script are drawn with real glyphs, not empty boxes: egui's own fonts
//! cover Latin, Greek and Cyrillic; the rest comes from the system's fonts (CI installs
//! fonts-wqy-microhei for Chinese, Japanese and Korean, DejaVu for Arabic and Hebrew, and
//! Noto Color Emoji for emoji that egui's small emoji set lacks).
//! egui_kittest panics on any character it would draw as a box, so reaching the rows proves
//! they were drawn; the font checks say which fonts drew them.

use crate::window_support;

use std::time::{Duration, SystemTime};

use asteroid_stager::history::{HistoryEntry, HistoryStore};
use window_support::{ORG_ID, World, wait_for};

const NAMES: [&str; 5] = [
    "請求書 2026年11月.pdf",
    "견적서.pdf",
    "تقرير شهري.docx",
    "דוח חודשי.pdf",
    "🧾 receipt.pdf",
];

#[test]
fn names_in_chinese_japanese_korean_arabic_hebrew_and_emoji_are_drawn_with_glyphs() {
    let world = World::with_good_key();
    let now = SystemTime::now();
    let entries: Vec<HistoryEntry> = NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| HistoryEntry {
            id: format!("00000000-0000-4000-9000-{i:012}"),
            name: (*name).to_owned(),
            size: 100,
            organization_id: ORG_ID.into(),
            server: world.server_as_recorded(),
            staged_at: now - Duration::from_secs(60),
            group: None,
            place_in_group: None,
            source: None,
        })
        .collect();
    let (history, _) = HistoryStore::open(&world.dir.path().join("app/data/history.sqlite3"));
    history.record(&entries).expect("history written");

    let mut harness = world.harness(vec![]);
    for name in NAMES {
        wait_for(&mut harness, &format!("Copy the ID of {name}"));
    }
    // Every character of every name has a glyph in the window's text font now, from a
    // font found on the system (egui's own fonts have none of them).
    let text: String = NAMES.concat().replace(' ', "");
    let (covered, discovered) = harness.ctx.fonts_mut(|fonts| {
        let covered = fonts.has_glyphs(&egui::FontId::proportional(14.0), &text);
        let discovered: Vec<String> = fonts
            .discovered_fonts()
            .iter()
            .map(|font| font.name.clone())
            .collect();
        (covered, discovered)
    });
    assert!(covered, "a character of {text:?} has no glyph");
    let bundled = egui::FontDefinitions::default().font_data;
    assert!(!discovered.is_empty(), "no system font was needed");
    assert!(
        discovered.iter().all(|name| !bundled.contains_key(name)),
        "{discovered:?}"
    );
}
