//! [`Request`]: what generated code hands to [`Core::execute`](super::Core::execute).

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;

use super::client::SecurityScheme;
use super::error::Error;
use super::multipart::Multipart;
use super::retry::RetryPolicy;
use super::upload::{Chunks, Upload};

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
    /// `path_segment`), starting with `/`. It is
    /// appended to the client's base URL.
    pub path: String,
    /// Query parameters, not yet encoded, in order.
    pub query: Vec<(&'static str, String)>,
    /// Query text already encoded by a parameter style (see
    /// `query_param`), each `name=value[&…]`, sent
    /// after [`query`](Self::query) as is.
    pub encoded_query: Vec<String>,
    /// Request headers; they override client-wide headers of the same name.
    pub headers: Vec<(&'static str, String)>,
    /// The request body.
    pub body: Body,
    /// The `Accept` header to send, if any.
    pub accept: Option<&'static str>,
    /// Per-call overrides of client settings.
    pub options: CallOptions,
    /// The operation's security requirements (see [`Request::security`]);
    /// `None` sends every configured credential.
    pub security: Option<&'static [&'static [SecurityScheme]]>,
    /// Whether redirects are followed (see [`Request::return_redirects`]).
    pub follow_redirects: bool,
}

impl Request {
    /// A request without query, headers or body.
    pub fn new(operation_id: &'static str, method: Method, path_template: &'static str, path: String) -> Self {
        Request {
            operation_id,
            method,
            path_template,
            path,
            query: Vec::new(),
            encoded_query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            accept: None,
            options: CallOptions::default(),
            security: None,
            follow_redirects: true,
        }
    }

    /// Returns a 3xx response to the caller instead of following it: for
    /// operations whose API description documents a redirect as their
    /// answer (an OAuth redirect endpoint, a download link), the `Location`
    /// is the result, and following it would call another resource with
    /// this operation's credentials.
    pub fn return_redirects(&mut self) {
        self.follow_redirects = false;
    }

    /// Appends a query parameter.
    pub fn query(&mut self, name: &'static str, value: impl ToString) {
        self.query.push((name, value.to_string()));
    }

    /// Appends query text written by [`query_param`](super::query_param);
    /// an empty text (an object without fields) adds nothing.
    pub fn query_encoded(&mut self, text: String) {
        if !text.is_empty() {
            self.encoded_query.push(text);
        }
    }

    /// Sets the operation's security requirements: alternatives, each a set
    /// of schemes that are all needed. The request carries the credentials
    /// of the first alternative whose schemes are all configured on the
    /// client, and no others; `&[]` (`security: []`) sends none.
    pub fn security(&mut self, requirements: &'static [&'static [SecurityScheme]]) {
        self.security = Some(requirements);
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
            .field("encoded_query", &self.encoded_query.len())
            .field("headers", &headers)
            .field("body", &self.body)
            .field("accept", &self.accept)
            .field("options", &self.options)
            .field("security", &self.security)
            .finish()
    }
}

/// A request body.
#[derive(Clone, Default)]
#[non_exhaustive]
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
    /// A binary upload read as it is sent: a file or a stream (see
    /// [`Body::upload`]).
    Stream {
        /// The `Content-Type` header value.
        content_type: String,
        /// The data.
        upload: Upload,
    },
    /// A `multipart/form-data` form, encoded as it is sent.
    Multipart(Multipart),
}

impl Body {
    /// Serializes `value` as JSON.
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<Body, Error> {
        serde_json::to_vec(value).map(Body::Json).map_err(|err| Error::encode(Box::new(err)))
    }

    /// Serializes `value` as `application/x-www-form-urlencoded` (a struct or
    /// map of scalar values; `None` fields are left out).
    pub fn form<T: Serialize + ?Sized>(value: &T) -> Result<Body, Error> {
        serde_urlencoded::to_string(value).map(Body::Form).map_err(|err| Error::encode(Box::new(err)))
    }

    /// Raw bytes with a content type.
    pub fn bytes(content_type: impl Into<String>, data: impl Into<Bytes>) -> Body {
        Body::Bytes { content_type: content_type.into(), data: data.into() }
    }

    /// A binary body (`application/octet-stream`, `image/*`, …). It is sent
    /// with the upload's own content type if it has one, else with
    /// `media_type` as the API documents it; a wildcard (`image/*`) names no
    /// concrete type, so `application/octet-stream` is sent instead.
    pub fn upload(media_type: &str, upload: Upload) -> Body {
        let content_type = match upload.get_content_type() {
            Some(content_type) => content_type.to_owned(),
            None if media_type.contains('*') => "application/octet-stream".to_owned(),
            None => media_type.to_owned(),
        };
        match upload.as_bytes() {
            Some(data) => Body::Bytes { content_type, data: data.clone() },
            None => Body::Stream { content_type, upload },
        }
    }

    /// The content type this body is sent with, if any.
    pub fn content_type(&self) -> Option<&str> {
        match self {
            Body::Empty => None,
            Body::Json(_) => Some("application/json"),
            Body::Form(_) => Some("application/x-www-form-urlencoded"),
            Body::Bytes { content_type, .. } | Body::Stream { content_type, .. } => Some(content_type),
            Body::Multipart(form) => Some(form.content_type()),
        }
    }

    /// The body as sent by each attempt.
    pub(crate) fn into_payload(self) -> Payload {
        match self {
            Body::Empty => Payload::Empty,
            Body::Json(data) => Payload::Bytes(Bytes::from(data)),
            Body::Form(data) => Payload::Bytes(Bytes::from(data)),
            Body::Bytes { data, .. } => Payload::Bytes(data),
            Body::Stream { upload, .. } => Payload::Upload(upload),
            Body::Multipart(form) => Payload::Multipart(form),
        }
    }
}

/// A body ready for attempts: in-memory bodies as bytes (cheap to clone for
/// each attempt), uploads and forms opened anew by each attempt.
pub(crate) enum Payload {
    Empty,
    Bytes(Bytes),
    Upload(Upload),
    Multipart(Multipart),
}

impl Payload {
    /// Whether a retry can send the body again (a stream is sent once).
    pub(crate) fn is_replayable(&self) -> bool {
        match self {
            Payload::Empty | Payload::Bytes(_) => true,
            Payload::Upload(upload) => upload.is_replayable(),
            Payload::Multipart(form) => form.is_replayable(),
        }
    }

    /// The body of one attempt and the `Content-Length` to announce for a
    /// streamed one (reqwest announces in-memory lengths itself).
    pub(crate) async fn open(&self) -> Result<Option<(reqwest::Body, Option<u64>)>, Error> {
        let streamed = |(chunks, length): (Chunks, Option<u64>)| Some((reqwest::Body::wrap_stream(chunks), length));
        match self {
            Payload::Empty => Ok(None),
            Payload::Bytes(data) => Ok(Some((reqwest::Body::from(data.clone()), None))),
            Payload::Upload(upload) => upload.open().await.map(streamed),
            Payload::Multipart(form) => form.open().await.map(streamed),
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
            Body::Bytes { content_type, data } => {
                f.debug_struct("Bytes").field("content_type", content_type).field("len", &data.len()).finish()
            }
            Body::Stream { content_type, upload } => {
                f.debug_struct("Stream").field("content_type", content_type).field("upload", upload).finish()
            }
            Body::Multipart(form) => fmt::Debug::fmt(form, f),
        }
    }
}

/// Per-call overrides of client settings.
#[derive(Clone, Default)]
pub struct CallOptions {
    /// Timeout of each attempt of this call, instead of the client's. For a
    /// streamed response (`send_streaming`, `send_events`) it bounds the
    /// wait for the headers and then for each chunk, not the whole body.
    pub timeout: Option<Duration>,
    /// Retry policy of this call, instead of the client's.
    pub retry: Option<RetryPolicy>,
    /// Timeout of the whole call: every attempt and the waits between them.
    call_timeout: Option<Duration>,
    /// Extra headers of this call, added to the client's (a name set here
    /// replaces the client's header of that name).
    headers: Vec<(String, String)>,
    /// A next-page URL from a `Link` header (see
    /// [`CallOptions::next_page_url`]).
    page_url: Option<String>,
}

impl fmt::Debug for CallOptions {
    /// Header values are left out: they may carry credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("call_timeout", &self.call_timeout)
            .field("headers", &headers)
            .field("page_url", &self.page_url.as_ref().map(|_| "[next page]"))
            .finish()
    }
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

    /// Bounds the whole call (every attempt and the backoff between them):
    /// when it expires the call fails with
    /// [`ErrorKind::Timeout`](super::ErrorKind::Timeout) whatever attempt is under way.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = Some(timeout);
        self
    }

    /// The whole-call timeout, if set.
    pub fn call_timeout_value(&self) -> Option<Duration> {
        self.call_timeout
    }

    /// Adds a header to this call, beside the client's default headers (it
    /// replaces a default header of the same name; several calls with one
    /// name send each value). An invalid name or value fails the call with
    /// [`ErrorKind::InvalidRequest`](super::ErrorKind::InvalidRequest) before anything is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The headers added with [`header`](Self::header), in order.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// Requests `url` (a `Link: <…>; rel="next"` target, absolute or
    /// relative to the base URL) instead of the operation's path and query:
    /// how `link_pages` fetches the pages after the
    /// first. The call fails with [`ErrorKind::InvalidRequest`](super::ErrorKind::InvalidRequest) when the URL
    /// leaves the base URL's origin, so credentials never follow a link to
    /// another host.
    pub fn next_page_url(mut self, url: impl Into<String>) -> Self {
        self.page_url = Some(url.into());
        self
    }

    /// The URL set by [`next_page_url`](Self::next_page_url).
    pub fn page_url(&self) -> Option<&str> {
        self.page_url.as_deref()
    }
}
