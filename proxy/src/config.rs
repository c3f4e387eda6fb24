//! Command-line flags and the configuration they turn into.
//!
//! [`Cli`] is what clap parses; [`Config`] is what [`crate::Server::start`] runs. Tests build a
//! [`Config`] directly (with millisecond TTLs where they need them) and never touch the environment.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use crate::log::LogSink;

/// The upstream base used when `--upstream` is not given.
pub const DEFAULT_UPSTREAM: &str = "https://openapi.paveapi.com";

/// The session-key pattern used when `--session-pattern` is not given: three letters, a dash and ten
/// upper-case letters or digits, as in every PAVE example (`UDB-512D3TASIY`).
pub const DEFAULT_SESSION_PATTERN: &str = "^[A-Z]{3}-[A-Z0-9]{10}$";

/// The environment variable the API key is read from. There is deliberately no flag: a flag would
/// show in `ps`, shell history and process listings.
pub const API_KEY_ENV: &str = "PAVE_API_KEY";

/// `--upstream-timeout-ms` when not given: well under the widget's default `timeout` of 10 s, so that
/// with a slow PAVE our 504 reaches the page before the widget gives up on its own; at 10 s as well the
/// widget always gave up first and never saw why.
pub const DEFAULT_UPSTREAM_TIMEOUT_MS: u64 = 8_000;

/// The smallest `--upstream-timeout-ms`: below it no real upstream call can complete.
pub const MIN_UPSTREAM_TIMEOUT: Duration = Duration::from_millis(100);

/// The smallest `--max-body-bytes`: PAVE's shortest answers (404, 400) are about 60-100 bytes.
pub const MIN_MAX_BODY_BYTES: usize = 1024;

/// The most `--trusted-hops` accepted; more reverse proxies than this in a row is a typo.
pub const MAX_TRUSTED_HOPS: usize = 16;

/// `--max-connections-per-ip` when not given (and `--trust-forwarded` is not on either): well above
/// the 6 connections per host a browser opens, so only a crowd behind one NAT address or a client
/// hoarding connections meets it, and it takes 16 addresses to fill the default `--max-connections`.
pub const DEFAULT_MAX_CONNECTIONS_PER_IP: usize = 64;

/// The flags of `pave-proxy`.
#[derive(Debug, Parser)]
#[command(
    name = "pave-proxy",
    version,
    about = "Serves PAVE hotspots to a dealer's web page without ever showing it the PAVE API key.",
    after_help = "The PAVE API key is read from the environment variable PAVE_API_KEY only.\n\
                  Without it the proxy refuses to start, unless --fixtures DIR is given."
)]
pub struct Cli {
    /// Address to listen on (port 0 picks a free port; the bound address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// An origin allowed to read responses through CORS, written as scheme://host or scheme://host:port
    /// (no path, no wildcard in the host; a default port is dropped). Repeat for several; * allows any origin.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    pub allow_origin: Vec<String>,

    /// Base URL of the PAVE API; requests go to {upstream}/v1/hotspots/{session_key}.
    #[arg(long, value_name = "URL", default_value = DEFAULT_UPSTREAM)]
    pub upstream: String,

    /// How long to wait for PAVE (headers and body) before answering 504; at least 100. The default
    /// leaves the widget's default timeout (10 s) time to receive the 504.
    #[arg(long, value_name = "MS", default_value_t = DEFAULT_UPSTREAM_TIMEOUT_MS)]
    pub upstream_timeout_ms: u64,

    /// Largest upstream body accepted; a larger one is answered with 502. At least 1024.
    #[arg(long, value_name = "BYTES", default_value_t = 4 * 1024 * 1024)]
    pub max_body_bytes: usize,

    /// Regular expression a session key must match in full before any upstream call.
    #[arg(long, value_name = "REGEX", default_value = DEFAULT_SESSION_PATTERN)]
    pub session_pattern: String,

    /// Seconds a result (200, with or without damages) is cached and may be cached by browsers.
    #[arg(long = "cache-ttl-s", value_name = "SECONDS", default_value_t = 300)]
    pub cache_ttl_s: u64,

    /// Seconds a "not yet inspected" answer (400) is cached here; browsers are told not to store it.
    #[arg(long = "pending-ttl-s", value_name = "SECONDS", default_value_t = 5)]
    pub pending_ttl_s: u64,

    /// Seconds an unknown-session answer (404) is cached.
    #[arg(long = "not-found-ttl-s", value_name = "SECONDS", default_value_t = 30)]
    pub not_found_ttl_s: u64,

    /// Memory budget of the response cache; least recently used entries are evicted past it.
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024 * 1024)]
    pub cache_max_bytes: usize,

    /// Requests per minute allowed per client IP on /pave/ (token bucket); 0 turns the limit off.
    #[arg(long, value_name = "PER_MINUTE", default_value_t = 120)]
    pub rate_limit: u32,

    /// Requests a client may make at once before the per-minute rate applies.
    #[arg(long, value_name = "REQUESTS", default_value_t = 30)]
    pub rate_burst: u32,

    /// Take the client IP from X-Forwarded-For: the address our own reverse proxy appended, i.e. the
    /// right-most one (only behind a reverse proxy that appends to the header).
    #[arg(long)]
    pub trust_forwarded: bool,

    /// With --trust-forwarded: how many reverse proxies of yours append to X-Forwarded-For; the client
    /// is the N-th address from the right (1 to 16).
    #[arg(long, value_name = "N", default_value_t = 1, requires = "trust_forwarded")]
    pub trusted_hops: usize,

    /// Answer from files in DIR instead of PAVE: no key, no network (layout in the README).
    #[arg(long, value_name = "DIR")]
    pub fixtures: Option<PathBuf>,

    /// In fixtures mode, how many calls of a session with a KEY.pending.json file answer 400 before 200.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub fixture_pending_calls: u32,

    /// Also serve the files of DIR at / (index.html for directories, no listings).
    #[arg(long = "static", value_name = "DIR")]
    pub static_dir: Option<PathBuf>,

    /// Do not write the per-request log lines to stderr.
    #[arg(long)]
    pub quiet: bool,

    /// Seconds to let in-flight requests finish after SIGINT/SIGTERM before exiting anyway.
    #[arg(long = "shutdown-timeout-s", value_name = "SECONDS", default_value_t = 30)]
    pub shutdown_timeout_s: u64,

    /// Seconds a connection may take to send a complete request head, counted from the connection's
    /// start or the end of its previous response (so it is also the keep-alive idle timeout).
    #[arg(long = "header-timeout-s", value_name = "SECONDS", default_value_t = 10)]
    pub header_timeout_s: u64,

    /// Seconds a response may wait for the client to take any more of it: the clock restarts each time
    /// the socket takes more bytes (like nginx's send_timeout), so only a client that stops reading is
    /// cut off, not a slow one. The connection is then closed; at least 1.
    #[arg(long = "write-timeout-s", value_name = "SECONDS", default_value_t = 30)]
    pub write_timeout_s: u64,

    /// Connections served at once; further ones wait in the listen backlog until one closes.
    #[arg(long, value_name = "N", default_value_t = 1024)]
    pub max_connections: usize,

    /// Connections served at once per client IP (the socket's peer; IPv6 per /64); a new one past it is
    /// closed at once. 0 turns it off. Default 64, or off with --trust-forwarded (every connection then
    /// comes from your reverse proxy), where a value given counts per reverse proxy.
    #[arg(long, value_name = "N")]
    pub max_connections_per_ip: Option<usize>,
}

impl Cli {
    /// Turns the flags and the value of `PAVE_API_KEY` (if any) into a [`Config`].
    ///
    /// Fails when neither a key nor `--fixtures` is given: a proxy without a key could only answer
    /// errors, so it is better not to start.
    pub fn into_config(self, api_key_env: Option<String>) -> Result<Config, ConfigError> {
        let source = match self.fixtures {
            Some(dir) => SourceConfig::Fixtures { dir, pending_calls: self.fixture_pending_calls },
            None => {
                let api_key = api_key_env.and_then(ApiKey::new).ok_or_else(|| {
                    ConfigError(format!(
                        "{API_KEY_ENV} is not set. Set it in the environment (the key is never \
                         taken from a flag), or run with --fixtures DIR to answer from files."
                    ))
                })?;
                SourceConfig::Upstream { base: self.upstream, api_key }
            }
        };
        let config = Config {
            listen: self.listen,
            source,
            allow_origins: self.allow_origin,
            session_pattern: self.session_pattern,
            upstream_timeout: Duration::from_millis(self.upstream_timeout_ms),
            max_body_bytes: self.max_body_bytes,
            cache: CachePolicy {
                result_ttl: Duration::from_secs(self.cache_ttl_s),
                pending_ttl: Duration::from_secs(self.pending_ttl_s),
                not_found_ttl: Duration::from_secs(self.not_found_ttl_s),
                max_bytes: self.cache_max_bytes,
            },
            rate_limit: RateLimitConfig { per_minute: self.rate_limit, burst: self.rate_burst },
            trust_forwarded: self.trust_forwarded,
            trusted_hops: self.trusted_hops,
            static_dir: self.static_dir,
            log: if self.quiet { LogSink::Quiet } else { LogSink::Stderr },
            shutdown_timeout: Duration::from_secs(self.shutdown_timeout_s),
            header_timeout: Duration::from_secs(self.header_timeout_s),
            write_timeout: Duration::from_secs(self.write_timeout_s),
            max_connections: self.max_connections,
            max_connections_per_ip: self.max_connections_per_ip,
        };
        config.validate()?;
        Ok(config)
    }
}

/// A configuration the proxy cannot run with; the message says what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// The PAVE API key. It has no `Display`, and its `Debug` prints `[redacted]`, so it cannot end up
/// in a log line or an error message by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key; `None` for an empty or blank one (an empty `PAVE_API_KEY=` counts as unset).
    pub fn new(key: String) -> Option<ApiKey> {
        let trimmed = key.trim();
        if trimmed.is_empty() {
            None
        } else {
            Some(ApiKey(trimmed.to_owned()))
        }
    }

    /// The key itself, for the one place that sends it (the upstream request) and for redaction.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

/// Where answers come from.
#[derive(Debug, Clone)]
pub enum SourceConfig {
    /// The PAVE API (or anything that speaks like it, such as a test's mock).
    Upstream {
        /// Base URL, `http` or `https`, with an optional path prefix and no query.
        base: String,
        /// Sent as the `API-Key` header, and nowhere else.
        api_key: ApiKey,
    },
    /// Files in a directory; see the README for the layout.
    Fixtures {
        /// The directory holding `<KEY>.json` and `<KEY>.pending.json` files.
        dir: PathBuf,
        /// Calls of a session with a `<KEY>.pending.json` that answer 400 before its `<KEY>.json`.
        pending_calls: u32,
    },
}

/// How long each kind of answer is kept, and how much memory the cache may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CachePolicy {
    /// A 200 whose body has a boolean `success` (damages found or none). Defaults to 300 s.
    pub result_ttl: Duration,
    /// A 400 ("not yet inspected"); short so that a polling client sees completion soon. Defaults to 5 s.
    pub pending_ttl: Duration,
    /// A 404 (unknown session). Defaults to 30 s.
    pub not_found_ttl: Duration,
    /// Memory budget for cached bodies; least recently used entries go first. Defaults to 64 MiB.
    pub max_bytes: usize,
}

impl Default for CachePolicy {
    fn default() -> Self {
        CachePolicy {
            result_ttl: Duration::from_secs(300),
            pending_ttl: Duration::from_secs(5),
            not_found_ttl: Duration::from_secs(30),
            max_bytes: 64 * 1024 * 1024,
        }
    }
}

/// The per-client token bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitConfig {
    /// Tokens added per minute; 0 turns the limit off. Defaults to 120.
    pub per_minute: u32,
    /// Bucket size: requests a client may make at once. Defaults to 30.
    pub burst: u32,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig { per_minute: 120, burst: 30 }
    }
}

/// Everything [`crate::Server::start`] needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to bind; port 0 picks a free one. Defaults to `127.0.0.1:8080`.
    pub listen: SocketAddr,
    /// Where answers come from.
    pub source: SourceConfig,
    /// Origins allowed through CORS (`*` for any). Defaults to none.
    pub allow_origins: Vec<String>,
    /// Session-key pattern, matched against the whole key. Defaults to [`DEFAULT_SESSION_PATTERN`].
    pub session_pattern: String,
    /// Upstream timeout for headers and body together. Defaults to [`DEFAULT_UPSTREAM_TIMEOUT_MS`] (8 s).
    pub upstream_timeout: Duration,
    /// Largest upstream body accepted. Defaults to 4 MiB.
    pub max_body_bytes: usize,
    /// Cache lifetimes and budget.
    pub cache: CachePolicy,
    /// Per-client rate limit.
    pub rate_limit: RateLimitConfig,
    /// Read the client IP from `X-Forwarded-For`. Defaults to false (the socket's peer address).
    pub trust_forwarded: bool,
    /// With `trust_forwarded`: the client is the `trusted_hops`-th address from the right of
    /// `X-Forwarded-For` (1: the one our own reverse proxy appended). Defaults to 1.
    pub trusted_hops: usize,
    /// Directory served at `/`. Defaults to none.
    pub static_dir: Option<PathBuf>,
    /// Where request log lines go. Defaults to stderr.
    pub log: LogSink,
    /// How long shutdown waits for in-flight requests. Defaults to 30 s.
    pub shutdown_timeout: Duration,
    /// How long a connection may take to send a complete request head, from its start or from the
    /// end of its previous response (so also the keep-alive idle timeout). Defaults to 10 s.
    pub header_timeout: Duration,
    /// How long a response may wait for the client to take any more of it (the clock restarts whenever
    /// the socket takes more bytes) before the connection is closed. Defaults to 30 s.
    pub write_timeout: Duration,
    /// Connections served at once; more wait in the listen backlog. Defaults to 1024.
    pub max_connections: usize,
    /// Connections served at once per socket peer address (IPv6 per /64); past it a new one is closed at
    /// once. `None` (the default): [`DEFAULT_MAX_CONNECTIONS_PER_IP`], or no cap with `trust_forwarded`,
    /// where every connection comes from the reverse proxy. `Some(0)`: no cap. `Some(n)`: `n`, counted
    /// per socket peer even with `trust_forwarded`.
    pub max_connections_per_ip: Option<usize>,
}

impl Config {
    /// A configuration with every default, answering from `source`.
    pub fn new(source: SourceConfig) -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            source,
            allow_origins: Vec::new(),
            session_pattern: DEFAULT_SESSION_PATTERN.to_owned(),
            upstream_timeout: Duration::from_millis(DEFAULT_UPSTREAM_TIMEOUT_MS),
            max_body_bytes: 4 * 1024 * 1024,
            cache: CachePolicy::default(),
            rate_limit: RateLimitConfig::default(),
            trust_forwarded: false,
            trusted_hops: 1,
            static_dir: None,
            log: LogSink::Stderr,
            shutdown_timeout: Duration::from_secs(30),
            header_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
            max_connections: 1024,
            max_connections_per_ip: None,
        }
    }

    /// The per-peer connection cap in effect: `None` when there is none (see
    /// [`Config::max_connections_per_ip`]).
    pub(crate) fn connections_per_ip(&self) -> Option<usize> {
        match self.max_connections_per_ip {
            None if self.trust_forwarded => None,
            None => Some(DEFAULT_MAX_CONNECTIONS_PER_IP),
            Some(0) => None,
            Some(n) => Some(n),
        }
    }

    /// Refuses values with which every request would fail, or the server could not run.
    /// [`crate::Server::start`] calls it too, so a `Config` built in code is held to the same rules.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.upstream_timeout < MIN_UPSTREAM_TIMEOUT {
            return Err(ConfigError(format!(
                "--upstream-timeout-ms {} is too small: every upstream call would time out. Use at least {}.",
                self.upstream_timeout.as_millis(),
                MIN_UPSTREAM_TIMEOUT.as_millis()
            )));
        }
        if self.max_body_bytes < MIN_MAX_BODY_BYTES {
            return Err(ConfigError(format!(
                "--max-body-bytes {} is too small: even PAVE's shortest answer would be refused. Use at least {}.",
                self.max_body_bytes, MIN_MAX_BODY_BYTES
            )));
        }
        if self.header_timeout < Duration::from_secs(1) {
            return Err(ConfigError("--header-timeout-s must be at least 1: with 0 no request could arrive.".into()));
        }
        if self.write_timeout < Duration::from_secs(1) {
            return Err(ConfigError(
                "--write-timeout-s must be at least 1: with 0 every response the socket cannot take at once \
                 would be cut off."
                    .into(),
            ));
        }
        if self.max_connections == 0 || u32::try_from(self.max_connections).is_err() {
            return Err(ConfigError(format!(
                "--max-connections {} is not usable: give a number from 1 to {}.",
                self.max_connections,
                u32::MAX
            )));
        }
        if !(1..=MAX_TRUSTED_HOPS).contains(&self.trusted_hops) {
            return Err(ConfigError(format!(
                "--trusted-hops {} is not usable: give the number of your own reverse proxies, 1 to {MAX_TRUSTED_HOPS}.",
                self.trusted_hops
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("pave-proxy").chain(args.iter().copied())).unwrap()
    }

    #[test]
    fn defaults_match_the_documentation() {
        let config = parse(&[]).into_config(Some("k".into())).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.upstream_timeout, Duration::from_millis(8000));
        assert_eq!(Config::new(config.source.clone()).upstream_timeout, config.upstream_timeout, "the library's too");
        assert_eq!(config.max_body_bytes, 4 * 1024 * 1024);
        assert_eq!(config.cache, CachePolicy::default());
        assert_eq!(config.rate_limit, RateLimitConfig::default());
        assert_eq!(config.session_pattern, DEFAULT_SESSION_PATTERN);
        assert!(matches!(
            config.source,
            SourceConfig::Upstream { ref base, .. } if base == DEFAULT_UPSTREAM
        ));
    }

    #[test]
    fn refuses_to_run_without_a_key_unless_fixtures() {
        let err = parse(&[]).into_config(None).unwrap_err();
        assert!(err.0.contains("PAVE_API_KEY"), "{err}");
        assert!(parse(&[]).into_config(Some("  ".into())).is_err());
        let config = parse(&["--fixtures", "dir"]).into_config(None).unwrap();
        assert!(matches!(config.source, SourceConfig::Fixtures { pending_calls: 2, .. }));
    }

    #[test]
    fn there_is_no_flag_for_the_key() {
        assert!(Cli::try_parse_from(["pave-proxy", "--api-key", "x"]).is_err());
    }

    #[test]
    fn api_key_debug_is_redacted() {
        let key = ApiKey::new("super-secret".into()).unwrap();
        assert_eq!(format!("{key:?}"), "ApiKey([redacted])");
        let config = Config::new(SourceConfig::Upstream { base: DEFAULT_UPSTREAM.into(), api_key: key });
        assert!(!format!("{config:?}").contains("super-secret"));
    }

    #[test]
    fn values_that_fail_every_request_are_refused() {
        for (flag, value, words) in [
            ("--upstream-timeout-ms", "0", "at least 100"),
            ("--upstream-timeout-ms", "99", "at least 100"),
            ("--max-body-bytes", "0", "at least 1024"),
            ("--max-body-bytes", "1023", "at least 1024"),
            ("--header-timeout-s", "0", "at least 1"),
            ("--write-timeout-s", "0", "at least 1"),
            ("--max-connections", "0", "1 to"),
        ] {
            let err = parse(&[flag, value]).into_config(Some("k".into())).unwrap_err();
            assert!(err.0.contains(flag) && err.0.contains(words), "{flag} {value}: {err}");
        }
        let config = parse(&["--upstream-timeout-ms", "100", "--max-body-bytes", "1024"]).into_config(Some("k".into()));
        assert!(config.is_ok());
    }

    #[test]
    fn connection_limits_and_trusted_hops() {
        let config = parse(&[]).into_config(Some("k".into())).unwrap();
        assert_eq!((config.header_timeout, config.max_connections), (Duration::from_secs(10), 1024));
        assert_eq!((config.trust_forwarded, config.trusted_hops), (false, 1));
        let config =
            parse(&["--header-timeout-s", "3", "--max-connections", "64", "--trust-forwarded", "--trusted-hops", "2"])
                .into_config(Some("k".into()))
                .unwrap();
        assert_eq!((config.header_timeout, config.max_connections), (Duration::from_secs(3), 64));
        assert_eq!((config.trust_forwarded, config.trusted_hops), (true, 2));
        assert!(Cli::try_parse_from(["pave-proxy", "--trusted-hops", "2"]).is_err(), "needs --trust-forwarded");
        let config = parse(&["--write-timeout-s", "5"]).into_config(Some("k".into())).unwrap();
        assert_eq!(config.write_timeout, Duration::from_secs(5));
        for hops in ["0", "17"] {
            let cli = parse(&["--trust-forwarded", "--trusted-hops", hops]);
            assert!(cli.into_config(Some("k".into())).is_err(), "{hops}");
        }
    }

    #[test]
    fn write_timeout_and_per_ip_cap_defaults() {
        let config = parse(&[]).into_config(Some("k".into())).unwrap();
        assert_eq!(config.write_timeout, Duration::from_secs(30));
        assert_eq!(config.max_connections_per_ip, None);
        assert_eq!(config.connections_per_ip(), Some(DEFAULT_MAX_CONNECTIONS_PER_IP));
        assert_eq!(DEFAULT_MAX_CONNECTIONS_PER_IP, 64);
        assert_eq!(Config::new(config.source.clone()).connections_per_ip(), Some(64), "the library's default too");
    }

    #[test]
    fn the_per_ip_cap_is_off_behind_a_reverse_proxy_unless_given() {
        let cap = |args: &[&str]| parse(args).into_config(Some("k".into())).unwrap().connections_per_ip();
        assert_eq!(cap(&["--max-connections-per-ip", "8"]), Some(8));
        assert_eq!(cap(&["--max-connections-per-ip", "0"]), None, "0 turns it off");
        // Behind a reverse proxy every connection comes from the proxy: no cap by default...
        assert_eq!(cap(&["--trust-forwarded"]), None);
        // ...but a value given counts per socket peer all the same.
        assert_eq!(cap(&["--trust-forwarded", "--max-connections-per-ip", "200"]), Some(200));
        assert_eq!(cap(&["--trust-forwarded", "--max-connections-per-ip", "0"]), None);
    }

    #[test]
    fn repeatable_origins_and_flags() {
        let config = parse(&[
            "--allow-origin",
            "https://a.example",
            "--allow-origin",
            "*",
            "--quiet",
            "--trust-forwarded",
            "--static",
            "www",
            "--listen",
            "127.0.0.1:0",
        ])
        .into_config(Some("k".into()))
        .unwrap();
        assert_eq!(config.allow_origins, vec!["https://a.example", "*"]);
        assert!(matches!(config.log, LogSink::Quiet));
        assert!(config.trust_forwarded);
        assert_eq!(config.static_dir, Some(PathBuf::from("www")));
        assert_eq!(config.listen.port(), 0);
    }
}
