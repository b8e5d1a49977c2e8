#!/usr/bin/env python3
"""The limit, start-up and scaling section of bench/run.sh (Markdown, stdout). Standard library only."""
import datetime, json, os, statistics, sys

out, model = sys.argv[1], sys.argv[2]
profile = open(os.path.join(out, "profile.txt"), encoding="utf-8").read().strip().splitlines()
startup = [tuple(map(float, l.split())) for l in open(os.path.join(out, "startup.time")) if l.strip() and l[0].isdigit()]
scaling = open(os.path.join(out, "scaling.md"), encoding="utf-8").read().strip()
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")

print(f"\n### The limit, start-up and scaling ({datetime.date.today()}, {cpu}, {os.cpu_count()} cores, 2 threads; `bench/run.sh`)\n")
print("`s2s profile configs/bible-es-en.yaml --steps 5` (time per part of a training step, 4,096-token batches):\n")
print("```")
print("\n".join(profile))
print("```\n")
if startup:
    print(f"`echo … | s2s translate --model RUN_DIR` (beam 5, one sentence, libtorch load included): "
          f"median {statistics.median(s for s, _ in startup):.2f} s wall over {len(startup)} runs, "
          f"peak RSS {max(m for _, m in startup) / 1024:.0f} MB.\n")
print(f"Scaling (`s2s profile --scaling bench/scaling`; training points: 3 timed steps each after 2 warm-up steps; "
      f"decoding: the first 300 test verses with the model in `{model}`):\n")
print(scaling + "\n")
print("![tokens/s vs batch size](scaling/scaling-batch-size.png) ![tokens/s vs target length](scaling/scaling-target-length.png) "
      "![sentences/s vs beam size](scaling/scaling-beam-size.png)")
