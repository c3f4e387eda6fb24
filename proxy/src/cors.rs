//! CORS for the listed origins only.

use axum::http::{header, HeaderMap, HeaderValue};

use crate::config::ConfigError;

pub(crate) struct Cors {
    any: bool,
    /// Lower-case `scheme://host[:port]`.
    origins: Vec<String>,
}

impl Cors {
    pub(crate) fn new(allowed: &[String]) -> Result<Cors, ConfigError> {
        let mut cors = Cors { any: false, origins: Vec::new() };
        for origin in allowed {
            let origin = origin.trim();
            if origin == "*" {
                cors.any = true;
                continue;
            }
            let origin = origin.trim_end_matches('/').to_ascii_lowercase();
            let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
            match rest {
                Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ']) => cors.origins.push(origin),
                _ => {
                    return Err(ConfigError(format!(
                        "--allow-origin {origin:?} is not an origin: write it as \
                         https://host[:port] (no path), or * for any"
                    )))
                }
            }
        }
        Ok(cors)
    }

    /// The `Access-Control-Allow-Origin` value for this request, if its origin is allowed.
    pub(crate) fn allow_origin(&self, request: &HeaderMap) -> Option<HeaderValue> {
        let origin = request.get(header::ORIGIN)?;
        if self.any {
            return Some(HeaderValue::from_static("*"));
        }
        let text = origin.to_str().ok()?;
        self.origins.iter().any(|allowed| allowed.eq_ignore_ascii_case(text)).then(|| origin.clone())
    }

    /// Adds the CORS headers of an actual (non-preflight) response on the API route.
    pub(crate) fn decorate(&self, request: &HeaderMap, response: &mut HeaderMap) {
        if let Some(allow) = self.allow_origin(request) {
            response.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, allow);
            response.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("ETag, Retry-After"));
        }
    }

    /// Adds the headers of a preflight answer, if the origin is allowed.
    pub(crate) fn preflight(&self, request: &HeaderMap, response: &mut HeaderMap) {
        if let Some(allow) = self.allow_origin(request) {
            response.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, allow);
            response.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, HEAD"));
            response.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("If-None-Match"));
            response.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn with_origin(origin: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ORIGIN, HeaderValue::from_str(origin).unwrap());
        h
    }

    #[test]
    fn listed_origins_are_echoed() {
        let cors = Cors::new(&["https://Dealer.example/".into()]).unwrap();
        let got = cors.allow_origin(&with_origin("https://dealer.example"));
        assert_eq!(got.unwrap(), "https://dealer.example");
        assert!(cors.allow_origin(&with_origin("https://evil.example")).is_none());
        assert!(cors.allow_origin(&with_origin("https://dealer.example.evil")).is_none());
        assert!(cors.allow_origin(&with_origin("null")).is_none());
        assert!(cors.allow_origin(&HeaderMap::new()).is_none());
    }

    #[test]
    fn star_allows_any() {
        let cors = Cors::new(&["*".into()]).unwrap();
        assert_eq!(cors.allow_origin(&with_origin("https://x.y")).unwrap(), "*");
    }

    #[test]
    fn bad_origins_are_refused_at_start() {
        for bad in ["dealer.example", "https://d.example/page", "https://", "ftp://x"] {
            assert!(Cors::new(&[bad.into()]).is_err(), "{bad}");
        }
    }
}
