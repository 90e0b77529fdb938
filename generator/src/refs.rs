//! Every local `$ref` must point at something: a dangling one is an error that
//! names where the reference is written, not where it was followed.

use serde_json::Value;

use crate::diagnostics::{escape_pointer_token, Diagnostics, Error};

/// Checks each `#/…` reference in `tree` against `tree`. External references
/// (`other.yaml#/…`) are left to the model, which degrades them with a warning.
pub fn check_local_refs(tree: &Value, diagnostics: &Diagnostics) -> Result<(), Error> {
    let mut stack = vec![(tree, String::new())];
    while let Some((node, pointer)) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    if let Some(target) = reference.strip_prefix('#') {
                        let decoded = percent_decode_str(target);
                        if tree.pointer(&decoded).is_none() {
                            return Err(diagnostics.error(
                                &format!("{pointer}/$ref"),
                                operation_at(tree, &pointer).as_deref(),
                                format!("dangling reference {reference:?}: nothing at that pointer"),
                            ));
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
        let tree = json!({"paths": {"/pets": {"get": {"operationId": "listPets", "responses": {"200": {
            "description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}}}}});
        let error = check_local_refs(&tree, &Diagnostics::new("pets.yaml")).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("pets.yaml at #/paths/~1pets/get/responses/200/content/application~1json/schema/$ref"), "{text}");
        assert!(text.contains("(operation `listPets`)"), "{text}");
    }

    #[test]
    fn percent_encoded_pointers_resolve() {
        assert_eq!(percent_decode_str("/a%20b"), "/a b");
        assert_eq!(percent_decode_str("/100%"), "/100%");
    }
}
