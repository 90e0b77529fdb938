//! Builder methods for streamed responses, beside `send()`: `send_streaming()`
//! when the success body is binary (a download read chunk by chunk), and
//! `send_events()` when it is a `text/event-stream` (typed server-sent events).

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_type::{rust_type, Position, Scope};
use crate::model::{is_event_stream, Operation, ResponseKind, TypeRef};

/// `send_streaming` and `send_events`, as the operation's responses call for.
///
/// `request` builds `request: crate::runtime::__private::Request` from `self` (as in
/// `send_with_response`); `error_result` turns `raw: RawResponse` of a
/// non-success status into the operation's `Err`.
pub fn streaming_methods(
    op: &Operation,
    request: &TokenStream,
    error_result: &TokenStream,
    error_ty: &proc_macro2::Ident,
) -> TokenStream {
    let is_success = super::operations::success_check(op, quote! { stream.status() });
    let mut methods = Vec::new();
    if is_binary_download(op) {
        methods.push(send_streaming(request, &is_success, error_result, error_ty));
    }
    if let Some(data) = op.responses.success.iter().find_map(|case| case.events.as_ref()) {
        // `send_with_response` asks for the first documented media type; when
        // that is not the event stream (JSON beside it), ask for the stream.
        let accepts_events =
            op.responses.success.iter().find_map(|case| case.media_type.as_deref()).is_some_and(is_event_stream);
        let accept =
            (!accepts_events).then(|| quote! { request.accept = ::std::option::Option::Some("text/event-stream"); });
        methods.push(send_events(data, request, accept, &is_success, error_result, error_ty));
    }
    quote! { #( #methods )* }
}

/// Every success case with a body is binary (and there is one).
fn is_binary_download(op: &Operation) -> bool {
    let cases = &op.responses.success;
    cases.iter().any(|case| case.kind == ResponseKind::Bytes)
        && cases.iter().all(|case| matches!(case.kind, ResponseKind::Bytes | ResponseKind::Empty))
}

/// ```text
/// pub async fn send_streaming(self) -> Result<crate::runtime::ByteStream, crate::runtime::Error<GetFileError>>
/// ```
fn send_streaming(
    request: &TokenStream,
    is_success: &TokenStream,
    error_result: &TokenStream,
    error_ty: &proc_macro2::Ident,
) -> TokenStream {
    quote! {
        /// Sends the request and returns the success body as a stream of
        /// chunks, read as it is polled: never held in memory whole and not
        /// subject to the client's response-size limit. The call's timeout
        /// bounds the wait for the headers and then for each chunk.
        pub async fn send_streaming(self) -> ::std::result::Result<crate::runtime::ByteStream, crate::runtime::Error<#error_ty>> {
            #request
            let stream = self.client.core.execute_streaming(request).await?;
            if #is_success {
                return ::std::result::Result::Ok(stream);
            }
            let raw = stream.into_raw().await?;
            #error_result
        }
    }
}

/// ```text
/// pub async fn send_events(self) -> Result<crate::runtime::EventStream<Tick>, crate::runtime::Error<WatchError>>
/// ```
fn send_events(
    data: &TypeRef,
    request: &TokenStream,
    accept: Option<TokenStream>,
    is_success: &TokenStream,
    error_result: &TokenStream,
    error_ty: &proc_macro2::Ident,
) -> TokenStream {
    let (ty, constructor) = match data {
        TypeRef::String => (quote! { ::std::string::String }, quote! { text }),
        other => (rust_type(other, Scope::Operations, Position::InJson), quote! { json }),
    };
    quote! {
        /// Sends the request and returns the `text/event-stream` response as
        /// a stream of events, in order, as they arrive; it ends when the
        /// server closes the connection (no reconnection). The call's
        /// timeout bounds the wait for the headers and then for each chunk.
        pub async fn send_events(self) -> ::std::result::Result<crate::runtime::EventStream<#ty>, crate::runtime::Error<#error_ty>> {
            #request
            #accept
            let stream = self.client.core.execute_streaming(request).await?;
            if #is_success {
                return ::std::result::Result::Ok(crate::runtime::EventStream::#constructor(stream));
            }
            let raw = stream.into_raw().await?;
            #error_result
        }
    }
}
