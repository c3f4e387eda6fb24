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
            let normalised = normalise_origin(origin).map_err(|why| {
                ConfigError(format!(
                    "--allow-origin {origin:?} can never match a browser's Origin header: {why}. Write it as \
                     https://host or https://host:port, or * for any origin."
                ))
            })?;
            cors.origins.push(normalised);
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

/// An origin as browsers serialise it in `Origin`: lower-case `scheme://host[:port]`, the port
/// dropped when it is the scheme's default. A trailing `/` is forgiven; anything that can never
/// equal a browser's `Origin` (a path, a wildcard, user info, a Unicode host) is refused with the
/// reason.
fn normalise_origin(origin: &str) -> Result<String, &'static str> {
    let origin = origin.strip_suffix('/').unwrap_or(origin).to_ascii_lowercase();
    let (scheme, rest, default_port) = if let Some(rest) = origin.strip_prefix("https://") {
        ("https", rest, 443)
    } else if let Some(rest) = origin.strip_prefix("http://") {
        ("http", rest, 80)
    } else {
        return Err("the scheme must be http:// or https://");
    };
    if rest.contains('*') {
        return Err("a wildcard is not supported; list every origin");
    }
    if rest.contains('@') {
        return Err("browsers never send user info (user@) in an origin");
    }
    if rest.contains(['/', '?', '#', '\\']) {
        return Err("an origin has no path, query or fragment");
    }
    if !rest.is_ascii() {
        return Err("write an international host name in its punycode (xn--) form");
    }
    let (host, port) = if rest.starts_with('[') {
        let (literal, after) = rest.split_once(']').ok_or("an IPv6 address needs its closing ]")?;
        let inner = literal.trim_start_matches('[');
        if inner.is_empty() || !inner.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.') {
            return Err("the IPv6 address is not valid");
        }
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or("only :port may follow the IPv6 address")?),
        };
        (format!("{literal}]"), port)
    } else {
        match rest.split_once(':') {
            Some((host, port)) => (host.to_owned(), Some(port)),
            None => (rest.to_owned(), None),
        }
    };
    if host.is_empty() || host == "[]" {
        return Err("there is no host");
    }
    if !host.starts_with('[') && !host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
        return Err("the host may hold only letters, digits, '-' and '.'");
    }
    let port = match port {
        None => None,
        Some(port) => {
            let number = port
                .parse::<u16>()
                .ok()
                .filter(|n| *n != 0 && port.bytes().all(|b| b.is_ascii_digit()))
                .ok_or("the port must be a number from 1 to 65535")?;
            (number != default_port).then_some(number)
        }
    };
    Ok(match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

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

    #[test]
    fn default_ports_are_dropped_so_the_browsers_origin_matches() {
        let cors = Cors::new(&["https://dealer.example:443".into(), "http://Shop.example:80/".into()]).unwrap();
        assert_eq!(cors.allow_origin(&with_origin("https://dealer.example")).unwrap(), "https://dealer.example");
        assert_eq!(cors.allow_origin(&with_origin("http://shop.example")).unwrap(), "http://shop.example");
        assert!(cors.allow_origin(&with_origin("http://dealer.example")).is_none());
        assert_eq!(normalise_origin("https://d.example:8443").unwrap(), "https://d.example:8443");
        assert_eq!(normalise_origin("http://d.example:443").unwrap(), "http://d.example:443");
        assert_eq!(normalise_origin("https://[2001:DB8::1]:443").unwrap(), "https://[2001:db8::1]");
        assert_eq!(normalise_origin("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
    }

    #[test]
    fn origins_that_can_never_match_are_refused_with_the_reason() {
        for (bad, why) in [
            ("https://*.x.example", "wildcard"),
            ("https://user@dealer.example", "user info"),
            ("https://user:pw@dealer.example", "user info"),
            ("https://dealer.example/page", "no path"),
            ("https://dealer.example?x", "no path"),
            ("https://dealer.example:0", "port"),
            ("https://dealer.example:99999", "port"),
            ("https://dealer.example:", "port"),
            ("https://dealer.example:+1", "port"),
            ("https://bücher.example", "punycode"),
            ("https://dealer example", "letters"),
            ("https://[zz]", "IPv6"),
            ("https://:443", "no host"),
        ] {
            let err = Cors::new(&[bad.into()]).err().unwrap_or_else(|| panic!("{bad} was accepted"));
            assert!(err.0.contains(why), "{bad}: {err}");
        }
    }
}
