//! The history's log is copied back into the database file when the queue goes idle, not
//! only when the history is closed: a command that ends does not wait for that copy, and
//! the database file itself holds the IDs the operator was shown.

use crate::support;

use std::time::Duration;

use asteroid_stager::api::ClientOptions;
use asteroid_stager::history::HistoryStore;
use asteroid_stager::local_file::LocalFile;
use asteroid_stager::upload_queue::{QueueEvent, QueueOptions};
use support::{StagingServer, start_queue, write_seeded_file};

/// The staged IDs found in the database file alone, read from a copy of it made without
/// its log (`None` while the copy cannot be read, e.g. taken in the middle of a write).
fn ids_in_the_file_alone(database: &std::path::Path) -> Option<Vec<String>> {
    let copy_dir = tempfile::tempdir().ok()?;
    let copy = copy_dir.path().join("history.sqlite3");
    std::fs::copy(database, &copy).ok()?;
    let conn = rusqlite::Connection::open(&copy).ok()?;
    let mut stmt = conn
        .prepare("SELECT id FROM staged_files ORDER BY id")
        .ok()?;
    let ids = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .ok()?
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    Some(ids)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn once_the_queue_is_idle_the_database_file_itself_holds_the_ids() {
    let server = StagingServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<LocalFile> = (0..3)
        .map(|i| {
            let path = dir.path().join(format!("scan-{i}.pdf"));
            write_seeded_file(&path, 700 + i, i as u64);
            LocalFile::inspect(&path).expect("a file to stage")
        })
        .collect();
    let database = dir.path().join("history.sqlite3");
    let (history, _) = HistoryStore::open(&database);
    let (queue, mut events, _) = start_queue(
        &server,
        files,
        ClientOptions::default(),
        QueueOptions::default(),
        Some(history.clone()),
    )
    .await;
    let mut shown = Vec::new();
    while shown.len() < 3 {
        let event = tokio::time::timeout(Duration::from_secs(30), events.recv())
            .await
            .expect("staged in time")
            .expect("the queue is alive");
        match event {
            QueueEvent::Staged { entry, .. } => shown.push(entry.id),
            QueueEvent::Failed { error, .. } => panic!("failed: {error}"),
            _ => {}
        }
    }
    shown.sort();
    let mut issued = server.issued_ids();
    issued.sort();
    assert_eq!(
        shown, issued,
        "the IDs shown are the ones the server issued"
    );

    // The history stays open (the queue and this test hold it): only the copy made when
    // the queue went idle can have put the IDs in the file. Looked at until it has, for
    // at most half a minute (the copy runs on its own thread, just after the last ID).
    let mut found = None;
    for _ in 0..300 {
        found = ids_in_the_file_alone(&database);
        if found.as_ref() == Some(&shown) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        found.as_ref(),
        Some(&shown),
        "the database file without its log holds the staged IDs"
    );
    drop(queue);
    drop(history);
}
