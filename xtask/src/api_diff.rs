//! `cargo xtask api-diff --base <git-rev> [API…] [--format text|markdown|json] [--fail-on-breaking]`: what
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

use oapi_gen::diff::report::{self as grouped, api_report, failed_report, Format, Side};
use oapi_gen::diff::{diff, has_breaking, render, Change};
use oapi_gen::model::Api;

use crate::apis::{select, ApiSpec};
use crate::codegen::options_for;
use crate::project_root;

/// `cargo xtask api-diff --base <git-rev> [API…] [--fail-on-breaking]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut base = None;
    let mut fail_on_breaking = false;
    let mut format = Format::Text;
    let mut names = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--base" => base = Some(args.next().ok_or("--base needs a git revision")?.clone()),
            "--fail-on-breaking" => fail_on_breaking = true,
            "--format" => format = args.next().ok_or("--format needs text, markdown or json")?.parse()?,
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
    let report = report(&root, &base, &selected);
    match format {
        Format::Text => print!("{}", report.text),
        format => print!("{}", report.grouped.render(format)),
    }
    let DiffReport { breaking, failed, .. } = report;
    if !failed.is_empty() {
        return Err(format!("no API diff since {base} for: {}", failed.join(", ")));
    }
    if fail_on_breaking && !breaking.is_empty() {
        return Err(format!("breaking changes since {base} in: {}", breaking.join(", ")));
    }
    Ok(())
}

/// The API diff of several APIs since one revision.
pub struct DiffReport {
    /// What `api-diff` prints.
    pub text: String,
    /// The APIs with breaking changes.
    pub breaking: Vec<&'static str>,
    /// The APIs that could not be diffed (a spec that fails to generate).
    pub failed: Vec<&'static str>,
    /// The same changes grouped per Rust item with signatures and verdicts,
    /// for `--format markdown|json`.
    pub grouped: grouped::DiffReport,
}

/// The diff of each of `apis` from its spec at `base` to the work tree. One
/// API whose spec cannot be generated (at the base or now) does not hide the
/// others' reports; it is named in `failed`.
pub fn report(root: &Path, base: &str, apis: &[&ApiSpec]) -> DiffReport {
    let mut out = DiffReport {
        text: String::new(),
        breaking: Vec::new(),
        failed: Vec::new(),
        grouped: grouped::DiffReport::new(base, Vec::new()),
    };
    let mut api_reports = Vec::new();
    for api in apis {
        match api_changes(root, base, api) {
            Ok(ApiChanges { changes, base_warnings, mut report }) => {
                report.base_warnings.clone_from(&base_warnings);
                api_reports.push(report);
                for warning in &base_warnings {
                    out.text.push_str(&format!("{}: base spec {warning}\n", api.name));
                }
                out.text.push_str(&render(api.name, &changes));
                if has_breaking(&changes) {
                    out.breaking.push(api.name);
                }
            }
            Err(message) => {
                out.text.push_str(&format!("{}: cannot be diffed: {message}\n", api.name));
                out.failed.push(api.name);
                api_reports.push(failed_report(api.name, &message));
            }
        }
    }
    out.grouped = grouped::DiffReport::new(base, api_reports);
    out
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
            Ok(ApiChanges { changes, .. }) => print!("{}", render(api.name, &changes)),
            Err(message) => println!("{}: no API diff against HEAD ({message})", api.name),
        }
    }
}

/// What changed in one API, and the warnings of its base spec that the
/// current spec does not have (a construct the base degraded explains a
/// change that is not in the spec's text).
pub struct ApiChanges {
    /// The changes, for [`render`].
    pub changes: Vec<Change>,
    /// `at POINTER: message` of each warning only the base spec has.
    pub base_warnings: Vec<String>,
    /// The changes grouped per Rust item, with the emitted code's signatures.
    pub report: grouped::ApiReport,
}

/// The changes of `api` from its spec at `rev` to its spec in the work tree.
pub fn api_changes(root: &Path, rev: &str, api: &ApiSpec) -> Result<ApiChanges, String> {
    let options = options_for(api);
    let current_path = root.join(api.spec);
    let current = oapi_gen::generate_file(&current_path, &options).map_err(|e| e.to_string())?;
    let surface = |files| oapi_gen::rust_surface::items(files).map_err(|e| format!("{}: {e}", api.spec));
    let current_surface = surface(&current.files)?;
    let mut old_surface = Vec::new();
    let (old, base_warnings) = match spec_at(root, rev, api.spec)? {
        Some(text) => {
            let label = format!("{rev}:{}", api.spec);
            let old = oapi_gen::generate_str(&text, &label, &options).map_err(|e| format!("{label}: {e}"))?;
            let known = |pointer: &str, message: &str| {
                current.report.warnings.iter().any(|w| w.location.pointer == pointer && w.message == message)
            };
            let only_base = old
                .report
                .warnings
                .iter()
                .filter(|w| !known(&w.location.pointer, &w.message))
                .map(|w| format!("warning at #{}: {}", w.location.pointer, w.message))
                .collect();
            old_surface = surface(&old.files)?;
            (old.api, only_base)
        }
        None => (empty_like(&current.api), Vec::new()),
    };
    let report = api_report(
        api.name,
        Side { api: &old, surface: &old_surface },
        Side { api: &current.api, surface: &current_surface },
    );
    Ok(ApiChanges { changes: diff(&old, &current.api), base_warnings, report })
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
    use crate::apis::APIS;

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

    /// A base revision where one spec does not parse: that API is reported
    /// as not diffable, the other is still diffed.
    #[test]
    fn a_base_that_fails_to_parse_is_reported_and_the_others_diffed() {
        let git_works = Command::new("git").arg("--version").output().is_ok_and(|o| o.status.success());
        if !git_works {
            eprintln!("skipped: git is not installed");
            return;
        }
        let repo = std::env::temp_dir().join(format!("xtask-api-diff-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&repo);
        std::fs::create_dir_all(repo.join("spec")).unwrap();
        let git = |args: &[&str]| {
            let status = Command::new("git")
                .arg("-C")
                .arg(&repo)
                .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
                .args(args)
                .output()
                .unwrap();
            assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
        };
        let root = project_root();
        let [broken, kept] = [&APIS[0], &APIS[1]];
        git(&["init", "-q"]);
        std::fs::write(repo.join(broken.spec), "openapi: 3.0.3\ninfo: [not, an, object]\n").unwrap();
        std::fs::copy(root.join(kept.spec), repo.join(kept.spec)).unwrap();
        git(&["add", "-A"]);
        git(&["commit", "-q", "-m", "base"]);
        std::fs::copy(root.join(broken.spec), repo.join(broken.spec)).unwrap();

        let report = report(&repo, "HEAD", &[broken, kept]);
        let _ = std::fs::remove_dir_all(&repo);
        assert_eq!(report.failed, vec![broken.name], "{}", report.text);
        assert!(
            report.text.contains(&format!("{}: cannot be diffed: HEAD:{}", broken.name, broken.spec)),
            "{}",
            report.text
        );
        assert!(report.text.contains(&format!("{}: no API changes", kept.name)), "{}", report.text);
        // The grouped report (markdown, json) says the same.
        assert_eq!(report.grouped.failed(), vec![broken.name]);
        let markdown = report.grouped.render(Format::Markdown);
        assert!(markdown.contains(&format!("Cannot be diffed: `HEAD:{}", broken.spec)), "{markdown}");
        assert!(markdown.contains(&format!("<b>{}</b>: none: no API changes", kept.name)), "{markdown}");
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
