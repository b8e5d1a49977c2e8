#!/usr/bin/env python3
"""Markdown section for bench/quality-curve.sh: a run's dev quality over training minutes and its test result."""
import json, os, platform, sys

config, run, started, load_before, load_after = sys.argv[1:6]
log = [json.loads(l) for l in open(os.path.join(run, "train_log.jsonl"), encoding="utf-8") if l.strip()]
validations = [e for e in log if e.get("type") == "validation"]
result = next((e for e in reversed(log) if e.get("type") == "result"), None)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())

def num(v, fmt):
    return "–" if v is None else format(v, fmt)

print(f"\n## Quality over training time: `{config}` — {started}\n")
print(f"Machine: {cpu}, {os.cpu_count()} cores; load average before/after: {load_before} / {load_after}. "
      f"Command: `bench/quality-curve.sh {config}` (the config unchanged; run directory `{run}`).\n")
wer = any(v.get("dev_wer") is not None for v in validations)
print("| minutes | update | dev ppl | " + ("dev WER % | dev PER %" if wer else "dev BLEU | dev chrF") + " | note |")
print("|---|---|---|---|---|---|")
for v in validations:
    a, b = ("dev_wer", "dev_per") if wer else ("dev_bleu", "dev_chrf")
    note = "best" if v.get("best") else ""
    if v.get("scheduled") is False:
        note = "out of schedule (a stop)"
    print(f"| {v.get('elapsed_s', 0) / 60:.1f} | {v['step']} | {num(v.get('dev_ppl'), '.2f')} | "
          f"{num(v.get(a), '.2f')} | {num(v.get(b), '.2f')} | {note} |")
if result:
    print(f"\nStop: {result.get('stop_reason', '–')} at update {result.get('step', '–')}; best checkpoint at update "
          f"{result.get('best_step', '–')}.")
results = os.path.join(run, "results.json")
if os.path.exists(results):
    r = json.load(open(results, encoding="utf-8"))
    shown = [f"{k} {r[k]}" for k in ("bleu", "chrf", "wer", "per", "beam_size", "sentences") if k in r]
    print("\nTest (best checkpoint): " + ", ".join(shown) + "".join(f"; `{r[k]}`" for k in ("bleu_signature", "chrf_signature") if k in r) + "\n")
