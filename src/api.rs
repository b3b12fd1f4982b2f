//! The Asteroid Agents API, as far as staging needs it: `POST /temp-files/{org}` and
//! `GET /context`. Files are streamed from disk (memory stays flat whatever their size),
//! every answer becomes a typed result, and every error says in plain words what happened
//! and what to do, keeping the server's own text.

use std::io::Read;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::Stream;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{StatusCode, multipart};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use url::Url;

use crate::endpoint::{BaseUrl, OrganizationId};
use crate::key_store::ApiKey;
use crate::local_file::LocalFile;

/// A staged file as the API returns it and as the execute call takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TempFile {
    pub id: String,
    pub name: String,
}

/// The `{"tempFiles":[…]}` envelope: the staging answer, and what the CLI prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TempFiles {
    pub temp_files: Vec<TempFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Organization {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

/// Who the key belongs to (`GET /context`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserContext {
    #[serde(default)]
    pub user_id: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub organizations: Vec<Organization>,
}

/// Everything that can go wrong talking to the API. `Display` is the message shown to
/// the operator; it never contains the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error(
        "The server did not accept the API key (HTTP {status}: {text}). Check the key at platform.asteroid.ai → your profile → API Keys and enter it again."
    )]
    BadKey { status: u16, text: String },
    #[error(
        "The key is not a member of this organization (server said: \"{0}\"). Check the organization ID, or use a key from that organization."
    )]
    NotMember(String),
    #[error(
        "The server refused the upload (server said: \"{0}\"). Check that the file is the one you meant; retrying the same file will not help."
    )]
    Rejected(String),
    #[error(
        "The upload is too large for the server (HTTP 413). An execution takes at most 200 MB of files in all."
    )]
    TooLarge,
    #[error(
        "The server is busy and asked us to wait (HTTP 429). The upload is retried automatically; if it keeps failing, try again in a few minutes."
    )]
    RateLimited { retry_after: Option<Duration> },
    #[error(
        "The server failed (HTTP {status}: \"{text}\"). This is not your fault; retry in a moment."
    )]
    ServerFailed { status: u16, text: String },
    #[error(
        "The server answered in a way the API does not describe (HTTP {status}: \"{text}\"). Retry; if it keeps happening, check the server address in Settings."
    )]
    UnexpectedStatus { status: u16, text: String },
    #[error(
        "The server sent us to another address ({0}). The key was not sent there. Check the server address in Settings."
    )]
    RedirectedAway(String),
    #[error(
        "Cannot reach the server ({0}). Check your internet connection and the server address, then retry."
    )]
    NoConnection(String),
    #[error("The connection broke while sending ({0}). Retry; only this file is sent again.")]
    ConnectionLost(String),
    #[error("The upload stalled: nothing moved for {} seconds. Check your connection, then retry.", .0.as_secs())]
    Stalled(Duration),
    #[error("The server did not answer within {} seconds after receiving the file. Retry in a moment.", .0.as_secs())]
    NoAnswer(Duration),
    #[error(
        "The server's answer was not what the API promises ({0}). Retry; if it keeps happening, check the server address in Settings."
    )]
    MalformedAnswer(String),
    #[error(
        "{0} changed while it was being sent ({1}). Nothing wrong was kept: retry to send the file as it is now."
    )]
    FileChanged(String, String),
    #[error("{0} could not be read while sending ({1}). Check the file, then retry.")]
    FileUnreadable(String, String),
    #[error("Could not set up the connection ({0}).")]
    Setup(String),
}

impl ApiError {
    /// Faults that may pass on their own: retried with backoff. A refused key, a 400 or
    /// a 403 will say the same thing every time, and a changed file needs the operator.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::RateLimited { .. }
                | ApiError::ServerFailed { .. }
                | ApiError::NoConnection(_)
                | ApiError::ConnectionLost(_)
                | ApiError::Stalled(_)
                | ApiError::NoAnswer(_)
        )
    }

    /// Faults that concern the account, not a file: every file would fail the same way,
    /// so a shared request that got one is not split.
    pub fn concerns_account(&self) -> bool {
        matches!(self, ApiError::BadKey { .. } | ApiError::NotMember(_))
    }
}

/// Timeouts that depend on progress, so a slow but moving upload is never cut off.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    /// Give up when no byte could be sent for this long.
    pub stall_timeout: Duration,
    /// Give up when the server has all bytes but has not answered for this long.
    pub answer_timeout: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(20),
            stall_timeout: Duration::from_secs(60),
            answer_timeout: Duration::from_secs(300),
        }
    }
}

/// Called with (index of the file in the request, bytes of it sent so far), at most every
/// [`PROGRESS_INTERVAL`] per request and once more when a file is fully sent.
pub type ProgressFn = Arc<dyn Fn(usize, u64) + Send + Sync>;

pub const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

/// Redirects followed to the same server before giving up.
const MAX_REDIRECTS: usize = 5;

/// An answer body longer than this is not what the API sends: stop reading it.
const MAX_ANSWER_BYTES: usize = 8 * 1024 * 1024;

/// Server text kept in messages: enough to recognise it, never a wall of text.
const MAX_SERVER_TEXT_CHARS: usize = 300;

/// Bytes read from a file at a time.
const CHUNK_SIZE: usize = 256 * 1024;

/// Chunks read ahead of the connection, per file being sent (1 MiB at [`CHUNK_SIZE`]).
const READ_AHEAD_CHUNKS: usize = 4;

/// The smallest read: once the declared length is reached, one more read tells whether
/// the file ended there or grew.
const MIN_READ: usize = 4 * 1024;

#[derive(Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    base: BaseUrl,
    headers: HeaderMap,
    options: ClientOptions,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl ApiClient {
    pub fn new(base: BaseUrl, key: &ApiKey, options: ClientOptions) -> Result<Self, ApiError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("asteroid-stager/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(options.connect_timeout)
            // Redirects are followed by hand, so the key can never follow one elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .tcp_nodelay(true)
            .build()
            .map_err(|e| ApiError::Setup(error_chain(&e)))?;
        let mut key_value = HeaderValue::from_str(key.expose()).map_err(|_| {
            ApiError::Setup("the API key contains characters a header cannot carry".into())
        })?;
        key_value.set_sensitive(true);
        let mut headers = HeaderMap::new();
        // The spec names the first; SDK releases since 1.7.397 send the second.
        headers.insert("X-Asteroid-Agents-Api-Key", key_value.clone());
        headers.insert("X-Api-Key", key_value);
        headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        Ok(Self {
            http,
            base,
            headers,
            options,
        })
    }

    pub fn base(&self) -> &BaseUrl {
        &self.base
    }

    /// Who the key belongs to and which organizations it may stage for.
    pub async fn context(&self) -> Result<UserContext, ApiError> {
        let mut url = self.base.join(&["context"]);
        for _ in 0..=MAX_REDIRECTS {
            let request = self
                .http
                .get(url.clone())
                .headers(self.headers.clone())
                .send();
            let response = match tokio::time::timeout(self.options.answer_timeout, request).await {
                Err(_) => return Err(ApiError::NoAnswer(self.options.answer_timeout)),
                Ok(r) => r.map_err(|e| classify_transport(&e))?,
            };
            match self.redirect_target(&response)? {
                Some(next) => url = next,
                None => {
                    let status = response.status();
                    let body = read_limited(response).await?;
                    if status.is_success() {
                        let mut context: UserContext =
                            serde_json::from_slice(&body).map_err(|e| {
                                ApiError::MalformedAnswer(format!(
                                    "the account details did not parse: {e}"
                                ))
                            })?;
                        // Shown in the window and the terminal: no control characters and
                        // no walls of text, whatever the server sends.
                        context.email = clean_server_text(&context.email);
                        for organization in &mut context.organizations {
                            organization.name = clean_server_text(&organization.name);
                        }
                        return Ok(context);
                    }
                    return Err(status_error(status, &body, None));
                }
            }
        }
        Err(ApiError::MalformedAnswer("too many redirects".into()))
    }

    /// Stages `files` in one request and returns their IDs in the same order. Each file is
    /// streamed from disk; one that changes size or vanishes fails the request with
    /// [`ApiError::FileChanged`] rather than sending wrong bytes.
    pub async fn stage(
        &self,
        organization: &OrganizationId,
        files: &[LocalFile],
        progress: ProgressFn,
    ) -> Result<Vec<TempFile>, ApiError> {
        let org = organization.to_string();
        let mut url = self.base.join(&["temp-files", &org]);
        for _ in 0..=MAX_REDIRECTS {
            // A streamed body cannot be replayed: build the form anew for each attempt.
            let (form, watch) = build_form(files, progress.clone()).await?;
            let request = self
                .http
                .post(url.clone())
                .headers(self.headers.clone())
                .multipart(form)
                .send();
            let response = tokio::select! {
                r = request => match r {
                    Ok(r) => r,
                    Err(e) => return Err(watch.fault().unwrap_or_else(|| classify_transport(&e))),
                },
                timeout = watch.watchdog(&self.options) => return Err(timeout),
            };
            if let Some(fault) = watch.fault() {
                return Err(fault);
            }
            match self.redirect_target(&response)? {
                Some(next) => url = next,
                None => return self.stage_answer(response, files).await,
            }
        }
        Err(ApiError::MalformedAnswer("too many redirects".into()))
    }

    async fn stage_answer(
        &self,
        response: reqwest::Response,
        files: &[LocalFile],
    ) -> Result<Vec<TempFile>, ApiError> {
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let body = tokio::time::timeout(self.options.answer_timeout, read_limited(response))
            .await
            .map_err(|_| ApiError::NoAnswer(self.options.answer_timeout))??;
        if !status.is_success() {
            return Err(status_error(status, &body, retry_after));
        }
        let answer: TempFiles = serde_json::from_slice(&body).map_err(|e| {
            ApiError::MalformedAnswer(format!("the list of staged files did not parse: {e}"))
        })?;
        if answer.temp_files.len() != files.len() {
            return Err(ApiError::MalformedAnswer(format!(
                "it confirmed {} file(s) of the {} sent",
                answer.temp_files.len(),
                files.len()
            )));
        }
        for (sent, got) in files.iter().zip(&answer.temp_files) {
            if uuid::Uuid::try_parse(got.id.trim()).is_err() {
                return Err(ApiError::MalformedAnswer(format!(
                    "the ID given for {} is not a file ID",
                    sent.name
                )));
            }
            if !stored_name_matches(&sent.name, &got.name) {
                return Err(ApiError::MalformedAnswer(format!(
                    "it confirmed a file named \"{}\" where \"{}\" was sent",
                    clean_server_text(&got.name),
                    sent.name
                )));
            }
        }
        Ok(answer.temp_files)
    }

    /// A 3xx to the same server is followed (by the caller, with the key); to anywhere
    /// else it is an error and the key stays here.
    fn redirect_target(&self, response: &reqwest::Response) -> Result<Option<Url>, ApiError> {
        if !response.status().is_redirection() {
            return Ok(None);
        }
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                ApiError::MalformedAnswer(format!(
                    "HTTP {} without a Location",
                    response.status().as_u16()
                ))
            })?;
        let next = response.url().join(location).map_err(|_| {
            ApiError::MalformedAnswer("a redirect to an address that does not parse".into())
        })?;
        if self.base.same_origin(&next) {
            Ok(Some(next))
        } else {
            Err(ApiError::RedirectedAway(
                next.host_str().unwrap_or("an unknown host").to_owned(),
            ))
        }
    }
}

/// The `filename` parameter as browsers (WHATWG) and the official Python SDK encode it:
/// `"` → `%22`, control characters (CR and LF among them) → `%XX`. reqwest then escapes
/// backslashes as `\\` (and would put a raw CR or LF in the header, which is why they never
/// reach it). Nothing in a name can end the quoted string or the header line, so no name
/// can forge a part.
pub fn encode_filename(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '"' => out.push_str("%22"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("%{:02X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// The names a server may store for `sent`: decoded, still %-encoded, or with the
/// header's backslash escapes kept as they came.
fn stored_name_matches(sent: &str, stored: &str) -> bool {
    let encoded = encode_filename(sent);
    stored == sent || stored == encoded || stored == encoded.replace('\\', "\\\\")
}

/// The Content-Type for a file name, as the SDKs guess it.
pub fn guess_content_type(name: &str) -> String {
    mime_guess::from_path(name)
        .first()
        .map(|m| m.essence_str().to_owned())
        .unwrap_or_else(|| "application/octet-stream".to_owned())
}

/// Shared between the body streams of one request and the code awaiting it: when bytes
/// last moved, whether all were handed over, and a file fault if one was found.
struct RequestWatch {
    started: Instant,
    last_activity_ms: AtomicU64,
    body_done_ms: AtomicU64,
    body_done: AtomicBool,
    parts_left: AtomicU64,
    fault: Mutex<Option<ApiError>>,
}

impl RequestWatch {
    fn touch(&self) {
        self.last_activity_ms
            .store(self.started.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    fn part_finished(&self) {
        if self.parts_left.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.body_done_ms
                .store(self.started.elapsed().as_millis() as u64, Ordering::Relaxed);
            self.body_done.store(true, Ordering::Release);
        }
    }

    fn set_fault(&self, e: ApiError) {
        let mut slot = self.fault.lock().unwrap_or_else(PoisonError::into_inner);
        slot.get_or_insert(e);
    }

    fn fault(&self) -> Option<ApiError> {
        self.fault
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Resolves when the request should be given up: nothing sent for `stall_timeout`, or
    /// no answer `answer_timeout` after the last byte.
    async fn watchdog(&self, options: &ClientOptions) -> ApiError {
        let tick = (options.stall_timeout.min(options.answer_timeout) / 4)
            .clamp(Duration::from_millis(10), Duration::from_secs(1));
        loop {
            tokio::time::sleep(tick).await;
            let now = self.started.elapsed();
            if self.body_done.load(Ordering::Acquire) {
                let done = Duration::from_millis(self.body_done_ms.load(Ordering::Relaxed));
                if now.saturating_sub(done) > options.answer_timeout {
                    return ApiError::NoAnswer(options.answer_timeout);
                }
            } else {
                let last = Duration::from_millis(self.last_activity_ms.load(Ordering::Relaxed));
                if now.saturating_sub(last) > options.stall_timeout {
                    return ApiError::Stalled(options.stall_timeout);
                }
            }
        }
    }
}

async fn build_form(
    files: &[LocalFile],
    progress: ProgressFn,
) -> Result<(multipart::Form, Arc<RequestWatch>), ApiError> {
    let watch = Arc::new(RequestWatch {
        started: Instant::now(),
        last_activity_ms: AtomicU64::new(0),
        body_done_ms: AtomicU64::new(0),
        body_done: AtomicBool::new(false),
        parts_left: AtomicU64::new(files.len() as u64),
        fault: Mutex::new(None),
    });
    let last_report = Arc::new(Mutex::new(Instant::now()));
    let mut form = multipart::Form::new().percent_encode_noop();
    for (index, file) in files.iter().enumerate() {
        let handle = tokio::fs::File::open(&file.path).await.map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                ApiError::FileChanged(file.name.clone(), "it was deleted or moved".into())
            } else {
                ApiError::FileUnreadable(file.name.clone(), e.to_string())
            }
        })?;
        let now_len = handle
            .metadata()
            .await
            .map_err(|e| ApiError::FileUnreadable(file.name.clone(), e.to_string()))?
            .len();
        if now_len != file.size {
            return Err(ApiError::FileChanged(
                file.name.clone(),
                format!(
                    "its size is now {now_len} bytes, it was {} when added",
                    file.size
                ),
            ));
        }
        let body = FileBody {
            inner: FileChunks::new(handle.into_std().await, file.size),
            name: file.name.clone(),
            index,
            expected: file.size,
            sent: 0,
            finished: false,
            watch: watch.clone(),
            progress: progress.clone(),
            last_report: last_report.clone(),
        };
        let part = multipart::Part::stream_with_length(reqwest::Body::wrap_stream(body), file.size)
            .file_name(encode_filename(&file.name))
            .mime_str(&guess_content_type(&file.name))
            .map_err(|e| ApiError::Setup(e.to_string()))?;
        form = form.part("files", part);
    }
    Ok((form, watch))
}

/// One file's bytes, checked against the length declared in the request: a file that
/// shrinks or grows while being read ends the request with a fault instead of sending
/// bytes that are not the file.
struct FileBody {
    inner: FileChunks,
    name: String,
    index: usize,
    expected: u64,
    sent: u64,
    finished: bool,
    watch: Arc<RequestWatch>,
    progress: ProgressFn,
    last_report: Arc<Mutex<Instant>>,
}

impl FileBody {
    fn fail(&mut self, what: String) -> Poll<Option<Result<Bytes, std::io::Error>>> {
        self.finished = true;
        let fault = ApiError::FileChanged(self.name.clone(), what);
        let message = fault.to_string();
        self.watch.set_fault(fault);
        Poll::Ready(Some(Err(std::io::Error::other(message))))
    }

    fn report(&self, force: bool) {
        let mut last = self
            .last_report
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if force || last.elapsed() >= PROGRESS_INTERVAL {
            *last = Instant::now();
            (self.progress)(self.index, self.sent);
        }
    }
}

impl Stream for FileBody {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.finished {
            return Poll::Ready(None);
        }
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => {
                let total = self.sent + chunk.len() as u64;
                if total > self.expected {
                    let expected = self.expected;
                    return self.fail(format!("it grew beyond the {expected} bytes it had"));
                }
                self.sent = total;
                self.watch.touch();
                // At the declared length, report it: the stream is still read to its end,
                // which is where a file that grew is caught.
                self.report(self.sent == self.expected);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(e))) => {
                self.finished = true;
                let fault = ApiError::FileUnreadable(self.name.clone(), e.to_string());
                self.watch.set_fault(fault);
                Poll::Ready(Some(Err(e)))
            }
            Poll::Ready(None) => {
                if self.sent < self.expected {
                    let (sent, expected) = (self.sent, self.expected);
                    return self.fail(format!(
                        "it shrank: only {sent} of its {expected} bytes were left to read"
                    ));
                }
                self.finished = true;
                self.watch.part_finished();
                Poll::Ready(None)
            }
        }
    }
}

/// A file read on a blocking thread, a few chunks ahead of the connection: reading the next
/// chunk overlaps sending this one, the worker threads never wait on the disk, and each byte
/// is copied once on its way from the file to the socket. The chunks' buffers come back to
/// the reader once sent ([`Recycled`]), so a large file is read through the same few
/// buffers: no allocation, zeroing or page fault per chunk. Reading starts when the part is
/// first polled (when it is its turn to be sent) and stops at the end of the file, at a
/// read error (passed on), or as soon as the body is dropped.
struct FileChunks {
    /// Until the first poll: the file and its declared length.
    unstarted: Option<(std::fs::File, u64)>,
    chunks: Option<mpsc::Receiver<std::io::Result<Bytes>>>,
}

impl FileChunks {
    fn new(file: std::fs::File, expected: u64) -> Self {
        Self {
            unstarted: Some((file, expected)),
            chunks: None,
        }
    }
}

impl Stream for FileChunks {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some((file, expected)) = self.unstarted.take() {
            let (tx, rx) = mpsc::channel(READ_AHEAD_CHUNKS);
            tokio::task::spawn_blocking(move || read_ahead(file, expected, tx));
            self.chunks = Some(rx);
        }
        match self.chunks.as_mut() {
            Some(chunks) => chunks.poll_recv(cx),
            None => Poll::Ready(None),
        }
    }
}

/// Sends the file's chunks until its end. Chunks are sized to what is left of the declared
/// length, so a small file costs a small buffer; reading goes on past that length to the
/// real end, which is how [`FileBody`] notices a file that grew.
fn read_ahead(mut file: std::fs::File, expected: u64, tx: mpsc::Sender<std::io::Result<Bytes>>) {
    let (give_back, returned) = std::sync::mpsc::channel::<Vec<u8>>();
    let mut read = 0u64;
    loop {
        let left = usize::try_from(expected.saturating_sub(read)).unwrap_or(usize::MAX);
        let want = left.clamp(MIN_READ, CHUNK_SIZE);
        let mut buf = match returned.try_recv() {
            Ok(buf) if buf.len() >= want => buf,
            _ => vec![0u8; want],
        };
        let chunk = &mut buf[..want];
        let mut filled = 0;
        let mut at_end = false;
        while filled < chunk.len() {
            match file.read(&mut chunk[filled..]) {
                Ok(0) => {
                    at_end = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = tx.blocking_send(Err(e));
                    return;
                }
            }
        }
        read += filled as u64;
        if filled > 0 {
            let chunk = Bytes::from_owner(Recycled {
                buf,
                len: filled,
                home: give_back.clone(),
            });
            // A failed send means the body was dropped: nobody wants the rest.
            if tx.blocking_send(Ok(chunk)).is_err() {
                return;
            }
        }
        if at_end {
            return;
        }
    }
}

/// The first `len` bytes of `buf`, sent as a chunk; when the connection drops the chunk,
/// `buf` goes back to the reader that filled it (or is freed, if that reader is done).
struct Recycled {
    buf: Vec<u8>,
    len: usize,
    home: std::sync::mpsc::Sender<Vec<u8>>,
}

impl AsRef<[u8]> for Recycled {
    fn as_ref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl Drop for Recycled {
    fn drop(&mut self) {
        let _ = self.home.send(std::mem::take(&mut self.buf));
    }
}

/// Reads an answer body, refusing to hold more than [`MAX_ANSWER_BYTES`] of it.
async fn read_limited(mut response: reqwest::Response) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                    return Err(ApiError::MalformedAnswer(format!(
                        "the answer was larger than {} MB",
                        MAX_ANSWER_BYTES / (1024 * 1024)
                    )));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err(classify_transport(&e)),
        }
    }
}

fn status_error(status: StatusCode, body: &[u8], retry_after: Option<Duration>) -> ApiError {
    let text = clean_server_text(&String::from_utf8_lossy(body));
    let code = status.as_u16();
    match code {
        401 => ApiError::BadKey { status: code, text },
        403 if text.to_ascii_lowercase().contains("member") => ApiError::NotMember(text),
        403 => ApiError::BadKey { status: code, text },
        400 => ApiError::Rejected(text),
        413 => ApiError::TooLarge,
        429 => ApiError::RateLimited { retry_after },
        500..=599 => ApiError::ServerFailed { status: code, text },
        _ => ApiError::UnexpectedStatus { status: code, text },
    }
}

/// Server text made safe to show: control characters replaced, length capped.
pub fn clean_server_text(text: &str) -> String {
    let mut out = String::new();
    for (count, c) in text.trim().chars().enumerate() {
        if count == MAX_SERVER_TEXT_CHARS {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    if out.is_empty() {
        out.push_str("no text");
    }
    out
}

fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate_to_system_time(value)?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

fn httpdate_to_system_time(value: &str) -> Option<std::time::SystemTime> {
    humantime::parse_rfc3339_weak(value).ok().or_else(|| {
        // IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
        let parts: Vec<&str> = value.split_whitespace().collect();
        if parts.len() != 6 {
            return None;
        }
        let month = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]
        .iter()
        .position(|m| *m == parts[2])?
            + 1;
        let stamp = format!(
            "{}-{:02}-{:02}T{}Z",
            parts[3],
            month,
            parts[1].parse::<u8>().ok()?,
            parts[4]
        );
        humantime::parse_rfc3339_weak(&stamp).ok()
    })
}

fn classify_transport(e: &reqwest::Error) -> ApiError {
    let detail = error_chain(e);
    if e.is_connect() || e.is_timeout() {
        ApiError::NoConnection(detail)
    } else {
        ApiError::ConnectionLost(detail)
    }
}

/// The innermost causes, which say what actually happened ("connection refused").
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = Vec::new();
    let mut current: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = current {
        let text = err.to_string();
        if !parts.iter().any(|p: &String| p.contains(&text)) {
            parts.push(text);
        }
        current = err.source();
    }
    // reqwest's outer message repeats the URL; the last causes are the useful part.
    let useful: Vec<_> = parts.into_iter().rev().take(2).collect();
    useful.into_iter().rev().collect::<Vec<_>>().join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_cannot_break_out_of_their_header() {
        assert_eq!(encode_filename("a \"b\".pdf"), "a %22b%22.pdf");
        assert_eq!(
            encode_filename("x\r\nContent-Type: evil"),
            "x%0D%0AContent-Type: evil"
        );
        assert_eq!(encode_filename("back\\slash"), "back\\slash");
        assert!(stored_name_matches("a\\b\"c", "a\\\\b%22c"));
        assert!(stored_name_matches("a\\b\"c", "a\\b%22c"));
        assert!(!stored_name_matches("a.pdf", "b.pdf"));
        assert_eq!(encode_filename("résumé; v2.txt"), "résumé; v2.txt");
    }

    #[test]
    fn content_types_are_guessed_from_names() {
        assert_eq!(guess_content_type("a.pdf"), "application/pdf");
        assert_eq!(guess_content_type("data.csv"), "text/csv");
        assert_eq!(guess_content_type("noext"), "application/octet-stream");
    }

    #[test]
    fn server_text_is_made_safe() {
        assert_eq!(clean_server_text("bad\u{1b}[31m\nthing"), "bad [31m thing");
        assert_eq!(clean_server_text(&"x".repeat(10_000)).chars().count(), 301);
        assert_eq!(clean_server_text(""), "no text");
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[tokio::test]
    async fn files_are_read_whole_through_recycled_buffers() {
        use futures_util::StreamExt;
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("f.bin");
        // Two full chunks and a short one, so the last read reuses a returned buffer.
        let bytes: Vec<u8> = (0..2 * CHUNK_SIZE + 100).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).expect("writing the file");
        let read = |expected: u64| {
            let path = path.clone();
            async move {
                let file = std::fs::File::open(&path).expect("opening the file");
                let mut chunks = FileChunks::new(file, expected);
                let mut got = Vec::new();
                while let Some(chunk) = chunks.next().await {
                    // Each chunk is dropped here, so its buffer goes back to the reader.
                    got.extend_from_slice(&chunk.expect("a chunk"));
                }
                got
            }
        };
        assert_eq!(read(bytes.len() as u64).await, bytes);
        // Read to the real end, past a declared length that is too short.
        assert_eq!(read(10).await, bytes);
    }

    #[test]
    fn statuses_map_to_plain_errors() {
        assert!(matches!(
            status_error(StatusCode::FORBIDDEN, b"User is not a member of the organization.", None),
            ApiError::NotMember(t) if t == "User is not a member of the organization."
        ));
        assert!(matches!(
            status_error(
                StatusCode::BAD_REQUEST,
                b"Invalid file upload request.",
                None
            ),
            ApiError::Rejected(_)
        ));
        assert!(status_error(StatusCode::BAD_GATEWAY, b"", None).is_transient());
        assert!(!status_error(StatusCode::UNAUTHORIZED, b"", None).is_transient());
    }
}
