use super::*;
use crate::api::ApiError;
use crate::local_file::LocalFile;
use crate::upload_queue::UploadError;

fn added(id: UploadId, name: &str) -> QueueEvent {
    QueueEvent::Added {
        id,
        batch: 1,
        file: LocalFile {
            path: name.into(),
            name: name.into(),
            relative_path: format!("Scans/{name}"),
            size: 100,
            modified: None,
        },
        group: None,
        replaces: None,
    }
}

#[test]
fn an_upload_that_failed_then_was_retried_ends_staged() {
    let mut table = UploadTable::default();
    let now = Instant::now();
    table.apply(&added(1, "a.pdf"), now);
    assert_eq!(table.rows()[0].shown, "Scans/a.pdf");
    table.apply(&QueueEvent::Sending { id: 1 }, now);
    table.apply(
        &QueueEvent::Progress {
            id: 1,
            sent: 50,
            total: 100,
        },
        now,
    );
    assert_eq!(table.totals().sent, 50);
    let refused = ApiError::Rejected("Invalid file upload request.".into());
    table.apply(
        &QueueEvent::Failed {
            id: 1,
            error: UploadError::Api(refused),
        },
        now,
    );
    assert!(
        matches!(&table.rows()[0].status, UploadStatus::Failed(m) if m.contains("refused the upload"))
    );
    assert_eq!(table.totals().failed, 1);
    table.mark_retrying(1);
    assert_eq!(table.rows()[0].status, UploadStatus::Waiting);
    let entry = HistoryEntry {
        id: "00000000-0000-4000-8000-000000000001".into(),
        name: "a.pdf".into(),
        size: 100,
        organization_id: "o".into(),
        server: crate::DEFAULT_BASE_URL.into(),
        staged_at: std::time::SystemTime::now(),
        group: None,
        place_in_group: None,
        source: None,
    };
    table.apply(
        &QueueEvent::Staged {
            id: 1,
            entry,
            note: None,
            replaces: None,
        },
        now,
    );
    let totals = table.totals();
    assert_eq!((totals.staged, totals.failed, totals.sent), (1, 0, 100));
}

#[test]
fn waiting_for_the_server_remembers_since_when() {
    let mut table = UploadTable::default();
    let start = Instant::now();
    table.apply(&added(7, "b.txt"), start);
    table.apply(&QueueEvent::WaitingForServer { id: 7 }, start);
    assert_eq!(
        table.get(7).map(|r| r.status.clone()),
        Some(UploadStatus::WaitingForServer { since: start })
    );
    // Events about unknown items change nothing.
    assert!(!table.apply(&QueueEvent::Cancelled { id: 99 }, start).shown);
    table.retain(|r| r.id != 7);
    assert!(table.rows().is_empty() && table.get(7).is_none());
}

#[test]
fn waiting_for_the_network_is_folded_and_ends_when_it_is_back() {
    let mut table = UploadTable::default();
    let now = Instant::now();
    table.apply(&added(3, "c.txt"), now);
    table.apply(&QueueEvent::WaitingForNetwork { id: 3 }, now);
    assert_eq!(table.rows()[0].status, UploadStatus::WaitingForNetwork);
    assert!(table.rows()[0].status.is_active());
    let reason = ApiError::Setup("no route".into());
    assert!(
        table
            .apply(
                &QueueEvent::NetworkDown {
                    retry_in: Duration::from_secs(20),
                    reason,
                },
                now
            )
            .shown
    );
    assert_eq!(
        table.network().map(|w| w.retry_at),
        Some(now + Duration::from_secs(20))
    );
    assert!(table.apply(&QueueEvent::NetworkBack, now).shown);
    assert!(table.network().is_none());
}

#[test]
fn apply_says_when_a_file_and_its_batch_are_done_and_a_retry_opens_the_batch_again() {
    let mut table = UploadTable::default();
    let now = Instant::now();
    table.apply(&added(1, "a.pdf"), now);
    table.apply(&added(2, "b.pdf"), now);
    let summary = crate::upload_queue::BatchSummary {
        files: 2,
        bytes: 200,
        refused: 0,
        folders: Vec::new(),
        question: None,
    };
    let inspected = table.apply(&QueueEvent::Inspected { batch: 1, summary }, now);
    assert_eq!(inspected.batch_done, None);
    let failed = |id| QueueEvent::Failed {
        id,
        error: UploadError::Api(ApiError::Internal),
    };
    let first = table.apply(&failed(1), now);
    assert_eq!((first.finished, first.batch_done), (Some(1), None));
    let second = table.apply(&QueueEvent::Cancelled { id: 2 }, now);
    assert_eq!(second.finished, Some(2));
    assert_eq!(
        second.batch_done,
        Some(BatchDone {
            batch: 1,
            staged: 0,
            failed: 1
        })
    );
    // An event about a file already ended finishes nothing.
    assert_eq!(table.apply(&failed(1), now).finished, None);
    // Retried, it ends again and the batch is said done again.
    table.mark_retrying(1);
    let again = table.apply(&failed(1), now);
    assert_eq!(again.finished, Some(1));
    assert_eq!(again.batch_done.map(|d| d.failed), Some(1));
}

/// A try after a failed one is known as such until the file is answered: the faces say
/// "try 2 of 4", never "sent; waiting for the server to confirm" as of a first try.
#[test]
fn a_row_keeps_its_failed_tries_through_the_next_try() {
    let mut table = UploadTable::default();
    assert_eq!(table.max_tries(), 4, "the queue's default");
    table.set_max_tries(3);
    assert_eq!(table.max_tries(), 3);
    let now = Instant::now();
    table.apply(&added(1, "a.pdf"), now);
    assert_eq!(table.rows()[0].tries, 0);
    table.apply(
        &QueueEvent::Retrying {
            id: 1,
            attempt: 1,
            delay: Duration::from_secs(4),
            reason: ApiError::Rejected("Internal server error.".into()),
        },
        now,
    );
    table.apply(&QueueEvent::Sending { id: 1 }, now);
    table.apply(&QueueEvent::WaitingForServer { id: 1 }, now);
    let row = &table.rows()[0];
    assert!(matches!(row.status, UploadStatus::WaitingForServer { .. }));
    assert_eq!(row.tries, 1);
    table.apply(
        &QueueEvent::Failed {
            id: 1,
            error: UploadError::Api(ApiError::Rejected("no".into())),
        },
        now,
    );
    // Sent again by the operator: a first try again.
    table.mark_retrying(1);
    assert_eq!(table.rows()[0].tries, 0);
}

#[test]
fn a_file_sent_in_one_go_counts_whole_when_it_waits_for_the_server() {
    // A small file's last (and only) bytes are told by `WaitingForServer`, not `Progress`.
    let mut table = UploadTable::default();
    let now = Instant::now();
    table.apply(&added(1, "a.pdf"), now);
    table.apply(&QueueEvent::Sending { id: 1 }, now);
    assert_eq!(table.totals().sent, 0);
    table.apply(&QueueEvent::WaitingForServer { id: 1 }, now);
    assert_eq!(table.totals().sent, table.rows()[0].size);
    assert!(table.rows()[0].size > 0);
    assert!(matches!(
        table.rows()[0].status,
        UploadStatus::WaitingForServer { .. }
    ));
}
