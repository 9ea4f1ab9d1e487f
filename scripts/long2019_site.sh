#!/usr/bin/env bash
# The result site of docs/long2019.md: evaluates every run of the experiment that reached its stopping rule (completed,
# or stopped by scripts/long2019_stop.sh after ≥ 40 epochs) and is not evaluated yet
# (test split, best-ELBO checkpoint, IW-NLL with K = 500, as pre-registered), then writes the site to docs/long2019/
# (the verdict against the pre-registered rule, Table 1, Figures 2–4, Table 2, the remedies side by side).
# Usage: scripts/long2019_site.sh EXPDIR [OUT]   (EXPDIR as for scripts/long2019.sh; OUT default docs/long2019)
# Stores are read with --metrics-cache read except for the evaluation itself; no store is copied into the site.
set -euo pipefail
exp=${1:?usage: scripts/long2019_site.sh EXPDIR [OUT]}
cd "$(dirname "$0")/.."
out=${2:-docs/long2019}
bin="$exp/bin/vaescope"   # the runs' own binary evaluates them (the same code for every run of the experiment)
[ -x "$bin" ] || { echo "no $bin: run scripts/long2019.sh $exp first" >&2; exit 1; }
# The site is rendered by the work tree's code (its figures and verdict exhibit may be newer than the runs' binary).
swift build -c release -q
site_bin="$(swift build -c release --show-bin-path)/vaescope"
failed=0
for db in "$exp"/*.sqlite; do
  name=$(basename "$db" .sqlite)
  status=$("$bin" runs list --db "$db" --format csv | awk -F, -v r="$name" '$1 == r {print $3}')
  read -r epochs _ < <(python3 scripts/run_state.py "$db")
  # The rule judges a run that stopped early (completed) or was paused after exactly 40 epochs (interrupted).
  if [ "$status" != completed ] && { [ "$status" != interrupted ] || [ "$epochs" -ne 40 ]; }; then
    echo "$name: $status after $epochs epochs (not evaluated: the rule judges runs at their stopping rule or paused at 40 epochs)"
    continue
  fi
  shown=$("$bin" runs show "$name" --db "$db")
  if grep -q "eval.iwNLL" <<< "$shown"; then echo "$name: evaluated"; continue; fi
  # Two at a time, one BLAS thread each (~35 min per run of this size on one core: K = 500 × 97k test tokens).
  while [ "$(jobs -rp | wc -l)" -ge "${EVAL_JOBS:-2}" ]; do wait -n || failed=1; done
  echo "$name: evaluating (K = 500, test split, best checkpoint; log $exp/$name.eval.log)"
  OPENBLAS_NUM_THREADS=1 nice -n 10 "$bin" eval "$name" --db "$db" --checkpoint best --split test --iw-samples 500 \
    >> "$exp/$name.eval.log" 2>&1 &
done
for job in $(jobs -p); do wait "$job" || failed=1; done
[ "$failed" = 0 ] || { echo "an evaluation failed: see $exp/*.eval.log" >&2; exit 1; }
"$site_bin" report --db "$exp/*.sqlite" --spec Reports/long2019-longdocs.yaml --spec Reports/long2019-baselines.yaml \
  --out "$out" --metrics-cache read
du -sh "$out"
# The site in headless Chromium from file:// (no console error, no broken link, readable at phone width), with
# screenshots to look at in $exp/screenshots.
/usr/bin/python3 scripts/check_site.py "$site_bin" --site "$out" --screenshots "$exp/screenshots"
