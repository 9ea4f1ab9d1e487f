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
state() {  # "EPOCHS PID": epoch ends reached (the validation split is logged at each; epochs count from 0) and
           # the pid of the trainer holding the run's lease on this host, if it is running (else 0)
  python3 - "$1" "$(hostname)" <<'PY'
import os, sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=30)
(e,) = db.execute("select max(epoch) from scalars where split = 'valid'").fetchone()
pid = 0
for host, p, status in db.execute("select l.host, l.pid, r.status from run_leases l join runs r on r.id = l.run_id"):
    try:
        cmd = open(f"/proc/{p}/cmdline", "rb").read().split(b"\0")
    except OSError:
        continue
    if host == sys.argv[2] and status == "running" and b"train" in cmd:
        pid = p
print(0 if e is None else e + 1, pid)
PY
}
signalled=" "   # a second SIGINT would kill the trainer mid-checkpoint: one each
while :; do
  training=0
  for db in "$exp"/*.sqlite; do
    run=$(basename "$db" .sqlite)
    [[ "$run" =~ $watched ]] || continue
    read -r done_epochs pid < <(state "$db" || echo "0 0")
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
