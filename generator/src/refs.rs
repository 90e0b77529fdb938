//! Every local `$ref` must point at something. A dangling reference to a
//! schema is degraded: the schema becomes "any JSON value" with a warning, as
//! real specs ship such typos (Keycloak's `oas_any_type_not_mapped`). Any other
//! dangling reference (a parameter, a response, a request body) would change
//! the shape of a call, so it is an error. Both name where the reference is
//! written, not where it was followed.

use serde_json::{Map, Value};

use crate::diagnostics::{escape_pointer_token, Diagnostics, Error};
use crate::naming::camel;
use crate::positions::{self, Kind};

/// References to schemas (OpenAPI 3, and Swagger 2.0 before its conversion)
/// start with one of these; they can degrade to any value.
const SCHEMA_PREFIXES: &[&str] = &["#/components/schemas/", "#/definitions/"];

/// Checks each `#/…` reference in `tree` against `tree`. External references
/// (`other.yaml#/…`) are left to the model, which degrades them with a warning.
pub fn check_local_refs(tree: &mut Value, diagnostics: &mut Diagnostics) -> Result<(), Error> {
    let mut degraded = Vec::new();
    let mut stack = vec![(&*tree, String::new())];
    while let Some((node, pointer)) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    if let Some(target) = reference.strip_prefix('#') {
                        let decoded = percent_decode_str(target);
                        if tree.pointer(&decoded).is_none() {
                            let operation = operation_at(tree, &pointer);
                            let ref_pointer = format!("{pointer}/$ref");
                            if !SCHEMA_PREFIXES.iter().any(|prefix| reference.starts_with(prefix)) {
                                return Err(diagnostics.error(
                                    &ref_pointer,
                                    operation.as_deref(),
                                    format!("dangling reference {reference:?}: nothing at that pointer"),
                                ));
                            }
                            diagnostics.warn(
                                &ref_pointer,
                                operation.as_deref(),
                                format!("dangling reference {reference:?}: nothing at that pointer; typed as any JSON value"),
                            );
                            degraded.push(pointer.clone());
                        }
                    }
                }
                for (key, child) in map.iter().rev() {
                    if key != "example" && key != "examples" {
                        stack.push((child, format!("{pointer}/{}", escape_pointer_token(key))));
                    }
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate().rev() {
                    stack.push((child, format!("{pointer}/{index}")));
                }
            }
            _ => {}
        }
    }
    // Without its `$ref`, the schema object (and any sibling docs) means "any value".
    for pointer in degraded {
        if let Some(Value::Object(schema)) = tree.pointer_mut(&pointer) {
            schema.remove("$ref");
        }
    }
    Ok(())
}

/// The operationId of the operation enclosing `pointer`, if any.
fn operation_at(tree: &Value, pointer: &str) -> Option<String> {
    let mut parts = pointer.split('/').skip(1);
    if parts.next()? != "paths" {
        return None;
    }
    let path = parts.next()?;
    let method = parts.next()?;
    let op = tree.pointer(&format!("/paths/{path}/{method}"))?;
    op.get("operationId").and_then(Value::as_str).map(str::to_string)
}

/// Minimal `%XX` decoding for pointers in URI fragments.
fn percent_decode_str(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// How many `$ref`s are followed from one place before a chain is called circular.
const MAX_CHAIN: usize = 32;

/// Replaces every local path item reference (`$ref: '#/components/pathItems/Pets'`,
/// or one to another path) by a copy of the path item it names, so that its
/// operations are generated like any other. The reference's siblings
/// (`summary`, `description`) win over the target's.
pub fn inline_path_item_refs(tree: &mut Value, diagnostics: &mut Diagnostics) {
    let mut places: Vec<String> = Vec::new();
    let mut stack = positions::children(tree, "", None);
    while let Some((pointer, kind)) = stack.pop() {
        let Some(node) = tree.pointer(&pointer) else { continue };
        if kind == Kind::PathItem && node.get("$ref").is_some_and(Value::is_string) {
            places.push(pointer.clone());
        }
        // Callbacks hold path items of their own.
        if matches!(kind, Kind::PathItem | Kind::Operation) {
            stack.extend(positions::children(node, &pointer, Some(kind)));
        }
    }
    for place in places {
        let mut seen = vec![place.clone()];
        let mut target = match tree.pointer(&place) {
            Some(node) => node.clone(),
            None => continue,
        };
        let mut siblings = Map::new();
        loop {
            let Some(Value::String(reference)) = target.get("$ref").cloned() else { break };
            let Some(pointer) = reference.strip_prefix('#').map(percent_decode_str) else { break };
            if seen.contains(&pointer) || seen.len() > MAX_CHAIN {
                diagnostics.warn(&place, None, format!("path item reference {reference:?} is circular; skipped"));
                break;
            }
            seen.push(pointer.clone());
            if let Value::Object(fields) = &target {
                for (key, value) in fields.iter().filter(|(key, _)| *key != "$ref") {
                    siblings.entry(key.clone()).or_insert_with(|| value.clone());
                }
            }
            match tree.pointer(&pointer) {
                Some(next) => target = next.clone(),
                None => break,
            }
        }
        if target.get("$ref").is_some() {
            continue;
        }
        if let Value::Object(fields) = &mut target {
            for (key, value) in siblings {
                fields.insert(key, value);
            }
        }
        if let Some(slot) = tree.pointer_mut(&place) {
            *slot = target;
        }
    }
}

/// Makes every local reference to a sub-object resolvable the way
/// `openapiv3` and the model read references: a `$ref` to
/// `#/components/responses/Conflict/content/application~1json/schema` or
/// `#/components/schemas/Tag/allOf/0` is a reference to a schema that is not a
/// component. The referenced node is moved into `components/schemas` (or
/// `responses`, `parameters`, `requestBodies`, `headers`, by what it is) under
/// a name from its place (`Conflict`, `TagPart1`), and left behind as a
/// reference to its new place, so every user (its original place included)
/// shares one type and recursion stays a reference. Deeper targets move first,
/// so one inside another is already a reference when its parent moves.
pub fn hoist_deep_refs(tree: &mut Value) {
    let mut targets: Vec<String> = Vec::new();
    for_each_ref(tree, &mut |reference: &str| {
        if let Some(pointer) = reference.strip_prefix('#').map(percent_decode_str) {
            if is_deep(&pointer) && !targets.contains(&pointer) {
                targets.push(pointer);
            }
        }
    });
    if targets.is_empty() {
        return;
    }
    // Deepest first (stable, so the spec's order breaks ties).
    targets.sort_by_key(|t| std::cmp::Reverse(t.matches('/').count()));
    let mut moved: Vec<(String, String)> = Vec::new();
    for target in targets {
        let Some(section) = positions::kind_at(&target).and_then(section_of) else { continue };
        let Some(node) = tree.pointer(&target) else { continue };
        if let Some(Value::String(reference)) = node.get("$ref") {
            // Already a local reference: users of this one follow it instead.
            if reference.starts_with('#') && node.as_object().is_some_and(|o| o.len() == 1) {
                moved.push((target.clone(), reference.clone()));
                continue;
            }
        }
        let name = hoisted_name(tree, &target, section);
        let reference = format!("#/components/{section}/{}", escape_pointer_token(&name));
        let Some(slot) = tree.pointer_mut(&target) else { continue };
        let mut reference_object = Map::new();
        reference_object.insert("$ref".into(), Value::String(reference.clone()));
        let node = std::mem::replace(slot, Value::Object(reference_object));
        let components = tree
            .as_object_mut()
            .and_then(|root| root.entry("components").or_insert_with(|| Value::Object(Map::new())).as_object_mut())
            .and_then(|c| c.entry(section).or_insert_with(|| Value::Object(Map::new())).as_object_mut());
        if let Some(entries) = components {
            entries.insert(name, node);
        }
        moved.push((target, reference));
    }
    rewrite_refs(tree, &moved);
}

/// Whether a local pointer addresses something below (or other than) a
/// `components/<section>/<name>` entry.
fn is_deep(pointer: &str) -> bool {
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    !(tokens.len() == 3 && tokens[0] == "components")
}

/// The `components` section a node of `kind` can be referenced from.
fn section_of(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Schema => Some("schemas"),
        Kind::Response => Some("responses"),
        Kind::Parameter => Some("parameters"),
        Kind::RequestBody => Some("requestBodies"),
        Kind::Header => Some("headers"),
        Kind::PathItem | Kind::Operation | Kind::MediaType => None,
    }
}

/// A component name for the node at `pointer`, from the names along the way
/// (`/components/schemas/Tag/allOf/0` → `TagPart1`, `/paths/~1a/get/responses/409/…/schema`
/// → `<operationId>Response409`), not yet used in `section`.
// Long: one walk over the pointer's tokens, a case per OpenAPI position that contributes a word.
fn hoisted_name(tree: &Value, pointer: &str, section: &str) -> String {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(positions::unescape).collect();
    let mut parts: Vec<String> = Vec::new();
    let mut index = 0;
    let mut section_word = "";
    while index < tokens.len() {
        let token = tokens[index].as_str();
        let next = tokens.get(index + 1).map(String::as_str);
        match (token, next) {
            ("components", Some(kind)) => {
                section_word = match kind {
                    "responses" => "Response",
                    "parameters" => "Parameter",
                    "requestBodies" => "Request",
                    "headers" => "Header",
                    _ => "",
                };
                if let Some(name) = tokens.get(index + 2) {
                    parts.push(name.clone());
                }
                index += 3;
                continue;
            }
            ("paths", Some(path)) => {
                let method = tokens.get(index + 2).map(String::as_str).filter(|m| positions::METHODS.contains(m));
                let id = method.and_then(|m| {
                    let operation = tree.get("paths")?.get(path)?.get(m)?;
                    operation.get("operationId")?.as_str().map(str::to_string)
                });
                match (id, method) {
                    (Some(id), _) => parts.push(id),
                    (None, Some(method)) => parts.push(format!("{method} {path}")),
                    (None, None) => parts.push(path.to_string()),
                }
                index += if method.is_some() { 3 } else { 2 };
                continue;
            }
            ("content", Some(_)) => index += 2,
            ("properties" | "patternProperties" | "$defs" | "definitions" | "headers" | "callbacks", Some(name)) => {
                parts.push(name.to_string());
                index += 2;
            }
            ("parameters", Some(position)) => {
                let name = tree
                    .pointer(&format!("{}/name", prefix_pointer(&tokens[..index + 2])))
                    .and_then(Value::as_str)
                    .unwrap_or(position);
                parts.push(name.to_string());
                index += 2;
            }
            ("responses", Some(status)) => {
                parts.push(format!("Response{status}"));
                index += 2;
            }
            ("allOf", Some(position)) | ("oneOf", Some(position)) | ("anyOf", Some(position)) => {
                let word = if token == "allOf" { "Part" } else { "Variant" };
                parts.push(format!("{word}{}", position.parse::<usize>().map_or(1, |p| p + 1)));
                index += 2;
            }
            ("requestBody", _) => {
                parts.push("Request".into());
                index += 1;
            }
            ("items" | "prefixItems", _) => {
                parts.push("Item".into());
                index += if token == "prefixItems" { 2 } else { 1 };
            }
            ("additionalProperties", _) => {
                parts.push("Value".into());
                index += 1;
            }
            _ => index += 1,
        }
    }
    let base = camel(&parts.join(" "));
    let base = if base.is_empty() { "Hoisted".to_string() } else { base };
    let taken = |name: &str| tree.get("components").and_then(|c| c.get(section)).and_then(|s| s.get(name)).is_some();
    let mut candidates = vec![base.clone()];
    if !section_word.is_empty() {
        candidates.push(format!("{base}{section_word}"));
    }
    for candidate in candidates {
        if !taken(&candidate) {
            return candidate;
        }
    }
    (2..).map(|n| format!("{base}{section_word}{n}")).find(|c| !taken(c)).unwrap_or(base)
}

fn prefix_pointer(tokens: &[String]) -> String {
    tokens.iter().map(|t| format!("/{}", escape_pointer_token(t))).collect()
}

/// Calls `f` with every `$ref` string of the tree (examples and other literal data aside).
fn for_each_ref(node: &Value, f: &mut dyn FnMut(&str)) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                f(reference);
            }
            for (key, child) in map {
                if !matches!(key.as_str(), "example" | "examples" | "enum" | "default" | "const") {
                    for_each_ref(child, f);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| for_each_ref(item, f)),
        _ => {}
    }
}

/// Rewrites references after moves: a reference to a moved node (or into one)
/// follows it to its new place, through chains of moves.
fn rewrite_refs(node: &mut Value, moved: &[(String, String)]) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                if let Some(pointer) = reference.strip_prefix('#').map(percent_decode_str) {
                    if let Some(new) = follow_moves(&pointer, moved) {
                        *reference = new;
                    }
                }
            }
            for (key, child) in map.iter_mut() {
                if !matches!(key.as_str(), "example" | "examples" | "enum" | "default" | "const") {
                    rewrite_refs(child, moved);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rewrite_refs(item, moved)),
        _ => {}
    }
}

/// Where a reference to `pointer` points after the moves (`None`: unchanged).
fn follow_moves(pointer: &str, moved: &[(String, String)]) -> Option<String> {
    let mut current = pointer.to_string();
    let mut changed = false;
    for _ in 0..MAX_CHAIN {
        // The longest moved prefix: a deeper move is more precise.
        let step = moved
            .iter()
            .filter(|(from, _)| {
                current == *from || current.strip_prefix(from.as_str()).is_some_and(|r| r.starts_with('/'))
            })
            .max_by_key(|(from, _)| from.len());
        let Some((from, to)) = step else { break };
        let rest = &current[from.len()..];
        let next = format!("{}{rest}", to.trim_start_matches('#'));
        if next == current {
            break;
        }
        current = next;
        changed = true;
    }
    changed.then(|| format!("#{current}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dangling_reference_is_located() {
        let mut tree = json!({"paths": {"/pets": {"get": {"operationId": "listPets", "responses": {
            "404": {"$ref": "#/components/responses/NotFound"}}}}}});
        let error = check_local_refs(&mut tree, &mut Diagnostics::new("pets.yaml")).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("pets.yaml at #/paths/~1pets/get/responses/404/$ref"), "{text}");
        assert!(text.contains("(operation `listPets`)"), "{text}");
        assert!(text.contains("dangling reference"), "{text}");
    }

    #[test]
    fn dangling_schema_reference_degrades_with_located_warning() {
        let mut tree = json!({"paths": {"/pets": {"get": {"operationId": "listPets", "responses": {"200": {
            "description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet", "description": "a pet"}}}}}}}}});
        let mut diagnostics = Diagnostics::new("pets.yaml");
        check_local_refs(&mut tree, &mut diagnostics).unwrap();
        let schema = &tree["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(schema, &json!({"description": "a pet"}));
        let warnings = diagnostics.into_warnings();
        assert_eq!(warnings.len(), 1);
        let text = warnings[0].to_string();
        assert!(
            text.contains("pets.yaml at #/paths/~1pets/get/responses/200/content/application~1json/schema/$ref"),
            "{text}"
        );
        assert!(text.contains("(operation `listPets`)") && text.contains("any JSON value"), "{text}");
    }

    #[test]
    fn percent_encoded_pointers_resolve() {
        assert_eq!(percent_decode_str("/a%20b"), "/a b");
        assert_eq!(percent_decode_str("/100%"), "/100%");
    }

    #[test]
    fn deep_references_are_hoisted_and_shared() {
        let mut tree = json!({
        "paths": {"/a": {"get": {"operationId": "getA", "responses": {
            "200": {"description": "", "content": {"application/json": {"schema":
                {"$ref": "#/components/schemas/Tag/allOf/0/properties/name"}}}}}}}},
        "components": {"schemas": {"Tag": {"allOf": [
            {"type": "object", "properties": {"name": {"type": "string"}, "self": {"$ref": "#/components/schemas/Tag/allOf/0"}}}
        ]}}}});
        hoist_deep_refs(&mut tree);
        let schemas = &tree["components"]["schemas"];
        assert_eq!(schemas["TagPart1Name"], json!({"type": "string"}));
        assert_eq!(schemas["Tag"]["allOf"][0], json!({"$ref": "#/components/schemas/TagPart1"}));
        // The deeper move happened first: the moved member refers to it, and to itself.
        assert_eq!(
            schemas["TagPart1"]["properties"],
            json!({"name": {"$ref": "#/components/schemas/TagPart1Name"}, "self": {"$ref": "#/components/schemas/TagPart1"}})
        );
        let response = &tree["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(response, &json!({"$ref": "#/components/schemas/TagPart1Name"}));
    }

    #[test]
    fn a_response_schema_takes_the_response_name_unless_taken() {
        let mut tree = json!({
            "paths": {"/a": {"get": {"responses": {"409": {"description": "", "content": {"application/json": {"schema":
                {"$ref": "#/components/responses/Conflict/content/application~1json/schema"}}}}}}}},
            "components": {"schemas": {"Conflict": {}}, "responses": {"Conflict": {"description": "",
                "content": {"application/json": {"schema": {"type": "object"}}}}}}});
        hoist_deep_refs(&mut tree);
        assert_eq!(tree["components"]["schemas"]["ConflictResponse"], json!({"type": "object"}));
    }

    #[test]
    fn path_item_references_are_inlined() {
        let mut tree = json!({"paths": {"/pets": {"$ref": "#/components/pathItems/Pets", "summary": "Pets"}},
            "components": {"pathItems": {"Pets": {"get": {"operationId": "listPets"}}}}});
        inline_path_item_refs(&mut tree, &mut Diagnostics::new("t.yaml"));
        assert_eq!(tree["paths"]["/pets"], json!({"get": {"operationId": "listPets"}, "summary": "Pets"}));
    }
}
