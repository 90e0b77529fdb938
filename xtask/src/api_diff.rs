//! `cargo xtask api-diff --base <git-rev> [API…] [--fail-on-breaking]`: what
//! changed for users of the generated crate since a git revision.
//!
//! For each API of [`APIS`], the spec is read at the revision
//! (`git show REV:spec/x.yaml`; a spec that did not exist there counts as an
//! empty API, so everything is "added") and in the work tree, both are
//! generated with [`oapi_gen::generate_str`], and their models are compared
//! with [`oapi_gen::diff`]. The report lists breaking changes, then compatible
//! ones. A report is not a failure: the command exits 0 unless
//! `--fail-on-breaking` is given and a change is breaking.
//!
//! `cargo xtask codegen` (write mode) ends with the same report against `HEAD`
//! ([`print_changes_since_head`]).

use std::path::Path;
use std::process::Command;

use oapi_gen::diff::{diff, has_breaking, render, Change};
use oapi_gen::model::Api;

use crate::codegen::{options_for, select, ApiSpec};
use crate::project_root;

/// `cargo xtask api-diff --base <git-rev> [API…] [--fail-on-breaking]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut base = None;
    let mut fail_on_breaking = false;
    let mut names = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--base" => base = Some(args.next().ok_or("--base needs a git revision")?.clone()),
            "--fail-on-breaking" => fail_on_breaking = true,
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag:?}")),
            name => names.push(name),
        }
    }
    let base = base.ok_or("--base <git-rev> is required (e.g. --base HEAD, --base origin/main)")?;
    let selected = select(&names)?;
    let root = project_root();
    if !revision_exists(&root, &base) {
        return Err(format!("{base:?} is not a git revision of {}", root.display()));
    }
    let mut breaking = Vec::new();
    for api in selected {
        let changes = api_changes(&root, &base, api)?;
        print!("{}", render(api.name, &changes));
        if has_breaking(&changes) {
            breaking.push(api.name);
        }
    }
    if fail_on_breaking && !breaking.is_empty() {
        return Err(format!("breaking changes since {base} in: {}", breaking.join(", ")));
    }
    Ok(())
}

/// The end of `cargo xtask codegen`: what changed in each of `apis` against
/// the specs at git `HEAD`, the baseline of the checked-in output. Prints
/// nothing when there is no git or no `HEAD`; a spec that cannot be generated
/// at `HEAD` gets a one-line note instead of a report.
pub fn print_changes_since_head(root: &Path, apis: &[&ApiSpec]) {
    if !revision_exists(root, "HEAD") {
        return;
    }
    for api in apis {
        match api_changes(root, "HEAD", api) {
            Ok(changes) => print!("{}", render(api.name, &changes)),
            Err(message) => println!("{}: no API diff against HEAD ({message})", api.name),
        }
    }
}

/// The changes of `api` from its spec at `rev` to its spec in the work tree.
pub fn api_changes(root: &Path, rev: &str, api: &ApiSpec) -> Result<Vec<Change>, String> {
    let options = options_for(api);
    let current_path = root.join(api.spec);
    let current = oapi_gen::generate_file(&current_path, &options).map_err(|e| e.to_string())?.api;
    let old = match spec_at(root, rev, api.spec)? {
        Some(text) => {
            let label = format!("{rev}:{}", api.spec);
            oapi_gen::generate_str(&text, &label, &options).map_err(|e| format!("{label}: {e}"))?.api
        }
        None => empty_like(&current),
    };
    Ok(diff(&old, &current))
}

/// Whether `rev` names a commit (false as well when git is missing or `root`
/// is not in a repository).
fn revision_exists(root: &Path, rev: &str) -> bool {
    Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--verify", "--quiet"])
        .arg(format!("{rev}^{{commit}}"))
        .output()
        .is_ok_and(|output| output.status.success())
}

/// The text of `path` (relative to `root`) at `rev`, or `None` when the file
/// did not exist there.
fn spec_at(root: &Path, rev: &str, path: &str) -> Result<Option<String>, String> {
    // `REV:./path` is relative to `-C root`, wherever the repository's top is.
    let object = format!("{rev}:./{path}");
    let git = |args: &[&str]| Command::new("git").arg("-C").arg(root).args(args).output();
    let exists = git(&["cat-file", "-e", &object]).map_err(|e| format!("cannot run git: {e}"))?;
    if !exists.status.success() {
        return Ok(None);
    }
    let shown = git(&["show", &object]).map_err(|e| format!("cannot run git: {e}"))?;
    if !shown.status.success() {
        return Err(format!("git show {object}: {}", String::from_utf8_lossy(&shown.stderr).trim()));
    }
    String::from_utf8(shown.stdout).map(Some).map_err(|_| format!("{object} is not UTF-8"))
}

/// `api` with nothing in it: the base of an API whose spec did not exist yet.
/// The base URL is kept so that only operations, types and client settings
/// show up as added.
fn empty_like(api: &Api) -> Api {
    let mut empty = api.clone();
    empty.security.clear();
    empty.client_params.clear();
    empty.types.clear();
    empty.tags.clear();
    empty.operations.clear();
    empty
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codegen::APIS;

    #[test]
    fn an_empty_base_makes_everything_added() {
        let root = project_root();
        let api = &APIS[0];
        let current = oapi_gen::generate_file(&root.join(api.spec), &options_for(api)).unwrap().api;
        let changes = diff(&empty_like(&current), &current);
        assert!(!has_breaking(&changes));
        let added_ops = changes.iter().filter(|c| c.kind == oapi_gen::diff::ChangeKind::OperationAdded).count();
        assert_eq!(added_ops, current.operations.len());
        let added_types = changes.iter().filter(|c| c.kind == oapi_gen::diff::ChangeKind::TypeAdded).count();
        assert_eq!(added_types, current.types.len());
    }

    #[test]
    fn unknown_names_are_rejected() {
        assert!(select(&["nope"]).is_err());
        assert_eq!(select(&[]).unwrap().len(), APIS.len());
    }

    #[test]
    fn specs_are_read_at_a_revision() {
        let root = project_root();
        if !revision_exists(&root, "HEAD") {
            return; // not a git checkout
        }
        let text = spec_at(&root, "HEAD", APIS[0].spec).unwrap().unwrap();
        assert!(text.contains("openapi:"));
        assert_eq!(spec_at(&root, "HEAD", "spec/no-such-spec.yaml").unwrap(), None);
    }

    #[test]
    fn a_missing_revision_is_not_a_commit() {
        assert!(!revision_exists(&project_root(), "no-such-revision-3f9a"));
    }
}
