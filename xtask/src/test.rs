//! `cargo xtask test`: the whole suite, as CI runs it. Each step prints what
//! it runs; the first failure stops the run with a non-zero exit.
//!
//! 1. generated code is fresh (`codegen --check`);
//! 2. every registered spec passes an independent OpenAPI linter (Redocly CLI);
//! 3. clippy with `-D warnings` on every crate, generated code included;
//! 4. rustdoc with `-D warnings` on the generated crate, and again with the
//!    mocks (and on the runtime with its `mock` engine);
//! 5. each per-tag cargo feature of the generated crate compiles alone
//!    (`cargo xtask features`: `cargo check --no-default-features --features <f>`);
//! 6. every fixture spec generates a standalone crate that passes clippy, its
//!    test double (`--mock`, `--features mock`) included;
//!    and the generator crate packages and verifies on its own (`cargo package`);
//! 7. the programs in `generated/examples/` against Prism mocks of their specs;
//! 8. the conformance mode (`corpus --conform`) on the seed specs, a fixture and
//!    the smaller specs of `../shared/corpus` (skipped when absent);
//! 9. `cargo test` on the whole workspace (unit, snapshot, loopback and
//!    Prism contract tests; Prism comes from `tools/`).

use std::path::Path;
use std::process::Command;

use crate::apis::APIS;
use crate::project_root;

/// Runs every step; see the module docs.
pub fn run(_args: &[String]) -> Result<(), String> {
    let root = project_root();
    ensure_node_tools(&root)?;
    step("codegen --check", || crate::codegen::run(&["--check".to_string()]))?;
    step("lint specs", || {
        let redocly = root.join("tools/node_modules/.bin/redocly");
        command(Command::new(redocly).arg("lint").args(APIS.iter().map(|api| api.spec)).current_dir(&root))
    })?;
    // Generated modules are marked `#[rustfmt::skip]` where `generated/src/lib.rs`
    // declares them, so this covers every hand-written file of the workspace.
    step("cargo fmt --all --check", || cargo(&["fmt", "--all", "--check"], &[]))?;
    step("clippy", || cargo(&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"], &[]))?;
    step("doc", || cargo(&["doc", "-p", "api-clients", "--no-deps"], &[("RUSTDOCFLAGS", "-D warnings")]))?;
    step("doc, with the mocks", || {
        // Every API's `<api>-mock` (named after the API, `xtask/src/features.rs`) and the runtime's engine.
        let mut mocks: Vec<String> = APIS.iter().map(|api| format!("api-clients/{}-mock", api.name)).collect();
        mocks.push("oapi-runtime/mock".into());
        let features = mocks.join(",");
        cargo(
            &["doc", "-p", "api-clients", "-p", "oapi-runtime", "--no-deps", "--features", &features],
            &[("RUSTDOCFLAGS", "-D warnings")],
        )
    })?;
    step("each per-tag feature of api-clients builds alone", || crate::features::run(&[]))?;
    step("fixture crates compile, clippy-clean, with their mocks", || {
        let fixtures = root.join("tests/fixtures").display().to_string();
        crate::corpus::run(&[fixtures, "--clippy".to_string(), "--mock".to_string()])
    })?;
    step("standalone crates outside the workspace build and pass their tests", crate::standalone::run)?;
    // Built from its packaged sources alone, as `cargo install` would: nothing
    // it embeds may come from another crate's directory.
    step("the generator packages on its own (cargo package -p oapi-gen)", || {
        cargo(&["package", "-p", "oapi-gen", "--allow-dirty"], &[])
    })?;
    step("reading fixtures compile, clippy- and rustdoc-clean", || {
        let fixtures = root.join("generator/tests/reading").display().to_string();
        crate::corpus::run(&[fixtures, "--clippy".to_string(), "--doc".to_string()])
    })?;
    step("examples against Prism", crate::examples::run)?;
    step("conformance: every operation against Prism (corpus --conform)", || conformance(&root))?;
    let mut totals = TestTotals::default();
    step("test", || cargo_test(&["test", "--workspace", "--all-targets"], &mut totals))?;
    step("doctests", || cargo_test(&["test", "--workspace", "--doc"], &mut totals))?;
    // One closing line for the whole suite, whatever binary ran last.
    println!("\ntests: {} passed, {} failed", totals.passed, totals.failed);
    Ok(())
}

/// The conformance mode on the seed specs, on the discriminator fixture (its
/// examples are the payloads, so the static pass only: Prism's random values
/// for an unconstrained discriminator property select nothing), and on the
/// specs of `../shared/corpus` within an operation budget that keeps this step
/// to about two minutes; the full corpus runs locally with
/// `cargo xtask corpus --conform`.
fn conformance(root: &Path) -> Result<(), String> {
    let path = |relative: &str| root.join(relative).display().to_string();
    let args = |paths: &[String], passes: &str, extra: &[&str]| -> Vec<String> {
        let mut args = paths.to_vec();
        args.extend(["--conform", "--passes", passes].map(String::from));
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };
    let seeds: Vec<String> = APIS.iter().map(|api| path(api.spec)).collect();
    crate::corpus::run(&args(&seeds, "2", &[]))?;
    crate::corpus::run(&args(&[path("tests/fixtures/discriminators.yaml")], "0", &[]))?;
    let corpus = root.join("../shared/corpus");
    if !corpus.is_dir() {
        println!("conform: {} not found; the shared corpus is skipped", corpus.display());
        return Ok(());
    }
    crate::corpus::run(&args(&[corpus.display().to_string()], "1", &["--max-operations", "60"]))
}

/// Tests counted over every `test result:` line of the `cargo test` runs.
#[derive(Debug, Default)]
struct TestTotals {
    passed: u64,
    failed: u64,
}

impl TestTotals {
    /// Adds the counts of a libtest line such as
    /// `test result: ok. 14 passed; 0 failed; 0 ignored; …`.
    fn add_line(&mut self, line: &str) {
        let Some(counts) = line.trim().strip_prefix("test result: ") else { return };
        for part in counts.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(number)) = (words.next(), words.next()) else { continue };
            let Ok(number) = number.parse::<u64>() else { continue };
            match label {
                "passed" => self.passed += number,
                "failed" => self.failed += number,
                _ => {}
            }
        }
    }
}

/// Runs `cargo test …`, echoing its output and counting results.
fn cargo_test(args: &[&str], totals: &mut TestTotals) -> Result<(), String> {
    use std::io::{BufRead, BufReader};
    let cargo = crate::cargo_program();
    let mut cmd = Command::new(cargo);
    cmd.args(args).current_dir(project_root()).stdout(std::process::Stdio::piped());
    eprintln!("$ {cmd:?}");
    let mut child = cmd.spawn().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            totals.add_line(&line);
        }
    }
    let status = child.wait().map_err(|e| format!("cannot wait for {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} exited with {status}"))
    }
}

fn step(name: &str, body: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    eprintln!("\n==> {name}");
    body().map_err(|e| format!("step `{name}` failed: {e}"))
}

/// Installs the pinned npm tools (`tools/package-lock.json`) when missing.
fn ensure_node_tools(root: &Path) -> Result<(), String> {
    let tools = root.join("tools");
    let installed = ["prism", "redocly"].iter().all(|bin| tools.join("node_modules/.bin").join(bin).exists());
    if installed {
        return Ok(());
    }
    if Command::new("npm").arg("--version").output().is_err() {
        return Err("npm is not installed: the spec linter and the Prism mock server come from npm. \
                    Install Node.js 18+ with npm (e.g. `apt-get install nodejs npm`) and run again."
            .into());
    }
    eprintln!("==> installing test tools into tools/node_modules (npm ci)");
    command(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&tools))
}

fn cargo(args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let cargo = crate::cargo_program();
    let mut cmd = Command::new(cargo);
    cmd.args(args).current_dir(project_root());
    for (key, value) in env {
        cmd.env(key, value);
    }
    command(&mut cmd)
}

fn command(cmd: &mut Command) -> Result<(), String> {
    eprintln!("$ {cmd:?}");
    let status = cmd.status().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} exited with {status}"))
    }
}

#[cfg(test)]
mod tests {
    use super::TestTotals;

    #[test]
    fn counts_libtest_result_lines() {
        let mut totals = TestTotals::default();
        totals
            .add_line("test result: ok. 14 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.02s");
        totals.add_line("test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out");
        totals.add_line("running 3 tests");
        assert_eq!((totals.passed, totals.failed), (16, 1));
    }
}
