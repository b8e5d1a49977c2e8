#!/usr/bin/env bash
# Data-parallel scaling on one host: tokens/s of 1 process × T threads against R MPI ranks × T/R threads on the
# Bible model (configs/bible-es-en.yaml), with the all-reduce time per step from train_log.jsonl. The variants are
# run alternately, REPEATS times each, so that a changing background load touches both alike; loadavg is recorded.
#
# usage: [STEPS=60] [LOG_EVERY=10] [REPEATS=2] [CORES=2] [RANKS=2] bench/distributed-scaling.sh [OUT_DIR]
# Needs Open MPI (apt-get install openmpi-bin libopenmpi-dev) and ../shared/data/bible-es-en.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d /tmp/s2s-scaling.XXXX)}
steps=${STEPS:-60}; repeats=${REPEATS:-2}; log_every=${LOG_EVERY:-10}; cores=${CORES:-2}; ranks=${RANKS:-2}
dotnet build src/Seq2Seq.Cli -c Release -v q -nologo >/dev/null
s2s=src/Seq2Seq.Cli/bin/Release/net10.0/s2s.dll
# No dev or test set: nothing but training steps is timed (the final checkpoint is written but not timed).
common=(--set training.max_steps="$steps" --set training.max_minutes=0 --set training.validate_every=100000
        --set training.log_every="$log_every" --set training.tensorboard=false --set data.dev= --set data.test=)
mkdir -p "$out"
for rep in $(seq 1 "$repeats"); do
  echo "repeat $rep: 1 process x $cores threads (loadavg $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "$(cut -d' ' -f1-3 /proc/loadavg)" > "$out/single-$rep.load"
  dotnet "$s2s" train configs/bible-es-en.yaml "${common[@]}" --set training.threads="$cores" \
    --set run_dir="$out/single-$rep" --set training.distributed=off 2> "$out/single-$rep.log"
  echo "repeat $rep: $ranks ranks x $((cores / ranks)) threads (loadavg $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "$(cut -d' ' -f1-3 /proc/loadavg)" > "$out/mpi-$rep.load"
  mpirun --allow-run-as-root --oversubscribe --bind-to none -np "$ranks" dotnet "$s2s" train configs/bible-es-en.yaml "${common[@]}" \
    --set training.threads=$((cores / ranks)) --set run_dir="$out/mpi-$rep" 2> "$out/mpi-$rep.log"
done
python3 - "$out" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
print("| run | loadavg at start | tokens/s (after the first log window) | all-reduce ms/step | waiting for the slowest rank, ms/step |")
print("|---|---|---|---|---|")
for run in sorted(glob.glob(os.path.join(out, "*-[0-9]*/train_log.jsonl"))):
    name = os.path.basename(os.path.dirname(run))
    recs = [json.loads(l) for l in open(run) if '"train"' in l]
    later = recs[1:] or recs    # the first window holds start-up costs
    def mean(key):
        values = [r[key] for r in later if key in r]
        return f"{sum(values) / len(values):,.0f}" if values else "–"
    load = open(os.path.join(out, name + ".load")).read().strip()
    print(f"| {name} | {load} | {mean('tokens_per_s')} | {mean('allreduce_ms_per_step')} | {mean('allreduce_wait_ms_per_step')} |")
PY
