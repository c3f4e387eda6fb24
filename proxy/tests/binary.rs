//! The built `pave-proxy` binary: start-up refusal, the listening line, stderr logs without the
//! key, and graceful shutdown on SIGTERM.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;

const BIN: &str = env!("CARGO_BIN_EXE_pave-proxy");

/// Starts the binary and returns it with the address from its `listening on` line.
fn spawn(args: &[&str], key: Option<&str>) -> (Child, SocketAddr) {
    let mut command = Command::new(BIN);
    command.args(args).env_remove("PAVE_API_KEY").stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    if let Some(key) = key {
        command.env("PAVE_API_KEY", key);
    }
    let mut child = command.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("pave-proxy listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .parse::<SocketAddr>()
        .unwrap();
    assert_ne!(addr.port(), 0, "the real port is printed");
    (child, addr)
}

fn terminate(child: &Child) {
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
}

/// Waits for the child to exit (at most 10 s) and returns its success and stderr.
async fn finish(mut child: Child) -> (bool, String) {
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).unwrap();
        text
    });
    for _ in 0..200 {
        if let Some(status) = child.try_wait().unwrap() {
            return (status.success(), reader.join().unwrap());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child.kill().unwrap();
    panic!("pave-proxy did not exit within 10 s");
}

#[test]
fn refuses_to_start_without_a_key() {
    let output = Command::new(BIN).args(["--listen", "127.0.0.1:0"]).env_remove("PAVE_API_KEY").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "it must not claim to listen");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("PAVE_API_KEY") && stderr.contains("--fixtures"), "{stderr}");

    let output = Command::new(BIN).args(["--listen", "127.0.0.1:0"]).env("PAVE_API_KEY", "").output().unwrap();
    assert_eq!(output.status.code(), Some(2), "an empty key is no key");
}

#[test]
fn refuses_values_with_which_every_request_would_fail() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
    for (args, words) in [
        (["--upstream-timeout-ms", "0"], "--upstream-timeout-ms"),
        (["--max-body-bytes", "0"], "--max-body-bytes"),
        (["--allow-origin", "https://*.dealer.example"], "wildcard"),
        (["--allow-origin", "https://user@dealer.example"], "user info"),
    ] {
        let output = Command::new(BIN)
            .args(["--listen", "127.0.0.1:0", "--fixtures", fixtures])
            .args(args)
            .env_remove("PAVE_API_KEY")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}: it must not claim to listen");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(words), "{args:?}: {stderr}");
    }
}

#[test]
fn help_names_the_environment_variable_and_no_key_flag() {
    let output = Command::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(help.contains("PAVE_API_KEY"));
    for flag in [
        "--listen",
        "--allow-origin",
        "--upstream",
        "--upstream-timeout-ms",
        "--max-body-bytes",
        "--session-pattern",
        "--cache-ttl-s",
        "--rate-limit",
        "--trust-forwarded",
        "--fixtures",
        "--fixture-pending-calls",
        "--static",
        "--quiet",
        "--header-timeout-s",
        "--max-connections",
        "--trusted-hops",
        "--write-timeout-s",
        "--max-connections-per-ip",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    assert!(!help.contains("--api-key"));
}

/// The flags of `--help` with their `[default: …]`, if any (`--help` and `--version` left out).
fn help_flags() -> Vec<(String, Option<String>)> {
    let output = Command::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    help.lines()
        .filter_map(|line| line.trim_start().strip_prefix("--"))
        .map(|rest| {
            let name = format!("--{}", rest.split_whitespace().next().unwrap());
            let default = rest.rsplit_once("[default: ").map(|(_, d)| d.trim_end_matches(']').to_owned());
            (name, default)
        })
        .filter(|(name, _)| name != "--help" && name != "--version")
        .collect()
}

/// The rows of proxy/README.md's flag table: flag name and default cell.
fn readme_flags() -> Vec<(String, String)> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = readme.split("\n## Flags\n").nth(1).unwrap().split("\n## ").next().unwrap();
    table
        .lines()
        .filter_map(|line| line.strip_prefix("| `--"))
        .map(|rest| {
            let name = format!("--{}", rest.split(['`', ' ']).next().unwrap());
            let default = rest.split(" | ").nth(1).unwrap().to_owned();
            (name, default)
        })
        .collect()
}

#[test]
fn the_readme_flag_table_matches_help() {
    let help = help_flags();
    let readme = readme_flags();
    let help_names: Vec<&str> = help.iter().map(|(name, _)| name.as_str()).collect();
    let readme_names: Vec<&str> = readme.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(help_names, readme_names, "the README's flag table and --help list different flags (or orders)");
    for ((name, help_default), (_, readme_default)) in help.iter().zip(&readme) {
        if let Some(default) = help_default {
            assert!(
                readme_default.contains(&format!("`{default}`")),
                "{name}: --help says [default: {default}], the README {readme_default:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_requests_without_the_key_and_shuts_down_gracefully_on_sigterm() {
    let mock = MockUpstream::start().await;
    mock.set(SAMPLE, Reply::new(200, fixture("results-27-damages.json")));
    mock.set("UDB-BROKEN0000", Reply::new(503, "{}"));
    mock.set("UDB-SLOW000000", Reply::new(200, fixture("no-damage.json")).delayed(Duration::from_millis(600)));
    let upstream = mock.url();
    let (child, addr) = spawn(&["--listen", "127.0.0.1:0", "--upstream", &upstream], Some(SECRET));

    assert_eq!(send(addr, "GET", "/pave/hotspots/UDB-512D3TASIY", &[]).await.status, 200);
    assert_eq!(send(addr, "GET", "/pave/hotspots/UDB-512D3TASIY", &[]).await.status, 200);
    assert_eq!(send(addr, "GET", "/pave/hotspots/UDB-BROKEN0000", &[]).await.status, 502);
    assert_eq!(send(addr, "GET", "/pave/hotspots/nope", &[]).await.status, 400);
    assert_eq!(mock.bad_auth(), 0);

    // A request in flight when SIGTERM arrives still gets its answer.
    let slow = tokio::spawn(async move { send(addr, "GET", "/pave/hotspots/UDB-SLOW000000", &[]).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    terminate(&child);
    let r = slow.await.unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.body, fixture("no-damage.json"));

    let (success, stderr) = finish(child).await;
    assert!(success, "clean exit after SIGTERM; stderr:\n{stderr}");
    assert!(!stderr.contains(SECRET), "the key leaked into stderr:\n{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    for (path, status, cache) in [
        ("/pave/hotspots/UDB-512D3TASIY", "200", "cache=miss"),
        ("/pave/hotspots/UDB-512D3TASIY", "200", "cache=hit"),
        ("/pave/hotspots/UDB-BROKEN0000", "502", "cache=miss"),
        ("/pave/hotspots/nope", "400", "cache=-"),
        ("/pave/hotspots/UDB-SLOW000000", "200", "cache=miss"),
    ] {
        let expected = format!(" GET {path} {status} ");
        assert!(
            lines.iter().any(|l| l.contains(&expected) && l.contains("ms ") && l.ends_with(cache)),
            "no line for {path} {status} {cache} in:\n{stderr}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixtures_mode_needs_no_key_and_quiet_silences_the_log() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
    let (child, addr) = spawn(&["--listen", "127.0.0.1:0", "--fixtures", fixtures, "--quiet"], None);
    let r = send(addr, "GET", "/pave/hotspots/UDB-512D3TASIY", &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, fixture("results-27-damages.json"));
    terminate(&child);
    let (success, stderr) = finish(child).await;
    assert!(success);
    assert!(stderr.is_empty(), "--quiet, yet stderr said:\n{stderr}");
}

/// The widget's default `timeout` in milliseconds, from the widget attribute table of the
/// repository's README.
fn widget_default_timeout_ms() -> u64 {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let row = readme.lines().find(|line| line.starts_with("| `timeout` |")).expect("the widget's timeout row");
    row.split(" | ").nth(2).unwrap().trim_matches('`').parse().unwrap()
}

#[test]
fn with_default_settings_the_proxy_gives_up_on_pave_before_the_widget_gives_up_on_it() {
    let upstream_ms: u64 = help_flags()
        .into_iter()
        .find(|(name, _)| name == "--upstream-timeout-ms")
        .and_then(|(_, default)| default)
        .unwrap()
        .parse()
        .unwrap();
    let widget_ms = widget_default_timeout_ms();
    // A second to spare for the 504 to reach the page, or the widget only ever sees its own timeout.
    assert!(upstream_ms + 1000 <= widget_ms, "--upstream-timeout-ms {upstream_ms}, widget timeout {widget_ms}");
}
