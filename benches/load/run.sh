#!/usr/bin/env bash
# Load test of the verification endpoints with wrk on loopback, against a plain Ed25519 verify
# loop measured in the same run; and of two pages (the public verification page, and the
# assessor's assessment page, which evaluates the assessment and renders it) against GET
# /healthz, the service's floor, in the same run. Bounded: each wrk run lasts DURATION seconds.
# Usage: benches/load/run.sh sqlite|postgres [DURATION] > benches/results/load-BACKEND.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
backend="${1:-sqlite}"
duration="${2:-10}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
cargo build --release --quiet --bin validera --example ed25519_loop
bin="${CARGO_TARGET_DIR:-target}/release/validera"
loop="${CARGO_TARGET_DIR:-target}/release/examples/ed25519_loop"
work="$(mktemp -d)"
pgdb="validera_load_$$"
cleanup() {
  # setsid may fork, so the server is found by its address rather than by $!.
  [ -n "${port:-}" ] && pkill -f -- "--bind 127.0.0.1:$port" 2>/dev/null || true
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
# The server runs in a session of its own, as a service manager starts it: in wrk's session the
# kernel's autogroup scheduling lets wrk and the server starve PostgreSQL's backends (each a
# session of its own) for up to seconds (benches/load/tail.sh shows both; docs/benchmarks.md).
RUST_LOG=warn setsid "$bin" --database "$db" serve --demo --bind "127.0.0.1:$port" --master-key-file "$work/master.key" \
  --public-rate 1000000 --public-burst 1000000 > "$work/demo.txt" 2> "$work/server.log" &
server=$!
for _ in $(seq 1 50); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.2; done
id=$(python3 benches/load/seed.py "$base" "$work/demo.txt" "$work")

echo "# validera load test, $(date -u +%Y-%m-%dT%H:%M:%SZ), backend $backend"
echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); server and wrk share the cores"
echo "# one request before the load: $(curl -s -H 'Accept: application/json' "$base/v/$id" | python3 -c 'import json,sys; print("outcome", json.load(sys.stdin)["outcome"])')"
echo "## baseline: plain Ed25519 verify loop on all cores"
"$loop" 5
echo "## GET /v/{id} (Accept: application/json), wrk -t2 -c8 -d${duration}s"
wrk -t2 -c8 -d"${duration}s" --latency -H "Accept: application/json" "$base/v/$id"
echo "## POST /api/verify (the same credential as JSON), wrk -t2 -c8 -d${duration}s"
CREDENTIAL_FILE="$work/credential.json" wrk -t2 -c8 -d"${duration}s" --latency -s benches/load/post.lua "$base/api/verify"
echo "## pages baseline: GET /healthz, wrk -t2 -c8 -d${duration}s"
wrk -t2 -c8 -d"${duration}s" --latency "$base/healthz"
echo "## GET /v/{id} as a page (Accept: text/html), wrk -t2 -c8 -d${duration}s"
wrk -t2 -c8 -d"${duration}s" --latency -H "Accept: text/html" "$base/v/$id"
echo "## GET /assessor/assessments/{id} (signed in; evaluates and renders), wrk -t2 -c8 -d${duration}s"
echo "# one request before the load: $(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $(cat "$work/session")" "$base/assessor/assessments/$(cat "$work/assessment")")"
wrk -t2 -c8 -d"${duration}s" --latency -H "Cookie: $(cat "$work/session")" "$base/assessor/assessments/$(cat "$work/assessment")"
