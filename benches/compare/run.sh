#!/usr/bin/env bash
# Side by side, in one run, on the same credentials and one core each: cold eddsa-rdfc-2022
# Data Integrity verification (and signing) by validera (examples/verify_rate.rs, the library's
# credential::proof) and by Digital Bazaar (tests/interop/rate.mjs: jsonld-signatures with the
# eddsa-rdfc-2022 cryptosuite and @digitalbazaar/vc's purpose, the interop tests' packages).
# The credentials are COUNT validera unit certificates signed with a fixed test key
# (`verify_rate write`). Each side runs SECONDS per operation, pinned with taskset to CPU
# (default 0), one after the other, so they never share the core. Bounded: about 4 × SECONDS.
# Usage: benches/compare/run.sh [SECONDS] [COUNT] [CPU] > benches/results/compare.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-5}"
count="${2:-8}"
cpu="${3:-0}"
[ -d tests/interop/node_modules ] || { echo "tests/interop/node_modules is missing: (cd tests/interop && npm ci)" >&2; exit 2; }
cargo build --release --quiet --example verify_rate
rate="${CARGO_TARGET_DIR:-target}/release/examples/verify_rate"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$rate" write "$work" "$count"

echo "# validera vs. Digital Bazaar, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(git rev-parse --short HEAD)"
echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); each side pinned to CPU $cpu; node $(node --version)"
echo "# $count unit certificates (validera's ob::build + proof::sign), ${seconds} s per side and operation"
per_second() { sed -n 's/.*per_second=\([0-9.]*\).*/\1/p'; }
for op in verify sign; do
  db=$(taskset -c "$cpu" node tests/interop/rate.mjs "$op" "$work" "$seconds")
  echo "$db"
  ours=$(taskset -c "$cpu" "$rate" "$op" "$work" "$seconds")
  echo "$ours"
  awk -v op="$op" -v a="$(echo "$ours" | per_second)" -v b="$(echo "$db" | per_second)" \
    'BEGIN { printf "ratio %s validera/digital-bazaar = %.2fx\n", op, a / b }'
done
