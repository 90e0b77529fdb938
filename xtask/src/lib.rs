//! Project automation behind `cargo xtask`, as a library so that tests can
//! run the same code (e.g. the codegen freshness check) as the command line.
//!
//! - [`apis`]: the API registry, the one list every other command reads;
//! - [`codegen`]: regenerate `generated/` from `spec/`, or check it is fresh;
//! - [`test`]: the whole test suite, as CI runs it;
//! - [`corpus`]: generate and compile a client for every spec of a corpus;
//! - [`conform`]: every operation of every spec against a Prism mock of it (`corpus --conform`);
//! - [`api_diff`]: what changed for users of the generated crate since a git revision;
//! - [`bench`]: whole-process figures for BENCHMARKS.md, and [`peers`]: the same beside other generators;
//! - [`help`]: every command's `--help` page;
//! - [`features`]: the generated feature list of `generated/Cargo.toml`, and
//!   a check that every per-tag feature builds alone.

pub mod api_diff;
pub mod apis;
pub mod bench;
pub mod codegen;
pub mod conform;
pub mod corpus;
pub mod examples;
pub mod features;
pub mod help;
pub mod peers;
pub mod standalone;
pub mod test;
pub mod vendor;

/// The workspace root.
pub fn project_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(|p| p.to_path_buf()).unwrap_or_default()
}

/// The cargo that runs this xtask (`CARGO`), else `cargo` on the `PATH`.
pub fn cargo_program() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Replaces `dir` with exactly `files` (paths relative to it), so files a
/// generator no longer produces do not linger.
pub fn write_fresh_dir(dir: &std::path::Path, files: &oapi_gen::Files) -> Result<(), String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    for (relative, contents) in files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}
