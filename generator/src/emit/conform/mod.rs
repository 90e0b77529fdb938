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
    let krate = format_ident!("{}", crate_name.replace('-', "_"));
    let calls: Vec<TokenStream> = api.operations.iter().map(|op| operation_call(&synth, doc, op)).collect();
    let names: Vec<proc_macro2::Ident> = api.operations.iter().map(|op| ident(&op.method_name)).collect();
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
            #( calls::#names(&client).await; )*
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

/// ```text
/// /// `GET /pets/{id}`
/// pub async fn get_pet(client: &krate::Client) {
///     const OP: &str = "getPet";
///     let Some(a_id) = super::arg::<String>(OP, "id", "\"conform\"") else { return };
///     let mut request = client.get_pet(a_id);
///     if let Some(value) = super::optional_arg::<i64>(OP, "limit", "1") { request = request.limit(value); }
///     super::report(OP, request.send_with_response().await);
/// }
/// ```
fn operation_call(synth: &Synth<'_>, doc: &Value, op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let op_id = &op.operation_id;
    let doc_line = format!(" `{} {}`", op.http_method, op.path);
    let mut lets = Vec::new();
    let mut args = Vec::new();
    let mut setters = Vec::new();
    for param in op.params.iter().filter(|p| !p.client_default) {
        let json = param_schema(synth, doc, op, param).map(|s| fit(&param.ty, synth.value(s))).unwrap_or(Value::Null);
        let text = json.to_string();
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
                let json = body_schema(synth, doc, op, &body.media_type)
                    .map(|s| fit(&body.ty, synth.value(s)))
                    .unwrap_or(Value::Null);
                let text = json.to_string();
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
    quote! {
        #[doc = #doc_line]
        pub async fn #name(client: &super::Client) {
            const OP: &str = #op_id;
            #( #lets )*
            let mut request = client.#name(#( #args ),*);
            #( #setters )*
            super::report(OP, request.send_with_response().await);
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
fn support() -> TokenStream {
    {
        quote! {
            /// A required argument from its JSON text; prints `unbuildable` when the
            /// operation's Rust type cannot hold the synthesized value.
            fn arg<T: ::serde::de::DeserializeOwned>(op: &str, name: &str, json: &str) -> ::std::option::Option<T> {
                match ::serde_json::from_str(json) {
                    ::std::result::Result::Ok(value) => ::std::option::Option::Some(value),
                    ::std::result::Result::Err(error) => {
                        line(op, "unbuildable", &format!("argument `{name}`: {error}; value {json}"));
                        ::std::option::Option::None
                    }
                }
            }

            /// An optional argument: left unset (with a note) when it cannot be built.
            fn optional_arg<T: ::serde::de::DeserializeOwned>(op: &str, name: &str, json: &str) -> ::std::option::Option<T> {
                match ::serde_json::from_str(json) {
                    ::std::result::Result::Ok(value) => ::std::option::Option::Some(value),
                    ::std::result::Result::Err(error) => {
                        line(op, "note", &format!("optional `{name}` left unset: {error}; value {json}"));
                        ::std::option::Option::None
                    }
                }
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
                let parsed: ::std::option::Option<::serde_json::Value> = ::serde_json::from_str(&text).ok();
                let first = parsed.as_ref().and_then(|v| v.as_array()).and_then(|v| v.first());
                match first {
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
                            let kind = if first.starts_with("response") { "mock" } else { "rejected" };
                            line(op, kind, &format!("{}: {first}", api.status.as_u16()));
                        } else if api.status.as_u16() == 422 {
                            line(op, "rejected", &format!("422: {}", api.snippet()));
                        } else {
                            line(op, "status", &format!("{}: {}", api.status.as_u16(), api.snippet()));
                        }
                    }
                    runtime::ErrorKind::Decode(decode) => {
                        line(op, "decode", &format!("{} at `{}`: {}", decode.status.as_u16(), decode.path, decode.source));
                    }
                    _ => {
                        if no_answer(&error) {
                            // A server that stopped answering (a mock out of memory) fails every
                            // later call the same way: stop, and say so.
                            let failures = FAILURES.fetch_add(1, ::std::sync::atomic::Ordering::Relaxed) + 1;
                            if failures >= 3 {
                                eprintln!("the server stopped answering: {error}");
                                ::std::process::exit(3);
                            }
                        }
                        let mut text = error.to_string();
                        let mut source = ::std::error::Error::source(&error);
                        while let ::std::option::Option::Some(cause) = source {
                            text.push_str(": ");
                            text.push_str(&cause.to_string());
                            source = cause.source();
                        }
                        line(op, "error", &text);
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
    #[test]
    fn the_driver_calls_every_operation() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets/{id}:\n    get:\n      operationId: getPet\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer, minimum: 3}}\n        - {name: kind, in: query, schema: {type: string, enum: [cat, dog]}}\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}}\n    put:\n      operationId: putPet\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n      requestBody:\n        required: true\n        content: {application/json: {schema: {type: object, required: [name], properties: {name: {type: string, pattern: '^[a-z]{3}$'}}}}}\n      responses: {'204': {description: done}}\n";
        let options = crate::Options {
            layout: crate::Layout::Standalone { crate_name: "t".into(), runtime: crate::RuntimeSource::Vendored },
            preamble: String::new(),
            mock: false,
        };
        let text = crate::conform_driver_str(spec, "t.yaml", &options).unwrap_or_else(|e| panic!("{e}"));
        // prettyplease breaks long calls: compare without whitespace.
        let flat: String = text.split_whitespace().collect();
        for expected in [
            "calls::get_pet(&client).await;",
            "calls::put_pet(&client).await;",
            r#"super::arg::<i64>(OP,"id","3")"#,
            r#"super::optional_arg::<super::types::GetPetKind,>(OP,"kind","\"cat\"")"#,
            r#"super::arg::<super::types::PutPetBody,>(OP,"body","{\"name\":\"aaa\"}")"#,
        ] {
            assert!(flat.contains(expected), "{expected} not in\n{text}");
        }
    }
}
