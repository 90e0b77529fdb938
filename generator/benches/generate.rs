//! Generation time per stage: `cargo bench -p oapi-gen --bench generate`.
//!
//! One module of benchmarks per spec: the two seed specs and the largest
//! specs of `../shared/corpus` (skipped, with a message, when the corpus is
//! absent or the generator rejects a spec). Each module times:
//!
//! - `parse`: text → JSON tree → typed document (`load::parse_tree` + `load::load_document`);
//! - `model`: document → model (`model::build`);
//! - `emit`: model → formatted files (`emit::emit`; `prettyplease` formatting is inside);
//! - `total`: `generate_str`, the three stages plus the local `$ref` check.
//!
//! Each stage's input is prepared outside the timed region. Divan prints
//! fastest/slowest/median/mean per benchmark; BENCHMARKS.md quotes medians.

use std::path::PathBuf;

use divan::Bencher;
use oapi_gen::diagnostics::Diagnostics;
use oapi_gen::{emit, generate_str, load, model, Layout, Options};

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs each
    // benchmark once, in a debug build: the seed specs are enough for that.
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let mut divan = divan::Divan::from_args();
    for (module, path) in SPECS {
        let path = spec_path(path);
        let skip = match std::fs::read_to_string(&path) {
            Ok(_) if !benchmarking && path.to_string_lossy().contains("corpus") => {
                Some("corpus specs are only run by `cargo bench`".to_string())
            }
            Err(_) => Some(format!("{} is absent", path.display())),
            Ok(text) => generate_str(&text, module, &options()).err().map(|e| format!("generation fails: {e}")),
        };
        if let Some(reason) = skip {
            eprintln!("skipping {module}: {reason}");
            divan = divan.skip_regex(format!("^generate::{module}::"));
        }
    }
    divan.main();
}

/// Module name → spec path relative to the workspace root.
const SPECS: &[(&str, &str)] = &[
    ("apono", "spec/apono.yaml"),
    ("api_connect", "spec/api-connect.yaml"),
    ("github_api", "../shared/corpus/github-api.json"),
    ("xero_accounting", "../shared/corpus/xero-accounting.yaml"),
    ("keycloak_admin", "../shared/corpus/keycloak-admin.json"),
];

fn spec_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(relative)
}

fn options() -> Options {
    Options { layout: Layout::Module { name: "api".into() }, preamble: "// bench".into() }
}

/// The spec's text; empty when it cannot be read (then `main` skipped it).
fn text(relative: &str) -> String {
    std::fs::read_to_string(spec_path(relative)).unwrap_or_default()
}

fn parse(text: &str, label: &str) -> openapiv3::OpenAPI {
    let mut diagnostics = Diagnostics::new(label);
    let tree = load::parse_tree(text, label).expect("main skipped specs that fail");
    load::load_document(tree, &mut diagnostics).expect("main skipped specs that fail")
}

fn build(document: &openapiv3::OpenAPI, label: &str) -> model::Api {
    model::build(document, &mut Diagnostics::new(label)).expect("main skipped specs that fail")
}

fn bench_parse(bencher: Bencher, relative: &str) {
    let text = text(relative);
    bencher.bench(|| parse(divan::black_box(&text), relative));
}

fn bench_model(bencher: Bencher, relative: &str) {
    let document = parse(&text(relative), relative);
    bencher.bench(|| build(divan::black_box(&document), relative));
}

fn bench_emit(bencher: Bencher, relative: &str) {
    let api = build(&parse(&text(relative), relative), relative);
    let layout = options().layout;
    bencher.bench(|| {
        emit::emit(divan::black_box(&api), &layout, "// bench", relative).expect("main skipped specs that fail")
    });
}

fn bench_total(bencher: Bencher, relative: &str) {
    let text = text(relative);
    let options = options();
    bencher.bench(|| generate_str(divan::black_box(&text), relative, &options).expect("main skipped specs that fail"));
}

/// `parse`, `model`, `emit`, `total` for one spec. Large specs take up to a
/// second per run, so each benchmark takes 10 samples of one run.
macro_rules! spec_benches {
    ($module:ident, $path:expr) => {
        mod $module {
            use divan::Bencher;

            #[divan::bench(sample_count = 10, sample_size = 1)]
            fn parse(bencher: Bencher) {
                super::bench_parse(bencher, $path);
            }

            #[divan::bench(sample_count = 10, sample_size = 1)]
            fn model(bencher: Bencher) {
                super::bench_model(bencher, $path);
            }

            #[divan::bench(sample_count = 10, sample_size = 1)]
            fn emit(bencher: Bencher) {
                super::bench_emit(bencher, $path);
            }

            #[divan::bench(sample_count = 10, sample_size = 1)]
            fn total(bencher: Bencher) {
                super::bench_total(bencher, $path);
            }
        }
    };
}

spec_benches!(apono, "spec/apono.yaml");
spec_benches!(api_connect, "spec/api-connect.yaml");
spec_benches!(github_api, "../shared/corpus/github-api.json");
spec_benches!(xero_accounting, "../shared/corpus/xero-accounting.yaml");
spec_benches!(keycloak_admin, "../shared/corpus/keycloak-admin.json");
