//! `format: byte` values: base64 text on the wire, bytes in Rust.

use std::fmt;

/// Bytes carried as standard base64 text (`format: byte`).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Base64(pub Vec<u8>);

impl Base64 {
    /// The decoded bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Standard base64 text with padding.
    pub fn encode(&self) -> String {
        super::encoding::base64(&self.0)
    }

    /// Decodes standard or URL-safe base64, with or without padding; whitespace is ignored.
    pub fn decode(text: &str) -> Result<Self, InvalidBase64> {
        let mut out = Vec::with_capacity(text.len() / 4 * 3);
        let mut buffer = 0u32;
        let mut bits = 0;
        for c in text.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
            let value = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' | b'-' => 62,
                b'/' | b'_' => 63,
                _ => return Err(InvalidBase64),
            };
            buffer = (buffer << 6) | u32::from(value);
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((buffer >> bits) as u8);
                buffer &= (1 << bits) - 1;
            }
        }
        // A single leftover character (6 bits) cannot encode a byte.
        if bits >= 6 {
            return Err(InvalidBase64);
        }
        Ok(Base64(out))
    }
}

/// Text that is not base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidBase64;

impl fmt::Display for InvalidBase64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid base64 text")
    }
}

impl std::error::Error for InvalidBase64 {}

impl fmt::Debug for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Base64(bytes)
    }
}

impl serde::Serialize for Base64 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> serde::Deserialize<'de> for Base64 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Base64::decode(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for text in ["", "f", "fo", "foo", "foob", "fooba", "foobar"] {
            let encoded = Base64(text.as_bytes().to_vec()).encode();
            assert_eq!(Base64::decode(&encoded).unwrap().0, text.as_bytes());
        }
        assert_eq!(Base64(b"foobar".to_vec()).encode(), "Zm9vYmFy");
        assert_eq!(Base64(b"fo".to_vec()).encode(), "Zm8=");
        assert!(Base64::decode("a*b").is_err());
        assert!(Base64::decode("Zm9vY").is_err(), "dangling character");
        assert_eq!(Base64::decode("Zm9v\r\nYmE").map(|b| b.0), Ok(b"fooba".to_vec()));
        assert_eq!(Base64::decode("-_8").map(|b| b.0), Ok(vec![0xfb, 0xff]));
        assert_eq!(format!("{:?}", Base64(vec![0; 5])), "Base64(5 bytes)");
    }
}
