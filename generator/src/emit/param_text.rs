//! How a parameter value becomes the text of a path segment, a query pair or a
//! header. Most types are `Display`; the rest need a conversion, and which one
//! depends on the named type's kind (an enum displays, a `oneOf` does not).

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_type::ident;
use crate::model::{through_aliases, Api, Param, ParamLocation, ParamStyle, TypeKind, TypeRef};

/// How a value of some type is written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextForm {
    /// The type is `Display` (strings, numbers, enums, dates, UUIDs).
    Display,
    /// `chrono::DateTime`: RFC 3339, not chrono's `Display` (which has a space).
    Rfc3339,
    /// Free-form JSON: its JSON text.
    Json,
    /// No `Display` (unions, objects, base64, nested arrays): the runtime's
    /// `param_text`, the JSON form with strings unquoted.
    Serialized,
}

/// The text form of `ty`.
pub fn text_form(api: &Api, ty: &TypeRef) -> TextForm {
    match through_aliases(&api.types, ty) {
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::Integer(_)
        | TypeRef::Float(_)
        | TypeRef::Date
        | TypeRef::Uuid
        | TypeRef::Binary => TextForm::Display,
        TypeRef::DateTime => TextForm::Rfc3339,
        TypeRef::Json | TypeRef::JsonObject | TypeRef::Map(_) => TextForm::Json,
        TypeRef::Named(name) => match api.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Enum { .. }) => TextForm::Display,
            _ => TextForm::Serialized,
        },
        _ => TextForm::Serialized,
    }
}

/// Text for a query or header value: `value` is a reference expression
/// (`&self.limit`, `value`, `item`); the result implements `ToString`.
pub fn value_text(api: &Api, ty: &TypeRef, value: TokenStream) -> TokenStream {
    match text_form(api, ty) {
        TextForm::Display => value,
        TextForm::Rfc3339 => quote! { #value.to_rfc3339() },
        TextForm::Json => quote! { ::serde_json::to_string(#value).unwrap_or_default() },
        TextForm::Serialized => quote! { crate::runtime::__private::param_text(#value) },
    }
}

/// A `&str`-like expression for the path parameter in field `field` of the builder.
pub fn path_text(api: &Api, ty: &TypeRef, field: &str) -> TokenStream {
    let name = ident(field);
    match text_form(api, ty) {
        TextForm::Display if *ty == TypeRef::String => quote! { &self.#name },
        TextForm::Display => quote! { &self.#name.to_string() },
        TextForm::Rfc3339 => quote! { &self.#name.to_rfc3339() },
        TextForm::Json => quote! { &::serde_json::to_string(&self.#name).unwrap_or_default() },
        TextForm::Serialized => quote! { &crate::runtime::__private::param_text(&self.#name) },
    }
}

/// Whether a value of `ty` is written as an object (`R=100&G=200`), an
/// array (`blue,black`) or one value by the parameter styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One value.
    Primitive,
    /// A list of values.
    Array,
    /// Named fields.
    Object,
}

/// The shape of `ty`, through aliases.
pub fn shape(api: &Api, ty: &TypeRef) -> Shape {
    match through_aliases(&api.types, ty) {
        TypeRef::Vec(_) | TypeRef::Tuple(_) => Shape::Array,
        TypeRef::Map(_) | TypeRef::JsonObject => Shape::Object,
        TypeRef::Named(name) => match api.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Struct { .. }) => Shape::Object,
            _ => Shape::Primitive,
        },
        _ => Shape::Primitive,
    }
}

/// Whether `param` goes through the runtime's style writers
/// (`path_param`, `query_param`, `header_param`, `cookie_param`) rather than
/// the plain text of [`value_text`]: every style and shape whose wire form
/// is not the value's own text (`form` arrays have their own, cheaper code).
pub fn is_styled(api: &Api, param: &Param) -> bool {
    let shape = shape(api, &param.ty);
    match (param.location, param.style) {
        (_, ParamStyle::Content) => false,
        (ParamLocation::Path, style) => style != ParamStyle::Simple || shape != Shape::Primitive,
        (ParamLocation::Query, ParamStyle::DeepObject) => true,
        (ParamLocation::Query, ParamStyle::SpaceDelimited | ParamStyle::PipeDelimited) => shape != Shape::Primitive,
        (ParamLocation::Query, _) | (ParamLocation::Header, _) => shape == Shape::Object,
        (ParamLocation::Cookie, _) => shape != Shape::Primitive,
    }
}

/// `crate::runtime::__private::ParamStyle::DeepObject`.
pub fn style_tokens(style: ParamStyle) -> TokenStream {
    let variant = match style {
        ParamStyle::Simple | ParamStyle::Content => quote! { Simple },
        ParamStyle::Label => quote! { Label },
        ParamStyle::Matrix => quote! { Matrix },
        ParamStyle::Form => quote! { Form },
        ParamStyle::SpaceDelimited => quote! { SpaceDelimited },
        ParamStyle::PipeDelimited => quote! { PipeDelimited },
        ParamStyle::DeepObject => quote! { DeepObject },
    };
    quote! { crate::runtime::__private::ParamStyle::#variant }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{generate_str, Layout, Options};

    fn api(yaml: &str) -> Api {
        let options = Options { layout: Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
        generate_str(yaml, "t.yaml", &options).map(|output| output.api).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn unions_and_base64_are_serialized_enums_display() {
        let api = api(r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Id: {oneOf: [{type: integer}, {type: string}]}
    Kind: {type: string, enum: [a, b]}
    KindAlias: {$ref: "#/components/schemas/Kind"}
"##);
        let named = |name: &str| TypeRef::Named(name.into());
        assert_eq!(text_form(&api, &named("Id")), TextForm::Serialized);
        assert_eq!(text_form(&api, &named("Kind")), TextForm::Display);
        assert_eq!(text_form(&api, &named("KindAlias")), TextForm::Display);
        assert_eq!(text_form(&api, &TypeRef::Base64), TextForm::Serialized);
        assert_eq!(text_form(&api, &TypeRef::Vec(Box::new(TypeRef::String))), TextForm::Serialized);
    }

    #[test]
    fn union_path_parameter_compiles_to_param_text() {
        let yaml = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /workflows/{id}:
    get:
      operationId: getWorkflow
      parameters:
        - {name: id, in: path, required: true, schema: {oneOf: [{type: integer}, {type: string}]}}
        - {name: since, in: query, schema: {type: string, format: byte}}
      responses: {"204": {description: done}}
"#;
        let options = Options { layout: Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
        let output = generate_str(yaml, "t.yaml", &options).unwrap_or_else(|e| panic!("{e}"));
        let code = output.files.values().cloned().collect::<String>();
        assert!(code.contains("crate::runtime::__private::param_text(&self.id)"), "{code}");
        assert!(code.contains("crate::runtime::__private::param_text(value)"), "{code}");
    }
}
