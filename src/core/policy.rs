//! Rules for what outside data may make the widget do: which photo URLs it loads, and how
//! often it asks again while an inspection runs.

#[allow(unused_imports)]
use crate::prelude::*;

/// The parts of an absolute URL the photo rule looks at (the browser's `URL` parses it; this
/// module only decides).
#[derive(Debug, Clone, Copy)]
pub struct UrlParts<'a> {
    /// `protocol`, with its colon: "https:".
    pub protocol: &'a str,
    /// `hostname`: `images-cdn.paveapi.com`, `[::1]`.
    pub hostname: &'a str,
    /// `origin`: `https://images-cdn.paveapi.com`.
    pub origin: &'a str,
}

/// Why a photo URL was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlRefusal {
    /// Not parseable as a URL.
    Invalid,
    /// A scheme other than https (or http on the page's own origin or on localhost):
    /// `javascript:`, `data:`, `blob:`, `file:`, `ftp:`…
    Scheme,
}

impl UrlRefusal {
    /// Words for the validation report.
    pub fn words(self) -> &'static str {
        match self {
            Self::Invalid => "not a valid URL",
            Self::Scheme => "only https: URLs (or http: on this page's origin or on localhost) are loaded",
        }
    }
}

/// Whether the widget may load a photo from `url` on a page at `page_origin`: `https:`
/// anywhere; `http:` only on the page's own origin or on a loopback host, for development.
/// Everything else — `javascript:`, `data:`, `blob:`, `file:` — is refused.
pub fn photo_url_allowed(url: &UrlParts<'_>, page_origin: &str) -> Result<(), UrlRefusal> {
    match url.protocol.to_ascii_lowercase().as_str() {
        "https:" => Ok(()),
        "http:" if url.origin == page_origin || is_loopback(url.hostname) => Ok(()),
        _ => Err(UrlRefusal::Scheme),
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || (host.starts_with("127.")
            && host.split('.').count() == 4
            && host.split('.').all(|p| p.parse::<u8>().is_ok()))
}

/// How long to wait before asking again while PAVE says "not yet inspected": capped
/// exponential backoff with full jitter (AWS's "Exponential Backoff And Jitter"): a uniform
/// draw in `[0, min(cap, base · 2^attempt)]`, so many pages waiting on one inspection don't
/// call in step. `random` is a draw in `[0, 1)`; the result is never below `floor_ms`, so a
/// zero draw still waits a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The first ceiling, in ms. Defaults to 2,000.
    pub base_ms: u32,
    /// The largest ceiling, in ms. Defaults to 30,000.
    pub cap_ms: u32,
    /// The smallest wait, in ms. Defaults to 500.
    pub floor_ms: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff { base_ms: 2_000, cap_ms: 30_000, floor_ms: 500 }
    }
}

impl Backoff {
    /// The wait before attempt `attempt + 1` (the first retry is `attempt` 0).
    pub fn delay_ms(&self, attempt: u32, random: f64) -> u32 {
        let ceiling = u64::from(self.base_ms).saturating_mul(1u64 << attempt.min(20)).min(u64::from(self.cap_ms));
        let r = if random.is_finite() { random.max(0.0).min(1.0) } else { 0.5 };
        #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let d = (ceiling as f64 * r) as u64;
        // `ceiling` ≤ cap_ms, a u32, so the conversion can't fail.
        u32::try_from(d).unwrap_or(self.cap_ms).max(self.floor_ms.min(self.cap_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts<'a>(protocol: &'a str, hostname: &'a str, origin: &'a str) -> UrlParts<'a> {
        UrlParts { protocol, hostname, origin }
    }

    #[test]
    fn photo_urls() {
        let page = "https://dealer.example";
        let ok = |p: UrlParts<'_>| photo_url_allowed(&p, page).is_ok();
        assert!(ok(parts("https:", "images-cdn.paveapi.com", "https://images-cdn.paveapi.com")));
        assert!(ok(parts("HTTPS:", "x", "https://x")));
        assert!(!ok(parts("http:", "images-cdn.paveapi.com", "http://images-cdn.paveapi.com")));
        assert!(ok(parts("http:", "localhost", "http://localhost:8080")));
        assert!(ok(parts("http:", "127.0.0.1", "http://127.0.0.1:8080")));
        assert!(ok(parts("http:", "[::1]", "http://[::1]:8080")));
        assert!(!ok(parts("http:", "127.0.0.1.evil.example", "http://127.0.0.1.evil.example")));
        assert!(!ok(parts("http:", "dealer.test", "http://dealer.test")));
        assert!(photo_url_allowed(&parts("http:", "dealer.test", "http://dealer.test"), "http://dealer.test").is_ok());
        for scheme in ["javascript:", "data:", "blob:", "file:", "ftp:", ""] {
            assert_eq!(photo_url_allowed(&parts(scheme, "", "null"), page), Err(UrlRefusal::Scheme), "{scheme}");
        }
    }

    #[test]
    fn backoff_grows_with_full_jitter_under_the_cap() {
        let b = Backoff::default();
        assert_eq!(b.delay_ms(0, 0.999_999), 1_999);
        assert_eq!(b.delay_ms(1, 0.5), 2_000);
        assert_eq!(b.delay_ms(3, 1.0), 16_000);
        assert_eq!(b.delay_ms(10, 1.0), 30_000);
        assert_eq!(b.delay_ms(u32::MAX, 1.0), 30_000);
        assert_eq!(b.delay_ms(5, 0.0), 500);
        assert_eq!(b.delay_ms(2, f64::NAN), 4_000);
        for attempt in 0..40 {
            for r in [0.0, 0.1, 0.5, 0.9, 1.0] {
                let d = b.delay_ms(attempt, r);
                assert!((500..=30_000).contains(&d));
            }
        }
    }
}
