//! Every local `$ref` must point at something. A dangling reference to a
//! schema is degraded: the schema becomes "any JSON value" with a warning, as
//! real specs ship such typos (Keycloak's `oas_any_type_not_mapped`). Any other
//! dangling reference (a parameter, a response, a request body) would change
//! the shape of a call, so it is an error. Both name where the reference is
//! written, not where it was followed.

use serde_json::Value;

use crate::diagnostics::{escape_pointer_token, Diagnostics, Error};

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
}
