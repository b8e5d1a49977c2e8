#!/usr/bin/env python3
"""Decoder rows × steps of the PyTorch reference's greedy and beam searches, counted as they run.

Runs ../shared/bench/pytorch_reference.py on a saved model (--load) with its own arguments, one decoding pass per
search, after wrapping its Decoder.step so that each call adds its batch rows to a counter; nothing else changes. The
counts do not depend on the clock, so dividing them by the reference's own timed decoding seconds (a separate run
without the wrapper) gives its decoder rows per second, the code-speed figure bench/onnx-decode.sh compares.

usage: reference_rows.py REFERENCE.py ARGS...   (ARGS as for the reference, incl. --load; --decode-repeats is set to 1)
Prints one JSON line: {"greedy": rows, "beam5": rows} (the beam key follows --beam-size)."""
import importlib.util, json, os, sys

path, args = sys.argv[1], sys.argv[2:]
spec = importlib.util.spec_from_file_location("pytorch_reference", path)
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)

counts, mode = {}, ["?"]
step = ref.Decoder.step
def counted_step(self, y_prev, *rest):
    counts[mode[0]] = counts.get(mode[0], 0) + int(y_prev.shape[0])
    return step(self, y_prev, *rest)
ref.Decoder.step = counted_step

decode_all = ref.decode_all
def counted_decode_all(model, srcs, which, a):
    mode[0] = "greedy" if which == "greedy" else f"beam{a.beam_size}"
    return decode_all(model, srcs, which, a)
ref.decode_all = counted_decode_all

sys.stdout = open(os.devnull, "w")          # the reference prints its own result line
ref.main(args + ["--decode-repeats", "1"])
sys.stdout = sys.__stdout__
print(json.dumps(counts))
