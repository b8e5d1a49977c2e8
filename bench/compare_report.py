#!/usr/bin/env python3
"""Formats one bench/compare-reference.sh run as a Markdown section (stdout). Standard library only."""
import datetime, json, os, platform, statistics, subprocess, sys

task, steps, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
log = [json.loads(l) for l in open(os.path.join(out, "ours", "train_log.jsonl"), encoding="utf-8")]
train = [e for e in log if e["type"] == "train"]
vals = [e for e in log if e["type"] == "validation"]
res = json.load(open(os.path.join(out, "ours", "results.json"), encoding="utf-8"))
rates = [e["tokens_per_s"] for e in train[1:]] or [e["tokens_per_s"] for e in train]
ours = {
    "tok_s": statistics.median(rates) if rates else None,   # None when the run was shorter than one log window
    "dev_ppl": min(v["dev_ppl"] for v in vals),
    "minutes": vals[-1]["elapsed_s"] / 60,
    "rss": int(open(os.path.join(out, "ours.rss")).read().split()[-1]) / 1024,
    "beam_sps": res.get("decode_sentences_per_s"),
}
# "N sentences decoded in S s (R sentences/s, beam 1); start-up (libtorch and model load) U s; total T s"
timing = open(os.path.join(out, "ours.greedy.timing"), encoding="utf-8").read().strip().splitlines()[-1]
ours["greedy_sps"] = float(timing.split("(")[1].split(" sentences/s")[0])
ours["startup_s"] = float(timing.split("model load) ")[1].split(" s")[0])
# Output tokens per decoded sentence, counted the same way on both sides (the reference's word rule: every
# punctuation or symbol character its own token), so that decoding speeds can be compared per output token too:
# two models of the same architecture at the same step can still differ a lot in how long their outputs are.
import re, unicodedata
def tokens(path):
    if not os.path.exists(path):
        return None
    n = lines = 0
    for line in open(path, encoding="utf-8"):
        lines += 1
        n += len("".join(f" {c} " if unicodedata.category(c)[0] in "PS" else c for c in line).split())
    return n / lines if lines else None
ours["greedy_len"] = tokens(os.path.join(out, "ours.greedy"))
ours["beam_len"] = tokens(os.path.join(out, "ours", "test.hyp"))
ref = None
if os.path.exists(os.path.join(out, "ref.json")) and os.path.getsize(os.path.join(out, "ref.json")) > 0:
    ref = json.loads(open(os.path.join(out, "ref.json")).read().strip().splitlines()[-1])
torch_version = "n/a"
if os.path.exists(os.path.join(out, "ref", "metrics.json")):
    torch_version = json.load(open(os.path.join(out, "ref", "metrics.json")))["torch"]
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()

ref_beam_len = tokens(os.path.join(out, "ref", "test.beam5.hyp"))
ref_greedy_len = tokens(os.path.join(out, "ref", "test.greedy.hyp"))

def f(x, d=1):
    return "–" if x is None else f"{x:,.{d}f}"

rows = [("dev perplexity (best)", f(ours["dev_ppl"], 2), f(ref and ref.get("dev_ppl"), 2))]
if task == "bible":
    rows.append(("test BLEU, beam 5, reference tokenisation", f(res.get("bleu_tokenized"), 2), f(ref and ref.get("beam5_bleu"), 2)))
    rows.append(("test sacreBLEU 13a / chrF (ours, detokenised)", f"{f(res.get('bleu'), 2)} / {f(res.get('chrf'), 2)}", "–"))
else:
    rows.append(("test WER %, beam 5", f(res.get("wer"), 2), f(ref and ref.get("beam5_wer"), 2)))
    rows.append(("test PER %, beam 5", f(res.get("per"), 2), f(ref and ref.get("beam5_per"), 2)))
rows += [
    ("training target tokens/s (median of windows)", f(ours["tok_s"], 0), f(ref and ref.get("train_tokens_per_s"), 0)),
    ("training wall time incl. validation (min)", f(ours["minutes"], 2), f(ref and ref.get("train_minutes"), 2)),
    ("beam-5 test decoding, sentences/s", f(ours["beam_sps"]), f(ref and ref.get("beam5_sents_per_s"))),
    ("greedy test decoding, sentences/s", f(ours["greedy_sps"]), f(ref and ref.get("greedy_sents_per_s"))),
    ("mean output length, beam 5 / greedy (tokens)", f"{f(ours['beam_len'])} / {f(ours['greedy_len'])}",
     f"{f(ref_beam_len)} / {f(ref_greedy_len)}"),
    ("beam-5 output tokens/s", f(ours["beam_sps"] * ours["beam_len"] if ours["beam_sps"] and ours["beam_len"] else None, 0),
     f(ref["beam5_sents_per_s"] * ref_beam_len if ref and ref_beam_len else None, 0)),
    ("greedy output tokens/s", f(ours["greedy_sps"] * ours["greedy_len"] if ours["greedy_len"] else None, 0),
     f(ref["greedy_sents_per_s"] * ref_greedy_len if ref and ref_greedy_len else None, 0)),
    ("peak RSS (MB)", f(ours["rss"], 0), f(ref and ref.get("peak_rss_mb"), 0)),
]
print(f"\n## {task}: {steps} steps, same model/batch/threads as the reference — {datetime.date.today()}\n")
print(f"Machine: {cpu}, {os.cpu_count()} cores, 2 threads each; {platform.platform()}. Ours: TorchSharp 0.107.0 / libtorch 2.10.0 (CPU); "
      f"reference: PyTorch {torch_version} (Debian, OpenBLAS). Run one after the other by `bench/compare-reference.sh {task} {steps}`.\n")
print(f"Load average before the run: {open(os.path.join(out, 'loadavg')).read().split()[0] if os.path.exists(os.path.join(out, 'loadavg')) else '?'}; "
      f"`s2s translate` start-up (libtorch and model load): {ours['startup_s']:.2f} s.\n")
print("| figure | Seq2Seq.NET | PyTorch reference | ours / reference |")
print("|---|---|---|---|")
for name, a, b in rows:
    try:
        ratio = f"{float(a.split()[0].replace(',', '')) / float(b.replace(',', '')):.2f}"
    except (ValueError, ZeroDivisionError):
        ratio = ""
    print(f"| {name} | {a} | {b} | {ratio} |")
