//! Streamed downloads over loopback: a large body read chunk by chunk with
//! bounded memory, beyond the client's response-size limit; idle timeouts;
//! error statuses read back whole.
//!
//! The big download is 1 GiB (about 2.5 s in a debug build); set
//! `WIRE_STREAM_MIB` to another size in MiB.

use std::convert::Infallible;
use std::time::{Duration, Instant};

use api_clients::runtime::__private::Request;
use api_clients::runtime::{ByteStream, CallOptions, Core, Error, ErrorKind, RetryPolicy};
use axum::body::{Body, Bytes};
use axum::http::{header, StatusCode as AxumStatus};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures::{stream, StreamExt};
use integration_tests::{serve, test_core};
use reqwest::Method;

const CHUNK_SIZE: usize = 64 * 1024;
/// Served again and again: the server allocates nothing per chunk.
static CHUNK: [u8; CHUNK_SIZE] = [7; CHUNK_SIZE];

fn client(base: &str) -> Core {
    test_core(base, RetryPolicy::disabled())
}

fn get_request(path: &'static str) -> Request {
    Request::new("download", Method::GET, path, path.to_owned())
}

/// The peak resident set size of this process so far, in KiB (Linux only).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `bytes` bytes of `7`, generated lazily, with a `Content-Length`.
fn big_body(bytes: u64) -> Response {
    let chunks = bytes / CHUNK_SIZE as u64;
    let body = Body::from_stream(stream::iter((0..chunks).map(|_| Ok::<_, Infallible>(Bytes::from_static(&CHUNK)))));
    ([(header::CONTENT_LENGTH, bytes.to_string())], body).into_response()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_download_streams_in_bounded_memory() {
    let mib: u64 = std::env::var("WIRE_STREAM_MIB").ok().and_then(|v| v.parse().ok()).unwrap_or(1024);
    let size = mib << 20;
    let base = serve(Router::new().route("/big", get(move || async move { big_body(size) }))).await;
    let core = client(&base);

    // The buffered path refuses it: it is over the 64 MiB default limit.
    let buffered = core.execute(get_request("/big")).await;
    assert!(matches!(buffered.as_ref().map_err(Error::kind), Err(ErrorKind::BodyTooLarge { .. })), "{buffered:?}");

    let before = peak_rss_kib();
    let started = Instant::now();
    let mut stream: ByteStream = core.execute_streaming(get_request("/big")).await.expect("headers");
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.content_length(), Some(size));
    let (mut total, mut chunks, mut largest) = (0u64, 0u64, 0usize);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.expect("chunk");
        assert!(chunk.iter().all(|&b| b == 7), "corrupted chunk {chunks}");
        total += chunk.len() as u64;
        chunks += 1;
        largest = largest.max(chunk.len());
    }
    let elapsed = started.elapsed();
    assert_eq!(total, size);
    let mib = mib as f64;
    eprintln!(
        "streamed {mib:.0} MiB in {:.2} s ({:.0} MiB/s), {chunks} chunks, largest {largest} bytes",
        elapsed.as_secs_f64(),
        mib / elapsed.as_secs_f64()
    );
    if let (Some(before), Some(after)) = (before, peak_rss_kib()) {
        let growth_mib = after.saturating_sub(before) / 1024;
        eprintln!("peak RSS {} MiB before, {} MiB after: +{growth_mib} MiB", before / 1024, after / 1024);
        assert!(growth_mib < 200, "peak memory grew by {growth_mib} MiB while streaming {mib:.0} MiB");
    }
}

#[tokio::test]
async fn a_stalled_stream_times_out_and_ends() {
    let stalled = || async {
        let first = stream::once(async { Ok::<_, Infallible>(Bytes::from_static(b"first")) });
        Body::from_stream(first.chain(stream::pending()))
    };
    let base = serve(Router::new().route("/stall", get(stalled))).await;
    let mut request = get_request("/stall");
    request.options = CallOptions::default().timeout(Duration::from_millis(300));
    let mut stream = client(&base).execute_streaming(request).await.expect("headers");
    assert_eq!(stream.next().await.map(|c| c.ok()), Some(Some(Bytes::from_static(b"first"))));
    assert!(matches!(stream.next().await, Some(Err(err)) if err.is_timeout()));
    assert!(stream.next().await.is_none(), "the stream ends after an error");
}

#[tokio::test]
async fn an_error_status_is_read_back_whole() {
    let missing =
        || async { (AxumStatus::NOT_FOUND, [(header::CONTENT_TYPE, "application/json")], r#"{"message":"gone"}"#) };
    let base = serve(Router::new().route("/missing", get(missing))).await;
    let stream = client(&base).execute_streaming(get_request("/missing")).await.expect("headers");
    assert_eq!(stream.status(), 404);
    let raw = stream.into_raw().await.expect("body");
    assert_eq!(&raw.body[..], br#"{"message":"gone"}"#);
    // The call is kept, for the error's one-line `Display`.
    assert_eq!(raw.attempts(), 1);
    assert_eq!(raw.call.as_ref().map(|call| call.path_template), Some("/missing"));
}

fn assert_send<T: Send>(_: &T) {}

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn streams_uploads_and_their_futures_are_send() {
    assert_send_sync::<api_clients::runtime::Upload>();
    assert_send_sync::<api_clients::runtime::Multipart>();
    let core = client("http://127.0.0.1:9");
    let download = core.execute_streaming(get_request("/never-sent"));
    assert_send(&download);
    let mut request = get_request("/never-sent");
    let chunks = stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"x"))]);
    request.body = api_clients::runtime::__private::Body::upload(
        "application/octet-stream",
        api_clients::runtime::Upload::stream(chunks),
    );
    let upload = core.execute(request);
    assert_send(&upload);
    let events = async {
        let bytes = core.execute_streaming(get_request("/never-sent")).await?;
        Ok::<_, Error>(api_clients::runtime::EventStream::<String>::text(bytes))
    };
    assert_send(&events);
}
