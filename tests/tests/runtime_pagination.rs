//! Tests of the runtime's pagination streams, over a loopback server and
//! shaped the way generated code calls them.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use api_clients::runtime::__private::{decode_json, items, offset_pages, page_number_pages, token_pages, Request};
use api_clients::runtime::{ClientBuilder, Core, Error, ErrorKind, Response, RetryPolicy};
use axum::extract::Query;
use axum::routing::get;
use axum::{Json, Router};
use futures::{Stream, StreamExt, TryStreamExt};
use integration_tests::{serve, TestClient};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Deserialize)]
struct Pagination {
    next_page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
struct TokenPage {
    items: Vec<u32>,
    pagination: Pagination,
}

/// A request builder like the generated ones: `Clone`, with setters and an
/// async `send`.
#[derive(Clone)]
struct ListThings {
    core: Core,
    page_token: Option<String>,
}

impl ListThings {
    fn page_token_opt(mut self, token: Option<String>) -> Self {
        self.page_token = token;
        self
    }

    async fn send(self) -> Result<Response<TokenPage>, Error> {
        let mut request = Request::new("listThings", Method::GET, "/things", "/things".to_owned());
        if let Some(token) = &self.page_token {
            request.query("page_token", token);
        }
        let raw = self.core.execute(request).await?;
        let body = decode_json(&raw)?;
        Ok(Response::new(raw.status, raw.headers, body))
    }

    /// The generated page stream.
    fn pages(self) -> impl Stream<Item = Result<Response<TokenPage>, Error>> {
        token_pages(
            self,
            |b: Self, token| async move { b.page_token_opt(token).send().await },
            |p| p.pagination.next_page_token.clone(),
            |p| p.items.len(),
        )
    }
}

/// Serves token pages from `script` (token → (items, next token)) and counts
/// requests.
async fn token_server(
    script: &'static [(&'static str, &'static [u32], Option<&'static str>)],
) -> (TestClient, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = Router::new().route(
        "/things",
        get(move |Query(query): Query<HashMap<String, String>>| {
            counter.fetch_add(1, Ordering::SeqCst);
            let token = query.get("page_token").cloned().unwrap_or_default();
            let page = script
                .iter()
                .find(|(t, _, _)| *t == token)
                .map(|(_, items, next)| json!({"items": items, "pagination": {"next_page_token": next}}))
                .unwrap_or_else(|| json!({"items": [], "pagination": {}}));
            async move { Json(page) }
        }),
    );
    let base = serve(app).await;
    let client = ClientBuilder::new(&base, &[]).retry(RetryPolicy::disabled()).build().expect("valid config");
    (client, hits)
}

fn list(client: &TestClient) -> ListThings {
    ListThings { core: client.0.clone(), page_token: None }
}

#[tokio::test]
async fn token_pages_stop_on_an_empty_token() {
    static SCRIPT: &[(&str, &[u32], Option<&str>)] =
        &[("", &[1, 2], Some("b")), ("b", &[3, 4], Some("c")), ("c", &[5], Some(""))];
    let (client, hits) = token_server(SCRIPT).await;
    let stream = list(&client).pages();
    assert_eq!(hits.load(Ordering::SeqCst), 0, "nothing sent before polling");
    let pages: Vec<Response<TokenPage>> = stream.try_collect().await.expect("pages");
    assert_eq!(pages.len(), 3);
    assert_eq!(hits.load(Ordering::SeqCst), 3);

    let all: Vec<u32> = items(list(&client).pages(), |p| p.into_body().items).try_collect().await.expect("items");
    assert_eq!(all, vec![1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn token_pages_stop_on_a_missing_token_or_an_empty_page() {
    static SCRIPT: &[(&str, &[u32], Option<&str>)] = &[("", &[1], Some("b")), ("b", &[2], None)];
    let (client, hits) = token_server(SCRIPT).await;
    let pages: Vec<_> = list(&client).pages().try_collect().await.expect("pages");
    assert_eq!(pages.len(), 2);
    assert_eq!(hits.load(Ordering::SeqCst), 2);

    // Page "b" is empty although it names a next token: the stream ends.
    static EMPTY: &[(&str, &[u32], Option<&str>)] = &[("", &[1], Some("b")), ("b", &[], Some("c")), ("c", &[9], None)];
    let (client, hits) = token_server(EMPTY).await;
    let pages: Vec<_> = list(&client).pages().try_collect().await.expect("pages");
    assert_eq!(pages.len(), 1);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn token_pages_stop_on_a_repeated_token() {
    static SCRIPT: &[(&str, &[u32], Option<&str>)] =
        &[("", &[1], Some("a")), ("a", &[2], Some("b")), ("b", &[3], Some("a"))];
    let (client, hits) = token_server(SCRIPT).await;
    let all: Vec<u32> = items(list(&client).pages(), |p| p.into_body().items).try_collect().await.expect("items");
    assert_eq!(all, vec![1, 2, 3]);
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn an_error_ends_the_stream() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let stream = token_pages(
        (),
        move |(), token: Option<String>| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move {
                if n == 0 {
                    Ok::<_, Error>((vec![1], Some(format!("t{}", token.unwrap_or_default()))))
                } else {
                    Err(Error::timeout(None))
                }
            }
        },
        |p: &(Vec<u32>, Option<String>)| p.1.clone(),
        |p| p.0.len(),
    );
    let results: Vec<_> = stream.collect().await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert!(matches!(results[1].as_ref().map_err(Error::kind), Err(ErrorKind::Timeout { .. })));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[derive(Debug, Deserialize)]
struct OffsetPage {
    data: Vec<u32>,
    total: Option<i64>,
}

#[tokio::test]
async fn offset_pages_walk_to_the_total() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    // 7 items, pages of at most 3, total reported.
    let app = Router::new().route(
        "/rows",
        get(move |Query(query): Query<HashMap<String, i64>>| {
            counter.fetch_add(1, Ordering::SeqCst);
            let offset = query.get("offset").copied().unwrap_or(0);
            let data: Vec<i64> = (offset..(offset + 3).min(7)).collect();
            async move { Json(json!({"data": data, "total": 7})) }
        }),
    );
    let base = serve(app).await;
    let client: TestClient = ClientBuilder::new(&base, &[]).build().expect("valid config");

    let fetch = |core: Core, offset: i64| async move {
        let mut request = Request::new("listRows", Method::GET, "/rows", "/rows".to_owned());
        request.query("offset", offset);
        let raw = core.execute(request).await?;
        decode_json::<OffsetPage>(&raw)
    };
    let stream = offset_pages(client.0.clone(), 0, fetch, |p| p.data.len(), |p| p.total);
    assert_eq!(hits.load(Ordering::SeqCst), 0, "nothing sent before polling");
    let pages: Vec<OffsetPage> = stream.try_collect().await.expect("pages");
    assert_eq!(pages.len(), 3);
    assert_eq!(hits.load(Ordering::SeqCst), 3, "no request past the total");
    let rows: Vec<u32> = pages.into_iter().flat_map(|p| p.data).collect();
    assert_eq!(rows, vec![0, 1, 2, 3, 4, 5, 6]);

    // Without a total, the walk ends on the first empty page.
    let stream = offset_pages(
        client.0.clone(),
        3,
        move |core: Core, offset: i64| async move {
            let page = fetch(core, offset).await?;
            Ok::<_, Error>(OffsetPage { total: None, ..page })
        },
        |p| p.data.len(),
        |p| p.total,
    );
    let rows: Vec<u32> = items(stream, |p| p.data).try_collect().await.expect("items");
    assert_eq!(rows, vec![3, 4, 5, 6]);
}

#[derive(Debug, Deserialize)]
struct NumberedPage {
    results: Vec<u32>,
    total_pages: Option<i64>,
}

#[tokio::test]
async fn page_number_pages_count_up_to_the_last_page() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    // 7 items, 3 per page: pages 1..=3, the page count reported.
    let app = Router::new().route(
        "/rows",
        get(move |Query(query): Query<HashMap<String, i64>>| {
            counter.fetch_add(1, Ordering::SeqCst);
            let page = query.get("page").copied().unwrap_or(1);
            let start = (page - 1) * 3;
            let results: Vec<i64> = (start..(start + 3).min(7)).collect();
            async move { Json(json!({"results": results, "total_pages": 3})) }
        }),
    );
    let base = serve(app).await;
    let client: TestClient = ClientBuilder::new(&base, &[]).build().expect("valid config");

    let fetch = |core: Core, page: i64| async move {
        let mut request = Request::new("listRows", Method::GET, "/rows", "/rows".to_owned());
        request.query("page", page);
        let raw = core.execute(request).await?;
        decode_json::<NumberedPage>(&raw)
    };
    let stream = page_number_pages(client.0.clone(), 1, fetch, |p| p.results.len(), |p| p.total_pages);
    assert_eq!(hits.load(Ordering::SeqCst), 0, "nothing sent before polling");
    let pages: Vec<NumberedPage> = stream.try_collect().await.expect("pages");
    assert_eq!(pages.len(), 3);
    assert_eq!(hits.load(Ordering::SeqCst), 3, "no request past the last page");
    let rows: Vec<u32> = pages.into_iter().flat_map(|p| p.results).collect();
    assert_eq!(rows, vec![0, 1, 2, 3, 4, 5, 6]);

    // Without a page count, the walk ends on the first empty page (page 4).
    let before = hits.load(Ordering::SeqCst);
    let stream = page_number_pages(
        client.0.clone(),
        2,
        move |core: Core, page: i64| async move {
            let page = fetch(core, page).await?;
            Ok::<_, Error>(NumberedPage { total_pages: None, ..page })
        },
        |p| p.results.len(),
        |p| p.total_pages,
    );
    let rows: Vec<u32> = items(stream, |p| p.results).try_collect().await.expect("items");
    assert_eq!(rows, vec![3, 4, 5, 6]);
    assert_eq!(hits.load(Ordering::SeqCst) - before, 3, "pages 2 and 3, then the empty page 4");
}

#[tokio::test]
async fn streams_are_send() {
    fn send<T: Send>(value: T) -> T {
        value
    }
    let (client, _hits) = token_server(&[("", &[1], None)]).await;
    let pages = send(list(&client).pages());
    let flat = send(items(pages, |p| p.into_body().items));
    let offsets = send(offset_pages(
        client.0.clone(),
        0,
        |_core: Core, _offset| async { Ok::<Value, Error>(json!([])) },
        |_| 0,
        |_| None,
    ));
    // Streams can run on another task.
    let all = tokio::spawn(async move { flat.try_collect::<Vec<u32>>().await }).await.expect("task").expect("items");
    assert_eq!(all, vec![1]);
    let none =
        tokio::spawn(async move { offsets.try_collect::<Vec<Value>>().await }).await.expect("task").expect("pages");
    assert!(none.is_empty());
}
