#!/usr/bin/env bash
# Installs what a fresh machine lacks to build and test pave-hotspots, and nothing else.
# Idempotent and quiet when everything is already there: each step checks first.
# Needs: rustup + cargo, node + npm, and apt-get (as root or with sudo) for Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

# 1. The wasm32 target.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown >/dev/null
fi

# cargo install, first with the crate's own lockfile; when the registry mirror lacks a locked
# version (seen here: webpki-roots 1.0.11 for wasm-bindgen-cli), let cargo pick what it has.
cargo_install() {
  say "installing $* (a few minutes, once)"
  cargo install --quiet --locked "$@" 2>/tmp/pave-setup-install.log \
    || cargo install --quiet "$@" \
    || { cat /tmp/pave-setup-install.log >&2; exit 1; }
}

# 2. wasm-pack.
if ! command -v wasm-pack >/dev/null 2>&1; then
  cargo_install wasm-pack
fi

# 3. wasm-bindgen-cli of exactly the version Cargo.lock holds (wasm-pack uses it from PATH instead
#    of downloading one, and wasm-bindgen-test-runner comes with it).
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ -z "$want" ]; then
  say "Cargo.lock names no wasm-bindgen version"; exit 1
fi
if [ "$have" != "$want" ]; then
  cargo_install wasm-bindgen-cli --version "$want"
fi

# 4. Chromium and ChromeDriver from Debian (never a browser a test tool downloads).
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  say "installing chromium and chromium-driver"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 \
    || { $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq chromium chromium-driver >/dev/null; }
fi

# 5. npm dev dependencies (binaryen's wasm-opt, playwright-core, axe-core, …), when the lockfile
#    changed since the last install.
stamp=node_modules/.pave-setup-stamp
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  say "installing npm dev dependencies"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$lock_sum" > "$stamp"
fi
