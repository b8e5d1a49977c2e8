#!/usr/bin/env python3
"""Where the attention looks, from a `s2s translate --attention DIR` folder: for each sentence the attention-weighted
mean source position of each output step, relative to the source (0 = first token, 1 = last). Prints the averages over
sentences at the first, middle and last output step and the mean range per sentence (near 0: every step looks at the
same place; a monotonic alignment spans ≈ 0.8–1). bench/RESULTS.md ("Attention and encoder ablation") uses it to follow
local-p's predicted position on the Bible.
usage: s2s translate --model RUN [--checkpoint CKPT] --input SRC --attention DIR --beam 1
       /usr/bin/python3 bench/attention-position.py DIR"""
import glob, json, os, sys

first, middle, last, spread = [], [], [], []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    j = json.load(open(path))
    weights, n = j["weights"], len(j["source_tokens"])
    if not weights or n < 2: continue
    centre = [sum(i * w for i, w in enumerate(row)) / (n - 1) for row in weights]
    first.append(centre[0]); middle.append(centre[len(centre) // 2]); last.append(centre[-1])
    spread.append(max(centre) - min(centre))
if not first: sys.exit(f"{sys.argv[1]}: no attention JSON with two or more source tokens")
mean = lambda xs: sum(xs) / len(xs)
print(f"first {mean(first):.2f}  middle {mean(middle):.2f}  last {mean(last):.2f}  range per sentence {mean(spread):.2f}  ({len(first)} sentences)")
