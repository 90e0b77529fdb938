//! One module per tag: a method on `Client` per operation, returning a request
//! builder whose setters take the optional inputs and whose `send` performs the call.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, doc_from_parts};
use super::param_text::{is_styled, path_text, style_tokens, value_text};
use super::rust_type::{ident, rust_type, Position, Scope};
use crate::model::{
    Api, BodyEncoding, FieldHop, IntWidth, Operation, PaginationStyle, Param, ParamLocation, RequestBody, ResponseCase,
    ResponseKind, TypeKind, TypeRef,
};

/// The operations of one tag module, in spec order.
pub fn tag_operations<'a>(api: &'a Api, tag: &str) -> Vec<&'a Operation> {
    api.operations.iter().filter(|op| op.tag == tag).collect()
}

/// The kinds of items a tag module holds, in the order the module lists them
/// after its `impl Client` block: every request builder, then every error
/// enum, then every multipart form struct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagPart {
    Builders,
    Errors,
    Forms,
}

impl TagPart {
    pub const ALL: [TagPart; 3] = [TagPart::Builders, TagPart::Errors, TagPart::Forms];
}

/// The module's `impl Client` block: one method per operation.
pub fn client_impl(operations: &[&Operation]) -> TokenStream {
    let methods = operations.iter().map(|op| client_method(op));
    quote! {
        impl super::Client {
            #( #methods )*
        }
    }
}

/// The `part` items of `operations`.
pub fn tag_items(api: &Api, operations: &[&Operation], part: TagPart) -> Vec<TokenStream> {
    match part {
        TagPart::Builders => operations.iter().map(|op| builder_item(api, op)).collect(),
        TagPart::Errors => operations.iter().map(|op| super::errors::error_enum(op)).collect(),
        TagPart::Forms => operations.iter().filter_map(|op| super::bodies::form_item(api, op)).collect(),
    }
}

fn param_type(param: &Param) -> TokenStream {
    rust_type(&param.ty, Scope::Operations, Position::InJson)
}

/// Parameters the caller passes to the client method (required, not client-level).
fn arguments(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| p.required && !p.client_default)
}

/// Parameters set with builder setters.
fn optional_params(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| !p.required && !p.client_default)
}

fn operation_docs(op: &Operation) -> TokenStream {
    let signature = format!("`{} {}`", op.http_method, op.path);
    let prose = doc_from_parts(&[op.summary.as_deref(), op.description.as_deref(), Some(&signature)], &signature);
    // Generated links, not spec prose: written as is, never sanitized.
    let errors = super::errors::errors_section(op);
    let lines =
        std::iter::once(String::new()).chain(errors.lines().map(|line| format!(" {line}").trim_end().to_owned()));
    quote! { #prose #( #[doc = #lines] )* }
}

/// ```text
/// /// Summary …  `GET /pets/{id}`
/// pub fn get_pet(&self, id: impl Into<String>) -> GetPet { GetPet { client: self.clone(), id: id.into(), … } }
/// ```
fn client_method(op: &Operation) -> TokenStream {
    let docs = operation_docs(op);
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    let method = ident(&op.method_name);
    let builder = format_ident!("{}", op.builder_name);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for param in arguments(op) {
        let name = ident(&param.rust_name);
        let ty = param_type(param);
        args.push(quote! { #name: impl ::std::convert::Into<#ty> });
        inits.push(quote! { #name: #name.into() });
    }
    for param in optional_params(op) {
        let name = ident(&param.rust_name);
        inits.push(quote! { #name: ::std::option::Option::None });
    }
    match &op.body {
        Some(body) if body.required => {
            let (ty, _) = super::bodies::body_argument(body);
            args.push(quote! { body: #ty });
            inits.push(super::bodies::body_field_init(body));
        }
        Some(_) => inits.push(quote! { body: ::std::option::Option::None }),
        None => {}
    }
    let too_many = (args.len() > 6).then(|| quote! { #[allow(clippy::too_many_arguments)] });
    quote! {
        #docs
        #deprecated
        #too_many
        pub fn #method(&self, #( #args ),*) -> #builder {
            #builder {
                // A clone is an `Arc` bump: the builder, its future and its
                // page streams are `'static + Send`, ready for `tokio::spawn`.
                client: ::std::clone::Clone::clone(self),
                #( #inits, )*
                options: ::std::default::Default::default(),
            }
        }
    }
}

fn builder_item(api: &Api, op: &Operation) -> TokenStream {
    let builder = format_ident!("{}", op.builder_name);
    let method = &op.method_name;
    let doc =
        format!(" The request of [`Client::{method}`](super::Client::{method}): set optional inputs, then `send()`.");
    let fields = builder_fields(op);
    let call_option_setters = call_option_setters();
    let setters = optional_params(op).map(setter);
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|body| {
        let (ty, init) = super::bodies::body_argument(body);
        quote! {
            /// Sets the (optional) request body.
            pub fn body(mut self, body: #ty) -> Self {
                self.body = ::std::option::Option::Some(#init);
                self
            }
        }
    });
    let (output, decode) = success_output(op);
    let is_success = success_check(op, quote! { raw.status });
    let request = build_request(api, op);
    // Every non-success response becomes `Error<{Op}Error>`: the
    // documented case (typed body decoded within the body cap) or `Other`.
    let error_result = quote! { ::std::result::Result::Err(crate::runtime::__private::api_error(raw)) };
    let error_ty = format_ident!("{}", op.error_name);
    let pagination = pagination_methods(op);
    let streaming = super::streaming::streaming_methods(op, &request, &error_result, &error_ty);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder {
            client: super::Client,
            #( #fields, )*
            options: crate::runtime::CallOptions,
        }

        impl #builder {
            #( #setters )*
            #body_setter
            #call_option_setters

            /// Sends the request and decodes the documented success body.
            pub async fn send(self) -> ::std::result::Result<#output, crate::runtime::Error<#error_ty>> {
                self.send_with_response().await.map(crate::runtime::Response::into_body)
            }

            /// Sends the request; the result keeps the status and headers beside the body.
            pub async fn send_with_response(self) -> ::std::result::Result<crate::runtime::Response<#output>, crate::runtime::Error<#error_ty>> {
                #request
                let raw = self.client.core.execute(request).await?;
                if #is_success {
                    let body = #decode;
                    return ::std::result::Result::Ok(raw.into_response(body));
                }
                #error_result
            }

            #pagination

            #streaming
        }
    }
}

/// The builder's fields: required parameters, optional ones (`Option`), the body.
fn builder_fields(op: &Operation) -> Vec<TokenStream> {
    let mut fields = Vec::new();
    for param in arguments(op) {
        let name = ident(&param.rust_name);
        let ty = param_type(param);
        fields.push(quote! { #name: #ty });
    }
    for param in optional_params(op) {
        let name = ident(&param.rust_name);
        let ty = param_type(param);
        fields.push(quote! { #name: ::std::option::Option<#ty> });
    }
    if let Some(body) = &op.body {
        let ty = super::bodies::body_type(body);
        fields.push(if body.required {
            quote! { body: #ty }
        } else {
            quote! { body: ::std::option::Option<#ty> }
        });
    }
    fields
}

/// The setters of this call's `CallOptions`, the same on every builder
/// (`naming::builder_setter_name` keeps parameters off their names).
fn call_option_setters() -> TokenStream {
    quote! {
        /// Bounds the whole call: every attempt and the backoff between
        /// them (the client's default bounds each attempt only).
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.options = self.options.call_timeout(timeout);
            self
        }

        /// Bounds each attempt of this call, instead of the client's timeout.
        pub fn attempt_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.options = self.options.timeout(timeout);
            self
        }

        /// Retries this call under `policy` instead of the client's.
        pub fn retry(mut self, policy: crate::runtime::RetryPolicy) -> Self {
            self.options = self.options.retry(policy);
            self
        }

        /// Adds a header to this call, beside the client's default headers
        /// (replacing one of the same name).
        pub fn header(mut self, name: impl ::std::convert::Into<::std::string::String>, value: impl ::std::convert::Into<::std::string::String>) -> Self {
            self.options = self.options.header(name, value);
            self
        }

        /// Replaces this call's options (timeouts, retry policy, headers) at once.
        pub fn call_options(mut self, options: crate::runtime::CallOptions) -> Self {
            self.options = options;
            self
        }
    }
}

/// ```text
/// pub fn limit(mut self, value: impl Into<i32>) -> Self { self.limit = Some(value.into()); self }
/// pub fn status(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self
/// ```
fn setter(param: &Param) -> TokenStream {
    let name = ident(&param.rust_name);
    let setter_name = ident(&crate::naming::builder_setter_name(&param.rust_name));
    let docs = doc_from_parts(&[param.docs.text.as_deref()], &format!("Sets the `{}` parameter.", param.wire_name));
    let deprecated = param.docs.deprecated.then(|| quote! { #[deprecated] });
    if let TypeRef::Vec(item) = &param.ty {
        let item = rust_type(item, Scope::Operations, Position::InJson);
        quote! {
            #docs
            #deprecated
            pub fn #setter_name(mut self, values: impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#item>>) -> Self {
                self.#name = ::std::option::Option::Some(values.into_iter().map(::std::convert::Into::into).collect());
                self
            }
        }
    } else {
        let ty = param_type(param);
        quote! {
            #docs
            #deprecated
            pub fn #setter_name(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                self.#name = ::std::option::Option::Some(value.into());
                self
            }
        }
    }
}

/// Statements that build `request: crate::runtime::__private::Request` from `self`.
fn build_request(api: &Api, op: &Operation) -> TokenStream {
    let operation_id = &op.operation_id;
    let template = &op.path;
    let method = format_ident!("{}", op.http_method);
    let path = path_expression(api, op);
    let mut statements: Vec<TokenStream> = op.params.iter().filter_map(|param| param_statement(api, param)).collect();
    statements.extend(validation(api, op));
    statements.extend(op.body.as_ref().map(body_statement));
    // request.security(&[&[SecurityScheme::Bearer], &[SecurityScheme::ApiKeyHeader("X-Key")]]);  // `&[]`: anonymous
    if let Some(alternatives) = &op.security {
        let alternatives = super::client::security_tokens(alternatives);
        statements.push(quote! { request.security(#alternatives); });
    }
    // A documented redirect is an answer to return, not a hop to follow.
    let documents_redirect =
        op.responses.success.iter().chain(&op.responses.errors).any(|case| case.status.starts_with('3'));
    if documents_redirect {
        statements.push(quote! { request.return_redirects(); });
    }
    let accept = op.responses.success.iter().find_map(|case| case.media_type.clone());
    let accept = accept.map(|media| quote! { request.accept = ::std::option::Option::Some(#media); });
    quote! {
        let mut request = crate::runtime::__private::Request::new(#operation_id, ::reqwest::Method::#method, #template, #path);
        #( #statements )*
        #accept
        request.options = self.options;
    }
}

/// The statement adding `param` to `request` (query pair, header or
/// cookie); `None` for a path parameter, which the path expression holds.
fn param_statement(api: &Api, param: &Param) -> Option<TokenStream> {
    let name = ident(&param.rust_name);
    let wire = &param.wire_name;
    Some(match param.location {
        // In the path expression.
        ParamLocation::Path => return None,
        _ if is_styled(api, param) => styled_param_statement(param),
        ParamLocation::Query => {
            let push = |value: TokenStream| -> TokenStream {
                if let TypeRef::Vec(item) = &param.ty {
                    let item_text = value_text(api, item, quote! { item });
                    if param.explode {
                        quote! { for item in #value { request.query(#wire, #item_text); } }
                    } else {
                        quote! {
                            let joined: ::std::vec::Vec<::std::string::String> = #value.iter().map(|item| #item_text.to_string()).collect();
                            request.query(#wire, joined.join(","));
                        }
                    }
                } else {
                    let text = value_text(api, &param.ty, value);
                    quote! { request.query(#wire, #text); }
                }
            };
            // Bound to `value` like optional ones: `&self.x` in a generic
            // argument trips clippy's `needless_borrows_for_generic_args`.
            let inner = push(quote! { value });
            if param.required {
                quote! { { let value = &self.#name; #inner } }
            } else {
                quote! { if let ::std::option::Option::Some(value) = &self.#name { #inner } }
            }
        }
        ParamLocation::Header | ParamLocation::Cookie => {
            let send = |value: TokenStream| -> TokenStream {
                let text = if let TypeRef::Vec(item) = &param.ty {
                    let item_text = value_text(api, item, quote! { item });
                    quote! { #value.iter().map(|item| #item_text.to_string()).collect::<::std::vec::Vec<_>>().join(",") }
                } else {
                    value_text(api, &param.ty, value)
                };
                if param.location == ParamLocation::Cookie {
                    quote! { request.header("cookie", [#wire, "=", &#text.to_string()].concat()); }
                } else {
                    quote! { request.header(#wire, #text); }
                }
            };
            if param.client_default {
                let text = send(quote! { value });
                let missing = param.required.then(|| {
                    let setter = &api
                        .client_params
                        .iter()
                        .find(|c| c.wire_name == param.wire_name)
                        .map(|c| c.rust_name.clone())
                        .unwrap_or_default();
                    let rule = format!("required: set it once with `ClientBuilderExt::{setter}`");
                    quote! {
                        else {
                            return ::std::result::Result::Err(crate::runtime::Error::invalid_request(#wire, #rule).into());
                        }
                    }
                });
                quote! {
                    if let ::std::option::Option::Some(value) = self.client.core.client_param(#wire) { #text } #missing
                }
            } else if param.required {
                let inner = send(quote! { value });
                quote! { { let value = &self.#name; #inner } }
            } else {
                let inner = send(quote! { value });
                quote! { if let ::std::option::Option::Some(value) = &self.#name { #inner } }
            }
        }
    })
}

/// [`param_statement`] for a parameter the runtime's style writers serialize.
fn styled_param_statement(param: &Param) -> TokenStream {
    let name = ident(&param.rust_name);
    let wire = &param.wire_name;
    let style = style_tokens(param.style);
    let explode = param.explode;
    // request.query_encoded(crate::runtime::__private::query_param("filter", value, ParamStyle::DeepObject, true));
    // request.header("X-Color", crate::runtime::__private::header_param(value, false));
    // request.header("cookie", ["color", "=", &crate::runtime::__private::cookie_param(value)].concat());
    let send = match param.location {
        ParamLocation::Query => quote! {
            request.query_encoded(crate::runtime::__private::query_param(#wire, value, #style, #explode));
        },
        ParamLocation::Header => {
            quote! { request.header(#wire, crate::runtime::__private::header_param(value, #explode)); }
        }
        _ => quote! {
            request.header("cookie", [#wire, "=", &crate::runtime::__private::cookie_param(value)].concat());
        },
    };
    if param.required {
        quote! { { let value = &self.#name; #send } }
    } else {
        quote! { if let ::std::option::Option::Some(value) = &self.#name { #send } }
    }
}

/// `request.body = …;`: the body encoded as its media type says.
fn body_statement(body: &RequestBody) -> TokenStream {
    let encode = |value: TokenStream| -> TokenStream {
        match &body.encoding {
            BodyEncoding::Json => quote! { crate::runtime::__private::Body::json(#value)? },
            BodyEncoding::Form => quote! { crate::runtime::__private::Body::form(#value)? },
            // `value` is a reference (`&self.body`, `body`): clone through the type, not the reference.
            BodyEncoding::Text(content_type) => quote! {
                crate::runtime::__private::Body::Bytes { content_type: #content_type.into(), data: ::bytes::Bytes::from(::std::string::String::clone(#value)) }
            },
            // Uploads (bytes, files, streams) and multipart forms.
            BodyEncoding::Bytes(_) | BodyEncoding::Multipart(_) => {
                super::bodies::encode(body, &value).unwrap_or_default()
            }
        }
    };
    if body.required {
        let encoded = encode(quote! { &self.body });
        quote! { request.body = #encoded; }
    } else {
        let encoded = encode(quote! { body });
        quote! { if let ::std::option::Option::Some(body) = &self.body { request.body = #encoded; } }
    }
}

/// Client-side checks of the spec's constraints, before anything is sent.
fn validation(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let mut checks = Vec::new();
    if let Some(body) = &op.body {
        if let Some(name) = body.ty.direct_name() {
            let validated = matches!(&api.types.get(name).map(|d| &d.kind), Some(TypeKind::Struct { fields, .. })
                if super::types::has_validate(fields));
            if validated {
                checks.push(if body.required {
                    quote! { self.body.validate()?; }
                } else {
                    quote! { if let ::std::option::Option::Some(body) = &self.body { body.validate()?; } }
                });
            }
        }
    }
    for param in op.params.iter().filter(|p| !p.client_default) {
        let param_checks = super::validation::checks(&param.wire_name, &param.ty, &param.constraints);
        if param_checks.is_empty() {
            continue;
        }
        let name = ident(&param.rust_name);
        checks.push(if param.required {
            quote! { { let value = &self.#name; #( #param_checks )* } }
        } else {
            quote! { if let ::std::option::Option::Some(value) = &self.#name { #( #param_checks )* } }
        });
    }
    checks
}

/// `["/pets/", &crate::runtime::__private::path_segment(&self.id)].concat()`, or a literal.
fn path_expression(api: &Api, op: &Operation) -> TokenStream {
    let mut parts: Vec<TokenStream> = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else { break };
        let literal = &rest[..start];
        if !literal.is_empty() {
            parts.push(quote! { #literal });
        }
        let wire = &rest[start + 1..start + end];
        if let Some(param) = op.params.iter().find(|p| p.location == ParamLocation::Path && p.wire_name == wire) {
            if is_styled(api, param) {
                // &crate::runtime::__private::path_param("id", &self.id, crate::runtime::__private::ParamStyle::Label, false)
                let name = ident(&param.rust_name);
                let (style, explode) = (style_tokens(param.style), param.explode);
                parts.push(quote! { &crate::runtime::__private::path_param(#wire, &self.#name, #style, #explode) });
            } else {
                let text = path_text(api, &param.ty, &param.rust_name);
                parts.push(quote! { &crate::runtime::__private::path_segment(#text) });
            }
        }
        rest = &rest[start + end + 1..];
    }
    if !rest.is_empty() {
        parts.push(quote! { #rest });
    }
    match parts.as_slice() {
        [] => quote! { "/".to_owned() },
        [only] if !op.path.contains('{') => quote! { #only.to_owned() },
        _ => quote! { [#( #parts ),*].concat() },
    }
}

fn decode_case(case: &ResponseCase) -> TokenStream {
    match &case.kind {
        ResponseKind::Empty => quote! { () },
        ResponseKind::Json(ty) => {
            let ty = rust_type(ty, Scope::Operations, Position::InJson);
            quote! { crate::runtime::__private::decode_json::<#ty>(&raw)? }
        }
        ResponseKind::Text => quote! { crate::runtime::__private::decode_text(&raw)? },
        ResponseKind::Bytes => quote! { crate::runtime::__private::decode_bytes(&raw) },
    }
}

fn case_output(case: &ResponseCase) -> TokenStream {
    match &case.kind {
        ResponseKind::Empty => quote! { () },
        ResponseKind::Json(ty) => rust_type(ty, Scope::Operations, Position::InJson),
        ResponseKind::Text => quote! { ::std::string::String },
        ResponseKind::Bytes => quote! { ::bytes::Bytes },
    }
}

/// The success type and the expression decoding `raw` into it.
fn success_output(op: &Operation) -> (TokenStream, TokenStream) {
    let cases = &op.responses.success;
    match (&op.responses.success_enum, cases.first()) {
        // No documented success (a success enum always has cases).
        (_, None) => (quote! { () }, quote! { () }),
        (None, Some(case)) => (case_output(case), decode_case(case)),
        (Some(name), Some(first)) => {
            let enum_ident = format_ident!("{}", name);
            // The success enum's variant for each case (`model::SuccessVariant`):
            // a unit variant without a body, the payload boxed as the type has it.
            let construct = |case: &ResponseCase| {
                let variant = format_ident!("{}", case.variant);
                let decode = decode_case(case);
                match case.kind.payload() {
                    None => quote! { super::types::#enum_ident::#variant },
                    Some(ty) if super::types::boxes_payload(&ty) => {
                        quote! { super::types::#enum_ident::#variant(::std::boxed::Box::new(#decode)) }
                    }
                    Some(_) => quote! { super::types::#enum_ident::#variant(#decode) },
                }
            };
            let arms = cases.iter().filter_map(|case| {
                let pattern = status_pattern(&case.status)?;
                let value = construct(case);
                Some(quote! { #pattern => #value, })
            });
            let fallback = construct(first);
            (
                quote! { super::types::#enum_ident },
                quote! {
                    match raw.status.as_u16() {
                        #( #arms )*
                        _ => #fallback,
                    }
                },
            )
        }
    }
}

/// `status.is_success()`, or `status.is_redirection()` for an operation whose
/// successes are its redirects (see [`Responses::redirects_succeed`]).
pub(super) fn success_check(op: &Operation, status: TokenStream) -> TokenStream {
    if op.responses.redirects_succeed() {
        quote! { #status.is_redirection() }
    } else {
        quote! { #status.is_success() }
    }
}

/// `404`, `400..=499`; `None` for `default`.
fn status_pattern(status: &str) -> Option<TokenStream> {
    if let Ok(code) = status.parse::<u16>() {
        return Some(quote! { #code });
    }
    let first = status.strip_suffix("XX")?.parse::<u16>().ok()?;
    let (low, high) = (first * 100, first * 100 + 99);
    Some(quote! { #low..=#high })
}

/// The value at the end of `hops`, read from `page` by move or by reference,
/// as `(expression, is_option)`. Optional hops chain with `map`/`and_then`, so
/// every mix of optional and required fields reads as plain Rust.
///
/// ```text
/// [items]                     → page.items                       (Vec<T>)
/// [pagination?, next_token?]  → page.pagination.as_ref().and_then(|v| v.next_token.as_ref())
/// ```
pub(super) fn access_chain(hops: &[FieldHop], borrow: bool) -> (TokenStream, bool) {
    let mut expr = quote! { page };
    let mut is_option = false;
    for hop in hops {
        let field = ident(&hop.field);
        expr = match (is_option, hop.optional, borrow) {
            (false, false, _) => quote! { #expr.#field },
            (false, true, false) => quote! { #expr.#field },
            (false, true, true) => quote! { #expr.#field.as_ref() },
            (true, true, false) => quote! { #expr.and_then(|value| value.#field) },
            (true, true, true) => quote! { #expr.and_then(|value| value.#field.as_ref()) },
            (true, false, false) => quote! { #expr.map(|value| value.#field) },
            (true, false, true) => quote! { #expr.map(|value| &value.#field) },
        };
        is_option |= hop.optional;
    }
    (expr, is_option)
}

/// `value` (of integer type `ty`) as `Option<i64>`.
fn integer_to_i64(value: TokenStream, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Integer(IntWidth::I64) => quote! { ::std::option::Option::Some(#value) },
        TypeRef::Integer(IntWidth::U64) => quote! { i64::try_from(#value).ok() },
        _ => quote! { ::std::option::Option::Some(i64::from(#value)) },
    }
}

/// An `Option` of integer type `ty` (by value) as `Option<i64>`.
fn option_to_i64(value: TokenStream, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Integer(IntWidth::I64) => value,
        TypeRef::Integer(IntWidth::U64) => quote! { #value.and_then(|value| i64::try_from(value).ok()) },
        // An offset some specs type as a string (Keycloak's `first`).
        TypeRef::String => quote! { #value.as_ref().and_then(|value| value.trim().parse::<i64>().ok()) },
        _ => quote! { #value.map(i64::from) },
    }
}

/// An `i64` position (`offset`, `page_number`) as the parameter's integer type.
fn i64_to_integer(value: &proc_macro2::Ident, ty: &TypeRef) -> TokenStream {
    let target = rust_type(ty, Scope::Operations, Position::InJson);
    match ty {
        TypeRef::Integer(IntWidth::I64) => quote! { #value },
        TypeRef::String => quote! { #value.to_string() },
        _ => quote! { #target::try_from(#value).unwrap_or(#target::MAX) },
    }
}

/// `pages()` and `items()` streams for operations with declared pagination.
///
/// ```text
/// pub fn pages(self) -> BoxStream<'static, Result<Page, Error<OpError>>>   // token_pages / offset_pages
/// pub fn items(self) -> BoxStream<'static, Result<Item, Error<OpError>>>
/// fn page_items(page: Page) -> Vec<Item>                               // accessors the streams call
/// ```
fn pagination_methods(op: &Operation) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let error_ty = format_ident!("{}", op.error_name);
    let page = rust_type(&pagination.page_type, Scope::Operations, Position::InJson);
    let item = rust_type(&pagination.item_type, Scope::Operations, Position::InJson);
    let items_value = match access_chain(&pagination.items, false) {
        (expr, true) => quote! { #expr.unwrap_or_default() },
        (expr, false) => expr,
    };
    let items_len = match access_chain(&pagination.items, true) {
        (expr, true) => quote! { #expr.map_or(0, ::std::vec::Vec::len) },
        (expr, false) => quote! { #expr.len() },
    };
    // A `Link`-paginated page is the array itself: `&Vec<T>` is what the stream hands over.
    let ptr_arg = matches!(pagination.page_type, TypeRef::Vec(_)).then(|| quote! { #[allow(clippy::ptr_arg)] });
    let mut helpers = vec![quote! {
        fn page_items(page: #page) -> ::std::vec::Vec<#item> {
            #items_value
        }

        #ptr_arg
        fn page_len(page: &#page) -> usize {
            #items_len
        }
    }];
    let pages = match &pagination.style {
        PaginationStyle::LastItem { .. } | PaginationStyle::Link => {
            let (extra, pages) = super::pagination_styles::pages(&pagination.style, &page, &pagination.items)?;
            helpers.extend(extra);
            pages
        }
        PaginationStyle::Token { param, next } => {
            let param = ident(param);
            let next_token = match access_chain(next, true) {
                (expr, true) => quote! { #expr.cloned() },
                (expr, false) => quote! { ::std::option::Option::Some(#expr.clone()) },
            };
            helpers.push(quote! {
                fn page_next_token(page: &#page) -> ::std::option::Option<::std::string::String> {
                    #next_token
                }
            });
            super::pagination_styles::token_pages_call(&param)
        }
        PaginationStyle::Offset { offset_param, total } => {
            let (pages, bound) = counted_pages(op, &page, offset_param, total.as_ref(), &OFFSETS)?;
            helpers.push(bound);
            pages
        }
        PaginationStyle::PageNumber { page_param, last_page } => {
            let (pages, bound) = counted_pages(op, &page, page_param, last_page.as_ref(), &PAGE_NUMBERS)?;
            helpers.push(bound);
            pages
        }
    };
    let docs = doc_attrs(
        "Every page, fetched lazily as the stream is polled: no request is sent before the first poll. The stream ends after the last page (an empty page, no next token, or a token seen before).",
    );
    Some(quote! {
        #docs
        pub fn pages(self) -> ::futures::stream::BoxStream<'static, ::std::result::Result<#page, crate::runtime::Error<#error_ty>>> {
            ::std::boxed::Box::pin(#pages)
        }

        /// Every item of every page, in order; see [`Self::pages`].
        pub fn items(self) -> ::futures::stream::BoxStream<'static, ::std::result::Result<#item, crate::runtime::Error<#error_ty>>> {
            ::std::boxed::Box::pin(crate::runtime::__private::items(self.pages(), Self::page_items))
        }

        #( #helpers )*
    })
}

/// What differs between offset and page-number streams.
struct Counter {
    /// The runtime function that walks the pages.
    runtime_fn: &'static str,
    /// The helper reading the bound from a page: the total, or the page count.
    bound_fn: &'static str,
    /// The closure's name for the position: the offset, or the page number.
    position: &'static str,
    /// Where the walk starts when the caller set no position.
    default_first: i64,
}

const OFFSETS: Counter =
    Counter { runtime_fn: "offset_pages", bound_fn: "page_total", position: "offset", default_first: 0 };

const PAGE_NUMBERS: Counter =
    Counter { runtime_fn: "page_number_pages", bound_fn: "page_count", position: "page_number", default_first: 1 };

/// The stream of an offset- or page-number-paginated operation and the
/// helper it reads the total (or page count) with:
///
/// ```text
/// fn page_total(page: &Page) -> Option<i64> { Some(i64::from(page.total)) }   // or None
///
/// let first_offset = self.offset.map(i64::from).unwrap_or(0);
/// runtime::offset_pages(self, first_offset, |mut request: Self, offset: i64| {
///     request.offset = Some(i32::try_from(offset).unwrap_or(i32::MAX));
///     request.send()
/// }, Self::page_len, Self::page_total)
/// ```
fn counted_pages(
    op: &Operation,
    page: &TokenStream,
    param: &str,
    bound: Option<&(Vec<FieldHop>, TypeRef)>,
    counter: &Counter,
) -> Option<(TokenStream, TokenStream)> {
    let param_ty = op.params.iter().find(|p| p.rust_name == param).map(|p| p.ty.clone())?;
    let runtime_fn = format_ident!("{}", counter.runtime_fn);
    let bound_fn = format_ident!("{}", counter.bound_fn);
    let position = format_ident!("{}", counter.position);
    let first = format_ident!("first_{}", counter.position);
    let default_first = proc_macro2::Literal::i64_unsuffixed(counter.default_first);
    let param = ident(param);
    let to_param = i64_to_integer(&position, &param_ty);
    let start = option_to_i64(quote! { self.#param }, &param_ty);
    let body = match bound {
        Some((hops, bound_ty)) => match access_chain(hops, true) {
            (expr, true) => option_to_i64(quote! { #expr.copied() }, bound_ty),
            (expr, false) => integer_to_i64(expr, bound_ty),
        },
        None => quote! { ::std::option::Option::None },
    };
    let page_arg = if bound.is_some() {
        quote! { page }
    } else {
        quote! { _page }
    };
    let bound_helper = quote! {
        fn #bound_fn(#page_arg: &#page) -> ::std::option::Option<i64> {
            #body
        }
    };
    let pages = quote! {{
        let #first = #start.unwrap_or(#default_first);
        crate::runtime::__private::#runtime_fn(
            self,
            #first,
            |mut request: Self, #position: i64| {
                request.#param = ::std::option::Option::Some(#to_param);
                request.send()
            },
            Self::page_len,
            Self::#bound_fn,
        )
    }};
    Some((pages, bound_helper))
}

#[cfg(test)]
mod tests {
    use crate::{generate_str, Layout, Options};

    /// The generated code of a spec with the given `paths`, all files joined.
    fn code(paths: &str) -> String {
        let spec = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}");
        let options = Options { layout: Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
        let output = generate_str(&spec, "t.yaml", &options).unwrap_or_else(|e| panic!("{e}"));
        output.files.values().cloned().collect()
    }

    #[test]
    fn byte_and_text_bodies_clone_the_value_not_the_reference() {
        let code = code(
            "  /upload:\n    post:\n      operationId: upload\n      requestBody: {required: true, content: {application/octet-stream: {schema: {type: string, format: binary}}}}\n      responses: {'204': {description: ok}}\n  /note:\n    post:\n      operationId: note\n      requestBody: {content: {text/plain: {schema: {type: string}}}}\n      responses: {'204': {description: ok}}\n",
        );
        assert!(code.contains("crate::runtime::Upload::clone(&self.body)"), "{code}");
        assert!(code.contains("::bytes::Bytes::from(::std::string::String::clone(body))"), "{code}");
    }

    #[test]
    fn error_cases_are_named_by_reason_phrase_and_typed() {
        let code = code(
            "  /a:\n    get:\n      operationId: getA\n      responses:\n        '204': {description: ok}\n        '404': {description: gone, content: {application/json: {schema: {type: object, properties: {message: {type: string}}}}}}\n        '409': {description: busy}\n        5XX: {description: down}\n        default: {description: error, content: {application/json: {schema: {type: object, properties: {code: {type: integer}}}}}}\n",
        );
        assert!(code.contains("pub enum GetAError {"), "{code}");
        assert!(code.contains("NotFound(super::types::GetANotFoundError)"), "{code}");
        assert!(code.contains("Conflict,"), "{code}");
        assert!(code.contains("ServerError,"), "{code}");
        assert!(code.contains("Default(super::types::GetADefaultError)"), "{code}");
        // Exact codes before ranges before `default`, which catches the rest.
        let exact = code.find("409u16 => Self::Conflict").expect("409 arm");
        let range = code.find("500u16..=599u16 => Self::ServerError").expect("5XX arm");
        // The longer `__private` path makes prettyplease put the arm in a block.
        let default = code.find("_ => {\n                crate::runtime::__private::error_body(raw)\n                    .map_or(Self::Other, Self::Default)").expect("default arm");
        assert!(exact < range && range < default, "{code}");
        assert!(code.contains("crate::runtime::Error<GetAError>"), "{code}");
        assert!(code.contains("/// - `404 Not Found`: [`GetAError::NotFound`] with `GetANotFoundError`"), "{code}");
    }

    #[test]
    fn required_query_values_are_bound_not_borrowed_in_the_call() {
        let code = code(
            "  /a:\n    get:\n      operationId: getA\n      parameters: [{name: q, in: query, required: true, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n",
        );
        assert!(code.contains("let value = &self.q;"), "{code}");
        assert!(!code.contains("request.query(\"q\", &self.q)"), "{code}");
    }
}
