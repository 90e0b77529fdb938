//! Per-tag cargo features: compile only the operations (and the types they
//! need) that a user asks for.
//!
//! Each tag module gets a cargo feature; a type compiles when a feature whose
//! operations need it is on. "Need" is reachability in the model: from an
//! operation's parameters, body, responses (success, errors, the per-operation
//! response enum) and pagination types, transitively through struct fields,
//! `additionalProperties`, union variants and alias targets. So a type gets one
//! of three gates:
//!
//! - [`Gate::Always`]: reachable from a client-level parameter (`x-client-default`,
//!   configured on the client builder, which is never gated);
//! - [`Gate::Tags`]: needed by these tags: `#[cfg(feature = "a")]`, or
//!   `#[cfg(any(feature = "a", feature = "b"))]` when several tags share it;
//! - [`Gate::Unused`]: needed by no operation (a component schema nothing
//!   refers to): compiled with the feature that enables every tag (`full`),
//!   so that feature still builds exactly what an ungated crate builds, and
//!   a single-tag build pays nothing for schemas it cannot use.
//!
//! Gating adds `#[cfg]` attributes and nothing else: with every feature on,
//! the code and names are those of an ungated crate.

use indexmap::{IndexMap, IndexSet};

use super::build::reachable;
use super::type_refs::Site;
use super::{Api, Operation};
use crate::naming::Namespace;

/// Standalone crates with more operations than this get per-tag features
/// unless told otherwise ([`TagFeatures::Auto`]). Below it, a whole crate checks
/// in a few seconds and the feature list would be noise; above it (the GitHub
/// spec has ~900 operations in 30+ tags), compiling one tag instead of all
/// saves most of the build.
pub const AUTO_THRESHOLD: usize = 100;

/// Feature names a standalone crate already uses (or that name its
/// dependencies): a tag feature never takes one of them.
pub const RESERVED_FEATURES: &[&str] = &[
    "default",
    "full",
    "rustls",
    "native-tls",
    "tracing",
    "bytes",
    "chrono",
    "futures",
    "percent-encoding",
    "reqwest",
    "serde",
    "serde_json",
    "serde_path_to_error",
    "serde_urlencoded",
    "thiserror",
    "tokio",
    "url",
    "uuid",
];

/// Whether to generate per-tag cargo features.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TagFeatures {
    /// Standalone crates with more than [`AUTO_THRESHOLD`] operations in
    /// at least two tags get them; modules of an existing crate do not.
    #[default]
    Auto,
    /// Always.
    On,
    /// Never.
    Off,
}

impl TagFeatures {
    /// Whether an API with `operations` operations in `tags` tags is gated.
    pub fn enabled(self, standalone: bool, operations: usize, tags: usize) -> bool {
        match self {
            TagFeatures::On => true,
            TagFeatures::Off => false,
            // One tag: its feature would be `full` under another name.
            TagFeatures::Auto => standalone && operations > AUTO_THRESHOLD && tags > 1,
        }
    }
}

/// When a type compiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// Always (client-level parameters use it).
    Always,
    /// When any of these tag modules is on (module names, in `Api::tags` order).
    Tags(Vec<String>),
    /// No operation needs it: with the feature that enables everything.
    Unused,
}

/// The cargo features of one API and the gate of each of its types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeaturePlan {
    /// Tag module → its cargo feature, in tag order.
    pub tag_features: IndexMap<String, String>,
    /// The feature enabling every tag and the types no operation needs:
    /// `full` in a standalone crate, the API's own feature (`apono`) in a module.
    pub all_feature: String,
    /// In a module of a bigger crate: the feature that compiles the module
    /// itself (client, ungated types), enabled by every tag feature
    /// (`apono-client`). `None` in a standalone crate, whose root always compiles.
    pub base_feature: Option<String>,
    /// Each type's gate, in `Api::types` order.
    pub gates: IndexMap<String, Gate>,
}

impl FeaturePlan {
    /// A standalone crate: features named after the tag modules (`_` → `-`),
    /// renamed `<name>-tag` when that is one of [`RESERVED_FEATURES`], numbered
    /// when two tags still collide.
    pub fn standalone(api: &Api) -> Self {
        let mut names = Namespace::with_reserved(RESERVED_FEATURES);
        let tag_features = api
            .tags
            .keys()
            .map(|module| {
                let wanted = kebab(module);
                let name = if RESERVED_FEATURES.contains(&wanted.as_str()) { format!("{wanted}-tag") } else { wanted };
                (module.clone(), names.claim(&name))
            })
            .collect();
        FeaturePlan { tag_features, all_feature: "full".into(), base_feature: None, gates: type_gates(api) }
    }

    /// A module of a crate that holds several APIs behind features: tag
    /// features are `<api_feature>-<tag>`, the module compiles with
    /// `<api_feature>-client`, and `<api_feature>` enables every tag.
    pub fn module(api: &Api, api_feature: &str) -> Self {
        let base = format!("{api_feature}-client");
        let mut names = Namespace::with_reserved(&[api_feature, &base]);
        let tag_features = api
            .tags
            .keys()
            .map(|module| (module.clone(), names.claim(&format!("{api_feature}-{}", kebab(module)))))
            .collect();
        FeaturePlan { tag_features, all_feature: api_feature.into(), base_feature: Some(base), gates: type_gates(api) }
    }

    /// The features of `gate`, or `None` when the type is never gated.
    pub fn features_of(&self, gate: &Gate) -> Option<Vec<&str>> {
        match gate {
            Gate::Always => None,
            Gate::Tags(modules) => {
                Some(modules.iter().filter_map(|m| self.tag_features.get(m).map(String::as_str)).collect())
            }
            Gate::Unused => Some(vec![self.all_feature.as_str()]),
        }
    }
}

/// A module name as a feature name: `code_scanning` → `code-scanning`
/// (`_2fa` → `2fa`, never empty).
fn kebab(module: &str) -> String {
    let name = module.trim_start_matches("r#").replace('_', "-");
    let name = name.trim_matches('-');
    if name.is_empty() {
        "tag".into()
    } else {
        name.into()
    }
}

/// The gate of every type of `api`, in `Api::types` order.
pub fn type_gates(api: &Api) -> IndexMap<String, Gate> {
    let mut needed_by: IndexMap<&str, IndexSet<usize>> = IndexMap::new();
    for (index, module) in api.tags.keys().enumerate() {
        let roots = api.operations.iter().filter(|op| op.tag == *module).flat_map(|op| operation_roots(op, false));
        for name in reachable(&api.types, roots) {
            needed_by.entry(name).or_default().insert(index);
        }
    }
    let always = reachable(&api.types, api.operations.iter().flat_map(|op| operation_roots(op, true)));
    api.types
        .keys()
        .map(|name| {
            let gate = if always.contains(name.as_str()) {
                Gate::Always
            } else if let Some(tags) = needed_by.get(name.as_str()) {
                let mut tags: Vec<usize> = tags.iter().copied().collect();
                tags.sort_unstable();
                Gate::Tags(tags.into_iter().filter_map(|i| api.tags.get_index(i).map(|(m, _)| m.clone())).collect())
            } else {
                Gate::Unused
            };
            (name.clone(), gate)
        })
        .collect()
}

/// The named types an operation's code mentions: with `client_level`, only
/// those of its client-level parameters; otherwise everything else.
fn operation_roots(op: &Operation, client_level: bool) -> Vec<&str> {
    op.named_types(|site| match site {
        Site::Param { client_level: param_level } => param_level == client_level,
        _ => !client_level,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{generate_str, Layout, Options};

    /// Tags `a` and `b`; `Shared` (and `Leaf`, through an alias and a union)
    /// is used by both, `OnlyA` by `a`, `Orphan` by nothing, `Ctx` by a
    /// client-level header.
    const SPEC: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      tags: [a]
      parameters:
        - {name: X-Ctx, in: header, required: true, x-client-default: true, schema: {$ref: '#/components/schemas/Ctx'}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/OnlyA'}}}}
        '404': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
  /b:
    post:
      operationId: postB
      tags: [b]
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Shared'}}}}
      responses:
        '201': {description: ok, content: {application/json: {schema: {type: object, properties: {x: {type: string}}}}}}
        '204': {description: ok}
        default: {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
components:
  schemas:
    Ctx: {type: string, enum: [x, y]}
    OnlyA: {type: object, properties: {shared: {$ref: '#/components/schemas/Shared'}}}
    Shared: {type: object, properties: {leaves: {$ref: '#/components/schemas/Leaves'}}}
    Leaves: {type: array, items: {$ref: '#/components/schemas/LeafOrText'}}
    LeafOrText: {oneOf: [{$ref: '#/components/schemas/Leaf'}, {type: string}]}
    Leaf: {type: object, properties: {v: {type: integer}}}
    Problem: {type: object, properties: {detail: {type: string}}}
    Orphan: {type: object, properties: {o: {type: string}}}
";

    fn api(spec: &str) -> Api {
        let options = Options { layout: Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
        generate_str(spec, "t.yaml", &options).unwrap_or_else(|e| panic!("{e}")).api
    }

    #[test]
    fn types_are_gated_on_the_tags_that_reach_them() {
        let api = api(SPEC);
        let gates = type_gates(&api);
        let tags = |list: &[&str]| Gate::Tags(list.iter().map(|s| s.to_string()).collect());
        assert_eq!(gates["Ctx"], Gate::Always);
        assert_eq!(gates["OnlyA"], tags(&["a"]));
        for shared in ["Shared", "Leaves", "LeafOrText", "Leaf", "Problem"] {
            assert_eq!(gates[shared], tags(&["a", "b"]), "{shared}");
        }
        // The response enum of `postB` and its inline 201 body.
        let b_only: Vec<&String> = gates.iter().filter(|(_, g)| **g == tags(&["b"])).map(|(n, _)| n).collect();
        assert_eq!(b_only, ["PostBCreatedResponse", "PostBResponse"]);
        assert_eq!(gates["Orphan"], Gate::Unused);
        assert_eq!(gates.len(), api.types.len());
    }

    #[test]
    fn feature_names_avoid_reserved_ones_and_each_other() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: {get: {operationId: a, tags: [full], responses: {'204': {description: ok}}}}\n  /b: {get: {operationId: b, tags: [Code Scanning], responses: {'204': {description: ok}}}}\n  /c: {get: {operationId: c, tags: [native_tls], responses: {'204': {description: ok}}}}\n  /d: {get: {operationId: d, tags: [full-tag], responses: {'204': {description: ok}}}}\n  /e: {get: {operationId: e, tags: [2fa], responses: {'204': {description: ok}}}}\n  /f: {get: {operationId: f, responses: {'204': {description: ok}}}}\n";
        let api = api(spec);
        let plan = FeaturePlan::standalone(&api);
        let names: Vec<&str> = plan.tag_features.values().map(String::as_str).collect();
        assert_eq!(names, ["full-tag", "code-scanning", "native-tls-tag", "full-tag2", "2fa", "default-tag"]);
        assert_eq!(plan.all_feature, "full");
        let module = FeaturePlan::module(&api, "gh");
        let names: Vec<&str> = module.tag_features.values().map(String::as_str).collect();
        assert_eq!(names, ["gh-full", "gh-code-scanning", "gh-native-tls", "gh-full-tag", "gh-2fa", "gh-default"]);
        assert_eq!((module.all_feature.as_str(), module.base_feature.as_deref()), ("gh", Some("gh-client")));
    }

    #[test]
    fn auto_gates_big_standalone_crates_only() {
        assert!(!TagFeatures::Auto.enabled(true, AUTO_THRESHOLD, 5));
        assert!(TagFeatures::Auto.enabled(true, AUTO_THRESHOLD + 1, 2));
        assert!(!TagFeatures::Auto.enabled(true, AUTO_THRESHOLD + 1, 1));
        assert!(!TagFeatures::Auto.enabled(false, 10_000, 5));
        assert!(TagFeatures::On.enabled(false, 1, 1));
        assert!(!TagFeatures::Off.enabled(true, 10_000, 5));
    }
}
