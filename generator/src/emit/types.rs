//! The `types` module: one item per named type of the model.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_from_parts;
use super::features::Cfg;
use super::rust_type::{ident, rust_type, Position, Scope};
use crate::model::{
    is_required_field, uses_builder, Api, EnumValue, Field, SuccessVariant, TypeDef, TypeKind, TypeRef, Variant,
};
use crate::naming::Namespace;

/// Every item of one type: the type itself and its impls, each carrying
/// `gate` (after the type's docs, before its other attributes).
pub fn type_item(api: &Api, def: &TypeDef, gate: Cfg) -> TokenStream {
    let fallback = format!("`{}` (from `#{}`).", def.name, def.pointer);
    let docs = doc_from_parts(&[def.docs.text.as_deref()], &fallback);
    let deprecated = def.docs.deprecated.then(|| quote! { #[deprecated] });
    let name = format_ident!("{}", def.name);
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            let body = struct_item(api, def, fields, additional.as_ref(), gate);
            quote! { #docs #gate #deprecated #body }
        }
        TypeKind::Enum { values } => {
            let body = enum_item(&name, values, gate);
            let fallback = " Open: a value the server sends that is not listed here decodes as `Unknown` (holding an [`UnknownValue`](crate::runtime::UnknownValue)) instead of failing, and is sent back unchanged. Match with a `_` arm.";
            quote! { #docs #[doc = ""] #[doc = #fallback] #gate #deprecated #body }
        }
        TypeKind::Union { variants, discriminator } => {
            let body = union_item(api, &name, variants, discriminator.as_deref(), gate);
            let fallback = match discriminator {
                Some(property) => format!(" A value whose `{property}` names none of the variants decodes as `Other`, holding the JSON as sent, instead of failing."),
                None if variants.iter().any(|v| !v.guards.is_empty()) => " A value matching none of the variants decodes as `Other`, holding the JSON as sent, instead of failing (one that carries a variant's own fixed property values but does not decode as it is an error naming it).".to_string(),
                None => " A value matching none of the variants decodes as `Other`, holding the JSON as sent, instead of failing.".to_string(),
            };
            quote! { #docs #[doc = ""] #[doc = #fallback] #gate #deprecated #body }
        }
        TypeKind::Responses { variants } => {
            let body = responses_item(&name, variants);
            quote! { #docs #gate #body }
        }
        TypeKind::Alias(target) => {
            let target = rust_type(target, Scope::Types, Position::InJson);
            // pub type Name = Target;
            quote! { #docs #gate #deprecated pub type #name = #target; }
        }
    }
}

fn field_type(field: &Field) -> TokenStream {
    rust_type(&field.ty, Scope::Types, Position::InJson)
}

/// ```text
/// #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// #[non_exhaustive]                         // every struct: new fields stay compatible
/// pub struct Pet {
///     #[serde(rename = "petType", default, skip_serializing_if = "Option::is_none")]
///     pub pet_type: Option<String>,
/// }
/// impl Pet { pub fn new(…) -> Self; pub fn pet_type(self, …) -> Self; pub fn validate(&self) … }
/// ```
fn struct_item(api: &Api, def: &TypeDef, fields: &[Field], additional: Option<&TypeRef>, gate: Cfg) -> TokenStream {
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
    let all_optional = fields.iter().all(|f| matches!(f.ty, TypeRef::Option(_)));
    let default = (all_optional).then(|| quote! { Default, });
    let constructor = constructor_and_setters(api, &name, fields, additional.is_some(), gate);
    let validate = validate_fn(fields);
    let validate_impl = validate.map(|body| {
        quote! {
            #gate
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
    let redacted_debug = has_secrets.then(|| redacted_debug_impl(&name, fields, additional.is_some(), gate));
    quote! {
        #[derive(#derive_debug Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
        #[non_exhaustive]
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
fn redacted_debug_impl(name: &proc_macro2::Ident, fields: &[Field], has_additional: bool, gate: Cfg) -> TokenStream {
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
        #gate
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_name) #( #entries )* #additional .finish()
            }
        }
    }
}

/// The name of a struct's builder: `{Name}Builder`, numbered (`{Name}Builder2`)
/// when the API already has a type of that name.
pub fn builder_name(api: &Api, name: &str) -> String {
    let wanted = format!("{name}Builder");
    if !api.types.contains_key(&wanted) {
        return wanted;
    }
    (2..).map(|n| format!("{wanted}{n}")).find(|candidate| !api.types.contains_key(candidate)).unwrap_or(wanted)
}

/// The setter of every field that has one, by field, in field order:
/// optional fields that are not read-only. `new`, `validate` and, when the
/// struct has a builder, `builder` and `build` (so that the struct and its
/// builder share setter names) are taken: a field of that name gets a
/// numbered setter (`new2`).
fn struct_setter_names(fields: &[Field]) -> Vec<Option<String>> {
    let mut reserved = vec!["new", "validate"];
    if uses_builder(fields) {
        reserved.extend(["builder", "build"]);
    }
    let mut names = Namespace::with_reserved(&reserved);
    fields
        .iter()
        .map(|f| {
            (!is_required_field(f) && !f.read_only).then(|| names.claim(&crate::naming::setter_name(&f.rust_name)))
        })
        .collect()
}

/// `Some(value.into())` setters for the optional fields of a struct (or of
/// its builder, whose required fields are `Option`s too).
fn option_setter(setter: &str, field: &Field, inner: &TypeRef) -> TokenStream {
    let setter = ident(setter);
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
}

/// `new(required…)` (at most [`MAX_CONSTRUCTOR_ARGS`](crate::model::MAX_CONSTRUCTOR_ARGS) of them) or
/// `builder()`, plus one chained setter per optional field.
///
/// ```text
/// impl Pet { pub fn new(name: impl Into<String>) -> Self; pub fn tag(self, value: impl Into<String>) -> Self }
/// // more than three required fields:
/// impl CreateAccessRequest { pub fn builder() -> CreateAccessRequestBuilder; pub fn justification(self, …) -> Self }
/// ```
fn constructor_and_setters(
    api: &Api,
    name: &proc_macro2::Ident,
    fields: &[Field],
    has_additional: bool,
    gate: Cfg,
) -> TokenStream {
    let setter_names = struct_setter_names(fields);
    let setters = fields.iter().zip(&setter_names).filter_map(|(field, setter)| {
        let (TypeRef::Option(inner), Some(setter)) = (&field.ty, setter) else { return None };
        Some(option_setter(setter, field, inner))
    });
    if uses_builder(fields) {
        let builder = builder_item(api, name, fields, has_additional, gate);
        let builder_ident = format_ident!("{}", builder_name(api, &name.to_string()));
        return quote! {
            #gate
            impl #name {
                /// A builder with every field unset: set each required field, then
                /// `build()` (which names the first required field left unset).
                pub fn builder() -> #builder_ident {
                    ::std::default::Default::default()
                }
                #( #setters )*
            }
            #builder
        };
    }
    let required: Vec<&Field> = fields.iter().filter(|f| is_required_field(f)).collect();
    let args = required.iter().map(|field| {
        let arg = ident(&field.rust_name);
        let ty = field_type(field);
        quote! { #arg: impl ::std::convert::Into<#ty> }
    });
    let inits = fields.iter().map(|field| {
        let field_ident = ident(&field.rust_name);
        if is_required_field(field) {
            quote! { #field_ident: #field_ident.into() }
        } else {
            quote! { #field_ident: ::std::option::Option::None }
        }
    });
    let additional_init = has_additional.then(|| quote! { additional_properties: ::std::default::Default::default(), });
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
            pub fn new(#( #args ),*) -> Self {
                Self { #( #inits, )* #additional_init }
            }
        }
    };
    quote! {
        #gate
        impl #name {
            #new
            #( #setters )*
        }
    }
}

/// The builder of a struct with more than [`MAX_CONSTRUCTOR_ARGS`](crate::model::MAX_CONSTRUCTOR_ARGS) required
/// fields: one setter per required field and per optional field that is not
/// read-only (the struct's setter names: `build` is taken on both, so a field
/// of that name gets `build2`), and `build()`.
///
/// ```text
/// #[derive(Debug, Clone, Default)]
/// pub struct CreateAccessRequestBuilder { account_id: Option<String>, justification: Option<String>, … }
/// impl CreateAccessRequestBuilder {
///     pub fn account_id(self, value: impl Into<String>) -> Self;
///     pub fn build(self) -> Result<CreateAccessRequest, crate::runtime::MissingField>;
/// }
/// ```
fn builder_item(
    api: &Api,
    name: &proc_macro2::Ident,
    fields: &[Field],
    has_additional: bool,
    gate: Cfg,
) -> TokenStream {
    let type_name = name.to_string();
    let builder = format_ident!("{}", builder_name(api, &type_name));
    let struct_setters = struct_setter_names(fields);
    let mut names = Namespace::with_reserved(&["build"]);
    let slots = fields.iter().map(|field| {
        let field_ident = ident(&field.rust_name);
        let ty = match &field.ty {
            TypeRef::Option(_) => field_type(field),
            _ => {
                let ty = field_type(field);
                quote! { ::std::option::Option<#ty> }
            }
        };
        quote! { #field_ident: #ty, }
    });
    let setters: Vec<TokenStream> = fields
        .iter()
        .zip(&struct_setters)
        .filter_map(|(field, struct_setter)| {
            let wanted = match struct_setter {
                Some(setter) => setter.clone(),
                None if is_required_field(field) => crate::naming::setter_name(&field.rust_name),
                None => return None,
            };
            let setter = names.claim(&wanted);
            Some(match &field.ty {
                TypeRef::Option(inner) => option_setter(&setter, field, inner),
                other => option_setter(&setter, field, other),
            })
        })
        .collect();
    let inits = fields.iter().map(|field| {
        let field_ident = ident(&field.rust_name);
        let label = &field.rust_name;
        if is_required_field(field) {
            quote! {
                #field_ident: self.#field_ident.ok_or(crate::runtime::MissingField::new(#type_name, #label))?
            }
        } else {
            quote! { #field_ident: self.#field_ident }
        }
    });
    let additional_init = has_additional.then(|| quote! { additional_properties: ::std::default::Default::default(), });
    let derive_debug = (!fields.iter().any(|f| f.secret)).then(|| quote! { Debug, });
    let doc = format!(
        " Builds a [`{type_name}`] ([`{type_name}::builder`]): a setter per field, then [`build`](Self::build)."
    );
    quote! {
        #[doc = #doc]
        #gate
        #[derive(#derive_debug Clone, Default)]
        #[must_use]
        pub struct #builder {
            #( #slots )*
        }

        #gate
        impl #builder {
            #( #setters )*

            /// The value, or the first required field (in the API's order) left unset.
            pub fn build(self) -> ::std::result::Result<#name, crate::runtime::MissingField> {
                ::std::result::Result::Ok(#name { #( #inits, )* #additional_init })
            }
        }
    }
}

/// Whether a struct with these fields has a `validate()` (some field has a
/// rule to check), which the operation sending it calls.
pub(super) fn has_validate(fields: &[Field]) -> bool {
    fields.iter().any(|field| field_checks(field).is_some())
}

/// The body of `validate()`, or `None` when no field has a rule.
fn validate_fn(fields: &[Field]) -> Option<TokenStream> {
    let checks: Vec<TokenStream> = fields.iter().filter_map(field_checks).collect();
    (!checks.is_empty()).then(|| quote! { #( #checks )* })
}

fn field_checks(field: &Field) -> Option<TokenStream> {
    let (optional, inner) = (matches!(field.ty, TypeRef::Option(_)), field.ty.non_optional());
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
/// pub enum Status { Active, Unknown(crate::runtime::UnknownValue) }
/// impl Status { pub const KNOWN: &[&str]; pub fn as_str(&self) -> &str }
/// impl Display, FromStr, From<&str>, Serialize, Deserialize (never fails)
/// ```
fn enum_item(name: &proc_macro2::Ident, values: &[EnumValue], gate: Cfg) -> TokenStream {
    let variants: Vec<proc_macro2::Ident> = values.iter().map(|v| format_ident!("{}", v.rust_name)).collect();
    let wires: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|w| format!(" `{}`", w.replace('`', "'")));
    let fallback_doc = " A value this client does not know yet, kept as sent. Only decoding (or `From<&str>` and `FromStr`, which give every known value its own variant) creates it, so it never equals a known variant; [`as_str`](Self::as_str) reads it.";
    quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            #[doc = #fallback_doc]
            Unknown(crate::runtime::UnknownValue),
        }

        #gate
        impl #name {
            /// The values this client knows, in spec order.
            pub const KNOWN: &'static [&'static str] = &[#( #wires ),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        #gate
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #gate
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#variants, )*
                    other => Self::Unknown(crate::runtime::__private::unknown_value(other)),
                }
            }
        }

        #gate
        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        #gate
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_ref()))
            }
        }
    }
}

/// An enum variant's payload type, boxed when [`boxes_payload`].
fn payload_type(ty: &TypeRef) -> TokenStream {
    let tokens = rust_type(ty, Scope::Types, Position::InJson);
    if boxes_payload(ty) {
        quote! { ::std::boxed::Box<#tokens> }
    } else {
        tokens
    }
}

/// Whether a union's or success enum's variant holds its payload in a `Box`:
/// struct-like (named) payloads are, so that variant sizes stay balanced.
pub(super) fn boxes_payload(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Named(_))
}

/// ```text
/// #[serde(untagged)]
/// pub enum Pet { Cat(Box<Cat>), Dog(Box<Dog>), Other(serde_json::Value) }
/// ```
/// With a discriminator, `Deserialize` reads the tag and decodes the mapped
/// variant; an unknown tag lands in `Other` instead of failing.
fn union_item(
    api: &Api,
    name: &proc_macro2::Ident,
    variants: &[Variant],
    discriminator: Option<&str>,
    gate: Cfg,
) -> TokenStream {
    let conversions = union_from_impls(api, name, variants, gate);
    let body = union_body(name, variants, discriminator, gate);
    quote! { #body #conversions }
}

/// The type behind aliases (to a bounded depth), so that two payloads the
/// compiler sees as one type are recognized as one.
fn resolved(api: &Api, ty: &TypeRef, depth: usize) -> TypeRef {
    let next = |inner: &TypeRef| Box::new(resolved(api, inner, depth + 1));
    match ty {
        _ if depth > 32 => ty.clone(),
        TypeRef::Named(name) => match api.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Alias(target)) => resolved(api, target, depth + 1),
            _ => ty.clone(),
        },
        TypeRef::Vec(inner) => TypeRef::Vec(next(inner)),
        TypeRef::Map(inner) => TypeRef::Map(next(inner)),
        TypeRef::Option(inner) => TypeRef::Option(next(inner)),
        TypeRef::Boxed(inner) => TypeRef::Boxed(next(inner)),
        TypeRef::Tuple(items) => TypeRef::Tuple(items.iter().map(|item| resolved(api, item, depth + 1)).collect()),
        other => other.clone(),
    }
}

/// `impl From<Cat> for Pet`: one per variant whose payload type no other
/// variant shares (after aliases), so `let pet: Pet = cat.into();` works.
/// Skipped: payloads two variants share (neither gets one, whichever comes
/// first: the choice would be arbitrary), JSON values (`Other` holds those
/// too, so a conversion would hide which one is meant) and the union itself.
///
/// ```text
/// impl From<Cat> for Pet { fn from(value: Cat) -> Self { Self::Cat(Box::new(value)) } }
/// ```
fn union_from_impls(api: &Api, name: &proc_macro2::Ident, variants: &[Variant], gate: Cfg) -> TokenStream {
    let keys: Vec<TypeRef> = variants.iter().map(|v| resolved(api, &v.ty, 0)).collect();
    let self_name = name.to_string();
    let impls = variants.iter().zip(&keys).filter_map(|(variant, key)| {
        if keys.iter().filter(|other| *other == key).count() > 1 {
            return None;
        }
        if *key == TypeRef::Json || *key == TypeRef::Named(self_name.clone()) {
            return None;
        }
        let ty = rust_type(&variant.ty, Scope::Types, Position::InJson);
        let ident = format_ident!("{}", variant.rust_name);
        let value = if boxes_payload(&variant.ty) {
            quote! { ::std::boxed::Box::new(value) }
        } else {
            quote! { value }
        };
        let doc = format!(" The `{}` variant.", variant.rust_name);
        Some(quote! {
            #gate
            impl ::std::convert::From<#ty> for #name {
                #[doc = #doc]
                fn from(value: #ty) -> Self {
                    Self::#ident(#value)
                }
            }
        })
    });
    quote! { #( #impls )* }
}

fn union_body(name: &proc_macro2::Ident, variants: &[Variant], discriminator: Option<&str>, gate: Cfg) -> TokenStream {
    let variant_idents: Vec<proc_macro2::Ident> = variants.iter().map(|v| format_ident!("{}", v.rust_name)).collect();
    let variant_types: Vec<TokenStream> = variants.iter().map(|v| payload_type(&v.ty)).collect();
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
        let deserialize = guarded_deserialize(name, variants, &variant_idents, gate);
        return quote! { #untagged_derive #deserialize };
    }
    let Some(property) = discriminator else { return untagged_derive };
    let arms = variants.iter().zip(&variant_idents).map(|(variant, ident)| {
        let tags = &variant.tags;
        let wrap = if boxes_payload(&variant.ty) {
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

        #gate
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
fn guarded_deserialize(
    name: &proc_macro2::Ident,
    variants: &[Variant],
    idents: &[proc_macro2::Ident],
    gate: Cfg,
) -> TokenStream {
    let attempts = variants.iter().zip(idents).map(|(variant, ident)| {
        let ty = rust_type(&variant.ty, Scope::Types, Position::InJson);
        let wrap = if boxes_payload(&variant.ty) {
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
        #gate
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
fn responses_item(name: &proc_macro2::Ident, variants: &[SuccessVariant]) -> TokenStream {
    let items = variants.iter().map(|variant| {
        let ident = format_ident!("{}", variant.rust_name);
        let doc = format!(" Status `{}`.", variant.status);
        match &variant.body {
            None => quote! { #[doc = #doc] #ident, },
            Some(body) => {
                let ty = match body {
                    // `bytes::Bytes`, as the operation decodes a raw body.
                    TypeRef::Binary => rust_type(body, Scope::Types, Position::Body),
                    _ => payload_type(body),
                };
                quote! { #[doc = #doc] #ident(#ty), }
            }
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

#[cfg(test)]
mod tests {
    use crate::{generate_str, Layout, Options};

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Small:
      type: object
      required: [a, b, c]
      properties:
        a: {type: string}
        b: {type: string}
        c: {type: string}
        new: {type: string}
        builder: {type: string}
    Big:
      type: object
      required: [a, b, c, build]
      properties:
        a: {type: string}
        b: {type: string}
        c: {type: string}
        build: {type: string}
        builder: {type: string}
        note: {type: string}
    BigBuilder:
      type: object
      properties:
        x: {type: string}
    Label: {type: string}
    Leaf: {type: object, properties: {v: {type: integer}}}
    Mixed:
      oneOf:
        - $ref: '#/components/schemas/Leaf'
        - {type: string}
        - $ref: '#/components/schemas/Label'
        - {type: integer, format: int64}
        - {type: array, items: {type: boolean}}
        - {}
"#;

    fn types_text() -> String {
        let options = Options { layout: Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
        let output = generate_str(SPEC, "t.yaml", &options).unwrap_or_else(|e| panic!("{e}"));
        let (_, text) = output.files.iter().find(|(path, _)| path.ends_with("types.rs")).expect("a types file");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn three_required_fields_take_new_and_setters_avoid_its_name() {
        let text = types_text();
        assert!(text.contains("impl Small { /// A new value from the required fields"), "{text}");
        assert!(text.contains("pub fn new( a: impl ::std::convert::Into<::std::string::String>, b:"));
        // `new` is the constructor: the field's setter is numbered; `builder` is free here.
        assert!(text.contains("pub fn new2( mut self"));
        assert!(text.contains("pub fn builder( mut self"));
        assert!(!text.contains("SmallBuilder"));
    }

    #[test]
    fn more_required_fields_take_a_builder_with_a_free_name() {
        let text = types_text();
        // `BigBuilder` is a schema of the API: the builder is numbered.
        assert!(text.contains("pub fn builder() -> BigBuilder2"), "{text}");
        assert!(text.contains("pub struct BigBuilder2 {"));
        assert!(!text.contains("impl Big { /// A new value"));
        // The `builder` and `build` fields get numbered setters, on the struct and its builder alike.
        assert_eq!(text.matches("pub fn builder2( mut self").count(), 2, "{text}");
        assert_eq!(text.matches("pub fn build2( mut self").count(), 1);
        assert!(text.contains("pub fn build(self) -> ::std::result::Result<Big, crate::runtime::MissingField>"));
        assert!(text.contains(r#"crate::runtime::MissingField::new("Big", "build")"#));
        assert!(text.contains("#[non_exhaustive] pub struct Big {"));
    }

    #[test]
    fn unions_convert_from_payloads_no_other_variant_shares() {
        let text = types_text();
        assert!(text.contains("impl ::std::convert::From<Leaf> for Mixed"), "{text}");
        assert!(text.contains("impl ::std::convert::From<i64> for Mixed"));
        assert!(text.contains("impl ::std::convert::From<::std::vec::Vec<bool>> for Mixed"));
        // `String` and `Label` (an alias of it) are one type to the compiler: neither
        // converts; nor does a JSON value, which `Other` holds too.
        assert!(!text.contains("From<::std::string::String> for Mixed"));
        assert!(!text.contains("From<Label> for Mixed"));
        assert!(!text.contains("From<::serde_json::Value> for Mixed"));
    }
}
