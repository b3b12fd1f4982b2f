//! The HTTP side of the test server: an axum app served by its own accept loop (plain
//! HTTP/1.1, or TLS with HTTP/1.1 or HTTP/2 chosen by ALPN), so that a fault can close the
//! connection it came on, or answer before reading the body and then close as a proxy
//! does (the write side shut, what the client still sends read and dropped for a while).
//!
//! As strict as the real API, so a client that sends the wrong thing fails here too: 400
//! `Invalid file upload request.` for a part not named `files`, a part without a file name
//! or a request with no file part; 403 `User is not a member of the organization.` for an
//! organization the test key is not in (tests that stage elsewhere add it with
//! [`StagingServer::add_organization`]).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hyper_util::rt::{TokioExecutor, TokioIo};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::watch;
use tower::ServiceExt;

use super::fault_plan::{FaultPlan, Planned, PlannedTry};
use super::faults::Fault;
use super::ledger::{Delivery, LedgerEntry};
use super::names::{Normalize, ServerFlavor, busboy_file_name, quoted_filename};
use super::signals::{ServerEvent, Signals};
use super::{KEY, ORG};

/// How clients reach the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Transport {
    /// `http://127.0.0.1:port`, HTTP/1.1.
    #[default]
    Http1,
    /// `https://127.0.0.1:port` with a certificate from a test CA ([`StagingServer::ca_pem`]);
    /// ALPN offers `h2` too when `http2`.
    Tls { http2: bool },
    /// TLS with a certificate from the same test CA that expired years ago (HTTP/1.1).
    TlsExpired,
}

#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    pub transport: Transport,
    pub flavor: ServerFlavor,
    pub normalize: Normalize,
    /// Answer every staging request with its entries in reverse order.
    pub reorder: bool,
    /// Answer every entry of a staging request with the ID of its first file (each file
    /// is still stored under its own ID in the ledger): a server that repeats an ID.
    pub repeat_first_id: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ReceivedPart {
    pub field: String,
    /// The name as this server stored it: its flavor's reading, then its normalisation.
    pub file_name: Option<String>,
    /// multer's reading (`Field::file_name()`), whatever the flavor.
    pub multer_name: Option<String>,
    /// busboy's reading.
    pub busboy_name: Option<String>,
    /// The RFC 7578 quoted-string reading.
    pub rfc_name: Option<String>,
    pub content_type: Option<String>,
    /// The part's raw Content-Disposition header, exactly as sent.
    pub raw_disposition: Vec<u8>,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, Default)]
pub struct ReceivedRequest {
    pub path: String,
    /// "HTTP/1.1" or "HTTP/2.0".
    pub version: String,
    pub asteroid_key: Option<String>,
    pub x_api_key: Option<String>,
    pub content_length: Option<u64>,
    pub chunked: bool,
    pub parts: Vec<ReceivedPart>,
    /// False when the body did not arrive whole.
    pub complete: bool,
}

pub(crate) struct Shared {
    faults: Mutex<VecDeque<Fault>>,
    requests: Mutex<Vec<ReceivedRequest>>,
    /// Names in 200 answers that reached the connection, in order.
    staged_names: Mutex<Vec<String>>,
    /// IDs are handed out in order (…-000000000001, …-000000000002), so tests can name them.
    issued_ids: Mutex<u64>,
    ledger: Mutex<Vec<LedgerEntry>>,
    context_calls: Mutex<u32>,
    /// TCP connections accepted (before any TLS handshake): what a client tried.
    connections: std::sync::atomic::AtomicUsize,
    /// `GET /context` sends its headers and the start of its body, then nothing more.
    context_stalls: AtomicBool,
    /// `GET /context` answers 200 with this body instead of the account (when set).
    context_body: Mutex<Option<String>>,
    organizations: Mutex<Vec<(String, String)>>,
    delay: Mutex<Duration>,
    /// Skip hashing part bodies (their `sha256` stays empty): for benchmarks, where
    /// hashing a gigabyte would cost more than receiving it.
    discard: AtomicBool,
    options: Mutex<ServerOptions>,
    pub(crate) signals: Signals,
    /// Faults decided per file and try (when no queued fault is left), and their log.
    planned: Planned,
    /// Moves on at each `resume()`; a paused request waits for it to move.
    resume: watch::Sender<u64>,
}

#[derive(Clone)]
pub struct StagingServer {
    pub base_url: String,
    pub port: u16,
    /// The test CA's certificate (PEM) when the server speaks TLS: what a client must
    /// trust (e.g. `SSL_CERT_FILE`).
    pub ca_pem: Option<String>,
    shared: Arc<Shared>,
}

impl StagingServer {
    /// Starts on an ephemeral port on the current tokio runtime: plain HTTP/1.1, multer's
    /// reading of names.
    pub async fn start() -> Self {
        Self::start_with(ServerOptions::default()).await
    }

    pub async fn start_with(options: ServerOptions) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::start_on(listener, options)
    }

    /// A port on 127.0.0.1 where nothing listens now; [`StagingServer::start_on_port`]
    /// can bind it later (a server that starts late, or comes back).
    pub fn free_port() -> u16 {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    }

    /// Starts on `port` (see [`StagingServer::free_port`]).
    pub async fn start_on_port(port: u16, options: ServerOptions) -> Self {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        Self::start_on(listener, options)
    }

    fn start_on(listener: tokio::net::TcpListener, options: ServerOptions) -> Self {
        let shared = Arc::new(Shared {
            faults: Mutex::default(),
            requests: Mutex::default(),
            staged_names: Mutex::default(),
            issued_ids: Mutex::default(),
            ledger: Mutex::default(),
            context_calls: Mutex::default(),
            connections: std::sync::atomic::AtomicUsize::new(0),
            context_stalls: AtomicBool::new(false),
            context_body: Mutex::default(),
            organizations: Mutex::new(vec![(ORG.to_owned(), "Acme Research".to_owned())]),
            delay: Mutex::default(),
            discard: AtomicBool::new(false),
            options: Mutex::new(options.clone()),
            signals: Signals::default(),
            planned: Planned::default(),
            resume: watch::channel(0).0,
        });
        let app = Router::new()
            .route("/agents/v2/context", get(context))
            .route("/agents/v2/temp-files/{org}", post(stage))
            .route("/agents/v2/moved/{org}", post(stage))
            .layer(axum::extract::DefaultBodyLimit::disable())
            .with_state(shared.clone());
        let port = listener.local_addr().unwrap().port();
        let (scheme, acceptor, ca_pem) = match options.transport {
            Transport::Http1 => ("http", None, None),
            Transport::Tls { http2 } => {
                let tls = super::tls::TestTls::new(http2);
                ("https", Some(tls.acceptor), Some(tls.ca_pem))
            }
            Transport::TlsExpired => {
                let tls = super::tls::TestTls::expired();
                ("https", Some(tls.acceptor), Some(tls.ca_pem))
            }
        };
        tokio::spawn(accept_loop(listener, app, acceptor, shared.clone()));
        Self {
            base_url: format!("{scheme}://127.0.0.1:{port}/agents/v2"),
            port,
            ca_pem,
            shared,
        }
    }

    /// Faults for the next requests, one each, in order; then requests succeed.
    pub fn push_faults(&self, faults: impl IntoIterator<Item = Fault>) {
        self.shared.faults.lock().unwrap().extend(faults);
    }

    /// Faults decided by `plan(file name, try)` for every request once the queued faults
    /// (`push_faults`) are used up: the request's first file and how many requests
    /// carried it before decide, not the order requests arrive in.
    pub fn plan_faults(&self, plan: impl Fn(&str, u32) -> Fault + Send + Sync + 'static) {
        let plan: Arc<FaultPlan> = Arc::new(plan);
        self.shared.planned.set(plan);
    }

    /// Every request the plan decided, in order: the per-file log of tries.
    pub fn planned_tries(&self) -> Vec<PlannedTry> {
        self.shared.planned.log()
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

    pub fn set_flavor(&self, flavor: ServerFlavor) {
        self.shared.options.lock().unwrap().flavor = flavor;
    }

    pub fn set_normalize(&self, normalize: Normalize) {
        self.shared.options.lock().unwrap().normalize = normalize;
    }

    pub fn set_reorder(&self, reorder: bool) {
        self.shared.options.lock().unwrap().reorder = reorder;
    }

    pub fn set_repeat_first_id(&self, repeat: bool) {
        self.shared.options.lock().unwrap().repeat_first_id = repeat;
    }

    pub fn set_organizations(&self, orgs: &[(&str, &str)]) {
        *self.shared.organizations.lock().unwrap() = orgs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
    }

    /// Lists one more organization in `GET /context`.
    pub fn add_organization(&self, id: &str, name: &str) {
        self.shared
            .organizations
            .lock()
            .unwrap()
            .push((id.to_owned(), name.to_owned()));
    }

    /// Lets every paused request (`PauseAfter`, `StallReading`) go on.
    pub fn resume(&self) {
        self.shared.resume.send_modify(|n| *n += 1);
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

    /// Names in the 200 answers that reached the connection, in order.
    pub fn staged_names(&self) -> Vec<String> {
        self.shared.staged_names.lock().unwrap().clone()
    }

    /// Names of the files in every request, stored or not.
    pub fn received_names(&self) -> Vec<String> {
        self.requests()
            .into_iter()
            .flat_map(|r| r.parts)
            .filter_map(|p| p.file_name)
            .collect()
    }

    /// Makes `GET /context` answer its headers and then stall in the middle of its body.
    pub fn stall_context(&self, stall: bool) {
        self.shared.context_stalls.store(stall, Ordering::Relaxed);
    }

    /// Makes `GET /context` answer 200 with `body` (JSON or not) instead of the account.
    pub fn set_context_body(&self, body: Option<String>) {
        *self.shared.context_body.lock().unwrap() = body;
    }

    /// TCP connections accepted so far, whether or not a request followed (a client that
    /// refused the certificate still connected once).
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    pub fn context_calls(&self) -> u32 {
        *self.shared.context_calls.lock().unwrap()
    }

    /// Every file the server stored, in order: the truth about what exists on the server.
    pub fn ledger(&self) -> Vec<LedgerEntry> {
        self.shared.ledger.lock().unwrap().clone()
    }

    /// Numbers the next IDs from `first`: two servers in one test then never issue the
    /// same ID (as two real servers never would).
    pub fn number_ids_from(&self, first: u64) {
        *self.shared.issued_ids.lock().unwrap() = first.saturating_sub(1);
    }

    /// The IDs the server issued, in order.
    pub fn issued_ids(&self) -> Vec<String> {
        self.ledger().into_iter().map(|e| e.id).collect()
    }

    /// The names the server stored files under, in order.
    pub fn stored_names(&self) -> Vec<String> {
        self.ledger().into_iter().map(|e| e.name).collect()
    }

    /// Forgets every request, stored file and event (IDs keep counting). Only while no
    /// request is in flight (see [`StagingServer::wait_idle`]): for benchmarks, whose
    /// thousands of runs would otherwise make each look-up slower.
    pub fn clear(&self) {
        self.shared.requests.lock().unwrap().clear();
        self.shared.ledger.lock().unwrap().clear();
        self.shared.staged_names.lock().unwrap().clear();
        self.shared.signals.clear();
        self.shared.planned.clear();
    }

    /// What the server did so far, in order.
    pub fn events(&self) -> Vec<ServerEvent> {
        self.shared.signals.events()
    }

    /// Waits (at most `within`) until `done` holds for the server's events.
    pub async fn wait_for(
        &self,
        what: &str,
        within: Duration,
        done: impl Fn(&[ServerEvent]) -> bool,
    ) -> Vec<ServerEvent> {
        self.shared.signals.wait_for(what, within, done).await
    }

    /// Waits until some request paused (`PauseAfter`, `StallReading`); returns its index.
    pub async fn wait_paused(&self, within: Duration) -> usize {
        let events = self
            .wait_for("pause a request", within, |e| {
                e.iter().any(|e| matches!(e, ServerEvent::Paused { .. }))
            })
            .await;
        events
            .iter()
            .find(|e| matches!(e, ServerEvent::Paused { .. }))
            .map(ServerEvent::request)
            .unwrap_or_default()
    }

    /// Waits until every request that started has ended (its handler is done).
    pub async fn wait_idle(&self, within: Duration) {
        self.wait_for("end every request", within, |events| {
            let started = events
                .iter()
                .filter(|e| matches!(e, ServerEvent::RequestStarted { .. }))
                .count();
            let ended = events
                .iter()
                .filter(|e| matches!(e, ServerEvent::RequestEnded { .. }))
                .count();
            started == ended
        })
        .await;
    }
}

/// Per connection: how to close it on purpose, and whether to linger when closing.
#[derive(Default)]
struct Connection {
    abort: Mutex<Option<tokio::task::AbortHandle>>,
    drop_asked: AtomicBool,
    linger: AtomicBool,
}

impl Connection {
    /// Closes the connection now, whatever is in flight on it.
    fn drop_now(&self) {
        self.drop_asked.store(true, Ordering::SeqCst);
        if let Some(abort) = self.abort.lock().unwrap().as_ref() {
            abort.abort();
        }
    }
}

async fn accept_loop(
    listener: tokio::net::TcpListener,
    app: Router,
    tls: Option<tokio_rustls::TlsAcceptor>,
    shared: Arc<Shared>,
) {
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        shared.connections.fetch_add(1, Ordering::SeqCst);
        let _ = tcp.set_nodelay(true);
        let connection = Arc::new(Connection::default());
        let task = tokio::spawn({
            let app = app.clone();
            let tls = tls.clone();
            let connection = connection.clone();
            async move {
                match tls {
                    None => serve_http1(tcp, app, connection).await,
                    Some(acceptor) => {
                        let Ok(stream) = acceptor.accept(tcp).await else {
                            return;
                        };
                        if stream.get_ref().1.alpn_protocol() == Some(&b"h2"[..]) {
                            let service = service(app, connection);
                            let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                                .serve_connection(TokioIo::new(stream), service)
                                .await;
                        } else {
                            serve_http1(stream, app, connection).await;
                        }
                    }
                }
            }
        });
        *connection.abort.lock().unwrap() = Some(task.abort_handle());
        if connection.drop_asked.load(Ordering::SeqCst) {
            task.abort();
        }
    }
}

/// The app, with the connection a request came on in the request's extensions.
#[derive(Clone)]
struct Service {
    app: Router,
    connection: Arc<Connection>,
}

impl hyper::service::Service<hyper::Request<hyper::body::Incoming>> for Service {
    type Response = Response;
    type Error = Infallible;
    type Future = tower::util::Oneshot<Router, Request>;

    fn call(&self, mut request: hyper::Request<hyper::body::Incoming>) -> Self::Future {
        request.extensions_mut().insert(self.connection.clone());
        self.app.clone().oneshot(request.map(Body::new))
    }
}

fn service(app: Router, connection: Arc<Connection>) -> Service {
    Service { app, connection }
}

async fn serve_http1<I>(io: I, app: Router, connection: Arc<Connection>)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let served = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(io), service(app, connection.clone()))
        .without_shutdown()
        .await;
    let Ok(parts) = served else { return };
    let mut io = parts.io.into_inner();
    let _ = io.shutdown().await;
    if connection.linger.load(Ordering::SeqCst) {
        // As proxies do after an early answer: the client may still be sending; read and
        // drop it for a while, so closing does not reset the connection before the
        // client has read the answer.
        let mut sink = vec![0u8; 64 * 1024];
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while let Ok(Ok(n)) = tokio::time::timeout_at(deadline, io.read(&mut sink)).await {
            if n == 0 {
                break;
            }
        }
    }
}

/// A part the staging endpoint takes: named `files`, with a `filename` parameter (however
/// a parser then reads it).
fn is_file_part(part: &ReceivedPart) -> bool {
    let disposition = String::from_utf8_lossy(&part.raw_disposition).to_ascii_lowercase();
    part.field == "files"
        && disposition
            .split(';')
            .skip(1)
            .any(|param| param.trim_start().starts_with("filename"))
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
    if let Some(body) = shared.context_body.lock().unwrap().clone() {
        return Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(Body::from(body))
            .unwrap();
    }
    if shared.context_stalls.load(Ordering::Relaxed) {
        let start = futures_util::stream::once(async {
            Ok::<_, std::io::Error>(axum::body::Bytes::from_static(b"{\"userId\": \"u-"))
        });
        let body = Body::from_stream(futures_util::StreamExt::chain(
            start,
            futures_util::stream::pending(),
        ));
        return Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(body)
            .unwrap();
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

/// If the handler is dropped before it made an answer (its connection went away), marks
/// the request's stored files whose answer never went out, and ends the request. When it
/// does make one, the answer's body ends the request once written or dropped.
struct RequestGuard {
    shared: Arc<Shared>,
    request: usize,
    answered: bool,
}

impl Drop for RequestGuard {
    fn drop(&mut self) {
        // usize::MAX: stopped before the request was even recorded.
        if !self.answered && self.request != usize::MAX {
            lost(
                &self.shared,
                self.request,
                "the handler was stopped before answering",
            );
            self.shared.signals.emit(ServerEvent::RequestEnded {
                request: self.request,
            });
        }
    }
}

/// Marks the request's stored files still waiting for their answer as never answered.
fn lost(shared: &Shared, request: usize, reason: &str) {
    let mut any = false;
    for entry in shared.ledger.lock().unwrap().iter_mut() {
        if entry.request == request && entry.delivery == Delivery::Pending {
            entry.delivery = Delivery::Lost(reason.to_owned());
            any = true;
        }
    }
    if any {
        shared.signals.emit(ServerEvent::AnswerLost { request });
    }
}

impl Shared {
    /// Whether the test key belongs to `org` (one of the organizations `/context` lists).
    fn is_member(&self, org: &str) -> bool {
        self.organizations
            .lock()
            .unwrap()
            .iter()
            .any(|(id, _)| id == org)
    }

    fn update(&self, request: usize, change: impl FnOnce(&mut ReceivedRequest)) {
        if let Some(r) = self.requests.lock().unwrap().get_mut(request) {
            change(r);
        }
    }

    /// Waits for `resume()` (or at most `longest`).
    async fn paused(&self, request: usize, longest: Duration) {
        let mut resume = self.resume.subscribe();
        resume.borrow_and_update();
        self.signals.emit(ServerEvent::Paused { request });
        let _ = tokio::time::timeout(longest, resume.changed()).await;
        self.signals.emit(ServerEvent::Resumed { request });
    }

    fn issue_id(&self) -> String {
        let mut issued = self.issued_ids.lock().unwrap();
        *issued += 1;
        format!("00000000-0000-4000-8000-{:012}", *issued)
    }
}

/// Closes this request's connection now and never answers.
async fn drop_connection(shared: &Shared, request: usize, connection: &Connection) -> Response {
    shared.signals.emit(ServerEvent::Dropped { request });
    connection.drop_now();
    // Over HTTP/1.1 this handler runs inside the connection's task and ends here; over
    // HTTP/2 it runs apart, and its answer has no stream left to go to.
    tokio::time::sleep(Duration::from_secs(5)).await;
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

async fn stage(
    State(shared): State<Arc<Shared>>,
    Path(org): Path<String>,
    request: Request,
) -> Response {
    let mut guard = RequestGuard {
        shared: shared.clone(),
        request: usize::MAX,
        answered: false,
    };
    let response = stage_request(shared, org, request, &mut guard).await;
    guard.answered = true;
    response
}

async fn stage_request(
    shared: Arc<Shared>,
    org: String,
    request: Request,
    guard: &mut RequestGuard,
) -> Response {
    let connection = request
        .extensions()
        .get::<Arc<Connection>>()
        .cloned()
        .unwrap_or_default();
    let headers = request.headers().clone();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let index = {
        let mut requests = shared.requests.lock().unwrap();
        requests.push(ReceivedRequest {
            path: format!("/temp-files/{org}"),
            version: format!("{:?}", request.version()),
            asteroid_key: header("x-asteroid-agents-api-key"),
            x_api_key: header("x-api-key"),
            content_length: header("content-length").and_then(|v| v.parse().ok()),
            chunked: header("transfer-encoding").is_some_and(|v| v.contains("chunked")),
            ..Default::default()
        });
        requests.len() - 1
    };
    shared
        .signals
        .emit(ServerEvent::RequestStarted { request: index });
    guard.request = index;
    let queued = shared.faults.lock().unwrap().pop_front();
    let (request, fault) = match queued {
        Some(fault) => (request, Some(fault)),
        None => shared.planned.decide(index, request).await,
    };
    let fault = fault.filter(|f| !matches!(f, Fault::None));
    let delay = *shared.delay.lock().unwrap();
    let hashing = !shared.discard.load(Ordering::Relaxed);
    let options = shared.options.lock().unwrap().clone();

    match &fault {
        // A redirect is answered before the body is read, then the connection closes,
        // lingering so the client reads the answer (as real servers do): without the
        // linger the close could reach the client before the 307 and look like a drop.
        Some(Fault::RedirectSameHost(path)) => {
            connection.linger.store(true, Ordering::SeqCst);
            let to = path.replace("{org}", &org);
            return answer(
                &shared,
                index,
                StatusCode::TEMPORARY_REDIRECT,
                &[("location", to), ("connection", "close".to_owned())],
                Bytes::new(),
                Vec::new(),
            );
        }
        Some(Fault::RedirectTo(url)) => {
            connection.linger.store(true, Ordering::SeqCst);
            return answer(
                &shared,
                index,
                StatusCode::TEMPORARY_REDIRECT,
                &[
                    ("location", url.clone()),
                    ("connection", "close".to_owned()),
                ],
                Bytes::new(),
                Vec::new(),
            );
        }
        Some(Fault::EarlyStatus(code)) => {
            // Before a byte of the body is read; then the connection closes (lingering).
            connection.linger.store(true, Ordering::SeqCst);
            let text = match code {
                401 => "Unauthorized",
                413 => "Request Entity Too Large",
                _ => "Refused",
            };
            return answer(
                &shared,
                index,
                StatusCode::from_u16(*code).unwrap(),
                &[("connection", "close".to_owned())],
                Bytes::from_static(text.as_bytes()),
                Vec::new(),
            );
        }
        Some(Fault::StallReading(d)) => shared.paused(index, *d).await,
        _ => {}
    }
    let drop_after = match &fault {
        Some(Fault::DropAfter(n)) => Some(*n as u64),
        _ => None,
    };
    let mut pause_after = match &fault {
        Some(Fault::PauseAfter(n)) => Some(*n as u64),
        _ => None,
    };

    let mut multipart = match Multipart::from_request(request, &()).await {
        Ok(m) => m,
        Err(e) => {
            eprintln!("test server: request {index}: not multipart ({e})");
            shared.signals.emit(ServerEvent::BodyEnded {
                request: index,
                complete: false,
            });
            return answer(
                &shared,
                index,
                StatusCode::BAD_REQUEST,
                &[],
                Bytes::from_static(b"Invalid file upload request."),
                Vec::new(),
            );
        }
    };
    let mut parts = Vec::new();
    let mut complete = false;
    let mut read_so_far = 0u64;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => {
                complete = true;
                break;
            }
            Err(e) => {
                eprintln!("test server: request {index}: multipart error ({e})");
                break;
            }
        };
        let raw = field
            .headers()
            .get("content-disposition")
            .map(|v| v.as_bytes().to_vec())
            .unwrap_or_default();
        let multer_name = field.file_name().map(str::to_owned);
        let busboy_name = busboy_file_name(&raw);
        let rfc_name = quoted_filename(&raw);
        let read = match options.flavor {
            ServerFlavor::Multer => Some(multer_name.clone().unwrap_or_default()),
            ServerFlavor::Busboy => busboy_name.clone(),
            ServerFlavor::Rfc7578 => rfc_name.clone(),
        };
        let mut part = ReceivedPart {
            field: field.name().unwrap_or_default().to_owned(),
            file_name: read.map(|n| options.normalize.apply(&n)),
            multer_name,
            busboy_name,
            rfc_name,
            content_type: field.content_type().map(str::to_owned),
            raw_disposition: raw,
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
                    if let Some(Fault::ReadSlowly(rate)) = &fault {
                        let secs = chunk.len() as f64 / (*rate).max(1) as f64;
                        tokio::time::sleep(Duration::from_secs_f64(secs)).await;
                    }
                    if hashing {
                        hasher.update(&chunk);
                    }
                    if pause_after.is_some_and(|n| read_so_far >= n) {
                        pause_after = None;
                        shared.paused(index, Duration::from_secs(60)).await;
                    }
                    if drop_after.is_some_and(|n| read_so_far >= n) {
                        parts.push(part);
                        shared.update(index, |r| r.parts = parts);
                        shared.signals.emit(ServerEvent::BodyEnded {
                            request: index,
                            complete: false,
                        });
                        return drop_connection(&shared, index, &connection).await;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    eprintln!("test server: request {index}: body error ({e})");
                    broken = true;
                    break;
                }
            }
        }
        if hashing {
            part.sha256 = hex::encode(hasher.finalize());
        }
        parts.push(part);
        if broken {
            break;
        }
    }
    shared.update(index, |r| {
        r.parts = parts.clone();
        r.complete = complete;
    });
    shared.signals.emit(ServerEvent::BodyEnded {
        request: index,
        complete,
    });
    if !complete {
        return answer(
            &shared,
            index,
            StatusCode::BAD_REQUEST,
            &[],
            Bytes::from_static(b"Invalid file upload request."),
            Vec::new(),
        );
    }
    if !key_ok(&headers) {
        return answer(
            &shared,
            index,
            StatusCode::UNAUTHORIZED,
            &[],
            Bytes::from_static(b"Unauthorized"),
            Vec::new(),
        );
    }
    // As strict as the real API: only organizations the key belongs to (those `/context`
    // lists), and only parts named `files` that carry a file name, at least one.
    if !shared.is_member(&org) {
        return answer(
            &shared,
            index,
            StatusCode::FORBIDDEN,
            &[],
            Bytes::from_static(b"User is not a member of the organization."),
            Vec::new(),
        );
    }
    if parts.is_empty() || !parts.iter().all(is_file_part) {
        eprintln!("test server: request {index}: refused parts {parts:?}");
        return answer(
            &shared,
            index,
            StatusCode::BAD_REQUEST,
            &[],
            Bytes::from_static(b"Invalid file upload request."),
            Vec::new(),
        );
    }

    // Stored now, once the body is whole and before any answer: from here on the files
    // exist on the server whatever becomes of the answer.
    let stores = fault.as_ref().is_none_or(Fault::stores);
    let body_done = Instant::now();
    let mut stored = Vec::new();
    if stores {
        let mut ledger = shared.ledger.lock().unwrap();
        for (i, part) in parts.iter().enumerate() {
            let name = part.file_name.clone().unwrap_or_default();
            let answered_name = match &fault {
                Some(Fault::StoreThenRename(change)) => change.apply(&name),
                _ => name.clone(),
            };
            let entry = LedgerEntry {
                id: shared.issue_id(),
                request: index,
                part: i,
                name,
                answered_name,
                size: part.size,
                sha256: part.sha256.clone(),
                delivery: Delivery::Pending,
            };
            stored.push(entry.clone());
            ledger.push(entry);
        }
        drop(ledger);
        shared.signals.emit(ServerEvent::Stored {
            request: index,
            ids: stored.iter().map(|e| e.id.clone()).collect(),
        });
    }
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let text = |status: u16, text: String| {
        answer(
            &shared,
            index,
            StatusCode::from_u16(status).unwrap(),
            &[],
            Bytes::from(text),
            Vec::new(),
        )
    };
    match fault {
        Some(Fault::Status(code, body)) => text(code, body.to_owned()),
        Some(Fault::StatusEchoingKey(code)) => text(
            code,
            format!(
                "Invalid API key: {}",
                header("x-asteroid-agents-api-key").unwrap_or_default()
            ),
        ),
        Some(Fault::HugeError(code, len)) => text(code, "x".repeat(len)),
        Some(Fault::TooManyRequests(secs)) => answer(
            &shared,
            index,
            StatusCode::TOO_MANY_REQUESTS,
            &[("retry-after", secs.to_string())],
            Bytes::from_static(b"Too many requests"),
            Vec::new(),
        ),
        Some(Fault::Unavailable(secs)) => answer(
            &shared,
            index,
            StatusCode::SERVICE_UNAVAILABLE,
            &[("retry-after", secs.to_string())],
            Bytes::from_static(b"Service unavailable"),
            Vec::new(),
        ),
        Some(Fault::Body200(body)) => answer(
            &shared,
            index,
            StatusCode::OK,
            &[("content-type", "application/json".to_owned())],
            Bytes::from(body),
            Vec::new(),
        ),
        Some(Fault::NoAnswer(d)) => {
            shared.paused(index, d).await;
            text(504, "Gateway timeout".to_owned())
        }
        Some(Fault::StoreThenDrop) => {
            mark(&shared, index, Delivery::Dropped);
            drop_connection(&shared, index, &connection).await
        }
        Some(Fault::SlowAnswer(d) | Fault::StoreThenAnswerLate(d)) => {
            shared.paused(index, d).await;
            let late = body_done.elapsed();
            staged_answer(
                &shared,
                index,
                stored,
                &options,
                options.reorder,
                Some(late),
            )
        }
        Some(Fault::Reorder) => staged_answer(&shared, index, stored, &options, true, None),
        Some(Fault::StoreThenRedirect(code)) => answer(
            &shared,
            index,
            StatusCode::from_u16(code).unwrap(),
            &[("location", format!("/agents/v2/moved/{org}"))],
            Bytes::new(),
            Vec::new(),
        ),
        _ => staged_answer(&shared, index, stored, &options, options.reorder, None),
    }
}

fn mark(shared: &Shared, request: usize, delivery: Delivery) {
    for entry in shared.ledger.lock().unwrap().iter_mut() {
        if entry.request == request && entry.delivery == Delivery::Pending {
            entry.delivery = delivery.clone();
        }
    }
}

fn staged_answer(
    shared: &Arc<Shared>,
    request: usize,
    mut stored: Vec<LedgerEntry>,
    options: &ServerOptions,
    reorder: bool,
    late: Option<Duration>,
) -> Response {
    let first_id = stored.first().map(|e| e.id.clone()).unwrap_or_default();
    if reorder {
        stored.reverse();
    }
    let files: Vec<_> = stored
        .iter()
        .map(|e| {
            let id = if options.repeat_first_id {
                &first_id
            } else {
                &e.id
            };
            serde_json::json!({"id": id, "name": e.answered_name})
        })
        .collect();
    let body = serde_json::to_vec(&serde_json::json!({ "tempFiles": files })).unwrap();
    answer_late(
        shared,
        request,
        StatusCode::OK,
        &[("content-type", "application/json".to_owned())],
        Bytes::from(body),
        stored.iter().map(|e| e.answered_name.clone()).collect(),
        late,
    )
}

/// An answer whose body reports when it was handed to the connection (or that it never
/// was: the connection went first). `staged` are the names a 200 confirms.
fn answer(
    shared: &Arc<Shared>,
    request: usize,
    status: StatusCode,
    headers: &[(&str, String)],
    body: Bytes,
    staged: Vec<String>,
) -> Response {
    answer_late(shared, request, status, headers, body, staged, None)
}

fn answer_late(
    shared: &Arc<Shared>,
    request: usize,
    status: StatusCode,
    headers: &[(&str, String)],
    body: Bytes,
    staged: Vec<String>,
    late: Option<Duration>,
) -> Response {
    struct Handover {
        shared: Arc<Shared>,
        request: usize,
        status: u16,
        staged: Vec<String>,
        late: Option<Duration>,
        done: bool,
    }
    impl Handover {
        fn handed_over(mut self) {
            self.done = true;
            let shared = &self.shared;
            let delivered = match self.late {
                Some(after) => Delivery::AnsweredLate(after),
                None => Delivery::Answered,
            };
            for entry in shared.ledger.lock().unwrap().iter_mut() {
                if entry.request == self.request && entry.delivery == Delivery::Pending {
                    entry.delivery = delivered.clone();
                }
            }
            shared
                .staged_names
                .lock()
                .unwrap()
                .extend(std::mem::take(&mut self.staged));
            shared.signals.emit(ServerEvent::Answered {
                request: self.request,
                status: self.status,
            });
        }
    }
    impl Drop for Handover {
        fn drop(&mut self) {
            if !self.done {
                lost(
                    &self.shared,
                    self.request,
                    "the connection closed before the answer was written",
                );
            }
            self.shared.signals.emit(ServerEvent::RequestEnded {
                request: self.request,
            });
        }
    }
    let handover = Handover {
        shared: shared.clone(),
        request,
        status: status.as_u16(),
        staged,
        late,
        done: false,
    };
    let len = body.len();
    let stream = futures_util::stream::once(async move {
        handover.handed_over();
        Ok::<_, Infallible>(body)
    });
    let mut builder = Response::builder()
        .status(status)
        .header("content-length", len.to_string());
    for (name, value) in headers {
        builder = builder.header(*name, value);
    }
    builder.body(Body::from_stream(stream)).unwrap()
}
