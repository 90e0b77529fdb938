//! Operations: parameters, bodies and responses of every path item.

use indexmap::IndexMap;
use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Response, StatusCode,
};

use super::build::Builder;
use super::schema::{constraints_of, docs_of};
use super::{
    BodyEncoding, Docs, Operation, Param, ParamLocation, RequestBody as ModelBody, ResponseCase, ResponseKind,
    Responses, SuccessVariant, TypeKind, TypeRef,
};
use crate::diagnostics::{escape_pointer_token, Error};
use crate::naming::{camel, snake, Namespace};

/// Builder methods that parameters must not shadow.
const RESERVED_MEMBERS: &[&str] = &[
    "send",
    "send_with_response",
    "send_streaming",
    "send_events",
    "pages",
    "items",
    // The private helpers of page streams (`emit::operations::pagination_methods`).
    "page_items",
    "page_len",
    "page_next_token",
    "page_total",
    "call_options",
    "body",
    "client",
    "options",
    "validate",
];

/// Module names that tags must not take.
const RESERVED_MODULES: &[&str] = &["types", "runtime", "client", "tests", "lib", "mod", "main"];

/// Tag module name → (tag name, description).
pub type TagModules = IndexMap<String, (String, Option<String>)>;

impl Builder<'_> {
    /// Builds every operation, in path order and then method order.
    // Long: one pass in spec order claims module, method and builder names, which must happen in that order.
    pub fn operations(&mut self) -> Result<(TagModules, Vec<Operation>), Error> {
        let doc = self.doc;
        let mut tags = TagModules::new();
        let mut tag_modules: IndexMap<String, String> = IndexMap::new();
        let mut module_names = Namespace::with_reserved(RESERVED_MODULES);
        let mut method_names = Namespace::with_reserved(&["builder", "new", "core", "from_core"]);
        let mut builder_names = Namespace::with_reserved(&["Client", "ClientBuilder"]);
        let mut operation_ids: IndexMap<String, String> = IndexMap::new();
        let mut operations = Vec::new();

        let declared_tags: IndexMap<&str, Option<&String>> =
            doc.tags.iter().map(|t| (t.name.as_str(), t.description.as_ref())).collect();

        // Route shape → the first path with it (see `route_shape`).
        let mut routes: IndexMap<String, &str> = IndexMap::new();
        for (path, item) in doc.paths.paths.iter() {
            let path_pointer = format!("/paths/{}", escape_pointer_token(path));
            let first = *routes.entry(route_shape(path)).or_insert(path);
            if first != path.as_str() {
                self.current_operation = None;
                self.warn(
                    &path_pointer,
                    format!(
                        "this path has the same hierarchy as `{first}` (only the template names differ), which \
                         OpenAPI forbids: a server or mock cannot tell the two apart by the URL"
                    ),
                );
            }
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    // Not inside the previous path's last operation.
                    self.current_operation = None;
                    self.warn(&path_pointer, format!("path item reference {reference:?} cannot be resolved; skipped"));
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let pointer = format!("{path_pointer}/{method}");
                let operation_id = match &op.operation_id {
                    Some(id) if !id.trim().is_empty() => id.clone(),
                    _ => synthesize_operation_id(method, path),
                };
                if let Some(previous) = operation_ids.insert(operation_id.clone(), pointer.clone()) {
                    return Err(self.diagnostics.error(
                        &pointer,
                        Some(&operation_id),
                        format!("duplicate operationId (also at #{previous})"),
                    ));
                }
                self.current_operation = Some(operation_id.clone());

                let tag_name = op.tags.first().cloned().unwrap_or_else(|| "default".to_string());
                let module = tag_modules
                    .entry(tag_name.clone())
                    .or_insert_with(|| module_names.claim(&snake(&tag_name)))
                    .clone();
                tags.entry(module.clone()).or_insert_with(|| {
                    let description = declared_tags.get(tag_name.as_str()).copied().flatten().cloned();
                    (tag_name.clone(), description)
                });

                let method_name = method_names.claim(&snake(&operation_id));
                let builder_name = builder_names.claim(&camel(&operation_id));
                let error_name = builder_names.claim(&format!("{builder_name}Error"));
                let params = self.parameters(item, op, path, &pointer, &builder_name)?;
                let mut body = match &op.request_body {
                    Some(body) => self.request_body(body, &format!("{pointer}/requestBody"), &builder_name),
                    None => None,
                };
                // A multipart form struct sits beside the builders in the tag module.
                if let Some(super::BodyEncoding::Multipart(form)) = body.as_mut().map(|b| &mut b.encoding) {
                    form.name = builder_names.claim(&form.name);
                }
                let responses = self.responses(&op.responses, &format!("{pointer}/responses"), &builder_name);
                let mut operation = Operation {
                    operation_id,
                    method_name,
                    builder_name,
                    error_name,
                    http_method: method.to_ascii_uppercase(),
                    path: path.clone(),
                    tag: module,
                    summary: op.summary.clone().filter(|s| !s.trim().is_empty()),
                    description: op.description.clone().filter(|s| !s.trim().is_empty()),
                    deprecated: op.deprecated,
                    params,
                    body,
                    responses,
                    pagination: None,
                    security: self.security_requirements(op.security.as_ref(), &pointer),
                    pointer: pointer.clone(),
                };
                if let Some(declaration) = op.extensions.get("x-pagination") {
                    operation.pagination = self.pagination(&operation, declaration);
                } else {
                    // The explicit extension always wins; without it, a list
                    // operation whose shape is unambiguous is paginated too.
                    operation.pagination = self.infer_pagination(&operation, op);
                }
                operations.push(operation);
            }
        }
        self.current_operation = None;
        Ok((tags, operations))
    }

    // Long: merging, resolving and typing share each parameter's pointer, for located warnings.
    fn parameters(
        &mut self,
        item: &PathItem,
        op: &openapiv3::Operation,
        path: &str,
        pointer: &str,
        builder_name: &str,
    ) -> Result<Vec<Param>, Error> {
        // Path-level parameters first; an operation-level one with the same name and location replaces it.
        let mut merged: IndexMap<(String, &'static str), (Parameter, String)> = IndexMap::new();
        let sources = [
            (&item.parameters, format!("{}/parameters", parent_pointer(pointer))),
            (&op.parameters, format!("{pointer}/parameters")),
        ];
        for (list, list_pointer) in sources {
            for (index, parameter) in list.iter().enumerate() {
                let parameter_pointer = format!("{list_pointer}/{index}");
                let Some(parameter) = self.resolve_parameter(parameter, &parameter_pointer) else { continue };
                let key = (parameter.parameter_data_ref().name.clone(), location_key(&parameter));
                merged.insert(key, (parameter, parameter_pointer));
            }
        }

        let template_names = path_template_names(path);
        for name in &template_names {
            if !merged.keys().any(|(n, location)| n == name && *location == "path") {
                return Err(self.diagnostics.error(
                    pointer,
                    self.current_operation.as_deref(),
                    format!("path parameter `{name}` is used in the path but not declared"),
                ));
            }
        }

        let mut names = Namespace::with_reserved(RESERVED_MEMBERS);
        let mut params = Vec::new();
        // Path parameters in template order, then the others in spec order.
        let mut ordered: Vec<&(Parameter, String)> = Vec::new();
        for name in &template_names {
            if let Some(entry) = merged.get(&(name.clone(), "path")) {
                ordered.push(entry);
            }
        }
        ordered.extend(merged.iter().filter(|((_, location), _)| *location != "path").map(|(_, entry)| entry));
        for (parameter, parameter_pointer) in ordered {
            let data = parameter.parameter_data_ref();
            let location = match parameter {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => ParamLocation::Cookie,
            };
            let (style, explode) = self.param_style(parameter, parameter_pointer);
            let hint = format!("{builder_name}{}", camel(&data.name));
            let (ty, docs, constraints) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let ty = self.type_of(schema, &hint, &format!("{parameter_pointer}/schema"));
                    let (mut docs, constraints) = match self.resolve_schema(schema) {
                        Some(s) => (docs_of(s), constraints_of(s)),
                        None => (Docs::default(), Default::default()),
                    };
                    docs.text = data.description.clone().or(docs.text);
                    let constraints = self.checked_pattern(constraints, &format!("{parameter_pointer}/schema"));
                    (ty, docs, constraints)
                }
                ParameterSchemaOrContent::Content(content) => {
                    let ty = match content.first().and_then(|(_, media)| media.schema.as_ref()) {
                        Some(schema) => self.type_of(schema, &hint, &format!("{parameter_pointer}/content")),
                        None => TypeRef::String,
                    };
                    (ty, Docs { text: data.description.clone(), deprecated: false }, Default::default())
                }
            };
            // `required` says whether a parameter is optional, not its type.
            let ty = ty.into_non_optional();
            let client_default = data.extensions.get("x-client-default") == Some(&serde_json::Value::Bool(true))
                && location == ParamLocation::Header;
            let required = data.required || location == ParamLocation::Path;
            params.push(Param {
                rust_name: names.claim(&snake(&data.name)),
                wire_name: data.name.clone(),
                location,
                ty,
                required,
                style,
                explode,
                client_default,
                docs: Docs { deprecated: data.deprecated.unwrap_or(false) || docs.deprecated, ..docs },
                constraints,
            });
        }
        Ok(params)
    }

    fn resolve_parameter(&mut self, parameter: &ReferenceOr<Parameter>, pointer: &str) -> Option<Parameter> {
        match parameter {
            ReferenceOr::Item(parameter) => Some(parameter.clone()),
            ReferenceOr::Reference { reference } => {
                let resolved = reference
                    .strip_prefix("#/components/parameters/")
                    .and_then(|key| self.doc.components.as_ref()?.parameters.get(key))
                    .and_then(|p| p.as_item());
                if resolved.is_none() {
                    self.warn(pointer, format!("cannot resolve parameter {reference:?}; skipped"));
                }
                resolved.cloned()
            }
        }
    }

    fn request_body(
        &mut self,
        body: &ReferenceOr<RequestBody>,
        pointer: &str,
        builder_name: &str,
    ) -> Option<ModelBody> {
        let body = match body {
            ReferenceOr::Item(body) => body.clone(),
            ReferenceOr::Reference { reference } => {
                let resolved = reference
                    .strip_prefix("#/components/requestBodies/")
                    .and_then(|key| self.doc.components.as_ref()?.request_bodies.get(key))
                    .and_then(|b| b.as_item())
                    .cloned();
                match resolved {
                    Some(body) => body,
                    None => {
                        self.warn(pointer, format!("cannot resolve request body {reference:?}; skipped"));
                        return None;
                    }
                }
            }
        };
        let (media_type, media) = choose_media(&body.content)?;
        let mut encoding = if is_json(media_type) {
            BodyEncoding::Json
        } else if media_type == "application/x-www-form-urlencoded" {
            BodyEncoding::Form
        } else if media_type.starts_with("text/") {
            BodyEncoding::Text(media_type.to_string())
        } else if media_type.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("multipart/form-data") {
            let form_pointer = format!("{pointer}/content/{}/schema", escape_pointer_token(media_type));
            match self.multipart_form(media, &form_pointer, &format!("{builder_name}Form")) {
                Some(form) => BodyEncoding::Multipart(form),
                None => {
                    self.warn(
                        pointer,
                        format!(
                            "{media_type} body without an object schema is sent as raw bytes; the caller encodes it"
                        ),
                    );
                    BodyEncoding::Bytes(media_type.to_string())
                }
            }
        } else {
            if media_type.starts_with("multipart/") {
                self.warn(pointer, format!("{media_type} bodies are sent as raw bytes; the caller encodes them"));
            }
            BodyEncoding::Bytes(media_type.to_string())
        };
        let media_pointer = format!("{pointer}/content/{}/schema", escape_pointer_token(media_type));
        let mut ty = match &encoding {
            BodyEncoding::Json | BodyEncoding::Form => match &media.schema {
                Some(schema) => self.type_of(schema, &format!("{builder_name}Body"), &media_pointer),
                None => TypeRef::Json,
            },
            BodyEncoding::Text(_) => TypeRef::String,
            BodyEncoding::Bytes(_) => TypeRef::Binary,
            // The form's parts carry the types (see `model::type_refs`).
            BodyEncoding::Multipart(_) => TypeRef::Json,
        };
        // `format: binary` under a JSON or form media type: the caller supplies
        // the encoded document, so it is sent as is rather than serialized.
        if *ty.non_optional() == TypeRef::Binary {
            encoding = BodyEncoding::Bytes(media_type.to_string());
            ty = TypeRef::Binary;
        }
        Some(ModelBody {
            encoding,
            media_type: media_type.to_string(),
            ty,
            required: body.required,
            docs: Docs { text: body.description.clone(), deprecated: false },
        })
    }

    fn responses(&mut self, responses: &openapiv3::Responses, pointer: &str, builder_name: &str) -> Responses {
        let mut statuses: Vec<(String, &ReferenceOr<Response>)> =
            responses.responses.iter().map(|(code, r)| (status_key(code), r)).collect();
        if let Some(default) = &responses.default {
            statuses.push(("default".to_string(), default));
        }
        // 2xx are the successes; an operation documenting only redirects (an OAuth
        // redirect endpoint, say) succeeds with its 3xx instead.
        let has_2xx = statuses.iter().any(|(key, _)| key.starts_with('2'));
        let success_prefix = if has_2xx { '2' } else { '3' };
        let is_success = |key: &str| key.starts_with(success_prefix);
        let has_success = statuses.iter().any(|(key, _)| is_success(key));
        let success_count = statuses.iter().filter(|(key, _)| is_success(key)).count();

        let mut out = Responses::default();
        for (key, response) in &statuses {
            let response_pointer = format!("{pointer}/{}", escape_pointer_token(key));
            let Some(response) = self.resolve_response(response, &response_pointer) else { continue };
            let success = is_success(key) || (!has_success && key == "default");
            let hint = if success && success_count <= 1 {
                format!("{builder_name}Response")
            } else if success {
                // By reason phrase: `CreatePetCreatedResponse`, never `…ResponseV201`.
                format!("{builder_name}{}Response", status_variant(key))
            } else {
                // Named after the operation and the status's reason phrase:
                // `DownloadFileNotFoundError`, never `…ErrorV404`.
                format!("{builder_name}{}Error", error_variant(key))
            };
            let (kind, media_type) = self.response_kind(&response, &response_pointer, &hint);
            let events = if success { self.event_data_type(&response, &response_pointer, &hint) } else { None };
            let case = ResponseCase {
                variant: if success { status_variant(key) } else { error_variant(key) },
                status: key.clone(),
                kind,
                media_type,
                description: Some(response.description.clone()).filter(|d| !d.trim().is_empty()),
                events,
            };
            if success {
                out.success.push(case.clone());
            }
            if !is_success(key) {
                out.errors.push(case);
            }
        }
        let distinct = out.success.iter().skip(1).any(|case| case.kind != out.success[0].kind);
        if distinct {
            let name = self.type_names.claim(&format!("{builder_name}Response"));
            let variants = out
                .success
                .iter()
                .map(|case| SuccessVariant {
                    rust_name: case.variant.clone(),
                    status: case.status.clone(),
                    body: case.kind.payload(),
                })
                .collect();
            let schema = openapiv3::Schema {
                schema_data: openapiv3::SchemaData {
                    description: Some(format!("The successful responses of `{builder_name}`, by status.")),
                    ..Default::default()
                },
                schema_kind: openapiv3::SchemaKind::Any(Default::default()),
            };
            self.finish_type(&name, &schema, pointer, TypeKind::Responses { variants });
            out.success_enum = Some(name);
        }
        out
    }

    fn resolve_response(&mut self, response: &ReferenceOr<Response>, pointer: &str) -> Option<Response> {
        match response {
            ReferenceOr::Item(response) => Some(response.clone()),
            ReferenceOr::Reference { reference } => {
                let resolved = reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|key| self.doc.components.as_ref()?.responses.get(key))
                    .and_then(|r| r.as_item())
                    .cloned();
                if resolved.is_none() {
                    self.warn(pointer, format!("cannot resolve response {reference:?}; skipped"));
                }
                resolved
            }
        }
    }

    fn response_kind(&mut self, response: &Response, pointer: &str, hint: &str) -> (ResponseKind, Option<String>) {
        let Some((media_type, media)) = choose_media(&response.content) else {
            return (ResponseKind::Empty, None);
        };
        let kind = if is_json(media_type) {
            match &media.schema {
                Some(schema) => {
                    let schema_pointer = format!("{pointer}/content/{}/schema", escape_pointer_token(media_type));
                    match self.type_of(schema, hint, &schema_pointer) {
                        // A JSON media type with a `format: binary` schema: the raw document.
                        ty if *ty.non_optional() == TypeRef::Binary => ResponseKind::Bytes,
                        ty => ResponseKind::Json(ty),
                    }
                }
                None => ResponseKind::Json(TypeRef::Json),
            }
        } else if media_type.starts_with("text/") {
            ResponseKind::Text
        } else {
            ResponseKind::Bytes
        };
        (kind, Some(media_type.to_string()))
    }
}

/// JSON first (`application/json`, then any `+json`), then forms, text, anything.
fn choose_media(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    let rank = |media_type: &str| -> u8 {
        let essence = media_type.split(';').next().unwrap_or_default().trim();
        match essence {
            "application/json" => 0,
            _ if is_json(essence) => 1,
            "application/x-www-form-urlencoded" => 2,
            _ if essence.starts_with("text/plain") => 3,
            _ if essence.starts_with("text/") => 4,
            _ => 5,
        }
    };
    content.iter().min_by_key(|(media_type, _)| rank(media_type)).map(|(k, v)| (k.as_str(), v))
}

/// `application/json`, `application/problem+json`, `application/vnd.x+json`, `*/*`.
pub fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*" || essence == "application/*"
}

fn status_key(code: &StatusCode) -> String {
    match code {
        StatusCode::Code(code) => code.to_string(),
        StatusCode::Range(range) => format!("{range}XX"),
    }
}

fn status_variant(key: &str) -> String {
    match key {
        "200" => "Ok",
        "201" => "Created",
        "202" => "Accepted",
        "203" => "NonAuthoritative",
        "204" => "NoContent",
        "206" => "PartialContent",
        "2XX" => "Success",
        "default" => "Default",
        other => return error_variant(other),
    }
    .to_string()
}

/// The variant of a non-success status in an operation's error enum: the
/// reason phrase (`404` → `NotFound`), `ClientError`/`ServerError` for
/// ranges, `Default`, `Status599` for a code without a registered phrase.
pub(crate) fn error_variant(key: &str) -> String {
    let phrase = match key {
        "default" => "Default",
        "1XX" => "Informational",
        "2XX" => "Success",
        "3XX" => "Redirection",
        "4XX" => "ClientError",
        "5XX" => "ServerError",
        other => {
            let phrase = other.parse::<u16>().ok().and_then(http_reason).map(camel);
            return phrase.unwrap_or_else(|| format!("Status{other}"));
        }
    };
    phrase.to_string()
}

/// The reason phrase of an IANA-registered status code.
fn http_reason(code: u16) -> Option<&'static str> {
    Some(match code {
        100 => "Continue",
        101 => "Switching Protocols",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        421 => "Misdirected Request",
        422 => "Unprocessable Content",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        511 => "Network Authentication Required",
        _ => return None,
    })
}

fn location_key(parameter: &Parameter) -> &'static str {
    match parameter {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

fn parent_pointer(pointer: &str) -> &str {
    pointer.rsplit_once('/').map(|(parent, _)| parent).unwrap_or(pointer)
}

/// A path template with its names left out (`/pets/{petId}` → `/pets/{}`):
/// two paths of one shape match the same URLs.
pub fn route_shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else { break };
        shape.push_str(&rest[..start]);
        shape.push_str("{}");
        rest = &rest[start + end + 1..];
    }
    shape.push_str(rest);
    shape
}

/// The `{name}`s of a path template, in order.
pub fn path_template_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else { break };
        names.push(rest[start + 1..start + end].to_string());
        rest = &rest[start + end + 1..];
    }
    names
}

/// `get /pets/{petId}/toys` → `getPetsPetIdToys`.
pub fn synthesize_operation_id(method: &str, path: &str) -> String {
    let words: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_matches(|c| c == '{' || c == '}'))
        .map(camel)
        .collect();
    if words.is_empty() {
        format!("{method}Root")
    } else {
        format!("{method}{}", words.concat())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names_in_order() {
        assert_eq!(path_template_names("/apps/{org}/{app}/subscriptions"), vec!["org", "app"]);
        assert!(path_template_names("/pets").is_empty());
    }

    #[test]
    fn route_shapes_leave_out_template_names() {
        assert_eq!(route_shape("/a/{id}/b/{name}.json"), "/a/{}/b/{}.json");
        assert_eq!(route_shape("/a/{id"), "/a/{id");
        assert_eq!(route_shape("/plain"), "/plain");
    }

    #[test]
    fn paths_of_one_hierarchy_are_warned_about() {
        let output = generate(
            "  /pets/{petId}:\n    get:\n      operationId: getPet\n      parameters: [{name: petId, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n  /pets/{name}:\n    get:\n      operationId: getPetByName\n      parameters: [{name: name, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let warnings: Vec<String> = output.report.warnings.iter().map(|w| w.to_string()).collect();
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("#/paths/~1pets~1{name}") && w.contains("same hierarchy as `/pets/{petId}`")),
            "{warnings:?}"
        );
    }

    #[test]
    fn synthesized_ids() {
        assert_eq!(synthesize_operation_id("get", "/pets/{petId}/toys"), "getPetsPetIdToys");
        assert_eq!(synthesize_operation_id("post", "/"), "postRoot");
    }

    #[test]
    fn json_media_types() {
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("application/yaml"));
    }

    fn generate(paths: &str) -> Result<crate::Output, crate::Error> {
        let spec = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}");
        let options =
            crate::Options { layout: crate::Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
        crate::generate_str(&spec, "specs/t.yaml", &options)
    }

    #[test]
    fn duplicate_operation_id_names_file_pointer_and_operation() {
        let error = generate(
            "  /a:\n    get: {operationId: same, responses: {'204': {description: ok}}}\n  /b:\n    get: {operationId: same, responses: {'204': {description: ok}}}\n",
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert_eq!(
            error,
            "specs/t.yaml at #/paths/~1b/get (operation `same`): duplicate operationId (also at #/paths/~1a/get)"
        );
    }

    #[test]
    fn undeclared_path_parameter_names_file_pointer_and_operation() {
        let error =
            generate("  /pets/{petId}:\n    get: {operationId: getPet, responses: {'204': {description: ok}}}\n")
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
        assert_eq!(
            error,
            "specs/t.yaml at #/paths/~1pets~1{petId}/get (operation `getPet`): path parameter `petId` is used in the path but not declared"
        );
    }

    #[test]
    fn binary_schema_under_json_is_sent_and_read_as_bytes() {
        let output = generate(
            "  /import:\n    post:\n      operationId: partialImport\n      requestBody: {content: {application/json: {schema: {type: string, format: binary}}}}\n      responses: {'200': {description: ok, content: {application/json: {schema: {type: string, format: binary}}}}}\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let op = &output.api.operations[0];
        let body = op.body.as_ref().map(|b| (&b.encoding, &b.ty));
        assert_eq!(body, Some((&BodyEncoding::Bytes("application/json".into()), &TypeRef::Binary)));
        assert_eq!(op.responses.success[0].kind, ResponseKind::Bytes);
    }
}
