//! The HTTP client: `GET /context` and `POST /temp-files/{org}`, with timeouts that follow
//! progress, redirects followed by hand (the key never leaves its server), and every answer
//! turned into a typed result.

use std::future::Future;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use url::Url;

use super::answer::{StagedAnswer, match_answer};
use super::body::{ProgressFn, build_form};
use super::error::{ApiError, TransportError, cause_summary, certificate_problem, proxy_refusal};
use super::{TempFiles, UserContext, clean_server_text, redact_key};
use crate::endpoint::{BaseUrl, OrganizationId};
use crate::key_store::ApiKey;
use crate::local_file::LocalFile;

/// Timeouts that depend on progress, so a slow but moving upload is never cut off.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Give up connecting after this long.
    pub connect_timeout: Duration,
    /// Give up when no byte could be sent for this long.
    pub stall_timeout: Duration,
    /// Wait this long for an answer once a small request is all sent, and for `/context`.
    pub answer_timeout: Duration,
    /// Wait this much longer per GB sent: a server takes longer to store a large file.
    pub answer_timeout_per_gb: Duration,
    /// The longest wait for an answer, however large the request.
    pub max_answer_timeout: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(20),
            stall_timeout: Duration::from_secs(60),
            answer_timeout: Duration::from_secs(60),
            answer_timeout_per_gb: Duration::from_secs(120),
            max_answer_timeout: Duration::from_secs(300),
        }
    }
}

impl ClientOptions {
    /// How long to wait for the answer after the last of `bytes` was sent: about a
    /// minute for small files, more for large ones, never more than the maximum.
    pub fn answer_timeout_for(&self, bytes: u64) -> Duration {
        let extra_nanos = self.answer_timeout_per_gb.as_nanos() * u128::from(bytes) / 1_000_000_000;
        let extra = Duration::from_nanos(u64::try_from(extra_nanos).unwrap_or(u64::MAX));
        (self.answer_timeout + extra).min(self.max_answer_timeout)
    }
}

/// Redirects followed to the same server before giving up.
const MAX_REDIRECTS: usize = 5;

/// An answer body longer than this is not what the API sends: stop reading it.
const MAX_ANSWER_BYTES: usize = 8 * 1024 * 1024;

/// Of an error's body, this much is kept: enough for its message, whatever its size.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// Talks to one server with one key. Cheap to clone.
#[derive(Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    base: BaseUrl,
    headers: HeaderMap,
    options: ClientOptions,
    /// Only to take it out of what the server says back (a body may echo the key).
    key: ApiKey,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl ApiClient {
    /// A client for `base` that sends `key` in both key headers.
    pub fn new(base: BaseUrl, key: &ApiKey, options: ClientOptions) -> Result<Self, ApiError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("asteroid-stager/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(options.connect_timeout)
            // Redirects are followed by hand, so the key can never follow one elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .tcp_nodelay(true);
        if base.is_loopback() {
            // This computer is never reached through a proxy: over plain http the key
            // would travel in clear to it.
            builder = builder.no_proxy();
        }
        if base.as_url().scheme() == "http" {
            // Plain http (allowed only to this computer, and redirects are followed only
            // to the same scheme and host) never meets a certificate: the system's roots
            // are not read, which costs more than a small upload.
            builder = builder.tls_certs_only([]);
        }
        let http = builder
            .build()
            .map_err(|e| ApiError::Setup(cause_summary(&e)))?;
        let mut key_value = HeaderValue::from_str(key.expose())
            .map_err(|_| ApiError::Setup(crate::t!("api-client-key-not-a-header")))?;
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
            key: key.clone(),
        })
    }

    /// The server this client talks to.
    pub fn base(&self) -> &BaseUrl {
        &self.base
    }

    /// The timeouts in use.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// Who the key belongs to and which organizations it may stage for. The whole exchange,
    /// body included, is bounded: a server that sends headers and stalls cannot hang it.
    pub async fn context(&self) -> Result<UserContext, ApiError> {
        self.context_unredacted()
            .await
            .map_err(|e| self.redact_error(e))
    }

    async fn context_unredacted(&self) -> Result<UserContext, ApiError> {
        let limit = self.options.answer_timeout;
        let exchange = async {
            let url = self.base.join(&["context"]);
            let (response, ()) = self
                .follow_redirects(url, Method::Get, |url| async move {
                    let response = self
                        .http
                        .get(url)
                        .headers(self.headers.clone())
                        .send()
                        .await
                        .map_err(classify_transport)?;
                    Ok((response, ()))
                })
                .await?;
            let status = response.status();
            let body = read_body(response, status).await?;
            if !status.is_success() {
                return Err(self.status_error(status, &body, None));
            }
            let mut context: UserContext = serde_json::from_slice(&body).map_err(|e| {
                ApiError::MalformedAnswer(crate::t!(
                    "api-client-context-unparsed",
                    reason = e.to_string()
                ))
            })?;
            // Shown in the window and the terminal: no control characters and no walls of
            // text, whatever the server sends.
            context.email = self.server_text(context.email.as_bytes());
            for organization in &mut context.organizations {
                organization.name = self.server_text(organization.name.as_bytes());
            }
            Ok(context)
        };
        tokio::time::timeout(limit, exchange)
            .await
            .unwrap_or(Err(ApiError::NoAnswer(limit)))
    }

    /// Stages `files` in one request and returns their IDs in the same order. Each file is
    /// streamed from disk; one that changes while it is sent fails the request with
    /// [`ApiError::FileChanged`] rather than sending wrong bytes.
    pub async fn stage(
        &self,
        organization: &OrganizationId,
        files: &[LocalFile],
        progress: ProgressFn,
    ) -> Result<Vec<StagedAnswer>, ApiError> {
        self.stage_unredacted(organization, files, progress)
            .await
            .map_err(|e| self.redact_error(e))
    }

    async fn stage_unredacted(
        &self,
        organization: &OrganizationId,
        files: &[LocalFile],
        progress: ProgressFn,
    ) -> Result<Vec<StagedAnswer>, ApiError> {
        let org = organization.to_string();
        let url = self.base.join(&["temp-files", &org]);
        let bytes: u64 = files.iter().map(|f| f.size).sum();
        let answer_limit = self.options.answer_timeout_for(bytes);
        let (response, watch) = self
            .follow_redirects(url, Method::PostWithBody, |url| {
                let progress = progress.clone();
                async move {
                    // Opening the files is bounded like sending them: a file that
                    // blocks on open (a FIFO swapped in, a hung share) ends as a stall.
                    let stall = self.options.stall_timeout;
                    let (form, watch) = tokio::time::timeout(stall, build_form(files, progress))
                        .await
                        .map_err(|_| ApiError::Stalled(stall))??;
                    let request = self
                        .http
                        .post(url)
                        .headers(self.headers.clone())
                        .header(reqwest::header::CONTENT_TYPE, form.content_type)
                        .header(reqwest::header::CONTENT_LENGTH, form.length)
                        .body(reqwest::Body::wrap_stream(form.stream))
                        .send();
                    let response = tokio::select! {
                        r = request => r.map_err(|e| watch.fault().unwrap_or_else(|| classify_transport(e)))?,
                        timeout = watch.watchdog(self.options.stall_timeout, answer_limit) => return Err(timeout),
                    };
                    if let Some(fault) = watch.fault() {
                        return Err(fault);
                    }
                    Ok((response, watch))
                }
            })
            .await?;
        drop(watch);
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let body = tokio::time::timeout(answer_limit, read_body(response, status))
            .await
            .map_err(|_| ApiError::NoAnswer(answer_limit))??;
        if !status.is_success() {
            return Err(self.status_error(status, &body, retry_after));
        }
        let answer: TempFiles = serde_json::from_slice(&body).map_err(|e| {
            ApiError::MalformedAnswer(crate::t!(
                "api-client-list-unparsed",
                reason = e.to_string()
            ))
        })?;
        match_answer(files, answer.temp_files)
    }

    /// Server text made safe to show, and never holding the key even when the server
    /// echoes it back: redacted before it is cut, so no part of the key survives the cut.
    fn server_text(&self, raw: &[u8]) -> String {
        clean_server_text(&self.redact(&String::from_utf8_lossy(raw)))
    }

    /// The one place the key is taken out of text that came from a server, in any spelling
    /// (plain, JSON- or debug-escaped): everything in an error passes through here.
    fn redact(&self, text: &str) -> String {
        redact_key(text, self.key.expose())
    }

    /// Every text an error carries, redacted: the answer's body, a parser's message quoting
    /// it (serde_json quotes the value it refused), a redirect's host. Both public calls
    /// return their errors through here, so no path can forget it.
    fn redact_error(&self, error: ApiError) -> ApiError {
        let r = |text: String| self.redact(&text);
        match error {
            ApiError::BadKey { status, text } => ApiError::BadKey {
                status,
                text: r(text),
            },
            ApiError::NotMember(text) => ApiError::NotMember(r(text)),
            ApiError::Rejected(text) => ApiError::Rejected(r(text)),
            ApiError::ServerFailed {
                status,
                text,
                retry_after,
            } => ApiError::ServerFailed {
                status,
                text: r(text),
                retry_after,
            },
            ApiError::UnexpectedStatus { status, text } => ApiError::UnexpectedStatus {
                status,
                text: r(text),
            },
            ApiError::RedirectedAway(host) => ApiError::RedirectedAway(r(host)),
            ApiError::MalformedAnswer(text) => ApiError::MalformedAnswer(r(text)),
            ApiError::FileChanged { name, what } => ApiError::FileChanged {
                name,
                what: r(what),
            },
            ApiError::Setup(text) => ApiError::Setup(r(text)),
            other => other,
        }
    }

    fn status_error(
        &self,
        status: StatusCode,
        body: &[u8],
        retry_after: Option<Duration>,
    ) -> ApiError {
        status_error(status, self.server_text(body), retry_after)
    }

    /// Sends with `attempt`, following redirects to the same server (where the key may go)
    /// and refusing those elsewhere. Each hop is a new attempt: a streamed body cannot be
    /// replayed. After an upload only 307 and 308 ask for the body again; any other
    /// redirect ends it as "may have been stored" (see [`ApiError::RedirectedAfterUpload`]).
    async fn follow_redirects<'a, T, F, Fut>(
        &'a self,
        first: Url,
        method: Method,
        mut attempt: F,
    ) -> Result<(reqwest::Response, T), ApiError>
    where
        F: FnMut(Url) -> Fut + 'a,
        Fut: Future<Output = Result<(reqwest::Response, T), ApiError>> + 'a,
    {
        let mut url = first;
        for _ in 0..=MAX_REDIRECTS {
            let (response, extra) = attempt(url).await?;
            match self.redirect_target(&response, method)? {
                Some(next) => url = next,
                None => return Ok((response, extra)),
            }
        }
        Err(ApiError::MalformedAnswer(crate::t!(
            "api-client-too-many-redirects"
        )))
    }

    /// A 3xx to the same server is followed (by the caller, with the key); to anywhere
    /// else it is an error and the key stays here.
    fn redirect_target(
        &self,
        response: &reqwest::Response,
        method: Method,
    ) -> Result<Option<Url>, ApiError> {
        let status = response.status();
        if !status.is_redirection() {
            return Ok(None);
        }
        let repeats_body = matches!(
            status,
            StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT
        );
        if method == Method::PostWithBody && !repeats_body {
            // 301/302/303 turn a POST into a GET without its body: the server may have
            // stored the files and is pointing at where the answer is. Sending again
            // would stage them twice; not sending and saying so is the honest outcome.
            tracing::warn!(
                status = status.as_u16(),
                "the server redirected an upload without asking for the body again"
            );
            return Err(ApiError::RedirectedAfterUpload {
                status: status.as_u16(),
            });
        }
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                tracing::warn!(
                    status = response.status().as_u16(),
                    "a redirect without a Location"
                );
                ApiError::MalformedAnswer(crate::t!("api-client-redirect-nowhere"))
            })?;
        if self.redact(location) != location {
            // The key in an address would travel in logs and to whatever is there.
            return Err(ApiError::MalformedAnswer(crate::t!(
                "api-client-redirect-with-key"
            )));
        }
        let next = response
            .url()
            .join(location)
            .map_err(|_| ApiError::MalformedAnswer(crate::t!("api-client-redirect-unparsed")))?;
        if self.base.same_origin(&next) {
            Ok(Some(next))
        } else {
            Err(ApiError::RedirectedAway(next.host_str().map_or_else(
                || crate::t!("api-client-unknown-host"),
                str::to_owned,
            )))
        }
    }
}

/// Which kind of request a redirect answers: it decides whether it may be followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    /// `GET /context`: any redirect may be followed.
    Get,
    /// An upload: only 307/308 ask for the body again.
    PostWithBody,
}

/// Reads an answer body. A success longer than [`MAX_ANSWER_BYTES`] is not what the API
/// sends; an error's body is cut to its first part, so that its status still decides
/// (a 503 with megabytes of text is still a 503, retried).
async fn read_body(
    mut response: reqwest::Response,
    status: StatusCode,
) -> Result<Vec<u8>, ApiError> {
    let keep = if status.is_success() {
        MAX_ANSWER_BYTES
    } else {
        MAX_ERROR_BODY_BYTES
    };
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = keep - body.len();
                if chunk.len() > room {
                    if status.is_success() {
                        return Err(ApiError::MalformedAnswer(crate::t!(
                            "api-client-answer-too-large",
                            megabytes = MAX_ANSWER_BYTES / (1024 * 1024)
                        )));
                    }
                    body.extend_from_slice(&chunk[..room]);
                    return Ok(body);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            // An error whose body broke off still has its status.
            Err(_) if !status.is_success() => return Ok(body),
            Err(e) => return Err(classify_transport(e)),
        }
    }
}

/// The typed error for an answer's status.
fn status_error(status: StatusCode, text: String, retry_after: Option<Duration>) -> ApiError {
    let code = status.as_u16();
    match code {
        401 => ApiError::BadKey { status: code, text },
        403 if text.to_ascii_lowercase().contains("member") => ApiError::NotMember(text),
        403 => ApiError::BadKey { status: code, text },
        400 => ApiError::Rejected(text),
        413 => ApiError::TooLarge,
        429 => ApiError::RateLimited { retry_after },
        500..=599 => ApiError::ServerFailed {
            status: code,
            text,
            retry_after,
        },
        _ => ApiError::UnexpectedStatus { status: code, text },
    }
}

/// `Retry-After` in seconds or as an HTTP date.
pub(super) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// What a transport failure means for the operator: a refused certificate or proxy
/// password (final), no connection at all, or a connection lost on the way. The library's
/// own words go to the log here and stay there.
fn classify_transport(e: reqwest::Error) -> ApiError {
    tracing::debug!(error = %cause_summary(&e), "transport failure");
    let connect = e.is_connect() || e.is_timeout();
    let certificate = certificate_problem(&e);
    let proxy = proxy_refusal(&e);
    let source = TransportError::from(e);
    if let Some(problem) = certificate {
        ApiError::Certificate { problem, source }
    } else if let Some(needs_password) = proxy {
        ApiError::ProxyRefused {
            needs_password,
            source,
        }
    } else if connect {
        ApiError::NoConnection(source)
    } else {
        ApiError::ConnectionLost(source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        let later = std::time::SystemTime::now() + Duration::from_secs(120);
        let wait = parse_retry_after(&httpdate::fmt_http_date(later)).unwrap();
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120));
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn statuses_map_to_plain_errors() {
        assert!(matches!(
            status_error(StatusCode::FORBIDDEN, "User is not a member of the organization.".into(), None),
            ApiError::NotMember(t) if t == "User is not a member of the organization."
        ));
        assert!(matches!(
            status_error(
                StatusCode::BAD_REQUEST,
                "Invalid file upload request.".into(),
                None
            ),
            ApiError::Rejected(_)
        ));
        assert!(status_error(StatusCode::BAD_GATEWAY, String::new(), None).is_transient());
        assert!(!status_error(StatusCode::UNAUTHORIZED, String::new(), None).is_transient());
        let busy = status_error(
            StatusCode::SERVICE_UNAVAILABLE,
            String::new(),
            Some(Duration::from_secs(3)),
        );
        assert_eq!(busy.retry_after(), Some(Duration::from_secs(3)));
    }

    #[test]
    fn the_wait_for_an_answer_grows_with_what_was_sent() {
        let options = ClientOptions::default();
        let small = options.answer_timeout_for(2_000);
        assert!(small >= Duration::from_secs(60) && small < Duration::from_secs(61));
        let gig = options.answer_timeout_for(1_000_000_000);
        assert_eq!(gig, Duration::from_secs(180));
        assert_eq!(
            options.answer_timeout_for(100_000_000_000),
            Duration::from_secs(300)
        );
    }
}
