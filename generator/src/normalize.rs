//! OpenAPI 3.1 → 3.0 normalization on the raw JSON tree.
//!
//! `openapiv3` reads 3.0 only. 3.1 schemas are JSON Schema 2020-12; the
//! constructs real specs use are rewritten into their 3.0 equivalents here, so
//! the rest of the pipeline sees one model:
//!
//! | 3.1                               | 3.0                                   |
//! |-----------------------------------|---------------------------------------|
//! | `type: [T, "null"]`               | `type: T, nullable: true`             |
//! | `type: "null"`                    | `nullable: true` (any value)          |
//! | `oneOf`/`anyOf` with `{type: null}` | the other branch, `nullable: true`  |
//! | `const: v`                        | `enum: [v]`                           |
//! | `examples: [a, …]`                | `example: a`                          |
//! | `exclusiveMinimum: n`             | `minimum: n, exclusiveMinimum: true`  |
//! | `$ref` with siblings              | `allOf: [{$ref}]` plus the siblings   |
//! | `webhooks`, `jsonSchemaDialect`, `components/pathItems` | dropped, with a warning |

use serde_json::{Map, Value};

use crate::diagnostics::{escape_pointer_token, Diagnostics};

/// Rewrites a 3.1 document in place into the 3.0 shape.
pub fn openapi_31_to_30(tree: &mut Value, diagnostics: &mut Diagnostics) {
    let Some(root) = tree.as_object_mut() else { return };
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    for key in ["webhooks", "jsonSchemaDialect"] {
        if root.remove(key).is_some() {
            let note = if key == "webhooks" {
                "webhooks describe requests the API sends, not calls a client makes; skipped"
            } else {
                "jsonSchemaDialect is ignored; schemas are read as OpenAPI 3.1 JSON Schema"
            };
            diagnostics.warn(&format!("/{key}"), None, note);
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        if components.remove("pathItems").is_some() {
            diagnostics.warn("/components/pathItems", None, "reusable path items are not supported; skipped");
        }
    }
    if let Some(Value::Object(license)) = root.get_mut("info").and_then(|info| info.get_mut("license")) {
        license.remove("identifier");
    }
    walk_document(tree, String::new(), diagnostics);
}

/// Inserts the objects 3.0 requires but real documents sometimes omit.
pub fn fill_required_objects(tree: &mut Value) {
    if let Some(root) = tree.as_object_mut() {
        root.entry("paths").or_insert_with(|| Value::Object(Map::new()));
        let info = root.entry("info").or_insert_with(|| Value::Object(Map::new()));
        if let Some(info) = info.as_object_mut() {
            info.entry("title").or_insert_with(|| Value::String("API".into()));
            info.entry("version").or_insert_with(|| Value::String("0.0.0".into()));
        }
    }
}

/// Finds schema positions outside schemas (`…/schema`, `components/schemas/*`).
fn walk_document(node: &mut Value, pointer: String, diagnostics: &mut Diagnostics) {
    match node {
        Value::Object(map) => {
            let in_components = pointer == "/components";
            for (key, child) in map.iter_mut() {
                let child_pointer = format!("{pointer}/{}", escape_pointer_token(key));
                if key == "schema" && child.is_object() {
                    normalize_schema(child, &child_pointer, diagnostics);
                } else if in_components && key == "schemas" {
                    if let Value::Object(schemas) = child {
                        for (name, schema) in schemas.iter_mut() {
                            let p = format!("{child_pointer}/{}", escape_pointer_token(name));
                            normalize_schema(schema, &p, diagnostics);
                        }
                    }
                } else if key != "example" && key != "examples" {
                    walk_document(child, child_pointer, diagnostics);
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                walk_document(child, format!("{pointer}/{index}"), diagnostics);
            }
        }
        _ => {}
    }
}

fn normalize_schema(node: &mut Value, pointer: &str, diagnostics: &mut Diagnostics) {
    let Value::Object(schema) = node else {
        // `true` / `false` schemas: `true` accepts anything.
        if node.as_bool() == Some(true) {
            *node = Value::Object(Map::new());
        }
        return;
    };

    // Sub-schemas first, so that parents see normalized children.
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = schema.get_mut(key) {
            if child.is_object() {
                normalize_schema(child, &format!("{pointer}/{key}"), diagnostics);
            }
        }
    }
    for key in ["properties", "patternProperties", "$defs"] {
        if let Some(Value::Object(children)) = schema.get_mut(key) {
            for (name, child) in children.iter_mut() {
                let p = format!("{pointer}/{key}/{}", escape_pointer_token(name));
                normalize_schema(child, &p, diagnostics);
            }
        }
    }
    for key in ["allOf", "oneOf", "anyOf", "prefixItems"] {
        if let Some(Value::Array(children)) = schema.get_mut(key) {
            for (index, child) in children.iter_mut().enumerate() {
                normalize_schema(child, &format!("{pointer}/{key}/{index}"), diagnostics);
            }
        }
    }

    normalize_type(schema, pointer, diagnostics);
    lift_null_branches(schema);

    if let Some(value) = schema.remove("const") {
        schema.entry("enum").or_insert_with(|| Value::Array(vec![value]));
    }
    if let Some(Value::Array(examples)) = schema.remove("examples") {
        if let Some(first) = examples.into_iter().next() {
            schema.entry("example").or_insert(first);
        }
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(limit) = schema.get(exclusive).filter(|v| v.is_number()).cloned() {
            schema.insert(bound.into(), limit);
            schema.insert(exclusive.into(), Value::Bool(true));
        }
    }
    if schema.contains_key("$ref") && schema.len() > 1 {
        wrap_ref_with_siblings(schema);
    }
    for key in ["$schema", "$id", "$defs", "$comment", "contentEncoding", "contentMediaType", "prefixItems"] {
        schema.remove(key);
    }
}

/// `type: [T, "null"]` → `type: T, nullable: true`.
fn normalize_type(schema: &mut Map<String, Value>, pointer: &str, diagnostics: &mut Diagnostics) {
    let types: Vec<String> = match schema.get("type") {
        Some(Value::Array(types)) => types.iter().filter_map(|t| t.as_str().map(str::to_string)).collect(),
        Some(Value::String(single)) if single == "null" => vec!["null".into()],
        _ => return,
    };
    let nullable = types.iter().any(|t| t == "null");
    let concrete: Vec<&String> = types.iter().filter(|t| *t != "null").collect();
    match concrete.as_slice() {
        [single] => {
            schema.insert("type".into(), Value::String((*single).clone()));
        }
        [] => {
            schema.remove("type");
        }
        several => {
            schema.remove("type");
            let names: Vec<&str> = several.iter().map(|s| s.as_str()).collect();
            diagnostics.warn(
                pointer,
                None,
                format!("`type` lists several types ({}); typed as any JSON value", names.join(", ")),
            );
        }
    }
    if nullable {
        schema.insert("nullable".into(), Value::Bool(true));
    }
}

/// `oneOf: [{$ref: X}, {type: "null"}]` → `allOf: [{$ref: X}], nullable: true`.
fn lift_null_branches(schema: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(mut branches)) = schema.remove(key) else { continue };
        let is_null = |branch: &Value| {
            branch.get("nullable") == Some(&Value::Bool(true))
                && branch.as_object().is_some_and(|o| o.keys().all(|k| k == "nullable" || k == "description"))
        };
        let before = branches.len();
        branches.retain(|branch| !is_null(branch));
        if branches.len() == before {
            schema.insert(key.into(), Value::Array(branches));
            continue;
        }
        schema.insert("nullable".into(), Value::Bool(true));
        match branches.len() {
            0 => {}
            1 => {
                let only = branches.remove(0);
                if only.get("$ref").is_some() {
                    schema.insert("allOf".into(), Value::Array(vec![only]));
                } else if let Value::Object(fields) = only {
                    for (field, value) in fields {
                        schema.entry(field).or_insert(value);
                    }
                }
            }
            _ => {
                schema.insert(key.into(), Value::Array(branches));
            }
        }
    }
}

fn wrap_ref_with_siblings(schema: &mut Map<String, Value>) {
    let Some(reference) = schema.remove("$ref") else { return };
    let only_docs = schema.keys().all(|k| matches!(k.as_str(), "description" | "summary"));
    if only_docs {
        // `openapiv3` reads this as a plain reference; the docs are not needed.
        schema.clear();
        schema.insert("$ref".into(), reference);
        return;
    }
    let mut reference_object = Map::new();
    reference_object.insert("$ref".into(), reference);
    let branches = schema.entry("allOf").or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(branches) = branches {
        branches.insert(0, Value::Object(reference_object));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn normalized(schema: Value) -> Value {
        let mut tree = json!({"openapi": "3.1.0", "components": {"schemas": {"S": schema}}, "webhooks": {}});
        let mut diagnostics = Diagnostics::new("t.yaml");
        openapi_31_to_30(&mut tree, &mut diagnostics);
        tree["components"]["schemas"]["S"].clone()
    }

    #[test]
    fn type_arrays_become_nullable() {
        assert_eq!(normalized(json!({"type": ["string", "null"]})), json!({"type": "string", "nullable": true}));
    }

    #[test]
    fn const_and_examples() {
        assert_eq!(
            normalized(json!({"type": "string", "const": "a", "examples": ["a"]})),
            json!({"type": "string", "enum": ["a"], "example": "a"})
        );
    }

    #[test]
    fn nullable_reference_via_one_of() {
        assert_eq!(
            normalized(json!({"oneOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]})),
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
    }

    #[test]
    fn numeric_exclusive_bounds() {
        assert_eq!(
            normalized(json!({"type": "integer", "exclusiveMinimum": 0})),
            json!({"type": "integer", "exclusiveMinimum": true, "minimum": 0})
        );
    }

    #[test]
    fn reference_with_siblings_is_wrapped() {
        assert_eq!(
            normalized(json!({"$ref": "#/components/schemas/T", "nullable": true})),
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
    }
}
