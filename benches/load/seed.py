"""Seeds a running validera (started with --demo) with one issued certificate.

Usage: seed.py BASE_URL DEMO_OUTPUT_FILE OUT_DIR
Writes OUT_DIR/credential.json and OUT_DIR/id, and for the page load test OUT_DIR/assessment
(the assessment's id) and OUT_DIR/session (the assessor's signed-in session cookie, from the
sign-in form). Uses only the standard library.
"""
import http.client
import re
import sys
import urllib.parse

from api import Api, demo_passwords

base, demo_file, out = sys.argv[1], sys.argv[2], sys.argv[3]
api = Api(base)
call = api.call
passwords = demo_passwords(demo_file)


def signed_in(email):
    return api.signed_in(email, passwords[email])


assessor = signed_in("assessor@demo.validera.test")
verifier = signed_in("verifier@demo.validera.test")
admin = signed_in("admin@demo.validera.test")
cand = call("POST", "/api/candidates", assessor, {"display_name": "Last Testsson", "language": "sv"})["candidate"]["id"]
fw = call("GET", "/api/frameworks/digital-basic-skills/2026.1", assessor)
unit = fw["units"][0]
a = call("POST", f"/api/candidates/{cand}/assessments", assessor,
         {"framework_id": fw["id"], "framework_version": fw["version"]})["id"]
today = __import__("datetime").date.today().isoformat()
for outcome in unit["outcomes"]:
    for c in outcome["criteria"]:
        ref = f"{unit['code']}/{c['id']}"
        if "practical" in c["methods"]:
            call("POST", f"/api/assessments/{a}/observations", assessor, {
                "date": today, "context": "Lasttest", "items": [{"criterion": ref, "met": True, "comment": ""}]})
        elif "theory" in c["methods"]:
            call("POST", f"/api/assessments/{a}/theory-tests", assessor, {
                "date": today, "title": "Lasttest", "score": 10, "max": 10, "pass_mark": 6, "criteria": [ref]})
        else:
            call("POST", f"/api/assessments/{a}/evidence", assessor, {
                "date": today, "evidence_kind": c["methods"][0], "description": "Lasttest", "issuer": "Test",
                "issued_on": today, "valid": True, "authentic": True, "sufficient": True, "reliable": True,
                "criteria": [ref]})
d = call("POST", f"/api/assessments/{a}/decisions", assessor, {})
call("POST", f"/api/decisions/{d['id']}/confirm", verifier, {"version": d["version"]})
cert = call("GET", "/api/certificates", admin)[0]
open(out + "/credential.json", "wb").write(api.raw(cert["credential_url"], admin))
open(out + "/id", "w").write(cert["id"])
print(cert["id"])


def web_session(email, password):
    """Signs in through the sign-in form, as a browser does; returns the session cookie."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port)
    conn.request("GET", "/signin")
    resp = conn.getresponse()
    page = resp.read().decode()
    cookie = next(v for k, v in resp.getheaders() if k.lower() == "set-cookie" and v.startswith("validera_csrf="))
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf": token, "email": email, "password": password, "next": "/"})
    conn.request("POST", "/signin", body=form, headers={
        "content-type": "application/x-www-form-urlencoded", "cookie": cookie.split(";")[0]})
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 303, resp.status
    session = next(v for k, v in resp.getheaders() if k.lower() == "set-cookie" and v.startswith("validera_session="))
    return session.split(";")[0]


open(out + "/assessment", "w").write(a)
open(out + "/session", "w").write(web_session("assessor@demo.validera.test", "load test password assessor@demo.validera.test"))
