//! The public items of the runtime crate (`oapi-runtime`), as a snapshot:
//! every re-export of `runtime/src/lib.rs` with its definition (docs,
//! bodies, private fields and `#[doc(hidden)]` members left out) and the
//! public methods of each type, so any change to the runtime's promises
//! shows in review. The hidden `__private` module is listed by name.

use std::collections::BTreeMap;

use integration_tests::workspace_root;
use syn::{Attribute, ImplItem, Item, UseTree, Visibility};

fn is_hidden(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("doc") && a.meta.require_list().is_ok_and(|l| l.tokens.to_string() == "hidden"))
}

/// Keeps the attributes that are part of the contract (`non_exhaustive`, `derive`).
fn contract_attrs(attrs: &mut Vec<Attribute>) {
    attrs.retain(|a| a.path().is_ident("non_exhaustive") || a.path().is_ident("derive"));
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// `(module, name)` of every `use` leaf under `tree`, `prefix` being the path so far.
fn leaves(tree: &UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        // `self::base64::…` (a module named like a crate) is listed as `base64::…`.
        UseTree::Path(p) if p.ident == "self" => leaves(&p.tree, prefix, out),
        UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            leaves(&p.tree, prefix, out);
            prefix.pop();
        }
        UseTree::Name(n) => out.push(prefix.iter().cloned().chain([n.ident.to_string()]).collect()),
        UseTree::Rename(r) => out.push(prefix.iter().cloned().chain([r.ident.to_string()]).collect()),
        UseTree::Glob(_) => out.push(prefix.iter().cloned().chain(["*".to_string()]).collect()),
        UseTree::Group(g) => g.items.iter().for_each(|t| leaves(t, prefix, out)),
    }
}

fn item_name(item: &Item) -> Option<String> {
    Some(match item {
        Item::Struct(i) => i.ident.to_string(),
        Item::Enum(i) => i.ident.to_string(),
        Item::Fn(i) => i.sig.ident.to_string(),
        Item::Trait(i) => i.ident.to_string(),
        Item::Const(i) => i.ident.to_string(),
        Item::Type(i) => i.ident.to_string(),
        _ => return None,
    })
}

/// The item as its contract: no docs, no bodies, no private fields.
fn signature(mut item: Item) -> Item {
    let empty: syn::Block = syn::parse_quote!({});
    match &mut item {
        Item::Struct(i) => {
            contract_attrs(&mut i.attrs);
            if let syn::Fields::Named(fields) = &mut i.fields {
                fields.named = fields
                    .named
                    .clone()
                    .into_iter()
                    .filter(|f| is_pub(&f.vis))
                    .map(|mut f| {
                        f.attrs.clear();
                        f
                    })
                    .collect();
            }
        }
        Item::Enum(i) => {
            contract_attrs(&mut i.attrs);
            for v in &mut i.variants {
                contract_attrs(&mut v.attrs);
                v.fields.iter_mut().for_each(|f| f.attrs.clear());
            }
        }
        Item::Fn(i) => {
            i.attrs.clear();
            *i.block = empty;
        }
        Item::Trait(i) => {
            i.attrs.clear();
            for member in &mut i.items {
                if let syn::TraitItem::Fn(f) = member {
                    f.attrs.clear();
                    f.default = None;
                }
            }
        }
        Item::Const(i) => {
            i.attrs.clear();
            *i.expr = syn::parse_quote!(..);
        }
        _ => {}
    }
    item
}

/// Public, visible methods and constants of `impl` blocks, and the traits implemented.
fn impl_signature(mut block: syn::ItemImpl) -> Option<syn::ItemImpl> {
    block.attrs.clear();
    if block.trait_.is_some() {
        block.items.clear();
        return Some(block);
    }
    block.items.retain(|member| match member {
        ImplItem::Fn(f) => is_pub(&f.vis) && !is_hidden(&f.attrs),
        ImplItem::Const(c) => is_pub(&c.vis) && !is_hidden(&c.attrs),
        _ => false,
    });
    for member in &mut block.items {
        match member {
            ImplItem::Fn(f) => {
                f.attrs.clear();
                f.block = syn::parse_quote!({});
            }
            ImplItem::Const(c) => {
                c.attrs.clear();
                c.expr = syn::parse_quote!(..);
            }
            _ => {}
        }
    }
    (!block.items.is_empty()).then_some(block)
}

fn self_type_name(block: &syn::ItemImpl) -> Option<String> {
    match &*block.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn render(items: Vec<Item>) -> String {
    prettyplease::unparse(&syn::File { shebang: None, attrs: Vec::new(), items })
}

#[test]
fn runtime_public_items() {
    let src = workspace_root().join("runtime/src");
    let read = |name: &str| -> syn::File {
        let path = src.join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let lib = read("lib.rs");
    let mut modules: BTreeMap<String, syn::File> = BTreeMap::new();
    let mut out = String::new();
    let mut exported: Vec<(String, Item)> = Vec::new();
    let mut sections: Vec<(String, Vec<Vec<String>>)> = vec![("crate root".into(), Vec::new())];
    for item in &lib.items {
        match item {
            Item::Use(u) if is_pub(&u.vis) => leaves(&u.tree, &mut Vec::new(), &mut sections[0].1),
            Item::Mod(m) if is_pub(&m.vis) => {
                let mut paths = Vec::new();
                for inner in m.content.iter().flat_map(|(_, items)| items) {
                    if let Item::Use(u) = inner {
                        leaves(&u.tree, &mut Vec::new(), &mut paths);
                    }
                }
                let hidden = if is_hidden(&m.attrs) { " (#[doc(hidden)])" } else { "" };
                sections.push((format!("mod {}{hidden}", m.ident), paths));
            }
            _ => {}
        }
    }
    for (section, paths) in &sections {
        out.push_str(&format!("// {section}\n"));
        for path in paths {
            out.push_str(&format!("pub use {};\n", path.join("::")));
        }
        out.push('\n');
    }
    // Definitions of the root re-exports of the runtime's own modules.
    for path in &sections[0].1 {
        let [module, name] = path.as_slice() else { continue };
        if !src.join(format!("{module}.rs")).exists() {
            continue;
        }
        let file = modules.entry(module.clone()).or_insert_with(|| read(&format!("{module}.rs")));
        let found = file.items.iter().find(|i| item_name(i).as_deref() == Some(name.as_str()));
        let item = found.unwrap_or_else(|| panic!("runtime/src/lib.rs re-exports {module}::{name}, not found"));
        exported.push((name.clone(), signature(item.clone())));
    }
    let names: Vec<String> = exported.iter().map(|(n, _)| n.clone()).collect();
    let all: Vec<syn::File> = std::fs::read_dir(&src)
        .expect("runtime/src")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rs") && n != "lib.rs" && !n.starts_with("tests"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|n| read(&n))
        .collect();
    for (name, item) in exported {
        out.push_str(&render(vec![item]));
        let impls: Vec<Item> = all
            .iter()
            .flat_map(|f| &f.items)
            .filter_map(|i| match i {
                Item::Impl(b) if self_type_name(b).as_deref() == Some(name.as_str()) => impl_signature(b.clone()),
                _ => None,
            })
            .map(Item::Impl)
            .collect();
        if !impls.is_empty() {
            out.push_str(&render(impls));
        }
        out.push('\n');
    }
    // Public modules declared out of line (`pub mod mock;`, behind a feature):
    // their visible items and those items' methods and traits.
    for item in &lib.items {
        let Item::Mod(m) = item else { continue };
        if !is_pub(&m.vis) || m.content.is_some() || is_hidden(&m.attrs) {
            continue;
        }
        let file = read(&format!("{}.rs", m.ident));
        out.push_str(&format!(
            "// pub mod {}: its public items
",
            m.ident
        ));
        let visible = |vis: &Visibility, attrs: &[Attribute]| is_pub(vis) && !is_hidden(attrs);
        let items: Vec<Item> = file
            .items
            .iter()
            .filter(|i| match i {
                Item::Struct(x) => visible(&x.vis, &x.attrs),
                Item::Enum(x) => visible(&x.vis, &x.attrs),
                Item::Fn(x) => visible(&x.vis, &x.attrs),
                Item::Trait(x) => visible(&x.vis, &x.attrs),
                Item::Const(x) => visible(&x.vis, &x.attrs),
                Item::Type(x) => visible(&x.vis, &x.attrs),
                _ => false,
            })
            .cloned()
            .collect();
        let own: Vec<String> = items.iter().filter_map(item_name).collect();
        for item in items {
            out.push_str(&render(vec![signature(item)]));
        }
        let impls: Vec<Item> = file
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Impl(b) if self_type_name(b).is_some_and(|n| own.contains(&n)) => impl_signature(b.clone()),
                _ => None,
            })
            .map(Item::Impl)
            .collect();
        out.push_str(&render(impls));
        out.push('\n');
    }
    assert!(names.contains(&"Error".to_string()));
    insta::assert_snapshot!(out);
}
