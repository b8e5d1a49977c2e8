#!/usr/bin/env python3
"""The bench/RESULTS.md section of bench/rnn-vs-transformer.sh (Markdown, stdout).

usage: systems_report.py MINUTES THREADS ROOT TASK [TASK ...]
Reads ROOT/<task>-rnn and ROOT/<task>-transformer (results.json, train_log.jsonl, test.src/.ref/.hyp, the .log beside
each run). Standard library only."""
import datetime, json, os, platform, statistics, sys

minutes, threads, root, tasks = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
SYSTEMS = [("rnn", "RNN + attention"), ("transformer", "Transformer")]


def cpu_model():
    for line in open("/proc/cpuinfo", encoding="utf-8"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def lines(path):
    return open(path, encoding="utf-8").read().split("\n")[:-1]


def run_summary(run):
    res = json.load(open(os.path.join(run, "results.json"), encoding="utf-8"))
    log = [json.loads(l) for l in open(os.path.join(run, "train_log.jsonl"), encoding="utf-8")]
    train = [e for e in log if e["type"] == "train"]
    vals = [e for e in log if e["type"] == "validation"]
    result = next((e for e in log if e["type"] == "result"), {})
    params = next((l.split("model: ")[1].split(" parameters")[0] for l in open(run + ".log", encoding="utf-8") if "model: " in l), "?")
    return dict(
        res=res, params=params, steps=result.get("step", max((e["step"] for e in train), default=0)),
        best_step=result.get("best_step"), stop=result.get("stop_reason", "?"),
        rate=statistics.median([e["tokens_per_s"] for e in train][1:] or [0]),
        ppl=min((v["dev_ppl"] for v in vals if v["dev_ppl"] is not None), default=None),
        minutes=(train[-1]["elapsed_s"] / 60) if train else 0)


def cell(text):
    return text.replace("|", "\\|").replace("\n", " ") or "(empty)"


print(f"\n## RNN + attention vs Transformer, {datetime.date.today().isoformat()} (bench/rnn-vs-transformer.sh)\n")
print(f"Machine: {cpu_model()}, {os.cpu_count()} cores. Budget: {minutes} minutes of training per run (validation "
      f"included), {threads} libtorch thread(s) per run, the two runs of a task side by side so both saw the same "
      "machine. Each run then decoded its whole test set with the best checkpoint (by dev loss), beam 5. Scores are "
      "on detokenised output against the raw references, sacreBLEU-style (BLEU 13a, chrF2).\n")
for task in tasks:
    runs = {key: run_summary(os.path.join(root, f"{task}-{key}")) for key, _ in SYSTEMS}
    print(f"### {task}\n")
    print("| system | parameters | updates (best) | train tokens/s | best dev ppl | test BLEU | test chrF | test sent/s (beam 5) |")
    print("|---|---|---|---|---|---|---|---|")
    for key, label in SYSTEMS:
        r = runs[key]
        ppl = f"{r['ppl']:.2f}" if r["ppl"] is not None else "–"
        print(f"| {label} | {r['params']} | {r['steps']} ({r['best_step']}) | {r['rate']:,.0f} | {ppl} | "
              f"{r['res'].get('bleu', '–')} | {r['res'].get('chrf', '–')} | {r['res'].get('decode_sentences_per_s', '–')} |")
    sig = runs["rnn"]["res"].get("bleu_signature", "")
    print(f"\nSignatures: `{sig}`, `{runs['rnn']['res'].get('chrf_signature', '')}`. Stop: "
          + "; ".join(f"{label}: {runs[key]['stop']}" for key, label in SYSTEMS) + ".\n")

    base = os.path.join(root, f"{task}-rnn")
    src, ref = lines(os.path.join(base, "test.src")), lines(os.path.join(base, "test.ref"))
    hyps = {key: lines(os.path.join(root, f"{task}-{key}", "test.hyp")) for key, _ in SYSTEMS}
    n = len(src)
    picks = [int((k + 0.5) * n / 10) for k in range(10)]  # spread over the test set, not chosen by quality
    print(f"Ten test sentences (lines {', '.join(str(i + 1) for i in picks)} of {n}):\n")
    print("| # | source | reference | RNN + attention | Transformer |")
    print("|---|---|---|---|---|")
    for i in picks:
        print(f"| {i + 1} | {cell(src[i])} | {cell(ref[i])} | {cell(hyps['rnn'][i])} | {cell(hyps['transformer'][i])} |")
    print()
