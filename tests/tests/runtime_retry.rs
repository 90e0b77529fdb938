//! Loopback tests of the runtime's retries, timeouts, transport errors and
//! response size limit.

use std::error::Error as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use api_clients::runtime::__private::Request;
use api_clients::runtime::{CallOptions, ClientBuilder, ErrorKind, RetryPolicy, SecurityScheme};
use axum::body::Body as AxumBody;
use axum::http::StatusCode as AxumStatus;
use axum::response::{IntoResponse, Response as AxumResponse};
use axum::Router;
use bytes::Bytes;
use integration_tests::{serve, TestClient};
use reqwest::{Method, StatusCode};

const NO_SCHEMES: &[SecurityScheme] = &[];

/// Retries with tiny backoffs, so tests stay fast.
fn fast_retry() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(5)).max_backoff(Duration::from_millis(20))
}

fn client(base: &str, retry: RetryPolicy) -> TestClient {
    ClientBuilder::new(base, NO_SCHEMES).retry(retry).build().expect("valid config")
}

fn request(method: Method) -> Request {
    Request::new("testOp", method, "/flaky", "/flaky".to_owned())
}

/// A server that answers the first `failures` requests with `failure()`,
/// then 200 `ok`; returns its URL and the request counter.
async fn flaky(failures: usize, failure: fn() -> AxumResponse) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = Router::new().fallback(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        async move {
            if n < failures {
                failure()
            } else {
                (AxumStatus::OK, "ok").into_response()
            }
        }
    });
    (serve(app).await, hits)
}

fn unavailable() -> AxumResponse {
    AxumStatus::SERVICE_UNAVAILABLE.into_response()
}

#[tokio::test]
async fn retries_503_until_success() {
    let (base, hits) = flaky(2, unavailable).await;
    let raw = client(&base, fast_retry()).0.execute(request(Method::GET)).await.expect("response");
    assert_eq!(raw.status, StatusCode::OK);
    assert_eq!(raw.body, Bytes::from_static(b"ok"));
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn exhausted_retries_return_the_last_response() {
    let (base, hits) = flaky(usize::MAX, unavailable).await;
    let raw = client(&base, fast_retry().max_attempts(4)).0.execute(request(Method::GET)).await.expect("response");
    assert_eq!(raw.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(hits.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn non_retryable_statuses_are_not_retried() {
    fn server_error() -> AxumResponse {
        AxumStatus::INTERNAL_SERVER_ERROR.into_response()
    }
    let (base, hits) = flaky(usize::MAX, server_error).await;
    let raw = client(&base, fast_retry()).0.execute(request(Method::GET)).await.expect("response");
    assert_eq!(raw.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    fn too_many() -> AxumResponse {
        (AxumStatus::TOO_MANY_REQUESTS, [("retry-after", "1")]).into_response()
    }
    let (base, hits) = flaky(1, too_many).await;
    let started = Instant::now();
    let raw = client(&base, fast_retry()).0.execute(request(Method::GET)).await.expect("response");
    let elapsed = started.elapsed();
    assert_eq!(raw.status, StatusCode::OK);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
}

#[tokio::test]
async fn retry_after_beyond_the_budget_returns_the_response() {
    fn too_many() -> AxumResponse {
        (AxumStatus::TOO_MANY_REQUESTS, [("retry-after", "3600")]).into_response()
    }
    let (base, hits) = flaky(1, too_many).await;
    let started = Instant::now();
    let raw = client(&base, fast_retry()).0.execute(request(Method::GET)).await.expect("response");
    assert_eq!(raw.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    assert!(started.elapsed() < Duration::from_millis(500));
}

#[tokio::test]
async fn post_is_retried_only_when_opted_in() {
    let (base, hits) = flaky(1, unavailable).await;
    let raw = client(&base, fast_retry()).0.execute(request(Method::POST)).await.expect("response");
    assert_eq!(raw.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(hits.load(Ordering::SeqCst), 1);

    // Opted in per call.
    let (base, hits) = flaky(1, unavailable).await;
    let mut post = request(Method::POST);
    post.options = CallOptions::default().retry(fast_retry().retry_non_idempotent(true));
    let raw = client(&base, fast_retry()).0.execute(post).await.expect("response");
    assert_eq!(raw.status, StatusCode::OK);
    assert_eq!(hits.load(Ordering::SeqCst), 2);

    // Opted in for the client.
    let (base, hits) = flaky(1, unavailable).await;
    let raw = client(&base, fast_retry().retry_non_idempotent(true))
        .0
        .execute(request(Method::POST))
        .await
        .expect("response");
    assert_eq!(raw.status, StatusCode::OK);
    assert_eq!(hits.load(Ordering::SeqCst), 2);

    let (base, hits) = flaky(1, unavailable).await;
    let raw = client(&base, fast_retry()).0.execute(request(Method::PATCH)).await.expect("response");
    assert_eq!(raw.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn disabled_policy_sends_once() {
    let (base, hits) = flaky(1, unavailable).await;
    let raw = client(&base, RetryPolicy::disabled()).0.execute(request(Method::GET)).await.expect("response");
    assert_eq!(raw.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(hits.load(Ordering::SeqCst), 1);

    // A per-call policy overrides the client's.
    let (base, hits) = flaky(1, unavailable).await;
    let mut get = request(Method::GET);
    get.options = CallOptions::default().retry(RetryPolicy::disabled());
    let raw = client(&base, fast_retry()).0.execute(get).await.expect("response");
    assert_eq!(raw.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

/// A server whose every answer takes a second.
async fn slow_server() -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = Router::new().fallback(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        async {
            tokio::time::sleep(Duration::from_secs(1)).await;
            "late"
        }
    });
    (serve(app).await, hits)
}

#[tokio::test]
async fn slow_attempts_time_out() {
    let (base, hits) = slow_server().await;
    let client = ClientBuilder::<TestClient>::new(&base, NO_SCHEMES)
        .timeout(Duration::from_millis(100))
        .retry(RetryPolicy::disabled())
        .build()
        .expect("valid config");
    let started = Instant::now();
    let err = client.0.execute(request(Method::GET)).await.expect_err("timeout");
    assert!(matches!(err.kind(), ErrorKind::Timeout { .. }), "{err:?}");
    assert!(err.is_timeout());
    // One line: the call, the attempts, the time taken and which limit expired.
    let text = err.to_string();
    assert!(text.starts_with("testOp (GET /flaky): timed out after 1 attempt, "), "{text}");
    assert!(text.ends_with(" (attempt timeout 100 ms)"), "{text}");
    assert_eq!(err.attempts(), 1);
    assert!(started.elapsed() < Duration::from_millis(800));
    assert_eq!(hits.load(Ordering::SeqCst), 1);

    // Timeouts are retried; the per-call timeout overrides the client's.
    let (base, hits) = slow_server().await;
    let client = client_with_timeout(&base, Duration::from_secs(30));
    let mut get = request(Method::GET);
    get.options = CallOptions::default().timeout(Duration::from_millis(100)).retry(fast_retry().max_attempts(2));
    let started = Instant::now();
    let err = client.0.execute(get).await.expect_err("timeout");
    assert!(err.is_timeout());
    assert!(started.elapsed() < Duration::from_millis(800));
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    assert_eq!(err.attempts(), 2);
    assert!(err.to_string().contains("timed out after 2 attempts, "), "{err}");
}

fn client_with_timeout(base: &str, timeout: Duration) -> TestClient {
    ClientBuilder::new(base, NO_SCHEMES).timeout(timeout).build().expect("valid config")
}

#[tokio::test]
async fn the_timeout_also_applies_to_a_caller_supplied_http_client() {
    let (base, _hits) = slow_server().await;
    let client = ClientBuilder::<TestClient>::new(&base, NO_SCHEMES)
        .http_client(reqwest::Client::new())
        .timeout(Duration::from_millis(100))
        .retry(RetryPolicy::disabled())
        .build()
        .expect("valid config");
    let err = client.0.execute(request(Method::GET)).await.expect_err("timeout");
    assert!(err.is_timeout());
}

/// A TCP server that accepts connections and closes them without a word.
async fn dropping_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    (format!("http://{addr}"), hits)
}

#[tokio::test]
async fn dropped_connections_are_transport_errors() {
    let (base, hits) = dropping_server().await;
    let err = client(&base, RetryPolicy::disabled()).0.execute(request(Method::GET)).await.expect_err("dropped");
    assert!(matches!(err.kind(), ErrorKind::Transport(_)), "{err:?}");
    // The cause, not "transport error": it is four levels down the `source()` chain.
    assert_eq!(err.to_string(), "testOp (GET /flaky): connection closed before message completed");
    assert!(err.status().is_none());
    let source = err.source().expect("chained");
    assert!(source.downcast_ref::<reqwest::Error>().is_some());
    assert_eq!(hits.load(Ordering::SeqCst), 1);

    // Idempotent calls retry connection failures.
    let (base, hits) = dropping_server().await;
    let err = client(&base, fast_retry().max_attempts(3)).0.execute(request(Method::GET)).await.expect_err("dropped");
    assert!(matches!(err.kind(), ErrorKind::Transport(_)), "{err:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    assert_eq!(err.attempts(), 3);
    assert!(err.to_string().ends_with(" after 3 attempts"), "{err}");
}

#[tokio::test]
async fn bodies_over_the_limit_are_rejected() {
    let app = Router::new()
        .route("/sized", axum::routing::get(|| async { "x".repeat(4096) }))
        .route(
            "/chunked",
            axum::routing::get(|| async {
                let chunks = (0..64).map(|_| Ok::<_, std::io::Error>(Bytes::from(vec![b'y'; 256])));
                AxumBody::from_stream(futures::stream::iter(chunks))
            }),
        )
        .route("/small", axum::routing::get(|| async { "x".repeat(1024) }));
    let base = serve(app).await;
    let client =
        ClientBuilder::<TestClient>::new(&base, NO_SCHEMES).max_response_body(1024).build().expect("valid config");
    for path in ["/sized", "/chunked"] {
        let get = Request::new("big", Method::GET, "/big", path.to_owned());
        let err = client.0.execute(get).await.expect_err("too large");
        match err.into_kind() {
            ErrorKind::BodyTooLarge { status, limit, .. } => {
                assert_eq!(status, StatusCode::OK);
                assert_eq!(limit, 1024);
            }
            other => panic!("{path}: unexpected {other:?}"),
        }
    }
    let get = Request::new("small", Method::GET, "/small", "/small".to_owned());
    let raw = client.0.execute(get).await.expect("exactly at the limit");
    assert_eq!(raw.body.len(), 1024);
}
