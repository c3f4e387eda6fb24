//! Connections that send no request, or send it too slowly: the header-read timeout closes them,
//! the connection cap keeps them from taking every descriptor, and graceful shutdown does not wait
//! for them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::*;
use pave_proxy::{Config, SourceConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Long enough for any server to close a connection it means to close, on a loaded machine.
const OBSERVE: Duration = Duration::from_secs(5);

fn config(header_timeout: Duration, max_connections: usize) -> Config {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut config = Config::new(SourceConfig::Fixtures { dir, pending_calls: 2 });
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.header_timeout = header_timeout;
    config.max_connections = max_connections;
    config
}

/// Reads until the server closes the connection (EOF or reset); panics if it has not within `OBSERVE`.
async fn closed_by_server(stream: &mut TcpStream, what: &str) -> Vec<u8> {
    let mut seen = Vec::new();
    let read = tokio::time::timeout(OBSERVE, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "{what}: still open after {OBSERVE:?}");
    seen
}

/// A request on a keep-alive connection; returns once the whole response (with a Content-Length) is in.
async fn keep_alive_request(stream: &mut TcpStream, addr: SocketAddr) -> String {
    stream.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = tokio::time::timeout(OBSERVE, stream.read(&mut buf)).await.unwrap().unwrap();
        assert_ne!(n, 0, "closed before the response was complete");
        raw.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&raw).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap()))
                .unwrap();
            if body.len() >= length {
                return text;
            }
        }
    }
}

#[tokio::test]
async fn idle_partial_and_dripped_connections_are_closed_after_the_header_timeout() {
    let proxy = Proxy::start(config(Duration::from_secs(1), 1024)).await;
    let addr = proxy.addr;

    let mut idle = TcpStream::connect(addr).await.unwrap();
    let mut partial = TcpStream::connect(addr).await.unwrap();
    partial.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let mut kept_alive = TcpStream::connect(addr).await.unwrap();
    assert!(keep_alive_request(&mut kept_alive, addr).await.starts_with("HTTP/1.1 200"));

    // One header line every 200 ms: never idle, never complete.
    let drip = tokio::spawn(async move {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(b"GET /healthz HTTP/1.1\r\n").await.unwrap();
        for i in 0..50 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if stream.write_all(format!("X-Drip-{i}: x\r\n").as_bytes()).await.is_err() {
                return true;
            }
            let mut buf = [0u8; 512];
            if let Ok(Ok(0) | Err(_)) = tokio::time::timeout(Duration::from_millis(1), stream.read(&mut buf)).await {
                return true;
            }
        }
        false
    });

    closed_by_server(&mut idle, "a connection that never sent a byte").await;
    let seen = closed_by_server(&mut partial, "a connection with a partial request head").await;
    assert!(!String::from_utf8_lossy(&seen).contains(" 200 "), "the partial request was not answered");
    closed_by_server(&mut kept_alive, "an idle keep-alive connection").await;
    assert!(drip.await.unwrap(), "a connection dripping header lines was not closed within 10 s");

    // The server still answers.
    assert_eq!(proxy.get("/healthz").await.status, 200);
    proxy.stop().await;
}

#[tokio::test]
async fn past_the_connection_cap_new_connections_wait_for_a_free_slot() {
    let proxy = Proxy::start(config(Duration::from_secs(60), 2)).await;
    let addr = proxy.addr;
    let idle_a = TcpStream::connect(addr).await.unwrap();
    let mut idle_b = TcpStream::connect(addr).await.unwrap();
    idle_b.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();

    let waiting = tokio::spawn(async move { send(addr, "GET", "/healthz", &[]).await });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!waiting.is_finished(), "a third connection was served while two held both slots");

    drop(idle_a);
    let r = tokio::time::timeout(OBSERVE, waiting).await.expect("served once a slot was free").unwrap();
    assert_eq!(r.status, 200);
    drop(idle_b);
    proxy.stop().await;
}

#[tokio::test]
async fn shutdown_does_not_wait_for_connections_that_never_sent_a_request() {
    let mut config = config(Duration::from_secs(60), 1024);
    config.shutdown_timeout = Duration::from_secs(60);
    let mut proxy = Proxy::start(config).await;
    let addr = proxy.addr;

    let mut idle = TcpStream::connect(addr).await.unwrap();
    let mut partial = TcpStream::connect(addr).await.unwrap();
    partial.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let mut kept_alive = TcpStream::connect(addr).await.unwrap();
    keep_alive_request(&mut kept_alive, addr).await;
    let mut second_head = TcpStream::connect(addr).await.unwrap();
    keep_alive_request(&mut second_head, addr).await;
    second_head.write_all(b"GET /healthz HTTP/1.1\r\n").await.unwrap();
    // Let the server take in the bytes written last.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let server = proxy.server.take().unwrap();
    let shutdown = tokio::time::timeout(OBSERVE, server.shutdown()).await;
    assert!(shutdown.is_ok(), "shutdown waited for connections without a request in progress");
    shutdown.unwrap().unwrap();
    for (stream, what) in [
        (&mut idle, "idle"),
        (&mut partial, "partial head"),
        (&mut kept_alive, "keep-alive"),
        (&mut second_head, "partial second head"),
    ] {
        closed_by_server(stream, what).await;
    }
    proxy.stop().await;
}
