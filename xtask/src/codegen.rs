//! `cargo xtask codegen`: spec/*.yaml → generated/src/<api>/.
//!
//! One function, [`ensure_file`], decides "write or check" for every file; the
//! check mode never writes and reports every stale, missing and extra file.

use std::path::{Path, PathBuf};
use std::time::Instant;

use oapi_gen::{generate_file_with, Layout, Options, TagFeatures};

use crate::apis::{select, ApiSpec};
use crate::project_root;

/// What a check found wrong with one file.
#[derive(Debug)]
pub enum Problem {
    /// The file differs from a fresh run.
    Stale {
        /// The file.
        path: PathBuf,
        /// A short unified diff (checked in → generated).
        diff: String,
    },
    /// The generator produces the file but it is not there.
    Missing {
        /// The file.
        path: PathBuf,
    },
    /// The file is there but the generator no longer produces it.
    Extra {
        /// The file.
        path: PathBuf,
    },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Stale { path, diff } => write!(f, "stale: {}\n{diff}", path.display()),
            Problem::Missing { path } => write!(f, "missing: {}", path.display()),
            Problem::Extra { path } => write!(f, "extra (no longer generated): {}", path.display()),
        }
    }
}

/// `cargo xtask codegen [API…] [--check]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let check = args.iter().any(|a| a == "--check");
    let names: Vec<&str> = args.iter().filter(|a| !a.starts_with("--")).map(String::as_str).collect();
    let selected = select(&names)?;
    let problems = generate(&project_root(), &selected, check)?;
    if !check {
        // What changed for users, against the specs the checked-in output came from.
        crate::api_diff::print_changes_since_head(&project_root(), &selected);
    }
    if problems.is_empty() {
        return Ok(());
    }
    for problem in &problems {
        eprintln!("{problem}");
    }
    Err(format!(
        "{} generated file(s) are out of date; run `cargo xtask codegen` and commit the result",
        problems.len()
    ))
}

/// Generates (or checks) `apis` under the workspace at `root`; in check mode
/// returns every stale, missing and extra file.
pub fn generate(root: &Path, apis: &[&ApiSpec], check: bool) -> Result<Vec<Problem>, String> {
    let unregistered = crate::apis::unregistered_specs(root)?;
    if !unregistered.is_empty() {
        return Err(format!(
            "{} not in the API registry: add an entry to `APIS` in xtask/src/apis.rs",
            unregistered.join(", ")
        ));
    }
    let mut problems = Vec::new();
    for api in apis {
        problems.extend(generate_api(root, api, check)?);
    }
    // The manifest's feature list names every API's tags, whichever APIs were selected.
    problems.extend(crate::features::ensure_manifest(root, check)?);
    problems.extend(crate::features::ensure_crate_root(root, check)?);
    problems.extend(vendor_runtime(root, check)?);
    Ok(problems)
}

/// Copies `runtime/src/*.rs` byte for byte into `generator/vendored-runtime/`,
/// the copy standalone crates embed (or, checking, reports where it differs).
/// The copy lives inside the generator crate so that it packages on its own.
pub fn vendor_runtime(root: &Path, check: bool) -> Result<Vec<Problem>, String> {
    let source = root.join("runtime").join("src");
    let copy = root.join("generator").join("vendored-runtime");
    let rust_files = |dir: &Path| -> Result<Vec<String>, String> {
        let mut names: Vec<String> = match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".rs"))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
        };
        names.sort();
        Ok(names)
    };
    let names = rust_files(&source)?;
    if names.is_empty() {
        return Err(format!("no runtime sources in {}", source.display()));
    }
    let mut problems = Vec::new();
    for name in &names {
        let path = source.join(name);
        let contents = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        problems.extend(ensure_file(&copy.join(name), &contents, check)?);
    }
    for name in rust_files(&copy)?.into_iter().filter(|n| !names.contains(n)) {
        let path = copy.join(name);
        if check {
            problems.push(Problem::Extra { path });
        } else {
            std::fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        }
    }
    Ok(problems)
}

/// The options the checked-in crate is generated with.
pub fn options_for(api: &ApiSpec) -> Options {
    Options {
        layout: Layout::Module { name: api.module.to_string() },
        preamble: format!("// @generated by `cargo xtask codegen` from {}. Do not edit by hand.", api.spec),
    }
}

fn generate_api(root: &Path, api: &ApiSpec, check: bool) -> Result<Vec<Problem>, String> {
    let started = Instant::now();
    let spec_path = root.join(api.spec);
    // Tag modules and types gated on per-tag features (`features::manifest_block` lists them).
    let output = generate_file_with(&spec_path, &options_for(api), TagFeatures::On).map_err(|e| e.to_string())?;
    let crate_dir = root.join("generated");
    let mut problems = Vec::new();
    for (relative, contents) in &output.files {
        if let Some(problem) = ensure_file(&crate_dir.join(relative), contents, check)? {
            problems.push(problem);
        }
    }
    // Files in the module directory that the generator no longer produces.
    let module_dir = crate_dir.join("src").join(api.module);
    if let Ok(entries) = std::fs::read_dir(&module_dir) {
        let mut extra: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|path| {
                let relative = path.strip_prefix(&crate_dir).map(|p| p.to_string_lossy().replace('\\', "/"));
                relative.is_ok_and(|r| !output.files.contains_key(&r))
            })
            .collect();
        extra.sort();
        for path in extra {
            if check {
                problems.push(Problem::Extra { path });
            } else if path.is_file() {
                std::fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            }
        }
    }
    let report = &output.report;
    if !check {
        for warning in &report.warnings {
            eprintln!("{warning}");
        }
        eprintln!(
            "{}: {} operations, {} types ({} identical ones merged), {} lines in {:.1} ms (generation {:.1} ms)",
            api.name,
            report.operations,
            report.types,
            report.deduplicated_types,
            report.lines,
            started.elapsed().as_secs_f64() * 1000.0,
            report.timings.total().as_secs_f64() * 1000.0,
        );
    }
    Ok(problems)
}

/// Writes `contents` to `path`, or in check mode reports how it differs.
pub(crate) fn ensure_file(path: &Path, contents: &str, check: bool) -> Result<Option<Problem>, String> {
    let current = std::fs::read_to_string(path).ok().map(|text| text.replace("\r\n", "\n"));
    if current.as_deref() == Some(contents) {
        return Ok(None);
    }
    if check {
        return Ok(Some(match current {
            None => Problem::Missing { path: path.to_path_buf() },
            Some(current) => Problem::Stale { path: path.to_path_buf(), diff: short_diff(&current, contents) },
        }));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(None)
}

/// A unified diff, cut to its first 40 lines.
fn short_diff(old: &str, new: &str) -> String {
    const MAX_LINES: usize = 40;
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff.unified_diff().context_radius(2).header("checked in", "generated").to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= MAX_LINES {
        return text;
    }
    format!("{}\n… {} more diff lines", lines[..MAX_LINES].join("\n"), lines.len() - MAX_LINES)
}
