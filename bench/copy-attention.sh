#!/usr/bin/env bash
# Copy attention's demo (issue 22, lever 5): punctuation restoration of English Bible verses (bench/copy_task.py makes
# the task from ../shared/data/bible-es-en). Trains configs/copy-punctuation.yaml twice, with model.copy_attention
# false and true and nothing else changed (same seed, same batches, same number of updates: the machine is shared,
# so minutes would not be an equal budget), then scores the test output of both and the input copied unchanged with
# `s2s evaluate` (sacreBLEU 13a BLEU and chrF against the original verses).
# usage: bench/copy-attention.sh [UPDATES] [S2S_DLL]   (defaults: 500, the Release build)
set -euo pipefail
steps=${1:-500}
s2s=${2:-src/Seq2Seq.Cli/bin/Release/net10.0/s2s.dll}
data=runs/copy-task
python3 bench/copy_task.py ../shared/data/bible-es-en "$data"
echo "== the input copied unchanged"
dotnet "$s2s" evaluate --hyp "$data/test.src" --ref "$data/test.ref" --metrics bleu,chrf
for copy in false true; do
  run=runs/copy-punctuation-$copy-$steps
  rm -rf "$run"
  mkdir -p "$run"
  echo "== model.copy_attention: $copy ($steps updates)"
  nice -n 10 dotnet "$s2s" train configs/copy-punctuation.yaml --set model.copy_attention=$copy \
    --set training.max_steps="$steps" --set run_dir="$run" > "$run/train.out" 2>&1
  grep -E "model:|validation at|test" "$run/train.out" || true
  dotnet "$s2s" evaluate --hyp "$run/test.hyp" --ref "$data/test.ref" --metrics bleu,chrf
done
