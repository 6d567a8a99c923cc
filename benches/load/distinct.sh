#!/usr/bin/env bash
# Load test of the cold verification path: COUNT or more distinct certificates, all issued by
# the server through its API, posted round-robin to POST /api/verify with wrk, against a plain
# Ed25519 verify loop measured in the same run. Bounded: each wrk run lasts DURATION seconds.
#
# 1. cold: the server runs with --proof-cache-capacity 0, so no verified proof is remembered
#    and every request canonicalizes and checks its signature (each credential comes round
#    several times in a run; with the cache on, every pass after the first would be warm);
# 2. warm: the same database, restarted with the default cache (10,000 proofs); one unmeasured
#    pass over all the credentials fills it, then the measured run hits it on every request.
# Other per-process caches (parsed contexts, keys, status lists, whatever the build has) stay
# on in both: they are shared by all credentials of an issuer, as in production.
# Usage: benches/load/distinct.sh sqlite|postgres [DURATION] [COUNT] > benches/results/distinct-BACKEND.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
backend="${1:-sqlite}"
duration="${2:-10}"
count="${3:-1000}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
cargo build --release --quiet --bin validera --example ed25519_loop
bin="${CARGO_TARGET_DIR:-target}/release/validera"
loop="${CARGO_TARGET_DIR:-target}/release/examples/ed25519_loop"
work="$(mktemp -d)"
pgdb="validera_distinct_$$"
cleanup() {
  [ -n "${server:-}" ] && stop || true
  [ "$backend" = postgres ] && psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" || true
  rm -rf "$work"
}
trap cleanup EXIT
case "$backend" in
  sqlite) db="sqlite:$work/load.sqlite" ;;
  postgres) psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $pgdb"; db="postgres://postgres@127.0.0.1:5432/$pgdb" ;;
  *) echo "backend must be sqlite or postgres" >&2; exit 2 ;;
esac
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
# start CACHE_CAPACITY [--demo]: the server on the one database, the public rate limit lifted,
# in a session of its own as run.sh starts it (there, why).
start() {
  RUST_LOG=warn setsid "$bin" --database "$db" serve --bind "127.0.0.1:$port" --master-key-file "$work/master.key" \
    --public-rate 1000000 --public-burst 1000000 --proof-cache-capacity "$1" "${@:2}" \
    > "$work/demo.txt" 2>> "$work/server.log" &
  server=1
  for _ in $(seq 1 100); do curl -sf "$base/readyz" >/dev/null && return; sleep 0.2; done
  echo "the server did not start:" >&2; cat "$work/server.log" >&2; exit 1
}
# setsid may fork, so the server is found by its address rather than by $!.
stop() {
  pkill -f -- "--bind 127.0.0.1:$port" || true
  for _ in $(seq 1 100); do pgrep -f -- "--bind 127.0.0.1:$port" >/dev/null || break; sleep 0.1; done
  server=
}
load() {
  CREDENTIALS_FILE="$work/credentials.jsonl" wrk -t2 -c8 -d"$1s" --latency -s benches/load/distinct.lua "$base/api/verify"
}

start 0 --demo
echo "# validera load test of distinct credentials, $(date -u +%Y-%m-%dT%H:%M:%SZ), backend $backend, $(git rev-parse --short HEAD)"
echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); server and wrk share the cores"
python3 benches/load/seed_many.py "$base" "$work/demo.txt" "$work" "$count" 2>&1
echo "## baseline: plain Ed25519 verify loop on all cores"
"$loop" 5
echo "## cold: POST /api/verify, distinct credentials round-robin, --proof-cache-capacity 0, wrk -t2 -c8 -d${duration}s"
load "$duration"
stop

start 10000
echo "## warm: the same, restarted with --proof-cache-capacity 10000; first an unmeasured pass to fill the cache"
# At the cold rate one pass over the list takes well under DURATION seconds; the line printed
# says how many passes it made (at least 1 means every credential is cached).
load "$duration" | grep '^distinct credentials'
echo "## warm: measured, wrk -t2 -c8 -d${duration}s"
load "$duration"
echo "## baseline again, after the load: plain Ed25519 verify loop on all cores"
"$loop" 5
