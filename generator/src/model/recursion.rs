//! Breaks recursive cycles with `Box`: a struct that contains itself directly
//! (not through a `Vec` or a map, which already allocate) would have infinite size.
//! Cycles of type aliases cannot be boxed at all: they are cut with JSON values.

use indexmap::IndexMap;

use super::{TypeDef, TypeKind, TypeRef};

/// Boxes every direct field or variant whose type lies on a cycle back to its owner.
pub fn box_cycles(types: &mut IndexMap<String, TypeDef>) {
    let edges: IndexMap<String, Vec<String>> =
        types.iter().map(|(name, def)| (name.clone(), direct_edges(&def.kind))).collect();
    let components = strongly_connected(&edges);
    for (name, def) in types.iter_mut() {
        let Some(&component) = components.get(name) else { continue };
        let on_cycle = |target: &str| components.get(target) == Some(&component);
        match &mut def.kind {
            TypeKind::Struct { fields, .. } => {
                for field in fields {
                    box_if(&mut field.ty, &on_cycle);
                }
            }
            TypeKind::Union { variants, .. } => {
                for variant in variants {
                    box_if(&mut variant.ty, &on_cycle);
                }
            }
            TypeKind::Alias(target) => box_if(target, &on_cycle),
            // No type refers to a success enum (only its operation does), so
            // it is on no cycle.
            TypeKind::Responses { .. } | TypeKind::Enum { .. } => {}
        }
    }
}

/// Type aliases may not refer to themselves, not even through `Vec` or `Box`
/// (`type Tree = Vec<Tree>;` does not compile). Inside an alias on such a
/// cycle, each reference to an alias of the same cycle becomes a JSON value;
/// returns the pointers of the aliases changed, for warnings.
pub fn break_alias_cycles(types: &mut IndexMap<String, TypeDef>) -> Vec<String> {
    let is_alias = |def: &TypeDef| matches!(def.kind, TypeKind::Alias(_));
    let edges: IndexMap<String, Vec<String>> = types
        .iter()
        .filter(|(_, def)| is_alias(def))
        .map(|(name, def)| {
            let mut names = Vec::new();
            if let TypeKind::Alias(target) = &def.kind {
                target.names(&mut names);
            }
            let aliases = names.into_iter().filter(|n| types.get(*n).is_some_and(is_alias)).map(str::to_string);
            (name.clone(), aliases.collect())
        })
        .collect();
    let components = strongly_connected(&edges);
    let mut changed = Vec::new();
    for (name, def) in types.iter_mut() {
        let Some(&component) = components.get(name) else { continue };
        if let TypeKind::Alias(target) = &mut def.kind {
            replace_names(target, &|n: &str| components.get(n) == Some(&component));
            changed.push(def.pointer.clone());
        }
    }
    changed
}

/// Replaces every named type matching `hit` inside `ty` (collections included) by a JSON value.
fn replace_names(ty: &mut TypeRef, hit: &impl Fn(&str) -> bool) {
    match ty {
        TypeRef::Named(name) if hit(name) => *ty = TypeRef::Json,
        other => other.children_mut().iter_mut().for_each(|child| replace_names(child, hit)),
    }
}

fn box_if(ty: &mut TypeRef, on_cycle: &impl Fn(&str) -> bool) {
    match ty {
        TypeRef::Named(name) if on_cycle(name) => *ty = TypeRef::Boxed(Box::new(ty.clone())),
        TypeRef::Option(inner) => box_if(inner, on_cycle),
        _ => {}
    }
}

fn direct_edges(kind: &TypeKind) -> Vec<String> {
    let direct = |ty: &TypeRef| ty.direct_name().map(str::to_string);
    match kind {
        TypeKind::Struct { fields, .. } => fields.iter().filter_map(|f| direct(&f.ty)).collect(),
        TypeKind::Union { variants, .. } => variants.iter().filter_map(|v| direct(&v.ty)).collect(),
        TypeKind::Responses { variants } => variants.iter().filter_map(|v| v.body.as_ref().and_then(direct)).collect(),
        TypeKind::Alias(target) => direct(target).into_iter().collect(),
        TypeKind::Enum { .. } => Vec::new(),
    }
}

/// The strongly connected component of each node on a cycle (self-loops
/// included), by name; nodes on no cycle are absent.
fn strongly_connected(edges: &IndexMap<String, Vec<String>>) -> IndexMap<String, usize> {
    let index_of: IndexMap<&str, usize> = edges.keys().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    let adjacency: Vec<Vec<usize>> = edges
        .values()
        .map(|targets| targets.iter().filter_map(|t| index_of.get(t.as_str()).copied()).collect())
        .collect();
    let (component, count) = crate::graph::strongly_connected_components(&adjacency);
    let size = crate::graph::component_sizes(&component, count);
    edges
        .keys()
        .enumerate()
        .filter(|&(node, _)| size[component[node]] > 1 || adjacency[node].contains(&node))
        .map(|(node, name)| (name.clone(), component[node]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(pairs: &[(&str, &[&str])]) -> IndexMap<String, Vec<String>> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect())).collect()
    }

    fn alias(name: &str, target: TypeRef) -> (String, TypeDef) {
        let def = TypeDef {
            name: name.into(),
            pointer: format!("/components/schemas/{name}"),
            docs: Default::default(),
            kind: TypeKind::Alias(target),
            in_response: true,
            in_request: false,
        };
        (name.into(), def)
    }

    #[test]
    fn alias_cycles_become_json_inside() {
        let named = |n: &str| Box::new(TypeRef::Named(n.into()));
        let mut types: IndexMap<String, TypeDef> = [
            alias("Tree", TypeRef::Vec(named("Tree"))),
            alias("A", TypeRef::Map(named("B"))),
            alias("B", TypeRef::Option(named("A"))),
            alias("Leaf", TypeRef::Vec(named("Tree"))),
        ]
        .into_iter()
        .collect();
        let changed = break_alias_cycles(&mut types);
        assert_eq!(changed, ["/components/schemas/Tree", "/components/schemas/A", "/components/schemas/B"]);
        assert!(matches!(&types["Tree"].kind, TypeKind::Alias(TypeRef::Vec(inner)) if **inner == TypeRef::Json));
        assert!(matches!(&types["B"].kind, TypeKind::Alias(TypeRef::Option(inner)) if **inner == TypeRef::Json));
        // Not on a cycle itself: unchanged.
        assert!(
            matches!(&types["Leaf"].kind, TypeKind::Alias(TypeRef::Vec(inner)) if **inner == TypeRef::Named("Tree".into()))
        );
    }

    fn generate(schemas: &str) -> crate::Output {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
        );
        let options =
            crate::Options { layout: crate::Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
        crate::generate_str(&spec, "t.yaml", &options).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn recursive_array_alias_is_cut_with_a_warning() {
        let output = generate("    Tree: {type: array, items: {$ref: '#/components/schemas/Tree'}}\n");
        assert!(
            matches!(&output.api.types["Tree"].kind, TypeKind::Alias(TypeRef::Vec(inner)) if **inner == TypeRef::Json)
        );
        let warning = output.report.warnings.iter().find(|w| w.location.pointer == "/components/schemas/Tree");
        assert!(warning.is_some_and(|w| w.message.contains("contains itself")), "{:?}", output.report.warnings);
    }

    #[test]
    fn all_of_with_a_part_that_is_not_an_object_degrades_instead_of_recursing() {
        // The second part is neither an object nor a reference to one: the parts do not merge.
        let output = generate("    Base: {type: object, properties: {a: {type: string}}}\n    Odd:\n      allOf: [{$ref: '#/components/schemas/Base'}, {$ref: 'not-a-local-ref'}]\n");
        assert!(matches!(&output.api.types["Odd"].kind, TypeKind::Alias(TypeRef::Json)));
        let warning = output.report.warnings.iter().find(|w| w.location.pointer == "/components/schemas/Odd");
        assert!(warning.is_some_and(|w| w.message.contains("do not combine")), "{:?}", output.report.warnings);
    }

    #[test]
    fn inline_schema_merged_into_itself_through_all_of_is_recursive() {
        // `Node.child.items` merges `Node`, whose inline `child` property is the schema being defined.
        let output = generate(
            "    Node:\n      type: object\n      properties:\n        child:\n          type: object\n          properties:\n            items: {type: array, items: {allOf: [{$ref: '#/components/schemas/Node'}, {type: object, properties: {x: {type: integer}}}]}}\n",
        );
        let item = &output.api.types["NodeChildItemsItem"];
        let TypeKind::Struct { fields, .. } = &item.kind else { panic!("{:?}", item.kind) };
        let child = fields.iter().find(|f| f.wire_name == "child").map(|f| &f.ty);
        assert_eq!(child, Some(&TypeRef::Option(Box::new(TypeRef::Named("NodeChild".into())))));
    }

    #[test]
    fn finds_cycles_and_self_loops() {
        let edges = graph(&[("A", &["B"]), ("B", &["A"]), ("C", &["C"]), ("D", &["A"])]);
        let components = strongly_connected(&edges);
        assert_eq!(components.get("A"), components.get("B"));
        assert!(components.contains_key("C"));
        assert!(!components.contains_key("D"));
    }
}
