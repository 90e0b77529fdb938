//! The hand-written runtime every generated client calls: configuration
//! ([`ClientBuilder`], [`Core`]), requests ([`Request`], [`Body`]),
//! responses and decoding, the [`Error`] type, retries ([`RetryPolicy`]),
//! credentials ([`Secret`]), path encoding, pagination streams,
//! client-side validation, and the wire formats beyond JSON: uploads
//! ([`Upload`], [`Multipart`]), streamed downloads ([`ByteStream`]) and
//! server-sent events ([`EventStream`]).
//!
//! Everything is re-exported here; the submodules are private.

mod base64;
mod client;
mod encoding;
mod error;
mod link;
mod multipart;
mod pagination;
mod params;
mod request;
mod response;
mod retry;
mod secret;
mod sse;
mod stream;
mod transport;
mod upload;
mod validation;

pub use base64::{Base64, InvalidBase64};
pub use client::{
    ClientBuilder, Core, FromCore, SecurityScheme, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BODY, DEFAULT_TIMEOUT,
    DEFAULT_USER_AGENT,
};
pub use encoding::{param_text, path_segment};
pub use error::{api_error, ApiError, DecodeError, Error, ErrorBody, API_ERROR_BODY_LIMIT, SNIPPET_LIMIT};
pub use link::next_link;
pub use multipart::Multipart;
pub use pagination::{cursor_from_last_item, items, link_pages, offset_pages, token_pages};
pub use params::{cookie_param, header_param, path_param, query_param, ParamStyle};
pub use request::{Body, CallOptions, Request};
pub use response::{
    decode_bytes, decode_json, decode_text, is_json_content_type, typed_error_body, RawResponse, Response,
};
pub use retry::{is_retryable_status, RetryPolicy};
pub use secret::Secret;
pub use sse::{Event, EventStream, SseParser};
pub use stream::ByteStream;
pub use upload::Upload;
pub use validation::{max_items, max_length, maximum, min_items, min_length, minimum, one_of_values};

#[cfg(all(test, feature = "tracing"))]
mod tests_tracing;
