//! Whole-output snapshots: one fixture spec per construct under
//! `tests/fixtures/`, the generated code (and warnings) of each snapshotted.
//! Review every snapshot change (`cargo insta review`); never accept blindly.

use std::path::{Path, PathBuf};

use integration_tests::workspace_root;
use oapi_gen::{generate_file, Layout, Options};

fn fixtures() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(workspace_root().join("tests/fixtures"))
        .expect("tests/fixtures")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml" || ext == "json"))
        .collect();
    paths.sort();
    paths
}

fn options(name: &str) -> Options {
    Options {
        layout: Layout::Module { name: name.to_string() },
        preamble: format!("// @generated from tests/fixtures/{name}.yaml"),
        mock: false,
    }
}

fn stem(path: &Path) -> String {
    path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string()
}

/// Every file of an output, warnings first, in one reviewable text.
fn render(path: &Path) -> String {
    let name = stem(path);
    let relative = format!("tests/fixtures/{}", path.file_name().and_then(|n| n.to_str()).unwrap_or_default());
    let output = oapi_gen::generate_str(&std::fs::read_to_string(path).expect("fixture"), &relative, &options(&name))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut text = String::new();
    for warning in &output.report.warnings {
        text.push_str(&format!("{warning}\n"));
    }
    for (file, contents) in &output.files {
        text.push_str(&format!("\n===== {file} =====\n{contents}"));
    }
    text
}

#[test]
fn fixture_outputs() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 7, "fixtures are present");
    for path in fixtures {
        let name = stem(&path);
        insta::assert_snapshot!(name.clone(), render(&path));
    }
}

#[test]
fn output_is_deterministic() {
    let root = workspace_root();
    let mut specs = fixtures();
    specs.extend(xtask::apis::APIS.iter().map(|api| root.join(api.spec)));
    for path in specs {
        let name = stem(&path).replace('-', "_");
        let first = generate_file(&path, &options(&name)).expect("generates").files;
        let second = generate_file(&path, &options(&name)).expect("generates").files;
        assert_eq!(first, second, "{} generates byte-identical output twice", path.display());
    }
}

#[test]
fn generated_code_has_no_stray_token_spacing() {
    for path in fixtures() {
        let text = render(&path);
        for bad in [":: serde ::", ":: std ::", "# [", " ; "] {
            assert!(!text.contains(bad), "{}: contains {bad:?}", path.display());
        }
    }
}
