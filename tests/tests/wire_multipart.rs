//! Uploads over loopback: `multipart/form-data` forms parsed part by part by
//! the server (axum's `Multipart`), and binary bodies from bytes, files and
//! streams, built the way generated code builds them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use api_clients::runtime::__private::{Body, Request};
use api_clients::runtime::{Core, Error, ErrorKind, Multipart, RetryPolicy, Upload};
use axum::body::Bytes;
use axum::extract::{Multipart as AxumMultipart, Request as AxumRequest};
use axum::http::StatusCode as AxumStatus;
use axum::routing::post;
use axum::{Json, Router};
use futures::stream;
use integration_tests::{serve, test_core};
use reqwest::Method;
use serde_json::{json, Value};

fn client(base: &str, retry: RetryPolicy) -> Core {
    test_core(base, retry)
}

fn upload_request(body: Body) -> Request {
    let mut request = Request::new("upload", Method::POST, "/upload", "/upload".to_owned());
    request.body = body;
    request
}

/// Every part as `{name, file_name, content_type, text or len}`, in order.
async fn describe_parts(mut form: AxumMultipart) -> Result<Json<Value>, (AxumStatus, String)> {
    let bad = |err: axum::extract::multipart::MultipartError| (AxumStatus::BAD_REQUEST, err.to_string());
    let mut parts = Vec::new();
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().map(str::to_owned);
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(str::to_owned);
        let data = field.bytes().await.map_err(bad)?;
        let text = String::from_utf8(data.to_vec()).ok().filter(|t| t.len() < 100);
        parts.push(json!({
            "name": name, "file_name": file_name, "content_type": content_type,
            "text": text, "len": data.len(), "sum": data.iter().map(|b| u64::from(*b)).sum::<u64>(),
        }));
    }
    Ok(Json(Value::Array(parts)))
}

fn sum(data: &[u8]) -> u64 {
    data.iter().map(|b| u64::from(*b)).sum()
}

#[tokio::test]
async fn a_form_arrives_part_by_part() {
    let base = serve(Router::new().route("/upload", post(describe_parts))).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("report.pdf");
    let file_content: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
    std::fs::write(&path, &file_content).expect("write");
    let streamed = stream::iter((0..4).map(|i| Ok::<_, std::io::Error>(Bytes::from(vec![i as u8; 1000]))));

    let form = Multipart::new()
        .text("title", "Holiday \"2024\"")
        .text("tags", "sea")
        .text("tags", "sun")
        .text_with_type("note", "*bold*", "text/markdown")
        .file("photo", Upload::bytes(&b"\x89PNG..."[..]).file_name("cat.png"), "image/png")
        .file("report", Upload::path(&path), "application/octet-stream")
        .file("log", Upload::stream(streamed).content_type("text/plain"), "application/octet-stream")
        .json("meta", &json!({"camera": "x100"}), "application/json")
        .expect("json part");
    let raw =
        client(&base, RetryPolicy::disabled()).execute(upload_request(Body::Multipart(form))).await.expect("sent");
    assert_eq!(raw.status, 200, "{}", String::from_utf8_lossy(&raw.body));
    let parts: Value = serde_json::from_slice(&raw.body).expect("json");
    let summary: Vec<(String, Value, Value, Value)> = parts
        .as_array()
        .expect("array")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or_default().to_owned(),
                p["file_name"].clone(),
                p["content_type"].clone(),
                p["text"].clone(),
            )
        })
        .collect();
    let expected = vec![
        // Quotes in a value are data: only names and file names are escaped.
        ("title".to_owned(), Value::Null, Value::Null, json!("Holiday \"2024\"")),
        ("tags".to_owned(), Value::Null, Value::Null, json!("sea")),
        ("tags".to_owned(), Value::Null, Value::Null, json!("sun")),
        ("note".to_owned(), Value::Null, json!("text/markdown"), json!("*bold*")),
        ("photo".to_owned(), json!("cat.png"), json!("image/png"), Value::Null),
        ("report".to_owned(), json!("report.pdf"), json!("application/octet-stream"), Value::Null),
        ("log".to_owned(), json!("log"), json!("text/plain"), Value::Null),
        ("meta".to_owned(), Value::Null, json!("application/json"), json!("{\"camera\":\"x100\"}")),
    ];
    assert_eq!(summary, expected);
    assert_eq!(parts[5]["len"], json!(300_000));
    assert_eq!(parts[5]["sum"], json!(sum(&file_content)));
    assert_eq!(parts[6]["len"], json!(4000));
    assert_eq!(parts[6]["sum"], json!(1000 * (1 + 2 + 3)));
}

/// What the server saw of one request: `Content-Type`, `Content-Length`, body length and byte sum.
type Seen = (Option<String>, Option<String>, usize, u64);

/// Counts requests and records each body; the first `fail` get a 503, the rest a 200.
fn flaky_server(fail: usize, bodies: Arc<Mutex<Vec<Seen>>>) -> (Router, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = Router::new().route(
        "/upload",
        post(move |request: AxumRequest| {
            let counter = counter.clone();
            let bodies = bodies.clone();
            async move {
                // In a block: a borrow of the (not `Sync`) request must not live across the await.
                let (content_type, length) = {
                    let header =
                        |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
                    (header("content-type"), header("content-length"))
                };
                let data = axum::body::to_bytes(request.into_body(), usize::MAX).await.unwrap_or_default();
                if let Ok(mut seen) = bodies.lock() {
                    seen.push((content_type, length, data.len(), sum(&data)));
                }
                if counter.fetch_add(1, Ordering::SeqCst) < fail {
                    AxumStatus::SERVICE_UNAVAILABLE
                } else {
                    AxumStatus::OK
                }
            }
        }),
    );
    (app, hits)
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(std::time::Duration::from_millis(5))
        .retry_non_idempotent(true)
}

#[tokio::test]
async fn binary_uploads_from_files_are_retried_and_streams_are_not() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (app, hits) = flaky_server(1, seen.clone());
    let base = serve(app).await;
    let core = client(&base, quick_retries());
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("blob.bin");
    let content: Vec<u8> = (0..100_000u32).map(|i| (i % 7) as u8).collect();
    std::fs::write(&path, &content).expect("write");

    // A file: the 503 is retried and the file is read again.
    let raw = core.execute(upload_request(Body::upload("image/*", Upload::path(&path)))).await.expect("sent");
    assert_eq!(raw.status, 200);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    let expected = (Some("application/octet-stream".to_owned()), Some("100000".to_owned()), 100_000, sum(&content));
    assert_eq!(seen.lock().map(|s| s.clone()).unwrap_or_default(), vec![expected.clone(), expected]);

    // A stream of unknown length: chunked, sent once, the 503 is the answer.
    hits.store(0, Ordering::SeqCst);
    if let Ok(mut s) = seen.lock() {
        s.clear();
    }
    let chunks = stream::iter((0..10).map(|_| Ok::<_, std::io::Error>(Bytes::from_static(&[1u8; 10_000]))));
    let raw = core
        .execute(upload_request(Body::upload("application/octet-stream", Upload::stream(chunks))))
        .await
        .expect("answered");
    assert_eq!(raw.status, 503);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    let recorded = seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert_eq!(recorded, vec![(Some("application/octet-stream".to_owned()), None, 100_000, 100_000)]);
}

#[tokio::test]
async fn a_failing_upload_is_an_error_not_a_panic() {
    let base = serve(Router::new().route("/upload", post(|| async { "ok" }))).await;
    let core = client(&base, RetryPolicy::disabled());
    let missing = Upload::path("/no/such/file.bin");
    let err = core.execute(upload_request(Body::upload("application/octet-stream", missing))).await;
    assert!(matches!(err.as_ref().map_err(Error::kind), Err(ErrorKind::Encode(_))), "{err:?}");

    let failing = stream::iter([Ok(Bytes::from_static(b"abc")), Err(std::io::Error::other("disk on fire"))]);
    let err = core.execute(upload_request(Body::upload("application/octet-stream", Upload::stream(failing)))).await;
    assert!(matches!(err.as_ref().map_err(Error::kind), Err(ErrorKind::Transport(_))), "{err:?}");
}
