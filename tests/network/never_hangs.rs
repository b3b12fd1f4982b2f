//! The command line never hangs: a keychain service that takes the connection and never
//! answers (a locked keyring over SSH) is given up with a plain message, and a file that
//! blocks on open (a FIFO put where a file was) does not block the upload.

use crate::support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use asteroid_stager::api::{ApiError, ClientOptions};
use asteroid_stager::endpoint::OrganizationId;
use asteroid_stager::local_file::LocalFile;
use support::cli::{CliHome, arg, text};
use support::{ORG, StagingServer};

/// The keychain's deadline, as the message says it.
const KEYCHAIN_DEADLINE: Duration = Duration::from_secs(20);

/// A D-Bus session bus that accepts every connection and never says a word.
#[cfg(unix)]
fn silent_bus(dir: &std::path::Path) -> String {
    silent_bus_telling(dir).0
}

/// The same, telling each connection it accepts.
#[cfg(unix)]
fn silent_bus_telling(dir: &std::path::Path) -> (String, tokio::sync::mpsc::UnboundedReceiver<()>) {
    let path = dir.join("silent-bus");
    let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            // Kept open, never written to.
            held.push(stream);
            let _ = tx.send(());
        }
    });
    (format!("unix:path={}", path.display()), rx)
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keychain_that_never_answers_ends_with_a_plain_message() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let file = home.file("a.txt", 100);
    let bus = silent_bus(home.path());
    let started = Instant::now();
    let out = home
        .run(
            &["stage", "--org", ORG, arg(&file)],
            &[
                ("ASTEROID_BASE_URL", server.base_url.as_str()),
                ("DBUS_SESSION_BUS_ADDRESS", bus.as_str()),
            ],
        )
        .await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("The keychain did not answer in 20 seconds")
            && stderr.contains("ASTEROID_API_KEY")
            && stderr.contains("unlock the keychain"),
        "{stderr}"
    );
    assert!(stderr.contains("Nothing was uploaded."), "{stderr}");
    assert!(server.requests().is_empty());
    // Not a timed assertion of the app's speed: the proof that it gave up on its own,
    // not after the test's own limit.
    assert!(
        started.elapsed() < KEYCHAIN_DEADLINE + Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}

/// A file added, then replaced by a FIFO before it is sent: the upload ends with a plain
/// message instead of blocking on the open (which waits for a writer that never comes).
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_swapped_for_a_fifo_does_not_block_the_upload() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let path = home.file("scan.pdf", 1000);
    let file = LocalFile::inspect(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&path).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("note: mkfifo unavailable; check skipped");
        return;
    }
    let client = support::client(&server, ClientOptions::default());
    let org = OrganizationId::parse(ORG).unwrap();
    let staged = tokio::time::timeout(
        Duration::from_secs(30),
        client.stage(&org, std::slice::from_ref(&file), Arc::new(|_, _| {})),
    )
    .await;
    if staged.is_err() {
        // Let the blocked open go, so the test ends and reports instead of hanging.
        let _ = std::fs::OpenOptions::new().write(true).open(&path);
        panic!("the upload blocked on the FIFO");
    }
    let error = staged.unwrap().unwrap_err();
    assert!(matches!(error, ApiError::FileChanged { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("scan.pdf changed while it was being sent"),
        "{error}"
    );
    assert!(server.requests().is_empty(), "nothing was sent");
}

/// Ctrl-C while the keychain does not answer: the command ends (it used to wait for the
/// stuck keychain call for ever, whatever was pressed).
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_while_the_keychain_does_not_answer_ends_the_command() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let file = home.file("a.txt", 100);
    let (bus, mut accepted) = silent_bus_telling(home.path());
    let child = home
        .command(
            &["stage", "--org", ORG, arg(&file)],
            &[
                ("ASTEROID_BASE_URL", server.base_url.as_str()),
                ("DBUS_SESSION_BUS_ADDRESS", bus.as_str()),
            ],
        )
        .spawn()
        .unwrap();
    tokio::time::timeout(Duration::from_secs(60), accepted.recv())
        .await
        .expect("the command called the keychain")
        .unwrap();
    let pid = child.id().expect("running") as i32;
    // SAFETY: a signal to our own child process.
    unsafe { libc::kill(pid, libc::SIGINT) };
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("the command ended after Ctrl-C")
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("Interrupted before anything was sent. Nothing was uploaded."),
        "{stderr}"
    );
    assert!(server.requests().is_empty());
}
