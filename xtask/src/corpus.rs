//! `cargo xtask corpus [DIR|FILE…] [--clippy] [--doc] [--paginated] [--mock]`: generates a standalone crate for every
//! spec in a corpus of real-world documents and compiles them all (with `--mock`,
//! each with its test double, `src/mock.rs`, compiled under `--features mock`).
//!
//! The crates go to `target/corpus/<spec>/`, under one throwaway workspace, so a
//! single `cargo check` (or `cargo clippy -- -D warnings`) with one shared target
//! directory compiles the dependencies once; its diagnostics are attributed to
//! crates by path. A spec passes when it generates and its crate compiles
//! without a warning (with `--doc`, its docs also build with
//! `RUSTDOCFLAGS="-D warnings"`).
//!
//! The table counts, per spec, the fields, aliases and variants typed as a
//! JSON value: `any` where the spec says any value, `lost` where the generator
//! degraded what the spec says. Each is listed with its JSON pointer in
//! `target/corpus/<spec>.untyped.tsv`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use oapi_gen::{generate_file, Layout, Options, RuntimeSource};

use crate::project_root;

/// The corpus used when no directory is given, relative to the workspace root.
const DEFAULT_CORPUS: &str = "../shared/corpus";

/// How many diagnostic lines to show per failing crate (the full log is kept).
const SHOWN_DIAGNOSTICS: usize = 12;

/// One spec of the corpus and what happened to it.
struct Entry {
    /// The spec's file name.
    file: String,
    /// The generated crate's directory name under `target/corpus/`.
    dir: String,
    outcome: Outcome,
    /// `(operationId, rule)` of every operation with a page stream.
    paginated: Vec<(String, String)>,
}

/// Untyped (`serde_json::Value`) items of one spec, by reason.
#[derive(Clone, Copy, Default)]
struct UntypedCounts {
    /// The spec says any value.
    any: usize,
    /// The generator degraded what the spec says.
    lost: usize,
}

enum Outcome {
    /// Generated; the compile result is filled in later.
    Generated {
        operations: usize,
        types: usize,
        warnings: usize,
        untyped: UntypedCounts,
        names: oapi_gen::naming::NameCounts,
        elapsed: Duration,
    },
    /// The generator rejected the document.
    GenerationFailed(String),
    /// A Swagger 2.0 document: not converted, so neither passed nor failed.
    SkippedSwagger2,
}

/// What the compiler said about one crate.
#[derive(Default)]
struct CheckResult {
    errors: usize,
    warnings: usize,
    /// Rustdoc's errors and warnings (with `--doc`).
    doc_errors: usize,
    /// The first diagnostic lines, for the summary.
    lines: Vec<String>,
    /// Cargo's "could not compile" for this crate (also catches errors without a path).
    failed: bool,
}

impl CheckResult {
    fn passed(&self) -> bool {
        !self.failed && self.errors == 0 && self.warnings == 0 && self.doc_errors == 0
    }
}

/// The cargo command run on the corpus workspace.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tool {
    Check,
    Clippy,
    Doc,
}

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Tool::Check => "check",
            Tool::Clippy => "clippy",
            Tool::Doc => "doc",
        }
    }
}

/// Runs `cargo xtask corpus` with the arguments after the command name.
pub fn run(args: &[String]) -> Result<(), String> {
    if args.iter().any(|a| a == "--conform") {
        return run_conform(args);
    }
    let clippy = args.iter().any(|a| a == "--clippy");
    let doc = args.iter().any(|a| a == "--doc");
    let list_paginated = args.iter().any(|a| a == "--paginated");
    let mock = args.iter().any(|a| a == "--mock");
    let known = ["--clippy", "--doc", "--paginated", "--mock"];
    if let Some(unknown) = args.iter().find(|a| a.starts_with("--") && !known.contains(&a.as_str())) {
        return Err(format!(
            "unknown option {unknown:?}; usage: cargo xtask corpus [DIR|FILE…] [--clippy] [--doc] [--paginated] [--mock]"
        ));
    }
    let root = project_root();
    let positional: Vec<PathBuf> = args.iter().filter(|a| !a.starts_with("--")).map(PathBuf::from).collect();
    let Some(specs) = specs_of("corpus", positional)? else { return Ok(()) };
    if specs.is_empty() {
        println!("corpus: no spec files given; skipped");
        return Ok(());
    }

    let work = root.join("target").join("corpus");
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let mut dirs = BTreeSet::new();
    let mut entries = Vec::with_capacity(specs.len());
    for spec in &specs {
        entries.push(generate(spec, &work, &mut dirs, mock)?);
    }

    let members: Vec<&str> =
        entries.iter().filter(|e| matches!(e.outcome, Outcome::Generated { .. })).map(|e| e.dir.as_str()).collect();
    let tool = if clippy { Tool::Clippy } else { Tool::Check };
    let mut checks = if members.is_empty() { BTreeMap::new() } else { compile(&root, &work, &members, tool, mock)? };
    if doc && !members.is_empty() {
        // Docs are a separate pass: rustdoc finds what the compiler does not
        // (broken links, unclosed HTML, bad code blocks).
        for (member, result) in compile(&root, &work, &members, Tool::Doc, mock)? {
            if let Some(check) = checks.get_mut(&member) {
                check.doc_errors = result.errors + result.warnings + usize::from(result.failed);
                check.lines.extend(result.lines);
            }
        }
    }

    let failed = print_table(&entries, &checks, tool.name(), doc);
    print_paginated(&entries, &work, list_paginated)?;
    if failed > 0 {
        return Err(format!("{failed} spec(s) of the corpus failed; see target/corpus/check.log"));
    }
    Ok(())
}

/// `corpus [DIR|FILE…] --conform [--passes N] [--max-operations N]`: see [`crate::conform`].
fn run_conform(args: &[String]) -> Result<(), String> {
    let options = crate::conform::ConformOptions::parse(args)?;
    let mut positional: Vec<PathBuf> = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--conform" => {}
            "--passes" | "--max-operations" => {
                iter.next();
            }
            other if other.starts_with("--") => {
                return Err(format!(
                    "unknown option {other:?}; usage: cargo xtask corpus [DIR|FILE…] --conform [--passes N] [--max-operations N]"
                ))
            }
            other => positional.push(PathBuf::from(other)),
        }
    }
    let Some(specs) = specs_of("conform", positional)? else { return Ok(()) };
    crate::conform::run(&specs, &options)
}

/// The spec files of the directories and files given, in order; with none,
/// those of the default corpus, or `None` (after saying so) when it is absent.
fn specs_of(command: &str, positional: Vec<PathBuf>) -> Result<Option<Vec<PathBuf>>, String> {
    let positional = if positional.is_empty() {
        let dir = project_root().join(DEFAULT_CORPUS);
        if !dir.is_dir() {
            println!("{command}: {} not found; skipped", dir.display());
            return Ok(None);
        }
        vec![dir]
    } else {
        positional
    };
    let mut specs = Vec::new();
    for path in positional {
        if path.is_dir() {
            specs.extend(spec_files(&path)?);
        } else if path.is_file() {
            specs.push(path);
        } else {
            return Err(format!("{} does not exist", path.display()));
        }
    }
    Ok(Some(specs))
}

/// `*.yaml`, `*.yml` and `*.json` in `dir`, sorted by name (`SOURCES.tsv` and the like are not specs).
fn spec_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file())
        .filter(|path| path.extension().and_then(|e| e.to_str()).is_some_and(|e| matches!(e, "yaml" | "yml" | "json")))
        .collect();
    specs.sort();
    Ok(specs)
}

/// Generates the crate of one spec into `work/<stem>/`, replacing what was there.
fn generate(spec: &Path, work: &Path, dirs: &mut BTreeSet<String>, mock: bool) -> Result<Entry, String> {
    let file = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut dir = oapi_gen::naming::snake(&stem).replace('_', "-");
    // `api.yaml` beside `api.json`: both get a crate.
    if !dirs.insert(dir.clone()) {
        dir = oapi_gen::naming::snake(&file).replace('_', "-");
        dirs.insert(dir.clone());
    }
    let crate_dir = work.join(&dir);
    let options = Options {
        layout: Layout::Standalone { crate_name: format!("{dir}-client"), runtime: RuntimeSource::Vendored },
        preamble: format!("// @generated by cargo xtask corpus from {file}. Do not edit by hand."),
        mock,
    };
    let output = match generate_file(spec, &options) {
        Ok(output) => output,
        Err(error) => {
            // The generator names Swagger 2.0 documents by pointing at their `swagger` field.
            let swagger2 = error.location().is_some_and(|l| l.pointer == "/swagger");
            let outcome =
                if swagger2 { Outcome::SkippedSwagger2 } else { Outcome::GenerationFailed(error.to_string()) };
            return Ok(Entry { file, dir, outcome, paginated: Vec::new() });
        }
    };
    // A fresh directory, so files the generator no longer produces do not linger.
    crate::write_fresh_dir(&crate_dir, &output.files)?;
    let report = &output.report;
    let warnings_file = work.join(format!("{dir}.warnings.txt"));
    let warnings: String = report.warnings.iter().map(|w| format!("{w}\n")).collect();
    std::fs::write(&warnings_file, warnings).map_err(|e| format!("cannot write {}: {e}", warnings_file.display()))?;
    let mut untyped = UntypedCounts::default();
    let mut tsv = String::from("item\tname\treason\tpointer\n");
    for item in &report.untyped {
        match item.reason {
            oapi_gen::untyped::UntypedReason::SpecSaysAny => untyped.any += 1,
            oapi_gen::untyped::UntypedReason::Unsupported => untyped.lost += 1,
        }
        let _ = writeln!(tsv, "{}\t{}\t{}\t{}", item.item, item.name, item.reason, item.pointer);
    }
    let untyped_file = work.join(format!("{dir}.untyped.tsv"));
    std::fs::write(&untyped_file, tsv).map_err(|e| format!("cannot write {}: {e}", untyped_file.display()))?;
    Ok(Entry {
        file,
        dir,
        paginated: report.paginated.clone(),
        outcome: Outcome::Generated {
            operations: report.operations,
            types: report.types,
            warnings: report.warnings.len(),
            untyped,
            names: name_counts(&output.api),
            elapsed: report.timings.total(),
        },
    })
}

/// The names report of one API: its type names and union variant names.
fn name_counts(api: &oapi_gen::model::Api) -> oapi_gen::naming::NameCounts {
    let mut names: Vec<&str> = api.types.keys().map(String::as_str).collect();
    for def in api.types.values() {
        match &def.kind {
            oapi_gen::model::TypeKind::Union { variants, .. } => {
                names.extend(variants.iter().map(|v| v.rust_name.as_str()))
            }
            oapi_gen::model::TypeKind::Responses { variants } => {
                names.extend(variants.iter().map(|v| v.rust_name.as_str()))
            }
            _ => {}
        }
    }
    oapi_gen::naming::NameCounts::of(names)
}

/// One line per spec with page streams: how many, by rule (`cursor`,
/// `offset`, `link`, `x-pagination`); with `list`, every operation and the
/// rule that matched. The full list always goes to `target/corpus/paginated.tsv`.
fn print_paginated(entries: &[Entry], work: &Path, list: bool) -> Result<(), String> {
    let mut tsv = String::from("spec\toperation\trule\n");
    println!();
    for entry in entries.iter().filter(|e| !e.paginated.is_empty()) {
        let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
        for (operation, rule) in &entry.paginated {
            // `cursor (page_token -> next)` counts as `cursor`.
            *by_rule.entry(rule.split(" (").next().unwrap_or(rule)).or_default() += 1;
            let _ = writeln!(tsv, "{}\t{operation}\t{rule}", entry.file);
        }
        let counts: Vec<String> = by_rule.iter().map(|(rule, n)| format!("{rule} {n}")).collect();
        println!("{}: {} paginated ({})", entry.file, entry.paginated.len(), counts.join(", "));
        if list {
            for (operation, rule) in &entry.paginated {
                println!("  {operation}: {rule}");
            }
        }
    }
    let path = work.join("paginated.tsv");
    std::fs::write(&path, tsv).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Writes the throwaway workspace and compiles every member with one cargo run.
fn compile(
    root: &Path,
    work: &Path,
    members: &[&str],
    tool: Tool,
    mock: bool,
) -> Result<BTreeMap<String, CheckResult>, String> {
    let mut manifest = String::from("# Written by `cargo xtask corpus`: one workspace for every generated crate.\n");
    manifest.push_str("[workspace]\nresolver = \"2\"\nmembers = [\n");
    for member in members {
        let _ = writeln!(manifest, "    \"{member}\",");
    }
    manifest.push_str("]\n\n[profile.dev]\ndebug = false\n");
    std::fs::write(work.join("Cargo.toml"), manifest).map_err(|e| format!("cannot write the corpus workspace: {e}"))?;
    // Seed the lock file with the versions this workspace already uses, so no
    // fresh resolution (and no network) is needed when the crates are cached.
    let lock = work.join("Cargo.lock");
    if !lock.exists() {
        let _ = std::fs::copy(root.join("Cargo.lock"), &lock);
    }

    let cargo = crate::cargo_program();
    let mut command = Command::new(cargo);
    command.current_dir(work);
    command.arg(tool.name());
    command.args(["--workspace", "--keep-going", "--message-format", "short", "--target-dir"]).arg(work.join("target"));
    if mock {
        // The test doubles too (every crate has the feature: its runtime's, or its mock's).
        command.args(["--features", "mock"]);
    }
    match tool {
        Tool::Clippy => {
            command.args(["--", "-D", "warnings"]);
        }
        Tool::Doc => {
            command.arg("--no-deps").env("RUSTDOCFLAGS", "-D warnings");
        }
        Tool::Check => {}
    }
    // The corpus crates are not this workspace's members: cargo must not pick up its environment.
    command.env_remove("CARGO_TARGET_DIR").env_remove("RUSTFLAGS");
    if tool != Tool::Doc {
        command.env_remove("RUSTDOCFLAGS");
    }
    eprintln!("$ {command:?}");
    let output = command.output().map_err(|e| format!("cannot run cargo: {e}"))?;
    let log = String::from_utf8_lossy(&output.stderr).into_owned();
    let log_name = if tool == Tool::Doc { "doc.log" } else { "check.log" };
    let _ = std::fs::write(work.join(log_name), &log);
    let results = attribute(&log, members);
    if !output.status.success() && results.values().all(CheckResult::passed) {
        // Cargo failed before compiling anything we can attribute (a manifest or resolution error).
        let tail: Vec<&str> = log.lines().rev().take(SHOWN_DIAGNOSTICS).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!("cargo failed in {}:\n{}", work.display(), tail.join("\n")));
    }
    Ok(results)
}

/// Splits cargo's short diagnostics by crate: rustc names files relative to
/// the workspace root (`github-api/src/types.rs:…`), cargo names packages.
fn attribute(log: &str, members: &[&str]) -> BTreeMap<String, CheckResult> {
    let mut results: BTreeMap<String, CheckResult> =
        members.iter().map(|m| (m.to_string(), CheckResult::default())).collect();
    for line in log.lines() {
        let member = members.iter().find(|m| line.starts_with(&format!("{m}/")));
        if let Some(member) = member {
            let Some(result) = results.get_mut(*member) else { continue };
            if line.contains(": error") {
                result.errors += 1;
            } else if line.contains(": warning") {
                result.warnings += 1;
            } else {
                continue;
            }
            if result.lines.len() < SHOWN_DIAGNOSTICS {
                result.lines.push(line.to_string());
            }
            continue;
        }
        // `error: could not compile `github-api-client` (lib) due to …` (`document` for rustdoc)
        let rest = line
            .strip_prefix("error: could not compile `")
            .or_else(|| line.strip_prefix("error: could not document `"));
        if let Some(rest) = rest {
            let package = rest.split('`').next().unwrap_or_default();
            if let Some(result) = package.strip_suffix("-client").and_then(|dir| results.get_mut(dir)) {
                result.failed = true;
            }
        }
    }
    results
}

/// Prints the table and the summary line; returns how many specs failed.
fn print_table(entries: &[Entry], checks: &BTreeMap<String, CheckResult>, tool: &str, doc: bool) -> usize {
    let tool = if doc { format!("{tool} + doc") } else { tool.to_string() };
    let width = entries.iter().map(|e| e.file.len()).max().unwrap_or(4).max(4);
    println!();
    println!(
        "{:<width$}  {:>10}  {:>6}  {:>8}  {:>9}  {:>10}  {:>8}  {:>5}  {:>7}  {:>9}  result",
        "spec", "operations", "types", "warnings", "Value any", "Value lost", "numbered", "long", "stutter", "gen ms"
    );
    let (mut total_any, mut total_lost) = (0, 0);
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    let mut details = Vec::new();
    for entry in entries.iter() {
        match &entry.outcome {
            Outcome::SkippedSwagger2 => {
                skipped += 1;
                println!(
                    "{:<width$}  {:>10}  {:>6}  {:>8}  {:>9}  {:>10}  {:>8}  {:>5}  {:>7}  {:>9}  skipped (Swagger 2.0)",
                    entry.file, "-", "-", "-", "-", "-", "-", "-", "-", "-"
                );
            }
            Outcome::GenerationFailed(message) => {
                failed += 1;
                println!(
                    "{:<width$}  {:>10}  {:>6}  {:>8}  {:>9}  {:>10}  {:>8}  {:>5}  {:>7}  {:>9}  FAILED (generation)",
                    entry.file, "-", "-", "-", "-", "-", "-", "-", "-", "-"
                );
                details.push(format!("{}: {message}", entry.file));
            }
            Outcome::Generated { operations, types, warnings, untyped, names, elapsed } => {
                total_any += untyped.any;
                total_lost += untyped.lost;
                let check = checks.get(&entry.dir);
                let result = match check {
                    Some(check) if check.passed() => {
                        passed += 1;
                        format!("ok ({tool})")
                    }
                    Some(check) => {
                        failed += 1;
                        let lines = if check.lines.is_empty() {
                            let log = if check.doc_errors > 0 { "doc.log" } else { "check.log" };
                            format!("see target/corpus/{log}")
                        } else {
                            check.lines.join("\n  ")
                        };
                        details.push(format!("{}:\n  {lines}", entry.file));
                        if check.doc_errors > 0 {
                            format!(
                                "FAILED ({tool}: {} errors, {} warnings, {} doc diagnostics)",
                                check.errors, check.warnings, check.doc_errors
                            )
                        } else {
                            format!("FAILED ({tool}: {} errors, {} warnings)", check.errors, check.warnings)
                        }
                    }
                    None => {
                        failed += 1;
                        format!("FAILED ({tool} did not run)")
                    }
                };
                let ms = elapsed.as_secs_f64() * 1000.0;
                let (any, lost) = (untyped.any, untyped.lost);
                let (numbered, long, stutter) = (names.numbered, names.long, names.stutter);
                println!(
                    "{:<width$}  {operations:>10}  {types:>6}  {warnings:>8}  {any:>9}  {lost:>10}  {numbered:>8}  {long:>5}  {stutter:>7}  {ms:>9.1}  {result}",
                    entry.file
                );
            }
        }
    }
    for detail in &details {
        eprintln!("\n{detail}");
    }
    println!();
    if skipped > 0 {
        println!("{skipped} skipped (Swagger 2.0 is not converted yet)");
    }
    println!("{passed} passed, {failed} failed; {total_any} Value where the spec says any, {total_lost} lost to Value (target/corpus/<spec>.untyped.tsv)");
    failed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_are_attributed_by_path_and_package() {
        let log = "\
    Checking petstore-client v0.1.0
github-api/src/types.rs:10:5: warning: unused import
github-api/src/repos.rs:3:1: error[E0412]: cannot find type `X` in this scope
error: could not compile `github-api-client` (lib) due to 1 previous error
";
        let results = attribute(log, &["github-api", "petstore"]);
        let github = &results["github-api"];
        assert_eq!((github.errors, github.warnings, github.failed), (1, 1, true));
        assert!(results["petstore"].passed());
    }
}
