#!/usr/bin/env bash
# Runs each fuzz target for a bounded time: fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#
# cargo fuzz (libFuzzer, with AddressSanitizer) on the project's stable toolchain:
# RUSTC_BOOTSTRAP lets stable rustc take the sanitizer flags cargo fuzz passes. Each target's
# corpus is seeded from the project's own fixtures and examples. A unit slower than the page
# budget (2 s) or one using more than 2 GiB counts as a failure, as a crash does; libFuzzer
# writes the input to fuzz/artifacts/TARGET/, and it becomes a regression test.
set -euo pipefail
cd "$(dirname "$0")"
SECS=${1:-30}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(decode html flat jsonl gzip)

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz (crates.io)"
  cargo install cargo-fuzz --locked --version 0.13.2
fi
export RUSTC_BOOTSTRAP=1

seed() {
  local dir=corpus/$1
  shift
  mkdir -p "$dir"
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$dir/$(echo "$f" | tr '/' '_')"
  done
  return 0
}
shopt -s globstar nullglob
seed decode ../examples/**/*.html ../examples/**/*.txt ../tests/fixtures/**/*.html
seed html ../examples/**/*.html ../tests/fixtures/**/*.html
seed flat ../examples/**/*.txt ../tests/fixtures/**/*.txt
seed jsonl ../examples/**/*.jsonl
mkdir -p corpus/gzip
for f in ../examples/**/*.html; do gzip -c "$f" > "corpus/gzip/$(basename "$f").gz"; done

for t in "${TARGETS[@]}"; do
  echo "== fuzz $t for ${SECS}s"
  cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$SECS" -timeout=2 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 2>&1 | tail -n 25
  # cargo fuzz exits non-zero on a crash, a timeout or an out-of-memory unit; pipefail passes
  # it on.
done
echo "== fuzzing found nothing"
