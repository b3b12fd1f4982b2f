//! The window's side of resuming after a crash (issue 17.3), with `egui_kittest`: the
//! notice and its Cancel, "Quit and cancel" leaving nothing to resume, and files a running
//! process owns left alone.

use crate::window_support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use asteroid_stager::history::{HistoryStore, PendingFile};
use asteroid_stager::paths::AppPaths;
use asteroid_stager::upload_queue::UploadStatus;
use egui_kittest::kittest::Queryable;
use window_support::*;

fn history_path(world: &World) -> PathBuf {
    AppPaths::in_dir(world.dir.path().join("app")).history_file()
}

/// The pending table's rows as (name, owner's process ID), straight from the file.
fn pending_rows(db: &Path) -> Vec<(String, u32)> {
    let conn = rusqlite::Connection::open(db).expect("history");
    let mut stmt = conn
        .prepare("SELECT relative_path, owner_pid FROM pending_files ORDER BY seq")
        .expect("pending table");
    stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect()
}

/// `names` as files on disk, kept as pending for the test organization and server.
fn pending_files(world: &World, names: &[&str]) -> Vec<PendingFile> {
    names
        .iter()
        .map(|name| {
            let path = world.file(name, format!("bytes of {name}").as_bytes());
            let meta = std::fs::metadata(&path).expect("file");
            PendingFile {
                path,
                relative_path: (*name).to_owned(),
                size: meta.len(),
                modified: meta.modified().ok(),
                group: None,
                place_in_group: None,
                organization_id: ORG_ID.to_owned(),
                server: world.server_as_recorded(),
                replaces: None,
            }
        })
        .collect()
}

/// Keeps `files` as pending, as a window that then died would have: the store that wrote
/// them is gone (its owner no longer runs). The first `sending` were being sent.
fn left_by_a_crash(world: &World, files: &[PendingFile], sending: usize) {
    let db = history_path(world);
    std::fs::create_dir_all(db.parent().expect("folder")).expect("folder");
    let (store, _) = HistoryStore::open(&db);
    let rows: Vec<_> = store
        .add_pending(files)
        .expect("kept")
        .into_iter()
        .flatten()
        .collect();
    store
        .mark_pending_sending(&rows[..sending])
        .expect("marked");
}

fn cancelled(harness: &egui_kittest::Harness<'_, asteroid_stager::ui::StagerApp>) -> usize {
    harness
        .state()
        .state()
        .uploads
        .table
        .rows()
        .iter()
        .filter(|r| r.status == UploadStatus::Cancelled)
        .count()
}

#[test]
fn the_resuming_notice_is_shown_and_its_cancel_cancels_the_resumed_files() {
    let world = World::with_good_key();
    // Slow: the resumed files are still being sent when Cancel is pressed.
    world.server.set_delay(Duration::from_secs(3600));
    let files = pending_files(&world, &["a.pdf", "b.pdf", "c.pdf", "d.pdf", "gone.pdf"]);
    left_by_a_crash(&world, &files, 1);
    std::fs::remove_file(&files[4].path).expect("one file is gone since");

    let mut harness = world.harness(Vec::new());
    wait_for_text(
        &mut harness,
        "4 files that were not finished when Asteroid Stager closed are being staged now.",
    );
    wait_for_text(&mut harness, "One of them may be on the server twice");
    wait_for_text(&mut harness, "(gone.pdf)");
    assert_eq!(harness.state().state().uploads.table.rows().len(), 4);

    harness.get_by_label("Cancel").click();
    wait_until(&mut harness, "the resumed files to be cancelled", |h| {
        cancelled(h) == 4
    });
    wait_until(&mut harness, "the pending files to be forgotten", |_| {
        pending_rows(&history_path(&world)).is_empty()
    });
    assert!(
        harness
            .query_all_by_label_contains("are being staged now")
            .next()
            .is_none(),
        "the notice went with its Cancel"
    );
}

#[test]
fn quit_and_cancel_leaves_nothing_to_resume_at_the_next_start() {
    let world = World::with_good_key();
    world.server.set_delay(Duration::from_secs(3600));
    let file = world.file("report.pdf", b"a report");
    let db = history_path(&world);
    {
        let mut harness = world.harness(vec![file]);
        wait_until(&mut harness, "the file to be kept and sent", |_| {
            db.exists() && !pending_rows(&db).is_empty() && !world.server.requests().is_empty()
        });
        root_viewport(&mut harness)
            .events
            .push(egui::ViewportEvent::Close);
        wait_for(&mut harness, "Quit and cancel them");
        harness.get_by_label("Quit and cancel them").click();
        // The process may end right after the window closes: by the frame that closes
        // it, nothing is kept to resume (not left to the cancels still on their way).
        let mut closed = false;
        for _ in 0..10 {
            harness.step();
            if viewport_commands(&harness).contains(&egui::ViewportCommand::Close) {
                closed = true;
                break;
            }
        }
        assert!(closed, "the window closes");
        assert_eq!(pending_rows(&db), Vec::new(), "nothing kept to resume");
    }
    // The next start: the server is fast, so anything resumed would be staged at once.
    world.server.set_delay(Duration::ZERO);
    let sentinel = world.file("sentinel.txt", b"staged by the next start");
    let mut harness = world.harness(vec![sentinel]);
    // Staged files leave Uploads on their own: the staged list is where it shows.
    wait_for(&mut harness, "Copy the ID of sentinel.txt");
    // Nothing but its own file went through the queue (nothing was resumed).
    assert!(
        harness
            .state()
            .state()
            .uploads
            .table
            .rows()
            .iter()
            .all(|r| r.name == "sentinel.txt"),
        "only the window's own file"
    );
    assert!(
        harness
            .query_all_by_label_contains("not finished")
            .next()
            .is_none()
    );
    let staged = world.server.stored_names();
    assert_eq!(
        staged.iter().filter(|n| n.as_str() == "report.pdf").count(),
        1,
        "report.pdf was not sent again: {staged:?}"
    );
}

#[test]
fn files_another_running_process_is_sending_are_not_resumed() {
    let world = World::with_good_key();
    let files = pending_files(&world, &["theirs.pdf"]);
    let db = history_path(&world);
    std::fs::create_dir_all(db.parent().expect("folder")).expect("folder");
    // Another process (a `stage` in a terminal) owns it and runs: its store is alive.
    let (other, _) = HistoryStore::open(&db);
    other.add_pending(&files).expect("kept");
    let owner = other.owner().expect("owner");

    let sentinel = world.file("sentinel.txt", b"staged by the window");
    let mut harness = world.harness(vec![sentinel]);
    // Staged files leave Uploads on their own: the staged list is where it shows.
    wait_for(&mut harness, "Copy the ID of sentinel.txt");
    // Nothing but its own file went through the queue (nothing was resumed).
    assert!(
        harness
            .state()
            .state()
            .uploads
            .table
            .rows()
            .iter()
            .all(|r| r.name == "sentinel.txt"),
        "only the window's own file"
    );
    assert!(
        !world
            .server
            .stored_names()
            .contains(&"theirs.pdf".to_owned())
    );
    assert_eq!(
        pending_rows(&db),
        vec![("theirs.pdf".to_owned(), owner.pid)]
    );
    // Still the other process's: taken by nobody while it runs.
    assert!(other.is_running(&owner));
}
