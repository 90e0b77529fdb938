//! Stage 3: model → formatted Rust files. Tokens are built with `quote!`, parsed
//! with `syn` and printed with `prettyplease`; nothing here formats by hand.

mod bodies;
mod client;
pub mod conform;
mod docs;
mod errors;
pub mod features;
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
use crate::model::Api;

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
    emit_with_features(api, layout, preamble, file_label, None)
}

/// [`emit`], with tag modules and types gated on the cargo features of `plan`
/// (and, for a standalone crate, those features in its manifest).
pub fn emit_with_features(
    api: &Api,
    layout: &Layout,
    preamble: &str,
    file_label: &str,
    plan: Option<&FeaturePlan>,
) -> Result<Files, Error> {
    let mut files = Files::new();
    let (root_file, module_dir) = match layout {
        Layout::Module { name } => (format!("src/{name}/mod.rs"), format!("src/{name}")),
        Layout::Standalone { .. } => ("src/lib.rs".to_string(), "src".to_string()),
    };
    let format = |tokens: TokenStream, path: &str| format_file(tokens, preamble, file_label, path);

    files.insert(root_file.clone(), format(root_module(api, layout, plan), &root_file)?);
    let types_file = format!("{module_dir}/types.rs");
    files.insert(types_file.clone(), format(types_file_tokens(api, plan), &types_file)?);
    for (module, tag) in &api.tags {
        let path = format!("{module_dir}/{module}.rs");
        let doc = match &tag.description {
            Some(description) => format!("Operations tagged `{}`.\n\n{description}", tag.name),
            None => format!("Operations tagged `{}`.", tag.name),
        };
        let docs = inner_docs(&doc);
        let allow = allow_attributes(api);
        let items = operations::tag_module(api, module);
        files.insert(path.clone(), format(quote! { #docs #allow #( #items )* }, &path)?);
    }
    if let Layout::Standalone { crate_name, runtime } = layout {
        files.insert("Cargo.toml".to_string(), standalone::cargo_toml(crate_name, api, plan, runtime));
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

fn types_file_tokens(api: &Api, plan: Option<&FeaturePlan>) -> TokenStream {
    let docs = inner_docs(&format!(
        "Models of the {}: request and response bodies, enums and shared schemas.",
        api.title.trim()
    ));
    let allow = allow_attributes(api);
    let mut items = types::types_module(api);
    if let Some(plan) = plan {
        items = features::gate_types(api, plan, items);
    }
    quote! { #docs #allow #( #items )* }
}

fn root_module(api: &Api, layout: &Layout, plan: Option<&FeaturePlan>) -> TokenStream {
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
    quote! {
        #docs
        #crate_attrs
        #runtime

        pub mod types;
        #( #modules )*

        #client
    }
}

/// Parses, pretty-prints and prefixes the preamble.
fn format_file(tokens: TokenStream, preamble: &str, file_label: &str, path: &str) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Error::invalid(
            Location { file: file_label.to_string(), ..Location::default() },
            format!("internal error: generated {path} does not parse ({e}); please report this with the spec"),
        )
    })?;
    let body = separate_items(&prettyplease::unparse(&file));
    Ok(format!("{preamble}\n\n{body}"))
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
    use super::separate_items;

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
