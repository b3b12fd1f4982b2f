//! Reading the files to send: large ones a few chunks ahead of the connection on a
//! blocking thread through recycled buffers, small ones in runs, a gone or rewritten file
//! said as such.

use std::io::Read;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::SystemTime;

use bytes::Bytes;
use futures_util::Stream;
use tokio::sync::mpsc;

use super::*;

/// A file read on a blocking thread, a few chunks ahead of the connection: reading the next
/// chunk overlaps sending this one, the worker threads never wait on the disk, and each byte
/// is copied once on its way from the file to the socket. The chunks' buffers come back to
/// the reader once sent ([`Recycled`]), so a large file is read through the same few
/// buffers. Reading starts when the part is first polled (when it is its turn to be sent)
/// and stops at the end of the file, at a read error (passed on), or when the body is
/// dropped.
pub(super) struct FileChunks {
    /// Until the first poll: the file, its declared length and modification time.
    unstarted: Option<(ToRead, u64, Option<SystemTime>)>,
    chunks: Option<mpsc::Receiver<std::io::Result<Bytes>>>,
    /// A small file read already (with the others of its run, see [`read_small`]).
    ready: Option<std::vec::IntoIter<std::io::Result<Bytes>>>,
}

impl FileChunks {
    pub(super) fn new(file: ToRead, expected: u64, modified: Option<SystemTime>) -> Self {
        Self {
            unstarted: Some((file, expected, modified)),
            chunks: None,
            ready: None,
        }
    }
}

/// The file to read: opened already, or to open on the reading thread when its turn comes.
pub(super) enum ToRead {
    #[cfg(test)]
    Opened(std::fs::File),
    Path(std::path::PathBuf),
    /// Read already: its chunk, then an error if one was found ([`read_small`]).
    Read(Vec<std::io::Result<Bytes>>),
}

/// Sent when the file to open is gone (it was there when the request was built).
#[derive(Debug)]
pub(super) struct Gone;

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
pub(super) struct Rewritten;

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
pub(super) fn read_ahead(
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
pub(super) fn open(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            std::io::Error::new(e.kind(), Gone)
        } else {
            e
        }
    })
}

/// Files up to this size are read in runs, several on one blocking thread ([`read_small`]).
pub(super) const SMALL_READ: u64 = 64 * 1024;

/// At most this many bytes of small files are read ahead of the connection per request.
pub(super) const SMALL_RUN_BYTES: u64 = 256 * 1024;

/// At most this many small files in one run.
pub(super) const SMALL_RUN_FILES: usize = 256;

/// A run of small files to read: each one's path, declared length and modification time.
pub(super) type SmallRun = Vec<(std::path::PathBuf, u64, Option<SystemTime>)>;

/// Reads a run of small files whole, on one blocking thread: for each, what [`read_ahead`]
/// would give (its bytes, then an error if one was found), without a hop to the blocking
/// pool and back per file (at thousands of small files those hops cost more than the
/// reading, and each file would leave in a write of its own). A file is read one byte past
/// its declared length, which is enough for [`FileBody`] to see that it grew.
pub(super) fn read_small(files: SmallRun) -> Vec<Vec<std::io::Result<Bytes>>> {
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
pub(super) struct Recycled {
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
