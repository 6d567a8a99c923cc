"""Hostile load: malicious uploads to POST /api/verify at the public rate limit, while /healthz is
probed and the server's resident memory is sampled. Bounded in time and count; loopback only.

Usage: hostile.py BASE_URL SERVER_PID GENUINE_CREDENTIAL_JSON SECONDS RATE
Prints the payloads, the answers by status, /healthz latency percentiles and the server's peak
resident memory (VmHWM) and its resident memory before the run. Uses only the standard library.
"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
import zlib

base, pid, genuine_file, seconds, rate = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
host = urllib.parse.urlparse(base)


def pdf(objects, root, trailer_extra=b""):
    """A PDF with a classic xref table; objects is {number: bytes}."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for n in sorted(objects):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objects[n] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        out += b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (size, root, trailer_extra, xref)
    return bytes(out)


def stream(dict_body, data, compress=True):
    if compress:
        data = zlib.compress(data, 9)
        dict_body += b" /Filter /FlateDecode"
    return b"<< " + dict_body + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def name_tree_fanout(levels=10, fan=100):
    """Every node lists the next node `fan` times: 100^10 paths through 12 objects."""
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> >>",
            2: b"<< /Type /Pages /Kids [] /Count 0 >>"}
    for lvl in range(levels):
        n = 3 + lvl
        objs[n] = b"<< /Kids [" + b" ".join([b"%d 0 R" % (n + 1)] * fan) + b"] >>"
    objs[3 + levels] = b"<< /Names [(other.json) 2 0 R] >>"
    return pdf(objs, 1)


def name_tree_cycle():
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> >>",
            2: b"<< /Type /Pages /Kids [] /Count 0 >>",
            3: b"<< /Kids [4 0 R 3 0 R] >>",
            4: b"<< /Kids [3 0 R 4 0 R] >>"}
    return pdf(objs, 1)


def nested_kids(depth=10_000):
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> >>",
            2: b"<< /Type /Pages /Kids [] /Count 0 >>"}
    for i in range(depth):
        objs[3 + i] = b"<< /Kids [%d 0 R] >>" % (4 + i)
    objs[3 + depth] = b"<< /Names [] >>"
    return pdf(objs, 1)


def flate_bomb_attachment(mb=200):
    """The attachment itself inflates to `mb` MB."""
    data = zlib.compress(b" " * (mb << 20), 9)
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(credential.json) 3 0 R] >> >> >>",
            2: b"<< /Type /Pages /Kids [] /Count 0 >>",
            3: b"<< /Type /Filespec /F (credential.json) /EF << /F 4 0 R >> >>",
            4: b"<< /Type /EmbeddedFile /Filter /FlateDecode /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"}
    return pdf(objs, 1)


def object_stream_bomb(streams=3, mb=15):
    """Object streams that each inflate to `mb` MB, the catalog inside the last, reached through
    an xref stream."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    n_streams = list(range(1, streams + 1))
    filler = b" " * (mb << 20)
    for n in n_streams:
        catalog_no = 100 + n
        body = b"%d 0 " % catalog_no
        first = len(body)
        # The catalog (last stream) leads through the second to the first: all three inflate.
        step = {1: b"<< /Names [] >>", 2: b"<< /Kids [101 0 R] >>"}.get(
            n, b"<< /Type /Catalog /Pages 200 0 R /Names << /EmbeddedFiles 102 0 R >> >>")
        content = body + step + filler
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + stream(b"/Type /ObjStm /N 1 /First %d" % first, content) + b"\nendobj\n"
    pages_no = 200
    offsets[pages_no] = len(out)
    out += b"200 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    xref_no = 201
    rows = []
    for n in range(0, xref_no + 1):
        if n in offsets:
            rows.append(b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00\x00")
        elif 100 < n <= 100 + streams:
            rows.append(b"\x02" + (n - 100).to_bytes(4, "big") + b"\x00\x00")
        elif n == xref_no:
            rows.append(b"\x01" + len(out).to_bytes(4, "big") + b"\x00\x00")
        else:
            rows.append(b"\x00" + b"\x00" * 4 + b"\xff\xff")
    xref_at = len(out)
    out += b"%d 0 obj\n" % xref_no + stream(
        b"/Type /XRef /Size %d /W [1 4 2] /Root %d 0 R" % (xref_no + 1, 100 + streams), b"".join(rows)
    ) + b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def deep_arrays(depth=100_000):
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * depth + b"]" * depth + b" >>",
            2: b"<< /Type /Pages /Kids [] /Count 0 >>"}
    return pdf(objs, 1)


genuine = json.load(open(genuine_file))


def forged(extra):
    c = json.loads(json.dumps(genuine))
    c["credentialSubject"]["achievement"]["name"] = "Förfalskad " + str(extra)
    return c


def largest_legal_forgery():
    """The most expensive credential the bounds let through: thousands of evidence entries,
    under the bounds on values and quads, claiming the real issuer's key."""
    c = forged("stor")
    c["evidence"] = [{"type": ["Evidence"], "name": "Arbetsprov %d" % i} for i in range(1_200)]
    return json.dumps(c).encode()


payloads = [
    ("pdf: name-tree fan-out 100^10", name_tree_fanout(), "application/pdf"),
    ("pdf: name-tree cycle", name_tree_cycle(), "application/pdf"),
    ("pdf: /Kids nested 10,000 deep", nested_kids(), "application/pdf"),
    ("pdf: attachment inflating to 200 MB", flate_bomb_attachment(), "application/pdf"),
    ("pdf: 3 object streams inflating to 15 MB each", object_stream_bomb(), "application/pdf"),
    ("pdf: arrays nested 100,000 deep", deep_arrays(), "application/pdf"),
    ("json: 7.5 MB credential", json.dumps(dict(forged("huge"), padding="x" * (15 << 19))).encode(), "application/json"),
    ("json: 12,000 evidence entries", json.dumps(dict(forged("many"), evidence=[{"type": "Evidence"}] * 12_000)).encode(), "application/json"),
    ("json: 50 proofs", json.dumps(dict(forged("proofs"), proof=genuine["proof"] * 50)).encode(), "application/json"),
    ("json: nested 100,000 deep", b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}", "application/json"),
    ("json: largest legal forgery", largest_legal_forgery(), "application/json"),
]

print("# payloads (bytes): " + "; ".join(f"{name} ({len(body):,})" for name, body, _ in payloads))


def rss(field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    return 0


stop = time.monotonic() + seconds
answers = {}
lock = threading.Lock()
sent = [0]


def attacker(offset, every):
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    i = offset
    next_at = time.monotonic()
    while time.monotonic() < stop:
        name, body, ctype = payloads[i % len(payloads)]
        i += 1
        try:
            conn.request("POST", "/api/verify", body=body, headers={"content-type": ctype})
            resp = conn.getresponse()
            resp.read()
            key = (name, resp.status)
        except Exception as e:  # a reset connection counts as an answer too
            key = (name, type(e).__name__)
            conn.close()
            conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        with lock:
            answers[key] = answers.get(key, 0) + 1
            sent[0] += 1
        next_at += every
        time.sleep(max(0.0, next_at - time.monotonic()))


latencies = []


def prober():
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    while time.monotonic() < stop:
        t = time.monotonic()
        conn.request("GET", "/healthz")
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 200, resp.status
        latencies.append(time.monotonic() - t)
        time.sleep(0.01)


rss_before = rss("VmRSS:")
samples = []


def sampler():
    while time.monotonic() < stop:
        samples.append(rss("VmRSS:"))
        time.sleep(0.05)


workers = int(os.environ.get("HOSTILE_CONNECTIONS", "4"))
threads = [threading.Thread(target=attacker, args=(k, workers / rate)) for k in range(workers)]
threads += [threading.Thread(target=prober), threading.Thread(target=sampler)]
for t in threads:
    t.start()
for t in threads:
    t.join()

latencies.sort()


def pct(p):
    return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000


print(f"# {sent[0]} uploads in {seconds:.0f} s ({sent[0] / seconds:.1f}/s, target {rate}/s, {workers} connections)")
for (name, status), count in sorted(answers.items()):
    print(f"answer\t{status}\t{count}\t{name}")
print(f"healthz\tprobes {len(latencies)}\tp50 {pct(50):.2f} ms\tp99 {pct(99):.2f} ms\tmax {latencies[-1] * 1000:.2f} ms")
print(f"rss\tbefore {rss_before / 2**20:.1f} MiB\tsampled max {max(samples) / 2**20:.1f} MiB\tpeak (VmHWM) {rss('VmHWM:') / 2**20:.1f} MiB")
