//! Per-tag cargo features in the output: `#[cfg]` attributes on tag modules
//! and types (decided by `model::features`), and the `[features]` entries of
//! the manifest. Without a plan nothing here is called and the output is
//! exactly what it was before features existed.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::features::FeaturePlan;

/// `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", feature = "b"))]`;
/// `None` for an empty list (never gated).
pub fn cfg_attribute(features: &[&str]) -> Option<TokenStream> {
    match features {
        [] => None,
        [only] => Some(quote! { #[cfg(feature = #only)] }),
        many => Some(quote! { #[cfg(any( #( feature = #many ),* ))] }),
    }
}

/// The attribute of tag module `module`.
pub fn tag_module_cfg(plan: &FeaturePlan, module: &str) -> Option<TokenStream> {
    let feature = plan.tag_features.get(module)?;
    cfg_attribute(&[feature.as_str()])
}

/// The `#[cfg]` attribute an item carries; `None` when it is not gated.
/// Item emitters put it on each item they write, after its doc comments.
pub type Cfg<'a> = Option<&'a TokenStream>;

/// The attribute of the items of type `name` (the type and its impls): the
/// features that need it; `None` for a type every build needs.
pub fn type_gate(plan: &FeaturePlan, name: &str) -> Option<TokenStream> {
    let features = plan.gates.get(name).and_then(|gate| plan.features_of(gate))?;
    cfg_attribute(&features)
}

/// A TOML array of strings, one per line when long.
fn toml_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
    let one_line = format!("[{}]", quoted.join(", "));
    if one_line.len() <= 80 {
        return one_line;
    }
    let lines: String = quoted.iter().map(|q| format!("    {q},\n")).collect();
    format!("[\n{lines}]")
}

/// The tag entries of a standalone crate's `[features]` table (`full` and
/// one per tag); `default` enables `full`.
pub fn standalone_features(plan: &FeaturePlan) -> String {
    let tags: Vec<&str> = plan.tag_features.values().map(String::as_str).collect();
    let mut out = String::from(
        "# One feature per tag module: its operations and the types they need, e.g.\n\
         # `default-features = false, features = [\"<tag>\", \"rustls\"]`.\n\
         # `full` (a default feature) enables every tag and the schemas no operation uses.\n",
    );
    out.push_str(&format!("{} = {}\n", plan.all_feature, toml_list(&tags)));
    for tag in tags {
        out.push_str(&format!("{tag} = []\n"));
    }
    out
}

/// The entries of a module's features in the manifest of the crate holding
/// it: `<api>` (every tag), `<api>-client` (the module alone) and one per tag.
pub fn module_features(plan: &FeaturePlan, title: &str) -> String {
    let base = plan.base_feature.as_deref().unwrap_or_default();
    let mut all: Vec<&str> = vec![base];
    all.extend(plan.tag_features.values().map(String::as_str));
    let mut out = format!(
        "# {title}.\n# `{api}`: every tag; `{base}`: the client alone, which each tag enables.\n",
        api = plan.all_feature,
        title = title.trim(),
    );
    out.push_str(&format!("{} = {}\n", plan.all_feature, toml_list(&all)));
    out.push_str(&format!("{base} = []\n"));
    for tag in plan.tag_features.values() {
        out.push_str(&format!("{tag} = [\"{base}\"]\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::features::TagFeatures;
    use crate::model::TypeKind;
    use crate::{generate_str_with, Layout, Options};

    const SPEC: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      tags: [a]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Shared'}}}}}
  /b:
    get:
      operationId: getB
      tags: [b]
      parameters: [{name: s, in: query, schema: {type: string, enum: [x, y]}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Shared'}}}}}
components:
  schemas:
    Shared: {type: object, description: Shared by both., properties: {v: {type: integer}}}
    Orphan: {type: object, properties: {o: {type: string}}}
";

    fn files(layout: Layout, features: TagFeatures) -> crate::Files {
        let options = Options { layout, preamble: "// test".into(), mock: false };
        generate_str_with(SPEC, "t.yaml", &options, features).unwrap_or_else(|e| panic!("{e}")).files
    }

    #[test]
    fn standalone_crate_gates_modules_and_types() {
        let files = files(
            Layout::Standalone { crate_name: "t".into(), runtime: crate::RuntimeSource::Vendored },
            TagFeatures::On,
        );
        let lib = &files["src/lib.rs"];
        assert!(lib.contains("#[cfg(feature = \"a\")]\npub mod a;"), "{lib}");
        assert!(lib.contains("pub mod types;\n"), "{lib}");
        let types = &files["src/types.rs"];
        assert!(
            types.contains("/// Shared by both.\n#[cfg(any(feature = \"a\", feature = \"b\"))]\n#[derive("),
            "{types}"
        );
        assert!(types.contains("#[cfg(feature = \"b\")]\n#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]\n#[non_exhaustive]\npub enum GetBs"), "{types}");
        // Every impl of the enum is gated too.
        assert_eq!(types.matches("#[cfg(feature = \"b\")]\nimpl").count(), 6, "{types}");
        assert!(types.contains("#[cfg(feature = \"full\")]\n#[derive("), "{types}");
        let manifest = &files["Cargo.toml"];
        assert!(manifest.contains("default = [\"full\", \"rustls\", \"tracing\"]"), "{manifest}");
        assert!(manifest.contains("full = [\"a\", \"b\"]\na = []\nb = []\n"), "{manifest}");
    }

    /// A type of every kind and every impl an emitter writes beside it: a
    /// struct with a builder, `validate()` and a redacting `Debug`; an enum;
    /// a tagged union (its `From` impls) and a guarded one; an alias; a
    /// success enum.
    const EVERY_KIND: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    post:
      operationId: postA
      tags: [a]
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Login'}}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
        '201': {description: made, content: {text/plain: {schema: {type: string}}}}
        '204': {description: none}
components:
  schemas:
    Login:
      type: object
      required: [a, b, c, password]
      properties:
        a: {type: string, maxLength: 8}
        b: {type: string}
        c: {type: string}
        password: {type: string, format: password}
    Cat: {type: object, required: [kind], properties: {kind: {type: string}}}
    Dog: {type: object, required: [kind], properties: {kind: {type: string}}}
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator: {propertyName: kind}
    Range: {type: object, required: [type], properties: {type: {type: string, enum: [range]}, lo: {type: integer}}}
    Filter: {oneOf: [{$ref: '#/components/schemas/Range'}, {type: string}]}
    Names: {type: array, items: {type: string}}
";

    /// Each emitter puts the gate on every item it writes: nothing in the
    /// types file of a crate whose every type is gated is left without one.
    #[test]
    fn every_item_of_a_gated_type_carries_the_gate() {
        let options = Options {
            layout: Layout::Standalone { crate_name: "t".into(), runtime: crate::RuntimeSource::Vendored },
            preamble: "// test".into(),
            mock: false,
        };
        let output =
            generate_str_with(EVERY_KIND, "t.yaml", &options, TagFeatures::On).unwrap_or_else(|e| panic!("{e}"));
        let kinds: Vec<&str> = output
            .api
            .types
            .values()
            .map(|def| match def.kind {
                TypeKind::Struct { .. } => "struct",
                TypeKind::Enum { .. } => "enum",
                TypeKind::Union { .. } => "union",
                TypeKind::Alias(_) => "alias",
                TypeKind::Responses { .. } => "success enum",
            })
            .collect();
        for kind in ["struct", "enum", "union", "alias", "success enum"] {
            assert!(kinds.contains(&kind), "no {kind} in {kinds:?}");
        }
        let types = &output.files["src/types.rs"];
        let file = syn::parse_file(types).unwrap_or_else(|e| panic!("{e}"));
        assert!(file.items.len() > 20, "{types}");
        for item in &file.items {
            let text = quote::ToTokens::to_token_stream(item).to_string();
            assert!(text.contains("# [cfg (feature ="), "ungated: {text}");
        }
    }

    #[test]
    fn gating_only_adds_cfg_attributes() {
        let layout = Layout::Standalone { crate_name: "t".into(), runtime: crate::RuntimeSource::Vendored };
        let gated = files(layout.clone(), TagFeatures::On);
        let plain = files(layout, TagFeatures::Off);
        assert_eq!(gated.keys().collect::<Vec<_>>(), plain.keys().collect::<Vec<_>>());
        for (path, text) in &gated {
            if path.ends_with(".rs") && !path.starts_with("src/runtime/") {
                let without: String =
                    text.lines().filter(|l| !l.trim_start().starts_with("#[cfg(")).map(|l| format!("{l}\n")).collect();
                assert_eq!(without, plain[path], "{path}");
            }
        }
        assert!(!plain["Cargo.toml"].contains("full"));
    }

    #[test]
    fn modules_use_prefixed_features() {
        let files = files(Layout::Module { name: "my_api".into() }, TagFeatures::On);
        let root = &files["src/my_api/mod.rs"];
        assert!(root.contains("#[cfg(feature = \"my-api-a\")]\npub mod a;"), "{root}");
        assert!(files["src/my_api/types.rs"].contains("#[cfg(feature = \"my-api\")]\n#[derive("));
        // Auto never gates a module.
        let files = super::super::super::generate_str(
            SPEC,
            "t.yaml",
            &Options { layout: Layout::Module { name: "my_api".into() }, preamble: String::new(), mock: false },
        );
        assert!(!files.unwrap_or_else(|e| panic!("{e}")).files.values().any(|f| f.contains("#[cfg(")));
    }

    #[test]
    fn manifest_entries() {
        let options =
            Options { layout: Layout::Module { name: "my_api".into() }, preamble: String::new(), mock: false };
        let output = generate_str_with(SPEC, "t.yaml", &options, TagFeatures::On).unwrap_or_else(|e| panic!("{e}"));
        let plan = output.features.expect("a plan");
        assert_eq!(
            module_features(&plan, "T "),
            "# T.\n# `my-api`: every tag; `my-api-client`: the client alone, which each tag enables.\n\
             my-api = [\"my-api-client\", \"my-api-a\", \"my-api-b\"]\n\
             my-api-client = []\n\
             my-api-a = [\"my-api-client\"]\n\
             my-api-b = [\"my-api-client\"]\n"
        );
        let long: Vec<String> = (0..20).map(|i| format!("tag-{i}")).collect();
        let long: Vec<&str> = long.iter().map(String::as_str).collect();
        assert!(toml_list(&long).starts_with("[\n    \"tag-0\",\n"));
    }
}
