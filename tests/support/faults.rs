//! What the server does wrong with one request. Faults are used one per request, in the
//! order pushed; a request with no fault left is handled as a healthy server would.
//!
//! Whether a fault STORES the files matters for the ledger: a real server may store what
//! it received and still fail to tell the client. Faults that store say so.

use std::time::Duration;

#[derive(Debug, Clone)]
pub enum Fault {
    /// Nothing wrong: handled as a healthy server would (to let an earlier request pass
    /// before the fault meant for a later one).
    None,
    /// Read the body, then answer with this status and plain text. Stores nothing.
    Status(u16, &'static str),
    /// Read the body, then answer with this status and a text that repeats the API key
    /// the request carried (as some servers do in "invalid key: …" messages). Stores
    /// nothing.
    StatusEchoingKey(u16),
    /// Answer with this status (401, 413…) before reading any of the body, then close
    /// the connection, as proxies and gateways do. Stores nothing.
    EarlyStatus(u16),
    /// Read the body, then 429 with `Retry-After: secs`. Stores nothing.
    TooManyRequests(u64),
    /// Read the body, then 503 with `Retry-After: secs`. Stores nothing.
    Unavailable(u64),
    /// Read this many body bytes, then drop the connection. Stores nothing. (A body that
    /// ends before that is handled as by a healthy server.)
    DropAfter(usize),
    /// Read the body at about this many bytes per second (a slow but moving link), then
    /// go on as a healthy server.
    ReadSlowly(u64),
    /// Read this many body bytes, then stop reading until the test calls
    /// [`StagingServer::resume`](super::StagingServer::resume) (after it changed the file,
    /// say), signalled by [`ServerEvent::Paused`](super::ServerEvent::Paused). Then go on
    /// as a healthy server. Waits at most 60 s for the resume.
    PauseAfter(usize),
    /// Read the body, then answer with this status and this many bytes of text (a proxy's
    /// or a framework's error page). Stores nothing.
    HugeError(u16, usize),
    /// Read the body, then a 200 whose body is this text (not the promised answer).
    /// Stores nothing: the IDs in such a text were never issued.
    Body200(String),
    /// Do not read the body for this long (a stalled upload), or until
    /// [`StagingServer::resume`](super::StagingServer::resume). Then go on.
    StallReading(Duration),
    /// Read and STORE the files, then wait this long (or until `resume()`) before
    /// answering. Same as [`Fault::StoreThenAnswerLate`]; kept under its old name.
    SlowAnswer(Duration),
    /// Read and STORE the files, then answer after this long (or at `resume()`): longer
    /// than the client waits, so the IDs are issued but the client never reads them.
    StoreThenAnswerLate(Duration),
    /// Read and STORE the files, then close the connection without answering.
    StoreThenDrop,
    /// Read the whole body, store nothing, and hold the answer (a 504) this long or until
    /// `resume()`: a gateway that lost its backend. A client stops waiting first; unlike
    /// `StallReading`, what the server keeps does not depend on when the client closes.
    NoAnswer(Duration),
    /// Read and STORE the files under a changed name, and answer with that name.
    StoreThenRename(NameChange),
    /// Read and STORE the files, and answer with the entries in reverse order.
    Reorder,
    /// 307 to this path on the same server (`{org}` is replaced). Stores nothing.
    RedirectSameHost(String),
    /// 307 to another address entirely. Stores nothing.
    RedirectTo(String),
    /// Read and STORE the files, then answer this redirect status (301, 302, 303…) to
    /// `/agents/v2/moved/{org}` instead of the IDs, as a server that points at where its
    /// answer is would: the files exist, the client never learns their IDs.
    StoreThenRedirect(u16),
}

impl Fault {
    /// Whether the server keeps the files of a request that meets this fault (once the
    /// whole body has arrived).
    pub fn stores(&self) -> bool {
        matches!(
            self,
            Fault::DropAfter(_)
                | Fault::ReadSlowly(_)
                | Fault::PauseAfter(_)
                | Fault::StallReading(_)
                | Fault::SlowAnswer(_)
                | Fault::StoreThenAnswerLate(_)
                | Fault::StoreThenDrop
                | Fault::StoreThenRename(_)
                | Fault::Reorder
                | Fault::StoreThenRedirect(_)
        )
    }
}

/// How a server may change a file name between the request and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameChange {
    /// busboy (under Express/multer): only what follows the last `\` or `/`.
    AfterLastBackslash,
    /// Unicode NFC, as servers that normalise names store them (macOS sends NFD).
    Nfc,
    /// `%XX` sequences decoded (`%22` → `"`), as some frameworks do.
    PercentDecoded,
    /// Every file answered under this name.
    Fixed(String),
}

impl NameChange {
    pub fn apply(&self, name: &str) -> String {
        match self {
            NameChange::AfterLastBackslash => super::names::after_last_separator(name),
            NameChange::Nfc => super::names::nfc(name),
            NameChange::PercentDecoded => super::names::percent_decoded(name),
            NameChange::Fixed(fixed) => fixed.clone(),
        }
    }
}
