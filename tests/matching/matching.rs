//! Matching answers to files: whatever order a server answers in and however it changes
//! names, every ID printed and recorded is the one the server issued for that file's bytes,
//! checked against the server's ledger and the history on disk.

use crate::support;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use support::cli::{CliHome, printed_temp_files};
use support::{Normalize, ServerFlavor, ServerOptions, StagingServer, sha256_hex};

/// Writes each name it can (an OS may refuse `"` or `\`, or fold NFC and NFD into one
/// name) with bytes of its own; returns the names written.
fn write_confusable_files(folder: &Path) -> Vec<String> {
    let names = [
        "\u{e9}.txt",
        "e\u{301}.txt",
        "x\".txt",
        "x%22.txt",
        "a\\b.txt",
        "b.txt",
    ];
    let mut written = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let path = folder.join(name);
        if path.exists() || std::fs::write(&path, format!("file {i}: {name}")).is_err() {
            continue;
        }
        written.push((*name).to_owned());
    }
    // The files must be distinct on disk for the test to mean anything.
    let on_disk = std::fs::read_dir(folder).unwrap().count();
    assert_eq!(on_disk, written.len());
    written
}

/// Each ID printed is the history's for the same file, in the same order, and each ID in
/// the history was issued by the server for the bytes of the file it names.
fn assert_every_id_is_its_files(server: &StagingServer, home: &CliHome, stdout: &[u8]) {
    let printed = printed_temp_files(stdout);
    let mut history = home.history();
    history.sort_by_key(|e| e.place_in_group);
    let ledger: HashMap<String, String> = server
        .ledger()
        .into_iter()
        .map(|e| (e.id, e.sha256))
        .collect();
    let printed_ids: Vec<&str> = printed.iter().map(|(id, _)| id.as_str()).collect();
    let history_ids: Vec<&str> = history.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(printed_ids, history_ids, "printed and recorded alike");
    let distinct: HashSet<&str> = printed_ids.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        printed_ids.len(),
        "one ID per file: {printed:?}"
    );
    for entry in &history {
        let source = entry.source.as_ref().expect("a source");
        let bytes = std::fs::read(&source.path).unwrap();
        assert_eq!(
            ledger.get(&entry.id),
            Some(&sha256_hex(&bytes)),
            "{} was given {}, which the server issued for other bytes",
            source.relative_path,
            entry.id
        );
    }
}

async fn stage_confusable_names(flavor: ServerFlavor, normalize: Normalize) {
    let server = StagingServer::start_with(ServerOptions {
        reorder: true,
        flavor,
        normalize,
        ..ServerOptions::default()
    })
    .await;
    let home = CliHome::new();
    let folder = home.folder("Confusable");
    let names = write_confusable_files(&folder);
    let out = home
        .run_on(&server.base_url, &["stage", folder.to_str().unwrap()])
        .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(home.history().len(), names.len(), "{stderr}");
    assert_every_id_is_its_files(&server, &home, &out.stdout);
    // Nothing had to be sent twice: the names were kept apart from the start.
    assert_eq!(server.ledger().len(), names.len(), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confusable_names_answered_in_reverse_keep_their_own_ids() {
    stage_confusable_names(ServerFlavor::Multer, Normalize::AsRead).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confusable_names_answered_in_reverse_by_a_normalising_server_keep_their_own_ids() {
    stage_confusable_names(ServerFlavor::Multer, Normalize::Nfc).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confusable_names_answered_in_reverse_by_a_server_that_cuts_paths_keep_their_own_ids() {
    stage_confusable_names(ServerFlavor::Busboy, Normalize::PercentDecoded).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_id_for_two_files_sends_each_again_alone_with_the_twice_note() {
    let server = StagingServer::start_with(ServerOptions {
        repeat_first_id: true,
        ..ServerOptions::default()
    })
    .await;
    let home = CliHome::new();
    let folder = home.folder("Pair");
    std::fs::write(folder.join("a.txt"), "the first file").unwrap();
    std::fs::write(folder.join("b.txt"), "the second file").unwrap();
    let out = home
        .run_on(&server.base_url, &["stage", folder.to_str().unwrap()])
        .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(home.history().len(), 2, "no record dropped: {stderr}");
    assert_every_id_is_its_files(&server, &home, &out.stdout);
    // The shared request stored both; each went again alone and may be there twice.
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "one shared request, then one per file");
    assert!(requests[1..].iter().all(|r| r.parts.len() == 1));
    assert_eq!(
        stderr.matches("may be on the server twice").count(),
        2,
        "{stderr}"
    );
}
