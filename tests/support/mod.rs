//! A real staging server on 127.0.0.1 for the tests: it parses the multipart body as it
//! streams in, records what arrived (sizes, SHA-256, names, raw headers), and can inject
//! the faults a real network and server produce.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
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

/// What the server does with one staging request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer with this status and plain text after reading the body.
    Status(u16, &'static str),
    /// 429 with `Retry-After: secs`.
    TooManyRequests(u64),
    /// Read this many body bytes, then drop the connection.
    DropAfter(usize),
    /// Read this many body bytes, then stop reading for a while (the test changes the
    /// file meanwhile), then go on.
    PauseAfter(usize, Duration),
    /// Answer 500 with this many bytes of text.
    HugeError(usize),
    /// A 200 whose body is this text.
    Body200(String),
    /// Stop reading the body for this long (a stalled upload).
    StallReading(Duration),
    /// Read the body, then wait this long before answering.
    SlowAnswer(Duration),
    /// 307 to this path on the same server (`{org}` is replaced).
    RedirectSameHost(String),
    /// 307 to another address entirely.
    RedirectTo(String),
}

#[derive(Debug, Clone, Default)]
pub struct ReceivedPart {
    pub field: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    /// The part's raw Content-Disposition header, exactly as sent.
    pub raw_disposition: Vec<u8>,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, Default)]
pub struct ReceivedRequest {
    pub path: String,
    pub asteroid_key: Option<String>,
    pub x_api_key: Option<String>,
    pub content_length: Option<u64>,
    pub chunked: bool,
    pub parts: Vec<ReceivedPart>,
    /// False when the body did not arrive whole.
    pub complete: bool,
}

#[derive(Default)]
struct Shared {
    faults: Mutex<VecDeque<Fault>>,
    requests: Mutex<Vec<ReceivedRequest>>,
    /// Names of the files answered 200, in order.
    staged_names: Mutex<Vec<String>>,
    /// IDs are handed out in order (…-000000000001, …-000000000002), so tests can name them.
    issued_ids: Mutex<u64>,
    context_calls: Mutex<u32>,
    organizations: Mutex<Vec<(String, String)>>,
    delay: Mutex<Duration>,
    /// Skip hashing part bodies (their `sha256` stays empty): for benchmarks, where
    /// hashing a gigabyte would cost more than receiving it.
    discard: AtomicBool,
}

#[derive(Clone)]
pub struct StagingServer {
    pub base_url: String,
    pub port: u16,
    shared: Arc<Shared>,
}

impl StagingServer {
    /// Starts on an ephemeral port on the current tokio runtime.
    pub async fn start() -> Self {
        let shared = Arc::new(Shared::default());
        shared
            .organizations
            .lock()
            .unwrap()
            .push((ORG.to_owned(), "Acme Research".to_owned()));
        let app = Router::new()
            .route("/agents/v2/context", get(context))
            .route("/agents/v2/temp-files/{org}", post(stage))
            .route("/agents/v2/moved/{org}", post(stage))
            .layer(axum::extract::DefaultBodyLimit::disable())
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base_url: format!("http://127.0.0.1:{port}/agents/v2"),
            port,
            shared,
        }
    }

    /// Faults for the next requests, one each, in order; then requests succeed.
    pub fn push_faults(&self, faults: impl IntoIterator<Item = Fault>) {
        self.shared.faults.lock().unwrap().extend(faults);
    }

    /// A pause before every answer, like a real server's processing time.
    pub fn set_delay(&self, delay: Duration) {
        *self.shared.delay.lock().unwrap() = delay;
    }

    /// Whether each part's SHA-256 is computed (the default). Off, the server still reads
    /// and counts every byte but leaves `sha256` empty.
    pub fn set_hashing(&self, on: bool) {
        self.shared.discard.store(!on, Ordering::Relaxed);
    }

    pub fn set_organizations(&self, orgs: &[(&str, &str)]) {
        *self.shared.organizations.lock().unwrap() = orgs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
    }

    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// Every part of every complete request, in arrival order.
    pub fn received_parts(&self) -> Vec<ReceivedPart> {
        self.requests()
            .into_iter()
            .filter(|r| r.complete)
            .flat_map(|r| r.parts)
            .collect()
    }

    /// Names of the files the server staged (answered 200), in order.
    pub fn staged_names(&self) -> Vec<String> {
        self.shared.staged_names.lock().unwrap().clone()
    }

    /// Names of the files in every request, staged or not.
    pub fn received_names(&self) -> Vec<String> {
        self.requests()
            .into_iter()
            .flat_map(|r| r.parts)
            .filter_map(|p| p.file_name)
            .collect()
    }

    /// Lists one more organization in `GET /context`.
    pub fn add_organization(&self, id: &str, name: &str) {
        self.shared
            .organizations
            .lock()
            .unwrap()
            .push((id.to_owned(), name.to_owned()));
    }

    pub fn context_calls(&self) -> u32 {
        *self.shared.context_calls.lock().unwrap()
    }
}

fn key_ok(headers: &HeaderMap) -> bool {
    headers
        .get("x-asteroid-agents-api-key")
        .and_then(|v| v.to_str().ok())
        == Some(KEY)
}

async fn context(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    *shared.context_calls.lock().unwrap() += 1;
    if !key_ok(&headers) {
        return (StatusCode::UNAUTHORIZED, "Unauthorized").into_response();
    }
    let orgs: Vec<_> = shared
        .organizations
        .lock()
        .unwrap()
        .iter()
        .map(|(id, name)| serde_json::json!({"id": id, "name": name}))
        .collect();
    axum::Json(
        serde_json::json!({"userId": "u-1", "email": "op@example.com", "organizations": orgs}),
    )
    .into_response()
}

async fn stage(
    State(shared): State<Arc<Shared>>,
    Path(org): Path<String>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let mut record = ReceivedRequest {
        path: format!("/temp-files/{org}"),
        asteroid_key: header("x-asteroid-agents-api-key"),
        x_api_key: header("x-api-key"),
        content_length: header("content-length").and_then(|v| v.parse().ok()),
        chunked: header("transfer-encoding").is_some_and(|v| v.contains("chunked")),
        ..Default::default()
    };
    let fault = shared.faults.lock().unwrap().pop_front();
    let delay = *shared.delay.lock().unwrap();
    let hashing = !shared.discard.load(Ordering::Relaxed);

    match &fault {
        Some(Fault::RedirectSameHost(path)) => {
            shared.requests.lock().unwrap().push(record);
            let to = path.replace("{org}", &org);
            return (StatusCode::TEMPORARY_REDIRECT, [("location", to)]).into_response();
        }
        Some(Fault::RedirectTo(url)) => {
            shared.requests.lock().unwrap().push(record);
            return (StatusCode::TEMPORARY_REDIRECT, [("location", url.clone())]).into_response();
        }
        Some(Fault::StallReading(d)) => tokio::time::sleep(*d).await,
        _ => {}
    }
    let drop_after = match &fault {
        Some(Fault::DropAfter(n)) => Some(*n as u64),
        _ => None,
    };
    let mut pause_after = match &fault {
        Some(Fault::PauseAfter(n, d)) => Some((*n as u64, *d)),
        _ => None,
    };

    let mut read_so_far = 0u64;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => {
                record.complete = true;
                break;
            }
            Err(_) => break,
        };
        let mut part = ReceivedPart {
            field: field.name().unwrap_or_default().to_owned(),
            file_name: field
                .headers()
                .get("content-disposition")
                .and_then(|v| quoted_filename(v.as_bytes())),
            content_type: field.content_type().map(str::to_owned),
            raw_disposition: field
                .headers()
                .get("content-disposition")
                .map(|v| v.as_bytes().to_vec())
                .unwrap_or_default(),
            ..Default::default()
        };
        let mut hasher = Sha256::new();
        let mut field = field;
        let mut broken = false;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    part.size += chunk.len() as u64;
                    read_so_far += chunk.len() as u64;
                    if hashing {
                        hasher.update(&chunk);
                    }
                    if let Some((n, pause)) = pause_after
                        && read_so_far >= n
                    {
                        pause_after = None;
                        tokio::time::sleep(pause).await;
                    }
                    if drop_after.is_some_and(|n| read_so_far >= n) {
                        record.parts.push(part);
                        shared.requests.lock().unwrap().push(record);
                        // Ends the connection task without an answer (and without the
                        // panic hook's noise): the client sees the connection drop.
                        std::panic::resume_unwind(Box::new("dropping the connection"));
                    }
                }
                Ok(None) => break,
                Err(_) => {
                    broken = true;
                    break;
                }
            }
        }
        if hashing {
            part.sha256 = hex::encode(hasher.finalize());
        }
        record.parts.push(part);
        if broken {
            break;
        }
    }
    let complete = record.complete;
    let names: Vec<String> = record
        .parts
        .iter()
        .map(|p| p.file_name.clone().unwrap_or_default())
        .collect();
    let key_ok = key_ok(&headers);
    shared.requests.lock().unwrap().push(record);

    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    if !complete {
        return (StatusCode::BAD_REQUEST, "Invalid file upload request.").into_response();
    }
    if !key_ok {
        return (StatusCode::UNAUTHORIZED, "Unauthorized").into_response();
    }
    match fault {
        Some(Fault::Status(code, text)) => {
            (StatusCode::from_u16(code).unwrap(), text.to_owned()).into_response()
        }
        Some(Fault::HugeError(len)) => {
            (StatusCode::INTERNAL_SERVER_ERROR, "x".repeat(len)).into_response()
        }
        Some(Fault::TooManyRequests(secs)) => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", secs.to_string())],
            "Too many requests",
        )
            .into_response(),
        Some(Fault::Body200(text)) => Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(Body::from(text))
            .unwrap(),
        Some(Fault::SlowAnswer(d)) => {
            tokio::time::sleep(d).await;
            staged_answer(&shared, names)
        }
        _ => staged_answer(&shared, names),
    }
}

fn staged_answer(shared: &Shared, names: Vec<String>) -> Response {
    let files: Vec<_> = names
        .iter()
        .map(|n| {
            let mut issued = shared.issued_ids.lock().unwrap();
            *issued += 1;
            let id = format!("00000000-0000-4000-8000-{:012}", *issued);
            serde_json::json!({"id": id, "name": n})
        })
        .collect();
    shared.staged_names.lock().unwrap().extend(names);
    axum::Json(serde_json::json!({ "tempFiles": files })).into_response()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Makes a file of `size` bytes of a repeating, position-dependent pattern (so a shifted
/// or truncated copy has another hash).
pub fn write_pattern_file(path: &std::path::Path, size: usize) -> String {
    let bytes: Vec<u8> = (0..size).map(|i| (i * 7 + i / 251) as u8).collect();
    std::fs::write(path, &bytes).unwrap();
    sha256_hex(&bytes)
}

/// The `filename` parameter as a careful server reads it (RFC 7578 / RFC 9110
/// quoted-string: a backslash escapes the next character). multer's own reading stops at
/// any `\"`, which a name ending in a backslash produces.
pub fn quoted_filename(disposition: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(disposition).ok()?;
    let start = text.find("; filename=\"")? + "; filename=\"".len();
    let mut out = String::new();
    let mut chars = text[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            '"' => return Some(out),
            c => out.push(c),
        }
    }
    None
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
