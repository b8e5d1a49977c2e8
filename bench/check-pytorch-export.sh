#!/usr/bin/env bash
# Checks `s2s export` against PyTorch: for each model variant the PyTorch module in interop/python/ can express, trains
# one step on the bundled G2P sample (weights only need to be non-trivial), exports, and has
# interop/python/check_export.py compare log P(y|x) on the export's check pairs (max |difference| <= 1e-4).
#
# usage: bench/check-pytorch-export.sh          (needs Debian's python3-torch: apt-get install python3-torch)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "python3-torch is missing: apt-get install python3-torch libopenblas0-openmp (then run with /usr/bin/python3)" >&2
  exit 2
fi
dotnet build src/Seq2Seq.Cli -c Release -v q -nologo >/dev/null
s2s="dotnet src/Seq2Seq.Cli/bin/Release/net10.0/s2s.dll"
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
base=(--set training.max_steps=1 --set training.max_minutes=0 --set data.dev= --set data.test= --set training.threads=2
      --set data.train=data/cmudict-g2p/train.tsv --set model.embedding_size=32 --set model.encoder.hidden_size=48
      --set model.decoder.hidden_size=32 --set training.tensorboard=false)
declare -A variants=(
  [lstm-general]=""
  [gru-dot]="--set model.encoder.type=gru --set model.decoder.type=gru --set model.decoder.attention=dot --set model.decoder.hidden_size=48"
  [lstm-concat-2layers]="--set model.decoder.attention=concat --set model.encoder.layers=2 --set model.decoder.layers=2"
  [lstm-additive]="--set model.decoder.attention=additive"
  [gru-none-unidirectional]="--set model.decoder.type=gru --set model.decoder.attention=none --set model.encoder.bidirectional=false"
  [no-feeding-no-bridge-tied]="--set model.decoder.input_feeding=false --set model.decoder.bridge=false --set model.tie_target_embeddings=true --set model.embedding_size=32"
)
failed=0
for name in "${!variants[@]}"; do
  # shellcheck disable=SC2086
  $s2s train configs/cmudict-g2p.yaml "${base[@]}" ${variants[$name]} --set run_dir="$out/$name" > "$out/$name.log" 2>&1
  $s2s export --model "$out/$name" --output "$out/$name.export" > /dev/null
  if result=$(/usr/bin/python3 interop/python/check_export.py "$out/$name.export"); then
    echo "ok      $name: $result"
  else
    echo "FAILED  $name: $result"; failed=1
  fi
done
exit $failed
