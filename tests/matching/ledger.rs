//! The app against the server's ledger where servers behave as real ones do: a server
//! that stores files and then loses its answer, renames them (busboy, NFC, percent-decoded),
//! reorders its answer, answers before reading, or a file rewritten in place while it is
//! sent. Each test asserts what must hold on the server's side: no file stored twice
//! without the operator being told, no ID that points at other bytes.

use crate::support;

use std::path::{Path, PathBuf};

use support::scenario::{Meddle, Scenario, run, scenario};
use support::{
    Fault, Normalize, ORG, ServerFlavor, ServerOptions, StagingServer, write_seeded_file,
};

fn small_shared(name: &'static str, names: &[&str], faults: Vec<Fault>) -> Scenario {
    Scenario {
        files: names.len(),
        file_size: 2000,
        names: Some(names.iter().map(|n| (*n).to_owned()).collect()),
        share: true,
        ..scenario(name, faults, names.len())
    }
}

/// A server built on busboy keeps only what follows the last `\`: it stores
/// `back\slash.txt` as `slash.txt` and says so in its answer, which is the name the
/// execute call must be given. The files are stored: sending them again only makes
/// copies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busboy_server_s_names_are_accepted_and_nothing_is_sent_twice() {
    let s = Scenario {
        server: ServerOptions {
            flavor: ServerFlavor::Busboy,
            ..ServerOptions::default()
        },
        ..small_shared(
            "busboy names",
            &["report.pdf", "back\\slash.txt", "dir\\sub\\notes.md"],
            vec![],
        )
    };
    let o = run(&s).await;
    assert_eq!(o.lost(), 0, "{:?}", o.ledger);
    assert_eq!(o.staged, 3, "{:?}", o.failed);
    assert_eq!(
        o.ledger.stored, 3,
        "each file stored once: {:#?}",
        o.entries
    );
    assert_eq!(o.ledger.duplicates + o.ledger.stored_but_reported_failed, 0);
    let names: Vec<&str> = o.history.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(names, ["report.pdf", "slash.txt", "notes.md"]);
}

/// multer (under axum) cannot read a name whose escaped form ends in `\\"`: the part
/// arrives with no name and such a server stores it under an empty one, and says so.
/// Whatever the client makes of that, each file is stored once and every ID it records
/// is its own file's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_multer_cannot_read_does_not_make_copies_of_the_others() {
    let s = small_shared(
        "multer and a trailing backslash",
        &["one.txt", "back\\slash\\", "three.txt"],
        vec![],
    );
    let o = run(&s).await;
    assert_eq!(o.lost(), 0, "{:?}", o.ledger);
    assert!(o.staged >= 2, "{:?}", o.failed);
    assert_eq!(
        o.ledger.duplicates + o.ledger.stored_but_reported_failed,
        0,
        "stored: {:#?}",
        o.entries
    );
}

/// A server that normalises names to NFC (a name typed on macOS arrives in NFD).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_normalising_server_s_names_are_accepted() {
    let nfd = "re\u{301}sume\u{301}.txt";
    let s = Scenario {
        server: ServerOptions {
            normalize: Normalize::Nfc,
            ..ServerOptions::default()
        },
        ..small_shared("NFC names", &[nfd, "plain.txt"], vec![])
    };
    let o = run(&s).await;
    assert_eq!(o.lost(), 0, "{:?}", o.ledger);
    assert_eq!(o.staged, 2, "{:?}", o.failed);
    assert_eq!(
        o.ledger.stored, 2,
        "each file stored once: {:#?}",
        o.entries
    );
    assert_eq!(o.ledger.stored_but_reported_failed, 0);
    assert_eq!(o.history[0].1, "r\u{e9}sum\u{e9}.txt");
}

/// A server that decodes `%22` back to `"`: the client already accepts that name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_percent_decoding_server_s_names_are_accepted() {
    let s = Scenario {
        server: ServerOptions {
            normalize: Normalize::PercentDecoded,
            ..ServerOptions::default()
        },
        ..small_shared("decoded names", &["say \"hi\".txt", "plain.txt"], vec![])
    };
    let o = run(&s).await;
    assert_eq!(o.lost(), 0, "{:?}", o.ledger);
    assert_eq!(o.staged, 2, "{:?}", o.failed);
    assert_eq!(
        o.ledger.stored, 2,
        "each file stored once: {:#?}",
        o.entries
    );
    assert_eq!(o.history[0].1, "say \"hi\".txt");
}

/// A server that lists its answer in another order than the parts. Matching by position
/// alone would give each file another file's ID; the names tell them apart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reordered_answer_never_gives_a_file_another_s_id() {
    let s = small_shared(
        "reordered answer",
        &["one.txt", "two.txt", "three.txt"],
        vec![Fault::Reorder],
    );
    let o = run(&s).await;
    assert!(
        o.ledger.wrong_bytes.is_empty(),
        "an ID that points at another file: {:?}",
        o.ledger.wrong_bytes
    );
    assert_eq!(o.lost(), 0, "{:?}", o.ledger);
    assert_eq!(o.staged, 3, "{:?}", o.failed);
    assert_eq!(
        o.ledger.stored, 3,
        "each file stored once: {:#?}",
        o.entries
    );
}

/// The file is overwritten in place with other bytes of the same length while the server
/// holds the body: its size never changes. What the server stored under the ID the app
/// records must be the file as it was added; otherwise the file must end failed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_rewritten_in_place_while_sent_is_never_stored_as_the_file() {
    let s = Scenario {
        file_size: 32 * 1024 * 1024,
        files: 1,
        meddle: Some(Meddle::RewriteSameSize),
        ..scenario(
            "same-size rewrite while sent",
            vec![Fault::PauseAfter(1_000_000)],
            0,
        )
    };
    let o = run(&s).await;
    assert!(
        o.ledger.wrong_bytes.is_empty(),
        "the ID recorded for the file holds other bytes (a mix of the old and the new \
         content): {:?}; the app said: staged {}, failed {:?}",
        o.ledger.wrong_bytes,
        o.staged,
        o.failed
    );
    // One end, whichever it is, and each said: failed because the file changed, or
    // staged under an ID whose stored bytes are the file as it was added.
    assert_eq!(
        (o.unfinished, o.cancelled, o.staged + o.failed.len()),
        (0, 0, 1),
        "staged {}, failed {:?}",
        o.staged,
        o.failed
    );
    match (o.staged, o.failed.as_slice()) {
        (0, [reason]) => assert!(
            reason.contains("changed while it was being sent"),
            "{reason}"
        ),
        (1, []) => {
            let id = o.files[0]
                .staged_id
                .as_deref()
                .expect("the staged file's ID");
            let stored = o.entries.iter().find(|e| e.id == id).expect("issued");
            assert_eq!(stored.sha256, o.files[0].sha256, "the ID holds other bytes");
        }
        _ => unreachable!("one file, one end"),
    }
}

/// 401 before the body is read, then the connection closed, as a gateway does: the
/// operator hears the key was refused, and nothing is retried or stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_early_401_is_reported_as_a_refused_key() {
    let s = Scenario {
        files: 1,
        file_size: 16 * 1024 * 1024,
        failure_contains: Some(
            "did not accept the API key. Check the key at platform.asteroid.ai → your profile → API Keys and enter it again.\nDetails: HTTP 401",
        ),
        ..scenario("early 401", vec![Fault::EarlyStatus(401)], 0)
    };
    let o = run(&s).await;
    assert_eq!(o.failed.len(), 1, "staged {}: {:?}", o.staged, o.retries);
    assert!(
        o.failed[0].contains(s.failure_contains.unwrap()),
        "{:?}",
        o.failed
    );
    assert!(o.retries.is_empty(), "{:?}", o.retries);
    assert_eq!(o.ledger.stored, 0);
}

/// 413 before the body is read: the operator hears the file is too large.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_early_413_is_reported_as_too_large() {
    let s = Scenario {
        files: 1,
        file_size: 16 * 1024 * 1024,
        ..scenario("early 413", vec![Fault::EarlyStatus(413)], 0)
    };
    let o = run(&s).await;
    assert_eq!(o.failed.len(), 1, "staged {}: {:?}", o.staged, o.retries);
    assert!(o.failed[0].contains("HTTP 413"), "{:?}", o.failed);
    assert!(o.retries.is_empty(), "{:?}", o.retries);
    assert_eq!(o.ledger.stored, 0);
}

async fn stage_with_binary(
    server: &StagingServer,
    home: &Path,
    files: &[PathBuf],
) -> std::process::Output {
    let mut cmd = support::cli::command_for(home, server);
    cmd.args(["stage", "--org", ORG]).args(files);
    support::cli::output(cmd).await
}

/// The server stores the file and then drops the connection without answering: the app
/// sends it again (the second copy is what it records), and tells the operator that a
/// copy may exist twice on the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_stored_then_unanswered_is_resent_and_the_possible_duplicate_is_reported() {
    let server = StagingServer::start().await;
    server.push_faults([Fault::StoreThenDrop]);
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("a.txt");
    let hash = write_seeded_file(&file, 5000, 1);
    let out = stage_with_binary(&server, home.path(), std::slice::from_ref(&file)).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let ledger = server.ledger();
    assert_eq!(
        ledger.len(),
        2,
        "stored, dropped, stored again: {ledger:#?}"
    );
    assert!(ledger.iter().all(|e| e.sha256 == hash));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["tempFiles"][0]["id"], ledger[1].id);
    assert!(
        stderr.to_lowercase().contains("duplicate"),
        "the operator is told a.txt may be on the server twice:\n{stderr}"
    );
}
