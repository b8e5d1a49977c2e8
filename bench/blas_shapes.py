#!/usr/bin/env python3
"""The reference side of `s2s profile`'s two matmul lines: PyTorch `mm` GFLOP/s for 2048² and for one decoding step's
output layer, on the same threads. With /usr/bin/python3 this is Debian's torch on OpenBLAS; libtorch (ours) uses
its bundled BLAS, so a difference here is a library difference, not ours or the reference's code.

Both layouts of the output-layer product are timed: nn.Linear's x · Wᵀ, and (W · xᵀ)ᵀ, which our FewRowLinear uses.
usage: /usr/bin/python3 bench/blas_shapes.py [THREADS] [ROWS] [WIDTH] [VOCAB]     (defaults 2 64 512 8866: bible-es-en)"""
import sys, time
import torch

threads, rows, width, vocab = (int(x) for x in (sys.argv[1:] + ["2", "64", "512", "8866"][len(sys.argv) - 1:])[:4])
torch.set_num_threads(threads)


def gflops(product, flops, repeats):
    for _ in range(3):
        product()
    t = time.perf_counter()
    for _ in range(repeats):
        product()
    return flops * repeats / (time.perf_counter() - t) / 1e9


a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
x, w = torch.randn(rows, width), torch.randn(vocab, width)
step = 2.0 * rows * width * vocab
print(f"torch {torch.__version__}, {threads} threads: mm 2048²: {gflops(lambda: torch.mm(a, b), 2.0 * 2048 ** 3, 8):.1f} GFLOP/s; "
      f"decoding step's output-layer shape ({rows} × {width} · {width} × {vocab}): "
      f"linear(x, W) {gflops(lambda: torch.nn.functional.linear(x, w), step, 50):.1f} GFLOP/s, "
      f"(W · xᵀ)ᵀ {gflops(lambda: torch.mm(w, x.t()).t(), step, 50):.1f} GFLOP/s")
