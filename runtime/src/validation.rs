//! Client-side checks called by generated `validate()` code. Each returns
//! [`ErrorKind::InvalidRequest`](super::ErrorKind::InvalidRequest) naming the field and the rule it violates.

use std::sync::OnceLock;

use super::error::Error;

/// `value` has at most `max` characters (Unicode scalar values, as JSON
/// Schema counts them).
pub fn max_length(field: &str, value: &str, max: usize) -> Result<(), Error> {
    check(value.chars().count() <= max, field, || format!("maxLength {max}"))
}

/// `value` has at least `min` characters.
pub fn min_length(field: &str, value: &str, min: usize) -> Result<(), Error> {
    check(value.chars().count() >= min, field, || format!("minLength {min}"))
}

/// `value >= min` (`value > min` when `exclusive`). NaN never passes.
pub fn minimum(field: &str, value: f64, min: f64, exclusive: bool) -> Result<(), Error> {
    if exclusive {
        check(value > min, field, || format!("exclusiveMinimum {min}"))
    } else {
        check(value >= min, field, || format!("minimum {min}"))
    }
}

/// `value <= max` (`value < max` when `exclusive`). NaN never passes.
pub fn maximum(field: &str, value: f64, max: f64, exclusive: bool) -> Result<(), Error> {
    if exclusive {
        check(value < max, field, || format!("exclusiveMaximum {max}"))
    } else {
        check(value <= max, field, || format!("maximum {max}"))
    }
}

/// A list has at most `max` items.
pub fn max_items(field: &str, len: usize, max: usize) -> Result<(), Error> {
    check(len <= max, field, || format!("maxItems {max}"))
}

/// A list has at least `min` items.
pub fn min_items(field: &str, len: usize, min: usize) -> Result<(), Error> {
    check(len >= min, field, || format!("minItems {min}"))
}

/// A `pattern` of the spec, compiled on first use and kept for the life of
/// the program. Generated code declares one `static` per pattern.
///
/// Patterns are matched with `regex-lite`, as JSON Schema asks: unanchored
/// (a match anywhere in the value), so `^…$` in the spec anchors it. The
/// generator compiles every pattern with the same engine and leaves out, with
/// a warning, those it does not support (ECMA-262 lookaround and
/// backreferences); `\d`, `\w` and `\s` are ASCII-only classes here where
/// ECMA-262's `\s` also matches Unicode spaces.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<regex_lite::Regex>>,
}

impl Pattern {
    /// A pattern, not compiled until its first check.
    pub const fn new(source: &'static str) -> Self {
        Self { source, compiled: OnceLock::new() }
    }

    /// Whether `value` matches. A pattern that does not compile (which the
    /// generator rules out) accepts everything: the server stays the judge.
    fn is_match(&self, value: &str) -> bool {
        self.compiled
            .get_or_init(|| regex_lite::Regex::new(self.source).ok())
            .as_ref()
            .is_none_or(|regex| regex.is_match(value))
    }
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// `value` matches the spec's `pattern`.
pub fn pattern(field: &str, value: &str, pattern: &Pattern) -> Result<(), Error> {
    check(pattern.is_match(value), field, || format!("pattern `{}`", pattern.source))
}

fn check(ok: bool, field: &str, rule: impl FnOnce() -> String) -> Result<(), Error> {
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_request(field, rule()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::error::ErrorKind;
    use super::*;

    fn rule(result: Result<(), Error>) -> Option<String> {
        match result {
            Err(err) => match err.into_kind() {
                ErrorKind::InvalidRequest { rule, .. } => Some(rule),
                _ => None,
            },
            _ => None,
        }
    }

    #[test]
    fn lengths_count_characters() {
        assert!(max_length("name", "éé", 2).is_ok());
        assert_eq!(rule(max_length("name", "ééé", 2)).as_deref(), Some("maxLength 2"));
        assert!(min_length("name", "", 0).is_ok());
        assert_eq!(rule(min_length("name", "a", 2)).as_deref(), Some("minLength 2"));
    }

    #[test]
    fn bounds() {
        assert!(minimum("n", 1.0, 1.0, false).is_ok());
        assert_eq!(rule(minimum("n", 1.0, 1.0, true)).as_deref(), Some("exclusiveMinimum 1"));
        assert!(maximum("n", 1.0, 1.0, false).is_ok());
        assert_eq!(rule(maximum("n", 2.5, 2.0, false)).as_deref(), Some("maximum 2"));
        assert!(minimum("n", f64::NAN, 0.0, false).is_err());
        assert!(maximum("n", f64::NAN, 0.0, true).is_err());
        assert!(max_items("l", 3, 3).is_ok());
        assert!(max_items("l", 4, 3).is_err());
        assert!(min_items("l", 0, 1).is_err());
    }

    #[test]
    fn patterns_match_anywhere_unless_anchored() {
        static SLUG: Pattern = Pattern::new("^[a-z0-9-]+$");
        static DIGIT: Pattern = Pattern::new("[0-9]");
        assert!(pattern("slug", "my-app-2", &SLUG).is_ok());
        assert_eq!(rule(pattern("slug", "My App", &SLUG)).as_deref(), Some("pattern `^[a-z0-9-]+$`"));
        assert!(pattern("code", "ab1cd", &DIGIT).is_ok());
        assert!(pattern("code", "abcd", &DIGIT).is_err());
    }

    #[test]
    fn an_uncompilable_pattern_accepts() {
        static LOOKAHEAD: Pattern = Pattern::new("^(?=a)a$");
        assert!(pattern("x", "b", &LOOKAHEAD).is_ok());
    }

    #[test]
    fn display_names_field_and_rule_not_value() {
        static SLUG: Pattern = Pattern::new("^[a-z]+$");
        let err = pattern("name", "s3cr3t value", &SLUG).err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("invalid request: field `name` violates pattern `^[a-z]+$`")
        );
    }
}
