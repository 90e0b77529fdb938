//! The generated client's overhead over bare `reqwest` + `serde_json`:
//! `cargo bench -p integration-tests --bench client_overhead`.
//!
//! A loopback axum server (its own thread and runtime) answers
//! `GET /api/admin/v4/integrations/{id}` with a small integration object. The
//! same N requests are sent, one after the other over a kept-alive
//! connection, by:
//!
//! - `generated`: `apono::Client::get_integration_v4(id).send()` with the
//!   default retry policy;
//! - `generated, retries off`: the same with `RetryPolicy::disabled()`;
//! - `bare reqwest`: `reqwest::Client` with the same bearer token and `Accept`
//!   header, the status checked, the body decoded with `serde_json` into the
//!   same model type (`apono::types::IntegrationV4`).
//!
//! Each variant sends its N requests (`OVERHEAD_REQUESTS`, default 2000) in
//! batches (`OVERHEAD_BATCH`, default 50) interleaved with the other
//! variants' batches, the order rotated each round, so that noise from other
//! processes on the machine hits all variants alike. The report gives, per
//! variant, the median per-request time over its batches and the median over
//! rounds of the ratio to bare reqwest's batch in the same round. The loops
//! are bounded and only loopback is contacted.
//!
//! `OVERHEAD_BREAKDOWN=1` adds variants that isolate where the difference
//! goes: the generated client on the very `reqwest::Client` bare reqwest uses
//! (`http_client`), the runtime's `Core::execute` decoded with plain
//! `serde_json` (no JSON-path tracking), and bare reqwest inside the same
//! per-call `tokio::time::timeout` the runtime sets. `OVERHEAD_ONLY=<name>`
//! runs one variant alone (for `perf record`/`perf stat`; ratios are then
//! relative to that variant).

use std::time::{Duration, Instant};

use api_clients::apono;
use api_clients::runtime::__private::Request;
use api_clients::runtime::RetryPolicy;
use axum::http::header::CONTENT_TYPE;
use axum::routing::get;
use axum::Router;

const TOKEN: &str = "bench-token";
const ID: &str = "int-7f3a";
const PATH: &str = "/api/admin/v4/integrations/int-7f3a";
/// The required fields of an integration, as the server sends them.
const BODY: &str = r#"{"id":"int-7f3a","name":"prod-postgres","type":"postgresql","category":"DATABASE","status":"Active","integration_config":{"hostname":"db.internal","port":"5432","database":"app"}}"#;

/// A way of making the call, timed over `requests` calls.
type Variant = (&'static str, fn(&Clients, usize) -> Duration);

struct Clients {
    runtime: tokio::runtime::Runtime,
    url: String,
    generated: apono::Client,
    no_retry: apono::Client,
    shared_http: apono::Client,
    bare: reqwest::Client,
}

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).filter(|&n| n > 0).unwrap_or(default)
}

/// Starts the server on its own thread; returns its base URL.
fn start_server() -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("server runtime");
        runtime.block_on(async move {
            let app = Router::new().route(
                "/api/admin/v4/integrations/{id}",
                get(|| async { ([(CONTENT_TYPE, "application/json")], BODY) }),
            );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
            let addr = listener.local_addr().expect("bound address");
            sender.send(format!("http://{addr}")).expect("main thread waits");
            let _ = axum::serve(listener, app).await;
        });
    });
    receiver.recv().expect("server thread sends its address")
}

/// Times `requests` sequential calls of `call`.
fn timed<F: std::future::Future<Output = ()>>(clients: &Clients, requests: usize, call: impl Fn() -> F) -> Duration {
    clients.runtime.block_on(async {
        let started = Instant::now();
        for _ in 0..requests {
            call().await;
        }
        started.elapsed()
    })
}

async fn generated_call(client: &apono::Client) {
    let integration = client.get_integration_v4(ID).send().await.expect("generated call");
    std::hint::black_box(integration);
}

fn generated(clients: &Clients, requests: usize) -> Duration {
    timed(clients, requests, || generated_call(&clients.generated))
}

fn generated_no_retry(clients: &Clients, requests: usize) -> Duration {
    timed(clients, requests, || generated_call(&clients.no_retry))
}

fn generated_shared_http(clients: &Clients, requests: usize) -> Duration {
    timed(clients, requests, || generated_call(&clients.shared_http))
}

/// The runtime's transport, decoded without `serde_path_to_error`.
fn core_plain_decode(clients: &Clients, requests: usize) -> Duration {
    timed(clients, requests, || async {
        let mut request =
            Request::new("getIntegrationV4", reqwest::Method::GET, "/api/admin/v4/integrations/{id}", PATH.to_owned());
        request.accept = Some("application/json");
        let raw = clients.generated.core().execute(request).await.expect("core call");
        assert!(raw.status.is_success());
        let integration: apono::types::IntegrationV4 = serde_json::from_slice(&raw.body).expect("core decode");
        std::hint::black_box(integration);
    })
}

async fn bare_call(clients: &Clients) {
    let response = clients
        .bare
        .get(&clients.url)
        .bearer_auth(TOKEN)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .expect("bare call");
    assert!(response.status().is_success());
    let bytes = response.bytes().await.expect("bare body");
    let integration: apono::types::IntegrationV4 = serde_json::from_slice(&bytes).expect("bare decode");
    std::hint::black_box(integration);
}

fn bare(clients: &Clients, requests: usize) -> Duration {
    timed(clients, requests, || bare_call(clients))
}

fn bare_with_timeout(clients: &Clients, requests: usize) -> Duration {
    timed(clients, requests, || async {
        tokio::time::timeout(Duration::from_secs(30), bare_call(clients)).await.expect("no timeout");
    })
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` does not: a smoke run.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let requests = if smoke { 10 } else { env_count("OVERHEAD_REQUESTS", 2000) };
    let batch = if smoke { 10 } else { env_count("OVERHEAD_BATCH", 50).min(requests) };
    let rounds = requests.div_ceil(batch);
    let breakdown = smoke || std::env::var("OVERHEAD_BREAKDOWN").is_ok_and(|v| v == "1");
    let base = start_server();
    let bare_http = reqwest::Client::new();
    let build = |retry: RetryPolicy, http: Option<reqwest::Client>| {
        let builder = apono::Client::builder().base_url(&base).bearer_token(TOKEN).retry(retry);
        let builder = match http {
            Some(http) => builder.http_client(http),
            None => builder,
        };
        builder.build().expect("client config")
    };
    let clients = Clients {
        runtime: tokio::runtime::Builder::new_current_thread().enable_all().build().expect("client runtime"),
        url: format!("{base}{PATH}"),
        generated: build(RetryPolicy::default(), None),
        no_retry: build(RetryPolicy::disabled(), None),
        shared_http: build(RetryPolicy::default(), Some(bare_http.clone())),
        bare: bare_http,
    };
    let mut variants: Vec<Variant> =
        vec![("bare reqwest", bare), ("generated", generated), ("generated, retries off", generated_no_retry)];
    if breakdown {
        variants.extend([
            ("generated on bare's reqwest::Client", generated_shared_http as fn(&Clients, usize) -> Duration),
            ("Core::execute + plain serde_json", core_plain_decode),
            ("bare reqwest + tokio timeout", bare_with_timeout),
        ]);
    }
    // `OVERHEAD_ONLY=<name>`: one variant alone, e.g. under `perf record`.
    if let Ok(only) = std::env::var("OVERHEAD_ONLY") {
        variants.retain(|(name, _)| *name == only);
    }
    // Warm-up: connections opened, allocator and caches settled.
    for (_, run) in &variants {
        run(&clients, requests.min(200));
    }
    // Per variant, per round: seconds per request in that round's batch.
    let mut per_request: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    for round in 0..rounds {
        for offset in 0..variants.len() {
            let index = (round + offset) % variants.len();
            let elapsed = (variants[index].1)(&clients, batch);
            per_request[index].push(elapsed.as_secs_f64() / batch as f64);
        }
    }
    println!(
        "client overhead: {} sequential GETs per client over loopback, in {rounds} interleaved batches of {batch}",
        rounds * batch
    );
    println!("| client | per request (median batch) | vs bare reqwest (median of paired batches) |");
    println!("|---|---|---|");
    for (index, (name, _)) in variants.iter().enumerate() {
        let ratios: Vec<f64> = per_request[index].iter().zip(&per_request[0]).map(|(v, bare)| v / bare).collect();
        println!("| {name} | {:.1} µs | {:.3}× |", median(per_request[index].clone()) * 1e6, median(ratios));
    }
}
