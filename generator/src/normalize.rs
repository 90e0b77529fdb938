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
//! | `webhooks`, `jsonSchemaDialect`   | dropped, with a warning               |
//! | `components/pathItems`            | dropped (references to them are inlined by `refs`) |
//!
//! [`repair_schemas`] then runs on every document, whatever its version (a
//! converted Swagger 2.0 one included), and rewrites what `openapiv3` cannot
//! read or the model cannot type into what it can:
//!
//! | written                                   | read as                                                  |
//! |-------------------------------------------|----------------------------------------------------------|
//! | `type: [T, "null"]` (2.0, 3.0)            | `type: T, nullable: true`                                |
//! | `items: [A, A]`, `prefixItems: [A, A]`    | `items: A`; different members: any value, with a warning |
//! | integer bound or length beyond 64 bits    | a whole `f64` bound kept as an integer when it fits, else dropped with a warning |
//! | `enum`/`const` without `type`             | the literals' type (`const: 2` → `type: integer`)        |
//! | `patternProperties: {p: A}`               | `additionalProperties: A` (a map; the key pattern is not checked) |
//! | `allOf: [A, {nullable, description, …}]`  | `A` with the keywords applied                            |

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
        // `refs::inline_path_item_refs` has copied them where they are used.
        components.remove("pathItems");
    }
    if let Some(Value::Object(license)) = root.get_mut("info").and_then(|info| info.get_mut("license")) {
        license.remove("identifier");
    }
    walk_document(tree, String::new(), diagnostics, normalize_schema);
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

/// What is done to each top-level schema (it recurses into its own children).
type SchemaPass = fn(&mut Value, &str, &mut Diagnostics);

/// Finds schema positions outside schemas (`…/schema`, `components/schemas/*`).
fn walk_document(node: &mut Value, pointer: String, diagnostics: &mut Diagnostics, pass: SchemaPass) {
    match node {
        Value::Object(map) => {
            let in_components = pointer == "/components";
            for (key, child) in map.iter_mut() {
                let child_pointer = format!("{pointer}/{}", escape_pointer_token(key));
                if key == "schema" && child.is_object() {
                    pass(child, &child_pointer, diagnostics);
                } else if in_components && key == "schemas" {
                    if let Value::Object(schemas) = child {
                        for (name, schema) in schemas.iter_mut() {
                            let p = format!("{child_pointer}/{}", escape_pointer_token(name));
                            pass(schema, &p, diagnostics);
                        }
                    }
                } else if key != "example" && key != "examples" {
                    walk_document(child, child_pointer, diagnostics, pass);
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                walk_document(child, format!("{pointer}/{index}"), diagnostics, pass);
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
    // `contentEncoding: base64` is 3.0's `format: byte`.
    if schema.get("contentEncoding").and_then(Value::as_str) == Some("base64") && !schema.contains_key("format") {
        schema.insert("format".into(), Value::String("byte".into()));
    }
    // Keywords whose meaning no Rust type here carries: said, not silently lost.
    for key in ["if", "dependentSchemas", "unevaluatedProperties", "unevaluatedItems"] {
        if matches!(schema.get(key), Some(Value::Object(_))) {
            diagnostics.warn(&format!("{pointer}/{key}"), None, format!("`{key}` is not modelled; ignored"));
        }
    }
    // `prefixItems` and `patternProperties` are left to `repair_schemas`; the
    // `$defs` a reference uses were moved into components by `refs`.
    for key in ["$schema", "$id", "$defs", "$comment", "contentEncoding", "contentMediaType"] {
        schema.remove(key);
    }
}

/// Rewrites, in every schema of any version, what `openapiv3` cannot read or
/// the model cannot type (see the second table of the module docs).
pub fn repair_schemas(tree: &mut Value, diagnostics: &mut Diagnostics) {
    walk_document(tree, String::new(), diagnostics, repair_schema);
}

/// Keywords that qualify a schema without giving it a shape: an `allOf`
/// member made of these only modifies the one typed member beside it.
const MODIFIER_KEYWORDS: [&str; 24] = [
    "nullable",
    "description",
    "title",
    "readOnly",
    "writeOnly",
    "default",
    "example",
    "examples",
    "deprecated",
    "externalDocs",
    "xml",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
    "format",
    "$comment",
];

/// Integer-valued keywords `openapiv3` reads as `usize`.
const LENGTH_KEYWORDS: [&str; 6] = ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"];

fn repair_schema(node: &mut Value, pointer: &str, diagnostics: &mut Diagnostics) {
    let Value::Object(schema) = node else {
        if node.as_bool() == Some(true) {
            *node = Value::Object(Map::new());
        }
        return;
    };
    // Children first, so that parents see repaired children.
    for key in ["items", "additionalProperties", "not"] {
        match schema.get_mut(key) {
            Some(child @ Value::Object(_)) => repair_schema(child, &format!("{pointer}/{key}"), diagnostics),
            Some(Value::Array(children)) if key == "items" => {
                for (index, child) in children.iter_mut().enumerate() {
                    repair_schema(child, &format!("{pointer}/items/{index}"), diagnostics);
                }
            }
            _ => {}
        }
    }
    for key in ["properties", "patternProperties"] {
        if let Some(Value::Object(children)) = schema.get_mut(key) {
            for (name, child) in children.iter_mut() {
                repair_schema(child, &format!("{pointer}/{key}/{}", escape_pointer_token(name)), diagnostics);
            }
        }
    }
    for key in ["allOf", "oneOf", "anyOf", "prefixItems"] {
        if let Some(Value::Array(children)) = schema.get_mut(key) {
            for (index, child) in children.iter_mut().enumerate() {
                repair_schema(child, &format!("{pointer}/{key}/{index}"), diagnostics);
            }
        }
    }
    normalize_type(schema, pointer, diagnostics);
    tuple_items(schema, pointer, diagnostics);
    integer_keywords(schema, pointer, diagnostics);
    if let Some(value) = schema.remove("const") {
        schema.entry("enum").or_insert_with(|| Value::Array(vec![value]));
    }
    type_from_literals(schema);
    pattern_properties(schema, pointer, diagnostics);
    merge_modifier_all_of(schema, pointer, diagnostics);
}

/// The extension a fixed-length tuple of different element schemas is kept
/// in for the model (`openapiv3` has no tuples): its member schemas, in order.
pub(crate) const TUPLE_EXTENSION: &str = "x-oapi-gen-tuple";

/// Tuples (`prefixItems: [..]`, or draft-4 `items: [..]`) whose members are all
/// one schema are arrays of it. A tuple of different members with a fixed
/// length (3.1 `items: false`, draft-4 `additionalItems: false`, or
/// `minItems` = `maxItems` = its length) is a Rust tuple, kept in
/// [`TUPLE_EXTENSION`]; any other cannot be one Rust element type.
fn tuple_items(schema: &mut Map<String, Value>, pointer: &str, diagnostics: &mut Diagnostics) {
    let (key, mut members) = match (schema.remove("prefixItems"), schema.get("items")) {
        (Some(Value::Array(prefix)), _) => ("prefixItems", prefix),
        (Some(_), _) => return,
        (None, Some(Value::Array(_))) => match schema.remove("items") {
            Some(Value::Array(members)) => ("items", members),
            _ => return,
        },
        (None, _) => return,
    };
    let mut closed = matches!(schema.remove("additionalItems"), Some(Value::Bool(false)));
    // With `prefixItems`, `items` (a schema) types the elements after the prefix.
    if key == "prefixItems" {
        match schema.remove("items") {
            Some(rest @ Value::Object(_)) => members.push(rest),
            Some(Value::Bool(true)) => members.push(Value::Object(Map::new())),
            Some(Value::Bool(false)) => closed = true,
            _ => {}
        }
    }
    let count = |key: &str| schema.get(key).and_then(Value::as_u64);
    let fixed_length = count("minItems").zip(count("maxItems")).is_some_and(|(min, max)| min == max);
    let exact = fixed_length && count("minItems") == Some(members.len() as u64);
    schema.entry("type").or_insert_with(|| Value::String("array".into()));
    let first = members.first().cloned().unwrap_or_else(|| Value::Object(Map::new()));
    if members.iter().all(|member| *member == first) {
        schema.insert("items".into(), first);
    } else if (closed || exact) && !members.is_empty() {
        // `(A, B)`: serde reads and writes a tuple as an array of exactly its length.
        schema.insert("items".into(), Value::Object(Map::new()));
        schema.insert(TUPLE_EXTENSION.into(), Value::Array(members));
    } else {
        diagnostics.warn(
            &format!("{pointer}/{key}"),
            None,
            format!(
                "a tuple of {} different element schemas has no one Rust element type; items typed as any JSON value",
                members.len()
            ),
        );
        schema.insert("items".into(), Value::Object(Map::new()));
    }
}

/// Bounds of integers and lengths must be 64-bit integers for `openapiv3`;
/// tools that print doubles write `18446744073709552000`.
fn integer_keywords(schema: &mut Map<String, Value>, pointer: &str, diagnostics: &mut Diagnostics) {
    let is_integer = schema.get("type").and_then(Value::as_str) == Some("integer");
    if is_integer {
        unsigned_64_range(schema);
    }
    let bounds: &[&str] = if is_integer { &["minimum", "maximum", "multipleOf"] } else { &[] };
    for key in bounds.iter().chain(LENGTH_KEYWORDS.iter()) {
        let Some(Value::Number(number)) = schema.get(*key) else { continue };
        let unsigned = LENGTH_KEYWORDS.contains(key);
        let fits = if unsigned { number.is_u64() } else { number.is_i64() };
        if fits {
            continue;
        }
        let value = number.as_f64().unwrap_or(f64::NAN);
        let whole = value.fract() == 0.0;
        // Exactly representable in the target type (the f64 → i64 cast saturates).
        // `i64::MAX` printed as a double is 2^63, one past it: the writer meant the type's maximum.
        let repaired = if unsigned {
            (whole && value >= 0.0 && value < u64::MAX as f64).then(|| Value::from(value as u64))
        } else if value == i64::MAX as f64 {
            Some(Value::from(i64::MAX))
        } else {
            (whole && value >= i64::MIN as f64 && value < i64::MAX as f64).then(|| Value::from(value as i64))
        };
        match repaired {
            Some(repaired) => {
                schema.insert((*key).to_string(), repaired);
            }
            None => {
                diagnostics.warn(
                    &format!("{pointer}/{key}"),
                    None,
                    format!("`{key}: {number}` does not fit a 64-bit integer; bound dropped"),
                );
                schema.remove(*key);
            }
        }
    }
    // Whole doubles in an integer enum (`1.0`) are integers.
    if let (true, Some(Value::Array(values))) = (is_integer, schema.get_mut("enum")) {
        for value in values.iter_mut() {
            if let Some(float) = value.as_f64().filter(|f| !value.is_i64() && f.fract() == 0.0 && f.abs() < 9.0e15) {
                *value = Value::from(float as i64);
            }
        }
    }
}

/// `minimum: 0, maximum: 18446744073709552000` (`u64::MAX` printed as a double,
/// as Go tools write `uint64`) is the range of `u64`: the format says so and
/// the bound, which no `i64` holds, is the type's own.
fn unsigned_64_range(schema: &mut Map<String, Value>) {
    let maximum = schema.get("maximum").and_then(Value::as_f64);
    let minimum = schema.get("minimum").and_then(Value::as_f64);
    let u64_max = u64::MAX as f64;
    let is_u64_max = maximum == Some(u64_max) || schema.get("maximum").and_then(Value::as_u64) == Some(u64::MAX);
    if !is_u64_max || minimum.is_some_and(|m| m < 0.0) {
        return;
    }
    let format = schema.get("format").and_then(Value::as_str);
    if matches!(format, None | Some("int64" | "uint64" | "uint")) {
        schema.insert("format".into(), Value::String("uint64".into()));
        schema.remove("maximum");
    }
}

/// `enum` (or `const`) without `type`: the type of its literals, when they share one.
fn type_from_literals(schema: &mut Map<String, Value>) {
    if schema.contains_key("type") {
        return;
    }
    let shaped = ["$ref", "allOf", "oneOf", "anyOf", "properties", "items"];
    if shaped.iter().any(|k| schema.contains_key(*k)) {
        return;
    }
    let Some(Value::Array(values)) = schema.get("enum") else { return };
    let kind = |value: &Value| match value {
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        _ => None,
    };
    let has_null = values.iter().any(Value::is_null);
    let mut kinds: Vec<&str> = values.iter().filter(|v| !v.is_null()).filter_map(kind).collect();
    kinds.dedup();
    // Integers among numbers are numbers.
    if kinds.contains(&"number") {
        kinds.retain(|k| *k != "integer");
        kinds.dedup();
    }
    let typ = match kinds.as_slice() {
        [one] => *one,
        _ => return,
    };
    // Integer and number enums keep their values (as docs); the type is the number's.
    if has_null {
        schema.insert("nullable".into(), Value::Bool(true));
    }
    schema.insert("type".into(), Value::String(typ.into()));
}

/// `patternProperties: {pattern: A}` → a map of `A` (`additionalProperties: A`).
fn pattern_properties(schema: &mut Map<String, Value>, pointer: &str, diagnostics: &mut Diagnostics) {
    let Some(Value::Object(patterns)) = schema.remove("patternProperties") else { return };
    let Some(first) = patterns.values().next().cloned() else { return };
    let same = patterns.values().all(|p| *p == first);
    let additional = schema.get("additionalProperties").cloned();
    let open = matches!(&additional, None | Some(Value::Bool(_)))
        || additional.as_ref().is_some_and(|a| *a == Value::Object(Map::new()));
    let value = if same && (open || additional.as_ref() == Some(&first)) {
        first
    } else {
        diagnostics.warn(
            &format!("{pointer}/patternProperties"),
            None,
            "values of `patternProperties` (and `additionalProperties`) differ by key pattern; map values typed as any JSON value",
        );
        Value::Object(Map::new())
    };
    schema.insert("additionalProperties".into(), value);
    if !schema.contains_key("type") && !schema.contains_key("allOf") {
        schema.insert("type".into(), Value::String("object".into()));
    }
}

/// `allOf` of one typed member plus members that only qualify it (`nullable`,
/// `description`, `readOnly`, `default`, constraints) is that member with the
/// qualifiers applied. Members that disagree on a keyword are left alone, with
/// a warning saying which keyword.
fn merge_modifier_all_of(schema: &mut Map<String, Value>, pointer: &str, diagnostics: &mut Diagnostics) {
    let Some(Value::Array(members)) = schema.get("allOf") else { return };
    if members.len() < 2 {
        return;
    }
    let is_modifier = |member: &Value| {
        member
            .as_object()
            .is_some_and(|fields| fields.keys().all(|k| MODIFIER_KEYWORDS.contains(&k.as_str()) || k.starts_with("x-")))
    };
    let typed: Vec<usize> = (0..members.len()).filter(|&i| !is_modifier(&members[i])).collect();
    let [typed] = typed.as_slice() else { return };
    let typed_member = members[*typed].clone();
    let modifiers: Vec<Map<String, Value>> =
        members.iter().enumerate().filter(|(i, _)| i != typed).filter_map(|(_, m)| m.as_object().cloned()).collect();
    let mut merged: Map<String, Value> = Map::new();
    for modifier in &modifiers {
        for (key, value) in modifier {
            match merged.get(key) {
                Some(existing)
                    if existing != value && !key.starts_with("x-") && key != "description" && key != "title" =>
                {
                    diagnostics.warn(
                        &format!("{pointer}/allOf"),
                        None,
                        format!("`allOf` members disagree on `{key}` ({existing} and {value}); not merged"),
                    );
                    return;
                }
                Some(_) => {}
                None => {
                    merged.insert(key.clone(), value.clone());
                }
            }
        }
    }
    schema.remove("allOf");
    // The schema's own keywords win over its members'.
    let inline = typed_member.as_object().filter(|m| !m.contains_key("$ref")).cloned();
    match inline {
        Some(fields) if fields.keys().all(|k| !schema.contains_key(k) || schema.get(k) == fields.get(k)) => {
            for (key, value) in fields {
                schema.insert(key, value);
            }
        }
        _ => {
            schema.insert("allOf".into(), Value::Array(vec![typed_member]));
        }
    }
    for (key, value) in merged {
        schema.entry(key).or_insert(value);
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
    fn base64_content_and_unmodelled_keywords() {
        assert_eq!(
            normalized(json!({"type": "string", "contentEncoding": "base64"})),
            json!({"type": "string", "format": "byte"})
        );
        let mut tree =
            json!({"openapi": "3.1.0", "components": {"schemas": {"S": {"if": {"required": ["a"]}, "then": {}}}}});
        let mut diagnostics = Diagnostics::new("t.yaml");
        openapi_31_to_30(&mut tree, &mut diagnostics);
        let warnings = diagnostics.into_warnings();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].location.pointer, "/components/schemas/S/if");
    }

    #[test]
    fn reference_with_siblings_is_wrapped() {
        assert_eq!(
            normalized(json!({"$ref": "#/components/schemas/T", "nullable": true})),
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
    }

    fn repaired(schema: Value) -> (Value, Vec<String>) {
        let mut tree = json!({"openapi": "3.0.3", "components": {"schemas": {"S": schema}}});
        let mut diagnostics = Diagnostics::new("t.yaml");
        repair_schemas(&mut tree, &mut diagnostics);
        let warnings = diagnostics.into_warnings().into_iter().map(|w| w.message).collect();
        (tree["components"]["schemas"]["S"].clone(), warnings)
    }

    #[test]
    fn type_arrays_are_repaired_in_any_version() {
        let (schema, warnings) = repaired(json!({"type": ["integer", "null"]}));
        assert_eq!(schema, json!({"type": "integer", "nullable": true}));
        assert!(warnings.is_empty());
    }

    #[test]
    fn tuples_of_one_schema_are_arrays_and_others_warn() {
        let (schema, _) = repaired(json!({"type": "array", "items": [{"type": "string"}, {"type": "string"}]}));
        assert_eq!(schema, json!({"type": "array", "items": {"type": "string"}}));
        let (schema, warnings) = repaired(json!({"prefixItems": [{"type": "string"}], "items": {"type": "integer"}}));
        assert_eq!(schema, json!({"type": "array", "items": {}}));
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn fixed_tuples_of_different_members_are_kept_for_the_model() {
        let members = json!([{"type": "string"}, {"type": "integer"}]);
        let tuple = json!({"type": "array", "items": {}, TUPLE_EXTENSION: members.clone()});
        let closed_31 = repaired(json!({"prefixItems": members.clone(), "items": false}));
        assert_eq!(closed_31, (tuple.clone(), vec![]));
        let closed_draft4 = repaired(json!({"items": members.clone(), "additionalItems": false}));
        assert_eq!(closed_draft4, (tuple, vec![]));
        let (exact, warnings) = repaired(json!({"prefixItems": members.clone(), "minItems": 2, "maxItems": 2}));
        assert_eq!(exact[TUPLE_EXTENSION], members);
        assert!(warnings.is_empty());
        // Open, or of another length: no one Rust type.
        let (open, warnings) = repaired(json!({"prefixItems": members.clone(), "minItems": 1, "maxItems": 1}));
        assert!(open.get(TUPLE_EXTENSION).is_none() && warnings.len() == 1, "{open} {warnings:?}");
    }

    #[test]
    fn integer_bounds_beyond_64_bits() {
        let (schema, warnings) = repaired(json!({"type": "integer", "maximum": 1.0e30_f64,
            "minimum": -9223372036854775808.0_f64, "maxLength": 5.0_f64}));
        assert_eq!(schema, json!({"type": "integer", "minimum": i64::MIN, "maxLength": 5}));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("does not fit a 64-bit integer"), "{warnings:?}");
        // `u64::MAX` as a double over a non-negative integer: the range of `u64`.
        let (schema, warnings) =
            repaired(json!({"type": "integer", "minimum": 0, "maximum": 18446744073709552000.0_f64}));
        assert_eq!(schema, json!({"type": "integer", "minimum": 0, "format": "uint64"}));
        assert!(warnings.is_empty());
        // `i64::MAX` as a double (2^63) is `i64::MAX`.
        let (schema, _) = repaired(json!({"type": "integer", "maximum": 9223372036854775807.0_f64}));
        assert_eq!(schema, json!({"type": "integer", "maximum": i64::MAX}));
        // A number keeps any double.
        let (schema, warnings) = repaired(json!({"type": "number", "maximum": 1.0e300}));
        assert_eq!(schema, json!({"type": "number", "maximum": 1.0e300}));
        assert!(warnings.is_empty());
    }

    #[test]
    fn literals_give_their_type() {
        assert_eq!(repaired(json!({"const": 2})).0, json!({"enum": [2], "type": "integer"}));
        assert_eq!(
            repaired(json!({"enum": ["a", null]})).0,
            json!({"enum": ["a", null], "type": "string", "nullable": true})
        );
        assert_eq!(repaired(json!({"enum": [1, 2.5]})).0, json!({"enum": [1, 2.5], "type": "number"}));
        // Mixed literals have no one type.
        assert_eq!(repaired(json!({"enum": [1, "a"]})).0, json!({"enum": [1, "a"]}));
    }

    #[test]
    fn pattern_properties_are_a_map() {
        let (schema, warnings) = repaired(json!({"patternProperties": {"^a": {"type": "string"}}}));
        assert_eq!(schema, json!({"additionalProperties": {"type": "string"}, "type": "object"}));
        assert!(warnings.is_empty());
        let (schema, warnings) = repaired(
            json!({"type": "object", "patternProperties": {"^a": {"type": "string"}, "^b": {"type": "integer"}}}),
        );
        assert_eq!(schema, json!({"type": "object", "additionalProperties": {}}));
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn all_of_modifiers_apply_to_the_typed_member() {
        let (schema, _) = repaired(json!({"allOf": [{"type": "string", "enum": ["a"]}, {"nullable": false}]}));
        assert_eq!(schema, json!({"type": "string", "enum": ["a"], "nullable": false}));
        let (schema, _) = repaired(json!({"allOf": [{"$ref": "#/components/schemas/T"}, {"description": "d"}]}));
        assert_eq!(schema, json!({"allOf": [{"$ref": "#/components/schemas/T"}], "description": "d"}));
        // Two typed members are a real composition: untouched.
        let composed = json!({"allOf": [{"$ref": "#/components/schemas/T"}, {"required": ["id"]}]});
        assert_eq!(repaired(composed.clone()).0, composed);
        let (_, warnings) = repaired(json!({"allOf": [{"type": "string"}, {"maxLength": 1}, {"maxLength": 2}]}));
        assert_eq!(warnings, ["`allOf` members disagree on `maxLength` (1 and 2); not merged"]);
    }
}
