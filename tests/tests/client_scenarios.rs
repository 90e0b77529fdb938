//! The generated clients against loopback servers that answer as the real
//! services would, or misbehave on purpose.

use std::sync::{Arc, Mutex};

use api_clients::api_connect::ClientBuilderExt as _;
use api_clients::{api_connect, apono, Error};
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
    let seen = Seen::default();
    let app = Router::new()
        .route(
            "/api/admin/v4/integrations",
            get(|State(seen): State<Seen>, OriginalUri(uri): OriginalUri| async move {
                seen.record(uri.to_string());
                let (items, next) = match uri.query().unwrap_or_default() {
                    q if q.contains("page_token=p2") => (vec![integration("c"), integration("d")], json!("p3")),
                    q if q.contains("page_token=p3") => (vec![integration("e")], json!(null)),
                    _ => (vec![integration("a"), integration("b")], json!("p2")),
                };
                axum::Json(json!({"items": items, "pagination": {"next_page_token": next}}))
            }),
        )
        .with_state(seen.clone());
    let client = apono_client(&serve(app).await).await;
    let items: Vec<apono::types::IntegrationV4> =
        client.list_integrations_v4().limit(2).items().try_collect().await.expect("all pages");
    let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(seen.entries().len(), 3, "{:?}", seen.entries());
    assert!(seen.entries().iter().all(|uri| uri.contains("limit=2")));
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
    assert_eq!(request.status, apono::types::AccessStatus::Unknown("ON_HOLD".into()));
    assert_eq!(request.status.as_str(), "ON_HOLD");
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
    match &error {
        Error::InvalidRequest { field, rule, .. } => {
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
    assert!(matches!(error, Error::InvalidRequest { ref field, .. } if field == "X-IBM-Consumer-Context"), "{error:?}");
    assert!(seen.entries().is_empty());

    let client = api_connect::Client::builder()
        .base_url(&base)
        .bearer_token("t")
        .x_ibm_consumer_context("porg.sandbox")
        .build()
        .expect("builds");
    let error = client.get_app("org", "app").send().await.expect_err("404");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    let body = error.api_body::<api_connect::types::Error>().expect("the documented error body is typed");
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
    match &error {
        Error::Decode(decode) => assert_eq!(decode.path, "id"),
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
