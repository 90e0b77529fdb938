//! `multipart/form-data` request bodies: the body schema's properties become
//! typed parts (text, file, JSON), with the `encoding` object's content types.
//!
//! ```yaml
//! multipart/form-data:
//!   schema:
//!     type: object
//!     required: [file]
//!     properties:
//!       file: {type: string, format: binary}          # a file part
//!       tags: {type: array, items: {type: string}}    # one text part per tag
//!       meta: {$ref: '#/components/schemas/Meta'}     # a JSON part
//!   encoding:
//!     file: {contentType: image/png}
//! ```

use openapiv3::{MediaType, SchemaKind, Type};

use super::build::Builder;
use super::schema::docs_of;
use super::wire::{FormPart, MultipartForm, PartKind};
use super::{through_aliases, TypeKind, TypeRef};
use crate::diagnostics::escape_pointer_token;
use crate::naming::{camel, snake, Namespace};

/// Methods of the generated form struct that setters must not shadow (trait
/// method names get a `with_` setter already, see `naming::setter_name`).
const FORM_MEMBERS: &[&str] = &["new", "to_multipart"];

impl Builder<'_> {
    /// The typed form of a `multipart/form-data` body, or `None` when its
    /// schema is not an object with properties (it is then sent as raw bytes
    /// the caller encodes). `name` is a provisional struct name; the caller
    /// claims the final one.
    pub fn multipart_form(&mut self, media: &MediaType, pointer: &str, name: &str) -> Option<MultipartForm> {
        let schema = self.resolve_schema(media.schema.as_ref()?)?.clone();
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else { return None };
        if object.properties.is_empty() {
            return None;
        }
        let mut names = Namespace::with_reserved(FORM_MEMBERS);
        let mut parts = Vec::new();
        for (wire_name, property) in &object.properties {
            let property_pointer = format!("{pointer}/properties/{}", escape_pointer_token(wire_name));
            let resolved = self.resolve_schema(property).cloned();
            // Read-only properties are never sent by clients.
            if resolved.as_ref().is_some_and(|s| s.schema_data.read_only) {
                continue;
            }
            let hint = format!("{name}{}", camel(wire_name));
            let ty = self.type_of(property, &hint, &property_pointer).into_non_optional();
            let (repeated, element) = match ty {
                TypeRef::Vec(item) => (true, item.into_non_optional()),
                other => (false, other),
            };
            let kind = if element == TypeRef::Binary {
                PartKind::File
            } else if self.is_scalar(&element) {
                PartKind::Text(element)
            } else {
                PartKind::Json(element)
            };
            let content_type = media
                .encoding
                .get(wire_name)
                .and_then(|encoding| encoding.content_type.as_deref())
                .and_then(concrete_content_type);
            parts.push(FormPart {
                rust_name: names.claim(&snake(wire_name)),
                wire_name: wire_name.clone(),
                kind,
                required: object.required.contains(wire_name),
                repeated,
                content_type,
                doc: resolved.as_ref().and_then(|s| docs_of(s).text),
            });
        }
        Some(MultipartForm { name: name.to_string(), parts })
    }

    /// Whether values of `ty` are sent as a text part (they have a text form).
    /// Unlike a parameter's text (`emit::param_text`), base64 is text here and
    /// free-form JSON is a JSON part, which multipart can label as such.
    fn is_scalar(&self, ty: &TypeRef) -> bool {
        match through_aliases(&self.types, ty) {
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::Integer(_)
            | TypeRef::Float(_)
            | TypeRef::DateTime
            | TypeRef::Date
            | TypeRef::Uuid
            | TypeRef::Base64 => true,
            TypeRef::Named(name) => matches!(self.types.get(name).map(|d| &d.kind), Some(TypeKind::Enum { .. })),
            _ => false,
        }
    }
}

/// The first type of an `encoding.contentType` list (`image/png, image/jpeg`),
/// unless it is a wildcard, which names no type to send.
fn concrete_content_type(list: &str) -> Option<String> {
    let first = list.split(',').next()?.trim();
    (!first.is_empty() && !first.contains('*')).then(|| first.to_string())
}

#[cfg(test)]
mod tests {
    use super::concrete_content_type;
    use crate::model::{BodyEncoding, PartKind, TypeRef};

    #[test]
    fn content_type_lists_and_wildcards() {
        assert_eq!(concrete_content_type("image/png, image/jpeg").as_deref(), Some("image/png"));
        assert_eq!(concrete_content_type("image/*"), None);
    }

    #[test]
    fn properties_become_text_file_and_json_parts() {
        let spec = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /upload:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                extra: {type: array, items: {type: string, format: binary}}
                tags: {type: array, items: {type: string}}
                count: {type: integer}
                meta: {type: object, properties: {a: {type: string}}}
                id: {type: string, readOnly: true}
            encoding:
              file: {contentType: "image/png, image/jpeg"}
      responses: {"204": {description: ok}}
"#;
        let options =
            crate::Options { layout: crate::Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
        let output = crate::generate_str(spec, "t.yaml", &options).unwrap_or_else(|e| panic!("{e}"));
        let body = output.api.operations[0].body.as_ref().map(|b| &b.encoding);
        let Some(BodyEncoding::Multipart(form)) = body else { panic!("not multipart: {body:?}") };
        assert_eq!(form.name, "UploadForm");
        let summary: Vec<(&str, &PartKind, bool, bool, Option<&str>)> = form
            .parts
            .iter()
            .map(|p| (p.wire_name.as_str(), &p.kind, p.required, p.repeated, p.content_type.as_deref()))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("file", &PartKind::File, true, false, Some("image/png")),
                ("extra", &PartKind::File, false, true, None),
                ("tags", &PartKind::Text(TypeRef::String), false, true, None),
                ("count", &PartKind::Text(TypeRef::Integer(crate::model::IntWidth::I64)), false, false, None),
                ("meta", &PartKind::Json(TypeRef::Named("UploadFormMeta".into())), false, false, None),
            ]
        );
    }
}
