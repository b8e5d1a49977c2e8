#!/usr/bin/env python3
"""Flood test for `s2s serve` (Python 3 standard library only, asyncio, raw HTTP/1.1 over loopback).

CLIENTS concurrent clients run for SECONDS, each in one role by its index (of every 8 clients):
  4 valid      small requests (1-3 words of WORDS.txt, the model's default beam); answers checked against OFFLINE.txt
  1 maximal    64 texts x 2,000 characters, beam and n-best = the server's --max-beam, attention for every hypothesis
               (after a 413 or 503 it waits 1 s before the next, as a client that reads the answer would)
  1 fuzz       a mutated, malformed or odd body (truncated, bit flips, wrong types, deep nesting, lone surrogates, ...)
  1 slow       a valid body trickled one byte every SLOW_BYTE_S seconds (slowloris), or headers that never end
  1 disconnect a medium request (16 texts x 300 characters, beam 8), the socket closed 0.05-1 s after sending it
then, if fewer than FUZZ bodies were sent, fuzz clients alone go on until FUZZ were (bounded by SECONDS as well).
Every phase has a deadline; the script stops by itself. Prints a JSON summary on stdout.

usage: serve_flood.py HOST PORT WORDS.txt OFFLINE.txt SERVER_PID [SECONDS=300] [CLIENTS=256] [FUZZ=10000] [MAX_BEAM=16]
"""
import asyncio, json, os, random, sys, time

host, port, words_path, offline_path, server_pid = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
seconds = float(sys.argv[6]) if len(sys.argv) > 6 else 300
clients = int(sys.argv[7]) if len(sys.argv) > 7 else 256
fuzz_target = int(sys.argv[8]) if len(sys.argv) > 8 else 10000
max_beam = int(sys.argv[9]) if len(sys.argv) > 9 else 16
SLOW_BYTE_S = 1.0

words = [l.rstrip("\n") for l in open(words_path, encoding="utf-8")]
offline = dict(zip(words, (l.rstrip("\n") for l in open(offline_path, encoding="utf-8"))))
words = [w for w in words if w.strip()]

status_by_role = {}           # role -> {status: count}
latencies = []                # seconds, valid requests answered 200
mismatches = []
bad = []                      # answers >= 500 other than 503/504, and 200s that are not JSON
fuzz_sent = [0]
peak_rss_kb = [0]
rng = random.Random(20)


LETTERS = bytes(range(ord("a"), ord("z") + 1))


def letters(n, space=False):
    """n random lowercase letters (and spaces), cheaply: the load generator must not starve its own event loop."""
    alphabet = LETTERS + (b" " if space else b"")
    return bytes(alphabet[b % len(alphabet)] for b in os.urandom(n)).decode()


# A few bodies made once and reused, so building them costs the generator nothing during the flood.
MAXIMAL = [json.dumps({"texts": [letters(2000) for _ in range(64)], "beam": max_beam, "nbest": max_beam,
                       "attention": True, "attention_nbest": True}).encode() for _ in range(4)]
MEDIUM = [json.dumps({"texts": [letters(300, space=True) for _ in range(16)], "beam": 8}).encode() for _ in range(8)]


def count(role, status):
    d = status_by_role.setdefault(role, {})
    d[str(status)] = d.get(str(status), 0) + 1


def request_bytes(body, path="/v1/translate", extra=""):
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n{extra}\r\n")
    return head.encode(), body


async def exchange(head, body, timeout=90.0, close_after=None, trickle=None):
    """Sends a request and reads the whole answer; returns (status or a word for what happened, body bytes)."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 10)
    except Exception as e:
        return f"connect-{type(e).__name__}", b""
    try:
        writer.write(head)
        if trickle is not None:
            for i in range(len(body)):
                writer.write(body[i:i + 1]); await writer.drain()
                await asyncio.sleep(trickle)
                if reader.at_eof(): break
        else:
            writer.write(body)
        await writer.drain()
        if close_after is not None:
            await asyncio.sleep(close_after)
            return "disconnected", b""
        data = await asyncio.wait_for(reader.read(), timeout)
    except asyncio.TimeoutError:
        return "client-timeout", b""
    except (ConnectionError, OSError) as e:
        return f"reset-{type(e).__name__}", b""
    finally:
        writer.close()
    if not data:
        return "closed-without-answer", b""
    line, _, rest = data.partition(b"\r\n")
    try:
        status = int(line.split()[1])
    except Exception:
        return "unparsable-answer", data
    headers, _, payload = rest.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in headers.lower():
        payload = dechunk(payload)
    return status, payload


def dechunk(data):
    out, i = bytearray(), 0
    while i < len(data):
        j = data.find(b"\r\n", i)
        if j < 0: break
        size = int(data[i:j].split(b";")[0], 16)
        if size == 0: break
        out += data[j + 2:j + 2 + size]; i = j + 2 + size + 2
    return bytes(out)


def check_json_error(role, status, payload):
    if isinstance(status, int):
        try:
            doc = json.loads(payload)
            ok = status < 300 or "error" in doc
        except Exception:
            ok = False
        if not ok or (status >= 500 and status not in (503, 504)):
            bad.append((role, status, payload[:300].decode("utf-8", "replace")))


async def valid(deadline):
    while time.monotonic() < deadline:
        texts = rng.sample(words, rng.randint(1, 3))
        head, body = request_bytes(json.dumps({"texts": texts}).encode())
        start = time.monotonic()
        status, payload = await exchange(head, body)
        count("valid", status)
        check_json_error("valid", status, payload)
        if status == 200:
            latencies.append(time.monotonic() - start)
            got = [t["text"] for t in json.loads(payload)["translations"]]
            want = [offline[t] for t in texts]
            if got != want: mismatches.append((texts, got, want))
        elif status == 503:
            await asyncio.sleep(0.2)


async def maximal(deadline):
    while time.monotonic() < deadline:
        head, body = request_bytes(rng.choice(MAXIMAL))
        status, payload = await exchange(head, body, timeout=120)
        count("maximal", status)
        check_json_error("maximal", status, payload)
        if status in (413, 503): await asyncio.sleep(1)   # as a client that reads the answer would (Retry-After)


def fuzz_body():
    base = {"texts": rng.sample(words, rng.randint(1, 4)), "beam": rng.randint(1, 8), "nbest": 1, "attention": rng.random() < 0.3}
    s = json.dumps(base)
    kind = rng.randrange(16)
    if kind == 0: return s[: rng.randrange(len(s))].encode()                                         # truncated
    if kind == 1:
        b = bytearray(s.encode())
        for _ in range(rng.randint(1, 5)): b[rng.randrange(len(b))] = rng.randrange(256)             # byte flips
        return bytes(b)
    if kind == 2: return ("[" * rng.choice([10, 70, 1000, 100000]) + "]" * rng.choice([0, 10, 70])).encode()  # deep nesting
    if kind == 3: return json.dumps({"texts": ["\\ud800 x", "a\\udfffb"]}).replace("\\\\", "\\").encode()    # lone surrogates
    if kind == 4: return json.dumps({"texts": [rng.choice(["<pad>", "<s>", "</s>", "<unk>", "<pad> <pad>", "</s> a"])]}).encode()
    if kind == 5: return json.dumps({"texts": base["texts"], "beam": rng.choice([0, -1, 2**31, 1e300, "5", None, [], 3.5])}).encode()
    if kind == 6: return json.dumps({"texts": rng.choice([None, 5, "a", {}, [[]], [None], [""], [" "], [1, 2]])}).encode()
    if kind == 7: return b'{"texts": ["a"], "texts": ["b"]}'                                          # duplicate key
    if kind == 8: return b'{"texts": ["a"], "beam": NaN}'
    if kind == 9: return bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))                # noise
    if kind == 10: return json.dumps({"texts": ["".join(chr(rng.randint(1, 0x2FFFF)) for _ in range(rng.randint(1, 50)))]}).replace("\\ud", "\\uD").encode()
    if kind == 11: return json.dumps({"texts": base["texts"], "unknown": 1}).encode()
    if kind == 12: return b"\xef\xbb\xbf" + s.encode()                                                # BOM
    if kind == 13: return json.dumps({"texts": ["a\u0000b", "\u202e\u200b", "\t\n"]}).encode()
    if kind == 14: return json.dumps({"texts": base["texts"], "nbest": 9, "beam": 3}).encode()
    return s.encode()                                                                                 # valid


async def fuzz(deadline, until=None):
    while time.monotonic() < deadline and (until is None or fuzz_sent[0] < until):
        fuzz_sent[0] += 1
        body = fuzz_body()
        path = rng.choice(["/v1/translate"] * 8 + ["/v1/Translate", "/v1/translate/", "/v1/model", "/nope"])
        head, body = request_bytes(body, path)
        if rng.random() < 0.05:  # a lying Content-Length
            head = head.replace(f"Content-Length: {len(body)}".encode(), f"Content-Length: {len(body) + rng.randint(1, 50)}".encode())
            status, payload = await exchange(head, body, timeout=20)
        else:
            status, payload = await exchange(head, body)
        count("fuzz", status)
        check_json_error("fuzz", status, payload)


async def slow(deadline):
    while time.monotonic() < deadline:
        if rng.random() < 0.5:
            head, body = request_bytes(json.dumps({"texts": rng.sample(words, 2)}).encode())
            status, payload = await exchange(head, body, trickle=SLOW_BYTE_S, timeout=60)
        else:  # headers that never end
            status, payload = await exchange(f"POST /v1/translate HTTP/1.1\r\nHost: {host}\r\nX-Slow: ".encode(), b"a" * 60, trickle=SLOW_BYTE_S, timeout=60)
        count("slow", status)
        if isinstance(status, int) and status >= 500 and status not in (503, 504): bad.append(("slow", status, payload[:200]))


async def disconnect(deadline):
    while time.monotonic() < deadline:
        head, body = request_bytes(rng.choice(MEDIUM))
        status, _ = await exchange(head, body, close_after=rng.uniform(0.05, 1.0))
        count("disconnect", status)


async def watch_rss(deadline):
    while time.monotonic() < deadline:
        try:
            for line in open(f"/proc/{server_pid}/status"):
                if line.startswith("VmHWM:"): peak_rss_kb[0] = max(peak_rss_kb[0], int(line.split()[1]))
        except OSError:
            pass
        await asyncio.sleep(1)


async def main():
    start = time.monotonic()
    deadline = start + seconds
    roles = [valid, valid, valid, valid, maximal, fuzz, slow, disconnect]
    tasks = [asyncio.create_task(roles[i % 8](deadline)) for i in range(clients)]
    tasks.append(asyncio.create_task(watch_rss(deadline + seconds + 150)))
    await asyncio.gather(*tasks[:-1])
    flood_s = time.monotonic() - start
    if fuzz_sent[0] < fuzz_target:  # fuzz alone until the target, bounded by another SECONDS
        await asyncio.gather(*(fuzz(time.monotonic() + seconds, fuzz_target) for _ in range(32)))
    tasks[-1].cancel()
    # Afterwards: healthy, nothing queued, and a valid request answered as offline.
    await asyncio.sleep(2)
    health_status, health = await exchange(f"GET /v1/health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode(), b"")
    texts = words[:5]
    status, payload = await exchange(*request_bytes(json.dumps({"texts": texts}).encode()))
    after_ok = status == 200 and [t["text"] for t in json.loads(payload)["translations"]] == [offline[t] for t in texts]
    lat = sorted(latencies)
    pct = lambda p: round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 1) if lat else None
    print(json.dumps({
        "flood_seconds": round(flood_s, 1), "total_seconds": round(time.monotonic() - start, 1), "clients": clients,
        "status_by_role": status_by_role, "fuzz_bodies": fuzz_sent[0],
        "valid_answered_200": len(lat), "valid_p50_ms": pct(0.5), "valid_p99_ms": pct(0.99), "valid_max_ms": pct(1.0),
        "valid_mismatches": len(mismatches), "mismatch_examples": mismatches[:3],
        "bad_answers": len(bad), "bad_examples": [list(map(str, b)) for b in bad[:10]],
        "peak_rss_mib": round(peak_rss_kb[0] / 1024, 1),
        "health_after": [health_status, health.decode("utf-8", "replace")], "valid_after_identical": after_ok,
    }, indent=1))

asyncio.run(main())
