//! Typed async clients for the Apono API and the IBM API Connect consumer API.
//!
//! Each API lives in its own module behind a cargo feature of the same name
//! (`apono`, `api-connect`). Everything under those modules is generated from
//! `spec/` by `cargo xtask codegen`; [`runtime`] is the small hand-written
//! layer they call (HTTP execution, auth, retries, errors, pagination).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod runtime;

#[cfg(feature = "apono")]
pub mod apono;

#[cfg(feature = "api-connect")]
pub mod api_connect;

pub use runtime::{Error, Response};

/// The README's examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
