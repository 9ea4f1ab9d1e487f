#!/usr/bin/env bash
# Stops each run of docs/long2019.md cleanly (SIGINT: checkpoint written, status interrupted) once it has completed
# EPOCHS epochs (default 40, the pre-registered minimum budget after which a deciding run may be judged), so that
# the evaluation of scripts/long2019_site.sh does not share the cores with training that no longer decides anything.
# Usage: scripts/long2019_stop.sh EXPDIR [EPOCHS [RUNS_REGEX]]   (polls every minute until none of those runs is
#        training; scripts/long2019.sh starts it). RUNS_REGEX: the run names it watches, default the deciding four
#        (last-sN, max-sN; the amendment covers those). Continue a stopped run with scripts/long2019.sh as usual.
set -euo pipefail
exp=${1:?usage: scripts/long2019_stop.sh EXPDIR [EPOCHS [RUNS_REGEX]]}
epochs=${2:-40}
watched=${3:-'^(last|max)-s[0-9]+$'}
state="$(dirname "$0")/run_state.py"   # beside this script (long2019.sh copies both into EXPDIR/bin)
signalled=" "   # a second SIGINT would kill the trainer mid-checkpoint: one each
while :; do
  training=0
  for db in "$exp"/*.sqlite; do
    run=$(basename "$db" .sqlite)
    [[ "$run" =~ $watched ]] || continue
    read -r done_epochs pid < <(python3 "$state" "$db" || echo "0 0")
    [ "${pid:-0}" != 0 ] || continue
    training=$((training + 1))
    if [ "$done_epochs" -ge "$epochs" ] && [[ "$signalled" != *" $pid "* ]]; then
      echo "$(date -u +%FT%TZ) $run: $done_epochs complete epochs, stopping (pid $pid)"
      kill -INT "$pid" || true
      signalled+="$pid "
    fi
  done
  [ "$training" -gt 0 ] || { echo "$(date -u +%FT%TZ) no watched run of $exp is training"; exit 0; }
  sleep 60
done
