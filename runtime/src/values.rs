//! Value types generated models hold: [`UnknownValue`], the payload of an
//! open enum's `Unknown` variant, and [`MissingField`], what a struct
//! builder's `build()` reports.

use std::fmt;

/// A value of an open enum that this client does not know: the payload of
/// every generated enum's `Unknown` variant.
///
/// Only decoding a response (or the enum's `From<&str>`/`FromStr`, which map
/// every known value to its own variant first) creates one, so
/// `Status::Unknown(..)` never holds a value that has a variant of its own
/// and compares unequal to every known variant. There is no public
/// constructor; read the value with [`as_str`](Self::as_str) or `Display`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// The value as the server sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// For generated code only (through `__private`): the caller has already
/// checked that `value` is none of the enum's known values.
pub fn unknown_value(value: &str) -> UnknownValue {
    UnknownValue(value.to_owned())
}

/// A struct builder's `build()` found a required field unset: the first one,
/// in the API's field order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MissingField {
    type_name: &'static str,
    field: &'static str,
}

impl MissingField {
    /// The error for the unset required `field` of `type_name` (builders
    /// create it; tests of code that handles it may too).
    pub const fn new(type_name: &'static str, field: &'static str) -> Self {
        MissingField { type_name, field }
    }

    /// The Rust name of the unset field (`account_id`).
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// The struct being built (`CreateAccessRequest`).
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }
}

impl fmt::Display for MissingField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` needs the required field `{}`", self.type_name, self.field)
    }
}

impl std::error::Error for MissingField {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_value_reads_back() {
        let value = unknown_value("ON_HOLD");
        assert_eq!(value.as_str(), "ON_HOLD");
        assert_eq!(value.to_string(), "ON_HOLD");
        assert_eq!(format!("{value:?}"), "\"ON_HOLD\"");
        assert_eq!(value, unknown_value("ON_HOLD"));
        assert_ne!(value, unknown_value("on_hold"));
    }

    #[test]
    fn missing_field_names_the_field() {
        let error = MissingField::new("CreateAccessRequest", "account_id");
        assert_eq!(error.field(), "account_id");
        assert_eq!(error.type_name(), "CreateAccessRequest");
        assert_eq!(error.to_string(), "`CreateAccessRequest` needs the required field `account_id`");
        let boxed: Box<dyn std::error::Error> = Box::new(error);
        assert!(boxed.source().is_none());
    }
}
