//! `cargo xtask bench [--runs N] [--compile]`: whole-process figures for
//! BENCHMARKS.md, printed as Markdown tables.
//!
//! - Generation: the release-built `oapi-gen` CLI run under GNU time
//!   (`/usr/bin/time -v`) for every registered spec and every spec of
//!   `../shared/corpus`, smallest first (skipped, with a note, when absent or
//!   rejected by the generator): wall time, wall time per MB of spec (a size
//!   series), the generation time the CLI reports, and peak memory (maximum
//!   resident set size), over `--runs` runs (default 3).
//! - Lines of code of the checked-in crate: generated modules vs runtime.
//! - `--compile`: debug build times of `api-clients` in a separate target
//!   directory (`target/bench-compile`, so the shared one is not disturbed):
//!   clean with dependencies, the crate alone from clean, after touching a
//!   generated file, and with nothing changed.
//!
//! - `--peers [SPEC…]`: this generator beside progenitor, ploidy,
//!   openapi-to-rust and openapi-generator on the same specs (see `peers.rs`).
//!
//! Per-stage generation times come from `cargo bench -p oapi-gen` instead;
//! this command uses a release build but no statistics beyond the median.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::apis::APIS;
use crate::project_root;

/// The shared corpus, measured beside the registered APIs' specs, relative to
/// the workspace root.
const CORPUS_DIR: &str = "../shared/corpus";

/// Every spec of the shared corpus, smallest first: a size series, to show
/// how generation grows with the spec. Empty (with a note) when it is absent.
fn corpus_specs(root: &Path, notes: &mut Vec<String>) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root.join(CORPUS_DIR)) else {
        notes.push(format!("the corpus is skipped: {CORPUS_DIR} is absent"));
        return Vec::new();
    };
    let mut specs: Vec<(u64, PathBuf)> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| matches!(path.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml")))
        .map(|path| (std::fs::metadata(&path).map_or(0, |m| m.len()), path))
        .collect();
    specs.sort();
    specs.into_iter().map(|(_, path)| path).collect()
}

/// `cargo xtask bench [--runs N] [--compile] [--peers [SPEC…]]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut runs = 3usize;
    let mut compile = false;
    let mut peers: Option<Vec<String>> = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--peers" => peers = Some(Vec::new()),
            spec if !spec.starts_with('-') && peers.is_some() => {
                peers.get_or_insert_with(Vec::new).push(spec.to_string());
            }
            "--runs" => {
                runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("--runs needs a positive number")?
            }
            "--compile" => compile = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if let Some(specs) = peers {
        return crate::peers::run(runs, &specs);
    }
    let root = project_root();
    generation(&root, runs)?;
    lines_of_code(&root)?;
    if compile {
        compile_times(&root)?;
    }
    Ok(())
}

/// What one run of the CLI reported.
struct GenRun {
    wall: Duration,
    peak_kib: u64,
    /// `generated N operations, …, L lines … in X ms`: (operations, types, lines, ms).
    summary: Option<(u64, u64, u64, f64)>,
}

fn generation(root: &Path, runs: usize) -> Result<(), String> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        return Err("GNU time is needed at /usr/bin/time (Debian: apt-get install time)".into());
    }
    eprintln!("building the oapi-gen CLI (release)…");
    cargo(root, &["build", "--quiet", "--release", "-p", "oapi-gen", "--bin", "oapi-gen"], None)?;
    let cli = target_dir(root).join("release").join(format!("oapi-gen{}", std::env::consts::EXE_SUFFIX));
    println!("### Generation: release `oapi-gen` CLI, {runs} run(s) each (median wall, max peak RSS)\n");
    println!("| spec | size | operations | types | lines (standalone crate) | generation (CLI) | wall | wall per MB | peak RSS |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut notes = Vec::new();
    let corpus = corpus_specs(root, &mut notes);
    let specs = APIS.iter().map(|api| root.join(api.spec)).chain(corpus);
    for spec in specs {
        let name = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let Ok(metadata) = std::fs::metadata(&spec) else {
            notes.push(format!("{name}: skipped, {} is absent", spec.display()));
            continue;
        };
        let out = target_dir(root).join("bench-gen").join(&name);
        let mut results = Vec::new();
        let mut failure = None;
        for _ in 0..runs {
            match gen_run(time, &cli, &spec, &out) {
                Ok(result) => results.push(result),
                Err(message) => {
                    failure = Some(message);
                    break;
                }
            }
        }
        if let Some(message) = failure {
            notes.push(format!("{name}: skipped, generation fails: {message}"));
            continue;
        }
        let mut walls: Vec<Duration> = results.iter().map(|r| r.wall).collect();
        walls.sort();
        let mut generation_ms: Vec<f64> = results.iter().filter_map(|r| r.summary.map(|s| s.3)).collect();
        generation_ms.sort_by(f64::total_cmp);
        let peak = results.iter().map(|r| r.peak_kib).max().unwrap_or(0);
        let (operations, types, lines) = results
            .first()
            .and_then(|r| r.summary)
            .map(|(o, t, l, _)| (o.to_string(), t.to_string(), l.to_string()))
            .unwrap_or_default();
        let generation = generation_ms.get(generation_ms.len() / 2).map(|ms| format!("{ms:.0} ms")).unwrap_or_default();
        let megabytes = metadata.len() as f64 / 1e6;
        let wall_ms = walls[walls.len() / 2].as_secs_f64() * 1000.0;
        println!(
            "| {name} | {megabytes:.2} MB | {operations} | {types} | {lines} | {generation} | {wall_ms:.0} ms | {:.0} ms | {:.1} MiB |",
            wall_ms / megabytes.max(1e-3),
            peak as f64 / 1024.0,
        );
    }
    for note in notes {
        println!("\n{note}");
    }
    println!();
    Ok(())
}

fn gen_run(time: &Path, cli: &Path, spec: &Path, out: &Path) -> Result<GenRun, String> {
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    let started = Instant::now();
    let output = Command::new(time)
        .arg("-v")
        .arg(cli)
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(out)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", time.display()))?;
    let wall = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let first_error = stderr.lines().find(|l| l.starts_with("error")).unwrap_or("non-zero exit");
        return Err(first_error.to_string());
    }
    let peak_kib = stderr
        .lines()
        .find_map(|line| line.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or("GNU time printed no maximum resident set size")?;
    let summary = stderr.lines().rev().find(|l| l.starts_with("generated ")).and_then(parse_summary);
    Ok(GenRun { wall, peak_kib, summary })
}

/// `generated 32 operations, 57 types, 6761 lines into DIR in 20.5 ms`.
fn parse_summary(line: &str) -> Option<(u64, u64, u64, f64)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let number_before = |word: &str| -> Option<u64> {
        let index = words.iter().position(|w| w.trim_end_matches(',') == word)?;
        words.get(index.checked_sub(1)?)?.parse().ok()
    };
    let ms = words.iter().rposition(|w| *w == "ms").and_then(|i| words.get(i.checked_sub(1)?)?.parse().ok())?;
    Some((number_before("operations")?, number_before("types")?, number_before("lines")?, ms))
}

fn lines_of_code(root: &Path) -> Result<(), String> {
    let src = root.join("generated").join("src");
    println!("### Lines of code of `api-clients` (generated/src) and its runtime\n");
    println!("| part | files | lines | code lines (no blank, `//` or `///` lines) |");
    println!("|---|---|---|---|");
    let mut totals = (0, 0, 0);
    let parts = APIS
        .iter()
        .map(|api| (format!("{} (generated)", api.module), src.join(api.module)))
        .chain([("runtime/src (hand-written, crate oapi-runtime)".to_string(), root.join("runtime").join("src"))]);
    for (label, dir) in parts {
        let (files, lines, code) = count_lines(&dir)?;
        totals = (totals.0 + files, totals.1 + lines, totals.2 + code);
        println!("| {label} | {files} | {lines} | {code} |");
    }
    println!("| total | {} | {} | {} |\n", totals.0, totals.1, totals.2);
    Ok(())
}

/// (files, lines, lines that are neither blank nor `//` comments) of the `.rs` files under `dir`.
pub(crate) fn count_lines(dir: &Path) -> Result<(usize, usize, usize), String> {
    let mut counts = (0, 0, 0);
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            let (files, lines, code) = count_lines(&path)?;
            counts = (counts.0 + files, counts.1 + lines, counts.2 + code);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let code = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("//")).count();
            counts = (counts.0 + 1, counts.1 + text.lines().count(), counts.2 + code);
        }
    }
    Ok(counts)
}

fn compile_times(root: &Path) -> Result<(), String> {
    let target = target_dir(root).join("bench-compile");
    let build = ["build", "--quiet", "-p", "api-clients"];
    println!("### Debug build of `api-clients` (CARGO_TARGET_DIR={})\n", target.display());
    println!("| build | time |");
    println!("|---|---|");
    if target.exists() {
        std::fs::remove_dir_all(&target).map_err(|e| format!("cannot clear {}: {e}", target.display()))?;
    }
    let clean = cargo(root, &build, Some(&target))?;
    println!("| clean, dependencies included | {:.1} s |", clean.as_secs_f64());
    cargo(root, &["clean", "--quiet", "-p", "api-clients"], Some(&target))?;
    let crate_only = cargo(root, &build, Some(&target))?;
    println!("| `api-clients` alone (dependencies built) | {:.1} s |", crate_only.as_secs_f64());
    let first = APIS.first().ok_or("the API registry is empty")?;
    let touched = root.join("generated").join("src").join(first.module).join("types.rs");
    std::fs::File::options()
        .append(true)
        .open(&touched)
        .and_then(|file| file.set_modified(std::time::SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", touched.display()))?;
    let incremental = cargo(root, &build, Some(&target))?;
    println!(
        "| incremental, after touching generated/src/{}/types.rs | {:.1} s |",
        first.module,
        incremental.as_secs_f64()
    );
    let nothing = cargo(root, &build, Some(&target))?;
    println!("| nothing changed | {:.1} s |\n", nothing.as_secs_f64());
    Ok(())
}

/// Runs cargo in `root` (with `CARGO_TARGET_DIR` when given) and returns how long it took.
fn cargo(root: &Path, args: &[&str], target_dir: Option<&Path>) -> Result<Duration, String> {
    let cargo = crate::cargo_program();
    let mut command = Command::new(cargo);
    command.current_dir(root).args(args);
    if let Some(dir) = target_dir {
        command.env("CARGO_TARGET_DIR", dir);
    }
    let started = Instant::now();
    let status = command.status().map_err(|e| format!("cannot run cargo: {e}"))?;
    let elapsed = started.elapsed();
    if !status.success() {
        return Err(format!("cargo {} failed", args.join(" ")));
    }
    Ok(elapsed)
}

/// The shared target directory (`CARGO_TARGET_DIR` or `<root>/target`).
pub(crate) fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_cli_summary() {
        let line = "generated 767 operations, 1246 types, 129306 lines into /tmp/x in 692.4 ms";
        assert_eq!(parse_summary(line), Some((767, 1246, 129306, 692.4)));
        assert_eq!(parse_summary("generated nothing"), None);
    }
}
