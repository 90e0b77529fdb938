//! Loopback tests of token sources: caching and expiry, one refresh after a
//! `401`, one shared refresh for concurrent callers, the OAuth2 grants on
//! the wire, and no token in `Debug` output or errors.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use api_clients::runtime::__private::Request;
use api_clients::runtime::{token_fn, ClientBuilder, Error, OAuth2, RetryPolicy, SecurityScheme, Token};
use axum::extract::Form;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use integration_tests::{serve, TestClient};
use reqwest::{Method, StatusCode};

const BEARER: &[SecurityScheme] = &[SecurityScheme::Bearer];
const SECRET_PREFIX: &str = "tok-secret-";

fn request() -> Request {
    Request::new("testOp", Method::GET, "/things", "/things".to_owned())
}

/// A source numbering its tokens `tok-secret-1`, `tok-secret-2`, … with the
/// given lifetime; returns it with its call counter.
fn counting_source(lifetime: Duration) -> (impl api_clients::runtime::TokenSource, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let source = token_fn(move |_previous| {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        async move { Ok(Token::new(format!("{SECRET_PREFIX}{n}")).expires_in(lifetime)) }
    });
    (source, calls)
}

/// An API that records each request's `Authorization` and rejects with `401`
/// the tokens `reject` matches.
async fn api(reject: fn(&str) -> bool) -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let app = Router::new().fallback(move |headers: HeaderMap| {
        let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        log.lock().expect("log").push(auth.clone());
        async move {
            if reject(auth.trim_start_matches("Bearer ")) {
                AxumStatus::UNAUTHORIZED.into_response()
            } else {
                (AxumStatus::OK, "ok").into_response()
            }
        }
    });
    (serve(app).await, seen)
}

fn client(base: &str, source: impl api_clients::runtime::TokenSource) -> TestClient {
    ClientBuilder::new(base, BEARER).retry(RetryPolicy::disabled()).token_source(source).build().expect("config")
}

fn seen(log: &Mutex<Vec<String>>) -> Vec<String> {
    log.lock().expect("log").clone()
}

#[tokio::test]
async fn a_token_is_cached_until_it_is_about_to_expire() {
    let (base, log) = api(|_| false).await;
    // An hour: one token serves every call.
    let (source, calls) = counting_source(Duration::from_secs(3600));
    let long = client(&base, source);
    for _ in 0..3 {
        assert_eq!(long.0.execute(request()).await.expect("response").status, StatusCode::OK);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(seen(&log), vec![format!("Bearer {SECRET_PREFIX}1"); 3]);

    // Ten seconds is inside the margin before expiry: each call replaces it.
    let (base, log) = api(|_| false).await;
    let (source, calls) = counting_source(Duration::from_secs(10));
    let short = client(&base, source);
    for _ in 0..3 {
        short.0.execute(request()).await.expect("response");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    let expected: Vec<String> = (1..=3).map(|n| format!("Bearer {SECRET_PREFIX}{n}")).collect();
    assert_eq!(seen(&log), expected);
}

#[tokio::test]
async fn a_401_fetches_a_new_token_and_retries_exactly_once() {
    // The first token is rejected, the second accepted.
    let (base, log) = api(|token| token == "tok-secret-1").await;
    let (source, calls) = counting_source(Duration::from_secs(3600));
    let raw = client(&base, source).0.execute(request()).await.expect("response");
    assert_eq!(raw.status, StatusCode::OK);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(seen(&log), vec![format!("Bearer {SECRET_PREFIX}1"), format!("Bearer {SECRET_PREFIX}2")]);

    // Every token rejected: one retry, then the 401 is the answer.
    let (base, log) = api(|_| true).await;
    let (source, calls) = counting_source(Duration::from_secs(3600));
    let raw = client(&base, source).0.execute(request()).await.expect("response");
    assert_eq!(raw.status, StatusCode::UNAUTHORIZED);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(seen(&log).len(), 2);
}

#[tokio::test]
async fn concurrent_callers_share_one_refresh() {
    let (base, log) = api(|token| token == "tok-secret-1").await;
    let (source, calls) = counting_source(Duration::from_secs(3600));
    let shared = client(&base, source);
    let calls_made: Vec<_> = (0..8)
        .map(|_| {
            let clone = TestClient(shared.0.clone());
            tokio::spawn(async move { clone.0.execute(request()).await.map(|raw| raw.status) })
        })
        .collect();
    for call in calls_made {
        assert_eq!(call.await.expect("task").expect("response"), StatusCode::OK);
    }
    // One token for all, one replacement for all after their 401s.
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let log = seen(&log);
    assert_eq!(log.iter().filter(|a| a.ends_with("-2")).count(), 8, "{log:?}");
}

/// One request to the token endpoint: its `Authorization` and form.
type Grant = (Option<String>, HashMap<String, String>);

#[tokio::test]
async fn oauth2_client_credentials_then_refresh_on_401() {
    let grants: Arc<Mutex<Vec<Grant>>> = Arc::default();
    let record = grants.clone();
    let token_app = Router::new().route(
        "/token",
        post(move |headers: HeaderMap, Form(form): Form<HashMap<String, String>>| {
            let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned);
            let mut grants = record.lock().expect("grants");
            grants.push((auth, form));
            let n = grants.len();
            async move {
                Json(serde_json::json!({
                    "access_token": format!("{SECRET_PREFIX}{n}"),
                    "token_type": "Bearer",
                    "expires_in": 3600,
                    "refresh_token": format!("refresh-secret-{n}"),
                }))
            }
        }),
    );
    let token_base = serve(token_app).await;
    let (base, log) = api(|token| token == "tok-secret-1").await;
    let source =
        OAuth2::client_credentials(format!("{token_base}/token"), "my client", "s3cr3t:x").scopes(["read", "write"]);
    let raw = client(&base, source).0.execute(request()).await.expect("response");
    assert_eq!(raw.status, StatusCode::OK);

    let grants = grants.lock().expect("grants").clone();
    assert_eq!(grants.len(), 2);
    // RFC 6749 §2.3.1: id and secret form-encoded, then Basic.
    let basic = format!("Basic {}", base64_of("my+client:s3cr3t%3Ax"));
    assert_eq!(grants[0].0.as_deref(), Some(basic.as_str()));
    assert_eq!(grants[0].1.get("grant_type").map(String::as_str), Some("client_credentials"));
    assert_eq!(grants[0].1.get("scope").map(String::as_str), Some("read write"));
    // After the 401: the refresh token of the first answer.
    assert_eq!(grants[1].1.get("grant_type").map(String::as_str), Some("refresh_token"));
    assert_eq!(grants[1].1.get("refresh_token").map(String::as_str), Some("refresh-secret-1"));
    assert_eq!(seen(&log), vec![format!("Bearer {SECRET_PREFIX}1"), format!("Bearer {SECRET_PREFIX}2")]);
}

/// An operation that documents no error bodies.
#[derive(Debug)]
struct NoDocumentedErrors;

impl api_clients::runtime::OperationError for NoDocumentedErrors {
    fn from_response(_raw: &api_clients::runtime::RawResponse) -> Self {
        NoDocumentedErrors
    }

    fn case(&self) -> &'static str {
        "Other"
    }

    fn body(&self) -> Option<&(dyn std::any::Any + Send + Sync)> {
        None
    }
}

#[tokio::test]
async fn no_token_in_debug_output_or_errors() {
    let token = Token::new(format!("{SECRET_PREFIX}debug")).refresh_token("refresh-secret-debug");
    let oauth = OAuth2::client_credentials("https://auth.example.com/token", "id", "client-secret-debug");
    let (base, _log) = api(|_| true).await;
    let (source, _) = counting_source(Duration::from_secs(3600));
    let builder = ClientBuilder::<TestClient>::new(&base, BEARER).retry(RetryPolicy::disabled()).token_source(source);
    let debug = format!("{token:?} {oauth:?} {builder:?}");
    let built = builder.build().expect("config");
    let raw = built.0.execute(request()).await.expect("response");
    let api_error: Error<NoDocumentedErrors> = api_clients::runtime::__private::api_error(raw);

    // A source that fails, and a token endpoint whose answer has no token.
    let failing = client(&base, token_fn(|_| async { Err::<Token, _>(Error::config("no token today")) }));
    let failed = failing.0.execute(request()).await.expect_err("the source fails");
    let bad_endpoint = serve(Router::new().route(
        "/token",
        post(|| async { Json(serde_json::json!({"access_token": 42, "refresh_token": "refresh-secret-bad"})) }),
    ))
    .await;
    let unreadable =
        client(&base, OAuth2::client_credentials(format!("{bad_endpoint}/token"), "id", "client-secret-debug"));
    let unreadable = unreadable.0.execute(request()).await.expect_err("no readable token");

    for text in [
        debug,
        format!("{api_error} {api_error:?}"),
        format!("{failed} {failed:?}"),
        format!("{unreadable} {unreadable:?}"),
    ] {
        for secret in [SECRET_PREFIX, "refresh-secret", "client-secret-debug"] {
            assert!(!text.contains(secret), "{secret} leaked in: {text}");
        }
    }
}

/// Standard base64 (RFC 4648) of `text`, for the expected Basic header.
fn base64_of(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
