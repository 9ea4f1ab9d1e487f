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
# completed and evaluated in demo-output/runs/ are skipped, and only the site is rebuilt.
# To start over: rm -rf demo-output
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
out="$root/demo-output"
corpus="$out/corpus"
logs="$out/logs"   # (kept for older demo outputs; the sweep logs into demo-output/runs/)
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
# The sweep: one YAML file per run in demo/, run by `vaescope sweep run` (each run in its own store under
# demo-output/runs/, trained then evaluated; completed runs are skipped, interrupted ones resumed; Ctrl-C stops
# every run cleanly and running the demo again continues). The sweep file is written here so that
# DEMO_IW_SAMPLES reaches every evaluation; DEMO_SET goes to every run as --set.
stores="$out/runs"
sweep="$out/sweep.yaml"
{
  echo "# Written by scripts/demo.sh: the demo's runs (demo/*.yaml), each trained and evaluated into $stores/NAME.sqlite."
  echo "name: demo"
  echo "corpus: corpus"
  echo "stores: runs"
  echo "runs:"
  for name in elbo-last elbo-max kltarget-3 kltarget-8 kltarget-15; do
    echo "  - {name: $name, config: $root/demo/$name.yaml}"
  done
  echo "eval: [--split, test, --iw-samples, \"${DEMO_IW_SAMPLES:-20}\", --prior-samples, \"30\", --interpolation-pairs, \"5\", --threads, \"1\"]"
} > "$sweep"

stage "4/6 train+eval" "vaescope sweep run $sweep --jobs $jobs (configs in demo/; logs in demo-output/runs/*.log)"
sets=()
for kv in ${DEMO_SET:-}; do sets+=(--set "$kv"); done
"$bin" sweep plan "$sweep" "${sets[@]}"
if ! "$bin" sweep run "$sweep" --jobs "$jobs" "${sets[@]}"; then
  echo "demo: a run failed or was stopped; its log is in $stores (the others are kept; run scripts/demo.sh again to continue)" >&2
  exit 1
fi
stage_done

echo
"$bin" runs list --db "$stores/*.sqlite"

# ---------------------------------------------------------------------------------------------------------
stage "5/6 report" "$out/site"
"$bin" report --db "$stores/*.sqlite" --spec Reports/demo.yaml --spec Reports/long2019.yaml --spec Reports/prokhorov2019.yaml \
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
    The runs:    $bin runs list --db "$stores/*.sqlite"
EOF
