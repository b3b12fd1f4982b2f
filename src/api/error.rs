//! Everything that can go wrong talking to the API, and the words the operator reads for
//! it. All operator-facing wording about the server lives here, once; each variant keeps
//! its cause (`source()`) for logs, and `Display` never contains the key.

use std::sync::Arc;
use std::time::Duration;

use crate::t;

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
            .unwrap_or_else(|| t!("api-the-server"))
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
    #[error("{}", with_details(t!("api-bad-key"), status_details(*status, text)))]
    BadKey {
        /// The HTTP status.
        status: u16,
        /// The server's text, cleaned.
        text: String,
    },
    /// 403 `User is not a member of the organization.`
    #[error("{}", t!("api-not-member", server_text = .0.as_str()))]
    NotMember(String),
    /// 400: the request itself was refused; sending it again will not help.
    #[error("{}", t!("api-rejected", server_text = .0.as_str()))]
    Rejected(String),
    /// 413.
    #[error("{}", with_details(t!("api-too-large", limit = crate::format::execution_limit()), t!("api-details-status", status = 413)))]
    TooLarge,
    /// 429, with the server's `Retry-After` when it gave one.
    #[error("{}", with_details(t!("api-rate-limited"), t!("api-details-status", status = 429)))]
    RateLimited {
        /// How long the server asked us to wait.
        retry_after: Option<Duration>,
    },
    /// 5xx.
    #[error("{}", with_details(t!("api-server-failed"), status_details(*status, text)))]
    ServerFailed {
        /// The HTTP status.
        status: u16,
        /// The server's text, cleaned (its first part when it was long).
        text: String,
        /// `Retry-After` on a 503, when given.
        retry_after: Option<Duration>,
    },
    /// A status the API does not describe.
    #[error("{}", with_details(t!("api-unexpected-status"), status_details(*status, text)))]
    UnexpectedStatus {
        /// The HTTP status.
        status: u16,
        /// The server's text, cleaned.
        text: String,
    },
    /// A redirect to another server: the key was not sent there.
    #[error("{}", t!("api-redirected-away", address = .0.as_str()))]
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
    #[error("{}", t!("api-redirected-after-upload"))]
    RedirectedAfterUpload {
        /// The redirect's status, for the log.
        status: u16,
    },
    /// The connection broke mid-request.
    #[error("{}", t!("api-connection-lost"))]
    ConnectionLost(#[source] TransportError),
    /// No byte moved for this long while sending.
    #[error("{}", t!("api-stalled", seconds = .0.as_secs()))]
    Stalled(Duration),
    /// Everything was sent but no answer came within this long.
    #[error("{}", t!("api-no-answer", seconds = .0.as_secs()))]
    NoAnswer(Duration),
    /// An answer that is not what the API promises.
    #[error("{}", t!("api-malformed-answer", reason = .0.as_str()))]
    MalformedAnswer(String),
    /// The file changed (size or content) while it was sent: what arrived is not the file.
    #[error("{}", t!("api-file-changed", name = name.as_str(), what = what.as_str()))]
    FileChanged {
        /// The file's name.
        name: String,
        /// What changed, in plain words.
        what: String,
    },
    /// The file could not be read while sending.
    #[error("{}", t!("api-file-unreadable", name = name.as_str(), reason = source.to_string()))]
    FileUnreadable {
        /// The file's name.
        name: String,
        /// The read error.
        #[source]
        source: ReadError,
    },
    /// The HTTP client could not be built, or a request could not be formed.
    #[error("{}", t!("api-setup", reason = .0.as_str()))]
    Setup(String),
    /// The upload task itself failed (a bug); the file can be retried.
    #[error("{}", t!("api-internal"))]
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
            ConnectFailure::Refused => t!("api-reason-refused", host = host),
            ConnectFailure::NameNotFound => t!("api-reason-name-not-found", host = host),
            ConnectFailure::NoRoute => t!("api-reason-no-route", host = host),
            ConnectFailure::TimedOut => t!("api-reason-timed-out", host = host),
            ConnectFailure::ProxyUnreachable => t!("api-reason-proxy-unreachable"),
            ConnectFailure::Other => return None,
        })
    }

    /// Whether the message (`Display`) ends in a details line of its own ("Details: HTTP
    /// 503: …") under its plain sentence. Neither line holds a file name, so a face may
    /// show them as two lines (the server's text in it is cleaned of control characters).
    pub fn has_details_line(&self) -> bool {
        matches!(
            self,
            ApiError::BadKey { .. }
                | ApiError::TooLarge
                | ApiError::RateLimited { .. }
                | ApiError::ServerFailed { .. }
                | ApiError::UnexpectedStatus { .. }
        )
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
        ConnectFailure::Refused => t!("api-no-connection-refused", host = host),
        ConnectFailure::NameNotFound => t!("api-no-connection-name-not-found", host = host),
        ConnectFailure::NoRoute => t!("api-no-connection-no-route", host = host),
        ConnectFailure::TimedOut => t!("api-no-connection-timed-out", host = host),
        ConnectFailure::ProxyUnreachable => t!("api-no-connection-proxy-unreachable"),
        ConnectFailure::Other => t!("api-no-connection-other", host = host),
    }
}

fn certificate_message(problem: CertificateProblem, e: &TransportError) -> String {
    let host = e.host();
    match problem {
        CertificateProblem::Untrusted => t!("api-certificate-untrusted", host = host),
        CertificateProblem::Expired => t!("api-certificate-expired", host = host),
        CertificateProblem::NameMismatch => t!("api-certificate-name-mismatch", host = host),
        CertificateProblem::Other => t!("api-certificate-other", host = host),
    }
}

fn proxy_refused_message(needs_password: bool) -> String {
    if needs_password {
        t!("api-proxy-needs-password")
    } else {
        t!("api-proxy-refused")
    }
}

/// A message's plain sentence, then its technical details on a line of their own: an
/// HTTP status is for whoever the operator asks for help, not the sentence itself.
fn with_details(sentence: String, details: String) -> String {
    format!("{sentence}\n{details}")
}

/// "Details: HTTP 503: the server's text".
fn status_details(status: u16, text: &str) -> String {
    t!("api-details-http", status = status, text = text)
}
