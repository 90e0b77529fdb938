//! The engine of the generated test doubles (feature `mock`): an HTTP/1.1
//! server on a loopback port, in-process, that answers a generated client
//! from expectations set in the test.
//!
//! Users do not start this server themselves: each generated API has a
//! `mock` module (feature `<api>-mock` of the checked-in crate) whose
//! `MockServer::start()` starts it with the API's operations, hands out a
//! client pointed at it (`mock.client()`), and has one method per operation
//! (`mock.list_integrations_v4()`) returning an [`Expectation`] typed by
//! that operation: its matchers see the request decoded into the
//! operation's parameter and body types, and its replies take the
//! operation's success body and error enum.
//!
//! What it does with each request:
//!
//! 1. finds the operation by method and path template (the most literal
//!    template wins); none: a `501` and an unmatched-request report;
//! 2. checks its credentials against the operation's security (none to an
//!    anonymous operation, none that no alternative takes; a request without
//!    credentials passes, since a test client need not have any) and decodes
//!    it into the operation's typed view: required parameters present, every
//!    parameter parsed into its type, the body into the body type and its
//!    `validate()` run; a failure is a spec violation, answered `400` and
//!    reported;
//! 3. tries the operation's expectations in the order they were set: the
//!    first whose calls are not used up and whose matchers all hold answers
//!    with its next reply; none: a `501` and a report naming the closest
//!    expectation (one that matches but is used up, else the one for which
//!    most matchers held) and why it did not match.
//!
//! [`MockServer::verify`] (and dropping the server, unless the thread is
//! already panicking) fails on expectations called fewer (or, with
//! [`Expectation::times`], other) times than expected, on unmatched
//! requests and on spec violations, with one readable line each.
//!
//! The server reads requests with `Content-Length` or chunked bodies,
//! answers with `Content-Length` and keeps connections alive. It is a test
//! double: no TLS, no HTTP/2, 32 MiB per body at most.

use std::any::Any;
use std::fmt::{self, Write as _};
use std::marker::PhantomData;
use std::net::SocketAddr;
use std::panic::Location;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::client::SecurityScheme;

/// The largest request head and body the server reads.
const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 32 * 1024 * 1024;

/// A request as the mock received it: method, path, decoded query pairs,
/// headers and body. `Debug` shows credential headers and query values as
/// `[redacted]` and at most 1 KiB of the body.
#[derive(Clone)]
#[non_exhaustive]
pub struct MockRequest {
    /// The method, upper case.
    pub method: String,
    /// The path, percent-encoded as sent, without the query.
    pub path: String,
    /// The query pairs, percent-decoded, in order.
    pub query: Vec<(String, String)>,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl MockRequest {
    /// The values of query parameter `name`, in order.
    pub fn query_values(&self, name: &str) -> Vec<&str> {
        self.query.iter().filter(|(key, _)| key == name).map(|(_, value)| value.as_str()).collect()
    }

    /// `GET /path?a=1`, credentials redacted: how reports name the request.
    fn summary(&self) -> String {
        let mut text = format!("{} {}", self.method, self.path);
        for (i, (name, value)) in self.query.iter().enumerate() {
            let value = if is_sensitive(name) { "[redacted]" } else { value };
            let _ = write!(text, "{}{name}={value}", if i == 0 { '?' } else { '&' });
        }
        text
    }
}

/// Names whose values never appear in reports or `Debug`.
fn is_sensitive(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["authorization", "cookie", "key", "secret", "password", "signature", "access_token", "api_token", "auth"]
        .iter()
        .any(|word| name.contains(word))
}

impl fmt::Debug for MockRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let value = if is_sensitive(name.as_str()) {
                    "[redacted]".to_string()
                } else {
                    String::from_utf8_lossy(value.as_bytes()).into_owned()
                };
                (name.to_string(), value)
            })
            .collect();
        let body = String::from_utf8_lossy(&self.body[..self.body.len().min(1024)]).into_owned();
        f.debug_struct("MockRequest")
            .field("request", &self.summary())
            .field("headers", &headers)
            .field("body_len", &self.body.len())
            .field("body", &body)
            .finish()
    }
}

/// One answer of the mock: status, headers, body, and how it is sent (after
/// a delay; or not at all, the connection dropped).
#[derive(Clone)]
pub struct Reply {
    status: StatusCode,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Bytes,
    delay: Option<Duration>,
    drop_connection: bool,
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reply")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .field("delay", &self.delay)
            .field("drop_connection", &self.drop_connection)
            .finish()
    }
}

impl Reply {
    /// `status` with no body. A status outside 100–999 becomes `500`.
    pub fn status(status: u16) -> Self {
        Reply {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            headers: Vec::new(),
            body: Bytes::new(),
            delay: None,
            drop_connection: false,
        }
    }

    /// `status` with `value` as JSON (`application/json`). A value serde
    /// cannot write as JSON (a map with non-string keys) becomes a `500`
    /// whose body says so.
    pub fn json(status: u16, value: &impl Serialize) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Reply::bytes(status, "application/json", body),
            Err(e) => Reply::bytes(500, "text/plain", format!("mock: the reply does not serialize as JSON: {e}")),
        }
    }

    /// `status` with a body of the given content type.
    pub fn bytes(status: u16, content_type: &str, body: impl Into<Bytes>) -> Self {
        let mut reply = Reply::status(status);
        reply.body = body.into();
        reply.header("content-type", content_type)
    }

    /// Adds a header; a name or value HTTP does not allow is left out.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            self.headers.push((name, value));
        }
        self
    }

    /// The status.
    pub fn status_code(&self) -> StatusCode {
        self.status
    }

    fn dropped() -> Self {
        Reply { drop_connection: true, ..Reply::status(500) }
    }
}

/// How a [`Route`] decodes a request (and its path parameters) into the
/// operation's view, or says which rule of the spec it breaks.
#[doc(hidden)]
pub type Decode = fn(&MockRequest, &[String]) -> Result<Box<dyn Any + Send>, String>;

/// One operation the mock serves: its name, method and path template, and
/// how a request is decoded into its typed view. Generated.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct Route {
    /// `operationId`.
    pub operation_id: &'static str,
    /// Upper-case method.
    pub method: &'static str,
    /// Path template as written in the spec.
    pub path: &'static str,
    /// The operation's security requirements, as the client reads them:
    /// alternatives, each a set of schemes all needed; empty for an anonymous
    /// operation (`security: []`); `None` when the spec declares none.
    pub security: Option<&'static [&'static [SecurityScheme]]>,
    /// The request decoded into the operation's view, or the violation.
    pub decode: Decode,
}

impl fmt::Debug for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.operation_id, self.method, self.path)
    }
}

/// An operation of a generated mock, implemented by generated code: the
/// typed view of its requests, its success body and its error enum.
pub trait MockOperation: 'static {
    /// What matchers see: path, query, header and cookie parameters in their
    /// types, the body in its type, and the [`MockRequest`] as received.
    type Request: Send + 'static;
    /// What [`Expectation::respond`] takes: the operation's success type.
    type Success;
    /// What [`Expectation::fail`] takes: the operation's error enum.
    type Error;
    /// Its route.
    const ROUTE: Route;
    /// The reply carrying a success body (the first documented 2xx status).
    fn success(body: Self::Success) -> Reply;
    /// The reply carrying a documented error: its status (a range's first
    /// code, `500` for `default` and `Other`) and its JSON body.
    fn error(error: Self::Error) -> Reply;
    /// What an expectation given no reply answers: the success reply of an
    /// operation whose success has no body; otherwise none, and such an
    /// expectation answers `500` and reports it.
    fn default_reply() -> Option<Reply> {
        None
    }
}

/// A token-paginated operation: what [`Expectation::respond_pages`] needs to
/// chain pages by their tokens. Generated where the next-page token is a
/// string field reached without optional steps.
pub trait MockPages: MockOperation {
    /// The page token the request asks for, if any.
    fn page_token(request: &Self::Request) -> Option<&str>;
    /// Sets the page's next-page token (`None` on the last page).
    fn set_next_page_token(page: &mut Self::Success, token: Option<String>);
}

/// A decoded view, erased: what a [`Route::decode`] returns.
#[doc(hidden)]
pub fn erase<T: Any + Send>(view: T) -> Box<dyn Any + Send> {
    Box::new(view)
}

/// A typed matcher, erased to the decoded view.
type Matcher = Box<dyn Fn(&(dyn Any + Send)) -> bool + Send + Sync>;

/// The server-side state of one expectation.
struct ExpectationState {
    route: Route,
    location: &'static Location<'static>,
    matchers: Vec<Matcher>,
    replies: Vec<Reply>,
    /// The answer when no reply was given ([`MockOperation::default_reply`]).
    fallback: Option<Reply>,
    /// With pages: the page a request asks for, from its token.
    page_of: Option<fn(&(dyn Any + Send)) -> Option<usize>>,
    times: Option<usize>,
    calls: usize,
    delay: Option<Duration>,
}

impl ExpectationState {
    fn label(&self) -> String {
        format!("{:?} set at {}", self.route, self.location)
    }

    /// How many calls it expects at least, and exactly with `times`.
    fn expected(&self) -> usize {
        self.times.unwrap_or(self.replies.len().max(1))
    }

    fn used_up(&self) -> bool {
        match (self.times, self.page_of) {
            (Some(times), _) => self.calls >= times,
            _ => false,
        }
    }
}

struct State {
    api: &'static str,
    routes: &'static [Route],
    /// Every scheme the routes' security names, and `Authorization` of both
    /// kinds: the credentials to look for (worked out once, at start).
    schemes: Vec<SecurityScheme>,
    expectations: Vec<ExpectationState>,
    problems: Vec<String>,
    received: Vec<MockRequest>,
    reported: bool,
}

type Shared = Arc<Mutex<State>>;

fn lock(shared: &Shared) -> MutexGuard<'_, State> {
    // A matcher that panicked poisoned the lock; the state is still whole.
    shared.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The server: a loopback port and the expectations set on it. Generated
/// mocks wrap it; see the module docs.
pub struct MockServer {
    shared: Shared,
    url: String,
    task: tokio::task::JoinHandle<()>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.shared);
        f.debug_struct("MockServer")
            .field("api", &state.api)
            .field("url", &self.url)
            .field("expectations", &state.expectations.len())
            .field("received", &state.received.len())
            .finish()
    }
}

impl MockServer {
    /// Binds `127.0.0.1` on a free port and serves `routes` of the API
    /// named `api` (in reports). Needs a tokio runtime.
    pub async fn start(api: &'static str, routes: &'static [Route]) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let address: SocketAddr = listener.local_addr()?;
        let mut schemes: Vec<SecurityScheme> = vec![SecurityScheme::Bearer, SecurityScheme::Basic];
        for scheme in routes.iter().flat_map(|r| r.security.unwrap_or_default().iter().flat_map(|all| all.iter())) {
            if !schemes.contains(scheme) {
                schemes.push(*scheme);
            }
        }
        let shared: Shared = Arc::new(Mutex::new(State {
            api,
            routes,
            schemes,
            expectations: Vec::new(),
            problems: Vec::new(),
            received: Vec::new(),
            reported: false,
        }));
        let task = tokio::spawn(accept(listener, shared.clone()));
        Ok(MockServer { shared, url: format!("http://{address}"), task })
    }

    /// `http://127.0.0.1:<port>`: the base URL to point a client at.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A new expectation for `Op`, which answers nothing until a reply is set.
    #[track_caller]
    pub fn expect<Op: MockOperation>(&self) -> Expectation<Op> {
        let location = Location::caller();
        let mut state = lock(&self.shared);
        state.expectations.push(ExpectationState {
            route: Op::ROUTE,
            location,
            matchers: Vec::new(),
            replies: Vec::new(),
            fallback: Op::default_reply(),
            page_of: None,
            times: None,
            calls: 0,
            delay: None,
        });
        let index = state.expectations.len() - 1;
        Expectation { shared: self.shared.clone(), index, operation: PhantomData }
    }

    /// Every request received so far, in order.
    pub fn received(&self) -> Vec<MockRequest> {
        lock(&self.shared).received.clone()
    }

    /// `Ok` when every expectation got its calls and every request matched
    /// one and kept to the spec; else every problem, one line each. After
    /// `verify`, dropping the server checks nothing more.
    pub fn verify(&self) -> Result<(), MockError> {
        let mut state = lock(&self.shared);
        state.reported = true;
        check(&state)
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
        let state = lock(&self.shared);
        // No second panic while a failing test unwinds (that would abort).
        if state.reported || std::thread::panicking() {
            return;
        }
        if let Err(error) = check(&state) {
            drop(state);
            panic!("{error}");
        }
    }
}

fn check(state: &State) -> Result<(), MockError> {
    let mut problems = Vec::new();
    for expectation in &state.expectations {
        let expected = expectation.expected();
        let calls = expectation.calls;
        let unmet = match expectation.times {
            Some(times) => calls != times,
            None => calls < expected,
        };
        if unmet {
            let how = if expectation.times.is_some() { "exactly" } else { "at least" };
            problems.push(format!(
                "unmet expectation {}: expected {how} {expected} call(s), got {calls}",
                expectation.label()
            ));
        }
    }
    problems.extend(state.problems.iter().cloned());
    if problems.is_empty() {
        Ok(())
    } else {
        Err(MockError { api: state.api, problems })
    }
}

/// What [`MockServer::verify`] found: unmet expectations, unmatched
/// requests and spec violations, one line each in `Display`.
#[derive(Debug, Clone)]
pub struct MockError {
    api: &'static str,
    problems: Vec<String>,
}

impl MockError {
    /// Each problem, in the order found (unmet expectations first).
    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}

impl fmt::Display for MockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mock of the {}: {} problem(s)", self.api, self.problems.len())?;
        for problem in &self.problems {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for MockError {}

/// An expectation on one operation, typed by it: what requests it matches,
/// how many, and what it answers. It is set on the server as soon as it is
/// created; each method updates it there.
pub struct Expectation<Op: MockOperation> {
    shared: Shared,
    index: usize,
    operation: PhantomData<fn() -> Op>,
}

impl<Op: MockOperation> fmt::Debug for Expectation<Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.with(|e| f.debug_struct("Expectation").field("at", &e.label()).field("calls", &e.calls).finish())
    }
}

impl<Op: MockOperation> Expectation<Op> {
    fn with<R>(&self, change: impl FnOnce(&mut ExpectationState) -> R) -> R {
        let mut state = lock(&self.shared);
        // The index came from this server's list, which only grows.
        match state.expectations.get_mut(self.index) {
            Some(expectation) => change(expectation),
            None => unreachable!("expectations are never removed"),
        }
    }

    fn push(self, mut reply: Reply) -> Self {
        self.with(|e| {
            reply.delay = reply.delay.or(e.delay);
            e.replies.push(reply);
        });
        self
    }

    /// Matches only requests for which `matcher` holds; several matchers
    /// must all hold. `matcher` sees the request decoded into the
    /// operation's types (`|req| req.body.name == "x"`).
    pub fn matching(self, matcher: impl Fn(&Op::Request) -> bool + Send + Sync + 'static) -> Self {
        let erased: Matcher =
            Box::new(move |view: &(dyn Any + Send)| view.downcast_ref::<Op::Request>().is_some_and(&matcher));
        self.with(|e| e.matchers.push(erased));
        self
    }

    /// Expects exactly `n` calls; after `n` it matches no more (a later
    /// expectation, or none, gets the request).
    pub fn times(self, n: usize) -> Self {
        self.with(|e| e.times = Some(n));
        self
    }

    /// Replies added after this wait `delay` before answering.
    pub fn delay(self, delay: Duration) -> Self {
        self.with(|e| e.delay = Some(delay));
        self
    }

    /// Answers with the operation's success body. Several replies answer
    /// calls in turn, the last repeating: `.respond_raw(503, "").respond(page)`
    /// fails the first call and answers every later one.
    pub fn respond(self, body: Op::Success) -> Self {
        self.push(Op::success(body))
    }

    /// Answers with a documented error of the operation (`GetAppError::NotFound(problem)`).
    pub fn fail(self, error: Op::Error) -> Self {
        self.push(Op::error(error))
    }

    /// Answers `status` with `body` as it is (`text/plain`).
    pub fn respond_raw(self, status: u16, body: impl Into<Bytes>) -> Self {
        self.push(Reply::bytes(status, "text/plain", body))
    }

    /// Answers `status` with `value` as JSON, whatever the spec says.
    pub fn respond_json(self, status: u16, value: &impl Serialize) -> Self {
        self.push(Reply::json(status, value))
    }

    /// Answers with `reply`.
    pub fn reply(self, reply: Reply) -> Self {
        self.push(reply)
    }

    /// Closes the connection without answering.
    pub fn drop_connection(self) -> Self {
        self.push(Reply::dropped())
    }

    /// How many requests it has answered so far.
    pub fn calls(&self) -> usize {
        self.with(|e| e.calls)
    }
}

impl<Op: MockPages> Expectation<Op> {
    /// Serves `pages` as one list the client's page stream follows: each
    /// page's next-page token is set to name the next page (none on the
    /// last), and a request gets the page its token names (the first without
    /// one). Expects each page to be fetched once.
    pub fn respond_pages(self, pages: Vec<Op::Success>) -> Self {
        let count = pages.len();
        for (i, mut page) in pages.into_iter().enumerate() {
            let next = (i + 1 < count).then(|| format!("page-{}", i + 1));
            Op::set_next_page_token(&mut page, next);
            let reply = Op::success(page);
            self.with(|e| {
                let delay = e.delay;
                e.replies.push(Reply { delay, ..reply });
            });
        }
        self.with(|e| {
            e.page_of = Some(page_of::<Op>);
            e.times = Some(count);
        });
        self
    }
}

fn page_of<Op: MockPages>(view: &(dyn Any + Send)) -> Option<usize> {
    let request = view.downcast_ref::<Op::Request>()?;
    match Op::page_token(request) {
        None => Some(0),
        Some(token) => token.strip_prefix("page-")?.parse().ok(),
    }
}

// Decoding helpers the generated views call.

/// `Some(value)` or the missing-parameter violation.
#[doc(hidden)]
pub fn required<T>(value: Option<T>, location: &str, name: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("the required {location} parameter `{name}` is missing"))
}

/// One parameter value decoded into `T`: as a JSON string first (strings,
/// enums, dates), then as JSON text (numbers, booleans).
#[doc(hidden)]
pub fn param<T: DeserializeOwned>(location: &str, name: &str, text: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .or_else(|_| serde_json::from_str(text))
        .map_err(|e| format!("the {location} parameter `{name}` = {text:?} is not of its type: {e}"))
}

/// A query parameter: `None` when absent; repeated values are an error for
/// a single value.
#[doc(hidden)]
pub fn query<T: DeserializeOwned>(request: &MockRequest, name: &str) -> Result<Option<T>, String> {
    match request.query_values(name).as_slice() {
        [] => Ok(None),
        [one] => param("query", name, one).map(Some),
        _ => Err(format!("the query parameter `{name}` is sent more than once")),
    }
}

/// A list query parameter: each value (exploded), or each value split on
/// `delimiter`.
#[doc(hidden)]
pub fn query_list<T: DeserializeOwned>(
    request: &MockRequest,
    name: &str,
    delimiter: Option<char>,
) -> Result<Option<Vec<T>>, String> {
    let values = request.query_values(name);
    if values.is_empty() {
        return Ok(None);
    }
    split(values, delimiter).map(|text| param("query", name, text)).collect::<Result<_, _>>().map(Some)
}

fn split(values: Vec<&str>, delimiter: Option<char>) -> impl Iterator<Item = &str> {
    values.into_iter().flat_map(move |value| match delimiter {
        Some(d) => value.split(d).collect::<Vec<_>>(),
        None => vec![value],
    })
}

fn header_text<'a>(request: &'a MockRequest, name: &str) -> Result<Option<&'a str>, String> {
    match request.headers.get(name) {
        None => Ok(None),
        Some(value) => {
            value.to_str().map(Some).map_err(|_| format!("the header parameter `{name}` is not visible ASCII"))
        }
    }
}

/// A header parameter.
#[doc(hidden)]
pub fn header<T: DeserializeOwned>(request: &MockRequest, name: &str) -> Result<Option<T>, String> {
    header_text(request, name)?.map(|text| param("header", name, text.trim())).transpose()
}

/// A list header parameter (comma-separated).
#[doc(hidden)]
pub fn header_list<T: DeserializeOwned>(request: &MockRequest, name: &str) -> Result<Option<Vec<T>>, String> {
    let Some(text) = header_text(request, name)? else { return Ok(None) };
    text.split(',').map(|item| param("header", name, item.trim())).collect::<Result<_, _>>().map(Some)
}

/// A cookie parameter (from the `Cookie` headers).
#[doc(hidden)]
pub fn cookie<T: DeserializeOwned>(request: &MockRequest, name: &str) -> Result<Option<T>, String> {
    cookie_text(request, name).map(|value| param("cookie", name, value)).transpose()
}

/// The first value of cookie `name` in the `Cookie` headers.
fn cookie_text<'a>(request: &'a MockRequest, name: &str) -> Option<&'a str> {
    request.headers.get_all("cookie").iter().filter_map(|value| value.to_str().ok()).find_map(|text| {
        text.split(';').find_map(|pair| pair.trim().split_once('=').filter(|(key, _)| *key == name).map(|(_, v)| v))
    })
}

/// A path parameter, percent-decoded.
#[doc(hidden)]
pub fn path<T: DeserializeOwned>(params: &[String], index: usize, name: &str) -> Result<T, String> {
    let text = params.get(index).ok_or_else(|| format!("the path parameter `{name}` is missing"))?;
    param("path", name, text)
}

/// A JSON body decoded into `T`; `None` when the body is empty.
#[doc(hidden)]
pub fn json_body<T: DeserializeOwned>(request: &MockRequest) -> Result<Option<T>, String> {
    if request.body.is_empty() {
        return Ok(None);
    }
    let mut decoder = serde_json::Deserializer::from_slice(&request.body);
    serde_path_to_error::deserialize(&mut decoder).map(Some).map_err(|e| {
        let path = e.path().to_string();
        format!("the body does not decode into its type at `{path}`: {}", e.into_inner())
    })
}

/// A form body decoded into `T`; `None` when the body is empty.
#[doc(hidden)]
pub fn form_body<T: DeserializeOwned>(request: &MockRequest) -> Result<Option<T>, String> {
    if request.body.is_empty() {
        return Ok(None);
    }
    serde_urlencoded::from_bytes(&request.body)
        .map(Some)
        .map_err(|e| format!("the form body does not decode into its type: {e}"))
}

/// A text body.
#[doc(hidden)]
pub fn text_body(request: &MockRequest) -> Result<Option<String>, String> {
    if request.body.is_empty() {
        return Ok(None);
    }
    String::from_utf8(request.body.to_vec()).map(Some).map_err(|_| "the text body is not UTF-8".to_string())
}

/// A `validate()` result as a violation.
#[doc(hidden)]
pub fn validated<E: fmt::Display>(result: Result<(), E>) -> Result<(), String> {
    result.map_err(|e| format!("the body breaks a constraint of the spec: {e}"))
}

// The server.

async fn accept(listener: TcpListener, shared: Shared) {
    let mut connections = tokio::task::JoinSet::new();
    while let Ok((stream, _)) = listener.accept().await {
        while connections.try_join_next().is_some() {}
        connections.spawn(serve(stream, shared.clone()));
    }
}

async fn serve(mut stream: TcpStream, shared: Shared) {
    let mut buffer = Vec::new();
    loop {
        let request = match read_request(&mut stream, &mut buffer).await {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(message) => {
                let reply = Reply::bytes(400, "text/plain", format!("mock: {message}"));
                let _ = write_reply(&mut stream, &reply, false).await;
                return;
            }
        };
        let close = request
            .headers
            .get("connection")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let head = request.method == "HEAD";
        let reply = answer(&shared, request);
        if let Some(delay) = reply.delay {
            tokio::time::sleep(delay).await;
        }
        if reply.drop_connection || write_reply(&mut stream, &reply, head).await.is_err() || close {
            return;
        }
    }
}

/// The next request on the connection; `None` when the client closed it.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<Option<MockRequest>, String> {
    let head_end = loop {
        if let Some(end) = find(buffer, b"\r\n\r\n") {
            break end;
        }
        if buffer.len() > MAX_HEAD {
            return Err("request head too large".into());
        }
        if !fill(stream, buffer).await? {
            return if buffer.is_empty() { Ok(None) } else { Err("connection closed mid-request".into()) };
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    buffer.drain(..head_end + 4);
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(target)) = (first.next(), first.next()) else {
        return Err("malformed request line".into());
    };
    let mut headers = HeaderMap::new();
    for line in lines {
        let (name, value) = line.split_once(':').ok_or("malformed header line")?;
        let name = HeaderName::try_from(name.trim()).map_err(|_| "malformed header name")?;
        let value = HeaderValue::try_from(value.trim()).map_err(|_| "malformed header value")?;
        headers.append(name, value);
    }
    let chunked = headers
        .get("transfer-encoding")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let body = if chunked {
        read_chunked(stream, buffer).await?
    } else {
        let length = match headers.get("content-length") {
            Some(value) => {
                value.to_str().ok().and_then(|v| v.trim().parse::<usize>().ok()).ok_or("bad content-length")?
            }
            None => 0,
        };
        if length > MAX_BODY {
            return Err("request body too large".into());
        }
        read_exact(stream, buffer, length).await?
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query = url::form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    Ok(Some(MockRequest { method: method.to_string(), path: path.to_string(), query, headers, body }))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// Reads more bytes; `false` at end of stream.
async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<bool, String> {
    let mut chunk = [0u8; 8192];
    let read = stream.read(&mut chunk).await.map_err(|e| format!("read failed: {e}"))?;
    buffer.extend_from_slice(&chunk[..read]);
    Ok(read > 0)
}

async fn read_exact(stream: &mut TcpStream, buffer: &mut Vec<u8>, length: usize) -> Result<Bytes, String> {
    while buffer.len() < length {
        if !fill(stream, buffer).await? {
            return Err("connection closed mid-body".into());
        }
    }
    Ok(Bytes::from(buffer.drain(..length).collect::<Vec<u8>>()))
}

async fn read_chunked(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<Bytes, String> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(end) = find(buffer, b"\r\n") {
                break end;
            }
            if !fill(stream, buffer).await? {
                return Err("connection closed mid-chunk".into());
            }
        };
        let size_text = String::from_utf8_lossy(&buffer[..line_end]).into_owned();
        buffer.drain(..line_end + 2);
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| "bad chunk size")?;
        if body.len() + size > MAX_BODY {
            return Err("request body too large".into());
        }
        let chunk = read_exact(stream, buffer, size + 2).await?;
        if size == 0 {
            // The last chunk; trailers are not supported.
            return Ok(Bytes::from(body));
        }
        body.extend_from_slice(&chunk[..size]);
    }
}

async fn write_reply(stream: &mut TcpStream, reply: &Reply, head: bool) -> std::io::Result<()> {
    let reason = reply.status.canonical_reason().unwrap_or("");
    let mut out =
        format!("HTTP/1.1 {} {reason}\r\ncontent-length: {}\r\n", reply.status.as_u16(), reply.body.len()).into_bytes();
    for (name, value) in &reply.headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    if !head {
        out.extend_from_slice(&reply.body);
    }
    stream.write_all(&out).await?;
    stream.flush().await
}

/// The path parameters of `path` under `template`, percent-decoded, and how
/// many segments matched literally; `None` when it does not match.
fn match_template(template: &str, path: &str) -> Option<(Vec<String>, usize)> {
    let template: Vec<&str> = template.trim_start_matches('/').split('/').collect();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if template.len() != segments.len() {
        return None;
    }
    let mut params = Vec::new();
    let mut literal = 0;
    for (pattern, segment) in template.iter().zip(&segments) {
        match (pattern.find('{'), pattern.rfind('}')) {
            (Some(open), Some(close)) if open < close => {
                let (prefix, suffix) = (&pattern[..open], &pattern[close + 1..]);
                let value = segment.strip_prefix(prefix)?.strip_suffix(suffix)?;
                if value.is_empty() {
                    return None;
                }
                params.push(percent_encoding::percent_decode_str(value).decode_utf8_lossy().into_owned());
            }
            _ if pattern == segment => literal += 1,
            _ => return None,
        }
    }
    Some((params, literal))
}

/// Whether `request` carries the credential of `scheme` (a header, query
/// parameter or cookie of its name, or `Authorization` of its kind).
fn carries(request: &MockRequest, scheme: &SecurityScheme) -> bool {
    let authorization = request.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
    match scheme {
        SecurityScheme::Bearer => authorization.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("bearer ")),
        SecurityScheme::Basic => authorization.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("basic ")),
        SecurityScheme::ApiKeyHeader(name) => request.headers.contains_key(*name),
        SecurityScheme::ApiKeyQuery(name) => request.query.iter().any(|(key, _)| key == name),
        SecurityScheme::ApiKeyCookie(name) => cookie_text(request, name).is_some(),
    }
}

/// A credential sent where the operation's security does not take it: any
/// to an anonymous operation (`security: []`), or one that none of the
/// operation's alternatives names. `schemes` are the credentials to look
/// for (`State::schemes`). A request without credentials passes: a test
/// client need not have any.
fn credential_violation(route: &Route, request: &MockRequest, schemes: &[SecurityScheme]) -> Option<String> {
    let alternatives = route.security?;
    let accepted =
        |scheme: &SecurityScheme| alternatives.iter().flat_map(|all| all.iter()).any(|wanted| wanted == scheme);
    let stray = schemes.iter().find(|scheme| carries(request, scheme) && !accepted(scheme))?;
    let what = match stray {
        SecurityScheme::Bearer => "a bearer token".to_string(),
        SecurityScheme::Basic => "basic credentials".to_string(),
        SecurityScheme::ApiKeyHeader(name) => format!("the API key header `{name}`"),
        SecurityScheme::ApiKeyQuery(name) => format!("the API key query parameter `{name}`"),
        SecurityScheme::ApiKeyCookie(name) => format!("the API key cookie `{name}`"),
    };
    Some(if alternatives.is_empty() {
        format!("sends {what} to an operation the spec marks anonymous (`security: []`)")
    } else {
        format!("sends {what}, which the operation's security does not take")
    })
}

/// What the mock answers `request`, and what it records.
fn answer(shared: &Shared, request: MockRequest) -> Reply {
    let mut state = lock(shared);
    state.received.push(request.clone());
    let summary = request.summary();
    let found = state
        .routes
        .iter()
        .filter(|route| route.method.eq_ignore_ascii_case(&request.method))
        .filter_map(|route| match_template(route.path, &request.path).map(|(params, literal)| (route, params, literal)))
        .max_by_key(|(_, _, literal)| *literal);
    let Some((route, params, _)) = found else {
        let message = format!("unmatched request {summary}: {}", no_route(&state, &request));
        state.problems.push(message.clone());
        return Reply::bytes(501, "text/plain", format!("mock: {message}"));
    };
    let route = *route;
    // Credentials first, then the parameters and body: either way a violation.
    let checked =
        credential_violation(&route, &request, &state.schemes).map_or_else(|| (route.decode)(&request, &params), Err);
    let view = match checked {
        Ok(view) => view,
        Err(violation) => {
            let message = format!("request {summary} breaks the spec of {route:?}: {violation}");
            state.problems.push(message.clone());
            return Reply::bytes(400, "text/plain", format!("mock: {message}"));
        }
    };
    // The closest miss: all matchers held but the calls are used up, then all
    // held but the page is unknown, then the most leading matchers held.
    let mut closest: Option<((u8, usize), String)> = None;
    let mut chosen = None;
    let mut panics = Vec::new();
    for (index, expectation) in state.expectations.iter().enumerate() {
        if expectation.route.operation_id != route.operation_id {
            continue;
        }
        let mut held = 0;
        for (number, matcher) in expectation.matchers.iter().enumerate() {
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| matcher(view.as_ref()))) {
                Ok(true) => held += 1,
                Ok(false) => break,
                Err(payload) => {
                    let text = payload
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    panics.push(format!(
                        "matcher #{} of {} panicked on {summary}: {text}",
                        number + 1,
                        expectation.label()
                    ));
                    break;
                }
            }
        }
        let total = expectation.matchers.len();
        let (score, note) = if held < total {
            let note =
                format!("{}: its matcher #{} returned false ({held} of {total} held)", expectation.label(), held + 1);
            ((1, held), note)
        } else if expectation.used_up() {
            let note = format!(
                "{} matches, but was already called {} time(s), its `times`",
                expectation.label(),
                expectation.calls
            );
            ((3, 0), note)
        } else {
            match expectation.page_of.map(|page_of| page_of(view.as_ref())) {
                Some(None) => {
                    ((2, 0), format!("{}: the page token is not one the mock handed out", expectation.label()))
                }
                Some(Some(page)) if page >= expectation.replies.len() => {
                    ((2, 0), format!("{}: there is no page {page}", expectation.label()))
                }
                page => {
                    chosen = Some((index, page.flatten()));
                    break;
                }
            }
        };
        if closest.as_ref().is_none_or(|(best, _)| score > *best) {
            closest = Some((score, note));
        }
    }
    state.problems.extend(panics);
    let closest = closest.map(|(_, note)| note);
    let Some((index, page)) = chosen else {
        let reason = match closest {
            Some(note) => format!("closest expectation: {note}"),
            None => format!("no expectation is set for {route:?}{}", others(&state)),
        };
        let message = format!("unmatched request {summary}: {reason}");
        state.problems.push(message.clone());
        return Reply::bytes(501, "text/plain", format!("mock: {message}"));
    };
    let expectation = &mut state.expectations[index];
    expectation.calls += 1;
    let turn = page.unwrap_or(expectation.calls - 1);
    let fallback = expectation.fallback.clone().map(|reply| Reply { delay: expectation.delay, ..reply });
    match expectation.replies.get(turn).or(expectation.replies.last()).cloned().or(fallback) {
        Some(reply) => reply,
        None => {
            let message =
                format!("{} matched {summary} but has no reply (respond, fail, respond_raw…)", expectation.label());
            state.problems.push(message.clone());
            Reply::bytes(500, "text/plain", format!("mock: {message}"))
        }
    }
}

/// `; expectations are set for a, b`, or nothing.
fn others(state: &State) -> String {
    let mut names: Vec<String> = Vec::new();
    for expectation in &state.expectations {
        let name = format!("{:?}", expectation.route);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if names.is_empty() {
        String::new()
    } else {
        format!("; expectations are set for {}", names.join(", "))
    }
}

/// Why no operation serves the request, naming the nearest one.
fn no_route(state: &State, request: &MockRequest) -> String {
    let segments: Vec<&str> = request.path.trim_start_matches('/').split('/').collect();
    let score = |route: &Route| {
        let template: Vec<&str> = route.path.trim_start_matches('/').split('/').collect();
        let shared = template.iter().zip(&segments).take_while(|(t, s)| t == s || t.starts_with('{')).count();
        let same_length = usize::from(template.len() == segments.len());
        let same_method = usize::from(route.method.eq_ignore_ascii_case(&request.method));
        (shared, same_length, same_method)
    };
    let nearest = state.routes.iter().max_by_key(|route| score(route));
    match nearest {
        Some(route) => {
            format!("no operation of the {} is `{} {}`; closest: {route:?}", state.api, request.method, request.path)
        }
        None => format!("the {} has no operations", state.api),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_segments_and_decode_parameters() {
        assert_eq!(match_template("/apps/{org}/{app}", "/apps/o/a%20b"), Some((vec!["o".into(), "a b".into()], 1)));
        assert_eq!(match_template("/apps/{org}/new", "/apps/o/new"), Some((vec!["o".into()], 2)));
        assert_eq!(match_template("/apps/{org}", "/apps/o/x"), None);
        assert_eq!(match_template("/apps/{org}", "/apps/"), None);
        assert_eq!(match_template("/files/{name}.json", "/files/a.json"), Some((vec!["a".into()], 1)));
    }

    #[test]
    fn parameters_decode_as_strings_then_as_json() {
        assert_eq!(param::<String>("query", "q", "5").unwrap(), "5");
        assert_eq!(param::<i32>("query", "q", "5").unwrap(), 5);
        assert!(param::<bool>("query", "q", "yes").unwrap_err().contains("`q` = \"yes\""));
    }

    #[test]
    fn debug_redacts_credentials() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_static("Bearer s3cret"));
        let request = MockRequest {
            method: "GET".into(),
            path: "/a".into(),
            query: vec![("api_key".into(), "k3y".into()), ("limit".into(), "2".into())],
            headers,
            body: Bytes::new(),
        };
        let text = format!("{request:?}");
        assert!(!text.contains("s3cret") && !text.contains("k3y") && text.contains("limit=2"), "{text}");
    }
}
