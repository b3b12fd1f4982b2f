//! The streamed `multipart/form-data` body of a staging request: each file is read from
//! disk a little ahead of the connection, checked against the length declared in the
//! request, and watched for progress, so memory stays flat whatever the size and a file
//! that changes while it is sent never arrives as if it were the file.

use std::future::Future;
use std::io::Read;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use futures_util::Stream;
use tokio::sync::mpsc;

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

/// A file read on a blocking thread, a few chunks ahead of the connection: reading the next
/// chunk overlaps sending this one, the worker threads never wait on the disk, and each byte
/// is copied once on its way from the file to the socket. The chunks' buffers come back to
/// the reader once sent ([`Recycled`]), so a large file is read through the same few
/// buffers. Reading starts when the part is first polled (when it is its turn to be sent)
/// and stops at the end of the file, at a read error (passed on), or when the body is
/// dropped.
struct FileChunks {
    /// Until the first poll: the file, its declared length and modification time.
    unstarted: Option<(ToRead, u64, Option<SystemTime>)>,
    chunks: Option<mpsc::Receiver<std::io::Result<Bytes>>>,
    /// A small file read already (with the others of its run, see [`read_small`]).
    ready: Option<std::vec::IntoIter<std::io::Result<Bytes>>>,
}

impl FileChunks {
    fn new(file: ToRead, expected: u64, modified: Option<SystemTime>) -> Self {
        Self {
            unstarted: Some((file, expected, modified)),
            chunks: None,
            ready: None,
        }
    }
}

/// The file to read: opened already, or to open on the reading thread when its turn comes.
enum ToRead {
    #[cfg(test)]
    Opened(std::fs::File),
    Path(std::path::PathBuf),
    /// Read already: its chunk, then an error if one was found ([`read_small`]).
    Read(Vec<std::io::Result<Bytes>>),
}

/// Sent when the file to open is gone (it was there when the request was built).
#[derive(Debug)]
struct Gone;

impl std::fmt::Display for Gone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::t!("api-changed-gone"))
    }
}

impl std::error::Error for Gone {}

/// Sent in place of the last chunk when the file was rewritten while it was read: a
/// rewrite of the same size changes the modification time, and the bytes read may be a
/// mix of old and new.
#[derive(Debug)]
struct Rewritten;

impl std::fmt::Display for Rewritten {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::t!("api-changed-while-read"))
    }
}

impl std::error::Error for Rewritten {}

impl Stream for FileChunks {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match self.unstarted.take() {
            Some((ToRead::Read(items), _, _)) => self.ready = Some(items.into_iter()),
            Some((file, expected, modified)) => {
                let (tx, rx) = mpsc::channel(READ_AHEAD_CHUNKS);
                tokio::task::spawn_blocking(move || read_ahead(file, expected, modified, tx));
                self.chunks = Some(rx);
            }
            None => {}
        }
        if let Some(items) = self.ready.as_mut() {
            return Poll::Ready(items.next());
        }
        match self.chunks.as_mut() {
            Some(chunks) => chunks.poll_recv(cx),
            None => Poll::Ready(None),
        }
    }
}

/// Sends the file's chunks until its end. Chunks are sized to what is left of the declared
/// length, so a small file costs a small buffer; reading goes on past that length to the
/// real end, which is how [`FileBody`] notices a file that grew. At the end, the open file's
/// modification time tells whether it was rewritten meanwhile (a file replaced by a rename
/// is not: the open handle still reads the old one whole).
fn read_ahead(
    file: ToRead,
    expected: u64,
    modified: Option<SystemTime>,
    tx: mpsc::Sender<std::io::Result<Bytes>>,
) {
    let mut file = match file {
        #[cfg(test)]
        ToRead::Opened(file) => file,
        ToRead::Path(path) => match open(&path) {
            Ok(file) => file,
            Err(e) => {
                let _ = tx.blocking_send(Err(e));
                return;
            }
        },
        ToRead::Read(items) => {
            for item in items {
                if tx.blocking_send(item).is_err() {
                    return;
                }
            }
            return;
        }
    };
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
            // A file that shrank or grew is told by its length; one of the same length
            // by its modification time.
            let now = file.metadata().and_then(|m| m.modified()).ok();
            if let (Some(then), Some(now)) = (modified, now)
                && then != now
                && read == expected
            {
                let _ = tx.blocking_send(Err(std::io::Error::other(Rewritten)));
            }
            return;
        }
    }
}

/// Opens a file to send; one that is gone says so ([`Gone`]).
fn open(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            std::io::Error::new(e.kind(), Gone)
        } else {
            e
        }
    })
}

/// Files up to this size are read in runs, several on one blocking thread ([`read_small`]).
const SMALL_READ: u64 = 64 * 1024;

/// At most this many bytes of small files are read ahead of the connection per request.
const SMALL_RUN_BYTES: u64 = 256 * 1024;

/// At most this many small files in one run.
const SMALL_RUN_FILES: usize = 256;

/// A run of small files to read: each one's path, declared length and modification time.
type SmallRun = Vec<(std::path::PathBuf, u64, Option<SystemTime>)>;

/// Reads a run of small files whole, on one blocking thread: for each, what [`read_ahead`]
/// would give (its bytes, then an error if one was found), without a hop to the blocking
/// pool and back per file (at thousands of small files those hops cost more than the
/// reading, and each file would leave in a write of its own). A file is read one byte past
/// its declared length, which is enough for [`FileBody`] to see that it grew.
fn read_small(files: SmallRun) -> Vec<Vec<std::io::Result<Bytes>>> {
    files
        .into_iter()
        .map(|(path, expected, modified)| {
            let mut file = match open(&path) {
                Ok(file) => file,
                Err(e) => return vec![Err(e)],
            };
            let mut buf = Vec::with_capacity(usize::try_from(expected + 1).unwrap_or(0));
            if let Err(e) = (&mut file).take(expected + 1).read_to_end(&mut buf) {
                return vec![Err(e)];
            }
            let read = buf.len() as u64;
            let mut items = Vec::with_capacity(2);
            if !buf.is_empty() {
                items.push(Ok(Bytes::from(buf)));
            }
            let now = file.metadata().and_then(|m| m.modified()).ok();
            if let (Some(then), Some(now)) = (modified, now)
                && then != now
                && read == expected
            {
                items.push(Err(std::io::Error::other(Rewritten)));
            }
            items
        })
        .collect()
}

/// The first `len` bytes of `buf`, sent as a chunk; when the connection drops the last
/// slice of it, `buf` goes back to the reader that filled it (or is freed, if that reader
/// is done).
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
        assert_eq!(encode_filename("résumé; v2.txt"), "résumé; v2.txt");
    }

    #[test]
    fn content_types_are_guessed_from_names() {
        assert_eq!(guess_content_type("a.pdf"), "application/pdf");
        assert_eq!(guess_content_type("data.csv"), "text/csv");
        assert_eq!(guess_content_type("noext"), "application/octet-stream");
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
                let mut chunks = FileChunks::new(ToRead::Opened(file), expected, None);
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

    #[tokio::test]
    async fn the_body_is_handed_out_in_small_slices_with_every_byte() {
        use futures_util::StreamExt;
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("f.bin");
        let bytes: Vec<u8> = (0..CHUNK_SIZE + 5).map(|i| (i % 13) as u8).collect();
        std::fs::write(&path, &bytes).expect("writing the file");
        let file = LocalFile::inspect(&path).expect("inspect");
        let watch = Arc::new(RequestWatch::new(1));
        let mut body = FileBody {
            inner: FileChunks::new(
                ToRead::Opened(std::fs::File::open(&path).expect("open")),
                file.size,
                file.modified,
            ),
            pending: Bytes::new(),
            file,
            index: 0,
            sent: 0,
            finished: false,
            watch: watch.clone(),
            progress: Arc::new(|_, _| {}),
            last_report: Arc::new(Mutex::new(Instant::now())),
        };
        let mut got = Vec::new();
        let mut largest = 0;
        while let Some(slice) = body.next().await {
            let slice = slice.expect("a slice");
            largest = largest.max(slice.len());
            got.extend_from_slice(&slice);
        }
        assert_eq!(got, bytes);
        assert!(largest <= SLICE_SIZE, "{largest}");
        assert!(watch.fault().is_none());
    }

    #[tokio::test]
    async fn the_form_is_the_multipart_body_reqwest_wrote_with_its_exact_length() {
        use futures_util::StreamExt;
        let dir = tempfile::tempdir().expect("a temporary directory");
        // Small files around one read on its own (larger than a run reads).
        let big: Vec<u8> = (0..SMALL_READ as usize + 10)
            .map(|i| (i % 7) as u8)
            .collect();
        let contents: [(&str, Vec<u8>); 3] = [
            ("a\\b \"q\".txt", b"first".to_vec()),
            ("big.bin", big),
            ("c.pdf", b"third".to_vec()),
        ];
        let mut files = Vec::new();
        for (i, (name, bytes)) in contents.iter().enumerate() {
            let path = dir.path().join(format!("f{i}"));
            std::fs::write(&path, bytes).expect("writing a file");
            let mut file = LocalFile::inspect(&path).expect("inspect");
            file.name = (*name).to_owned();
            files.push(file);
        }
        let (form, watch) = build_form(&files, Arc::new(|_, _| {}))
            .await
            .expect("the form");
        let boundary = form
            .content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("a boundary")
            .to_owned();
        let mut stream = form.stream;
        let mut got = Vec::new();
        while let Some(piece) = stream.next().await {
            got.extend_from_slice(&piece.expect("a piece"));
        }
        let mut expected = Vec::new();
        for ((name, bytes), type_) in
            contents
                .iter()
                .zip(["text/plain", "application/octet-stream", "application/pdf"])
        {
            let shown = name.replace('\\', "\\\\").replace('"', "%22");
            expected.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; \
                     filename=\"{shown}\"\r\nContent-Type: {type_}\r\n\r\n"
                )
                .as_bytes(),
            );
            expected.extend_from_slice(bytes);
            expected.extend_from_slice(b"\r\n");
        }
        expected.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        assert_eq!(got.len() as u64, form.length);
        assert_eq!(got, expected);
        assert!(watch.fault().is_none());
    }

    #[test]
    fn a_run_of_small_files_tells_what_changed_in_each() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = |name: &str| dir.path().join(name);
        std::fs::write(path("same"), b"12345").expect("write");
        std::fs::write(path("grew"), b"123456789").expect("write");
        let then = std::fs::metadata(path("same"))
            .and_then(|m| m.modified())
            .ok();
        let earlier = then.map(|t| t - Duration::from_secs(10));
        let got = read_small(vec![
            (path("same"), 5, then),
            (path("grew"), 5, None),
            (path("gone"), 5, None),
            (path("same"), 5, earlier),
        ]);
        let describe = |items: &Vec<std::io::Result<Bytes>>| -> Vec<String> {
            items
                .iter()
                .map(|item| match item {
                    Ok(bytes) => format!("{} bytes", bytes.len()),
                    Err(e) if e.get_ref().is_some_and(|i| i.is::<Gone>()) => "gone".into(),
                    Err(e) if e.get_ref().is_some_and(|i| i.is::<Rewritten>()) => {
                        "rewritten".into()
                    }
                    Err(e) => e.to_string(),
                })
                .collect()
        };
        let got: Vec<Vec<String>> = got.iter().map(describe).collect();
        assert_eq!(
            got,
            [
                vec!["5 bytes"],
                // One byte past the declared length: enough to see it grew.
                vec!["6 bytes"],
                vec!["gone"],
                vec!["5 bytes", "rewritten"],
            ]
        );
    }
}
