#!/usr/bin/env bash
# Every test of pave-hotspots, in the order that fails fastest. Run through `npm test`, which
# runs scripts/setup.sh first; .ci/run calls the same command.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
export CARGO_TERM_COLOR=never

started=$(date +%s)
step() {
  local name=$1; shift
  local t0; t0=$(date +%s)
  printf '\n== %s\n' "$name"
  "$@"
  printf -- '-- %s: ok (%ss)\n' "$name" "$(( $(date +%s) - t0 ))"
}

step "format" cargo fmt --all --check
step "clippy (host, workspace)" cargo clippy --workspace --all-targets --quiet -- -D warnings
step "clippy (wasm32)" cargo clippy -p pave-hotspots --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings
step "clippy (wasm32, the shipped no-std build)" cargo clippy -p pave-hotspots --target wasm32-unknown-unknown --features standalone --lib --quiet -- -D warnings
step "host tests (core, proxy)" cargo test --workspace --quiet
step "browser tests (wasm-bindgen-test, headless Chromium)" wasm-pack test --headless --chrome
step "release build (dist/)" node scripts/build.mjs --quiet
step "size budget" node scripts/size-budget.mjs
step "demo photos" node scripts/gen-photos.mjs www/generated/photos --quiet
step "proxy release build (for the demo test)" cargo build --release -p pave-proxy --quiet
step "page tests (headless Chromium)" node --test --test-concurrency=2 tests/page/
step "package (npm pack, script tag, Vite, TypeScript)" node --test tests/pack/
step "bench (quick: it runs, shows every task's markers, O(1) writes; no timing asserted)" node --test tests/bench/

printf '\nall tests passed in %ss\n' "$(( $(date +%s) - started ))"
