//! The public API surface of emitted Rust code, read back from its tokens.
//!
//! [`items`] parses every emitted file with `syn` and lists each public item
//! with its full signature: structs with their `pub` fields, enums with their
//! variants, type aliases, consts, each `pub fn` of each inherent impl
//! (`Client` methods, request builders, constructors, setters, builders) and
//! each trait impl (`impl From<Pet> for Body`). Each item carries its module
//! path and the `#[cfg(…)]` gate it compiles under (its own, its impl's and its
//! module's). Because the listing comes from what the emitter wrote, a
//! generator change that alters the surface shows up even when no spec did.
//!
//! Paths are printed as a user writes them: `Option<String>` for
//! `::std::option::Option<::std::string::String>`, `runtime::Error` for
//! `crate::runtime::Error`, `chrono::DateTime<chrono::Utc>`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::OnceLock;

use quote::ToTokens;
use serde::Serialize;

use crate::emit::Files;

/// One public item of the emitted code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SurfaceItem {
    /// Where a user names it: `apono::types::Widget`, `apono::Client::list_widgets`,
    /// `apono::types::Widget::new`; a trait impl is named by its header,
    /// `apono::types::impl From<Cat> for Pet`.
    pub path: String,
    /// The signature as a user reads it, on one line.
    pub signature: String,
    /// The `cfg` predicate it compiles under (`feature = "apono-widgets"`), if any.
    pub gate: Option<String>,
    /// The module whose file defines it (`apono::widgets` for a `Client`
    /// method written there); names in the signature are relative to it.
    pub module: String,
}

impl SurfaceItem {
    /// The cargo features named by the item's gate, in order of appearance.
    pub fn features(&self) -> Vec<String> {
        let Some(gate) = &self.gate else { return Vec::new() };
        let mut out: Vec<String> = Vec::new();
        for part in gate.split("feature = \"").skip(1) {
            if let Some((name, _)) = part.split_once('"') {
                if !out.iter().any(|f| f == name) {
                    out.push(name.to_string());
                }
            }
        }
        out
    }

    /// The listing line: `path: signature`, then the gate as `#[cfg(…)]`.
    pub fn line(&self) -> String {
        match &self.gate {
            Some(gate) => format!("{}: {}  #[cfg({gate})]", self.path, self.signature),
            None => format!("{}: {}", self.path, self.signature),
        }
    }
}

/// Every public item of `files`, file by file in emission order, items in
/// source order. Runtime files copied into standalone crates and
/// non-Rust files are skipped. Fails when a file is not valid Rust.
pub fn items(files: &Files) -> Result<Vec<SurfaceItem>, String> {
    let parsed = parse_files(files)?;
    let module_gates = module_gates(&parsed);
    let mut out = Vec::new();
    for (module, file) in &parsed {
        let gate = module_gates.get(module).cloned();
        let mut walker = Walker { module: module.clone(), out: &mut out };
        walker.items(&file.items, gate.as_deref());
    }
    Ok(out)
}

/// [`items`] as text, one [`SurfaceItem::line`] per line.
pub fn listing(files: &Files) -> Result<String, String> {
    let mut out = String::new();
    for item in items(files)? {
        let _ = writeln!(out, "{}", item.line());
    }
    Ok(out)
}

/// The Rust files of `files` as (module path, syntax tree).
fn parse_files(files: &Files) -> Result<Vec<(String, syn::File)>, String> {
    let mut parsed = Vec::new();
    for (path, text) in files {
        let Some(module) = module_path(path) else { continue };
        let file = syn::parse_file(text).map_err(|e| format!("{path}: not valid Rust: {e}"))?;
        parsed.push((module, file));
    }
    Ok(parsed)
}

/// `src/apono/types.rs` → `apono::types`, `src/apono/mod.rs` → `apono`,
/// `src/lib.rs` → `` (the crate root); `None` for other files and the runtime.
fn module_path(file: &str) -> Option<String> {
    let relative = file.strip_prefix("src/")?.strip_suffix(".rs")?;
    if relative.starts_with("runtime/") || relative == "runtime" {
        return None;
    }
    let mut segments: Vec<&str> = relative.split('/').collect();
    if matches!(segments.last(), Some(&"mod") | Some(&"lib")) {
        segments.pop();
    }
    Some(segments.join("::"))
}

/// The gate of each module declared `#[cfg(…)] pub mod name;`, by module path,
/// combined with the gates of the modules around it.
fn module_gates(parsed: &[(String, syn::File)]) -> BTreeMap<String, String> {
    let mut gates = BTreeMap::new();
    for (module, file) in parsed {
        for item in &file.items {
            if let syn::Item::Mod(declared) = item {
                if let Some(gate) = cfg_gate(&declared.attrs) {
                    gates.insert(join(module, &declared.ident.to_string()), gate);
                }
            }
        }
    }
    gates
}

/// Collects the public items of one module.
struct Walker<'a> {
    module: String,
    out: &'a mut Vec<SurfaceItem>,
}

impl Walker<'_> {
    fn items(&mut self, items: &[syn::Item], gate: Option<&str>) {
        for item in items.iter().filter(|item| !item_hidden(item)) {
            self.item(item, gate);
        }
    }

    fn item(&mut self, item: &syn::Item, outer: Option<&str>) {
        match item {
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                let gate = combine(outer, cfg_gate(&s.attrs));
                self.push(&s.ident.to_string(), struct_signature(s), gate);
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                let gate = combine(outer, cfg_gate(&e.attrs));
                self.push(&e.ident.to_string(), enum_signature(e), gate);
            }
            syn::Item::Type(t) if is_pub(&t.vis) => {
                let gate = combine(outer, cfg_gate(&t.attrs));
                let mut alias = t.clone();
                alias.attrs.clear();
                self.push(&t.ident.to_string(), one_line(&syn::Item::Type(alias)), gate);
            }
            syn::Item::Const(c) if is_pub(&c.vis) => {
                let gate = combine(outer, cfg_gate(&c.attrs));
                self.push(&c.ident.to_string(), const_signature(&c.ident, &c.ty), gate);
            }
            syn::Item::Fn(f) if is_pub(&f.vis) => {
                let gate = combine(outer, cfg_gate(&f.attrs));
                self.push(&f.sig.ident.to_string(), fn_signature(&f.sig), gate);
            }
            syn::Item::Trait(t) if is_pub(&t.vis) => {
                let gate = combine(outer, cfg_gate(&t.attrs));
                self.push(&t.ident.to_string(), format!("pub trait {}", t.ident), gate);
            }
            syn::Item::Use(u) if is_pub(&u.vis) => {
                let gate = combine(outer, cfg_gate(&u.attrs));
                let mut used = u.clone();
                used.attrs.clear();
                let text = one_line(&syn::Item::Use(used));
                self.push(text.trim_end_matches(';'), text.clone(), gate);
            }
            syn::Item::Impl(i) => self.impl_block(i, outer),
            syn::Item::Mod(m) if is_pub(&m.vis) => {
                if let Some((_, inner)) = &m.content {
                    let gate = combine(outer, cfg_gate(&m.attrs));
                    let module = join(&self.module, &m.ident.to_string());
                    let mut nested = Walker { module, out: &mut *self.out };
                    nested.items(inner, gate.as_deref());
                }
            }
            _ => {}
        }
    }

    /// A trait impl as one line (`impl From<Cat> for Pet`); an inherent impl
    /// as one line per `pub fn` and `pub const`, named after the self type.
    fn impl_block(&mut self, block: &syn::ItemImpl, outer: Option<&str>) {
        let gate = combine(outer, cfg_gate(&block.attrs));
        let self_ty = rust_text(&block.self_ty.to_token_stream().to_string());
        let owner = self.owner_path(&block.self_ty);
        if let Some((_, trait_path, _)) = &block.trait_ {
            let trait_text = rust_text(&trait_path.to_token_stream().to_string());
            if !trait_text.contains("__private") && !is_hidden(&block.attrs) {
                let signature = format!("impl {trait_text} for {self_ty}");
                self.out.push(SurfaceItem { path: owner, signature, gate, module: self.module.clone() });
            }
            return;
        }
        for member in block.items.iter().filter(|m| !member_hidden(m)) {
            match member {
                syn::ImplItem::Fn(f) if is_pub(&f.vis) => {
                    let path = format!("{owner}::{}", f.sig.ident);
                    let gate = combine(gate.as_deref(), cfg_gate(&f.attrs));
                    self.out.push(SurfaceItem {
                        path,
                        signature: fn_signature(&f.sig),
                        gate,
                        module: self.module.clone(),
                    });
                }
                syn::ImplItem::Const(c) if is_pub(&c.vis) => {
                    let path = format!("{owner}::{}", c.ident);
                    let gate = combine(gate.as_deref(), cfg_gate(&c.attrs));
                    let signature = const_signature(&c.ident, &c.ty);
                    self.out.push(SurfaceItem { path, signature, gate, module: self.module.clone() });
                }
                _ => {}
            }
        }
    }

    /// The path of an impl's self type: `super::Client` in `apono::widgets`
    /// is `apono::Client`; a plain name is in this module.
    fn owner_path(&self, self_ty: &syn::Type) -> String {
        let syn::Type::Path(path) = self_ty else {
            return join(&self.module, &rust_text(&self_ty.to_token_stream().to_string()));
        };
        let mut module: Vec<String> = self.module.split("::").filter(|s| !s.is_empty()).map(str::to_string).collect();
        let mut names = Vec::new();
        for segment in &path.path.segments {
            match segment.ident.to_string().as_str() {
                "super" => {
                    module.pop();
                }
                "self" => {}
                "crate" => module.clear(),
                name => names.push(name.to_string()),
            }
        }
        module.extend(names);
        module.join("::")
    }

    fn push(&mut self, name: &str, signature: String, gate: Option<String>) {
        self.out.push(SurfaceItem { path: join(&self.module, name), signature, gate, module: self.module.clone() });
    }
}

fn join(module: &str, name: &str) -> String {
    if module.is_empty() {
        name.to_string()
    } else {
        format!("{module}::{name}")
    }
}

/// `#[doc(hidden)]`: not part of the API users are meant to call.
fn is_hidden(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("doc") && a.meta.require_list().is_ok_and(|list| list.tokens.to_string().contains("hidden"))
    })
}

fn item_hidden(item: &syn::Item) -> bool {
    match item {
        syn::Item::Struct(s) => is_hidden(&s.attrs),
        syn::Item::Enum(e) => is_hidden(&e.attrs),
        syn::Item::Fn(f) => is_hidden(&f.attrs),
        syn::Item::Type(t) => is_hidden(&t.attrs),
        syn::Item::Const(c) => is_hidden(&c.attrs),
        syn::Item::Mod(m) => is_hidden(&m.attrs),
        syn::Item::Use(u) => is_hidden(&u.attrs),
        _ => false,
    }
}

fn member_hidden(member: &syn::ImplItem) -> bool {
    match member {
        syn::ImplItem::Fn(f) => is_hidden(&f.attrs),
        syn::ImplItem::Const(c) => is_hidden(&c.attrs),
        _ => false,
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// The predicate of the item's `#[cfg(…)]` attributes (several are joined
/// with `all`), without the attribute around it.
fn cfg_gate(attrs: &[syn::Attribute]) -> Option<String> {
    let predicates: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .filter_map(|a| a.meta.require_list().ok())
        .map(|list| one_line_tokens(&list.tokens.to_string()).replace(" (", "("))
        .collect();
    match predicates.len() {
        0 => None,
        1 => predicates.into_iter().next(),
        _ => Some(format!("all({})", predicates.join(", "))),
    }
}

/// An item's gate inside an outer one.
fn combine(outer: Option<&str>, own: Option<String>) -> Option<String> {
    match (outer, own) {
        (None, own) => own,
        (Some(outer), None) => Some(outer.to_string()),
        (Some(outer), Some(own)) if outer == own => Some(own),
        (Some(outer), Some(own)) => Some(format!("all({outer}, {own})")),
    }
}

/// The attributes that belong to a type's signature: `#[non_exhaustive]`
/// and its derives (trait impls users rely on: `Default`, `Clone`, …).
fn signature_attrs(attrs: &[syn::Attribute]) -> Vec<syn::Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("non_exhaustive") || a.path().is_ident("derive")).cloned().collect()
}

/// `#[non_exhaustive] pub struct Pet { pub id: i64, pub name: String }`; private
/// fields show as `/* private fields */`.
fn struct_signature(item: &syn::ItemStruct) -> String {
    let mut s = item.clone();
    s.attrs = signature_attrs(&item.attrs);
    let mut private = false;
    if let syn::Fields::Named(named) = &mut s.fields {
        let kept: syn::punctuated::Punctuated<syn::Field, syn::Token![,]> = named
            .named
            .iter()
            .filter(|f| {
                private |= !is_pub(&f.vis);
                is_pub(&f.vis)
            })
            .cloned()
            .map(|mut f| {
                f.attrs.clear();
                f
            })
            .collect();
        named.named = kept;
    }
    if let syn::Fields::Unnamed(unnamed) = &mut s.fields {
        for field in unnamed.unnamed.iter_mut() {
            field.attrs.clear();
        }
    }
    let text = one_line(&syn::Item::Struct(s));
    if private {
        mark_private(&text)
    } else {
        text
    }
}

/// `… { pub id: i64 }` → `… { pub id: i64, /* private fields */ }`.
fn mark_private(text: &str) -> String {
    match text.strip_suffix('}') {
        Some(head) if head.trim_end().ends_with('{') => {
            format!("{}{{ /* private fields */ }}", head.trim_end().trim_end_matches('{'))
        }
        Some(head) => format!("{}, /* private fields */ }}", head.trim_end().trim_end_matches(',')),
        None => format!("{text} /* private fields */"),
    }
}

/// `#[non_exhaustive] pub enum Status { Active, Unknown(UnknownValue) }`.
fn enum_signature(item: &syn::ItemEnum) -> String {
    let mut e = item.clone();
    e.attrs = signature_attrs(&item.attrs);
    for variant in e.variants.iter_mut() {
        variant.attrs.clear();
        variant.discriminant = None;
        for field in variant.fields.iter_mut() {
            field.attrs.clear();
        }
    }
    one_line(&syn::Item::Enum(e))
}

/// `pub const DEFAULT_BASE_URL: &'static str` (the value is not API).
fn const_signature(ident: &syn::Ident, ty: &syn::Type) -> String {
    format!("pub const {ident}: {}", rust_text(&one_line_tokens(&ty.to_token_stream().to_string())))
}

/// `pub async fn send(self) -> Result<Widget, Error>`: the signature as
/// prettyplease prints it, on one line, with `mut` receivers plain (`mut
/// self` is the body's business).
fn fn_signature(sig: &syn::Signature) -> String {
    let mut sig = sig.clone();
    for input in sig.inputs.iter_mut() {
        match input {
            syn::FnArg::Receiver(receiver) if receiver.reference.is_none() => receiver.mutability = None,
            syn::FnArg::Typed(typed) => {
                typed.attrs.clear();
                if let syn::Pat::Ident(ident) = &mut *typed.pat {
                    ident.mutability = None;
                }
            }
            syn::FnArg::Receiver(_) => {}
        }
    }
    let item = syn::Item::Fn(syn::ItemFn {
        attrs: Vec::new(),
        vis: syn::parse_quote!(pub),
        sig,
        block: Box::new(syn::parse_quote!({})),
    });
    one_line(&item).trim_end_matches("{}").trim_end().to_string()
}

/// An item formatted by prettyplease, joined onto one line, paths shortened.
fn one_line(item: &syn::Item) -> String {
    let file = syn::File { shebang: None, attrs: Vec::new(), items: vec![item.clone()] };
    let text = prettyplease::unparse(&file);
    let joined: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut line = String::new();
    for part in joined {
        let glue = !line.is_empty() && !line.ends_with(['(', '<', '[']) && !part.starts_with([')', '>', ']']);
        if glue {
            line.push(' ');
        }
        line.push_str(part);
    }
    tidy(&rust_text(&line))
}

/// Token text (`Vec < String >`) made readable (`Vec<String>`).
fn one_line_tokens(text: &str) -> String {
    let mut out = text.to_string();
    for (from, to) in
        [(" < ", "<"), (" <", "<"), ("< ", "<"), (" >", ">"), (" ,", ","), (" :: ", "::"), (":: ", "::"), ("& ", "&")]
    {
        out = out.replace(from, to);
    }
    out.replace("( ", "(").replace(" )", ")")
}

/// Trailing commas before a closing brace or parenthesis dropped.
fn tidy(line: &str) -> String {
    line.replace(", }", " }").replace(",)", ")").replace(", )", ")").replace(",>", ">")
}

/// Paths as a user writes them: std items by their name, `crate::` and
/// `super::` dropped, no leading `::`.
fn rust_text(text: &str) -> String {
    static STD: OnceLock<Option<regex_lite::Regex>> = OnceLock::new();
    static OTHER: OnceLock<Option<regex_lite::Regex>> = OnceLock::new();
    let std_paths =
        STD.get_or_init(|| regex_lite::Regex::new(r"(?:::)?\b(?:std|core|alloc)::(?:[a-z_][a-z0-9_]*::)*").ok());
    let other = OTHER.get_or_init(|| regex_lite::Regex::new(r"(?:^|\B)::|\bcrate::|\b(?:super::)+").ok());
    let text = one_line_tokens(text);
    let text = match std_paths {
        Some(re) => re.replace_all(&text, "").into_owned(),
        None => text,
    };
    match other {
        Some(re) => re.replace_all(&text, "").into_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing_of(text: &str) -> Vec<String> {
        let mut files = Files::new();
        files.insert("src/api/mod.rs".into(), "#[cfg(feature = \"pets\")] pub mod pets;\npub struct Client;".into());
        files.insert("src/api/pets.rs".into(), text.into());
        items(&files).unwrap().iter().map(SurfaceItem::line).collect()
    }

    #[test]
    fn methods_are_named_after_their_owner_with_the_module_gate() {
        let lines = listing_of(
            "impl super::Client { pub fn list_pets(&self, owner: impl ::std::convert::Into<::std::string::String>) -> ListPets { todo!() } fn private(&self) {} }",
        );
        assert_eq!(lines, [
            "api::Client: pub struct Client;",
            "api::Client::list_pets: pub fn list_pets(&self, owner: impl Into<String>) -> ListPets  #[cfg(feature = \"pets\")]",
        ]);
    }

    #[test]
    fn structs_list_pub_fields_and_trait_impls_their_header() {
        let lines = listing_of(
            "/// Doc\n#[derive(Debug, Clone)]\n#[non_exhaustive]\n#[cfg(any(feature = \"pets\", feature = \"x\"))]\npub struct Pet { /// id\n pub id: i64, pub tag: ::std::option::Option<crate::runtime::Tag>, secret: u8 }\nimpl ::std::convert::From<Cat> for Pet { fn from(c: Cat) -> Self { todo!() } }\nimpl Pet { pub fn new(mut id: i64) -> Self { todo!() } pub fn tag(mut self, tag: Tag) -> Self { self } }",
        );
        assert_eq!(lines[1], "api::pets::Pet: #[derive(Debug, Clone)] #[non_exhaustive] pub struct Pet { pub id: i64, pub tag: Option<runtime::Tag>, /* private fields */ }  #[cfg(all(feature = \"pets\", any(feature = \"pets\", feature = \"x\")))]");
        assert_eq!(lines[2], "api::pets::Pet: impl From<Cat> for Pet  #[cfg(feature = \"pets\")]");
        assert_eq!(lines[3], "api::pets::Pet::new: pub fn new(id: i64) -> Self  #[cfg(feature = \"pets\")]");
        assert_eq!(lines[4], "api::pets::Pet::tag: pub fn tag(self, tag: Tag) -> Self  #[cfg(feature = \"pets\")]");
    }

    #[test]
    fn features_are_read_from_the_gate() {
        let item = SurfaceItem {
            path: "x".into(),
            signature: "y".into(),
            gate: Some("all(feature = \"a\", any(feature = \"b\", feature = \"a\"))".into()),
            module: String::new(),
        };
        assert_eq!(item.features(), ["a", "b"]);
    }

    #[test]
    fn invalid_rust_is_an_error() {
        let mut files = Files::new();
        files.insert("src/lib.rs".into(), "pub fn (".into());
        assert!(items(&files).is_err());
    }
}
