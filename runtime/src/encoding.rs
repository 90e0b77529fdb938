//! Percent-encoding of path parameters, the text of parameter values without
//! a `Display`, and the base64 encoder shared by `Authorization: Basic` and
//! [`Base64`](super::Base64).

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Every byte except the RFC 3986 unreserved characters
/// (`ALPHA / DIGIT / "-" / "." / "_" / "~"`).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes `value` as exactly one path segment.
///
/// Everything but RFC 3986 unreserved characters is encoded, so `/`, `?`,
/// `#`, `%`, spaces and non-ASCII text stay inside the segment. A value of
/// exactly `.` or `..` becomes `%2E` / `%2E%2E`.
///
/// Note: URL parsers that follow the WHATWG URL standard (including the
/// `url` crate used by `reqwest`) still treat `%2E` and `%2E%2E` as dot
/// segments and remove them. [`Core::execute`](super::Core::execute)
/// therefore checks that the final URL keeps the path it was given and
/// rejects the request with [`ErrorKind::InvalidRequest`](super::ErrorKind::InvalidRequest)
/// otherwise: such a value can never redirect a call to another resource.
pub fn path_segment(value: &str) -> String {
    match value {
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        _ => utf8_percent_encode(value, PATH_SEGMENT).to_string(),
    }
}

/// The text of a parameter value whose type has no `Display` of its own (a
/// `oneOf` of scalars, an object, base64 bytes): its JSON form, with a string
/// unquoted, so `Integer(7)` and `String("7")` both become `7`.
pub fn param_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        // Only a map with non-string keys fails, which no spec can declare.
        Err(_) => String::new(),
    }
}

/// Standard base64 with padding (RFC 4648 §4), for `Authorization: Basic`.
pub(crate) fn base64(input: &[u8]) -> String {
    use ::base64::Engine as _;
    ::base64::engine::general_purpose::STANDARD.encode(input)
}

#[cfg(test)]
mod tests {
    use super::{base64, param_text, path_segment};

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
            ("Aladdin:open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
        ];
        for (input, expected) in vectors {
            assert_eq!(base64(input.as_bytes()), expected);
        }
    }

    #[test]
    fn param_text_unquotes_strings_only() {
        assert_eq!(param_text(&serde_json::json!("a b")), "a b");
        assert_eq!(param_text(&7), "7");
        assert_eq!(param_text(&serde_json::json!({"a": [1]})), r#"{"a":[1]}"#);
    }

    #[test]
    fn encodes_reserved_and_non_ascii() {
        assert_eq!(path_segment("a/b?c#d%e f"), "a%2Fb%3Fc%23d%25e%20f");
        assert_eq!(path_segment("é"), "%C3%A9");
        assert_eq!(path_segment("A-z_0.9~"), "A-z_0.9~");
        assert_eq!(path_segment("."), "%2E");
        assert_eq!(path_segment(".."), "%2E%2E");
        assert_eq!(path_segment("..."), "...");
        assert_eq!(path_segment(""), "");
    }
}
