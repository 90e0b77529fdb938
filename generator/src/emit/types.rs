//! The `types` module: one item per named type of the model.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_from_parts;
use super::rust_type::{ident, rust_type, Position, Scope};
use crate::model::{Api, EnumValue, Field, TypeDef, TypeKind, TypeRef, Variant};
use crate::naming::Namespace;

/// All type items of an API.
pub fn types_module(api: &Api) -> Vec<TokenStream> {
    api.types.values().map(type_item).collect()
}

fn type_item(def: &TypeDef) -> TokenStream {
    let fallback = format!("`{}` (from `#{}`).", def.name, def.pointer);
    let docs = doc_from_parts(&[def.docs.text.as_deref()], &fallback);
    let deprecated = def.docs.deprecated.then(|| quote! { #[deprecated] });
    let name = format_ident!("{}", def.name);
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            let body = struct_item(def, fields, additional.as_ref());
            quote! { #docs #deprecated #body }
        }
        TypeKind::Enum { values } => {
            let body = enum_item(&name, values);
            quote! { #docs #deprecated #body }
        }
        TypeKind::Union { variants, discriminator } => {
            let body = union_item(&name, variants, discriminator.as_deref());
            quote! { #docs #deprecated #body }
        }
        TypeKind::Responses { variants } => {
            let body = responses_item(&name, variants);
            quote! { #docs #body }
        }
        TypeKind::Alias(target) => {
            let target = rust_type(target, Scope::Types, Position::InJson);
            // pub type Name = Target;
            quote! { #docs #deprecated pub type #name = #target; }
        }
    }
}

fn field_type(field: &Field) -> TokenStream {
    rust_type(&field.ty, Scope::Types, Position::InJson)
}

/// ```text
/// #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// #[non_exhaustive]                         // response-only models
/// pub struct Pet {
///     #[serde(rename = "petType", default, skip_serializing_if = "Option::is_none")]
///     pub pet_type: Option<String>,
/// }
/// impl Pet { pub fn new(…) -> Self; pub fn pet_type(self, …) -> Self; pub fn validate(&self) … }
/// ```
fn struct_item(def: &TypeDef, fields: &[Field], additional: Option<&TypeRef>) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let field_items = fields.iter().map(|field| {
        let docs = doc_from_parts(&[field.docs.text.as_deref()], &format!("`{}`", field.wire_name));
        let field_ident = ident(&field.rust_name);
        let ty = field_type(field);
        let wire = &field.wire_name;
        let deprecated = field.docs.deprecated.then(|| quote! { #[deprecated] });
        // `r#type` already serializes as `type`: rename only when the names differ.
        let rename = (field.rust_name != *wire).then(|| quote! { rename = #wire, });
        let serde = match &field.ty {
            TypeRef::Option(_) if field.required && !field.read_only => {
                // Required but nullable: always sent, `null` when `None`.
                quote! { #[serde(#rename default)] }
            }
            TypeRef::Option(_) => {
                quote! { #[serde(#rename default, skip_serializing_if = "::std::option::Option::is_none")] }
            }
            _ => match rename {
                Some(_) => quote! { #[serde(rename = #wire)] },
                None => quote! {},
            },
        };
        quote! { #docs #deprecated #serde pub #field_ident: #ty, }
    });
    let additional_field = additional.map(|value| {
        let value = rust_type(value, Scope::Types, Position::InJson);
        quote! {
            /// Properties not listed above.
            #[serde(flatten)]
            pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #value>,
        }
    });
    let non_exhaustive = (def.in_response && !def.in_request).then(|| quote! { #[non_exhaustive] });
    let all_optional = fields.iter().all(|f| matches!(f.ty, TypeRef::Option(_)));
    let default = (all_optional).then(|| quote! { Default, });
    let constructor = def.in_request.then(|| constructor_and_setters(&name, fields, additional.is_some()));
    let validate = validate_fn(fields);
    let validate_impl = validate.map(|body| {
        quote! {
            impl #name {
                /// Checks the spec's constraints (lengths, ranges, item counts, patterns) before sending.
                pub fn validate(&self) -> ::std::result::Result<(), crate::runtime::Error> {
                    #body
                    ::std::result::Result::Ok(())
                }
            }
        }
    });
    let has_secrets = fields.iter().any(|f| f.secret);
    let derive_debug = (!has_secrets).then(|| quote! { Debug, });
    let redacted_debug = has_secrets.then(|| redacted_debug_impl(&name, fields, additional.is_some()));
    quote! {
        #[derive(#derive_debug Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
        #non_exhaustive
        pub struct #name {
            #( #field_items )*
            #additional_field
        }
        #constructor
        #validate_impl
        #redacted_debug
    }
}

/// `Debug` that prints credentials as `[redacted]`, so a logged response never
/// leaks a client secret.
///
/// ```text
/// impl Debug for Credential {
///     fn fmt(&self, f) -> fmt::Result {
///         f.debug_struct("Credential").field("client_id", &self.client_id)
///             .field("client_secret", &self.client_secret.as_ref().map(|_| "[redacted]")).finish()
///     }
/// }
/// ```
fn redacted_debug_impl(name: &proc_macro2::Ident, fields: &[Field], has_additional: bool) -> TokenStream {
    let type_name = name.to_string();
    let entries = fields.iter().map(|field| {
        let field_ident = ident(&field.rust_name);
        let label = &field.rust_name;
        let value = match (field.secret, &field.ty) {
            (false, _) => quote! { &self.#field_ident },
            (true, TypeRef::Option(_)) => quote! { &self.#field_ident.as_ref().map(|_| "[redacted]") },
            (true, _) => quote! { &"[redacted]" },
        };
        quote! { .field(#label, #value) }
    });
    let additional = has_additional.then(|| quote! { .field("additional_properties", &self.additional_properties) });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_name) #( #entries )* #additional .finish()
            }
        }
    }
}

/// `new(required…)` plus one chained setter per optional field.
fn constructor_and_setters(name: &proc_macro2::Ident, fields: &[Field], has_additional: bool) -> TokenStream {
    let mut setter_names = Namespace::with_reserved(&["new", "validate"]);
    let required: Vec<&Field> = fields.iter().filter(|f| !matches!(f.ty, TypeRef::Option(_))).collect();
    let args = required.iter().map(|field| {
        let arg = ident(&field.rust_name);
        let ty = field_type(field);
        quote! { #arg: impl ::std::convert::Into<#ty> }
    });
    let inits = fields.iter().map(|field| {
        let field_ident = ident(&field.rust_name);
        if matches!(field.ty, TypeRef::Option(_)) {
            quote! { #field_ident: ::std::option::Option::None }
        } else {
            quote! { #field_ident: #field_ident.into() }
        }
    });
    let additional_init = has_additional.then(|| quote! { additional_properties: ::std::default::Default::default(), });
    let too_many = (required.len() > 7).then(|| {
        quote! {
            // Every required field is an argument, so a missing one is a compile error.
            #[allow(clippy::too_many_arguments)]
        }
    });
    let setters = fields.iter().filter(|f| matches!(f.ty, TypeRef::Option(_)) && !f.read_only).map(|field| {
        let TypeRef::Option(inner) = &field.ty else { return quote! {} };
        let setter = ident(&setter_names.claim(&crate::naming::setter_name(&field.rust_name)));
        let field_ident = ident(&field.rust_name);
        let inner = rust_type(inner, Scope::Types, Position::InJson);
        let doc = format!(" Sets `{}`.", field.wire_name);
        quote! {
            #[doc = #doc]
            pub fn #setter(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
                self.#field_ident = ::std::option::Option::Some(value.into());
                self
            }
        }
    });
    let new = if required.is_empty() {
        quote! {
            /// A new value with every field unset.
            pub fn new() -> Self {
                ::std::default::Default::default()
            }
        }
    } else {
        quote! {
            /// A new value from the required fields; optional fields start unset.
            #too_many
            pub fn new(#( #args ),*) -> Self {
                Self { #( #inits, )* #additional_init }
            }
        }
    };
    quote! {
        impl #name {
            #new
            #( #setters )*
        }
    }
}

/// The body of `validate()`, or `None` when no field has a rule.
fn validate_fn(fields: &[Field]) -> Option<TokenStream> {
    let checks: Vec<TokenStream> = fields.iter().filter_map(field_checks).collect();
    (!checks.is_empty()).then(|| quote! { #( #checks )* })
}

fn field_checks(field: &Field) -> Option<TokenStream> {
    let (optional, inner) = match &field.ty {
        TypeRef::Option(inner) => (true, inner.as_ref()),
        other => (false, other),
    };
    let checks = super::validation::checks(&field.wire_name, inner, &field.constraints);
    if checks.is_empty() {
        return None;
    }
    let field_ident = ident(&field.rust_name);
    Some(if optional {
        quote! { if let ::std::option::Option::Some(value) = &self.#field_ident { #( #checks )* } }
    } else {
        quote! { { let value = &self.#field_ident; #( #checks )* } }
    })
}

/// ```text
/// #[non_exhaustive]
/// pub enum Status { Active, Unknown(String) }
/// impl Status { pub const KNOWN: &[&str]; pub fn as_str(&self) -> &str }
/// impl Display, FromStr, From<&str>, Serialize, Deserialize (never fails)
/// ```
fn enum_item(name: &proc_macro2::Ident, values: &[EnumValue]) -> TokenStream {
    let variants: Vec<proc_macro2::Ident> = values.iter().map(|v| format_ident!("{}", v.rust_name)).collect();
    let wires: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|w| format!(" `{}`", w.replace('`', "'")));
    quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value this client does not know yet.
            Unknown(::std::string::String),
        }

        impl #name {
            /// The values this client knows, in spec order.
            pub const KNOWN: &'static [&'static str] = &[#( #wires ),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#variants, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_ref()))
            }
        }
    }
}

fn variant_type(variant: &Variant) -> TokenStream {
    // Struct-like payloads are boxed so that variant sizes stay balanced.
    match &variant.ty {
        TypeRef::Named(_) => {
            let ty = rust_type(&variant.ty, Scope::Types, Position::InJson);
            quote! { ::std::boxed::Box<#ty> }
        }
        other => rust_type(other, Scope::Types, Position::InJson),
    }
}

fn wraps_in_box(variant: &Variant) -> bool {
    matches!(variant.ty, TypeRef::Named(_))
}

/// ```text
/// #[serde(untagged)]
/// pub enum Pet { Cat(Box<Cat>), Dog(Box<Dog>), Other(serde_json::Value) }
/// ```
/// With a discriminator, `Deserialize` reads the tag and decodes the mapped
/// variant; an unknown tag lands in `Other` instead of failing.
fn union_item(name: &proc_macro2::Ident, variants: &[Variant], discriminator: Option<&str>) -> TokenStream {
    let variant_idents: Vec<proc_macro2::Ident> = variants.iter().map(|v| format_ident!("{}", v.rust_name)).collect();
    let variant_types: Vec<TokenStream> = variants.iter().map(variant_type).collect();
    let variant_docs = variants.iter().map(|v| match v.tags.as_slice() {
        [] => format!(" The `{}` shape.", v.rust_name),
        tags => format!(" Selected by `{}`.", tags.join("`, `")),
    });
    let guarded = discriminator.is_none() && variants.iter().any(|v| !v.guards.is_empty());
    let derive_deserialize = (discriminator.is_none() && !guarded).then(|| quote! { ::serde::Deserialize, });
    let untagged_derive = quote! {
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, #derive_deserialize)]
        #[serde(untagged)]
        pub enum #name {
            #( #[doc = #variant_docs] #variant_idents(#variant_types), )*
            /// A value matching none of the documented shapes.
            Other(::serde_json::Value),
        }
    };
    if guarded {
        let deserialize = guarded_deserialize(name, variants, &variant_idents);
        return quote! { #untagged_derive #deserialize };
    }
    let Some(property) = discriminator else { return untagged_derive };
    let arms = variants.iter().zip(&variant_idents).map(|(variant, ident)| {
        let tags = &variant.tags;
        let wrap = if wraps_in_box(variant) {
            quote! { |value| Self::#ident(::std::boxed::Box::new(value)) }
        } else {
            quote! { Self::#ident }
        };
        quote! {
            ::std::option::Option::Some(#( #tags )|*) => ::serde_json::from_value(value).map(#wrap).map_err(::serde::de::Error::custom),
        }
    });
    quote! {
        #untagged_derive

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                match tag.as_deref() {
                    #( #arms )*
                    _ => ::std::result::Result::Ok(Self::Other(value)),
                }
            }
        }
    }
}

/// An untagged union whose variants have guards (see `model/unions.rs`):
/// variants are tried in order, each only when the payload carries its
/// guards' values. A variant whose guards no other variant shares owns those
/// values, so a payload carrying them that does not decode is an error
/// naming the variant, not a silent `Other`.
///
/// ```text
/// impl<'de> Deserialize<'de> for Filter {
///     fn deserialize<D>(d: D) -> Result<Self, D::Error> {
///         let value = serde_json::Value::deserialize(d)?;
///         if value.get("type").and_then(Value::as_str) == Some("range") {
///             return serde_json::from_value(value).map(|v| Self::Range(Box::new(v))).map_err(D::Error::custom);
///         }
///         if let Ok(v) = serde_json::from_value::<String>(value.clone()) { return Ok(Self::String(v)); }
///         Ok(Self::Other(value))
///     }
/// }
/// ```
fn guarded_deserialize(name: &proc_macro2::Ident, variants: &[Variant], idents: &[proc_macro2::Ident]) -> TokenStream {
    let attempts = variants.iter().zip(idents).map(|(variant, ident)| {
        let ty = rust_type(&variant.ty, Scope::Types, Position::InJson);
        let wrap = if wraps_in_box(variant) {
            quote! { |value| Self::#ident(::std::boxed::Box::new(value)) }
        } else {
            quote! { Self::#ident }
        };
        if variant.guards.is_empty() {
            return quote! {
                if let ::std::result::Result::Ok(decoded) = ::serde_json::from_value::<#ty>(value.clone()) {
                    return ::std::result::Result::Ok((#wrap)(decoded));
                }
            };
        }
        let checks = variant.guards.iter().map(|(property, fixed)| {
            quote! { value.get(#property).and_then(::serde_json::Value::as_str) == ::std::option::Option::Some(#fixed) }
        });
        let owns = variants.iter().filter(|other| other.guards == variant.guards).count() == 1;
        if owns {
            quote! {
                if #( #checks )&&* {
                    return ::serde_json::from_value::<#ty>(value).map(#wrap).map_err(::serde::de::Error::custom);
                }
            }
        } else {
            quote! {
                if #( #checks )&&* {
                    if let ::std::result::Result::Ok(decoded) = ::serde_json::from_value::<#ty>(value.clone()) {
                        return ::std::result::Result::Ok((#wrap)(decoded));
                    }
                }
            }
        }
    });
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #( #attempts )*
                ::std::result::Result::Ok(Self::Other(value))
            }
        }
    }
}

/// ```text
/// pub enum CreatePetResponse { Ok(Pet), Created(Box<Pet>), NoContent }
/// ```
fn responses_item(name: &proc_macro2::Ident, variants: &[Variant]) -> TokenStream {
    let items = variants.iter().map(|variant| {
        let ident = format_ident!("{}", variant.rust_name);
        let doc = format!(" Status `{}`.", variant.tags.join("`, `"));
        if variant.ty == TypeRef::Option(Box::new(TypeRef::Json)) {
            quote! { #[doc = #doc] #ident, }
        } else {
            let ty = match &variant.ty {
                TypeRef::Binary => rust_type(&variant.ty, Scope::Types, Position::Body),
                _ => variant_type(variant),
            };
            quote! { #[doc = #doc] #ident(#ty), }
        }
    });
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #( #items )*
        }
    }
}
