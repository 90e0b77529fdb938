//! The README's "Testing against the mocks" examples, verbatim between the
//! markers (`readme_shows_these_examples` checks), run by `cargo xtask test`
//! with the `apono-mock` and `api-connect-mock` features.

// BEGIN README example
use api_clients::api_connect::{self, ClientBuilderExt as _};
use api_clients::apono::{self, types::AccessStatus};
use futures::TryStreamExt;
use serde_json::json;

fn integration(id: &str) -> apono::types::IntegrationV4 {
    let value = json!({"id": id, "name": id, "type": "postgresql", "category": "DATABASE", "status": "Active",
                       "integration_config": {"host": "db"}});
    serde_json::from_value(value).expect("an integration")
}

fn access_request(status: &str) -> apono::types::AccessRequest {
    serde_json::from_value(json!({
        "request_id": "r-1", "friendly_request_id": "AR-1", "user_id": "user@example.com", "status": status,
        "integration_id": "i-1", "resource_ids": ["db"], "permissions": ["ReadOnly"], "justification": "incident",
    }))
    .expect("an access request")
}

#[tokio::test]
async fn apono_lists_integrations_across_pages_then_requests_access_and_polls_it() {
    let mock = apono::mock::MockServer::start().await;
    let client = mock.client();

    // Three pages, chained by their `next_page_token`: the client's item stream follows them.
    let page = |ids: &[&str]| {
        apono::types::IntegrationV4List::new(
            ids.iter().map(|id| integration(id)).collect::<Vec<_>>(),
            apono::types::TokenPagination::new(),
        )
    };
    mock.list_integrations_v4().matching(|req| req.limit == Some(2)).respond_pages(vec![
        page(&["a", "b"]),
        page(&["c", "d"]),
        page(&["e"]),
    ]);
    let all: Vec<_> = client.list_integrations_v4().limit(2).items().try_collect().await.expect("every page");
    assert_eq!(all.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["a", "b", "c", "d", "e"]);

    // Create an access request: the matcher reads the typed body.
    mock.create_access_request()
        .matching(|req| req.body.integration_id == "i-1" && req.body.duration_in_sec == Some(3600))
        .times(1)
        .respond(access_request("PENDING"));
    // Poll it: pending twice, then granted.
    mock.get_access_request()
        .matching(|req| req.id == "r-1")
        .times(3)
        .respond(access_request("PENDING"))
        .respond(access_request("PENDING"))
        .respond(access_request("GRANTED"));

    let body = apono::types::CreateAccessRequest::builder()
        .user_id("user@example.com")
        .integration_id("i-1")
        .resource_ids(vec!["db".to_string()])
        .permissions(vec!["ReadOnly".to_string()])
        .justification("incident")
        .duration_in_sec(3600)
        .build()
        .expect("every required field");
    let created = client.create_access_request(body).send().await.expect("created");
    let mut status = created.status;
    while status != AccessStatus::Granted {
        status = client.get_access_request(&created.request_id).send().await.expect("polled").status;
    }
    mock.verify().expect("every expectation met");
}

#[tokio::test]
async fn ibm_creates_an_app_and_subscribes_it() {
    let mock = api_connect::mock::MockServer::start().await;
    let client = mock.client_builder().x_ibm_consumer_context("porg.sandbox").build().expect("a client");

    let app: api_connect::types::Application =
        serde_json::from_value(json!({"id": "app-1", "name": "weather", "title": "Weather"})).expect("an app");
    mock.create_app()
        .matching(|req| req.org == "my-org" && req.body.title.as_deref() == Some("Weather"))
        .matching(|req| req.x_ibm_consumer_context == "porg.sandbox")
        .times(1)
        .respond(app);
    let subscription: api_connect::types::Subscription =
        serde_json::from_value(json!({"id": "sub-1", "state": "enabled"})).expect("a subscription");
    mock.create_subscription()
        .matching(|req| req.app == "app-1" && req.body.plan == "gold")
        .times(1)
        .respond(subscription);

    let created = client
        .create_app("my-org", api_connect::types::ApplicationCreate::new().title("Weather"))
        .send()
        .await
        .expect("app");
    let app_id = created.id.expect("an id");
    let request = api_connect::types::SubscriptionCreate::new("/products/weather:1.0.0", "gold");
    let subscribed = client.create_subscription("my-org", &app_id, request).send().await.expect("subscribed");
    assert_eq!(subscribed.id.as_deref(), Some("sub-1"));
    // Dropping `mock` verifies too: a missed expectation fails the test.
}
// END README example

#[test]
fn readme_shows_these_examples() {
    let root = integration_tests::workspace_root();
    let this = std::fs::read_to_string(root.join("tests/tests/mock_readme.rs")).expect("this file");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let between = |text: &str, begin: &str, end: &str| -> String {
        let start = text.find(begin).map(|i| i + begin.len()).expect("begin marker");
        let stop = text[start..].find(end).map(|i| start + i).expect("end marker");
        text[start..stop].trim().to_string()
    };
    let example = between(&this, "// BEGIN README example\n", "// END README example");
    let shown = between(&readme, "<!-- BEGIN mock example: tests/tests/mock_readme.rs -->\n```rust,ignore\n", "```");
    assert_eq!(shown, example, "README's mock example differs from tests/tests/mock_readme.rs");
}
