//! [`Secret`]: a credential whose `Debug` output is redacted.

use std::fmt;
use std::sync::Arc;

/// A credential (bearer token, basic-auth password, API key, …).
///
/// Its `Debug` output is `Secret([redacted])`, and it deliberately has no
/// `Display`: the value can only be read through [`Secret::expose`], which
/// makes every place that handles the raw value easy to find.
#[derive(Clone)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Arc::from(value.into()))
    }

    /// The raw credential. Never log or format the returned value.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}
