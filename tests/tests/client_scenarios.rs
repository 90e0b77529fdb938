//! The generated clients against loopback servers that answer as the real
//! services would, or misbehave on purpose.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use api_clients::api_connect::ClientBuilderExt as _;
use api_clients::runtime::ErrorKind;
use api_clients::{api_connect, apono};
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use futures::TryStreamExt;
use integration_tests::serve;
use serde_json::json;

/// What the server saw: the request line (path and query) and selected headers.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<String>>>);

impl Seen {
    fn record(&self, entry: String) {
        self.0.lock().expect("lock").push(entry);
    }
    fn entries(&self) -> Vec<String> {
        self.0.lock().expect("lock").clone()
    }
}

fn integration(id: &str) -> serde_json::Value {
    json!({"id": id, "name": id, "type": "postgresql", "category": "DATABASE", "status": "Active",
           "integration_config": {"host": "db"}, "a_field_from_the_future": true})
}

async fn apono_client(base: &str) -> apono::Client {
    apono::Client::builder().base_url(base).bearer_token("secret-token-value").build().expect("client builds")
}

#[tokio::test]
async fn token_pagination_streams_every_page_and_stops_on_the_last() {
    let mock = apono::mock::MockServer::start().await;
    let page = |ids: &[&str]| -> apono::types::IntegrationV4List {
        let items = ids.iter().map(|id| serde_json::from_value(integration(id)).expect("an integration"));
        apono::types::IntegrationV4List::new(items.collect::<Vec<_>>(), apono::types::TokenPagination::new())
    };
    // Every request carries `limit=2`; the pages are chained by their tokens.
    mock.list_integrations_v4().matching(|req| req.limit == Some(2)).respond_pages(vec![
        page(&["a", "b"]),
        page(&["c", "d"]),
        page(&["e"]),
    ]);
    let items: Vec<apono::types::IntegrationV4> =
        mock.client().list_integrations_v4().limit(2).items().try_collect().await.expect("all pages");
    let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    // Dropping the mock checks that each page was fetched exactly once.
}

#[tokio::test]
async fn repeated_token_ends_the_stream() {
    let app = Router::new().route(
        "/api/admin/v4/integrations",
        get(|| async { axum::Json(json!({"items": [integration("x")], "pagination": {"next_page_token": "same"}})) }),
    );
    let client = apono_client(&serve(app).await).await;
    let items: Vec<_> = client.list_integrations_v4().items().try_collect().await.expect("stream ends");
    assert_eq!(items.len(), 2, "the first page, then the page for `same`; a second `same` stops");
}

#[tokio::test]
async fn path_parameters_stay_one_segment_and_arrays_explode() {
    let seen = Seen::default();
    let app = Router::new()
        .fallback(|State(seen): State<Seen>, OriginalUri(uri): OriginalUri, headers: HeaderMap| async move {
            let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
            seen.record(format!("{uri} {auth}"));
            axum::Json(integration("odd"))
        })
        .with_state(seen.clone());
    let client = apono_client(&serve(app).await).await;
    let fetched = client.get_integration_v4("a/b?c#d%e f é").send().await.expect("decodes");
    assert_eq!(fetched.id, "odd", "unknown fields are ignored");
    let _ = client.list_integrations_v4().status(["Active", "Error"]).name("prod*").send().await;
    let entries = seen.entries();
    assert_eq!(entries[0], "/api/admin/v4/integrations/a%2Fb%3Fc%23d%25e%20f%20%C3%A9 Bearer secret-token-value");
    assert!(
        entries[1].starts_with("/api/admin/v4/integrations?name=prod*&status=Active&status=Error "),
        "{}",
        entries[1]
    );
}

#[tokio::test]
async fn unknown_enum_values_decode_to_the_fallback() {
    let app = Router::new().route(
        "/api/v3/access-requests/{id}",
        get(|| async {
            axum::Json(json!({"request_id": "r1", "friendly_request_id": "AR-1", "user_id": "u", "status": "ON_HOLD",
                "integration_id": "i", "resource_ids": [], "permissions": [], "justification": "j"}))
        }),
    );
    let client = apono_client(&serve(app).await).await;
    let request = client.get_access_request("r1").send().await.expect("decodes");
    let apono::types::AccessStatus::Unknown(value) = &request.status else { panic!("{:?}", request.status) };
    assert_eq!(value.as_str(), "ON_HOLD");
    assert_eq!(request.status.as_str(), "ON_HOLD");
    assert_eq!(request.status, apono::types::AccessStatus::from("ON_HOLD"));
    // Sent back as received, and never equal to a known value.
    assert_eq!(serde_json::to_value(&request.status).expect("encodes"), json!("ON_HOLD"));
    assert_ne!(request.status, apono::types::AccessStatus::Pending);
}

#[test]
fn known_enum_values_never_become_the_fallback() {
    use apono::types::AccessStatus;
    assert_eq!(AccessStatus::from("PENDING"), AccessStatus::Pending);
    assert_eq!("PENDING".parse::<AccessStatus>(), Ok(AccessStatus::Pending));
    let decoded: AccessStatus = serde_json::from_value(json!("PENDING")).expect("decodes");
    assert_eq!(decoded, AccessStatus::Pending);
    assert!(!matches!(AccessStatus::from("PENDING"), AccessStatus::Unknown(_)));
}

#[test]
fn builders_report_the_first_missing_required_field() {
    use apono::types::CreateAccessRequest;
    let missing = CreateAccessRequest::builder()
        .user_id("u")
        .resource_ids(vec!["r".to_string()])
        .justification("j")
        .build()
        .expect_err("integration_id is unset");
    assert_eq!(missing.field(), "integration_id");
    assert_eq!(missing.type_name(), "CreateAccessRequest");
    assert_eq!(missing.to_string(), "`CreateAccessRequest` needs the required field `integration_id`");
    let request = CreateAccessRequest::builder()
        .user_id("u")
        .integration_id("i")
        .resource_ids(vec!["r".to_string()])
        .permissions(vec!["read".to_string()])
        .justification("j")
        .duration_in_sec(60)
        .build()
        .expect("complete");
    assert_eq!(request.integration_id, "i");
    assert_eq!(request.duration_in_sec, Some(60));
}

#[tokio::test]
async fn constraint_violations_fail_before_anything_is_sent() {
    let seen = Seen::default();
    let app = Router::new()
        .fallback(|State(seen): State<Seen>, OriginalUri(uri): OriginalUri| async move {
            seen.record(uri.to_string());
            StatusCode::OK
        })
        .with_state(seen.clone());
    let client = apono_client(&serve(app).await).await;
    let body = apono::types::CreateIntegrationV4::new("prod", "postgresql", serde_json::Map::new())
        .custom_access_details("x".repeat(401));
    let error = client.create_integration_v4(body).send().await.expect_err("too long");
    match error.kind() {
        ErrorKind::InvalidRequest { field, rule, .. } => {
            assert_eq!(field, "custom_access_details");
            assert!(rule.contains("400"), "{rule}");
        }
        other => panic!("expected an invalid request, got {other:?}"),
    }
    assert!(seen.entries().is_empty(), "nothing reached the server");
}

#[tokio::test]
async fn consumer_context_is_a_client_setting() {
    let seen = Seen::default();
    let app = Router::new()
        .fallback(|State(seen): State<Seen>, headers: HeaderMap| async move {
            let context =
                headers.get("x-ibm-consumer-context").and_then(|v| v.to_str().ok()).unwrap_or("-").to_string();
            seen.record(context);
            (StatusCode::NOT_FOUND, axum::Json(json!({"status": 404, "message": ["no such app"]})))
        })
        .with_state(seen.clone());
    let base = format!("{}/consumer-api", serve(app).await);

    let without = api_connect::Client::builder().base_url(&base).bearer_token("t").build().expect("builds");
    let error = without.get_app("org", "app").send().await.expect_err("context is required");
    assert!(
        matches!(error.kind(), ErrorKind::InvalidRequest { ref field, .. } if field == "X-IBM-Consumer-Context"),
        "{error:?}"
    );
    assert!(seen.entries().is_empty());

    // The spec's pattern (`<provider-org>.<catalog>`) is checked when the client is built.
    let malformed = api_connect::Client::builder().base_url(&base).x_ibm_consumer_context("sandbox").build();
    let Err(error) = malformed else { panic!("a context without a dot breaks the pattern") };
    assert!(matches!(error.kind(), ErrorKind::Config(_)), "{error:?}");
    assert!(error.to_string().contains("X-IBM-Consumer-Context"), "{error}");

    let client = api_connect::Client::builder()
        .base_url(&base)
        .bearer_token("t")
        .x_ibm_consumer_context("porg.sandbox")
        .build()
        .expect("builds");
    let error = client.get_app("org", "app").send().await.expect_err("404");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    let Some(api_connect::applications::GetAppError::NotFound(body)) = error.as_operation_error() else {
        panic!("the documented 404 is typed: {error:?}");
    };
    assert_eq!(body.message.as_deref(), Some(&["no such app".to_string()][..]));
    assert_eq!(seen.entries(), ["porg.sandbox"]);
}

#[tokio::test]
async fn malformed_bodies_give_located_decode_errors() {
    let app =
        Router::new().route("/api/admin/v4/integrations/{id}", get(|| async { axum::Json(json!({"id": 7})) })).route(
            "/api/v2/connectors",
            get(|| async { (StatusCode::BAD_GATEWAY, "<html><body>bad gateway</body></html>").into_response() }),
        );
    let client = apono_client(&serve(app).await).await;
    let error = client.get_integration_v4("x").send().await.expect_err("wrong type");
    match error.kind() {
        ErrorKind::Decode(decode) => assert_eq!(decode.path, "id"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    let error = client.list_connectors_v2().send().await.expect_err("html error page");
    let api = error.as_api_error().expect("api error");
    assert_eq!(api.status.as_u16(), 502);
    assert!(api.snippet().contains("bad gateway"));
    assert!(!format!("{error:?} {error}").contains("secret-token-value"), "no secret in errors");
}

#[test]
fn credentials_are_redacted_in_debug_output() {
    let credential: api_connect::types::Credential = serde_json::from_value(json!({
        "client_id": "visible-id", "client_secret": "super-secret-value", "name": "default"
    }))
    .expect("decodes");
    let debug = format!("{credential:?}");
    assert!(debug.contains("visible-id"), "{debug}");
    assert!(debug.contains("[redacted]"), "{debug}");
    assert!(!debug.contains("super-secret-value"), "{debug}");
    let client = api_connect::Client::builder().bearer_token("bearer-secret-value").build().expect("builds");
    assert!(!format!("{client:?}").contains("bearer-secret-value"));
}

/// Each kind of API error through a generated client: the documented status
/// with its typed body, `default` for an undocumented status, `Other` for a
/// body that does not decode or exceeds the cap, and the shared kinds.
#[tokio::test]
async fn each_error_kind_is_matched_without_guessing_types() {
    let huge = format!(r#"{{"status": 404, "message": ["{}"]}}"#, "x".repeat(8 * 1024 * 1024));
    let app = Router::new().fallback(move |OriginalUri(uri): OriginalUri| {
        let huge = huge.clone();
        async move {
            let problem = |status: u16| axum::Json(json!({"status": status, "message": ["no such app"]}));
            match uri.path().rsplit('/').next().unwrap_or_default() {
                "documented" => (StatusCode::NOT_FOUND, problem(404)).into_response(),
                "undocumented" => (StatusCode::SERVICE_UNAVAILABLE, problem(503)).into_response(),
                "html" => (StatusCode::NOT_FOUND, "<html>not json</html>").into_response(),
                "huge" => (StatusCode::NOT_FOUND, [("content-type", "application/json")], huge).into_response(),
                _ => (StatusCode::OK, "{}").into_response(),
            }
        }
    });
    let base = format!("{}/consumer-api", serve(app).await);
    let client = api_connect::Client::builder()
        .base_url(&base)
        .bearer_token("secret-token-value")
        .x_ibm_consumer_context("porg.sandbox")
        .max_response_body(16 * 1024 * 1024)
        .build()
        .expect("builds");
    use api_connect::applications::GetAppError;

    // A documented status: its variant, with the typed body.
    let err = client.get_app("org", "documented").send().await.expect_err("404");
    match err.as_operation_error() {
        Some(GetAppError::NotFound(body)) => assert_eq!(body.status, Some(404)),
        other => panic!("expected NotFound, got {other:?}"),
    }
    assert_eq!(err.to_string(), "getApp (GET /apps/{org}/{app}): server responded with status 404 Not Found");
    assert_eq!(err.attempts(), 1);

    // An undocumented status: the operation's `default` case, typed too.
    let err = client.get_app("org", "undocumented").send().await.expect_err("503");
    assert!(
        matches!(err.as_operation_error(), Some(GetAppError::Default(body)) if body.status == Some(503)),
        "{err:?}"
    );

    // A documented status whose body is not the documented type: `Other`, the body kept.
    let err = client.get_app("org", "html").send().await.expect_err("404 html");
    assert!(matches!(err.as_operation_error(), Some(GetAppError::Other)), "{err:?}");
    assert_eq!(err.as_api_error().map(|api| api.snippet()), Some("<html>not json</html>".to_owned()));

    // 8 MB: not decoded (beyond the 64 KiB cap), kept capped, Debug and Display bounded.
    let err = client.get_app("org", "huge").send().await.expect_err("404 huge");
    assert!(matches!(err.as_operation_error(), Some(GetAppError::Other)), "{err:?}");
    let api = err.as_api_error().expect("api error");
    assert!(api.truncated);
    assert_eq!(api.body.len(), api_clients::runtime::API_ERROR_BODY_LIMIT);
    assert!(format!("{err:?}").len() < 5 * 1024, "Debug is bounded");
    assert!(format!("{err:#?}").len() < 5 * 1024, "pretty Debug is bounded");
    assert!(err.to_string().len() < 200, "Display is one short line");
    assert!(!format!("{err:?} {err}").contains("secret-token-value"));

    // Erased for code that handles several operations alike, then read back.
    let erased: api_clients::Error = err.into();
    assert!(matches!(erased.operation_error::<GetAppError>(), Some(GetAppError::Other)));
    assert!(erased.operation_error::<api_connect::applications::ListAppsError>().is_none());

    // A transport failure names its cause, not just "transport error".
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let closed = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let client = api_connect::Client::builder()
        .base_url(&closed)
        .x_ibm_consumer_context("porg.sandbox")
        .retry(api_clients::runtime::RetryPolicy::disabled())
        .build()
        .expect("builds");
    let err = client.get_app("org", "app").send().await.expect_err("refused");
    assert!(matches!(err.kind(), ErrorKind::Transport(_)), "{err:?}");
    let text = err.to_string();
    assert!(text.starts_with("getApp (GET /apps/{org}/{app}): "), "{text}");
    assert!(text.to_ascii_lowercase().contains("refused"), "{text}");
}

/// A server whose behaviour the request picks with `x-mode`: `slow` never
/// answers in time, `unavailable` is a 503, anything else one page; it
/// records the `x-mode`, `x-trace` and `user-agent` headers it saw.
async fn moody_apono(seen: Seen) -> apono::Client {
    apono::Client::builder()
        .base_url(moody_server(seen).await)
        .bearer_token("secret-token-value")
        .default_header("x-trace", "client-default")
        .user_agent("moody-test")
        .build()
        .expect("client builds")
}

async fn moody_server(seen: Seen) -> String {
    let app = Router::new()
        .fallback(|State(seen): State<Seen>, headers: HeaderMap| async move {
            let header = |name: &str| {
                let values: Vec<&str> = headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect();
                values.join("+")
            };
            seen.record(format!("mode={} trace={} ua={}", header("x-mode"), header("x-trace"), header("user-agent")));
            match header("x-mode").as_str() {
                "slow" => {
                    tokio::time::sleep(std::time::Duration::from_secs(30)).await;
                    StatusCode::OK.into_response()
                }
                "unavailable" => StatusCode::SERVICE_UNAVAILABLE.into_response(),
                _ => axum::Json(json!({"items": [integration("a")], "pagination": {"next_page_token": null}}))
                    .into_response(),
            }
        })
        .with_state(seen);
    serve(app).await
}

#[tokio::test]
async fn per_call_headers_merge_with_the_client_defaults() {
    let seen = Seen::default();
    let client = moody_apono(seen.clone()).await;
    client.list_integrations_v4().send().await.expect("defaults only");
    client.list_integrations_v4().header("x-mode", "page").send().await.expect("a header added");
    client.list_integrations_v4().header("x-trace", "per-call").send().await.expect("a default replaced");
    assert_eq!(
        seen.entries(),
        [
            "mode= trace=client-default ua=moody-test",
            "mode=page trace=client-default ua=moody-test",
            "mode= trace=per-call ua=moody-test",
        ]
    );
    let err = client.list_integrations_v4().header("x-bad", "line\nbreak").send().await.expect_err("invalid value");
    assert!(matches!(err.kind(), ErrorKind::InvalidRequest { field, .. } if field == "x-bad"), "{err:?}");
    assert_eq!(seen.entries().len(), 3, "nothing sent for an invalid header");
}

#[tokio::test]
async fn per_call_retry_overrides_the_client_policy() {
    use api_clients::runtime::RetryPolicy;
    let seen = Seen::default();
    let client = moody_apono(seen.clone()).await;
    let fast = RetryPolicy::default().initial_backoff(Duration::from_millis(1)).max_backoff(Duration::from_millis(2));
    let err = client.list_integrations_v4().header("x-mode", "unavailable").retry(fast.max_attempts(4)).send().await;
    let err = err.expect_err("503");
    assert_eq!(err.attempts(), 4);
    assert_eq!(seen.entries().len(), 4);
    assert!(err.to_string().ends_with("status 503 Service Unavailable after 4 attempts"), "{err}");
    let err = client.list_integrations_v4().header("x-mode", "unavailable").retry(RetryPolicy::disabled()).send().await;
    assert_eq!(err.expect_err("503").attempts(), 1);
    assert_eq!(seen.entries().len(), 5);
    let page = client.list_integrations_v4().send_with_response().await.expect("ok");
    assert_eq!(page.attempts, 1, "the attempt count is on responses too");
}

#[tokio::test]
async fn attempt_and_call_timeouts_are_distinct_limits() {
    use api_clients::runtime::RetryPolicy;
    let seen = Seen::default();
    let client = moody_apono(seen.clone()).await;
    let fast = RetryPolicy::default().initial_backoff(Duration::from_millis(1)).max_backoff(Duration::from_millis(2));

    // The attempt timeout bounds each attempt; timed-out attempts are retried.
    let err = client
        .list_integrations_v4()
        .header("x-mode", "slow")
        .attempt_timeout(Duration::from_millis(50))
        .retry(fast.clone().max_attempts(3))
        .send()
        .await
        .expect_err("every attempt times out");
    assert!(matches!(err.kind(), ErrorKind::Timeout { whole_call: false, .. }), "{err:?}");
    assert_eq!(err.attempts(), 3);
    assert!(err.to_string().contains("timed out after 3 attempts, "), "{err}");
    assert!(err.to_string().ends_with("(attempt timeout 50 ms)"), "{err}");

    // The call timeout bounds the whole call, whatever attempt is under way.
    let err = client
        .list_integrations_v4()
        .header("x-mode", "slow")
        .timeout(Duration::from_millis(100))
        .attempt_timeout(Duration::from_secs(60))
        .retry(fast.max_attempts(3))
        .send()
        .await
        .expect_err("the call times out");
    assert!(matches!(err.kind(), ErrorKind::Timeout { whole_call: true, .. }), "{err:?}");
    assert_eq!(err.attempts(), 1, "the first attempt was still waiting");
    assert!(err.to_string().ends_with("(call timeout 100 ms)"), "{err}");

    // It bounds the backoff between attempts too: a 60 s backoff is cut short.
    let patient = RetryPolicy::default()
        .initial_backoff(Duration::from_secs(60))
        .max_backoff(Duration::from_secs(60))
        .max_elapsed(Duration::from_secs(600));
    let before = seen.entries().len();
    let err = client
        .list_integrations_v4()
        .header("x-mode", "unavailable")
        .timeout(Duration::from_millis(100))
        .retry(patient)
        .send()
        .await
        .expect_err("the call times out in the backoff");
    assert!(matches!(err.kind(), ErrorKind::Timeout { whole_call: true, .. }), "{err:?}");
    assert_eq!(err.attempts(), 1);
    assert_eq!(seen.entries().len(), before + 1, "one 503, then the deadline during the backoff");
}

#[tokio::test]
async fn request_futures_and_page_streams_are_static_and_send() {
    let seen = Seen::default();
    let client = moody_apono(seen.clone()).await;
    let request = tokio::spawn(client.list_integrations_v4().send());
    let stream = client.list_integrations_v4().items();
    drop(client);
    let items = tokio::spawn(stream.try_collect::<Vec<_>>());
    assert_eq!(request.await.expect("joined").expect("page").items.len(), 1);
    assert_eq!(items.await.expect("joined").expect("items").len(), 1);
}

/// Signs each attempt and observes each response, as a user's hook would.
struct Signer(Seen);

impl api_clients::runtime::Hook for Signer {
    fn before_attempt(&self, request: &mut reqwest::Request, attempt: &api_clients::runtime::Attempt) {
        // What a signer sees: the final URL and headers, credentials included.
        let authorized = request.headers().contains_key("authorization");
        let value = format!("{}#{} auth={authorized}", attempt.operation, attempt.number);
        if let Ok(value) = reqwest::header::HeaderValue::from_str(&value) {
            request.headers_mut().insert("x-trace", value);
        }
    }

    fn after_response(
        &self,
        status: reqwest::StatusCode,
        _headers: &reqwest::header::HeaderMap,
        attempt: &api_clients::runtime::Attempt,
    ) {
        self.0.record(format!("after {} #{}: {}", attempt.path_template, attempt.number, status.as_u16()));
    }
}

#[tokio::test]
async fn a_client_hook_runs_before_each_attempt_and_after_each_response() {
    use api_clients::runtime::RetryPolicy;
    let seen = Seen::default();
    let client = apono::Client::builder()
        .base_url(moody_server(seen.clone()).await)
        .bearer_token("secret-token-value")
        .user_agent("moody-test")
        .hook(Signer(seen.clone()))
        .build()
        .expect("client builds");
    let fast = RetryPolicy::default().initial_backoff(Duration::from_millis(1)).max_backoff(Duration::from_millis(2));
    let err = client.list_integrations_v4().header("x-mode", "unavailable").retry(fast.max_attempts(2)).send().await;
    assert_eq!(err.expect_err("503").attempts(), 2);
    client.list_integrations_v4().send().await.expect("ok");
    assert_eq!(
        seen.entries(),
        [
            "mode=unavailable trace=listIntegrationsV4#1 auth=true ua=moody-test",
            "after /api/admin/v4/integrations #1: 503",
            "mode=unavailable trace=listIntegrationsV4#2 auth=true ua=moody-test",
            "after /api/admin/v4/integrations #2: 503",
            "mode= trace=listIntegrationsV4#1 auth=true ua=moody-test",
            "after /api/admin/v4/integrations #1: 200",
        ]
    );
    assert!(!format!("{client:?}").contains("secret-token-value"), "no secret in Debug");
}
