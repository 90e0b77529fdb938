//! Every type reference an operation holds, in one walk.
//!
//! Type deduplication rewrites them, the usage marks (`in_request`,
//! `in_response`) and the per-tag feature gates start from them, and the
//! standalone manifest reads them for the optional `chrono`/`uuid`
//! dependencies. They all call [`Operation::type_refs`] or
//! [`Operation::type_refs_mut`], so a construct that adds a type reference to
//! an operation is visited by every pass once it is visited here; the
//! exhaustive patterns below make the compiler point here when one is added.

use super::wire::{FormPart, MultipartForm, PartKind};
use super::{
    BodyEncoding, Operation, Pagination, PaginationStyle, Param, RequestBody, ResponseCase, ResponseKind, Responses,
    TypeRef,
};

/// Where in an operation a type reference sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// A parameter's type; `client_level` for an `x-client-default` one,
    /// which the client builder holds instead of the request.
    Param {
        /// Set once on the client.
        client_level: bool,
    },
    /// The request body's type.
    Body,
    /// A text or JSON part of a multipart form body.
    FormPart,
    /// A success response's JSON body.
    SuccessBody,
    /// An error response's JSON body.
    ErrorBody,
    /// The data of a `text/event-stream` response's events.
    EventData,
    /// The page, item, total or cursor type of a page stream.
    Pagination,
}

impl Site {
    /// Whether the reference is part of what the client sends.
    pub fn in_request(self) -> bool {
        matches!(self, Site::Param { .. } | Site::Body | Site::FormPart)
    }
}

/// One walk for both [`Operation::type_refs`] and
/// [`Operation::type_refs_mut`]: `$op` is `&Operation` or `&mut Operation`,
/// and match ergonomics make every binding a shared or a mutable reference.
macro_rules! collect_type_refs {
    ($op:expr) => {{
        let mut out = Vec::new();
        let Operation {
            params,
            body,
            responses,
            pagination,
            operation_id: _,
            method_name: _,
            builder_name: _,
            error_name: _,
            http_method: _,
            path: _,
            tag: _,
            summary: _,
            description: _,
            deprecated: _,
            security: _,
            pointer: _,
        } = $op;
        // Every struct below is destructured without `..`: a new field is a
        // compile error here until it is visited or named as holding no type.
        for Param {
            ty,
            client_default,
            rust_name: _,
            wire_name: _,
            location: _,
            required: _,
            style: _,
            explode: _,
            docs: _,
            constraints: _,
        } in params
        {
            out.push((Site::Param { client_level: *client_default }, ty));
        }
        if let Some(RequestBody { ty, encoding, media_type: _, required: _, docs: _ }) = body {
            out.push((Site::Body, ty));
            match encoding {
                BodyEncoding::Multipart(MultipartForm { parts, name: _ }) => {
                    for FormPart {
                        kind,
                        rust_name: _,
                        wire_name: _,
                        required: _,
                        repeated: _,
                        content_type: _,
                        doc: _,
                    } in parts
                    {
                        match kind {
                            PartKind::Text(ty) | PartKind::Json(ty) => out.push((Site::FormPart, ty)),
                            PartKind::File => {}
                        }
                    }
                }
                BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Bytes(_) | BodyEncoding::Text(_) => {}
            }
        }
        let Responses { success, errors, success_enum: _ } = responses;
        for (site, cases) in [(Site::SuccessBody, success), (Site::ErrorBody, errors)] {
            for ResponseCase { kind, events, status: _, variant: _, media_type: _, description: _ } in cases {
                match kind {
                    ResponseKind::Json(ty) => out.push((site, ty)),
                    ResponseKind::Empty | ResponseKind::Text | ResponseKind::Bytes => {}
                }
                if let Some(ty) = events {
                    out.push((Site::EventData, ty));
                }
            }
        }
        if let Some(Pagination { style, item_type, page_type, items: _, rule: _ }) = pagination {
            out.push((Site::Pagination, item_type));
            out.push((Site::Pagination, page_type));
            match style {
                PaginationStyle::Offset { total: Some((_, ty)), offset_param: _ }
                | PaginationStyle::PageNumber { last_page: Some((_, ty)), page_param: _ }
                | PaginationStyle::LastItem { id_type: ty, param: _, has_more: _, id: _ } => {
                    out.push((Site::Pagination, ty))
                }
                PaginationStyle::Offset { total: None, offset_param: _ }
                | PaginationStyle::PageNumber { last_page: None, page_param: _ }
                | PaginationStyle::Token { param: _, next: _ }
                | PaginationStyle::Link => {}
            }
        }
        out
    }};
}

impl Operation {
    /// Every type reference of the operation, with where it sits, in a stable
    /// order: parameters, body, form parts, responses, pagination.
    pub fn type_refs(&self) -> Vec<(Site, &TypeRef)> {
        collect_type_refs!(self)
    }

    /// [`Self::type_refs`], to rewrite in place.
    pub fn type_refs_mut(&mut self) -> Vec<(Site, &mut TypeRef)> {
        collect_type_refs!(self)
    }

    /// The named types the operation's code mentions at the sites `keep`
    /// accepts, plus its success enum when `keep` accepts success bodies.
    pub fn named_types(&self, keep: impl Fn(Site) -> bool) -> Vec<&str> {
        let mut out = Vec::new();
        for (site, ty) in self.type_refs() {
            if keep(site) {
                ty.names(&mut out);
            }
        }
        if keep(Site::SuccessBody) {
            out.extend(self.responses.success_enum.as_deref());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Site;
    use crate::model::TypeRef;
    use crate::{generate_str, Layout, Options};

    /// One operation with a reference at every site.
    const SPEC: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: X-Tenant, in: header, required: true, x-client-default: true, schema: {$ref: '#/components/schemas/Tenant'}}
        - {name: offset, in: query, schema: {type: integer}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Page'}}}}
        '404': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
  /uploads:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {type: object, properties: {meta: {$ref: '#/components/schemas/Meta'}, file: {type: string, format: binary}}}
      responses:
        '200': {description: ok, content: {text/event-stream: {schema: {$ref: '#/components/schemas/Progress'}}}}
components:
  schemas:
    Tenant: {type: string, enum: [a, b]}
    Page: {type: object, required: [items, total], properties: {items: {type: array, items: {$ref: '#/components/schemas/Thing'}}, total: {type: integer}}}
    Thing: {type: object, properties: {id: {type: string}}}
    Problem: {type: object, properties: {title: {type: string}}}
    Meta: {type: object, properties: {name: {type: string}}}
    Progress: {type: object, properties: {done: {type: integer}}}
";

    fn sites(operation_id: &str) -> Vec<(Site, String)> {
        let options = Options { layout: Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
        let output = generate_str(SPEC, "t.yaml", &options).unwrap_or_else(|e| panic!("{e}"));
        let op = output.api.operations.iter().find(|op| op.operation_id == operation_id).expect("operation");
        op.type_refs().into_iter().map(|(site, ty)| (site, crate::surface::type_text(ty))).collect()
    }

    #[test]
    fn every_site_of_an_operation_is_visited_in_order() {
        let list = sites("listThings");
        let expected = [
            (Site::Param { client_level: true }, "Tenant"),
            (Site::Param { client_level: false }, "i64"),
            (Site::Param { client_level: false }, "i64"),
            (Site::SuccessBody, "Page"),
            (Site::ErrorBody, "Problem"),
            (Site::Pagination, "Thing"),
            (Site::Pagination, "Page"),
            (Site::Pagination, "i64"),
        ];
        let expected: Vec<(Site, String)> = expected.iter().map(|(site, ty)| (*site, ty.to_string())).collect();
        assert_eq!(list, expected);

        // A multipart body's own type is a placeholder; its parts carry the types.
        let upload = sites("upload");
        let expected = [(Site::Body, "Json"), (Site::FormPart, "Meta"), (Site::EventData, "Progress")];
        let expected: Vec<(Site, String)> = expected.iter().map(|(site, ty)| (*site, ty.to_string())).collect();
        assert_eq!(upload, expected);
    }

    /// Every [`Site`] occurs in [`SPEC`]. The match has no wildcard, so a new
    /// site is a compile error here, and its slot stays unreached until the
    /// spec holds a reference at it.
    #[test]
    fn the_spec_reaches_every_site() {
        let slot = |site: Site| match site {
            Site::Param { client_level: true } => 0,
            Site::Param { client_level: false } => 1,
            Site::Body => 2,
            Site::FormPart => 3,
            Site::SuccessBody => 4,
            Site::ErrorBody => 5,
            Site::EventData => 6,
            Site::Pagination => 7,
        };
        let mut reached = [false; 8];
        for (site, _) in ["listThings", "upload"].into_iter().flat_map(sites) {
            reached[slot(site)] = true;
        }
        assert_eq!(reached, [true; 8]);
    }

    #[test]
    fn mutable_references_rewrite_in_place() {
        let options = Options { layout: Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
        let mut output = generate_str(SPEC, "t.yaml", &options).unwrap_or_else(|e| panic!("{e}"));
        let op = &mut output.api.operations[0];
        for (_, ty) in op.type_refs_mut() {
            if *ty == TypeRef::Named("Page".into()) {
                *ty = TypeRef::Named("Listing".into());
            }
        }
        let named = op.named_types(|site| !site.in_request());
        assert!(named.contains(&"Listing") && !named.contains(&"Page"), "{named:?}");
    }
}
