//! A JSON value satisfying a schema, for the conformance driver's arguments.
//!
//! Works on the loaded document as JSON (after Swagger 2.0 conversion and the
//! 3.1 → 3.0 normalization), so every keyword is visible: `const`/`enum`
//! first (always valid), then `example`, `default`, then a value built from
//! `type`, `format`, bounds, lengths and `pattern`. Objects get their required
//! properties and, near the top, the optional ones too (so more of the request
//! shape is exercised); `readOnly` properties are never sent.

use serde_json::{json, Map, Value};

use super::pattern;

/// How deep optional properties are still filled in.
const OPTIONAL_DEPTH: usize = 2;
/// Beyond this depth only required properties are, and recursion stops.
const MAX_DEPTH: usize = 8;

/// Synthesizes values for schemas of one document.
pub struct Synth<'a> {
    doc: &'a Value,
    /// Whether the spec's `example` and `default` values are taken before
    /// a value built from the schema's own keywords.
    examples: bool,
}

impl<'a> Synth<'a> {
    /// A synthesizer resolving `$ref`s in `doc`, preferring the spec's examples.
    pub fn new(doc: &'a Value) -> Self {
        Synth { doc, examples: true }
    }

    /// One that ignores `example` and `default`: the fallback when a spec's
    /// example contradicts its own schema (an integer example of a string).
    pub fn schema_only(doc: &'a Value) -> Self {
        Synth { doc, examples: false }
    }

    /// Follows `$ref` chains (local only); `None` for a dangling one.
    pub fn resolve(&self, mut node: &'a Value) -> Option<&'a Value> {
        for _ in 0..16 {
            match node.get("$ref").and_then(Value::as_str) {
                Some(reference) => node = self.doc.pointer(reference.strip_prefix('#')?)?,
                None => return Some(node),
            }
        }
        None
    }

    /// A value for `schema`.
    pub fn value(&self, schema: &Value) -> Value {
        self.at(schema, 0)
    }

    fn at(&self, schema: &Value, depth: usize) -> Value {
        let Some(schema) = self.resolve(schema) else { return Value::Null };
        if let Some(value) = schema.get("const").or_else(|| schema.get("x-const")) {
            return value.clone();
        }
        if let Some(first) = schema.get("enum").and_then(Value::as_array).and_then(|v| v.iter().find(|v| !v.is_null()))
        {
            return first.clone();
        }
        if self.examples {
            if let Some(example) = schema.get("example").filter(|v| !v.is_null()) {
                return example.clone();
            }
            if let Some(default) = schema.get("default").filter(|v| !v.is_null()) {
                return default.clone();
            }
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            return self.all_of(schema, parts, depth);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(first) = schema.get(key).and_then(Value::as_array).and_then(|b| b.first()) {
                let mut value = self.at(first, depth + 1);
                self.set_discriminator(schema, first, &mut value);
                return value;
            }
        }
        let typ = schema.get("type").and_then(Value::as_str);
        match typ {
            Some("object") => self.object(schema, depth),
            None if schema.get("properties").is_some() => self.object(schema, depth),
            Some("array") => self.array(schema, depth),
            None if schema.get("items").is_some() => self.array(schema, depth),
            Some("integer") => json!(integer(schema)),
            Some("number") => number(schema),
            Some("boolean") => Value::Bool(true),
            Some("string") => Value::String(string(schema)),
            _ => Value::String("conform".into()),
        }
    }

    /// `allOf`: the parts' objects merged (the schema's own properties too).
    fn all_of(&self, schema: &Value, parts: &[Value], depth: usize) -> Value {
        let mut merged = Map::new();
        let mut last = Value::Null;
        for part in parts {
            match self.at(part, depth + 1) {
                Value::Object(object) => merged.extend(object),
                other => last = other,
            }
        }
        if schema.get("properties").is_some() {
            if let Value::Object(own) = self.object(schema, depth) {
                merged.extend(own);
            }
        }
        if merged.is_empty() && !last.is_null() {
            return last;
        }
        Value::Object(merged)
    }

    /// Sets the parent's `discriminator.propertyName` to the value that selects
    /// `branch`: its `mapping` key, else the branch's own `enum`/`const` for
    /// the property, else the component name.
    fn set_discriminator(&self, parent: &Value, branch: &Value, value: &mut Value) {
        let Some(property) = parent.pointer("/discriminator/propertyName").and_then(Value::as_str) else { return };
        let Value::Object(object) = value else { return };
        let reference = branch.get("$ref").and_then(Value::as_str);
        let mapped = parent.pointer("/discriminator/mapping").and_then(Value::as_object).and_then(|mapping| {
            mapping.iter().find(|(_, target)| target.as_str() == reference).map(|(key, _)| key.clone())
        });
        let tag = mapped
            .or_else(|| self.fixed_value(branch, property, 0))
            .or_else(|| reference.and_then(|r| r.rsplit('/').next()).map(str::to_string));
        if let Some(tag) = tag {
            object.insert(property.to_string(), Value::String(tag));
        }
    }

    /// The one value `schema`'s `property` may take (`const`, a one-value
    /// `enum`), looking through `allOf` parts.
    fn fixed_value(&self, schema: &Value, property: &str, depth: usize) -> Option<String> {
        let schema = self.resolve(schema)?;
        if depth > 8 {
            return None;
        }
        if let Some(node) = schema.pointer(&format!("/properties/{}", property.replace('~', "~0").replace('/', "~1"))) {
            let node = self.resolve(node)?;
            if let Some(value) = node.get("const").and_then(Value::as_str) {
                return Some(value.to_string());
            }
            if let Some([only]) = node.get("enum").and_then(Value::as_array).map(Vec::as_slice) {
                return only.as_str().map(str::to_string);
            }
        }
        let parts = schema.get("allOf").and_then(Value::as_array)?;
        parts.iter().find_map(|part| self.fixed_value(part, property, depth + 1))
    }

    fn object(&self, schema: &Value, depth: usize) -> Value {
        let mut out = Map::new();
        let required: Vec<&str> =
            schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                let is_required = required.contains(&name.as_str());
                if !is_required && depth >= OPTIONAL_DEPTH {
                    continue;
                }
                if depth >= MAX_DEPTH && !is_required {
                    continue;
                }
                let resolved = self.resolve(property);
                let read_only = resolved.and_then(|p| p.get("readOnly")).and_then(Value::as_bool).unwrap_or(false);
                let deprecated = resolved.and_then(|p| p.get("deprecated")).and_then(Value::as_bool).unwrap_or(false);
                if read_only || (deprecated && !is_required) {
                    continue;
                }
                if depth >= MAX_DEPTH {
                    out.insert(name.clone(), Value::Null);
                    continue;
                }
                out.insert(name.clone(), self.at(property, depth + 1));
            }
        }
        Value::Object(out)
    }

    fn array(&self, schema: &Value, depth: usize) -> Value {
        if depth >= MAX_DEPTH {
            return json!([]);
        }
        // A fixed tuple: one value per member, in order.
        if let Some(members) = schema.get(crate::normalize::TUPLE_EXTENSION).and_then(Value::as_array) {
            return Value::Array(members.iter().map(|member| self.at(member, depth + 1)).collect());
        }
        let count = schema.get("minItems").and_then(Value::as_u64).unwrap_or(1).clamp(1, 4) as usize;
        let count = match schema.get("maxItems").and_then(Value::as_u64) {
            Some(max) => count.min(max as usize),
            None => count,
        };
        let item = schema.get("items").map(|items| self.at(items, depth + 1)).unwrap_or(json!("conform"));
        Value::Array(vec![item; count])
    }
}

/// 1 moved into `[minimum, maximum]` (exclusive bounds honoured).
fn integer(schema: &Value) -> i64 {
    let min = schema.get("minimum").and_then(Value::as_f64);
    let max = schema.get("maximum").and_then(Value::as_f64);
    let exclusive = |key: &str| schema.get(key).and_then(Value::as_bool).unwrap_or(false);
    let mut value: i64 = 1;
    if let Some(min) = min {
        let low = if exclusive("exclusiveMinimum") { min.floor() as i64 + 1 } else { min.ceil() as i64 };
        value = value.max(low);
    }
    if let Some(max) = max {
        let high = if exclusive("exclusiveMaximum") { max.ceil() as i64 - 1 } else { max.floor() as i64 };
        value = value.min(high);
    }
    if let Some(step) = schema.get("multipleOf").and_then(Value::as_i64).filter(|s| *s > 0) {
        value = (value / step).max(1) * step;
    }
    value
}

fn number(schema: &Value) -> Value {
    let min = schema.get("minimum").and_then(Value::as_f64);
    let max = schema.get("maximum").and_then(Value::as_f64);
    let mut value = 1.5;
    if let Some(min) = min {
        if value <= min {
            value = min + 0.5;
        }
    }
    if let Some(max) = max {
        if value >= max {
            value = match min {
                Some(min) => (min + max) / 2.0,
                None => max - 0.5,
            };
        }
    }
    json!(value)
}

fn string(schema: &Value) -> String {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or_default();
    let by_format = match format {
        "date-time" => Some("2024-01-02T03:04:05Z"),
        "date" => Some("2024-01-02"),
        "time" => Some("03:04:05"),
        "uuid" => Some("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        "email" => Some("user@example.com"),
        "uri" | "url" | "uri-reference" | "iri" => Some("https://example.com/conform"),
        "hostname" => Some("example.com"),
        "ipv4" => Some("192.0.2.1"),
        "ipv6" => Some("2001:db8::1"),
        "byte" => Some("Y29uZm9ybQ=="),
        "duration" => Some("P1D"),
        _ => None,
    };
    if let Some(text) = by_format {
        return text.to_string();
    }
    if let Some(sample) = schema.get("pattern").and_then(Value::as_str).and_then(pattern::sample) {
        return sample;
    }
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = schema.get("maxLength").and_then(Value::as_u64).map(|m| m as usize);
    let mut text = String::from("conform");
    while text.len() < min {
        text.push('x');
    }
    if let Some(max) = max {
        text.truncate(max.max(min));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_honour_keywords() {
        let doc = json!({
            "components": {"schemas": {
                "Kind": {"type": "string", "enum": ["range", "value"]},
                "Range": {"type": "object", "required": ["type", "start"], "properties": {
                    "type": {"type": "string", "enum": ["range"]},
                    "start": {"type": "integer", "minimum": 5, "maximum": 9},
                    "id": {"type": "string", "readOnly": true},
                    "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
                    "name": {"type": "string", "minLength": 10, "maxLength": 12}
                }},
                "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}], "discriminator": {"propertyName": "petType"}},
                "Cat": {"type": "object", "properties": {"petType": {"type": "string"}}},
                "Shape": {"oneOf": [{"$ref": "#/components/schemas/Range"}], "discriminator": {"propertyName": "type"}}
            }}
        });
        let synth = Synth::new(&doc);
        assert_eq!(synth.value(&json!({"$ref": "#/components/schemas/Kind"})), json!("range"));
        assert_eq!(
            synth.value(&json!({"$ref": "#/components/schemas/Range"})),
            json!({"type": "range", "start": 5, "code": "AAA", "name": "conformxxx"})
        );
        assert_eq!(synth.value(&json!({"$ref": "#/components/schemas/Pet"})), json!({"petType": "Cat"}));
        assert_eq!(synth.value(&json!({"$ref": "#/components/schemas/Shape"}))["type"], json!("range"));
        assert_eq!(synth.value(&json!({"type": "number", "exclusiveMaximum": true, "maximum": 1})), json!(0.5));
        assert_eq!(synth.value(&json!({"type": "string", "maxLength": 3})), json!("con"));
    }
}
