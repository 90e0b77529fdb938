//! `cargo xtask bench --peers [--runs N] [SPEC…]`: this generator beside its
//! peers on the same specs, in one run, as Markdown tables for BENCHMARKS.md.
//!
//! The peers are installed on request under `target/peers/` (nothing is
//! installed by any other command): the Rust ones with
//! `cargo install --locked --root target/peers`, openapi-generator from PyPI
//! (`openapi-generator-cli`, which needs Java) into `target/peers/venv`. A peer
//! that cannot be installed is listed as such and the others still run.
//!
//! Per spec:
//! - generation: every generator in turn (ours, peer, ours, peer, … so that
//!   load on a shared machine falls on all of them alike), `--runs` rounds,
//!   under GNU time: wall, CPU (user + system) and peak memory, medians;
//! - for each crate that generated: lines of Rust per operation, and debug
//!   `cargo check` and `cargo build` of the crate alone (its dependencies built
//!   first, in a target directory of its own; then `cargo clean -p` and the
//!   timed build, `--runs` rounds with the crates in alternation, median), and
//!   the build after touching its `src/lib.rs`.
//!
//! Our crate uses the runtime as a path dependency (`--runtime path=runtime`),
//! as the peers use their runtime crates (progenitor-client, ploidy-util), so
//! that "the crate alone" means the generated code alone for everyone.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::project_root;

/// Specs measured when none are given: the seed specs and, when the shared
/// corpus is there, a mid-sized and a large one.
const DEFAULT_SPECS: &[&str] =
    &["spec/apono.yaml", "spec/api-connect.yaml", "../shared/corpus/nomad.yaml", "../shared/corpus/github-api.json"];

/// How a peer is installed.
enum Install {
    /// `cargo install --locked --root target/peers NAME@VERSION`, giving `bin`.
    Cargo { package: &'static str, version: &'static str, bin: &'static str },
    /// `pip install PACKAGE==VERSION` into `target/peers/venv`, giving `bin`.
    Pip { package: &'static str, version: &'static str, bin: &'static str },
}

/// One generator under measurement.
struct Generator {
    name: &'static str,
    /// `None` for ours (built from the workspace).
    install: Option<Install>,
}

const PEERS: &[Generator] = &[
    Generator {
        name: "progenitor 0.15.1",
        install: Some(Install::Cargo { package: "cargo-progenitor", version: "0.15.1", bin: "cargo-progenitor" }),
    },
    Generator {
        name: "ploidy 0.15.0",
        install: Some(Install::Cargo { package: "ploidy", version: "0.15.0", bin: "ploidy" }),
    },
    Generator {
        name: "openapi-to-rust 0.23.0",
        install: Some(Install::Cargo { package: "openapi-to-rust", version: "0.23.0", bin: "openapi-to-rust" }),
    },
    Generator {
        name: "openapi-generator 7.26.0",
        install: Some(Install::Pip {
            package: "openapi-generator-cli",
            version: "7.26.0",
            bin: "openapi-generator-cli",
        }),
    },
];

const OURS: Generator = Generator { name: "oapi-gen (this project)", install: None };

/// A generator ready to run: its program, or why it is not.
struct Ready<'a> {
    generator: &'a Generator,
    program: Result<PathBuf, String>,
}

/// One generation: wall, CPU and peak memory, or the first line of the error.
#[derive(Clone)]
struct Timed {
    wall: Duration,
    cpu: Duration,
    peak_kib: u64,
}

/// Everything measured for one generator on one spec.
#[derive(Default)]
struct Figures {
    generation: Vec<Timed>,
    failure: Option<String>,
    lines: Option<usize>,
    check: Vec<Duration>,
    build: Vec<Duration>,
    incremental: Option<Duration>,
    build_failure: Option<String>,
}

/// `cargo xtask bench --peers [--runs N] [SPEC…]` (the arguments after `--peers`).
pub fn run(runs: usize, specs: &[String]) -> Result<(), String> {
    let root = project_root();
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        return Err("GNU time is needed at /usr/bin/time (Debian: apt-get install time)".into());
    }
    let peers_dir = root.join("target").join("peers");
    let ours_bin = build_ours(&root)?;
    let mut generators = vec![Ready { generator: &OURS, program: Ok(ours_bin) }];
    for peer in PEERS {
        let program = install(&peers_dir, peer);
        if let Err(why) = &program {
            eprintln!("bench --peers: {} is not available: {why}", peer.name);
        }
        generators.push(Ready { generator: peer, program });
    }
    let specs: Vec<PathBuf> = if specs.is_empty() {
        DEFAULT_SPECS.iter().map(|s| root.join(s)).filter(|p| p.exists()).collect()
    } else {
        specs.iter().map(PathBuf::from).collect()
    };
    let work = root.join("target").join("bench-peers");
    let commit = git_commit(&root);
    println!("### Generators side by side (commit {commit}, {} rounds, medians)\n", runs);
    for spec in &specs {
        let operations = count_operations(spec)?;
        let stem = spec.file_stem().map(|s| s.to_string_lossy().replace(['.', '_'], "-")).unwrap_or_default();
        let mut figures: Vec<Figures> = generators.iter().map(|_| Figures::default()).collect();
        // Generation, alternating.
        for _ in 0..runs {
            for (index, ready) in generators.iter().enumerate() {
                let Ok(program) = &ready.program else { continue };
                if figures[index].failure.is_some() {
                    continue;
                }
                let out = work.join(&stem).join(slug(ready.generator.name));
                match generate(time, ready.generator, program, &root, spec, &out, &crate_name(&stem)) {
                    Ok(timed) => figures[index].generation.push(timed),
                    Err(why) => figures[index].failure = Some(why),
                }
            }
        }
        // Builds, each crate in its own target directory: dependencies first,
        // then the crate alone, in alternation like the generation.
        let mut crates: Vec<(usize, PathBuf, String)> = Vec::new();
        for (index, ready) in generators.iter().enumerate() {
            if ready.program.is_err() || figures[index].failure.is_some() {
                continue;
            }
            let out = work.join(&stem).join(slug(ready.generator.name));
            // Every `.rs` line the generator wrote (ours without the runtime,
            // a dependency here as the peers' runtimes are).
            figures[index].lines = crate::bench::count_lines(&out).ok().map(|(_, lines, _)| lines);
            let Some(krate) = find_crate(&out) else {
                figures[index].build_failure = Some("writes modules without a Cargo.toml: not built".into());
                continue;
            };
            match prepare_build(&krate) {
                Ok(name) => crates.push((index, krate, name)),
                Err(why) => figures[index].build_failure = Some(why),
            }
        }
        for _ in 0..runs {
            for (index, krate, name) in &crates {
                if figures[*index].build_failure.is_some() {
                    continue;
                }
                if let Err(why) = timed_builds(krate, name, &mut figures[*index]) {
                    figures[*index].build_failure = Some(why);
                }
            }
        }
        for (index, krate, _) in &crates {
            if figures[*index].build_failure.is_some() {
                continue;
            }
            match touched_build(krate) {
                Ok(elapsed) => figures[*index].incremental = Some(elapsed),
                Err(why) => figures[*index].build_failure = Some(why),
            }
        }
        print_table(spec, operations, &generators, &figures);
    }
    Ok(())
}

/// `cargo build --release -p oapi-gen --bin oapi-gen`; the binary.
fn build_ours(root: &Path) -> Result<PathBuf, String> {
    let cargo = crate::cargo_program();
    let status = Command::new(cargo)
        .current_dir(root)
        .args(["build", "--quiet", "--release", "-p", "oapi-gen", "--bin", "oapi-gen"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("cannot build the oapi-gen CLI".into());
    }
    Ok(crate::bench::target_dir(root).join("release").join("oapi-gen"))
}

/// The peer's program under `peers_dir`, installed first when missing.
fn install(peers_dir: &Path, peer: &Generator) -> Result<PathBuf, String> {
    match &peer.install {
        None => Err("nothing to install".into()),
        Some(Install::Cargo { package, version, bin }) => {
            let program = peers_dir.join("bin").join(bin);
            if !program.exists() {
                eprintln!("==> cargo install --locked --root {} {package}@{version}", peers_dir.display());
                let cargo = crate::cargo_program();
                let output = Command::new(cargo)
                    .args(["install", "--quiet", "--locked", "--root"])
                    .arg(peers_dir)
                    .arg(format!("{package}@{version}"))
                    .output()
                    .map_err(|e| format!("cannot run cargo install: {e}"))?;
                if !output.status.success() {
                    return Err(first_error(&String::from_utf8_lossy(&output.stderr)));
                }
            }
            program.exists().then_some(program).ok_or_else(|| format!("{package} installs no `{bin}`"))
        }
        Some(Install::Pip { package, version, bin }) => {
            let venv = peers_dir.join("venv");
            let program = venv.join("bin").join(bin);
            if !program.exists() {
                eprintln!("==> python3 -m venv {0} && {0}/bin/pip install {package}=={version}", venv.display());
                let made = Command::new("python3").args(["-m", "venv"]).arg(&venv).output();
                if !made.as_ref().is_ok_and(|o| o.status.success()) {
                    return Err("cannot create a Python venv (python3 -m venv)".into());
                }
                let output = Command::new(venv.join("bin").join("pip"))
                    .args(["install", "--quiet", &format!("{package}=={version}")])
                    .output()
                    .map_err(|e| format!("cannot run pip: {e}"))?;
                if !output.status.success() {
                    return Err(first_error(&String::from_utf8_lossy(&output.stderr)));
                }
            }
            if Command::new("java").arg("-version").output().is_err() {
                return Err("openapi-generator needs Java (java on PATH)".into());
            }
            Ok(program)
        }
    }
}

/// The generator's command line for `spec` into `out`.
fn command_for(generator: &Generator, program: &Path, root: &Path, spec: &Path, out: &Path, name: &str) -> Command {
    let mut command = Command::new(program);
    match generator.install.as_ref().map(|i| match i {
        Install::Cargo { package, .. } | Install::Pip { package, .. } => *package,
    }) {
        None => {
            command.arg("--spec").arg(spec).arg("--out").arg(out).args(["--crate-name", name, "--quiet", "--runtime"]);
            command.arg(format!("path={}", root.join("runtime").display()));
        }
        Some("cargo-progenitor") => {
            command.arg("progenitor").arg("-i").arg(spec).arg("-o").arg(out).args(["-n", name, "-v", "0.1.0"]);
        }
        Some("ploidy") => {
            command.args(["generate", "rust"]).arg(spec).arg("-o").arg(out).args(["--name", name]);
        }
        Some("openapi-to-rust") => {
            command.arg("generate").arg(spec).arg("--output-dir").arg(out.join("src"));
        }
        Some(_) => {
            command.arg("generate").arg("-i").arg(spec).args(["-g", "rust", "--package-name", name]).arg("-o").arg(out);
        }
    }
    command
}

/// One timed generation into a fresh `out`.
fn generate(
    time: &Path,
    generator: &Generator,
    program: &Path,
    root: &Path,
    spec: &Path,
    out: &Path,
    name: &str,
) -> Result<Timed, String> {
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let report = out.with_extension("time");
    let inner = command_for(generator, program, root, spec, out, name);
    let mut command = Command::new(time);
    command.args(["-f", "%e %U %S %M", "-o"]).arg(&report).arg(inner.get_program()).args(inner.get_args());
    let output = command.output().map_err(|e| format!("cannot run {}: {e}", time.display()))?;
    if !output.status.success() {
        let text = format!("{}{}", String::from_utf8_lossy(&output.stderr), String::from_utf8_lossy(&output.stdout));
        return Err(first_error(&text));
    }
    let text = std::fs::read_to_string(&report).map_err(|e| format!("cannot read {}: {e}", report.display()))?;
    parse_time(&text).ok_or_else(|| format!("cannot read GNU time's output {text:?}"))
}

/// `%e %U %S %M` (the last line: earlier ones are the command's own notes).
fn parse_time(text: &str) -> Option<Timed> {
    let fields: Vec<&str> = text.lines().last()?.split_whitespace().collect();
    let [wall, user, system, peak] = fields.as_slice() else { return None };
    let seconds = |s: &str| s.parse::<f64>().ok().map(Duration::from_secs_f64);
    Some(Timed { wall: seconds(wall)?, cpu: seconds(user)? + seconds(system)?, peak_kib: peak.parse().ok()? })
}

/// The directory holding the generated crate's `Cargo.toml` (the output itself or one below).
fn find_crate(out: &Path) -> Option<PathBuf> {
    if out.join("Cargo.toml").exists() {
        return Some(out.to_path_buf());
    }
    std::fs::read_dir(out).ok()?.filter_map(Result::ok).map(|e| e.path()).find(|p| p.join("Cargo.toml").exists())
}

/// Makes `krate` a workspace of its own (so that ours, around it, is not
/// used) and builds and checks its dependencies; the package name.
fn prepare_build(krate: &Path) -> Result<String, String> {
    let manifest = krate.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    if !text.contains("[workspace]") {
        std::fs::write(&manifest, format!("{text}\n[workspace]\n")).map_err(|e| e.to_string())?;
    }
    let name = package_name(&text).ok_or("no package name in Cargo.toml")?;
    let target = krate.with_extension("target");
    cargo_in(krate, &target, &["build", "--quiet"])?;
    cargo_in(krate, &target, &["check", "--quiet"])?;
    Ok(name)
}

/// One round: `cargo check` and `cargo build` of the crate alone.
fn timed_builds(krate: &Path, name: &str, figures: &mut Figures) -> Result<(), String> {
    let target = krate.with_extension("target");
    cargo_in(krate, &target, &["clean", "--quiet", "-p", name])?;
    figures.check.push(cargo_in(krate, &target, &["check", "--quiet"])?);
    cargo_in(krate, &target, &["clean", "--quiet", "-p", name])?;
    figures.build.push(cargo_in(krate, &target, &["build", "--quiet"])?);
    Ok(())
}

/// `cargo build` after touching `src/lib.rs`.
fn touched_build(krate: &Path) -> Result<Duration, String> {
    let lib = krate.join("src").join("lib.rs");
    std::fs::File::options()
        .append(true)
        .open(&lib)
        .and_then(|file| file.set_modified(std::time::SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", lib.display()))?;
    cargo_in(krate, &krate.with_extension("target"), &["build", "--quiet"])
}

fn cargo_in(dir: &Path, target: &Path, args: &[&str]) -> Result<Duration, String> {
    let cargo = crate::cargo_program();
    let started = Instant::now();
    let output = Command::new(cargo)
        .current_dir(dir)
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo {}: {}", args[0], first_error(&String::from_utf8_lossy(&output.stderr))));
    }
    Ok(started.elapsed())
}

/// `name = "…"` of the `[package]` table.
fn package_name(manifest: &str) -> Option<String> {
    let package = manifest.split("[package]").nth(1)?;
    let line = package.lines().find(|l| l.trim_start().starts_with("name"))?;
    Some(line.split('=').nth(1)?.trim().trim_matches('"').to_string())
}

/// Operations of `spec`, as our generator counts them.
fn count_operations(spec: &Path) -> Result<usize, String> {
    let options = oapi_gen::Options {
        layout: oapi_gen::Layout::Module { name: "bench".into() },
        preamble: String::new(),
        mock: false,
    };
    oapi_gen::generate_file(spec, &options).map(|o| o.report.operations).map_err(|e| e.to_string())
}

fn print_table(spec: &Path, operations: usize, generators: &[Ready<'_>], figures: &[Figures]) {
    let file = spec.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    println!("#### {file} ({operations} operations)\n");
    println!(
        "| generator | generation wall | CPU | peak memory | lines per operation | crate alone: `cargo check` | `cargo build` | build after touching lib.rs |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let ours = figures.first();
    for (ready, figures) in generators.iter().zip(figures) {
        let name = ready.generator.name;
        if let Err(why) = &ready.program {
            println!("| {name} | not installed: {why} | | | | | | |");
            continue;
        }
        if let Some(why) = &figures.failure {
            println!("| {name} | fails: {} | | | | | | |", why.replace('|', "\\|"));
            continue;
        }
        let wall = median(figures.generation.iter().map(|t| t.wall).collect());
        let cpu = median(figures.generation.iter().map(|t| t.cpu).collect());
        let peak = figures.generation.iter().map(|t| t.peak_kib).max().unwrap_or(0);
        let ratio = |value: Option<Duration>, of: fn(&Figures) -> Option<Duration>| -> String {
            match (value, ours.and_then(of)) {
                (Some(v), Some(base)) if !base.is_zero() => {
                    format!("{} ({:.2}×)", seconds(v), v.as_secs_f64() / base.as_secs_f64())
                }
                (Some(v), _) => seconds(v),
                (None, _) => "–".into(),
            }
        };
        let per_op = figures.lines.map_or("–".into(), |l| format!("{:.0}", l as f64 / operations.max(1) as f64));
        let (check, build, incremental) = match &figures.build_failure {
            Some(why) => (format!("does not build: {}", why.replace('|', "\\|")), String::new(), String::new()),
            None => (
                ratio(median(figures.check.clone()), |f| median(f.check.clone())),
                ratio(median(figures.build.clone()), |f| median(f.build.clone())),
                ratio(figures.incremental, |f| f.incremental),
            ),
        };
        println!(
            "| {name} | {} | {} | {:.0} MiB | {per_op} | {check} | {build} | {incremental} |",
            ratio(wall, |f| median(f.generation.iter().map(|t| t.wall).collect())),
            cpu.map_or("–".into(), seconds),
            peak as f64 / 1024.0,
        );
    }
    println!("\nRatios are to this project's figure in the same column.\n");
}

/// `830 ms` below a second, `2.41 s` above.
fn seconds(value: Duration) -> String {
    if value < Duration::from_secs(1) {
        format!("{} ms", value.as_millis())
    } else {
        format!("{:.2} s", value.as_secs_f64())
    }
}

fn median(mut values: Vec<Duration>) -> Option<Duration> {
    values.sort();
    values.get(values.len() / 2).copied()
}

fn slug(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_string()
}

fn crate_name(stem: &str) -> String {
    format!("{}-peer-bench", stem.to_lowercase())
}

fn first_error(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| l.to_lowercase().contains("error"))
        .or_else(|| text.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("failed");
    line.chars().take(160).collect()
}

fn git_commit(root: &Path) -> String {
    Command::new("git")
        .current_dir(root)
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_gnu_time_output() {
        let timed = parse_time("Command exited with non-zero status 1\n0.62 0.90 0.10 101376\n");
        let timed = timed.unwrap_or_else(|| panic!("not read"));
        assert_eq!(timed.wall, Duration::from_millis(620));
        assert_eq!(timed.cpu, Duration::from_secs(1));
        assert_eq!(timed.peak_kib, 101376);
        assert!(parse_time("garbage").is_none());
    }

    #[test]
    fn reads_the_package_name() {
        let manifest = "[package]\nname = \"nomad-peer-bench\"\nversion = \"0.1.0\"\n\n[dependencies]\nname = 1\n";
        assert_eq!(package_name(manifest).as_deref(), Some("nomad-peer-bench"));
        assert_eq!(package_name("[dependencies]\n"), None);
    }
}
