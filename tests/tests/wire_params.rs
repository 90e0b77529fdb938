//! Parameter styles on the wire, over loopback: the request line and
//! `Cookie` header a server receives when a request is built the way
//! generated code builds it (`tests/fixtures/param_styles.yaml` and its
//! snapshot show the generated calls), including the literal delimiters the
//! URL layer must not re-encode.

use std::sync::{Arc, Mutex};

use api_clients::runtime::__private::{cookie_param, header_param, path_param, query_param, ParamStyle, Request};
use api_clients::runtime::{ClientBuilder, Core, RetryPolicy, SecurityScheme};
use axum::extract::Request as HttpRequest;
use axum::http::StatusCode;
use axum::Router;
use integration_tests::{serve, test_core, TestClient};
use reqwest::Method;
use serde::Serialize;
use serde_json::json;

/// What the server saw: the path and query as sent, and the `Cookie` headers.
#[derive(Debug, Clone, Default, PartialEq)]
struct Seen {
    uri: String,
    cookies: Vec<String>,
    headers: Vec<(String, String)>,
}

async fn recorder() -> (String, Arc<Mutex<Vec<Seen>>>) {
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let log = seen.clone();
    let app = Router::new().fallback(move |request: HttpRequest| {
        let log = log.clone();
        async move {
            let headers = request.headers();
            let cookies = headers.get_all("cookie").iter().map(|v| v.to_str().unwrap_or("?").to_owned()).collect();
            let x_headers = headers
                .iter()
                .filter(|(name, _)| name.as_str().starts_with("x-"))
                .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap_or("?").to_owned()))
                .collect();
            let uri = request.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
            log.lock().unwrap_or_else(|e| e.into_inner()).push(Seen { uri, cookies, headers: x_headers });
            StatusCode::NO_CONTENT
        }
    });
    (serve(app).await, seen)
}

async fn send(core: &Core, seen: &Arc<Mutex<Vec<Seen>>>, request: Request) -> Seen {
    if let Err(err) = core.execute(request).await {
        panic!("request failed: {err}");
    }
    seen.lock().unwrap_or_else(|e| e.into_inner()).pop().unwrap_or_default()
}

#[derive(Serialize)]
struct Color {
    #[serde(rename = "R")]
    r: u8,
    #[serde(rename = "G")]
    g: u8,
    #[serde(rename = "B")]
    b: u8,
}

const COLOR: Color = Color { r: 100, g: 200, b: 150 };

#[tokio::test]
async fn path_styles_reach_the_server_as_written() {
    let (base, seen) = recorder().await;
    let core = test_core(&base, RetryPolicy::disabled());
    let ids = ["blue", "black", "brown"];
    let path = [
        "/label/",
        &path_param("id", &5, ParamStyle::Label, false),
        "/",
        &path_param("ids", &ids, ParamStyle::Label, false),
        "/",
        &path_param("color", &COLOR, ParamStyle::Label, true),
        "/matrix",
        &path_param("ids", &ids, ParamStyle::Matrix, true),
        &path_param("color", &COLOR, ParamStyle::Matrix, false),
        "/simple/",
        &path_param("color", &COLOR, ParamStyle::Simple, true),
    ]
    .concat();
    let got = send(&core, &seen, Request::new("getLabel", Method::GET, "/label/{id}", path)).await;
    assert_eq!(
        got.uri,
        "/label/.5/.blue.black.brown/.R=100.G=200.B=150/matrix;ids=blue;ids=black;ids=brown;color=R,100,G,200,B,150/simple/R=100,G=200,B=150"
    );
}

#[tokio::test]
async fn query_styles_keep_their_delimiters_beside_plain_pairs() {
    let (base, seen) = recorder().await;
    let core = test_core(&base, RetryPolicy::disabled());
    let mut request = Request::new("search", Method::GET, "/query", "/query".to_owned());
    request.query("plain", "a b");
    request.query_encoded(query_param("words", &["a,b", "c"], ParamStyle::SpaceDelimited, false));
    request.query_encoded(query_param("states", &["open", "closed"], ParamStyle::PipeDelimited, false));
    let filter = json!({"name": "x|y", "minPrice": 2.5, "range": {"from": 1, "to": null}});
    request.query_encoded(query_param("filter", &filter, ParamStyle::DeepObject, true));
    request.query_encoded(query_param("color", &COLOR, ParamStyle::Form, true));
    request.query_encoded(query_param("empty", &json!({}), ParamStyle::DeepObject, true));
    let got = send(&core, &seen, request).await;
    assert_eq!(
        got.uri,
        "/query?plain=a+b&words=a%2Cb%20c&states=open|closed&filter[name]=x%7Cy&filter[minPrice]=2.5&filter[range][from]=1&R=100&G=200&B=150"
    );
}

#[tokio::test]
async fn header_objects_and_cookie_arrays() {
    let (base, seen) = recorder().await;
    let core = test_core(&base, RetryPolicy::disabled());
    let mut request = Request::new("getHeaders", Method::GET, "/headers", "/headers".to_owned());
    request.header("X-Color", header_param(&COLOR, true));
    request.header("cookie", ["session", "=", "s1"].concat());
    request.header("cookie", ["prefs", "=", &cookie_param(&["a", "b c"])].concat());
    let got = send(&core, &seen, request).await;
    assert_eq!(got.headers, vec![("x-color".to_owned(), "R=100,G=200,B=150".to_owned())]);
    assert_eq!(got.cookies, vec!["session=s1; prefs=a,b%20c".to_owned()]);
}

/// The API key cookie of the client and the operation's cookie parameters
/// are all sent, in one `Cookie` header: a parameter used to replace the key.
#[tokio::test]
async fn an_api_key_cookie_survives_cookie_parameters() {
    static SCHEMES: &[SecurityScheme] = &[SecurityScheme::ApiKeyCookie("sid")];
    let (base, seen) = recorder().await;
    let core =
        match ClientBuilder::<TestClient>::new(&base, SCHEMES).api_key("k3y").retry(RetryPolicy::disabled()).build() {
            Ok(TestClient(core)) => core,
            Err(err) => panic!("client: {err}"),
        };
    let mut request = Request::new("getHeaders", Method::GET, "/headers", "/headers".to_owned());
    request.header("cookie", "session=s1");
    request.header("cookie", "theme=dark");
    let got = send(&core, &seen, request).await;
    assert_eq!(got.cookies, vec!["sid=k3y; session=s1; theme=dark".to_owned()]);

    let plain = Request::new("getHeaders", Method::GET, "/headers", "/headers".to_owned());
    assert_eq!(send(&core, &seen, plain).await.cookies, vec!["sid=k3y".to_owned()]);
}
