//! `TypeRef` → Rust type tokens. Std, serde and chrono items are named by full
//! path, so a schema called `Option`, `Result` or `String` cannot shadow them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{IntWidth, TypeRef};

/// Where the type is written: inside the `types` module or beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// In `types.rs`: named types are siblings.
    Types,
    /// In an operations module or the API root: named types are `super::types::X`
    /// or `self::types::X`.
    Operations,
}

/// Which flavour of `Binary`: raw bytes in bodies, text inside JSON documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// A JSON field: base64-free binary in JSON is just a string.
    InJson,
    /// A whole body.
    Body,
}

/// The type tokens for `ty`.
pub fn rust_type(ty: &TypeRef, scope: Scope, position: Position) -> TokenStream {
    let inner = |ty: &TypeRef| rust_type(ty, scope, position);
    match ty {
        TypeRef::Named(name) => {
            let ident = format_ident!("{}", name);
            match scope {
                Scope::Types => quote! { #ident },
                Scope::Operations => quote! { super::types::#ident },
            }
        }
        TypeRef::String => quote! { ::std::string::String },
        TypeRef::Bool => quote! { bool },
        TypeRef::Integer(width) => match width {
            IntWidth::I8 => quote! { i8 },
            IntWidth::I16 => quote! { i16 },
            IntWidth::I32 => quote! { i32 },
            IntWidth::I64 => quote! { i64 },
            IntWidth::U8 => quote! { u8 },
            IntWidth::U16 => quote! { u16 },
            IntWidth::U32 => quote! { u32 },
            IntWidth::U64 => quote! { u64 },
        },
        TypeRef::Float(true) => quote! { f64 },
        TypeRef::Float(false) => quote! { f32 },
        TypeRef::DateTime => quote! { ::chrono::DateTime<::chrono::Utc> },
        TypeRef::Date => quote! { ::chrono::NaiveDate },
        TypeRef::Uuid => quote! { ::uuid::Uuid },
        TypeRef::Base64 => quote! { crate::runtime::Base64 },
        TypeRef::Binary => match position {
            Position::InJson => quote! { ::std::string::String },
            Position::Body => quote! { ::bytes::Bytes },
        },
        TypeRef::Json => quote! { ::serde_json::Value },
        TypeRef::JsonObject => quote! { ::serde_json::Map<::std::string::String, ::serde_json::Value> },
        TypeRef::Vec(item) => {
            let item = inner(item);
            quote! { ::std::vec::Vec<#item> }
        }
        TypeRef::Map(value) => {
            let value = inner(value);
            quote! { ::std::collections::BTreeMap<::std::string::String, #value> }
        }
        TypeRef::Option(value) => {
            let value = inner(value);
            quote! { ::std::option::Option<#value> }
        }
        TypeRef::Boxed(value) => {
            let value = inner(value);
            quote! { ::std::boxed::Box<#value> }
        }
        TypeRef::Tuple(members) => {
            let members = members.iter().map(inner);
            quote! { ( #( #members, )* ) }
        }
    }
}

/// An identifier, raw when it is a keyword (`r#type`).
pub fn ident(name: &str) -> proc_macro2::Ident {
    if crate::naming::is_keyword(name) {
        proc_macro2::Ident::new_raw(name, proc_macro2::Span::call_site())
    } else {
        format_ident!("{}", name)
    }
}
