//! Everything that can go wrong talking to the API, and the words the operator reads for
//! it. All operator-facing wording about the server lives here, once; each variant keeps
//! its cause (`source()`) for logs, and `Display` never contains the key.

use std::sync::Arc;
use std::time::Duration;

/// A transport failure from the HTTP stack, kept whole as the cause of an [`ApiError`].
/// Shared (`Arc`) so that errors can travel in events that are cloned.
#[derive(Debug, Clone)]
pub struct TransportError(Arc<reqwest::Error>);

impl TransportError {
    /// The innermost causes, which say what actually happened ("connection refused"):
    /// reqwest's outer message repeats the URL.
    pub fn summary(&self) -> String {
        cause_summary(self.0.as_ref())
    }
}

impl From<reqwest::Error> for TransportError {
    fn from(e: reqwest::Error) -> Self {
        Self(Arc::new(e))
    }
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.0.as_ref())
    }
}

/// A local file's read error, shared for the same reason as [`TransportError`].
#[derive(Debug, Clone)]
pub struct ReadError(Arc<std::io::Error>);

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        Self(Arc::new(e))
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.0.as_ref())
    }
}

/// Everything that can go wrong talking to the API. `Display` is the message shown to the
/// operator: what happened, in plain words, and what to do next.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// 401, or a 403 that is not about membership.
    #[error(
        "The server did not accept the API key (HTTP {status}: {text}). Check the key at platform.asteroid.ai → your profile → API Keys and enter it again."
    )]
    BadKey {
        /// The HTTP status.
        status: u16,
        /// The server's text, cleaned.
        text: String,
    },
    /// 403 `User is not a member of the organization.`
    #[error(
        "The key is not a member of this organization (server said: \"{0}\"). Check the organization ID, or use a key from that organization."
    )]
    NotMember(String),
    /// 400: the request itself was refused; sending it again will not help.
    #[error(
        "The server refused the upload (server said: \"{0}\"). Check that the file is the one you meant; retrying the same file will not help."
    )]
    Rejected(String),
    /// 413.
    #[error(
        "The upload is too large for the server (HTTP 413). An execution takes at most {} of files in all.",
        crate::format::execution_limit()
    )]
    TooLarge,
    /// 429, with the server's `Retry-After` when it gave one.
    #[error(
        "The server is busy and asked us to wait (HTTP 429). The upload is retried automatically; if it keeps failing, try again in a few minutes."
    )]
    RateLimited {
        /// How long the server asked us to wait.
        retry_after: Option<Duration>,
    },
    /// 5xx.
    #[error(
        "The server failed (HTTP {status}: \"{text}\"). This is not your fault; retry in a moment."
    )]
    ServerFailed {
        /// The HTTP status.
        status: u16,
        /// The server's text, cleaned (its first part when it was long).
        text: String,
        /// `Retry-After` on a 503, when given.
        retry_after: Option<Duration>,
    },
    /// A status the API does not describe.
    #[error(
        "The server answered in a way the API does not describe (HTTP {status}: \"{text}\"). Retry; if it keeps happening, check the server address in Settings."
    )]
    UnexpectedStatus {
        /// The HTTP status.
        status: u16,
        /// The server's text, cleaned.
        text: String,
    },
    /// A redirect to another server: the key was not sent there.
    #[error(
        "The server sent us to another address ({0}). The key was not sent there. Check the server address in Settings."
    )]
    RedirectedAway(String),
    /// No connection could be made.
    #[error(
        "Cannot reach the server ({0}). Check your internet connection and the server address, then retry."
    )]
    NoConnection(#[source] TransportError),
    /// The connection broke mid-request.
    #[error("The connection broke while sending ({0}). Retry; only this file is sent again.")]
    ConnectionLost(#[source] TransportError),
    /// No byte moved for this long while sending.
    #[error("The upload stalled: nothing moved for {} seconds. Check your connection, then retry.", .0.as_secs())]
    Stalled(Duration),
    /// Everything was sent but no answer came within this long.
    #[error("The server did not answer within {} seconds after receiving the file. Retry in a moment.", .0.as_secs())]
    NoAnswer(Duration),
    /// An answer that is not what the API promises.
    #[error(
        "The server's answer was not what the API promises ({0}). Retry; if it keeps happening, check the server address in Settings."
    )]
    MalformedAnswer(String),
    /// The file changed (size or content) while it was sent: what arrived is not the file.
    #[error(
        "{name} changed while it was being sent ({what}). Nothing wrong was kept: retry to send the file as it is now."
    )]
    FileChanged {
        /// The file's name.
        name: String,
        /// What changed, in plain words.
        what: String,
    },
    /// The file could not be read while sending.
    #[error("{name} could not be read while sending ({source}). Check the file, then retry.")]
    FileUnreadable {
        /// The file's name.
        name: String,
        /// The read error.
        #[source]
        source: ReadError,
    },
    /// The HTTP client could not be built, or a request could not be formed.
    #[error("Could not set up the connection ({0}).")]
    Setup(String),
    /// The upload task itself failed (a bug); the file can be retried.
    #[error("An internal error stopped this upload; please retry.")]
    Internal,
}

impl ApiError {
    /// Faults that may pass on their own: retried with backoff. A refused key, a 400 or a
    /// 403 will say the same thing every time, and a changed file needs the operator.
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

    /// The server was not reached at all (refused, name not found, no route, connect
    /// timeout): waiting for the network may heal it, and it does not use up a try.
    pub fn is_unreachable(&self) -> bool {
        // A refused certificate also fails the connection, but waiting will not heal it.
        matches!(self, ApiError::NoConnection(e) if !e.summary().to_ascii_lowercase().contains("certificate"))
    }

    /// Faults that concern the account, not a file: every file would fail the same way,
    /// so a shared request that got one is not split.
    pub fn concerns_account(&self) -> bool {
        matches!(self, ApiError::BadKey { .. } | ApiError::NotMember(_))
    }

    /// Faults after which the server may have stored the files although no answer said
    /// so: a retry may then stage a second copy (harmless, it expires on its own).
    pub fn may_have_stored(&self) -> bool {
        matches!(self, ApiError::NoAnswer(_) | ApiError::ConnectionLost(_))
    }

    /// How long the server asked us to wait before trying again, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::RateLimited { retry_after } | ApiError::ServerFailed { retry_after, .. } => {
                *retry_after
            }
            _ => None,
        }
    }
}

/// The innermost causes of an error chain, without repeats: the useful end of it.
pub(crate) fn cause_summary(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = current {
        let text = err.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = err.source();
    }
    let start = parts.len().saturating_sub(2);
    parts[start..].join(": ")
}
