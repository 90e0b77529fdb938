//! Security per operation, over loopback: each request carries exactly the
//! credentials its operation's requirements name (generated code calls
//! `request.security(..)` with them; see the `security` fixture snapshot),
//! chosen from what the client was configured with.

use std::sync::{Arc, Mutex};

use api_clients::runtime::__private::Request;
use api_clients::runtime::{ClientBuilder, Core, RetryPolicy, SecurityScheme};
use axum::extract::Request as HttpRequest;
use axum::http::StatusCode;
use axum::Router;
use integration_tests::{serve, TestClient};
use reqwest::Method;

/// Every scheme kind the runtime applies.
static SCHEMES: &[SecurityScheme] = &[
    SecurityScheme::Bearer,
    SecurityScheme::Basic,
    SecurityScheme::ApiKeyHeader("X-Key"),
    SecurityScheme::ApiKeyQuery("key"),
    SecurityScheme::ApiKeyCookie("sid"),
];

const BEARER: SecurityScheme = SecurityScheme::Bearer;
const BASIC: SecurityScheme = SecurityScheme::Basic;
const KEY_HEADER: SecurityScheme = SecurityScheme::ApiKeyHeader("X-Key");
const KEY_QUERY: SecurityScheme = SecurityScheme::ApiKeyQuery("key");
const KEY_COOKIE: SecurityScheme = SecurityScheme::ApiKeyCookie("sid");

/// What the server saw of the credentials: `Authorization`, `X-Key`,
/// `Cookie`, and the query.
#[derive(Debug, Default, PartialEq)]
struct Seen {
    authorization: Option<String>,
    x_key: Vec<String>,
    cookie: Vec<String>,
    query: Option<String>,
}

struct Server {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

async fn server() -> Server {
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let log = seen.clone();
    let app = Router::new().fallback(move |request: HttpRequest| {
        let log = log.clone();
        async move {
            let headers = request.headers();
            let all = |name: &str| -> Vec<String> {
                headers.get_all(name).iter().map(|v| v.to_str().unwrap_or("?").to_owned()).collect()
            };
            let entry = Seen {
                authorization: all("authorization").into_iter().next(),
                x_key: all("x-key"),
                cookie: all("cookie"),
                query: request.uri().query().map(str::to_owned),
            };
            log.lock().unwrap_or_else(|e| e.into_inner()).push(entry);
            StatusCode::NO_CONTENT
        }
    });
    Server { base: serve(app).await, seen }
}

impl Server {
    fn client(&self, configure: impl FnOnce(ClientBuilder<TestClient>) -> ClientBuilder<TestClient>) -> Core {
        let builder = ClientBuilder::<TestClient>::new(&self.base, SCHEMES).retry(RetryPolicy::disabled());
        match configure(builder).build() {
            Ok(TestClient(core)) => core,
            Err(err) => panic!("client: {err}"),
        }
    }

    /// Sends `GET /op` with `requirements` (and `extra` parameters) and
    /// returns what the server saw.
    async fn call(
        &self,
        core: &Core,
        requirements: Option<&'static [&'static [SecurityScheme]]>,
        extra: impl FnOnce(&mut Request),
    ) -> Seen {
        let mut request = Request::new("op", Method::GET, "/op", "/op".to_owned());
        if let Some(requirements) = requirements {
            request.security(requirements);
        }
        extra(&mut request);
        if let Err(err) = core.execute(request).await {
            panic!("request failed: {err}");
        }
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).pop().unwrap_or_default()
    }
}

const TOKEN: &str = "Bearer t0ken";

#[tokio::test]
async fn an_anonymous_operation_gets_no_credentials() {
    let server = server().await;
    let core = server.client(|b| b.bearer_token("t0ken").api_key("k3y"));
    assert_eq!(server.call(&core, Some(&[]), |_| {}).await, Seen::default());
    // Without declared requirements, what is configured is sent (as before).
    let legacy = server.call(&core, None, |_| {}).await;
    assert_eq!(legacy.authorization.as_deref(), Some(TOKEN));
    assert_eq!(legacy.x_key, ["k3y"]);
}

#[tokio::test]
async fn an_operation_gets_only_the_scheme_it_names() {
    let server = server().await;
    let core = server.client(|b| b.bearer_token("t0ken").api_key("k3y"));
    let by_key = server.call(&core, Some(&[&[KEY_HEADER]]), |_| {}).await;
    assert_eq!(by_key, Seen { x_key: vec!["k3y".into()], ..Seen::default() });
    let by_token = server.call(&core, Some(&[&[BEARER]]), |_| {}).await;
    assert_eq!(by_token, Seen { authorization: Some(TOKEN.into()), ..Seen::default() });
    // The same key, where this operation's scheme puts it.
    let in_query = server.call(&core, Some(&[&[KEY_QUERY]]), |_| {}).await;
    assert_eq!(in_query, Seen { query: Some("key=k3y".into()), ..Seen::default() });
}

#[tokio::test]
async fn an_and_set_sends_all_its_schemes_or_none() {
    let server = server().await;
    let both = server.client(|b| b.bearer_token("t0ken").api_key("k3y"));
    let seen = server.call(&both, Some(&[&[BEARER, KEY_HEADER]]), |_| {}).await;
    assert_eq!(seen, Seen { authorization: Some(TOKEN.into()), x_key: vec!["k3y".into()], ..Seen::default() });
    // Half of an AND-set is not sent: the alternative is not satisfied.
    let token_only = server.client(|b| b.bearer_token("t0ken"));
    assert_eq!(server.call(&token_only, Some(&[&[BEARER, KEY_HEADER]]), |_| {}).await, Seen::default());
}

#[tokio::test]
async fn the_first_satisfied_alternative_is_sent() {
    let server = server().await;
    let alternatives: &'static [&'static [SecurityScheme]] = &[&[BASIC], &[KEY_QUERY], &[KEY_HEADER]];
    let key_only = server.client(|b| b.api_key("k3y"));
    let seen = server.call(&key_only, Some(alternatives), |_| {}).await;
    assert_eq!(seen, Seen { query: Some("key=k3y".into()), ..Seen::default() });
    let basic = server.client(|b| b.basic_auth("user", "pass").api_key("k3y"));
    let seen = server.call(&basic, Some(alternatives), |_| {}).await;
    assert_eq!(seen, Seen { authorization: Some("Basic dXNlcjpwYXNz".into()), ..Seen::default() });
    // An optional requirement (`{}` among the alternatives) is anonymous when nothing matches.
    let nothing = server.client(|b| b);
    assert_eq!(server.call(&nothing, Some(&[&[BEARER], &[]]), |_| {}).await, Seen::default());
}

#[tokio::test]
async fn api_keys_coexist_with_parameters_of_the_same_location() {
    let server = server().await;
    let core = server.client(|b| b.api_key("k3y"));
    let header = server.call(&core, Some(&[&[KEY_HEADER]]), |r| r.header("X-Trace", "t1")).await;
    assert_eq!(header.x_key, ["k3y"]);
    let query = server.call(&core, Some(&[&[KEY_QUERY]]), |r| r.query("limit", 5)).await;
    assert_eq!(query.query.as_deref(), Some("limit=5&key=k3y"));
    let styled = server
        .call(&core, Some(&[&[KEY_QUERY]]), |r| {
            r.query_encoded(api_clients::runtime::__private::query_param(
                "filter",
                &serde_json::json!({"a": 1}),
                api_clients::runtime::__private::ParamStyle::DeepObject,
                true,
            ))
        })
        .await;
    assert_eq!(styled.query.as_deref(), Some("key=k3y&filter[a]=1"));
    let cookie = server
        .call(&core, Some(&[&[KEY_COOKIE]]), |r| {
            r.header("cookie", "theme=dark");
            r.header("cookie", "lang=en");
        })
        .await;
    assert_eq!(cookie.cookie, ["sid=k3y; theme=dark; lang=en"]);
}

#[test]
fn requests_debug_their_requirements_not_their_credentials() {
    let mut request = Request::new("op", Method::GET, "/op", "/op".to_owned());
    request.security(&[&[KEY_HEADER]]);
    let debug = format!("{request:?}");
    assert!(debug.contains("ApiKeyHeader(\"X-Key\")"), "{debug}");
}

#[tokio::test]
async fn each_api_key_scheme_can_have_its_own_key() {
    let server = server().await;
    let core = server.client(|b| b.api_key("shared").api_key_for("key", "query-only"));
    let seen = server.call(&core, Some(&[&[KEY_HEADER, KEY_QUERY]]), |_| {}).await;
    assert_eq!(
        seen,
        Seen { x_key: vec!["shared".into()], query: Some("key=query-only".into()), ..Seen::default() },
        "a scheme with its own key sends it; the others the shared one"
    );
    // Header names match case-insensitively; without a shared key, a scheme
    // with no key of its own is not configured.
    let header_only = server.client(|b| b.api_key_for("x-key", "h"));
    assert_eq!(server.call(&header_only, Some(&[&[KEY_HEADER]]), |_| {}).await.x_key, ["h"]);
    assert_eq!(server.call(&header_only, Some(&[&[KEY_HEADER, KEY_QUERY]]), |_| {}).await, Seen::default());
}

#[tokio::test]
async fn a_key_for_a_name_no_scheme_sends_is_a_config_error() {
    let builder = ClientBuilder::<TestClient>::new("http://127.0.0.1:9", SCHEMES).api_key_for("X-Other", "k");
    match builder.build() {
        Ok(_) => panic!("an unknown key name must not build"),
        Err(err) => {
            let text = err.to_string();
            assert!(text.contains("X-Other") && !text.contains(": k"), "{text}");
        }
    }
}

/// The IBM token operation needs `X-IBM-Client-Id` and `X-IBM-Client-Secret`
/// together: the generated setters give each header its own value.
#[tokio::test]
async fn the_ibm_client_id_and_secret_go_in_their_own_headers() {
    use api_clients::api_connect::{self, types::TokenRequest, ClientBuilderExt};
    let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let log = seen.clone();
    let app = Router::new().fallback(move |request: HttpRequest| {
        let log = log.clone();
        async move {
            let header =
                |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned();
            log.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((header("x-ibm-client-id"), header("x-ibm-client-secret")));
            StatusCode::UNAUTHORIZED
        }
    });
    let base = serve(app).await;
    let client = api_connect::Client::builder()
        .base_url(&base)
        .retry(RetryPolicy::disabled())
        .x_ibm_consumer_context("porg.sandbox")
        .x_ibm_client_id("id-1")
        .x_ibm_client_secret("secret-2")
        .build()
        .expect("builds");
    let body = TokenRequest::new("password", "id-1", "secret-2");
    let _ = client.create_token(body).send().await.expect_err("the server answers 401");
    let seen = seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert_eq!(seen, vec![("id-1".to_owned(), "secret-2".to_owned())]);
}
