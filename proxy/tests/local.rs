//! What the proxy answers without PAVE: fixtures mode and static files.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use pave_proxy::{Config, SourceConfig};

fn shipped_fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn fixtures_config(dir: &Path, pending_calls: u32) -> Config {
    let mut config = Config::new(SourceConfig::Fixtures { dir: dir.to_owned(), pending_calls });
    config.listen = "127.0.0.1:0".parse().unwrap();
    config
}

fn path(key: &str) -> String {
    format!("/pave/hotspots/{key}")
}

#[tokio::test]
async fn the_shipped_fixtures_cover_every_case() {
    let mut config = fixtures_config(&shipped_fixtures(), 2);
    // Every call reaches the files, so the pending count is visible call by call.
    config.cache.pending_ttl = Duration::ZERO;
    let proxy = Proxy::start(config).await;

    let r = proxy.get(&path(SAMPLE)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, fixture("results-27-damages.json"));
    assert_eq!(r.json()["data"].as_array().unwrap().len(), 4);
    assert!(r.header("etag").is_some());

    let pending: Vec<u16> = {
        let mut statuses = Vec::new();
        for _ in 0..4 {
            let r = proxy.get(&path("UDB-INSPECTING")).await;
            if r.status == 400 {
                assert_eq!(r.body, fixture("not-yet-inspected.json"));
                assert_eq!(r.header("cache-control"), Some("no-store"));
            } else {
                assert_eq!(r.body, fixture("results-27-damages.json"));
            }
            statuses.push(r.status);
        }
        statuses
    };
    assert_eq!(pending, [400, 400, 200, 200]);

    let r = proxy.get(&path("UDB-NODAMAGE00")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["success"], false);
    assert_eq!(r.json()["data"].as_array().unwrap().len(), 0);

    for key in ["UDB-0000000000", "ABC-ZZZZZZZZZZ"] {
        let r = proxy.get(&path(key)).await;
        assert_eq!(r.status, 404);
        assert_eq!(r.json(), serde_json::json!({ "message": format!("Session {key} cannot be found.") }));
    }

    assert_eq!(proxy.get(&path("README")).await.status, 400);
    assert_eq!(proxy.get(&path("..%2FCargo")).await.status, 400);
    let health = proxy.get("/healthz").await;
    assert_eq!(health.json()["source"], "fixtures");
    proxy.stop().await;
}

#[tokio::test]
async fn pending_answers_are_counted_only_when_they_reach_the_files() {
    // With the default 5 s pending cache, repeated polls inside that window are cache hits.
    let proxy = Proxy::start(fixtures_config(&shipped_fixtures(), 1)).await;
    for _ in 0..3 {
        assert_eq!(proxy.get(&path("UDB-INSPECTING")).await.status, 400);
    }
    proxy.stop().await;
}

#[tokio::test]
async fn a_pending_file_alone_never_completes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ABC-0123456789.pending.json"), "{\"code\": 400}").unwrap();
    let mut config = fixtures_config(dir.path(), 1);
    config.cache.pending_ttl = Duration::ZERO;
    let proxy = Proxy::start(config).await;
    for _ in 0..3 {
        let r = proxy.get(&path("ABC-0123456789")).await;
        assert_eq!((r.status, r.body.as_slice()), (400, &b"{\"code\": 400}"[..]));
    }
    proxy.stop().await;
}

#[tokio::test]
async fn fixtures_mode_refuses_a_missing_directory() {
    let err = pave_proxy::Server::start(fixtures_config(Path::new("/nonexistent/fixtures"), 2)).await.unwrap_err();
    assert!(err.to_string().contains("--fixtures"), "{err}");
}

/// A static root with one of every served kind, a subdirectory, a dot-file, a directory without
/// index.html, and a secret next to the root that must stay out of reach.
fn static_tree() -> (tempfile::TempDir, PathBuf) {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("secret.txt"), "TOP SECRET").unwrap();
    let root = outer.path().join("www");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::create_dir_all(root.join("empty")).unwrap();
    for (name, body) in [
        ("index.html", "<h1>demo</h1>"),
        ("app.js", "export {}"),
        ("mod.mjs", "export {}"),
        ("pkg.wasm", "\0asm"),
        ("style.css", "body{}"),
        ("icon.svg", "<svg/>"),
        ("photo.png", "png"),
        ("photo.jpg", "jpg"),
        ("data.json", "{}"),
        ("sub/index.html", "<h1>sub</h1>"),
        (".env", "PAVE_API_KEY=nope"),
    ] {
        std::fs::write(root.join(name), body).unwrap();
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(outer.path().join("secret.txt"), root.join("link.txt")).unwrap();
    (outer, root)
}

#[tokio::test]
async fn static_files_with_content_types_and_no_way_out() {
    let (_outer, root) = static_tree();
    let mut config = fixtures_config(&shipped_fixtures(), 2);
    config.static_dir = Some(root);
    let proxy = Proxy::start(config).await;

    for (target, content_type, body) in [
        ("/", "text/html; charset=utf-8", "<h1>demo</h1>"),
        ("/index.html", "text/html; charset=utf-8", "<h1>demo</h1>"),
        ("/app.js", "text/javascript; charset=utf-8", "export {}"),
        ("/mod.mjs", "text/javascript; charset=utf-8", "export {}"),
        ("/pkg.wasm", "application/wasm", "\0asm"),
        ("/style.css", "text/css; charset=utf-8", "body{}"),
        ("/icon.svg", "image/svg+xml", "<svg/>"),
        ("/photo.png", "image/png", "png"),
        ("/photo.jpg", "image/jpeg", "jpg"),
        ("/data.json", "application/json", "{}"),
        ("/sub/", "text/html; charset=utf-8", "<h1>sub</h1>"),
        ("/sub/index.html?v=1", "text/html; charset=utf-8", "<h1>sub</h1>"),
        ("/%70hoto.png", "image/png", "png"),
    ] {
        let r = proxy.get(target).await;
        assert_eq!(r.status, 200, "{target}");
        assert_eq!(r.header("content-type"), Some(content_type), "{target}");
        assert_eq!(r.body, body.as_bytes(), "{target}");
        assert!(r.header("cache-control").unwrap().contains("max-age="), "{target}");
    }

    let r = proxy.get("/sub").await;
    assert_eq!((r.status, r.header("location")), (308, Some("/sub/")));
    let r = proxy.get("//sub").await;
    assert_eq!(r.header("location"), Some("/sub/"), "no open redirect to //host");

    for target in [
        "/../secret.txt",
        "/sub/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/sub%2F..%2F..%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%zz",
    ] {
        let r = proxy.get(target).await;
        assert_eq!(r.status, 400, "{target}");
        assert_eq!(r.error_kind(), "bad_path");
        assert!(!String::from_utf8_lossy(&r.body).contains("TOP SECRET"));
    }
    for target in ["/link.txt", "/.env", "/empty/", "/nothing.html", "/sub/nothing/"] {
        let r = proxy.get(target).await;
        assert_eq!(r.status, 404, "{target}: no listing, no dot-files, no symlinks out");
        assert!(!String::from_utf8_lossy(&r.body).contains("SECRET"));
    }

    let r = proxy.send("POST", "/index.html", &[("content-length", "0")]).await;
    assert_eq!((r.status, r.header("allow")), (405, Some("GET, HEAD")));
    let r = proxy.send("HEAD", "/pkg.wasm", &[]).await;
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    assert_eq!(r.header("content-length"), Some("4"), "HEAD says the file's length");
    let r = proxy.get("/pkg.wasm").await;
    assert_eq!((r.header("content-length"), r.header("transfer-encoding")), (Some("4"), None));

    // The API keeps working beside the files, and /pave/ never falls through to them.
    assert_eq!(proxy.get(&path(SAMPLE)).await.status, 200);
    assert_eq!(proxy.get("/pave/other").await.status, 404);
    proxy.stop().await;
}

#[tokio::test]
async fn without_static_there_is_nothing_at_the_root() {
    let proxy = Proxy::start(fixtures_config(&shipped_fixtures(), 2)).await;
    let r = proxy.get("/").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.error_kind(), "not_found");
    proxy.stop().await;
}

#[cfg(unix)]
#[tokio::test]
async fn symlinks_to_dot_files_and_api_paths_spelled_otherwise_are_not_served() {
    let (_outer, root) = static_tree();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(root.join(".git/config"), "[remote] SECRET").unwrap();
    std::fs::create_dir_all(root.join("pave/hotspots")).unwrap();
    std::fs::write(root.join("pave/hotspots/UDB-512D3TASIY"), "STATIC SECRET").unwrap();
    std::fs::write(root.join("healthz"), "STATIC SECRET").unwrap();
    let link = |target: &str, name: &str| std::os::unix::fs::symlink(target, root.join(name)).unwrap();
    link(".env", "env.txt");
    link(".git/config", "git-config.txt");
    link(".git", "gitdir");
    link("app.js", "alias.js");
    let mut config = fixtures_config(&shipped_fixtures(), 2);
    config.static_dir = Some(root);
    let proxy = Proxy::start(config).await;

    for target in ["/env.txt", "/git-config.txt", "/gitdir/config", "/gitdir/"] {
        let r = proxy.get(target).await;
        assert_eq!(r.status, 404, "{target}: a symlink does not make a dot-file servable");
        assert!(!String::from_utf8_lossy(&r.body).contains("SECRET"), "{target}");
    }
    for target in [
        "/%70ave/hotspots/UDB-512D3TASIY",
        "/%70%61%76%65/hotspots/UDB-512D3TASIY",
        "//pave/hotspots/UDB-512D3TASIY",
        "/PAVE/hotspots/UDB-512D3TASIY",
        "/%68ealthz",
        "//healthz",
    ] {
        let r = proxy.get(target).await;
        assert_eq!(r.status, 404, "{target}: the API's paths never fall through to files");
        assert!(!String::from_utf8_lossy(&r.body).contains("STATIC SECRET"), "{target}");
    }
    // A symlink to an ordinary file inside the root still works.
    let r = proxy.get("/alias.js").await;
    assert_eq!((r.status, r.body.as_slice()), (200, &b"export {}"[..]));
    proxy.stop().await;
}

#[tokio::test]
async fn other_methods_get_405_on_routes_and_404_where_there_is_no_route() {
    let proxy = Proxy::start(fixtures_config(&shipped_fixtures(), 2)).await;
    for target in ["/x", "/", "/pave/other"] {
        let r = proxy.send("PUT", target, &[("content-length", "0")]).await;
        assert_eq!((r.status, r.error_kind().as_str()), (404, "not_found"), "{target}");
        assert!(r.header("allow").is_none(), "{target}");
    }
    let r = proxy.send("PUT", &path(SAMPLE), &[("content-length", "0")]).await;
    assert_eq!((r.status, r.header("allow")), (405, Some("GET, HEAD, OPTIONS")));
    let r = proxy.send("DELETE", "/healthz", &[]).await;
    assert_eq!((r.status, r.header("allow")), (405, Some("GET, HEAD")));
    proxy.stop().await;

    let (_outer, root) = static_tree();
    let mut config = fixtures_config(&shipped_fixtures(), 2);
    config.static_dir = Some(root);
    let proxy = Proxy::start(config).await;
    for target in ["/x", "/index.html"] {
        let r = proxy.send("PUT", target, &[("content-length", "0")]).await;
        assert_eq!(
            (r.status, r.header("allow")),
            (405, Some("GET, HEAD")),
            "{target}: with --static every path is a file path"
        );
    }
    proxy.stop().await;
}

#[tokio::test]
async fn a_request_target_that_is_not_a_path_is_a_bad_request() {
    let (_outer, root) = static_tree();
    for static_dir in [None, Some(root)] {
        let with_static = static_dir.is_some();
        let mut config = fixtures_config(&shipped_fixtures(), 2);
        config.static_dir = static_dir;
        let proxy = Proxy::start(config).await;
        // Authority-form, and a bare name: neither is a path, so neither names a file or a route.
        for target in ["healthz", "example.com:80", "index.html", "*"] {
            let r = proxy.get(target).await;
            assert_eq!(r.status, 400, "{target} (static: {with_static})");
            assert_eq!(r.error_kind(), "bad_path", "{target}");
            assert!(r.header("location").is_none(), "{target}: no redirect to //");
        }
        let logs = proxy.log_lines();
        assert!(logs.iter().any(|l| l.contains(" GET example.com:80 400 ")), "{logs:#?}");
        // Absolute-form is a path all the same (RFC 9112 §3.2.2).
        assert_eq!(proxy.get("http://example.com/healthz").await.status, 200);
        proxy.stop().await;
    }
}

#[tokio::test]
async fn static_files_carry_validators_and_revalidate_with_304() {
    let (_outer, root) = static_tree();
    let mut config = fixtures_config(&shipped_fixtures(), 2);
    config.static_dir = Some(root.clone());
    let proxy = Proxy::start(config).await;

    let r = proxy.get("/app.js").await;
    assert_eq!(r.status, 200);
    let etag = r.header("etag").expect("an ETag").to_owned();
    assert!(etag.starts_with("W/\"") && etag.ends_with('"'), "weak, from size and time: {etag}");
    let last_modified = r.header("last-modified").expect("a Last-Modified").to_owned();
    assert!(last_modified.ends_with(" GMT"), "{last_modified}");

    for (headers, expected) in [
        (vec![("if-none-match", etag.as_str())], 304),
        (vec![("if-none-match", etag.trim_start_matches("W/"))], 304),
        (vec![("if-none-match", "\"other\", W/\"x\"")], 200),
        (vec![("if-none-match", "*")], 304),
        (vec![("if-modified-since", last_modified.as_str())], 304),
        (vec![("if-modified-since", "Thu, 01 Jan 1970 00:00:00 GMT")], 200),
        (vec![("if-modified-since", "yesterday")], 200),
        // If-None-Match decides when both are sent.
        (vec![("if-none-match", "\"other\""), ("if-modified-since", last_modified.as_str())], 200),
    ] {
        let r = proxy.send("GET", "/app.js", &headers).await;
        assert_eq!(r.status, expected, "{headers:?}");
        assert_eq!(r.header("etag"), Some(etag.as_str()), "{headers:?}");
        assert_eq!(r.header("last-modified"), Some(last_modified.as_str()), "{headers:?}");
        assert_eq!(r.header("cache-control"), Some("public, max-age=60"), "{headers:?}");
        let body: &[u8] = if expected == 304 { b"" } else { b"export {}" };
        assert_eq!(r.body, body, "{headers:?}");
    }
    let r = proxy.send("HEAD", "/app.js", &[("if-none-match", &etag)]).await;
    assert_eq!(r.status, 304);
    // A directory's index.html has its own.
    let r = proxy.get("/sub/").await;
    assert!(r.header("etag").is_some_and(|tag| tag != etag), "{:?}", r.header("etag"));

    // A changed file no longer matches.
    std::fs::write(root.join("app.js"), "export const changed = 1;").unwrap();
    let r = proxy.send("GET", "/app.js", &[("if-none-match", &etag)]).await;
    assert_eq!((r.status, r.body.as_slice()), (200, &b"export const changed = 1;"[..]));
    assert_ne!(r.header("etag"), Some(etag.as_str()));
    proxy.stop().await;
}
