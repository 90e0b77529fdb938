//! Responses: the raw form [`Core::execute`](super::Core::execute) returns,
//! the typed [`Response`] generated calls return, and body decoders.

use std::fmt;

use bytes::Bytes;
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::{bounded_snippet, Call, DecodeError, Error, ErrorKind, SNIPPET_LIMIT};

/// A response as received: any status, headers, and the whole body (read up
/// to the client's size limit).
#[derive(Clone)]
#[non_exhaustive]
pub struct RawResponse {
    /// The response status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The response body.
    pub body: Bytes,
    /// The call it answers (operation, attempts), when the runtime sent it.
    pub call: Option<Call>,
}

impl RawResponse {
    /// Assembles a response outside any call (for tests and custom transports).
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        RawResponse { status, headers, body, call: None }
    }

    /// Records the call this response answers.
    pub fn with_call(mut self, call: Call) -> Self {
        self.call = Some(call);
        self
    }

    /// How many attempts the call made (1 without retries; 0 outside a call).
    pub fn attempts(&self) -> u32 {
        self.call.as_ref().map_or(0, |call| call.attempts)
    }

    /// The typed response: status, headers and attempts kept beside `body`.
    pub fn into_response<T>(self, body: T) -> Response<T> {
        let attempts = self.attempts();
        Response { status: self.status, headers: self.headers, body, attempts }
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .field("call", &self.call)
            .finish()
    }
}

/// A successful response with its decoded body.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The response status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub body: T,
    /// How many attempts the call made (1 without retries).
    pub attempts: u32,
}

impl<T> Response<T> {
    /// Assembles a response.
    pub fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Response { status, headers, body, attempts: 1 }
    }

    /// The decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Transforms the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response { status: self.status, headers: self.headers, body: f(self.body), attempts: self.attempts }
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;

    /// The decoded body, so `response.field` reads a field of the body.
    fn deref(&self) -> &T {
        &self.body
    }
}

/// Decodes a JSON body into `T`.
///
/// A decode error names the JSON path where decoding failed
/// ([`DecodeError::path`]) and keeps a bounded snippet of the body. An empty
/// (or all-whitespace) body is decoded as JSON `null`, so `Option<_>` and
/// `()` accept it.
pub fn decode_json<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, Error> {
    let body: &[u8] = if raw.body.iter().all(u8::is_ascii_whitespace) { b"null" } else { &raw.body };
    // The fast path: plain serde_json. Only a body that fails is decoded a
    // second time, tracking the path, to say which field failed.
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        decode_error(raw, path, err.into_inner())
    })?;
    de.end().map_err(|err| decode_error(raw, ".".to_owned(), err))?;
    Ok(value)
}

/// Decodes a text body. Invalid UTF-8 is a decode error.
pub fn decode_text(raw: &RawResponse) -> Result<String, Error> {
    match std::str::from_utf8(&raw.body) {
        Ok(text) => Ok(text.to_owned()),
        Err(err) => {
            let message = format!("invalid UTF-8 at byte {}", err.valid_up_to());
            let source = <serde_json::Error as serde::de::Error>::custom(message);
            Err(decode_error(raw, ".".to_owned(), source))
        }
    }
}

/// The body as bytes (cheap: no copy).
pub fn decode_bytes(raw: &RawResponse) -> Bytes {
    raw.body.clone()
}

/// Whether the `Content-Type` is JSON: `application/json` or any `+json`
/// media type (e.g. `application/problem+json`), parameters ignored.
pub fn is_json_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE) else {
        return false;
    };
    let Ok(value) = value.to_str() else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.contains('/') && essence.ends_with("+json"))
}

fn decode_error(raw: &RawResponse, path: String, source: serde_json::Error) -> Error {
    let err = Error::from(ErrorKind::Decode(Box::new(DecodeError {
        status: raw.status,
        path,
        snippet: bounded_snippet(&raw.body, SNIPPET_LIMIT),
        source,
    })));
    match &raw.call {
        Some(call) => err.with_call(call.clone()),
        None => err,
    }
}
