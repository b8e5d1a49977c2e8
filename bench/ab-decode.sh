#!/usr/bin/env bash
# Decoding time of two s2s builds on the same model and input, in alternating runs (so both see the same machine
# noise); prints each run and the medians, and checks the outputs are identical. Used for code changes to decoding.
# usage: bench/ab-decode.sh OLD_S2S_DLL NEW_S2S_DLL RUN_DIR INPUT [BEAM] [RUNS] [THREADS]   (defaults: 1, 3, 2)
set -euo pipefail
old=$1 new=$2 model=$3 input=$4 beam=${5:-1} runs=${6:-3} threads=${7:-2}
out=$(mktemp -d)
for r in $(seq "$runs"); do
  for v in old new; do
    dll=$([ $v = old ] && echo "$old" || echo "$new")
    s=$(dotnet "$dll" translate --model "$model" --beam "$beam" --input "$input" --output "$out/$v.hyp" --threads "$threads" --timing 2>&1 \
        | tail -n 1 | grep -o 'decoded in [0-9.]*' | cut -d' ' -f3)
    echo "$v $s" | tee -a "$out/times"
  done
done
cmp -s "$out/old.hyp" "$out/new.hyp" && echo "outputs identical" || echo "OUTPUTS DIFFER"
for v in old new; do
  echo "$v median: $(grep "^$v " "$out/times" | cut -d' ' -f2 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') s"
done
rm -rf "$out"
