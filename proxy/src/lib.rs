//! `pave-proxy`: the dealer-side proxy for pave-hotspots.
//!
//! A dealer's web page must never hold the PAVE API key, so the widget asks this proxy instead:
//! `GET /pave/hotspots/{session_key}` is answered by calling
//! `{upstream}/v1/hotspots/{session_key}` with the `API-Key` header and passing status and body back.
//! Around that one call sit the things a public endpoint needs: session-key validation before any
//! upstream call, caching by outcome with strong ETags, coalescing of identical concurrent calls,
//! CORS for listed origins, a per-client rate limit, timeouts and a response-size cap.
//!
//! `--fixtures DIR` answers from files instead (no key, no network), and `--static DIR` also serves
//! a directory of files, which is how the demo page runs.
//!
//! The binary is a thin shell over [`Server`]; tests start the same server in-process.

#![deny(missing_docs)]

mod cache;
mod config;
mod cors;
mod dates;
mod fetch;
mod fixtures;
mod hotspots;
mod log;
mod outcome;
mod paths;
mod per_ip;
mod rate_limit;
mod reply;
mod server;
mod static_files;
mod upstream;
mod write_timeout;

pub use config::{
    ApiKey, CachePolicy, Cli, Config, ConfigError, RateLimitConfig, SourceConfig, DEFAULT_SESSION_PATTERN,
    DEFAULT_UPSTREAM,
};
pub use log::LogSink;
pub use server::{shutdown_signal, Server};
