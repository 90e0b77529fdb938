//! Running one [`Request`]: URL and headers, attempts under the retry
//! policy, per-attempt timeout, size-capped body, tracing.

use std::time::{Duration, Instant, SystemTime};

use bytes::BytesMut;
use percent_encoding::percent_decode_str;
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE,
};
use reqwest::{Method, StatusCode};
use url::Url;

use super::client::{is_sensitive_header, sensitive_value, Core, Inner, SecurityScheme};
use super::error::{Call, Error};
use super::hook::Attempt;
use super::request::{Payload, Request};
use super::response::RawResponse;
use super::retry::{is_retryable_error, is_retryable_status, retry_after, RetryPolicy};
use super::secret::Secret;

impl Core {
    /// Sends `request` and returns the response, whatever its status.
    ///
    /// Builds the URL (base URL + `request.path` + query), adds credentials,
    /// default headers, the user agent, the request's headers, `Accept` and
    /// the body, then runs attempts under the retry policy (the call's, else
    /// the client's), each bounded by the per-attempt timeout, and reads the
    /// body up to the client's size limit. Deciding whether a status is a
    /// success is left to the caller.
    ///
    /// With the `tracing` feature, the call runs in an `http.call` span
    /// with the fields `operation_id`, `method`, `path_template`, `attempt`,
    /// `status`, `duration_ms` and `error` (never a concrete path, query,
    /// header or body), and each retry emits an event.
    ///
    /// Errors and the response carry the [`Call`]: operation, method, path
    /// template, attempts and duration.
    /// Called by generated code: not part of the runtime's API.
    #[doc(hidden)]
    pub async fn execute(&self, request: Request) -> Result<RawResponse, Error> {
        let span = trace::CallSpan::new(&request);
        let (received, call) = span.instrument(run(&self.inner, request, &span, Read::Whole)).await?;
        match received {
            Received::Whole(raw) => Ok(raw.with_call(call)),
            // Not produced by `Read::Whole`; reading the body is still right.
            Received::Head(response) => {
                let redact = self.inner.sends_key_in_query();
                match read_body(response, self.inner.max_response_body, redact).await {
                    Ok(raw) => Ok(raw.with_call(call)),
                    Err(err) => Err(err.with_call(call)),
                }
            }
        }
    }
}

/// How much of the response an attempt reads before it returns.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Read {
    /// The whole body, up to the client's size limit.
    Whole,
    /// Status and headers only: the caller streams the body.
    Head,
}

/// What an attempt returns, by [`Read`] mode.
pub(super) enum Received {
    Whole(RawResponse),
    Head(reqwest::Response),
}

impl Received {
    fn status(&self) -> StatusCode {
        match self {
            Received::Whole(raw) => raw.status,
            Received::Head(response) => response.status(),
        }
    }

    fn headers(&self) -> &HeaderMap {
        match self {
            Received::Whole(raw) => &raw.headers,
            Received::Head(response) => response.headers(),
        }
    }
}

/// The status of an outcome, for tracing.
fn traced(outcome: &Result<Received, Error>) -> Result<StatusCode, &Error> {
    outcome.as_ref().map(Received::status)
}

/// A request ready to be sent, possibly several times.
struct Prepared {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Payload,
    timeout: Duration,
    /// The whole call's deadline, when set.
    call_timeout: Option<Duration>,
    policy: RetryPolicy,
    /// Whether the URL carries the API key (then errors lose their query).
    redact_query: bool,
    /// Whether `Authorization` comes from the client's token source.
    token: bool,
    /// For the hook: the operation and its path template.
    operation: &'static str,
    path_template: &'static str,
    /// Whether redirects are followed (else a 3xx is the response).
    follow_redirects: bool,
}

/// Runs the attempts of `request` inside `span`: what was received and the
/// [`Call`] it answers, or an error carrying the call.
pub(super) async fn run(
    inner: &Inner,
    request: Request,
    span: &trace::CallSpan,
    read: Read,
) -> Result<(Received, Call), Error> {
    let started = Instant::now();
    let mut call = Call {
        operation: request.operation_id,
        method: request.method.clone(),
        path_template: request.path_template,
        attempts: 0,
        elapsed: std::time::Duration::ZERO,
    };
    let prepared = prepare(inner, request);
    let mut count = 0;
    let result = match prepared {
        Ok(mut prepared) => {
            let call_timeout = prepared.call_timeout;
            let calls = with_token(inner, &mut prepared, started, span, read, &mut count);
            match call_timeout {
                // The whole call, attempts, backoff and a token refresh, under one deadline.
                Some(limit) => match tokio::time::timeout(limit, calls).await {
                    Ok(outcome) => outcome,
                    Err(_elapsed) => Err(Error::call_timeout(limit)),
                },
                None => calls.await,
            }
        }
        Err(err) => Err(err),
    };
    let attempts = count;
    span.finish(traced(&result), started.elapsed());
    call.attempts = attempts;
    call.elapsed = started.elapsed();
    match result {
        Ok(received) => Ok((received, call)),
        Err(err) => Err(err.with_call(call)),
    }
}

/// The attempts, with `Authorization` from the token source when the
/// request uses it; after a `401`, once more with a new token if the source
/// gives one and the body can be sent again.
async fn with_token(
    inner: &Inner,
    prepared: &mut Prepared,
    started: Instant,
    span: &trace::CallSpan,
    read: Read,
    count: &mut u32,
) -> Result<Received, Error> {
    let Some(cache) = inner.token.as_ref().filter(|_| prepared.token) else {
        return attempts(inner, prepared, started, span, read, count).await;
    };
    let sent = cache.authorization().await?;
    prepared.headers.insert(AUTHORIZATION, sent.clone());
    let outcome = attempts(inner, prepared, started, span, read, count).await;
    match &outcome {
        Ok(received) if received.status() == StatusCode::UNAUTHORIZED && prepared.body.is_replayable() => {
            cache.rejected(&sent).await;
            let renewed = cache.authorization().await?;
            if renewed == sent {
                return outcome;
            }
            prepared.headers.insert(AUTHORIZATION, renewed);
            attempts(inner, prepared, started, span, read, count).await
        }
        _ => outcome,
    }
}

async fn attempts(
    inner: &Inner,
    prepared: &Prepared,
    started: Instant,
    span: &trace::CallSpan,
    read: Read,
    count: &mut u32,
) -> Result<Received, Error> {
    let policy = &prepared.policy;
    // A streamed upload is consumed by the first attempt: it cannot be resent.
    let may_retry = policy.allows_method(&prepared.method) && prepared.body.is_replayable();
    let mut attempt: u32 = 0;
    loop {
        attempt = attempt.saturating_add(1);
        *count = attempt;
        span.attempt(attempt);
        let outcome = send_once(inner, prepared, read, attempt).await;
        let wait = if may_retry && attempt < policy.attempts() {
            match &outcome {
                Ok(received) if is_retryable_status(received.status()) => {
                    Some(retry_after(received.headers(), SystemTime::now()).unwrap_or_else(|| policy.backoff(attempt)))
                }
                Err(err) if is_retryable_error(err) => Some(policy.backoff(attempt)),
                _ => None,
            }
        } else {
            None
        };
        match wait {
            Some(wait) if started.elapsed().saturating_add(wait) <= policy.budget() => {
                span.retry(attempt, wait, traced(&outcome));
                tokio::time::sleep(wait).await;
            }
            _ => return outcome,
        }
    }
}

/// One attempt, bounded by the per-attempt timeout: up to the end of the
/// body ([`Read::Whole`]) or to the headers ([`Read::Head`]).
async fn send_once(inner: &Inner, prepared: &Prepared, read: Read, number: u32) -> Result<Received, Error> {
    let redact = prepared.redact_query;
    let hooked = Attempt { operation: prepared.operation, path_template: prepared.path_template, number };
    let attempt = async {
        // A `reqwest::Request` built directly takes the prepared headers in one
        // clone; `RequestBuilder::headers` would re-insert them one by one.
        let mut request = reqwest::Request::new(prepared.method.clone(), prepared.url.clone());
        *request.headers_mut() = prepared.headers.clone();
        // Opened inside the timeout: opening a file can block too.
        if let Some((body, length)) = prepared.body.open().await? {
            *request.body_mut() = Some(body);
            if let Some(length) = length {
                request.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(length));
            }
        }
        if let Some(hook) = &inner.hook {
            hook.before_attempt(&mut request, &hooked);
        }
        let http = if prepared.follow_redirects { &inner.http } else { inner.http_without_redirects()? };
        let response = http.execute(request).await.map_err(|err| transport_error(err, redact))?;
        if let Some(hook) = &inner.hook {
            hook.after_response(response.status(), response.headers(), &hooked);
        }
        match read {
            Read::Whole => read_body(response, inner.max_response_body, redact).await.map(Received::Whole),
            Read::Head => Ok(Received::Head(response)),
        }
    };
    match tokio::time::timeout(prepared.timeout, attempt).await {
        Ok(outcome) => outcome,
        Err(_elapsed) => Err(Error::timeout(Some(prepared.timeout))),
    }
}

/// Reads the whole body, failing as soon as it exceeds `limit` bytes.
async fn read_body(mut response: reqwest::Response, limit: usize, redact: bool) -> Result<RawResponse, Error> {
    let status = response.status();
    let announced = response.content_length();
    if announced.is_some_and(|len| len > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return Err(Error::body_too_large(status, limit));
    }
    let headers = std::mem::take(response.headers_mut());
    if announced.is_some() {
        // The length is known and within the limit: let reqwest collect the
        // body, which hands a single-chunk body over without copying it. A
        // server sending more than it announced is cut off by hyper.
        let body = response.bytes().await.map_err(|err| transport_error(err, redact))?;
        if body.len() > limit {
            return Err(Error::body_too_large(status, limit));
        }
        return Ok(RawResponse::new(status, headers, body));
    }
    // No announced length: collect chunk by chunk, checking the limit as we go.
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(|err| transport_error(err, redact))? {
        if chunk.len() > limit.saturating_sub(body.len()) {
            return Err(Error::body_too_large(status, limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(RawResponse::new(status, headers, body.freeze()))
}

/// A reqwest error as [`Error`]: timeouts as [`ErrorKind::Timeout`](super::ErrorKind::Timeout), and the
/// URL's query dropped when it carries the API key.
pub(super) fn transport_error(mut err: reqwest::Error, redact_query: bool) -> Error {
    if err.is_timeout() {
        return Error::timeout(None);
    }
    if redact_query {
        if let Some(url) = err.url_mut() {
            url.set_query(None);
        }
    }
    Error::transport(err)
}

fn prepare(inner: &Inner, request: Request) -> Result<Prepared, Error> {
    let schemes = inner.schemes_for(request.security);
    let key_query = schemes.iter().find_map(|scheme| match scheme {
        SecurityScheme::ApiKeyQuery(name) => Some(*name),
        _ => None,
    });
    let url = build_url(inner, &request, key_query)?;
    let mut headers = inner.headers.clone();
    // The operation's credentials, before its own headers (which win). The
    // header name and key were checked by `ClientBuilder::build`.
    for scheme in &schemes {
        let key = inner.api_key(scheme).map(|key| key.expose()).unwrap_or_default();
        match scheme {
            SecurityScheme::Bearer | SecurityScheme::Basic => {
                if let Some(value) = inner.authorization() {
                    headers.insert(AUTHORIZATION, value.clone());
                }
            }
            SecurityScheme::ApiKeyHeader(name) => {
                if let (Ok(name), Some(value)) = (HeaderName::from_bytes(name.as_bytes()), sensitive_value(key)) {
                    headers.insert(name, value);
                }
            }
            SecurityScheme::ApiKeyCookie(name) => {
                if let Some(value) = sensitive_value(&format!("{name}={key}")) {
                    headers.append(COOKIE, value);
                }
            }
            SecurityScheme::ApiKeyQuery(_) => {}
        }
    }
    let mut set_by_request: Vec<HeaderName> = Vec::new();
    // Cookies add up: an API key cookie of the client and each cookie
    // parameter go together in one `Cookie` header (RFC 6265 §5.4).
    let mut cookies: Vec<&str> = Vec::new();
    for (name, value) in &request.headers {
        if name.eq_ignore_ascii_case("cookie") {
            cookies.push(value);
            continue;
        }
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::invalid_request(*name, "a valid HTTP header name"))?;
        let mut value = HeaderValue::from_str(value)
            .map_err(|_| Error::invalid_request(*name, "a valid HTTP header value (visible ASCII)"))?;
        value.set_sensitive(is_sensitive_header(header.as_str()));
        if set_by_request.contains(&header) {
            headers.append(header, value);
        } else {
            headers.insert(header.clone(), value);
            set_by_request.push(header);
        }
    }
    if !cookies.is_empty() {
        let client_cookies = headers.get_all(COOKIE).iter().filter_map(|value| value.to_str().ok());
        let joined = client_cookies.chain(cookies).collect::<Vec<_>>().join("; ");
        let mut value = HeaderValue::from_str(&joined)
            .map_err(|_| Error::invalid_request("Cookie", "a valid HTTP header value (visible ASCII)"))?;
        value.set_sensitive(true);
        headers.insert(COOKIE, value);
    }
    if let Some(accept) = request.accept {
        if !set_by_request.contains(&ACCEPT) {
            let value = HeaderValue::from_str(accept)
                .map_err(|_| Error::invalid_request("Accept", "a valid HTTP header value"))?;
            headers.insert(ACCEPT, value);
        }
    }
    if let Some(content_type) = request.body.content_type() {
        if !set_by_request.contains(&CONTENT_TYPE) {
            let value = HeaderValue::from_str(content_type)
                .map_err(|_| Error::invalid_request("Content-Type", "a valid HTTP header value"))?;
            headers.insert(CONTENT_TYPE, value);
        }
    }
    let options = request.options;
    // Per-call headers come last: beside the client's defaults, replacing a
    // default (or generated) header of the same name.
    let mut set_by_call: Vec<HeaderName> = Vec::new();
    for (name, value) in options.headers() {
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::invalid_request(name.as_str(), "a valid HTTP header name"))?;
        let mut value = HeaderValue::from_str(value)
            .map_err(|_| Error::invalid_request(name.as_str(), "a valid HTTP header value (visible ASCII)"))?;
        value.set_sensitive(is_sensitive_header(header.as_str()));
        if set_by_call.contains(&header) {
            headers.append(header, value);
        } else {
            headers.insert(header.clone(), value);
            set_by_call.push(header);
        }
    }
    Ok(Prepared {
        follow_redirects: request.follow_redirects,
        operation: request.operation_id,
        path_template: request.path_template,
        method: request.method,
        url,
        headers,
        body: request.body.into_payload(),
        timeout: options.timeout.unwrap_or(inner.timeout),
        call_timeout: options.call_timeout_value(),
        policy: options.retry.unwrap_or_else(|| inner.retry.clone()),
        redact_query: inner.sends_key_in_query(),
        token: inner.token.is_some()
            && schemes.contains(&SecurityScheme::Bearer)
            && !set_by_request.contains(&AUTHORIZATION),
    })
}

/// Base URL + path + query (+ API key). Rejects a path with a `.` or `..`
/// segment (also percent-encoded): URL normalization would remove it and
/// send the call to another resource.
fn build_url(inner: &Inner, request: &Request, key_query: Option<&'static str>) -> Result<Url, Error> {
    let key_query = key_query.and_then(|name| inner.api_key(&SecurityScheme::ApiKeyQuery(name)).map(|key| (name, key)));
    if let Some(link) = request.options.page_url() {
        return page_url(inner, link, key_query);
    }
    let path = request.path.as_str();
    if !path.starts_with('/') {
        return Err(Error::invalid_request("path", "must start with `/`"));
    }
    let dot_segment = path.split('/').skip(1).any(|segment| {
        let decoded = percent_decode_str(segment).decode_utf8_lossy();
        decoded == "." || decoded == ".."
    });
    if dot_segment {
        return Err(Error::invalid_request(request.path_template, "a path parameter must not be `.` or `..`"));
    }
    let mut url = inner.base_url.clone();
    let full = format!("{}{path}", url.path().trim_end_matches('/'));
    url.set_path(&full);
    if !request.query.is_empty() || key_query.is_some() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in &request.query {
            pairs.append_pair(name, value);
        }
        if let Some((name, key)) = key_query {
            pairs.append_pair(name, key.expose());
        }
    }
    if !request.encoded_query.is_empty() {
        // Styled parameters keep their literal delimiters (`|`, `[`, `]`, `,`).
        let styled = request.encoded_query.join("&");
        let query = match url.query() {
            Some(existing) if !existing.is_empty() => format!("{existing}&{styled}"),
            _ => styled,
        };
        url.set_query(Some(&query));
    }
    Ok(url)
}

/// A next-page link (from a `Link` header) resolved against the base URL.
/// It must stay on the base URL's origin: the client's credentials go with
/// every request, and a server must not be able to send them elsewhere.
fn page_url(inner: &Inner, link: &str, key_query: Option<(&str, &Secret)>) -> Result<Url, Error> {
    let base = &inner.base_url;
    let mut url = base.join(link.trim()).map_err(|_| Error::invalid_request("Link", "a valid next-page URL"))?;
    let same_origin = url.scheme() == base.scheme()
        && url.host_str() == base.host_str()
        && url.port_or_known_default() == base.port_or_known_default();
    if !same_origin {
        return Err(Error::invalid_request("Link", "a next-page URL on the API's origin"));
    }
    url.set_fragment(None);
    if let Some((name, key)) = key_query {
        if !url.query_pairs().any(|(existing, _)| existing == name) {
            url.query_pairs_mut().append_pair(name, key.expose());
        }
    }
    Ok(url)
}

/// The `http.call` span (a no-op without the `tracing` feature). Fields are
/// recorded on the span itself, not on whatever span is current.
#[cfg(feature = "tracing")]
pub(super) mod trace {
    use std::future::Future;
    use std::time::Duration;

    use tracing::Instrument as _;

    use reqwest::StatusCode;

    use super::super::{__private::Request, Error};

    pub(crate) struct CallSpan(tracing::Span);

    fn millis(duration: Duration) -> u64 {
        u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
    }

    impl CallSpan {
        pub(crate) fn new(request: &Request) -> Self {
            CallSpan(tracing::info_span!(
                "http.call",
                operation_id = request.operation_id,
                method = %request.method,
                path_template = request.path_template,
                attempt = tracing::field::Empty,
                status = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
                error = tracing::field::Empty,
            ))
        }

        /// `future` inside the span, or as it is when no subscriber wants the
        /// span: entering and leaving a disabled span on every poll is
        /// measurable on a loopback call (BENCHMARKS.md, call overhead).
        pub(crate) fn instrument<F: Future>(&self, future: F) -> impl Future<Output = F::Output> {
            if self.0.is_disabled() {
                futures::future::Either::Left(future)
            } else {
                futures::future::Either::Right(future.instrument(self.0.clone()))
            }
        }

        pub(crate) fn attempt(&self, attempt: u32) {
            self.0.record("attempt", attempt);
        }

        pub(crate) fn retry(&self, attempt: u32, wait: Duration, outcome: Result<StatusCode, &Error>) {
            match outcome {
                Ok(status) => tracing::info!(
                    parent: &self.0,
                    attempt,
                    wait_ms = millis(wait),
                    status = status.as_u16(),
                    "retrying http call"
                ),
                Err(err) => tracing::info!(
                    parent: &self.0,
                    attempt,
                    wait_ms = millis(wait),
                    error = %err,
                    "retrying http call"
                ),
            }
        }

        pub(crate) fn finish(&self, result: Result<StatusCode, &Error>, elapsed: Duration) {
            self.0.record("duration_ms", millis(elapsed));
            match result {
                Ok(status) => {
                    self.0.record("status", status.as_u16());
                }
                Err(err) => {
                    if let Some(status) = err.status() {
                        self.0.record("status", status.as_u16());
                    }
                    self.0.record("error", tracing::field::display(err));
                }
            }
        }
    }
}

/// The `http.call` span (a no-op without the `tracing` feature).
#[cfg(not(feature = "tracing"))]
pub(super) mod trace {
    use std::future::Future;
    use std::time::Duration;

    use reqwest::StatusCode;

    use super::super::{__private::Request, Error};

    pub(crate) struct CallSpan;

    impl CallSpan {
        pub(crate) fn new(_request: &Request) -> Self {
            CallSpan
        }

        pub(crate) fn instrument<F: Future>(&self, future: F) -> F {
            future
        }

        pub(crate) fn attempt(&self, _attempt: u32) {}

        pub(crate) fn retry(&self, _attempt: u32, _wait: Duration, _outcome: Result<StatusCode, &Error>) {}

        pub(crate) fn finish(&self, _result: Result<StatusCode, &Error>, _elapsed: Duration) {}
    }
}
