//! Runs every program in `generated/examples/` against a Prism mock of its
//! spec, so the examples cannot rot: each must exit 0 talking to a server that
//! validates its requests against the spec.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::apis::{api_of_example, ApiSpec, APIS};
use crate::project_root;

/// An example and the API whose spec its mock serves.
struct Example {
    name: String,
    api: &'static ApiSpec,
}

/// Every program in `generated/examples/`, by name; each belongs to the API
/// its file name starts with (`apono_list_integrations.rs` → `apono`), and a
/// file no API claims is an error rather than an example that never runs.
fn examples(root: &Path) -> Result<Vec<Example>, String> {
    let dir = root.join("generated/examples");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut examples = Vec::new();
    for entry in entries.filter_map(|e| e.ok()) {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(name) = file.strip_suffix(".rs") else { continue };
        let api = api_of_example(name).ok_or_else(|| {
            let modules: Vec<&str> = APIS.iter().map(|api| api.module).collect();
            format!(
                "generated/examples/{file}: the name must start with an API module and `_` ({})",
                modules.join(", ")
            )
        })?;
        examples.push(Example { name: name.to_string(), api });
    }
    examples.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(examples)
}

/// A mock server process, killed when dropped.
struct Mock {
    child: Child,
    base_url: String,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_prism(root: &Path, spec: &str) -> Result<Mock, String> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let prism = root.join("tools/node_modules/.bin/prism");
    let child = Command::new(&prism)
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string(), "--errors", spec])
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", prism.display()))?;
    let mock = Mock { child, base_url: format!("http://127.0.0.1:{port}") };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err(format!("Prism did not start serving {spec} within 30 s"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(mock)
}

/// Builds the examples once, then runs each against a fresh mock.
pub fn run() -> Result<(), String> {
    let root = project_root();
    let cargo = crate::cargo_program();
    let built = Command::new(&cargo)
        .args(["build", "-q", "-p", "api-clients", "--examples"])
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !built.success() {
        return Err("building the examples failed".into());
    }
    let examples = examples(&root)?;
    for example in &examples {
        let api = example.api;
        let mock = start_prism(&root, api.spec)?;
        eprintln!("$ {}={} cargo run --example {}", api.base_url_env, mock.base_url, example.name);
        let output = Command::new(&cargo)
            .args(["run", "-q", "-p", "api-clients", "--example", &example.name])
            .envs(api.example_env.iter().copied())
            .env(api.base_url_env, &mock.base_url)
            .current_dir(&root)
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        for line in stdout.lines().take(8) {
            eprintln!("    {line}");
        }
        if !output.status.success() {
            return Err(format!(
                "example {} failed: {}\n{}",
                example.name,
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    eprintln!("{} examples passed against Prism", examples.len());
    Ok(())
}
