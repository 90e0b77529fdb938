//! `cargo test` alone catches stale generated code, and the check mode catches
//! an edited, a deleted and an extra file, a stale vendored runtime file, a
//! runtime manifest its dependency table no longer matches, and
//! stale generated blocks of the manifest and crate root (on a temporary copy of the tree).

use std::path::Path;

use integration_tests::workspace_root;
use xtask::apis::APIS;
use xtask::codegen::{generate, Problem};

#[test]
fn checked_in_output_is_fresh() {
    let apis: Vec<_> = APIS.iter().collect();
    let problems = generate(&workspace_root(), &apis, true).expect("generation succeeds");
    let report: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "run `cargo xtask codegen`:\n{}", report.join("\n"));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

#[test]
fn check_mode_reports_edited_deleted_and_extra_files() {
    let root = workspace_root();
    let temp = tempfile::tempdir().expect("temp dir");
    copy_dir(&root.join("spec"), &temp.path().join("spec"));
    for api in APIS {
        copy_dir(&root.join("generated/src").join(api.module), &temp.path().join("generated/src").join(api.module));
    }
    // The generator's copy of the runtime is checked against the runtime crate.
    copy_dir(&root.join("runtime/src"), &temp.path().join("runtime/src"));
    copy_dir(&root.join("generator/vendored-runtime"), &temp.path().join("generator/vendored-runtime"));
    // So is its table of files and dependencies, from the runtime's manifest.
    std::fs::create_dir_all(temp.path().join("generator/src/emit")).expect("create dir");
    for file in ["Cargo.toml", "runtime/Cargo.toml", "generator/src/emit/vendored_runtime.rs"] {
        std::fs::copy(root.join(file), temp.path().join(file)).expect("copy manifest");
    }
    let runtime_manifest = temp.path().join("runtime/Cargo.toml");
    let text = std::fs::read_to_string(&runtime_manifest).expect("read");
    std::fs::write(&runtime_manifest, text.replacen("httpdate = \"1\"", "httpdate = \"1.0.3\"", 1)).expect("edit");
    let vendored = temp.path().join("generator/vendored-runtime/retry.rs");
    let text = std::fs::read_to_string(&vendored).expect("read");
    std::fs::write(&vendored, text.replacen("pub fn", "pub fn patched_in_the_copy_", 1)).expect("edit");
    // Its `[features]` block is generated too.
    std::fs::copy(root.join("generated/Cargo.toml"), temp.path().join("generated/Cargo.toml")).expect("copy manifest");
    let apono = temp.path().join("generated/src/apono");
    let edited = apono.join("connectors.rs");
    let text = std::fs::read_to_string(&edited).expect("read");
    std::fs::write(&edited, text.replacen("pub fn", "pub fn edited_by_hand_", 1)).expect("edit");
    std::fs::remove_file(apono.join("types.rs")).expect("delete");
    std::fs::write(apono.join("leftover.rs"), "// no longer generated\n").expect("extra");
    let manifest = temp.path().join("generated/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("read");
    std::fs::write(&manifest, text.replacen("apono-integrations = [\"apono-client\"]\n", "", 1)).expect("edit");

    // So is the module list of its crate root: one API's module deleted by hand.
    let crate_root = temp.path().join("generated/src/lib.rs");
    let text = std::fs::read_to_string(root.join("generated/src/lib.rs")).expect("read");
    std::fs::write(&crate_root, text.replacen("pub mod api_connect;\n", "", 1)).expect("edit");

    let apis: Vec<_> = APIS.iter().collect();
    let problems = generate(temp.path(), &apis, true).expect("check runs");
    assert_eq!(problems.len(), 7, "{problems:#?}");
    assert!(problems.iter().any(|p| matches!(p, Problem::Stale { path, diff } if path.ends_with("vendored_runtime.rs") && diff.contains("1.0.3"))));
    assert!(problems.iter().any(|p| matches!(p, Problem::Stale { path, diff } if path.ends_with("lib.rs") && diff.contains("+pub mod api_connect;"))));
    assert!(problems.iter().any(|p| matches!(p, Problem::Stale { path, diff } if path.ends_with("vendored-runtime/retry.rs") && diff.contains("patched_in_the_copy_"))));
    assert!(problems.iter().any(|p| matches!(p, Problem::Stale { path, diff } if path.ends_with("Cargo.toml") && diff.contains("+apono-integrations"))));
    assert!(problems.iter().any(|p| matches!(p, Problem::Stale { path, diff } if path.ends_with("connectors.rs") && diff.contains("edited_by_hand_"))));
    assert!(problems.iter().any(|p| matches!(p, Problem::Missing { path } if path.ends_with("types.rs"))));
    assert!(problems.iter().any(|p| matches!(p, Problem::Extra { path } if path.ends_with("leftover.rs"))));
    // The check never writes.
    assert!(!apono.join("types.rs").exists());

    // Write mode repairs all seven.
    generate(temp.path(), &apis, false).expect("write runs");
    assert!(generate(temp.path(), &apis, true).expect("check runs").is_empty());
}
