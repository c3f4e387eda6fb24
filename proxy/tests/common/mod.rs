//! Shared by the integration tests: a mock PAVE upstream, an in-process proxy, and a raw HTTP/1.1
//! client that fails the test if the API key shows up anywhere in a response.

#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use axum::Router;
use bytes::Bytes;
use http_body::Frame;
use pave_proxy::{ApiKey, Config, LogSink, RateLimitConfig, Server, SourceConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The API key the proxy is given in tests. Distinctive, so that a search for it cannot miss.
pub const SECRET: &str = "sk-test-SECRET-5f1e2d9c7b";

/// The documented sample session.
pub const SAMPLE: &str = "UDB-512D3TASIY";

/// A fixture file from tests/fixtures/pave/.
pub fn fixture(name: &str) -> Bytes {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pave").join(name);
    Bytes::from(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// What the mock answers for one session key.
#[derive(Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Bytes,
    pub delay: Duration,
    /// Send the body in chunks without a Content-Length.
    pub chunked: bool,
    /// Extra response headers.
    pub headers: Vec<(&'static str, &'static str)>,
}

impl Reply {
    pub fn new(status: u16, body: impl Into<Bytes>) -> Reply {
        Reply { status, body: body.into(), delay: Duration::ZERO, chunked: false, headers: Vec::new() }
    }

    pub fn header(mut self, name: &'static str, value: &'static str) -> Reply {
        self.headers.push((name, value));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    pub fn chunked(mut self) -> Reply {
        self.chunked = true;
        self
    }
}

/// A tiny PAVE: `GET /v1/hotspots/{key}` answers what the test set for that key, else 404 the way
/// PAVE does. It counts every call and every call that came without the right `API-Key`.
pub struct MockUpstream {
    pub addr: SocketAddr,
    state: Arc<MockState>,
}

#[derive(Default)]
struct MockState {
    calls: AtomicUsize,
    bad_auth: AtomicUsize,
    replies: Mutex<HashMap<String, Reply>>,
    targets: Mutex<Vec<String>>,
}

impl MockUpstream {
    pub async fn start() -> MockUpstream {
        let state = Arc::new(MockState::default());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new().fallback(mock_handle).with_state(state.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        MockUpstream { addr, state }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn set(&self, key: &str, reply: Reply) {
        self.state.replies.lock().unwrap().insert(key.to_owned(), reply);
    }

    /// Calls received so far.
    pub fn calls(&self) -> usize {
        self.state.calls.load(Ordering::SeqCst)
    }

    /// Calls that did not carry `API-Key: SECRET`.
    pub fn bad_auth(&self) -> usize {
        self.state.bad_auth.load(Ordering::SeqCst)
    }

    /// Request targets (path and query) received so far.
    pub fn targets(&self) -> Vec<String> {
        self.state.targets.lock().unwrap().clone()
    }
}

async fn mock_handle(State(state): State<Arc<MockState>>, request: Request) -> Response {
    state.calls.fetch_add(1, Ordering::SeqCst);
    let target = request.uri().path_and_query().map(|pq| pq.as_str().to_owned()).unwrap_or_default();
    state.targets.lock().unwrap().push(target);
    if request.headers().get("api-key").map(HeaderValue::as_bytes) != Some(SECRET.as_bytes()) {
        state.bad_auth.fetch_add(1, Ordering::SeqCst);
        return respond(401, Bytes::from_static(b"{\"message\":\"bad key\"}"), false);
    }
    let path = request.uri().path();
    let Some(key) = path.rsplit_once("/v1/hotspots/").map(|(_, key)| key.to_owned()) else {
        return respond(404, Bytes::from_static(b"{\"message\":\"no route\"}"), false);
    };
    let reply = state.replies.lock().unwrap().get(&key).cloned();
    match reply {
        Some(reply) => {
            tokio::time::sleep(reply.delay).await;
            let mut response = respond(reply.status, reply.body, reply.chunked);
            for (name, value) in reply.headers {
                response.headers_mut().insert(name, HeaderValue::from_static(value));
            }
            response
        }
        None => respond(404, Bytes::from(format!("{{\"message\": \"Session {key} cannot be found.\"}}")), false),
    }
}

fn respond(status: u16, body: Bytes, chunked: bool) -> Response {
    let body = if chunked {
        let chunks: VecDeque<Bytes> = body.chunks(1024).map(Bytes::copy_from_slice).collect();
        Body::new(Chunks(chunks))
    } else {
        Body::from(body)
    };
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::from_u16(status).unwrap();
    response.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
    response
}

/// A body of unknown length, so hyper sends it chunked.
struct Chunks(VecDeque<Bytes>);

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Poll::Ready(self.0.pop_front().map(|chunk| Ok(Frame::data(chunk))))
    }
}

/// An in-process proxy whose log lines are kept in memory.
pub struct Proxy {
    pub server: Option<Server>,
    pub addr: SocketAddr,
    pub logs: Arc<Mutex<Vec<String>>>,
}

/// A config for the mock upstream: rate limit off, everything else default, logs to memory.
pub fn upstream_config(upstream: &str) -> Config {
    let mut config = Config::new(SourceConfig::Upstream {
        base: upstream.to_owned(),
        api_key: ApiKey::new(SECRET.to_owned()).unwrap(),
    });
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.rate_limit = RateLimitConfig { per_minute: 0, burst: 1 };
    config
}

impl Proxy {
    pub async fn start(mut config: Config) -> Proxy {
        let logs = Arc::new(Mutex::new(Vec::new()));
        config.log = LogSink::Memory(logs.clone());
        let server = Server::start(config).await.unwrap();
        Proxy { addr: server.local_addr(), server: Some(server), logs }
    }

    pub async fn get(&self, target: &str) -> HttpResponse {
        send(self.addr, "GET", target, &[]).await
    }

    pub async fn send(&self, method: &str, target: &str, headers: &[(&str, &str)]) -> HttpResponse {
        send(self.addr, method, target, headers).await
    }

    pub fn log_lines(&self) -> Vec<String> {
        self.logs.lock().unwrap().clone()
    }

    /// Shuts down gracefully and checks that no log line ever held the key.
    pub async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await.unwrap();
        }
        for line in self.log_lines() {
            assert!(!line.contains(SECRET), "the key leaked into a log line: {line}");
        }
    }
}

/// A response read off the wire.
#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    /// Lower-case names, in order, repeated names kept.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The `error` field of a JSON error body, after checking the body has the agreed shape.
    pub fn error_kind(&self) -> String {
        let json = self.json();
        assert!(json["message"].is_string(), "no message in {json}");
        assert_eq!(self.header("content-type"), Some("application/json"));
        json["error"].as_str().unwrap_or_else(|| panic!("no error in {json}")).to_owned()
    }
}

/// Sends one request on a fresh connection with the request target exactly as given (no
/// normalisation, so traversal attempts reach the server as written) and reads the response.
pub async fn send(addr: SocketAddr, method: &str, target: &str, headers: &[(&str, &str)]) -> HttpResponse {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut request = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();

    let text = String::from_utf8_lossy(&raw);
    assert!(!text.contains(SECRET), "the key leaked into a response to {method} {target}:\n{text}");

    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| panic!("no header end in {text:?}"));
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let chunked = headers.iter().any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    HttpResponse { status, headers, body }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16).unwrap();
        data = &data[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}
