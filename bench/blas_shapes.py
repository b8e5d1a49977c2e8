#!/usr/bin/env python3
"""The reference side of `s2s profile`'s two matmul lines: PyTorch `mm` GFLOP/s for 2048² and for one decoding step's
output layer, on the same threads. With /usr/bin/python3 this is Debian's torch on OpenBLAS; libtorch (ours) uses
its bundled BLAS, so a difference here is a library difference, not ours or the reference's code.

usage: /usr/bin/python3 bench/blas_shapes.py [THREADS] [ROWS] [WIDTH] [VOCAB]     (defaults 2 64 512 8866: bible-es-en)"""
import sys, time
import torch

threads, rows, width, vocab = (int(x) for x in (sys.argv[1:] + ["2", "64", "512", "8866"][len(sys.argv) - 1:])[:4])
torch.set_num_threads(threads)


def gflops(m, k, n, repeats):
    a, b = torch.randn(m, k), torch.randn(k, n)
    for _ in range(2):
        torch.mm(a, b)
    t = time.perf_counter()
    for _ in range(repeats):
        torch.mm(a, b)
    return 2.0 * m * k * n * repeats / (time.perf_counter() - t) / 1e9


peak = gflops(2048, 2048, 2048, 8)
print(f"torch {torch.__version__}, {threads} threads: mm 2048²: {peak:.1f} GFLOP/s; "
      f"decoding step's output-layer shape ({rows} × {width} · {width} × {vocab}): {gflops(rows, width, vocab, 50):.1f} GFLOP/s")
