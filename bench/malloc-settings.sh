#!/usr/bin/env bash
# Peak RSS and speed of Bible training under glibc malloc settings (docs/performance.md, "Memory"): STEPS updates of
# configs/bible-es-en.yaml (batch 4,096 target tokens, 2 threads, no dev/test), once per setting, one after the other.
# usage: bench/malloc-settings.sh [STEPS]    (default 30; ≈ 3–4 min per setting on a 2-core machine; run it idle)
#   S2S="dotnet /path/s2s.dll"   a prebuilt s2s (default: the Release build in src/Seq2Seq.Cli/bin)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-30}
s2s=${S2S:-dotnet src/Seq2Seq.Cli/bin/Release/net10.0/s2s.dll}
data=${SHARED_DATA:-../shared/data}/bible-es-en
out=$(mktemp -d)
echo "| setting | peak RSS (MB) | median tokens/s | wall (s) |"
echo "|---|---|---|---|"
for setting in "default" "MALLOC_ARENA_MAX=2" "MALLOC_MMAP_THRESHOLD_=131072" "MALLOC_MMAP_THRESHOLD_=4194304"; do
  env=(); [ "$setting" != default ] && env=("$setting")
  env "${env[@]}" /usr/bin/time -f "%e %M" -o "$out/time" $s2s train configs/bible-es-en.yaml \
    --set run_dir="$out/run" --set training.max_steps="$steps" --set training.max_minutes=0 --set training.threads=2 \
    --set data.train="$data/train.tsv" --set data.dev="" --set data.test="" --set training.validate_every=100000 \
    --set training.log_every=5 > "$out/log" 2>&1
  read -r wall rss < "$out/time"
  rate=$(grep -o '[0-9,]* tok/s' "$out/log" | tail -n +2 | tr -d ', tok/s' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "| $setting | $((rss / 1024)) | $rate | $wall |"
  rm -rf "$out/run"
done
rm -rf "$out"
