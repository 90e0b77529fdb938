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
}

impl Builder<'_> {
    /// The data type of a `text/event-stream` response's events: the
    /// schema's type (an array schema describes the stream: its item type),
    /// `String` when there is no schema or it is a string. `None` when the
    /// response has no event-stream media type.
    pub fn event_data_type(&mut self, response: &Response, pointer: &str, hint: &str) -> Option<TypeRef> {
        let (media_type, media) = response.content.iter().find(|(media_type, _)| is_event_stream(media_type))?;
        let Some(schema) = &media.schema else { return Some(TypeRef::String) };
        let schema_pointer = format!("{pointer}/content/{}/schema", escape_pointer_token(media_type));
        let ty = match self.type_of(schema, &format!("{hint}Event"), &schema_pointer) {
            TypeRef::Vec(item) => *item,
            other => other,
        };
        // Text (or bytes, which an event's data line cannot carry) stays text.
        Some(match ty.non_optional() {
            TypeRef::Binary | TypeRef::String => TypeRef::String,
            _ => ty,
        })
    }
}

/// Whether `media_type` is `text/event-stream` (parameters and case aside).
pub fn is_event_stream(media_type: &str) -> bool {
    media_type.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("text/event-stream")
}
