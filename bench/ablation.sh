#!/usr/bin/env bash
# Trains every configs/ablation/*.yaml variant with the same budget and writes docs/ablation.md:
# test scores, parameters and training speed per variant, plus attention heatmaps of one sentence from two variants.
#
# usage: bench/ablation.sh [bible|g2p] [MINUTES]      (defaults: bible, the configs' 60 minutes)
#   STEPS=N          budget in updates instead of minutes (results then do not depend on how busy the machine is)
#   THREADS=N        libtorch threads per run (default: the configs' 2)
#   ABLATION_SET="key=value ..."   extra overrides for every variant (e.g. a smaller model for a quick pass)
#   VARIANTS="a b"  only these configs/ablation names (e.g. to rerun one after deleting its run folder)
#   ROOT=DIR         where the runs go (default runs/ablation-<task>)
#   S2S="dotnet /path/s2s.dll"    a prebuilt s2s (default: build src/Seq2Seq.Cli and use that)
# Each variant runs alone; the whole set takes 10 × the budget plus decoding. Finished variants are skipped and an
# interrupted one resumes from its last checkpoint, so the script can simply be started again.
# Several copies of the script may share one set (e.g. two with THREADS=1 on two cores): each variant is claimed by one
# copy (a lock directory in ROOT holding its pid; a dead copy's claim is taken over), and the copy that finishes the
# last variant draws the heatmaps.
set -euo pipefail
cd "$(dirname "$0")/.."
task=${1:-bible}; minutes=${2:-}
data=${SHARED_DATA:-../shared/data}
if [ -z "${S2S:-}" ]; then
  dotnet build src/Seq2Seq.Cli -c Release -v q -nologo >/dev/null
  S2S="dotnet src/Seq2Seq.Cli/bin/Release/net10.0/s2s.dll"
fi
s2s=$S2S
root=${ROOT:-runs/ablation-$task}
mkdir -p "$root"
# Claims $1 for this copy of the script: true if no live copy holds it.
claim() {
  if mkdir "$1" 2>/dev/null; then echo $$ > "$1/pid"; return 0; fi
  local pid; pid=$(cat "$1/pid" 2>/dev/null || true)
  [ -z "$pid" ] && return 1                     # just created by another copy
  kill -0 "$pid" 2>/dev/null && return 1        # held by a live copy
  rm -rf "$1"; mkdir "$1" 2>/dev/null && echo $$ > "$1/pid"
}
for config in configs/ablation/*.yaml; do
  name=$(basename "$config" .yaml)
  [ -n "${VARIANTS:-}" ] && [[ " $VARIANTS " != *" $name "* ]] && continue
  [ -f "$root/$name/results.json" ] && { echo "skip $name (done)"; continue; }
  claim "$root/$name.claim" || { echo "skip $name (another copy runs it)"; continue; }
  args=(--set run_dir="$root/$name")
  # An interrupted variant continues from its last checkpoint (exact with a budget in updates).
  if compgen -G "$root/$name/checkpoints/step-*" > /dev/null; then args+=(--resume); else rm -rf "${root:?}/$name"; fi
  [ -n "$minutes" ] && args+=(--set training.max_minutes="$minutes")
  [ -n "${STEPS:-}" ] && args+=(--set training.max_steps="$STEPS" --set training.max_minutes=0)
  [ -n "${THREADS:-}" ] && args+=(--set training.threads="$THREADS")
  for kv in ${ABLATION_SET:-}; do args+=(--set "$kv"); done
  if [ "$task" = g2p ]; then
    args+=(--set data.train="$data/cmudict-g2p/train.tsv" --set data.dev="$data/cmudict-g2p/dev.tsv"
           --set data.test="$data/cmudict-g2p/test.tsv" --set data.source_column=0 --set data.target_column=1
           --set data.source_tokenizer=char --set data.target_tokenizer=space --set decoding.metric=wer)
  fi
  echo "== $name" >&2
  $s2s train "$config" "${args[@]}" 2>> "$root/$name.log"
  rm -rf "$root/$name.claim"
done
# The heatmaps need every variant's model: a copy that finishes while others still train leaves them to the last one.
unfinished=0
for config in configs/ablation/*.yaml; do
  [ -f "$root/$(basename "$config" .yaml)/results.json" ] || unfinished=$((unfinished + 1))
done
if [ "$unfinished" -gt 0 ]; then echo "$unfinished variant(s) still training elsewhere; their copy writes docs/ablation.md"; exit 0; fi
# The same test sentence through two variants, for the heatmaps.
src_col=$([ "$task" = g2p ] && echo 1 || echo 2)
test_file=$([ "$task" = g2p ] && echo "$data/cmudict-g2p/test.tsv" || echo "$data/bible-es-en/test.tsv")
sed -n 5p "$test_file" | cut -f"$src_col" > "$root/sample.src"
mkdir -p docs/ablation
for v in global-general local-p; do
  $s2s translate --model "$root/$v" --input "$root/sample.src" --output /dev/null --attention "$root/$v.attention" --beam 5
  cp "$root/$v.attention/00001.png" "docs/ablation/$task-$v.png"
done
# docs/ablation.md covers every task whose runs exist (the default roots, plus this run's).
specs=("$task=$root")
for other in bible g2p; do
  [ "$other" != "$task" ] && [ -d "runs/ablation-$other" ] && specs+=("$other=runs/ablation-$other")
done
/usr/bin/python3 bench/ablation_report.py "${specs[@]}" > docs/ablation.md.$$ && mv docs/ablation.md.$$ docs/ablation.md
echo "wrote docs/ablation.md"
