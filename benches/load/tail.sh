#!/usr/bin/env bash
# The PostgreSQL GET /v/{id} tail, two ways: the server started in this shell's session (as
# run.sh does: wrk and the server share one scheduling group), and in a session of its own (as a
# systemd service runs). Each run: a fresh database, seed.py's certificate, wrk -t2 -c8 for
# DURATION seconds. Bounded: RUNS runs per way.
# Usage: benches/load/tail.sh [RUNS] [DURATION] > benches/results/tail-postgres.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-4}"
duration="${2:-10}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
[ -n "${BIN:-}" ] || cargo build --release --quiet --bin validera
bin="${BIN:-${CARGO_TARGET_DIR:-target}/release/validera}"
echo "# validera /v/{id} tail on PostgreSQL, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), kernel $(uname -r), sched_autogroup_enabled=$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null || echo '?')"
one() {
  local way="$1" work pgdb port base server id
  work="$(mktemp -d)"; pgdb="validera_tail_$$_$RANDOM"
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $pgdb"
  port=$((20000 + RANDOM % 20000)); base="http://127.0.0.1:$port"
  local prefix=()
  [ "$way" = own-session ] && prefix=(setsid)
  RUST_LOG=warn "${prefix[@]}" "$bin" --database "postgres://postgres@127.0.0.1:5432/$pgdb" serve --demo \
    --bind "127.0.0.1:$port" --master-key-file "$work/master.key" --public-rate 1000000 --public-burst 1000000 \
    > "$work/demo.txt" 2> "$work/server.log" &
  server=$!
  local ready=
  for _ in $(seq 1 150); do curl -sf "$base/readyz" >/dev/null && ready=1 && break; sleep 0.2; done
  [ -n "$ready" ] || { echo "the server did not start ($way):" >&2; cat "$work/server.log" >&2; exit 1; }
  id=$(python3 benches/load/seed.py "$base" "$work/demo.txt" "$work")
  wrk -t2 -c8 -d"${duration}s" --latency -H "Accept: application/json" "$base/v/$id" \
    | awk -v way="$way" '/Requests\/sec/ {rps=$2} / 99%/ {p99=$2} /timeout/ {to=$NF} END {printf "%-13s requests/s %8s  p99 %9s  wrk timeouts %s\n", way, rps, p99, (to==""?0:to)}'
  # setsid may fork, so the server is found by its address rather than by $!.
  pkill -f -- "--bind 127.0.0.1:$port" 2>/dev/null || true; wait "$server" 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)"
  rm -rf "$work"
}
for _ in $(seq 1 "$runs"); do
  one same-session
  one own-session
done
