#!/usr/bin/env bash
# Quality per CPU-hour (issue 22): trains a shipped config exactly as its header comment starts it (no overrides but
# run_dir), then appends to bench/RESULTS.md the curve of dev quality over training minutes (each validation: minutes,
# update, dev perplexity, greedy dev BLEU/chrF or WER/PER), the test result of the best checkpoint (beam search, as the
# config decodes), and the machine's load average before and after, since a shared machine makes every minute slower.
#
# usage: bench/quality-curve.sh CONFIG [RUN_DIR]        e.g. bench/quality-curve.sh configs/bible-es-en-transformer.yaml
#   S2S="dotnet /path/s2s.dll"   a prebuilt s2s (default: build src/Seq2Seq.Cli and use that)
#   REPORT_ONLY=1                only append the report of an existing RUN_DIR (e.g. a run made by hand with the same command)
# An interrupted run resumes from its last checkpoint when the script is started again (the minutes carry on).
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:?config file}
run=${2:-runs/quality-$(basename "$config" .yaml)}
if [ -z "${S2S:-}" ]; then
  dotnet build src/Seq2Seq.Cli -c Release -v q -nologo >/dev/null
  S2S="dotnet src/Seq2Seq.Cli/bin/Release/net10.0/s2s.dll"
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
if [ -z "${REPORT_ONLY:-}" ] && [ ! -f "$run/results.json" ]; then
  resume=(); compgen -G "$run/checkpoints/step-*" > /dev/null && resume=(--resume)
  $S2S train "$config" --set run_dir="$run" "${resume[@]}"
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
python3 bench/quality_curve_report.py "$config" "$run" "$started" "$load_before" "$load_after" >> bench/RESULTS.md
tail -n 40 bench/RESULTS.md
