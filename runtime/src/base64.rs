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
    /// Padding is accepted only at the end.
    pub fn decode(text: &str) -> Result<Self, InvalidBase64> {
        use ::base64::alphabet;
        use ::base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
        use ::base64::Engine as _;
        const CONFIG: GeneralPurposeConfig =
            GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
        const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, CONFIG);
        const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, CONFIG);
        let compact: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
        let engine = if compact.iter().any(|c| matches!(c, b'-' | b'_')) { &URL_SAFE } else { &STANDARD };
        engine.decode(&compact).map(Base64).map_err(|_| InvalidBase64)
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
        assert_eq!(Base64::decode("Zm8=").map(|b| b.0), Ok(b"fo".to_vec()));
        assert!(Base64::decode("Zm=8").is_err(), "padding in the middle");
        assert!(Base64::decode("=Zm8").is_err(), "padding first");
        assert_eq!(format!("{:?}", Base64(vec![0; 5])), "Base64(5 bytes)");
    }
}
