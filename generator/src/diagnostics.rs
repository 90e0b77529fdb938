//! Errors and warnings, each located in the spec: file, JSON pointer, operation.

use std::fmt;

/// Where in a spec something happened.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The spec file as the user named it.
    pub file: String,
    /// A JSON pointer into the document (`/paths/~1pets/get`), empty for the root.
    pub pointer: String,
    /// The operation being generated, when there is one.
    pub operation: Option<String>,
    /// A 1-based line and column, for syntax errors.
    pub line_column: Option<(usize, usize)>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, column)) = self.line_column {
            write!(f, ":{line}:{column}")?;
        }
        if !self.pointer.is_empty() {
            write!(f, " at #{}", self.pointer)?;
        }
        if let Some(operation) = &self.operation {
            write!(f, " (operation `{operation}`)")?;
        }
        Ok(())
    }
}

/// A spec the generator cannot turn into a client.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read.
    #[error("cannot read {file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The file is not valid YAML or JSON.
    #[error("{location}: syntax error: {message}")]
    Syntax {
        /// Where.
        location: Location,
        /// What the parser said.
        message: String,
    },
    /// The document is well-formed but not a valid or supported OpenAPI document.
    #[error("{location}: {message}")]
    Invalid {
        /// Where.
        location: Location,
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// An [`Error::Invalid`] at `location`.
    pub fn invalid(location: Location, message: impl Into<String>) -> Self {
        Error::Invalid { location, message: message.into() }
    }

    /// Where the error happened, when known.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Io { .. } => None,
            Error::Syntax { location, .. } | Error::Invalid { location, .. } => Some(location),
        }
    }
}

/// Something the generator handled by degrading (a loosely typed value, a skipped
/// construct) rather than failing the whole spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where.
    pub location: Location,
    /// What was degraded and how.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}: {}", self.location, self.message)
    }
}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Collects warnings while a spec is processed.
#[derive(Debug, Default)]
pub struct Diagnostics {
    file: String,
    warnings: Vec<Warning>,
}

impl Diagnostics {
    /// Diagnostics for `file`.
    pub fn new(file: impl Into<String>) -> Self {
        Diagnostics { file: file.into(), warnings: Vec::new() }
    }

    /// The spec file's label.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// A location in this file.
    pub fn at(&self, pointer: &str, operation: Option<&str>) -> Location {
        Location {
            file: self.file.clone(),
            pointer: pointer.to_string(),
            operation: operation.map(str::to_string),
            line_column: None,
        }
    }

    /// Records a warning.
    pub fn warn(&mut self, pointer: &str, operation: Option<&str>, message: impl Into<String>) {
        let location = self.at(pointer, operation);
        self.warnings.push(Warning { location, message: message.into() });
    }

    /// An error located in this file.
    pub fn error(&self, pointer: &str, operation: Option<&str>, message: impl Into<String>) -> Error {
        Error::invalid(self.at(pointer, operation), message)
    }

    /// The warnings so far, in the order they were found.
    pub fn into_warnings(self) -> Vec<Warning> {
        self.warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_names_file_pointer_and_operation() {
        let location = Location {
            file: "spec/pets.yaml".into(),
            pointer: "/paths/~1pets/get".into(),
            operation: Some("listPets".into()),
            line_column: None,
        };
        assert_eq!(location.to_string(), "spec/pets.yaml at #/paths/~1pets/get (operation `listPets`)");
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(escape_pointer_token("/pets/{id}"), "~1pets~1{id}");
        assert_eq!(escape_pointer_token("a~b"), "a~0b");
    }
}
