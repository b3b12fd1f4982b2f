//! Uploads and the staged list tell the truth and fit (issue 18): a file being tried again
//! never reads "waiting for the server to confirm"; the staged list takes PageUp, PageDown,
//! Home and End; the staged toolbar's buttons sit on one row at 800 px.

use crate::{support, window_support};

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use asteroid_stager::ui::StagerApp;
use window_support::{Fault, World, drop_paths, wait_for, wait_for_text, wait_ready, wait_until};

/// Every label on screen.
fn labels(harness: &Harness<'_, StagerApp>) -> Vec<String> {
    harness
        .root()
        .children_recursive()
        .filter_map(|n| {
            let node = n.accesskit_node();
            // A label's text is its value.
            if node.role() == egui::accesskit::Role::Label {
                node.value()
            } else {
                node.label()
            }
        })
        .collect()
}

#[test]
fn a_file_being_tried_again_never_reads_waiting_for_the_server_to_confirm() {
    let world = World::with_good_key();
    // The first try fails; the second is stored and its answer held: the row then shows
    // the second try, sent, for as long as the server holds it.
    world.server.push_faults([
        Fault::Status(500, "Internal server error."),
        Fault::SlowAnswer(Duration::from_secs(30)),
    ]);
    let file = world.file("flaky.txt", b"tried twice");
    let mut harness = world.harness(vec![]);
    wait_ready(&mut harness);
    drop_paths(&mut harness, &[file]);
    wait_until(&mut harness, "the server to hold the second try", |_| {
        world
            .server
            .events()
            .iter()
            .any(|e| matches!(e, support::ServerEvent::Paused { .. }))
    });
    for _ in 0..3 {
        harness.step();
    }
    // Past the two seconds after which the row counts the wait.
    let until = Instant::now() + Duration::from_millis(2500);
    while Instant::now() < until {
        harness.step();
        let shown = labels(&harness);
        assert!(
            !shown
                .iter()
                .any(|l| l.contains("waiting for the server to confirm")),
            "a file being tried again reads as if sent once: {shown:#?}"
        );
        assert!(
            shown
                .iter()
                .any(|l| l.contains("Trying again (try 2 of 4)")),
            "the row does not say it is being tried again: {shown:#?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    world.server.resume();
    wait_for(&mut harness, "Copy the ID of flaky.txt");
}

/// A window of `size` with `count` files staged in one drop (`file-00.txt`, …), the list
/// ready.
fn with_staged(world: &World, size: [f32; 2], count: usize) -> Harness<'static, StagerApp> {
    let files: Vec<_> = (0..count)
        .map(|i| world.file(&format!("file-{i:02}.txt"), format!("file {i}").as_bytes()))
        .collect();
    let env = world.environment(vec![]);
    let mut harness = Harness::builder()
        .with_size(size)
        .build_eframe(move |cc| StagerApp::new(&cc.egui_ctx, env));
    wait_ready(&mut harness);
    drop_paths(&mut harness, &files);
    wait_for_text(&mut harness, &format!("{count} files"));
    wait_for(&mut harness, "Copy the ID of file-00.txt");
    for _ in 0..3 {
        harness.step();
    }
    harness
}

/// Whether the widget labelled `label` is drawn, wholly inside a window of `size`.
fn inside(harness: &Harness<'_, StagerApp>, label: &str, size: [f32; 2]) -> bool {
    harness.query_by_label(label).is_some_and(|node| {
        let rect = node.rect();
        rect.min.x >= 0.0 && rect.min.y >= 0.0 && rect.max.x <= size[0] && rect.max.y <= size[1]
    })
}

#[test]
fn home_and_end_scroll_the_staged_list_to_its_first_and_last_rows() {
    let world = World::with_good_key();
    let size = [640.0, 480.0];
    let mut harness = with_staged(&world, size, 60);
    let (first, last) = ("Copy the ID of file-00.txt", "Copy the ID of file-59.txt");
    assert!(inside(&harness, first, size));
    assert!(!inside(&harness, last, size), "60 rows fit at 640×480?");

    harness.key_press(egui::Key::End);
    wait_until(&mut harness, "the last row to be shown", |h| {
        inside(h, last, size)
    });
    assert!(!inside(&harness, first, size));

    harness.key_press(egui::Key::PageUp);
    wait_until(&mut harness, "a page up", |h| !inside(h, last, size));

    harness.key_press(egui::Key::Home);
    wait_until(&mut harness, "the first row to be shown", |h| {
        inside(h, first, size)
    });

    harness.key_press(egui::Key::PageDown);
    wait_until(&mut harness, "a page down", |h| !inside(h, first, size));
}

#[test]
fn tabbing_down_the_rows_scrolls_the_focused_row_into_view() {
    let world = World::with_good_key();
    let size = [640.0, 480.0];
    let mut harness = with_staged(&world, size, 60);
    harness.get_by_label("Copy the ID of file-00.txt").focus();
    harness.step();
    // Two stops a row (its box, its Copy): down to row 30, well below the first page.
    for _i in 0..60 {
        harness.key_press(egui::Key::Tab);
        harness.step();
        harness.step();
        let focused: Vec<_> = harness
            .root()
            .children_recursive()
            .filter(|n| n.is_focused())
            .map(|n| (n.accesskit_node().label().unwrap_or_default(), n.rect()))
            .collect();
        let [(label, rect)] = focused.as_slice() else {
            panic!("not one widget has the keyboard: {focused:?}");
        };
        assert!(
            label.contains("file-"),
            "the keyboard left the rows for {label:?} at Tab {_i}"
        );
        assert!(
            rect.min.y >= 0.0 && rect.max.y <= size[1],
            "{label:?} has the keyboard but is at {rect:?}, outside the window"
        );
    }
    assert!(
        harness
            .get_by_label("Copy the ID of file-30.txt")
            .is_focused(),
        "Tab did not walk down the rows"
    );
}

#[test]
fn at_800_px_the_staged_toolbar_sits_on_one_row() {
    let world = World::with_good_key();
    let size = [800.0, 600.0];
    let harness = with_staged(&world, size, 3);
    let toolbar = [
        "Clear the filter",
        "Copy all IDs",
        "Copy as tempFiles JSON",
        "More list actions",
    ];
    let rects: Vec<_> = toolbar
        .iter()
        .map(|label| (label, harness.get_by_label(label).rect()))
        .collect();
    // The small "×" is centred on the row like the others.
    let middle = rects[0].1.center().y;
    for (label, rect) in &rects {
        assert!(
            (rect.center().y - middle).abs() < 1.0,
            "{label} wrapped to another row: {rects:?}"
        );
        assert!(
            rect.max.x <= size[0],
            "{label} runs past the window's right edge: {rects:?}"
        );
    }
    // Nor does the selection bar's.
    let selection = [
        "Copy selected as tempFiles JSON",
        "Copy selected IDs",
        "Clear selection",
    ];
    let rects: Vec<_> = selection
        .iter()
        .map(|label| (label, harness.get_by_label(label).rect()))
        .collect();
    let top = rects[0].1.min.y;
    for (label, rect) in &rects {
        assert!(
            (rect.min.y - top).abs() < 1.0 && rect.max.x <= size[0],
            "{label} does not fit on the selection bar's row: {rects:?}"
        );
    }
}
