//! Running one [`Request`]: URL and headers, attempts under the retry
//! policy, per-attempt timeout, size-capped body, tracing.

use std::time::{Duration, Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use percent_encoding::percent_decode_str;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::Method;
use url::Url;

use super::client::{is_sensitive_header, Core, Inner};
use super::error::Error;
use super::request::Request;
use super::response::RawResponse;
use super::retry::{is_retryable_error, is_retryable_status, retry_after, RetryPolicy};

/// Preallocation cap for a response body whose length is announced: a
/// `Content-Length` is not trusted for more than this.
const MAX_PREALLOCATION: usize = 1024 * 1024;

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
    pub async fn execute(&self, request: Request) -> Result<RawResponse, Error> {
        let span = trace::CallSpan::new(&request);
        span.instrument(run(&self.inner, request, &span)).await
    }
}

/// A request ready to be sent, possibly several times.
struct Prepared {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Bytes>,
    timeout: Duration,
    policy: RetryPolicy,
    /// Whether the URL carries the API key (then errors lose their query).
    redact_query: bool,
}

async fn run(
    inner: &Inner,
    request: Request,
    span: &trace::CallSpan,
) -> Result<RawResponse, Error> {
    let started = Instant::now();
    let prepared = prepare(inner, request);
    let result = match prepared {
        Ok(prepared) => attempts(inner, &prepared, started, span).await,
        Err(err) => Err(err),
    };
    span.finish(&result, started.elapsed());
    result
}

async fn attempts(
    inner: &Inner,
    prepared: &Prepared,
    started: Instant,
    span: &trace::CallSpan,
) -> Result<RawResponse, Error> {
    let policy = &prepared.policy;
    let may_retry = policy.allows_method(&prepared.method);
    let mut attempt: u32 = 0;
    loop {
        attempt = attempt.saturating_add(1);
        span.attempt(attempt);
        let outcome = send_once(inner, prepared).await;
        let wait = if may_retry && attempt < policy.attempts() {
            match &outcome {
                Ok(raw) if is_retryable_status(raw.status) => Some(
                    retry_after(&raw.headers, SystemTime::now())
                        .unwrap_or_else(|| policy.backoff(attempt)),
                ),
                Err(err) if is_retryable_error(err) => Some(policy.backoff(attempt)),
                _ => None,
            }
        } else {
            None
        };
        match wait {
            Some(wait) if started.elapsed().saturating_add(wait) <= policy.budget() => {
                span.retry(attempt, wait, &outcome);
                tokio::time::sleep(wait).await;
            }
            _ => return outcome,
        }
    }
}

async fn send_once(inner: &Inner, prepared: &Prepared) -> Result<RawResponse, Error> {
    let mut builder = inner
        .http
        .request(prepared.method.clone(), prepared.url.clone())
        .headers(prepared.headers.clone());
    if let Some(body) = &prepared.body {
        builder = builder.body(body.clone());
    }
    let redact = prepared.redact_query;
    let attempt = async {
        let response = builder
            .send()
            .await
            .map_err(|err| transport_error(err, redact))?;
        read_body(response, inner.max_response_body, redact).await
    };
    match tokio::time::timeout(prepared.timeout, attempt).await {
        Ok(outcome) => outcome,
        Err(_elapsed) => Err(Error::Timeout),
    }
}

/// Reads the whole body, failing as soon as it exceeds `limit` bytes.
async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
    redact: bool,
) -> Result<RawResponse, Error> {
    let status = response.status();
    let announced = response.content_length();
    if announced.is_some_and(|len| len > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return Err(Error::BodyTooLarge { status, limit });
    }
    let headers = std::mem::take(response.headers_mut());
    let capacity = announced
        .and_then(|len| usize::try_from(len).ok())
        .unwrap_or(0)
        .min(MAX_PREALLOCATION);
    let mut body = BytesMut::with_capacity(capacity);
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|err| transport_error(err, redact))?
    {
        if chunk.len() > limit.saturating_sub(body.len()) {
            return Err(Error::BodyTooLarge { status, limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(RawResponse {
        status,
        headers,
        body: body.freeze(),
    })
}

fn transport_error(mut err: reqwest::Error, redact_query: bool) -> Error {
    if err.is_timeout() {
        return Error::Timeout;
    }
    if redact_query {
        if let Some(url) = err.url_mut() {
            url.set_query(None);
        }
    }
    Error::Transport(err)
}

fn prepare(inner: &Inner, request: Request) -> Result<Prepared, Error> {
    let url = build_url(inner, &request)?;
    let mut headers = inner.headers.clone();
    let mut set_by_request: Vec<HeaderName> = Vec::new();
    for (name, value) in &request.headers {
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::invalid_request(*name, "a valid HTTP header name"))?;
        let mut value = HeaderValue::from_str(value).map_err(|_| {
            Error::invalid_request(*name, "a valid HTTP header value (visible ASCII)")
        })?;
        value.set_sensitive(is_sensitive_header(header.as_str()));
        if set_by_request.contains(&header) {
            headers.append(header, value);
        } else {
            headers.insert(header.clone(), value);
            set_by_request.push(header);
        }
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
    Ok(Prepared {
        method: request.method,
        url,
        headers,
        body: request.body.into_bytes(),
        timeout: options.timeout.unwrap_or(inner.timeout),
        policy: options.retry.unwrap_or_else(|| inner.retry.clone()),
        redact_query: inner.api_key_query.is_some(),
    })
}

/// Base URL + path + query (+ API key). Rejects a path with a `.` or `..`
/// segment (also percent-encoded): URL normalization would remove it and
/// send the call to another resource.
fn build_url(inner: &Inner, request: &Request) -> Result<Url, Error> {
    let path = request.path.as_str();
    if !path.starts_with('/') {
        return Err(Error::invalid_request("path", "must start with `/`"));
    }
    let dot_segment = path.split('/').skip(1).any(|segment| {
        let decoded = percent_decode_str(segment).decode_utf8_lossy();
        decoded == "." || decoded == ".."
    });
    if dot_segment {
        return Err(Error::invalid_request(
            request.path_template,
            "a path parameter must not be `.` or `..`",
        ));
    }
    let mut url = inner.base_url.clone();
    let full = format!("{}{path}", url.path().trim_end_matches('/'));
    url.set_path(&full);
    if !request.query.is_empty() || inner.api_key_query.is_some() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in &request.query {
            pairs.append_pair(name, value);
        }
        if let Some((name, key)) = &inner.api_key_query {
            pairs.append_pair(name, key.expose());
        }
    }
    Ok(url)
}

/// The `http.call` span (a no-op without the `tracing` feature). Fields are
/// recorded on the span itself, not on whatever span is current.
#[cfg(feature = "tracing")]
mod trace {
    use std::future::Future;
    use std::time::Duration;

    use tracing::Instrument as _;

    use crate::runtime::{Error, RawResponse, Request};

    pub(super) struct CallSpan(tracing::Span);

    fn millis(duration: Duration) -> u64 {
        u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
    }

    impl CallSpan {
        pub(super) fn new(request: &Request) -> Self {
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

        pub(super) fn instrument<F: Future>(&self, future: F) -> impl Future<Output = F::Output> {
            future.instrument(self.0.clone())
        }

        pub(super) fn attempt(&self, attempt: u32) {
            self.0.record("attempt", attempt);
        }

        pub(super) fn retry(
            &self,
            attempt: u32,
            wait: Duration,
            outcome: &Result<RawResponse, Error>,
        ) {
            match outcome {
                Ok(raw) => tracing::info!(
                    parent: &self.0,
                    attempt,
                    wait_ms = millis(wait),
                    status = raw.status.as_u16(),
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

        pub(super) fn finish(&self, result: &Result<RawResponse, Error>, elapsed: Duration) {
            self.0.record("duration_ms", millis(elapsed));
            match result {
                Ok(raw) => {
                    self.0.record("status", raw.status.as_u16());
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
mod trace {
    use std::future::Future;
    use std::time::Duration;

    use crate::runtime::{Error, RawResponse, Request};

    pub(super) struct CallSpan;

    impl CallSpan {
        pub(super) fn new(_request: &Request) -> Self {
            CallSpan
        }

        pub(super) fn instrument<F: Future>(&self, future: F) -> F {
            future
        }

        pub(super) fn attempt(&self, _attempt: u32) {}

        pub(super) fn retry(
            &self,
            _attempt: u32,
            _wait: Duration,
            _outcome: &Result<RawResponse, Error>,
        ) {
        }

        pub(super) fn finish(&self, _result: &Result<RawResponse, Error>, _elapsed: Duration) {}
    }
}
