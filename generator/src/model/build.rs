//! Orchestrates stage 2: components first (so references have names), then
//! operations, then the passes that need the whole picture (merging identical
//! types, usage, recursion).

use indexmap::{IndexMap, IndexSet};
use openapiv3::{OpenAPI, ReferenceOr, Schema};

use super::schema::unescape_pointer_token;
use super::{recursion, Api, SecurityScheme, Tag, TypeDef, TypeKind};
use crate::diagnostics::{escape_pointer_token, Diagnostics, Error};
use crate::naming::{camel, Namespace};

/// Shared state while the model is built.
pub struct Builder<'a> {
    /// The document.
    pub doc: &'a OpenAPI,
    /// Where warnings go.
    pub diagnostics: &'a mut Diagnostics,
    /// Named types so far.
    pub types: IndexMap<String, TypeDef>,
    /// Type names in use.
    pub type_names: Namespace,
    /// `components/schemas` key → Rust name.
    pub component_names: IndexMap<String, String>,
    /// The operation being built, for warnings.
    pub current_operation: Option<String>,
    /// Schemas whose named type is being shaped as an alias right now (see
    /// `Builder::kind_of`): defining one of them again would never end.
    pub aliasing: Vec<*const Schema>,
    /// Inline schemas being defined, by pointer → their type name: an `allOf`
    /// that merges a schema containing this one refers back to it by name.
    pub defining: IndexMap<String, String>,
}

impl<'a> Builder<'a> {
    /// Records a warning at `pointer` in the current operation.
    pub fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        let operation = self.current_operation.clone();
        self.diagnostics.warn(pointer, operation.as_deref(), message);
    }

    /// A component schema by key.
    pub fn component_schema(&self, key: &str) -> Option<&'a Schema> {
        let doc: &'a OpenAPI = self.doc;
        match doc.components.as_ref()?.schemas.get(key)? {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => {
                let key = reference.strip_prefix("#/components/schemas/")?;
                // One level of aliasing is common (`A: {$ref: B}`); deeper chains are followed too.
                self.component_schema_depth(&unescape_pointer_token(key), 16)
            }
        }
    }

    fn component_schema_depth(&self, key: &str, depth: usize) -> Option<&'a Schema> {
        let doc: &'a OpenAPI = self.doc;
        match doc.components.as_ref()?.schemas.get(key)? {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } if depth > 0 => {
                let key = reference.strip_prefix("#/components/schemas/")?;
                self.component_schema_depth(&unescape_pointer_token(key), depth - 1)
            }
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// A schema or the component it references.
    pub fn resolve_schema<'s, T: super::schema::AsSchema>(&'s self, schema: &'s ReferenceOr<T>) -> Option<&'s Schema> {
        match schema {
            ReferenceOr::Item(item) => Some(item.as_schema()),
            ReferenceOr::Reference { reference } => {
                let key = reference.strip_prefix("#/components/schemas/")?;
                self.component_schema(&unescape_pointer_token(key))
            }
        }
    }

    fn define_components(&mut self) {
        let doc: &'a OpenAPI = self.doc;
        let Some(components) = doc.components.as_ref() else { return };
        for key in components.schemas.keys() {
            let name = self.type_names.claim(&camel(key));
            self.component_names.insert(key.clone(), name);
        }
        for (key, schema) in &components.schemas {
            let name = self.component_names[key].clone();
            let pointer = format!("/components/schemas/{}", escape_pointer_token(key));
            match schema {
                ReferenceOr::Item(schema) => {
                    let kind = self.kind_of(&name, schema, &pointer);
                    self.finish_type(&name, schema, &pointer, kind);
                }
                ReferenceOr::Reference { reference } => {
                    // `A: {$ref: B}` → `pub type A = B;`
                    let target = self.type_of(&ReferenceOr::<Schema>::ref_(reference), &name, &pointer);
                    let schema = Schema {
                        schema_data: Default::default(),
                        schema_kind: openapiv3::SchemaKind::Any(Default::default()),
                    };
                    self.finish_type(&name, &schema, &pointer, TypeKind::Alias(target));
                }
            }
        }
    }
}

/// Builds the model of a loaded document.
pub fn build(doc: &OpenAPI, diagnostics: &mut Diagnostics) -> Result<Api, Error> {
    let mut builder = Builder {
        doc,
        diagnostics,
        types: IndexMap::new(),
        type_names: Namespace::default(),
        component_names: IndexMap::new(),
        current_operation: None,
        aliasing: Vec::new(),
        defining: IndexMap::new(),
    };
    builder.define_components();
    let (tags, mut operations) = builder.operations()?;
    let mut types = builder.types;
    let deduplicated_types = super::dedup::merge_identical(&mut types, &mut operations);
    super::unions::guard_untagged(&mut types, diagnostics);
    mark_usage(&mut types, &operations);
    for pointer in recursion::break_alias_cycles(&mut types) {
        diagnostics.warn(&pointer, None, "a type alias that contains itself cannot be written in Rust; its recursive part is typed as any JSON value");
    }
    recursion::box_cycles(&mut types);

    let info = &doc.info;
    Ok(Api {
        title: info.title.clone(),
        description: info.description.clone(),
        version: info.version.clone(),
        default_base_url: default_base_url(doc),
        security: security_schemes(doc),
        client_params: client_params(&operations),
        oauth_flows: oauth_flows(doc, default_base_url(doc).as_deref()),
        types,
        tags: tags.into_iter().map(|(module, (name, description))| (module, Tag { name, description })).collect(),
        operations,
        deduplicated_types,
    })
}

fn default_base_url(doc: &OpenAPI) -> Option<String> {
    let server = doc.servers.first()?;
    let mut url = server.url.clone();
    if let Some(variables) = &server.variables {
        for (name, variable) in variables {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
    }
    let absolute = url.starts_with("http://") || url.starts_with("https://");
    absolute.then(|| url.trim_end_matches('/').to_string())
}

fn security_schemes(doc: &OpenAPI) -> Vec<SecurityScheme> {
    let mut out = Vec::new();
    let Some(components) = &doc.components else { return out };
    for scheme in components.security_schemes.values() {
        let ReferenceOr::Item(scheme) = scheme else { continue };
        let model = super::security::scheme_of(scheme);
        if !out.contains(&model) {
            out.push(model);
        }
    }
    out
}

/// The OAuth2 grants a client can run on its own: client credentials, and
/// refresh tokens, per `oauth2` scheme whose token URL is absolute or
/// relative to an absolute server URL (RFC 6749 §3.2 requires a URL the
/// client can reach; a relative one without a server is skipped).
fn oauth_flows(doc: &OpenAPI, base_url: Option<&str>) -> Vec<super::OAuthFlow> {
    use super::{OAuthFlow, OAuthGrant};
    let Some(components) = &doc.components else { return Vec::new() };
    let schemes: Vec<(&String, &openapiv3::OAuth2Flows)> = components
        .security_schemes
        .iter()
        .filter_map(|(name, scheme)| match scheme {
            ReferenceOr::Item(openapiv3::SecurityScheme::OAuth2 { flows, .. }) => Some((name, flows)),
            _ => None,
        })
        .collect();
    let absolute = |url: &str| {
        if url.starts_with("http://") || url.starts_with("https://") {
            Some(url.to_string())
        } else {
            // RFC 3986 §5.2 against the server URL: an absolute path replaces
            // the base's path, a relative one its last segment.
            let base = base_url?;
            let origin_end = base.find("://").map_or(0, |i| i + 3);
            let origin = &base[..base[origin_end..].find('/').map_or(base.len(), |i| origin_end + i)];
            if url.starts_with('/') {
                Some(format!("{origin}{url}"))
            } else {
                let directory = base.rfind('/').filter(|i| *i >= origin.len()).map_or(origin, |i| &base[..i]);
                Some(format!("{directory}/{url}"))
            }
        }
    };
    let mut out = Vec::new();
    for (name, flows) in &schemes {
        // One oauth2 scheme gets plain names; several are told apart by name.
        let prefix = if schemes.len() == 1 { "oauth2".to_string() } else { crate::naming::snake(name) };
        if let Some(flow) = &flows.client_credentials {
            if let Some(url) = absolute(&flow.token_url) {
                out.push(OAuthFlow {
                    setter: format!("{prefix}_client_credentials"),
                    grant: OAuthGrant::ClientCredentials,
                    token_url: url,
                    scopes: flow.scopes.keys().cloned().collect(),
                    scheme: name.to_string(),
                });
            }
        }
        let refreshable = [
            flows.authorization_code.as_ref().map(|f| (f.refresh_url.as_ref(), &f.token_url, &f.scopes)),
            flows.password.as_ref().map(|f| (f.refresh_url.as_ref(), &f.token_url, &f.scopes)),
            flows.client_credentials.as_ref().map(|f| (f.refresh_url.as_ref(), &f.token_url, &f.scopes)),
        ];
        if let Some((refresh_url, token_url, scopes)) = refreshable.into_iter().flatten().next() {
            if let Some(url) = absolute(refresh_url.unwrap_or(token_url)) {
                out.push(OAuthFlow {
                    setter: format!("{prefix}_refresh_token"),
                    grant: OAuthGrant::RefreshToken,
                    token_url: url,
                    scopes: scopes.keys().cloned().collect(),
                    scheme: name.to_string(),
                });
            }
        }
    }
    out
}

fn client_params(operations: &[super::Operation]) -> Vec<super::ClientParam> {
    let mut out: Vec<super::ClientParam> = Vec::new();
    for param in operations.iter().flat_map(|op| &op.params).filter(|p| p.client_default) {
        if !out.iter().any(|known| known.wire_name == param.wire_name) {
            out.push(super::ClientParam {
                rust_name: param.rust_name.clone(),
                wire_name: param.wire_name.clone(),
                doc: param.docs.text.clone(),
                constraints: param.constraints.clone(),
            });
        }
    }
    out
}

/// Marks every type reachable from a request or a response.
fn mark_usage(types: &mut IndexMap<String, TypeDef>, operations: &[super::Operation]) {
    let mut request_roots = Vec::new();
    let mut response_roots = Vec::new();
    for op in operations {
        request_roots.extend(op.named_types(super::type_refs::Site::in_request));
        response_roots.extend(op.named_types(|site| !site.in_request()));
    }
    let in_request: Vec<String> = reachable(types, request_roots).into_iter().map(str::to_string).collect();
    let in_response: Vec<String> = reachable(types, response_roots).into_iter().map(str::to_string).collect();
    for name in in_request {
        if let Some(def) = types.get_mut(&name) {
            def.in_request = true;
        }
    }
    for name in in_response {
        if let Some(def) = types.get_mut(&name) {
            def.in_response = true;
        }
    }
}

/// Every type of `types` reachable from `roots` (roots included) through the
/// types' definitions, in the order first reached.
pub fn reachable<'a>(
    types: &'a IndexMap<String, TypeDef>,
    roots: impl IntoIterator<Item = &'a str>,
) -> IndexSet<&'a str> {
    let mut seen = IndexSet::new();
    let mut stack: Vec<&str> = roots.into_iter().collect();
    while let Some(name) = stack.pop() {
        let Some((_, key, def)) = types.get_full(name) else { continue };
        if !seen.insert(key.as_str()) {
            continue;
        }
        referenced_types(&def.kind, &mut stack);
    }
    seen
}

/// Named types mentioned by a type definition.
pub fn referenced_types<'k>(kind: &'k TypeKind, out: &mut Vec<&'k str>) {
    for ty in kind.type_refs() {
        ty.names(out);
    }
}
