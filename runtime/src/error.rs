//! The one [`Error`] type every client call returns, and its parts.

use std::any::Any;
use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::response::RawResponse;

/// How many bytes of a non-success response body [`ApiError`] keeps (64 KiB).
pub const API_ERROR_BODY_LIMIT: usize = 64 * 1024;

/// How many bytes of a body [`ApiError::snippet`] and [`DecodeError`] show (1 KiB).
pub const SNIPPET_LIMIT: usize = 1024;

/// Everything that can go wrong when calling an API.
///
/// `Display` is a short lowercase sentence that never contains a response
/// body or a credential; the underlying cause, when there is one, is
/// available through [`std::error::Error::source`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be sent or the response could not be read
    /// (connection refused or reset, TLS failure, invalid redirect, …).
    #[error("transport error")]
    Transport(#[source] reqwest::Error),

    /// An attempt did not complete within its timeout (or connecting timed out).
    #[error("request timed out")]
    Timeout,

    /// The server answered with a status the operation does not treat as
    /// success.
    #[error(transparent)]
    Api(Box<ApiError>),

    /// The response body could not be decoded into the expected type.
    #[error(transparent)]
    Decode(Box<DecodeError>),

    /// The request was rejected on the client side before anything was
    /// sent: a value violates a constraint of the API description, or a
    /// header or path could not be encoded.
    #[error("invalid request: field `{field}` violates {rule}")]
    #[non_exhaustive]
    InvalidRequest {
        /// The offending field, parameter or header (its wire name).
        field: String,
        /// The rule it violates, e.g. `maxLength 64`.
        rule: String,
    },

    /// The response body is larger than the configured limit
    /// ([`ClientBuilder::max_response_body`](super::ClientBuilder::max_response_body)).
    #[error("response body exceeds the limit of {limit} bytes")]
    #[non_exhaustive]
    BodyTooLarge {
        /// The status of the oversized response.
        status: StatusCode,
        /// The limit in bytes.
        limit: usize,
    },

    /// The client could not be built (invalid base URL, header name or
    /// value, conflicting options). The message never contains a credential.
    #[error("invalid client configuration: {0}")]
    Config(String),

    /// The request body could not be serialized, or an upload could not be
    /// read (a file that cannot be opened, a stream upload sent twice).
    #[error("failed to encode request body")]
    Encode(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl Error {
    /// The HTTP status of the response this error is about, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode(decode) => Some(decode.status),
            Error::BodyTooLarge { status, .. } => Some(*status),
            Error::Transport(err) => err.status(),
            _ => None,
        }
    }

    /// The typed error body the API documents for this status, if the
    /// generated code could decode it and it has type `T`.
    pub fn api_body<T: 'static>(&self) -> Option<&T> {
        match self {
            Error::Api(api) => api.typed_body::<T>(),
            _ => None,
        }
    }

    /// The [`ApiError`] when the server answered with a non-success status.
    pub fn as_api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// Whether an attempt timed out.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout => true,
            Error::Transport(err) => err.is_timeout(),
            _ => false,
        }
    }

    /// Shorthand for [`Error::InvalidRequest`].
    pub fn invalid_request(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Error::InvalidRequest { field: field.into(), rule: rule.into() }
    }
}

/// A decoded, API-documented error body, kept type-erased inside [`ApiError`].
///
/// Implemented for every `Any + Debug + Send + Sync` type; read it back with
/// [`Error::api_body`] or [`ApiError::typed_body`].
pub trait ErrorBody: Any + fmt::Debug + Send + Sync {
    /// `self` as [`Any`], for downcasting.
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any + fmt::Debug + Send + Sync> ErrorBody for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A response whose status the operation does not treat as success.
#[non_exhaustive]
pub struct ApiError {
    /// The response status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The response body, cut to [`API_ERROR_BODY_LIMIT`] bytes.
    pub body: Bytes,
    /// Whether `body` was cut.
    pub truncated: bool,
    /// The body decoded as the error type the API documents for this
    /// status, when there is one and decoding succeeded.
    pub typed: Option<Box<dyn ErrorBody>>,
}

impl ApiError {
    /// The first KiB of the body as text (invalid UTF-8 replaced, never cut
    /// inside a character).
    pub fn snippet(&self) -> String {
        bounded_snippet(&self.body, SNIPPET_LIMIT)
    }

    /// The typed error body, if there is one of type `T`.
    pub fn typed_body<T: 'static>(&self) -> Option<&T> {
        // Deref the box first: `Box<dyn ErrorBody>` is itself an `ErrorBody`.
        let typed: &dyn ErrorBody = self.typed.as_deref()?;
        typed.as_any().downcast_ref::<T>()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "server responded with status {}", self.status)
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .field("truncated", &self.truncated)
            .field("snippet", &self.snippet())
            .field("typed", &self.typed)
            .finish()
    }
}

impl std::error::Error for ApiError {}

/// A response body that could not be decoded.
#[derive(Debug)]
#[non_exhaustive]
pub struct DecodeError {
    /// The response status.
    pub status: StatusCode,
    /// Where in the document decoding failed, e.g. `items[3].id` (`.` for
    /// the root).
    pub path: String,
    /// The start of the body (at most [`SNIPPET_LIMIT`] bytes, lossy UTF-8).
    pub snippet: String,
    /// The decoder's error.
    pub source: serde_json::Error,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed to decode response body at `{}`", self.path)
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Turns a non-success response into [`Error::Api`], keeping at most
/// [`API_ERROR_BODY_LIMIT`] bytes of its body.
///
/// `typed` is the body decoded as the error type the API documents for this
/// status, if any.
pub fn api_error(raw: RawResponse, typed: Option<Box<dyn ErrorBody>>) -> Error {
    let truncated = raw.body.len() > API_ERROR_BODY_LIMIT;
    let body = if truncated { raw.body.slice(..API_ERROR_BODY_LIMIT) } else { raw.body };
    Error::Api(Box::new(ApiError { status: raw.status, headers: raw.headers, body, truncated, typed }))
}

/// At most `max` bytes of `bytes` as text: invalid UTF-8 is replaced, and a
/// character cut by the limit is dropped rather than shown as garbage.
pub(crate) fn bounded_snippet(bytes: &[u8], max: usize) -> String {
    let cut = bytes.get(..max).unwrap_or(bytes);
    if cut.len() < bytes.len() {
        // Drop a multi-byte character split by the cut (at most 3 bytes).
        if let Err(err) = std::str::from_utf8(cut) {
            if err.error_len().is_none() {
                let valid = cut.get(..err.valid_up_to()).unwrap_or(cut);
                // Only trim the incomplete tail; earlier invalid bytes are
                // still replaced below.
                if cut.len() - valid.len() < 4 {
                    return String::from_utf8_lossy(valid).into_owned();
                }
            }
        }
    }
    String::from_utf8_lossy(cut).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_never_splits_a_character() {
        let text = "é".repeat(600); // 1200 bytes
        let snippet = bounded_snippet(text.as_bytes(), 1023);
        assert_eq!(snippet.chars().count(), 511);
        assert!(!snippet.contains('\u{FFFD}'));
        assert_eq!(bounded_snippet(b"abc", 10), "abc");
        assert_eq!(bounded_snippet(b"\xff\xfeabc", 3), "\u{FFFD}\u{FFFD}a");
    }

    #[test]
    fn typed_body_downcasts() {
        #[derive(Debug, PartialEq)]
        struct Problem {
            code: u32,
        }
        let raw =
            RawResponse { status: StatusCode::NOT_FOUND, headers: HeaderMap::new(), body: Bytes::from_static(b"{}") };
        let err = api_error(raw, Some(Box::new(Problem { code: 7 })));
        assert_eq!(err.api_body::<Problem>(), Some(&Problem { code: 7 }));
        assert_eq!(err.api_body::<String>(), None);
        assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
        assert_eq!(err.to_string(), "server responded with status 404 Not Found");
    }
}
