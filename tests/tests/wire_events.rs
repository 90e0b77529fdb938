//! Server-sent events over loopback: a `text/event-stream` response read as
//! typed events, split across chunks at awkward places, ending cleanly when
//! the server closes.

use std::convert::Infallible;
use std::time::Duration;

use api_clients::runtime::__private::Request;
use api_clients::runtime::{Core, Error, Event, EventStream, RetryPolicy};
use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use futures::{stream, StreamExt};
use integration_tests::{serve, test_core};
use reqwest::Method;
use serde::Deserialize;

#[derive(Debug, Deserialize, PartialEq)]
struct Tick {
    n: u32,
    note: Option<String>,
}

/// The wire text, cut into chunks that split lines, a CRLF and a character.
const CHUNKS: &[&[u8]] = &[
    b": stream opened\r\n\r\nretry: 2000\r\nevent: tick\r\nid: 1\r\ndata: {\"n\": 1",
    b", \"note\": \"caf\xc3",
    b"\xa9\"}\r",
    b"\n\r\ndata: {\"n\":\r\ndata: 2}\n\nevent: tick\nid: 3\ndata: {\"n\": 3}\n",
    b"\n: keep-alive\n\nevent: done\ndata: {\"n\": 4}\n\ndata: {\"n\": 5, \"unfinished\": true}\n",
];

async fn events_server() -> String {
    let handler = || async {
        let chunks = stream::iter(CHUNKS.iter().map(|c| Ok::<_, Infallible>(Bytes::from_static(c))))
            // A pause between chunks, so the client really sees them apart.
            .then(|chunk| async move {
                tokio::time::sleep(Duration::from_millis(5)).await;
                chunk
            });
        ([(header::CONTENT_TYPE, "text/event-stream")], Body::from_stream(chunks)).into_response()
    };
    serve(Router::new().route("/events", get(handler))).await
}

fn events_request() -> Request {
    let mut request = Request::new("streamTicks", Method::GET, "/events", "/events".to_owned());
    request.accept = Some("text/event-stream");
    request
}

fn core(base: &str) -> Core {
    test_core(base, RetryPolicy::disabled())
}

#[tokio::test]
async fn typed_events_arrive_in_order_and_the_stream_ends_when_the_server_closes() {
    let base = events_server().await;
    let bytes = core(&base).execute_streaming(events_request()).await.expect("headers");
    let events: EventStream<Tick> = EventStream::json(bytes);
    assert_eq!(events.status(), 200);
    let events: Vec<Event<Tick>> = events.map(|e| e.expect("event")).collect().await;
    let tick = |n: u32, note: Option<&str>| Tick { n, note: note.map(str::to_owned) };
    // `Event` is `#[non_exhaustive]`: compared field by field.
    let events: Vec<_> = events.into_iter().map(|e| (e.event, e.id, e.retry, e.data)).collect();
    let expected = vec![
        (Some("tick".into()), Some("1".into()), Some(Duration::from_secs(2)), tick(1, Some("café"))),
        (None, Some("1".into()), None, tick(2, None)),
        (Some("tick".into()), Some("3".into()), None, tick(3, None)),
        (Some("done".into()), Some("3".into()), None, tick(4, None)),
    ];
    // The fifth event is never finished by a blank line: dropped at the close.
    assert_eq!(events, expected);
}

#[tokio::test]
async fn text_events_keep_the_raw_data() {
    let base = events_server().await;
    let bytes = core(&base).execute_streaming(events_request()).await.expect("headers");
    let data: Vec<String> = EventStream::text(bytes)
        .map(|e| e.map(|e| e.data))
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, Error>>()
        .expect("events");
    assert_eq!(data, ["{\"n\": 1, \"note\": \"café\"}", "{\"n\":\n2}", "{\"n\": 3}", "{\"n\": 4}"]);
}
