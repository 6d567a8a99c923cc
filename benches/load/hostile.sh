#!/usr/bin/env bash
# Hostile load: malicious uploads (PDF name-tree fan-out and cycles, nested /Kids, flate and
# object-stream bombs, deep nesting, huge and many-proof credentials, the largest legal forgery)
# posted to POST /api/verify at the public rate limit for SECONDS, while GET /healthz is probed
# every 10 ms and the server's resident memory is sampled. Loopback only, bounded in time.
# Usage: benches/load/hostile.sh sqlite|postgres [SECONDS] [RATE] [unlimited] > benches/results/hostile-BACKEND.txt
# With `unlimited` the public rate limit is lifted, as for an attacker with many addresses: then
# only the verification pool stands between the uploads and the cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
backend="${1:-sqlite}"
duration="${2:-20}"
rate="${3:-20}"
limits=()
[ "${4:-}" = unlimited ] && limits=(--public-rate 1000000 --public-burst 1000000)
cargo build --release --quiet --bin validera
bin="${CARGO_TARGET_DIR:-target}/release/validera"
work="$(mktemp -d)"
pgdb="validera_hostile_$$"
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
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
# The default public rate limit (20 per second, bursts of 60, per client address) stays on:
# the attack runs at that rate, as a single attacker would.
RUST_LOG=warn "$bin" --database "$db" serve --demo --bind "127.0.0.1:$port" --master-key-file "$work/master.key" \
  "${limits[@]}" > "$work/demo.txt" 2> "$work/server.log" &
server=$!
for _ in $(seq 1 50); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.2; done
python3 benches/load/seed.py "$base" "$work/demo.txt" "$work" >/dev/null
sleep 3 # let the seeding's sign-ins leave the rate limiter's burst

echo "# validera hostile load, $(date -u +%Y-%m-%dT%H:%M:%SZ), backend $backend, $(git rev-parse --short HEAD)"
echo "# public rate limit: ${4:-default (20/s, bursts of 60, per address)}"
echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); server and attacker share the cores"
HOSTILE_CONNECTIONS="${HOSTILE_CONNECTIONS:-4}" python3 benches/load/hostile.py "$base" "$server" "$work/credential.json" "$duration" "$rate"
echo "# the server after the run: $(curl -s -o /dev/null -w '%{http_code}' "$base/healthz") from /healthz"
