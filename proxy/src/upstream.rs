//! The one outgoing call: `GET {base}/v1/hotspots/{key}` with the `API-Key` header.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Request, StatusCode, Uri};
use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Empty};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use crate::config::{ApiKey, CachePolicy, ConfigError};
use crate::dates::parse_http_date;
use crate::outcome::{Answer, Failure, Outcome};

pub(crate) struct Upstream {
    client: Client<HttpsConnector<HttpConnector>, Empty<Bytes>>,
    /// Scheme, authority and optional path prefix, without a trailing slash.
    base: String,
    api_key: HeaderValue,
    timeout: Duration,
    max_body_bytes: usize,
    policy: CachePolicy,
    /// After a 429: no call to PAVE before this instant (for any session, since PAVE limits the key).
    hold_off: Mutex<Option<Instant>>,
}

/// Hold-off after a 429 whose `Retry-After` is missing or unreadable.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(5);
/// Bounds on a 429's `Retry-After`: at least a second, and never so long that the proxy stays
/// silent for a long time on one answer.
const MIN_RETRY_AFTER: Duration = Duration::from_secs(1);
const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

impl Upstream {
    pub(crate) fn new(
        base: &str,
        api_key: &ApiKey,
        timeout: Duration,
        max_body_bytes: usize,
        policy: CachePolicy,
    ) -> Result<Upstream, ConfigError> {
        let base = check_base(base)?;
        let mut api_key = HeaderValue::from_str(api_key.expose())
            .map_err(|_| ConfigError("PAVE_API_KEY contains characters that cannot be sent in a header".into()))?;
        // Keeps the value out of hyper's debug output and HPACK tables.
        api_key.set_sensitive(true);

        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(timeout));
        http.set_nodelay(true);
        let tls = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
            .map_err(|e| ConfigError(format!("TLS setup failed: {e}")))?
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        // The legacy client never follows redirects, so the key cannot be carried to another host.
        let client = Client::builder(TokioExecutor::new()).pool_idle_timeout(Duration::from_secs(60)).build(tls);
        Ok(Upstream { client, base, api_key, timeout, max_body_bytes, policy, hold_off: Mutex::new(None) })
    }

    /// Calls upstream for an already validated session key, unless PAVE asked us to hold off.
    pub(crate) async fn fetch(&self, key: &str) -> Outcome {
        if let Some(until) = self.held_off(Instant::now()) {
            return Outcome::Failure(Failure::Busy { until });
        }
        match tokio::time::timeout(self.timeout, self.call(key)).await {
            Ok(Ok(answer)) => Outcome::Answer(answer.into()),
            Ok(Err(Failure::Busy { until })) => {
                let mut hold_off = self.hold_off.lock().unwrap_or_else(|e| e.into_inner());
                let until = hold_off.map_or(until, |earlier| earlier.max(until));
                *hold_off = Some(until);
                Outcome::Failure(Failure::Busy { until })
            }
            Ok(Err(failure)) => Outcome::Failure(failure),
            Err(_) => Outcome::Failure(Failure::Timeout(self.timeout)),
        }
    }

    /// The end of the current hold-off, if one is running at `now`.
    fn held_off(&self, now: Instant) -> Option<Instant> {
        let hold_off = self.hold_off.lock().unwrap_or_else(|e| e.into_inner());
        hold_off.filter(|until| *until > now)
    }

    async fn call(&self, key: &str) -> Result<Answer, Failure> {
        let uri: Uri = format!("{}/v1/hotspots/{key}", self.base).parse().map_err(|_| Failure::Internal)?;
        let mut request = Request::new(Empty::new());
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        headers.insert("api-key", self.api_key.clone());
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("identity"));
        headers.insert(header::USER_AGENT, HeaderValue::from_static(concat!("pave-proxy/", env!("CARGO_PKG_VERSION"))));

        let response = self.client.request(request).await.map_err(|_| Failure::Unreachable)?;
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            let wait = retry_after(response.headers().get(header::RETRY_AFTER), SystemTime::now());
            return Err(Failure::Busy { until: Instant::now() + wait });
        }
        if !matches!(status, StatusCode::OK | StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND) {
            // Not passed on: a 401/403 means our key is wrong, a 5xx that PAVE is; neither body is
            // the client's business. Dropping the response closes that connection.
            return Err(Failure::Status(status.as_u16()));
        }
        if !is_plain(response.headers()) {
            // We asked for identity; gzip or anything else would reach the widget as garbage.
            return Err(Failure::Encoded(status.as_u16()));
        }
        let declared = response
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|len| len > self.max_body_bytes as u64) {
            return Err(Failure::TooLarge(self.max_body_bytes));
        }

        let mut body = response.into_body();
        let mut buf = BytesMut::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| Failure::Unreachable)?;
            if let Ok(data) = frame.into_data() {
                if buf.len() + data.len() > self.max_body_bytes {
                    return Err(Failure::TooLarge(self.max_body_bytes));
                }
                buf.extend_from_slice(&data);
            }
        }
        Ok(Answer::new(status, buf.freeze(), &self.policy))
    }
}

/// Whether the body hyper hands over is the bytes themselves: no `Content-Encoding` but `identity`,
/// and no transfer coding but `chunked`, the one hyper takes off (of `Transfer-Encoding: gzip,
/// chunked` it removes the chunking and leaves the gzip on).
fn is_plain(headers: &HeaderMap) -> bool {
    codings_within(headers, header::CONTENT_ENCODING, &["identity"])
        && codings_within(headers, header::TRANSFER_ENCODING, &["identity", "chunked"])
}

/// Whether every coding listed in every `name` header line (none at all is fine) is one of `allowed`.
fn codings_within(headers: &HeaderMap, name: HeaderName, allowed: &[&str]) -> bool {
    headers.get_all(name).iter().all(|value| {
        value.to_str().is_ok_and(|text| {
            text.split(',')
                .map(str::trim)
                .all(|coding| coding.is_empty() || allowed.iter().any(|ok| coding.eq_ignore_ascii_case(ok)))
        })
    })
}

/// How long to hold off after a 429: its `Retry-After` (seconds, or an HTTP date), clamped to
/// [`MIN_RETRY_AFTER`]..=[`MAX_RETRY_AFTER`]; [`DEFAULT_RETRY_AFTER`] when absent or unreadable.
fn retry_after(value: Option<&HeaderValue>, now: SystemTime) -> Duration {
    let text = value.and_then(|v| v.to_str().ok()).map(str::trim).unwrap_or_default();
    let wait = match text.parse::<u64>() {
        Ok(secs) => Some(Duration::from_secs(secs)),
        Err(_) => parse_http_date(text).map(|at| at.duration_since(now).unwrap_or_default()),
    };
    wait.unwrap_or(DEFAULT_RETRY_AFTER).max(MIN_RETRY_AFTER).min(MAX_RETRY_AFTER)
}

/// Accepts `http(s)://host[:port][/prefix]`, no query or fragment, and drops a trailing slash.
fn check_base(base: &str) -> Result<String, ConfigError> {
    let bad = |why: &str| ConfigError(format!("--upstream {base:?} is not usable: {why}"));
    let uri: Uri = base.parse().map_err(|_| bad("not a URL"))?;
    match uri.scheme_str() {
        Some("http") | Some("https") => {}
        _ => return Err(bad("the scheme must be http or https")),
    }
    if uri.authority().is_none() {
        return Err(bad("there is no host"));
    }
    if uri.query().is_some() || base.contains('#') {
        return Err(bad("a query or fragment is not allowed"));
    }
    Ok(base.trim_end_matches('/').to_owned())
}

/// Whether sending the key to this base leaves the machine unencrypted.
pub(crate) fn is_plain_http_off_host(base: &str) -> bool {
    let Ok(uri) = base.parse::<Uri>() else {
        return false;
    };
    let host = uri.host().unwrap_or_default();
    uri.scheme_str() == Some("http")
        && !(host == "localhost"
            || host.trim_matches(|c| c == '[' || c == ']').parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::time::UNIX_EPOCH;

    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(check_base("https://openapi.paveapi.com/").unwrap(), "https://openapi.paveapi.com");
        assert_eq!(check_base("http://127.0.0.1:9/gw/pave").unwrap(), "http://127.0.0.1:9/gw/pave");
        for bad in ["ftp://x", "openapi.paveapi.com", "https://x/?a=b", "https://x/#f", ""] {
            assert!(check_base(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn retry_after_is_read_and_clamped() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        let ra = |v: &'static str| retry_after(Some(&HeaderValue::from_static(v)), now);
        assert_eq!(ra("7"), Duration::from_secs(7));
        assert_eq!(ra(" 120 "), Duration::from_secs(120));
        assert_eq!(ra("0"), MIN_RETRY_AFTER);
        assert_eq!(ra("86400"), MAX_RETRY_AFTER);
        assert_eq!(ra("soon"), DEFAULT_RETRY_AFTER);
        assert_eq!(ra("-3"), DEFAULT_RETRY_AFTER);
        assert_eq!(retry_after(None, now), DEFAULT_RETRY_AFTER);
        assert_eq!(ra("Sun, 06 Nov 1994 08:50:07 GMT"), Duration::from_secs(30));
        assert_eq!(ra("Sun, 06 Nov 1994 08:00:00 GMT"), MIN_RETRY_AFTER, "in the past");
        assert_eq!(ra("Sun, 06 Nov 1994 08:50:07 PST"), DEFAULT_RETRY_AFTER);
    }

    #[test]
    fn only_identity_encoding_and_chunked_transfer_are_passed_on() {
        let plain = |lines: &[(HeaderName, &'static str)]| {
            let mut headers = HeaderMap::new();
            for (name, value) in lines {
                headers.append(name, HeaderValue::from_static(value));
            }
            is_plain(&headers)
        };
        let (ce, te) = (header::CONTENT_ENCODING, header::TRANSFER_ENCODING);
        assert!(plain(&[]));
        assert!(plain(&[(ce.clone(), "identity")]));
        assert!(plain(&[(ce.clone(), "Identity")]));
        assert!(plain(&[(ce.clone(), "")]));
        assert!(!plain(&[(ce.clone(), "gzip")]));
        assert!(!plain(&[(ce.clone(), "identity, br")]));
        assert!(!plain(&[(ce.clone(), "identity"), (ce.clone(), "gzip")]), "every header line counts");
        assert!(plain(&[(te.clone(), "chunked")]));
        assert!(plain(&[(te.clone(), "Chunked")]));
        assert!(!plain(&[(te.clone(), "gzip, chunked")]));
        assert!(!plain(&[(te.clone(), "gzip"), (te.clone(), "chunked")]));
        assert!(!plain(&[(ce, "identity"), (te, "deflate, chunked")]));
    }

    #[test]
    fn plain_http_warning() {
        assert!(is_plain_http_off_host("http://example.com"));
        assert!(!is_plain_http_off_host("http://127.0.0.1:8080"));
        assert!(!is_plain_http_off_host("http://[::1]:8080"));
        assert!(!is_plain_http_off_host("http://localhost:1"));
        assert!(!is_plain_http_off_host("https://example.com"));
    }
}
