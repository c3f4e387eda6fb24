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

    /// An origin allowed to read responses through CORS, written as scheme://host or scheme://host:port.
    /// Repeat for several; * allows any origin.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    pub allow_origin: Vec<String>,

    /// Base URL of the PAVE API; requests go to {upstream}/v1/hotspots/{session_key}.
    #[arg(long, value_name = "URL", default_value = DEFAULT_UPSTREAM)]
    pub upstream: String,

    /// How long to wait for PAVE (headers and body) before answering 504.
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    pub upstream_timeout_ms: u64,

    /// Largest upstream body accepted; a larger one is answered with 502.
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

    /// Take the client IP from the first hop of X-Forwarded-For (only behind a reverse proxy that sets it).
    #[arg(long)]
    pub trust_forwarded: bool,

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
        Ok(Config {
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
            static_dir: self.static_dir,
            log: if self.quiet { LogSink::Quiet } else { LogSink::Stderr },
            shutdown_timeout: Duration::from_secs(self.shutdown_timeout_s),
        })
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
    /// Upstream timeout for headers and body together. Defaults to 10 s.
    pub upstream_timeout: Duration,
    /// Largest upstream body accepted. Defaults to 4 MiB.
    pub max_body_bytes: usize,
    /// Cache lifetimes and budget.
    pub cache: CachePolicy,
    /// Per-client rate limit.
    pub rate_limit: RateLimitConfig,
    /// Read the client IP from `X-Forwarded-For`. Defaults to false (the socket's peer address).
    pub trust_forwarded: bool,
    /// Directory served at `/`. Defaults to none.
    pub static_dir: Option<PathBuf>,
    /// Where request log lines go. Defaults to stderr.
    pub log: LogSink,
    /// How long shutdown waits for in-flight requests. Defaults to 30 s.
    pub shutdown_timeout: Duration,
}

impl Config {
    /// A configuration with every default, answering from `source`.
    pub fn new(source: SourceConfig) -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            source,
            allow_origins: Vec::new(),
            session_pattern: DEFAULT_SESSION_PATTERN.to_owned(),
            upstream_timeout: Duration::from_secs(10),
            max_body_bytes: 4 * 1024 * 1024,
            cache: CachePolicy::default(),
            rate_limit: RateLimitConfig::default(),
            trust_forwarded: false,
            static_dir: None,
            log: LogSink::Stderr,
            shutdown_timeout: Duration::from_secs(30),
        }
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
        assert_eq!(config.upstream_timeout, Duration::from_secs(10));
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
