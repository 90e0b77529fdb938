//! The hand-written runtime every generated client calls: configuration
//! ([`ClientBuilder`], [`Core`]), per-call options ([`CallOptions`]),
//! responses and decoding, the [`Error`] type, retries ([`RetryPolicy`]),
//! credentials ([`Secret`]), path encoding, pagination streams,
//! client-side validation, and the wire formats beyond JSON: uploads
//! ([`Upload`], [`Multipart`]), streamed downloads ([`ByteStream`]) and
//! server-sent events ([`EventStream`]), and the values generated models
//! hold ([`UnknownValue`], [`MissingField`]).
//!
//! The user-facing items are re-exported here, with [`reqwest`] and a
//! [`prelude`]; what only generated code calls lives in the hidden
//! `__private` module. The submodules are private, but for `mock` (feature
//! `mock`): the engine of the generated test doubles.

mod base64;
mod client;
mod encoding;
mod error;
mod hook;
mod link;
#[cfg(feature = "mock")]
pub mod mock;
mod multipart;
mod pagination;
mod params;
mod request;
mod response;
mod retry;
mod secret;
mod sse;
mod stream;
mod token;
mod transport;
mod upload;
mod validation;
mod values;

// The user-facing API: what appears in generated clients' signatures and
// what users configure, match on or consume.
pub use self::base64::{Base64, InvalidBase64};
pub use client::{
    ClientBuilder, Core, SecurityScheme, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BODY, DEFAULT_TIMEOUT,
    DEFAULT_USER_AGENT,
};
pub use error::{
    ApiError, Call, DecodeError, Erased, Error, ErrorBody, ErrorKind, OperationError, API_ERROR_BODY_LIMIT,
    DEBUG_LIMIT, SNIPPET_LIMIT,
};
pub use hook::{Attempt, Hook};
pub use multipart::Multipart;
pub use request::CallOptions;
pub use response::{RawResponse, Response};
pub use retry::{is_retryable_status, RetryPolicy};
pub use secret::Secret;
pub use sse::{Event, EventStream};
pub use stream::ByteStream;
pub use token::{token_fn, OAuth2, Token, TokenFuture, TokenSource};
pub use upload::Upload;
pub use values::{MissingField, UnknownValue};

/// The HTTP client the runtime is built on, re-exported so that users name
/// its types (`StatusCode`, `HeaderMap`, `reqwest::Client` for
/// [`ClientBuilder::http_client`]) without a dependency of their own.
pub use ::reqwest;

/// What a user of a generated client usually needs in scope: the error and
/// response types, status and header types, and the stream extension traits
/// that collect page, item, byte and event streams
/// (`client.list_things().items().try_collect().await`).
pub mod prelude {
    pub use super::{ByteStream, CallOptions, Error, ErrorKind, EventStream, Response, RetryPolicy, Upload};
    pub use futures::{Stream, StreamExt, TryStreamExt};
    pub use reqwest::header::HeaderMap;
    pub use reqwest::StatusCode;
}

/// Items only generated code calls: request assembly, body decoding, page
/// streams, validation checks. Not part of the runtime's API: they change
/// whenever the generator does.
#[doc(hidden)]
pub mod __private {
    pub use super::client::FromCore;
    pub use super::encoding::{param_text, path_segment};
    pub use super::error::{api_error, error_body};
    pub use super::link::next_link;
    pub use super::pagination::{
        cursor_from_last_item, items, link_pages, offset_pages, page_number_pages, token_pages,
    };
    pub use super::params::{cookie_param, header_param, path_param, query_param, ParamStyle};
    pub use super::request::{Body, Request};
    pub use super::response::{decode_bytes, decode_json, decode_text, is_json_content_type};
    pub use super::sse::SseParser;
    pub use super::validation::{max_items, max_length, maximum, min_items, min_length, minimum, pattern, Pattern};
    pub use super::values::unknown_value;
}

#[cfg(all(test, feature = "tracing"))]
mod tests_tracing;
