//! `--static DIR`: plain files at `/`, `index.html` for directories, never a listing, never a
//! file outside DIR (no `..`, no encoded slashes, no symlinks that lead out, no dot-files, not even
//! through a symlink), and never a path the API owns (`/pave/…`, `/healthz`), however it is spelled.

use std::fs::Metadata;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use bytes::{Bytes, BytesMut};
use hyper::body::{Body as HttpBody, Frame, SizeHint};
use tokio::io::{AsyncRead, ReadBuf};

use crate::dates::{format_http_date, parse_http_date};
use crate::hotspots::if_none_match;
use crate::paths::percent_decode;
use crate::reply;

/// First path segments that belong to the API: the router answers them before static files, and a
/// spelling that slips past it (`/%70ave/…`, `//pave/…`) must not reach a file either.
const API_SEGMENTS: [&str; 2] = ["pave", "healthz"];

/// The most read from a file at a time.
const CHUNK: usize = 64 * 1024;

/// How long browsers may keep a static file: short, since the demo page changes while it is built.
const STATIC_CACHE_CONTROL: &str = "public, max-age=60";

pub(crate) struct StaticFiles {
    /// Canonical root: every file served must canonicalize to a path below it.
    root: PathBuf,
}

impl StaticFiles {
    pub(crate) fn new(root: PathBuf) -> StaticFiles {
        StaticFiles { root }
    }

    /// Answers `method raw_path`; `request` is read for `If-None-Match` and `If-Modified-Since`.
    pub(crate) async fn serve(
        &self,
        method: &Method,
        raw_path: &str,
        query: Option<&str>,
        request: &HeaderMap,
    ) -> Response {
        if method != Method::GET && method != Method::HEAD {
            return reply::method_not_allowed("GET, HEAD");
        }
        let mut path = self.root.clone();
        let mut clean = Vec::new();
        for raw in raw_path.split('/').filter(|s| !s.is_empty()) {
            let Some(segment) = percent_decode(raw) else {
                return bad_path();
            };
            if segment == "." || segment == ".." || segment.contains(['/', '\\', '\0']) {
                return bad_path();
            }
            if segment.starts_with('.') {
                return reply::not_found();
            }
            if clean.is_empty() && API_SEGMENTS.iter().any(|api| segment.eq_ignore_ascii_case(api)) {
                return reply::not_found();
            }
            path.push(segment);
            clean.push(raw);
        }
        let Some(file) = self.resolve(&path).await else {
            return reply::not_found();
        };
        if file.is_dir {
            if !raw_path.ends_with('/') {
                // Relative links in index.html need the trailing slash. The location is rebuilt from
                // the checked segments, so `//host` cannot turn it into an open redirect.
                let mut location = format!("/{}/", clean.join("/"));
                if let Some(q) = query {
                    location.push('?');
                    location.push_str(q);
                }
                return redirect(&location);
            }
            let Some(index) = self.resolve(&file.path.join("index.html")).await else {
                return reply::not_found();
            };
            if index.is_dir {
                return reply::not_found();
            }
            return send(method, &index.path, request).await;
        }
        send(method, &file.path, request).await
    }

    /// Canonicalizes `path`; `None` if it does not exist, leads outside the root, or (through a
    /// symlink) to a dot-file or into a dot-directory below the root.
    async fn resolve(&self, path: &Path) -> Option<Resolved> {
        let path = tokio::fs::canonicalize(path).await.ok()?;
        let inside = path.strip_prefix(&self.root).ok()?;
        if inside.components().any(|part| part.as_os_str().as_encoded_bytes().starts_with(b".")) {
            return None;
        }
        let meta = tokio::fs::metadata(&path).await.ok()?;
        if !meta.is_dir() && !meta.is_file() {
            return None;
        }
        Some(Resolved { is_dir: meta.is_dir(), path })
    }
}

struct Resolved {
    path: PathBuf,
    is_dir: bool,
}

/// Answers with the file at `path`: headers from its metadata, and for GET a body read a chunk at a
/// time as the connection takes it, so that neither a big file nor many clients hold a whole file in
/// memory. HEAD reads nothing; a client whose copy is current gets 304.
async fn send(method: &Method, path: &Path, request: &HeaderMap) -> Response {
    // Length and dates come from the opened file, not the path: it is the file whose bytes are sent.
    let opened = match tokio::fs::File::open(path).await {
        Ok(file) => file.metadata().await.map(|meta| (file, meta)),
        Err(e) => Err(e),
    };
    let (file, meta) = match opened {
        Ok(opened) => opened,
        Err(e) if e.kind() == ErrorKind::NotFound => return reply::not_found(),
        Err(_) => {
            return reply::error(StatusCode::INTERNAL_SERVER_ERROR, "static_error", "The file could not be read.")
        }
    };
    let validators = Validators::of(&meta);
    if validators.as_ref().is_some_and(|v| v.fresh(request, SystemTime::now())) {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        cache_headers(response.headers_mut(), validators.as_ref());
        return response;
    }
    let body = if method == Method::HEAD { Body::empty() } else { Body::new(FileBody::new(file, meta.len())) };
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(path)));
    // Said outright, since a HEAD's empty body cannot say it.
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(meta.len()));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    cache_headers(headers, validators.as_ref());
    response
}

/// `Cache-Control`, and the validators when the file has them: on a 200 and on the 304 that stands
/// for it alike.
fn cache_headers(headers: &mut HeaderMap, validators: Option<&Validators>) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(STATIC_CACHE_CONTROL));
    let Some(validators) = validators else {
        return;
    };
    if let Ok(etag) = HeaderValue::from_str(&validators.etag) {
        headers.insert(header::ETAG, etag);
    }
    if let Ok(date) = HeaderValue::from_str(&format_http_date(validators.modified)) {
        headers.insert(header::LAST_MODIFIED, date);
    }
}

/// What lets a browser revalidate a file instead of fetching it again once `max-age` is over.
struct Validators {
    /// Weak, from length and modification time (to the nanosecond where the file system keeps it):
    /// cheap, with no hashing of the bytes, and it also changes when a file is rewritten within the
    /// second `Last-Modified` is counted in. Weak, since equal length and time do not prove equal bytes.
    etag: String,
    /// The modification time, in the whole seconds `Last-Modified` says it in.
    modified: SystemTime,
}

impl Validators {
    /// `None` where the platform or file system keeps no modification time.
    fn of(meta: &Metadata) -> Option<Validators> {
        let since_epoch = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(Validators {
            etag: format!("W/\"{:x}-{:x}\"", meta.len(), since_epoch.as_nanos()),
            modified: UNIX_EPOCH + Duration::from_secs(since_epoch.as_secs()),
        })
    }

    /// Whether the client's copy is current (RFC 9110 §13.2.2): by `If-None-Match` when it is sent,
    /// with the weak comparison; else by `If-Modified-Since`, unless that date is unreadable or later
    /// than `now`.
    fn fresh(&self, request: &HeaderMap, now: SystemTime) -> bool {
        if request.contains_key(header::IF_NONE_MATCH) {
            return if_none_match(request, self.etag.trim_start_matches("W/"));
        }
        request
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|value| value.to_str().ok())
            .and_then(parse_http_date)
            .is_some_and(|since| since <= now && self.modified <= since)
    }
}

/// A file's bytes as a response body, at most [`CHUNK`] read at a time, and no more of them than
/// the `Content-Length` announced, even if the file grows meanwhile (one that shrinks ends the body
/// with an error, which closes the connection short of the announced length).
struct FileBody {
    file: tokio::fs::File,
    remaining: u64,
    buf: BytesMut,
}

impl FileBody {
    fn new(file: tokio::fs::File, len: u64) -> FileBody {
        FileBody { file, remaining: len, buf: BytesMut::new() }
    }
}

impl HttpBody for FileBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        let this = self.get_mut();
        if this.remaining == 0 {
            return Poll::Ready(None);
        }
        let want = usize::try_from(this.remaining).unwrap_or(usize::MAX).min(CHUNK);
        // A field, not a local: tokio's File reads on a blocking thread and answers Pending first, so
        // most chunks take two polls.
        this.buf.resize(want, 0);
        let mut read = ReadBuf::new(this.buf.as_mut());
        match Pin::new(&mut this.file).poll_read(cx, &mut read) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
            Poll::Ready(Ok(())) => {
                let n = read.filled().len();
                if n == 0 {
                    return Poll::Ready(Some(Err(ErrorKind::UnexpectedEof.into())));
                }
                this.remaining = this.remaining.saturating_sub(n as u64);
                Poll::Ready(Some(Ok(Frame::data(this.buf.split_to(n).freeze()))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

fn redirect(location: &str) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::PERMANENT_REDIRECT;
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn bad_path() -> Response {
    reply::error(StatusCode::BAD_REQUEST, "bad_path", "The path may not contain '..', encoded slashes or backslashes.")
}

/// The content type for a file name; `application/wasm` matters, since browsers refuse to
/// stream-compile WebAssembly served as anything else.
pub(crate) fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "json" | "map" => "application/json",
        "txt" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use http_body_util::BodyExt;

    use super::*;

    /// A static root holding `big.bin` of `len` bytes.
    fn root_with_big_file(len: usize) -> (tempfile::TempDir, StaticFiles) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("big.bin"), vec![b'x'; len]).unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        (dir, StaticFiles::new(root))
    }

    #[tokio::test]
    async fn a_file_is_sent_a_chunk_at_a_time_not_read_whole() {
        let len = 1 << 20;
        let (_dir, files) = root_with_big_file(len);
        let response = files.serve(&Method::GET, "/big.bin", None, &HeaderMap::new()).await;
        assert_eq!(response.status(), StatusCode::OK);
        let mut body = response.into_body();
        assert_eq!(body.size_hint().exact(), Some(len as u64), "hyper sends it as the Content-Length");
        let mut sizes = Vec::new();
        while let Some(frame) = body.frame().await {
            sizes.push(frame.unwrap().into_data().unwrap().len());
        }
        assert_eq!(sizes.iter().sum::<usize>(), len);
        assert!(sizes.iter().all(|size| *size <= CHUNK), "a frame larger than a chunk: {sizes:?}");
    }

    #[tokio::test]
    async fn head_is_answered_from_the_metadata() {
        let len = 1 << 20;
        let (_dir, files) = root_with_big_file(len);
        let response = files.serve(&Method::HEAD, "/big.bin", None, &HeaderMap::new()).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.body().size_hint().exact(), Some(0), "HEAD read the file");
        assert_eq!(response.headers()[header::CONTENT_LENGTH], len.to_string().as_str());
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/octet-stream");
    }

    #[test]
    fn content_types() {
        let ct = |name: &str| content_type(Path::new(name));
        assert_eq!(ct("pkg/pave_hotspots_bg.wasm"), "application/wasm");
        assert_eq!(ct("index.html"), "text/html; charset=utf-8");
        assert_eq!(ct("a.mjs"), "text/javascript; charset=utf-8");
        assert_eq!(ct("a.JS"), "text/javascript; charset=utf-8");
        assert_eq!(ct("a.css"), "text/css; charset=utf-8");
        assert_eq!(ct("a.svg"), "image/svg+xml");
        assert_eq!(ct("a.png"), "image/png");
        assert_eq!(ct("a.jpg"), "image/jpeg");
        assert_eq!(ct("a.jpeg"), "image/jpeg");
        assert_eq!(ct("a.json"), "application/json");
        assert_eq!(ct("Makefile"), "application/octet-stream");
    }
}
