#!/usr/bin/env bash
# Trains the same model with Seq2Seq.NET and with the PyTorch reference (../shared/bench/pytorch_reference.py) on one
# dataset, for the same number of steps, batch size, model size and threads, one after the other on this machine,
# and appends a comparison (dev perplexity, test quality, training tokens/s, wall time, decoding speed, peak RSS)
# to bench/RESULTS.md.
#
# usage: bench/compare-reference.sh bible|g2p STEPS [OUT_DIR]
#   bible: ../shared/data/bible-es-en, configs/bible-es-en.yaml (BLEU on the reference's tokenisation)
#   g2p:   ../shared/data/cmudict-g2p, configs/cmudict-g2p.yaml (WER/PER)
# Needs Debian's python3-torch (apt-get install python3-torch libopenblas0-openmp; run with /usr/bin/python3).
# Run it on an otherwise idle machine: 2-thread runs slow down several times when other work shares the cores.
set -euo pipefail
cd "$(dirname "$0")/.."
task=${1:?bible or g2p}; steps=${2:?steps}; out=${3:-/tmp/s2s-compare-$task-$steps}
data=${SHARED_DATA:-../shared/data}; ref=${REFERENCE:-../shared/bench/pytorch_reference.py}
threads=2
case "$task" in
  bible) config=configs/bible-es-en.yaml; dataset=$data/bible-es-en; refargs="--src-col 1 --tgt-col 2" ;;
  g2p)   config=configs/cmudict-g2p.yaml; dataset=$data/cmudict-g2p; refargs="--src-char --metric wer" ;;
  *) echo "unknown task $task"; exit 2 ;;
esac
mkdir -p "$out"
cut -d" " -f1 /proc/loadavg > "$out/loadavg"
dotnet build src/Seq2Seq.Cli -c Release -v q -nologo >/dev/null
s2s="dotnet src/Seq2Seq.Cli/bin/Release/net10.0/s2s.dll"

echo "== Seq2Seq.NET: $task, $steps steps" >&2
rm -rf "$out/ours"
/usr/bin/time -f "%M" -o "$out/ours.rss" $s2s train "$config" --set run_dir="$out/ours" --set training.max_steps="$steps" \
  --set training.max_minutes=0 --set training.threads=$threads --set data.train="$dataset/train.tsv" \
  --set data.dev="$dataset/dev.tsv" --set data.test="$dataset/test.tsv" 2> "$out/ours.log"
# Greedy decoding speed of the same model on the same test set.
cut -f$([ "$task" = bible ] && echo 2 || echo 1) "$dataset/test.tsv" > "$out/test.src"
# --timing prints the decoding time (start-up excluded, as in the reference's figure) and the start-up time.
$s2s translate --model "$out/ours" --beam 1 --input "$out/test.src" --output "$out/ours.greedy" --threads $threads --timing 2> "$out/ours.greedy.timing"

echo "== PyTorch reference: $task, $steps steps" >&2
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "python3-torch is missing: apt-get install python3-torch libopenblas0-openmp (then run with /usr/bin/python3)" >&2
else
  /usr/bin/python3 "$ref" --data-dir "$dataset" $refargs --threads $threads --max-steps "$steps" --decode-repeats 1 \
    --out-dir "$out/ref" --save "$out/ref.pt" > "$out/ref.json" 2> "$out/ref.log"
fi

/usr/bin/python3 bench/compare_report.py "$task" "$steps" "$out" >> bench/RESULTS.md
tail -n 20 bench/RESULTS.md
