#!/usr/bin/env bash
# The performance benchmark, one entry point. In one run on this machine it measures Seq2Seq.NET and the PyTorch
# reference (../shared/bench/pytorch_reference.py) on the same data (bible-es-en), model size, batch size and threads,
# and appends to bench/RESULTS.md:
#   - training target tokens/s (median of the logged windows after the first), greedy and beam-5 test sentences/s,
#     peak RSS, dev perplexity and test BLEU, and the ours/reference ratio of each (bench/compare-reference.sh);
#   - the limit: model FLOPs per target token counted from the architecture, libtorch's measured mm GFLOP/s on the
#     same threads, and the fraction of it training reaches, with the time per part of a step (s2s profile);
#   - `s2s translate` start-up time on one sentence (wall clock, libtorch load included);
#   - scaling curves: tokens/s vs batch size and vs sentence length, decoding sentences/s vs beam size
#     (PNGs and scaling.json in bench/scaling/);
#   - the decoding backends: TorchSharp, ONNX Runtime fp32 and int8 against the reference (bench/onnx-decode.sh).
#
# usage: bench/run.sh [STEPS]          (default 100 training steps per toolkit; ≈ 30 minutes in all)
#   MODEL=RUN_DIR   a trained run for the beam-size curve (default: the STEPS-step model trained here)
#   OUT=DIR         scratch folder (default /tmp/s2s-bench-DATE)
# Needs Debian's python3-torch for the reference side (apt-get install python3-torch libopenblas0-openmp; it is run
# with /usr/bin/python3); without it only our side is measured. Run it on an otherwise idle machine: two-thread runs
# slow down several times when other work shares the cores (the load average is recorded).
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-100}
out=${OUT:-/tmp/s2s-bench-$(date +%Y%m%d-%H%M%S)}
data=${SHARED_DATA:-../shared/data}
dataset=$data/bible-es-en
threads=2
[ -f "$dataset/train.tsv" ] || { echo "bench/run.sh: $dataset/train.tsv not found (set SHARED_DATA; see ../shared/data/README.md)" >&2; exit 2; }
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "note: python3-torch is missing, so only Seq2Seq.NET is measured. To measure the reference too:" >&2
  echo "      apt-get install python3-torch libopenblas0-openmp   (then it runs with /usr/bin/python3)" >&2
fi
load=$(cut -d' ' -f1 /proc/loadavg)
awk -v l="$load" 'BEGIN { exit !(l > 0.5) }' && echo "warning: load average $load; timings will be low and noisy" >&2
mkdir -p "$out"

# 1. Both toolkits, same steps/batch/model/threads: training, decoding, memory (appends its own section).
bench/compare-reference.sh bible "$steps" "$out"
s2s="dotnet src/Seq2Seq.Cli/bin/Release/net10.0/s2s.dll"
sets=(--set data.train="$dataset/train.tsv" --set data.dev="$dataset/dev.tsv" --set data.test="$dataset/test.tsv" --set training.threads=$threads)

# 2. The limit: FLOPs per token, mm peak, time per part of a step.
echo "== profile" >&2
$s2s profile configs/bible-es-en.yaml --steps 5 "${sets[@]}" > "$out/profile.txt"
# The same two matmul figures from the reference's PyTorch and BLAS (bible-es-en: hidden 512, target vocabulary 8,866).
/usr/bin/python3 bench/blas_shapes.py $threads 64 512 8866 >> "$out/profile.txt" 2>/dev/null || true

# 3. Start-up: one sentence through `s2s translate`, end to end.
echo "== start-up" >&2
for i in 1 2 3; do
  /usr/bin/time -f "%e %M" -a -o "$out/startup.time" sh -c \
    "echo 'En el principio creó Dios los cielos y la tierra.' | $s2s translate --model '$out/ours' --threads $threads > /dev/null"
done

# 4. Scaling curves (decoding on the first 300 test verses).
echo "== scaling" >&2
head -n 300 "$out/test.src" > "$out/scaling.src"
$s2s profile configs/bible-es-en.yaml --steps 3 "${sets[@]}" --scaling bench/scaling --model "${MODEL:-$out/ours}" \
  --input "$out/scaling.src" > "$out/scaling.md"

/usr/bin/python3 bench/run_report.py "$out" "${MODEL:-$out/ours}" >> bench/RESULTS.md

# 5. Decoding backends (issue 21): the same trained model through TorchSharp, ONNX fp32 and ONNX int8, beside the
# reference's model of step 1 (saved by compare-reference.sh), greedy and beam 5 (appends its own section).
echo "== decoding backends" >&2
ref_model=()
[ -f "$out/ref.pt" ] && ref_model=("$out/ref.pt")
OUT="$out/backends" S2S="$s2s" bench/onnx-decode.sh bible "$out/ours" "$dataset/test.tsv" 1 2 "${ref_model[@]}"
tail -n 40 bench/RESULTS.md
