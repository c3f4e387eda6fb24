#!/usr/bin/env bash
# Load figures for pave-proxy: builds it in release, runs it in --fixtures mode on 127.0.0.1 with the
# rate limit and the per-address connection cap out of the way (wrk's connections all come from
# 127.0.0.1), and points wrk at a cached result and at a (cached) unknown session.
# Traffic stays on loopback, is bounded in time, and the proxy is stopped at the end.
#
# Env: PROXY_LOAD_SECONDS (default 10) per URL, PROXY_LOAD_CONNECTIONS (default 32),
#      PROXY_LOAD_THREADS (default 2), CARGO_TARGET_DIR (default ./target).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'proxy-load: %s\n' "$*" >&2; }
SECONDS_PER_URL="${PROXY_LOAD_SECONDS:-10}"
CONNECTIONS="${PROXY_LOAD_CONNECTIONS:-32}"
THREADS="${PROXY_LOAD_THREADS:-2}"
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

# 1. wrk, from Debian's packages; `apt-get update` only if the plain install fails.
if ! command -v wrk >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  say "installing wrk"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -qq wrk >/dev/null 2>&1 \
    || { $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq wrk >/dev/null; }
fi

# 2. The proxy, in release.
say "building pave-proxy (release)"
CARGO_TARGET_DIR="$TARGET_DIR" cargo build --quiet --release -p pave-proxy
BIN="$TARGET_DIR/release/pave-proxy"

# 3. Start it on a free loopback port and read the port from its first line.
WORK="$(mktemp -d)"
PROXY_PID=""
cleanup() {
  if [ -n "$PROXY_PID" ] && kill -0 "$PROXY_PID" 2>/dev/null; then
    kill -TERM "$PROXY_PID" 2>/dev/null || true
    wait "$PROXY_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" --listen 127.0.0.1:0 --fixtures proxy/fixtures --quiet \
  --rate-limit 1000000000 --rate-burst 1000000000 --max-connections-per-ip 0 >"$WORK/stdout" 2>"$WORK/stderr" &
PROXY_PID=$!
ADDR=""
for _ in $(seq 1 100); do
  ADDR="$(sed -n 's#^pave-proxy listening on http://##p' "$WORK/stdout")"
  [ -n "$ADDR" ] && break
  if ! kill -0 "$PROXY_PID" 2>/dev/null; then
    cat "$WORK/stderr" >&2
    say "the proxy exited before listening"
    exit 1
  fi
  sleep 0.1
done
[ -n "$ADDR" ] || { say "no listening line after 10 s"; exit 1; }
say "proxy listening on $ADDR (pid $PROXY_PID)"

# 4. Warm the cache and check the answers are what the run claims to measure.
RESULT_URL="http://$ADDR/pave/hotspots/UDB-512D3TASIY"
MISSING_URL="http://$ADDR/pave/hotspots/UDB-0000000000"
check() {
  local url="$1" want="$2" got
  got="$(curl -s -o /dev/null -w '%{http_code}' "$url")"
  [ "$got" = "$want" ] || { say "$url answered $got, expected $want"; exit 1; }
}
check "$RESULT_URL" 200
check "$MISSING_URL" 404

# 5. wrk against each URL; keep the raw output and print a summary.
run() {
  local name="$1" url="$2" out="$WORK/$1.txt"
  say "wrk ${SECONDS_PER_URL}s, $CONNECTIONS connections, $THREADS threads: $url"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_URL}s" --latency "$url" >"$out"
  local rps p50 p99 total non2xx errors
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
  p50="$(awk '$1 == "50%" {print $2}' "$out")"
  p99="$(awk '$1 == "99%" {print $2}' "$out")"
  total="$(awk '/requests in/ {print $1}' "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$out")"
  errors="$(grep -E '^ +Socket errors:' "$out" | sed 's/^ *//' || true)"
  printf '%-22s %12s req/s   p50 %-9s p99 %-9s (%s requests, non-2xx: %s)%s\n' \
    "$name" "$rps" "$p50" "$p99" "$total" "${non2xx:-0}" "${errors:+, $errors}"
}
echo "pave-proxy load ($(nproc) cores, fixtures mode, answers served from the cache)"
run "cached result (200)" "$RESULT_URL"
run "unknown session (404)" "$MISSING_URL"

# 6. Stop the proxy (the trap does it too on any earlier exit).
kill -TERM "$PROXY_PID"
wait "$PROXY_PID" || { say "the proxy did not exit cleanly"; exit 1; }
PROXY_PID=""
