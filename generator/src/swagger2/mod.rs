//! Swagger 2.0 → OpenAPI 3.0.3 conversion on the raw JSON tree.
//!
//! The rest of the pipeline reads OpenAPI 3.0 only, so a Swagger 2.0 document
//! is rewritten in place into the equivalent 3.0 document first, in the same
//! style as [`crate::normalize`]: a pure tree transform that reports what it
//! drops or approximates as warnings located by JSON pointers into the
//! document *as written* (the 2.0 shape).
//!
//! | Swagger 2.0                                   | OpenAPI 3.0                                                  |
//! |-----------------------------------------------|--------------------------------------------------------------|
//! | `swagger: "2.0"`                              | `openapi: "3.0.3"`                                           |
//! | `host` + `basePath` + `schemes`               | `servers`, one per scheme, `https` first (default `https`); no `host`: the relative `basePath` |
//! | `definitions/X`                               | `components/schemas/X`                                       |
//! | `parameters/X` (`in: body`)                   | `components/requestBodies/X`                                 |
//! | `parameters/X` (path, query, header)          | `components/parameters/X`                                    |
//! | `parameters/X` (`in: formData`)               | inlined into the form body of each operation using it        |
//! | `responses/X`                                 | `components/responses/X`                                     |
//! | `securityDefinitions/X`                       | `components/securitySchemes/X`                               |
//! | `type: basic`                                 | `type: http, scheme: basic`                                  |
//! | `type: apiKey`                                | unchanged                                                    |
//! | `type: oauth2, flow: implicit/password/application/accessCode` | `flows: implicit/password/clientCredentials/authorizationCode` |
//! | `$ref: #/definitions/X`                       | `$ref: #/components/schemas/X`                               |
//! | `$ref: #/parameters/X`                        | `#/components/parameters/X`, or `#/components/requestBodies/X` for a body |
//! | `$ref: #/responses/X`                         | `#/components/responses/X`                                   |
//! | parameter `in: body`                          | `requestBody`, one media type per `consumes` (operation, else document, else `application/json`) |
//! | parameters `in: formData`                     | `requestBody` with an object schema: `application/x-www-form-urlencoded`, or `multipart/form-data` when `consumes` lists it or a field is a file |
//! | parameter `type`, `format`, `items`, `enum`, `default`, bounds, `pattern`… | the same keywords under `schema`     |
//! | `collectionFormat: csv` (the 2.0 default)     | query: `style: form, explode: false`; path, header: `simple` |
//! | `collectionFormat: multi`                     | `style: form, explode: true`                                 |
//! | `collectionFormat: ssv` / `pipes`             | `style: spaceDelimited` / `pipeDelimited`                    |
//! | `collectionFormat: tsv`                       | as `csv`, with a warning                                     |
//! | response `schema`                             | `content`, one media type per `produces` (operation, else document, else `application/json`) |
//! | response `headers/H/type`…                    | `headers/H/schema`                                           |
//! | response `examples`                           | dropped, with a warning                                      |
//! | schema `type: file`                           | `type: string, format: binary`                               |
//! | schema `x-nullable: true`                     | `nullable: true` (a `$ref` is wrapped in `allOf`)            |
//! | schema `discriminator: prop`                  | `discriminator: {propertyName: prop}`                        |
//! | `consumes`, `produces`                        | used as above, then removed                                  |
//! | operation `schemes`, `ws`/`wss` schemes       | dropped, with a warning                                      |
//!
//! Vendor extensions (`x-…`) are kept wherever 3.0 allows them. Parameters are
//! converted once (document-level and path-level ones where they are declared),
//! so a problem in a shared parameter is reported once, at its declaration.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::diagnostics::{escape_pointer_token, Diagnostics};

/// The media type assumed when neither the operation nor the document says.
const DEFAULT_MEDIA_TYPE: &str = "application/json";
/// The form media type used when `consumes` names none.
const FORM_URLENCODED: &str = "application/x-www-form-urlencoded";
/// The form media type that can carry files.
const MULTIPART: &str = "multipart/form-data";
/// The operations of a 2.0 path item.
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];
/// The keywords of a 2.0 non-body parameter, header or items object that
/// describe its value; in 3.0 they live in its `schema`.
const SCHEMA_KEYWORDS: [&str; 17] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];
/// Keys whose values are literal data, never holding a `$ref` to rewrite.
const LITERAL_KEYS: [&str; 5] = ["example", "examples", "x-example", "enum", "default"];
/// Keys whose values are maps from names (which may be `default`, `example`…) to objects.
const NAME_MAP_KEYS: [&str; 12] = [
    "properties",
    "patternProperties",
    "schemas",
    "parameters",
    "requestBodies",
    "responses",
    "headers",
    "securitySchemes",
    "paths",
    "content",
    "encoding",
    "callbacks",
];

/// Rewrites a Swagger 2.0 document in place into an OpenAPI 3.0.3 document.
///
/// Anything dropped or approximated is reported through `diagnostics` with a
/// JSON pointer into the 2.0 document. A tree that is not an object is left
/// alone (the loader reports it).
pub fn to_openapi_30(tree: &mut Value, diagnostics: &mut Diagnostics) {
    let Some(root) = tree.as_object_mut() else { return };
    let source = std::mem::take(root);
    let mut converter = Converter::new(&source, diagnostics);
    let mut document = converter.document(source);
    converter.rewrite_refs(&mut document);
    *root = document;
}

/// A converted 2.0 parameter.
enum Param {
    /// A path, query or header parameter (or a reference to one).
    Simple(Value),
    /// A request body (or a reference to one), with the component it names, if any.
    Body { body: Value, component: Option<String> },
    /// One field of a form body.
    Form(FormField),
}

/// One `in: formData` parameter, as a property of the form body's object schema.
#[derive(Clone)]
struct FormField {
    name: String,
    schema: Value,
    required: bool,
    /// A `type: file` field: the body must be `multipart/form-data`.
    is_file: bool,
    /// `style`/`explode` of an array field, for the urlencoded `encoding`.
    style: Option<(&'static str, bool)>,
}

/// Where a value-describing parameter or header is, for `collectionFormat`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Location {
    Query,
    Path,
    Header,
    Form,
}

impl Location {
    fn name(self) -> &'static str {
        match self {
            Location::Query => "query",
            Location::Path => "path",
            Location::Header => "header",
            Location::Form => "formData",
        }
    }
}

struct Converter<'d> {
    diagnostics: &'d mut Diagnostics,
    /// The document's `consumes`, else `application/json`.
    consumes: Vec<String>,
    /// The document's `produces`, else `application/json`.
    produces: Vec<String>,
    /// The document's `parameters` as written, to see what `#/parameters/X` names.
    parameters: Map<String, Value>,
    /// Names (decoded) of document-level body parameters: `components/requestBodies`.
    body_names: HashSet<String>,
    /// Converted document-level request bodies by (decoded) name.
    request_bodies: Map<String, Value>,
    /// Converted document-level form fields by (decoded) name.
    form_fields: Vec<(String, FormField)>,
}

impl<'d> Converter<'d> {
    fn new(source: &Map<String, Value>, diagnostics: &'d mut Diagnostics) -> Self {
        let parameters = match source.get("parameters") {
            Some(Value::Object(parameters)) => parameters.clone(),
            Some(_) => {
                diagnostics.warn("/parameters", None, "`parameters` is not an object; ignored");
                Map::new()
            }
            None => Map::new(),
        };
        let body_names = parameters
            .iter()
            .filter(|(_, p)| p.get("in").and_then(Value::as_str) == Some("body"))
            .map(|(name, _)| name.clone())
            .collect();
        let mut converter = Converter {
            diagnostics,
            consumes: Vec::new(),
            produces: Vec::new(),
            parameters,
            body_names,
            request_bodies: Map::new(),
            form_fields: Vec::new(),
        };
        converter.consumes = converter
            .media_types(source.get("consumes"), "/consumes")
            .unwrap_or_else(|| vec![DEFAULT_MEDIA_TYPE.to_string()]);
        converter.produces = converter
            .media_types(source.get("produces"), "/produces")
            .unwrap_or_else(|| vec![DEFAULT_MEDIA_TYPE.to_string()]);
        converter
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.diagnostics.warn(pointer, None, message);
    }

    /// The root object, keys in their original order where they survive.
    fn document(&mut self, source: Map<String, Value>) -> Map<String, Value> {
        let mut servers = self.servers(&source);
        let mut components = Some(self.components(&source)).filter(|c| !c.is_empty());
        let mut out = Map::new();
        out.insert("openapi".into(), Value::String("3.0.3".into()));
        for (key, value) in source {
            match key.as_str() {
                "swagger" | "openapi" | "consumes" | "produces" => {}
                "host" | "basePath" | "schemes" => {
                    if let Some(servers) = servers.take() {
                        out.insert("servers".into(), servers);
                    }
                }
                "definitions" | "parameters" | "responses" | "securityDefinitions" | "components" => {
                    if let Some(components) = components.take() {
                        out.insert("components".into(), Value::Object(components));
                    }
                }
                "paths" => {
                    let paths = self.paths(value);
                    out.insert(key, paths);
                }
                _ => {
                    out.insert(key, value);
                }
            }
        }
        out
    }

    /// `consumes`/`produces`: a non-empty list of strings, else `None`.
    fn media_types(&mut self, value: Option<&Value>, pointer: &str) -> Option<Vec<String>> {
        let value = value?;
        let Value::Array(items) = value else {
            self.warn(pointer, "not a list of media types; ignored");
            return None;
        };
        let list: Vec<String> = items.iter().filter_map(Value::as_str).map(str::to_string).collect();
        if list.len() != items.len() {
            self.warn(pointer, "entries that are not strings are ignored");
        }
        (!list.is_empty()).then_some(list)
    }

    // ----- servers -----------------------------------------------------------

    /// `host` + `basePath` + `schemes` → `servers`.
    fn servers(&mut self, source: &Map<String, Value>) -> Option<Value> {
        let host = match source.get("host") {
            Some(Value::String(host)) if !host.trim().is_empty() => Some(host.trim().trim_end_matches('/').to_string()),
            Some(Value::String(_)) | None => None,
            Some(_) => {
                self.warn("/host", "`host` is not a string; ignored");
                None
            }
        };
        let base_path = match source.get("basePath") {
            Some(Value::String(path)) => {
                let path = path.trim().trim_end_matches('/');
                Some(if path.starts_with('/') || path.is_empty() { path.to_string() } else { format!("/{path}") })
            }
            Some(_) => {
                self.warn("/basePath", "`basePath` is not a string; ignored");
                None
            }
            None => None,
        };
        let Some(host) = host else {
            // Relative to wherever the document is served from.
            return base_path.map(|path| {
                let url = if path.is_empty() { "/".to_string() } else { path };
                Value::Array(vec![server(url)])
            });
        };
        let base_path = base_path.unwrap_or_default();
        if host.contains("://") {
            self.warn("/host", "`host` should not include a scheme; used as the server's origin");
            return Some(Value::Array(vec![server(format!("{host}{base_path}"))]));
        }
        let mut schemes: Vec<&str> = Vec::new();
        match source.get("schemes") {
            Some(Value::Array(listed)) => {
                for (index, scheme) in listed.iter().enumerate() {
                    match scheme.as_str().map(str::to_ascii_lowercase).as_deref() {
                        Some("https") if !schemes.contains(&"https") => schemes.insert(0, "https"),
                        Some("http") if !schemes.contains(&"http") => schemes.push("http"),
                        Some("https" | "http") => {}
                        _ => self.warn(
                            &format!("/schemes/{index}"),
                            "only http and https servers are supported; this scheme is dropped",
                        ),
                    }
                }
            }
            Some(_) => self.warn("/schemes", "`schemes` is not a list; https is assumed"),
            None => {}
        }
        if schemes.is_empty() {
            schemes.push("https");
        }
        let servers = schemes.into_iter().map(|scheme| server(format!("{scheme}://{host}{base_path}"))).collect();
        Some(Value::Array(servers))
    }

    // ----- components --------------------------------------------------------

    /// `definitions`, `parameters`, `responses`, `securityDefinitions` → `components`.
    fn components(&mut self, source: &Map<String, Value>) -> Map<String, Value> {
        let mut components = match source.get("components") {
            Some(Value::Object(existing)) => existing.clone(),
            _ => Map::new(),
        };

        let mut schemas = Map::new();
        match source.get("definitions") {
            Some(Value::Object(definitions)) => {
                for (name, schema) in definitions {
                    let mut schema = schema.clone();
                    self.schema(&mut schema, &format!("/definitions/{}", escape_pointer_token(name)));
                    schemas.insert(name.clone(), schema);
                }
            }
            Some(_) => self.warn("/definitions", "`definitions` is not an object; ignored"),
            None => {}
        }
        extend_object(&mut components, "schemas", schemas);

        let mut parameters = Map::new();
        let mut request_bodies = Map::new();
        for (name, parameter) in self.parameters.clone() {
            let pointer = format!("/parameters/{}", escape_pointer_token(&name));
            let consumes = self.consumes.clone();
            match self.parameter(parameter, &pointer, &consumes) {
                Some(Param::Simple(parameter)) => {
                    parameters.insert(name, parameter);
                }
                Some(Param::Body { body, .. }) => {
                    request_bodies.insert(name, body);
                }
                Some(Param::Form(field)) => self.form_fields.push((name, field)),
                None => {}
            }
        }
        self.request_bodies = request_bodies.clone();
        extend_object(&mut components, "parameters", parameters);
        extend_object(&mut components, "requestBodies", request_bodies);

        let mut responses = Map::new();
        match source.get("responses") {
            Some(Value::Object(listed)) => {
                let produces = self.produces.clone();
                for (name, response) in listed {
                    let pointer = format!("/responses/{}", escape_pointer_token(name));
                    responses.insert(name.clone(), self.response(response.clone(), &pointer, &produces));
                }
            }
            Some(_) => self.warn("/responses", "`responses` is not an object; ignored"),
            None => {}
        }
        extend_object(&mut components, "responses", responses);

        let mut schemes = Map::new();
        match source.get("securityDefinitions") {
            Some(Value::Object(definitions)) => {
                for (name, definition) in definitions {
                    let pointer = format!("/securityDefinitions/{}", escape_pointer_token(name));
                    if let Some(scheme) = self.security_scheme(definition, &pointer) {
                        schemes.insert(name.clone(), scheme);
                    }
                }
            }
            Some(_) => self.warn("/securityDefinitions", "`securityDefinitions` is not an object; ignored"),
            None => {}
        }
        extend_object(&mut components, "securitySchemes", schemes);
        components
    }

    /// One `securityDefinitions` entry → a 3.0 security scheme.
    fn security_scheme(&mut self, definition: &Value, pointer: &str) -> Option<Value> {
        let Value::Object(definition) = definition else {
            self.warn(pointer, "not a security scheme object; dropped");
            return None;
        };
        let mut out = Map::new();
        match definition.get("type").and_then(Value::as_str) {
            Some("basic") => {
                out.insert("type".into(), "http".into());
                out.insert("scheme".into(), "basic".into());
            }
            Some("apiKey") => {
                out.insert("type".into(), "apiKey".into());
                for key in ["name", "in"] {
                    if let Some(value) = definition.get(key) {
                        out.insert(key.into(), value.clone());
                    }
                }
            }
            Some("oauth2") => {
                let flow = self.oauth2_flow(definition, pointer)?;
                out.insert("type".into(), "oauth2".into());
                out.insert("flows".into(), flow);
            }
            other => {
                let shown = other.map_or_else(|| "no type".to_string(), |t| format!("type {t:?}"));
                self.warn(pointer, format!("security scheme with {shown} is not supported; dropped"));
                return None;
            }
        }
        if let Some(description) = definition.get("description") {
            out.insert("description".into(), description.clone());
        }
        copy_extensions(definition, &mut out);
        Some(Value::Object(out))
    }

    /// `flow` + `authorizationUrl` + `tokenUrl` + `scopes` → `flows: {<flow>: {…}}`.
    fn oauth2_flow(&mut self, definition: &Map<String, Value>, pointer: &str) -> Option<Value> {
        let (name, urls): (&str, &[&str]) = match definition.get("flow").and_then(Value::as_str) {
            Some("implicit") => ("implicit", &["authorizationUrl"]),
            Some("password") => ("password", &["tokenUrl"]),
            Some("application") => ("clientCredentials", &["tokenUrl"]),
            Some("accessCode") => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
            other => {
                let shown = other.map_or_else(|| "no flow".to_string(), |f| format!("flow {f:?}"));
                self.warn(pointer, format!("OAuth2 security scheme with {shown} is not supported; dropped"));
                return None;
            }
        };
        let mut flow = Map::new();
        for &url in urls {
            match definition.get(url) {
                Some(Value::String(value)) => {
                    flow.insert(url.into(), Value::String(value.clone()));
                }
                _ => {
                    self.warn(pointer, format!("OAuth2 flow without a `{url}`; an empty one is assumed"));
                    flow.insert(url.into(), Value::String(String::new()));
                }
            }
        }
        let scopes = match definition.get("scopes") {
            Some(Value::Object(scopes)) => scopes.clone(),
            Some(_) => {
                self.warn(&format!("{pointer}/scopes"), "`scopes` is not an object; no scopes assumed");
                Map::new()
            }
            None => Map::new(),
        };
        flow.insert("scopes".into(), Value::Object(scopes));
        let mut flows = Map::new();
        flows.insert(name.into(), Value::Object(flow));
        Some(Value::Object(flows))
    }

    // ----- paths and operations ----------------------------------------------

    fn paths(&mut self, paths: Value) -> Value {
        let Value::Object(paths) = paths else { return paths };
        let mut out = Map::new();
        for (path, item) in paths {
            let converted = match item {
                Value::Object(item) if !path.starts_with("x-") => {
                    Value::Object(self.path_item(item, &format!("/paths/{}", escape_pointer_token(&path))))
                }
                other => other,
            };
            out.insert(path, converted);
        }
        Value::Object(out)
    }

    /// A path item: path-level parameters converted once; body and form ones
    /// are handed down to each operation, which may override them.
    fn path_item(&mut self, item: Map<String, Value>, pointer: &str) -> Map<String, Value> {
        let shared = match item.get("parameters") {
            Some(parameters) => {
                let consumes = self.consumes.clone();
                self.parameter_list(parameters.clone(), &format!("{pointer}/parameters"), &consumes)
            }
            None => Vec::new(),
        };
        let mut out = Map::new();
        for (key, value) in item {
            match (key.as_str(), value) {
                ("parameters", _) => {
                    let simple: Vec<Value> = shared
                        .iter()
                        .filter_map(|p| match p {
                            Param::Simple(parameter) => Some(parameter.clone()),
                            _ => None,
                        })
                        .collect();
                    if !simple.is_empty() {
                        out.insert(key, Value::Array(simple));
                    }
                }
                (method, Value::Object(operation)) if METHODS.contains(&method) => {
                    let op_pointer = format!("{pointer}/{method}");
                    let converted = self.operation(operation, &op_pointer, &shared);
                    out.insert(key, Value::Object(converted));
                }
                (_, value) => {
                    out.insert(key, value);
                }
            }
        }
        out
    }

    /// Converts a `parameters` list; entries that cannot be converted are dropped.
    fn parameter_list(&mut self, parameters: Value, pointer: &str, consumes: &[String]) -> Vec<Param> {
        let Value::Array(parameters) = parameters else {
            self.warn(pointer, "`parameters` is not a list; ignored");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (index, parameter) in parameters.into_iter().enumerate() {
            if let Some(converted) = self.parameter(parameter, &format!("{pointer}/{index}"), consumes) {
                out.push(converted);
            }
        }
        out
    }

    fn operation(&mut self, operation: Map<String, Value>, pointer: &str, shared: &[Param]) -> Map<String, Value> {
        let consumes = self
            .media_types(operation.get("consumes"), &format!("{pointer}/consumes"))
            .unwrap_or_else(|| self.consumes.clone());
        let produces = self
            .media_types(operation.get("produces"), &format!("{pointer}/produces"))
            .unwrap_or_else(|| self.produces.clone());
        let params_pointer = format!("{pointer}/parameters");
        let own = match operation.get("parameters") {
            Some(parameters) => self.parameter_list(parameters.clone(), &params_pointer, &consumes),
            None => Vec::new(),
        };

        let (mut simple, mut request_body) = self.request_parts(own, shared, &params_pointer, &consumes);
        let mut out = Map::new();
        for (key, value) in operation {
            match key.as_str() {
                "consumes" | "produces" => {}
                "schemes" => self.warn(
                    &format!("{pointer}/schemes"),
                    "per-operation `schemes` are not supported; the document's servers are used",
                ),
                "parameters" => {
                    if !simple.is_empty() {
                        out.insert(key, Value::Array(std::mem::take(&mut simple)));
                    }
                    if let Some(body) = request_body.take() {
                        out.insert("requestBody".into(), body);
                    }
                }
                "responses" => {
                    let responses = self.responses(value, pointer, &produces);
                    out.insert(key, responses);
                }
                _ => {
                    out.insert(key, value);
                }
            }
        }
        if let Some(body) = request_body {
            out.insert("requestBody".into(), body);
        }
        out
    }

    /// The operation's path, query and header parameters, and its request
    /// body: an `in: body` parameter or the `in: formData` fields (its own,
    /// then the path item's `shared` ones it does not override).
    fn request_parts(
        &mut self,
        own: Vec<Param>,
        shared: &[Param],
        params_pointer: &str,
        consumes: &[String],
    ) -> (Vec<Value>, Option<Value>) {
        let mut simple = Vec::new();
        let mut body = None;
        let mut fields: Vec<FormField> = Vec::new();
        for param in own {
            match param {
                Param::Simple(parameter) => simple.push(parameter),
                Param::Body { body: b, component } => {
                    if body.is_some() {
                        self.warn(params_pointer, "more than one `in: body` parameter; only the first is used");
                    } else {
                        body = Some((b, component));
                    }
                }
                Param::Form(field) => {
                    fields.retain(|f| f.name != field.name);
                    fields.push(field);
                }
            }
        }
        // Path-level bodies and form fields, unless the operation overrides them.
        let mut inherited = Vec::new();
        for param in shared {
            match param {
                Param::Body { body: b, component } if body.is_none() => {
                    body = Some((b.clone(), component.clone()));
                }
                Param::Form(field) if !fields.iter().any(|f| f.name == field.name) => inherited.push(field.clone()),
                _ => {}
            }
        }
        inherited.append(&mut fields);
        let fields = inherited;

        let request_body = match body {
            Some((body, component)) => {
                if !fields.is_empty() {
                    self.warn(
                        params_pointer,
                        "both `in: body` and `in: formData` parameters; the form fields are dropped",
                    );
                }
                Some(self.body_for(body, component.as_deref(), consumes))
            }
            None if !fields.is_empty() => Some(form_body(fields, consumes)),
            None => None,
        };
        (simple, request_body)
    }

    /// The responses object with each response converted (extensions as they are).
    fn responses(&mut self, value: Value, pointer: &str, produces: &[String]) -> Value {
        match value {
            Value::Object(responses) => {
                let mut converted = Map::new();
                for (code, response) in responses {
                    let response_pointer = format!("{pointer}/responses/{}", escape_pointer_token(&code));
                    let response = if code.starts_with("x-") {
                        response
                    } else {
                        self.response(response, &response_pointer, produces)
                    };
                    converted.insert(code, response);
                }
                Value::Object(converted)
            }
            other => other,
        }
    }

    /// A request body for an operation whose media types are `consumes`: the
    /// body as converted, or, when the operation's media types differ from the
    /// ones it was converted with, a copy with its content re-keyed.
    fn body_for(&self, body: Value, component: Option<&str>, consumes: &[String]) -> Value {
        let content_types = |body: &Value| -> Vec<String> {
            body.get("content").and_then(Value::as_object).map(|c| c.keys().cloned().collect()).unwrap_or_default()
        };
        let mut inline = match component {
            Some(name) => match self.request_bodies.get(name) {
                Some(component_body) if content_types(component_body) != consumes => component_body.clone(),
                _ => return body,
            },
            None if content_types(&body) != consumes => body,
            None => return body,
        };
        if let Some(Value::Object(content)) = inline.get_mut("content") {
            let media = content.values().next().cloned().unwrap_or_else(|| Value::Object(Map::new()));
            *content = consumes.iter().map(|media_type| (media_type.clone(), media.clone())).collect();
        }
        inline
    }

    // ----- parameters --------------------------------------------------------

    fn parameter(&mut self, parameter: Value, pointer: &str, consumes: &[String]) -> Option<Param> {
        let Value::Object(parameter) = parameter else {
            self.warn(pointer, "parameter is not an object; skipped");
            return None;
        };
        if let Some(Value::String(reference)) = parameter.get("$ref") {
            return Some(self.parameter_reference(reference, Value::Object(parameter.clone())));
        }
        let location = parameter.get("in").and_then(Value::as_str).map(str::to_string);
        match location.as_deref() {
            Some("body") => Some(self.body_parameter(parameter, pointer, consumes)),
            Some("formData") => self.form_field(parameter, pointer).map(Param::Form),
            Some("query") => Some(Param::Simple(self.simple_parameter(parameter, pointer, Location::Query))),
            Some("path") => Some(Param::Simple(self.simple_parameter(parameter, pointer, Location::Path))),
            Some("header") => Some(Param::Simple(self.simple_parameter(parameter, pointer, Location::Header))),
            Some(other) => {
                self.warn(&format!("{pointer}/in"), format!("parameters `in: {other}` are not supported; skipped"));
                None
            }
            None => {
                self.warn(pointer, "parameter without `in`; skipped");
                None
            }
        }
    }

    /// `{$ref: "#/parameters/X"}`: a body reference becomes a request body
    /// reference, a form field is inlined; others keep the reference (its
    /// prefix is rewritten with all the others).
    fn parameter_reference(&mut self, reference: &str, original: Value) -> Param {
        let Some(token) = reference.strip_prefix("#/parameters/").filter(|t| !t.contains('/')) else {
            return Param::Simple(original);
        };
        let name = decode_token(token);
        if self.body_names.contains(&name) {
            let mut body = Map::new();
            body.insert("$ref".into(), Value::String(format!("#/components/requestBodies/{token}")));
            return Param::Body { body: Value::Object(body), component: Some(name) };
        }
        match self.form_fields.iter().find(|(field_name, _)| *field_name == name) {
            Some((_, field)) => Param::Form(field.clone()),
            None => Param::Simple(original),
        }
    }

    /// `in: body` → a request body with one media type per `consumes`.
    fn body_parameter(&mut self, parameter: Map<String, Value>, pointer: &str, consumes: &[String]) -> Param {
        let mut body = Map::new();
        let mut schema = None;
        for (key, value) in parameter {
            match key.as_str() {
                "name" | "in" => {}
                "description" | "required" => {
                    body.insert(key, value);
                }
                "schema" => {
                    let mut value = value;
                    self.schema(&mut value, &format!("{pointer}/schema"));
                    schema = Some(value);
                }
                _ if key.starts_with("x-") => {
                    body.insert(key, value);
                }
                _ => self.warn(
                    &format!("{pointer}/{}", escape_pointer_token(&key)),
                    format!("`{key}` has no equivalent on a request body; dropped"),
                ),
            }
        }
        let schema = schema.unwrap_or_else(|| {
            self.warn(pointer, "body parameter without a `schema`; typed as any JSON value");
            Value::Object(Map::new())
        });
        let content =
            consumes.iter().map(|media_type| (media_type.clone(), media_with_schema(schema.clone()))).collect();
        body.insert("content".into(), Value::Object(content));
        Param::Body { body: Value::Object(body), component: None }
    }

    /// A path, query or header parameter: value keywords move into `schema`,
    /// `collectionFormat` becomes `style`/`explode`.
    fn simple_parameter(&mut self, mut parameter: Map<String, Value>, pointer: &str, location: Location) -> Value {
        let is_array = parameter.get("type").and_then(Value::as_str) == Some("array");
        let collection_format = parameter.shift_remove("collectionFormat");
        let style = self.collection_style(collection_format.as_ref(), location, is_array, pointer);
        let schema = self.value_schema(&mut parameter, pointer);
        let mut out = Map::new();
        for (key, value) in parameter {
            match key.as_str() {
                "name" | "in" | "description" | "required" => {
                    out.insert(key, value);
                }
                "allowEmptyValue" if location == Location::Query => {
                    out.insert(key, value);
                }
                _ if key.starts_with("x-") => {
                    out.insert(key, value);
                }
                _ => self.warn(
                    &format!("{pointer}/{}", escape_pointer_token(&key)),
                    format!("`{key}` has no equivalent on a {} parameter; dropped", location.name()),
                ),
            }
        }
        if let Some((style, explode)) = style {
            out.insert("style".into(), style.into());
            out.insert("explode".into(), explode.into());
        }
        out.insert("schema".into(), schema);
        Value::Object(out)
    }

    /// `in: formData` → one property of the form body.
    fn form_field(&mut self, mut parameter: Map<String, Value>, pointer: &str) -> Option<FormField> {
        let Some(name) = parameter.get("name").and_then(Value::as_str).map(str::to_string) else {
            self.warn(pointer, "form parameter without a `name`; skipped");
            return None;
        };
        let is_file = parameter.get("type").and_then(Value::as_str) == Some("file");
        let is_array = parameter.get("type").and_then(Value::as_str) == Some("array");
        let collection_format = parameter.shift_remove("collectionFormat");
        let style = self.collection_style(collection_format.as_ref(), Location::Form, is_array, pointer);
        let mut schema = self.value_schema(&mut parameter, pointer);
        let mut required = false;
        for (key, value) in parameter {
            match key.as_str() {
                "name" | "in" => {}
                "required" => required = value.as_bool() == Some(true),
                "description" => {
                    if let Value::Object(schema) = &mut schema {
                        schema.insert(key, value);
                    }
                }
                _ if key.starts_with("x-") => {
                    if let Value::Object(schema) = &mut schema {
                        schema.insert(key, value);
                    }
                }
                _ => self.warn(
                    &format!("{pointer}/{}", escape_pointer_token(&key)),
                    format!("`{key}` has no equivalent on a form field; dropped"),
                ),
            }
        }
        Some(FormField { name, schema, required, is_file, style })
    }

    /// Moves the value keywords of a parameter or header into a schema.
    fn value_schema(&mut self, holder: &mut Map<String, Value>, pointer: &str) -> Value {
        let keys: Vec<String> = holder.keys().filter(|k| SCHEMA_KEYWORDS.contains(&k.as_str())).cloned().collect();
        let mut schema = Map::new();
        for key in keys {
            if let Some(value) = holder.shift_remove(&key) {
                schema.insert(key, value);
            }
        }
        if schema.is_empty() {
            self.warn(pointer, "no `type`; typed as any JSON value");
        }
        if let Some(items) = schema.get_mut("items") {
            self.items(items, &format!("{pointer}/items"));
        }
        let mut schema = Value::Object(schema);
        self.schema(&mut schema, pointer);
        schema
    }

    /// An items object of a non-body parameter or header: a schema, except for
    /// a nested `collectionFormat`, which 3.0 cannot express.
    fn items(&mut self, items: &mut Value, pointer: &str) {
        let Value::Object(items) = items else { return };
        if items.shift_remove("collectionFormat").is_some() {
            self.warn(
                &format!("{pointer}/collectionFormat"),
                "a nested array's `collectionFormat` cannot be expressed in OpenAPI 3; dropped",
            );
        }
        if let Some(inner) = items.get_mut("items") {
            self.items(inner, &format!("{pointer}/items"));
        }
    }

    /// `collectionFormat` → `(style, explode)` for query and form arrays;
    /// path and header arrays are `simple` (comma-separated) in 3.0.
    fn collection_style(
        &mut self,
        format: Option<&Value>,
        location: Location,
        is_array: bool,
        pointer: &str,
    ) -> Option<(&'static str, bool)> {
        if !is_array {
            return None;
        }
        let format_pointer = format!("{pointer}/collectionFormat");
        let format = match format {
            None => "csv",
            Some(Value::String(format)) => format.as_str(),
            Some(_) => {
                self.warn(&format_pointer, "`collectionFormat` is not a string; csv is assumed");
                "csv"
            }
        };
        if matches!(location, Location::Path | Location::Header) {
            if format != "csv" {
                self.warn(
                    &format_pointer,
                    format!(
                        "`collectionFormat: {format}` has no OpenAPI 3 equivalent for a {} parameter; sent comma-separated",
                        location.name()
                    ),
                );
            }
            return None;
        }
        Some(match format {
            "csv" => ("form", false),
            "multi" => ("form", true),
            "ssv" => ("spaceDelimited", false),
            "pipes" => ("pipeDelimited", false),
            "tsv" => {
                self.warn(&format_pointer, "`collectionFormat: tsv` has no OpenAPI 3 equivalent; sent comma-separated");
                ("form", false)
            }
            other => {
                self.warn(&format_pointer, format!("unknown `collectionFormat: {other}`; sent comma-separated"));
                ("form", false)
            }
        })
    }

    // ----- responses ---------------------------------------------------------

    /// `schema` → `content` per `produces`; headers' value keywords → `schema`.
    fn response(&mut self, response: Value, pointer: &str, produces: &[String]) -> Value {
        let Value::Object(response) = response else { return response };
        if response.contains_key("$ref") {
            return Value::Object(response);
        }
        let mut out = Map::new();
        for (key, value) in response {
            match key.as_str() {
                "description" => {
                    out.insert(key, value);
                }
                "schema" => {
                    let mut schema = value;
                    self.schema(&mut schema, &format!("{pointer}/schema"));
                    let content = produces
                        .iter()
                        .map(|media_type| (media_type.clone(), media_with_schema(schema.clone())))
                        .collect();
                    out.insert("content".into(), Value::Object(content));
                }
                "headers" => {
                    let headers = match value {
                        Value::Object(headers) => {
                            let mut converted = Map::new();
                            for (name, header) in headers {
                                let header_pointer = format!("{pointer}/headers/{}", escape_pointer_token(&name));
                                if let Some(header) = self.header(header, &header_pointer) {
                                    converted.insert(name, header);
                                }
                            }
                            converted
                        }
                        _ => {
                            self.warn(&format!("{pointer}/headers"), "`headers` is not an object; dropped");
                            Map::new()
                        }
                    };
                    if !headers.is_empty() {
                        out.insert(key, Value::Object(headers));
                    }
                }
                "examples" => {
                    self.warn(&format!("{pointer}/examples"), "response examples are not converted; dropped");
                }
                _ if key.starts_with("x-") => {
                    out.insert(key, value);
                }
                _ => self.warn(
                    &format!("{pointer}/{}", escape_pointer_token(&key)),
                    format!("`{key}` has no equivalent on a response; dropped"),
                ),
            }
        }
        // Required in 3.0 (and in 2.0, but documents omit it).
        out.entry("description").or_insert_with(|| Value::String(String::new()));
        Value::Object(out)
    }

    /// A response header: `description` and extensions stay, the rest is its schema.
    fn header(&mut self, header: Value, pointer: &str) -> Option<Value> {
        let Value::Object(mut header) = header else {
            self.warn(pointer, "header is not an object; dropped");
            return None;
        };
        let is_array = header.get("type").and_then(Value::as_str) == Some("array");
        let collection_format = header.shift_remove("collectionFormat");
        // Headers are always `simple` in 3.0; this only warns about other formats.
        let _ = self.collection_style(collection_format.as_ref(), Location::Header, is_array, pointer);
        let schema = self.value_schema(&mut header, pointer);
        let mut out = Map::new();
        for (key, value) in header {
            if key == "description" || key.starts_with("x-") {
                out.insert(key, value);
            } else {
                self.warn(
                    &format!("{pointer}/{}", escape_pointer_token(&key)),
                    format!("`{key}` has no equivalent on a response header; dropped"),
                );
            }
        }
        out.insert("schema".into(), schema);
        Some(Value::Object(out))
    }

    // ----- schemas -----------------------------------------------------------

    /// The schema keywords that differ between 2.0 and 3.0, recursively.
    fn schema(&mut self, node: &mut Value, pointer: &str) {
        let Value::Object(schema) = node else { return };
        for key in ["additionalProperties", "not"] {
            if let Some(child) = schema.get_mut(key) {
                self.schema(child, &format!("{pointer}/{key}"));
            }
        }
        match schema.get_mut("items") {
            Some(Value::Array(items)) => {
                for (index, child) in items.iter_mut().enumerate() {
                    self.schema(child, &format!("{pointer}/items/{index}"));
                }
            }
            Some(child) => self.schema(child, &format!("{pointer}/items")),
            None => {}
        }
        for key in ["properties", "patternProperties"] {
            if let Some(Value::Object(children)) = schema.get_mut(key) {
                for (name, child) in children.iter_mut() {
                    self.schema(child, &format!("{pointer}/{key}/{}", escape_pointer_token(name)));
                }
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(children)) = schema.get_mut(key) {
                for (index, child) in children.iter_mut().enumerate() {
                    self.schema(child, &format!("{pointer}/{key}/{index}"));
                }
            }
        }

        if schema.get("type").and_then(Value::as_str) == Some("file") {
            schema.insert("type".into(), "string".into());
            schema.insert("format".into(), "binary".into());
        }
        match schema.shift_remove("x-nullable") {
            Some(Value::Bool(true)) => {
                schema.insert("nullable".into(), true.into());
            }
            Some(Value::Bool(false)) | None => {}
            Some(_) => self.warn(&format!("{pointer}/x-nullable"), "`x-nullable` is not a boolean; ignored"),
        }
        match schema.get("discriminator") {
            Some(Value::String(property)) => {
                let mut discriminator = Map::new();
                discriminator.insert("propertyName".into(), Value::String(property.clone()));
                schema.insert("discriminator".into(), Value::Object(discriminator));
            }
            Some(Value::Object(_)) | None => {}
            Some(_) => {
                schema.shift_remove("discriminator");
                self.warn(&format!("{pointer}/discriminator"), "`discriminator` is not a property name; dropped");
            }
        }
        // 3.0 ignores the siblings of a `$ref`: a nullable reference is `allOf: [$ref]`.
        if schema.contains_key("$ref") && schema.get("nullable") == Some(&Value::Bool(true)) {
            if let Some(reference) = schema.shift_remove("$ref") {
                let mut branch = Map::new();
                branch.insert("$ref".into(), reference);
                schema.insert("allOf".into(), Value::Array(vec![Value::Object(branch)]));
            }
        }
    }

    // ----- references --------------------------------------------------------

    /// Rewrites every local 2.0 `$ref` in the converted document.
    fn rewrite_refs(&self, document: &mut Map<String, Value>) {
        for (key, child) in document.iter_mut() {
            self.rewrite_refs_in(child, key == "paths");
        }
    }

    /// `in_name_map`: `node` is a map from names to objects (properties,
    /// responses by status…), so its keys are not keywords.
    fn rewrite_refs_in(&self, node: &mut Value, in_name_map: bool) {
        match node {
            Value::Object(map) => {
                if !in_name_map {
                    if let Some(Value::String(reference)) = map.get_mut("$ref") {
                        if let Some(rewritten) = self.rewrite_ref(reference) {
                            *reference = rewritten;
                        }
                    }
                }
                for (key, child) in map.iter_mut() {
                    if !in_name_map && LITERAL_KEYS.contains(&key.as_str()) {
                        continue;
                    }
                    let child_is_name_map = !in_name_map && NAME_MAP_KEYS.contains(&key.as_str());
                    self.rewrite_refs_in(child, child_is_name_map);
                }
            }
            Value::Array(items) => {
                for child in items {
                    self.rewrite_refs_in(child, false);
                }
            }
            _ => {}
        }
    }

    /// The 3.0 form of a 2.0 local reference; `None` for any other reference.
    /// The name token is kept as written, so its escaping survives.
    fn rewrite_ref(&self, reference: &str) -> Option<String> {
        if let Some(rest) = reference.strip_prefix("#/definitions/") {
            return Some(format!("#/components/schemas/{rest}"));
        }
        if let Some(rest) = reference.strip_prefix("#/parameters/") {
            let (token, suffix) = rest.split_once('/').map_or((rest, ""), |(t, s)| (t, s));
            let suffix = if suffix.is_empty() { String::new() } else { format!("/{suffix}") };
            if self.body_names.contains(&decode_token(token)) {
                let suffix = schema_suffix(&suffix, self.consumes.first());
                return Some(format!("#/components/requestBodies/{token}{suffix}"));
            }
            return Some(format!("#/components/parameters/{token}{suffix}"));
        }
        if let Some(rest) = reference.strip_prefix("#/responses/") {
            let (token, suffix) = rest.split_once('/').map_or((rest, ""), |(t, s)| (t, s));
            let suffix = if suffix.is_empty() { String::new() } else { format!("/{suffix}") };
            let suffix = schema_suffix(&suffix, self.produces.first());
            return Some(format!("#/components/responses/{token}{suffix}"));
        }
        None
    }
}

/// A reference into a body parameter's or response's `schema` now goes
/// through its `content`.
fn schema_suffix(suffix: &str, media_type: Option<&String>) -> String {
    match media_type {
        Some(media_type) if suffix == "/schema" || suffix.starts_with("/schema/") => {
            format!("/content/{}{suffix}", escape_pointer_token(media_type))
        }
        _ => suffix.to_string(),
    }
}

/// The form body of an operation: an object schema with one property per field.
fn form_body(fields: Vec<FormField>, consumes: &[String]) -> Value {
    let essence = |media_type: &str| media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let media_types: Vec<String> = if fields.iter().any(|f| f.is_file) {
        vec![MULTIPART.to_string()]
    } else {
        let listed: Vec<String> =
            consumes.iter().filter(|c| matches!(essence(c).as_str(), FORM_URLENCODED | MULTIPART)).cloned().collect();
        if listed.is_empty() {
            vec![FORM_URLENCODED.to_string()]
        } else {
            listed
        }
    };
    let required_body = fields.iter().any(|f| f.required);
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut encoding = Map::new();
    for field in fields {
        if field.required {
            required.push(Value::String(field.name.clone()));
        }
        if let Some((style, explode)) = field.style {
            let mut rule = Map::new();
            rule.insert("style".into(), style.into());
            rule.insert("explode".into(), explode.into());
            encoding.insert(field.name.clone(), Value::Object(rule));
        }
        properties.insert(field.name, field.schema);
    }
    let mut schema = Map::new();
    schema.insert("type".into(), "object".into());
    schema.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    let schema = Value::Object(schema);
    let mut content = Map::new();
    for media_type in media_types {
        let mut media = Map::new();
        media.insert("schema".into(), schema.clone());
        // `style`/`explode` only apply to urlencoded bodies.
        if essence(&media_type) == FORM_URLENCODED && !encoding.is_empty() {
            media.insert("encoding".into(), Value::Object(encoding.clone()));
        }
        content.insert(media_type, Value::Object(media));
    }
    let mut body = Map::new();
    body.insert("content".into(), Value::Object(content));
    if required_body {
        body.insert("required".into(), true.into());
    }
    Value::Object(body)
}

fn server(url: String) -> Value {
    let mut server = Map::new();
    server.insert("url".into(), Value::String(url));
    Value::Object(server)
}

fn media_with_schema(schema: Value) -> Value {
    let mut media = Map::new();
    media.insert("schema".into(), schema);
    Value::Object(media)
}

/// Adds `entries` to the object at `key` of `target`, creating it; nothing when empty.
fn extend_object(target: &mut Map<String, Value>, key: &str, entries: Map<String, Value>) {
    if entries.is_empty() {
        return;
    }
    match target.get_mut(key) {
        Some(Value::Object(existing)) => existing.extend(entries),
        _ => {
            target.insert(key.into(), Value::Object(entries));
        }
    }
}

fn copy_extensions(from: &Map<String, Value>, to: &mut Map<String, Value>) {
    for (key, value) in from {
        if key.starts_with("x-") {
            to.insert(key.clone(), value.clone());
        }
    }
}

/// One JSON pointer token of a URI fragment: `%XX` decoded, then `~1` → `/`, `~0` → `~`.
fn decode_token(token: &str) -> String {
    let bytes = token.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        if bytes[index] == b'%' {
            if let (Some(high), Some(low)) = (hex(index + 1), hex(index + 2)) {
                decoded.push((high * 16 + low) as u8);
                index += 3;
                continue;
            }
        }
        decoded.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&decoded).replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests;
