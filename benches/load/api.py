"""The JSON API of a running validera, as the seed scripts use it (standard library only)."""
import json
import urllib.request


class Api:
    def __init__(self, base):
        self.base = base

    def call(self, method, path, token=None, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("content-type", "application/json")
        if token:
            req.add_header("authorization", "Bearer " + token)
        with urllib.request.urlopen(req) as resp:
            text = resp.read().decode()
            return json.loads(text) if text else None

    def raw(self, path, token):
        """The exact bytes at `path` (a stored credential is served byte for byte)."""
        req = urllib.request.Request(self.base + path)
        req.add_header("authorization", "Bearer " + token)
        with urllib.request.urlopen(req) as resp:
            return resp.read()

    def signed_in(self, email, one_time_password):
        """Signs in with the demo's one-time password, sets a new one, and signs in again: the
        first token may only change the password."""
        token = self.call("POST", "/api/auth/login", body={"email": email, "password": one_time_password})["token"]
        new = "load test password " + email
        self.call("POST", "/api/me/password", token, {"current_password": one_time_password, "new_password": new})
        return self.call("POST", "/api/auth/login", body={"email": email, "password": new})["token"]


def demo_passwords(demo_file):
    """The one-time passwords `serve --demo` printed, by e-mail."""
    passwords = {}
    for line in open(demo_file):
        parts = line.split()
        if len(parts) >= 2 and "@demo.validera.test" in line:
            passwords[parts[-2]] = parts[-1]
    return passwords
