//! The error enum of each operation: its documented failures, by status.
//!
//! ```text
//! /// The failures `get_pet` documents …
//! #[non_exhaustive]
//! pub enum GetPetError {
//!     /// `404 Not Found`: no such pet.
//!     NotFound(super::types::Problem),
//!     /// `409 Conflict`.
//!     Conflict,
//!     /// `default`: any other error.
//!     Default(super::types::Error),
//!     /// Anything else: …
//!     Other,
//! }
//! impl crate::runtime::OperationError for GetPetError {
//!     fn from_response(raw: &crate::runtime::RawResponse) -> Self {
//!         match raw.status.as_u16() {
//!             404u16 => crate::runtime::__private::error_body(raw).map_or(Self::Other, Self::NotFound),
//!             409u16 => Self::Conflict,
//!             _ => crate::runtime::__private::error_body(raw).map_or(Self::Other, Self::Default),
//!         }
//!     }
//! }
//! ```

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_from_parts;
use super::rust_type::{rust_type, Position, Scope};
use crate::model::{Operation, ResponseCase, ResponseKind};

/// `404 Not Found`, `4XX`, `default`: how a case's status reads in docs.
fn status_label(case: &ResponseCase) -> String {
    match case.status.parse::<u16>().ok().and_then(|_| reason_from_variant(&case.variant)) {
        Some(reason) => format!("{} {reason}", case.status),
        None => case.status.clone(),
    }
}

/// The reason phrase back from the variant name (`NotFound` → `Not Found`),
/// for codes that have one (not `Status599`).
fn reason_from_variant(variant: &str) -> Option<String> {
    if variant.starts_with("Status") {
        return None;
    }
    let mut out = String::new();
    for ch in variant.chars() {
        if ch.is_uppercase() && !out.is_empty() {
            out.push(' ');
        }
        out.push(ch);
    }
    Some(out)
}

/// The documented error cases in match order: exact codes, ranges, `default`.
fn match_order(op: &Operation) -> Vec<&ResponseCase> {
    let mut cases: Vec<&ResponseCase> = op.responses.errors.iter().collect();
    cases.sort_by_key(|case| match case.status.as_str() {
        "default" => 2,
        s if s.ends_with("XX") => 1,
        _ => 0,
    });
    cases
}

/// `404u16`, `400u16..=499u16`; `_` for `default`.
fn pattern(status: &str) -> TokenStream {
    if let Ok(code) = status.parse::<u16>() {
        return quote! { #code };
    }
    match status.strip_suffix("XX").and_then(|first| first.parse::<u16>().ok()) {
        Some(first) => {
            let (low, high) = (first * 100, first * 100 + 99);
            quote! { #low..=#high }
        }
        None => quote! { _ },
    }
}

/// The body type a case's variant holds, if any (JSON bodies only: text and
/// binary error bodies stay in `ApiError::body`).
fn payload(case: &ResponseCase) -> Option<TokenStream> {
    match &case.kind {
        ResponseKind::Json(ty) => Some(rust_type(ty, Scope::Operations, Position::InJson)),
        _ => None,
    }
}

/// The operation's error enum and its `OperationError` impl.
// Long: the enum and its `OperationError` impl are one template over the same per-case arms.
pub fn error_enum(op: &Operation) -> TokenStream {
    let name = format_ident!("{}", op.error_name);
    let method = &op.method_name;
    let doc = format!(
        " The failures [`Client::{method}`](super::Client::{method}) documents, by status: the `error` of the \
         [`ApiError`](crate::runtime::ApiError) its [`Error`](crate::runtime::Error) holds when the server \
         answers with a non-success status."
    );
    let variants = op.responses.errors.iter().map(|case| {
        let variant = format_ident!("{}", case.variant);
        let label = format!("`{}`.", status_label(case));
        let docs = doc_from_parts(&[Some(&label), case.description.as_deref()], &label);
        match payload(case) {
            Some(ty) => quote! { #docs #variant(#ty), },
            None => quote! { #docs #variant, },
        }
    });
    let has_default = op.responses.errors.iter().any(|case| case.status == "default");
    let read = |case: &ResponseCase| {
        let variant = format_ident!("{}", case.variant);
        match payload(case) {
            Some(_) => quote! { crate::runtime::__private::error_body(raw).map_or(Self::Other, Self::#variant) },
            None => quote! { Self::#variant },
        }
    };
    let cases = match_order(op);
    // No `match` with a single arm (clippy's `match_single_binding`).
    let (raw_arg, from_response) = match cases.as_slice() {
        [] => (quote! { _raw }, quote! { Self::Other }),
        [only] if only.status == "default" => (quote! { raw }, read(only)),
        _ => {
            let arms = cases.iter().map(|case| {
                let pattern = pattern(&case.status);
                let value = read(case);
                quote! { #pattern => #value, }
            });
            let fallback = (!has_default).then(|| quote! { _ => Self::Other, });
            (quote! { raw }, quote! { match raw.status.as_u16() { #( #arms )* #fallback } })
        }
    };
    let case_arms = op.responses.errors.iter().map(|case| {
        let variant = format_ident!("{}", case.variant);
        let text = &case.variant;
        match payload(case) {
            Some(_) => quote! { Self::#variant(_) => #text, },
            None => quote! { Self::#variant => #text, },
        }
    });
    let body_arms: Vec<TokenStream> = op
        .responses
        .errors
        .iter()
        .filter(|case| payload(case).is_some())
        .map(|case| {
            let variant = format_ident!("{}", case.variant);
            quote! { Self::#variant(body) => ::std::option::Option::Some(body), }
        })
        .collect();
    let body = if body_arms.is_empty() {
        quote! { ::std::option::Option::None }
    } else {
        quote! {
            match self {
                #( #body_arms )*
                _ => ::std::option::Option::None,
            }
        }
    };
    quote! {
        #[doc = #doc]
        ///
        /// `Other` is any other response: a status the operation does not
        /// document, or a documented body that is not valid JSON of its type
        /// or exceeds [`API_ERROR_BODY_LIMIT`](crate::runtime::API_ERROR_BODY_LIMIT).
        /// The status, headers and (capped) body are on the `ApiError` in every case.
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        // Boxed once with its `ApiError`: variant sizes do not matter here.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #variants )*
            /// Any other response (see the type's docs).
            Other,
        }

        impl crate::runtime::OperationError for #name {
            fn from_response(#raw_arg: &crate::runtime::RawResponse) -> Self {
                #from_response
            }

            fn case(&self) -> &'static str {
                match self {
                    #( #case_arms )*
                    Self::Other => "Other",
                }
            }

            fn body(&self) -> ::std::option::Option<&(dyn ::std::any::Any + ::std::marker::Send + ::std::marker::Sync)> {
                #body
            }
        }
    }
}

/// The `# Errors` section of the operation's docs: one line per case.
///
/// ```text
/// # Errors
///
/// [`Error<GetPetError>`](crate::runtime::Error): …; when the server answers:
/// - `404 Not Found`: [`GetPetError::NotFound`] with [`Problem`](super::types::Problem)
/// ```
pub fn errors_section(op: &Operation) -> String {
    let name = &op.error_name;
    let mut out = format!(
        "# Errors\n\n[`Error<{name}>`](crate::runtime::Error): transport, timeout, decode and invalid-request \
         failures, or the server's answer as a [`{name}`]:"
    );
    for case in &op.responses.errors {
        let body = match &case.kind {
            ResponseKind::Json(ty) => format!(" with `{}`", crate::surface::type_text(ty)),
            ResponseKind::Empty => " (no body)".to_owned(),
            ResponseKind::Text | ResponseKind::Bytes => " (body in `ApiError::body`)".to_owned(),
        };
        out.push_str(&format!("\n- `{}`: [`{name}::{}`]{body}", status_label(case), case.variant));
    }
    let has_default = op.responses.errors.iter().any(|case| case.status == "default");
    out.push_str(&if has_default {
        format!("\n- a documented body that does not decode: [`{name}::Other`]")
    } else {
        format!("\n- any other status: [`{name}::Other`]")
    });
    out
}
