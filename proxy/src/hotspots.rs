//! `/pave/hotspots/{session_key}`: rate limit, method, key check, lookup, and the response headers
//! that go with each kind of outcome.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;

use crate::cors::Cors;
use crate::fetch::Fetcher;
use crate::log::{CacheNote, CacheStatus};
use crate::outcome::{Answer, CacheClass, Failure, Outcome};
use crate::paths::{KeyError, SessionKeyRule};
use crate::rate_limit::{retry_after_secs, RateLimiter};
use crate::reply;

/// The path prefix of the one API route.
pub(crate) const PREFIX: &str = "/pave/hotspots/";

/// Methods the route takes, for `Allow`.
const ALLOW: &str = "GET, HEAD, OPTIONS";

pub(crate) struct Hotspots {
    pub(crate) fetcher: Arc<Fetcher>,
    pub(crate) keys: SessionKeyRule,
    pub(crate) cors: Cors,
    pub(crate) limiter: Option<RateLimiter>,
}

impl Hotspots {
    /// Answers a request whose path is `PREFIX` + `raw_key`; `note` learns how the cache was
    /// involved as soon as the lookup does (it stays `None` for requests that never reach it).
    pub(crate) async fn handle(
        &self,
        method: &Method,
        raw_key: &str,
        headers: &HeaderMap,
        client: IpAddr,
        note: &CacheNote,
    ) -> Response {
        if method == Method::OPTIONS {
            return self.preflight(headers);
        }
        let mut response = self.answer(method, raw_key, headers, client, note).await;
        self.cors.decorate(headers, response.headers_mut());
        response
    }

    fn preflight(&self, headers: &HeaderMap) -> Response {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NO_CONTENT;
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static(ALLOW));
        self.cors.preflight(headers, response.headers_mut());
        response
    }

    async fn answer(
        &self,
        method: &Method,
        raw_key: &str,
        headers: &HeaderMap,
        client: IpAddr,
        note: &CacheNote,
    ) -> Response {
        if let Some(limiter) = &self.limiter {
            if let Err(wait) = limiter.check(client, Instant::now()) {
                return too_many_requests(retry_after_secs(wait));
            }
        }
        if method != Method::GET && method != Method::HEAD {
            return reply::method_not_allowed(ALLOW);
        }
        let key = match self.keys.check(raw_key) {
            Ok(key) => key,
            Err(KeyError::Traversal) => {
                return reply::error(
                    StatusCode::BAD_REQUEST,
                    "bad_session_key",
                    "A session key cannot contain '..', slashes or percent-encoding.",
                );
            }
            Err(KeyError::Invalid) => {
                return reply::error(StatusCode::BAD_REQUEST, "bad_session_key", "That is not a valid session key.");
            }
        };
        let (outcome, cache) = self.fetcher.lookup(key, note).await;
        let mut response = match outcome {
            Outcome::Answer(answer) => respond(&answer, headers),
            Outcome::Failure(failure) => failed(&failure),
        };
        let x_cache = match cache {
            CacheStatus::Hit => "HIT",
            CacheStatus::Coalesced => "COALESCED",
            CacheStatus::Miss | CacheStatus::None => "MISS",
        };
        response.headers_mut().insert("x-cache", HeaderValue::from_static(x_cache));
        response
    }
}

/// Status and body verbatim, with the caching headers of its class; 304 when the client's ETag
/// matches.
fn respond(answer: &Answer, request: &HeaderMap) -> Response {
    let now = Instant::now();
    let cache_control = match answer.class {
        CacheClass::Result if !answer.ttl.is_zero() => {
            format!("public, max-age={}", answer.remaining_secs(now))
        }
        CacheClass::Result => "no-cache".to_owned(),
        CacheClass::NotFound if !answer.ttl.is_zero() => {
            format!("public, max-age={}", answer.remaining_secs(now))
        }
        // Not yet inspected: a browser must ask again, so it sees completion as soon as we do.
        CacheClass::Pending | CacheClass::NotFound | CacheClass::Uncacheable => "no-store".to_owned(),
    };
    let etag = answer.etag.as_deref().and_then(|tag| HeaderValue::from_str(tag).ok());
    let not_modified = answer.etag.as_deref().is_some_and(|tag| if_none_match(request, tag));

    let mut response = if not_modified {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        response
    } else {
        reply::json(answer.status, answer.body.clone())
    };
    let headers = response.headers_mut();
    if let Some(etag) = etag {
        headers.insert(header::ETAG, etag);
    }
    if let Ok(value) = HeaderValue::from_str(&cache_control) {
        headers.insert(header::CACHE_CONTROL, value);
    }
    response
}

/// `If-None-Match` uses the weak comparison: `W/"x"` matches `"x"`; `*` matches anything. `etag` is
/// given in its strong form (`"x"`).
pub(crate) fn if_none_match(request: &HeaderMap, etag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

fn failed(failure: &Failure) -> Response {
    match failure {
        Failure::Timeout(after) => reply::error(
            StatusCode::GATEWAY_TIMEOUT,
            "upstream_timeout",
            &format!("PAVE did not answer within {} ms.", after.as_millis()),
        ),
        Failure::TooLarge(cap) => reply::error(
            StatusCode::BAD_GATEWAY,
            "upstream_too_large",
            &format!("PAVE's answer was larger than {cap} bytes."),
        ),
        Failure::Unreachable => {
            reply::error(StatusCode::BAD_GATEWAY, "upstream_unreachable", "PAVE could not be reached.")
        }
        Failure::Status(status) => {
            let mut extra = serde_json::Map::new();
            extra.insert("upstream_status".into(), (*status).into());
            reply::error_with(
                StatusCode::BAD_GATEWAY,
                "upstream_error",
                &format!("PAVE answered with status {status}."),
                extra,
            )
        }
        Failure::Busy { until } => {
            let retry_after = until.saturating_duration_since(Instant::now()).as_secs_f64().ceil().max(1.0) as u64;
            let mut extra = serde_json::Map::new();
            extra.insert("upstream_status".into(), 429.into());
            let mut response = reply::error_with(
                StatusCode::SERVICE_UNAVAILABLE,
                "upstream_busy",
                &format!("PAVE asked us to slow down; try again in {retry_after} s."),
                extra,
            );
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            response
        }
        Failure::Encoded(status) => {
            let mut extra = serde_json::Map::new();
            extra.insert("upstream_status".into(), (*status).into());
            reply::error_with(
                StatusCode::BAD_GATEWAY,
                "upstream_error",
                "PAVE's answer came compressed although it was asked not to be.",
                extra,
            )
        }
        Failure::Fixture => reply::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "fixture_error",
            "A fixture file exists but could not be read.",
        ),
        Failure::Internal => {
            reply::error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "The lookup failed unexpectedly.")
        }
    }
}

fn too_many_requests(retry_after: u64) -> Response {
    let mut response = reply::error(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        &format!("Too many requests; try again in {retry_after} s."),
    );
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn inm(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn if_none_match_forms() {
        assert!(if_none_match(&inm("\"abc\""), "\"abc\""));
        assert!(if_none_match(&inm("W/\"abc\""), "\"abc\""));
        assert!(if_none_match(&inm("\"x\", \"abc\""), "\"abc\""));
        assert!(if_none_match(&inm("*"), "\"abc\""));
        assert!(!if_none_match(&inm("\"abd\""), "\"abc\""));
        assert!(!if_none_match(&inm("abc"), "\"abc\""));
        assert!(!if_none_match(&HeaderMap::new(), "\"abc\""));
    }
}
