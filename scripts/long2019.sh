#!/usr/bin/env bash
# The runs of docs/long2019.md (the pre-registered test of Long et al. 2019), started or continued.
# Usage: scripts/long2019.sh EXPDIR RUN...   (RUN: last-s0 max-s0 last-s1 max-s1 lm-s0 mean-s0 absmax-s0
#        aggressive-s0 skip-s0 cyclical-s0 worddrop-s0 cosine-s0; default: the deciding four and lm-s0)
# Each run trains in the background, niced, one BLAS thread, into EXPDIR/RUN.sqlite, logging to EXPDIR/RUN.log,
# from a copy of the release binary (EXPDIR/bin/vaescope), so rebuilding the work tree does not touch it.
# A run that exists and is not completed is resumed; a completed one is left alone. EXPDIR/anarchism is the corpus.
# A watcher (scripts/long2019_stop.sh) pauses each run after 40 complete epochs; LONG2019_NO_STOP=1 leaves it out
# (to continue the runs towards early stopping after the verdict, as docs/long2019.md's amendment allows).
set -euo pipefail
exp=${1:?usage: scripts/long2019.sh EXPDIR [RUN...]}
shift
runs=("$@")
[ ${#runs[@]} -gt 0 ] || runs=(last-s0 max-s0 last-s1 max-s1 lm-s0)
cd "$(dirname "$0")/.."
source scripts/setup.sh --long-docs
source scripts/experiment_bin.sh
experiment_bin "$exp"
[ -f "$exp/anarchism/train.txt" ] || "$bin" corpus --sources anarchism --out "$exp/anarchism"

common=(--preset he2019 --set embeddingSize=64 --set encoderHiddenSize=128 --set decoderHiddenSize=128
        --set latentSize=32 --set vocabularySize=10000 --set maxLength=250 --set threads=1 --no-eval)
settings() {
  case "$1" in
    last-s0) echo "--set pooling=last --set seed=0" ;;
    max-s0) echo "--set pooling=max --set seed=0" ;;
    last-s1) echo "--set pooling=last --set seed=1" ;;
    max-s1) echo "--set pooling=max --set seed=1" ;;
    lm-s0) echo "--set languageModelOnly=true --set seed=0" ;;
    mean-s0) echo "--set pooling=mean --set seed=0" ;;
    absmax-s0) echo "--set pooling=absMax --set seed=0" ;;
    aggressive-s0) echo "--set pooling=last --set aggressive=true --set seed=0" ;;
    skip-s0) echo "--set pooling=last --set latentToOutput=true --set seed=0" ;;
    cyclical-s0) echo "--set pooling=last --set betaSchedule=cyclical --set cycles=4 --set cycleRampFraction=0.5 --set beta0=0 --set annealEpochs=40 --set seed=0" ;;
    worddrop-s0) echo "--set pooling=last --set wordDropout=0.5 --set seed=0" ;;
    cosine-s0) echo "--set pooling=last --set cosineRegularizer=1 --set seed=0" ;;
    *) echo "unknown run $1" >&2; return 1 ;;
  esac
}

for run in "${runs[@]}"; do
  args=$(settings "$run")
  db="$exp/$run.sqlite"
  status=$("$bin" runs list --db "$db" --format csv 2>/dev/null | awk -F, -v r="$run" '$1 == r {print $3}' || true)
  if [ "$status" = "completed" ]; then echo "$run: completed"; continue; fi
  if [ -n "$status" ]; then
    cmd=("$bin" train --resume "$run" --db "$db")
  else
    # shellcheck disable=SC2206
    cmd=("$bin" train --corpus "$exp/anarchism" --db "$db" --name "$run" "${common[@]}" $args)
  fi
  echo "$run: ${status:-new} → ${cmd[*]}"
  nohup nice -n 10 env OPENBLAS_NUM_THREADS=1 "${cmd[@]}" >> "$exp/$run.log" 2>&1 &
done
# The deciding runs pause after 40 complete epochs (docs/long2019.md, amendment of 2026-12-06): one watcher.
if [ "${LONG2019_NO_STOP:-}" != 1 ] && ! pgrep -f "long2019_stop.sh $exp" > /dev/null; then
  cp scripts/long2019_stop.sh scripts/run_state.py "$exp/bin/"   # copies: editing the work tree never touches them
  nohup "$exp/bin/long2019_stop.sh" "$exp" 40 >> "$exp/stop.log" 2>&1 &
  echo "watcher: $exp/bin/long2019_stop.sh $exp 40 (log $exp/stop.log)"
fi
