//! Stage 1: bytes → a validated `openapiv3::OpenAPI`.
//!
//! The file is parsed into a plain JSON tree first, so that OpenAPI 3.1 documents
//! can be normalized into the 3.0 shape `openapiv3` understands (see
//! [`crate::normalize`]) and so that a node `openapiv3` cannot read can be
//! degraded to "any value" with a warning instead of failing the whole spec.

use serde_json::Value;

use crate::diagnostics::{escape_pointer_token, Diagnostics, Error, Location};
use crate::normalize;
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
        serde_yaml::from_str(text).map_err(|e| {
            let line_column = e.location().map(|l| (l.line(), l.column()));
            syntax(strip_position(&e.to_string()), line_column)
        })
    }
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
    if version.starts_with("3.1") {
        normalize::openapi_31_to_30(&mut tree, diagnostics);
    } else if !version.starts_with("3.0") {
        return Err(diagnostics.error(
            "/openapi",
            None,
            format!("unsupported OpenAPI version {version:?}; 3.0.x and 3.1.x are supported"),
        ));
    }
    normalize::fill_required_objects(&mut tree);

    for _ in 0..MAX_DEGRADED_NODES {
        let attempt = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&tree);
        let failure = match attempt {
            Ok(document) => return Ok(document),
            Err(failure) => failure,
        };
        let tokens = path_tokens(failure.path());
        let pointer = to_pointer(&tokens);
        match enclosing_schema(&tokens) {
            Some(schema_tokens) if !schema_tokens.is_empty() => {
                let schema_pointer = to_pointer(&schema_tokens);
                if let Some(node) = tree.pointer_mut(&schema_pointer) {
                    if *node == Value::Object(Default::default()) {
                        return Err(diagnostics.error(&pointer, None, failure.inner().to_string()));
                    }
                    *node = Value::Object(Default::default());
                }
                diagnostics.warn(
                    &schema_pointer,
                    None,
                    format!("unreadable schema ({}); typed as any JSON value", failure.inner()),
                );
            }
            _ => return Err(diagnostics.error(&pointer, None, failure.inner().to_string())),
        }
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

/// The innermost prefix of `tokens` that addresses a schema object.
fn enclosing_schema(tokens: &[String]) -> Option<Vec<String>> {
    let is_schema_at = |end: usize| -> bool {
        let parent = end.checked_sub(2).map(|i| tokens[i].as_str());
        let key = tokens[end - 1].as_str();
        let grandparent = end.checked_sub(3).map(|i| tokens[i].as_str());
        matches!(key, "schema" | "items" | "additionalProperties" | "not")
            || matches!(parent, Some("properties" | "allOf" | "oneOf" | "anyOf"))
            || (parent == Some("schemas") && grandparent == Some("components"))
    };
    (1..=tokens.len()).rev().find(|&end| is_schema_at(end)).map(|end| tokens[..end].to_vec())
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
