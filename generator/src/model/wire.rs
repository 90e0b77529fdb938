//! Model types of the wire formats beyond JSON: `multipart/form-data` forms,
//! and the type references they (and event streams) add to an operation.

use openapiv3::Response;

use super::build::Builder;
use super::{BodyEncoding, Operation, TypeRef};
use crate::diagnostics::escape_pointer_token;

/// A `multipart/form-data` request body: one typed part per property of the
/// body schema, emitted as a form struct beside the operation's builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartForm {
    /// The form struct's name (claimed among the request builders' names).
    pub name: String,
    /// Parts in schema order.
    pub parts: Vec<FormPart>,
}

/// One property of a multipart form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormPart {
    /// The struct field (and setter) name.
    pub rust_name: String,
    /// The part name on the wire.
    pub wire_name: String,
    /// What the part holds.
    pub kind: PartKind,
    /// Listed in `required`: a constructor argument.
    pub required: bool,
    /// An array: one part per element, all with the same name.
    pub repeated: bool,
    /// The `encoding` object's `contentType` for this part, when it names a
    /// concrete type.
    pub content_type: Option<String>,
    /// The property's description.
    pub doc: Option<String>,
}

/// The payload of a form part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartKind {
    /// A scalar (string, number, boolean, enum, date, …) sent as its text.
    Text(TypeRef),
    /// `format: binary`: a file from bytes, a path or a stream (`runtime::Upload`).
    File,
    /// Anything else (objects, unions, free-form values) sent as JSON.
    Json(TypeRef),
}

impl FormPart {
    /// The element type of the part (for text and JSON parts).
    pub fn type_ref(&self) -> Option<&TypeRef> {
        match &self.kind {
            PartKind::Text(ty) | PartKind::Json(ty) => Some(ty),
            PartKind::File => None,
        }
    }
}

impl Operation {
    /// The multipart form of the request body, if it is one.
    pub fn form(&self) -> Option<&MultipartForm> {
        match &self.body.as_ref()?.encoding {
            BodyEncoding::Multipart(form) => Some(form),
            _ => None,
        }
    }

    /// Type references the request holds beyond parameters and `body.ty`:
    /// the parts of a multipart form.
    pub fn wire_request_types(&self) -> Vec<&TypeRef> {
        self.form().map(|form| form.parts.iter().filter_map(FormPart::type_ref).collect()).unwrap_or_default()
    }

    /// Type references the responses hold beyond their kinds: event data.
    pub fn wire_response_types(&self) -> Vec<&TypeRef> {
        self.responses.success.iter().filter_map(|case| case.events.as_ref()).collect()
    }

    /// Named types the request mentions beyond its parameters: the body and
    /// its form parts.
    pub fn request_type_names<'a>(&'a self, out: &mut Vec<&'a str>) {
        if let Some(body) = &self.body {
            body.ty.names(out);
        }
        for ty in self.wire_request_types() {
            ty.names(out);
        }
    }

    /// Named types the responses mention: success and error bodies, event
    /// data, the success enum and the pagination types.
    pub fn response_type_names<'a>(&'a self, out: &mut Vec<&'a str>) {
        for ty in self.wire_response_types() {
            ty.names(out);
        }
        for case in self.responses.success.iter().chain(&self.responses.errors) {
            if let super::ResponseKind::Json(ty) = &case.kind {
                ty.names(out);
            }
        }
        if let Some(name) = &self.responses.success_enum {
            out.push(name);
        }
        if let Some(pagination) = &self.pagination {
            pagination.item_type.names(out);
            pagination.page_type.names(out);
            match &pagination.style {
                super::PaginationStyle::Offset { total: Some((_, ty)), .. }
                | super::PaginationStyle::PageNumber { last_page: Some((_, ty)), .. }
                | super::PaginationStyle::LastItem { id_type: ty, .. } => ty.names(out),
                _ => {}
            }
        }
    }

    /// Every type reference of [`Self::wire_request_types`] and
    /// [`Self::wire_response_types`], to rewrite (type deduplication).
    pub fn wire_types_mut(&mut self) -> Vec<&mut TypeRef> {
        let mut out: Vec<&mut TypeRef> = Vec::new();
        if let Some(body) = &mut self.body {
            if let BodyEncoding::Multipart(form) = &mut body.encoding {
                for part in &mut form.parts {
                    if let PartKind::Text(ty) | PartKind::Json(ty) = &mut part.kind {
                        out.push(ty);
                    }
                }
            }
        }
        out.extend(self.responses.success.iter_mut().filter_map(|case| case.events.as_mut()));
        out
    }
}

impl Builder<'_> {
    /// The data type of a `text/event-stream` response's events: the
    /// schema's type (an array schema describes the stream: its item type),
    /// `String` when there is no schema or it is a string. `None` when the
    /// response has no event-stream media type.
    pub fn event_data_type(&mut self, response: &Response, pointer: &str, hint: &str) -> Option<TypeRef> {
        let (media_type, media) = response.content.iter().find(|(media_type, _)| {
            media_type.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("text/event-stream")
        })?;
        let Some(schema) = &media.schema else { return Some(TypeRef::String) };
        let schema_pointer = format!("{pointer}/content/{}/schema", escape_pointer_token(media_type));
        let ty = match self.type_of(schema, &format!("{hint}Event"), &schema_pointer) {
            TypeRef::Vec(item) => *item,
            other => other,
        };
        // Text (or bytes, which an event's data line cannot carry) stays text.
        Some(match strip(&ty) {
            TypeRef::Binary | TypeRef::String => TypeRef::String,
            _ => ty,
        })
    }
}

fn strip(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Option(inner) => strip(inner),
        other => other,
    }
}
