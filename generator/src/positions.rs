//! What object a JSON pointer of an OpenAPI 3.0 document addresses.
//!
//! `openapiv3` flattens several objects (`Paths`, `PathItem`, `Operation`,
//! `Schema`), so its errors lose their place; the loader instead walks the raw
//! tree with this grammar to find, and degrade, the innermost node it cannot
//! read. `refs` uses the same grammar to tell what a deep `$ref` points at.

use serde_json::Value;

use crate::diagnostics::escape_pointer_token;

/// The OpenAPI objects the loader knows how to read (and degrade) one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A path item (`/paths/~1pets`, a callback's expression).
    PathItem,
    /// An operation (`/paths/~1pets/get`).
    Operation,
    /// A parameter (`…/parameters/0`, `/components/parameters/Limit`).
    Parameter,
    /// A request body.
    RequestBody,
    /// A response (`…/responses/200`).
    Response,
    /// A header (`…/headers/X-Rate-Limit`).
    Header,
    /// A media type object (`…/content/application~1json`).
    MediaType,
    /// A schema.
    Schema,
}

/// The HTTP methods of a path item.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Keys of a schema whose value is one schema.
const SCHEMA_SINGLE: [&str; 4] = ["items", "additionalProperties", "not", "contains"];
/// Keys of a schema whose value is a list of schemas.
const SCHEMA_LISTS: [&str; 4] = ["allOf", "oneOf", "anyOf", "prefixItems"];
/// Keys of a schema whose value maps names to schemas.
const SCHEMA_MAPS: [&str; 4] = ["properties", "patternProperties", "$defs", "definitions"];

/// The kind of the object reached from one of kind `parent` through `key`
/// (`None` for the document root), and how many tokens that step takes.
fn step(parent: Option<Kind>, tokens: &[&str]) -> Option<(Kind, usize)> {
    let first = *tokens.first()?;
    let second = tokens.get(1).copied();
    match parent {
        None => match (first, second) {
            ("paths", Some(_)) => Some((Kind::PathItem, 2)),
            ("components", Some(section)) => {
                tokens.get(2)?;
                let kind = match section {
                    "schemas" => Kind::Schema,
                    "responses" => Kind::Response,
                    "parameters" => Kind::Parameter,
                    "requestBodies" => Kind::RequestBody,
                    "headers" => Kind::Header,
                    "pathItems" => Kind::PathItem,
                    _ => return None,
                };
                Some((kind, 3))
            }
            _ => None,
        },
        Some(Kind::PathItem) => match (first, second) {
            ("parameters", Some(_)) => Some((Kind::Parameter, 2)),
            (method, _) if METHODS.contains(&method) => Some((Kind::Operation, 1)),
            _ => None,
        },
        Some(Kind::Operation) => match (first, second) {
            ("parameters", Some(_)) => Some((Kind::Parameter, 2)),
            ("requestBody", _) => Some((Kind::RequestBody, 1)),
            ("responses", Some(_)) => Some((Kind::Response, 2)),
            // `callbacks/{name}/{expression}` is a path item.
            ("callbacks", Some(_)) => tokens.get(2).map(|_| (Kind::PathItem, 3)),
            _ => None,
        },
        Some(Kind::Parameter | Kind::Header) => match (first, second) {
            ("schema", _) => Some((Kind::Schema, 1)),
            ("content", Some(_)) => Some((Kind::MediaType, 2)),
            _ => None,
        },
        Some(Kind::RequestBody) => match (first, second) {
            ("content", Some(_)) => Some((Kind::MediaType, 2)),
            _ => None,
        },
        Some(Kind::Response) => match (first, second) {
            ("content", Some(_)) => Some((Kind::MediaType, 2)),
            ("headers", Some(_)) => Some((Kind::Header, 2)),
            _ => None,
        },
        Some(Kind::MediaType) => match first {
            "schema" => Some((Kind::Schema, 1)),
            _ => None,
        },
        Some(Kind::Schema) => match (first, second) {
            (key, _) if SCHEMA_SINGLE.contains(&key) => Some((Kind::Schema, 1)),
            // Swagger 2.0 / draft 4 tuple `items: [..]`.
            (key, Some(_)) if SCHEMA_LISTS.contains(&key) || SCHEMA_MAPS.contains(&key) || key == "items" => {
                Some((Kind::Schema, 2))
            }
            _ => None,
        },
    }
}

/// The kind of object `pointer` (`/components/schemas/Tag/allOf/0`) addresses,
/// when the grammar knows it.
pub fn kind_at(pointer: &str) -> Option<Kind> {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(unescape).collect();
    let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let mut kind = None;
    let mut rest = tokens.as_slice();
    while !rest.is_empty() {
        let (next, taken) = step(kind, rest)?;
        kind = Some(next);
        rest = &rest[taken..];
    }
    kind
}

/// The typed children of the node `value` of kind `kind` (or of the root),
/// with their pointers, in document order.
pub fn children(value: &Value, pointer: &str, kind: Option<Kind>) -> Vec<(String, Kind)> {
    let mut out = Vec::new();
    let Value::Object(map) = value else { return out };
    for (key, child) in map {
        let child_pointer = format!("{pointer}/{}", escape_pointer_token(key));
        // One-token steps (`schema`, `items`, a method).
        if let Some((child_kind, 1)) = step(kind, &[key.as_str()]) {
            if child.is_object() {
                out.push((child_pointer, child_kind));
            }
            continue;
        }
        match child {
            Value::Object(entries) => {
                for (name, grandchild) in entries {
                    let grandchild_pointer = format!("{child_pointer}/{}", escape_pointer_token(name));
                    if let Some((child_kind, 2)) = step(kind, &[key.as_str(), name.as_str()]) {
                        if grandchild.is_object() {
                            out.push((grandchild_pointer, child_kind));
                        }
                        continue;
                    }
                    // `components/<section>/<name>`, `callbacks/<name>/<expression>`.
                    let Value::Object(leaves) = grandchild else { continue };
                    for (leaf, leaf_value) in leaves {
                        let tokens = [key.as_str(), name.as_str(), leaf.as_str()];
                        if let (Some((leaf_kind, 3)), true) = (step(kind, &tokens), leaf_value.is_object()) {
                            out.push((format!("{grandchild_pointer}/{}", escape_pointer_token(leaf)), leaf_kind));
                        }
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    let index_token = index.to_string();
                    if let (Some((child_kind, 2)), true) = (step(kind, &[key.as_str(), &index_token]), item.is_object())
                    {
                        out.push((format!("{child_pointer}/{index}"), child_kind));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Decodes one JSON pointer token (`~1` → `/`, `~0` → `~`).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kinds_of_pointers() {
        assert_eq!(kind_at("/components/schemas/Tag/allOf/0"), Some(Kind::Schema));
        assert_eq!(kind_at("/components/responses/Conflict/content/application~1json/schema"), Some(Kind::Schema));
        assert_eq!(kind_at("/components/responses/Conflict"), Some(Kind::Response));
        assert_eq!(kind_at("/paths/~1trees/get/responses/201"), Some(Kind::Response));
        assert_eq!(kind_at("/paths/~1trees/parameters/0"), Some(Kind::Parameter));
        assert_eq!(kind_at("/components/schemas/A/properties/items/items"), Some(Kind::Schema));
        assert_eq!(kind_at("/components/schemas/A/$defs/B"), Some(Kind::Schema));
        assert_eq!(kind_at("/components/responses/Conflict/content"), None);
        assert_eq!(kind_at("/info/title"), None);
        assert_eq!(kind_at(""), None);
    }

    #[test]
    fn children_of_the_root_and_of_an_operation() {
        let tree = json!({"paths": {"/a": {"get": {"parameters": [{"name": "x"}], "responses": {"200": {}}}}},
                          "components": {"schemas": {"S": {}}, "examples": {"E": {}}}});
        let root: Vec<(String, Kind)> = children(&tree, "", None);
        assert_eq!(
            root,
            vec![("/paths/~1a".to_string(), Kind::PathItem), ("/components/schemas/S".to_string(), Kind::Schema)]
        );
        let operation = children(&tree["paths"]["/a"]["get"], "/paths/~1a/get", Some(Kind::Operation));
        assert_eq!(
            operation,
            vec![
                ("/paths/~1a/get/parameters/0".to_string(), Kind::Parameter),
                ("/paths/~1a/get/responses/200".to_string(), Kind::Response)
            ]
        );
    }
}
