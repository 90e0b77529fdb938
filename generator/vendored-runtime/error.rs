//! The [`Error`] every client call returns: the shared failures
//! (transport, timeout, decode, invalid request, …) in [`ErrorKind`], and the
//! operation's own documented failures as the type parameter `E` of
//! [`ApiError`].
//!
//! An operation's `send()` returns `Result<T, Error<GetPetError>>`, where
//! `GetPetError` is the generated enum of the statuses that operation
//! documents. Code handling several operations alike converts with `?` (or
//! `Error::from`) into the erased [`Error`] (`Error<Erased>`), from which
//! [`Error::operation_error`] downcasts back.

use std::any::Any;
use std::fmt::{self, Write as _};
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use super::response::RawResponse;

/// How many bytes of a non-success response body [`ApiError`] keeps (64 KiB).
/// A documented error body is decoded only when the whole body fits.
pub const API_ERROR_BODY_LIMIT: usize = 64 * 1024;

/// How many bytes of a body [`ApiError::snippet`] and [`DecodeError`] show (1 KiB).
pub const SNIPPET_LIMIT: usize = 1024;

/// How many bytes `Debug` of an [`Error`] or [`ApiError`] writes at most
/// (4 KiB), whatever the server sent: the rest is cut and marked `…`.
pub const DEBUG_LIMIT: usize = 4 * 1024;

/// How many bytes of a transport failure's cause `Display` shows.
const CAUSE_LIMIT: usize = 200;

/// The call an error (or a response) belongs to: what `Display` names, and
/// how many attempts were made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path as written in the API description, e.g. `/pets/{id}` (never
    /// the concrete path, which may carry identifiers).
    pub path_template: &'static str,
    /// How many attempts were sent (1 without retries; 0 when the request
    /// was rejected before sending).
    pub attempts: u32,
    /// How long the call took, all attempts and backoff included.
    pub elapsed: Duration,
}

/// An error of some operation, its documented error type erased: the
/// default type parameter of [`Error`], for code that handles the errors of
/// several operations alike. [`Error::operation_error`] downcasts it back.
pub struct Erased(Box<dyn ErrorBody>);

impl Erased {
    /// The operation's error, if it has type `T`.
    pub fn downcast_ref<T: 'static>(&self) -> Option<&T> {
        let body: &dyn ErrorBody = &*self.0;
        body.as_any().downcast_ref::<T>()
    }
}

impl fmt::Debug for Erased {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A type-erasable value: implemented for every `Any + Debug + Send + Sync` type.
pub trait ErrorBody: Any + fmt::Debug + Send + Sync {
    /// `self` as [`Any`], for downcasting.
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any + fmt::Debug + Send + Sync> ErrorBody for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The documented failures of one operation, generated as an enum per
/// operation (`GetPetError`): one variant per documented error status,
/// range or `default`, each holding its decoded body when the spec gives
/// one, plus `Other` for everything else.
pub trait OperationError: fmt::Debug + Send + Sync + Sized + 'static {
    /// Reads a non-success response. Never fails: a status the operation
    /// does not document, or a documented body that does not decode (or is
    /// larger than [`API_ERROR_BODY_LIMIT`]), gives the `Other` variant.
    fn from_response(raw: &RawResponse) -> Self;

    /// The variant's name (`"NotFound"`, `"Default"`, `"Other"`): for logs
    /// and metrics that handle several operations alike.
    fn case(&self) -> &'static str;

    /// The decoded body, type-erased, for code that handles several
    /// operations alike; matching on the enum needs no downcast.
    fn body(&self) -> Option<&(dyn Any + Send + Sync)>;
}

/// Everything that can go wrong when calling an API operation whose
/// documented failures are `E` (erased by default).
///
/// `Display` is one line naming the operation, its method and path
/// template, and the status or cause (`get_pet (GET /pets/{id}): timed out
/// after 3 attempts, 30 s`); it never contains a response body or a
/// credential. `Debug` is bounded by [`DEBUG_LIMIT`]. Match on
/// [`Error::kind`]; [`Error::operation_error`] is the documented failure,
/// if the server sent one.
pub struct Error<E = Erased> {
    kind: ErrorKind<E>,
    call: Option<Box<Call>>,
}

/// What went wrong: the case of an [`Error`].
#[non_exhaustive]
pub enum ErrorKind<E = Erased> {
    /// The request could not be sent or the response could not be read
    /// (connection refused or reset, TLS failure, invalid redirect, …).
    Transport(reqwest::Error),

    /// The call did not complete in time: an attempt exceeded its timeout
    /// (`limit`, when known), or connecting timed out. [`Error::call`]
    /// says how many attempts were made and how long the call took.
    Timeout {
        /// The timeout that expired, when known.
        limit: Option<Duration>,
        /// Whether it is the whole-call timeout (`.timeout()`) rather than
        /// the per-attempt one (`.attempt_timeout()`).
        whole_call: bool,
    },

    /// The server answered with a status the operation does not treat as
    /// success; [`ApiError::error`] is the operation's documented case.
    Api(Box<ApiError<E>>),

    /// The response body could not be decoded into the expected type.
    Decode(Box<DecodeError>),

    /// The request was rejected on the client side before anything was
    /// sent: a value violates a constraint of the API description, or a
    /// header or path could not be encoded.
    #[non_exhaustive]
    InvalidRequest {
        /// The offending field, parameter or header (its wire name).
        field: String,
        /// The rule it violates, e.g. `maxLength 64`.
        rule: String,
    },

    /// The response body is larger than the configured limit
    /// ([`ClientBuilder::max_response_body`](super::ClientBuilder::max_response_body)).
    #[non_exhaustive]
    BodyTooLarge {
        /// The status of the oversized response.
        status: StatusCode,
        /// The limit in bytes.
        limit: usize,
    },

    /// The client could not be built (invalid base URL, header name or
    /// value, conflicting options). The message never contains a credential.
    Config(String),

    /// The request body could not be serialized, or an upload could not be
    /// read (a file that cannot be opened, a stream upload sent twice).
    Encode(Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl<E> From<ErrorKind<E>> for Error<E> {
    fn from(kind: ErrorKind<E>) -> Self {
        Error { kind, call: None }
    }
}

impl<E> Error<E> {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind<E> {
        &self.kind
    }

    /// What went wrong, by value.
    pub fn into_kind(self) -> ErrorKind<E> {
        self.kind
    }

    /// The call this error belongs to (operation, method, path template,
    /// attempts, duration), when it happened in one.
    pub fn call(&self) -> Option<&Call> {
        self.call.as_deref()
    }

    /// How many attempts were sent before this error (0 when it happened
    /// before sending, or outside a call).
    pub fn attempts(&self) -> u32 {
        self.call.as_ref().map_or(0, |call| call.attempts)
    }

    /// Records the call this error belongs to.
    pub fn with_call(mut self, call: Call) -> Self {
        self.call = Some(Box::new(call));
        self
    }

    /// The HTTP status of the response this error is about, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.kind {
            ErrorKind::Api(api) => Some(api.status),
            ErrorKind::Decode(decode) => Some(decode.status),
            ErrorKind::BodyTooLarge { status, .. } => Some(*status),
            ErrorKind::Transport(err) => err.status(),
            _ => None,
        }
    }

    /// The [`ApiError`] when the server answered with a non-success status.
    pub fn as_api_error(&self) -> Option<&ApiError<E>> {
        match &self.kind {
            ErrorKind::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The operation's documented failure, when the server answered with a
    /// non-success status (`Some(GetPetError::NotFound(problem))`).
    pub fn as_operation_error(&self) -> Option<&E> {
        self.as_api_error().map(|api| &api.error)
    }

    /// The operation's documented failure by value (see
    /// [`Error::as_operation_error`]); `Err(self)` for every other case.
    pub fn into_operation_error(self) -> Result<E, Self> {
        match self.kind {
            ErrorKind::Api(api) => Ok(api.error),
            kind => Err(Error { kind, call: self.call }),
        }
    }

    /// Whether the call timed out.
    pub fn is_timeout(&self) -> bool {
        match &self.kind {
            ErrorKind::Timeout { .. } => true,
            ErrorKind::Transport(err) => err.is_timeout(),
            _ => false,
        }
    }

    /// Whether the server answered with a non-success status.
    pub fn is_api(&self) -> bool {
        matches!(self.kind, ErrorKind::Api(_))
    }

    /// Whether the request could not be sent or its response not read.
    pub fn is_transport(&self) -> bool {
        matches!(self.kind, ErrorKind::Transport(_))
    }

    /// Whether the response body did not match the expected type.
    pub fn is_decode(&self) -> bool {
        matches!(self.kind, ErrorKind::Decode(_))
    }

    /// The same error with the operation's failure type changed by `f`.
    fn map_operation<F>(self, f: impl FnOnce(ApiError<E>) -> ApiError<F>) -> Error<F> {
        let kind = match self.kind {
            ErrorKind::Api(api) => ErrorKind::Api(Box::new(f(*api))),
            ErrorKind::Transport(err) => ErrorKind::Transport(err),
            ErrorKind::Timeout { limit, whole_call } => ErrorKind::Timeout { limit, whole_call },
            ErrorKind::Decode(decode) => ErrorKind::Decode(decode),
            ErrorKind::InvalidRequest { field, rule } => ErrorKind::InvalidRequest { field, rule },
            ErrorKind::BodyTooLarge { status, limit } => ErrorKind::BodyTooLarge { status, limit },
            ErrorKind::Config(message) => ErrorKind::Config(message),
            ErrorKind::Encode(source) => ErrorKind::Encode(source),
        };
        Error { kind, call: self.call }
    }
}

/// Constructors for the runtime's own failures: they are erased errors,
/// which become any operation's `Error<E>` with `?` or `.into()`.
impl Error<Erased> {
    /// Shorthand for [`ErrorKind::InvalidRequest`].
    pub fn invalid_request(field: impl Into<String>, rule: impl Into<String>) -> Self {
        ErrorKind::InvalidRequest { field: field.into(), rule: rule.into() }.into()
    }

    /// Shorthand for [`ErrorKind::Config`].
    pub fn config(message: impl Into<String>) -> Self {
        ErrorKind::Config(message.into()).into()
    }

    /// Shorthand for [`ErrorKind::Encode`].
    pub fn encode(source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Self {
        ErrorKind::Encode(source.into()).into()
    }

    /// Shorthand for [`ErrorKind::Transport`].
    pub fn transport(source: reqwest::Error) -> Self {
        ErrorKind::Transport(source).into()
    }

    /// Shorthand for [`ErrorKind::Timeout`] of one attempt.
    pub fn timeout(limit: Option<Duration>) -> Self {
        ErrorKind::Timeout { limit, whole_call: false }.into()
    }

    /// Shorthand for [`ErrorKind::Timeout`] of the whole call.
    pub fn call_timeout(limit: Duration) -> Self {
        ErrorKind::Timeout { limit: Some(limit), whole_call: true }.into()
    }

    /// Shorthand for [`ErrorKind::BodyTooLarge`].
    pub fn body_too_large(status: StatusCode, limit: usize) -> Self {
        ErrorKind::BodyTooLarge { status, limit }.into()
    }

    /// The operation's documented failure, if the server answered with a
    /// non-success status and the operation's error type is `T`.
    pub fn operation_error<T: 'static>(&self) -> Option<&T> {
        self.as_api_error()?.error.downcast_ref::<T>()
    }
}

/// Erasing: `Error<GetPetError>` → `Error`, with `?` in a function
/// returning `Result<_, Error>`.
impl<E: OperationError> From<Error<E>> for Error<Erased> {
    fn from(err: Error<E>) -> Self {
        err.map_operation(|api| api.map(|error| Erased(Box::new(error))))
    }
}

/// Typing: the runtime's own failures (transport, decode, …) into an
/// operation's `Error<E>`. The runtime never builds an `ApiError` itself; if
/// an erased one comes through, its kept body is read again as `E`.
impl<E: OperationError> From<Error<Erased>> for Error<E> {
    fn from(err: Error<Erased>) -> Self {
        err.map_operation(|api| {
            let raw = RawResponse::new(api.status, api.headers.clone(), api.body.clone());
            api.map(|_| E::from_response(&raw))
        })
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(call) = &self.call {
            write!(f, "{} ({} {}): ", call.operation, call.method, call.path_template)?;
        }
        let attempts = self.attempts();
        match &self.kind {
            ErrorKind::Transport(err) => {
                f.write_str(&bounded_text(&innermost_cause(err), CAUSE_LIMIT))?;
                after_attempts(f, attempts)
            }
            ErrorKind::Timeout { limit, whole_call } => match (&self.call, limit) {
                (Some(call), limit) => {
                    let plural = if call.attempts == 1 { "" } else { "s" };
                    write!(f, "timed out after {} attempt{plural}, {}", call.attempts, human(call.elapsed))?;
                    let which = if *whole_call { "call" } else { "attempt" };
                    match limit {
                        Some(limit) => write!(f, " ({which} timeout {})", human(*limit)),
                        None => Ok(()),
                    }
                }
                (None, Some(limit)) => write!(f, "timed out after {}", human(*limit)),
                (None, None) => f.write_str("timed out"),
            },
            ErrorKind::Api(api) => {
                write!(f, "server responded with status {}", api.status)?;
                after_attempts(f, attempts)
            }
            ErrorKind::Decode(decode) => write!(f, "{decode}"),
            ErrorKind::InvalidRequest { field, rule } => write!(
                f,
                "invalid request: field `{}` violates {}",
                bounded_text(field, CAUSE_LIMIT),
                bounded_text(rule, CAUSE_LIMIT)
            ),
            ErrorKind::BodyTooLarge { limit, .. } => write!(f, "response body exceeds the limit of {limit} bytes"),
            ErrorKind::Config(message) => {
                write!(f, "invalid client configuration: {}", bounded_text(message, CAUSE_LIMIT))
            }
            ErrorKind::Encode(_) => f.write_str("failed to encode request body"),
        }
    }
}

/// ` after 3 attempts`, when there was more than one.
fn after_attempts(f: &mut fmt::Formatter<'_>, attempts: u32) -> fmt::Result {
    if attempts > 1 {
        write!(f, " after {attempts} attempts")?;
    }
    Ok(())
}

/// `30 s`, `1.5 s`, `250 ms`.
fn human(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis < 1000 {
        format!("{millis} ms")
    } else if duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

/// The deepest `source()` of a transport error ("Connection refused (os
/// error 111)"), which says what happened; reqwest's own message ("error
/// sending request for url …") only says where.
fn innermost_cause(err: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    let text = cause.to_string();
    if text.is_empty() {
        "transport error".to_owned()
    } else {
        text
    }
}

/// At most `max` bytes of `text`, cut on a character boundary and marked `…`.
fn bounded_text(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= max {
        return text.into();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end]).into()
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    /// Bounded by [`DEBUG_LIMIT`], whatever the server sent.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        bounded_debug(f, DEBUG_LIMIT, |w| {
            if w.alternate {
                write!(w, "Error {{\n    kind: {:#?},\n    call: {:#?},\n}}", self.kind, self.call)
            } else {
                write!(w, "Error {{ kind: {:?}, call: {:?} }}", self.kind, self.call)
            }
        })
    }
}

impl<E: fmt::Debug> fmt::Debug for ErrorKind<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Transport(err) => f.debug_tuple("Transport").field(err).finish(),
            ErrorKind::Timeout { limit, whole_call } => {
                f.debug_struct("Timeout").field("limit", limit).field("whole_call", whole_call).finish()
            }
            ErrorKind::Api(api) => f.debug_tuple("Api").field(api).finish(),
            ErrorKind::Decode(decode) => f.debug_tuple("Decode").field(decode).finish(),
            ErrorKind::InvalidRequest { field, rule } => {
                f.debug_struct("InvalidRequest").field("field", field).field("rule", rule).finish()
            }
            ErrorKind::BodyTooLarge { status, limit } => {
                f.debug_struct("BodyTooLarge").field("status", status).field("limit", limit).finish()
            }
            ErrorKind::Config(message) => f.debug_tuple("Config").field(message).finish(),
            ErrorKind::Encode(source) => f.debug_tuple("Encode").field(source).finish(),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Transport(err) => Some(err),
            ErrorKind::Decode(decode) => Some(&decode.source),
            ErrorKind::Encode(source) => Some(&**source),
            _ => None,
        }
    }
}

/// A `fmt::Write` that keeps at most `remaining` bytes and drops the rest.
struct Bounded<'a, 'b> {
    out: &'a mut fmt::Formatter<'b>,
    remaining: usize,
    cut: bool,
    alternate: bool,
}

impl fmt::Write for Bounded<'_, '_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        if self.cut {
            return Ok(());
        }
        if text.len() <= self.remaining {
            self.remaining -= text.len();
            return self.out.write_str(text);
        }
        let mut end = self.remaining;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        self.cut = true;
        self.remaining = 0;
        self.out.write_str(&text[..end])
    }
}

/// Runs `write` into `f`, keeping at most `limit` bytes (then `…`).
fn bounded_debug(
    f: &mut fmt::Formatter<'_>,
    limit: usize,
    write: impl FnOnce(&mut Bounded<'_, '_>) -> fmt::Result,
) -> fmt::Result {
    let alternate = f.alternate();
    let mut bounded = Bounded { out: f, remaining: limit, cut: false, alternate };
    write(&mut bounded)?;
    if bounded.cut {
        bounded.out.write_str("…")?;
    }
    Ok(())
}

/// A response whose status the operation does not treat as success.
#[non_exhaustive]
pub struct ApiError<E = Erased> {
    /// The response status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The response body, cut to [`API_ERROR_BODY_LIMIT`] bytes.
    pub body: Bytes,
    /// Whether `body` was cut.
    pub truncated: bool,
    /// The operation's documented case for this response, with its decoded
    /// body (`GetPetError::NotFound(problem)`), or its `Other` case.
    pub error: E,
}

impl<E> ApiError<E> {
    /// The first KiB of the body as text (invalid UTF-8 replaced, never cut
    /// inside a character).
    pub fn snippet(&self) -> String {
        bounded_snippet(&self.body, SNIPPET_LIMIT)
    }

    /// The operation's documented case (see [`ApiError::error`]).
    pub fn error(&self) -> &E {
        &self.error
    }

    fn map<F>(self, f: impl FnOnce(E) -> F) -> ApiError<F> {
        ApiError {
            status: self.status,
            headers: self.headers,
            body: self.body,
            truncated: self.truncated,
            error: f(self.error),
        }
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "server responded with status {}", self.status)
    }
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    /// Bounded by [`DEBUG_LIMIT`]: the body shows as a 1 KiB snippet, and
    /// the decoded error (as large as the body cap) is cut with the rest.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        bounded_debug(f, DEBUG_LIMIT, |w| {
            let header_names: Vec<&str> = self.headers.keys().map(|name| name.as_str()).collect();
            write!(
                w,
                "ApiError {{ status: {:?}, error: {:?}, body_len: {}, truncated: {}, snippet: {:?}, headers: {:?} }}",
                self.status,
                self.error,
                self.body.len(),
                self.truncated,
                self.snippet(),
                header_names
            )
        })
    }
}

impl<E: fmt::Debug> std::error::Error for ApiError<E> {}

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
        write!(f, "failed to decode response body at `{}`", bounded_text(&self.path, CAUSE_LIMIT))
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Turns a non-success response into [`ErrorKind::Api`]: the operation's
/// documented case read from the body (only when the whole body is within
/// [`API_ERROR_BODY_LIMIT`]), then at most that many bytes of the body kept.
pub fn api_error<E: OperationError>(raw: RawResponse) -> Error<E> {
    let error = E::from_response(&raw);
    let truncated = raw.body.len() > API_ERROR_BODY_LIMIT;
    let body = if truncated { raw.body.slice(..API_ERROR_BODY_LIMIT) } else { raw.body };
    let api = ApiError { status: raw.status, headers: raw.headers, body, truncated, error };
    let err = Error::from(ErrorKind::Api(Box::new(api)));
    match raw.call {
        Some(call) => err.with_call(call),
        None => err,
    }
}

/// A documented error body decoded as `T`, if the body is JSON of that type
/// and no larger than [`API_ERROR_BODY_LIMIT`] (beyond it nothing is
/// decoded: a body the error would not keep is not worth the work).
pub fn error_body<T: DeserializeOwned>(raw: &RawResponse) -> Option<T> {
    if raw.body.len() > API_ERROR_BODY_LIMIT {
        return None;
    }
    serde_json::from_slice(&raw.body).ok()
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

    #[derive(Debug, PartialEq)]
    enum GetThingError {
        NotFound(String),
        Other,
    }

    impl OperationError for GetThingError {
        fn from_response(raw: &RawResponse) -> Self {
            match raw.status.as_u16() {
                404 => error_body::<String>(raw).map_or(Self::Other, Self::NotFound),
                _ => Self::Other,
            }
        }

        fn case(&self) -> &'static str {
            match self {
                Self::NotFound(_) => "NotFound",
                Self::Other => "Other",
            }
        }

        fn body(&self) -> Option<&(dyn Any + Send + Sync)> {
            match self {
                Self::NotFound(body) => Some(body),
                Self::Other => None,
            }
        }
    }

    fn call(attempts: u32, elapsed: Duration) -> Call {
        Call { operation: "getThing", method: Method::GET, path_template: "/things/{id}", attempts, elapsed }
    }

    #[test]
    fn documented_bodies_are_typed_and_erasing_keeps_them() {
        let raw = RawResponse::new(StatusCode::NOT_FOUND, HeaderMap::new(), Bytes::from_static(b"\"gone\""));
        let err: Error<GetThingError> = api_error(raw.with_call(call(1, Duration::ZERO)));
        assert_eq!(err.as_operation_error(), Some(&GetThingError::NotFound("gone".into())));
        assert_eq!(err.to_string(), "getThing (GET /things/{id}): server responded with status 404 Not Found");
        let erased: Error = err.into();
        assert_eq!(erased.operation_error::<GetThingError>(), Some(&GetThingError::NotFound("gone".into())));
        assert_eq!(erased.operation_error::<String>(), None);
        assert_eq!(erased.status(), Some(StatusCode::NOT_FOUND));
    }

    #[test]
    fn a_body_over_the_cap_is_not_decoded_and_debug_stays_bounded() {
        let mut huge = vec![b'"'];
        huge.resize(8 * 1024 * 1024, b'x');
        huge.push(b'"');
        let raw = RawResponse::new(StatusCode::NOT_FOUND, HeaderMap::new(), Bytes::from(huge));
        let err: Error<GetThingError> = api_error(raw);
        assert_eq!(err.as_operation_error(), Some(&GetThingError::Other));
        let api = err.as_api_error().expect("api error");
        assert!(api.truncated);
        assert_eq!(api.body.len(), API_ERROR_BODY_LIMIT);
        // Within the cap, the decoded body can be as large as the cap: Debug still stays bounded.
        let within = format!("\"{}\"", "y".repeat(API_ERROR_BODY_LIMIT - 2));
        let raw = RawResponse::new(StatusCode::NOT_FOUND, HeaderMap::new(), Bytes::from(within));
        let err: Error<GetThingError> = api_error(raw);
        assert!(matches!(err.as_operation_error(), Some(GetThingError::NotFound(_))));
        for text in [format!("{err:?}"), format!("{err:#?}"), format!("{:?}", err.as_api_error().expect("api error"))] {
            assert!(text.len() <= DEBUG_LIMIT + "…".len() + 8, "{}", text.len());
            assert!(text.ends_with('…'), "{text}");
        }
    }

    #[test]
    fn display_names_the_call_and_the_limit() {
        let err: Error = Error::timeout(Some(Duration::from_secs(10))).with_call(call(3, Duration::from_secs(30)));
        assert_eq!(
            err.to_string(),
            "getThing (GET /things/{id}): timed out after 3 attempts, 30 s (attempt timeout 10 s)"
        );
        assert_eq!(err.attempts(), 3);
        assert!(err.is_timeout());
        let bare: Error = Error::timeout(Some(Duration::from_millis(1500)));
        assert_eq!(bare.to_string(), "timed out after 1.5 s");
        let invalid: Error = Error::invalid_request("name", "maxLength 3");
        assert_eq!(invalid.to_string(), "invalid request: field `name` violates maxLength 3");
        assert_eq!(invalid.attempts(), 0);
    }
}
