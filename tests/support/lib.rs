//! Shared helpers for the integration tests: loopback servers and paths.

use std::path::PathBuf;

/// The workspace root (the directory holding `spec/`, `generated/` and `tests/`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent directory").to_path_buf()
}

/// Serves `app` on a fresh loopback port in the background of the current
/// tokio runtime and returns its base URL (`http://127.0.0.1:PORT`).
pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
    let addr = listener.local_addr().expect("a bound listener has an address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

pub mod prism;

/// A client over the bare runtime, for tests that drive `Core::execute` directly.
pub struct TestClient(pub api_clients::runtime::Core);

impl api_clients::runtime::__private::FromCore for TestClient {
    fn from_core(core: api_clients::runtime::Core) -> Self {
        TestClient(core)
    }
}

/// A `Core` for `base` with the given retry policy and no credentials.
pub fn test_core(base: &str, retry: api_clients::runtime::RetryPolicy) -> api_clients::runtime::Core {
    match api_clients::runtime::ClientBuilder::<TestClient>::new(base, &[]).retry(retry).build() {
        Ok(TestClient(core)) => core,
        Err(err) => panic!("client: {err}"),
    }
}

/// The error enum generated for an operation that documents no error
/// status: every non-success response is its `Other` case. For hand-written
/// builders shaped like the generated ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UndocumentedErrors {
    /// Any non-success response.
    Other,
}

impl api_clients::runtime::OperationError for UndocumentedErrors {
    fn from_response(_raw: &api_clients::runtime::RawResponse) -> Self {
        Self::Other
    }

    fn case(&self) -> &'static str {
        "Other"
    }

    fn body(&self) -> Option<&(dyn std::any::Any + Send + Sync)> {
        None
    }
}
