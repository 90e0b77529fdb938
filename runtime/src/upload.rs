//! [`Upload`]: the data of a binary request body or of a multipart file part:
//! bytes in memory, a file read as it is sent, or a caller's stream.
//!
//! Files and streams are never read into memory as a whole: they are sent
//! in chunks as the connection takes them.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use bytes::{Bytes, BytesMut};
use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};
use tokio::io::AsyncReadExt;

use super::error::Error;

/// How many bytes of a file are read at a time.
const FILE_CHUNK: usize = 64 * 1024;

/// A stream of body chunks as the transport consumes it.
pub(crate) type Chunks = BoxStream<'static, io::Result<Bytes>>;

/// The data of an upload: a binary request body (`application/octet-stream`,
/// `image/*`, …) or a file part of a `multipart/form-data` form.
///
/// ```text
/// let in_memory = Upload::bytes(vec![1, 2, 3]).file_name("a.bin");
/// let from_disk = Upload::path("photos/cat.png").content_type("image/png");
/// let streamed = Upload::stream(futures::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from("chunk"))]));
/// ```
///
/// Bytes and files can be sent again (a retry reopens the file); a stream is
/// sent once, so a call with a stream upload is never retried, and sending a
/// clone of an already sent stream upload fails with [`ErrorKind::Encode`](super::ErrorKind::Encode). The
/// call's per-attempt timeout covers sending the whole upload: raise it
/// ([`CallOptions::timeout`](super::CallOptions::timeout)) for large files.
#[derive(Clone)]
pub struct Upload {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    File(PathBuf),
    /// The caller's stream, shared by clones (a request builder is `Clone`)
    /// and taken by the first attempt that sends it.
    Stream {
        length: Option<u64>,
        stream: Arc<Mutex<Option<Chunks>>>,
    },
}

impl Upload {
    /// Bytes in memory.
    pub fn bytes(data: impl Into<Bytes>) -> Upload {
        Upload::from_source(Source::Bytes(data.into()))
    }

    /// A file, opened (with tokio) and read in chunks when the request is
    /// sent, and reopened for a retry. Its file name defaults to the path's
    /// last component. A file that cannot be opened fails the call with
    /// [`ErrorKind::Encode`](super::ErrorKind::Encode).
    pub fn path(path: impl Into<PathBuf>) -> Upload {
        let path = path.into();
        let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned());
        Upload { file_name, ..Upload::from_source(Source::File(path)) }
    }

    /// A stream of chunks, sent as it yields them (chunked transfer encoding
    /// unless [`with_length`](Self::with_length) announces the length). An
    /// error from the stream aborts the request.
    pub fn stream<S, E>(stream: S) -> Upload
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        let chunks: Chunks = stream.map_err(io::Error::other).boxed();
        Upload::from_source(Source::Stream { length: None, stream: Arc::new(Mutex::new(Some(chunks))) })
    }

    /// The exact length of a stream upload, sent as `Content-Length` (some
    /// servers refuse chunked uploads); the stream must yield exactly that
    /// many bytes. Bytes and files have a known length already: ignored.
    pub fn with_length(mut self, length: u64) -> Upload {
        if let Source::Stream { length: known, .. } = &mut self.source {
            *known = Some(length);
        }
        self
    }

    /// The file name a multipart part announces (`filename="…"`).
    pub fn file_name(mut self, name: impl Into<String>) -> Upload {
        self.file_name = Some(name.into());
        self
    }

    /// The content type to send instead of the one the API documents.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Upload {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file name set by [`file_name`](Self::file_name) or taken from the path.
    pub fn get_file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content type set by [`content_type`](Self::content_type).
    pub fn get_content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The bytes, when the upload is in memory.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.source {
            Source::Bytes(bytes) => Some(bytes),
            _ => None,
        }
    }

    fn from_source(source: Source) -> Upload {
        Upload { source, file_name: None, content_type: None }
    }

    /// Whether the upload can be sent again (for a retry).
    pub(crate) fn is_replayable(&self) -> bool {
        !matches!(self.source, Source::Stream { .. })
    }

    /// Opens the data for one attempt: its chunks and, when known, its length.
    pub(crate) async fn open(&self) -> Result<(Chunks, Option<u64>), Error> {
        match &self.source {
            Source::Bytes(bytes) => {
                let length = u64::try_from(bytes.len()).ok();
                let chunk = (!bytes.is_empty()).then(|| Ok(bytes.clone()));
                Ok((stream::iter(chunk).boxed(), length))
            }
            Source::File(path) => {
                let file = tokio::fs::File::open(path).await.map_err(encode_error)?;
                let length = file.metadata().await.map_err(encode_error)?.len();
                // Never send more than announced, should the file grow meanwhile.
                Ok((read_chunks(file.take(length)), Some(length)))
            }
            Source::Stream { length, stream } => {
                // A poisoned lock only means another attempt panicked while
                // taking the stream: it is gone either way.
                let taken = stream.lock().ok().and_then(|mut slot| slot.take());
                match taken {
                    Some(chunks) => Ok((chunks, *length)),
                    None => Err(encode_error(io::Error::other("a stream upload can be sent only once"))),
                }
            }
        }
    }
}

fn encode_error(err: io::Error) -> Error {
    Error::encode(Box::new(err))
}

/// Reads `reader` in chunks of at most [`FILE_CHUNK`] bytes.
fn read_chunks<R>(reader: R) -> Chunks
where
    R: tokio::io::AsyncRead + Unpin + Send + 'static,
{
    stream::try_unfold(reader, |mut reader| async move {
        let mut buffer = BytesMut::with_capacity(FILE_CHUNK);
        let read = reader.read_buf(&mut buffer).await?;
        Ok((read > 0).then(|| (buffer.freeze(), reader)))
    })
    .boxed()
}

impl From<Bytes> for Upload {
    fn from(data: Bytes) -> Upload {
        Upload::bytes(data)
    }
}

impl From<Vec<u8>> for Upload {
    fn from(data: Vec<u8>) -> Upload {
        Upload::bytes(data)
    }
}

impl From<&'static [u8]> for Upload {
    fn from(data: &'static [u8]) -> Upload {
        Upload::bytes(data)
    }
}

impl From<String> for Upload {
    fn from(data: String) -> Upload {
        Upload::bytes(data)
    }
}

impl From<&'static str> for Upload {
    fn from(data: &'static str) -> Upload {
        Upload::bytes(data)
    }
}

impl fmt::Debug for Upload {
    /// The kind and size, never the data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Upload");
        match &self.source {
            Source::Bytes(bytes) => debug.field("bytes", &bytes.len()),
            Source::File(path) => debug.field("path", path),
            Source::Stream { length, .. } => debug.field("stream_length", length),
        };
        debug.field("file_name", &self.file_name).field("content_type", &self.content_type).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn collect(upload: &Upload) -> Result<(Vec<u8>, Option<u64>), Error> {
        let (chunks, length) = upload.open().await?;
        let parts: Vec<Bytes> = chunks.try_collect().await.map_err(|e| Error::encode(Box::new(e)))?;
        Ok((parts.concat(), length))
    }

    #[tokio::test]
    async fn bytes_files_and_streams_yield_their_data() {
        let (data, length) = collect(&Upload::bytes("abc")).await.expect("bytes");
        assert_eq!((data.as_slice(), length), (&b"abc"[..], Some(3)));

        let dir = std::env::temp_dir().join(format!("upload-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("data.bin");
        let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &content).expect("write");
        let file = Upload::path(&path);
        assert_eq!(file.get_file_name(), Some("data.bin"));
        // Twice: a retry reopens the file.
        for _ in 0..2 {
            let (data, length) = collect(&file).await.expect("file");
            assert_eq!(length, Some(200_000));
            assert!(data == content);
        }
        let _ = std::fs::remove_dir_all(&dir);

        let streamed =
            Upload::stream(stream::iter([Ok::<_, io::Error>(Bytes::from("a")), Ok(Bytes::from("b"))])).with_length(2);
        assert!(!streamed.is_replayable());
        let clone = streamed.clone();
        let (data, length) = collect(&streamed).await.expect("stream");
        assert_eq!((data.as_slice(), length), (&b"ab"[..], Some(2)));
        assert!(
            matches!(collect(&clone).await, Err(err) if matches!(err.kind(), super::super::error::ErrorKind::Encode(_)))
        );
    }

    #[tokio::test]
    async fn a_missing_file_is_an_encode_error() {
        let upload = Upload::path("/definitely/not/here.bin");
        assert!(
            matches!(upload.open().await, Err(err) if matches!(err.kind(), super::super::error::ErrorKind::Encode(_)))
        );
    }
}
