//! Rules for what outside data may make the widget do: which photo URLs it loads, and how
//! often it asks again while an inspection runs.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::core::float::finite;

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
    /// A scheme other than https (or http on the page's own origin, or on a loopback host from
    /// a page on one): `javascript:`, `data:`, `blob:`, `file:`, `ftp:`…
    Scheme,
}

impl UrlRefusal {
    /// Words for the validation report.
    pub fn words(self) -> &'static str {
        match self {
            Self::Invalid => "not a valid URL",
            Self::Scheme => {
                "only https: URLs (or http: on this page's origin, or on localhost from a page on localhost) are loaded"
            }
        }
    }
}

/// Whether the widget may load a photo from `url` on the page at `page` (its `location`):
/// `https:` anywhere; `http:` only on the page's own origin, or on a loopback host when the page
/// is on one too (development: a page on the web has no business with services on the
/// shopper's own machine). Everything else — `javascript:`, `data:`, `blob:`, `file:` — is refused.
pub fn photo_url_allowed(url: &UrlParts<'_>, page: &UrlParts<'_>) -> Result<(), UrlRefusal> {
    match url.protocol.to_ascii_lowercase().as_str() {
        "https:" => Ok(()),
        "http:" if url.origin == page.origin || is_loopback(url.hostname) && is_loopback(page.hostname) => Ok(()),
        _ => Err(UrlRefusal::Scheme),
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        // (`['.']`, not `'.'`: see core/mod.rs.)
        || (host.starts_with("127.")
            && host.split(['.']).count() == 4
            && host.split(['.']).all(|p| p.parse::<u8>().is_ok()))
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
        let r = if finite(random) { random.max(0.0).min(1.0) } else { 0.5 };
        #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let d = (ceiling as f64 * r) as u64;
        // `ceiling` ≤ cap_ms, a u32, so the conversion can't fail.
        u32::try_from(d).unwrap_or(self.cap_ms).max(self.floor_ms.min(self.cap_ms))
    }
}

/// Whether a response with this status is worth asking for again after a pause: the server said
/// it is busy or out of time (408 Request Timeout, 429 Too Many Requests, 503 Service Unavailable,
/// 504 Gateway Timeout; pave-proxy answers PAVE's own 429 with a 503 and `Retry-After`). 500 and
/// 502 are not: asking again rarely helps, and the user can (Retry).
pub fn is_transient(status: u16) -> bool {
    matches!(status, 408 | 429 | 503 | 504)
}

/// How many times one request is asked again after a transient answer (so at most three tries).
pub const RETRIES: u32 = 2;

/// The longest `Retry-After` waited for, in ms: a server asking for more is answered at once
/// with the error (as ky's `maxRetryAfter`), rather than a widget that silently waits a long time.
pub const MAX_RETRY_AFTER_MS: u32 = 60_000;

/// `Retry-After` in ms from now: delta-seconds (`"120"`), else the HTTP date it names, which the
/// caller has parsed (`date_ms`, ms since the epoch, `now_ms` the same clock). `None` when the
/// value is neither.
pub fn retry_after_ms(value: &str, now_ms: f64, date_ms: Option<f64>) -> Option<f64> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        // (A 20-digit number of seconds is still a finite f64: the cap below refuses it.)
        return Some(v.bytes().fold(0.0, |n, b| n * 10.0 + f64::from(b - b'0')) * 1000.0);
    }
    date_ms.filter(|d| finite(*d)).map(|d| (d - now_ms).max(0.0))
}

/// The wait before retry `attempt` (0-based) after a transient answer, or `None` to give up and
/// show the error: past [`RETRIES`], or when the server's `Retry-After` (ms) is longer than
/// `limit_ms` (at most [`MAX_RETRY_AFTER_MS`]; the caller lowers it to what is left of a polling
/// deadline). Without `Retry-After`, [`Backoff`]'s jittered wait, cut to `limit_ms`.
pub fn retry_delay_ms(attempt: u32, retry_after: Option<f64>, random: f64, limit_ms: u32) -> Option<u32> {
    if attempt >= RETRIES {
        return None;
    }
    let limit = limit_ms.min(MAX_RETRY_AFTER_MS);
    match retry_after {
        Some(ms) if ms.is_nan() || ms > f64::from(limit) => None,
        // In [0, limit] (checked above, NaN refused): rounded up, the cast cannot wrap.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Some(ms) => Some(-((-ms.max(0.0)).floor()) as u32),
        None => Some(Backoff::default().delay_ms(attempt, random).min(limit)),
    }
}

/// Polling's clock, in ms, counting only the time the page was visible: a background tab
/// doesn't poll, and its hidden time doesn't count toward `poll-timeout`. `0.0` means not yet
/// (`started`: polling has not started; `hidden_at`: the page shows).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PollClock {
    /// When polling started, moved later by each hidden stretch once it ends.
    pub started: f64,
    /// When the page was hidden, while it is.
    pub hidden_at: f64,
}

impl PollClock {
    /// Visible ms since polling started, at `now`.
    pub fn waited(&self, now: f64) -> f64 {
        now - self.started - self.hidden_for(now)
    }

    /// The page shows again at `now`: the hidden stretch is left out of the clock.
    pub fn shown(&mut self, now: f64) {
        if self.started > 0.0 {
            self.started += self.hidden_for(now);
        }
        self.hidden_at = 0.0;
    }

    /// The page is hidden from `now` (the first of several calls counts).
    pub fn hidden(&mut self, now: f64) {
        if self.hidden_at == 0.0 {
            self.hidden_at = now;
        }
    }

    /// How long polling has been hidden at `now`: since it was hidden, or since polling started if
    /// that was later (it may start while the page is hidden).
    fn hidden_for(&self, now: f64) -> f64 {
        if self.hidden_at > 0.0 && self.started > 0.0 {
            (now - self.hidden_at.max(self.started)).max(0.0)
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_poll_clock_leaves_hidden_time_out() {
        // Polling from 1,000; hidden 5,000–65,000; now 70,000: 4 s + 5 s visible.
        let mut c = PollClock { started: 1_000.0, hidden_at: 0.0 };
        assert_eq!(c.waited(3_000.0), 2_000.0);
        c.hidden(5_000.0);
        c.hidden(6_000.0);
        assert_eq!(c.waited(65_000.0), 4_000.0, "the clock stands while hidden");
        c.shown(65_000.0);
        assert_eq!(c, PollClock { started: 61_000.0, hidden_at: 0.0 });
        assert_eq!(c.waited(70_000.0), 9_000.0);
        // Polling that starts while hidden counts from when the page shows.
        let mut c = PollClock { started: 0.0, hidden_at: 0.0 };
        c.hidden(1_000.0);
        c.started = 3_000.0;
        assert_eq!(c.waited(8_000.0), 0.0);
        c.shown(8_000.0);
        assert_eq!(c.waited(9_000.0), 1_000.0);
        // Hidden before polling and shown again before it starts: nothing to leave out.
        let mut c = PollClock::default();
        c.hidden(1_000.0);
        c.shown(2_000.0);
        c.started = 5_000.0;
        assert_eq!(c.waited(6_000.0), 1_000.0);
    }

    fn parts<'a>(protocol: &'a str, hostname: &'a str, origin: &'a str) -> UrlParts<'a> {
        UrlParts { protocol, hostname, origin }
    }

    #[test]
    fn transient_answers_are_retried_twice_within_limits() {
        assert!([408, 429, 503, 504].iter().all(|s| is_transient(*s)));
        assert!(![200, 400, 404, 500, 502].iter().any(|s| is_transient(*s)));
        // Retry-After as seconds or as a date (already parsed by the caller); neither: none.
        assert_eq!(retry_after_ms(" 3 ", 0.0, None), Some(3000.0));
        assert_eq!(retry_after_ms("0", 0.0, None), Some(0.0));
        assert_eq!(retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", 1_000.0, Some(6_000.0)), Some(5_000.0));
        assert_eq!(retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", 9_000.0, Some(6_000.0)), Some(0.0));
        assert_eq!(retry_after_ms("soon", 0.0, None), None);
        assert_eq!(retry_after_ms("-1", 0.0, Some(f64::NAN)), None);
        assert_eq!(retry_after_ms("99999999999999999999999", 0.0, None).map(|v| v > 1e20), Some(true));
        // The server's wait, when it fits; the error at once when it doesn't.
        assert_eq!(retry_delay_ms(0, Some(3000.0), 0.5, 60_000), Some(3000));
        assert_eq!(retry_delay_ms(0, Some(0.2), 0.5, 60_000), Some(1));
        assert_eq!(retry_delay_ms(0, Some(61_000.0), 0.5, u32::MAX), None);
        assert_eq!(retry_delay_ms(0, Some(5_000.0), 0.5, 4_000), None);
        assert_eq!(retry_delay_ms(0, Some(f64::NAN), 0.5, 60_000), None);
        assert_eq!(retry_delay_ms(0, Some(f64::INFINITY), 0.5, 60_000), None);
        // Without one, the backoff, cut to the limit.
        assert_eq!(retry_delay_ms(1, None, 0.5, 60_000), Some(Backoff::default().delay_ms(1, 0.5)));
        assert_eq!(retry_delay_ms(1, None, 0.99, 700), Some(700));
        // Two retries, then the error.
        assert_eq!(retry_delay_ms(RETRIES, Some(1.0), 0.5, 60_000), None);
    }

    #[test]
    fn photo_urls() {
        let page = parts("https:", "dealer.example", "https://dealer.example");
        let ok = |p: UrlParts<'_>| photo_url_allowed(&p, &page).is_ok();
        assert!(ok(parts("https:", "images-cdn.paveapi.com", "https://images-cdn.paveapi.com")));
        assert!(ok(parts("HTTPS:", "x", "https://x")));
        assert!(!ok(parts("http:", "images-cdn.paveapi.com", "http://images-cdn.paveapi.com")));
        // A page on the web never has the shopper's browser call services on their own machine
        // (http://127.0.0.1:631/admin): the URL parser has made 0x7f.1 and 2130706433 127.0.0.1.
        for (host, origin) in [
            ("localhost", "http://localhost:8080"),
            ("127.0.0.1", "http://127.0.0.1:631"),
            ("[::1]", "http://[::1]:8080"),
        ] {
            assert!(!ok(parts("http:", host, origin)), "{host}");
            for (dev, dev_origin) in [
                ("localhost", "http://localhost:3000"),
                ("127.0.0.1", "http://127.0.0.1:5173"),
                ("[::1]", "http://[::1]"),
                ("app.localhost", "https://app.localhost"),
            ] {
                assert!(
                    photo_url_allowed(&parts("http:", host, origin), &parts("http:", dev, dev_origin)).is_ok(),
                    "{host} from {dev}"
                );
            }
        }
        let evil = parts("http:", "127.0.0.1.evil.example", "http://127.0.0.1.evil.example");
        assert!(photo_url_allowed(&parts("http:", "localhost", "http://localhost:8080"), &evil).is_err());
        assert!(photo_url_allowed(&parts("http:", "localhost", "http://localhost:8080"), &parts("file:", "", "null"))
            .is_err());
        assert!(!ok(evil));
        assert!(!ok(parts("http:", "dealer.test", "http://dealer.test")));
        let http_page = parts("http:", "dealer.test", "http://dealer.test");
        assert!(photo_url_allowed(&parts("http:", "dealer.test", "http://dealer.test"), &http_page).is_ok());
        for scheme in ["javascript:", "data:", "blob:", "file:", "ftp:", ""] {
            assert_eq!(photo_url_allowed(&parts(scheme, "", "null"), &page), Err(UrlRefusal::Scheme), "{scheme}");
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
