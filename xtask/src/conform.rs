//! `cargo xtask corpus [DIR…] --conform [--passes N] [--max-operations N]`:
//! every operation of every spec against Prism serving that same spec.
//!
//! Per spec: a standalone crate under `target/conform/<spec>/` with the
//! generator's conformance driver as `examples/conform.rs` (see
//! `generator/src/emit/conform/`), built once; then the driver runs against
//! `prism mock --errors` (static responses, request validation on: the
//! request side) and `prism mock --errors -d` (random responses from the
//! schemas, `--passes` times: the decode side). The table counts, per spec,
//! operations called, requests Prism rejected, responses that failed to
//! decode, responses that decoded only into a fallback (`Other`/`Unknown`),
//! and the rest; details name the first finding per operation, and every
//! line goes to `target/conform/results.tsv`.
//!
//! A mock that stops answering (Prism busy forever on one random response)
//! is restarted and the driver resumes after that call. Outcomes that are the
//! spec's or the mock's doing (see [`THE_SPECS`], [`THE_MOCKS`]) are shown but do not
//! fail the run, nor do findings listed in `tests/conform-known.tsv` (spec,
//! operationId, outcome, and why); any other rejection, decode failure,
//! fallback, unbuildable argument or error does.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Read as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use oapi_gen::{Layout, Options, RuntimeSource};

use crate::project_root;

/// Dynamic-mode passes when `--passes` is not given.
const DEFAULT_PASSES: usize = 3;
/// How long Prism may take to load a spec and listen.
const PRISM_STARTUP: Duration = Duration::from_secs(120);
/// How often a mock that stopped answering is restarted within one pass.
const MAX_RESTARTS: usize = 8;
/// How long one run of a driver may take.
const DRIVER_TIMEOUT: Duration = Duration::from_secs(300);

/// Options after `--conform`.
pub struct ConformOptions {
    /// Dynamic-mode passes.
    pub passes: usize,
    /// Specs with more operations are listed as skipped (keeps CI bounded).
    pub max_operations: Option<usize>,
}

impl ConformOptions {
    /// Reads `--passes N` and `--max-operations N` from `args`.
    pub fn parse(args: &[String]) -> Result<ConformOptions, String> {
        let value_of = |flag: &str| -> Result<Option<usize>, String> {
            match args.iter().position(|a| a == flag) {
                Some(i) => args
                    .get(i + 1)
                    .and_then(|v| v.parse().ok())
                    .map(Some)
                    .ok_or_else(|| format!("{flag} needs a number")),
                None => Ok(None),
            }
        };
        Ok(ConformOptions {
            passes: value_of("--passes")?.unwrap_or(DEFAULT_PASSES),
            max_operations: value_of("--max-operations")?,
        })
    }
}

/// What happened to one spec.
struct SpecRun {
    file: String,
    operations: usize,
    status: SpecStatus,
    /// `(operationId, outcome, detail, pass)`; pass 0 is the static one.
    lines: Vec<(String, String, String, usize)>,
    /// Building the driver and running every pass.
    elapsed: Duration,
}

enum SpecStatus {
    Ran,
    Skipped(String),
    Failed(String),
    PrismCannotLoad(String),
    PrismCrashed(String),
}

/// Outcomes that are findings (everything but `ok`, `status` and `note`).
const FINDINGS: &[&str] = &["rejected", "decode", "fallback", "unbuildable", "error"];
/// Outcomes that are the mock's own doing, shown (column `mock`) but never
/// failing a run: Prism's response violates the spec or Prism failed inside
/// (`mock`), Prism stopped answering on a call (`stalled`).
const THE_MOCKS: &[&str] = &["mock", "stalled"];
/// Outcomes that are the spec's own doing, shown (column `spec`) but never
/// failing a run: the spec's example contradicts its schema (`example`), a
/// path another path of the same shape shadows (`ambiguous`).
const THE_SPECS: &[&str] = &["example", "ambiguous"];

/// Runs the conformance mode on the spec files `specs`.
pub fn run(specs: &[PathBuf], options: &ConformOptions) -> Result<(), String> {
    let root = project_root();
    let prism = root.join("tools/node_modules/.bin/prism");
    if !prism.exists() {
        println!("conform: Prism is not installed in tools/ (cargo xtask test installs it); skipped");
        return Ok(());
    }
    let work = root.join("target").join("conform");
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let mut runs = Vec::new();
    let mut crates = Vec::new();
    let mut dirs = BTreeSet::new();
    for spec in specs {
        let (run, dir) = generate(spec, &work, &mut dirs, options)?;
        if let Some(dir) = dir {
            crates.push((runs.len(), dir));
        }
        runs.push(run);
    }
    write_workspace(&root, &work, crates.iter().map(|(_, dir)| dir.as_str()))?;
    for (index, dir) in &crates {
        let run = &mut runs[*index];
        let started = Instant::now();
        match build(&root, &work, dir) {
            Ok(binary) => exercise(&prism, &root, &specs[*index], &binary, &work, dir, options.passes, run),
            Err(message) => run.status = SpecStatus::Failed(message),
        }
        run.elapsed = started.elapsed();
    }
    write_results(&work, &runs)?;
    let known = known_findings(&root)?;
    let unexpected = print_table(&runs, &known);
    if unexpected > 0 {
        return Err(format!("{unexpected} unexpected conformance finding(s); see target/conform/results.tsv"));
    }
    Ok(())
}

/// Generates the crate and its driver; the directory name when it generated.
fn generate(
    spec: &Path,
    work: &Path,
    dirs: &mut BTreeSet<String>,
    options: &ConformOptions,
) -> Result<(SpecRun, Option<String>), String> {
    let file = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut dir = oapi_gen::naming::snake(&stem).replace('_', "-");
    if !dirs.insert(dir.clone()) {
        dir = oapi_gen::naming::snake(&file).replace('_', "-");
        dirs.insert(dir.clone());
    }
    let mut run = SpecRun {
        file: file.clone(),
        operations: 0,
        status: SpecStatus::Ran,
        lines: Vec::new(),
        elapsed: Duration::ZERO,
    };
    let text = std::fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let crate_name = format!("{dir}-client");
    let generator_options = Options {
        layout: Layout::Standalone { crate_name: crate_name.clone(), runtime: RuntimeSource::Vendored },
        preamble: format!("// @generated by cargo xtask corpus --conform from {file}. Do not edit by hand."),
        mock: false,
    };
    let label = spec.display().to_string();
    let output = match oapi_gen::generate_str(&text, &label, &generator_options) {
        Ok(output) => output,
        Err(error) => {
            run.status = SpecStatus::Failed(format!("generation: {error}"));
            return Ok((run, None));
        }
    };
    run.operations = output.api.operations.len();
    if let Some(max) = options.max_operations.filter(|max| run.operations > *max) {
        run.status = SpecStatus::Skipped(format!("{} operations > --max-operations {max}", run.operations));
        return Ok((run, None));
    }
    let driver = match oapi_gen::conform_driver(&text, &label, &output.api, &crate_name, &generator_options.preamble) {
        Ok(driver) => driver,
        Err(error) => {
            run.status = SpecStatus::Failed(format!("driver: {error}"));
            return Ok((run, None));
        }
    };
    let mut files = output.files;
    files.insert("examples/conform.rs".to_string(), driver);
    crate::write_fresh_dir(&work.join(&dir), &files)?;
    Ok((run, Some(dir)))
}

/// One throwaway workspace for every crate, with the root's lock file so
/// that cached crates need no resolution.
fn write_workspace<'a>(root: &Path, work: &Path, members: impl Iterator<Item = &'a str>) -> Result<(), String> {
    let mut manifest =
        String::from("# Written by `cargo xtask corpus --conform`.\n[workspace]\nresolver = \"2\"\nmembers = [\n");
    for member in members {
        let _ = writeln!(manifest, "    \"{member}\",");
    }
    // The root workspace's profile, so that dependencies built there are reused.
    manifest
        .push_str("]\n\n[profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n");
    std::fs::write(work.join("Cargo.toml"), manifest)
        .map_err(|e| format!("cannot write the conform workspace: {e}"))?;
    let lock = work.join("Cargo.lock");
    if !lock.exists() {
        let _ = std::fs::copy(root.join("Cargo.lock"), &lock);
    }
    Ok(())
}

/// `cargo build --example conform -p <dir>-client`; the driver binary, copied
/// out of the way of the next crate's (every driver is called `conform`).
fn build(root: &Path, work: &Path, dir: &str) -> Result<PathBuf, String> {
    let cargo = crate::cargo_program();
    let target = root.join("target");
    let mut command = Command::new(cargo);
    command
        .current_dir(work)
        .args(["build", "-q", "--example", "conform", "--message-format", "short", "-p"])
        .arg(format!("{dir}-client"))
        .arg("--target-dir")
        .arg(&target)
        .env_remove("RUSTFLAGS");
    eprintln!("$ {command:?}");
    let output = command.output().map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        let log = String::from_utf8_lossy(&output.stderr);
        let _ = std::fs::write(work.join(format!("{dir}.build.log")), log.as_bytes());
        let first: Vec<&str> = log.lines().filter(|l| l.contains("error")).take(3).collect();
        return Err(format!("build: {}", first.join(" | ")));
    }
    let built = target.join("debug/examples").join(format!("conform{}", std::env::consts::EXE_SUFFIX));
    let bin_dir = work.join("bin");
    std::fs::create_dir_all(&bin_dir).map_err(|e| format!("cannot create {}: {e}", bin_dir.display()))?;
    let copy = bin_dir.join(format!("{dir}{}", std::env::consts::EXE_SUFFIX));
    std::fs::copy(&built, &copy).map_err(|e| format!("cannot copy {}: {e}", built.display()))?;
    Ok(copy)
}

/// The static pass, then `passes` dynamic ones, each against a fresh Prism.
#[allow(clippy::too_many_arguments)]
fn exercise(
    prism: &Path,
    root: &Path,
    spec: &Path,
    binary: &Path,
    work: &Path,
    dir: &str,
    passes: usize,
    run: &mut SpecRun,
) {
    for dynamic in [false, true] {
        if dynamic && passes == 0 {
            break;
        }
        let log = work.join(format!("{dir}.prism-{}.log", mode(dynamic)));
        let mut mock = match Mock::start(prism, root, spec, dynamic, &log) {
            Ok(mock) => mock,
            Err(message) => {
                run.status = SpecStatus::PrismCannotLoad(message);
                return;
            }
        };
        let rounds = if dynamic { 1..=passes } else { 0..=0 };
        for pass in rounds {
            let mut resume_after: Option<String> = None;
            let mut restarts = 0;
            loop {
                let (stdout, result) = run_driver(binary, &mock.base_url, dynamic, resume_after.as_deref());
                let prism_gone = matches!(mock.child.try_wait(), Ok(Some(_)));
                let stopped = result.as_ref().err().is_some_and(|e| e.contains("stopped answering"));
                let lines = driver_lines(&stdout);
                let stalled_on = (prism_gone || stopped).then(|| first_of_last_errors(&lines)).flatten();
                for (op, kind, detail) in lines {
                    // The calls that found the server gone say nothing about the client.
                    if (prism_gone || stopped) && kind == "error" {
                        continue;
                    }
                    run.lines.push((op, kind, detail, pass));
                }
                let Err(message) = result else { break };
                if !(prism_gone || stopped) {
                    run.status = SpecStatus::Failed(message);
                    return;
                }
                // Prism out of memory, or busy forever on one response (a large
                // recursive schema in dynamic mode): the call it stalled on is
                // Prism's finding; a fresh Prism takes the calls after it.
                match stalled_on {
                    Some(op) if restarts < MAX_RESTARTS => {
                        run.lines.push((
                            op.clone(),
                            "stalled".into(),
                            format!(
                                "the mock stopped answering from this call on; a fresh mock took the calls after it \
                                 ({message})"
                            ),
                            pass,
                        ));
                        restarts += 1;
                        drop(mock);
                        mock = match Mock::start(prism, root, spec, dynamic, &log) {
                            Ok(mock) => mock,
                            Err(message) => {
                                run.status = SpecStatus::PrismCrashed(format!(
                                    "{} pass {pass}: restart: {message}",
                                    mode(dynamic)
                                ));
                                return;
                            }
                        };
                        resume_after = Some(op);
                    }
                    _ => {
                        run.status = SpecStatus::PrismCrashed(format!("{} pass {pass}: {message}", mode(dynamic)));
                        return;
                    }
                }
            }
        }
    }
}

/// `(operationId, outcome, detail)` of each `conform` line a driver printed.
fn driver_lines(stdout: &str) -> Vec<(String, String, String)> {
    stdout
        .lines()
        .filter_map(|line| {
            let mut fields = line.splitn(4, '\t');
            if fields.next() != Some("conform") {
                return None;
            }
            let op = fields.next().unwrap_or_default().to_string();
            let kind = fields.next().unwrap_or_default().to_string();
            let detail = fields.next().unwrap_or_default().to_string();
            Some((op, kind, detail))
        })
        .collect()
}

/// The operation that began the trailing run of `error` lines: the call a
/// mock stopped answering on.
fn first_of_last_errors(lines: &[(String, String, String)]) -> Option<String> {
    let trailing = lines.iter().rev().take_while(|(_, kind, _)| kind == "error").count();
    (trailing > 0).then(|| lines[lines.len() - trailing].0.clone())
}

fn mode(dynamic: bool) -> &'static str {
    if dynamic {
        "dynamic"
    } else {
        "static"
    }
}

/// Runs a driver, killing it after [`DRIVER_TIMEOUT`]: what it printed, and
/// whether it finished.
fn run_driver(
    binary: &Path,
    base_url: &str,
    dynamic: bool,
    resume_after: Option<&str>,
) -> (String, Result<(), String>) {
    let mut command = Command::new(binary);
    if let Some(op) = resume_after {
        command.env("CONFORM_RESUME_AFTER", op);
    }
    let spawned = command
        .env("CONFORM_BASE_URL", base_url)
        .env("CONFORM_MODE", mode(dynamic))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => return (String::new(), Err(format!("cannot run {}: {e}", binary.display()))),
    };
    let Some(mut stdout) = child.stdout.take() else { return (String::new(), Err("no driver stdout".into())) };
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let deadline = Instant::now() + DRIVER_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                let text = reader.join().unwrap_or_default();
                return (text, Err(format!("driver did not finish within {DRIVER_TIMEOUT:?}")));
            }
        }
    };
    let text = reader.join().unwrap_or_default();
    if !status.success() {
        let mut stderr = String::new();
        if let Some(mut err) = child.stderr.take() {
            let _ = err.read_to_string(&mut stderr);
        }
        // A panic is itself a finding: the client must never panic on a response.
        let message = format!("driver exited with {status}: {}", stderr.lines().last().unwrap_or_default());
        return (text, Err(message));
    }
    (text, Ok(()))
}

/// A Prism process, killed and reaped when dropped.
struct Mock {
    child: Child,
    base_url: String,
}

impl Mock {
    fn start(prism: &Path, root: &Path, spec: &Path, dynamic: bool, log: &Path) -> Result<Mock, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let log_file = std::fs::File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let log_err = log_file.try_clone().map_err(|e| e.to_string())?;
        let mut command = Command::new(prism);
        command.args(["mock", "-h", "127.0.0.1", "-p", &port.to_string(), "--errors"]);
        if dynamic {
            command.arg("-d");
        }
        let child = command
            .arg(spec)
            .current_dir(root)
            .stdin(Stdio::null())
            .stdout(Stdio::from(log_file))
            .stderr(Stdio::from(log_err))
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", prism.display()))?;
        let mut mock = Mock { child, base_url: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + PRISM_STARTUP;
        loop {
            if let Ok(Some(status)) = mock.child.try_wait() {
                let text = std::fs::read_to_string(log).unwrap_or_default();
                // `[CLI] ✖  fatal     Error opening file …`, else the first `Error` line of a stack.
                let reason = text
                    .lines()
                    .find(|l| l.contains("fatal"))
                    .or_else(|| text.lines().find(|l| l.contains("Error:")))
                    .map(|l| l.split("fatal").last().unwrap_or(l).trim().chars().take(160).collect::<String>())
                    .unwrap_or_default();
                return Err(format!("Prism exited with {status}: {reason}"));
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(mock);
            }
            if Instant::now() > deadline {
                return Err(format!("Prism did not listen within {PRISM_STARTUP:?}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn write_results(work: &Path, runs: &[SpecRun]) -> Result<(), String> {
    let mut tsv = String::from("spec\toperation\toutcome\tpass\tdetail\n");
    for run in runs {
        for (op, kind, detail, pass) in &run.lines {
            let pass = if *pass == 0 { "static".to_string() } else { format!("dynamic {pass}") };
            let _ = writeln!(tsv, "{}\t{op}\t{kind}\t{pass}\t{detail}", run.file);
        }
    }
    let path = work.join("results.tsv");
    std::fs::write(&path, tsv).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// `(spec, operationId, outcome)` of `tests/conform-known.tsv`; `#` lines are comments.
fn known_findings(root: &Path) -> Result<BTreeSet<(String, String, String)>, String> {
    let path = root.join("tests/conform-known.tsv");
    let Ok(text) = std::fs::read_to_string(&path) else { return Ok(BTreeSet::new()) };
    let mut known = BTreeSet::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [spec, op, kind, _why, ..] = fields.as_slice() else {
            return Err(format!("{}:{}: expected spec, operationId, outcome, why", path.display(), number + 1));
        };
        known.insert((spec.to_string(), op.to_string(), kind.to_string()));
    }
    Ok(known)
}

/// Per spec and outcome, the operations with that outcome (the first detail of each).
fn by_outcome(run: &SpecRun) -> BTreeMap<&str, BTreeMap<&str, &str>> {
    let mut out: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    for (op, kind, detail, pass) in &run.lines {
        // Request-side outcomes count in the static pass only: dynamic passes send the same requests.
        if *pass > 0 && matches!(kind.as_str(), "rejected" | "ambiguous" | "unbuildable" | "skipped" | "note") {
            continue;
        }
        out.entry(kind.as_str()).or_default().entry(op.as_str()).or_insert(detail.as_str());
    }
    out
}

/// Prints the table and details; returns the number of unexpected findings.
fn print_table(runs: &[SpecRun], known: &BTreeSet<(String, String, String)>) -> usize {
    let width = runs.iter().map(|r| r.file.len()).max().unwrap_or(4).max(4);
    println!();
    println!(
        "{:<width$}  {:>4}  {:>6}  {:>8}  {:>6}  {:>8}  {:>4}  {:>4}  {:>6}  {:>7}  {:>5}  {:>5}  result",
        "spec", "ops", "called", "rejected", "decode", "fallback", "mock", "spec", "status", "unbuilt", "error", "secs"
    );
    let mut unexpected = 0;
    let mut details = Vec::new();
    for run in runs {
        let outcomes = by_outcome(run);
        let count = |kind: &str| outcomes.get(kind).map_or(0, BTreeMap::len);
        let mut called: BTreeSet<&str> = BTreeSet::new();
        for (op, kind, _, pass) in &run.lines {
            if *pass == 0 && !matches!(kind.as_str(), "unbuildable" | "skipped" | "note") {
                called.insert(op);
            }
        }
        let mut spec_unexpected = 0;
        for kind in FINDINGS.iter().chain(THE_MOCKS).chain(THE_SPECS) {
            for (op, detail) in outcomes.get(kind).into_iter().flatten() {
                let mark = if THE_MOCKS.contains(kind) {
                    " (the mock's)"
                } else if THE_SPECS.contains(kind) {
                    " (the spec's)"
                } else if known.contains(&(run.file.clone(), op.to_string(), kind.to_string())) {
                    " (known)"
                } else {
                    spec_unexpected += 1;
                    ""
                };
                details.push(format!("{}  {op}  {kind}{mark}: {detail}", run.file));
            }
        }
        let result = match &run.status {
            SpecStatus::Ran if spec_unexpected == 0 => "ok".to_string(),
            SpecStatus::Ran => format!("FINDINGS ({spec_unexpected})"),
            SpecStatus::Skipped(why) => format!("skipped ({why})"),
            SpecStatus::Failed(why) => {
                spec_unexpected += 1;
                format!("FAILED ({why})")
            }
            SpecStatus::PrismCannotLoad(why) => format!("Prism cannot load it ({why})"),
            SpecStatus::PrismCrashed(why) => format!("Prism crashed ({why})"),
        };
        unexpected += spec_unexpected;
        println!(
            "{:<width$}  {:>4}  {:>6}  {:>8}  {:>6}  {:>8}  {:>4}  {:>4}  {:>6}  {:>7}  {:>5}  {:>5.0}  {result}",
            run.file,
            run.operations,
            called.len(),
            count("rejected"),
            count("decode"),
            count("fallback"),
            THE_MOCKS.iter().map(|kind| count(kind)).sum::<usize>(),
            THE_SPECS.iter().map(|kind| count(kind)).sum::<usize>(),
            count("status"),
            count("unbuildable"),
            count("error"),
            run.elapsed.as_secs_f64(),
        );
    }
    if !details.is_empty() {
        println!();
        for detail in &details {
            println!("{detail}");
        }
    }
    println!();
    println!(
        "rejected: Prism answered 422 or with request sl-violations (static pass); decode, fallback: in any pass; \
         mock: Prism's own response violates the spec (its example or schema), Prism failed inside (a 500 with its own problem type) or stopped answering on the call; \
         spec: the spec's example contradicts its schema where decoding failed (static pass), or a path of the same \
         shape as another was routed to that one; status: another status; \
         unbuilt: a synthesized argument the Rust type cannot hold"
    );
    unexpected
}
