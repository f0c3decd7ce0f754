//! The one way `quire serve` answers with a file: the server's pages ([`super::serve`]) and the
//! catalog for devices ([`super::opds`]) both send their downloads through here, so a book has
//! the same type and name whichever route served it.
//!
//! A file already in the library's folder (a book, a cached output, a cover, a thumbnail) is
//! streamed from disk a chunk at a time: it holds no conversion slot and no more memory than a
//! chunk, however large it is. Only a download rendered on the spot ([`attachment`]) is sent
//! from memory.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use quire::OutputFormat;
use std::io::{Read, Seek};
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, ReadBuf};

/// The Content-Type a download in `format` is sent with. A KEPUB is `application/kepub+zip`,
/// the type OPDS catalogs (and Calibre's and Kobo's own servers) give it: an OPDS client tells
/// the KEPUB link from the EPUB one by it, and the catalog's link names the type the download
/// answers with. Kobo's browser and KOReader go by the `.kepub.epub` file name.
pub fn media_type(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Epub => "application/epub+zip",
        OutputFormat::Kepub => "application/kepub+zip",
        OutputFormat::Pdf => "application/pdf",
        OutputFormat::Markdown => "text/markdown; charset=utf-8",
        OutputFormat::Html => "text/html; charset=utf-8",
        OutputFormat::Text => "text/plain; charset=utf-8",
        OutputFormat::Json => "application/json",
        _ => "application/octet-stream",
    }
}

/// The headers of a file to save as `stem.suffix`.
fn attachment_headers(response: &mut Response, format: OutputFormat, stem: &str) {
    let name = format!("{stem}.{}", format.file_suffix());
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media_type(format)),
    );
    // Stems are slugs or library ids ([a-z0-9-]): the name needs no quoting rules.
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// A file rendered in memory, to save as `stem.suffix`.
pub fn attachment(bytes: Vec<u8>, format: OutputFormat, stem: &str) -> Response {
    let mut response = bytes.into_response();
    attachment_headers(&mut response, format, stem);
    response
}

/// A file of the library's folder, to save as `stem.suffix`, streamed from disk.
pub async fn file_attachment(
    path: &Path,
    format: OutputFormat,
    stem: &str,
) -> std::io::Result<Response> {
    let opened = OpenFile::open(path.to_path_buf(), 0).await?;
    let mut response = opened.response();
    attachment_headers(&mut response, format, stem);
    Ok(response)
}

/// An image of the library's folder (a saved image, a cover, a thumbnail), streamed from
/// disk, its Content-Type read from its first bytes.
pub async fn image(path: &Path) -> std::io::Result<Response> {
    let opened = OpenFile::open(path.to_path_buf(), 16).await?;
    let kind = quire::media::ImageKind::sniff(&opened.head)
        .map_or("application/octet-stream", |k| k.media_type());
    let mut response = opened.response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}

/// A file opened for sending: its length and first bytes known.
struct OpenFile {
    file: tokio::fs::File,
    length: u64,
    head: Vec<u8>,
}

impl OpenFile {
    /// Opens `path` on a blocking thread and reads its first `head` bytes (then rewinds).
    async fn open(path: std::path::PathBuf, head: usize) -> std::io::Result<OpenFile> {
        let (file, length, first) = tokio::task::spawn_blocking(move || {
            let mut file = std::fs::File::open(&path)?;
            let length = file.metadata()?.len();
            let mut first = Vec::with_capacity(head);
            (&mut file).take(head as u64).read_to_end(&mut first)?;
            file.rewind()?;
            Ok::<_, std::io::Error>((file, length, first))
        })
        .await
        .map_err(std::io::Error::other)??;
        Ok(OpenFile {
            file: tokio::fs::File::from_std(file),
            length,
            head: first,
        })
    }

    /// A 200 answer whose body is the file, with its Content-Length.
    fn response(self) -> Response {
        let length = self.length;
        let mut response = Body::new(FileBody {
            file: self.file,
            remaining: length,
            buffer: vec![0; CHUNK].into_boxed_slice(),
        })
        .into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        response
    }
}

/// The size of the chunks a file is sent in.
const CHUNK: usize = 64 * 1024;

/// A response body read from a file a chunk at a time, as the connection takes them. It
/// sends exactly the length the file had when opened: a file replaced meanwhile (outputs are
/// renamed into place, never rewritten) is still the opened one; one cut short is an error,
/// which ends the connection rather than send less than the Content-Length promised.
struct FileBody {
    file: tokio::fs::File,
    remaining: u64,
    buffer: Box<[u8]>,
}

impl http_body::Body for FileBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        let this = self.get_mut();
        if this.remaining == 0 {
            return Poll::Ready(None);
        }
        let wanted = usize::try_from(this.remaining)
            .unwrap_or(usize::MAX)
            .min(this.buffer.len());
        let mut buffer = ReadBuf::new(&mut this.buffer[..wanted]);
        match Pin::new(&mut this.file).poll_read(cx, &mut buffer) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
            Poll::Ready(Ok(())) if buffer.filled().is_empty() => {
                Poll::Ready(Some(Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the file became shorter while it was sent",
                ))))
            }
            Poll::Ready(Ok(())) => {
                let chunk = Bytes::copy_from_slice(buffer.filled());
                this.remaining -= chunk.len() as u64;
                Poll::Ready(Some(Ok(http_body::Frame::data(chunk))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.remaining)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body::Body as _;

    #[test]
    fn a_kepub_is_sent_as_a_kepub() {
        assert_eq!(media_type(OutputFormat::Kepub), "application/kepub+zip");
        assert_eq!(media_type(OutputFormat::Epub), "application/epub+zip");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn a_file_is_streamed_whole_with_its_length() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.epub");
        // Not a multiple of the chunk size: the last chunk is short.
        let content: Vec<u8> = (0..(3 * CHUNK + 123)).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &content).unwrap();
        let response = file_attachment(&path, OutputFormat::Epub, "book")
            .await
            .unwrap();
        assert_eq!(
            response.headers()[header::CONTENT_LENGTH],
            content.len().to_string().as_str()
        );
        assert_eq!(
            response.headers()[header::CONTENT_DISPOSITION],
            "attachment; filename=\"book.epub\""
        );
        let mut body = response.into_body();
        assert_eq!(body.size_hint().exact(), Some(content.len() as u64));
        let mut sent = Vec::new();
        let mut chunks = 0;
        while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
        {
            let data = frame.unwrap().into_data().unwrap();
            assert!(data.len() <= CHUNK);
            sent.extend_from_slice(&data);
            chunks += 1;
        }
        assert!(chunks >= 4, "{chunks} chunks");
        assert_eq!(sent, content);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn an_image_is_typed_by_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cover.jpg");
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR rest".to_vec();
        std::fs::write(&path, &png).unwrap();
        let response = image(&path).await.unwrap();
        assert_eq!(response.headers()[header::CONTENT_TYPE], "image/png");
        assert_eq!(
            response.headers()[header::CONTENT_LENGTH],
            png.len().to_string().as_str()
        );
    }
}
