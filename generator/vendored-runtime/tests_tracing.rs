//! The `http.call` span names the operation and the path template, records
//! attempt, status and duration, and never carries a concrete path, a query,
//! a header or a credential.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

use super::__private::{FromCore, Request};
use super::{ClientBuilder, Core, RetryPolicy, SecurityScheme};

const TOKEN: &str = "tok-SECRET-1";
const API_KEY: &str = "key-SECRET-2";

/// A minimal subscriber writing every span, field and event into a string.
#[derive(Default)]
struct Capture {
    log: Arc<Mutex<String>>,
    next_id: AtomicU64,
}

struct Writer<'a>(&'a mut String);

impl Visit for Writer<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Capture {
    fn write(&self, f: impl FnOnce(&mut String)) {
        if let Ok(mut log) = self.log.lock() {
            f(&mut log);
        }
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        self.write(|log| {
            let _ = write!(log, "\nspan {}", attrs.metadata().name());
            attrs.record(&mut Writer(log));
        });
        Id::from_u64(id)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        self.write(|log| {
            log.push_str("\nrecord");
            values.record(&mut Writer(log));
        });
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        self.write(|log| {
            log.push_str("\nevent");
            event.record(&mut Writer(log));
        });
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

struct TestClient(Core);

impl FromCore for TestClient {
    fn from_core(core: Core) -> Self {
        TestClient(core)
    }
}

/// Answers the first connection with 503, later ones with 200.
async fn server() -> String {
    let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
        Ok(listener) => listener,
        Err(err) => panic!("bind: {err}"),
    };
    let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
    let served = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let n = served.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(len) => buf.extend_from_slice(chunk.get(..len).unwrap_or_default()),
                    }
                }
                let status = if n == 0 { "503 Service Unavailable" } else { "200 OK" };
                let response = format!("HTTP/1.1 {status}\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn span_has_template_status_attempt_and_no_secrets() {
    let capture = Capture::default();
    let log = capture.log.clone();
    let _guard = tracing::subscriber::set_default(capture);

    let base = server().await;
    let client: TestClient = match ClientBuilder::new(&base, &[SecurityScheme::ApiKeyQuery("key")])
        .bearer_token(TOKEN)
        .api_key(API_KEY)
        .retry(RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(5)))
        .build()
    {
        Ok(client) => client,
        Err(err) => panic!("build: {err}"),
    };
    let mut request = Request::new("getUser", reqwest::Method::GET, "/users/{id}", "/users/user-id-4711".to_owned());
    request.query("filter", "private-filter");
    request.header("X-Client-Secret", "header-SECRET-3");
    let raw = match client.0.execute(request).await {
        Ok(raw) => raw,
        Err(err) => panic!("execute: {err:?}"),
    };
    assert_eq!(raw.status, reqwest::StatusCode::OK);

    let log = log.lock().map(|log| log.clone()).unwrap_or_default();
    for expected in [
        "span http.call",
        "operation_id=\"getUser\"",
        "method=GET",
        "path_template=\"/users/{id}\"",
        "attempt=1",
        "attempt=2",
        "status=503",
        "status=200",
        "duration_ms=",
        "retrying http call",
    ] {
        assert!(log.contains(expected), "missing {expected} in {log}");
    }
    for forbidden in [TOKEN, API_KEY, "header-SECRET-3", "user-id-4711", "private-filter"] {
        assert!(!log.contains(forbidden), "{forbidden} leaked into {log}");
    }
}
