#!/usr/bin/env python3
"""Formats one bench/onnx-decode.sh run as a Markdown section (stdout). Standard library only.

usage: onnx_decode_report.py NAME RUN_DIR OUT_DIR bleu|wer"""
import datetime, glob, json, os, re, statistics, subprocess, sys, unicodedata

name, run, out, metric = sys.argv[1:5]
variants = ["torch", "onnx-fp32", "onnx-int8"]
labels = {"torch": "Seq2Seq.NET, TorchSharp", "onnx-fp32": "Seq2Seq.NET, ONNX Runtime fp32",
          "onnx-int8": "Seq2Seq.NET, ONNX Runtime int8", "ref": "PyTorch reference"}


def tokens(path, column=None):
    """Output tokens by the reference's word rule: every punctuation/symbol character a token, then split()."""
    n = lines = 0
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if column is not None:
            line = line.split("\t")[column] if "\t" in line else ""
        lines += 1
        n += len("".join(f" {c} " if unicodedata.category(c)[0] in "PS" else c for c in line).split())
    return n, lines


def ours(tag):
    """Median decoding seconds, rows × steps, peak RSS (MiB) over the passes of one variant."""
    secs, rows, rss = [], None, []
    for err in sorted(glob.glob(os.path.join(out, f"{tag}.*.err"))):
        text = open(err, encoding="utf-8").read()
        m = re.search(r"decoded in ([0-9.]+) s", text)
        if m:
            secs.append(float(m.group(1)))
        m = re.search(r"decoder rows × steps: ([0-9,]+)", text)
        if m:
            rows = int(m.group(1).replace(",", ""))
        t = open(err[:-4] + ".time").read().split()
        rss.append(int(t[-1]) / 1024)
    return (statistics.median(secs) if secs else None), rows, (max(rss) if rss else None)


def one_sentence(v):
    times = [open(p).read().split() for p in sorted(glob.glob(os.path.join(out, f"{v}.one.*.time")))]
    return (statistics.median(float(t[-2]) for t in times), max(int(t[-1]) for t in times) / 1024) if times else (None, None)


def score(tag):
    p = os.path.join(out, f"{tag}.score.json")
    if not os.path.exists(p):
        return "–"
    s = json.load(open(p))   # `s2s evaluate --json`: the metrics as top-level numbers
    return f"WER {s['wer']:.2f} / PER {s['per']:.2f}" if metric == "wer" else f"{s['bleu']:.2f} / {s['chrf']:.2f}"


rows_out = []
ref = None
ref_json = os.path.join(out, "ref.json")
if os.path.exists(ref_json) and os.path.getsize(ref_json) > 0:
    ref = json.loads(open(ref_json).read().strip().splitlines()[-1])
    ref_rows = json.loads(open(os.path.join(out, "ref.rows.json")).read().strip().splitlines()[-1])
    ref_rss = int(open(os.path.join(out, "ref.time")).read().split()[-1]) / 1024

table = {}
for beam, key in ((1, "greedy"), (5, "beam5")):
    for v in variants:
        tag = f"{v}.beam{beam}"
        sec, rows, rss = ours(tag)
        n_tok, n_sent = tokens(os.path.join(out, f"{tag}.hyp"))
        table[(v, key)] = dict(sps=n_sent / sec if sec else None, tps=n_tok / sec if sec else None,
                               rps=rows / sec if sec and rows else None, rss=rss, score=score(tag), sec=sec)
    if ref:
        sps = ref.get(f"{key}_sents_per_s")
        hyp = os.path.join(out, "ref", f"test.{key}.hyp")
        n_tok, n_sent = tokens(hyp, column=1 if metric == "wer" else None)
        sec = n_sent / sps if sps else None
        bleu = ref.get(f"{key}_bleu"); wer = ref.get(f"{key}_wer")
        table[("ref", key)] = dict(sps=sps, tps=n_tok / sec if sec else None,
                                   rps=ref_rows.get(key) / sec if sec and ref_rows.get(key) else None, rss=ref_rss,
                                   score=(f"WER {wer:.2f} (its own scorer)" if wer is not None else
                                          f"BLEU {bleu:.2f} (its own tokenised BLEU)" if bleu is not None else "–"), sec=sec)


def f(x, d=1):
    return "–" if x is None else f"{x:,.{d}f}"


def ratio(v, key, field):
    a, b = table.get((v, key), {}).get(field), table.get(("ref", key), {}).get(field)
    return "–" if not a or not b else f"{a / b:.2f}×"


cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
load_before = open(os.path.join(out, "load.before")).read().strip()
load_after = open(os.path.join(out, "load.after")).read().strip()
runs = len(glob.glob(os.path.join(out, "torch.beam1.*.err")))
print(f"\n## Decoding backends, {name} — {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC (bench/onnx-decode.sh)\n")
print(f"Model `{run}`; {cpu}, {os.cpu_count()} cores, 2 threads per side; medians of {runs} passes over the test set, "
      f"variants alternating; beam search with the reference's stopping rule (`--beam-stop early`); "
      f"load average before {load_before}, after {load_after}. Tokens by the reference's word rule.\n")
print("| search | variant | sentences/s | output tokens/s | decoder rows/s | tokens/s vs ref | rows/s vs ref | quality | peak RSS MiB |")
print("|---|---|---|---|---|---|---|---|---|")
for key, label in (("greedy", "greedy"), ("beam5", "beam 5")):
    for v in (["ref"] if ref else []) + variants:
        r = table.get((v, key))
        if not r:
            continue
        print(f"| {label} | {labels[v]} | {f(r['sps'])} | {f(r['tps'], 0)} | {f(r['rps'], 0)} | "
              f"{'–' if v == 'ref' else ratio(v, key, 'tps')} | {'–' if v == 'ref' else ratio(v, key, 'rps')} | {r['score']} | {f(r['rss'], 0)} |")
print()
print("| `s2s translate` of one sentence | wall s (median) | peak RSS MiB |")
print("|---|---|---|")
for v in variants:
    s, m = one_sentence(v)
    print(f"| {labels[v]} | {f(s, 2)} | {f(m, 0)} |")
print()
print("Quality: sacreBLEU 13a / chrF of the detokenised output (ours), or WER / PER %; the reference's figure is its own "
      "scorer's, on its own tokens.")
