//! Prism (`@stoplight/prism-cli`, pinned in `tools/package-lock.json`) as a
//! spec-validating mock server for contract tests, plus spec helpers.
//!
//! [`Prism::start`] runs `prism mock --errors` on a free loopback port and
//! waits until it accepts connections; dropping the [`Prism`] kills and reaps
//! the process, also when a test panics. With `--errors`, a request that
//! violates the spec is answered with an error status (the documented 400 or
//! a 422) and an `sl-violations` header listing the violations.

use std::collections::BTreeMap;
use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::workspace_root;

/// The header Prism adds when a request (or its own response) violates the spec.
pub const VIOLATIONS_HEADER: &str = "sl-violations";

/// How long Prism may take to start listening.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);

/// How many times a start is retried when Prism exits early (for example
/// because another process took the free port in the meantime).
const START_ATTEMPTS: usize = 3;

/// `tools/node_modules/.bin/prism`, installed by `cargo xtask test`.
pub fn binary() -> PathBuf {
    workspace_root().join("tools/node_modules/.bin/prism")
}

/// A running Prism mock server; killed and reaped on drop.
pub struct Prism {
    child: Child,
    addr: SocketAddr,
    log: tempfile::NamedTempFile,
}

impl Prism {
    /// Starts `prism mock -h 127.0.0.1 -p <free port> --errors <spec>` (`spec`
    /// relative to the workspace root) and waits until it accepts TCP
    /// connections.
    ///
    /// Returns `None`, after printing why, when the Prism binary is not
    /// installed. Panics (with Prism's output) when it is installed but does
    /// not start.
    pub fn start(spec: &str) -> Option<Prism> {
        let binary = binary();
        if !binary.exists() {
            println!("skipped: Prism not installed (run cargo xtask test)");
            return None;
        }
        let spec_path = workspace_root().join(spec);
        assert!(spec_path.is_file(), "no spec at {}", spec_path.display());
        let mut last_log = String::new();
        for _ in 0..START_ATTEMPTS {
            let mut prism = Prism::spawn(&binary, &spec_path);
            match prism.wait_ready() {
                Ok(()) => return Some(prism),
                // `prism` is dropped here: the process is killed and reaped.
                Err(log) => last_log = log,
            }
        }
        panic!("Prism did not start for {spec} after {START_ATTEMPTS} attempts; its output:\n{last_log}");
    }

    fn spawn(binary: &Path, spec_path: &Path) -> Prism {
        let port = free_port();
        let log = tempfile::NamedTempFile::new().expect("create a Prism log file");
        let stdout = log.reopen().expect("reopen the Prism log file");
        let stderr = log.reopen().expect("reopen the Prism log file");
        let child = Command::new(binary)
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string(), "--errors"])
            .arg(spec_path)
            .current_dir(workspace_root())
            .stdin(Stdio::null())
            .stdout(Stdio::from(stdout))
            .stderr(Stdio::from(stderr))
            .spawn()
            .unwrap_or_else(|err| panic!("cannot run {} (is Node.js installed?): {err}", binary.display()));
        Prism { child, addr: SocketAddr::from(([127, 0, 0, 1], port)), log }
    }

    /// Polls a TCP connect until it succeeds, Prism exits, or the startup
    /// timeout passes; on failure returns Prism's output.
    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("[exited with {status}]\n{}", self.log()));
            }
            if TcpStream::connect_timeout(&self.addr, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(format!("[not listening on {} after {STARTUP_TIMEOUT:?}]\n{}", self.addr, self.log()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// `http://127.0.0.1:PORT`. Prism serves the spec's `paths` at the root:
    /// it ignores the path of the spec's `servers` URL (such as
    /// `/consumer-api`), so this is the base URL for every API.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Everything Prism has printed so far (its request log).
    pub fn log(&self) -> String {
        let mut text = String::new();
        if let Ok(mut file) = self.log.reopen() {
            let _ = file.read_to_string(&mut text);
        }
        text
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port that was free a moment ago: bind `127.0.0.1:0`, read the port,
/// release it.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener.local_addr().expect("a bound listener has an address").port()
}

/// The HTTP methods an OpenAPI path item can hold.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// One operation of a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecOperation {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path template, e.g. `/apps/{org}/{app}`.
    pub path: String,
    /// The documented response statuses (`"200"`, `"404"`, `"default"`, …).
    pub statuses: Vec<String>,
}

/// Every operation of the spec at `spec` (relative to the workspace root),
/// by operationId.
pub fn spec_operations(spec: &str) -> BTreeMap<String, SpecOperation> {
    let path = workspace_root().join(spec);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    let doc: serde_yaml::Value =
        serde_yaml::from_str(&text).unwrap_or_else(|err| panic!("{} is not YAML: {err}", path.display()));
    let mut operations = BTreeMap::new();
    let Some(paths) = doc.get("paths").and_then(serde_yaml::Value::as_mapping) else {
        return operations;
    };
    for (template, item) in paths {
        let template = template.as_str().unwrap_or_default();
        for method in METHODS {
            let Some(operation) = item.get(*method) else {
                continue;
            };
            let id = operation
                .get("operationId")
                .and_then(serde_yaml::Value::as_str)
                .unwrap_or_else(|| panic!("{spec}: {method} {template} has no operationId"));
            let statuses = operation
                .get("responses")
                .and_then(serde_yaml::Value::as_mapping)
                .map(|responses| {
                    responses
                        .keys()
                        .map(|key| match key {
                            serde_yaml::Value::Number(n) => n.to_string(),
                            other => other.as_str().unwrap_or_default().to_owned(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let previous = operations.insert(
                id.to_owned(),
                SpecOperation { method: method.to_ascii_uppercase(), path: template.to_owned(), statuses },
            );
            assert!(previous.is_none(), "{spec}: operationId {id} is used twice");
        }
    }
    operations
}
