//! [`Hook`]: client-wide code run before each attempt and after each
//! response, to sign requests, add headers or observe, without forking the
//! runtime.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// Which attempt of which call a [`Hook`] is called for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attempt {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// The path as written in the API description, e.g. `/pets/{id}`.
    pub path_template: &'static str,
    /// 1 for the first attempt, 2 for the first retry, ….
    pub number: u32,
}

/// Client-wide code run around every attempt, set with
/// [`ClientBuilder::hook`](super::ClientBuilder::hook). Both methods do
/// nothing by default.
///
/// ```text
/// use api_clients::runtime::{Attempt, Hook};
///
/// /// Adds a request id (or a signature computed from the request) to every attempt.
/// struct RequestId;
///
/// impl Hook for RequestId {
///     fn before_attempt(&self, request: &mut reqwest::Request, attempt: &Attempt) {
///         let id = format!("{}-{}", attempt.operation, attempt.number);
///         if let Ok(value) = reqwest::header::HeaderValue::from_str(&id) {
///             request.headers_mut().insert("x-request-id", value);
///         }
///     }
/// }
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Called just before an attempt is sent, with the request as it will
    /// go out: URL, credentials, default and per-call headers, and the body
    /// (`request.body().and_then(|b| b.as_bytes())` is `Some` unless it is a
    /// streamed upload). Changes made here are sent.
    fn before_attempt(&self, request: &mut reqwest::Request, attempt: &Attempt) {
        let _ = (request, attempt);
    }

    /// Called when an attempt's response headers arrive, whatever the status
    /// (before a retry decision and before the body is read).
    fn after_response(&self, status: StatusCode, headers: &HeaderMap, attempt: &Attempt) {
        let _ = (status, headers, attempt);
    }
}
