//! [`Multipart`]: a `multipart/form-data` body (RFC 7578), encoded here as a
//! stream of chunks so that file parts are never held in memory whole.
//!
//! ```text
//! --BOUNDARY\r\n
//! Content-Disposition: form-data; name="file"; filename="cat.png"\r\n
//! Content-Type: image/png\r\n
//! \r\n
//! <data>\r\n
//! --BOUNDARY--\r\n
//! ```

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use futures::stream::{self, StreamExt};
use serde::Serialize;

use super::error::Error;
use super::upload::{Chunks, Upload};

/// A `multipart/form-data` form: text, JSON and file parts in order. A name
/// may repeat (an array is sent as one part per element).
///
/// ```text
/// let form = Multipart::new()
///     .text("title", "holiday")
///     .file("photo", Upload::path("cat.png"), "image/png");
/// ```
#[derive(Clone)]
pub struct Multipart {
    boundary: String,
    /// `multipart/form-data; boundary=…`, kept so `Body::content_type` can lend it.
    content_type: String,
    parts: Vec<Part>,
}

#[derive(Clone)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: PartData,
}

#[derive(Clone)]
enum PartData {
    Text(Bytes),
    Upload(Upload),
}

impl Default for Multipart {
    fn default() -> Self {
        Multipart::new()
    }
}

impl Multipart {
    /// An empty form with a fresh random boundary.
    pub fn new() -> Multipart {
        let boundary = random_boundary();
        Multipart { content_type: format!("multipart/form-data; boundary={boundary}"), boundary, parts: Vec::new() }
    }

    /// A text part (no `Content-Type`, which means `text/plain`).
    pub fn text(self, name: impl Into<String>, value: impl Into<String>) -> Multipart {
        self.push(name.into(), None, None, PartData::Text(Bytes::from(value.into())))
    }

    /// A text part with the content type the API's `encoding` object names.
    pub fn text_with_type(self, name: impl Into<String>, value: impl Into<String>, content_type: &str) -> Multipart {
        let data = PartData::Text(Bytes::from(value.into()));
        self.push(name.into(), None, Some(content_type.to_owned()), data)
    }

    /// A part holding `value` serialized as JSON (objects in a form), sent
    /// with `content_type` (normally `application/json`).
    pub fn json<T: Serialize + ?Sized>(
        self,
        name: impl Into<String>,
        value: &T,
        content_type: &str,
    ) -> Result<Multipart, Error> {
        let data = serde_json::to_vec(value).map_err(|err| Error::encode(Box::new(err)))?;
        let data = PartData::Text(Bytes::from(data));
        Ok(self.push(name.into(), None, Some(content_type.to_owned()), data))
    }

    /// A file part. Its content type is the upload's own, else
    /// `default_content_type` (from the API: the part's `encoding`, else
    /// `application/octet-stream`); its file name is the upload's, else the
    /// part name (servers commonly tell files from fields by `filename`).
    pub fn file(self, name: impl Into<String>, upload: Upload, default_content_type: &str) -> Multipart {
        let name = name.into();
        let file_name = upload.get_file_name().unwrap_or(&name).to_owned();
        let content_type = upload.get_content_type().unwrap_or(default_content_type).to_owned();
        self.push(name, Some(file_name), Some(content_type), PartData::Upload(upload))
    }

    /// The `Content-Type` header value: `multipart/form-data; boundary=…`.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The boundary between parts.
    pub fn boundary(&self) -> &str {
        &self.boundary
    }

    fn push(
        mut self,
        name: String,
        file_name: Option<String>,
        content_type: Option<String>,
        data: PartData,
    ) -> Multipart {
        self.parts.push(Part { name, file_name, content_type, data });
        self
    }

    /// Whether every part can be sent again (no stream upload).
    pub(crate) fn is_replayable(&self) -> bool {
        self.parts.iter().all(|part| match &part.data {
            PartData::Text(_) => true,
            PartData::Upload(upload) => upload.is_replayable(),
        })
    }

    /// Opens every part for one attempt: the encoded chunks and, when every
    /// part's length is known, the total length (for `Content-Length`).
    pub(crate) async fn open(&self) -> Result<(Chunks, Option<u64>), Error> {
        let mut segments: Vec<Chunks> = Vec::with_capacity(self.parts.len() * 3 + 1);
        let mut total: Option<u64> = Some(0);
        for part in &self.parts {
            push_known(&mut segments, &mut total, Bytes::from(self.part_header(part)));
            match &part.data {
                PartData::Text(bytes) => push_known(&mut segments, &mut total, bytes.clone()),
                PartData::Upload(upload) => {
                    let (chunks, length) = upload.open().await?;
                    total = total.zip(length).and_then(|(t, l)| t.checked_add(l));
                    segments.push(chunks);
                }
            }
            push_known(&mut segments, &mut total, Bytes::from_static(b"\r\n"));
        }
        let closing = Bytes::from(format!("--{}--\r\n", self.boundary));
        push_known(&mut segments, &mut total, closing);
        Ok((stream::iter(segments).flatten().boxed(), total))
    }

    fn part_header(&self, part: &Part) -> String {
        let mut header =
            format!("--{}\r\nContent-Disposition: form-data; name=\"{}\"", self.boundary, escape_quoted(&part.name));
        if let Some(file_name) = &part.file_name {
            header.push_str("; filename=\"");
            header.push_str(&escape_quoted(file_name));
            header.push('"');
        }
        header.push_str("\r\n");
        if let Some(content_type) = &part.content_type {
            header.push_str("Content-Type: ");
            // A line break would end the header early (and inject others).
            header.extend(content_type.chars().filter(|c| !c.is_control()));
            header.push_str("\r\n");
        }
        header.push_str("\r\n");
        header
    }
}

/// Appends a segment of known length, adding it to `total`.
fn push_known(segments: &mut Vec<Chunks>, total: &mut Option<u64>, bytes: Bytes) {
    let length = u64::try_from(bytes.len()).ok();
    *total = total.zip(length).and_then(|(t, l)| t.checked_add(l));
    segments.push(stream::iter([Ok(bytes)]).boxed());
}

/// A name or file name inside a quoted header parameter, escaped the way
/// browsers do (WHATWG HTML): `"` → `%22`, CR → `%0D`, LF → `%0A`.
fn escape_quoted(value: &str) -> String {
    value.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

/// 32 random hex digits: a boundary that no part can contain by chance.
/// `RandomState` is seeded from the OS once per process and advanced for
/// each instance; the counter and clock make every call distinct anyway.
fn random_boundary() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    let mut out = String::from("api-clients-");
    for salt in 0..2u64 {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(count);
        hasher.write_u128(nanos);
        hasher.write_u64(salt);
        out.push_str(&format!("{:016x}", hasher.finish()));
    }
    out
}

impl fmt::Debug for Multipart {
    /// Part names and kinds, never values (a form may carry credentials).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .parts
            .iter()
            .map(|part| match &part.data {
                PartData::Text(bytes) => format!("{} ({} bytes)", part.name, bytes.len()),
                PartData::Upload(upload) => format!("{} ({upload:?})", part.name),
            })
            .collect();
        f.debug_struct("Multipart").field("parts", &parts).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::TryStreamExt;

    async fn encode(form: &Multipart) -> (String, Option<u64>) {
        let (chunks, length) = form.open().await.expect("opens");
        let parts: Vec<Bytes> = chunks.try_collect().await.expect("reads");
        (String::from_utf8(parts.concat()).expect("utf-8"), length)
    }

    #[tokio::test]
    async fn parts_are_framed_escaped_and_counted() {
        let form = Multipart::new()
            .text("title", "a \"b\"")
            .text("tag", "x")
            .text("tag", "y")
            .text_with_type("note", "n", "text/markdown\r\nX-Evil: 1")
            .file("photo", Upload::bytes("PNG").file_name("c\"at.png"), "image/png");
        let form = form.json("meta", &serde_json::json!({"k": 1}), "application/json").expect("json");
        let (body, length) = encode(&form).await;
        let b = form.boundary();
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\na \"b\"\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"tag\"\r\n\r\nx\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"tag\"\r\n\r\ny\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"note\"\r\nContent-Type: text/markdownX-Evil: 1\r\n\r\nn\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"c%22at.png\"\r\nContent-Type: image/png\r\n\r\nPNG\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{{\"k\":1}}\r\n\
             --{b}--\r\n"
        );
        assert_eq!(body, expected);
        assert_eq!(length, u64::try_from(expected.len()).ok());
        assert!(form.is_replayable());
        assert_eq!(form.content_type(), format!("multipart/form-data; boundary={b}"));
    }

    #[tokio::test]
    async fn a_stream_part_has_no_length_and_is_not_replayable() {
        let stream = stream::iter([Ok::<_, std::io::Error>(Bytes::from("data"))]);
        let form = Multipart::new().file("f", Upload::stream(stream), "application/octet-stream");
        assert!(!form.is_replayable());
        let (body, length) = encode(&form).await;
        assert_eq!(length, None);
        assert!(body.contains("filename=\"f\"\r\nContent-Type: application/octet-stream\r\n\r\ndata\r\n"));
    }

    #[test]
    fn boundaries_differ() {
        assert_ne!(Multipart::new().boundary(), Multipart::new().boundary());
    }
}
