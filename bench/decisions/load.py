"""Bounded load for the live trials: about RPS POSTs a second to one URL on loopback, one keep-alive connection,
stopping after SECONDS or when the file STOP exists. Prints the status-code counts at the end."""
import http.client, sys, time, os, collections, urllib.parse

url, rps, seconds, stop = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
u = urllib.parse.urlsplit(url)
if u.hostname not in ("127.0.0.1", "localhost", "::1"):
    sys.exit("load.py only sends to loopback, got " + url)
codes = collections.Counter()
conn = None
start = time.monotonic()
n = 0
while time.monotonic() - start < seconds and not os.path.exists(stop):
    due = start + n / rps
    pause = due - time.monotonic()
    if pause > 0:
        time.sleep(pause)
    n += 1
    try:
        if conn is None:
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
        conn.request("POST", u.path, body=b"ping")
        r = conn.getresponse()
        r.read()
        codes[r.status] += 1
    except Exception as e:  # a refused or reset connection is counted, and the next call reconnects
        codes[type(e).__name__] += 1
        conn = None
print(dict(codes), "in", round(time.monotonic() - start), "s")
