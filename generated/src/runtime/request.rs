//! [`Request`]: what generated code hands to [`Core::execute`](super::Core::execute).

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;

use super::error::Error;
use super::retry::RetryPolicy;

/// One API call, described by generated code.
pub struct Request {
    /// The operation's `operationId` (used in tracing spans).
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path as written in the API description, e.g. `/users/{id}`
    /// (used in tracing spans instead of the concrete path).
    pub path_template: &'static str,
    /// The concrete path, already percent-encoded (see
    /// [`path_segment`](super::path_segment)), starting with `/`. It is
    /// appended to the client's base URL.
    pub path: String,
    /// Query parameters, not yet encoded, in order.
    pub query: Vec<(&'static str, String)>,
    /// Request headers; they override client-wide headers of the same name.
    pub headers: Vec<(&'static str, String)>,
    /// The request body.
    pub body: Body,
    /// The `Accept` header to send, if any.
    pub accept: Option<&'static str>,
    /// Per-call overrides of client settings.
    pub options: CallOptions,
}

impl Request {
    /// A request without query, headers or body.
    pub fn new(
        operation_id: &'static str,
        method: Method,
        path_template: &'static str,
        path: String,
    ) -> Self {
        Request {
            operation_id,
            method,
            path_template,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            accept: None,
            options: CallOptions::default(),
        }
    }

    /// Appends a query parameter.
    pub fn query(&mut self, name: &'static str, value: impl ToString) {
        self.query.push((name, value.to_string()));
    }

    /// Appends a header.
    pub fn header(&mut self, name: &'static str, value: impl ToString) {
        self.headers.push((name, value.to_string()));
    }
}

impl fmt::Debug for Request {
    /// Query and header values are left out: they may carry credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let query: Vec<&str> = self.query.iter().map(|(name, _)| *name).collect();
        let headers: Vec<&str> = self.headers.iter().map(|(name, _)| *name).collect();
        f.debug_struct("Request")
            .field("operation_id", &self.operation_id)
            .field("method", &self.method)
            .field("path_template", &self.path_template)
            .field("path", &self.path)
            .field("query", &query)
            .field("headers", &headers)
            .field("body", &self.body)
            .field("accept", &self.accept)
            .field("options", &self.options)
            .finish()
    }
}

/// A request body.
#[derive(Clone, Default)]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// Serialized JSON, sent as `application/json`.
    Json(Vec<u8>),
    /// A form, already encoded, sent as `application/x-www-form-urlencoded`.
    Form(String),
    /// Raw bytes with their content type.
    Bytes {
        /// The `Content-Type` header value.
        content_type: String,
        /// The bytes.
        data: Bytes,
    },
}

impl Body {
    /// Serializes `value` as JSON.
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<Body, Error> {
        serde_json::to_vec(value)
            .map(Body::Json)
            .map_err(|err| Error::Encode(Box::new(err)))
    }

    /// Serializes `value` as `application/x-www-form-urlencoded` (a struct or
    /// map of scalar values; `None` fields are left out).
    pub fn form<T: Serialize + ?Sized>(value: &T) -> Result<Body, Error> {
        serde_urlencoded::to_string(value)
            .map(Body::Form)
            .map_err(|err| Error::Encode(Box::new(err)))
    }

    /// Raw bytes with a content type.
    pub fn bytes(content_type: impl Into<String>, data: impl Into<Bytes>) -> Body {
        Body::Bytes {
            content_type: content_type.into(),
            data: data.into(),
        }
    }

    /// The content type this body is sent with, if any.
    pub fn content_type(&self) -> Option<&str> {
        match self {
            Body::Empty => None,
            Body::Json(_) => Some("application/json"),
            Body::Form(_) => Some("application/x-www-form-urlencoded"),
            Body::Bytes { content_type, .. } => Some(content_type),
        }
    }

    /// The body's bytes (cheap to clone for each attempt).
    pub(crate) fn into_bytes(self) -> Option<Bytes> {
        match self {
            Body::Empty => None,
            Body::Json(data) => Some(Bytes::from(data)),
            Body::Form(data) => Some(Bytes::from(data)),
            Body::Bytes { data, .. } => Some(data),
        }
    }
}

impl fmt::Debug for Body {
    /// Only the kind and size are shown: bodies may carry credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Json(data) => write!(f, "Json({} bytes)", data.len()),
            Body::Form(data) => write!(f, "Form({} bytes)", data.len()),
            Body::Bytes { content_type, data } => f
                .debug_struct("Bytes")
                .field("content_type", content_type)
                .field("len", &data.len())
                .finish(),
        }
    }
}

/// Per-call overrides of client settings.
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    /// Timeout of each attempt of this call, instead of the client's.
    pub timeout: Option<Duration>,
    /// Retry policy of this call, instead of the client's.
    pub retry: Option<RetryPolicy>,
}

impl CallOptions {
    /// Sets the per-attempt timeout of this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the retry policy of this call.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }
}
