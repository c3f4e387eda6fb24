//! What a lookup of a session produces: an answer to pass on, or a failure to report.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use bytes::Bytes;
use serde::Deserialize;

use crate::config::CachePolicy;

/// What kind of answer this is, which decides how long it is kept and what browsers are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CacheClass {
    /// 200 with a boolean `success`: damages found, or none. Kept for the result TTL.
    Result,
    /// 400: not yet inspected. Kept a few seconds here, never by browsers.
    Pending,
    /// 404: unknown session. Kept briefly.
    NotFound,
    /// A 200 that does not look like a PAVE result: passed on, never kept.
    Uncacheable,
}

/// An upstream (or fixture) answer that is passed on with its status and body verbatim.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) body: Bytes,
    /// Strong ETag (quoted), for 200s only.
    pub(crate) etag: Option<String>,
    pub(crate) class: CacheClass,
    pub(crate) fetched_at: Instant,
    /// How long the answer stays fresh; zero means it is not cached at all.
    pub(crate) ttl: Duration,
}

impl Answer {
    /// Classifies a 200/400/404 and stamps it with its lifetime under `policy`.
    pub(crate) fn new(status: StatusCode, body: Bytes, policy: &CachePolicy) -> Answer {
        let class = match status {
            StatusCode::OK if has_boolean_success(&body) => CacheClass::Result,
            StatusCode::BAD_REQUEST => CacheClass::Pending,
            StatusCode::NOT_FOUND => CacheClass::NotFound,
            _ => CacheClass::Uncacheable,
        };
        let ttl = match class {
            CacheClass::Result => policy.result_ttl,
            CacheClass::Pending => policy.pending_ttl,
            CacheClass::NotFound => policy.not_found_ttl,
            CacheClass::Uncacheable => Duration::ZERO,
        };
        let etag = (status == StatusCode::OK).then(|| strong_etag(&body));
        Answer { status, body, etag, class, fetched_at: Instant::now(), ttl }
    }

    /// Whether the answer is still fresh at `now`.
    pub(crate) fn is_fresh(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.fetched_at) < self.ttl
    }

    /// Whole seconds of freshness left, for `Cache-Control: max-age`.
    pub(crate) fn remaining_secs(&self, now: Instant) -> u64 {
        self.ttl.saturating_sub(now.saturating_duration_since(self.fetched_at)).as_secs()
    }
}

/// Why no answer could be passed on. None of these is ever cached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// PAVE did not answer (headers and body) within the timeout.
    Timeout(Duration),
    /// PAVE's body was larger than the cap.
    TooLarge(usize),
    /// PAVE could not be reached (DNS, connect, TLS, connection reset).
    Unreachable,
    /// PAVE answered with a status other than 200/400/404 (and other than 429).
    Status(u16),
    /// PAVE answered 429, now or earlier: no call is made to it until `until`.
    Busy {
        /// The end of the hold-off (from PAVE's `Retry-After`, clamped).
        until: Instant,
    },
    /// PAVE answered 200/400/404 with a `Content-Encoding` other than identity, which we never ask
    /// for: its bytes are not the JSON the client expects.
    Encoded(u16),
    /// A fixture file exists but could not be read.
    Fixture,
    /// The task fetching the answer went away (should not happen).
    Internal,
}

/// The result of a lookup, shared between coalesced requests.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    Answer(Arc<Answer>),
    Failure(Failure),
}

/// A quoted, strong ETag: the first 128 bits of the body's SHA-256, in hex. Same body, same tag,
/// across restarts and across instances behind a load balancer.
pub(crate) fn strong_etag(body: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, body);
    let mut tag = String::with_capacity(34);
    tag.push('"');
    for byte in digest.as_ref().iter().take(16) {
        tag.push_str(&format!("{byte:02x}"));
    }
    tag.push('"');
    tag
}

fn has_boolean_success(body: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        success: Option<bool>,
    }
    matches!(serde_json::from_slice::<Probe>(body), Ok(Probe { success: Some(_) }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_status_and_success() {
        let p = CachePolicy::default();
        let ok = |b: &'static str| Answer::new(StatusCode::OK, Bytes::from(b), &p).class;
        assert_eq!(ok(r#"{"success": true, "data": []}"#), CacheClass::Result);
        assert_eq!(ok(r#"{"success": false, "data": []}"#), CacheClass::Result);
        assert_eq!(ok(r#"{"data": []}"#), CacheClass::Uncacheable);
        assert_eq!(ok("not json"), CacheClass::Uncacheable);
        assert_eq!(ok("[]"), CacheClass::Uncacheable);
        let bad = Answer::new(StatusCode::BAD_REQUEST, Bytes::new(), &p);
        assert_eq!((bad.class, bad.ttl), (CacheClass::Pending, p.pending_ttl));
        assert!(bad.etag.is_none());
        let nf = Answer::new(StatusCode::NOT_FOUND, Bytes::new(), &p);
        assert_eq!((nf.class, nf.ttl), (CacheClass::NotFound, p.not_found_ttl));
    }

    #[test]
    fn etags_are_strong_and_depend_on_the_body() {
        let a = strong_etag(b"{}");
        assert_eq!(a.len(), 34);
        assert!(a.starts_with('"') && a.ends_with('"') && !a.starts_with("W/"));
        assert_eq!(a, strong_etag(b"{}"));
        assert_ne!(a, strong_etag(b"{ }"));
    }

    #[test]
    fn freshness_counts_down() {
        let p = CachePolicy { result_ttl: Duration::from_secs(10), ..CachePolicy::default() };
        let a = Answer::new(StatusCode::OK, Bytes::from(r#"{"success":true}"#), &p);
        let now = a.fetched_at;
        assert!(a.is_fresh(now));
        assert_eq!(a.remaining_secs(now), 10);
        assert_eq!(a.remaining_secs(now + Duration::from_millis(2500)), 7);
        assert!(!a.is_fresh(now + Duration::from_secs(10)));
        assert_eq!(a.remaining_secs(now + Duration::from_secs(99)), 0);
    }
}
