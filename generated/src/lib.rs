//! Typed async clients for the Apono API and the IBM API Connect consumer API.
//!
//! Each API lives in its own module behind a cargo feature of the same name
//! (`apono`, `api-connect`, both default). Each tag module of an API has a
//! feature too (`apono-integrations`, `api-connect-applications`, …; see
//! `Cargo.toml`), so a build can compile only the operations it calls and the
//! types they need; `apono-client` is the API's client alone. Everything
//! under those modules is generated from `spec/` by `cargo xtask codegen`;
//! [`runtime`] (crate `oapi-runtime`) is the small hand-written layer they call (HTTP execution,
//! auth, retries, errors, pagination).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// The hand-written runtime (crate `oapi-runtime`), under the path generated
/// code and users name it by: `api_clients::runtime::Upload`.
pub use oapi_runtime as runtime;

// BEGIN generated modules: written by `cargo xtask codegen` from xtask/src/apis.rs, do not edit by hand.
// Apono API, from spec/apono.yaml.
#[cfg(feature = "apono-client")]
#[rustfmt::skip]
pub mod apono;

// IBM API Connect Consumer API, from spec/api-connect.yaml.
#[cfg(feature = "api-connect-client")]
#[rustfmt::skip]
pub mod api_connect;

// END generated modules.

pub use runtime::{Error, Response};

/// The README's examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
