#!/usr/bin/env bash
# Beam search's stopping rule, before and after (issue 19): two s2s builds translate the same input with the same
# model and beam, in alternating runs (so both see the same machine noise); each output is scored with `s2s evaluate`
# (BLEU and chrF against the references) and the decoding times' medians are printed with the mean output length and
# the decoder work (rows × steps, which depends only on the outputs, not on the machine's load).
# usage: bench/beam-stop.sh OLD_S2S_DLL NEW_S2S_DLL RUN_DIR SOURCES REFERENCES [BEAM] [RUNS] [THREADS]   (defaults: 5, 2, 1)
set -euo pipefail
old=$1 new=$2 model=$3 input=$4 refs=$5 beam=${6:-5} runs=${7:-2} threads=${8:-1}
out=$(mktemp -d)
for r in $(seq "$runs"); do
  for v in old new; do
    dll=$([ $v = old ] && echo "$old" || echo "$new")
    dotnet "$dll" translate --model "$model" --beam "$beam" --input "$input" --output "$out/$v.hyp" --threads "$threads" --timing 2> "$out/$v.err"
    s=$(tail -n 1 "$out/$v.err" | grep -o 'decoded in [0-9.]*' | cut -d' ' -f3)
    work=$(grep -o 'decoder rows × steps: [0-9,]*' "$out/$v.err" | cut -d' ' -f5)
    echo "$v run $r: $s s; decoder rows × steps $work" | tee -a "$out/times"
  done
done
for v in old new; do
  median=$(grep "^$v " "$out/times" | awk '{print $4}' | tr -d 's;' | sort -n | awk '{a[NR]=$1} END {print NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
  words=$(awk '{n += NF} END {printf "%.2f", n / NR}' "$out/$v.hyp")
  echo "$v: median $median s over $runs runs; mean output length $words words"
  dotnet "$new" evaluate --hyp "$out/$v.hyp" --ref "$refs" --metrics bleu,chrf
done
echo "sentences whose output changed: $(paste "$out/old.hyp" "$out/new.hyp" | awk -F'\t' '$1 != $2' | wc -l) of $(wc -l < "$out/new.hyp")"
rm -rf "$out"
