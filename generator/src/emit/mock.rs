//! The typed test double of an API: its `mock` module, behind a cargo
//! feature, over the runtime's engine (`runtime/src/mock.rs`).
//!
//! ```text
//! pub struct MockServer { server: crate::runtime::mock::MockServer }
//! impl MockServer {
//!     pub async fn start() -> Self                      // a loopback port
//!     pub fn client(&self) -> super::Client             // pointed at it
//!     pub fn list_pets(&self) -> Expectation<ListPets>  // one per operation
//! }
//! pub enum ListPets {}                                   // the operation, as a type
//! impl MockOperation for ListPets { type Request = ListPetsRequest; type Success = …; type Error = …; … }
//! impl MockPages for ListPets { … }                      // token pagination
//! pub struct ListPetsRequest { pub limit: Option<i32>, pub body: …, pub raw: MockRequest }
//! ```
//!
//! Parameters whose style the views do not decode (objects, `deepObject`,
//! label and matrix paths, non-primitive cookies) are left out of the view
//! (they stay readable in `raw`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::param_text::is_styled;
use super::rust_type::{ident, rust_type, Position, Scope};
use crate::model::{
    Api, BodyEncoding, Operation, PaginationStyle, ParamLocation, ParamStyle, ResponseCase, ResponseKind, TypeKind,
    TypeRef,
};
use crate::naming::Namespace;

/// The status a case's reply is sent with: its code, a range's first code,
/// or `default_code` for `default`.
fn status_code(case: &ResponseCase, default_code: u16) -> u16 {
    if let Ok(code) = case.status.parse::<u16>() {
        return code;
    }
    case.status.strip_suffix("XX").and_then(|first| first.parse::<u16>().ok()).map_or(default_code, |d| d * 100)
}

/// The names of one operation's items in the mock module.
struct Names {
    marker: proc_macro2::Ident,
    view: proc_macro2::Ident,
}

/// The items of `src/<api>/mock.rs`.
pub fn mock_module(api: &Api) -> TokenStream {
    let mut namespace = Namespace::with_reserved(&["MockServer", "ROUTES"]);
    let names: Vec<Names> = api
        .operations
        .iter()
        .map(|op| Names {
            marker: format_ident!("{}", namespace.claim(&op.builder_name)),
            view: format_ident!("{}", namespace.claim(&format!("{}Request", op.builder_name))),
        })
        .collect();
    let title = api.title.trim().replace('`', "'");
    let markers: Vec<&proc_macro2::Ident> = names.iter().map(|n| &n.marker).collect();
    let methods = api.operations.iter().zip(&names).map(|(op, names)| {
        let method = ident(&op.method_name);
        let marker = &names.marker;
        let doc = format!(
            " An expectation on `{} {}` (`{}`, [`Client::{}`](super::Client::{})): set its matchers, count and replies.",
            op.http_method, op.path, op.operation_id, op.method_name, op.method_name
        );
        quote! {
            #[doc = #doc]
            #[track_caller]
            pub fn #method(&self) -> crate::runtime::mock::Expectation<#marker> {
                self.server.expect()
            }
        }
    });
    let operations = api.operations.iter().zip(&names).map(|(op, names)| operation_items(api, op, names));
    let start_doc = format!(" Starts a mock of the {title} on a free loopback port (a tokio runtime is needed).");
    let start_panic = format!("the mock of the {title} cannot bind a loopback port: {{}}");
    let client_panic = format!("a client of the {title} for the mock at {{}}: {{}}");
    quote! {
        /// An in-process mock of the API for tests: a loopback HTTP server answering
        /// from expectations typed by each operation, and a client pointed at it.
        ///
        /// Dropping it (or [`MockServer::verify`]) fails the test when an expectation
        /// did not get its calls, a request matched no expectation (it was answered
        /// `501`) or a request broke the spec (answered `400`).
        #[derive(Debug)]
        pub struct MockServer {
            server: crate::runtime::mock::MockServer,
        }

        impl MockServer {
            #[doc = #start_doc]
            ///
            /// # Panics
            ///
            /// When no port can be bound; [`MockServer::try_start`] returns the error.
            pub async fn start() -> Self {
                match Self::try_start().await {
                    ::std::result::Result::Ok(mock) => mock,
                    ::std::result::Result::Err(error) => ::std::panic!(#start_panic, error),
                }
            }

            /// [`MockServer::start`], returning the error instead of panicking.
            pub async fn try_start() -> ::std::io::Result<Self> {
                let server = crate::runtime::mock::MockServer::start(#title, ROUTES).await?;
                ::std::result::Result::Ok(MockServer { server })
            }

            /// The base URL of the mock (`http://127.0.0.1:<port>`).
            pub fn url(&self) -> &str {
                self.server.url()
            }

            /// A client builder already pointed at the mock, for credentials or client settings.
            pub fn client_builder(&self) -> crate::runtime::ClientBuilder<super::Client> {
                super::Client::builder().base_url(self.server.url())
            }

            /// A client pointed at the mock, with the default settings.
            ///
            /// # Panics
            ///
            /// Never with the mock's own URL; see [`MockServer::client_builder`].
            pub fn client(&self) -> super::Client {
                match self.client_builder().build() {
                    ::std::result::Result::Ok(client) => client,
                    ::std::result::Result::Err(error) => ::std::panic!(#client_panic, self.server.url(), error),
                }
            }

            /// Checks every expectation now; dropping the mock checks nothing more.
            pub fn verify(&self) -> ::std::result::Result<(), crate::runtime::mock::MockError> {
                self.server.verify()
            }

            /// Every request received so far, in order.
            pub fn received(&self) -> ::std::vec::Vec<crate::runtime::mock::MockRequest> {
                self.server.received()
            }

            #( #methods )*
        }

        const ROUTES: &[crate::runtime::mock::Route] = &[
            #( <#markers as crate::runtime::mock::MockOperation>::ROUTE, )*
        ];

        #( #operations )*
    }
}

/// The marker type, its `MockOperation` (and `MockPages`) impl and the request view of `op`.
fn operation_items(api: &Api, op: &Operation, names: &Names) -> TokenStream {
    let Names { marker, view } = names;
    let operation_id = &op.operation_id;
    let method = &op.http_method;
    let template = &op.path;
    let module = ident(&op.tag);
    let error = format_ident!("{}", op.error_name);
    let (success_ty, success) = success_reply(op);
    let error_reply = error_reply(op);
    let marker_doc =
        format!(" `{method} {template}` (`{operation_id}`), the operation as a type: the `Op` of its expectations.");
    let (fields, decode, inits) = view_fields(api, op);
    // Some(&[&[SecurityScheme::Bearer], &[]]): the operation's requirements, as the client sends them.
    let security = match &op.security {
        Some(alternatives) => {
            let alternatives = super::client::security_tokens(alternatives);
            quote! { ::std::option::Option::Some(#alternatives) }
        }
        None => quote! { ::std::option::Option::None },
    };
    let decodes_path = op.params.iter().any(|p| p.location == ParamLocation::Path && !is_styled(api, p));
    let params = if decodes_path { format_ident!("params") } else { format_ident!("_params") };
    let view_doc = format!(
        " A `{operation_id}` request as the mock received it, decoded into the operation's types (what matchers see)."
    );
    let pages = mock_pages(op).map(|(token, set_next)| {
        quote! {
            impl crate::runtime::mock::MockPages for #marker {
                fn page_token(request: &Self::Request) -> ::std::option::Option<&str> {
                    #token
                }

                fn set_next_page_token(page: &mut Self::Success, token: ::std::option::Option<::std::string::String>) {
                    #set_next
                }
            }
        }
    });
    quote! {
        #[doc = #marker_doc]
        #[derive(Debug)]
        pub enum #marker {}

        impl crate::runtime::mock::MockOperation for #marker {
            type Request = #view;
            type Success = #success_ty;
            type Error = super::#module::#error;

            const ROUTE: crate::runtime::mock::Route = crate::runtime::mock::Route {
                operation_id: #operation_id,
                method: #method,
                path: #template,
                security: #security,
                decode: #view::decode_erased,
            };

            #success

            fn error(error: Self::Error) -> crate::runtime::mock::Reply {
                #error_reply
            }
        }

        #pages

        #[doc = #view_doc]
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub struct #view {
            #( #fields )*
            /// The request as received: method, path, query pairs, headers (all of them) and body bytes.
            pub raw: crate::runtime::mock::MockRequest,
        }

        impl #view {
            fn decode(request: &crate::runtime::mock::MockRequest, #params: &[::std::string::String]) -> ::std::result::Result<Self, ::std::string::String> {
                #( #decode )*
                ::std::result::Result::Ok(#view { #( #inits, )* raw: request.clone() })
            }

            fn decode_erased(request: &crate::runtime::mock::MockRequest, params: &[::std::string::String]) -> ::std::result::Result<::std::boxed::Box<dyn ::std::any::Any + ::std::marker::Send>, ::std::string::String> {
                Self::decode(request, params).map(crate::runtime::mock::erase)
            }
        }
    }
}

/// `default_reply` of an operation whose success has no body: an expectation
/// given no reply answers with it.
fn default_reply() -> TokenStream {
    // fn default_reply() -> Option<Reply> { Some(Self::success(())) }
    quote! {
        fn default_reply() -> ::std::option::Option<crate::runtime::mock::Reply> {
            ::std::option::Option::Some(Self::success(()))
        }
    }
}

/// The success type and the `success` fn (and `default_reply`) of the `MockOperation` impl.
fn success_reply(op: &Operation) -> (TokenStream, TokenStream) {
    let reply = |case: &ResponseCase, value: TokenStream| -> TokenStream {
        let code = status_code(case, 200);
        let media = case.media_type.clone().unwrap_or_else(|| "application/octet-stream".into());
        match &case.kind {
            ResponseKind::Empty => quote! { crate::runtime::mock::Reply::status(#code) },
            ResponseKind::Json(_) => quote! { crate::runtime::mock::Reply::json(#code, &#value) },
            ResponseKind::Text | ResponseKind::Bytes => {
                quote! { crate::runtime::mock::Reply::bytes(#code, #media, #value) }
            }
        }
    };
    let case_type = |case: &ResponseCase| match &case.kind {
        ResponseKind::Empty => quote! { () },
        ResponseKind::Json(ty) => rust_type(ty, Scope::Operations, Position::InJson),
        ResponseKind::Text => quote! { ::std::string::String },
        ResponseKind::Bytes => quote! { ::bytes::Bytes },
    };
    // fn success(body: Self::Success) -> Reply { Reply::json(200, &body) }
    let function = |arg: TokenStream, body: TokenStream| {
        quote! {
            fn success(#arg: Self::Success) -> crate::runtime::mock::Reply {
                #body
            }
        }
    };
    match (&op.responses.success_enum, op.responses.success.first()) {
        (Some(name), Some(_)) => {
            let enum_ident = format_ident!("{}", name);
            let arms = op.responses.success.iter().map(|case| {
                let variant = format_ident!("{}", case.variant);
                match &case.kind {
                    ResponseKind::Empty => {
                        let value = reply(case, quote! { () });
                        quote! { super::types::#enum_ident::#variant => #value, }
                    }
                    _ => {
                        let value = reply(case, quote! { body });
                        quote! { super::types::#enum_ident::#variant(body) => #value, }
                    }
                }
            });
            (quote! { super::types::#enum_ident }, function(quote! { body }, quote! { match body { #( #arms )* } }))
        }
        (None, Some(case)) if case.kind == ResponseKind::Empty => {
            let default = default_reply();
            let success = function(quote! { _body }, reply(case, quote! { () }));
            (quote! { () }, quote! { #success #default })
        }
        (None, Some(case)) => (case_type(case), function(quote! { body }, reply(case, quote! { body }))),
        (_, None) => {
            let default = default_reply();
            let success = function(quote! { _body }, quote! { crate::runtime::mock::Reply::status(204) });
            (quote! { () }, quote! { #success #default })
        }
    }
}

/// The body of the `error` fn: each documented case with its status and JSON body.
fn error_reply(op: &Operation) -> TokenStream {
    // match error { Self::Error::NotFound(body) => Reply::json(404, &body), Self::Error::Conflict => Reply::status(409), … }
    let arms = op.responses.errors.iter().map(|case| {
        let variant = format_ident!("{}", case.variant);
        let code = status_code(case, 500);
        match &case.kind {
            ResponseKind::Json(_) => {
                quote! { Self::Error::#variant(body) => crate::runtime::mock::Reply::json(#code, &body), }
            }
            _ => quote! { Self::Error::#variant => crate::runtime::mock::Reply::status(#code), },
        }
    });
    quote! {
        match error {
            #( #arms )*
            Self::Error::Other => crate::runtime::mock::Reply::status(500),
        }
    }
}

/// The view's fields, the statements decoding them and their initializers.
fn view_fields(api: &Api, op: &Operation) -> (Vec<TokenStream>, Vec<TokenStream>, Vec<TokenStream>) {
    let mut names = Namespace::with_reserved(&["raw", "body", "request", "params"]);
    let (mut fields, mut decode, mut inits) = (Vec::new(), Vec::new(), Vec::new());
    let mut path_index = 0usize;
    for param in &op.params {
        let index = path_index;
        if param.location == ParamLocation::Path {
            path_index += 1;
        }
        if is_styled(api, param) {
            continue;
        }
        let name = ident(&names.claim(&param.rust_name));
        let wire = &param.wire_name;
        let ty = rust_type(&param.ty, Scope::Operations, Position::InJson);
        let (location, read) = match (&param.location, &param.ty) {
            (ParamLocation::Path, _) => {
                let doc = format!(" `{wire}` (path).");
                fields.push(quote! { #[doc = #doc] pub #name: #ty, });
                decode.push(quote! { let #name = crate::runtime::mock::path::<#ty>(params, #index, #wire)?; });
                inits.push(quote! { #name });
                continue;
            }
            (ParamLocation::Query, TypeRef::Vec(item)) => {
                let item = rust_type(item, Scope::Operations, Position::InJson);
                let delimiter = match (param.explode, param.style) {
                    (true, _) | (_, ParamStyle::Content) => quote! { ::std::option::Option::None },
                    (false, ParamStyle::SpaceDelimited) => quote! { ::std::option::Option::Some(' ') },
                    (false, ParamStyle::PipeDelimited) => quote! { ::std::option::Option::Some('|') },
                    (false, _) => quote! { ::std::option::Option::Some(',') },
                };
                ("query", quote! { crate::runtime::mock::query_list::<#item>(request, #wire, #delimiter)? })
            }
            (ParamLocation::Query, _) => ("query", quote! { crate::runtime::mock::query::<#ty>(request, #wire)? }),
            (ParamLocation::Header, TypeRef::Vec(item)) => {
                let item = rust_type(item, Scope::Operations, Position::InJson);
                ("header", quote! { crate::runtime::mock::header_list::<#item>(request, #wire)? })
            }
            (ParamLocation::Header, _) => ("header", quote! { crate::runtime::mock::header::<#ty>(request, #wire)? }),
            (ParamLocation::Cookie, _) => ("cookie", quote! { crate::runtime::mock::cookie::<#ty>(request, #wire)? }),
        };
        let doc = format!(" `{wire}` ({location}).");
        if param.required {
            fields.push(quote! { #[doc = #doc] pub #name: #ty, });
            decode.push(quote! { let #name = crate::runtime::mock::required(#read, #location, #wire)?; });
        } else {
            fields.push(quote! { #[doc = #doc] pub #name: ::std::option::Option<#ty>, });
            decode.push(quote! { let #name = #read; });
        }
        inits.push(quote! { #name });
    }
    if let Some(body) = &op.body {
        let (ty, read) = match &body.encoding {
            BodyEncoding::Json => {
                let ty = rust_type(&body.ty, Scope::Operations, Position::Body);
                (ty.clone(), quote! { crate::runtime::mock::json_body::<#ty>(request)? })
            }
            BodyEncoding::Form => {
                let ty = rust_type(&body.ty, Scope::Operations, Position::Body);
                (ty.clone(), quote! { crate::runtime::mock::form_body::<#ty>(request)? })
            }
            BodyEncoding::Text(_) => {
                (quote! { ::std::string::String }, quote! { crate::runtime::mock::text_body(request)? })
            }
            BodyEncoding::Bytes(_) | BodyEncoding::Multipart(_) => {
                (quote! { ::bytes::Bytes }, quote! { (!request.body.is_empty()).then(|| request.body.clone()) })
            }
        };
        let validated = matches!(body.encoding, BodyEncoding::Json | BodyEncoding::Form) && has_validate(api, &body.ty);
        let doc = format!(" The body ({}).", body.media_type);
        if body.required {
            fields.push(quote! { #[doc = #doc] pub body: #ty, });
            decode.push(quote! { let body = crate::runtime::mock::required(#read, "body", "body")?; });
            if validated {
                decode.push(quote! { crate::runtime::mock::validated(body.validate())?; });
            }
        } else {
            fields.push(quote! { #[doc = #doc] pub body: ::std::option::Option<#ty>, });
            decode.push(quote! { let body = #read; });
            if validated {
                decode.push(quote! {
                    if let ::std::option::Option::Some(body) = &body {
                        crate::runtime::mock::validated(body.validate())?;
                    }
                });
            }
        }
        inits.push(quote! { body });
    }
    (fields, decode, inits)
}

/// Whether the named struct `ty` has a generated `validate()` (the rule the client's `send` follows).
fn has_validate(api: &Api, ty: &TypeRef) -> bool {
    let Some(name) = ty.direct_name() else { return false };
    matches!(&api.types.get(name).map(|d| &d.kind), Some(TypeKind::Struct { fields, .. })
        if fields.iter().any(|f| !super::validation::checks(&f.wire_name, strip(&f.ty), &f.constraints).is_empty()))
}

fn strip(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Option(inner) => strip(inner),
        other => other,
    }
}

/// `MockPages` bodies for a token-paginated operation whose success type is
/// the page and whose next-page token is an optional string reached through
/// required fields; `None` otherwise.
fn mock_pages(op: &Operation) -> Option<(TokenStream, TokenStream)> {
    let pagination = op.pagination.as_ref()?;
    let PaginationStyle::Token { param, next } = &pagination.style else { return None };
    if op.responses.success_enum.is_some() {
        return None;
    }
    let case = op.responses.success.first()?;
    if case.kind != ResponseKind::Json(pagination.page_type.clone()) {
        return None;
    }
    let (last, through) = next.split_last()?;
    if !last.optional || through.iter().any(|hop| hop.optional) {
        return None;
    }
    let token_param = op.params.iter().find(|p| &p.rust_name == param)?;
    let token_is_string = matches!(token_param.ty, TypeRef::String);
    if !token_is_string || token_param.required || token_param.location != ParamLocation::Query {
        return None;
    }
    // The view's field has the parameter's name, unless the view renamed it
    // (a parameter called `raw` or `body`): then no pages.
    if ["raw", "body", "request", "params"].contains(&token_param.rust_name.as_str()) {
        return None;
    }
    let field = ident(&token_param.rust_name);
    let hops = next.iter().map(|hop| ident(&hop.field));
    Some((quote! { request.#field.as_deref() }, quote! { page #( .#hops )* = token; }))
}
