//! Client-side checks of the spec's constraints, run before a request is sent.
//!
//! ```text
//! crate::runtime::__private::max_length("name", value, 255)?;
//! crate::runtime::__private::minimum("limit", f64::from(*value), 1.0, false)?;
//! { static PATTERN: Pattern = Pattern::new("^[a-z]+$"); crate::runtime::__private::pattern("slug", value, &PATTERN)?; }
//! ```

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::model::{Constraints, IntWidth, TypeRef};

/// The checks for one value (`value: &T` in scope) named `wire` on the wire.
pub fn checks(wire: &str, ty: &TypeRef, rules: &Constraints) -> Vec<TokenStream> {
    let mut checks = Vec::new();
    let usize_lit = |n: usize| Literal::usize_unsuffixed(n);
    let f64_lit = |n: f64| Literal::f64_unsuffixed(n);
    match ty {
        TypeRef::String => {
            if let Some(max) = rules.max_length.map(usize_lit) {
                checks.push(quote! { crate::runtime::__private::max_length(#wire, value, #max)?; });
            }
            if let Some(min) = rules.min_length.map(usize_lit) {
                checks.push(quote! { crate::runtime::__private::min_length(#wire, value, #min)?; });
            }
            // One `static` per pattern, compiled on its first check:
            // `{ static PATTERN: Pattern = Pattern::new("^[a-z]+$"); pattern("slug", value, &PATTERN)?; }`
            if let Some(source) = &rules.pattern {
                checks.push(quote! {
                    {
                        static PATTERN: crate::runtime::__private::Pattern = crate::runtime::__private::Pattern::new(#source);
                        crate::runtime::__private::pattern(#wire, value, &PATTERN)?;
                    }
                });
            }
        }
        TypeRef::Integer(_) | TypeRef::Float(_) => {
            let number = as_f64(ty);
            if let Some((min, exclusive)) = rules.minimum {
                let min = f64_lit(min);
                checks.push(quote! { crate::runtime::__private::minimum(#wire, #number, #min, #exclusive)?; });
            }
            if let Some((max, exclusive)) = rules.maximum {
                let max = f64_lit(max);
                checks.push(quote! { crate::runtime::__private::maximum(#wire, #number, #max, #exclusive)?; });
            }
        }
        TypeRef::Vec(_) => {
            if let Some(max) = rules.max_items.map(usize_lit) {
                checks.push(quote! { crate::runtime::__private::max_items(#wire, value.len(), #max)?; });
            }
            if let Some(min) = rules.min_items.map(usize_lit) {
                checks.push(quote! { crate::runtime::__private::min_items(#wire, value.len(), #min)?; });
            }
        }
        _ => {}
    }
    checks
}

/// `*value` as `f64`: lossless `From` where it exists, a cast for 64-bit integers.
fn as_f64(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Float(true) => quote! { *value },
        TypeRef::Integer(IntWidth::I64 | IntWidth::U64) => quote! { *value as f64 },
        _ => quote! { f64::from(*value) },
    }
}
