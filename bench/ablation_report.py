#!/usr/bin/env python3
"""Writes docs/ablation.md (Markdown, stdout) from the run directories of bench/ablation.sh.

usage: ablation_report.py TASK=ROOT [TASK=ROOT ...]     e.g. g2p=runs/ablation-g2p bible=runs/ablation-bible
Standard library only."""
import datetime, json, os, statistics, sys


def flat_yaml(path):
    """The resolved config.yaml of a run as {"model.encoder.hidden_size": "512", ...} (block mappings and scalars only)."""
    keys, out = [], {}
    for line in open(path, encoding="utf-8"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        key, _, value = line.strip().partition(":")
        keys = keys[:depth] + [key]
        if value.strip():
            out[".".join(keys)] = value.strip().strip("'\"")
    return out


def runs(root):
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
        rows.append(dict(name=name, params=params, steps=steps, ppl=min(v["dev_ppl"] for v in vals) if vals else None,
                         res=res, rate=statistics.median(rates) if rates else None,
                         gate=vals[-1].get("dev_mean_gate") if vals else None, config=flat_yaml(os.path.join(run, "config.yaml"))))
    return rows


fmt = lambda x, d=2: "–" if x is None else f"{x:,.{d}f}"
print(f"# Ablation: attention and encoder variants ({datetime.date.today()})\n")
print("Produced by `bench/ablation.sh TASK`: every variant in `configs/ablation/` trained with the same budget and data, then"
      " its best checkpoint (by dev loss) decoded with beam 5. BLEU/chrF are sacreBLEU (13a) on detokenised output; for"
      " g2p, WER is the percentage of words whose pronunciation is not exactly a reference one and PER the phoneme error"
      " rate. Token rates are medians of the logged training windows. When the budget is a number of updates the scores"
      " do not depend on how busy the machine was, but the rates do: compare rates only within one table.\n")
for spec in sys.argv[1:]:
    task, root = spec.split("=", 1)
    rows = runs(root)
    if not rows:
        continue
    c = rows[0]["config"]
    budget = (f"{c['training.max_steps']} updates" if c.get("training.max_steps", "0") != "0"
              else f"{c.get('training.max_minutes')} minutes")
    print(f"\n## {task} ({'cmudict-g2p' if task == 'g2p' else 'bible-es-en'})\n")
    print(f"Budget: {budget} of {c.get('training.batch_tokens')} target tokens each, {c.get('training.threads')} thread(s); "
          f"embeddings {c.get('model.embedding_size')}, encoder {c.get('model.encoder.hidden_size')}, decoder "
          f"{c.get('model.decoder.hidden_size')} units (layers as in each config); dropout {c.get('model.dropout')}.\n")
    a_name, b_name = ("test WER %", "test PER %") if task == "g2p" else ("test BLEU", "test chrF")
    print(f"| variant | parameters | updates | best dev ppl | {a_name} | {b_name} | train tok/s | hybrid gate (mean) |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        a, b = (r["res"].get("wer"), r["res"].get("per")) if task == "g2p" else (r["res"].get("bleu"), r["res"].get("chrf"))
        print(f"| {r['name']} | {r['params']} | {r['steps']} | {fmt(r['ppl'])} | {fmt(a)} | {fmt(b)} | {fmt(r['rate'], 0)} | {fmt(r['gate'], 3)} |")
    missing = sorted(set(os.path.splitext(f)[0] for f in os.listdir("configs/ablation") if f.endswith(".yaml"))
                     - {r["name"] for r in rows})
    if missing:
        print(f"\nNot yet finished at this budget: {', '.join(missing)} (`bench/ablation.sh` resumes them).")
    by = {r["name"]: r for r in rows}
    trio = ("local-p", "global-dot", "global-general")
    if all(k in by for k in trio):
        # Each measure, best first: (name, value of the three, lower is better).
        measures = ([("WER", [by[k]["res"].get("wer") for k in trio], True), ("PER", [by[k]["res"].get("per") for k in trio], True)]
                    if task == "g2p" else
                    [("BLEU", [by[k]["res"].get("bleu") for k in trio], False), ("chrF", [by[k]["res"].get("chrf") for k in trio], False)])
        measures.append(("best dev ppl", [by[k]["ppl"] for k in trio], True))
        parts = []
        for label, (lp, gd, gg), lower in measures:
            agrees = (lp < gd < gg) if lower else (lp > gd > gg)
            parts.append(f"{label}: local-p {lp:.2f}, global-dot {gd:.2f}, global-general {gg:.2f} "
                         f"({'agrees' if agrees else 'does not agree'})")
        print(f"\nLuong et al. (2015), WMT'14 En→De: local-p (general) > global (dot) > global (general). Here — "
              + "; ".join(parts) + ".")
    if os.path.exists(f"docs/ablation/{task}-global-general.png"):
        print(f"\nThe same test {'word' if task == 'g2p' else 'verse'} through two variants (beam 5):\n")
        print(f"![global-general](ablation/{task}-global-general.png) ![local-p](ablation/{task}-local-p.png)\n")
print("\nWhat these runs say, and what went wrong on the way: bench/RESULTS.md, section \"Attention and encoder ablation\".")
