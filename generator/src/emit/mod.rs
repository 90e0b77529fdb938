//! Stage 3: model → formatted Rust files. Tokens are built with `quote!`, parsed
//! with `syn` (where every function is marked `#[inline]`, see [`inline`]) and
//! printed with `prettyplease`; nothing here formats by hand.

mod bodies;
mod client;
pub mod conform;
mod docs;
mod errors;
pub mod features;
mod inline;
pub mod mock;
mod nesting;
mod operations;
mod pagination_styles;
pub mod param_text;
mod rust_type;
mod standalone;
#[rustfmt::skip]
mod vendored_runtime;
mod streaming;
mod types;
mod validation;

use indexmap::IndexMap;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub use standalone::runtime_files;

use crate::diagnostics::{Error, Location};
use crate::model::features::FeaturePlan;
use crate::model::{Api, Operation};
use operations::TagPart;

/// How the output is laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// A module `src/<name>/` of an existing crate that provides `crate::runtime`.
    Module {
        /// The module name (`apono`).
        name: String,
    },
    /// A whole crate: `Cargo.toml`, `src/lib.rs` and the runtime, copied in
    /// or as a dependency.
    Standalone {
        /// The package name.
        crate_name: String,
        /// Where the crate's `runtime` module comes from.
        runtime: RuntimeSource,
    },
}

/// Where a standalone crate gets the runtime from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RuntimeSource {
    /// A copy of the runtime's sources as the crate's `src/runtime/` module:
    /// the crate builds anywhere, with dependencies from crates.io only. The
    /// default, since `oapi-runtime` is not published.
    #[default]
    Vendored,
    /// A dependency on the `oapi-runtime` crate at this path (relative to the
    /// generated crate or absolute), re-exported as `runtime`: several
    /// generated crates then share one compiled runtime and its fixes.
    Path(String),
}

/// Generated files by path relative to the crate root, in a stable order.
pub type Files = IndexMap<String, String>;

/// Emits every file of `api`; `preamble` is the first line of each generated file.
pub fn emit(api: &Api, layout: &Layout, preamble: &str, file_label: &str) -> Result<Files, Error> {
    emit_with_features(api, layout, preamble, file_label, None, false)
}

/// [`emit`], with tag modules and types gated on the cargo features of `plan`
/// (and, for a standalone crate, those features in its manifest), and with
/// `mock` the API's test double (see [`mock`]).
pub fn emit_with_features(
    api: &Api,
    layout: &Layout,
    preamble: &str,
    file_label: &str,
    plan: Option<&FeaturePlan>,
    mock: bool,
) -> Result<Files, Error> {
    // A module's mock is behind `<api>-mock`, a standalone crate's behind `mock`.
    let mock_gate = mock.then(|| match layout {
        Layout::Module { .. } => mock_feature(plan),
        Layout::Standalone { .. } => "mock".to_string(),
    });
    let (root_file, module_dir) = match layout {
        Layout::Module { name } => (format!("src/{name}/mod.rs"), format!("src/{name}")),
        Layout::Standalone { .. } => ("src/lib.rs".to_string(), "src".to_string()),
    };
    // Each file is one or more pieces (the types file is split into runs of
    // types): pieces are built and formatted on every core, then joined in order.
    let mut pieces = vec![(root_file, Piece::Root), (format!("{module_dir}/types.rs"), Piece::TypesHeader)];
    let type_count = api.types.len();
    for start in (0..type_count).step_by(TYPES_PER_PIECE) {
        let end = (start + TYPES_PER_PIECE).min(type_count);
        pieces.push((format!("{module_dir}/types.rs"), Piece::Types(start..end)));
    }
    let tag_operations: Vec<(&str, Vec<&Operation>)> =
        api.tags.keys().map(|module| (module.as_str(), operations::tag_operations(api, module))).collect();
    for (module, operations) in &tag_operations {
        let path = format!("{module_dir}/{module}.rs");
        pieces.push((path.clone(), Piece::TagHeader(module, operations)));
        for part in TagPart::ALL {
            for run in operations.chunks(OPERATIONS_PER_PIECE) {
                pieces.push((path.clone(), Piece::TagRun(run, part)));
            }
        }
    }
    if mock_gate.is_some() {
        pieces.push((format!("{module_dir}/mock.rs"), Piece::Mock));
    }
    let gate = mock_gate.as_deref();
    let formatted = in_parallel(&pieces, |(path, piece)| {
        format_tokens(piece_tokens(api, layout, plan, gate, piece), file_label, path)
    });
    let mut bodies: IndexMap<&str, String> = IndexMap::new();
    for ((path, _), text) in pieces.iter().zip(formatted) {
        bodies.entry(path.as_str()).or_default().push_str(&text?);
    }
    let mut files: Files = bodies
        .into_iter()
        .map(|(path, body)| (path.to_string(), format!("{preamble}\n\n{}", separate_items(&body))))
        .collect();
    if let Layout::Standalone { crate_name, runtime } = layout {
        files.insert("Cargo.toml".to_string(), standalone::cargo_toml(crate_name, api, plan, runtime, mock));
        if *runtime == RuntimeSource::Vendored {
            for (path, contents) in runtime_files() {
                files.insert(format!("src/runtime/{path}"), contents.to_string());
            }
        }
    }
    Ok(files)
}

/// `//!` docs as inner attributes.
fn inner_docs(text: &str) -> TokenStream {
    let lines: Vec<String> =
        docs::sanitize(text).lines().map(|line| format!(" {line}").trim_end().to_string()).collect();
    quote! { #( #![doc = #lines] )* }
}

/// Lints the generated modules allow, each for a reason that lies in the spec.
fn allow_attributes(api: &Api) -> TokenStream {
    let any_deprecated = api.operations.iter().any(|op| op.deprecated || op.params.iter().any(|p| p.docs.deprecated))
        || api.types.values().any(|t| {
            // Constructors and setters of a struct assign its deprecated fields too.
            let deprecated_field = matches!(&t.kind, crate::model::TypeKind::Struct { fields, .. } if fields.iter().any(|f| f.docs.deprecated));
            t.docs.deprecated || deprecated_field
        });
    // The generated code itself uses the deprecated items it defines.
    let deprecated = any_deprecated.then(|| quote! { #![allow(deprecated)] });
    quote! {
        #deprecated
        // Docs are the spec's own prose (lists, line breaks) and names come from its values.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::enum_variant_names)]
    }
}

/// The cargo feature the test double is behind: `<api>-mock`, or `mock`
/// without a feature plan.
pub fn mock_feature(plan: Option<&FeaturePlan>) -> String {
    match plan {
        Some(plan) => format!("{}-mock", plan.all_feature),
        None => "mock".to_string(),
    }
}

fn root_module(api: &Api, layout: &Layout, plan: Option<&FeaturePlan>, mock_gate: Option<&str>) -> TokenStream {
    let mut doc = api.title.trim().to_string();
    if let Some(description) = &api.description {
        doc.push_str("\n\n");
        doc.push_str(description.trim());
    }
    let docs = inner_docs(&doc);
    let crate_attrs = matches!(layout, Layout::Standalone { .. }).then(|| {
        // Deeply nested or mutually recursive types overflow auto-trait
        // proofs (E0275 in rustdoc) at the default limit (see `nesting`).
        let recursion_limit = nesting::recursion_limit(nesting::nesting_bound(api)).map(|limit| {
            let limit = limit.to_string();
            quote! { #![recursion_limit = #limit] }
        });
        quote! {
            #![forbid(unsafe_code)]
            #![deny(missing_docs)]
            #recursion_limit
        }
    });
    let runtime = match layout {
        Layout::Module { .. } => None,
        Layout::Standalone { runtime: RuntimeSource::Vendored, .. } => Some(quote! {
            pub mod runtime;
            pub use runtime::{Error, Response};
        }),
        Layout::Standalone { runtime: RuntimeSource::Path(_), .. } => Some(quote! {
            /// The runtime (crate `oapi-runtime`): HTTP execution, auth, retries, errors, pagination.
            pub use oapi_runtime as runtime;
            pub use runtime::{Error, Response};
        }),
    };
    let modules = api.tags.iter().map(|(module, tag)| {
        let ident = format_ident!("{}", module);
        let doc = format!(" Operations tagged `{}`.", tag.name.replace('`', "'"));
        let cfg = plan.and_then(|plan| features::tag_module_cfg(plan, module));
        quote! { #[doc = #doc] #cfg pub mod #ident; }
    });
    let client = client::client_items(api);
    // #[cfg(feature = "apono-mock")] pub mod mock;
    let mock = mock_gate.map(|gate| {
        let doc = format!(" A test double of the API: a mock server and a client pointed at it (feature `{gate}`).");
        quote! { #[doc = #doc] #[cfg(feature = #gate)] pub mod mock; }
    });
    quote! {
        #docs
        #crate_attrs
        #runtime

        pub mod types;
        #( #modules )*
        #mock

        #client
    }
}

/// How many types one piece of the types file holds: small enough to spread
/// a large spec's types over the cores, large enough that a piece's overhead
/// (one `syn::File`) does not matter.
const TYPES_PER_PIECE: usize = 32;

/// How many operations' builders (or error enums, or forms) one piece of a tag
/// module holds: a tag of 159 operations is then ten pieces, not one that
/// keeps a core busy after the others are done.
const OPERATIONS_PER_PIECE: usize = 16;

/// A unit of formatting work: a file, or a file's header or run of items.
/// Pieces of one file are formatted separately and concatenated, which
/// prints the same text as formatting the whole file at once: prettyplease
/// prints each item on its own, ending it with a line break.
enum Piece<'a> {
    /// The root module (`mod.rs` or `lib.rs`).
    Root,
    /// The types file's inner docs and lint attributes.
    TypesHeader,
    /// These types of `api.types`, in order.
    Types(std::ops::Range<usize>),
    /// A tag module's inner docs, lint attributes and `impl Client` block
    /// (the module and all its operations).
    TagHeader(&'a str, &'a [&'a Operation]),
    /// These operations' items of one kind.
    TagRun(&'a [&'a Operation], TagPart),
    /// The test double (`mock.rs`).
    Mock,
}

/// The tokens of one piece. Built on the thread that formats them, since
/// token streams cannot cross threads.
fn piece_tokens(
    api: &Api,
    layout: &Layout,
    plan: Option<&FeaturePlan>,
    mock_gate: Option<&str>,
    piece: &Piece,
) -> TokenStream {
    match piece {
        Piece::Root => root_module(api, layout, plan, mock_gate),
        Piece::Mock => {
            let docs = inner_docs(&format!(
                "A test double of the {}: [`MockServer`] on a loopback port, a client pointed at it, and one typed expectation per operation.\n\nEnabled by the cargo feature `{}`; see the runtime's `mock` module for what it checks.",
                api.title.trim(),
                mock_gate.unwrap_or("mock")
            ));
            let allow = allow_attributes(api);
            let items = mock::mock_module(api);
            quote! { #docs #allow #items }
        }
        Piece::TypesHeader => {
            let docs = inner_docs(&format!(
                "Models of the {}: request and response bodies, enums and shared schemas.",
                api.title.trim()
            ));
            let allow = allow_attributes(api);
            quote! { #docs #allow }
        }
        Piece::Types(range) => {
            let items = api.types.values().skip(range.start).take(range.len()).map(|def| {
                let gate = plan.and_then(|plan| features::type_gate(plan, &def.name));
                types::type_item(api, def, gate.as_ref())
            });
            quote! { #( #items )* }
        }
        Piece::TagHeader(module, operations) => {
            let tag = &api.tags[*module];
            let doc = match &tag.description {
                Some(description) => format!("Operations tagged `{}`.\n\n{description}", tag.name),
                None => format!("Operations tagged `{}`.", tag.name),
            };
            let docs = inner_docs(&doc);
            let allow = allow_attributes(api);
            let client_impl = operations::client_impl(operations);
            quote! { #docs #allow #client_impl }
        }
        Piece::TagRun(run, part) => {
            let items = operations::tag_items(api, run, *part);
            quote! { #( #items )* }
        }
    }
}

/// `work` applied to every input on all available cores, results in input
/// order. Work is handed out one input at a time, so a slow input does not
/// hold up a core's share.
fn in_parallel<T: Sync, R: Send>(inputs: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(inputs.len());
    if threads <= 1 {
        return inputs.iter().map(work).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut results = Vec::new();
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(input) = inputs.get(index) else { break };
                        results.push((index, work(input)));
                    }
                    results
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

/// Parses, pretty-prints and prefixes the preamble.
fn format_file(tokens: TokenStream, preamble: &str, file_label: &str, path: &str) -> Result<String, Error> {
    let body = separate_items(&format_tokens(tokens, file_label, path)?);
    Ok(format!("{preamble}\n\n{body}"))
}

/// Parses the tokens, marks every function `#[inline]` (see [`inline`]) and
/// pretty-prints them.
fn format_tokens(tokens: TokenStream, file_label: &str, path: &str) -> Result<String, Error> {
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| {
        Error::invalid(
            Location { file: file_label.to_string(), ..Location::default() },
            format!("internal error: generated {path} does not parse ({e}); please report this with the spec"),
        )
    })?;
    inline::mark_functions(&mut file);
    Ok(prettyplease::unparse(&file))
}

/// Puts one blank line between items (and after the inner attributes), as
/// hand-written Rust does; prettyplease prints items back to back.
///
/// An item ends on a line that is only `}` or `};` (a block) or that ends in
/// `;` and starts an item (`pub type A = B;`, `pub mod a;`); the next line at the
/// same indentation that starts an item, a doc comment or an attribute is
/// separated from it. Statements inside function bodies never start with
/// those, so they are left alone.
fn separate_items(code: &str) -> String {
    const ITEM_STARTS: &[&str] = &[
        "///",
        "#[",
        "pub ",
        "fn ",
        "impl ",
        "impl<",
        "const ",
        "type ",
        "mod ",
        "struct ",
        "enum ",
        "async fn ",
        "use ",
    ];
    let mut out = String::with_capacity(code.len() + code.len() / 8);
    let mut previous: Option<&str> = None;
    let mut in_inner_attributes = false;
    for line in code.lines() {
        let trimmed = line.trim_start();
        if let Some(prev) = previous {
            let prev_trimmed = prev.trim_start();
            let same_indent = indent(prev) == indent(line);
            // A doc line ending in `;` (code quoted in a spec's prose) ends nothing.
            let is_doc = prev_trimmed.starts_with("//");
            let prev_ends_item = prev_trimmed == "}"
                || prev_trimmed == "};"
                || (!is_doc && prev_trimmed.ends_with(';') && ITEM_STARTS.iter().any(|s| prev_trimmed.starts_with(s)));
            let after_inner = in_inner_attributes
                && !trimmed.starts_with("#!")
                && !prev_trimmed.starts_with("//!")
                && prev_trimmed.ends_with(']');
            let starts_item = ITEM_STARTS.iter().any(|s| trimmed.starts_with(s));
            if (prev_ends_item && same_indent && starts_item) || (after_inner && indent(line) == 0) {
                out.push('\n');
            }
            if after_inner {
                in_inner_attributes = false;
            }
        }
        if trimmed.starts_with("#![") {
            in_inner_attributes = true;
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The types file and the tag modules of two fixtures and of the IBM spec
    /// (more types than one piece holds), formatted in pieces as `emit` does
    /// and formatted whole: the texts are the same.
    #[test]
    fn a_file_formatted_in_pieces_reads_as_formatted_whole() {
        let mut most_types = 0;
        for fixture in ["tests/fixtures/objects.yaml", "tests/fixtures/composition.yaml", "spec/api-connect.yaml"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(fixture);
            let text = std::fs::read_to_string(&path).expect("fixture exists");
            let mut diagnostics = crate::diagnostics::Diagnostics::new(fixture);
            let tree = crate::load::parse_tree(&text, fixture).expect("fixture parses");
            let document = crate::load::load_document(tree, &mut diagnostics).expect("fixture loads");
            let api = crate::model::build(&document, &mut diagnostics).expect("fixture builds");
            let layout = Layout::Module { name: "fixture".to_string() };
            let pieced = emit(&api, &layout, "// preamble", fixture).expect("emits");

            let header = piece_tokens(&api, &layout, None, None, &Piece::TypesHeader);
            let items = piece_tokens(&api, &layout, None, None, &Piece::Types(0..api.types.len()));
            let whole = format_file(quote! { #header #items }, "// preamble", fixture, "types.rs").expect("formats");
            assert_eq!(pieced["src/fixture/types.rs"], whole, "{fixture}");
            most_types = most_types.max(api.types.len());

            // Each tag module: its header piece, then its builders, error
            // enums and forms, formatted whole.
            for module in api.tags.keys() {
                let operations = operations::tag_operations(&api, module);
                let header = piece_tokens(&api, &layout, None, None, &Piece::TagHeader(module, &operations));
                let parts =
                    TagPart::ALL.map(|part| piece_tokens(&api, &layout, None, None, &Piece::TagRun(&operations, part)));
                let whole =
                    format_file(quote! { #header #( #parts )* }, "// preamble", fixture, module).expect("formats");
                assert_eq!(pieced[&format!("src/fixture/{module}.rs")], whole, "{fixture}: {module}");
                // No fixture tag has more than `OPERATIONS_PER_PIECE`
                // operations: runs of two stand in for several runs per part.
                let mut in_runs = String::new();
                for part in TagPart::ALL {
                    for run in operations.chunks(2) {
                        let tokens = piece_tokens(&api, &layout, None, None, &Piece::TagRun(run, part));
                        in_runs.push_str(&format_tokens(tokens, fixture, module).expect("formats"));
                    }
                }
                let items = format_tokens(quote! { #( #parts )* }, fixture, module).expect("formats");
                assert_eq!(separate_items(&in_runs), separate_items(&items), "{fixture}: {module} in runs of two");
            }
        }
        assert!(most_types > TYPES_PER_PIECE, "no fixture spans several pieces ({most_types} types)");
    }

    #[test]
    fn items_get_blank_lines_but_statements_do_not() {
        let code = "#![allow(x)]\npub mod a;\n/// Doc.\npub struct A {\n    x: i32,\n}\nimpl A {\n    fn f() {\n        let a = 1;\n        let b = 2;\n    }\n    fn g() {}\n}\n";
        let expected = "#![allow(x)]\n\npub mod a;\n\n/// Doc.\npub struct A {\n    x: i32,\n}\n\nimpl A {\n    fn f() {\n        let a = 1;\n        let b = 2;\n    }\n\n    fn g() {}\n}\n";
        assert_eq!(separate_items(code), expected);
    }

    #[test]
    fn doc_lines_ending_in_semicolons_stay_together() {
        let code = "/// ```text\n/// const a = require('a');\n///\n/// const b = 1;\n/// ```\npub fn f() {}\n";
        assert_eq!(separate_items(code), code);
    }
}
