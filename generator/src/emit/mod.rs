//! Stage 3: model → formatted Rust files. Tokens are built with `quote!`, parsed
//! with `syn` and printed with `prettyplease`; nothing here formats by hand.

mod client;
mod docs;
mod operations;
mod rust_type;
mod standalone;
mod types;

use indexmap::IndexMap;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub use docs::sanitize as sanitize_docs;
pub use standalone::runtime_files;

use crate::diagnostics::{Error, Location};
use crate::model::Api;

/// How the output is laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// A module `src/<name>/` of an existing crate that provides `crate::runtime`.
    Module {
        /// The module name (`apono`).
        name: String,
    },
    /// A whole crate: `Cargo.toml`, `src/lib.rs`, the runtime copied in.
    Standalone {
        /// The package name.
        crate_name: String,
    },
}

/// Generated files by path relative to the crate root, in a stable order.
pub type Files = IndexMap<String, String>;

/// Emits every file of `api`; `preamble` is the first line of each generated file.
pub fn emit(api: &Api, layout: &Layout, preamble: &str, file_label: &str) -> Result<Files, Error> {
    let mut files = Files::new();
    let (root_file, module_dir) = match layout {
        Layout::Module { name } => (format!("src/{name}/mod.rs"), format!("src/{name}")),
        Layout::Standalone { .. } => ("src/lib.rs".to_string(), "src".to_string()),
    };
    let format = |tokens: TokenStream, path: &str| format_file(tokens, preamble, file_label, path);

    files.insert(root_file.clone(), format(root_module(api, layout), &root_file)?);
    let types_file = format!("{module_dir}/types.rs");
    files.insert(types_file.clone(), format(types_file_tokens(api), &types_file)?);
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
    if let Layout::Standalone { crate_name } = layout {
        files.insert("Cargo.toml".to_string(), standalone::cargo_toml(crate_name, api));
        for (path, contents) in runtime_files() {
            files.insert(format!("src/runtime/{path}"), contents.to_string());
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
        || api.types.values().any(|t| t.docs.deprecated);
    // The generated code itself uses the deprecated items it defines.
    let deprecated = any_deprecated.then(|| quote! { #![allow(deprecated)] });
    quote! {
        #deprecated
        // Docs are the spec's own prose (lists, line breaks) and names come from its values.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::enum_variant_names)]
    }
}

fn types_file_tokens(api: &Api) -> TokenStream {
    let docs = inner_docs(&format!("Models of the {}: request and response bodies, enums and shared schemas.", api.title.trim()));
    let allow = allow_attributes(api);
    let items = types::types_module(api);
    quote! { #docs #allow #( #items )* }
}

fn root_module(api: &Api, layout: &Layout) -> TokenStream {
    let mut doc = api.title.trim().to_string();
    if let Some(description) = &api.description {
        doc.push_str("\n\n");
        doc.push_str(description.trim());
    }
    let docs = inner_docs(&doc);
    let crate_attrs = matches!(layout, Layout::Standalone { .. }).then(|| {
        quote! {
            #![forbid(unsafe_code)]
            #![deny(missing_docs)]
        }
    });
    let runtime = matches!(layout, Layout::Standalone { .. }).then(|| {
        quote! {
            pub mod runtime;
            pub use runtime::{Error, Response};
        }
    });
    let modules = api.tags.iter().map(|(module, tag)| {
        let ident = format_ident!("{}", module);
        let doc = format!(" Operations tagged `{}`.", tag.name.replace('`', "'"));
        quote! { #[doc = #doc] pub mod #ident; }
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
    let body = prettyplease::unparse(&file);
    Ok(format!("{preamble}\n\n{body}"))
}
