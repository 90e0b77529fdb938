//! The inferred pagination styles over loopback, with request builders shaped
//! like the generated ones: RFC 8288 `Link: rel="next"` headers (GitHub) and
//! Stripe's `has_more` + last item id, three pages each.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use api_clients::runtime::__private::{
    api_error, cursor_from_last_item, decode_json, items, link_pages, token_pages, Request,
};
use api_clients::runtime::{CallOptions, Core, Error, ErrorKind, Response, RetryPolicy};
use axum::extract::Query;
use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use futures::{Stream, StreamExt, TryStreamExt};
use integration_tests::{serve, test_core};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

fn core(base: &str) -> Core {
    test_core(base, RetryPolicy::disabled())
}

type Log = Arc<Mutex<Vec<String>>>;

fn record(log: &Log, query: &HashMap<String, String>) {
    let mut pairs: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.sort();
    if let Ok(mut log) = log.lock() {
        log.push(pairs.join("&"));
    }
}

/// Like the generated builder of a GitHub-style `GET /repos` (`page`/`per_page`).
#[derive(Clone)]
struct ListRepos {
    core: Core,
    per_page: Option<u32>,
    options: CallOptions,
}

impl ListRepos {
    async fn send_with_response(self) -> Result<Response<Vec<String>>, Error> {
        let mut request = Request::new("listRepos", Method::GET, "/repos", "/repos".to_owned());
        if let Some(value) = &self.per_page {
            request.query("per_page", value);
        }
        request.options = self.options;
        let raw = self.core.execute(request).await?;
        if !raw.status.is_success() {
            return Err(api_error::<integration_tests::UndocumentedErrors>(raw).into());
        }
        let body = decode_json(&raw)?;
        Ok(Response::new(raw.status, raw.headers, body))
    }

    /// As generated for a `Link`-paginated operation.
    fn pages(self) -> impl Stream<Item = Result<Vec<String>, Error>> {
        link_pages(
            self,
            |mut request: Self, next: Option<String>| {
                if let Some(url) = next {
                    request.options = request.options.next_page_url(url);
                }
                request.send_with_response()
            },
            |page: &Vec<String>| page.len(),
        )
    }
}

/// Pages 1–3 of two repos each (the last of one); page 1 links absolutely,
/// page 2 relatively; `foreign` makes page 1 link to another host.
async fn repos_server(log: Log, foreign: bool) -> String {
    let handler = move |Query(query): Query<HashMap<String, String>>, headers: HeaderMap| {
        let log = log.clone();
        async move {
            record(&log, &query);
            let page: u32 = query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default().to_owned();
            let link = match page {
                1 if foreign => r#"<http://elsewhere.example/repos?page=2>; rel="next""#.to_owned(),
                1 => format!(
                    r#"<http://{host}/repos?per_page=2&page=2>; rel="next", <http://{host}/repos?per_page=2&page=3>; rel="last""#
                ),
                2 => r#"</repos?per_page=2&page=1>; rel="prev", </repos?per_page=2&page=3>; rel="next""#.to_owned(),
                _ => r#"</repos?per_page=2&page=1>; rel="first""#.to_owned(),
            };
            let repos: Vec<String> = match page {
                1 => vec!["a".into(), "b".into()],
                2 => vec!["c".into(), "d".into()],
                3 => vec!["e".into()],
                _ => vec![],
            };
            ([(header::LINK, link)], Json(repos)).into_response()
        }
    };
    serve(Router::new().route("/repos", get(handler))).await
}

#[tokio::test]
async fn link_headers_are_followed_over_three_pages() {
    let log: Log = Arc::default();
    let base = repos_server(log.clone(), false).await;
    let builder = ListRepos { core: core(&base), per_page: Some(2), options: CallOptions::default() };
    let pages: Vec<Vec<String>> = builder.clone().pages().try_collect().await.expect("pages");
    assert_eq!(pages, vec![vec!["a", "b"], vec!["c", "d"], vec!["e"]]);
    let requests = log.lock().map(|l| l.clone()).unwrap_or_default();
    assert_eq!(requests, ["per_page=2", "page=2&per_page=2", "page=3&per_page=2"]);

    let all: Vec<String> = items(builder.pages(), |page: Vec<String>| page).try_collect().await.expect("items");
    assert_eq!(all, ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn a_link_to_another_origin_is_refused() {
    let log: Log = Arc::default();
    let base = repos_server(log.clone(), true).await;
    let builder = ListRepos { core: core(&base), per_page: None, options: CallOptions::default() };
    let results: Vec<Result<Vec<String>, Error>> = builder.pages().collect().await;
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[0].as_ref().ok(), Some(&vec!["a".to_owned(), "b".to_owned()]));
    match results[1].as_ref().map_err(Error::kind) {
        Err(ErrorKind::InvalidRequest { field, .. }) => assert_eq!(field, "Link"),
        other => panic!("expected a refused link, got {other:?}"),
    }
    assert_eq!(log.lock().map(|l| l.len()).unwrap_or_default(), 1, "nothing was sent for the foreign link");
}

#[derive(Debug, Deserialize)]
struct Customer {
    id: String,
}

#[derive(Debug, Deserialize)]
struct CustomerPage {
    data: Vec<Customer>,
    has_more: bool,
}

/// Like the generated builder of a Stripe-style `GET /customers`.
#[derive(Clone)]
struct ListCustomers {
    core: Core,
    starting_after: Option<String>,
    limit: Option<u32>,
}

impl ListCustomers {
    async fn send(self) -> Result<CustomerPage, Error> {
        let mut request = Request::new("listCustomers", Method::GET, "/customers", "/customers".to_owned());
        if let Some(value) = &self.starting_after {
            request.query("starting_after", value);
        }
        if let Some(value) = &self.limit {
            request.query("limit", value);
        }
        let raw = self.core.execute(request).await?;
        decode_json(&raw)
    }

    fn next_token(page: &CustomerPage) -> Option<String> {
        cursor_from_last_item(page.has_more, &page.data, |item| Some(item.id.clone()))
    }

    /// As generated for the `cursor (starting_after <- last item id, has_more)` rule.
    fn pages(self) -> impl Stream<Item = Result<CustomerPage, Error>> {
        token_pages(
            self,
            |mut request: Self, token: Option<String>| {
                if token.is_some() {
                    request.starting_after = token;
                }
                request.send()
            },
            Self::next_token,
            |page| page.data.len(),
        )
    }
}

#[tokio::test]
async fn stripe_cursors_come_from_the_last_item_over_three_pages() {
    let log: Log = Arc::default();
    let server_log = log.clone();
    let handler = move |Query(query): Query<HashMap<String, String>>| {
        let log = server_log.clone();
        async move {
            record(&log, &query);
            let ids = ["cus_1", "cus_2", "cus_3", "cus_4", "cus_5"];
            let start = match query.get("starting_after") {
                Some(after) => ids.iter().position(|id| id == after).map_or(ids.len(), |i| i + 1),
                None => 0,
            };
            let end = (start + 2).min(ids.len());
            let data: Vec<Value> = ids[start..end].iter().map(|id| json!({"id": id, "object": "customer"})).collect();
            Json(json!({"object": "list", "data": data, "has_more": end < ids.len()}))
        }
    };
    let base = serve(Router::new().route("/customers", get(handler))).await;
    let builder = ListCustomers { core: core(&base), starting_after: None, limit: Some(2) };
    let pages: Vec<Vec<String>> = builder
        .pages()
        .map_ok(|page| page.data.into_iter().map(|c| c.id).collect())
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(pages, vec![vec!["cus_1", "cus_2"], vec!["cus_3", "cus_4"], vec!["cus_5"]]);
    let requests = log.lock().map(|l| l.clone()).unwrap_or_default();
    assert_eq!(requests, ["limit=2", "limit=2&starting_after=cus_2", "limit=2&starting_after=cus_4"]);
}
