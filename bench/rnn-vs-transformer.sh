#!/usr/bin/env bash
# RNN+attention vs Transformer on the same task and the same wall-clock budget (issue 5's results). For each task it
# trains configs/<rnn config> and configs/<transformer config> side by side, one libtorch thread each by default, so
# both see the same machine; each run decodes its test set with beam 5 at the end (results.json, test.hyp). Then it
# appends to bench/RESULTS.md: test BLEU/chrF (sacreBLEU's 13a, detokenised output), updates, tokens/s, parameters,
# and ten test sentences with source, reference and both outputs.
#
# usage: bench/rnn-vs-transformer.sh [TASK ...]     TASK: po-zh-en | bible-es-en (default: both, in that order)
#   MINUTES=N    training budget per run, validation included (default 40)
#   THREADS=N    libtorch threads per run (default 1: two runs side by side on a 2-core machine)
#   ROOT=DIR     where the runs go (default runs/rnn-vs-transformer)
#   S2S="dotnet /path/s2s.dll"   a prebuilt s2s (default: build src/Seq2Seq.Cli and use that)
# A finished run is skipped and an interrupted one resumes from its last checkpoint, so it can be started again. A run
# that stopped at a smaller MINUTES budget is continued up to the new one (its log and updates carry on), so a later,
# longer session can grow the same runs: MINUTES=120 after MINUTES=40 adds 80 minutes to each.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${MINUTES:-40}; threads=${THREADS:-1}
root=${ROOT:-runs/rnn-vs-transformer}
data=${SHARED_DATA:-../shared/data}
if [ -z "${S2S:-}" ]; then
  dotnet build src/Seq2Seq.Cli -c Release -v q -nologo >/dev/null
  S2S="dotnet src/Seq2Seq.Cli/bin/Release/net10.0/s2s.dll"
fi
tasks=("$@"); [ ${#tasks[@]} -eq 0 ] && tasks=(po-zh-en bible-es-en)
mkdir -p "$root"

train() { # CONFIG RUN_DIR DATASET
  local args=(--set run_dir="$2" --set training.max_minutes="$minutes" --set training.threads="$threads"
              --set data.train="$3/train.tsv" --set data.dev="$3/dev.tsv" --set data.test="$3/test.tsv")
  if [ -f "$2/results.json" ]; then
    # Done at this budget, or at a larger one: skip. Done at a smaller max_minutes budget: continue it.
    local before
    before=$(grep -o '"stop_reason":"max_minutes [0-9.]* reached"' "$2/train_log.jsonl" | tail -n 1 | grep -o '[0-9.][0-9.]*' || true)
    if [ -z "$before" ] || awk -v a="$minutes" -v b="$before" 'BEGIN { exit !(a <= b) }'; then
      echo "skip $2 (done)" >&2; return
    fi
    echo "continuing $2 from $before to $minutes minutes" >&2
  fi
  if compgen -G "$2/checkpoints/step-*" > /dev/null; then args+=(--resume); else rm -rf "${2:?}"; fi
  $S2S train "$1" "${args[@]}" > "$2.log" 2>&1
}

for task in "${tasks[@]}"; do
  case $task in
    po-zh-en) rnn=configs/po-zh-en-rnn.yaml; transformer=configs/po-zh-en-transformer.yaml ;;
    bible-es-en) rnn=configs/bible-es-en.yaml; transformer=configs/bible-es-en-transformer.yaml ;;
    *) echo "bench/rnn-vs-transformer.sh: unknown task '$task' (po-zh-en | bible-es-en)" >&2; exit 2 ;;
  esac
  dataset=$data/$task
  [ -f "$dataset/train.tsv" ] || { echo "bench/rnn-vs-transformer.sh: $dataset/train.tsv not found (set SHARED_DATA)" >&2; exit 2; }
  echo "== $task: $minutes min per run, $threads thread(s) each, side by side ($(date -u +%H:%M) UTC)" >&2
  train "$rnn" "$root/$task-rnn" "$dataset" & pid_rnn=$!
  train "$transformer" "$root/$task-transformer" "$dataset" & pid_tf=$!
  wait $pid_rnn || { echo "the RNN run failed; see $root/$task-rnn.log" >&2; exit 1; }
  wait $pid_tf || { echo "the Transformer run failed; see $root/$task-transformer.log" >&2; exit 1; }
done

/usr/bin/python3 bench/systems_report.py "$minutes" "$threads" "$root" "${tasks[@]}" >> bench/RESULTS.md
echo "appended to bench/RESULTS.md" >&2
