//! An execution takes at most 200 MB of staged files: a group or a selection over that
//! says so in the window, and `stage` says so on the command line. Exactly 200 MB is not
//! over.

use crate::support;
use crate::window_support;

use std::time::Duration;

use egui_kittest::kittest::Queryable;

use support::history_seed::{self, entry, group};
use support::{Fault, ORG, StagingServer};
use window_support::{World, wait_for, wait_for_text};

const MB: u64 = 1000 * 1000;
const WARNING: &str = "an execution may use";

fn warnings(harness: &egui_kittest::Harness<'_, asteroid_stager::ui::StagerApp>) -> usize {
    harness.query_all_by_label_contains(WARNING).count()
}

#[test]
fn a_group_or_a_selection_over_200_mb_says_so() {
    let world = World::with_good_key();
    let minute = Duration::from_secs(60);
    let (alpha, beta) = (group("Alpha", minute), group("Beta", minute));
    let (exactly, over) = (group("Exactly", minute), group("Over", minute));
    history_seed::write(
        &world.dir.path().join("app/data/history.sqlite3"),
        &world.server_as_recorded(),
        &[
            entry(1, "a.bin", 150 * MB, minute, Some((&alpha, 0))),
            entry(2, "b.bin", 150 * MB, minute, Some((&beta, 0))),
            entry(3, "c1.bin", 100 * MB, minute, Some((&exactly, 0))),
            entry(4, "c2.bin", 100 * MB, minute, Some((&exactly, 1))),
            entry(5, "d1.bin", 100 * MB, minute, Some((&over, 0))),
            entry(6, "d2.bin", 100 * MB + 1, minute, Some((&over, 1))),
        ],
    );
    let mut harness = world.harness(vec![]);
    wait_for(&mut harness, "Copy the ID of d2.bin");
    wait_for(&mut harness, "Copy the ID of a.bin");
    // Of the four groups, only the one over 200 MB says so.
    wait_for_text(&mut harness, "Over");
    assert_eq!(warnings(&harness), 1, "one group is over the limit");
    assert_eq!(
        harness
            .query_all_by_label_contains("more than the 200 MB an execution may use")
            .count(),
        1
    );

    // A selection of exactly 200 MB is not over.
    harness.get_by_label("Select c1.bin").click();
    wait_for_text(&mut harness, "1 file selected");
    harness.get_by_label("Select c2.bin").click();
    wait_for_text(&mut harness, "2 files selected");
    assert_eq!(warnings(&harness), 1, "200 MB is within the limit");
    // One more file, from another group: 350 MB selected, and the selection says so.
    harness.get_by_label("Select a.bin").click();
    wait_for_text(&mut harness, "3 files selected");
    assert_eq!(warnings(&harness), 2, "the selection is over the limit too");
}

/// Runs `stage --org ORG` on one file of `size` bytes (sparse: nothing is written) against
/// a server that refuses it before reading, and returns what it said on stderr.
async fn stage_refused_file_of(size: u64) -> String {
    let server = StagingServer::start().await;
    // Answered before the body is read: the test does not move hundreds of megabytes.
    server.push_faults([Fault::EarlyStatus(413)]);
    let home = tempfile::tempdir().expect("temp dir");
    let file = home.path().join("big.bin");
    std::fs::File::create(&file)
        .and_then(|f| f.set_len(size))
        .expect("sparse file");
    let mut cmd = support::cli::command_for(home.path(), &server);
    cmd.args(["stage", "--org", ORG]).arg(&file);
    let out = support::cli::output(cmd).await;
    let stderr = support::cli::text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "refused: {stderr}");
    assert!(server.ledger().is_empty());
    stderr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stage_says_when_the_files_are_over_200_mb() {
    let over = stage_refused_file_of(200 * MB + 1).await;
    assert!(
        over.contains("Note: an execution takes at most 200 MB of files in all; these are"),
        "{over}"
    );
    let exactly = stage_refused_file_of(200 * MB).await;
    assert!(!exactly.contains("an execution takes at most"), "{exactly}");
}
