//! Parameter serialization by `style` and `explode` (OpenAPI 3.0.3
//! §4.7.12.4): path `simple`/`label`/`matrix`, query
//! `form`/`spaceDelimited`/`pipeDelimited`/`deepObject`, header `simple` and
//! cookie `form`, for primitives, arrays and objects.
//!
//! A value is first turned into its JSON form (so enums give their wire
//! names, dates RFC 3339 and `None` fields are left out), then written as the
//! style says. Values are percent-encoded (everything but RFC 3986
//! unreserved characters); the style's own delimiters (`,` `.` `;` `=` `|`
//! `[` `]`) are written literally, so a server tells a delimiter from a
//! delimiter character inside a value. An element that is itself an array
//! or object (which no style defines) is written as its JSON text; the
//! generator warns about such parameters.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::Value;

/// Every byte except the RFC 3986 unreserved characters.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// How a parameter is serialized (the `style` of its description).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamStyle {
    /// `blue,black` (path and header default).
    Simple,
    /// `.blue.black` (path).
    Label,
    /// `;color=blue,black` (path).
    Matrix,
    /// `color=blue&color=black` or `color=blue,black` (query and cookie default).
    Form,
    /// `color=blue%20black` (query).
    SpaceDelimited,
    /// `color=blue|black` (query).
    PipeDelimited,
    /// `color[R]=100&color[G]=200` (query objects).
    DeepObject,
}

/// A value as the styles see it.
enum Shape {
    /// `null` or `""`: an empty value.
    Empty,
    Primitive(String),
    Array(Vec<String>),
    Object(Vec<(String, Value)>),
}

fn shape<T: Serialize + ?Sized>(value: &T) -> Shape {
    match serde_json::to_value(value) {
        // RFC 6570 writes an empty string as `;color`, `.` and `color=`, like `null`.
        Ok(Value::Null) | Err(_) => Shape::Empty,
        Ok(Value::String(text)) if text.is_empty() => Shape::Empty,
        Ok(Value::Array(items)) => Shape::Array(items.iter().map(text).collect()),
        Ok(Value::Object(fields)) => Shape::Object(fields.into_iter().filter(|(_, value)| !value.is_null()).collect()),
        Ok(other) => Shape::Primitive(text(&other)),
    }
}

/// A scalar's text (a string unquoted); a nested array or object, its JSON.
fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn enc(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// Keys and values of an object, each encoded, flattened: `R,100,G,200`.
fn flat(fields: &[(String, Value)]) -> Vec<String> {
    fields.iter().flat_map(|(key, value)| [enc(key), enc(&text(value))]).collect()
}

/// `R=100`, each side encoded.
fn pairs(fields: &[(String, Value)]) -> Vec<String> {
    fields.iter().map(|(key, value)| format!("{}={}", enc(key), enc(&text(value)))).collect()
}

/// The text replacing `{name}` in a path, percent-encoded, with the style's
/// prefix (`.` for `label`, `;name=` for `matrix`). A style that is not a
/// path style is written as `simple`.
///
/// ```text
/// simple  false  blue     blue,black,brown           R,100,G,200,B,150
/// simple  true   blue     blue,black,brown           R=100,G=200,B=150
/// label   false  .blue    .blue.black.brown          .R.100.G.200.B.150
/// label   true   .blue    .blue.black.brown          .R=100.G=200.B=150
/// matrix  false  ;color=blue  ;color=blue,black,brown    ;color=R,100,G,200,B,150
/// matrix  true   ;color=blue  ;color=blue;color=black;color=brown  ;R=100;G=200;B=150
/// ```
pub fn path_param<T: Serialize + ?Sized>(name: &str, value: &T, style: ParamStyle, explode: bool) -> String {
    let name = enc(name);
    match (style, shape(value)) {
        (ParamStyle::Label, Shape::Empty) => ".".to_owned(),
        (ParamStyle::Label, Shape::Primitive(v)) => format!(".{}", enc(&v)),
        (ParamStyle::Label, Shape::Array(items)) => prefixed(".", items.iter().map(|v| enc(v))),
        (ParamStyle::Label, Shape::Object(fields)) if explode => prefixed(".", pairs(&fields)),
        (ParamStyle::Label, Shape::Object(fields)) => prefixed(".", flat(&fields)),
        (ParamStyle::Matrix, Shape::Empty) => format!(";{name}"),
        (ParamStyle::Matrix, Shape::Primitive(v)) => format!(";{name}={}", enc(&v)),
        (ParamStyle::Matrix, Shape::Array(items)) if explode => {
            prefixed(";", items.iter().map(|v| format!("{name}={}", enc(v))))
        }
        (ParamStyle::Matrix, Shape::Array(items)) => {
            format!(";{name}={}", items.iter().map(|v| enc(v)).collect::<Vec<_>>().join(","))
        }
        (ParamStyle::Matrix, Shape::Object(fields)) if explode => prefixed(";", pairs(&fields)),
        (ParamStyle::Matrix, Shape::Object(fields)) => format!(";{name}={}", flat(&fields).join(",")),
        (_, shape) => simple(shape, explode, enc),
    }
}

/// `.a.b.c` / `;a;b`: each part after the prefix.
fn prefixed(prefix: &str, parts: impl IntoIterator<Item = String>) -> String {
    parts.into_iter().map(|part| format!("{prefix}{part}")).collect()
}

fn simple(shape: Shape, explode: bool, encode: fn(&str) -> String) -> String {
    match shape {
        Shape::Empty => String::new(),
        Shape::Primitive(v) => encode(&v),
        Shape::Array(items) => items.iter().map(|v| encode(v)).collect::<Vec<_>>().join(","),
        Shape::Object(fields) => {
            let parts: Vec<String> = if explode {
                fields.iter().map(|(k, v)| format!("{}={}", encode(k), encode(&text(v)))).collect()
            } else {
                fields.iter().flat_map(|(k, v)| [encode(k), encode(&text(v))]).collect()
            };
            parts.join(",")
        }
    }
}

/// The query text of a parameter, percent-encoded: one or more `name=value`
/// pairs joined by `&`, or an empty string when an object has no fields (or
/// an array no items, exploded). Pass it to
/// `Request::query_encoded`.
///
/// ```text
/// form            false  color=blue  color=blue,black,brown               color=R,100,G,200,B,150
/// form            true   color=blue  color=blue&color=black&color=brown   R=100&G=200&B=150
/// spaceDelimited  false              color=blue%20black%20brown           color=R%20100%20G%20200%20B%20150
/// pipeDelimited   false              color=blue|black|brown               color=R|100|G|200|B|150
/// deepObject      true                                                    color[R]=100&color[G]=200&color[B]=150
/// ```
///
/// `spaceDelimited` and `pipeDelimited` with `explode: true`, and
/// `deepObject` for a value that is not an object, have no defined form:
/// they are written as `form` with `explode: true` (the generator warns).
/// A path style is written as `form`.
pub fn query_param<T: Serialize + ?Sized>(name: &str, value: &T, style: ParamStyle, explode: bool) -> String {
    let key = enc(name);
    let delimiter = match style {
        ParamStyle::SpaceDelimited if !explode => "%20",
        ParamStyle::PipeDelimited if !explode => "|",
        _ => ",",
    };
    let exploded = explode || style == ParamStyle::DeepObject;
    match shape(value) {
        Shape::Empty => format!("{key}="),
        Shape::Primitive(v) => format!("{key}={}", enc(&v)),
        Shape::Array(items) if exploded => {
            items.iter().map(|v| format!("{key}={}", enc(v))).collect::<Vec<_>>().join("&")
        }
        Shape::Array(items) => format!("{key}={}", items.iter().map(|v| enc(v)).collect::<Vec<_>>().join(delimiter)),
        Shape::Object(fields) if style == ParamStyle::DeepObject => {
            let mut out = Vec::new();
            for (field, value) in &fields {
                deep_object(&format!("{key}[{}]", enc(field)), value, &mut out);
            }
            out.join("&")
        }
        Shape::Object(fields) if exploded => pairs(&fields).join("&"),
        Shape::Object(fields) => format!("{key}={}", flat(&fields).join(delimiter)),
    }
}

/// `color[R]=100`; nested objects nest their keys (`a[b][c]=1`) and arrays
/// index them (`a[tags][0]=x`), as `qs`-style servers read them.
fn deep_object(prefix: &str, value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Null => {}
        Value::Object(fields) => {
            for (field, value) in fields {
                deep_object(&format!("{prefix}[{}]", enc(field)), value, out);
            }
        }
        Value::Array(items) => {
            for (index, value) in items.iter().enumerate() {
                deep_object(&format!("{prefix}[{index}]"), value, out);
            }
        }
        scalar => out.push(format!("{prefix}={}", enc(&text(scalar)))),
    }
}

/// A header value (`simple`): `blue,black,brown`, `R,100,G,200` or, exploded,
/// `R=100,G=200`. Not percent-encoded: a header carries visible ASCII as is,
/// and a value that cannot be sent is rejected when the request is built.
pub fn header_param<T: Serialize + ?Sized>(value: &T, explode: bool) -> String {
    simple(shape(value), explode, str::to_owned)
}

/// A cookie's value (`form`, not exploded): `blue,black,brown` or
/// `R,100,G,200`, percent-encoded, so `;`, `,` and spaces inside a value
/// cannot end the cookie. Sent as `name=value` in the `Cookie` header.
pub fn cookie_param<T: Serialize + ?Sized>(value: &T) -> String {
    simple(shape(value), false, enc)
}

#[cfg(test)]
mod tests {
    use super::ParamStyle::{self, *};
    use super::*;
    use serde_json::json;

    /// The specification's Style Examples table (OpenAPI 3.0.3 §4.7.12.4.1):
    /// `color` as `""` (empty), `"blue"`, `["blue","black","brown"]` and
    /// `{"R":100,"G":200,"B":150}`. `None` is a cell the table marks n/a.
    ///
    /// Two deliberate departures, both corrections of OpenAPI 3.0.4: the
    /// `spaceDelimited` and `pipeDelimited` rows keep the `color=` name the
    /// 3.0.3 table leaves out (a query pair without its name cannot be read
    /// back), and `simple` has no empty cell in the table; ours is `""`.
    #[allow(clippy::type_complexity)]
    const TABLE: &[(ParamStyle, bool, [Option<&str>; 4])] = &[
        (
            Matrix,
            false,
            [Some(";color"), Some(";color=blue"), Some(";color=blue,black,brown"), Some(";color=R,100,G,200,B,150")],
        ),
        (
            Matrix,
            true,
            [
                Some(";color"),
                Some(";color=blue"),
                Some(";color=blue;color=black;color=brown"),
                Some(";R=100;G=200;B=150"),
            ],
        ),
        (Label, false, [Some("."), Some(".blue"), Some(".blue.black.brown"), Some(".R.100.G.200.B.150")]),
        (Label, true, [Some("."), Some(".blue"), Some(".blue.black.brown"), Some(".R=100.G=200.B=150")]),
        (
            Form,
            false,
            [Some("color="), Some("color=blue"), Some("color=blue,black,brown"), Some("color=R,100,G,200,B,150")],
        ),
        (
            Form,
            true,
            [Some("color="), Some("color=blue"), Some("color=blue&color=black&color=brown"), Some("R=100&G=200&B=150")],
        ),
        (Simple, false, [None, Some("blue"), Some("blue,black,brown"), Some("R,100,G,200,B,150")]),
        (Simple, true, [None, Some("blue"), Some("blue,black,brown"), Some("R=100,G=200,B=150")]),
        (
            SpaceDelimited,
            false,
            [None, None, Some("color=blue%20black%20brown"), Some("color=R%20100%20G%20200%20B%20150")],
        ),
        (PipeDelimited, false, [None, None, Some("color=blue|black|brown"), Some("color=R|100|G|200|B|150")]),
        (DeepObject, true, [None, None, None, Some("color[R]=100&color[G]=200&color[B]=150")]),
    ];

    /// Path styles through `path_param`, query styles through `query_param`;
    /// `simple` (the path and header style) through both of its writers.
    fn serialize(style: ParamStyle, explode: bool, value: &Value) -> Vec<String> {
        match style {
            Matrix | Label => vec![path_param("color", value, style, explode)],
            Simple => vec![path_param("color", value, style, explode), header_param(value, explode)],
            _ => vec![query_param("color", value, style, explode)],
        }
    }

    #[test]
    fn every_cell_of_the_style_examples_table() {
        let values =
            [json!(""), json!("blue"), json!(["blue", "black", "brown"]), json!({"R": 100, "G": 200, "B": 150})];
        let mut cells = 0;
        for (style, explode, row) in TABLE {
            for (value, expected) in values.iter().zip(row) {
                let Some(expected) = expected else { continue };
                for got in serialize(*style, *explode, value) {
                    assert_eq!(got, *expected, "{style:?} explode={explode} {value}");
                }
                cells += 1;
            }
        }
        assert_eq!(cells, 35, "every defined cell is checked");
    }

    #[test]
    fn values_are_encoded_delimiters_are_not() {
        let value = json!(["a,b", "c d", "é|"]);
        assert_eq!(query_param("q", &value, PipeDelimited, false), "q=a%2Cb|c%20d|%C3%A9%7C");
        assert_eq!(path_param("id", &json!("a/b"), Label, false), ".a%2Fb");
        assert_eq!(path_param("id", &value, Simple, false), "a%2Cb,c%20d,%C3%A9%7C");
        assert_eq!(cookie_param(&json!("a; b")), "a%3B%20b");
        assert_eq!(query_param("a b", &json!("x"), Form, true), "a%20b=x");
    }

    #[test]
    fn deep_objects_nest_and_skip_absent_fields() {
        let value = json!({"name": "x y", "range": {"min": 1, "max": null}, "tags": ["a", "b"]});
        assert_eq!(
            query_param("filter", &value, DeepObject, true),
            "filter[name]=x%20y&filter[range][min]=1&filter[tags][0]=a&filter[tags][1]=b"
        );
        assert_eq!(query_param("filter", &json!({}), DeepObject, true), "");
    }

    #[test]
    fn undefined_combinations_fall_back_to_exploded_form() {
        let colors = json!(["blue", "black"]);
        assert_eq!(query_param("color", &colors, DeepObject, true), "color=blue&color=black");
        assert_eq!(query_param("color", &colors, PipeDelimited, true), "color=blue&color=black");
        assert_eq!(query_param("color", &json!("blue"), SpaceDelimited, false), "color=blue");
    }

    #[test]
    fn typed_values_use_their_wire_form() {
        #[derive(Serialize)]
        struct Filter {
            #[serde(rename = "minPrice")]
            min_price: Option<f64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            name: Option<String>,
            active: bool,
        }
        let filter = Filter { min_price: None, name: None, active: true };
        assert_eq!(query_param("f", &filter, DeepObject, true), "f[active]=true");
        assert_eq!(header_param(&filter, true), "active=true");
        assert_eq!(header_param(&[1, 2], false), "1,2");
    }
}
