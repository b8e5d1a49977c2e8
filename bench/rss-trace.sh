#!/usr/bin/env bash
# Resident memory of a command over time: samples VmRSS every 0.5 s into a file (seconds since start, KB), then prints
# the peak and when it happened. Used to find which phase of `s2s train` sets the peak (docs/performance.md, "Memory").
# usage: bench/rss-trace.sh OUT_FILE COMMAND [ARGS ...]
#   e.g. bench/rss-trace.sh /tmp/rss.txt dotnet src/Seq2Seq.Cli/bin/Release/net10.0/s2s.dll train configs/bible-es-en.yaml \
#          --set run_dir=/tmp/rss-run --set training.max_steps=30 --set training.max_minutes=0 --set training.threads=1
# The command's own log timestamps place the phases (steps, validation, test decode) on the trace.
set -uo pipefail
out=${1:?output file}; shift
: > "$out"
"$@" & pid=$!
start=$(date +%s.%N)
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null)
  echo "$(echo "$(date +%s.%N) - $start" | bc) ${rss:-0}" >> "$out"
  sleep 0.5
done
wait "$pid"; rc=$?
awk '$2 > peak { peak = $2; at = $1 } END { printf "peak RSS %d MB at %.0f s\n", peak / 1024, at }' "$out" >&2
exit $rc
