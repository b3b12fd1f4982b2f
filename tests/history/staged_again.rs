//! A file staged again after expiry is heard of as the history stored it: the group and
//! place of the entry it replaces are the history's to keep (issue 16, "Also").

use crate::support;

use std::time::{Duration, SystemTime};

use asteroid_stager::api::ClientOptions;
use asteroid_stager::history::{
    AddedBy, GroupSource, HistoryEntry, HistoryStore, SourceFile, StagedGroup,
};
use asteroid_stager::upload_queue::{QueueEvent, QueueOptions, Restage, UploadQueue};
use support::{ORG, StagingServer, aim, write_seeded_file};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_staged_event_carries_the_entry_as_the_history_stored_it() {
    let server = StagingServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scan.pdf");
    write_seeded_file(&file, 500, 4);
    let (history, _) = HistoryStore::open(&dir.path().join("history.sqlite3"));
    // Two hours ago, on a whole second (the history keeps milliseconds).
    let earlier = SystemTime::UNIX_EPOCH
        + Duration::from_secs(
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_secs()
                - 7200,
        );
    let group = StagedGroup {
        id: "g1".into(),
        source: GroupSource::Added {
            how: AddedBy::Dropped,
            items: 1,
            name: Some("Scans".into()),
        },
        created_at: earlier,
    };
    let source = SourceFile {
        path: file.clone(),
        relative_path: "Scans/scan.pdf".into(),
        size: 500,
        modified: std::fs::metadata(&file).unwrap().modified().ok(),
    };
    let expired = HistoryEntry {
        id: "ffffffff-0000-4000-8000-000000000001".into(),
        name: "scan.pdf".into(),
        size: 500,
        organization_id: ORG.into(),
        server: asteroid_stager::endpoint::BaseUrl::parse(&server.base_url)
            .unwrap()
            .to_string(),
        staged_at: earlier,
        group: Some(group.clone()),
        place_in_group: Some(3),
        source: Some(source.clone()),
    };
    history.record(std::slice::from_ref(&expired)).unwrap();

    let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    let queue = UploadQueue::start(
        &tokio::runtime::Handle::current(),
        QueueOptions::default(),
        Some(history.clone()),
        std::sync::Arc::new(move |event| {
            let _ = tx.send(event);
        }),
    );
    aim(&queue, &server, ClientOptions::default());
    // The face asking knows the entry without its group (as a list built before groups
    // were kept would): the history still has it, and the event says what the history says.
    queue.restage(vec![Restage {
        entry: HistoryEntry {
            group: None,
            place_in_group: None,
            ..expired.clone()
        },
        source,
    }]);
    let staged = loop {
        let event = tokio::time::timeout(Duration::from_secs(30), events.recv())
            .await
            .expect("staged in time")
            .expect("the queue is alive");
        match event {
            QueueEvent::Staged { entry, .. } => break entry,
            QueueEvent::Failed { error, .. } => panic!("failed: {error}"),
            _ => {}
        }
    };
    assert_eq!(server.issued_ids(), std::slice::from_ref(&staged.id));
    assert_eq!(staged.group, Some(group));
    assert_eq!(staged.place_in_group, Some(3));
    assert_eq!(history.entries().unwrap(), [staged]);
}
