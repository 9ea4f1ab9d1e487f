#!/usr/bin/env bash
# `vaescope sweep slurm` on a real single-node Slurm (issue 17), part of the test command.
# Usage: scripts/test_slurm.sh VAESCOPE_BIN
# Starts a local cluster (scripts/slurm_local.sh: Debian's slurm-wlm and munge, no cgroups), writes a 4-run sweep of
# tiny runs (pooling × seed), submits it as one job array throttled to 2 tasks at once, requeues the first task
# while it trains, waits for the array, and checks: every run completed and evaluated exactly once, the requeued
# run resumed from its checkpoint, the stores use the rollback journal (no -wal files), `vaescope sweep status`
# says 4 done, and `vaescope report` over the sweep's stores lists the 4 runs with the seeds aggregated.
# Where Slurm cannot start (no root, no sudo, no package) it says so and skips (exit 0).
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/vs-slurm.XXXXXX")
cluster="$work/c"
started=$(date +%s)
fail() { echo "FAIL slurm: $*" >&2; exit 1; }
cleanup() { bash "$root/scripts/slurm_local.sh" stop "$cluster" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

rc=0
exports=$(bash scripts/slurm_local.sh start "$cluster") || rc=$?
if [ "$rc" -eq 3 ]; then echo "SKIP slurm test: Slurm cannot start here (see the line above)"; exit 0; fi
[ "$rc" -eq 0 ] || fail "scripts/slurm_local.sh start exited $rc"
eval "$exports"

# A tiny corpus: 2,000/16/16 sentences over 12 words (long epochs: few checkpoints, each a synced commit).
mkdir -p "$work/corpus"
python3 - "$work/corpus" <<'EOF'
import random, sys
words = "the cat dog sat on a mat ran to house big red".split()
rng = random.Random(7)
for split, n in [("train", 2000), ("valid", 16), ("test", 16)]:
    with open(f"{sys.argv[1]}/{split}.txt", "w") as f:
        for _ in range(n):
            f.write(" ".join(rng.choice(words) for _ in range(rng.randint(3, 8))) + "\n")
EOF
cat > "$work/sweep.yaml" <<'EOF'
name: slurm-test
corpus: corpus
base:
  embeddingSize: 8
  encoderHiddenSize: 16
  decoderHiddenSize: 16
  latentSize: 4
  batchSize: 8
  epochs: 60
  logEvery: 100
axes:
  pooling: [last, max]
  seed: [0, 1]
runName: "{pooling}-s{seed}"
eval: [--iw-samples, "5", --latent-samples, "2", --prior-samples, "4", --interpolation-pairs, "1"]
EOF
stores="$work/slurm-test"

out=$("$bin" sweep slurm "$work/sweep.yaml" --max-parallel 2 --time 00:20:00) || fail "sweep slurm: $out"
echo "$out"
job=$(echo "$out" | sed -n 's/^submitted job array \([0-9]*\).*/\1/p')
[ -n "$job" ] || fail "no job id in: $out"
grep -q '^#SBATCH --array=0-3%2$' "$stores/slurm/slurm-test.sbatch" || fail "the script's array is not 0-3%2"

# Requeue task 0 while its run trains (logged 50 or more of its 15,000 steps), as a preemption would.
requeued=no
for _ in $(seq 1 1500); do
  steps=$("$bin" runs list --db "$stores/last-s0.sqlite" --format csv 2>/dev/null | awk -F, '$1 == "last-s0" && $3 == "running" {print $7}' || true)
  if [ -n "$steps" ] && [ "$steps" -ge 50 ]; then
    scontrol requeue "${job}_0" && requeued=yes
    break
  fi
  sleep 0.2
done
[ "$requeued" = yes ] || fail "task 0 never showed its run training to requeue it"

# Wait for the array (a requeued task waits cred_expire + 1 s before it runs again).
for _ in $(seq 1 600); do
  [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
  sleep 1
done
[ -z "$(squeue -h -j "$job" 2>/dev/null)" ] || { squeue; fail "the job array did not finish in 10 minutes"; }

status=$("$bin" sweep status "$work/sweep.yaml")
echo "$status"
echo "$status" | grep -q '^sweep slurm-test: 4 done$' || { cat "$stores"/slurm/*.out; fail "not 4 done"; }
grep -q -- '--resume last-s0' "$stores/last-s0.log" || fail "the requeued run did not resume (log: $(tail -5 "$stores/last-s0.log"))"
[ "$(grep -c '^\$ vaescope eval' "$stores/last-s0.log")" -eq 1 ] || fail "last-s0 evaluated more than once"
for r in last-s1 max-s0 max-s1; do
  [ "$(grep -c '^\$ vaescope train --corpus' "$stores/$r.log")" -eq 1 ] || fail "$r trained from scratch more than once"
done
# The report writes its metrics cache into the stores: they must stay in rollback-journal mode afterwards.
"$bin" report --db "$stores/*.sqlite" --out "$work/site" >/dev/null 2>&1 || fail "report over the sweep's stores failed"
ls "$stores"/*-wal >/dev/null 2>&1 && fail "a store kept a WAL file (the tasks should use the rollback journal)"
for r in last-s0 last-s1 max-s0 max-s1; do
  mode=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode').fetchone()[0])" "$stores/$r.sqlite")
  [ "$mode" = delete ] || fail "$r.sqlite journal mode is $mode after the report, not delete"
done
for r in last-s0 last-s1 max-s0 max-s1; do grep -q "runs/$r.html" "$work/site/index.html" || fail "index lacks $r"; done
grep -q 'Runs that differ only in their seed' "$work/site/index.html" || fail "no seed groups on the index"
rows=$(($(wc -l < "$work/site/seed-groups.csv") - 1))
[ "$rows" -eq 2 ] || fail "expected 2 seed groups (last, max), found $rows"
echo "PASS slurm: 4-run sweep as a job array (%2), task 0 requeued and resumed, rollback journal, seeds aggregated in the report ($(($(date +%s) - started)) s)"
