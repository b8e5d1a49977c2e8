#!/usr/bin/env python3
"""Checks that the PyTorch module in seq2seq_torch.py computes the same function as Seq2Seq.NET: loads an export
(`s2s export --model RUN --output DIR`), scores the pairs of DIR/check.json and compares with the log-probabilities
the toolkit wrote there. Exit code 0 when the largest absolute difference is at most 1e-4.

usage: /usr/bin/python3 interop/python/check_export.py EXPORT_DIR   (Debian: apt-get install python3-torch)"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seq2seq_torch import Seq2Seq  # noqa: E402

directory = sys.argv[1]
model = Seq2Seq.from_export(directory)
with open(os.path.join(directory, "check.json"), encoding="utf-8") as f:
    pairs = json.load(f)
ours = model.log_prob([p["source"] for p in pairs], [p["target"] for p in pairs])
diffs = [abs(a - p["log_prob"]) for a, p in zip(ours, pairs)]
print(f"{len(pairs)} pairs: log P from Seq2Seq.NET {pairs[0]['log_prob']:.6f} …, from PyTorch {ours[0]:.6f} …; "
      f"max |difference| = {max(diffs):.2e}")
sys.exit(0 if max(diffs) <= 1e-4 else 1)
