//! Runs every program in `generated/examples/` against a Prism mock of its
//! spec, so the examples cannot rot: each must exit 0 talking to a server that
//! validates its requests against the spec.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::project_root;

/// An example and the spec its mock serves.
struct Example {
    name: &'static str,
    spec: &'static str,
    env: &'static [(&'static str, &'static str)],
}

const EXAMPLES: &[Example] = &[
    Example { name: "apono_list_integrations", spec: "spec/apono.yaml", env: &[("APONO_TOKEN", "example-token")] },
    Example { name: "apono_access_request", spec: "spec/apono.yaml", env: &[("APONO_TOKEN", "example-token")] },
    Example {
        name: "api_connect_subscribe",
        spec: "spec/api-connect.yaml",
        env: &[("APIC_TOKEN", "example-token"), ("APIC_CONTEXT", "porg.sandbox"), ("APIC_ORG", "my-org")],
    },
    Example {
        name: "api_connect_sign_in",
        spec: "spec/api-connect.yaml",
        env: &[
            ("APIC_CONTEXT", "porg.sandbox"),
            ("APIC_CLIENT_ID", "portal-client"),
            ("APIC_CLIENT_SECRET", "portal-secret"),
            ("APIC_REALM", "consumer:porg:sandbox/sandbox-idp"),
            ("APIC_USERNAME", "jdoe"),
            ("APIC_PASSWORD", "example-password"),
            ("APIC_ORG", "my-org"),
        ],
    },
];

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
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built = Command::new(&cargo)
        .args(["build", "-q", "-p", "api-clients", "--examples"])
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !built.success() {
        return Err("building the examples failed".into());
    }
    for example in EXAMPLES {
        let mock = start_prism(&root, example.spec)?;
        let base_url_var = if example.spec.contains("apono") { "APONO_BASE_URL" } else { "APIC_BASE_URL" };
        eprintln!("$ {base_url_var}={} cargo run --example {}", mock.base_url, example.name);
        let output = Command::new(&cargo)
            .args(["run", "-q", "-p", "api-clients", "--example", example.name])
            .envs(example.env.iter().copied())
            .env(base_url_var, &mock.base_url)
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
    eprintln!("{} examples passed against Prism", EXAMPLES.len());
    Ok(())
}
