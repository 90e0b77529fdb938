//! Request bodies beyond JSON, forms and text: binary uploads (a
//! `runtime::Upload` from bytes, a file or a stream) and typed
//! `multipart/form-data` forms, a struct beside the operation's builder.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_from_parts;
use super::param_text::{text_form, TextForm};
use super::rust_type::{ident, rust_type, Position, Scope};
use crate::model::{Api, BodyEncoding, FormPart, Operation, PartKind, RequestBody, TypeRef};

/// The type of the builder's `body` field.
///
/// ```text
/// crate::runtime::Upload            // binary bodies
/// UploadFileForm                    // multipart forms (in the tag module)
/// super::types::Pet                 // everything else, as before
/// ```
pub fn body_type(body: &RequestBody) -> TokenStream {
    match &body.encoding {
        BodyEncoding::Bytes(_) => quote! { crate::runtime::Upload },
        BodyEncoding::Multipart(form) => {
            let name = format_ident!("{}", form.name);
            quote! { #name }
        }
        _ => rust_type(&body.ty, Scope::Operations, Position::Body),
    }
}

/// The type a method or setter takes the body as, and the expression
/// (of a variable `body`) stored in the builder.
///
/// ```text
/// body: impl Into<crate::runtime::Upload>   → body.into()   // bytes, `Vec<u8>`, an `Upload`
/// body: super::types::Pet                   → body
/// ```
pub fn body_argument(body: &RequestBody) -> (TokenStream, TokenStream) {
    let ty = body_type(body);
    match &body.encoding {
        BodyEncoding::Bytes(_) => (quote! { impl ::std::convert::Into<#ty> }, quote! { body.into() }),
        _ => (ty, quote! { body }),
    }
}

/// The `body` field initializer of the client method: `body` (shorthand) or
/// `body: body.into()`.
pub fn body_field_init(body: &RequestBody) -> TokenStream {
    match &body.encoding {
        BodyEncoding::Bytes(_) => quote! { body: body.into() },
        _ => quote! { body },
    }
}

/// The `crate::runtime::__private::Body` of a binary or multipart body held in `value`
/// (a reference expression); `None` for the other encodings.
///
/// ```text
/// crate::runtime::__private::Body::upload("image/png", crate::runtime::Upload::clone(&self.body))
/// crate::runtime::__private::Body::Multipart(UploadFileForm::to_multipart(&self.body)?)
/// ```
pub fn encode(body: &RequestBody, value: &TokenStream) -> Option<TokenStream> {
    match &body.encoding {
        BodyEncoding::Bytes(media_type) => Some(quote! {
            crate::runtime::__private::Body::upload(#media_type, crate::runtime::Upload::clone(#value))
        }),
        BodyEncoding::Multipart(form) => {
            let name = format_ident!("{}", form.name);
            Some(quote! { crate::runtime::__private::Body::Multipart(#name::to_multipart(#value)?) })
        }
        _ => None,
    }
}

/// The form struct of an operation with a multipart body.
///
/// ```text
/// #[derive(Debug, Clone)]
/// pub struct UploadFileForm { pub file: crate::runtime::Upload, pub tags: Vec<String>, pub note: Option<String> }
/// impl UploadFileForm {
///     pub fn new(file: impl Into<crate::runtime::Upload>) -> Self
///     pub fn tags(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self
///     pub fn note(mut self, value: impl Into<String>) -> Self
///     pub fn to_multipart(&self) -> Result<crate::runtime::Multipart, crate::runtime::Error>
/// }
/// ```
// Long: one template of the form struct, its constructor or builder, setters and `to_multipart`.
pub fn form_item(api: &Api, op: &Operation) -> Option<TokenStream> {
    let form = op.form()?;
    let name = format_ident!("{}", form.name);
    let method = &op.method_name;
    // Written as is, not through `doc_attrs`: that escapes spec prose's brackets, and these are links.
    let required: Vec<&FormPart> = form.parts.iter().filter(|p| p.required).collect();
    let construction = if required.len() > crate::model::MAX_CONSTRUCTOR_ARGS {
        "`builder()` takes every part by name, `build()` checks the required ones"
    } else {
        "`new` takes the required parts, setters the others"
    };
    let doc = format!(
        " The `multipart/form-data` body of [`Client::{method}`](super::Client::{method}): {construction}. A file part is an [`Upload`](crate::runtime::Upload) from bytes, a path or a stream, with an optional file name and content type."
    );
    let fields = form.parts.iter().map(|part| {
        let field = ident(&part.rust_name);
        let ty = field_type(part);
        let fallback = if part.repeated {
            format!("The `{}` parts, one per element.", part.wire_name)
        } else {
            format!("The `{}` part.", part.wire_name)
        };
        let docs = doc_from_parts(&[part.doc.as_deref()], &fallback);
        quote! { #docs pub #field: #ty, }
    });
    let args = required.iter().map(|part| {
        let field = ident(&part.rust_name);
        let ty = input_type(part);
        quote! { #field: #ty }
    });
    let inits = form.parts.iter().map(|part| {
        let field = ident(&part.rust_name);
        match (part.required, part.repeated) {
            (true, true) => quote! { #field: #field.into_iter().map(::std::convert::Into::into).collect() },
            (true, false) => quote! { #field: #field.into() },
            (false, true) => quote! { #field: ::std::vec::Vec::new() },
            (false, false) => quote! { #field: ::std::option::Option::None },
        }
    });
    // `new` (or `builder`) and `to_multipart` are taken: a part of that name gets
    // a numbered setter (`new2`).
    let use_builder = required.len() > crate::model::MAX_CONSTRUCTOR_ARGS;
    // Beside a builder, `build` too: the form and its builder share setter names.
    let reserved: &[&str] = if use_builder { &["builder", "build", "to_multipart"] } else { &["new", "to_multipart"] };
    let mut names = crate::naming::Namespace::with_reserved(reserved);
    let setter_names: Vec<Option<String>> = form
        .parts
        .iter()
        .map(|part| (!part.required).then(|| names.claim(&crate::naming::setter_name(&part.rust_name))))
        .collect();
    let setters: Vec<TokenStream> = form
        .parts
        .iter()
        .zip(&setter_names)
        .filter_map(|(part, name)| name.as_deref().map(|name| setter(part, name)))
        .collect();
    // Without required parts every field has an empty value: `new()` is `default()`.
    let default = required.is_empty().then(|| quote! { Default, });
    let encode = to_multipart(api, &form.parts);
    let (constructor, builder) = if use_builder {
        let builder_name = format_ident!("{}Builder", form.name);
        let builder = form_builder(&form.name, &builder_name, &form.parts, &setter_names);
        let constructor = quote! {
            /// A builder with every part unset: set each required part, then
            /// `build()` (which names the first required part left unset).
            pub fn builder() -> #builder_name {
                ::std::default::Default::default()
            }
        };
        (constructor, Some(builder))
    } else {
        let constructor = quote! {
            /// A form with its required parts; the setters add the others.
            pub fn new(#( #args ),*) -> Self {
                #name { #( #inits, )* }
            }
        };
        (constructor, None)
    };
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, #default)]
        #[non_exhaustive]
        pub struct #name {
            #( #fields )*
        }

        impl #name {
            #constructor

            #( #setters )*

            /// Encodes the form: one part per value, in the API's order.
            pub fn to_multipart(&self) -> ::std::result::Result<crate::runtime::Multipart, crate::runtime::Error> {
                #encode
            }
        }

        #builder
    })
}

/// The builder of a form with more than
/// [`MAX_CONSTRUCTOR_ARGS`](crate::model::MAX_CONSTRUCTOR_ARGS) required parts,
/// by the rule structs follow: a setter per part (the form's names for the
/// optional ones; `build` is taken) and `build()`.
///
/// ```text
/// #[derive(Debug, Clone, Default)]
/// pub struct UploadFileFormBuilder { file: Option<crate::runtime::Upload>, tags: Option<Vec<String>>, note: Option<String> }
/// impl UploadFileFormBuilder {
///     pub fn file(self, value: impl Into<crate::runtime::Upload>) -> Self;
///     pub fn build(self) -> Result<UploadFileForm, crate::runtime::MissingField>;
/// }
/// ```
fn form_builder(
    form_name: &str,
    builder_name: &proc_macro2::Ident,
    parts: &[FormPart],
    setter_names: &[Option<String>],
) -> TokenStream {
    let name = format_ident!("{form_name}");
    let mut names = crate::naming::Namespace::with_reserved(&["build"]);
    let slots = parts.iter().map(|part| {
        let field = ident(&part.rust_name);
        let ty = field_type(part);
        if part.required {
            quote! { #field: ::std::option::Option<#ty>, }
        } else {
            quote! { #field: #ty, }
        }
    });
    let setters: Vec<TokenStream> = parts
        .iter()
        .zip(setter_names)
        .map(|(part, form_setter)| {
            let wanted = form_setter.clone().unwrap_or_else(|| crate::naming::setter_name(&part.rust_name));
            let setter_name = names.claim(&wanted);
            if !part.required {
                return setter(part, &setter_name);
            }
            let field = ident(&part.rust_name);
            let setter_ident = ident(&setter_name);
            let ty = input_type(part);
            if part.repeated {
                let doc = format!(" Sets the `{}` parts, one per value.", part.wire_name);
                quote! {
                    #[doc = #doc]
                    pub fn #setter_ident(mut self, values: #ty) -> Self {
                        self.#field = ::std::option::Option::Some(values.into_iter().map(::std::convert::Into::into).collect());
                        self
                    }
                }
            } else {
                let doc = format!(" Sets the `{}` part.", part.wire_name);
                quote! {
                    #[doc = #doc]
                    pub fn #setter_ident(mut self, value: #ty) -> Self {
                        self.#field = ::std::option::Option::Some(value.into());
                        self
                    }
                }
            }
        })
        .collect();
    let inits = parts.iter().map(|part| {
        let field = ident(&part.rust_name);
        let label = &part.rust_name;
        if part.required {
            quote! { #field: self.#field.ok_or(crate::runtime::MissingField::new(#form_name, #label))? }
        } else {
            quote! { #field: self.#field }
        }
    });
    let doc = format!(
        " Builds a [`{form_name}`] ([`{form_name}::builder`]): a setter per part, then [`build`](Self::build)."
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default)]
        #[must_use]
        pub struct #builder_name {
            #( #slots )*
        }

        impl #builder_name {
            #( #setters )*

            /// The form, or the first required part (in the API's order) left unset.
            pub fn build(self) -> ::std::result::Result<#name, crate::runtime::MissingField> {
                ::std::result::Result::Ok(#name { #( #inits, )* })
            }
        }
    }
}

/// One element of a part: `crate::runtime::Upload` or the schema's type.
fn element_type(part: &FormPart) -> TokenStream {
    match &part.kind {
        PartKind::File => quote! { crate::runtime::Upload },
        PartKind::Text(ty) | PartKind::Json(ty) => rust_type(ty, Scope::Operations, Position::InJson),
    }
}

/// `T`, `Option<T>` or `Vec<T>` (an empty `Vec` sends no part).
fn field_type(part: &FormPart) -> TokenStream {
    let element = element_type(part);
    match (part.required, part.repeated) {
        (_, true) => quote! { ::std::vec::Vec<#element> },
        (true, false) => element,
        (false, false) => quote! { ::std::option::Option<#element> },
    }
}

/// What `new` and the setters accept for a part.
fn input_type(part: &FormPart) -> TokenStream {
    let element = element_type(part);
    if part.repeated {
        quote! { impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#element>> }
    } else {
        quote! { impl ::std::convert::Into<#element> }
    }
}

/// `pub fn note(mut self, value: impl Into<String>) -> Self`
fn setter(part: &FormPart, setter: &str) -> TokenStream {
    let field = ident(&part.rust_name);
    let setter = ident(setter);
    let ty = input_type(part);
    let doc = if part.repeated {
        format!(" Sets the `{}` parts, one per value.", part.wire_name)
    } else {
        format!(" Sets the `{}` part.", part.wire_name)
    };
    if part.repeated {
        quote! {
            #[doc = #doc]
            pub fn #setter(mut self, values: #ty) -> Self {
                self.#field = values.into_iter().map(::std::convert::Into::into).collect();
                self
            }
        }
    } else {
        quote! {
            #[doc = #doc]
            pub fn #setter(mut self, value: #ty) -> Self {
                self.#field = ::std::option::Option::Some(value.into());
                self
            }
        }
    }
}

/// The body of `to_multipart`: every part of every field, bound to `value`.
///
/// ```text
/// let mut form = crate::runtime::Multipart::new();
/// { let value = &self.file; form = form.file("file", crate::runtime::Upload::clone(value), "image/png"); }
/// for value in &self.tags { form = form.text("tags", ::std::string::String::clone(value)); }
/// if let Some(value) = &self.meta { form = form.json("meta", value, "application/json")?; }
/// Ok(form)
/// ```
fn to_multipart(api: &Api, parts: &[FormPart]) -> TokenStream {
    if parts.is_empty() {
        return quote! { ::std::result::Result::Ok(crate::runtime::Multipart::new()) };
    }
    let statements = parts.iter().map(|part| {
        let field = ident(&part.rust_name);
        let add = add_part(api, part);
        match (part.required, part.repeated) {
            (_, true) => quote! { for value in &self.#field { #add } },
            (true, false) => quote! { { let value = &self.#field; #add } },
            (false, false) => quote! { if let ::std::option::Option::Some(value) = &self.#field { #add } },
        }
    });
    quote! {
        let mut form = crate::runtime::Multipart::new();
        #( #statements )*
        ::std::result::Result::Ok(form)
    }
}

/// Adds one part holding `value` (a reference) to `form`.
fn add_part(api: &Api, part: &FormPart) -> TokenStream {
    let wire = &part.wire_name;
    match &part.kind {
        PartKind::File => {
            let content_type = part.content_type.as_deref().unwrap_or("application/octet-stream");
            quote! { form = form.file(#wire, crate::runtime::Upload::clone(value), #content_type); }
        }
        PartKind::Json(_) => {
            let content_type = part.content_type.as_deref().unwrap_or("application/json");
            quote! { form = form.json(#wire, value, #content_type)?; }
        }
        PartKind::Text(ty) => {
            let text = text_of(api, ty);
            match &part.content_type {
                Some(content_type) => quote! { form = form.text_with_type(#wire, #text, #content_type); },
                None => quote! { form = form.text(#wire, #text); },
            }
        }
    }
}

/// The text of a scalar `value` (a reference) as a `String`.
fn text_of(api: &Api, ty: &TypeRef) -> TokenStream {
    match text_form(api, ty) {
        TextForm::Display if *ty == TypeRef::String => quote! { ::std::string::String::clone(value) },
        TextForm::Display => quote! { value.to_string() },
        TextForm::Rfc3339 => quote! { value.to_rfc3339() },
        TextForm::Json => quote! { ::serde_json::to_string(value).unwrap_or_default() },
        TextForm::Serialized => quote! { crate::runtime::__private::param_text(value) },
    }
}
