//! Binding, routing, logging and graceful shutdown.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::cache::Cache;
use crate::config::{Config, ConfigError, SourceConfig};
use crate::cors::Cors;
use crate::fetch::{Fetcher, Source};
use crate::fixtures::Fixtures;
use crate::hotspots::{Hotspots, PREFIX};
use crate::log::{CacheStatus, Logger};
use crate::paths::SessionKeyRule;
use crate::rate_limit::RateLimiter;
use crate::reply;
use crate::static_files::StaticFiles;
use crate::upstream::{is_plain_http_off_host, Upstream};

/// Shared by every request.
struct App {
    hotspots: Hotspots,
    static_files: Option<StaticFiles>,
    trust_forwarded: bool,
    logger: Logger,
}

/// A running proxy. Dropping it also starts a graceful shutdown, without waiting for it.
#[derive(Debug)]
pub struct Server {
    local_addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<io::Result<()>>,
    shutdown_timeout: Duration,
    logger: Logger,
}

impl Server {
    /// Checks the configuration, binds the listener and starts serving in the background.
    pub async fn start(config: Config) -> Result<Server, ConfigError> {
        let secret = match &config.source {
            SourceConfig::Upstream { api_key, .. } => Some(api_key.expose().to_owned()),
            SourceConfig::Fixtures { .. } => None,
        };
        let logger = Logger::new(config.log.clone(), secret.as_deref());
        let app = Arc::new(build_app(&config, logger.clone()).await?);

        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|e| ConfigError(format!("cannot listen on {}: {e}", config.listen)))?;
        let local_addr =
            listener.local_addr().map_err(|e| ConfigError(format!("cannot read the bound address: {e}")))?;

        let router = Router::new().fallback(handle).with_state(app);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
                .with_graceful_shutdown(async move {
                    // A dropped sender means the same as a sent signal.
                    let _ = stopped.await;
                })
                .await
        });
        Ok(Server { local_addr, stop: Some(stop), task, shutdown_timeout: config.shutdown_timeout, logger })
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
        match tokio::time::timeout(self.shutdown_timeout, &mut self.task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(io::Error::other(join)),
            Err(_) => {
                self.logger.line(&format!(
                    "shutdown: requests still open after {} s, closing them",
                    self.shutdown_timeout.as_secs()
                ));
                self.task.abort();
                Ok(())
            }
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
        trust_forwarded: config.trust_forwarded,
        logger,
    })
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
async fn handle(State(app): State<Arc<App>>, ConnectInfo(peer): ConnectInfo<SocketAddr>, request: Request) -> Response {
    let started = Instant::now();
    let (parts, _body) = request.into_parts();
    let client = client_ip(&parts.headers, peer.ip(), app.trust_forwarded);
    let path = parts.uri.path();

    let (mut response, cache) = route(&app, &parts.method, path, parts.uri.query(), &parts.headers, client).await;

    response.headers_mut().append(header::VARY, HeaderValue::from_static("Origin"));
    app.logger.request(client, &parts.method, path, response.status(), started.elapsed(), cache);
    response
}

async fn route(
    app: &App,
    method: &Method,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    client: IpAddr,
) -> (Response, CacheStatus) {
    if let Some(raw_key) = path.strip_prefix(PREFIX) {
        return app.hotspots.handle(method, raw_key, headers, client).await;
    }
    if path == "/healthz" {
        return (health(app, method), CacheStatus::None);
    }
    if path == "/pave" || path.starts_with("/pave/") {
        return (reply::not_found(), CacheStatus::None);
    }
    match &app.static_files {
        Some(files) => (files.serve(method, path, query).await, CacheStatus::None),
        None => (reply::not_found(), CacheStatus::None),
    }
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

/// The socket's peer, or with `--trust-forwarded` the first hop of `X-Forwarded-For` when it is
/// an IP address (a malformed header falls back to the peer).
fn client_ip(headers: &HeaderMap, peer: IpAddr, trust_forwarded: bool) -> IpAddr {
    if !trust_forwarded {
        return peer;
    }
    headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(str::trim)
        .and_then(|first| first.parse::<IpAddr>().ok().or_else(|| first.parse::<SocketAddr>().ok().map(|s| s.ip())))
        .unwrap_or(peer)
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

    #[test]
    fn forwarded_for_only_when_trusted() {
        let peer: IpAddr = "127.0.0.1".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.7, 10.0.0.1"));
        assert_eq!(client_ip(&h, peer, false), peer);
        assert_eq!(client_ip(&h, peer, true), "203.0.113.7".parse::<IpAddr>().unwrap());
        h.insert("x-forwarded-for", HeaderValue::from_static("[2001:db8::1]:443"));
        assert_eq!(client_ip(&h, peer, true), "2001:db8::1".parse::<IpAddr>().unwrap());
        h.insert("x-forwarded-for", HeaderValue::from_static("garbage"));
        assert_eq!(client_ip(&h, peer, true), peer);
        assert_eq!(client_ip(&HeaderMap::new(), peer, true), peer);
    }
}
