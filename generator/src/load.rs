//! Stage 1: bytes → a validated `openapiv3::OpenAPI`.
//!
//! The file is parsed into a plain JSON tree first, so that OpenAPI 3.1 documents
//! can be normalized into the 3.0 shape `openapiv3` understands (see
//! [`crate::normalize`]) and so that a node `openapiv3` cannot read can be
//! degraded to "any value" with a warning instead of failing the whole spec.

use serde_json::{Map, Value};

use crate::diagnostics::{escape_pointer_token, Diagnostics, Error, Location};
use crate::normalize;
use crate::positions::{self, Kind};
use crate::refs;
use crate::swagger2;

/// How many unreadable schema nodes we are willing to degrade before giving up.
const MAX_DEGRADED_NODES: usize = 200;

/// Parses `text` (YAML or JSON) into a JSON tree; syntax errors carry line and column.
pub fn parse_tree(text: &str, file: &str) -> Result<Value, Error> {
    let looks_like_json = text.trim_start().starts_with('{');
    let syntax = |message: String, line_column: Option<(usize, usize)>| Error::Syntax {
        location: Location { file: file.to_string(), line_column, ..Location::default() },
        message,
    };
    if looks_like_json {
        serde_json::from_str(text).map_err(|e| {
            let message = e.to_string();
            syntax(strip_position(&message), Some((e.line(), e.column())))
        })
    } else {
        serde_yaml::from_str::<Tree>(text).map(|tree| tree.0).map_err(|e| {
            let line_column = e.location().map(|l| (l.line(), l.column()));
            syntax(strip_position(&e.to_string()), line_column)
        })
    }
}

/// A JSON tree read from YAML that accepts any number: an integer outside the
/// 64-bit range (`maximum: 18446744073709552000`, printed by tools that write
/// doubles) becomes the nearest `f64`, as JSON parsers read it, instead of
/// failing the whole document. Schema normalization then decides what such a
/// bound can still mean.
struct Tree(Value);

impl<'de> serde::Deserialize<'de> for Tree {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor).map(Tree)
    }
}

struct TreeVisitor;

impl<'de> serde::de::Visitor<'de> for TreeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map(Value::from).unwrap_or_else(|_| float(v as f64)))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map(Value::from).unwrap_or_else(|_| float(v as f64)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(TreeVisitor)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Tree(item)) = seq.next_element::<Tree>()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        // Keys are read as text: `200:` is the string "200", as in JSON.
        while let Some((key, Tree(value))) = map.next_entry::<String, Tree>()? {
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// A JSON number for `v`; NaN and infinities (`.nan`, `.inf` in YAML) have none and become null.
fn float(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// Parser messages end with " at line L column C"; the location already says that.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

/// Checks the version, converts Swagger 2.0 to 3.0 (module `swagger2`),
/// normalizes 3.1 to 3.0 and reads the typed document.
pub fn load_document(mut tree: Value, diagnostics: &mut Diagnostics) -> Result<openapiv3::OpenAPI, Error> {
    if !tree.is_object() {
        return Err(diagnostics.error("", None, "the document is not an object"));
    }
    match tree.get("swagger") {
        // `swagger: 2.0` unquoted in YAML is a number.
        Some(Value::String(version)) if version == "2.0" => swagger2::to_openapi_30(&mut tree, diagnostics),
        Some(Value::Number(version)) if version.as_f64() == Some(2.0) => {
            swagger2::to_openapi_30(&mut tree, diagnostics)
        }
        Some(version) => {
            return Err(diagnostics.error(
                "/swagger",
                None,
                format!("unsupported Swagger version {version}; only Swagger 2.0 and OpenAPI 3.0/3.1 are supported"),
            ))
        }
        None => {}
    }
    let version = match tree.get("openapi") {
        Some(Value::String(version)) => version.clone(),
        Some(_) => return Err(diagnostics.error("/openapi", None, "`openapi` must be a string such as \"3.0.3\"")),
        None => return Err(diagnostics.error("", None, "missing `openapi` version field: not an OpenAPI 3 document")),
    };
    if !version.starts_with("3.1") && !version.starts_with("3.0") {
        return Err(diagnostics.error(
            "/openapi",
            None,
            format!("unsupported OpenAPI version {version:?}; 3.0.x and 3.1.x are supported"),
        ));
    }
    // References first, while every pointer still addresses what its author
    // meant (3.1 normalization drops `$defs`; `allOf` merging moves members).
    refs::inline_path_item_refs(&mut tree, diagnostics);
    refs::hoist_deep_refs(&mut tree);
    if version.starts_with("3.1") {
        normalize::openapi_31_to_30(&mut tree, diagnostics);
    }
    // JSON-Schema constructs any version may carry (Swagger 2.0 converted included).
    normalize::repair_schemas(&mut tree, diagnostics);
    normalize::fill_required_objects(&mut tree);

    for _ in 0..MAX_DEGRADED_NODES {
        let attempt = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&tree);
        let failure = match attempt {
            Ok(document) => return Ok(document),
            Err(failure) => failure,
        };
        // `openapiv3` flattens paths, operations and schemas, so the error's
        // own path often stops at `/paths`: the culprit is found by reading
        // the tree's objects one by one instead.
        let Some(unreadable) = find_unreadable(&tree) else {
            let pointer = to_pointer(&path_tokens(failure.path()));
            return Err(diagnostics.error(&pointer, None, failure.inner().to_string()));
        };
        degrade(&mut tree, &unreadable, diagnostics)?;
    }
    Err(diagnostics.error("", None, "too many unreadable schemas"))
}

fn path_tokens(path: &serde_path_to_error::Path) -> Vec<String> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect()
}

fn to_pointer(tokens: &[String]) -> String {
    tokens.iter().map(|t| format!("/{}", escape_pointer_token(t))).collect()
}

/// A node `openapiv3` cannot read, whose typed children it all can.
#[derive(Debug)]
struct Unreadable {
    pointer: String,
    kind: Kind,
    message: String,
}

/// Reads `value` as an object of `kind`; the error says why it cannot be.
fn read_as(value: &Value, kind: Kind) -> Result<(), String> {
    use openapiv3::ReferenceOr;
    fn read<'a, T: serde::Deserialize<'a>>(value: &'a Value) -> Result<(), String> {
        serde_path_to_error::deserialize::<_, T>(value).map(drop).map_err(|e| {
            let path = e.path().to_string();
            if path.is_empty() || path == "." {
                e.inner().to_string()
            } else {
                format!("{path}: {}", e.inner())
            }
        })
    }
    match kind {
        Kind::PathItem => read::<ReferenceOr<openapiv3::PathItem>>(value),
        Kind::Operation => read::<openapiv3::Operation>(value),
        Kind::Parameter => read::<ReferenceOr<openapiv3::Parameter>>(value),
        Kind::RequestBody => read::<ReferenceOr<openapiv3::RequestBody>>(value),
        Kind::Response => read::<ReferenceOr<openapiv3::Response>>(value),
        Kind::Header => read::<ReferenceOr<openapiv3::Header>>(value),
        Kind::MediaType => read::<openapiv3::MediaType>(value),
        Kind::Schema => read::<ReferenceOr<openapiv3::Schema>>(value),
    }
}

/// The first unreadable object of the document, innermost first: its parent
/// fails too, but degrading the child is what keeps the most.
fn find_unreadable(tree: &Value) -> Option<Unreadable> {
    let mut candidates = positions::children(tree, "", None);
    let mut found: Option<Unreadable> = None;
    // Depth-first: once a node fails, only its children are candidates.
    while !candidates.is_empty() {
        let mut next = None;
        for (pointer, kind) in candidates {
            let Some(node) = tree.pointer(&pointer) else { continue };
            if let Err(message) = read_as(node, kind) {
                next = Some(positions::children(node, &pointer, Some(kind)));
                found = Some(Unreadable { pointer, kind, message });
                break;
            }
        }
        candidates = next.unwrap_or_default();
    }
    found
}

/// Replaces (or removes) an unreadable node with the most that can be kept,
/// and says so at its pointer.
// Long: one arm per kind of node, each saying what is kept of it.
fn degrade(tree: &mut Value, unreadable: &Unreadable, diagnostics: &mut Diagnostics) -> Result<(), Error> {
    let Unreadable { pointer, kind, message } = unreadable;
    let operation = operation_id_at(tree, pointer);
    let node = tree.pointer(pointer).cloned().unwrap_or(Value::Null);
    let text = |key: &str| node.get(key).filter(|v| v.is_string()).cloned();
    let mut keep = Map::new();
    let keep_docs = |keep: &mut Map<String, Value>, keys: &[&str]| {
        for key in keys {
            if let Some(value) = text(key) {
                keep.insert((*key).to_string(), value);
            }
        }
    };
    let (replacement, consequence) = match kind {
        Kind::Schema => {
            keep_docs(&mut keep, &["title", "description"]);
            (Some(keep), "typed as any JSON value")
        }
        Kind::MediaType => {
            keep.insert("schema".into(), Value::Object(Map::new()));
            (Some(keep), "its body is typed as any JSON value")
        }
        Kind::Header => {
            keep_docs(&mut keep, &["description"]);
            keep.insert("schema".into(), Value::Object(Map::new()));
            (Some(keep), "typed as any JSON value")
        }
        Kind::Response => {
            keep.insert("description".into(), text("description").unwrap_or_else(|| Value::String(String::new())));
            (Some(keep), "its body and headers are not typed")
        }
        Kind::RequestBody => {
            // Each media type stays, as any JSON value.
            let mut content = Map::new();
            if let Some(Value::Object(media)) = node.get("content") {
                for media_type in media.keys() {
                    content.insert(media_type.clone(), serde_json::json!({"schema": {}}));
                }
            }
            keep.insert("content".into(), Value::Object(content));
            if let Some(required) = node.get("required").filter(|v| v.is_boolean()) {
                keep.insert("required".into(), required.clone());
            }
            (Some(keep), "its body is typed as any JSON value")
        }
        Kind::Parameter => {
            let location = node.get("in").and_then(Value::as_str);
            if text("name").is_some() && matches!(location, Some("query" | "header" | "path" | "cookie")) {
                keep_docs(&mut keep, &["name", "in", "description"]);
                let required = location == Some("path") || node.get("required") == Some(&Value::Bool(true));
                keep.insert("required".into(), Value::Bool(required));
                keep.insert("schema".into(), Value::Object(Map::new()));
                (Some(keep), "its value is typed as any JSON value")
            } else {
                (None, "skipped")
            }
        }
        Kind::Operation | Kind::PathItem => (None, "skipped"),
    };
    let noun = match kind {
        Kind::PathItem => "path item",
        Kind::Operation => "operation",
        Kind::Parameter => "parameter",
        Kind::RequestBody => "request body",
        Kind::Response => "response",
        Kind::Header => "header",
        Kind::MediaType => "media type",
        Kind::Schema => "schema",
    };
    let replaced = match replacement {
        Some(replacement) => {
            let replacement = Value::Object(replacement);
            if replacement == node {
                // Nothing left to drop: the document itself is wrong there.
                return Err(diagnostics.error(pointer, operation.as_deref(), message.clone()));
            }
            tree.pointer_mut(pointer).map(|slot| *slot = replacement).is_some()
        }
        None => remove_at(tree, pointer),
    };
    if !replaced {
        return Err(diagnostics.error(pointer, operation.as_deref(), message.clone()));
    }
    diagnostics.warn(pointer, operation.as_deref(), format!("unreadable {noun} ({message}); {consequence}"));
    Ok(())
}

/// Removes the node at `pointer` from its parent object or array.
fn remove_at(tree: &mut Value, pointer: &str) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else { return false };
    let last = positions::unescape(last);
    match tree.pointer_mut(parent) {
        Some(Value::Object(map)) => map.shift_remove(&last).is_some(),
        Some(Value::Array(items)) => match last.parse::<usize>() {
            Ok(index) if index < items.len() => {
                items.remove(index);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// The `operationId` of the operation enclosing `pointer` (`/paths/{p}/{method}/…`).
fn operation_id_at(tree: &Value, pointer: &str) -> Option<String> {
    let mut tokens = pointer.split('/').skip(1);
    if tokens.next()? != "paths" {
        return None;
    }
    let path = tokens.next()?;
    let method = tokens.next()?;
    if !positions::METHODS.contains(&method) {
        return None;
    }
    tree.pointer(&format!("/paths/{path}/{method}"))?.get("operationId")?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_syntax_error_has_line() {
        let error = parse_tree("openapi: 3.0.0\ninfo: [a,\n b: c", "bad.yaml").unwrap_err();
        let text = error.to_string();
        assert!(text.starts_with("bad.yaml:4:1: syntax error"), "{text}");
    }

    #[test]
    fn integers_beyond_64_bits_are_read_as_doubles() {
        let tree = parse_tree("max: 18446744073709552000\nmin: -9223372036854776000\nsmall: 3\n'200': ok\n", "n.yaml")
            .unwrap();
        assert_eq!(tree["max"].as_f64(), Some(18446744073709552000.0));
        assert_eq!(tree["min"].as_f64(), Some(-9223372036854776000.0));
        assert_eq!(tree["small"].as_i64(), Some(3));
        assert_eq!(tree["200"], "ok");
        let tree = parse_tree(r#"{"max": 18446744073709552000}"#, "n.json").unwrap();
        assert_eq!(tree["max"].as_f64(), Some(18446744073709552000.0));
    }

    #[test]
    fn swagger_two_is_converted_and_other_swagger_versions_are_named() {
        let tree = parse_tree("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}", "old.yaml").unwrap();
        load_document(tree, &mut Diagnostics::new("old.yaml")).unwrap();
        let tree = parse_tree("swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}", "older.yaml").unwrap();
        let error = load_document(tree, &mut Diagnostics::new("older.yaml")).unwrap_err();
        assert!(error.to_string().contains("unsupported Swagger version \"1.2\""), "{error}");
        assert_eq!(error.location().map(|l| l.pointer.as_str()), Some("/swagger"));
    }

    #[test]
    fn unreadable_schema_degrades_with_warning() {
        let text = r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},
            "components":{"schemas":{"Bad":{"type":"string","maxLength":"long"}}}}"#;
        let mut diagnostics = Diagnostics::new("s.json");
        let document = load_document(parse_tree(text, "s.json").unwrap(), &mut diagnostics).unwrap();
        assert!(document.components.unwrap().schemas.contains_key("Bad"));
        let warnings = diagnostics.into_warnings();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].location.pointer, "/components/schemas/Bad");
    }
}
