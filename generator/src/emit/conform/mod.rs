//! The conformance driver: `examples/conform.rs` beside a standalone crate,
//! calling every operation once with arguments synthesized from the schemas
//! (see `synth.rs`), against the server named by `CONFORM_BASE_URL` (a Prism
//! mock of the same spec, in `cargo xtask corpus --conform`).
//!
//! It is an example, so a normal `cargo build` of the crate never compiles it.
//! Each call prints one tab-separated line that the xtask reads:
//!
//! ```text
//! conform  <operationId>  ok|rejected|mock|decode|fallback|status|unbuildable|skipped|note|error  <detail>
//! ```
//!
//! Arguments are JSON text deserialized into the operation's Rust types, so a
//! value the types cannot hold is itself a finding (`unbuildable`).

mod pattern;
mod synth;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::rust_type::{ident, rust_type, Position, Scope};
use crate::diagnostics::Error;
use crate::model::{Api, BodyEncoding, Operation, Param, ParamLocation, SecurityScheme, TypeRef};
use synth::Synth;

/// The text of `examples/conform.rs` for the standalone crate `crate_name`
/// generated from `api`; `doc` is the loaded document as JSON.
pub fn driver_file(
    api: &Api,
    doc: &Value,
    crate_name: &str,
    preamble: &str,
    file_label: &str,
) -> Result<String, Error> {
    let tokens = driver_tokens(api, doc, crate_name);
    super::format_file(tokens, preamble, file_label, "examples/conform.rs")
}

fn driver_tokens(api: &Api, doc: &Value, crate_name: &str) -> TokenStream {
    let synth = Synth::new(doc);
    let plain = Synth::schema_only(doc);
    let shapes: Vec<String> = api.operations.iter().map(|op| crate::model::route_shape(&op.path)).collect();
    let krate = format_ident!("{}", crate_name.replace('-', "_"));
    let calls: Vec<TokenStream> =
        api.operations.iter().map(|op| operation_call(&synth, &plain, doc, op, same_route(api, &shapes, op))).collect();
    let names: Vec<proc_macro2::Ident> = api.operations.iter().map(|op| ident(&op.method_name)).collect();
    let ids = api.operations.iter().map(|op| op.operation_id.as_str());
    let credentials = credentials(&api.security);
    let client_params = api.client_params.iter().map(|param| {
        let wire = &param.wire_name;
        let value = client_param_value(&synth, doc, api, wire);
        quote! { .client_param(#wire, #value) }
    });
    let support = support();
    let summary =
        format!(" Calls the {} operations of {} once each; see the module docs.", names.len(), api.title.trim());
    // #![allow(deprecated)] mod runtime { pub use krate::runtime::*; } use krate::types;
    // mod calls { pub async fn op(client: &Client) { let Some(a) = arg(..) else { return }; report(OP, client.op(a).send_with_response().await) } }
    // #[tokio::main] async fn main() { let client = builder()...; calls::op(&client).await; … }
    quote! {
        //! Conformance driver: calls every operation of the API once, with
        //! arguments synthesized from the spec's schemas, against the server at
        //! `CONFORM_BASE_URL`, and prints one tab-separated line per operation:
        //! `conform`, the operationId, the outcome and a detail.
        #![allow(deprecated, unused_imports, unused_mut, clippy::all)]

        use #krate::{types, Client};

        /// The runtime, named as generated code names it.
        mod runtime {
            pub use #krate::runtime::*;
        }

        /// One function per operation.
        mod calls {
            #( #calls )*
        }

        #[doc = #summary]
        #[tokio::main(flavor = "current_thread")]
        async fn main() {
            let ::std::result::Result::Ok(base_url) = ::std::env::var("CONFORM_BASE_URL") else {
                eprintln!("usage: CONFORM_BASE_URL=http://127.0.0.1:4010 cargo run --example conform");
                ::std::process::exit(2);
            };
            let built = #krate::Client::builder()
                .base_url(&base_url)
                .timeout(::std::time::Duration::from_secs(20))
                .retry(runtime::RetryPolicy::disabled())
                #credentials
                #( #client_params )*
                .build();
            let client = match built {
                ::std::result::Result::Ok(client) => client,
                ::std::result::Result::Err(error) => {
                    eprintln!("cannot build the client: {error}");
                    ::std::process::exit(2);
                }
            };
            // After a mock that stopped answering was restarted: go on after the call it stalled on.
            let resume_after = ::std::env::var("CONFORM_RESUME_AFTER").ok();
            let mut started = resume_after.is_none();
            #( if go(&mut started, resume_after.as_deref(), #ids) { calls::#names(&client).await; } )*
        }

        #support
    }
}

/// Dummy credentials for every scheme the API declares (a mock accepts any).
fn credentials(schemes: &[SecurityScheme]) -> TokenStream {
    let bearer = schemes.contains(&SecurityScheme::Bearer).then(|| quote! { .bearer_token("conform-token") });
    let basic = schemes.contains(&SecurityScheme::Basic).then(|| quote! { .basic_auth("conform", "conform") });
    let api_key = schemes
        .iter()
        .any(|s| {
            matches!(
                s,
                SecurityScheme::ApiKeyHeader(_) | SecurityScheme::ApiKeyQuery(_) | SecurityScheme::ApiKeyCookie(_)
            )
        })
        .then(|| quote! { .api_key("conform-key") });
    quote! { #bearer #basic #api_key }
}

/// A client-level parameter's value as text, from the first operation declaring it.
fn client_param_value(synth: &Synth<'_>, doc: &Value, api: &Api, wire: &str) -> String {
    let schema = api
        .operations
        .iter()
        .find_map(|op| op.params.iter().find(|p| p.wire_name == wire).and_then(|p| param_schema(synth, doc, op, p)));
    match schema.map(|s| synth.value(s)) {
        Some(Value::String(text)) => text,
        Some(other) => other.to_string(),
        None => "conform".into(),
    }
}

/// Another operation of the same method whose path differs from `op`'s only
/// in its template names (`/a/{id}` and `/a/{number}`): a server routes both
/// URLs to whichever it declares first.
/// `shapes` are the operations' route shapes, in order.
fn same_route<'a>(api: &'a Api, shapes: &[String], op: &Operation) -> Option<&'a str> {
    let shape = crate::model::route_shape(&op.path);
    api.operations
        .iter()
        .zip(shapes)
        .find(|(other, other_shape)| {
            other.http_method == op.http_method && other.path != op.path && **other_shape == shape
        })
        .map(|(other, _)| other.path.as_str())
}

/// The JSON examples of `op`'s responses by status key (`200`, `4XX`,
/// `default`): what a static mock sends back.
fn response_examples(synth: &Synth<'_>, doc: &Value, op: &Operation) -> Vec<(String, String)> {
    let Some(responses) = doc.pointer(&op.pointer).and_then(|o| o.get("responses")).and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut examples = Vec::new();
    for (status, response) in responses {
        let Some(content) = synth.resolve(response).and_then(|r| r.get("content")).and_then(Value::as_object) else {
            continue;
        };
        let Some(media) = content.iter().find(|(media_type, _)| crate::model::is_json(media_type)).map(|(_, m)| m)
        else {
            continue;
        };
        let example = media.get("example").filter(|v| !v.is_null()).or_else(|| {
            let first = media.get("examples").and_then(Value::as_object)?.values().next()?;
            synth.resolve(first)?.get("value")
        });
        if let Some(example) = example {
            examples.push((status.clone(), example.to_string()));
        }
    }
    examples
}

/// The JSON texts to try for one argument: from the spec's examples first,
/// then from the schema alone when that differs.
fn candidates(ty: &TypeRef, schema: Option<&Value>, synth: &Synth<'_>, plain: &Synth<'_>) -> TokenStream {
    let Some(schema) = schema else { return quote! { &["null"] } };
    let first = fit(ty, synth.value(schema)).to_string();
    let second = fit(ty, plain.value(schema)).to_string();
    if first == second {
        quote! { &[#first] }
    } else {
        quote! { &[#first, #second] }
    }
}

/// ```text
/// /// `GET /pets/{id}`
/// pub async fn get_pet(client: &krate::Client) {
///     const OP: &str = "getPet";
///     const FACTS: super::Facts = super::Facts { same_route_as: None, examples: &[("200", "{\"name\":\"Rex\"}")] };
///     let Some(a_id) = super::arg::<String>(OP, "id", &["\"conform\""]) else { return };
///     let mut request = client.get_pet(a_id);
///     if let Some(value) = super::optional_arg::<i64>(OP, "limit", &["5", "1"]) { request = request.limit(value); }
///     super::report(OP, &FACTS, request.send_with_response().await);
/// }
/// ```
fn operation_call(
    synth: &Synth<'_>,
    plain: &Synth<'_>,
    doc: &Value,
    op: &Operation,
    same_route_as: Option<&str>,
) -> TokenStream {
    let name = ident(&op.method_name);
    let op_id = &op.operation_id;
    let doc_line = format!(" `{} {}`", op.http_method, op.path);
    let mut lets = Vec::new();
    let mut args = Vec::new();
    let mut setters = Vec::new();
    for param in op.params.iter().filter(|p| !p.client_default) {
        let text = candidates(&param.ty, param_schema(synth, doc, op, param), synth, plain);
        let wire = &param.wire_name;
        let ty = rust_type(&param.ty, Scope::Operations, Position::InJson);
        let var = format_ident!("a_{}", param.rust_name);
        if param.required {
            lets.push(
                quote! { let ::std::option::Option::Some(#var) = super::arg::<#ty>(OP, #wire, #text) else { return }; },
            );
            args.push(quote! { #var });
        } else {
            let setter = ident(&crate::naming::setter_name(&param.rust_name));
            setters.push(quote! {
                if let ::std::option::Option::Some(value) = super::optional_arg::<#ty>(OP, #wire, #text) {
                    request = request.#setter(value);
                }
            });
        }
    }
    if let Some(body) = &op.body {
        match &body.encoding {
            BodyEncoding::Multipart(_) if body.required => {
                return quote! {
                    #[doc = #doc_line]
                    pub async fn #name(_client: &super::Client) {
                        super::line(#op_id, "skipped", "multipart/form-data request bodies are not synthesized");
                    }
                };
            }
            BodyEncoding::Multipart(_) => {}
            BodyEncoding::Bytes(_) => {
                // Valid base64 too, for `format: byte` binary bodies.
                let upload = quote! { crate::runtime::Upload::bytes(&b"Y29uZm9ybQ=="[..]) };
                if body.required {
                    args.push(upload);
                } else {
                    setters.push(quote! { request = request.body(#upload); });
                }
            }
            _ => {
                let text = candidates(&body.ty, body_schema(synth, doc, op, &body.media_type), synth, plain);
                let ty = rust_type(&body.ty, Scope::Operations, Position::Body);
                if body.required {
                    lets.push(quote! { let ::std::option::Option::Some(a_body) = super::arg::<#ty>(OP, "body", #text) else { return }; });
                    args.push(quote! { a_body });
                } else {
                    setters.push(quote! {
                        if let ::std::option::Option::Some(value) = super::optional_arg::<#ty>(OP, "body", #text) {
                            request = request.body(value);
                        }
                    });
                }
            }
        }
    }
    let same_route_as = match same_route_as {
        Some(path) => quote! { ::std::option::Option::Some(#path) },
        None => quote! { ::std::option::Option::None },
    };
    let examples = response_examples(synth, doc, op).into_iter().map(|(status, json)| quote! { (#status, #json) });
    quote! {
        #[doc = #doc_line]
        pub async fn #name(client: &super::Client) {
            const OP: &str = #op_id;
            const FACTS: super::Facts = super::Facts { same_route_as: #same_route_as, examples: &[#( #examples ),*] };
            #( #lets )*
            let mut request = client.#name(#( #args ),*);
            #( #setters )*
            super::report(OP, &FACTS, request.send_with_response().await);
        }
    }
}

/// Text parameters and bodies whose schema is not a string (a `text/plain`
/// body described as an object) take the value's JSON text.
fn fit(ty: &TypeRef, value: Value) -> Value {
    match (ty, &value) {
        (TypeRef::String, Value::String(_)) | (_, Value::Null) => value,
        (TypeRef::String, other) => Value::String(other.to_string()),
        _ => value,
    }
}

/// The schema of `param` in the document: operation-level parameters first,
/// then the path item's; `content` parameters use their first media type.
fn param_schema<'a>(synth: &Synth<'a>, doc: &'a Value, op: &Operation, param: &Param) -> Option<&'a Value> {
    let location = match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    let operation = doc.pointer(&op.pointer)?;
    let path_item = doc.pointer(op.pointer.rsplit_once('/')?.0);
    let lists = [operation.get("parameters"), path_item.and_then(|item| item.get("parameters"))];
    for list in lists.into_iter().flatten().filter_map(Value::as_array) {
        for candidate in list {
            let Some(candidate) = synth.resolve(candidate) else { continue };
            let same_name = candidate.get("name").and_then(Value::as_str).is_some_and(|n| {
                if param.location == ParamLocation::Header {
                    n.eq_ignore_ascii_case(&param.wire_name)
                } else {
                    n == param.wire_name
                }
            });
            if !same_name || candidate.get("in").and_then(Value::as_str) != Some(location) {
                continue;
            }
            if let Some(schema) = candidate.get("schema") {
                return Some(schema);
            }
            let content = candidate.get("content").and_then(Value::as_object)?;
            return content.values().next().and_then(|media| media.get("schema"));
        }
    }
    None
}

fn body_schema<'a>(synth: &Synth<'a>, doc: &'a Value, op: &Operation, media_type: &str) -> Option<&'a Value> {
    let body = synth.resolve(doc.pointer(&op.pointer)?.get("requestBody")?)?;
    let content = body.get("content").and_then(Value::as_object)?;
    let media = content.get(media_type).or_else(|| content.values().next())?;
    media.get("schema")
}

/// The driver's helpers: argument parsing, outcome classification, output.
///
/// A response decoded into a union's `Other` or an enum's `Unknown` is found
/// in its `Debug` text (outside string literals), with the path of struct
/// fields leading to it.
// Long: one `quote!` of the driver's helper functions, read as the code it emits.
fn support() -> TokenStream {
    {
        quote! {
            /// What the driver knows of one operation besides its types.
            pub struct Facts {
                /// Another path of the same method and shape (`/a/{id}` beside
                /// `/a/{number}`), which a server cannot tell from this one.
                pub same_route_as: ::std::option::Option<&'static str>,
                /// The spec's JSON example per response status key: what a
                /// static mock sends.
                pub examples: &'static [(&'static str, &'static str)],
            }

            /// The first of `candidates` (JSON texts: from the spec's examples,
            /// then from the schema alone) that the Rust type holds. A later one
            /// taken is noted: the spec's example contradicts its schema.
            fn first_fit<T: ::serde::de::DeserializeOwned>(
                op: &str,
                name: &str,
                candidates: &[&str],
            ) -> ::std::result::Result<T, ::std::string::String> {
                let mut first_error = ::std::option::Option::None;
                for (index, json) in candidates.iter().enumerate() {
                    match ::serde_json::from_str(json) {
                        ::std::result::Result::Ok(value) => {
                            if let ::std::option::Option::Some(error) = first_error {
                                line(op, "note", &format!("the spec's example for `{name}` does not fit its type ({error}); sent a value built from the schema"));
                            }
                            return ::std::result::Result::Ok(value);
                        }
                        ::std::result::Result::Err(error) if index == 0 => {
                            first_error = ::std::option::Option::Some(format!("{error}; value {json}"));
                        }
                        ::std::result::Result::Err(_) => {}
                    }
                }
                ::std::result::Result::Err(first_error.unwrap_or_default())
            }

            /// A required argument; prints `unbuildable` when the operation's Rust
            /// type cannot hold any synthesized value.
            fn arg<T: ::serde::de::DeserializeOwned>(op: &str, name: &str, candidates: &[&str]) -> ::std::option::Option<T> {
                match first_fit(op, name, candidates) {
                    ::std::result::Result::Ok(value) => ::std::option::Option::Some(value),
                    ::std::result::Result::Err(error) => {
                        line(op, "unbuildable", &format!("argument `{name}`: {error}"));
                        ::std::option::Option::None
                    }
                }
            }

            /// An optional argument: left unset (with a note) when it cannot be built.
            fn optional_arg<T: ::serde::de::DeserializeOwned>(op: &str, name: &str, candidates: &[&str]) -> ::std::option::Option<T> {
                match first_fit(op, name, candidates) {
                    ::std::result::Result::Ok(value) => ::std::option::Option::Some(value),
                    ::std::result::Result::Err(error) => {
                        line(op, "note", &format!("optional `{name}` left unset: {error}"));
                        ::std::option::Option::None
                    }
                }
            }

            /// Whether the calls go to a static mock (`CONFORM_MODE` is not
            /// `dynamic`), which answers with the spec's examples.
            fn static_mock() -> bool {
                ::std::env::var("CONFORM_MODE").map_or(true, |mode| mode != "dynamic")
            }

            /// The spec's example for `status`: the exact code, then its range
            /// (`4XX`), then `default`.
            fn example_for(facts: &Facts, status: u16) -> ::std::option::Option<::serde_json::Value> {
                let code = status.to_string();
                let range = format!("{}XX", status / 100);
                [code.as_str(), range.as_str(), "default"].iter().find_map(|key| {
                    let (_, json) = facts.examples.iter().find(|(status, _)| status.eq_ignore_ascii_case(key))?;
                    ::serde_json::from_str(json).ok()
                })
            }

            /// Whether a decoder path (`Items[0].Name`, `.` for the root) names a
            /// value inside `value`.
            fn path_exists(value: &::serde_json::Value, path: &str) -> bool {
                if path == "." || path.is_empty() {
                    return true;
                }
                let mut node = value;
                for segment in path.split('.') {
                    let (key, indices) = segment.split_once('[').map_or((segment, ""), |(key, rest)| (key, rest));
                    if !key.is_empty() {
                        match node.get(key) {
                            ::std::option::Option::Some(next) => node = next,
                            ::std::option::Option::None => return false,
                        }
                    }
                    for index in indices.split('[').filter(|i| !i.is_empty()) {
                        let index: ::std::option::Option<usize> = index.trim_end_matches(']').parse().ok();
                        match index.and_then(|i| node.get(i)) {
                            ::std::option::Option::Some(next) => node = next,
                            ::std::option::Option::None => return false,
                        }
                    }
                }
                true
            }

            /// Where a rejection's first violation is (`path`, `query`, `body`…),
            /// from Prism's `sl-violations` text or its 422 problem body.
            fn violation_location(text: &str) -> ::std::string::String {
                first_violation_entry(text)
                    .and_then(|first| first.pointer("/location/0").and_then(|l| l.as_str()).map(str::to_owned))
                    .unwrap_or_default()
            }

            /// The first entry of Prism's violations: of the `sl-violations`
            /// header's array, or of a 422 problem body's `validation`.
            fn first_violation_entry(text: &str) -> ::std::option::Option<::serde_json::Value> {
                let parsed: ::serde_json::Value = ::serde_json::from_str(text).ok()?;
                let list = parsed.get("validation").unwrap_or(&parsed);
                list.as_array()?.first().cloned()
            }

            /// `rejected`, or `ambiguous` when the violation is in the path of an
            /// operation whose URL another path also matches.
            fn rejection(facts: &Facts, violations: &str) -> (&'static str, ::std::string::String) {
                match facts.same_route_as {
                    ::std::option::Option::Some(other) if violation_location(violations) == "path" => {
                        ("ambiguous", format!("the mock routed it as `{other}`, a path of the same shape: "))
                    }
                    _ => ("rejected", ::std::string::String::new()),
                }
            }

            /// Whether to make the call `op`: every call, or those after `resume_after`.
            fn go(started: &mut bool, resume_after: ::std::option::Option<&str>, op: &str) -> bool {
                if !*started && resume_after == ::std::option::Option::Some(op) {
                    *started = true;
                    return false;
                }
                *started
            }

            /// Prints one outcome line.
            fn line(op: &str, kind: &str, detail: &str) {
                let detail: ::std::string::String =
                    detail.chars().map(|c| if c == '\t' || c == '\n' || c == '\r' { ' ' } else { c }).take(400).collect();
                println!("conform\t{op}\t{kind}\t{detail}");
            }

            /// The first entry of Prism's `sl-violations` header: `location: message`.
            fn first_violation(value: &::reqwest::header::HeaderValue) -> ::std::string::String {
                let text = ::std::string::String::from_utf8_lossy(value.as_bytes()).into_owned();
                match first_violation_entry(&text) {
                    ::std::option::Option::Some(first) => {
                        let location: ::std::vec::Vec<::std::string::String> = first
                            .get("location")
                            .and_then(|l| l.as_array())
                            .map(|l| l.iter().map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned)).collect())
                            .unwrap_or_default();
                        let message = first.get("message").and_then(|m| m.as_str()).unwrap_or_default();
                        format!("{}: {message}", location.join("."))
                    }
                    ::std::option::Option::None => text,
                }
            }

            /// Consecutive calls that got no answer at all.
            static FAILURES: ::std::sync::atomic::AtomicUsize = ::std::sync::atomic::AtomicUsize::new(0);

            /// Classifies a call's result and prints it.
            fn report<T: ::std::fmt::Debug, E: runtime::OperationError>(
                op: &str,
                facts: &Facts,
                result: ::std::result::Result<runtime::Response<T>, runtime::Error<E>>,
            ) {
                let no_answer = |error: &runtime::Error<E>| {
                    matches!(error.kind(), runtime::ErrorKind::Timeout { .. } | runtime::ErrorKind::Transport(_))
                };
                if !result.as_ref().err().is_some_and(no_answer) {
                    FAILURES.store(0, ::std::sync::atomic::Ordering::Relaxed);
                }
                match result {
                    ::std::result::Result::Ok(response) => {
                        let debug = format!("{:?}", response.body);
                        if let ::std::option::Option::Some(path) = fallback_path(&debug) {
                            line(op, "fallback", &format!("{}: {path}", response.status.as_u16()));
                        } else {
                            line(op, "ok", response.status.as_str());
                        }
                    }
                    ::std::result::Result::Err(error) => match error.kind() {
                    runtime::ErrorKind::Api(api) => {
                        if let ::std::option::Option::Some(value) = api.headers.get("sl-violations") {
                            let first = first_violation(value);
                            // Prism flags its own response when the spec's example or schema is inconsistent.
                            let (kind, why) = if first.starts_with("response") {
                                ("mock", ::std::string::String::new())
                            } else {
                                rejection(facts, &::std::string::String::from_utf8_lossy(value.as_bytes()))
                            };
                            line(op, kind, &format!("{why}{}: {first}", api.status.as_u16()));
                        } else if api.status.as_u16() == 422 {
                            let (kind, why) = rejection(facts, &api.snippet());
                            line(op, kind, &format!("{why}422: {}", api.snippet()));
                        } else {
                            // Prism failing inside (a schema it cannot fake, or too complex to) answers
                            // 500 with its own problem type.
                            let prism_failed = api.status.as_u16() == 500 && api.snippet().contains("stoplight.io/prism/errors#");
                            let kind = if prism_failed { "mock" } else { "status" };
                            line(op, kind, &format!("{}: {}", api.status.as_u16(), api.snippet()));
                        }
                    }
                    runtime::ErrorKind::Decode(decode) => {
                        let path = decode.path.to_string();
                        // A static mock sends the spec's example: one that does not fit
                        // the schema where decoding failed is the spec's inconsistency.
                        let spec_example = static_mock()
                            && example_for(facts, decode.status.as_u16()).is_some_and(|example| path_exists(&example, &path));
                        let (kind, why) = if spec_example { ("example", "the spec's example does not fit its schema: ") } else { ("decode", "") };
                        line(op, kind, &format!("{why}{} at `{path}`: {}", decode.status.as_u16(), decode.source));
                    }
                    _ => {
                        let mut text = error.to_string();
                        let mut source = ::std::error::Error::source(&error);
                        while let ::std::option::Option::Some(cause) = source {
                            text.push_str(": ");
                            text.push_str(&cause.to_string());
                            source = cause.source();
                        }
                        // Printed before a stop, so the xtask knows the call it stopped on.
                        line(op, "error", &text);
                        if no_answer(&error) {
                            // A server that stopped answering (a mock out of memory) fails every
                            // later call the same way: stop, and say so.
                            let failures = FAILURES.fetch_add(1, ::std::sync::atomic::Ordering::Relaxed) + 1;
                            // A mock making up random responses that does not answer one call
                            // is stuck on it (a large recursive schema): stop at once.
                            let limit = if static_mock() { 3 } else { 1 };
                            if failures >= limit {
                                eprintln!("the server stopped answering: {error}");
                                ::std::process::exit(3);
                            }
                        }
                    }
                    },
                }
            }

            /// Where `Other(` or `Unknown(` first appears in `Debug` text outside
            /// string literals, as the struct fields leading there
            /// (`Booking.status`), or `None`.
            fn fallback_path(debug: &str) -> ::std::option::Option<::std::string::String> {
                let bytes = debug.as_bytes();
                let mut frames: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
                let mut word = ::std::string::String::new();
                let mut last = ::std::string::String::new();
                let mut in_string = false;
                let mut escaped = false;
                for &byte in bytes {
                    let c = byte as char;
                    if in_string {
                        match c {
                            _ if escaped => escaped = false,
                            '\\' => escaped = true,
                            '"' => in_string = false,
                            _ => {}
                        }
                        continue;
                    }
                    if c.is_ascii_alphanumeric() || c == '_' {
                        word.push(c);
                        continue;
                    }
                    if !word.is_empty() {
                        last = ::std::mem::take(&mut word);
                    }
                    match c {
                        ' ' => continue,
                        '"' => in_string = true,
                        '(' if last == "Other" || last == "Unknown" => {
                            frames.push(last);
                            let path: ::std::vec::Vec<&str> = frames
                                .iter()
                                .filter(|f| !matches!(f.as_str(), "Some" | "Ok" | "("))
                                .map(|f| f.as_str())
                                .collect();
                            return ::std::option::Option::Some(path.join(".").replace(':', "."));
                        }
                        '{' | '(' | '[' => frames.push(if last.is_empty() { c.to_string() } else { last.clone() }),
                        '}' | ')' | ']' => {
                            frames.pop();
                        }
                        ':' if !last.is_empty() => {
                            if let ::std::option::Option::Some(top) = frames.last_mut() {
                                let owner = top.split_once(':').map_or(top.as_str(), |(o, _)| o).to_owned();
                                *top = format!("{owner}:{last}");
                            }
                        }
                        _ => {}
                    }
                    last.clear();
                }
                ::std::option::Option::None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// The driver of a standalone crate `t` for `spec`.
    fn driver_of(spec: &str) -> String {
        let options = crate::Options {
            layout: crate::Layout::Standalone { crate_name: "t".into(), runtime: crate::RuntimeSource::Vendored },
            preamble: String::new(),
            mock: false,
        };
        crate::conform_driver_str(spec, "t.yaml", &options).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_driver_knows_examples_shadowed_paths_and_a_schema_fallback() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets/{id}:\n    get:\n      operationId: getPet\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {age: {type: integer}}}, example: {age: '3'}}}}\n  /pets/{name}:\n    get:\n      operationId: getPetByName\n      parameters:\n        - {name: name, in: path, required: true, schema: {type: string, minLength: 2, example: 7}}\n      responses: {'204': {description: none}}\n";
        let text = driver_of(spec);
        let flat: String = text.split_whitespace().collect();
        for expected in [
            // The example `age: '3'` is what a static mock sends for 200.
            r#"examples:&[("200","{\"age\":\"3\"}")]"#,
            // Each path shadows the other.
            r#"same_route_as:::std::option::Option::Some("/pets/{name}")"#,
            r#"same_route_as:::std::option::Option::Some("/pets/{id}")"#,
            // The example 7 of a string is sent as its JSON text "7"; the schema alone gives "conform".
            r#"super::arg::<::std::string::String,>(OP,"name",&["\"7\"","\"conform\""])"#,
        ] {
            assert!(flat.contains(expected), "{expected} not in\n{text}");
        }
    }

    #[test]
    fn the_driver_calls_every_operation() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets/{id}:\n    get:\n      operationId: getPet\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer, minimum: 3}}\n        - {name: kind, in: query, schema: {type: string, enum: [cat, dog]}}\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}}\n    put:\n      operationId: putPet\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n      requestBody:\n        required: true\n        content: {application/json: {schema: {type: object, required: [name], properties: {name: {type: string, pattern: '^[a-z]{3}$'}}}}}\n      responses: {'204': {description: done}}\n";
        let text = driver_of(spec);
        // prettyplease breaks long calls: compare without whitespace.
        let flat: String = text.split_whitespace().collect();
        for expected in [
            "calls::get_pet(&client).await;",
            "calls::put_pet(&client).await;",
            r#"super::arg::<i64>(OP,"id",&["3"])"#,
            r#"super::optional_arg::<super::types::GetPetKind,>(OP,"kind",&["\"cat\""])"#,
            r#"super::arg::<super::types::PutPetBody,>(OP,"body",&["{\"name\":\"aaa\"}"])"#,
        ] {
            assert!(flat.contains(expected), "{expected} not in\n{text}");
        }
    }
}
