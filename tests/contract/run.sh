#!/usr/bin/env bash
# The OpenAPI document as a contract: schemathesis generates requests from /openapi.json and
# sends them to a running `validera serve --demo` as the demo admin, assessor and verifier in
# turn. Any server error, response that breaks its schema, or status code or content type the
# document does not list fails the run. Bounded: few examples per operation and a time limit on
# each role's run.
# Usage: tests/contract/run.sh [MAX_EXAMPLES]   (needs schemathesis 3.39, see .ci/run)
set -euo pipefail
cd "$(dirname "$0")/../.."
max_examples="${1:-${CONTRACT_MAX_EXAMPLES:-10}}"
command -v schemathesis >/dev/null || { echo "schemathesis is needed: pip install schemathesis==3.39.16" >&2; exit 2; }
cargo build --quiet --bin validera
bin="${CARGO_TARGET_DIR:-target}/debug/validera"
work="$(mktemp -d)"
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# Hypothesis keeps caches in the working directory unless told otherwise; keep the clone clean.
export HYPOTHESIS_STORAGE_DIRECTORY="$work/hypothesis"
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
# Limits high enough that generated traffic never meets the rate limiter: 429 is documented,
# but a run that only sees 429s would prove nothing.
RUST_LOG=warn "$bin" --database "sqlite:$work/contract.sqlite" serve --demo --bind "127.0.0.1:$port" \
  --master-key-file "$work/master.key" --public-rate 1000000 --public-burst 1000000 \
  > "$work/demo.txt" 2> "$work/server.log" &
server=$!
for _ in $(seq 1 100); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "$base/readyz" >/dev/null || { echo "the server did not start" >&2; cat "$work/server.log" >&2; exit 1; }

# Issue one certificate the way the load test does (it signs in the demo's admin, assessor and
# verifier and replaces their one-time passwords), then sign them in and gather the ids the
# server holds, so generated requests reach real rows and not only 404s (see hooks.py).
python3 benches/load/seed.py "$base" "$work/demo.txt" "$work" >/dev/null
python3 - "$base" "$work" <<'PY'
import json, sys, urllib.request
base, out = sys.argv[1:3]
def call(method, path, token=None, body=None):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode() if body is not None else None, method=method)
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as resp:
        return json.loads(resp.read().decode() or "null")
tokens = {}
for role in ("admin", "assessor", "verifier"):
    email = f"{role}@demo.validera.test"
    tokens[role] = call("POST", "/api/auth/login", body={"email": email, "password": "load test password " + email})["token"]
    open(f"{out}/{role}.token", "w").write(tokens[role])
# By the resource a path names (its segment after /api/, or its first), then by parameter.
ids = {}
def add(resource, param, *values):
    ids.setdefault(resource, {}).setdefault(param, set()).update(values)
admin, assessor = tokens["admin"], tokens["assessor"]
org = call("GET", "/api/me", admin)["organisation_id"]
add("issuers", "id", org)
add("status", "org", org)
add("users", "id", *(u["id"] for u in call("GET", "/api/users", admin)))
add("keys", "kid", *(k["kid"] for k in call("GET", "/api/keys", admin)))
for c in call("GET", "/api/certificates", admin):
    add("certificates", "id", c["id"])
    add("v", "id", c["id"])
add("decisions", "id", *(d["id"] for d in call("GET", "/api/decisions", assessor)))
for c in call("GET", "/api/candidates", assessor):
    add("candidates", "id", c["id"])
    for a in call("GET", f"/api/candidates/{c['id']}/assessments", assessor):
        add("assessments", "id", a["id"])
        add("records", "id", *(r["id"] for r in call("GET", f"/api/assessments/{a['id']}", assessor)["records"]))
for f in call("GET", "/api/frameworks", assessor):
    fw = call("GET", f"/api/frameworks/{f['id']}/{f['version']}", assessor)
    add("frameworks", "id", f["id"])
    add("frameworks", "version", f["version"])
    add("frameworks", "code", *(u["code"] for u in fw["units"]), *(q["code"] for q in fw.get("qualifications", [])))
json.dump({r: {p: sorted(v) for p, v in ps.items()} for r, ps in ids.items()}, open(f"{out}/ids.json", "w"))
PY

status=0
# The admin goes last: generated requests may rotate keys, revoke the certificate or deactivate
# people, and the others should meet the seeded state first.
for role in assessor verifier admin; do
  echo "## schemathesis as the $role"
  # Changing the password would end the run's own session; everything else is fair game.
  CONTRACT_IDS="$work/ids.json" SCHEMATHESIS_HOOKS=tests.contract.hooks timeout 90 schemathesis run --no-color "$base/openapi.json" \
    --experimental=openapi-3.1 \
    --checks not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance \
    --header "Authorization: Bearer $(cat "$work/$role.token")" \
    --exclude-path /api/me/password \
    --hypothesis-max-examples "$max_examples" --hypothesis-deadline 5000 \
    --hypothesis-seed 1 --hypothesis-phases explicit,generate --hypothesis-database none \
    --generation-allow-x00 false --workers 1 \
    --junit-xml "$work/$role.xml" >"$work/$role.out" 2>&1 || status=$?
  if [ "$status" -eq 0 ]; then
    sed -n '/^Performed checks:/,/^$/p' "$work/$role.out"
  else
    # The findings, each with the response and a curl line to reproduce it, then the summary.
    sed -En '/^=+ (ERRORS|FAILURES) =+$/,$p' "$work/$role.out" | grep -v 'returned only 4xx\|have a 40[13] status code' | head -n 400 || true
  fi
  tail -n 1 "$work/$role.out"
  [ "$status" -eq 0 ] || { echo "schemathesis as the $role failed (exit $status)"; break; }
done
if [ "$status" -ne 0 ]; then
  echo "## server log (errors)"; grep -E 'ERROR|panicked' "$work/server.log" | tail -n 20 || true
fi
exit "$status"
