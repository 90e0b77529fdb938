//! The page streams of the inferred pagination styles that `x-pagination`
//! cannot declare: Stripe's last-item cursor and RFC 8288 `Link` headers.
//! `operations::pagination_methods` wraps them in `pages()` and `items()`.

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::access_chain;
use super::rust_type::ident;
use crate::model::{FieldHop, PaginationStyle, TypeRef};

/// Helper functions and the page-stream expression of `style`, or `None` for
/// the styles `operations.rs` handles (token, offset). `page` is the page type.
pub fn pages(
    style: &PaginationStyle,
    page: &TokenStream,
    items: &[FieldHop],
) -> Option<(Vec<TokenStream>, TokenStream)> {
    match style {
        PaginationStyle::LastItem { param, has_more, id, id_type } => {
            Some(last_item(page, items, param, has_more, id, id_type))
        }
        PaginationStyle::Link => Some(link()),
        PaginationStyle::Token { .. } | PaginationStyle::Offset { .. } | PaginationStyle::PageNumber { .. } => None,
    }
}

/// The next cursor is the last item's id while `has_more` is true.
///
/// ```text
/// fn page_next_token(page: &Page) -> Option<String> {
///     crate::runtime::__private::cursor_from_last_item(page.has_more, &page.data, |item| Some(item.id.clone()))
/// }
/// crate::runtime::__private::token_pages(self, |request, token| { …; request.send() }, Self::page_next_token, Self::page_len)
/// ```
fn last_item(
    page: &TokenStream,
    items: &[FieldHop],
    param: &str,
    has_more: &[FieldHop],
    id: &FieldHop,
    id_type: &TypeRef,
) -> (Vec<TokenStream>, TokenStream) {
    let has_more = match access_chain(has_more, true) {
        (expr, true) => quote! { #expr.copied().unwrap_or(false) },
        (expr, false) => expr,
    };
    let items = match access_chain(items, true) {
        (expr, true) => quote! { #expr.map(::std::vec::Vec::as_slice).unwrap_or_default() },
        (expr, false) => quote! { &#expr },
    };
    let field = ident(&id.field);
    let id_text = match id_type {
        TypeRef::String => quote! { ::std::option::Option::Some(item.#field.clone()) },
        TypeRef::Option(inner) if **inner == TypeRef::String => quote! { item.#field.clone() },
        TypeRef::Option(_) => quote! { item.#field.as_ref().map(|id| id.to_string()) },
        // Integers and UUIDs.
        _ => quote! { ::std::option::Option::Some(item.#field.to_string()) },
    };
    let param = ident(param);
    let helper = quote! {
        fn page_next_token(page: &#page) -> ::std::option::Option<::std::string::String> {
            crate::runtime::__private::cursor_from_last_item(#has_more, #items, |item| #id_text)
        }
    };
    (vec![helper], token_pages_call(&param))
}

/// Each next page is the `Link: <…>; rel="next"` target of the previous one.
///
/// ```text
/// crate::runtime::__private::link_pages(self, |mut request, next| { request.options = request.options.next_page_url(url); request.send_with_response() }, Self::page_len)
/// ```
/// The page stream of a token-style operation: each next request carries the
/// token `Self::page_next_token` read from the page before.
///
/// ```text
/// crate::runtime::__private::token_pages(self, |mut request, token| { request.page_token = token; request.send() },
///     Self::page_next_token, Self::page_len)
/// ```
pub fn token_pages_call(param: &proc_macro2::Ident) -> TokenStream {
    quote! {
        crate::runtime::__private::token_pages(
            self,
            |mut request: Self, token: ::std::option::Option<::std::string::String>| {
                if token.is_some() {
                    request.#param = token;
                }
                request.send()
            },
            Self::page_next_token,
            Self::page_len,
        )
    }
}

fn link() -> (Vec<TokenStream>, TokenStream) {
    let pages = quote! {
        crate::runtime::__private::link_pages(
            self,
            |mut request: Self, next: ::std::option::Option<::std::string::String>| {
                if let ::std::option::Option::Some(url) = next {
                    request.options = request.options.next_page_url(url);
                }
                request.send_with_response()
            },
            Self::page_len,
        )
    };
    (Vec::new(), pages)
}
