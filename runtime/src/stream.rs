//! Streamed responses: [`Core::execute_streaming`] and [`ByteStream`], a
//! response body read chunk by chunk as the caller polls it, never held in
//! memory whole and not subject to the client's response-size limit.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures::stream::{self, BoxStream, Stream, StreamExt};
use reqwest::header::{HeaderMap, CONTENT_LENGTH};
use reqwest::StatusCode;

use super::client::{Core, DEFAULT_MAX_RESPONSE_BODY};
use super::error::{Call, Error};
use super::request::Request;
use super::response::RawResponse;
use super::transport::{run, trace, transport_error, Read, Received};

impl Core {
    /// Sends `request` like [`Core::execute`] (same URL, headers, retries on
    /// status, tracing) but returns as soon as the headers arrive, whatever
    /// the status: the body is a [`ByteStream`] read as it is polled.
    ///
    /// The per-attempt timeout bounds the wait for the headers, and then the
    /// wait for each chunk (an idle timeout), never the whole transfer; the
    /// client's response-size limit does not apply to the stream.
    ///
    /// Called by generated code: not part of the runtime's API.
    #[doc(hidden)]
    pub async fn execute_streaming(&self, request: Request) -> Result<ByteStream, Error> {
        let idle = request.options.timeout.unwrap_or(self.inner.timeout);
        let redact = self.inner.sends_key_in_query();
        let limit = self.inner.max_response_body;
        let span = trace::CallSpan::new(&request);
        let (received, call) = span.instrument(run(&self.inner, request, &span, Read::Head)).await?;
        let mut stream = match received {
            Received::Head(response) => ByteStream::from_response(response, idle, redact, limit),
            // Not produced by `Read::Head`; an already read body streams too.
            Received::Whole(raw) => ByteStream::new(raw.status, raw.headers, stream::iter([Ok(raw.body)])),
        };
        stream.call = Some(call);
        Ok(stream)
    }
}

/// A response whose body is read chunk by chunk: a
/// `Stream<Item = Result<Bytes, Error>>` with the status and headers.
///
/// Memory stays bounded by the chunk size whatever the body's size. After an
/// error (transport failure, [`ErrorKind::Timeout`](super::ErrorKind::Timeout) when no chunk arrived within
/// the call's timeout) the stream ends.
pub struct ByteStream {
    status: StatusCode,
    headers: HeaderMap,
    body: BoxStream<'static, Result<Bytes, Error>>,
    /// The client's response-size limit: used by [`ByteStream::into_raw`]
    /// only (an error body is read whole), never by the stream itself.
    limit: usize,
    /// The call it answers, kept for the errors [`ByteStream::into_raw`] leads to.
    call: Option<Call>,
}

impl ByteStream {
    /// A byte stream over `body` (for tests and adapters; generated code
    /// gets one from [`Core::execute_streaming`]).
    pub fn new(
        status: StatusCode,
        headers: HeaderMap,
        body: impl Stream<Item = Result<Bytes, Error>> + Send + 'static,
    ) -> ByteStream {
        ByteStream { status, headers, body: body.boxed(), limit: DEFAULT_MAX_RESPONSE_BODY, call: None }
    }

    fn from_response(response: reqwest::Response, idle: Duration, redact: bool, limit: usize) -> ByteStream {
        let status = response.status();
        let mut response = response;
        let headers = std::mem::take(response.headers_mut());
        // `None` once the body ended or failed: nothing is polled after that.
        let body = stream::unfold(Some(response), move |state| async move {
            let mut response = state?;
            match tokio::time::timeout(idle, response.chunk()).await {
                Ok(Ok(Some(chunk))) => Some((Ok(chunk), Some(response))),
                Ok(Ok(None)) => None,
                Ok(Err(err)) => Some((Err(transport_error(err, redact)), None)),
                Err(_elapsed) => Some((Err(Error::timeout(Some(idle))), None)),
            }
        });
        ByteStream { status, headers, body: body.boxed(), limit, call: None }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Content-Length` the server announced, if any.
    pub fn content_length(&self) -> Option<u64> {
        self.headers.get(CONTENT_LENGTH)?.to_str().ok()?.trim().parse().ok()
    }

    /// Reads the rest of the body into memory, up to the client's
    /// response-size limit ([`ErrorKind::BodyTooLarge`](super::ErrorKind::BodyTooLarge) beyond it): how an error
    /// response of a streamed call is turned into [`ErrorKind::Api`](super::ErrorKind::Api).
    pub async fn into_raw(mut self) -> Result<RawResponse, Error> {
        let mut body = BytesMut::new();
        while let Some(chunk) = self.body.next().await {
            let chunk = match (chunk, &self.call) {
                (Ok(chunk), _) => chunk,
                (Err(err), Some(call)) => return Err(err.with_call(call.clone())),
                (Err(err), None) => return Err(err),
            };
            if chunk.len() > self.limit.saturating_sub(body.len()) {
                let err = Error::body_too_large(self.status, self.limit);
                return Err(match self.call {
                    Some(call) => err.with_call(call),
                    None => err,
                });
            }
            body.extend_from_slice(&chunk);
        }
        let raw = RawResponse::new(self.status, self.headers, body.freeze());
        Ok(match self.call {
            Some(call) => raw.with_call(call),
            None => raw,
        })
    }

    /// The size limit [`into_raw`](Self::into_raw) applies (and event
    /// streams apply to one event).
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.body.poll_next_unpin(cx)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}
