#!/usr/bin/env bash
# Fuzzes the pure core with cargo-fuzz (libFuzzer, nightly): the targets in fuzz/ one after the
# other, each for the given time, then one line per target: executions, exec/s, time, crashes.
# Exits non-zero when any target crashed; the inputs are in fuzz/artifacts/<target>/ (replay one
# with `cargo +nightly fuzz run <target> <file>`).
#
#   scripts/fuzz.sh [seconds per target, default 60] [target…]
#
# Installs cargo-fuzz if missing. The `parse` corpus is seeded from tests/corpus/ and
# tests/fixtures/pave/; corpora grow in fuzz/corpus/<target>/ (not committed) across runs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
per_target=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse geometry layout)
[[ $per_target =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh [seconds per target] [target…]" >&2; exit 2; }

export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/fuzz/target}
mkdir -p "$CARGO_TARGET_DIR"
export CARGO_TERM_COLOR=never

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "fuzz.sh: cargo-fuzz needs a nightly toolchain (rustup toolchain install nightly)" >&2
  exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked --quiet 2>/dev/null || cargo install cargo-fuzz --quiet
fi

# Seeds for `parse`: the first byte of an input picks the HTTP status (see fuzz_targets/parse.rs:
# 0 → 200, 4 → 400, 5 → 404, 6 → 500), the rest is the body.
seed_dir=fuzz/corpus/parse
mkdir -p "$seed_dir"
seed() { # seed <selector byte in octal> <file>
  local out
  out="$seed_dir/seed-$(basename "$2")-$1"
  [ -e "$out" ] || { printf "\\$1"; cat "$2"; } >"$out"
}
for f in tests/corpus/*; do
  case $f in */manifest.json | */README.md) continue ;; esac
  case $(basename "$f") in
    *-404*) seed 005 "$f" ;;
    *-500*) seed 006 "$f" ;;
    *-400* | fixture-not-yet-inspected.json) seed 004 "$f" ;;
    *) seed 000 "$f" ;;
  esac
done
for f in tests/fixtures/pave/*.json tests/fixtures/pave/*.txt; do
  seed 000 "$f"
  seed 004 "$f"
  seed 005 "$f"
done

echo "fuzz.sh: building the targets (nightly, release with debug assertions)" >&2
cargo +nightly fuzz build -O >/dev/null 2>"$CARGO_TARGET_DIR/fuzz-build.log" || { cat "$CARGO_TARGET_DIR/fuzz-build.log" >&2; exit 1; }

declare -A extra=(
  [parse]="-dict=$root/fuzz/parse.dict -max_len=65536"
  [geometry]="-max_len=4096"
  [layout]="-max_len=16384"
)
failed=0
rows=()
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  before=$(find "fuzz/artifacts/$t" -type f | wc -l)
  log="$CARGO_TARGET_DIR/fuzz-$t.log"
  echo "fuzz.sh: $t for ${per_target}s" >&2
  start=$(date +%s)
  # shellcheck disable=SC2086 # the extra flags are words on purpose
  if cargo +nightly fuzz run -O "$t" "fuzz/corpus/$t" -- -max_total_time="$per_target" -print_final_stats=1 \
    -timeout=10 -rss_limit_mb=2048 ${extra[$t]:-} >"$log" 2>&1; then
    status=ok
  else
    status=failed
  fi
  took=$(($(date +%s) - start))
  after=$(find "fuzz/artifacts/$t" -type f | wc -l)
  crashes=$((after - before))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if [ "$status" = failed ] && [ "$crashes" -eq 0 ]; then crashes="?"; fi
  if [ "$status" = failed ] || [ "$crashes" != 0 ]; then
    failed=1
    grep -E "panicked at|ERROR: libFuzzer|SUMMARY|Test unit written" "$log" | head -5 >&2 || tail -20 "$log" >&2
  fi
  rows+=("$(printf '%-10s %14s %10s %7ss %8s' "$t" "${execs:-?}" "${rate:-?}" "$took" "$crashes")")
done

printf '\n%-10s %14s %10s %8s %8s\n' target executions exec/s time crashes
printf '%s\n' "${rows[@]}"
if [ "$failed" -ne 0 ]; then
  echo "fuzz.sh: crashes found: see fuzz/artifacts/ and $CARGO_TARGET_DIR/fuzz-<target>.log" >&2
  exit 1
fi
