#!/usr/bin/env bash
# Flood test of `s2s serve` on loopback (bench/serve_flood.py, Python standard library only): SECONDS (default 300) of
# CLIENTS (256) concurrent clients mixing valid small requests, maximal legal requests, fuzzed bodies, slow bodies
# (slowloris) and clients that disconnect mid-request, then fuzzing until FUZZ (10,000) bodies were sent. Checks that
# no answer is >= 500 other than the designed 503/504, that every error is JSON, that valid answers equal offline
# `s2s translate`, the server's peak RSS, and that it is healthy afterwards. Appends a dated section to bench/RESULTS.md.
# It starts its own server on a free loopback port and stops it (and itself) when done.
#
# usage: [SERVE_ARGS="..."] bench/serve-flood.sh RUN_DIR [SECONDS] [CLIENTS] [FUZZ]
#   e.g. bench/serve-flood.sh runs/quickstart        (train it first: dotnet run --project src/Seq2Seq.Cli -c Release -- quickstart)
set -euo pipefail
cd "$(dirname "$0")/.."
run=${1:?run directory}; seconds=${2:-300}; clients=${3:-256}; fuzz=${4:-10000}
threads=${THREADS:-2}
out=$(mktemp -d); server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$out"' EXIT
dotnet build src/Seq2Seq.Cli -c Release -v q -nologo >/dev/null
s2s="dotnet src/Seq2Seq.Cli/bin/Release/net10.0/s2s.dll"

# The valid requests' words and their offline translations (the model's default beam, as the requests use).
cut -f1 data/cmudict-g2p/test.tsv | sort -u > "$out/words.txt"
beam=$(sed -n 's/^ *beam_size: *//p' "$run/config.yaml" | head -1)
$s2s translate --model "$run" --beam "${beam:-5}" --threads "$threads" --input "$out/words.txt" --output "$out/offline.txt"

port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
$s2s serve --model "$run" --urls "http://127.0.0.1:$port" --threads "$threads" ${SERVE_ARGS:-} 2> "$out/serve.log" & server=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/v1/health" >/dev/null 2>&1 && break; sleep 0.5; done
max_beam=$(sed -n 's/.*--max-beam \([0-9]*\).*/\1/p' <<< "${SERVE_ARGS:-}"); max_beam=${max_beam:-16}
timeout $((3 * seconds + 300)) python3 bench/serve_flood.py 127.0.0.1 "$port" "$out/words.txt" "$out/offline.txt" "$server" \
  "$seconds" "$clients" "$fuzz" "$max_beam" > "$out/summary.json"
kill -TERM "$server"; wait "$server" || true; server=""
[ -n "${SERVE_LOG:-}" ] && cp "$out/serve.log" "$SERVE_LOG"
errors=$(grep -c 'level=error' "$out/serve.log" || true)
cat "$out/summary.json"
echo "server log: $(wc -l < "$out/serve.log") lines, $errors level=error"; grep 'level=error' "$out/serve.log" | head -5 || true

machine="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $threads libtorch threads; $(uname -sr)"
{
  echo; echo "## Serve flood test, $(date -u +%F) ($machine)"; echo
  echo "\`bench/serve-flood.sh $run $seconds $clients $fuzz\`${SERVE_ARGS:+ with SERVE_ARGS=\"$SERVE_ARGS\"}; server log: $errors level=error lines."
  echo; echo '```json'; cat "$out/summary.json"; echo '```'
} >> bench/RESULTS.md
