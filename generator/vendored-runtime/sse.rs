//! Server-sent events (`text/event-stream`): the line parser of the HTML
//! standard's event-stream format and [`EventStream`], a stream of typed
//! [`Event`]s over a [`ByteStream`].
//!
//! Reconnect-free: the stream ends when the server closes the connection
//! (an event not finished by a blank line is dropped, as the standard says).

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::stream::{Stream, StreamExt};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::{bounded_snippet, DecodeError, Error, ErrorKind, SNIPPET_LIMIT};
use super::stream::ByteStream;

/// One server-sent event.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The `event:` type; `None` means the default type, `message`.
    pub event: Option<String>,
    /// The last event ID the stream set (`id:`), which lasts across events
    /// until the server changes it; `None` when unset or reset.
    pub id: Option<String>,
    /// The reconnection time a `retry:` field asked for since the previous
    /// event (informational: this client does not reconnect).
    pub retry: Option<Duration>,
    /// The `data:` lines joined by `\n`, decoded: JSON into the API's type,
    /// or the text as is.
    pub data: T,
}

/// The event-stream line parser: feed it chunks as they arrive (split
/// anywhere, even inside a line ending), take the events it completes.
#[derive(Debug, Default)]
pub struct SseParser {
    /// The current, unfinished line.
    line: Vec<u8>,
    /// The last chunk ended in CR: an LF starting the next one belongs to it.
    pending_cr: bool,
    /// Whether the first line was seen (a byte order mark may start it).
    started: bool,
    data: String,
    event: Option<String>,
    last_id: Option<String>,
    retry: Option<Duration>,
    ready: VecDeque<Event<String>>,
    /// Bytes a pending line plus a pending event may hold (`None`: no limit).
    limit: Option<usize>,
}

impl SseParser {
    /// A parser without a size limit.
    pub fn new() -> SseParser {
        SseParser::default()
    }

    /// A parser that fails once an unfinished line and event together
    /// exceed `limit` bytes, so a server cannot make it grow without end.
    pub fn with_limit(limit: usize) -> SseParser {
        SseParser { limit: Some(limit), ..SseParser::default() }
    }

    /// Parses a chunk. Fails ([`ErrorKind::BodyTooLarge`](super::ErrorKind::BodyTooLarge), with status 200)
    /// only when the size limit is exceeded.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), Error> {
        let mut rest = chunk;
        if self.pending_cr && !rest.is_empty() {
            self.pending_cr = false;
            if rest[0] == b'\n' {
                rest = &rest[1..];
            }
        }
        // Lines end with CRLF, LF or CR.
        while let Some(end) = rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.line.extend_from_slice(&rest[..end]);
            let terminator = rest[end];
            rest = &rest[end + 1..];
            if terminator == b'\r' {
                match rest.first() {
                    Some(b'\n') => rest = &rest[1..],
                    None => self.pending_cr = true,
                    Some(_) => {}
                }
            }
            let line = std::mem::take(&mut self.line);
            self.line_done(&line);
        }
        self.line.extend_from_slice(rest);
        match self.limit {
            Some(limit) if self.line.len().saturating_add(self.data.len()) > limit => {
                Err(Error::body_too_large(StatusCode::OK, limit))
            }
            _ => Ok(()),
        }
    }

    /// The next completed event, if any.
    pub fn next_event(&mut self) -> Option<Event<String>> {
        self.ready.pop_front()
    }

    fn line_done(&mut self, line: &[u8]) {
        let mut line = line;
        if !self.started {
            self.started = true;
            line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
        }
        // Lines never split a UTF-8 sequence (they end at ASCII bytes).
        let line = String::from_utf8_lossy(line);
        if line.is_empty() {
            self.dispatch();
            return;
        }
        if line.starts_with(':') {
            return; // A comment (often a keep-alive).
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match field {
            "event" => self.event = Some(value.to_owned()).filter(|v| !v.is_empty()),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "id" if !value.contains('\0') => {
                self.last_id = Some(value.to_owned()).filter(|v| !v.is_empty());
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // Too many digits for a u64: ignored like any invalid value.
                if let Ok(millis) = value.parse::<u64>() {
                    self.retry = Some(Duration::from_millis(millis));
                }
            }
            _ => {} // Unknown fields are ignored.
        }
    }

    /// A blank line: the pending event is complete (an event without any
    /// `data:` line is dropped, as the standard says).
    fn dispatch(&mut self) {
        let event = self.event.take();
        if self.data.is_empty() {
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop(); // The `\n` after the last data line.
        self.ready.push_back(Event { event, id: self.last_id.clone(), retry: self.retry.take(), data });
    }
}

/// How an event's data becomes a `T`: the JSON path of a failure and the
/// decoder's error.
type DecodeData<T> = fn(String) -> Result<T, (String, serde_json::Error)>;

/// The events of a `text/event-stream` response, in order, as they arrive.
///
/// Data that does not decode yields an [`ErrorKind::Decode`](super::ErrorKind::Decode) for that event and
/// the stream goes on; a transport error, a timeout (no chunk within the
/// call's timeout: servers send comments to keep a quiet stream alive) or
/// an event over the client's response-size limit ends it.
pub struct EventStream<T> {
    bytes: ByteStream,
    parser: SseParser,
    decode: DecodeData<T>,
    done: bool,
}

impl<T: DeserializeOwned> EventStream<T> {
    /// Events whose data is JSON decoded into `T`.
    pub fn json(bytes: ByteStream) -> EventStream<T> {
        EventStream::with_decoder(bytes, decode_json_data::<T>)
    }
}

impl EventStream<String> {
    /// Events whose data is kept as text.
    pub fn text(bytes: ByteStream) -> EventStream<String> {
        EventStream::with_decoder(bytes, Ok)
    }
}

impl<T> EventStream<T> {
    fn with_decoder(bytes: ByteStream, decode: DecodeData<T>) -> EventStream<T> {
        let parser = SseParser::with_limit(bytes.limit());
        EventStream { bytes, parser, decode, done: false }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.bytes.status()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.bytes.headers()
    }

    fn decoded(&self, event: Event<String>) -> Result<Event<T>, Error> {
        let Event { event, id, retry, data } = event;
        let snippet = bounded_snippet(data.as_bytes(), SNIPPET_LIMIT);
        match (self.decode)(data) {
            Ok(data) => Ok(Event { event, id, retry, data }),
            Err((path, source)) => Err(Error::from(ErrorKind::Decode(Box::new(DecodeError {
                status: self.status(),
                path,
                snippet,
                source,
            })))),
        }
    }
}

fn decode_json_data<T: DeserializeOwned>(data: String) -> Result<T, (String, serde_json::Error)> {
    let mut de = serde_json::Deserializer::from_str(&data);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        (path, err.into_inner())
    })?;
    de.end().map_err(|err| (".".to_owned(), err))?;
    Ok(value)
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(event) = this.parser.next_event() {
                return Poll::Ready(Some(this.decoded(event)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match futures::ready!(this.bytes.poll_next_unpin(cx)) {
                Some(Ok(chunk)) => {
                    if let Err(err) = this.parser.feed(&chunk) {
                        this.done = true;
                        return Poll::Ready(Some(Err(err)));
                    }
                }
                Some(Err(err)) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(err)));
                }
                // The server closed: an unfinished event is dropped.
                None => this.done = true,
            }
        }
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").field("status", &self.status()).field("done", &self.done).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every event of `chunks` fed in order.
    fn parse(chunks: &[&[u8]]) -> Vec<Event<String>> {
        let mut parser = SseParser::new();
        let mut events = Vec::new();
        for chunk in chunks {
            parser.feed(chunk).expect("no limit");
            events.extend(std::iter::from_fn(|| parser.next_event()));
        }
        events
    }

    fn event(event: Option<&str>, id: Option<&str>, data: &str) -> Event<String> {
        Event { event: event.map(str::to_owned), id: id.map(str::to_owned), retry: None, data: data.to_owned() }
    }

    #[test]
    fn fields_multi_line_data_and_comments() {
        let events = parse(&[
            b": keep-alive\n\nevent: add\nid: 1\ndata: {\"a\":\ndata:1}\n\ndata\n\nunknown: x\ndata:  two spaces\n\n",
        ]);
        assert_eq!(
            events,
            vec![
                event(Some("add"), Some("1"), "{\"a\":\n1}"),
                event(None, Some("1"), ""),
                event(None, Some("1"), " two spaces"),
            ]
        );
    }

    #[test]
    fn crlf_cr_and_lf_line_endings() {
        let events = parse(&[b"data: a\r\n\r\ndata: b\r\rdata: c\n\n"]);
        let data: Vec<&str> = events.iter().map(|e| e.data.as_str()).collect();
        assert_eq!(data, ["a", "b", "c"]);
    }

    #[test]
    fn events_split_across_chunks_anywhere() {
        let text: &[u8] = b"\xef\xbb\xbfevent: e\r\ndata: h\xc3\xa9llo\r\nretry: 1500\r\n\r\ndata: x\r\n\r\n";
        let whole = parse(&[text]);
        assert_eq!(whole.len(), 2);
        assert_eq!(whole[0].event.as_deref(), Some("e"));
        assert_eq!(whole[0].data, "héllo");
        assert_eq!(whole[0].retry, Some(Duration::from_millis(1500)));
        assert_eq!(whole[1].retry, None);
        // Every split point, including between CR and LF and inside "é".
        for split in 0..text.len() {
            let (a, b) = text.split_at(split);
            assert_eq!(parse(&[a, b]), whole, "split at {split}");
        }
        let bytes: Vec<&[u8]> = text.chunks(1).collect();
        assert_eq!(parse(&bytes), whole);
    }

    #[test]
    fn id_persists_resets_and_rejects_nul() {
        let events = parse(&[b"id: 7\ndata: a\n\ndata: b\n\nid: x\0y\ndata: c\n\nid\ndata: d\n\n"]);
        let ids: Vec<Option<&str>> = events.iter().map(|e| e.id.as_deref()).collect();
        assert_eq!(ids, [Some("7"), Some("7"), Some("7"), None]);
    }

    #[test]
    fn an_unfinished_event_and_an_event_without_data_are_dropped() {
        assert!(parse(&[b"event: only-type\n\n"]).is_empty());
        assert!(parse(&[b"data: never finished"]).is_empty());
        assert!(parse(&[b"data: no blank line\n"]).is_empty());
    }

    #[test]
    fn the_size_limit_bounds_a_pending_event() {
        let mut parser = SseParser::with_limit(16);
        assert!(parser.feed(b"data: 0123456789\n").is_ok());
        assert!(matches!(parser.feed(b"data: 0123").map_err(Error::into_kind), Err(ErrorKind::BodyTooLarge { .. })));
    }

    #[tokio::test]
    async fn typed_events_decode_json_and_report_bad_data() {
        #[derive(Debug, serde::Deserialize, PartialEq)]
        struct Tick {
            n: u32,
        }
        let chunks = [
            Ok(bytes::Bytes::from_static(b"data: {\"n\": 1}\n\ndata: {\"n\": \"x\"}\n")),
            Ok(bytes::Bytes::from_static(b"\ndata: {\"n\": 3}\n\n")),
        ];
        let bytes = ByteStream::new(StatusCode::OK, HeaderMap::new(), futures::stream::iter(chunks));
        let results: Vec<Result<Event<Tick>, Error>> = EventStream::json(bytes).collect().await;
        assert_eq!(results.len(), 3);
        assert_eq!(results[0].as_ref().map(|e| &e.data).ok(), Some(&Tick { n: 1 }));
        match &results[1] {
            Err(err) if err.is_decode() => match err.kind() {
                ErrorKind::Decode(decode) => assert_eq!(decode.path, "n"),
                _ => unreachable!(),
            },
            other => panic!("expected a decode error, got {other:?}"),
        }
        assert_eq!(results[2].as_ref().map(|e| e.data.n).ok(), Some(3));
    }
}
