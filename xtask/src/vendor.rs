//! The runtime as standalone crates vendor it, derived from the runtime crate.
//!
//! `runtime/` (crate `oapi-runtime`) is the one home of the runtime. A standalone
//! crate generated with a vendored runtime needs two things from it, and both are
//! written here by `cargo xtask codegen` (and checked by `--check`):
//!
//! - its sources: `runtime/src/*.rs` copied byte for byte into
//!   `generator/vendored-runtime/`, inside the generator crate, so that
//!   `cargo package -p oapi-gen` verifies;
//! - its manifest: `generator/src/emit/vendored_runtime.rs`, a table of those
//!   files (`include_str!`) and of the runtime's features and dependencies, with
//!   workspace inheritance resolved, so the standalone manifest is never a second
//!   hand-written copy of `runtime/Cargo.toml`.

use std::path::Path;

use toml::{Table, Value};

use crate::codegen::{ensure_file, Problem};

/// Where the generator keeps the copy, relative to the workspace root.
const COPY_DIR: &str = "generator/vendored-runtime";
/// The generated table, relative to the workspace root.
const TABLE_FILE: &str = "generator/src/emit/vendored_runtime.rs";

/// Writes (or checks) the runtime's copy and its table.
pub fn vendor_runtime(root: &Path, check: bool) -> Result<Vec<Problem>, String> {
    let source = root.join("runtime").join("src");
    let copy = root.join(COPY_DIR);
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
    let manifest = RuntimeManifest::read(root)?;
    problems.extend(ensure_file(&root.join(TABLE_FILE), &render_table(&names, &manifest), check)?);
    Ok(problems)
}

/// The `.rs` files directly in `dir`, sorted; none when `dir` does not exist.
fn rust_files(dir: &Path) -> Result<Vec<String>, String> {
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
}

/// What a standalone manifest takes from `runtime/Cargo.toml`: every entry is
/// `(name, TOML value)`, sorted by name, values written as inline TOML.
#[derive(Debug, PartialEq)]
pub struct RuntimeManifest {
    /// `[features]` but `default` (the standalone crate states its own).
    pub features: Vec<(String, String)>,
    /// `[dependencies]`, `workspace = true` resolved against `[workspace.dependencies]`.
    pub dependencies: Vec<(String, String)>,
    /// `[dev-dependencies]`, resolved the same way (the runtime's own tests run
    /// in every standalone crate's `cargo test`).
    pub dev_dependencies: Vec<(String, String)>,
}

impl RuntimeManifest {
    /// Reads `runtime/Cargo.toml` and the workspace manifest at `root`.
    pub fn read(root: &Path) -> Result<Self, String> {
        let read = |path: &Path| -> Result<Table, String> {
            let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            text.parse::<Table>().map_err(|e| format!("{}: {e}", path.display()))
        };
        let workspace_path = root.join("Cargo.toml");
        let runtime_path = root.join("runtime").join("Cargo.toml");
        Self::resolve(&read(&workspace_path)?, &read(&runtime_path)?)
            .map_err(|e| format!("{}: {e}", runtime_path.display()))
    }

    /// Resolves the runtime manifest `runtime` within the workspace manifest `workspace`.
    pub fn resolve(workspace: &Table, runtime: &Table) -> Result<Self, String> {
        let inherited = workspace
            .get("workspace")
            .and_then(|w| w.get("dependencies"))
            .and_then(Value::as_table)
            .cloned()
            .unwrap_or_default();
        let features = match runtime.get("features") {
            None => Vec::new(),
            Some(Value::Table(features)) => features
                .iter()
                .filter(|(name, _)| name.as_str() != "default")
                .map(|(name, value)| (name.clone(), value.to_string()))
                .collect(),
            Some(_) => return Err("`[features]` is not a table".into()),
        };
        let dependencies = |key: &str| -> Result<Vec<(String, String)>, String> {
            let Some(table) = runtime.get(key) else { return Ok(Vec::new()) };
            let table = table.as_table().ok_or_else(|| format!("`[{key}]` is not a table"))?;
            let mut resolved = Vec::new();
            for (name, entry) in table {
                let dependency =
                    resolve_dependency(name, entry, &inherited).map_err(|e| format!("[{key}] {name}: {e}"))?;
                resolved.push((name.clone(), dependency));
            }
            Ok(resolved)
        };
        Ok(RuntimeManifest {
            features,
            dependencies: dependencies("dependencies")?,
            dev_dependencies: dependencies("dev-dependencies")?,
        })
    }
}

/// One dependency as a standalone crate writes it: `"0.22"`, or an inline table
/// with `version`, `default-features = false`, `features` and `optional = true`.
fn resolve_dependency(name: &str, entry: &Value, inherited: &Table) -> Result<String, String> {
    let (own, base) = match entry {
        Value::String(version) => return Ok(Value::String(version.clone()).to_string()),
        Value::Table(own) if own.get("workspace").and_then(Value::as_bool) == Some(true) => {
            let base = inherited.get(name).ok_or("`workspace = true` but the workspace does not declare it")?;
            (own, Some(base))
        }
        Value::Table(own) => (own, None),
        _ => return Err("neither a version nor a table".into()),
    };
    // The workspace entry, a version string or a table, is the base the
    // crate's own `features` (added) and `optional` (its own) apply to.
    let base_table = match base {
        Some(Value::String(version)) => Table::from_iter([("version".to_string(), Value::String(version.clone()))]),
        Some(Value::Table(table)) => table.clone(),
        Some(_) => return Err("the workspace entry is neither a version nor a table".into()),
        None => own.clone(),
    };
    for key in ["path", "git"] {
        if base_table.contains_key(key) || own.contains_key(key) {
            return Err(format!("a `{key}` dependency cannot be vendored into a crate built elsewhere"));
        }
    }
    let version = base_table.get("version").and_then(Value::as_str).ok_or("no `version`")?;
    let mut features: Vec<String> = Vec::new();
    for list in [base_table.get("features"), base.and(own.get("features"))].into_iter().flatten() {
        let list = list.as_array().ok_or("`features` is not an array")?;
        for feature in list {
            let feature = feature.as_str().ok_or("a feature is not a string")?;
            if !features.iter().any(|f| f == feature) {
                features.push(feature.to_string());
            }
        }
    }
    features.sort();
    let default_features = base_table.get("default-features").and_then(Value::as_bool).unwrap_or(true);
    let optional = own.get("optional").and_then(Value::as_bool).unwrap_or(false);
    if features.is_empty() && default_features && !optional {
        return Ok(Value::String(version.to_string()).to_string());
    }
    let mut parts = vec![format!("version = {}", Value::String(version.to_string()))];
    if !default_features {
        parts.push("default-features = false".into());
    }
    if !features.is_empty() {
        let list: Vec<String> = features.iter().map(|f| Value::String(f.clone()).to_string()).collect();
        parts.push(format!("features = [{}]", list.join(", ")));
    }
    if optional {
        parts.push("optional = true".into());
    }
    Ok(format!("{{ {} }}", parts.join(", ")))
}

/// The Rust source of `generator/src/emit/vendored_runtime.rs`.
fn render_table(files: &[String], manifest: &RuntimeManifest) -> String {
    let mut out = String::from(
        "// @generated by `cargo xtask codegen` from runtime/. Do not edit by hand.\n\
         //! The runtime as a standalone crate vendors it: the files of `runtime/src/`\n\
         //! (copied into `generator/vendored-runtime/`) and the features and dependencies\n\
         //! of `runtime/Cargo.toml`, workspace inheritance resolved.\n\n\
         /// `(file name under src/runtime/, contents)` of every runtime module.\n\
         pub const FILES: &[(&str, &str)] = &[\n",
    );
    for name in files {
        let as_module = if name == "lib.rs" { "mod.rs" } else { name };
        out.push_str(&format!("    ({as_module:?}, include_str!(\"../../vendored-runtime/{name}\")),\n"));
    }
    out.push_str("];\n");
    let mut table = |doc: &str, name: &str, entries: &[(String, String)]| {
        out.push_str(&format!("\n/// {doc}: `(name, TOML value)`.\npub const {name}: &[(&str, &str)] = &[\n"));
        for (key, value) in entries {
            out.push_str(&format!("    ({key:?}, {}),\n", rust_str(value)));
        }
        out.push_str("];\n");
    };
    table("The runtime's `[features]`, `default` aside", "FEATURES", &manifest.features);
    table("The runtime's `[dependencies]`", "DEPENDENCIES", &manifest.dependencies);
    table("The runtime's `[dev-dependencies]`", "DEV_DEPENDENCIES", &manifest.dev_dependencies);
    out
}

/// `text` as a Rust string literal, raw when that keeps it readable.
fn rust_str(text: &str) -> String {
    if text.contains('"') && !text.contains("\"#") {
        format!("r#\"{text}\"#")
    } else {
        format!("{text:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        text.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn workspace_inheritance_is_resolved() {
        let workspace = table(
            r#"
            [workspace.dependencies]
            tokio = "1"
            reqwest = { version = "0.12", default-features = false, features = ["json"] }
            "#,
        );
        let runtime = table(
            r#"
            [features]
            default = ["tracing"]
            tracing = ["dep:tracing"]
            [dependencies]
            tokio = { workspace = true, features = ["time", "fs"] }
            reqwest = { workspace = true, features = ["stream", "json"] }
            tracing = { version = "0.1", optional = true }
            base64 = "0.22"
            [dev-dependencies]
            tokio = { workspace = true }
            "#,
        );
        let manifest = RuntimeManifest::resolve(&workspace, &runtime).unwrap_or_else(|e| panic!("{e}"));
        let pairs = |entries: &[(String, String)]| -> Vec<String> {
            entries.iter().map(|(k, v)| format!("{k} = {v}")).collect()
        };
        assert_eq!(pairs(&manifest.features), ["tracing = [\"dep:tracing\"]"]);
        assert_eq!(
            pairs(&manifest.dependencies),
            [
                "base64 = \"0.22\"",
                "reqwest = { version = \"0.12\", default-features = false, features = [\"json\", \"stream\"] }",
                "tokio = { version = \"1\", features = [\"fs\", \"time\"] }",
                "tracing = { version = \"0.1\", optional = true }",
            ]
        );
        assert_eq!(pairs(&manifest.dev_dependencies), ["tokio = \"1\""]);
    }

    #[test]
    fn path_and_undeclared_dependencies_are_errors() {
        let workspace = table("[workspace.dependencies]\nlocal = { path = \"../local\" }\n");
        let local = table("[dependencies]\nlocal = { workspace = true }\n");
        let error = RuntimeManifest::resolve(&workspace, &local).unwrap_err();
        assert!(error.contains("[dependencies] local") && error.contains("`path`"), "{error}");
        let missing = table("[dependencies]\nserde = { workspace = true }\n");
        let error = RuntimeManifest::resolve(&workspace, &missing).unwrap_err();
        assert!(error.contains("serde") && error.contains("does not declare"), "{error}");
    }

    #[test]
    fn table_lists_files_with_lib_as_mod() {
        let manifest = RuntimeManifest {
            features: vec![("rustls".into(), "[\"reqwest/rustls-tls\"]".into())],
            dependencies: vec![("url".into(), "\"2\"".into())],
            dev_dependencies: Vec::new(),
        };
        let text = render_table(&["client.rs".into(), "lib.rs".into()], &manifest);
        assert!(text.contains(r#"    ("mod.rs", include_str!("../../vendored-runtime/lib.rs")),"#), "{text}");
        assert!(text.contains(r##"    ("rustls", r#"["reqwest/rustls-tls"]"#),"##), "{text}");
        assert!(text.contains(r##"    ("url", r#""2""#),"##), "{text}");
    }
}
