"""Issues COUNT or more distinct certificates through the API of a running validera (started
with --demo on a fresh database), for the load test of the cold verification path.

Usage: seed_many.py BASE_URL DEMO_OUTPUT_FILE OUT_DIR COUNT
Each candidate (names with å, ä, ö and Sami letters, languages sv/fi/en in turn) is assessed
against every unit of one shipped framework version (the versions in turn): one practical
observation of every criterion that accepts it, each theory test the version defines (full
marks), one ad-hoc theory test of the other criteria that accept that, and evidence for the
rest; the assessor submits, the verifier confirms, and the server issues a certificate per unit
(and one for a qualification the decision awards), each signed with the demo organisation's key
in the confirmation's transaction, exactly as for real candidates. Candidates are worked on by a
few threads at once. Writes OUT_DIR/credentials.jsonl (each credential's stored bytes, one per
line) and prints a summary to stderr. Uses only the standard library.
"""
import concurrent.futures
import datetime
import json
import pathlib
import random
import sys
import time
import tomllib
import urllib.request

from api import Api, demo_passwords

base, demo_file, out, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
api = Api(base)
call = api.call
passwords = demo_passwords(demo_file)
started = time.monotonic()
assessor = api.signed_in("assessor@demo.validera.test", passwords["assessor@demo.validera.test"])
verifier = api.signed_in("verifier@demo.validera.test", passwords["verifier@demo.validera.test"])
admin = api.signed_in("admin@demo.validera.test", passwords["admin@demo.validera.test"])
frameworks = [call("GET", f"/api/frameworks/{f['id']}/{f['version']}", assessor)
              for f in call("GET", "/api/frameworks", assessor)]
today = datetime.date.today().isoformat()
# The theory tests a framework version defines (the API's framework view does not list them):
# a criterion one of them covers is recorded with that test, never with an ad-hoc one.
defined_tests = {}
for f in (pathlib.Path(__file__).resolve().parents[2] / "competence-frameworks").glob("*.toml"):
    doc = tomllib.loads(f.read_text(encoding="utf-8"))
    defined_tests[(doc["id"], doc["version"])] = doc.get("theory_tests", [])
given = ["Áilu", "Máret", "Åsa", "Jörgen", "Päivi", "Ánde", "Ŋuvtto", "Elsa", "Väinö", "Đuommá"]
family = ["Ŋuvttoš", "Sárá", "Öberg", "Mäkelä", "Åström", "Čoarvi", "Lindqvist", "Järvinen"]


def candidate(i):
    """Assesses candidate i against all units of one framework and confirms: returns the
    number of certificates issued."""
    fw = frameworks[i % len(frameworks)]
    name = f"{given[i % len(given)]} {family[i % len(family)]} {i}"
    lang = ["sv", "fi", "en"][i % 3]
    cand = call("POST", "/api/candidates", assessor, {"display_name": name, "language": lang})["candidate"]["id"]
    a = call("POST", f"/api/candidates/{cand}/assessments", assessor,
             {"framework_id": fw["id"], "framework_version": fw["version"]})["id"]
    practical, theory, other = [], [], []
    for unit in fw["units"]:
        for outcome in unit["outcomes"]:
            for c in outcome["criteria"]:
                ref = f"{unit['code']}/{c['id']}"
                if "practical" in c["methods"]:
                    practical.append(ref)
                elif "theory" in c["methods"]:
                    theory.append(ref)
                else:
                    other.append((ref, c["methods"][0]))
    if practical:
        call("POST", f"/api/assessments/{a}/observations", assessor, {
            "date": today, "context": f"Lasttest {i}",
            "items": [{"criterion": r, "met": True, "comment": ""} for r in practical]})
    for test in defined_tests[(fw["id"], fw["version"])]:
        call("POST", f"/api/assessments/{a}/theory-tests", assessor,
             {"date": today, "test": test["id"], "score": test["max_score"]})
        theory = [r for r in theory if r not in test["criteria"]]
    if theory:
        call("POST", f"/api/assessments/{a}/theory-tests", assessor, {
            "date": today, "title": f"Lasttest {i}", "score": 10, "max": 10, "pass_mark": 6, "criteria": theory})
    for ref, kind in other:
        call("POST", f"/api/assessments/{a}/evidence", assessor, {
            "date": today, "evidence_kind": kind, "description": f"Lasttest {i}", "issuer": "Test",
            "issued_on": today, "valid": True, "authentic": True, "sufficient": True, "reliable": True,
            "criteria": [ref]})
    d = call("POST", f"/api/assessments/{a}/decisions", assessor, {})
    call("POST", f"/api/decisions/{d['id']}/confirm", verifier, {"version": d["version"]})
    return len(d["units"]) + (1 if d["qualification"] else 0)


threads = 4
issued, i = 0, 0
with concurrent.futures.ThreadPoolExecutor(threads) as pool:
    while issued < count:
        # Rounds of `threads` candidates, until there are enough certificates.
        issued += sum(pool.map(candidate, range(i, i + threads)))
        i += threads
seeded = time.monotonic()
certs = call("GET", "/api/certificates", admin)
with concurrent.futures.ThreadPoolExecutor(threads) as pool:
    bodies = list(pool.map(lambda c: api.raw(c["credential_url"], admin), certs))
fetched = time.monotonic()

# What the load test relies on, checked rather than assumed.
assert len(bodies) >= count, f"{len(bodies)} certificates, {count} wanted"
assert len(set(bodies)) == len(bodies), "the credentials are not all distinct"
issuers = set()
for b in bodies:
    assert b"\n" not in b, "a stored credential spans lines; credentials.jsonl needs one per line"
    doc = json.loads(b)
    issuers.add(doc["issuer"]["id"])
    assert doc["credentialStatus"]["statusPurpose"] == "revocation", doc["id"]
    proofs = doc["proof"] if isinstance(doc["proof"], list) else [doc["proof"]]
    assert [p["cryptosuite"] for p in proofs] == ["eddsa-rdfc-2022"], doc["id"]
assert len(issuers) == 1, issuers
with open(out + "/credentials.jsonl", "wb") as f:
    for b in bodies:
        f.write(b + b"\n")
pick = random.randrange(len(bodies))
req = urllib.request.Request(
    base + "/api/verify", data=bodies[pick], method="POST",
    headers={"content-type": "application/json", "accept": "application/json"})
with urllib.request.urlopen(req) as resp:
    report = json.loads(resp.read())
assert report["outcome"] == "genuine", report
kinds = {}
for c in certs:
    kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
print(f"# seeded {len(bodies)} distinct credentials ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}) "
      f"for {i} candidates in {seeded - started:.1f} s through the API, fetched in {fetched - seeded:.1f} s; "
      f"issuer {issuers.pop()}; number {pick + 1} at random: POST /api/verify says {report['outcome']}",
      file=sys.stderr)
