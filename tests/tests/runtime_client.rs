//! Loopback tests of the hand-written runtime: credentials, URLs, headers,
//! configuration errors, decoding, API errors and secret redaction.

use std::collections::BTreeMap;
use std::error::Error as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use api_clients::runtime::__private::{
    api_error, decode_bytes, decode_json, decode_text, error_body, is_json_content_type, path_segment, Body, Request,
};
use api_clients::runtime::{
    ClientBuilder, Core, Error, ErrorKind, OperationError, RawResponse, RetryPolicy, SecurityScheme,
    API_ERROR_BODY_LIMIT,
};
use axum::extract::{Path, Request as AxumRequest};
use axum::http::StatusCode as AxumStatus;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use bytes::Bytes;
use integration_tests::{serve, TestClient};
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const TOKEN: &str = "tok-SECRET-7f3a";
const PASSWORD: &str = "pw-SECRET-91bc";
const API_KEY: &str = "key-SECRET-5d2e";

fn builder(base: &str, schemes: &'static [SecurityScheme]) -> ClientBuilder<TestClient> {
    ClientBuilder::new(base, schemes).retry(RetryPolicy::disabled())
}

fn get_request(path: &str) -> Request {
    Request::new("testOp", Method::GET, "/test/{id}", path.to_owned())
}

/// Answers any request with what it received.
async fn echo(request: AxumRequest) -> Json<Value> {
    let headers: BTreeMap<String, String> = request
        .headers()
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_owned(), value)
        })
        .collect();
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let body = axum::body::to_bytes(request.into_body(), 1 << 20).await.unwrap_or_default();
    Json(json!({
        "method": method,
        "path": path,
        "query": query,
        "headers": headers,
        "body": String::from_utf8_lossy(&body),
    }))
}

async fn echo_server() -> String {
    serve(Router::new().fallback(echo)).await
}

async fn call(client: &TestClient, request: Request) -> Value {
    let raw = client.0.execute(request).await.expect("request succeeds");
    assert_eq!(raw.status, StatusCode::OK);
    decode_json(&raw).expect("echo body is json")
}

#[tokio::test]
async fn bearer_token_user_agent_default_and_request_headers() {
    let base = echo_server().await;
    let client = builder(&base, &[SecurityScheme::Bearer])
        .bearer_token(TOKEN)
        .default_header("X-Team", "blue")
        .default_header("X-Override", "default")
        .build()
        .expect("valid config");
    let mut request = get_request("/things");
    request.header("X-Override", "request");
    request.header("X-Multi", 1);
    request.header("X-Multi", 2);
    request.accept = Some("application/json");
    let seen = call(&client, request).await;
    let headers = &seen["headers"];
    assert_eq!(headers["authorization"], format!("Bearer {TOKEN}"));
    assert_eq!(headers["user-agent"], api_clients::runtime::DEFAULT_USER_AGENT);
    assert_eq!(headers["x-team"], "blue");
    assert_eq!(headers["x-override"], "request");
    assert_eq!(headers["accept"], "application/json");
    assert_eq!(seen["method"], "GET");
    assert_eq!(seen["path"], "/things");

    assert!(api_clients::runtime::DEFAULT_USER_AGENT.starts_with("oapi-runtime/"));

    // A generated client names its own crate, not the runtime's.
    let client = api_clients::apono::Client::builder().base_url(&base).build().expect("valid config");
    let raw = client.core().execute(get_request("/")).await.expect("request succeeds");
    let seen: Value = decode_json(&raw).expect("echo body is json");
    assert_eq!(seen["headers"]["user-agent"], "api-clients/0.1.0");

    // A custom user agent.
    let client = builder(&base, &[]).user_agent("my-tool/1.0").build().expect("valid config");
    let seen = call(&client, get_request("/")).await;
    assert_eq!(seen["headers"]["user-agent"], "my-tool/1.0");
    assert!(seen["headers"].get("authorization").is_none());
}

#[tokio::test]
async fn basic_auth_header() {
    let base = echo_server().await;
    let client = builder(&base, &[SecurityScheme::Basic]).basic_auth("user", "pass").build().expect("valid config");
    let seen = call(&client, get_request("/")).await;
    assert_eq!(seen["headers"]["authorization"], "Basic dXNlcjpwYXNz");
}

#[tokio::test]
async fn api_key_in_header_query_and_cookie() {
    let base = echo_server().await;

    let client = builder(&base, &[SecurityScheme::Bearer, SecurityScheme::ApiKeyHeader("X-Api-Key")])
        .api_key(API_KEY)
        .build()
        .expect("valid config");
    let seen = call(&client, get_request("/")).await;
    assert_eq!(seen["headers"]["x-api-key"], API_KEY);

    let client =
        builder(&base, &[SecurityScheme::ApiKeyQuery("api_key")]).api_key(API_KEY).build().expect("valid config");
    let mut request = get_request("/search");
    request.query("q", "a b&c");
    request.query("limit", 5);
    let seen = call(&client, request).await;
    assert_eq!(seen["query"], format!("q=a+b%26c&limit=5&api_key={API_KEY}"));

    let client =
        builder(&base, &[SecurityScheme::ApiKeyCookie("session")]).api_key(API_KEY).build().expect("valid config");
    let seen = call(&client, get_request("/")).await;
    assert_eq!(seen["headers"]["cookie"], format!("session={API_KEY}"));
}

#[tokio::test]
async fn base_url_with_path_prefix_and_trailing_slash() {
    let base = echo_server().await;
    for prefix in ["/consumer-api", "/consumer-api/", "/consumer-api//"] {
        let client = builder(&format!("{base}{prefix}"), &[]).build().expect("valid config");
        assert_eq!(client.0.base_url().path(), "/consumer-api");
        let seen = call(&client, get_request("/orgs/acme/apps")).await;
        assert_eq!(seen["path"], "/consumer-api/orgs/acme/apps");
    }
    // Host only, with or without a slash.
    for base_url in [base.clone(), format!("{base}/")] {
        let client = builder(&base_url, &[]).build().expect("valid config");
        let seen = call(&client, get_request("/orgs")).await;
        assert_eq!(seen["path"], "/orgs");
    }
    // The default base URL is used unless overridden.
    let client = ClientBuilder::<TestClient>::new("http://default.invalid/v1", &[])
        .base_url(format!("{base}/v2"))
        .build()
        .expect("valid config");
    assert_eq!(call(&client, get_request("/x")).await["path"], "/v2/x");
}

#[tokio::test]
async fn path_segments_round_trip_as_one_segment() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = Router::new().route("/prefix/items/{id}/tail", get(|Path(id): Path<String>| async move { id })).fallback(
        move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { AxumStatus::NOT_FOUND }
        },
    );
    let base = serve(app).await;
    let client = builder(&format!("{base}/prefix"), &[]).build().expect("valid config");
    let values = [
        "a/b",
        "what?x=1",
        "frag#ment",
        "100%",
        "%2F",
        "with space",
        "../etc",
        "a/../b",
        "...",
        "é",
        "日本",
        "a/../b?c#d%e f é",
        "+&=;,:@!$'()*",
    ];
    for value in values {
        let path = format!("/items/{}/tail", path_segment(value));
        let raw = client.0.execute(get_request(&path)).await.expect("request succeeds");
        assert_eq!(raw.status, StatusCode::OK, "value {value:?}");
        assert_eq!(decode_text(&raw).expect("utf-8"), value);
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0);

    // `.` and `..` alone cannot be sent: URL normalization would remove them.
    for value in [".", ".."] {
        let path = format!("/items/{}/tail", path_segment(value));
        let err = client.0.execute(get_request(&path)).await.expect_err("rejected");
        assert!(matches!(err.kind(), ErrorKind::InvalidRequest { .. }), "{err:?}");
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0, "nothing was sent");
}

#[tokio::test]
async fn bodies_are_sent_with_their_content_type() {
    let base = echo_server().await;
    let client = builder(&base, &[]).build().expect("valid config");

    let mut request = Request::new("create", Method::POST, "/things", "/things".to_owned());
    request.body = Body::json(&json!({"name": "x"})).expect("serializable");
    let seen = call(&client, request).await;
    assert_eq!(seen["headers"]["content-type"], "application/json");
    assert_eq!(seen["body"], r#"{"name":"x"}"#);

    let mut request = Request::new("create", Method::POST, "/things", "/things".to_owned());
    request.body = Body::form(&[("a", "1 2"), ("b", "&")]).expect("serializable");
    let seen = call(&client, request).await;
    assert_eq!(seen["headers"]["content-type"], "application/x-www-form-urlencoded");
    assert_eq!(seen["body"], "a=1+2&b=%26");

    let mut request = Request::new("upload", Method::PUT, "/blob", "/blob".to_owned());
    request.body = Body::bytes("application/octet-stream", Bytes::from_static(b"raw"));
    let seen = call(&client, request).await;
    assert_eq!(seen["headers"]["content-type"], "application/octet-stream");
    assert_eq!(seen["body"], "raw");

    // A map with non-string keys cannot be JSON: an error, not a panic.
    let bad: BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into_iter().collect();
    let err = Body::json(&bad).expect_err("not serializable");
    assert!(matches!(err.kind(), ErrorKind::Encode(_)));
    assert!(err.source().is_some());
}

#[tokio::test]
async fn invalid_request_headers_are_rejected_before_sending() {
    let base = echo_server().await;
    let client = builder(&base, &[]).build().expect("valid config");
    let mut request = get_request("/");
    request.header("X-Bad", "line\nbreak");
    let err = client.0.execute(request).await.expect_err("invalid value");
    match err.kind() {
        ErrorKind::InvalidRequest { field, .. } => assert_eq!(field, "X-Bad"),
        other => panic!("unexpected {other:?}"),
    }
    assert!(!err.to_string().contains("line"));

    let mut request = get_request("/");
    request.header("Bad Name", "v");
    let err = client.0.execute(request).await.expect_err("invalid name");
    assert!(matches!(err.kind(), ErrorKind::InvalidRequest { .. }));

    let err = client.0.execute(get_request("no-leading-slash")).await.expect_err("invalid path");
    assert!(matches!(err.kind(), ErrorKind::InvalidRequest { .. }));
}

#[test]
fn configuration_errors_are_errors_not_panics() {
    let cases: Vec<(&str, ClientBuilder<TestClient>)> = vec![
        ("relative url", builder("not a url", &[])),
        ("ftp", builder("ftp://example.com", &[])),
        ("mailto", builder("mailto:someone@example.com", &[])),
        ("credentials", builder(&format!("http://user:{PASSWORD}@example.com"), &[])),
        ("query", builder("http://example.com/api?x=1", &[])),
        ("header name", builder("http://example.com", &[]).default_header("bad name", "v")),
        ("header value", builder("http://example.com", &[]).default_header("X-Ok", "a\r\nb")),
        ("user agent", builder("http://example.com", &[]).user_agent("a\nb")),
        ("bearer and basic", builder("http://example.com", &[]).bearer_token(TOKEN).basic_auth("u", PASSWORD)),
        ("api key without scheme", builder("http://example.com", &[SecurityScheme::Bearer]).api_key(API_KEY)),
        ("bearer token with newline", builder("http://example.com", &[]).bearer_token(format!("{TOKEN}\n"))),
        (
            "api key with newline",
            builder("http://example.com", &[SecurityScheme::ApiKeyHeader("X-Key")]).api_key(format!("{API_KEY}\n")),
        ),
    ];
    for (name, case) in cases {
        let debug = format!("{case:?}");
        assert_no_secret(&debug);
        let err = match case.build() {
            Ok(_) => panic!("{name}: expected an error"),
            Err(err) => err,
        };
        assert!(matches!(err.kind(), ErrorKind::Config(_)), "{name}: {err:?}");
        assert_no_secret(&format!("{err} {err:?}"));
    }
}

fn assert_no_secret(text: &str) {
    for secret in [TOKEN, PASSWORD, API_KEY] {
        assert!(!text.contains(secret), "secret leaked in {text}");
    }
}

#[tokio::test]
async fn secrets_never_appear_in_debug_or_display() {
    let base = echo_server().await;
    let builder = builder(&base, &[SecurityScheme::ApiKeyQuery("api_key")])
        .bearer_token(TOKEN)
        .api_key(API_KEY)
        .default_header("X-Client-Secret", PASSWORD)
        .client_param("X-IBM-Client-Secret", PASSWORD);
    let debug = format!("{builder:?}");
    assert_no_secret(&debug);
    assert!(debug.contains("[redacted]"));

    let client = builder.build().expect("valid config");
    assert_eq!(client.0.client_param("X-IBM-Client-Secret"), Some(PASSWORD));
    assert_eq!(client.0.client_param("missing"), None);
    assert_no_secret(&format!("{:?}", client.0));

    let mut request = get_request("/");
    request.header("X-IBM-Client-Secret", PASSWORD);
    request.query("client_secret", PASSWORD);
    assert_no_secret(&format!("{request:?}"));

    // A transport error whose URL carried the API key in the query.
    let dead = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        drop(listener);
        format!("http://{addr}")
    };
    let client = ClientBuilder::<TestClient>::new(&dead, &[SecurityScheme::ApiKeyQuery("api_key")])
        .retry(RetryPolicy::disabled())
        .bearer_token(TOKEN)
        .api_key(API_KEY)
        .build()
        .expect("valid config");
    let err = client.0.execute(get_request("/")).await.expect_err("refused");
    assert!(matches!(err.kind(), ErrorKind::Transport(_)), "{err:?}");
    let mut chain = format!("{err} {err:?}");
    let mut source = err.source();
    while let Some(cause) = source {
        chain.push_str(&format!(" {cause} {cause:?}"));
        source = cause.source();
    }
    assert_no_secret(&chain);

    assert_eq!(format!("{:?}", api_clients::runtime::Secret::new(TOKEN)), "Secret([redacted])");
}

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Listing {
    items: Vec<Item>,
}

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Item {
    id: u32,
}

fn raw(status: u16, body: impl Into<Bytes>) -> RawResponse {
    RawResponse::new(StatusCode::from_u16(status).expect("valid status"), HeaderMap::new(), body.into())
}

#[test]
fn decode_errors_name_the_json_path_and_keep_a_bounded_snippet() {
    let ok: Listing = decode_json(&raw(200, r#"{"items":[{"id":1}]}"#)).expect("valid");
    assert_eq!(ok.items, vec![Item { id: 1 }]);

    let err = decode_json::<Listing>(&raw(200, r#"{"items":[{"id":1},{"id":"x"}]}"#)).expect_err("wrong type");
    assert_eq!(err.to_string(), "failed to decode response body at `items[1].id`");
    assert_eq!(err.status(), Some(StatusCode::OK));
    let source = err.source().expect("chained");
    assert!(source.downcast_ref::<serde_json::Error>().is_some());
    match err.kind() {
        ErrorKind::Decode(decode) => {
            assert_eq!(decode.path, "items[1].id");
            assert!(decode.snippet.starts_with(r#"{"items""#));
        }
        other => panic!("unexpected {other:?}"),
    }

    // Malformed and large: the snippet stays bounded.
    let mut body = String::from(r#"{"items":[{"id":1},"#);
    body.push_str(&"é".repeat(10_000));
    let err = decode_json::<Listing>(&raw(200, body)).expect_err("malformed");
    match err.kind() {
        ErrorKind::Decode(decode) => {
            assert!(decode.snippet.len() <= 1024, "{}", decode.snippet.len());
            assert!(!decode.snippet.contains('\u{FFFD}'));
            assert_eq!(decode.path, "items[1]");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(!err.to_string().contains('é'));

    // Trailing garbage is an error too.
    assert!(decode_json::<Item>(&raw(200, r#"{"id":1} x"#)).is_err());

    // An empty body decodes as `null`.
    assert_eq!(decode_json::<Option<Item>>(&raw(204, "")).expect("null"), None);
    decode_json::<()>(&raw(204, "  ")).expect("unit");
    let err = decode_json::<Item>(&raw(200, "")).expect_err("required");
    assert!(matches!(err.kind(), ErrorKind::Decode(_)));

    assert_eq!(decode_text(&raw(200, "héllo")).expect("utf-8"), "héllo");
    let err = decode_text(&raw(200, &b"ab\xffcd"[..])).expect_err("invalid utf-8");
    assert!(matches!(err.kind(), ErrorKind::Decode(_)));
    assert_eq!(decode_bytes(&raw(200, "xyz")), Bytes::from_static(b"xyz"));
}

#[test]
fn json_content_types() {
    let mut headers = HeaderMap::new();
    assert!(!is_json_content_type(&headers));
    for (value, expected) in [
        ("application/json", true),
        ("application/json; charset=utf-8", true),
        ("Application/JSON", true),
        ("application/problem+json", true),
        ("application/vnd.api+json;v=2", true),
        ("text/html", false),
        ("application/jsonx", false),
        ("+json", false),
    ] {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(value));
        assert_eq!(is_json_content_type(&headers), expected, "{value}");
    }
}

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Problem {
    code: String,
}

/// An operation's error enum, as generated: 404 documented with a `Problem`.
#[derive(Debug, PartialEq)]
enum TestOpError {
    NotFound(Problem),
    Other,
}

impl OperationError for TestOpError {
    fn from_response(raw: &RawResponse) -> Self {
        match raw.status.as_u16() {
            404 => error_body(raw).map_or(Self::Other, Self::NotFound),
            _ => Self::Other,
        }
    }

    fn case(&self) -> &'static str {
        match self {
            Self::NotFound(_) => "NotFound",
            Self::Other => "Other",
        }
    }

    fn body(&self) -> Option<&(dyn std::any::Any + Send + Sync)> {
        match self {
            Self::NotFound(body) => Some(body),
            Self::Other => None,
        }
    }
}

#[tokio::test]
async fn api_errors_keep_status_headers_and_a_snippet() {
    let html = format!("<html><body><h1>Bad Gateway</h1>{}</body></html>", "x".repeat(100_000));
    let html_page = html.clone();
    let app = Router::new()
        .route(
            "/html",
            get(move || {
                let page = html_page.clone();
                async move { (AxumStatus::BAD_GATEWAY, [("content-type", "text/html")], page).into_response() }
            }),
        )
        .route(
            "/problem",
            get(|| async {
                (AxumStatus::NOT_FOUND, [("content-type", "application/problem+json")], r#"{"code":"not_found"}"#)
            }),
        );
    let base = serve(app).await;
    let client = builder(&base, &[]).build().expect("valid config");

    let raw = client.0.execute(get_request("/html")).await.expect("response");
    assert_eq!(raw.status, StatusCode::BAD_GATEWAY);
    let err: Error<TestOpError> = api_error(raw);
    assert_eq!(err.status(), Some(StatusCode::BAD_GATEWAY));
    assert_eq!(err.to_string(), "testOp (GET /test/{id}): server responded with status 502 Bad Gateway");
    assert_eq!(err.as_operation_error(), Some(&TestOpError::Other));
    assert_eq!(err.attempts(), 1);
    let api = err.as_api_error().expect("api error");
    assert!(api.snippet().starts_with("<html><body><h1>Bad Gateway"));
    assert_eq!(api.snippet().len(), 1024);
    assert_eq!(api.body.len(), API_ERROR_BODY_LIMIT);
    assert!(api.truncated);
    assert_eq!(api.headers["content-type"], "text/html");
    assert!(format!("{err:?}").len() < 4 * 1024, "debug output is bounded");

    let raw = client.0.execute(get_request("/problem")).await.expect("response");
    assert!(is_json_content_type(&raw.headers));
    let err: Error<TestOpError> = api_error(raw);
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(err.as_operation_error(), Some(&TestOpError::NotFound(Problem { code: "not_found".to_owned() })));
    let erased: Error = err.into();
    assert_eq!(erased.operation_error::<TestOpError>().map(OperationError::case), Some("NotFound"));
    let err = erased;
    assert!(!err.as_api_error().expect("api error").truncated);
}

#[test]
fn core_error_and_builder_are_send_and_sync() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<Core>();
    send_sync::<Error>();
    send_sync::<ClientBuilder<TestClient>>();
    send_sync::<RetryPolicy>();
    send_sync::<Request>();
    send_sync::<RawResponse>();
    send_sync::<api_clients::Response<Vec<u8>>>();
}

#[tokio::test]
async fn execute_future_is_send() {
    fn send<T: Send>(value: T) -> T {
        value
    }
    let base = echo_server().await;
    let client = builder(&base, &[]).build().expect("valid config");
    let core = client.0.clone();
    let handle = tokio::spawn(send(async move { core.execute(get_request("/")).await }));
    let raw = handle.await.expect("task").expect("response");
    assert_eq!(raw.status, StatusCode::OK);
}

/// `GET /go` redirects (same origin) to `/target`, which counts its hits.
async fn redirect_server(hits: Arc<AtomicUsize>) -> String {
    let app = Router::new().route("/go", get(|| async { (AxumStatus::FOUND, [("location", "/target")]) })).route(
        "/target",
        get(move || {
            hits.fetch_add(1, Ordering::SeqCst);
            async { "followed" }
        }),
    );
    serve(app).await
}

#[tokio::test]
async fn documented_redirects_are_returned_and_others_followed() {
    let hits = Arc::new(AtomicUsize::new(0));
    let base = redirect_server(hits.clone()).await;
    let client = builder(&base, &[]).build().expect("valid config");

    // An operation that documents a 3xx gets it back, with its `Location`.
    let mut request = get_request("/go");
    request.return_redirects();
    let raw = client.0.execute(request).await.expect("the 302 is a response");
    assert_eq!(raw.status, StatusCode::FOUND);
    assert_eq!(raw.headers.get("location").and_then(|v| v.to_str().ok()), Some("/target"));
    assert_eq!(hits.load(Ordering::SeqCst), 0, "the redirect was not followed");

    // Any other operation follows a same-origin redirect.
    let raw = client.0.execute(get_request("/go")).await.expect("followed");
    assert_eq!(raw.status, StatusCode::OK);
    assert_eq!(&raw.body[..], b"followed");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[test]
fn client_parameters_are_checked_against_their_constraints() {
    fn check(value: &str) -> Result<(), Error> {
        if value.contains('.') {
            Ok(())
        } else {
            Err(Error::invalid_request("X-Context", "pattern `\\.`"))
        }
    }
    let valid = builder("http://example.com", &[]).client_param_checked("X-Context", "org.catalog", check);
    assert!(valid.build().is_ok());

    let invalid = builder("http://example.com", &[]).client_param_checked("X-Context", "SECRET-no-dot", check);
    let err = match invalid.clone().build() {
        Ok(_) => panic!("expected a config error"),
        Err(err) => err,
    };
    assert!(matches!(err.kind(), ErrorKind::Config(_)), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("X-Context") && text.contains("pattern"), "{text}");
    assert!(!text.contains("SECRET"), "the value is not echoed: {text}");

    // Setting it again with a valid value clears the violation.
    let fixed = invalid.client_param_checked("X-Context", "org.catalog", check);
    assert!(fixed.build().is_ok());
}
