#!/usr/bin/env bash
# Load test of `s2s serve` against offline `s2s translate` on the same inputs and model, appended to bench/RESULTS.md:
# CLIENTS concurrent clients (default 32) send one sentence per request over loopback; reports requests/s,
# sentences/s, p50/p95/p99 latency, errors (must be 0) and the ratio to offline translation.
#
# usage: [SERVE_ARGS="--batch-wait-ms 10"] bench/serve-load.sh RUN_DIR INPUT.txt [CLIENTS] [BEAM]
#   e.g. bench/serve-load.sh runs/quickstart <(cut -f1 data/cmudict-g2p/test.tsv) 32 5
# Run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
run=${1:?run directory}; input=${2:?input file, one sentence per line}; clients=${3:-32}; beam=${4:-5}
threads=${THREADS:-2}   # libtorch threads of both the offline run and the server
out=$(mktemp -d); trap 'kill $server 2>/dev/null || true; rm -rf "$out"' EXIT
cp "$input" "$out/input.txt"
dotnet build src/Seq2Seq.Cli -c Release -v q -nologo >/dev/null
s2s="dotnet src/Seq2Seq.Cli/bin/Release/net10.0/s2s.dll"

# Offline: the same lines through `s2s translate`; its start-up (one empty line) is measured and subtracted.
echo "" > "$out/empty.txt"
t0=$(date +%s.%N); $s2s translate --model "$run" --beam "$beam" --threads "$threads" --input "$out/empty.txt" --output /dev/null; t1=$(date +%s.%N)
$s2s translate --model "$run" --beam "$beam" --threads "$threads" --input "$out/input.txt" --output "$out/offline.txt"; t2=$(date +%s.%N)
offline_s=$(python3 -c "print(max(0.001, ($t2 - $t1) - ($t1 - $t0)))")

port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
$s2s serve --model "$run" --urls "http://127.0.0.1:$port" --threads "$threads" ${SERVE_ARGS:-} 2> "$out/serve.log" & server=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/v1/health" >/dev/null 2>&1 && break; sleep 0.5
done
machine="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $threads libtorch threads; $(uname -sr)"
INPUT_NAME="$input" SERVE_ARGS="${SERVE_ARGS:-}" python3 bench/serve_load.py "http://127.0.0.1:$port" "$out/input.txt" "$out/offline.txt" "$clients" "$beam" "$offline_s" "$machine" \
  | tee -a bench/RESULTS.md
