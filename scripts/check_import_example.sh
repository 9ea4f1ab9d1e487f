#!/usr/bin/env bash
# Checks the README's two ways of importing runs from another trainer:
#   1. scripts/write_run_example.py writes a run into a store with Python's sqlite3 (docs/schema.md);
#   2. demo/export_for_vaescope.py writes .npy/.txt/.csv files that `vaescope import` reads.
# Then `vaescope runs list/show` and `vaescope report` must read both runs.
# Needs python3 (and NumPy for 2.); skips cleanly (exit 0, "SKIP") when they are absent.
# Usage: scripts/check_import_example.sh [path/to/vaescope]   (default: the release build, else debug)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-}"
if [ -z "$bin" ]; then
  for c in "$(swift build -c release --show-bin-path 2>/dev/null)/vaescope" "$(swift build --show-bin-path 2>/dev/null)/vaescope"; do
    [ -x "$c" ] && { bin="$c"; break; }
  done
fi
[ -n "$bin" ] && [ -x "$bin" ] || { echo "check_import_example: build vaescope first (swift build -c release)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "SKIP check_import_example: python3 not found"; exit 0; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL check_import_example: $*" >&2; exit 1; }

# 1. SQL straight into a store.
python3 scripts/write_run_example.py "$tmp/theirs.sqlite" torch-sql >/dev/null || fail "write_run_example.py failed"
"$bin" runs list --db "$tmp/theirs.sqlite" --format csv | grep -q '^torch-sql,' || fail "runs list does not show torch-sql"
"$bin" runs show torch-sql --db "$tmp/theirs.sqlite" >/dev/null || fail "runs show torch-sql failed"
echo "ok   write_run_example.py -> runs list/show"

# 2. Files + vaescope import.
if python3 -c 'import numpy' 2>/dev/null; then
  python3 demo/export_for_vaescope.py "$tmp/export" >/dev/null || fail "export_for_vaescope.py failed"
  "$bin" import --db "$tmp/theirs.sqlite" --name torch-files "$tmp/export" >/dev/null || fail "vaescope import failed"
  "$bin" runs list --db "$tmp/theirs.sqlite" --format csv | grep -q '^torch-files,' || fail "runs list does not show torch-files"
  "$bin" runs export torch-files --db "$tmp/theirs.sqlite" --out "$tmp/back" >/dev/null || fail "runs export failed"
  python3 - "$tmp/export" "$tmp/back" <<'PY' || fail "exported latents differ from the imported ones"
import sys, numpy as np
a, b = sys.argv[1], sys.argv[2]
for name in ("mu", "logvar", "z"):
    x, y = np.load(f"{a}/{name}.npy"), np.load(f"{b}/{name}.npy")
    assert x.shape == y.shape and np.array_equal(x.astype("<f4"), y), name
PY
  echo "ok   export_for_vaescope.py -> vaescope import -> runs export round trip"
else
  echo "SKIP export_for_vaescope.py: NumPy not installed (python3 -m pip install numpy)"
fi

# 3. The report reads imported runs.
if "$bin" help report >/dev/null 2>&1; then
  "$bin" report --db "$tmp/theirs.sqlite" --out "$tmp/site" >/dev/null 2>&1 || fail "vaescope report on the imported runs failed"
  [ -f "$tmp/site/index.html" ] || fail "no index.html"
  echo "ok   vaescope report on the imported runs"
fi
echo "check_import_example: passed"
