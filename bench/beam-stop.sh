#!/usr/bin/env bash
# Beam search's two stopping rules side by side (issue 19): `decoding.beam_stop` exact (a sentence ends when no live
# hypothesis can still enter its n-best under the length penalty) and early (it ends when its most probable candidate
# ends, OpenNMT-py's rule). One s2s build translates the same input with the same model and beam under each rule, in
# alternating runs (so both see the same machine noise); each output is scored with `s2s evaluate` (BLEU and chrF
# against the references) and the decoding times' medians are printed with the mean output length and the decoder
# work (rows × steps, which depends only on the search, not on the machine's load).
# usage: bench/beam-stop.sh S2S_DLL RUN_DIR SOURCES REFERENCES [BEAM] [RUNS] [THREADS] [CHECKPOINT]   (defaults: 5, 2, 1, best)
set -euo pipefail
dll=$1 model=$2 input=$3 refs=$4 beam=${5:-5} runs=${6:-2} threads=${7:-1} checkpoint=${8:-}
out=$(mktemp -d)
ckpt=(); [ -n "$checkpoint" ] && ckpt=(--checkpoint "$checkpoint")
for r in $(seq "$runs"); do
  for v in early exact; do
    dotnet "$dll" translate --model "$model" "${ckpt[@]}" --beam "$beam" --beam-stop $v --input "$input" --output "$out/$v.hyp" \
      --threads "$threads" --timing 2> "$out/$v.err"
    s=$(tail -n 1 "$out/$v.err" | grep -o 'decoded in [0-9.]*' | cut -d' ' -f3)
    work=$(grep -o 'decoder rows × steps: [0-9,]*' "$out/$v.err" | cut -d' ' -f5)
    echo "$v run $r: $s s; decoder rows × steps $work" | tee -a "$out/times"
  done
done
for v in early exact; do
  median=$(grep "^$v " "$out/times" | awk '{print $4}' | tr -d 's;' | sort -n | awk '{a[NR]=$1} END {print NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
  words=$(awk '{n += NF} END {printf "%.2f", n / NR}' "$out/$v.hyp")
  echo "$v: median $median s over $runs runs; mean output length $words words"
  dotnet "$dll" evaluate --hyp "$out/$v.hyp" --ref "$refs" --metrics bleu,chrf
done
echo "sentences whose output differs: $(paste "$out/early.hyp" "$out/exact.hyp" | awk -F'\t' '$1 != $2' | wc -l) of $(wc -l < "$out/exact.hyp")"
rm -rf "$out"
