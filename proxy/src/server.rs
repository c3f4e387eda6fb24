//! Binding, the accept loop (connection caps, header-read and write timeouts), routing, logging and
//! graceful shutdown.

use std::convert::Infallible;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch, OwnedSemaphorePermit, Semaphore};
use tokio::task::{JoinHandle, JoinSet};

use crate::cache::Cache;
use crate::config::{Config, ConfigError, SourceConfig};
use crate::cors::Cors;
use crate::fetch::{Fetcher, Source};
use crate::fixtures::Fixtures;
use crate::hotspots::{Hotspots, PREFIX};
use crate::log::{CacheNote, Logger};
use crate::paths::SessionKeyRule;
use crate::per_ip::{PeerCounts, PeerSlot, RefusalLog};
use crate::rate_limit::RateLimiter;
use crate::reply;
use crate::static_files::StaticFiles;
use crate::upstream::{is_plain_http_off_host, Upstream};
use crate::write_timeout::{is_write_timeout, WriteTimeout};

/// Shared by every request.
struct App {
    hotspots: Hotspots,
    static_files: Option<StaticFiles>,
    /// With `--trust-forwarded`, the hop of `X-Forwarded-For` (counted from the right, 1-based)
    /// that names the client; `None` uses the socket's peer.
    forwarded_hop: Option<usize>,
    /// Set once a hotspots request came without the hop of `X-Forwarded-For` (a reverse proxy
    /// that doesn't append to it): the warning that says so is logged once.
    unforwarded_seen: std::sync::atomic::AtomicBool,
    logger: Logger,
}

/// How connections are accepted and served.
#[derive(Clone, Copy)]
struct Limits {
    header_timeout: Duration,
    write_timeout: Duration,
    max_connections: usize,
    /// Connections per socket peer address; `None`: no such cap.
    per_ip: Option<usize>,
    /// How long a shutdown waits for requests in flight before closing their connections.
    shutdown_timeout: Duration,
}

/// A running proxy. Dropping it also starts a graceful shutdown, without waiting for it.
#[derive(Debug)]
pub struct Server {
    local_addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<io::Result<()>>,
}

impl Server {
    /// Checks the configuration, binds the listener and starts serving in the background.
    pub async fn start(config: Config) -> Result<Server, ConfigError> {
        config.validate()?;
        let secret = match &config.source {
            SourceConfig::Upstream { api_key, .. } => Some(api_key.expose().to_owned()),
            SourceConfig::Fixtures { .. } => None,
        };
        let logger = Logger::new(config.log.clone(), secret.as_deref());
        if let Some(warning) = secret.as_deref().and_then(short_key_warning) {
            logger.line(&warning);
        }
        if let Some(limit) = open_files_limit() {
            if limit < config.max_connections as u64 + FD_HEADROOM {
                logger.line(&format!(
                    "warning: --max-connections {} is close to or above the open-files limit ({limit}); \
                     raise the limit (ulimit -n, LimitNOFILE=) or lower --max-connections",
                    config.max_connections
                ));
            }
        }
        if let (true, Some(n @ 1..)) = (config.trust_forwarded, config.max_connections_per_ip) {
            logger.line(&format!(
                "warning: --max-connections-per-ip {n} with --trust-forwarded counts connections per socket \
                 peer, i.e. per reverse proxy of yours, not per client"
            ));
        }
        let app = Arc::new(build_app(&config, logger.clone()).await?);

        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|e| ConfigError(format!("cannot listen on {}: {e}", config.listen)))?;
        let local_addr =
            listener.local_addr().map_err(|e| ConfigError(format!("cannot read the bound address: {e}")))?;

        let limits = Limits {
            header_timeout: config.header_timeout,
            write_timeout: config.write_timeout,
            max_connections: config.max_connections,
            per_ip: config.connections_per_ip(),
            shutdown_timeout: config.shutdown_timeout,
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, app, limits, stopped));
        Ok(Server { local_addr, stop: Some(stop), task })
    }

    /// The address actually bound (the real port when the configuration said 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stops accepting connections, lets in-flight requests finish (up to the configured shutdown
    /// timeout), and returns when the server is down.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // The serving task itself closes what is still open after the shutdown timeout.
        match (&mut self.task).await {
            Ok(result) => result,
            Err(join) => Err(io::Error::other(join)),
        }
    }
}

async fn build_app(config: &Config, logger: Logger) -> Result<App, ConfigError> {
    let source = match &config.source {
        SourceConfig::Upstream { base, api_key } => {
            if is_plain_http_off_host(base) {
                logger.line(&format!(
                    "warning: --upstream {base} is plain http to another host; the API key would \
                     cross the network unencrypted"
                ));
            }
            Source::Upstream(Upstream::new(
                base,
                api_key,
                config.upstream_timeout,
                config.max_body_bytes,
                config.cache,
            )?)
        }
        SourceConfig::Fixtures { dir, pending_calls } => {
            let dir = existing_dir(dir, "--fixtures").await?;
            Source::Fixtures(Fixtures::new(dir, *pending_calls, config.cache))
        }
    };
    let static_files = match &config.static_dir {
        Some(dir) => Some(StaticFiles::new(existing_dir(dir, "--static").await?)),
        None => None,
    };
    Ok(App {
        hotspots: Hotspots {
            fetcher: Arc::new(Fetcher::new(source, Cache::new(config.cache.max_bytes))),
            keys: SessionKeyRule::new(&config.session_pattern)?,
            cors: Cors::new(&config.allow_origins)?,
            limiter: RateLimiter::new(config.rate_limit),
        },
        static_files,
        forwarded_hop: config.trust_forwarded.then_some(config.trusted_hops),
        unforwarded_seen: std::sync::atomic::AtomicBool::new(false),
        logger,
    })
}

/// Spare descriptors beside the connections: listener, upstream connections, files being read.
const FD_HEADROOM: u64 = 64;

/// Accepts connections until `stopped` fires (or its sender is dropped), then shuts down gracefully:
/// no new connections, idle ones and ones that never sent a complete request head are closed at
/// once, ones with a request in progress finish it, within the shutdown timeout; the rest are then
/// closed. Returns when every connection is closed.
///
/// At most `max_connections` are served at once: past that the loop stops accepting, so further
/// connections wait in the kernel's listen backlog (and are served as soon as a slot frees) rather
/// than being refused. The header-read timeout bounds how long a slot can be held without a request,
/// the write timeout how long it can be held by a client that stops reading its response.
///
/// With a per-IP cap, a connection from an address that already has that many open is closed as
/// soon as it is accepted (see [`crate::per_ip`] for why it gets no answer).
async fn serve(
    listener: TcpListener,
    app: Arc<App>,
    limits: Limits,
    mut stopped: oneshot::Receiver<()>,
) -> io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let per_ip = limits.per_ip.map(PeerCounts::new);
    let mut refusals = RefusalLog::default();
    let (closing, closing_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut http = http1::Builder::new();
    // half_close: a client may shut down its sending side once the request is out (scripted clients,
    // `nc -N`) and still read the answer. Without it hyper takes that end of stream for the client
    // leaving and drops the request unanswered. The price: a client that really leaves while its
    // request waits is not noticed until the answer is written, so the request runs to its end (its
    // upstream call would anyway, in a task of its own) and is logged with the status it was given.
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout).keep_alive(true).half_close(true);

    loop {
        // Reap finished connection tasks (at most one cap's worth accumulate between accepts).
        while connections.try_join_next().is_some() {}
        let accepted = tokio::select! {
            // A dropped sender means the same as a sent signal.
            _ = &mut stopped => break,
            accepted = accept_within_cap(&listener, &permits) => accepted,
        };
        let (stream, peer, global) = match accepted {
            Ok(accepted) => accepted,
            Err(e) if is_connection_error(&e) => continue,
            Err(e) => {
                // Most likely out of descriptors (EMFILE): wait for connections to close rather
                // than spin. Existing connections keep being served meanwhile.
                app.logger.line(&format!("accept failed: {e}; retrying in 1 s"));
                tokio::select! {
                    _ = &mut stopped => break,
                    () = tokio::time::sleep(Duration::from_secs(1)) => continue,
                }
            }
        };
        let peer_slot = match &per_ip {
            None => None,
            Some(counts) => match counts.try_acquire(peer.ip()) {
                Some(slot) => Some(slot),
                None => {
                    if let Some(line) = refusals.refused(peer.ip(), counts.cap(), Instant::now()) {
                        app.logger.line(&line);
                    }
                    // Closed at once; its slot of the global cap is free again.
                    drop((stream, global));
                    continue;
                }
            },
        };
        let slots = Slots { _global: global, _peer: peer_slot };
        let stream = WriteTimeout::new(stream, limits.write_timeout);
        connections.spawn(serve_connection(http.clone(), stream, peer, app.clone(), closing_rx.clone(), slots));
    }

    drop(listener);
    let _ = closing.send(true);
    if tokio::time::timeout(limits.shutdown_timeout, join_all(&mut connections)).await.is_err() {
        app.logger.line(&format!(
            "shutdown: requests still open after {} s, closing them",
            limits.shutdown_timeout.as_secs()
        ));
        // Waiting for the aborted tasks to be dropped means their requests' log lines are written
        // before the server counts as down (and the binary exits).
        connections.abort_all();
        join_all(&mut connections).await;
    }
    Ok(())
}

async fn join_all(connections: &mut JoinSet<()>) {
    while connections.join_next().await.is_some() {}
}

/// Waits for a free connection slot, then for a connection.
async fn accept_within_cap(
    listener: &TcpListener,
    permits: &Arc<Semaphore>,
) -> io::Result<(TcpStream, SocketAddr, OwnedSemaphorePermit)> {
    let permit = permits.clone().acquire_owned().await.map_err(io::Error::other)?;
    let (stream, peer) = listener.accept().await?;
    Ok((stream, peer, permit))
}

/// Errors that concern one connection only, after which accepting the next is fine.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
    )
}

/// What a connection holds until it closes: its slot of `--max-connections`, and its count against
/// its address when there is a per-IP cap.
struct Slots {
    _global: OwnedSemaphorePermit,
    _peer: Option<PeerSlot>,
}

/// Serves one connection, holding its `_slots` until it closes.
async fn serve_connection(
    http: http1::Builder,
    stream: WriteTimeout<TcpStream>,
    peer: SocketAddr,
    app: Arc<App>,
    mut closing: watch::Receiver<bool>,
    _slots: Slots,
) {
    let _ = stream.get_ref().set_nodelay(true);
    let logger = app.logger.clone();
    let write_timeout = stream.timeout();
    // Set when hyper hands a complete request head to the service (synchronously, inside the
    // connection's poll), so it is never stale when read between two polls below.
    let had_request = Arc::new(AtomicBool::new(false));
    let service = {
        let had_request = had_request.clone();
        service_fn(move |request: hyper::Request<Incoming>| {
            had_request.store(true, Ordering::SeqCst);
            let app = app.clone();
            async move { Ok::<_, Infallible>(handle(&app, peer, request).await) }
        })
    };
    let connection = http.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    let ended = tokio::select! {
        // Errors (header timeout, write timeout, client gone, bad request) only end this connection.
        ended = connection.as_mut() => Some(ended),
        // A dropped sender (the server task gone) counts as closing too.
        _ = closing.wait_for(|closing| *closing) => None,
    };
    let ended = match ended {
        Some(ended) => ended,
        // Never sent a complete request head: nothing to finish, close now (dropping the socket).
        None if !had_request.load(Ordering::SeqCst) => return,
        None => {
            // Closes an idle keep-alive connection (or one part-way through its next request head) at
            // once, and lets a request in progress finish with `Connection: close`.
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(e) = ended {
        if is_write_timeout(&e) {
            logger.line(&format!(
                "write timeout: closed the connection from {peer}, which took none of its response for {} s \
                 (--write-timeout-s)",
                write_timeout.as_secs()
            ));
        }
    }
}

async fn existing_dir(dir: &std::path::Path, flag: &str) -> Result<std::path::PathBuf, ConfigError> {
    let canonical =
        tokio::fs::canonicalize(dir).await.map_err(|e| ConfigError(format!("{flag} {}: {e}", dir.display())))?;
    match tokio::fs::metadata(&canonical).await {
        Ok(meta) if meta.is_dir() => Ok(canonical),
        _ => Err(ConfigError(format!("{flag} {} is not a directory", dir.display()))),
    }
}

/// Every request comes through here: route, answer, add `Vary: Origin`, log one line.
async fn handle(app: &App, peer: SocketAddr, request: hyper::Request<Incoming>) -> Response {
    let started = Instant::now();
    // No route takes a body; dropping it unread makes hyper close the connection after the answer
    // if the client did send one.
    let (parts, _body) = request.into_parts();
    let client = client_ip(&parts.headers, peer.ip(), app.forwarded_hop);
    let path = parts.uri.path();
    if let Some(hop) = app.forwarded_hop {
        // A shopper's request with no address appended by the reverse proxy: every shopper behind it
        // is taken for it, and shares one rate limit. (Health checks come without the header: only
        // the widget's requests tell.)
        if path.starts_with(crate::hotspots::PREFIX)
            && forwarded_hops(&parts.headers) < hop
            && !app.unforwarded_seen.swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            app.logger.line(&format!(
                "warning: --trust-forwarded, but a request from {} has fewer than {hop} X-Forwarded-For \
                 entries: it counts as its socket's peer, so every client behind that reverse proxy \
                 shares one rate limit. Have the reverse proxy append the client (nginx: proxy_set_header \
                 X-Forwarded-For $proxy_add_x_forwarded_for;). Logged once",
                peer.ip()
            ));
        }
    }
    let line = RequestLine {
        logger: &app.logger,
        client,
        method: &parts.method,
        target: logged_target(&parts.uri),
        started,
        cache: CacheNote::default(),
        written: false,
    };

    let mut response = route(app, &parts.method, path, parts.uri.query(), &parts.headers, client, &line.cache).await;

    response.headers_mut().append(header::VARY, HeaderValue::from_static("Origin"));
    line.answered(response.status());
    response
}

/// The status logged for a request dropped before it had an answer, as nginx logs it.
const NO_ANSWER: u16 = 499;

/// A request's one log line, with how the cache was involved (`cache`, noted by the lookup). Its
/// [`RequestLine::answered`] writes it with the answer's status. If the request is dropped before
/// that (its connection closed under it: shutdown ran out of time), it is written on drop with
/// status [`NO_ANSWER`] and the cache status the lookup had reached (`miss`: the call to the source
/// had started).
struct RequestLine<'a> {
    logger: &'a Logger,
    client: IpAddr,
    method: &'a Method,
    target: &'a str,
    started: Instant,
    cache: CacheNote,
    written: bool,
}

impl RequestLine<'_> {
    fn answered(mut self, status: StatusCode) {
        self.write(status.as_u16());
    }

    fn write(&mut self, status: u16) {
        if !std::mem::replace(&mut self.written, true) {
            let cache = self.cache.get();
            self.logger.request(self.client, self.method, self.target, status, self.started.elapsed(), cache);
        }
    }
}

impl Drop for RequestLine<'_> {
    fn drop(&mut self) {
        self.write(NO_ANSWER);
    }
}

/// What the log line shows of the request target: its path, or for a target that has none
/// (`GET example.com:80`) its authority, so that the line still says what was asked.
fn logged_target(uri: &hyper::Uri) -> &str {
    match (uri.path(), uri.authority()) {
        ("", Some(authority)) => authority.as_str(),
        (path, _) => path,
    }
}

async fn route(
    app: &App,
    method: &Method,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    client: IpAddr,
    note: &CacheNote,
) -> Response {
    if !path.starts_with('/') {
        // Authority-form (`GET example.com:80`), a bare name (`GET healthz`) or `*`: hyper hands
        // these on with an empty or relative path, which is no route and no file; left to the
        // static files, an empty path would even be "redirected" to `//`.
        return not_a_path();
    }
    if let Some(raw_key) = path.strip_prefix(PREFIX) {
        return app.hotspots.handle(method, raw_key, headers, client, note).await;
    }
    if path == "/healthz" {
        return health(app, method);
    }
    if path == "/pave" || path.starts_with("/pave/") {
        return reply::not_found();
    }
    match &app.static_files {
        Some(files) => files.serve(method, path, query, headers).await,
        None => reply::not_found(),
    }
}

fn not_a_path() -> Response {
    reply::error(StatusCode::BAD_REQUEST, "bad_path", "The request target must be a path starting with '/'.")
}

fn health(app: &App, method: &Method) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return reply::method_not_allowed("GET, HEAD");
    }
    let body = serde_json::json!({
        "status": "ok",
        "source": app.hotspots.fetcher.source_name(),
        "version": env!("CARGO_PKG_VERSION"),
    });
    let mut response = reply::json(StatusCode::OK, body.to_string());
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The socket's peer, or with `--trust-forwarded` the `hop`-th address from the right of
/// `X-Forwarded-For` (all its header lines read as one list, in order).
///
/// Reverse proxies (nginx's `$proxy_add_x_forwarded_for`, cloud load balancers) append the address
/// they saw to whatever the client sent, so only the right-most `hop` entries were written by
/// proxies of ours; anything left of them is the client's to invent. A header with fewer entries, or
/// whose chosen entry is not an IP address, falls back to the peer.
fn client_ip(headers: &HeaderMap, peer: IpAddr, hop: Option<usize>) -> IpAddr {
    let Some(hop) = hop else {
        return peer;
    };
    forwarded_for(headers)
        .and_then(|hops| hops.into_iter().rev().nth(hop.saturating_sub(1)))
        .and_then(|entry| entry.parse::<IpAddr>().ok().or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip())))
        .unwrap_or(peer)
}

/// The entries of `X-Forwarded-For`, all its header lines read as one list in order, trimmed;
/// `None` when a line isn't text.
fn forwarded_for(headers: &HeaderMap) -> Option<Vec<&str>> {
    let mut hops = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        hops.extend(value.to_str().ok()?.split(',').map(str::trim));
    }
    Some(hops)
}

/// How many entries (not empty) the `X-Forwarded-For` header lines hold in all.
fn forwarded_hops(headers: &HeaderMap) -> usize {
    forwarded_for(headers).map_or(0, |hops| hops.iter().filter(|e| !e.is_empty()).count())
}

/// A start-up warning for an API key too short to be scrubbed from log lines as plain text.
fn short_key_warning(key: &str) -> Option<String> {
    (key.chars().count() < crate::log::MIN_SUBSTRING_SECRET).then(|| {
        format!(
            "warning: {} is shorter than {} characters: check that it is the real key. Log lines are \
             scrubbed of so short a key only where it stands as a whole word",
            crate::config::API_KEY_ENV,
            crate::log::MIN_SUBSTRING_SECRET
        )
    })
}

/// The soft limit on open files, where the system says (Linux); `None` elsewhere or if unlimited.
fn open_files_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    parse_open_files_limit(&limits)
}

fn parse_open_files_limit(limits: &str) -> Option<u64> {
    let line = limits.lines().find(|line| line.starts_with("Max open files"))?;
    line.trim_start_matches("Max open files").split_whitespace().next()?.parse().ok()
}

/// Resolves on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::log::CacheStatus;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarded_for_only_when_trusted() {
        let peer = ip("127.0.0.1");
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.7, 10.0.0.1"));
        assert_eq!(client_ip(&h, peer, None), peer);
        h.insert("x-forwarded-for", HeaderValue::from_static("[2001:db8::1]:443"));
        assert_eq!(client_ip(&h, peer, Some(1)), ip("2001:db8::1"));
        h.insert("x-forwarded-for", HeaderValue::from_static("garbage"));
        assert_eq!(client_ip(&h, peer, Some(1)), peer);
        assert_eq!(client_ip(&HeaderMap::new(), peer, Some(1)), peer);
    }

    #[test]
    fn forwarded_for_takes_the_hop_our_proxy_appended() {
        let peer = ip("127.0.0.1");
        let mut h = HeaderMap::new();
        // The client wrote "6.6.6.6"; our nginx appended the address it saw.
        h.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 203.0.113.7"));
        assert_eq!(client_ip(&h, peer, Some(1)), ip("203.0.113.7"));
        // Two proxies of ours: a CDN appended the client, the load balancer the CDN.
        h.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 203.0.113.7, 198.51.100.1"));
        assert_eq!(client_ip(&h, peer, Some(2)), ip("203.0.113.7"));
        // Fewer entries than hops: the peer, not something the client wrote.
        h.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.7"));
        assert_eq!(client_ip(&h, peer, Some(2)), peer);
        // Several header lines form one list.
        h.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6"));
        h.append("x-forwarded-for", HeaderValue::from_static("203.0.113.9"));
        assert_eq!(client_ip(&h, peer, Some(1)), ip("203.0.113.9"));
        assert_eq!(client_ip(&h, peer, Some(2)), ip("6.6.6.6"));
    }

    #[test]
    fn a_request_line_is_written_once_answered_or_dropped() {
        let lines = Arc::new(std::sync::Mutex::new(Vec::new()));
        let logger = Logger::new(crate::LogSink::Memory(lines.clone()), None);
        let line = |target| RequestLine {
            logger: &logger,
            client: ip("203.0.113.7"),
            method: &Method::GET,
            target,
            started: Instant::now(),
            cache: CacheNote::default(),
            written: false,
        };
        let answered = line("/a");
        answered.cache.set(CacheStatus::Hit);
        answered.answered(StatusCode::OK);
        let dropped = line("/b");
        dropped.cache.set(CacheStatus::Coalesced);
        drop(dropped);
        drop(line("/c"));
        let lines = lines.lock().unwrap().clone();
        let expected =
            [(" GET /a 200 ", "cache=hit"), (" GET /b 499 ", "cache=coalesced"), (" GET /c 499 ", "cache=-")];
        assert_eq!(lines.len(), expected.len(), "{lines:#?}");
        for (line, (words, cache)) in lines.iter().zip(expected) {
            assert!(line.contains(words) && line.ends_with(cache), "{lines:#?}");
        }
    }

    #[test]
    fn short_keys_are_warned_about_without_showing_them() {
        let warning = short_key_warning("zq9").unwrap();
        assert!(warning.contains("PAVE_API_KEY") && !warning.contains("zq9"), "{warning}");
        assert!(short_key_warning("a-real-looking-key-0123456789").is_none());
    }

    #[test]
    fn open_files_limit_is_read_from_proc() {
        let text = "Limit                     Soft Limit           Hard Limit           Units\n\
                    Max open files            1024                 524288               files\n";
        assert_eq!(parse_open_files_limit(text), Some(1024));
        assert_eq!(parse_open_files_limit("Max open files  unlimited  unlimited  files"), None);
    }
}
