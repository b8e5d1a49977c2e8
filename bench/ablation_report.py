#!/usr/bin/env python3
"""Writes the ablation table (Markdown, stdout) from the run directories of bench/ablation.sh. Standard library only."""
import datetime, json, os, statistics, sys

task, root = sys.argv[1], sys.argv[2]
rows = []
for name in sorted(os.listdir(root)):
    run = os.path.join(root, name)
    if not os.path.isfile(os.path.join(run, "results.json")):
        continue
    res = json.load(open(os.path.join(run, "results.json")))
    log = [json.loads(l) for l in open(os.path.join(run, "train_log.jsonl"))]
    rates = [e["tokens_per_s"] for e in log if e["type"] == "train"][1:]
    params = next((l.split("model: ")[1].split(" parameters")[0] for l in open(run + ".log") if "model: " in l), "?")
    steps = max((e["step"] for e in log if "step" in e), default=0)
    vals = [e for e in log if e["type"] == "validation"]
    rows.append((name, params, steps, min(v["dev_ppl"] for v in vals) if vals else None, res,
                 statistics.median(rates) if rates else None, vals[-1].get("dev_mean_gate") if vals else None))

print(f"# Ablation: attention and encoder variants on {task} ({datetime.date.today()})\n")
print("Produced by `bench/ablation.sh " + task + "`: every variant of `configs/ablation/` trained alone with the same time budget,"
      " 2 threads, then decoded with beam 5. BLEU/chrF are sacreBLEU 13a on detokenised output.\n")
if task == "g2p":
    print("| variant | parameters | steps | best dev ppl | test WER % | test PER % | train tok/s | hybrid gate |")
    print("|---|---|---|---|---|---|---|---|")
else:
    print("| variant | parameters | steps | best dev ppl | test BLEU | test chrF | train tok/s | hybrid gate |")
    print("|---|---|---|---|---|---|---|---|")
fmt = lambda x, d=2: "–" if x is None else f"{x:,.{d}f}"
for name, params, steps, ppl, res, rate, gate in rows:
    a, b = (res.get("wer"), res.get("per")) if task == "g2p" else (res.get("bleu"), res.get("chrf"))
    print(f"| {name} | {params} | {steps} | {fmt(ppl)} | {fmt(a)} | {fmt(b)} | {fmt(rate, 0)} | {fmt(gate, 3)} |")
by = {r[0]: r[4] for r in rows}
if task != "g2p" and all(k in by for k in ("local-p", "global-dot", "global-general")):
    lp, gd, gg = (by[k].get("bleu", 0) for k in ("local-p", "global-dot", "global-general"))
    agrees = lp > gd > gg
    print(f"\nLuong et al. (2015) found on WMT'14 En→De: local-p (general) > global (dot) > global (general). Here: "
          f"local-p {lp:.2f}, global-dot {gd:.2f}, global-general {gg:.2f} BLEU — the order "
          f"{'agrees' if agrees else 'does not agree'}.")
print(f"\nAttention of one test sentence: ![global-general](ablation/{task}-global-general.png) ![local-p](ablation/{task}-local-p.png)")
