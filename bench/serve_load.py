#!/usr/bin/env python3
"""Load test for `s2s serve`: N concurrent clients (threads, one keep-alive connection each) send one sentence per
request until every input sentence has been sent; reports requests/s, sentences/s, latency percentiles and errors, and
compares each answer with the offline translation of the same line.

usage: serve_load.py URL INPUT.txt OFFLINE.txt CLIENTS BEAM OFFLINE_SECONDS MACHINE_LINE
Prints a Markdown section for bench/RESULTS.md."""
import http.client, json, os, sys, threading, time, urllib.parse, datetime, statistics

url, input_path, offline_path, clients, beam, offline_seconds, machine = sys.argv[1:8]
clients, beam, offline_seconds = int(clients), int(beam), float(offline_seconds)
lines = [l.rstrip("\n") for l in open(input_path, encoding="utf-8")]
offline = [l.rstrip("\n") for l in open(offline_path, encoding="utf-8")]
work = [i for i, l in enumerate(lines) if l.strip()]
target = urllib.parse.urlparse(url)
latencies, errors, mismatches = [], [], []
lock = threading.Lock()
next_index = [0]

def client():
    conn = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
    while True:
        with lock:
            if next_index[0] >= len(work): break
            i = work[next_index[0]]; next_index[0] += 1
        body = json.dumps({"texts": [lines[i]], "beam": beam})
        start = time.perf_counter()
        try:
            conn.request("POST", "/v1/translate", body, {"Content-Type": "application/json"})
            response = conn.getresponse(); data = response.read()
            elapsed = time.perf_counter() - start
            if response.status != 200:
                with lock: errors.append(f"line {i + 1}: HTTP {response.status} {data[:200]!r}")
                continue
            text = json.loads(data)["translations"][0]["text"]
            with lock:
                latencies.append(elapsed)
                if text != offline[i]: mismatches.append(i)
        except Exception as e:  # a refused or dropped connection is an error of the server under test
            with lock: errors.append(f"line {i + 1}: {e}")
            conn.close(); conn = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
    conn.close()

# Warm-up (not timed): the first decode pays for JIT compilation and libtorch's lazy initialisation.
warm = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
warm.request("POST", "/v1/translate", json.dumps({"texts": [lines[i] for i in work[:32]], "beam": beam}), {"Content-Type": "application/json"})
warm.getresponse().read(); warm.close()

start = time.perf_counter()
threads = [threading.Thread(target=client) for _ in range(clients)]
for t in threads: t.start()
for t in threads: t.join()
wall = time.perf_counter() - start

def pct(p):
    s = sorted(latencies); return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] * 1000 if s else float("nan")

done = len(latencies)
served_rate = done / wall
offline_rate = len(work) / offline_seconds
print(f"\n## serve: {clients} concurrent clients, beam {beam} — {datetime.date.today()}\n")
print(f"Machine: {machine}. Run by `bench/serve-load.sh`: one sentence per request, {len(work)} requests "
      f"({os.environ.get('INPUT_NAME', input_path)}), server options `{os.environ.get('SERVE_ARGS') or 'defaults'}`; offline = `s2s translate --beam {beam}` on the same lines, start-up excluded.\n")
print("| figure | value |\n|---|---|")
print(f"| requests | {len(work)} ({done} answered, {len(errors)} errors) |")
print(f"| requests/s = sentences/s | {served_rate:.1f} |")
print(f"| latency p50 / p95 / p99 (ms) | {pct(50):.0f} / {pct(95):.0f} / {pct(99):.0f} |")
print(f"| mean latency (ms) | {statistics.mean(latencies) * 1000:.0f} |" if latencies else "| mean latency (ms) | – |")
print(f"| offline `s2s translate`, sentences/s | {offline_rate:.1f} |")
print(f"| served / offline | {served_rate / offline_rate:.2f} |")
print(f"| answers differing from the offline translation | {len(mismatches)} |")
for e in errors[:5]: print(f"\nerror: {e}")
sys.exit(1 if errors else 0)
