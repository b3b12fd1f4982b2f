//! The command line keeps what it stages in the pending table too (issue 17.3): while a
//! `stage` runs, its files are its own and no window takes them; killed, it leaves them for
//! the next window, marked "may have been stored" when a request carried them.

#![cfg(unix)]

use crate::support;

use std::time::{Duration, Instant};

use asteroid_stager::history::HistoryStore;
use support::StagingServer;
use support::cli::CliHome;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_stage_keeps_its_files_and_a_killed_one_leaves_them_to_resume() {
    let server = StagingServer::start().await;
    // Slow: the file is stored and its answer never comes while the test runs.
    server.set_delay(Duration::from_secs(3600));
    let home = CliHome::new();
    let file = home.folder("files").join("scan.pdf");
    std::fs::write(&file, b"a scanned page").expect("file");
    let db = home.path().join("data/asteroid-stager/history.sqlite3");
    let mut stage = home
        .command_on(&server.base_url, &["stage", file.to_str().expect("utf-8")])
        .kill_on_drop(true)
        .spawn()
        .expect("stage starts");

    // Waits for the file to be kept and at the server (another process writes the table:
    // looked at every 50 ms, there is no signal to await).
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let kept = db.exists() && !server.ledger().is_empty();
        if kept && sending_rows(&db) == 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the file was never kept and sent"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A window starting now takes nothing: the `stage` runs.
    let (window, _) = HistoryStore::open(&db);
    assert_eq!(window.adopt_unfinished().expect("looked up"), Vec::new());

    stage.start_kill().expect("SIGKILL");
    stage.wait().await.expect("stage ended");
    // Killed: the next window takes the file over, told it may already be on the server.
    let adopted = window.adopt_unfinished().expect("looked up");
    assert_eq!(adopted.len(), 1, "{adopted:?}");
    assert_eq!(adopted[0].file.relative_path, "scan.pdf");
    assert!(adopted[0].maybe_stored);
}

/// Rows marked as being sent, straight from the file.
fn sending_rows(db: &std::path::Path) -> usize {
    rusqlite::Connection::open(db)
        .and_then(|c| {
            c.query_row(
                "SELECT count(*) FROM pending_files WHERE sending = 1",
                [],
                |r| r.get::<_, i64>(0),
            )
        })
        .map_or(0, |n| usize::try_from(n).unwrap_or(0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stage_that_ends_leaves_nothing_to_resume() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let file = home.folder("files").join("scan.pdf");
    std::fs::write(&file, b"a scanned page").expect("file");
    let out = home
        .run_on(&server.base_url, &["stage", file.to_str().expect("utf-8")])
        .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = home.path().join("data/asteroid-stager/history.sqlite3");
    let (store, _) = HistoryStore::open(&db);
    assert_eq!(store.adopt_unfinished().expect("looked up"), Vec::new());
    assert_eq!(home.history().len(), 1);
}
