//! One line per request, to stderr or (in tests) to memory.
//!
//! The API key is never formatted into a line in the first place; as a second fence every line is
//! also scrubbed of the key's text before it is written: wherever it occurs for a key of at least
//! [`MIN_SUBSTRING_SECRET`] characters, and only where it stands as a whole word for a shorter one
//! (so that `PAVE_API_KEY=k` does not turn every `k` of every line into `[redacted]`).

use std::fmt;
use std::io::Write;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::Method;

use crate::dates::civil_from_days;

/// Where log lines go.
#[derive(Clone, Default)]
pub enum LogSink {
    /// Standard error, one line per request (the default).
    #[default]
    Stderr,
    /// Nowhere (`--quiet`).
    Quiet,
    /// Appended to a shared vector, so that a test can read exactly what would have been logged.
    Memory(Arc<Mutex<Vec<String>>>),
}

impl fmt::Debug for LogSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LogSink::Stderr => "Stderr",
            LogSink::Quiet => "Quiet",
            LogSink::Memory(_) => "Memory",
        })
    }
}

/// How a request was answered with respect to the cache, for the log line and `X-Cache`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CacheStatus {
    /// Served from the cache.
    Hit,
    /// This request made the upstream call.
    Miss,
    /// Joined an upstream call another request had already started.
    Coalesced,
    /// Not a cacheable route (static files, errors before lookup, health).
    None,
}

impl CacheStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            CacheStatus::Hit => "hit",
            CacheStatus::Miss => "miss",
            CacheStatus::Coalesced => "coalesced",
            CacheStatus::None => "-",
        }
    }
}

/// A request's [`CacheStatus`] as soon as the lookup knows it, before the request has its answer:
/// the log line of a request that never gets one (see `server::RequestLine`) reads it from here.
#[derive(Debug)]
pub(crate) struct CacheNote(Mutex<CacheStatus>);

impl Default for CacheNote {
    fn default() -> Self {
        CacheNote(Mutex::new(CacheStatus::None))
    }
}

impl CacheNote {
    pub(crate) fn set(&self, status: CacheStatus) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = status;
    }

    pub(crate) fn get(&self) -> CacheStatus {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Keys at least this long are scrubbed wherever their text occurs; shorter ones only as whole words.
pub(crate) const MIN_SUBSTRING_SECRET: usize = 16;

/// A sink plus the secret to scrub from every line.
#[derive(Clone, Debug)]
pub(crate) struct Logger {
    sink: LogSink,
    secret: Option<Arc<str>>,
}

impl Logger {
    pub(crate) fn new(sink: LogSink, secret: Option<&str>) -> Logger {
        Logger { sink, secret: secret.filter(|s| !s.is_empty()).map(Arc::from) }
    }

    /// Writes one line (a timestamp is prepended).
    pub(crate) fn line(&self, text: &str) {
        if matches!(self.sink, LogSink::Quiet) {
            return;
        }
        let mut line = format!("{} {}", rfc3339_utc(SystemTime::now()), text);
        if let Some(secret) = &self.secret {
            line = scrub(&line, secret);
        }
        match &self.sink {
            LogSink::Quiet => {}
            LogSink::Stderr => {
                // A failed write to stderr must not fail the request.
                let _ = writeln!(std::io::stderr().lock(), "{line}");
            }
            LogSink::Memory(lines) => {
                lines.lock().unwrap_or_else(|e| e.into_inner()).push(line);
            }
        }
    }

    /// The per-request line: client, method, path, status, duration, cache.
    pub(crate) fn request(
        &self,
        client: IpAddr,
        method: &Method,
        path: &str,
        status: u16,
        elapsed: Duration,
        cache: CacheStatus,
    ) {
        if matches!(self.sink, LogSink::Quiet) {
            return;
        }
        self.line(&format!(
            "{client} {method} {} {} {:.1}ms cache={}",
            printable(path),
            status,
            elapsed.as_secs_f64() * 1000.0,
            cache.as_str()
        ));
    }
}

/// `line` with `secret` replaced by `[redacted]`: every occurrence for a secret of at least
/// [`MIN_SUBSTRING_SECRET`] characters, else only occurrences not touching a letter, digit, `-` or `_`
/// on either side.
fn scrub(line: &str, secret: &str) -> String {
    const REDACTED: &str = "[redacted]";
    if secret.chars().count() >= MIN_SUBSTRING_SECRET {
        return line.replace(secret, REDACTED);
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut before: Option<char> = None;
    while let Some(at) = rest.find(secret) {
        let (head, tail) = rest.split_at(at);
        let after_match = tail.get(secret.len()..).unwrap_or_default();
        let prev = head.chars().next_back().or(before);
        let whole = !prev.is_some_and(is_word) && !after_match.chars().next().is_some_and(is_word);
        out.push_str(head);
        if whole {
            out.push_str(REDACTED);
            before = secret.chars().next_back();
            rest = after_match;
        } else {
            // Step one character past the match start, so overlapping occurrences are still seen.
            let step = tail.chars().next().map_or(1, char::len_utf8);
            let (skipped, remaining) = tail.split_at(step.min(tail.len()));
            out.push_str(skipped);
            before = skipped.chars().next_back();
            rest = remaining;
        }
    }
    out.push_str(rest);
    out
}

/// Escapes anything that could break a log line apart (hyper already refuses most of it).
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_graphic() {
                c.to_string()
            } else if c.is_ascii() {
                format!("\\x{:02x}", u32::from(c))
            } else {
                c.escape_default().collect()
            }
        })
        .collect()
}

/// `2024-01-02T03:04:05.678Z`, without a date-time crate.
pub(crate) fn rfc3339_utc(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        since.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn timestamps_are_rfc3339() {
        assert_eq!(rfc3339_utc(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let t = UNIX_EPOCH + Duration::from_millis(1_709_251_199_123); // leap year, end of Feb
        assert_eq!(rfc3339_utc(t), "2024-02-29T23:59:59.123Z");
        let t = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(rfc3339_utc(t), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn lines_are_scrubbed_of_the_secret() {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let logger = Logger::new(LogSink::Memory(lines.clone()), Some("s3cr3t"));
        logger.line("oops s3cr3t leaked");
        let got = lines.lock().unwrap().join("\n");
        assert!(!got.contains("s3cr3t"));
        assert!(got.contains("[redacted]"));
    }

    #[test]
    fn a_short_secret_is_scrubbed_only_as_a_whole_word() {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let logger = Logger::new(LogSink::Memory(lines.clone()), Some("k"));
        logger.line("127.0.0.1 GET /pave/hotspots/UDB-KKKKKKKKKK 200 1.0ms cache=hit key=k");
        let got = lines.lock().unwrap().join("\n");
        assert!(got.contains("GET /pave/hotspots/UDB-KKKKKKKKKK 200 1.0ms cache=hit key=[redacted]"), "{got}");
        assert_eq!(scrub("k", "k"), "[redacted]");
        assert_eq!(scrub("kk k,k", "k"), "kk [redacted],[redacted]");
        assert_eq!(scrub("ab ab-x xab ab", "ab"), "[redacted] ab-x xab [redacted]");
        assert_eq!(scrub("aaa aa", "aa"), "aaa [redacted]");
        assert_eq!(scrub("é=k", "k"), "é=[redacted]");
    }

    #[test]
    fn a_long_secret_is_scrubbed_wherever_it_occurs() {
        let key = "0123456789abcdefXYZ";
        assert_eq!(scrub(&format!("x{key}y {key}"), key), "x[redacted]y [redacted]");
    }

    #[test]
    fn paths_cannot_split_lines() {
        assert_eq!(printable("/a\nb c"), "/a\\x0ab\\x20c");
        assert_eq!(printable("/é"), "/\\u{e9}");
    }
}
