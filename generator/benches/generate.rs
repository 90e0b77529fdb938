//! Generation time per stage: `cargo bench -p oapi-gen --bench generate`.
//!
//! Each benchmark runs once per spec: every spec under `spec/` (`cargo xtask
//! codegen` refuses one the API registry does not list, so these are the
//! registered APIs) and the largest specs of `../shared/corpus` (skipped, with
//! a message, when the corpus is absent or the generator rejects a spec):
//!
//! - `parse`: text → JSON tree → typed document (`load::parse_tree` + `load::load_document`);
//! - `model`: document → model (`model::build`);
//! - `emit`: model → formatted files (`emit::emit`; `prettyplease` formatting is inside);
//! - `total`: `generate_str`, the three stages plus the local `$ref` check.
//!
//! Each stage's input is prepared outside the timed region. Divan prints
//! fastest/slowest/median/mean per benchmark and spec; BENCHMARKS.md quotes medians.

use std::path::PathBuf;
use std::sync::OnceLock;

use divan::Bencher;
use oapi_gen::diagnostics::Diagnostics;
use oapi_gen::{generate_str, load, Layout, Options};

fn main() {
    divan::main();
}

/// The largest specs of the shared corpus, relative to the workspace root.
const CORPUS_SPECS: &[&str] = &[
    "../shared/corpus/github-api.json",
    "../shared/corpus/xero-accounting.yaml",
    "../shared/corpus/keycloak-admin.json",
];

/// Spec paths relative to the workspace root that every benchmark runs on,
/// decided once (and the skipped ones reported once).
fn specs() -> &'static [&'static str] {
    static SPECS: OnceLock<Vec<&'static str>> = OnceLock::new();
    SPECS.get_or_init(|| {
        // `cargo bench` passes `--bench`; `cargo test --all-targets` runs each
        // benchmark once, in a debug build: the registered specs are enough for that.
        let benchmarking = std::env::args().any(|a| a == "--bench");
        let mut registered: Vec<String> = std::fs::read_dir(spec_path("spec"))
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| format!("spec/{}", e.file_name().to_string_lossy()))
                    .filter(|path| [".yaml", ".yml", ".json"].iter().any(|ext| path.ends_with(ext)))
                    .collect()
            })
            .unwrap_or_default();
        registered.sort();
        let corpus = CORPUS_SPECS.iter().map(|s| s.to_string()).filter(|_| benchmarking);
        registered
            .into_iter()
            .chain(corpus)
            .filter(|relative| {
                let skip = match std::fs::read_to_string(spec_path(relative)) {
                    Err(_) => Some("absent".to_string()),
                    Ok(text) => {
                        generate_str(&text, relative, &options()).err().map(|e| format!("generation fails: {e}"))
                    }
                };
                if let Some(reason) = &skip {
                    eprintln!("skipping {relative}: {reason}");
                }
                skip.is_none()
            })
            // Static names, as divan's `args` wants; a handful, made once.
            .map(|relative| &*relative.leak())
            .collect()
    })
}

fn spec_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(relative)
}

fn options() -> Options {
    Options { layout: Layout::Module { name: "api".into() }, preamble: "// bench".into(), mock: false }
}

/// The spec's text; empty when it cannot be read (then `main` skipped it).
fn text(relative: &str) -> String {
    std::fs::read_to_string(spec_path(relative)).unwrap_or_default()
}

fn parse_document(text: &str, label: &str) -> openapiv3::OpenAPI {
    let mut diagnostics = Diagnostics::new(label);
    let tree = load::parse_tree(text, label).expect("main skipped specs that fail");
    load::load_document(tree, &mut diagnostics).expect("main skipped specs that fail")
}

fn build_model(document: &openapiv3::OpenAPI, label: &str) -> oapi_gen::model::Api {
    oapi_gen::model::build(document, &mut Diagnostics::new(label)).expect("main skipped specs that fail")
}

fn bench_parse(bencher: Bencher, relative: &str) {
    let text = text(relative);
    bencher.bench(|| parse_document(divan::black_box(&text), relative));
}

fn bench_model(bencher: Bencher, relative: &str) {
    let document = parse_document(&text(relative), relative);
    bencher.bench(|| build_model(divan::black_box(&document), relative));
}

fn bench_emit(bencher: Bencher, relative: &str) {
    let api = build_model(&parse_document(&text(relative), relative), relative);
    let layout = options().layout;
    bencher.bench(|| {
        oapi_gen::emit::emit(divan::black_box(&api), &layout, "// bench", relative)
            .expect("main skipped specs that fail")
    });
}

fn bench_total(bencher: Bencher, relative: &str) {
    let text = text(relative);
    let options = options();
    bencher.bench(|| generate_str(divan::black_box(&text), relative, &options).expect("main skipped specs that fail"));
}

// Large specs take up to a second per run, so each benchmark takes 10
// samples of one run.

#[divan::bench(args = specs(), sample_count = 10, sample_size = 1)]
fn parse(bencher: Bencher, spec: &str) {
    bench_parse(bencher, spec);
}

#[divan::bench(args = specs(), sample_count = 10, sample_size = 1)]
fn model(bencher: Bencher, spec: &str) {
    bench_model(bencher, spec);
}

#[divan::bench(args = specs(), sample_count = 10, sample_size = 1)]
fn emit(bencher: Bencher, spec: &str) {
    bench_emit(bencher, spec);
}

#[divan::bench(args = specs(), sample_count = 10, sample_size = 1)]
fn total(bencher: Bencher, spec: &str) {
    bench_total(bencher, spec);
}
