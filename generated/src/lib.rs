//! Typed async clients for the Apono API and the IBM API Connect consumer API.
//!
//! Each API lives in its own module behind a cargo feature of the same name
//! (`apono`, `api-connect`, both default). Each tag module of an API has a
//! feature too (`apono-integrations`, `api-connect-applications`, …; see
//! `Cargo.toml`), so a build can compile only the operations it calls and the
//! types they need; `apono-client` is the API's client alone. Everything
//! under those modules is generated from `spec/` by `cargo xtask codegen`;
//! [`runtime`] (crate `oapi-runtime`) is the small hand-written layer they call (HTTP execution,
//! auth, retries, errors, pagination).
//!
//! # Testing against the mocks
//!
//! With the `apono-mock` (or `api-connect-mock`) feature, usually in
//! `[dev-dependencies]`, `apono::mock::MockServer` serves the API on a loopback
//! port with expectations typed by each operation: matchers see the request
//! decoded into the operation's types, replies take its success type or error
//! enum, and dropping the mock (or `verify()`) fails the test on an unmet
//! expectation, an unmatched request (answered `501`) or a request the spec
//! does not allow (answered `400`). See the README for every option.
//!
//! Apono: list integrations across pages, create an access request and poll it.
//!
//! ```rust
//! # #[cfg(feature = "apono-mock")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use api_clients::apono::{self, types::{AccessStatus, IntegrationV4List, TokenPagination}};
//! use futures::TryStreamExt;
//! use serde_json::json;
//!
//! let mock = apono::mock::MockServer::start().await;
//! let client = mock.client();
//!
//! let integration = |id: &str| -> apono::types::IntegrationV4 {
//!     serde_json::from_value(json!({"id": id, "name": id, "type": "postgresql", "category": "DATABASE",
//!         "status": "Active", "integration_config": {}})).unwrap()
//! };
//! let page = |ids: &[&str]| IntegrationV4List::new(ids.iter().map(|id| integration(id)).collect::<Vec<_>>(), TokenPagination::new());
//! // The pages are chained by their `next_page_token`, which the item stream follows.
//! mock.list_integrations_v4().respond_pages(vec![page(&["a", "b"]), page(&["c"])]);
//! let all: Vec<_> = client.list_integrations_v4().items().try_collect().await.unwrap();
//! assert_eq!(all.len(), 3);
//!
//! let access = |status: &str| -> apono::types::AccessRequest {
//!     serde_json::from_value(json!({"request_id": "r-1", "friendly_request_id": "AR-1", "user_id": "u",
//!         "status": status, "integration_id": "i-1", "resource_ids": [], "permissions": [],
//!         "justification": "incident"})).unwrap()
//! };
//! mock.create_access_request().matching(|req| req.body.integration_id == "i-1").times(1).respond(access("PENDING"));
//! // Pending on the first poll, granted on the second.
//! mock.get_access_request().times(2).respond(access("PENDING")).respond(access("GRANTED"));
//!
//! let body = apono::types::CreateAccessRequest::builder()
//!     .user_id("u").integration_id("i-1").resource_ids(vec![]).permissions(vec![]).justification("incident")
//!     .build().unwrap();
//! let created = client.create_access_request(body).send().await.unwrap();
//! while client.get_access_request(&created.request_id).send().await.unwrap().status != AccessStatus::Granted {}
//! mock.verify().unwrap();
//! # }
//! # #[cfg(not(feature = "apono-mock"))]
//! # fn main() {}
//! ```
//!
//! IBM API Connect: create an app, then subscribe it to a plan.
//!
//! ```rust
//! # #[cfg(feature = "api-connect-mock")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use api_clients::api_connect::{self, types::{ApplicationCreate, SubscriptionCreate}, ClientBuilderExt as _};
//!
//! let mock = api_connect::mock::MockServer::start().await;
//! let client = mock.client_builder().x_ibm_consumer_context("porg.sandbox").build().unwrap();
//! mock.create_app()
//!     .matching(|req| req.org == "my-org" && req.body.title.as_deref() == Some("Weather"))
//!     .times(1)
//!     .respond(serde_json::from_value(serde_json::json!({"id": "app-1"})).unwrap());
//! mock.create_subscription()
//!     .matching(|req| req.app == "app-1" && req.body.plan == "gold")
//!     .times(1)
//!     .respond(serde_json::from_value(serde_json::json!({"id": "sub-1"})).unwrap());
//!
//! let app = client.create_app("my-org", ApplicationCreate::new().title("Weather")).send().await.unwrap();
//! let app_id = app.id.unwrap();
//! let plan = SubscriptionCreate::new("/products/weather:1.0.0", "gold");
//! let subscription = client.create_subscription("my-org", &app_id, plan).send().await.unwrap();
//! assert_eq!(subscription.id.as_deref(), Some("sub-1"));
//! // Dropping `mock` verifies the expectations.
//! # }
//! # #[cfg(not(feature = "api-connect-mock"))]
//! # fn main() {}
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// The hand-written runtime (crate `oapi-runtime`), under the path generated
/// code and users name it by: `api_clients::runtime::Upload`.
pub use oapi_runtime as runtime;

// BEGIN generated modules: written by `cargo xtask codegen` from xtask/src/apis.rs, do not edit by hand.
// Apono API, from spec/apono.yaml.
#[cfg(feature = "apono-client")]
#[rustfmt::skip]
pub mod apono;

// IBM API Connect Consumer API, from spec/api-connect.yaml.
#[cfg(feature = "api-connect-client")]
#[rustfmt::skip]
pub mod api_connect;

// END generated modules.

pub use runtime::{Error, Response};

/// The README's examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
