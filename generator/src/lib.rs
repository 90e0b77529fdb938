//! Generates typed async Rust clients from OpenAPI 3.0 and 3.1 (and Swagger 2.0) documents.
//!
//! The pipeline has three stages, one module each:
//!
//! 1. [`load`]: YAML/JSON → JSON tree → (3.1 normalized to 3.0) → `openapiv3::OpenAPI`;
//! 2. [`model`]: the document → an intermediate model of types and operations;
//! 3. [`emit`]: the model → token streams → `prettyplease`-formatted files.
//!
//! No stage does network I/O, and every collection is ordered, so the same
//! spec always produces byte-identical output.

pub mod diagnostics;
pub mod diff;
pub mod emit;
mod graph;
pub mod load;
pub mod model;
pub mod naming;
mod normalize;
mod positions;
mod refs;
pub mod report;
pub mod rust_surface;
pub mod surface;
mod swagger2;
pub mod untyped;

use std::path::Path;
use std::time::Instant;

pub use diagnostics::{Error, Location, Warning};
pub use emit::{Files, Layout, RuntimeSource};
pub use model::features::{FeaturePlan, TagFeatures};
pub use report::{Report, StageTimings};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Module or standalone crate.
    pub layout: Layout,
    /// The first line of every generated Rust file.
    pub preamble: String,
    /// Also the API's typed test double, `mock.rs` beside `types.rs`: behind
    /// the cargo feature `<api>-mock` in a module with a feature plan, `mock`
    /// otherwise (a standalone crate's `mock` feature also enables every tag).
    /// Without it a standalone crate still has the runtime's engine
    /// (`runtime::mock`, feature `mock`).
    pub mock: bool,
}

/// The result of a generation.
#[derive(Debug, Clone)]
pub struct Output {
    /// Files by path relative to the crate root.
    pub files: Files,
    /// Counts, timings and warnings.
    pub report: Report,
    /// The model, for API surface listings and diffs.
    pub api: model::Api,
    /// The per-tag cargo features the output is gated on, when it is.
    pub features: Option<FeaturePlan>,
}

/// Generates from a spec file.
pub fn generate_file(path: &Path, options: &Options) -> Result<Output, Error> {
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io { file: label.clone(), source })?;
    generate_str(&text, &label, options)
}

/// Generates from spec text; `file_label` names the spec in errors and warnings.
/// Per-tag cargo features follow [`TagFeatures::Auto`]: only standalone crates
/// above [`model::features::AUTO_THRESHOLD`] operations (in two or more tags) get them.
pub fn generate_str(text: &str, file_label: &str, options: &Options) -> Result<Output, Error> {
    generate_str_with(text, file_label, options, TagFeatures::Auto)
}

/// The conformance driver of a standalone crate generated from `text` into
/// `api`: the text of `examples/conform.rs` (see `emit/conform`), which calls
/// every operation once with arguments synthesized from the schemas.
pub fn conform_driver(
    text: &str,
    file_label: &str,
    api: &model::Api,
    crate_name: &str,
    preamble: &str,
) -> Result<String, Error> {
    let mut diagnostics = diagnostics::Diagnostics::new(file_label);
    let mut tree = load::parse_tree(text, file_label)?;
    refs::check_local_refs(&mut tree, &mut diagnostics)?;
    let document = load::load_document(tree, &mut diagnostics)?;
    // The typed document again as JSON: converted and normalized, every keyword kept.
    let doc = serde_json::to_value(&document).map_err(|e| {
        Error::invalid(Location { file: file_label.to_string(), ..Location::default() }, format!("internal error: {e}"))
    })?;
    emit::conform::driver_file(api, &doc, crate_name, preamble, file_label)
}

/// [`generate_str`] followed by [`conform_driver`], for a standalone layout.
pub fn conform_driver_str(text: &str, file_label: &str, options: &Options) -> Result<String, Error> {
    let output = generate_str(text, file_label, options)?;
    let crate_name = match &options.layout {
        Layout::Standalone { crate_name, .. } => crate_name.clone(),
        Layout::Module { name } => name.clone(),
    };
    conform_driver(text, file_label, &output.api, &crate_name, &options.preamble)
}

/// [`generate_file`] with a choice of per-tag cargo features.
pub fn generate_file_with(path: &Path, options: &Options, tag_features: TagFeatures) -> Result<Output, Error> {
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io { file: label.clone(), source })?;
    generate_str_with(&text, &label, options, tag_features)
}

/// [`generate_str`] with a choice of per-tag cargo features: a standalone crate
/// gets features named after its tags and `full`; a module `api_x` gets
/// `api-x-<tag>`, `api-x-client` and `api-x` (see [`FeaturePlan`]).
pub fn generate_str_with(
    text: &str,
    file_label: &str,
    options: &Options,
    tag_features: TagFeatures,
) -> Result<Output, Error> {
    let mut diagnostics = diagnostics::Diagnostics::new(file_label);
    let started = Instant::now();
    let mut tree = load::parse_tree(text, file_label)?;
    refs::check_local_refs(&mut tree, &mut diagnostics)?;
    let document = load::load_document(tree, &mut diagnostics)?;
    let parsed = Instant::now();
    let api = model::build(&document, &mut diagnostics)?;
    let modelled = Instant::now();
    let standalone = matches!(options.layout, Layout::Standalone { .. });
    let features =
        tag_features.enabled(standalone, api.operations.len(), api.tags.len()).then(|| match &options.layout {
            Layout::Standalone { .. } => FeaturePlan::standalone(&api),
            Layout::Module { name } => FeaturePlan::module(&api, &name.replace('_', "-")),
        });
    let files = emit::emit_with_features(
        &api,
        &options.layout,
        &options.preamble,
        file_label,
        features.as_ref(),
        options.mock,
    )?;
    let emitted = Instant::now();
    let warnings = diagnostics.into_warnings();
    let untyped = untyped::untyped_items(&api, &warnings);
    let report = Report {
        spec: file_label.to_string(),
        operations: api.operations.len(),
        types: api.types.len(),
        deduplicated_types: api.deduplicated_types,
        tag_features: features.as_ref().map_or(0, |plan| plan.tag_features.len()),
        lines: files.values().map(|f| f.lines().count()).sum(),
        timings: StageTimings { parse: parsed - started, model: modelled - parsed, emit: emitted - modelled },
        warnings,
        untyped,
        paginated: api
            .operations
            .iter()
            .filter_map(|op| Some((op.operation_id.clone(), op.pagination.as_ref()?.rule.clone())))
            .collect(),
    };
    Ok(Output { files, report, api, features })
}
