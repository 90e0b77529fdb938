//! The generated test doubles (`apono::mock`, `api_connect::mock`): matching,
//! sequences, counts, paging, verification and the unmatched-request report.

use std::time::Duration;

use api_clients::api_connect::{self, applications::GetAppError, ClientBuilderExt as _};
use api_clients::apono;
use api_clients::runtime::{ErrorKind, RetryPolicy};
use futures::TryStreamExt;
use serde_json::json;

fn integration(id: &str) -> apono::types::IntegrationV4 {
    serde_json::from_value(json!({"id": id, "name": id, "type": "postgresql", "category": "DATABASE",
        "status": "Active", "integration_config": {"host": "db"}}))
    .expect("an integration")
}

fn page(ids: &[&str]) -> apono::types::IntegrationV4List {
    let items: Vec<_> = ids.iter().map(|id| integration(id)).collect();
    apono::types::IntegrationV4List::new(items, apono::types::TokenPagination::new())
}

fn no_retries() -> RetryPolicy {
    RetryPolicy::default().max_attempts(1)
}

#[tokio::test]
async fn matchers_see_typed_path_query_and_header_values() {
    let mock = apono::mock::MockServer::start().await;
    let client = mock.client_builder().bearer_token("secret-token-value").build().expect("client");
    // Path parameters arrive decoded, one segment whatever they hold.
    mock.get_integration_v4().matching(|req| req.id == "a/b?c#d%e f é").times(1).respond(integration("odd"));
    // Exploded arrays become lists; headers are all in `raw`.
    mock.list_integrations_v4()
        .matching(|req| req.status.as_deref() == Some(&["Active".to_string(), "Error".to_string()][..]))
        .matching(|req| req.name.as_deref() == Some("prod*"))
        .matching(|req| req.raw.headers.get("authorization").is_some_and(|v| v == "Bearer secret-token-value"))
        .times(1)
        .respond(page(&["x"]));
    assert_eq!(client.get_integration_v4("a/b?c#d%e f é").send().await.expect("decodes").id, "odd");
    let listed = client.list_integrations_v4().status(["Active", "Error"]).name("prod*").send().await.expect("page");
    assert_eq!(listed.items.len(), 1);
    mock.verify().expect("met");
    // The received requests are kept, credentials redacted in `Debug`.
    let received = format!("{:?}", mock.received());
    assert!(received.contains("status=Active&status=Error") && !received.contains("secret-token-value"), "{received}");
}

#[tokio::test]
async fn a_sequence_fails_first_and_succeeds_after_a_retry() {
    let mock = apono::mock::MockServer::start().await;
    let retry = RetryPolicy::default().initial_backoff(Duration::from_millis(1)).max_backoff(Duration::from_millis(2));
    let client = mock.client_builder().retry(retry).build().expect("client");
    let expectation = mock.list_integrations_v4().times(2).respond_raw(503, "busy").respond(page(&["a"]));
    let listed = client.list_integrations_v4().send().await.expect("the retry succeeds");
    assert_eq!(listed.items[0].id, "a");
    assert_eq!(expectation.calls(), 2);
}

#[tokio::test]
async fn typed_errors_delays_and_dropped_connections() {
    let mock = api_connect::mock::MockServer::start().await;
    let client = mock.client_builder().x_ibm_consumer_context("porg.sandbox").retry(no_retries()).build().expect("c");
    let problem: api_connect::types::Error =
        serde_json::from_value(json!({"status": 404, "message": ["no such app"]})).expect("an error body");
    mock.get_app().matching(|req| req.app == "gone").fail(GetAppError::NotFound(problem)).times(1);
    mock.get_app().matching(|req| req.app == "slow").delay(Duration::from_millis(300)).respond_raw(200, "{}").times(1);
    mock.get_app().matching(|req| req.app == "cut").drop_connection().times(1);

    let error = client.get_app("org", "gone").send().await.expect_err("404");
    assert!(matches!(error.as_operation_error(), Some(GetAppError::NotFound(_))), "{error:?}");
    let error =
        client.get_app("org", "slow").attempt_timeout(Duration::from_millis(50)).send().await.expect_err("slow");
    assert!(matches!(error.kind(), ErrorKind::Timeout { .. }), "{error:?}");
    let error = client.get_app("org", "cut").send().await.expect_err("dropped");
    assert!(matches!(error.kind(), ErrorKind::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn pages_are_chained_by_their_tokens() {
    let mock = apono::mock::MockServer::start().await;
    let client = mock.client();
    mock.list_integrations_v4().respond_pages(vec![page(&["a", "b"]), page(&["c"]), page(&[])]);
    let pages: Vec<_> = client.list_integrations_v4().pages().try_collect().await.expect("pages");
    // The third page is empty: the stream ends there, without it, and every page was fetched once.
    assert_eq!(pages.iter().map(|p| p.items.len()).collect::<Vec<_>>(), [2, 1]);
    let tokens: Vec<Option<String>> =
        mock.received().iter().map(|r| r.query_values("page_token").first().map(|t| t.to_string())).collect();
    assert_eq!(tokens, [None, Some("page-1".into()), Some("page-2".into())]);
}

#[tokio::test]
async fn unmet_counts_fail_verification_with_the_expectation_named() {
    let mock = apono::mock::MockServer::start().await;
    let client = mock.client();
    mock.list_integrations_v4().times(2).respond(page(&[]));
    mock.delete_integration_v4().respond(());
    client.list_integrations_v4().send().await.expect("one call");
    let error = mock.verify().expect_err("one call of two, none of the other");
    let text = error.to_string();
    assert_eq!(error.problems().len(), 2, "{text}");
    assert!(
        text.contains(
            "unmet expectation listIntegrationsV4 (GET /api/admin/v4/integrations) set at tests/tests/mock_server.rs:"
        ),
        "{text}"
    );
    assert!(text.contains("expected exactly 2 call(s), got 1"), "{text}");
    assert!(text.contains("deleteIntegrationV4") && text.contains("expected at least 1 call(s), got 0"), "{text}");
}

#[tokio::test]
#[should_panic(expected = "unmet expectation getIntegrationV4")]
async fn dropping_the_mock_fails_the_test_on_an_unmet_expectation() {
    let mock = apono::mock::MockServer::start().await;
    mock.get_integration_v4().respond(integration("never"));
}

#[tokio::test]
async fn an_unmatched_request_is_answered_501_and_names_the_closest_expectation() {
    let mock = apono::mock::MockServer::start().await;
    let client = mock.client_builder().retry(no_retries()).build().expect("client");
    let line = line!() + 1;
    mock.get_integration_v4().matching(|req| req.id == "a").times(1).respond(integration("a"));
    mock.get_integration_v4().matching(|req| req.id == "b").times(0);
    client.get_integration_v4("a").send().await.expect("the first");
    let error = client.get_integration_v4("a").send().await.expect_err("used up");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(501), "{error:?}");
    let text = mock.verify().expect_err("unmatched").to_string();
    // The first expectation matches but is used up: closer than the second, whose matcher fails.
    assert!(
        text.contains("unmatched request GET /api/admin/v4/integrations/a: closest expectation: getIntegrationV4"),
        "{text}"
    );
    // Set at the line of the call, through `#[track_caller]`.
    let set_at = format!("tests/tests/mock_server.rs:{line}:10 matches, but was already called 1 time(s), its `times`");
    assert!(text.contains(&set_at), "{text}");
    // A path no operation has names the nearest operation.
    let raw = reqwest::get(format!("{}/api/admin/v4/integrationz", mock.url())).await.expect("answered");
    assert_eq!(raw.status().as_u16(), 501);
    let body = raw.text().await.expect("text");
    assert!(
        body.contains("no operation of the Apono API is `GET /api/admin/v4/integrationz`; closest: listIntegrationsV4"),
        "{body}"
    );
}

#[tokio::test]
async fn requests_the_spec_does_not_allow_are_reported() {
    let mock = apono::mock::MockServer::start().await;
    mock.create_access_request().respond_raw(200, "{}");
    // A body without the required fields, sent around the typed client.
    let http = reqwest::Client::new();
    let url = format!("{}/api/v3/access-requests", mock.url());
    let answer = http.post(&url).json(&json!({"user_id": "u"})).send().await.expect("answered");
    assert_eq!(answer.status().as_u16(), 400);
    // A query parameter that is not of its type.
    let answer = http.get(format!("{}/api/admin/v4/integrations?limit=many", mock.url())).send().await.expect("ok");
    assert_eq!(answer.status().as_u16(), 400);
    let error = mock.verify().expect_err("violations");
    let text = error.to_string();
    assert!(text.contains("breaks the spec of createAccessRequest (POST /api/v3/access-requests): the body does not decode into its type"), "{text}");
    assert!(text.contains("the query parameter `limit` = \"many\" is not of its type"), "{text}");
    assert!(text.contains("unmet expectation createAccessRequest"), "{text}");
}

#[tokio::test]
async fn operations_without_a_success_body_answer_when_given_no_reply() {
    let mock = apono::mock::MockServer::start().await;
    mock.delete_integration_v4().matching(|req| req.id == "old").times(1);
    mock.client().delete_integration_v4("old").send().await.expect("204 by default");
}

#[tokio::test]
async fn the_closest_expectation_is_the_one_most_matchers_held_for() {
    let mock = apono::mock::MockServer::start().await;
    let client = mock.client_builder().retry(no_retries()).build().expect("client");
    mock.list_integrations_v4().matching(|req| req.name.as_deref() == Some("other")).times(0);
    mock.list_integrations_v4()
        .matching(|req| req.limit == Some(5))
        .matching(|req| req.name.as_deref() == Some("prod"))
        .times(0);
    client.list_integrations_v4().limit(5).name("dev").send().await.expect_err("no match");
    let text = mock.verify().expect_err("unmatched").to_string();
    assert!(text.contains("its matcher #2 returned false (1 of 2 held)"), "{text}");
    assert!(!text.contains("(0 of 1 held)"), "{text}");
}

#[tokio::test]
async fn a_panicking_matcher_is_reported_and_does_not_match() {
    let mock = apono::mock::MockServer::start().await;
    let client = mock.client_builder().retry(no_retries()).build().expect("client");
    mock.get_integration_v4().matching(|_| panic!("boom")).times(0);
    let error = client.get_integration_v4("x").send().await.expect_err("no match");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(501));
    let text = mock.verify().expect_err("reported").to_string();
    assert!(
        text.contains("matcher #1 of getIntegrationV4") && text.contains("panicked") && text.contains("boom"),
        "{text}"
    );
}

#[tokio::test]
async fn credentials_sent_where_the_spec_takes_none_are_reported() {
    let mock = api_connect::mock::MockServer::start().await;
    mock.list_public_products().respond_raw(200, r#"{"total_results": 0, "results": []}"#).times(2);
    // The generated client sends no token to an operation marked `security: []`…
    let client = mock
        .client_builder()
        .x_ibm_consumer_context("porg.sandbox")
        .bearer_token("secret-token-value")
        .retry(no_retries())
        .build()
        .expect("client");
    client.list_public_products().send().await.expect("anonymous call accepted");
    // …and a request that does is answered 400 and reported, without the token.
    let answer = reqwest::Client::new()
        .get(format!("{}/public-products", mock.url()))
        .header("X-IBM-Consumer-Context", "porg.sandbox")
        .bearer_auth("secret-token-value")
        .send()
        .await
        .expect("answered");
    assert_eq!(answer.status().as_u16(), 400);
    let text = mock.verify().expect_err("a violation").to_string();
    assert!(text.contains("sends a bearer token to an operation the spec marks anonymous (`security: []`)"), "{text}");
    assert!(!text.contains("secret-token-value"), "{text}");
    assert!(text.contains("unmet expectation listPublicProducts"), "{text}");
}
