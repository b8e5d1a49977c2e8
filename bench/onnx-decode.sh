#!/usr/bin/env bash
# Decoding speed of one trained model through every backend (issue 21), in one run on this machine: the TorchSharp
# path, ONNX Runtime fp32 and ONNX Runtime int8 (the model exported by `s2s export --format onnx`), greedy and beam 5,
# and, when a saved PyTorch reference model is given, ../shared/bench/pytorch_reference.py decoding the same test set.
# Appends to bench/RESULTS.md per variant: sentences/s, output tokens/s and decoder rows/s (medians of RUNS timed
# passes, the variants alternating within each pass so that they share the machine's noise), the ratio of each to
# the reference, test BLEU/chrF (or WER/PER), `translate` of one sentence end to end, and peak RSS.
#
# usage: bench/onnx-decode.sh NAME RUN_DIR TEST_TSV SRC_COL REF_COL [REFERENCE_MODEL.pt]
#   e.g. bench/onnx-decode.sh bible runs/bible ../shared/data/bible-es-en/test.tsv 1 2 /tmp/ref.pt
#   METRIC=bleu|wer (default bleu)  RUNS=3  THREADS=2  OUT=scratch folder
#   REF_ARGS="--src-col 1 --tgt-col 2"   the reference's data arguments (g2p: "--src-char --metric wer")
#   S2S="dotnet path/s2s.dll"   a prebuilt s2s (default: build src/Seq2Seq.Cli)
# Beam search runs with decoding.beam_stop early, the reference's rule (a sentence ends when its most probable
# candidate ends), so that both sides do the same search; output tokens are counted by the reference's word rule
# (each punctuation or symbol character a token) on both sides. Run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1 run=$2 test=$3 scol=$4 rcol=$5 refmodel=${6:-}
metric=${METRIC:-bleu} runs=${RUNS:-3} threads=${THREADS:-2}
out=${OUT:-/tmp/s2s-onnx-decode-$name-$(date +%Y%m%d-%H%M%S)}
reference=${REFERENCE:-../shared/bench/pytorch_reference.py}
if [ -z "${S2S:-}" ]; then
  dotnet build src/Seq2Seq.Cli -c Release -v q -nologo >/dev/null
  S2S="dotnet src/Seq2Seq.Cli/bin/Release/net10.0/s2s.dll"
fi
mkdir -p "$out"
cut -d' ' -f1-3 /proc/loadavg > "$out/load.before"
cut -f$((scol + 1)) "$test" > "$out/test.src"
cut -f$((rcol + 1)) "$test" > "$out/test.ref"
sentence=$(head -n 1 "$out/test.src")

echo "== export" >&2
rm -rf "$out/onnx-fp32" "$out/onnx-int8"
$S2S export --model "$run" --format onnx --out "$out/onnx-fp32" >&2
$S2S export --model "$run" --format onnx --quantize int8 --out "$out/onnx-int8" >&2
model_of() { case $1 in torch) echo "$run" ;; *) echo "$out/$1" ;; esac; }
backend_of() { case $1 in torch) echo torch ;; *) echo onnx ;; esac; }

echo "== decoding, $runs passes" >&2
for pass in $(seq "$runs"); do
  for beam in 1 5; do
    for v in torch onnx-fp32 onnx-int8; do
      tag=$v.beam$beam
      /usr/bin/time -f "%e %M" -o "$out/$tag.$pass.time" $S2S translate --model "$(model_of $v)" --backend "$(backend_of $v)" \
        --beam $beam --beam-stop early --threads "$threads" --timing --input "$out/test.src" --output "$out/$tag.hyp" 2> "$out/$tag.$pass.err"
      echo "$tag pass $pass: $(tail -n 1 "$out/$tag.$pass.err")" >&2
    done
  done
done

echo "== one sentence, end to end" >&2
for pass in $(seq "$runs"); do
  for v in torch onnx-fp32 onnx-int8; do
    /usr/bin/time -f "%e %M" -o "$out/$v.one.$pass.time" sh -c \
      "echo \"\$1\" | $S2S translate --model '$(model_of $v)' --backend $(backend_of $v) --threads $threads > /dev/null" _ "$sentence"
  done
done

if [ "$metric" = wer ]; then
  for tag in torch.beam1 torch.beam5 onnx-fp32.beam1 onnx-fp32.beam5 onnx-int8.beam1 onnx-int8.beam5; do
    paste "$out/test.src" "$out/$tag.hyp" > "$out/$tag.tsv"
    $S2S evaluate --hyp "$out/$tag.tsv" --ref "$test" --metrics wer,per --json > "$out/$tag.score.json"
  done
else
  for tag in torch.beam1 torch.beam5 onnx-fp32.beam1 onnx-fp32.beam5 onnx-int8.beam1 onnx-int8.beam5; do
    $S2S evaluate --hyp "$out/$tag.hyp" --ref "$out/test.ref" --metrics bleu,chrf --json > "$out/$tag.score.json"
  done
fi

if [ -n "$refmodel" ] && /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "== PyTorch reference" >&2
  refargs=(--load "$refmodel" --test "$test" ${REF_ARGS:---src-col $scol --tgt-col $rcol} --threads "$threads" --beam-size 5)
  /usr/bin/time -f "%e %M" -o "$out/ref.time" /usr/bin/python3 "$reference" "${refargs[@]}" --decode-repeats "$runs" \
    --out-dir "$out/ref" > "$out/ref.json" 2> "$out/ref.log"
  /usr/bin/python3 bench/reference_rows.py "$reference" "${refargs[@]}" > "$out/ref.rows.json" 2>> "$out/ref.log"
fi
cut -d' ' -f1-3 /proc/loadavg > "$out/load.after"
/usr/bin/python3 bench/onnx_decode_report.py "$name" "$run" "$out" "$metric" >> bench/RESULTS.md
tail -n 30 bench/RESULTS.md
