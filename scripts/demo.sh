#!/usr/bin/env bash
# The main job, in one command: install what is missing, build in release mode, make the demo corpus from
# Debian packages, train a small sweep of text VAEs (demo/*.yaml), evaluate it, and build the report site.
#
#   scripts/demo.sh            # everything goes under demo-output/ (gitignored)
#   DEMO_JOBS=1 scripts/demo.sh   # train one run at a time instead of two
#   DEMO_SET="maxSteps=50" scripts/demo.sh   # extra --set overrides for every run (quick smoke test)
#   DEMO_SENTENCES=12000 scripts/demo.sh     # a smaller corpus (default 16000) for a slower machine
#   DEMO_IW_SAMPLES=500 scripts/demo.sh      # K of the IW-NLL in eval (default 20; He et al. use 500)
#
# Running it again reuses what is there: the build is incremental, the corpus is kept, runs already
# completed in demo-output/runs.sqlite are skipped (and their evaluation too), and only the site is rebuilt.
# To start over: rm -rf demo-output
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
out="$root/demo-output"
db="$out/runs.sqlite"
corpus="$out/corpus"
logs="$out/logs"
jobs="${DEMO_JOBS:-2}"
start=$(date +%s)
mkdir -p "$out" "$logs"

# Stage timer: "==> [mm:ss] title" on entry, "    done in Ns" via stage_done; every time also in timings.txt.
stage_start=$start
stage_name=""
clock() { local s=$(( $(date +%s) - start )); printf '%02d:%02d' $((s / 60)) $((s % 60)); }
stage() {   # stage KEY "description"
  stage_name="$1"; stage_start=$(date +%s)
  printf '\n==> [%s] %s: %s\n' "$(clock)" "$1" "$2"
}
stage_done() {
  local took=$(( $(date +%s) - stage_start ))
  printf '    %s: %ds\n' "$stage_name" "$took"
  printf '%s\t%d\n' "$stage_name" "$took" >> "$out/timings.txt"
}
: > "$out/timings.txt"

# ---------------------------------------------------------------------------------------------------------
stage "1/6 set-up" "Debian packages (sqlite, libgd, OpenBLAS, fonts, fortunes, wordnet) and the Swift toolchain"
source scripts/setup.sh --demo
stage_done

# ---------------------------------------------------------------------------------------------------------
stage "2/6 build" "swift build -c release (a fresh build takes a few minutes; later runs are incremental)"
if ! swift build -c release --product vaescope 2>&1 | { grep --line-buffered -v '^\(Fetching\|Fetched\|Computing\|Computed\|Creating\|Working copy\)' || true; }; then
  echo "demo: the release build failed (output above); fix it or report it, then run scripts/demo.sh again" >&2
  exit 1
fi
bin="$(swift build -c release --show-bin-path)/vaescope"
stage_done

# ---------------------------------------------------------------------------------------------------------
# The corpus: WordNet gloss examples + fortune files, sentences of 4–20 tokens, a seeded subset.
stage "3/6 corpus" "$corpus"
if [ -s "$corpus/train.txt" ] && [ -s "$corpus/valid.txt" ] && [ -s "$corpus/test.txt" ]; then
  echo "    kept (delete $corpus to remake it)"
else
  "$bin" corpus --out "$corpus" --max-length 20 --max-sentences "${DEMO_SENTENCES:-16000}" --seed 0
fi
stage_done

# ---------------------------------------------------------------------------------------------------------
# The sweep: one YAML file per run in demo/ (run name = file name). Two runs at a time, one BLAS thread each.
export OPENBLAS_NUM_THREADS=1
runs=(elbo-last elbo-max kltarget-3 kltarget-8 kltarget-15)
sets=()
for kv in ${DEMO_SET:-}; do sets+=(--set "$kv"); done

# Status of run NAME in the store ("" when absent). `runs list --format csv`: name is column 1, status column 3.
run_status() {
  [ -f "$db" ] || { echo ""; return; }
  "$bin" runs list --db "$db" --format csv 2>/dev/null | awk -F, -v n="$1" 'NR > 1 && $1 == n { print $3 }'
}

# Train (or resume, or skip) one run, then evaluate it on the test split; output prefixed with the run name.
train_and_eval() {
  local name="$1" status
  status="$(run_status "$name")"
  case "$status" in
    completed)
      echo "already trained (completed in $db)";;
    interrupted)
      echo "resuming the interrupted run"
      "$bin" train --resume "$name" --db "$db" --no-eval;;
    "")
      "$bin" train --corpus "$corpus" --db "$db" --name "$name" --config "demo/$name.yaml" "${sets[@]}" --no-eval;;
    *)
      echo "previous attempt ended '$status': deleting it and training again"
      "$bin" runs delete "$name" --db "$db" >/dev/null
      "$bin" train --corpus "$corpus" --db "$db" --name "$name" --config "demo/$name.yaml" "${sets[@]}" --no-eval;;
  esac
  if [ -f "$logs/$name.evaluated" ] && [ "$status" = completed ]; then
    echo "already evaluated"
  else
    rm -f "$logs/$name.evaluated"
    echo "evaluating on the test split"
    "$bin" eval "$name" --db "$db" --split test --iw-samples "${DEMO_IW_SAMPLES:-20}" --prior-samples 30 \
      --interpolation-pairs 5 --threads 1
    touch "$logs/$name.evaluated"
  fi
}

stage "4/6 train+eval" "${runs[*]} (configs in demo/, $jobs at a time)"
failed=0
for name in "${runs[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || failed=1; done
  echo "    start $name  (log: demo-output/logs/$name.log)"
  ( set +e
    t0=$(date +%s)
    ( set -e; train_and_eval "$name" ) 2>&1 | tee "$logs/$name.log" | sed -u "s/^/    [$name] /"
    rc=${PIPESTATUS[0]}
    printf '  %s\t%d\n' "$name" $(( $(date +%s) - t0 )) >> "$out/timings.txt"
    exit "$rc" ) &
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || failed=1; done
wait || failed=1
stage_done
if [ "$failed" -ne 0 ]; then
  echo "demo: a run failed; its log is in $logs (the others are kept; run scripts/demo.sh again to retry)" >&2
  exit 1
fi

echo
"$bin" runs list --db "$db"

# ---------------------------------------------------------------------------------------------------------
stage "5/6 report" "$out/site"
"$bin" report --db "$db" --spec Reports/demo.yaml --spec Reports/long2019.yaml --spec Reports/prokhorov2019.yaml \
  --out "$out/site"
stage_done

# ---------------------------------------------------------------------------------------------------------
printf '\n==> [%s] done\n' "$(clock)"
printf 'total\t%d\n' $(( $(date +%s) - start )) >> "$out/timings.txt"
cat <<EOF
    Stage times: demo-output/timings.txt
    The site:    $out/site/index.html
    Open it:     xdg-open $out/site/index.html      (or open file://$out/site/index.html in a browser)
    Or serve it: python3 -m http.server -d $out/site 8000   then http://localhost:8000/
    The runs:    $bin runs list --db $db
EOF
