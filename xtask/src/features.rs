//! Per-tag cargo features: the generated `[features]` block of
//! `generated/Cargo.toml`, and `cargo xtask features [--exhaustive] [SPEC…]`,
//! which proves that every feature builds on its own.
//!
//! The checked-in crate gates each API module on `<api>-client` and each tag
//! module (and the types only it needs) on `<api>-<tag>`; `<api>` enables them
//! all. Those names come from the generator, so the manifest's entries are
//! generated too: `cargo xtask codegen` rewrites the block between
//! [`BEGIN`] and [`END`], and `--check` reports it stale like any other file.
//!
//! The check runs `cargo check --no-default-features --features <f>` once per
//! feature, sharing one target directory, so dependencies compile once:
//!
//! - by default, `api-clients` with each tag feature of each API alone,
//!   each API's own feature (all its tags) and its `<api>-mock` feature (the
//!   API with its test double), and `oapi-runtime` with `mock` alone;
//! - `--exhaustive` adds `../shared/corpus/github-api.json`; a `SPEC` path is
//!   generated as a standalone crate (under `target/features/`) whose every tag
//!   feature is checked alone, then `full`.
//!
//! A feature passes when it compiles without a warning from generated code.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use oapi_gen::emit::features::module_features;
use oapi_gen::{generate_file_with, FeaturePlan, Layout, Options, RuntimeSource, TagFeatures};

use crate::apis::{ApiSpec, APIS};
use crate::codegen::{options_for, Problem};
use crate::project_root;

/// First line of the generated block in `generated/Cargo.toml`.
pub const BEGIN: &str = "# BEGIN generated features: written by `cargo xtask codegen` from spec/, do not edit by hand.";
/// Last line of the generated block.
pub const END: &str = "# END generated features.";

/// The corpus spec `--exhaustive` adds.
const EXHAUSTIVE_SPEC: &str = "../shared/corpus/github-api.json";

/// The feature plan of a checked-in API, exactly as `codegen` generates it.
pub fn plan_for(root: &Path, api: &ApiSpec) -> Result<(FeaturePlan, String), String> {
    let output =
        generate_file_with(&root.join(api.spec), &options_for(api), TagFeatures::On).map_err(|e| e.to_string())?;
    let plan = output.features.ok_or_else(|| format!("{}: no feature plan", api.name))?;
    Ok((plan, output.api.title))
}

/// First line of the generated module list in `generated/src/lib.rs`.
pub const MODULES_BEGIN: &str =
    "// BEGIN generated modules: written by `cargo xtask codegen` from xtask/src/apis.rs, do not edit by hand.";
/// Last line of the generated module list.
pub const MODULES_END: &str = "// END generated modules.";

/// The block between [`BEGIN`] and [`END`] (markers included) for every API
/// of the crate, starting with the `default` feature (every API).
pub fn manifest_block(root: &Path) -> Result<String, String> {
    let apis: Vec<String> = APIS.iter().map(|api| format!("{:?}", api.name)).collect();
    let mut block = format!("{BEGIN}\ndefault = [{}, \"rustls\", \"tracing\"]\n", apis.join(", "));
    let mut seen: Vec<String> = ["default", "rustls", "native-tls", "tracing"].map(String::from).to_vec();
    for api in APIS {
        let (plan, title) = plan_for(root, api)?;
        if plan.all_feature != api.name {
            return Err(format!(
                "{}: the module's features are named {:?}, not after the API",
                api.name, plan.all_feature
            ));
        }
        let names = std::iter::once(&plan.all_feature).chain(&plan.base_feature).chain(plan.tag_features.values());
        for name in names {
            if seen.contains(name) {
                return Err(format!("cargo feature {name:?} is generated twice (rename a tag or an API)"));
            }
            seen.push(name.clone());
        }
        block.push_str(&module_features(&plan, &format!("{title} ({})", api.spec)));
        // The API's test double (`<module>::mock`): the whole API and the runtime's engine.
        let mock = oapi_gen::emit::mock_feature(Some(&plan));
        if seen.contains(&mock) {
            return Err(format!("cargo feature {mock:?} is generated twice (rename a tag or an API)"));
        }
        block.push_str(&format!(
            "# `{mock}`: a mock server of the API and typed expectations, for tests (`{}::mock`).\n{mock} = [{:?}, \"oapi-runtime/mock\"]\n",
            api.module, plan.all_feature
        ));
        seen.push(mock);
    }
    block.push_str(END);
    Ok(block)
}

/// The module list of `generated/src/lib.rs` between [`MODULES_BEGIN`] and
/// [`MODULES_END`]: each API's module, gated on the feature of its client
/// alone, in registry order (a plain comment, since the module's own `//!`
/// docs are its rustdoc):
///
/// ```text
/// // Apono API, from spec/apono.yaml.
/// #[cfg(feature = "apono-client")]
/// #[rustfmt::skip]
/// pub mod apono;
/// ```
///
/// `#[rustfmt::skip]` because the modules are prettyplease output, checked
/// byte for byte by `codegen --check`: `cargo fmt` must leave them alone.
pub fn modules_block(root: &Path) -> Result<String, String> {
    let mut block = format!("{MODULES_BEGIN}\n");
    for api in APIS {
        let (plan, title) = plan_for(root, api)?;
        let gate = plan.base_feature.as_deref().unwrap_or(&plan.all_feature);
        block.push_str(&format!(
            "// {title}, from {}.\n#[cfg(feature = {gate:?})]\n#[rustfmt::skip]\npub mod {};\n\n",
            api.spec, api.module
        ));
    }
    block.push_str(MODULES_END);
    Ok(block)
}

/// `text` (the file at `file`) with the block from `begin` to `end` replaced by `block`.
fn replace_between(text: &str, file: &str, begin: &str, end: &str, block: &str) -> Result<String, String> {
    let start = text.find(begin).ok_or_else(|| format!("{file} has no `{begin}` line"))?;
    let stop =
        text[start..].find(end).map(|i| start + i + end.len()).ok_or_else(|| format!("{file} has no `{end}` line"))?;
    Ok(format!("{}{block}{}", &text[..start], &text[stop..]))
}

/// `manifest` with its generated block replaced by `block`.
pub fn replace_block(manifest: &str, block: &str) -> Result<String, String> {
    replace_between(manifest, "generated/Cargo.toml", BEGIN, END, block)
}

/// Writes (or checks) the generated module list of `generated/src/lib.rs`.
pub fn ensure_crate_root(root: &Path, check: bool) -> Result<Option<Problem>, String> {
    let path = root.join("generated/src/lib.rs");
    let Ok(current) = std::fs::read_to_string(&path) else {
        return Ok(Some(Problem::Missing { path }));
    };
    let fresh = replace_between(
        &current.replace("\r\n", "\n"),
        "generated/src/lib.rs",
        MODULES_BEGIN,
        MODULES_END,
        &modules_block(root)?,
    )?;
    crate::codegen::ensure_file(&path, &fresh, check)
}

/// Writes (or checks) the generated block of `generated/Cargo.toml`.
pub fn ensure_manifest(root: &Path, check: bool) -> Result<Option<Problem>, String> {
    let path = root.join("generated/Cargo.toml");
    let Ok(current) = std::fs::read_to_string(&path) else {
        return Ok(Some(Problem::Missing { path }));
    };
    let fresh = replace_block(&current.replace("\r\n", "\n"), &manifest_block(root)?)?;
    crate::codegen::ensure_file(&path, &fresh, check)
}

/// One `cargo check` to run.
struct Build {
    /// What the table shows.
    label: String,
    /// `--features` value.
    features: String,
}

/// `cargo xtask features [--exhaustive] [SPEC…]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let exhaustive = args.iter().any(|a| a == "--exhaustive");
    if let Some(unknown) = args.iter().find(|a| a.starts_with("--") && *a != "--exhaustive") {
        return Err(format!("unknown option {unknown:?}; usage: cargo xtask features [--exhaustive] [SPEC…]"));
    }
    let root = project_root();
    let mut specs: Vec<PathBuf> = args.iter().filter(|a| !a.starts_with("--")).map(PathBuf::from).collect();
    if exhaustive && specs.is_empty() {
        let github = root.join(EXHAUSTIVE_SPEC);
        if github.is_file() {
            specs.push(github);
        } else {
            println!("features: {} not found; only the checked-in crate is checked", github.display());
        }
    }
    let mut failures = Vec::new();
    if specs.is_empty() || exhaustive {
        failures.extend(check_seed_apis(&root)?);
    }
    for spec in &specs {
        failures.extend(check_standalone(&root, spec)?);
    }
    if failures.is_empty() {
        return Ok(());
    }
    Err(format!("{} feature build(s) failed:\n{}", failures.len(), failures.join("\n")))
}

/// Every tag feature of the checked-in crate alone, then each API's feature.
fn check_seed_apis(root: &Path) -> Result<Vec<String>, String> {
    let mut builds = Vec::new();
    for api in APIS {
        let (plan, _) = plan_for(root, api)?;
        builds.extend(plan.tag_features.values().map(|f| Build { label: f.clone(), features: f.clone() }));
        builds.push(Build { label: format!("{} (all its tags)", api.name), features: api.name.to_string() });
        // The API's test double (the whole API and the runtime's engine).
        let mock = oapi_gen::emit::mock_feature(Some(&plan));
        builds.push(Build { label: format!("{mock} (the API and its mock)"), features: mock });
    }
    let mut base = Command::new(crate::cargo_program());
    base.current_dir(root).args(["check", "--quiet", "-p", "api-clients", "--lib", "--no-default-features"]);
    let mut failures = run_builds("api-clients", &base, &builds, &["generated/"])?;
    // The runtime's engine alone, without TLS or tracing.
    let mut runtime = Command::new(crate::cargo_program());
    runtime.current_dir(root).args(["check", "--quiet", "-p", "oapi-runtime", "--lib", "--no-default-features"]);
    let engine = [Build { label: "mock (the runtime's engine alone)".into(), features: "mock".into() }];
    failures.extend(run_builds("oapi-runtime", &runtime, &engine, &["runtime/"])?);
    Ok(failures)
}

/// A standalone crate of `spec` with per-tag features: each tag alone, then `full`.
fn check_standalone(root: &Path, spec: &Path) -> Result<Vec<String>, String> {
    let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let dir_name = oapi_gen::naming::snake(&stem).replace('_', "-");
    let crate_name = format!("{dir_name}-client");
    let work = root.join("target").join("features");
    let crate_dir = work.join(&dir_name);
    let options = Options {
        layout: Layout::Standalone { crate_name: crate_name.clone(), runtime: RuntimeSource::Vendored },
        preamble: format!("// @generated by cargo xtask features from {}. Do not edit by hand.", spec.display()),
        mock: false,
    };
    let output = generate_file_with(spec, &options, TagFeatures::On).map_err(|e| format!("{}: {e}", spec.display()))?;
    let plan = output.features.ok_or("no feature plan")?;
    crate::write_fresh_dir(&crate_dir, &output.files)?;
    // A throwaway workspace of its own (the crate is not a member of this one),
    // seeded with this workspace's lock file so nothing is resolved afresh.
    let manifest = format!(
        "# Written by `cargo xtask features`.\n[workspace]\nresolver = \"2\"\nmembers = [\"{dir_name}\"]\n\n[profile.dev]\ndebug = false\n"
    );
    std::fs::write(work.join("Cargo.toml"), manifest).map_err(|e| format!("cannot write the workspace: {e}"))?;
    let lock = work.join("Cargo.lock");
    if !lock.exists() {
        let _ = std::fs::copy(root.join("Cargo.lock"), &lock);
    }
    let mut builds: Vec<Build> =
        plan.tag_features.values().map(|f| Build { label: f.clone(), features: f.clone() }).collect();
    builds.push(Build { label: format!("{} (every tag)", plan.all_feature), features: plan.all_feature.clone() });
    let mut base = Command::new(crate::cargo_program());
    base.current_dir(&work)
        .args(["check", "--quiet", "-p", &crate_name, "--lib", "--no-default-features", "--target-dir"])
        .arg(work.join("target"))
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTFLAGS");
    run_builds(&crate_name, &base, &builds, &[&format!("{dir_name}/")])
}

/// Runs `base --features <f> --message-format short` per build; prints a
/// table; returns the failures. Warnings in files under `paths` fail a build.
fn run_builds(name: &str, base: &Command, builds: &[Build], paths: &[&str]) -> Result<Vec<String>, String> {
    println!("\n{name}: `cargo check --no-default-features --features <f>`, each feature alone\n");
    println!("| feature | check | result |");
    println!("|---|---|---|");
    let mut failures = Vec::new();
    let mut total = Duration::ZERO;
    for build in builds {
        let mut command = Command::new(base.get_program());
        command.args(base.get_args()).args(["--message-format", "short", "--features", &build.features]);
        if let Some(dir) = base.get_current_dir() {
            command.current_dir(dir);
        }
        for (key, value) in base.get_envs() {
            match value {
                Some(value) => command.env(key, value),
                None => command.env_remove(key),
            };
        }
        let started = Instant::now();
        let output = command.output().map_err(|e| format!("cannot run cargo: {e}"))?;
        let elapsed = started.elapsed();
        total += elapsed;
        let log = String::from_utf8_lossy(&output.stderr);
        let diagnostics: Vec<&str> = log
            .lines()
            .filter(|line| {
                paths.iter().any(|p| line.starts_with(p)) && (line.contains(": warning") || line.contains(": error"))
            })
            .collect();
        let result = if !output.status.success() {
            let tail: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).take(8).collect();
            failures.push(format!("{}:\n  {}", build.label, tail.join("\n  ")));
            "FAILED".to_string()
        } else if !diagnostics.is_empty() {
            failures.push(format!(
                "{}:\n  {}",
                build.label,
                diagnostics.iter().take(8).copied().collect::<Vec<_>>().join("\n  ")
            ));
            format!("FAILED ({} warnings)", diagnostics.len())
        } else {
            "ok".to_string()
        };
        println!("| {} | {:.1} s | {result} |", build.label, elapsed.as_secs_f64());
    }
    let mut summary = String::new();
    let _ = write!(summary, "\n{} builds in {:.1} s, {} failed", builds.len(), total.as_secs_f64(), failures.len());
    println!("{summary}");
    Ok(failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_is_replaced_between_its_markers() {
        let manifest = format!("[features]\ndefault = [\"a\"]\n{BEGIN}\nold = []\n{END}\nrustls = []\n");
        let block = format!("{BEGIN}\na = []\n{END}");
        assert_eq!(
            replace_block(&manifest, &block).unwrap(),
            format!("[features]\ndefault = [\"a\"]\n{block}\nrustls = []\n")
        );
        assert!(replace_block("[features]\n", &block).is_err());
    }

    #[test]
    fn every_api_gets_its_features_and_a_client_feature() {
        let block = manifest_block(&project_root()).unwrap();
        for api in APIS {
            assert!(block.contains(&format!("\n{} = [\n    \"{}-client\",\n", api.name, api.name)), "{block}");
            assert!(block.contains(&format!("\n{}-client = []\n", api.name)), "{block}");
        }
        assert!(block.contains("\napono-integrations = [\"apono-client\"]\n"), "{block}");
        assert!(block.contains("\ndefault = [\"apono\", \"api-connect\", \"rustls\", \"tracing\"]\n"), "{block}");
        // The mocks are for tests: no default build compiles them.
        assert!(block.contains("\napono-mock = [\"apono\", \"oapi-runtime/mock\"]\n"), "{block}");
        let default = block.lines().find(|line| line.starts_with("default = ")).unwrap_or_default();
        assert!(!default.contains("mock"), "{default}");
    }

    #[test]
    fn every_api_module_is_declared_behind_its_client_feature() {
        let block = modules_block(&project_root()).unwrap();
        for api in APIS {
            let gate =
                format!("#[cfg(feature = \"{}-client\")]\n#[rustfmt::skip]\npub mod {};\n", api.name, api.module);
            assert!(block.contains(&gate), "{block}");
        }
        let text = "//! docs\nuse x;\n// BEGIN generated modules: …\n";
        let error = replace_between(text, "lib.rs", MODULES_BEGIN, MODULES_END, &block).unwrap_err();
        assert!(error.contains("lib.rs has no"), "{error}");
    }
}
