//! Structurally identical types share one definition. Specs repeat the same
//! inline object (an `owner`, a `links` block, a status enum) under many
//! operations; each copy used to be its own struct, compiled and documented again.
//!
//! A pass over the finished model: types whose shape is the same (fields with
//! their Rust and wire names, types, optionality, constraints and deprecation;
//! enum values; union variants; alias targets) are grouped. The first member of
//! a group (its first component, else its first type in model order) keeps the
//! definition; every other member keeps **its own name** as an alias of it:
//! `pub type GetBResponseOwner = GetAResponseOwner;`. No reference is rewritten.
//!
//! Why aliases rather than renaming to one survivor: a type's name must depend
//! only on its own place in the spec. Renaming every copy to the survivor's name
//! put one schema's name on another's field (a charge's `customer` typed
//! `BankAccountCustomer`), and made a schema elsewhere becoming identical a
//! breaking rename nobody asked for. An alias compiles to nothing (one type for
//! the compiler, one set of impls), and the names users write stay put: which
//! definition is the survivor is an implementation detail, invisible in code
//! that names the alias.
//!
//! Merging repeats until nothing changes: references are compared through the
//! aliases, so once two `owner` types are one, the two parents that differed only
//! in them become identical too. Aliases always point at the final definition.
//!
//! Runs before usage marking and recursion boxing, which see the merged graph.

use indexmap::IndexMap;

use super::{Operation, TypeDef, TypeKind, TypeRef};

/// Turns every type identical to an earlier one into an alias of it (the
/// definition kept once); returns how many definitions were replaced by aliases.
/// `operations` are left as they are: every place keeps its own name.
pub fn merge_identical(types: &mut IndexMap<String, TypeDef>, _operations: &mut [Operation]) -> usize {
    // Each merged name → the name of the definition it now aliases.
    let mut canonical: IndexMap<String, String> = IndexMap::new();
    loop {
        let round = find_duplicates(types, &canonical);
        if round.is_empty() {
            break;
        }
        for (name, survivor) in round {
            canonical.insert(name, survivor);
        }
    }
    for (name, survivor) in &canonical {
        let target = resolve(&canonical, survivor).to_string();
        if let Some(def) = types.get_mut(name) {
            def.kind = TypeKind::Alias(TypeRef::Named(target));
        }
    }
    canonical.len()
}

/// The definition behind a chain of merges.
fn resolve<'a>(canonical: &'a IndexMap<String, String>, mut name: &'a str) -> &'a str {
    for _ in 0..=canonical.len() {
        match canonical.get(name) {
            Some(next) => name = next,
            None => break,
        }
    }
    name
}

/// One round: every not yet merged type identical to an earlier one (through the
/// merges so far) → the group's first member. The first is its first component,
/// else its first type; two identical components are both kept (both names are
/// the spec's), inline copies of a component alias that component.
fn find_duplicates(
    types: &IndexMap<String, TypeDef>,
    canonical: &IndexMap<String, String>,
) -> IndexMap<String, String> {
    let mut groups: IndexMap<String, Vec<&str>> = IndexMap::new();
    // Components first, so that an inline copy of a component aliases the component.
    for components in [true, false] {
        for (name, def) in types.iter().filter(|(_, def)| is_component(def) == components) {
            if canonical.contains_key(name) {
                continue;
            }
            if let Some(key) = structural_key(def, canonical) {
                groups.entry(key).or_default().push(name);
            }
        }
    }
    let mut round = IndexMap::new();
    for members in groups.values() {
        let components = members.iter().take_while(|name| is_component(&types[**name])).count();
        let representative = members[0];
        for name in &members[components.max(1)..] {
            round.insert(name.to_string(), representative.to_string());
        }
    }
    round
}

/// `#/components/schemas/<key>` itself, not a schema nested inside one.
pub fn is_component(def: &TypeDef) -> bool {
    def.pointer.strip_prefix("/components/schemas/").is_some_and(|key| !key.is_empty() && !key.contains('/'))
}

/// Everything about a type that shows in generated code except its docs and
/// name (references to itself are written `Self`, so two identical recursive
/// types match). `None` for types that are never merged (per-operation
/// response enums).
fn structural_key(def: &TypeDef, canonical: &IndexMap<String, String>) -> Option<String> {
    let ty = |ty: &TypeRef| type_key(ty, &def.name, canonical);
    let mut key = format!("deprecated={};", def.docs.deprecated);
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            key.push_str("struct{");
            for f in fields {
                key.push_str(&format!(
                    "{}|{}|{}|{}|{}|{}|{}|{:?}|{};",
                    f.rust_name,
                    f.wire_name,
                    ty(&f.ty),
                    f.required,
                    f.nullable,
                    f.read_only,
                    f.docs.deprecated,
                    f.constraints,
                    f.secret
                ));
            }
            key.push_str(&format!("}}additional={};", additional.as_ref().map(ty).unwrap_or_default()));
        }
        TypeKind::Enum { values } => {
            key.push_str("enum{");
            for v in values {
                key.push_str(&format!("{}|{:?};", v.rust_name, v.wire));
            }
            key.push('}');
        }
        TypeKind::Union { variants, discriminator } => {
            key.push_str(&format!("union[{discriminator:?}]{{"));
            for v in variants {
                key.push_str(&format!("{}|{}|{:?};", v.rust_name, ty(&v.ty), v.tags));
            }
            key.push('}');
        }
        TypeKind::Alias(target) => key.push_str(&format!("alias={}", ty(target))),
        TypeKind::Responses { .. } => return None,
    }
    Some(key)
}

/// A reference as the key of its holder: merged names read as their definition,
/// the holder itself as `Self`.
fn type_key(ty: &TypeRef, own_name: &str, canonical: &IndexMap<String, String>) -> String {
    let key = |inner: &TypeRef| type_key(inner, own_name, canonical);
    match ty {
        TypeRef::Named(name) if resolve(canonical, name) == resolve(canonical, own_name) => "Self".to_string(),
        TypeRef::Named(name) => format!("Named({})", resolve(canonical, name)),
        TypeRef::Vec(inner) => format!("Vec({})", key(inner)),
        TypeRef::Map(inner) => format!("Map({})", key(inner)),
        TypeRef::Option(inner) => format!("Option({})", key(inner)),
        TypeRef::Boxed(inner) => format!("Boxed({})", key(inner)),
        TypeRef::Tuple(members) => {
            let members: Vec<String> = members.iter().map(key).collect();
            format!("Tuple({})", members.join(","))
        }
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{generate_str, Layout, Options};

    fn generate(yaml: &str) -> crate::Output {
        let spec = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{yaml}");
        let options = Options { layout: Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
        generate_str(&spec, "t.yaml", &options).unwrap_or_else(|e| panic!("{e}"))
    }

    const OWNER: &str = "{type: object, description: DOC, properties: {login: {type: string}, id: {type: integer}}}";

    fn names(output: &crate::Output) -> Vec<&str> {
        output.api.types.keys().map(String::as_str).collect()
    }

    fn alias_of(output: &crate::Output, name: &str) -> Option<String> {
        match &output.api.types.get(name)?.kind {
            TypeKind::Alias(TypeRef::Named(target)) => Some(target.clone()),
            _ => None,
        }
    }

    fn two_owners(owner_a: &str, owner_b: &str) -> String {
        format!(
            "paths:\n  /a:\n    get:\n      operationId: getA\n      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{type: object, properties: {{owner: {owner_a}}}}}}}}}}}}}\n  /b:\n    get:\n      operationId: getB\n      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{type: object, properties: {{owner: {owner_b}}}}}}}}}}}}}\n"
        )
    }

    #[test]
    fn identical_inline_objects_share_one_definition_and_keep_their_names() {
        let owner_a = OWNER.replace("DOC", "The owner.");
        let owner_b = OWNER.replace("DOC", "Who owns it.");
        let output = generate(&two_owners(&owner_a, &owner_b));
        // Every place keeps its own name; the later copies alias the first.
        assert_eq!(names(&output), ["GetAResponse", "GetAResponseOwner", "GetBResponse", "GetBResponseOwner"]);
        assert_eq!(alias_of(&output, "GetBResponseOwner").as_deref(), Some("GetAResponseOwner"));
        // The two responses differed only in their owners: merged in the next round.
        assert_eq!(alias_of(&output, "GetBResponse").as_deref(), Some("GetAResponse"));
        assert_eq!(output.report.deduplicated_types, 2);
        let get_b = &output.api.operations[1];
        assert_eq!(
            get_b.responses.success[0].kind,
            crate::model::ResponseKind::Json(TypeRef::Named("GetBResponse".into()))
        );
        assert_eq!(output.api.types["GetBResponseOwner"].docs.text.as_deref(), Some("Who owns it."));
    }

    #[test]
    fn an_unrelated_schema_becoming_identical_renames_nothing() {
        let owner = OWNER.replace("DOC", "x");
        let other = "{type: object, properties: {name: {type: string}}}";
        let before = generate(&two_owners(&owner, other));
        let after = generate(&two_owners(&owner, &owner));
        // The same names, the same field types, before and after `getB`'s owner
        // became identical to `getA`'s.
        assert_eq!(names(&before), names(&after));
        let TypeKind::Struct { fields, .. } = &before.api.types["GetBResponse"].kind else { panic!() };
        assert_eq!(fields[0].ty, TypeRef::Option(Box::new(TypeRef::Named("GetBResponseOwner".into()))));
        assert_eq!(alias_of(&after, "GetBResponseOwner").as_deref(), Some("GetAResponseOwner"));
        assert_eq!(
            after.api.operations[1].responses.success[0].kind,
            before.api.operations[1].responses.success[0].kind
        );
    }

    #[test]
    fn inline_copies_alias_the_component_and_components_all_stay() {
        let owner = OWNER.replace("DOC", "x");
        let output = generate(&format!(
            "paths:\n  /a:\n    post:\n      operationId: postA\n      requestBody: {{content: {{application/json: {{schema: {{type: object, properties: {{owner: {owner}}}}}}}}}}}\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n    Owner: {owner}\n    SameOwner: {owner}\n"
        ));
        assert_eq!(names(&output), ["Owner", "SameOwner", "PostABody", "PostABodyOwner"]);
        assert_eq!(alias_of(&output, "PostABodyOwner").as_deref(), Some("Owner"));
        assert!(matches!(output.api.types["SameOwner"].kind, TypeKind::Struct { .. }));
        let TypeKind::Struct { fields, .. } = &output.api.types["PostABody"].kind else { panic!() };
        assert_eq!(fields[0].ty, TypeRef::Option(Box::new(TypeRef::Named("PostABodyOwner".into()))));
        assert_eq!(output.report.deduplicated_types, 1);
    }

    #[test]
    fn shapes_that_differ_in_anything_but_docs_stay_apart() {
        let output = generate(
            "paths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - {name: s, in: query, schema: {type: string, enum: [a, b]}}\n        - {name: t, in: query, schema: {type: string, enum: [a, c]}}\n        - {name: u, in: query, schema: {type: string, enum: [a, b], description: other docs}}\n        - {name: v, in: query, schema: {type: string, enum: [a, b], deprecated: true}}\n      responses: {'204': {description: ok}}\n",
        );
        assert_eq!(names(&output), ["GetAs", "GetAt", "GetAu", "GetAv"]);
        assert_eq!(alias_of(&output, "GetAu").as_deref(), Some("GetAs"));
        assert!(alias_of(&output, "GetAt").is_none() && alias_of(&output, "GetAv").is_none());
        let u = output.api.operations[0].params.iter().find(|p| p.wire_name == "u").map(|p| &p.ty);
        assert_eq!(u, Some(&TypeRef::Named("GetAu".into())));
    }

    #[test]
    fn identical_recursive_types_merge() {
        let node = |name: &str| {
            format!("{{type: object, properties: {{children: {{type: array, items: {{$ref: '#/components/schemas/{name}'}}}}}}}}")
        };
        // Two components stay; a self-referencing inline type cannot be written
        // without components, so check the key directly.
        let output =
            generate(&format!("paths: {{}}\ncomponents:\n  schemas:\n    A: {}\n    B: {}\n", node("A"), node("B")));
        let [a, b] = [&output.api.types["A"], &output.api.types["B"]];
        let none = IndexMap::new();
        assert_eq!(structural_key(a, &none), structural_key(b, &none));
        assert_eq!(output.report.deduplicated_types, 0);
    }
}
