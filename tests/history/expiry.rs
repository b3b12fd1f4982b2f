//! Staged files expire after 60 minutes: the window makes the last five minutes stand out,
//! `history` lists only what has not expired (unless asked for all), and one expired file
//! can be staged again by itself.

use crate::support;
use crate::window_support;

use std::sync::Arc;
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use asteroid_stager::ui::StagerApp;
use support::history_seed::{self, entry, seeded_id};
use window_support::{Dropped, World, wait_for, wait_for_text, wait_until};

fn minutes(n: u64) -> Duration {
    Duration::from_secs(n * 60)
}

/// The colours `text` was painted in during the last frame (one per painted section).
fn painted_colors(harness: &Harness<'_, StagerApp>, text: &str) -> Vec<egui::Color32> {
    fn visit(shape: &egui::Shape, text: &str, out: &mut Vec<egui::Color32>) {
        match shape {
            egui::Shape::Text(t) if t.galley.text() == text => {
                out.extend(t.override_text_color);
                out.extend(t.galley.job.sections.iter().map(|s| s.format.color));
            }
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| visit(s, text, out)),
            _ => {}
        }
    }
    let mut colors = Vec::new();
    for clipped in &harness.output().shapes {
        visit(&clipped.shape, text, &mut colors);
    }
    colors
}

#[test]
fn a_file_with_less_than_five_minutes_left_stands_out() {
    let world = World::with_good_key();
    history_seed::write(
        &world.dir.path().join("app/data/history.sqlite3"),
        &world.server_as_recorded(),
        &[
            entry(1, "soon.txt", 10, minutes(56), None),
            entry(2, "later.txt", 10, minutes(54), None),
        ],
    );
    let mut harness = world.harness(vec![]);
    wait_for(&mut harness, "Copy the ID of soon.txt");
    wait_for_text(&mut harness, "expires in 4 min");
    wait_for_text(&mut harness, "expires in 6 min");
    let warn = harness.ctx.global_style().visuals.warn_fg_color;
    let soon = painted_colors(&harness, "expires in 4 min");
    let later = painted_colors(&harness, "expires in 6 min");
    assert!(
        !soon.is_empty() && !later.is_empty(),
        "both countdowns are painted"
    );
    assert!(
        soon.iter().all(|c| *c == warn),
        "under five minutes: {soon:?}, the warning colour is {warn:?}"
    );
    assert!(
        later.iter().all(|c| *c != warn),
        "over five minutes does not stand out: {later:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_lists_only_files_not_yet_expired_unless_asked_for_all() {
    let home = tempfile::tempdir().expect("temp dir");
    history_seed::write(
        &home.path().join("data/asteroid-stager/history.sqlite3"),
        asteroid_stager::DEFAULT_BASE_URL,
        &[
            entry(1, "old.txt", 10, minutes(120), None),
            entry(2, "fresh.txt", 10, minutes(1), None),
        ],
    );
    let history = |args: &[&str]| {
        let mut cmd = support::cli::command(home.path());
        cmd.arg("history").args(args);
        support::cli::output(cmd)
    };
    let ids = |stdout: &[u8]| -> Vec<String> {
        let listed: serde_json::Value = serde_json::from_slice(stdout).expect("JSON");
        let mut ids: Vec<String> = listed["tempFiles"]
            .as_array()
            .expect("tempFiles")
            .iter()
            .map(|f| f["id"].as_str().expect("an id").to_owned())
            .collect();
        ids.sort();
        ids
    };

    let out = history(&["--json"]).await;
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(ids(&out.stdout), [seeded_id(2)]);

    let out = history(&[]).await;
    let listed = support::cli::text(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(listed.contains(&seeded_id(2)), "{listed}");
    assert!(!listed.contains(&seeded_id(1)), "{listed}");
    assert!(!listed.contains("old.txt"), "{listed}");

    let out = history(&["--all", "--json"]).await;
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(ids(&out.stdout), [seeded_id(1), seeded_id(2)]);
}

/// "Stage again" on one expired file sends that file, and only it: the server's ledger
/// holds one new copy, of its bytes; the other expired file stays expired.
#[test]
fn one_expired_file_is_staged_again_by_itself() {
    let world = World::with_good_key();
    let a = world.file("a.txt", b"alpha bytes");
    let b = world.file("b.txt", b"beta bytes");
    let mut harness = world.harness(vec![]);
    window_support::wait_ready(&mut harness);
    for path in [a, b] {
        harness
            .input_mut()
            .dropped_files
            .push(Arc::new(Dropped(path)));
    }
    wait_for(&mut harness, "Copy the ID of a.txt");
    wait_for(&mut harness, "Copy the ID of b.txt");
    assert_eq!(world.server.ledger().len(), 2);
    world.advance_clock(minutes(61));
    wait_for(&mut harness, "Stage b.txt again");
    harness.get_by_label("Stage a.txt again").click();
    wait_for(&mut harness, "Copy the ID of a.txt");
    // Its answer is folded: nothing else is on its way.
    world
        .runtime
        .block_on(world.server.wait_idle(Duration::from_secs(10)));
    for _ in 0..5 {
        harness.step();
    }
    let ledger = world.server.ledger();
    assert_eq!(ledger.len(), 3, "one more copy: {ledger:#?}");
    assert_eq!(ledger[2].name, "a.txt");
    assert_eq!(ledger[2].sha256, support::sha256_hex(b"alpha bytes"));
    // The new ID is shown in the old one's place; b.txt still waits to be staged again.
    assert!(harness.query_all_by_label(&ledger[2].id).next().is_some());
    assert!(harness.query_all_by_label(&ledger[0].id).next().is_none());
    wait_until(&mut harness, "b.txt to stay expired", |h| {
        h.query_all_by_label("Stage b.txt again").next().is_some()
            && h.query_all_by_label("Copy the ID of b.txt")
                .next()
                .is_none()
    });
}
