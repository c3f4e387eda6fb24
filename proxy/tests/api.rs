//! The API route against a mock upstream: key handling, refusals, passthrough, error mapping,
//! caching, coalescing, CORS, rate limit, timeouts, size cap, health and graceful shutdown.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::time::{Duration, Instant};

use common::*;
use pave_proxy::RateLimitConfig;

fn path(key: &str) -> String {
    format!("/pave/hotspots/{key}")
}

#[tokio::test]
async fn the_key_reaches_upstream_but_never_the_client_nor_the_logs() {
    let mock = MockUpstream::start().await;
    mock.set(SAMPLE, Reply::new(200, fixture("results-27-damages.json")));
    mock.set("UDB-BROKEN0000", Reply::new(500, format!("oops {SECRET}")));
    let proxy = Proxy::start(upstream_config(&mock.url())).await;

    // `send` itself fails the test if the key appears in any response, head or body.
    let r = proxy.get(&path(SAMPLE)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, fixture("results-27-damages.json"));
    let r = proxy.get(&path("UDB-BROKEN0000")).await;
    assert_eq!(r.status, 502);
    proxy.get(&path("UDB-NOTHERE000")).await;
    proxy.get("/pave/hotspots/bad").await;

    assert_eq!(mock.calls(), 3);
    assert_eq!(mock.bad_auth(), 0, "every upstream call carries API-Key");

    let logs = proxy.log_lines();
    assert!(
        logs.iter().any(|l| l.contains(&format!("GET /pave/hotspots/{SAMPLE} 200 ")) && l.contains("ms cache=miss")),
        "{logs:#?}"
    );
    assert!(logs.iter().any(|l| l.contains("/pave/hotspots/UDB-BROKEN0000 502 ")));
    assert_eq!(logs.len(), 4, "one line per request: {logs:#?}");
    proxy.stop().await; // also asserts no log line holds the key
}

#[tokio::test]
async fn bad_keys_traversal_other_paths_and_methods_never_call_upstream() {
    let mock = MockUpstream::start().await;
    let proxy = Proxy::start(upstream_config(&mock.url())).await;

    let bad_keys = [
        "udb-512d3tasiy",
        "UDB-512D3TASI",
        "UDB-512D3TASIYY",
        "UDB_512D3TASIY",
        "",
        "UDB-512D3TASIY/",
        "UDB-512D3TASIY/extra",
        "..",
        "../../v1/hotspots/UDB-512D3TASIY",
        "..%2F..%2Fv1%2Fhotspots%2FUDB-512D3TASIY",
        "UDB-512D3TASIY%2F..",
        "%2e%2e%2fUDB-512D3TASIY",
        "UDB%2D512D3TASIY",
        "UDB-512D3TASIY%00",
        "UDB-512D3TASIY;x",
    ];
    for key in bad_keys {
        let r = proxy.get(&path(key)).await;
        assert_eq!(r.status, 400, "{key:?}");
        assert_eq!(r.error_kind(), "bad_session_key", "{key:?}");
    }

    for target in [
        "/",
        "/v1/hotspots/UDB-512D3TASIY",
        "/pave",
        "/pave/hotspots",
        "/pave/other/UDB-512D3TASIY",
        "/pave/../v1/hotspots/UDB-512D3TASIY",
        "//pave/hotspots/UDB-512D3TASIY",
        "/healthz/x",
        "/index.html",
    ] {
        let r = proxy.get(target).await;
        assert_eq!(r.status, 404, "{target:?}");
        assert_eq!(r.error_kind(), "not_found");
    }

    for method in ["POST", "PUT", "DELETE", "PATCH", "TRACE"] {
        let r = proxy.send(method, &path(SAMPLE), &[("content-length", "0")]).await;
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("allow"), Some("GET, HEAD, OPTIONS"));
        assert_eq!(r.error_kind(), "method_not_allowed");
    }
    let r = proxy.send("POST", "/healthz", &[("content-length", "0")]).await;
    assert_eq!((r.status, r.header("allow")), (405, Some("GET, HEAD")));

    assert_eq!(mock.calls(), 0, "nothing refused may reach upstream");
    proxy.stop().await;
}

#[tokio::test]
async fn statuses_and_bodies_pass_through_verbatim() {
    let mock = MockUpstream::start().await;
    let cases = [
        ("UDB-RESULTS000", 200, "results-27-damages.json"),
        ("UDB-NODAMAGE00", 200, "no-damage.json"),
        ("UDB-INSPECTING", 400, "not-yet-inspected.json"),
        ("UDB-0000000000", 404, "session-not-found.json"),
    ];
    for (key, status, file) in cases {
        mock.set(key, Reply::new(status, fixture(file)));
    }
    let proxy = Proxy::start(upstream_config(&mock.url())).await;
    for (key, status, file) in cases {
        let r = proxy.get(&path(key)).await;
        assert_eq!(r.status, status, "{key}");
        assert_eq!(r.body, fixture(file), "{key}: body must be byte for byte");
        assert_eq!(r.header("content-type"), Some("application/json"));
    }
    // A query string is the client's, never forwarded.
    proxy.get(&format!("{}?url=http://evil/&x=../", path("UDB-QUERY00000"))).await;
    assert_eq!(mock.targets().last().map(String::as_str), Some("/v1/hotspots/UDB-QUERY00000"));
    proxy.stop().await;
}

#[tokio::test]
async fn other_upstream_statuses_become_502_and_are_not_cached() {
    let mock = MockUpstream::start().await;
    for (key, status) in
        [("UDB-S500000000", 500), ("UDB-S503000000", 503), ("UDB-S401000000", 401), ("UDB-S302000000", 302)]
    {
        mock.set(key, Reply::new(status, "{\"trace\": \"internal details\"}"));
    }
    let proxy = Proxy::start(upstream_config(&mock.url())).await;
    for (key, status) in
        [("UDB-S500000000", 500), ("UDB-S503000000", 503), ("UDB-S401000000", 401), ("UDB-S302000000", 302)]
    {
        let r = proxy.get(&path(key)).await;
        assert_eq!(r.status, 502, "{key}");
        assert_eq!(r.error_kind(), "upstream_error");
        assert_eq!(r.json()["upstream_status"], status);
        assert!(!String::from_utf8_lossy(&r.body).contains("internal details"));
        assert_eq!(r.header("cache-control"), Some("no-store"));
    }
    let before = mock.calls();
    let r = proxy.get(&path("UDB-S503000000")).await;
    assert_eq!(r.status, 502);
    assert_eq!(mock.calls(), before + 1, "errors are never cached");
    proxy.stop().await;
}

#[tokio::test]
async fn results_are_cached_with_a_strong_etag_and_revalidate_with_304() {
    let mock = MockUpstream::start().await;
    let body = fixture("results-27-damages.json");
    mock.set(SAMPLE, Reply::new(200, body.clone()));
    mock.set("UDB-NODAMAGE00", Reply::new(200, fixture("no-damage.json")));
    let proxy = Proxy::start(upstream_config(&mock.url())).await;

    let first = proxy.get(&path(SAMPLE)).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.header("x-cache"), Some("MISS"));
    let cc = first.header("cache-control").unwrap();
    assert!(cc == "public, max-age=300" || cc == "public, max-age=299", "{cc}");
    let etag = first.header("etag").unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"') && etag.len() > 10, "{etag}");

    let second = proxy.get(&path(SAMPLE)).await;
    assert_eq!(second.status, 200);
    assert_eq!(second.header("x-cache"), Some("HIT"));
    assert_eq!(second.body, body);
    assert_eq!(second.header("etag"), Some(etag.as_str()));
    assert_eq!(mock.calls(), 1, "the second request is served from the cache");
    assert!(proxy.log_lines().iter().any(|l| l.ends_with("cache=hit")));

    for inm in [etag.clone(), format!("W/{etag}"), format!("\"nope\", {etag}"), "*".into()] {
        let r = proxy.send("GET", &path(SAMPLE), &[("If-None-Match", &inm)]).await;
        assert_eq!(r.status, 304, "{inm}");
        assert!(r.body.is_empty());
        assert_eq!(r.header("etag"), Some(etag.as_str()));
        assert!(r.header("cache-control").unwrap().starts_with("public, max-age="));
    }
    let r = proxy.send("GET", &path(SAMPLE), &[("If-None-Match", "\"other\"")]).await;
    assert_eq!(r.status, 200);

    let head = proxy.send("HEAD", &path(SAMPLE), &[]).await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length"), Some(body.len().to_string().as_str()));
    assert_eq!(head.header("etag"), Some(etag.as_str()));

    // No damage is a result like any other.
    let nd = proxy.get(&path("UDB-NODAMAGE00")).await;
    assert_eq!(nd.status, 200);
    assert!(nd.header("etag").is_some());
    assert!(nd.header("cache-control").unwrap().starts_with("public, max-age="));
    proxy.get(&path("UDB-NODAMAGE00")).await;
    assert_eq!(mock.calls(), 2);
    proxy.stop().await;
}

#[tokio::test]
async fn not_yet_inspected_is_cached_only_briefly_so_polling_sees_completion() {
    let mock = MockUpstream::start().await;
    let key = "UDB-INSPECTING";
    mock.set(key, Reply::new(400, fixture("not-yet-inspected.json")));
    let mut config = upstream_config(&mock.url());
    config.cache.pending_ttl = Duration::from_millis(300);
    let proxy = Proxy::start(config).await;

    let r = proxy.get(&path(key)).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.header("cache-control"), Some("no-store"), "browsers must not keep it");
    assert!(r.header("etag").is_none());
    let r = proxy.get(&path(key)).await;
    assert_eq!((r.status, r.header("x-cache")), (400, Some("HIT")));
    assert_eq!(mock.calls(), 1);

    // The inspection completes upstream; after the short TTL the poller sees it.
    mock.set(key, Reply::new(200, fixture("results-27-damages.json")));
    tokio::time::sleep(Duration::from_millis(350)).await;
    let r = proxy.get(&path(key)).await;
    assert_eq!(r.status, 200);
    assert_eq!(mock.calls(), 2);
    proxy.stop().await;
}

#[tokio::test]
async fn unknown_sessions_are_cached_for_their_own_ttl() {
    let mock = MockUpstream::start().await;
    let mut config = upstream_config(&mock.url());
    config.cache.not_found_ttl = Duration::from_millis(300);
    let proxy = Proxy::start(config).await;
    let key = "UDB-0000000000";
    let r = proxy.get(&path(key)).await;
    assert_eq!(r.status, 404);
    assert!(r.header("cache-control").unwrap().starts_with("public, max-age="));
    proxy.get(&path(key)).await;
    assert_eq!(mock.calls(), 1);
    tokio::time::sleep(Duration::from_millis(350)).await;
    proxy.get(&path(key)).await;
    assert_eq!(mock.calls(), 2);
    proxy.stop().await;
}

#[tokio::test]
async fn a_slow_upstream_gives_504_and_is_not_cached() {
    let mock = MockUpstream::start().await;
    mock.set(SAMPLE, Reply::new(200, fixture("results-27-damages.json")).delayed(Duration::from_secs(3)));
    let mut config = upstream_config(&mock.url());
    config.upstream_timeout = Duration::from_millis(200);
    let proxy = Proxy::start(config).await;
    for expected_calls in [1, 2] {
        let started = Instant::now();
        let r = proxy.get(&path(SAMPLE)).await;
        assert_eq!(r.status, 504);
        assert_eq!(r.error_kind(), "upstream_timeout");
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(mock.calls(), expected_calls);
    }
    proxy.stop().await;
}

#[tokio::test]
async fn an_oversized_upstream_body_gives_502() {
    let mock = MockUpstream::start().await;
    let big = format!("{{\"success\": true, \"pad\": \"{}\"}}", "x".repeat(5000));
    mock.set("UDB-BIGLENGTH0", Reply::new(200, big.clone()));
    mock.set("UDB-BIGCHUNKED", Reply::new(200, big.clone()).chunked());
    mock.set("UDB-SMALLCHUNK", Reply::new(200, "{\"success\": true}").chunked());
    let mut config = upstream_config(&mock.url());
    config.max_body_bytes = 1024;
    let proxy = Proxy::start(config).await;
    for key in ["UDB-BIGLENGTH0", "UDB-BIGCHUNKED"] {
        let r = proxy.get(&path(key)).await;
        assert_eq!(r.status, 502, "{key}");
        assert_eq!(r.error_kind(), "upstream_too_large");
    }
    let r = proxy.get(&path("UDB-SMALLCHUNK")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, b"{\"success\": true}");
    proxy.stop().await;
}

#[tokio::test]
async fn an_unreachable_upstream_gives_502() {
    // A port that was free a moment ago: nothing listens there now.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let proxy = Proxy::start(upstream_config(&format!("http://127.0.0.1:{port}"))).await;
    let r = proxy.get(&path(SAMPLE)).await;
    assert_eq!(r.status, 502);
    assert_eq!(r.error_kind(), "upstream_unreachable");
    proxy.stop().await;
}

#[tokio::test]
async fn identical_concurrent_requests_make_one_upstream_call() {
    let mock = MockUpstream::start().await;
    mock.set(SAMPLE, Reply::new(200, fixture("results-27-damages.json")).delayed(Duration::from_millis(300)));
    let proxy = Proxy::start(upstream_config(&mock.url())).await;
    let addr = proxy.addr;
    let tasks: Vec<_> =
        (0..8).map(|_| tokio::spawn(async move { send(addr, "GET", &path(SAMPLE), &[]).await })).collect();
    let mut x_cache = Vec::new();
    for task in tasks {
        let r = task.await.unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.body, fixture("results-27-damages.json"));
        x_cache.push(r.header("x-cache").unwrap().to_owned());
    }
    assert_eq!(mock.calls(), 1, "{x_cache:?}");
    assert_eq!(x_cache.iter().filter(|x| *x == "MISS").count(), 1, "{x_cache:?}");
    proxy.stop().await;
}

#[tokio::test]
async fn cors_only_for_listed_origins() {
    let mock = MockUpstream::start().await;
    mock.set(SAMPLE, Reply::new(200, fixture("results-27-damages.json")));
    let mut config = upstream_config(&mock.url());
    config.allow_origins = vec!["https://dealer.example".into()];
    let proxy = Proxy::start(config).await;
    let dealer = [("Origin", "https://dealer.example")];

    let r = proxy.send("GET", &path(SAMPLE), &dealer).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("https://dealer.example"));
    assert!(r.header("access-control-expose-headers").unwrap().contains("ETag"));
    assert!(r.header_all("vary").iter().any(|v| v.contains("Origin")));

    let r = proxy.send("GET", &path(SAMPLE), &[("Origin", "https://evil.example")]).await;
    assert_eq!(r.status, 200, "served, but the browser will not let the page read it");
    assert!(r.header("access-control-allow-origin").is_none());
    assert!(r.header_all("vary").iter().any(|v| v.contains("Origin")));

    let r = proxy.get(&path(SAMPLE)).await;
    assert!(r.header("access-control-allow-origin").is_none());
    assert!(r.header_all("vary").iter().any(|v| v.contains("Origin")));

    // Errors are readable by an allowed page too.
    let r = proxy.send("GET", &path("nope"), &dealer).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.header("access-control-allow-origin"), Some("https://dealer.example"));

    let calls = mock.calls();
    let preflight = [
        ("Origin", "https://dealer.example"),
        ("Access-Control-Request-Method", "GET"),
        ("Access-Control-Request-Headers", "if-none-match"),
    ];
    let r = proxy.send("OPTIONS", &path(SAMPLE), &preflight).await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some("https://dealer.example"));
    assert_eq!(r.header("access-control-allow-methods"), Some("GET, HEAD"));
    assert_eq!(r.header("access-control-allow-headers"), Some("If-None-Match"));
    assert!(r.header("access-control-max-age").is_some());
    assert!(r.header_all("vary").iter().any(|v| v.contains("Origin")));

    let r = proxy
        .send("OPTIONS", &path(SAMPLE), &[("Origin", "https://evil.example"), ("Access-Control-Request-Method", "GET")])
        .await;
    assert_eq!(r.status, 204);
    assert!(r.header("access-control-allow-origin").is_none());
    assert!(r.header("access-control-allow-methods").is_none());
    assert_eq!(mock.calls(), calls, "a preflight never calls upstream");
    proxy.stop().await;

    let mut config = upstream_config(&mock.url());
    config.allow_origins = vec!["*".into()];
    let proxy = Proxy::start(config).await;
    let r = proxy.send("GET", &path(SAMPLE), &[("Origin", "https://any.example")]).await;
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    proxy.stop().await;
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after() {
    let mock = MockUpstream::start().await;
    mock.set(SAMPLE, Reply::new(200, fixture("results-27-damages.json")));
    let mut config = upstream_config(&mock.url());
    config.rate_limit = RateLimitConfig { per_minute: 6, burst: 3 };
    config.allow_origins = vec!["https://dealer.example".into()];
    let proxy = Proxy::start(config).await;
    let dealer = [("Origin", "https://dealer.example")];
    for _ in 0..3 {
        assert_eq!(proxy.send("GET", &path(SAMPLE), &dealer).await.status, 200);
    }
    let r = proxy.send("GET", &path(SAMPLE), &dealer).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.error_kind(), "rate_limited");
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=10).contains(&retry), "{retry}");
    assert_eq!(r.header("access-control-allow-origin"), Some("https://dealer.example"));
    // Bad keys count too, so scanning is limited as well.
    assert_eq!(proxy.get(&path("bad")).await.status, 429);
    // X-Forwarded-For is ignored unless trusted.
    let r = proxy.send("GET", &path(SAMPLE), &[("X-Forwarded-For", "203.0.113.9")]).await;
    assert_eq!(r.status, 429);
    // Health checks are not limited.
    assert_eq!(proxy.get("/healthz").await.status, 200);
    assert_eq!(mock.calls(), 1);
    proxy.stop().await;

    let mut config = upstream_config(&mock.url());
    config.rate_limit = RateLimitConfig { per_minute: 6, burst: 1 };
    config.trust_forwarded = true;
    let proxy = Proxy::start(config).await;
    let from = |ip: &'static str| [("X-Forwarded-For", ip)];
    assert_eq!(proxy.send("GET", &path(SAMPLE), &from("203.0.113.1")).await.status, 200);
    assert_eq!(proxy.send("GET", &path(SAMPLE), &from("203.0.113.1")).await.status, 429);
    assert_eq!(proxy.send("GET", &path(SAMPLE), &from("203.0.113.2")).await.status, 200);
    assert!(proxy.log_lines().iter().any(|l| l.contains(" 203.0.113.2 GET ")));
    proxy.stop().await;
}

#[tokio::test]
async fn with_trust_forwarded_a_request_the_reverse_proxy_did_not_append_to_is_warned_about_once() {
    let mock = MockUpstream::start().await;
    mock.set(SAMPLE, Reply::new(200, fixture("results-27-damages.json")));
    let mut config = upstream_config(&mock.url());
    config.trust_forwarded = true;
    config.trusted_hops = 2;
    let proxy = Proxy::start(config).await;
    let warned = |proxy: &Proxy| proxy.log_lines().iter().filter(|l| l.contains("warning: --trust-forwarded")).count();
    // Health checks come without the header; two hops appended: nothing to say.
    assert_eq!(proxy.get("/healthz").await.status, 200);
    assert_eq!(proxy.send("GET", &path(SAMPLE), &[("X-Forwarded-For", "203.0.113.1, 10.0.0.9")]).await.status, 200);
    assert_eq!(warned(&proxy), 0);
    // One hop short, then none at all: one warning, naming the fix.
    assert_eq!(proxy.send("GET", &path(SAMPLE), &[("X-Forwarded-For", "10.0.0.9")]).await.status, 200);
    assert_eq!(proxy.get(&path(SAMPLE)).await.status, 200);
    assert_eq!(warned(&proxy), 1, "{:#?}", proxy.log_lines());
    assert!(proxy.log_lines().iter().any(|l| l.contains("$proxy_add_x_forwarded_for")));
    proxy.stop().await;

    // Without --trust-forwarded the header means nothing, and nothing is said.
    let proxy = Proxy::start(upstream_config(&mock.url())).await;
    assert_eq!(proxy.get(&path(SAMPLE)).await.status, 200);
    assert_eq!(warned(&proxy), 0);
    proxy.stop().await;
}

#[tokio::test]
async fn a_client_cannot_dodge_the_rate_limit_by_writing_x_forwarded_for() {
    let mock = MockUpstream::start().await;
    mock.set(SAMPLE, Reply::new(200, fixture("results-27-damages.json")));
    let mut config = upstream_config(&mock.url());
    config.rate_limit = RateLimitConfig { per_minute: 6, burst: 1 };
    config.trust_forwarded = true;
    let proxy = Proxy::start(config).await;
    // Behind nginx ($proxy_add_x_forwarded_for) the client's own header comes first and the address
    // nginx saw is appended: the client is 203.0.113.1 every time, whatever it invents.
    let from = |xff: &'static str| [("X-Forwarded-For", xff)];
    assert_eq!(proxy.send("GET", &path(SAMPLE), &from("203.0.113.1")).await.status, 200);
    for invented in ["198.51.100.7, 203.0.113.1", "198.51.100.8, 203.0.113.1", "garbage, 203.0.113.1"] {
        assert_eq!(proxy.send("GET", &path(SAMPLE), &from(invented)).await.status, 429, "{invented}");
    }
    assert!(!proxy.log_lines().iter().any(|l| l.contains("198.51.100.")), "the invented hop is not the client");
    proxy.stop().await;

    // Two reverse proxies of ours (a CDN, then a load balancer): the client is the second from the right.
    let mut config = upstream_config(&mock.url());
    config.rate_limit = RateLimitConfig { per_minute: 6, burst: 1 };
    config.trust_forwarded = true;
    config.trusted_hops = 2;
    let proxy = Proxy::start(config).await;
    assert_eq!(proxy.send("GET", &path(SAMPLE), &from("203.0.113.1, 10.0.0.9")).await.status, 200);
    assert_eq!(proxy.send("GET", &path(SAMPLE), &from("6.6.6.6, 203.0.113.1, 10.0.0.9")).await.status, 429);
    assert_eq!(proxy.send("GET", &path(SAMPLE), &from("203.0.113.2, 10.0.0.9")).await.status, 200);
    proxy.stop().await;
}

#[tokio::test]
async fn an_upstream_429_becomes_503_with_retry_after_and_pave_is_left_alone_until_then() {
    let mock = MockUpstream::start().await;
    mock.set(SAMPLE, Reply::new(200, fixture("results-27-damages.json")));
    mock.set("UDB-RATELIM000", Reply::new(429, "{\"error\":\"quota 17 of plan X\"}").header("retry-after", "7"));
    let mut config = upstream_config(&mock.url());
    config.allow_origins = vec!["https://dealer.example".into()];
    let proxy = Proxy::start(config).await;
    let dealer = [("Origin", "https://dealer.example")];

    assert_eq!(proxy.get(&path(SAMPLE)).await.status, 200);
    assert_eq!(mock.calls(), 1);

    let r = proxy.send("GET", &path("UDB-RATELIM000"), &dealer).await;
    assert_eq!(r.status, 503);
    assert_eq!(r.error_kind(), "upstream_busy");
    assert_eq!(r.json()["upstream_status"], 429);
    assert!(!String::from_utf8_lossy(&r.body).contains("quota 17"), "PAVE's body is not passed on");
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=7).contains(&retry), "{retry}");
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(r.header("access-control-allow-origin"), Some("https://dealer.example"));
    assert!(r.header("access-control-expose-headers").unwrap().contains("Retry-After"));
    assert_eq!(mock.calls(), 2);

    // Until Retry-After has passed, no call reaches PAVE: not for this key, not for another one.
    for key in ["UDB-RATELIM000", "UDB-OTHER00000"] {
        let r = proxy.send("GET", &path(key), &dealer).await;
        assert_eq!(r.status, 503, "{key}");
        assert_eq!(r.error_kind(), "upstream_busy");
        assert!((1..=7).contains(&r.header("retry-after").unwrap().parse::<u64>().unwrap()));
        assert_eq!(r.header("access-control-allow-origin"), Some("https://dealer.example"));
    }
    assert_eq!(mock.calls(), 2, "held off");
    // A cached result is still served meanwhile.
    let r = proxy.get(&path(SAMPLE)).await;
    assert_eq!((r.status, r.header("x-cache")), (200, Some("HIT")));
    proxy.stop().await;

    // Without Retry-After the hold-off is a few seconds; once it has passed, PAVE is asked again.
    mock.set("UDB-RATELIM001", Reply::new(429, "{}"));
    mock.set("UDB-RATELIM002", Reply::new(429, "{}").header("retry-after", "0"));
    let proxy = Proxy::start(upstream_config(&mock.url())).await;
    let r = proxy.get(&path("UDB-RATELIM001")).await;
    assert_eq!((r.status, r.header("retry-after")), (503, Some("5")));
    proxy.stop().await;
    let proxy = Proxy::start(upstream_config(&mock.url())).await;
    let before = mock.calls();
    let r = proxy.get(&path("UDB-RATELIM002")).await;
    assert_eq!((r.status, r.header("retry-after")), (503, Some("1")), "clamped to at least 1 s");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(proxy.get(&path(SAMPLE)).await.status, 200);
    assert_eq!(mock.calls(), before + 2, "called again after the hold-off");
    proxy.stop().await;
}

#[tokio::test]
async fn a_compressed_upstream_body_is_an_upstream_error_not_json() {
    let mock = MockUpstream::start().await;
    // Whatever the bytes, a Content-Encoding we did not ask for means they are not PAVE's JSON.
    mock.set("UDB-GZIP000000", Reply::new(200, &b"\x1f\x8b\x08\x00not-json"[..]).header("content-encoding", "gzip"));
    mock.set("UDB-IDENTITY00", Reply::new(200, fixture("no-damage.json")).header("content-encoding", "identity"));
    let proxy = Proxy::start(upstream_config(&mock.url())).await;
    for _ in 0..2 {
        let r = proxy.get(&path("UDB-GZIP000000")).await;
        assert_eq!(r.status, 502);
        assert_eq!(r.error_kind(), "upstream_error");
        assert_eq!(r.json()["upstream_status"], 200);
        assert!(r.header("content-encoding").is_none());
    }
    assert_eq!(mock.calls(), 2, "not cached");
    let r = proxy.get(&path("UDB-IDENTITY00")).await;
    assert_eq!((r.status, r.body.as_slice()), (200, &fixture("no-damage.json")[..]));
    proxy.stop().await;
}

#[tokio::test]
async fn health() {
    let mock = MockUpstream::start().await;
    let proxy = Proxy::start(upstream_config(&mock.url())).await;
    let r = proxy.get("/healthz").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "ok");
    assert_eq!(r.json()["source"], "upstream");
    assert_eq!(mock.calls(), 0);
    proxy.stop().await;
}

#[tokio::test]
async fn a_custom_session_pattern() {
    let mock = MockUpstream::start().await;
    let mut config = upstream_config(&mock.url());
    config.session_pattern = "[a-z]{4}".into();
    let proxy = Proxy::start(config).await;
    assert_eq!(proxy.get(&path("abcd")).await.status, 404);
    assert_eq!(proxy.get(&path(SAMPLE)).await.status, 400);
    assert_eq!(proxy.get(&path("abcde")).await.status, 400, "anchored");
    assert_eq!(mock.calls(), 1);
    proxy.stop().await;
}

#[tokio::test]
async fn an_upstream_with_a_path_prefix() {
    let mock = MockUpstream::start().await;
    mock.set(SAMPLE, Reply::new(200, fixture("no-damage.json")));
    let proxy = Proxy::start(upstream_config(&format!("{}/gw/pave/", mock.url()))).await;
    assert_eq!(proxy.get(&path(SAMPLE)).await.status, 200);
    assert_eq!(mock.targets(), vec![format!("/gw/pave/v1/hotspots/{SAMPLE}")]);
    proxy.stop().await;
}

#[tokio::test]
async fn graceful_shutdown_lets_an_in_flight_request_finish() {
    let mock = MockUpstream::start().await;
    mock.set(SAMPLE, Reply::new(200, fixture("results-27-damages.json")).delayed(Duration::from_millis(500)));
    let mut proxy = Proxy::start(upstream_config(&mock.url())).await;
    let addr = proxy.addr;
    let in_flight = tokio::spawn(async move { send(addr, "GET", &path(SAMPLE), &[]).await });
    tokio::time::sleep(Duration::from_millis(150)).await;

    let server = proxy.server.take().unwrap();
    let started = Instant::now();
    server.shutdown().await.unwrap();
    let r = in_flight.await.unwrap();
    assert_eq!(r.status, 200, "the request in flight completes");
    assert_eq!(r.body, fixture("results-27-damages.json"));
    assert!(started.elapsed() >= Duration::from_millis(250), "shutdown waited for it");
    assert!(tokio::net::TcpStream::connect(addr).await.is_err(), "no new connections after shutdown");
    proxy.stop().await;
}

/// Sends `GET target` on a connection of its own and returns it unread.
async fn request_on_own_connection(addr: std::net::SocketAddr, target: &str) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(format!("GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    stream
}

/// The log lines that mention `target`.
fn lines_for(proxy: &Proxy, target: &str) -> Vec<String> {
    proxy.log_lines().into_iter().filter(|l| l.contains(&format!(" {target} "))).collect()
}

#[tokio::test]
async fn a_client_that_leaves_before_its_answer_still_leaves_one_log_line() {
    let mock = MockUpstream::start().await;
    mock.set(SAMPLE, Reply::new(200, fixture("no-damage.json")).delayed(Duration::from_millis(400)));
    let proxy = Proxy::start(upstream_config(&mock.url())).await;
    let gone = request_on_own_connection(proxy.addr, &path(SAMPLE)).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    drop(gone);
    // Not noticed until the answer is written (a half-close looks the same), so the request ends
    // the ordinary way and is logged with its status.
    let started = Instant::now();
    while lines_for(&proxy, &path(SAMPLE)).is_empty() && started.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let lines = lines_for(&proxy, &path(SAMPLE));
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].contains(" 200 ") && lines[0].ends_with("cache=miss"), "{lines:#?}");
    proxy.stop().await;
}

#[tokio::test]
async fn a_request_cut_off_by_shutdown_is_logged_with_499() {
    use tokio::io::AsyncReadExt;
    let mock = MockUpstream::start().await;
    mock.set(SAMPLE, Reply::new(200, fixture("no-damage.json")).delayed(Duration::from_secs(5)));
    let mut config = upstream_config(&mock.url());
    config.shutdown_timeout = Duration::from_millis(300);
    let mut proxy = Proxy::start(config).await;
    let mut waiting = request_on_own_connection(proxy.addr, &path(SAMPLE)).await;
    tokio::time::sleep(Duration::from_millis(150)).await;

    let started = Instant::now();
    proxy.server.take().unwrap().shutdown().await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(3), "shutdown waited for the upstream call");
    // By the time shutdown returns, the line is written: the binary exits right after.
    let lines = lines_for(&proxy, &path(SAMPLE));
    assert_eq!(lines.len(), 1, "one line for the request cut off: {:#?}", proxy.log_lines());
    assert!(lines[0].contains(" 499 ") && lines[0].ends_with("cache=miss"), "{lines:#?}");
    assert!(proxy.log_lines().iter().any(|l| l.contains("shutdown: requests still open")), "{:#?}", proxy.log_lines());
    let mut raw = Vec::new();
    let _ = waiting.read_to_end(&mut raw).await;
    assert!(raw.is_empty(), "no answer was sent: {:?}", String::from_utf8_lossy(&raw));
    proxy.stop().await;
}

/// An upstream that answers every request with `head` and the chunked `body` as written, then
/// closes: for framings the mock's HTTP server would not produce.
async fn raw_upstream(head: &'static str, body: &'static [u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut seen = Vec::new();
            let mut buf = [0u8; 1024];
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
            let mut chunked = format!("{head}\r\n\r\n{:x}\r\n", body.len()).into_bytes();
            chunked.extend_from_slice(body);
            chunked.extend_from_slice(b"\r\n0\r\n\r\n");
            let _ = stream.write_all(&chunked).await;
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_transfer_coding_other_than_chunked_is_an_upstream_error_not_json() {
    // hyper takes the chunked framing off but leaves gzip on: the bytes are not PAVE's JSON.
    let upstream = raw_upstream(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close",
        b"\x1f\x8b\x08\x00not-json",
    )
    .await;
    let proxy = Proxy::start(upstream_config(&upstream)).await;
    let r = proxy.get(&path(SAMPLE)).await;
    assert_eq!(r.status, 502, "{:?}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.error_kind(), "upstream_error");
    assert_eq!(r.json()["upstream_status"], 200);
    proxy.stop().await;

    let upstream = raw_upstream(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close",
        b"{\"success\": true}",
    )
    .await;
    let proxy = Proxy::start(upstream_config(&upstream)).await;
    let r = proxy.get(&path(SAMPLE)).await;
    assert_eq!((r.status, r.body.as_slice()), (200, &b"{\"success\": true}"[..]));
    proxy.stop().await;
}
