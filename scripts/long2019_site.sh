#!/usr/bin/env bash
# The result site of docs/long2019.md: evaluates every completed run of the experiment that is not evaluated yet
# (test split, best-ELBO checkpoint, IW-NLL with K = 500, as pre-registered), then writes the site to docs/long2019/
# (the verdict against the pre-registered rule, Table 1, Figures 2–4, Table 2, the remedies side by side).
# Usage: scripts/long2019_site.sh EXPDIR [OUT]   (EXPDIR as for scripts/long2019.sh; OUT default docs/long2019)
# Stores are read with --metrics-cache read except for the evaluation itself; no store is copied into the site.
set -euo pipefail
exp=${1:?usage: scripts/long2019_site.sh EXPDIR [OUT]}
cd "$(dirname "$0")/.."
out=${2:-docs/long2019}
bin="$exp/bin/vaescope"
[ -x "$bin" ] || { echo "no $bin: run scripts/long2019.sh $exp first" >&2; exit 1; }
for db in "$exp"/*.sqlite; do
  name=$(basename "$db" .sqlite)
  status=$("$bin" runs list --db "$db" --format csv | awk -F, -v r="$name" '$1 == r {print $3}')
  if [ "$status" != completed ]; then echo "$name: $status (not evaluated: the rule judges trained runs)"; continue; fi
  if "$bin" runs show "$name" --db "$db" | grep -q "eval.iwNLL"; then echo "$name: evaluated"; continue; fi
  echo "$name: evaluating (K = 500, test split, best checkpoint)"
  OPENBLAS_NUM_THREADS=1 nice -n 10 "$bin" eval "$name" --db "$db" --checkpoint best --split test --iw-samples 500 \
    >> "$exp/$name.eval.log" 2>&1
done
"$bin" report --db "$exp/*.sqlite" --spec Reports/long2019-longdocs.yaml --spec Reports/long2019-baselines.yaml \
  --out "$out" --metrics-cache read
du -sh "$out"
