#!/usr/bin/env bash
# Every test of pave-hotspots, in the order that fails fastest. Run through `npm test`, which
# runs scripts/setup.sh first; .ci/run calls the same command.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
export CARGO_TERM_COLOR=never

# No step may hang the run: each gets STEP_LIMIT seconds (a cold compile takes a few minutes),
# and every test file of the node runs TEST_FILE_LIMIT ms; a hang fails, naming where it was.
STEP_LIMIT=${STEP_LIMIT:-1200}
TEST_FILE_LIMIT=${TEST_FILE_LIMIT:-600000}

# `timeout` puts the step in a process group of its own, out of reach of the terminal's Ctrl-C:
# stopping the run stops that group (browsers and servers included).
running=
stop() {
  [ -z "$running" ] || kill -TERM -- "-$running" 2>/dev/null || true
  exit 130
}
trap stop INT TERM

started=$(date +%s)
step() {
  local name=$1; shift
  local t0; t0=$(date +%s)
  printf '\n== %s\n' "$name"
  local rc=0
  timeout --kill-after=15 "$STEP_LIMIT" "$@" &
  running=$!
  wait "$running" || rc=$?
  running=
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    printf -- '-- %s: stopped after %ss (STEP_LIMIT)\n' "$name" "$STEP_LIMIT" >&2
  fi
  [ "$rc" -eq 0 ] || exit "$rc"
  printf -- '-- %s: ok (%ss)\n' "$name" "$(( $(date +%s) - t0 ))"
}

step "format" cargo fmt --all --check
step "clippy (host, workspace)" cargo clippy --workspace --all-targets --quiet -- -D warnings
step "clippy (wasm32)" cargo clippy -p pave-hotspots --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings
step "clippy (wasm32, the shipped no-std build)" cargo clippy -p pave-hotspots --target wasm32-unknown-unknown --features standalone --lib --quiet -- -D warnings
step "host tests (core, proxy)" cargo test --workspace --quiet
# The fuzz targets call the core too: they must keep compiling (fuzzing itself, on nightly, is
# scripts/fuzz.sh). libfuzzer-sys builds libFuzzer's C++ sources, hence the compiler check.
if command -v c++ >/dev/null 2>&1; then
  step "fuzz targets compile (cargo check)" cargo check --quiet --locked --manifest-path fuzz/Cargo.toml --bins
else
  printf '\n-- fuzz targets compile: skipped (no C++ compiler for libFuzzer)\n'
fi
step "browser tests (wasm-bindgen-test, headless Chromium)" wasm-pack test --headless --chrome
step "release build (dist/)" node scripts/build.mjs --quiet
step "size budget" node scripts/size-budget.mjs
step "demo photos" node scripts/gen-photos.mjs www/generated/photos --quiet
step "proxy release build (for the demo test)" cargo build --release -p pave-proxy --quiet
step "page tests (headless Chromium)" node --test --test-concurrency=2 --test-timeout="$TEST_FILE_LIMIT" tests/page/
step "package (npm pack, script tag, Vite, TypeScript)" node --test --test-timeout="$TEST_FILE_LIMIT" tests/pack/
step "bench (quick: it runs, shows every task's markers, O(1) writes; no timing asserted)" node --test --test-timeout="$TEST_FILE_LIMIT" tests/bench/

printf '\nall tests passed in %ss\n' "$(( $(date +%s) - started ))"
