//! A real staging server on 127.0.0.1 for the tests, built to behave like the servers the
//! app meets, not to agree with it:
//! - `server`: the HTTP side (plain HTTP/1.1, or TLS with HTTP/1.1 or HTTP/2), its own
//!   accept loop so it can close a connection on purpose or answer before reading;
//! - `ledger`: what the server stored (name, bytes, ID), whether its answer went out, and
//!   the checks that compare it with what the app recorded;
//! - `names`: how real multipart parsers read a file name (multer, busboy, RFC 7578), and
//!   the normalisations some servers apply;
//! - `faults`: what goes wrong with one request; `fault_plan`: faults decided by the file
//!   and its try, not by arrival order;
//! - `signals`: what the server did, in order, for tests to await instead of sleeping;
//! - `cli`: the real binary in a temporary home; `queue_events`: reading a queue's events;
//!   `history_seed`: entries written into a history before the app starts.
#![allow(dead_code, unused_imports)]

pub mod cli;
pub mod fault_plan;
pub mod faults;
pub mod history_seed;
pub mod ledger;
pub mod names;
pub mod proxy;
pub mod queue_events;
pub mod scenario;
pub mod server;
pub mod signals;
pub mod tls;
pub mod window_process;

pub use fault_plan::PlannedTry;
pub use faults::{Fault, NameChange};
pub use ledger::{Delivery, LedgerEntry, LedgerReport};
pub use names::{Normalize, ServerFlavor, busboy_file_name, quoted_filename};
pub use server::{ReceivedPart, ReceivedRequest, ServerOptions, StagingServer, Transport};
pub use signals::ServerEvent;

use std::time::Duration;

use sha2::{Digest, Sha256};

use asteroid_stager::api::{ApiClient, ClientOptions};
use asteroid_stager::endpoint::{BaseUrl, OrganizationId};
use asteroid_stager::history::HistoryStore;
use asteroid_stager::key_store::ApiKey;
use asteroid_stager::local_file::LocalFile;
use asteroid_stager::upload_queue::{
    AddMode, QueueEvent, QueueOptions, Target, UploadId, UploadQueue,
};

pub const ORG: &str = "11111111-2222-3333-4444-555555555555";
pub const KEY: &str = "test-key-0123456789";

/// A D-Bus address where no bus listens: every run of the binary gets it (except the
/// keychain test, which has its own private bus), so no test can reach the keychain of
/// the desktop it runs on.
pub const NO_DBUS: &str = "unix:path=/nonexistent/asteroid-stager-test-bus";

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Makes a file of `size` bytes of a repeating, position-dependent pattern (so a shifted
/// or truncated copy has another hash).
pub fn write_pattern_file(path: &std::path::Path, size: usize) -> String {
    write_seeded_file(path, size, 0)
}

/// The same pattern, shifted by `seed`: files of one size with different seeds have
/// different bytes, so the server's ledger can tell which file it stored.
pub fn write_seeded_file(path: &std::path::Path, size: usize, seed: u64) -> String {
    let bytes = seeded_bytes(size, seed);
    std::fs::write(path, &bytes).unwrap();
    sha256_hex(&bytes)
}

pub fn seeded_bytes(size: usize, seed: u64) -> Vec<u8> {
    let seed = seed as usize;
    (0..size)
        .map(|i| (i * 7 + i / 251 + seed * 131) as u8)
        .collect()
}

/// A client for `server` with the test key.
pub fn client(server: &StagingServer, options: ClientOptions) -> ApiClient {
    ApiClient::new(
        BaseUrl::parse(&server.base_url).unwrap(),
        &ApiKey::new(KEY).unwrap(),
        options,
    )
    .unwrap()
}

/// A queue on the current runtime with `files` added and pointed at `server`. Returns
/// once the queue has looked at the files, with their IDs in the order given.
pub async fn start_queue(
    server: &StagingServer,
    files: Vec<LocalFile>,
    client_options: ClientOptions,
    options: QueueOptions,
    history: Option<HistoryStore>,
) -> (
    UploadQueue,
    tokio::sync::mpsc::UnboundedReceiver<QueueEvent>,
    Vec<UploadId>,
) {
    let (queue, events, ids) = start_paused_queue(files, options, history).await;
    aim(&queue, server, client_options);
    (queue, events, ids)
}

/// Points a queue at `server`: it starts sending.
pub fn aim(queue: &UploadQueue, server: &StagingServer, client_options: ClientOptions) {
    queue.set_target(Some(Target {
        client: client(server, client_options),
        organization: OrganizationId::parse(ORG).unwrap(),
    }));
}

/// A queue with `files` added (and looked at) that sends nothing until [`aim`]ed.
pub async fn start_paused_queue(
    files: Vec<LocalFile>,
    options: QueueOptions,
    history: Option<HistoryStore>,
) -> (
    UploadQueue,
    tokio::sync::mpsc::UnboundedReceiver<QueueEvent>,
    Vec<UploadId>,
) {
    let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    let queue = UploadQueue::start(
        &tokio::runtime::Handle::current(),
        options,
        history,
        std::sync::Arc::new(move |event| {
            let _ = tx.send(event);
        }),
    );
    let paths = files.into_iter().map(|f| f.path).collect();
    let batch = queue.add_paths(paths, None, AddMode::All);
    let mut ids = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("the queue looked at the files in time")
            .expect("the queue is alive");
        match event {
            QueueEvent::Added { id, .. } => ids.push(id),
            QueueEvent::Refused { shown, error, .. } => panic!("{shown} was refused: {error}"),
            QueueEvent::Inspected { batch: b, .. } if b == batch => break,
            _ => {}
        }
    }
    (queue, events, ids)
}
