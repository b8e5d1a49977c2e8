#!/usr/bin/env python3
"""Decoder rows × steps of the PyTorch reference's greedy search, counted from its output (no clock involved).

The reference decodes the test set sorted by source length (longest first) in batches of --decode-batch-size and runs
every row of a batch until all have produced </s> or reached max_len = floor(a·|x| + b); nothing leaves the batch.
A row whose output has L < max_len tokens finished at step L + 1, otherwise at max_len. Our own count comes from
`s2s translate --timing` (the DecodingWork counters); dividing each by its decoding seconds gives decoder rows per
second, a code-speed figure that does not depend on how long the two models' outputs happen to be.

usage: greedy_work.py TEST.src REFERENCE.greedy.hyp [--batch 64] [--a 1.5] [--b 10] [--lowercase]
Source lengths use the reference's word tokeniser (every Unicode P*/S* character a token, then split()).
Standard library only."""
import argparse, math, unicodedata


def tokenize_words(s):
    return "".join(" " + ch + " " if unicodedata.category(ch)[0] in "PS" else ch for ch in s).split()


p = argparse.ArgumentParser()
p.add_argument("src"); p.add_argument("hyp")
p.add_argument("--batch", type=int, default=64); p.add_argument("--a", type=float, default=1.5)
p.add_argument("--b", type=float, default=10); p.add_argument("--lowercase", action="store_true")
args = p.parse_args()
srcs = [l.rstrip("\n") for l in open(args.src, encoding="utf-8")]
hyps = [l.rstrip("\n").split() for l in open(args.hyp, encoding="utf-8")]
assert len(srcs) == len(hyps), "source and output differ in line count"
lengths = [max(1, len(tokenize_words(s.lower() if args.lowercase else s))) for s in srcs]  # an empty source is [UNK]
order = sorted(range(len(srcs)), key=lambda i: -lengths[i])
rows_steps = 0
for start in range(0, len(order), args.batch):
    batch = order[start:start + args.batch]
    finish = [min(len(hyps[i]) + 1, math.floor(lengths[i] * args.a + args.b)) for i in batch]
    rows_steps += len(batch) * max(finish)
print(f"reference greedy decoder rows × steps: {rows_steps:,}")
