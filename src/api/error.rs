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
    /// reqwest's outer message repeats the URL. For the log: library words, not the
    /// operator's.
    pub fn summary(&self) -> String {
        cause_summary(self.0.as_ref())
    }

    /// Why no connection could be made, read from the whole chain of causes.
    pub fn connect_failure(&self) -> ConnectFailure {
        connect_failure(self.0.as_ref())
    }

    /// The host (and port, when not the scheme's) the request was for, to name it.
    fn host(&self) -> String {
        self.0
            .url()
            .and_then(|url| {
                let host = url.host_str()?;
                Some(match url.port() {
                    Some(port) => format!("{host}:{port}"),
                    None => host.to_owned(),
                })
            })
            .unwrap_or_else(|| "the server".to_owned())
    }
}

/// Why no connection could be made, as far as the operator can act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectFailure {
    /// Something answered at the address and refused (nothing listens there now).
    Refused,
    /// The server's name could not be looked up.
    NameNotFound,
    /// This computer has no route to the server (no network, VPN down).
    NoRoute,
    /// The connection was not made in time.
    TimedOut,
    /// The proxy itself could not be reached.
    ProxyUnreachable,
    /// Some other failure while connecting (a broken handshake…).
    Other,
}

/// Why the server's certificate was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateProblem {
    /// Issued by an authority this computer does not trust (a company's own, say).
    Untrusted,
    /// Expired, or not valid yet (often this computer's clock).
    Expired,
    /// Made out for another name than the server's address.
    NameMismatch,
    /// Any other fault in the certificate or the secure handshake.
    Other,
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
    /// No connection could be made; the sentence depends on why
    /// ([`TransportError::connect_failure`]).
    #[error("{}", no_connection_message(.0))]
    NoConnection(#[source] TransportError),
    /// The server's certificate was refused: nothing was sent, and trying again cannot help.
    #[error("{}", certificate_message(*.problem, .source))]
    Certificate {
        /// What is wrong with it.
        problem: CertificateProblem,
        /// The TLS library's error, for the log.
        #[source]
        source: TransportError,
    },
    /// The proxy refused to connect us: it wants a password, or refuses the destination.
    #[error("{}", proxy_refused_message(*.needs_password))]
    ProxyRefused {
        /// It asked for a user name and password (HTTP 407).
        needs_password: bool,
        /// The proxy's refusal, for the log.
        #[source]
        source: TransportError,
    },
    /// After the files were sent, the server answered with a redirect that must not repeat
    /// an upload (301, 302, 303…): it may have stored them. Not sent again, since a second
    /// copy could be staged.
    #[error(
        "The server received the upload but sent us to another address instead of answering with the file IDs. It may have stored the files; nothing was sent again, because a retry may stage a second copy (an unused copy expires on its own). Check with your Asteroid administrator that the server address is right before staging these files again."
    )]
    RedirectedAfterUpload {
        /// The redirect's status, for the log.
        status: u16,
    },
    /// The connection broke mid-request.
    #[error(
        "The connection broke while sending. Retry; only this file is sent again. If it keeps happening, check your internet connection."
    )]
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

    /// The server could not be reached at all: nothing was sent, and waiting for the
    /// network may heal it (connection refused, name not found, no route, connect timeout,
    /// proxy unreachable). A refused certificate or proxy password is not this: waiting
    /// cannot heal those ([`ApiError::is_transient`] is false for them).
    pub fn is_unreachable(&self) -> bool {
        match self {
            ApiError::NoConnection(e) => e.connect_failure() != ConnectFailure::Other,
            _ => false,
        }
    }

    /// For an unreachable server ([`ApiError::is_unreachable`]), why, in a few plain
    /// words for a "waiting for the network" line ("nothing answered at example.com");
    /// `None` otherwise.
    pub fn unreachable_reason(&self) -> Option<String> {
        let ApiError::NoConnection(e) = self else {
            return None;
        };
        let host = e.host();
        Some(match e.connect_failure() {
            ConnectFailure::Refused => format!("nothing answered at {host}"),
            ConnectFailure::NameNotFound => format!("the name {host} could not be found"),
            ConnectFailure::NoRoute => format!("no route to {host}"),
            ConnectFailure::TimedOut => format!("{host} did not answer in time"),
            ConnectFailure::ProxyUnreachable => "the proxy server could not be reached".into(),
            ConnectFailure::Other => return None,
        })
    }

    /// Faults that concern the account, not a file: every file would fail the same way,
    /// so a shared request that got one is not split.
    pub fn concerns_account(&self) -> bool {
        matches!(self, ApiError::BadKey { .. } | ApiError::NotMember(_))
    }

    /// Faults after which the server may have stored the files although no answer said
    /// so: a retry may then stage a second copy (harmless, it expires on its own).
    pub fn may_have_stored(&self) -> bool {
        matches!(
            self,
            ApiError::NoAnswer(_)
                | ApiError::ConnectionLost(_)
                | ApiError::RedirectedAfterUpload { .. }
        )
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

/// Reads the chain of causes for why a connection failed: the typed error where there is
/// one (an `io::Error`'s kind, reqwest's DNS and timeout flags), the proxy's words
/// otherwise (hyper-util's tunnel error is not public).
fn connect_failure(e: &reqwest::Error) -> ConnectFailure {
    let mut kinds = Vec::new();
    let mut texts = Vec::new();
    for link in chain(e) {
        texts.push(link.to_string());
        if let Some(io) = link.downcast_ref::<std::io::Error>() {
            kinds.push(io.kind());
        }
    }
    if texts
        .iter()
        .any(|t| t.contains("tunnel error: failed to create underlying connection"))
    {
        return ConnectFailure::ProxyUnreachable;
    }
    use std::io::ErrorKind;
    if e.is_dns() {
        ConnectFailure::NameNotFound
    } else if kinds.contains(&ErrorKind::ConnectionRefused) {
        ConnectFailure::Refused
    } else if kinds.iter().any(|k| {
        matches!(
            k,
            ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable | ErrorKind::NetworkDown
        )
    }) {
        ConnectFailure::NoRoute
    } else if e.is_timeout() || kinds.contains(&ErrorKind::TimedOut) {
        ConnectFailure::TimedOut
    } else {
        ConnectFailure::Other
    }
}

/// The certificate fault in a chain of causes, if the TLS library refused the server's.
pub(super) fn certificate_problem(e: &reqwest::Error) -> Option<CertificateProblem> {
    use rustls::CertificateError as C;
    for link in chain(e) {
        let Some(tls) = link.downcast_ref::<rustls::Error>() else {
            continue;
        };
        return Some(match tls {
            rustls::Error::InvalidCertificate(c) => match c {
                C::UnknownIssuer | C::BadSignature => CertificateProblem::Untrusted,
                C::Expired
                | C::ExpiredContext { .. }
                | C::NotValidYet
                | C::NotValidYetContext { .. } => CertificateProblem::Expired,
                C::NotValidForName | C::NotValidForNameContext { .. } => {
                    CertificateProblem::NameMismatch
                }
                _ => CertificateProblem::Other,
            },
            _ => CertificateProblem::Other,
        });
    }
    None
}

/// Whether a proxy refused the tunnel: `Some(true)` when it asked for a password.
pub(super) fn proxy_refusal(e: &reqwest::Error) -> Option<bool> {
    chain(e).find_map(|link| {
        let text = link.to_string();
        if text.contains("tunnel error: proxy authorization required") {
            Some(true)
        } else if text.contains("tunnel error: unsuccessful") {
            Some(false)
        } else {
            None
        }
    })
}

/// An error and its causes, outermost first. An `io::Error` that wraps another error is
/// followed into that error: its own `source()` skips the wrapped one (where the TLS
/// library's refusal sits).
fn chain<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(e), |err| {
        match err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => err.source(),
        }
    })
}

fn no_connection_message(e: &TransportError) -> String {
    let host = e.host();
    match e.connect_failure() {
        ConnectFailure::Refused => format!(
            "Nothing answered at {host}: the server is not running there, or not reachable from this network. Check the server address; if it is right, try again in a few minutes."
        ),
        ConnectFailure::NameNotFound => format!(
            "The server name {host} could not be found. Check your internet connection and the server address."
        ),
        ConnectFailure::NoRoute => format!(
            "This computer has no route to {host}: the network seems to be down. Check your internet connection (Wi-Fi, cable or VPN)."
        ),
        ConnectFailure::TimedOut => format!(
            "{host} did not answer in time. Check your internet connection; on a company network, check the proxy settings."
        ),
        ConnectFailure::ProxyUnreachable => "The proxy server could not be reached. Check the proxy settings (HTTPS_PROXY, or the system's proxy settings), or ask your IT department.".to_owned(),
        ConnectFailure::Other => format!(
            "Cannot connect to {host}. Check your internet connection and the server address, then retry."
        ),
    }
}

fn certificate_message(problem: CertificateProblem, e: &TransportError) -> String {
    let host = e.host();
    match problem {
        CertificateProblem::Untrusted => format!(
            "The certificate of {host} is not trusted by this computer, so nothing was sent. On a company network, install your company's root certificate in the system's certificate store (or point SSL_CERT_FILE at it); otherwise check the server address."
        ),
        CertificateProblem::Expired => format!(
            "The certificate of {host} has expired or is not valid yet, so nothing was sent. Check that this computer's date and time are right; otherwise the server's administrator must renew it."
        ),
        CertificateProblem::NameMismatch => format!(
            "The certificate presented for {host} is made out for another name, so nothing was sent. Check the server address; on a company network, ask your IT department."
        ),
        CertificateProblem::Other => format!(
            "A secure connection to {host} could not be set up, so nothing was sent. Check the server address; on a company network, ask your IT department."
        ),
    }
}

fn proxy_refused_message(needs_password: bool) -> String {
    if needs_password {
        "The proxy server asks for a user name and password, and none (or wrong ones) were given, so nothing was sent. Put them in the proxy address (HTTPS_PROXY=http://user:password@proxy:port), or ask your IT department.".to_owned()
    } else {
        "The proxy server refused to connect us to the server, so nothing was sent. Ask your IT department whether the proxy lets this address through, or set NO_PROXY for it.".to_owned()
    }
}
