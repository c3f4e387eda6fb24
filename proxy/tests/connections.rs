//! Connections that send no request, or send it too slowly: the header-read timeout closes them,
//! the connection cap keeps them from taking every descriptor, and graceful shutdown does not wait
//! for them. Connections that stop reading their response: the write timeout closes them. And one
//! client address cannot take every slot: the per-IP cap.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::*;
use pave_proxy::{Config, SourceConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

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

/// A response body well beyond what the kernel buffers for one connection (its send buffer can grow
/// to `net.ipv4.tcp_wmem`'s maximum, 4 MiB by default), so a client that stops reading stalls the
/// server's writes.
fn big_body_len() -> usize {
    let wmem_max = std::fs::read_to_string("/proc/sys/net/ipv4/tcp_wmem")
        .ok()
        .and_then(|text| text.split_whitespace().nth(2).and_then(|max| max.parse::<usize>().ok()))
        .unwrap_or(0);
    (16 << 20).max(wmem_max * 4)
}

/// A directory with one big file, `big.bin`, of `len` bytes.
fn static_dir_with_big_file(len: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.bin"), vec![b'x'; len]).unwrap();
    dir
}

/// A connection from `from` (127.0.0.1 when `None`) with a receive buffer of `recv_buffer` bytes,
/// set before connecting so the window stays that small.
async fn connect_from(addr: SocketAddr, from: Option<&str>, recv_buffer: Option<u32>) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    if let Some(from) = from {
        socket.bind(format!("{from}:0").parse().unwrap())?;
    }
    if let Some(size) = recv_buffer {
        socket.set_recv_buffer_size(size)?;
    }
    socket.connect(addr).await
}

/// Polls the proxy's log until a line contains `words`; panics if none has within `OBSERVE`.
async fn log_line_with(proxy: &Proxy, words: &str) -> String {
    let found = tokio::time::timeout(OBSERVE, async {
        loop {
            if let Some(line) = proxy.log_lines().into_iter().find(|l| l.contains(words)) {
                return line;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    found.unwrap_or_else(|_| panic!("no log line with {words:?} within {OBSERVE:?}: {:#?}", proxy.log_lines()))
}

/// Sends `GET target` (keep-alive) on a connection with a tiny receive window and never reads: the
/// server's writes stall once the socket buffers are full.
async fn stalled_reader(addr: SocketAddr, target: &str) -> TcpStream {
    let mut stalled = connect_from(addr, None, Some(4096)).await.unwrap();
    stalled.write_all(format!("GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes()).await.unwrap();
    stalled
}

/// Checks that the server gives up on a stalled reader within the write timeout: it logs so, and
/// what it had handed to the kernel before is followed by the end of the connection, short of the
/// whole response.
async fn assert_dropped(proxy: &Proxy, mut stalled: TcpStream, body_len: usize) {
    let line = log_line_with(proxy, "write timeout").await;
    assert!(line.contains("127.0.0.1:") && line.contains("--write-timeout-s"), "{line}");

    let seen = closed_by_server(&mut stalled, "a connection that stopped reading").await;
    assert!(seen.starts_with(b"HTTP/1.1 200 "), "{:?}", String::from_utf8_lossy(&seen[..seen.len().min(64)]));
    assert!(seen.len() < body_len, "the whole response fit in the socket buffers: the test proves nothing");
}

#[tokio::test]
async fn a_client_that_stops_reading_a_static_file_is_dropped_after_the_write_timeout() {
    let len = big_body_len();
    let dir = static_dir_with_big_file(len);
    // One slot, so the stalled connection holds the whole server until it is dropped.
    let mut config = config(Duration::from_secs(60), 1);
    config.static_dir = Some(dir.path().to_owned());
    config.write_timeout = Duration::from_secs(1);
    let proxy = Proxy::start(config).await;

    let addr = proxy.addr;
    let stalled = stalled_reader(addr, "/big.bin").await;
    // Behind the stalled connection in the backlog: served only once its slot is free.
    let waiting = tokio::spawn(async move { send(addr, "GET", "/healthz", &[]).await });
    assert_dropped(&proxy, stalled, len).await;
    let r = tokio::time::timeout(OBSERVE, waiting).await.expect("the freed slot serves the next client").unwrap();
    assert_eq!(r.status, 200);
    proxy.stop().await;
}

#[tokio::test]
async fn a_client_that_stops_reading_an_api_answer_is_dropped_after_the_write_timeout() {
    let len = big_body_len();
    let mock = MockUpstream::start().await;
    mock.set(SAMPLE, Reply::new(200, vec![b' '; len]));
    let mut config = upstream_config(&mock.url());
    config.max_body_bytes = len;
    config.write_timeout = Duration::from_secs(1);
    let proxy = Proxy::start(config).await;

    let stalled = stalled_reader(proxy.addr, &format!("/pave/hotspots/{SAMPLE}")).await;
    assert_dropped(&proxy, stalled, len).await;
    // The server is unharmed.
    assert_eq!(proxy.get("/healthz").await.status, 200);
    proxy.stop().await;
}

#[tokio::test]
async fn a_slow_reader_that_keeps_reading_is_not_cut_off_by_the_write_timeout() {
    let len = big_body_len();
    let dir = static_dir_with_big_file(len);
    let mut config = config(Duration::from_secs(60), 1024);
    config.static_dir = Some(dir.path().to_owned());
    config.write_timeout = Duration::from_secs(1);
    let proxy = Proxy::start(config).await;

    // A small window, read a 32nd of the body at a time with a pause after each: the response takes
    // about 32 pauses (over 3 write timeouts), while the server is never left a whole timeout without
    // the client taking more.
    let mut stream = connect_from(proxy.addr, None, Some(64 * 1024)).await.unwrap();
    stream.write_all(b"GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut raw = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let step = len / 32;
    let mut next_pause = step;
    loop {
        let n = tokio::time::timeout(OBSERVE, stream.read(&mut buf)).await.expect("the response stopped").unwrap();
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
        if raw.len() >= next_pause {
            next_pause += step;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let head_end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    assert!(raw.starts_with(b"HTTP/1.1 200"));
    assert_eq!(raw.len() - head_end, len, "the whole file arrived");
    assert!(!proxy.log_lines().iter().any(|l| l.contains("write timeout")), "{:#?}", proxy.log_lines());
    proxy.stop().await;
}

/// A request on a fresh connection from `from`; the status, or `None` when the server closed the
/// connection without answering.
async fn status_from(addr: SocketAddr, from: Option<&str>) -> Option<u16> {
    let mut stream = connect_from(addr, from, None).await.unwrap();
    // The server may have closed already: then the write fails, or the read sees the end.
    let _ = stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
    let mut raw = Vec::new();
    let read = tokio::time::timeout(OBSERVE, stream.read_to_end(&mut raw)).await;
    assert!(read.is_ok(), "neither answered nor closed within {OBSERVE:?}");
    let text = String::from_utf8_lossy(&raw);
    text.strip_prefix("HTTP/1.1 ").and_then(|rest| rest.get(..3)).and_then(|code| code.parse().ok())
}

/// 127.0.0.2 where the system routes all of 127.0.0.0/8 to loopback (Linux), else `None`.
fn second_loopback_address() -> Option<&'static str> {
    let usable = std::net::TcpListener::bind("127.0.0.2:0").is_ok();
    if !usable {
        eprintln!("127.0.0.2 is not usable here: the part with a second client address is skipped");
    }
    usable.then_some("127.0.0.2")
}

#[tokio::test]
async fn past_the_per_ip_cap_a_new_connection_from_that_address_is_closed_at_once() {
    let mut config = config(Duration::from_secs(60), 1024);
    config.max_connections_per_ip = Some(2);
    let proxy = Proxy::start(config).await;
    let addr = proxy.addr;

    let idle_a = TcpStream::connect(addr).await.unwrap();
    let mut idle_b = TcpStream::connect(addr).await.unwrap();
    idle_b.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();

    // A third from the same address: closed without an answer, long before the header timeout.
    assert_eq!(status_from(addr, None).await, None, "a third connection from 127.0.0.1 was served");
    let line = log_line_with(&proxy, "--max-connections-per-ip").await;
    assert!(line.contains("127.0.0.1"), "{line}");
    // Another address is not affected.
    if let Some(other) = second_loopback_address() {
        assert_eq!(status_from(addr, Some(other)).await, Some(200));
    }

    // Once one of the two closes, the address is served again.
    drop(idle_a);
    let served = tokio::time::timeout(OBSERVE, async {
        while status_from(addr, None).await != Some(200) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(served.is_ok(), "still refused after one of its connections closed");
    drop(idle_b);
    proxy.stop().await;
}

#[tokio::test]
async fn with_trust_forwarded_the_per_ip_cap_is_off_unless_given() {
    // Behind a reverse proxy every connection comes from the proxy's address: the default cap of 64
    // would throttle every client together, so it does not apply.
    let mut forwarded = config(Duration::from_secs(60), 1024);
    forwarded.trust_forwarded = true;
    let proxy = Proxy::start(forwarded.clone()).await;
    let mut held = Vec::new();
    for _ in 0..70 {
        let mut stream = TcpStream::connect(proxy.addr).await.unwrap();
        stream.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
        held.push(stream);
    }
    assert_eq!(status_from(proxy.addr, None).await, Some(200), "the 71st connection from one peer");
    drop(held);
    proxy.stop().await;

    // Given explicitly, it counts per peer (per reverse proxy) all the same.
    forwarded.max_connections_per_ip = Some(1);
    let proxy = Proxy::start(forwarded).await;
    let warning = log_line_with(&proxy, "warning: --max-connections-per-ip 1 with --trust-forwarded").await;
    assert!(warning.contains("per reverse proxy"), "{warning}");
    let idle = TcpStream::connect(proxy.addr).await.unwrap();
    assert_eq!(status_from(proxy.addr, None).await, None);
    drop(idle);
    proxy.stop().await;
}

/// Sends `GET target` (HTTP/1.1, `Connection: close`), then shuts down the write side as some
/// scripted clients do, and reads what comes back until the server closes.
async fn half_closed_request(addr: SocketAddr, target: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(format!("GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    stream.shutdown().await.unwrap();
    let mut raw = Vec::new();
    let read = tokio::time::timeout(OBSERVE, stream.read_to_end(&mut raw)).await;
    assert!(read.is_ok(), "{target}: neither answered nor closed within {OBSERVE:?}");
    String::from_utf8_lossy(&raw).into_owned()
}

#[tokio::test]
async fn a_client_that_half_closes_after_its_request_still_gets_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<h1>demo</h1>").unwrap();
    let mut local = config(Duration::from_secs(60), 1024);
    local.static_dir = Some(dir.path().to_owned());
    let proxy = Proxy::start(local).await;
    for (target, body) in [("/healthz", "\"status\":\"ok\""), ("/index.html", "<h1>demo</h1>")] {
        let text = half_closed_request(proxy.addr, target).await;
        assert!(text.starts_with("HTTP/1.1 200 ") && text.contains(body), "{target}: {text:?}");
    }
    proxy.stop().await;

    // A slow PAVE: the client's end of stream arrives long before the answer is ready.
    let mock = MockUpstream::start().await;
    mock.set(SAMPLE, Reply::new(200, fixture("no-damage.json")).delayed(Duration::from_millis(300)));
    let proxy = Proxy::start(upstream_config(&mock.url())).await;
    let text = half_closed_request(proxy.addr, &format!("/pave/hotspots/{SAMPLE}")).await;
    assert!(text.starts_with("HTTP/1.1 200 "), "{text:?}");
    assert!(text.as_bytes().ends_with(&fixture("no-damage.json")), "{text:?}");
    let logs = proxy.log_lines();
    assert!(logs.iter().any(|l| l.contains(&format!("GET /pave/hotspots/{SAMPLE} 200 "))), "{logs:#?}");
    proxy.stop().await;
}
