//! Client-side checks called by generated `validate()` code. Each returns
//! [`ErrorKind::InvalidRequest`](super::ErrorKind::InvalidRequest) naming the field and the rule it violates.

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

/// `value` is one of `allowed`.
pub fn one_of_values(field: &str, value: &str, allowed: &[&str]) -> Result<(), Error> {
    check(allowed.contains(&value), field, || {
        let list: Vec<String> = allowed.iter().map(|v| format!("`{v}`")).collect();
        format!("enum (one of {})", list.join(", "))
    })
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
    use super::*;
    use crate::ErrorKind;

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
    fn enums_and_display() {
        assert!(one_of_values("kind", "a", &["a", "b"]).is_ok());
        let err = one_of_values("kind", "c", &["a", "b"]).err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("invalid request: field `kind` violates enum (one of `a`, `b`)")
        );
    }
}
