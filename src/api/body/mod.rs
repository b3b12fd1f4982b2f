//! The streamed `multipart/form-data` body of a staging request: each file is read from
//! disk a little ahead of the connection, checked against the length declared in the
//! request, and watched for progress, so memory stays flat whatever the size and a file
//! that changes while it is sent never arrives as if it were the file.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use futures_util::Stream;

mod disk;

use self::disk::*;
use super::error::ApiError;
use crate::local_file::LocalFile;

/// Called with (index of the file in the request, bytes of it handed to the connection),
/// at most every [`PROGRESS_INTERVAL`] per request and once more when a file is all sent.
pub type ProgressFn = Arc<dyn Fn(usize, u64) + Send + Sync>;

/// How often progress is reported at most.
pub const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

/// Bytes read from a file at a time.
const CHUNK_SIZE: usize = 256 * 1024;

/// Bytes handed to the connection at a time: slices of a read chunk (no copy). Small, so
/// that the connection asks for more every few KB and a slow but moving link is seen
/// moving: at 1 KB/s a slice still goes out in well under the stall timeout.
const SLICE_SIZE: usize = 16 * 1024;

/// Chunks read ahead of the connection, per file being sent (1 MiB at [`CHUNK_SIZE`]).
const READ_AHEAD_CHUNKS: usize = 4;

/// The smallest read: once the declared length is reached, one more read tells whether
/// the file ended there or grew.
const MIN_READ: usize = 4 * 1024;

/// Shared between the body streams of one request and the code awaiting it: when bytes
/// last moved, whether all were handed over, and a file fault if one was found.
pub(super) struct RequestWatch {
    started: Instant,
    last_activity_ms: AtomicU64,
    body_done_ms: AtomicU64,
    body_done: AtomicBool,
    parts_left: AtomicU64,
    fault: Mutex<Option<ApiError>>,
}

impl RequestWatch {
    fn new(parts: usize) -> Self {
        Self {
            started: Instant::now(),
            last_activity_ms: AtomicU64::new(0),
            body_done_ms: AtomicU64::new(0),
            body_done: AtomicBool::new(false),
            parts_left: AtomicU64::new(parts as u64),
            fault: Mutex::new(None),
        }
    }

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

    /// The file fault found while sending, if any: it explains a broken request better
    /// than the transport error it caused.
    pub(super) fn fault(&self) -> Option<ApiError> {
        self.fault
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Resolves when the request should be given up: nothing sent for `stall`, or no
    /// answer `answer` after the last byte.
    pub(super) async fn watchdog(&self, stall: Duration, answer: Duration) -> ApiError {
        let tick = (stall.min(answer) / 4).clamp(Duration::from_millis(10), Duration::from_secs(1));
        loop {
            tokio::time::sleep(tick).await;
            let now = self.started.elapsed();
            if self.body_done.load(Ordering::Acquire) {
                let done = Duration::from_millis(self.body_done_ms.load(Ordering::Relaxed));
                if now.saturating_sub(done) > answer {
                    return ApiError::NoAnswer(answer);
                }
            } else {
                let last = Duration::from_millis(self.last_activity_ms.load(Ordering::Relaxed));
                if now.saturating_sub(last) > stall {
                    return ApiError::Stalled(stall);
                }
            }
        }
    }
}

/// A request's body: `multipart/form-data`, one part named `files` per file, in order,
/// each with its file name and a content type guessed from it, and a `Content-Length`
/// (the SDKs send one; no chunked encoding).
///
/// Written here rather than with `reqwest::multipart`, whose body is a chain of nested
/// streams, one level per part: each poll walks down the levels, which at thousands of
/// files per request cost more than sending them. The bytes are the same: `--boundary`,
/// `Content-Disposition: form-data; name="files"; filename="…"` (the name as
/// [`encode_filename`] gives it, then `\` and `"` escaped as reqwest escapes them),
/// `Content-Type: …`, a blank line, the file, CRLF; the closing `--boundary--`.
pub(super) struct Form {
    /// The `Content-Type` header, with the boundary.
    pub content_type: String,
    /// The body's exact length.
    pub length: u64,
    /// The body.
    pub stream: FormStream,
}

/// Builds the form for one try. A streamed body cannot be replayed: every try (and every
/// redirect) builds it anew, opening each file again and checking it is still the file
/// that was added (same size, same modification time).
pub(super) async fn build_form(
    files: &[LocalFile],
    progress: ProgressFn,
) -> Result<(Form, Arc<RequestWatch>), ApiError> {
    let watch = Arc::new(RequestWatch::new(files.len()));
    // Looked at together on one blocking thread: a hop to the blocking pool per file costs
    // more than looking at a small file. Each file is opened only when its turn comes, so a
    // request of thousands holds one open at a time.
    let to_check = files.to_vec();
    let files = tokio::task::spawn_blocking(move || check_all(&to_check).map(|()| to_check))
        .await
        .map_err(|_| ApiError::Internal)??;
    let boundary = format!("{:032x}", uuid::Uuid::new_v4().as_u128());
    let closing = Bytes::from(format!("--{boundary}--\r\n"));
    let length = files
        .iter()
        .map(|file| part_head(&boundary, &file.name).len() as u64 + file.size + 2)
        .sum::<u64>()
        + closing.len() as u64;
    let form = Form {
        content_type: format!("multipart/form-data; boundary={boundary}"),
        length,
        stream: FormStream {
            files: files.into_iter().enumerate().collect(),
            current: None,
            boundary,
            closing: Some(closing),
            watch: watch.clone(),
            progress,
            last_report: Arc::new(Mutex::new(Instant::now())),
            read: std::collections::VecDeque::new(),
            reading: None,
        },
    };
    Ok((form, watch))
}

/// What goes before a file's bytes: its boundary and headers, then the blank line.
fn part_head(boundary: &str, name: &str) -> Vec<u8> {
    let filename = encode_filename(name)
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\r', "\\\r")
        .replace('\n', "\\\n");
    format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{filename}\"\r\nContent-Type: {}\r\n\r\n",
        guess_content_type(name)
    )
    .into_bytes()
}

/// Checks that each file is still a regular file (opening a FIFO or a device put where
/// the file was would block until something writes to it) and still the file that was
/// added. The caller bounds the whole of this by the stall timeout too, for what a look
/// cannot rule out (a hung network share); a swap between this look and the open is caught
/// while the file is read (its length and modification time).
fn check_all(files: &[LocalFile]) -> Result<(), ApiError> {
    for file in files {
        let meta = std::fs::metadata(&file.path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                ApiError::FileChanged {
                    name: file.name.clone(),
                    what: crate::t!("api-changed-gone"),
                }
            } else {
                ApiError::FileUnreadable {
                    name: file.name.clone(),
                    source: e.into(),
                }
            }
        })?;
        if !meta.file_type().is_file() {
            return Err(ApiError::FileChanged {
                name: file.name.clone(),
                what: crate::t!("api-changed-not-regular"),
            });
        }
        check_unchanged(file, meta.len(), meta.modified().ok())?;
    }
    Ok(())
}

/// The parts one after the other, each made when its turn comes and dropped (its file
/// closed) once sent.
pub(super) struct FormStream {
    /// The files not yet started, with their place in the request.
    files: std::collections::VecDeque<(usize, LocalFile)>,
    /// The file being sent (its head is out).
    current: Option<FileBody>,
    boundary: String,
    closing: Option<Bytes>,
    watch: Arc<RequestWatch>,
    progress: ProgressFn,
    last_report: Arc<Mutex<Instant>>,
    /// The small files at the front of `files`, read already, in order.
    read: std::collections::VecDeque<Vec<std::io::Result<Bytes>>>,
    /// The run of small files being read.
    reading: Option<tokio::task::JoinHandle<Vec<Vec<std::io::Result<Bytes>>>>>,
}

impl FormStream {
    /// Starts reading the run of small files at the front, up to [`SMALL_RUN_BYTES`].
    fn read_run(&mut self) {
        let mut bytes = 0;
        let run: SmallRun = self
            .files
            .iter()
            .take(SMALL_RUN_FILES)
            .take_while(|(_, file)| {
                let fits =
                    file.size <= SMALL_READ && (bytes == 0 || bytes + file.size <= SMALL_RUN_BYTES);
                bytes += file.size;
                fits
            })
            .map(|(_, file)| (file.path.clone(), file.size, file.modified))
            .collect();
        self.reading = Some(tokio::task::spawn_blocking(move || read_small(run)));
    }
}

impl Stream for FormStream {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(body) = this.current.as_mut() {
            return match Pin::new(body).poll_next(cx) {
                Poll::Ready(None) => {
                    this.current = None;
                    Poll::Ready(Some(Ok(Bytes::from_static(b"\r\n"))))
                }
                other => other,
            };
        }
        let small = match this.files.front() {
            Some((_, file)) => file.size <= SMALL_READ,
            None => return Poll::Ready(this.closing.take().map(Ok)),
        };
        if small && this.read.is_empty() {
            if this.reading.is_none() {
                this.read_run();
            }
            let Some(reading) = this.reading.as_mut() else {
                return Poll::Pending;
            };
            match Pin::new(reading).poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(result) => {
                    this.reading = None;
                    // A reader that panicked (a bug) fails the request like a read error.
                    this.read = result
                        .map_err(|e| std::io::Error::other(e.to_string()))?
                        .into();
                }
            }
        }
        let Some((index, file)) = this.files.pop_front() else {
            return Poll::Ready(this.closing.take().map(Ok));
        };
        let source = match small.then(|| this.read.pop_front()).flatten() {
            Some(items) => ToRead::Read(items),
            None => ToRead::Path(file.path.clone()),
        };
        let head = part_head(&this.boundary, &file.name);
        this.current = Some(FileBody {
            inner: FileChunks::new(source, file.size, file.modified),
            pending: Bytes::new(),
            file,
            index,
            sent: 0,
            finished: false,
            watch: this.watch.clone(),
            progress: this.progress.clone(),
            last_report: this.last_report.clone(),
        });
        Poll::Ready(Some(Ok(Bytes::from(head))))
    }
}

/// A file whose size or modification time differs from when it was added is not the
/// file the operator added (a same-size rewrite still changes the modification time).
fn check_unchanged(
    file: &LocalFile,
    size: u64,
    modified: Option<SystemTime>,
) -> Result<(), ApiError> {
    if size != file.size {
        return Err(ApiError::FileChanged {
            name: file.name.clone(),
            what: crate::t!("api-changed-size", size = size, added = file.size),
        });
    }
    if let (Some(then), Some(now)) = (file.modified, modified)
        && then != now
    {
        return Err(ApiError::FileChanged {
            name: file.name.clone(),
            what: crate::t!("api-changed-modified"),
        });
    }
    Ok(())
}

/// One file's bytes, checked against the length declared in the request: a file that
/// shrinks, grows or is rewritten while being read ends the request with a fault instead
/// of sending bytes that are not the file.
struct FileBody {
    inner: FileChunks,
    /// What is left of the chunk being handed out in slices.
    pending: Bytes,
    file: LocalFile,
    index: usize,
    sent: u64,
    finished: bool,
    watch: Arc<RequestWatch>,
    progress: ProgressFn,
    last_report: Arc<Mutex<Instant>>,
}

impl FileBody {
    fn fail(&mut self, what: String) -> Poll<Option<Result<Bytes, std::io::Error>>> {
        self.finished = true;
        let fault = ApiError::FileChanged {
            name: self.file.name.clone(),
            what,
        };
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

    /// Hands out the next slice of the pending chunk.
    fn next_slice(&mut self) -> Poll<Option<Result<Bytes, std::io::Error>>> {
        let take = self.pending.len().min(SLICE_SIZE);
        let slice = self.pending.split_to(take);
        self.sent += slice.len() as u64;
        self.watch.touch();
        // At the declared length, report it: the stream is still read to its end, which
        // is where a file that grew is caught.
        self.report(self.sent == self.file.size);
        Poll::Ready(Some(Ok(slice)))
    }
}

impl Stream for FileBody {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.finished {
            return Poll::Ready(None);
        }
        if !self.pending.is_empty() {
            return self.next_slice();
        }
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => {
                let total = self.sent + chunk.len() as u64;
                if total > self.file.size {
                    let expected = self.file.size;
                    return self.fail(crate::t!("api-changed-grew", expected = expected));
                }
                self.pending = chunk;
                self.next_slice()
            }
            Poll::Ready(Some(Err(e)))
                if e.get_ref().is_some_and(|inner| inner.is::<Rewritten>()) =>
            {
                self.fail(crate::t!("api-changed-while-sent"))
            }
            Poll::Ready(Some(Err(e))) if e.get_ref().is_some_and(|inner| inner.is::<Gone>()) => {
                self.fail(crate::t!("api-changed-gone"))
            }
            Poll::Ready(Some(Err(e))) => {
                self.finished = true;
                let fault = ApiError::FileUnreadable {
                    name: self.file.name.clone(),
                    source: std::io::Error::new(e.kind(), e.to_string()).into(),
                };
                self.watch.set_fault(fault);
                Poll::Ready(Some(Err(e)))
            }
            Poll::Ready(None) => {
                if self.sent < self.file.size {
                    let (sent, expected) = (self.sent, self.file.size);
                    return self.fail(crate::t!(
                        "api-changed-shrank",
                        sent = sent,
                        expected = expected
                    ));
                }
                self.finished = true;
                self.watch.part_finished();
                Poll::Ready(None)
            }
        }
    }
}

/// The `filename` parameter as browsers (WHATWG) and the official Python SDK encode it:
/// `"` → `%22`, control characters (CR and LF among them) → `%XX`. [`part_head`] then escapes
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

/// The Content-Type for a file name, as the SDKs guess it.
pub fn guess_content_type(name: &str) -> String {
    mime_guess::from_path(name)
        .first()
        .map(|m| m.essence_str().to_owned())
        .unwrap_or_else(|| "application/octet-stream".to_owned())
}

#[cfg(test)]
mod tests;
