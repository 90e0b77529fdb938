//! Structurally identical types become one. Specs repeat the same inline object
//! (an `owner`, a `links` block, a status enum) under many operations; each
//! copy used to be its own named type, compiled and documented again.
//!
//! A pass over the finished model: types whose shape is the same (fields with
//! their Rust and wire names, types, optionality, constraints and deprecation;
//! enum values; union variants; alias targets) are merged. Docs do not count:
//! the merged type keeps the representative's prose. Only inline schemas are
//! merged away: a component schema is a name the spec chose, so it is never
//! removed, but an inline copy of a component becomes that component. The
//! survivor of a group is its first component in model order; a group of
//! inline types takes the trailing words its members' names share
//! (`UserApiVersion`, `MemberApiVersion` → `ApiVersion`) when that name is
//! free and not vague (`Item`, `Response`…), else its first member's name.
//! Names are thus deterministic. Merging repeats until
//! nothing changes: once two `owner` types are one, the two parents that
//! differed only in them become identical too.
//!
//! Runs before usage marking and recursion boxing, which see the merged graph.

use indexmap::IndexMap;

use super::{Operation, TypeDef, TypeKind, TypeRef};

/// Merges identical types in `types`, rewriting every reference in `types` and
/// `operations`; returns how many types were removed.
pub fn merge_identical(types: &mut IndexMap<String, TypeDef>, operations: &mut [Operation]) -> usize {
    let mut removed = 0;
    loop {
        let round = find_duplicates(types);
        if round.renames.is_empty() {
            return removed;
        }
        removed += round.removed;
        *types = std::mem::take(types)
            .into_iter()
            .filter_map(|(name, mut def)| {
                if let Some(new_name) = round.kept.get(&name) {
                    def.name = new_name.clone();
                    return Some((new_name.clone(), def));
                }
                (!round.renames.contains_key(&name)).then_some((name, def))
            })
            .collect();
        for def in types.values_mut() {
            rewrite_kind(&mut def.kind, &round.renames);
        }
        for op in operations.iter_mut() {
            rewrite_operation(op, &round.renames);
        }
    }
}

/// What one round of merging does.
#[derive(Debug, Default)]
struct Round {
    /// Every name that changes → the name of the type that stays.
    renames: IndexMap<String, String>,
    /// Representatives renamed (old → new); they keep their place in the model.
    kept: IndexMap<String, String>,
    /// Types removed.
    removed: usize,
}

/// Finds groups of identical types and names the survivor of each.
///
/// The survivor is the group's first component, else its first type. A group
/// of inline types only is named after what its members' names share, when
/// that is a free name: `ConsumerOrgApiVersion`, `UserApiVersion` and
/// `MemberApiVersion` become `ApiVersion`, not the first of them (which would
/// put `ConsumerOrgApiVersion` in `User`).
fn find_duplicates(types: &IndexMap<String, TypeDef>) -> Round {
    let mut groups: IndexMap<String, Vec<&str>> = IndexMap::new();
    // Components first, so that an inline copy of a component becomes the component.
    for components in [true, false] {
        for (name, def) in types.iter().filter(|(_, def)| is_component(def) == components) {
            if let Some(key) = structural_key(def) {
                groups.entry(key).or_default().push(name);
            }
        }
    }
    let mut round = Round::default();
    let mut claimed: Vec<String> = Vec::new();
    for members in groups.values() {
        // Two identical components: both names are the spec's, both stay.
        let components = members.iter().take_while(|name| is_component(&types[**name])).count();
        let merged: &[&str] = &members[components.max(1)..];
        if merged.is_empty() {
            continue;
        }
        let representative = members[0];
        let mut survivor = representative.to_string();
        if components == 0 {
            if let Some(shared) = shared_name(members) {
                let free = !types.contains_key(&shared) || members.contains(&shared.as_str());
                if free && !claimed.contains(&shared) {
                    survivor = shared;
                }
            }
        }
        claimed.push(survivor.clone());
        if survivor != representative {
            round.kept.insert(representative.to_string(), survivor.clone());
            round.renames.insert(representative.to_string(), survivor.clone());
        }
        for name in merged {
            round.renames.insert(name.to_string(), survivor.clone());
        }
        round.removed += merged.len();
    }
    round
}

/// Words that name nothing on their own: a group sharing only one of these
/// keeps its first member's name.
const VAGUE_NAMES: &[&str] = &["Item", "Value", "Body", "Request", "Response", "Responses", "Error", "Default", "Type"];

/// The trailing `CamelCase` words every name in `names` ends with, leading
/// vague words dropped, when they make a name of their own.
fn shared_name(names: &[&str]) -> Option<String> {
    let split: Vec<Vec<&str>> = names.iter().map(|name| camel_words(name)).collect();
    let shortest = split.iter().map(Vec::len).min()?;
    let common = (1..=shortest)
        .take_while(|&n| split.iter().all(|w| w[w.len() - n..] == split[0][split[0].len() - n..]))
        .last()?;
    let mut words = &split[0][split[0].len() - common..];
    // Where a word came from (`…ResponseOwner`, `…ItemOwner`) is no part of the name.
    while words.len() > 1 && VAGUE_NAMES.contains(&words[0]) {
        words = &words[1..];
    }
    let name = words.concat();
    let starts_upper = name.starts_with(|c: char| c.is_ascii_uppercase());
    (starts_upper && !VAGUE_NAMES.contains(&name.as_str()) && !name.starts_with("Variant")).then_some(name)
}

/// `ConsumerOrgApiVersion` → `[Consumer, Org, Api, Version]` (digits stay with their word).
fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (index, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..index]);
            start = index;
        }
    }
    words.push(&name[start..]);
    words
}

/// `#/components/schemas/<key>` itself, not a schema nested inside one.
pub fn is_component(def: &TypeDef) -> bool {
    def.pointer.strip_prefix("/components/schemas/").is_some_and(|key| !key.is_empty() && !key.contains('/'))
}

/// Everything about a type that shows in generated code except its docs and
/// name (references to itself are written `Self`, so two identical recursive
/// types match). `None` for types that are never merged (per-operation
/// response enums).
fn structural_key(def: &TypeDef) -> Option<String> {
    let ty = |ty: &TypeRef| type_key(ty, &def.name);
    let mut key = format!("deprecated={};", def.docs.deprecated);
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            key.push_str("struct{");
            for f in fields {
                key.push_str(&format!(
                    "{}|{}|{}|{}|{}|{}|{}|{:?}|{:?}|{};",
                    f.rust_name,
                    f.wire_name,
                    ty(&f.ty),
                    f.required,
                    f.nullable,
                    f.read_only,
                    f.docs.deprecated,
                    f.constraints,
                    f.allowed,
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

fn type_key(ty: &TypeRef, own_name: &str) -> String {
    match ty {
        TypeRef::Named(name) if name == own_name => "Self".to_string(),
        TypeRef::Named(name) => format!("Named({name})"),
        TypeRef::Vec(inner) => format!("Vec({})", type_key(inner, own_name)),
        TypeRef::Map(inner) => format!("Map({})", type_key(inner, own_name)),
        TypeRef::Option(inner) => format!("Option({})", type_key(inner, own_name)),
        TypeRef::Boxed(inner) => format!("Boxed({})", type_key(inner, own_name)),
        TypeRef::Tuple(members) => {
            let members: Vec<String> = members.iter().map(|member| type_key(member, own_name)).collect();
            format!("Tuple({})", members.join(","))
        }
        other => format!("{other:?}"),
    }
}

fn rewrite(ty: &mut TypeRef, renames: &IndexMap<String, String>) {
    match ty {
        TypeRef::Named(name) => {
            if let Some(target) = renames.get(name.as_str()) {
                *name = target.clone();
            }
        }
        other => other.children_mut().iter_mut().for_each(|child| rewrite(child, renames)),
    }
}

fn rewrite_kind(kind: &mut TypeKind, renames: &IndexMap<String, String>) {
    match kind {
        TypeKind::Struct { fields, additional } => {
            fields.iter_mut().for_each(|f| rewrite(&mut f.ty, renames));
            if let Some(additional) = additional {
                rewrite(additional, renames);
            }
        }
        TypeKind::Union { variants, .. } | TypeKind::Responses { variants } => {
            variants.iter_mut().for_each(|v| rewrite(&mut v.ty, renames))
        }
        TypeKind::Alias(target) => rewrite(target, renames),
        TypeKind::Enum { .. } => {}
    }
}

/// Every type reference an operation holds (`Operation::type_refs_mut`).
fn rewrite_operation(op: &mut Operation, renames: &IndexMap<String, String>) {
    for (_, ty) in op.type_refs_mut() {
        rewrite(ty, renames);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{generate_str, Layout, Options};

    fn generate(yaml: &str) -> crate::Output {
        let spec = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{yaml}");
        let options = Options { layout: Layout::Module { name: "t".into() }, preamble: String::new() };
        generate_str(&spec, "t.yaml", &options).unwrap_or_else(|e| panic!("{e}"))
    }

    const OWNER: &str = "{type: object, description: DOC, properties: {login: {type: string}, id: {type: integer}}}";

    #[test]
    fn identical_inline_objects_become_one_type_whatever_their_docs() {
        let owner_a = OWNER.replace("DOC", "The owner.");
        let owner_b = OWNER.replace("DOC", "Who owns it.");
        let output = generate(&format!(
            "paths:\n  /a:\n    get:\n      operationId: getA\n      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{type: object, properties: {{owner: {owner_a}}}}}}}}}}}}}\n  /b:\n    get:\n      operationId: getB\n      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{type: object, properties: {{owner: {owner_b}}}}}}}}}}}}}\n"
        ));
        let names: Vec<&str> = output.api.types.keys().map(String::as_str).collect();
        // `GetAResponseOwner` and `GetBResponseOwner` became `Owner`; then the
        // two responses (now `{owner: Owner}` both) merged as well, under the
        // first one's name (`Response` alone is too vague).
        assert_eq!(names, ["GetAResponse", "Owner"]);
        assert_eq!(output.report.deduplicated_types, 2);
        let get_b = &output.api.operations[1];
        assert_eq!(
            get_b.responses.success[0].kind,
            crate::model::ResponseKind::Json(TypeRef::Named("GetAResponse".into()))
        );
        assert_eq!(output.api.types["Owner"].docs.text.as_deref(), Some("The owner."));
        assert_eq!(output.api.types["Owner"].name, "Owner");
        let TypeKind::Struct { fields, .. } = &output.api.types["GetAResponse"].kind else { panic!() };
        assert_eq!(fields[0].ty, TypeRef::Option(Box::new(TypeRef::Named("Owner".into()))));
    }

    #[test]
    fn inline_copies_become_the_component_and_components_all_stay() {
        let owner = OWNER.replace("DOC", "x");
        let output = generate(&format!(
            "paths:\n  /a:\n    post:\n      operationId: postA\n      requestBody: {{content: {{application/json: {{schema: {{type: object, properties: {{owner: {owner}}}}}}}}}}}\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n    Owner: {owner}\n    SameOwner: {owner}\n"
        ));
        let names: Vec<&str> = output.api.types.keys().map(String::as_str).collect();
        assert_eq!(names, ["Owner", "SameOwner", "PostABody"]);
        let TypeKind::Struct { fields, .. } = &output.api.types["PostABody"].kind else { panic!() };
        assert_eq!(fields[0].ty, TypeRef::Option(Box::new(TypeRef::Named("Owner".into()))));
        assert_eq!(output.report.deduplicated_types, 1);
    }

    #[test]
    fn shapes_that_differ_in_anything_but_docs_stay_apart() {
        let output = generate(
            "paths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - {name: s, in: query, schema: {type: string, enum: [a, b]}}\n        - {name: t, in: query, schema: {type: string, enum: [a, c]}}\n        - {name: u, in: query, schema: {type: string, enum: [a, b], description: other docs}}\n        - {name: v, in: query, schema: {type: string, enum: [a, b], deprecated: true}}\n      responses: {'204': {description: ok}}\n",
        );
        let names: Vec<&str> = output.api.types.keys().map(String::as_str).collect();
        assert_eq!(names, ["GetAs", "GetAt", "GetAv"]);
        let u = output.api.operations[0].params.iter().find(|p| p.wire_name == "u").map(|p| &p.ty);
        assert_eq!(u, Some(&TypeRef::Named("GetAs".into())));
    }

    #[test]
    fn merged_groups_are_named_after_what_their_names_share() {
        assert_eq!(camel_words("ConsumerOrgApiVersion"), ["Consumer", "Org", "Api", "Version"]);
        assert_eq!(camel_words("PostBResponseV201"), ["Post", "B", "Response", "V201"]);
        assert_eq!(shared_name(&["ConsumerOrgApiVersion", "UserApiVersion"]).as_deref(), Some("ApiVersion"));
        assert_eq!(shared_name(&["State", "MemberState"]).as_deref(), Some("State"));
        assert_eq!(shared_name(&["ListAResponseItem", "ListBResponseItem"]), None);
        assert_eq!(shared_name(&["GetAResponseItemOwner", "GetBResponseOwner"]).as_deref(), Some("Owner"));
        assert_eq!(shared_name(&["GetAResponse", "GetBResponse"]), None);
        assert_eq!(shared_name(&["GetAs", "GetAv"]), None);
        assert_eq!(shared_name(&["UnionVariant1", "OtherVariant1"]), None);
    }

    #[test]
    fn a_shared_name_already_taken_is_not_used() {
        let state = "{type: string, enum: [on, off]}";
        let output = generate(&format!(
            "paths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - {{name: userState, in: query, schema: {state}}}\n        - {{name: memberState, in: query, schema: {state}}}\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n    State: {{type: integer}}\n"
        ));
        let names: Vec<&str> = output.api.types.keys().map(String::as_str).collect();
        assert_eq!(names, ["State", "GetAUserState"]);
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
        assert_eq!(structural_key(a), structural_key(b));
        assert_eq!(output.report.deduplicated_types, 0);
    }
}
