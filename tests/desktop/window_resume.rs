//! Nothing is lost when the window dies (issue 17.3): what the operator asked the window to
//! stage is kept in the history's pending table before it is sent; a window killed with
//! SIGKILL while the server is slow is started again, and what it had not finished is
//! staged on its own, once in the history, with a notice.

#![cfg(unix)]

use crate::support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use asteroid_stager::history::HistoryStore;
use support::StagingServer;
use support::window_process::{Killed, history_file, start_xvfb, window};

/// 40 files of 1 MB, as the issue has it: 40 MB over 127.0.0.1 take well under a second,
/// so the count and size cost nothing; the test's time is two window starts.
const FILES: usize = 40;
const SIZE: usize = 1024 * 1024;

/// The pending table's rows as (name, sending), read straight from the database file (the
/// window that writes it may be running, or dead).
fn pending_rows(db: &Path) -> Vec<(String, bool)> {
    let Ok(conn) = rusqlite::Connection::open(db) else {
        return Vec::new();
    };
    let Ok(mut stmt) = conn.prepare("SELECT relative_path, sending FROM pending_files") else {
        return Vec::new();
    };
    stmt.query_map([], |row| Ok((row.get(0)?, row.get::<_, bool>(1)?)))
        .map(|rows| rows.filter_map(Result::ok).collect())
        .unwrap_or_default()
}

/// Waits (looking every 50 ms: another process writes it, there is no signal to await)
/// until `done` holds, for at most `limit`; panics with `what` otherwise.
fn poll_until(what: &str, limit: Duration, done: impl FnMut() -> bool) {
    assert!(poll(limit, done), "timed out waiting for {what}");
}

/// Whether `done` came to hold within `limit` (looked at every 50 ms).
fn poll(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while !done() {
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    true
}

fn history_names(db: &Path) -> Vec<String> {
    HistoryStore::open(db)
        .0
        .entries()
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.name)
        .collect()
}

#[test]
fn a_window_killed_while_sending_stages_everything_on_its_next_start() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime.block_on(StagingServer::start());
    let dir = tempfile::tempdir().expect("dir");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let files: Vec<PathBuf> = (0..FILES)
        .map(|n| {
            let path = dir.path().join(format!("scan-{n:02}.bin"));
            let mut bytes = vec![0u8; SIZE];
            bytes[..8].copy_from_slice(&(n as u64).to_le_bytes());
            std::fs::write(&path, bytes).expect("file");
            path
        })
        .collect();
    let names: Vec<String> = (0..FILES).map(|n| format!("scan-{n:02}.bin")).collect();
    let db = history_file(&home);

    // A slow server: it stores what it gets and does not answer for an hour.
    server.set_delay(Duration::from_secs(3600));
    let (_xvfb, display) = start_xvfb();
    let args: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let first = window(&home, &display, &server.base_url, &args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the window starts");
    let mut first = Killed(first);
    // Killed once every file is kept and a request carrying some of them has reached the
    // server (so those "may have been stored").
    poll_until(
        "the window to keep its files and send",
        Duration::from_secs(60),
        || {
            let rows = pending_rows(&db);
            rows.len() == FILES
                && rows.iter().any(|(_, sending)| *sending)
                && !server.ledger().is_empty()
        },
    );
    first.0.kill().expect("SIGKILL");
    first.0.wait().expect("the window ended");
    assert!(
        history_names(&db).is_empty(),
        "nothing was answered, nothing recorded"
    );

    // Started again, no file given, the server fast again.
    server.set_delay(Duration::ZERO);
    let log = dir.path().join("second.log");
    let second = window(&home, &display, &server.base_url, &[])
        .env("RUST_LOG", "asteroid_stager=info")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log"))
        .spawn()
        .expect("the window starts again");
    let _second = Killed(second);
    let finished = poll(Duration::from_secs(30), || {
        history_names(&db).len() >= FILES && pending_rows(&db).is_empty()
    });
    assert!(
        finished,
        "every file in the history: {} recorded, pending {:?}, ledger {}; log: {}",
        history_names(&db).len(),
        pending_rows(&db),
        server.ledger().len(),
        std::fs::read_to_string(&log).unwrap_or_default()
    );

    let mut recorded: HashMap<String, usize> = HashMap::new();
    for name in history_names(&db) {
        *recorded.entry(name).or_default() += 1;
    }
    let stored = server.ledger();
    for name in &names {
        assert_eq!(
            recorded.get(name),
            Some(&1),
            "{name} is in the history once"
        );
        assert!(
            stored
                .iter()
                .any(|e| &e.name == name && e.size == SIZE as u64),
            "{name} reached the server"
        );
    }
    assert_eq!(recorded.len(), FILES, "{recorded:?}");
    let said = std::fs::read_to_string(&log).expect("log");
    assert!(
        said.contains(
            "40 files that were not finished when Asteroid Stager closed are being staged now."
        ),
        "the notice was shown: {said}"
    );
    assert!(said.contains("may be on the server twice"), "{said}");
}
