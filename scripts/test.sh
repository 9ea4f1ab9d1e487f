#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test. Exit code is the verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh --tests
# Package.swift's dependencies match the imports (no undeclared or unused target dependency).
python3 scripts/check_package_graph.py
swift build --build-tests -q
# Tests write their stores and corpora under TMPDIR: give them one scratch directory and remove it afterwards.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/vaescope-tests.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
TMPDIR="$scratch" swift test --skip-build
# The README's import examples (Python sqlite3 writer, .npy files + `vaescope import`); skips without python3.
bash scripts/check_import_example.sh "$(swift build --show-bin-path)/vaescope"
# The Python client (python/, issue 18): pip-installed into a throwaway venv, its tests against this build.
bash scripts/test_python_client.sh "$(swift build --show-bin-path)/vaescope"
# The site in a real headless Chromium (Selenium): console errors, sort, filter, comparison, 390-px layout.
/usr/bin/python3 scripts/check_site.py "$(swift build --show-bin-path)/vaescope"
# `vaescope sweep slurm` on a real single-node Slurm started here (slurm-wlm + munge; skips where it cannot start).
TMPDIR="$scratch" bash scripts/test_slurm.sh "$(swift build --show-bin-path)/vaescope"
# Short form of the kill test (issue 20): SIGKILL train/eval/import/report at random moments, check nothing is lost.
# The long form: python3 scripts/kill_test.py BIN --n 60.
if command -v python3 >/dev/null; then
  TMPDIR="$scratch" python3 scripts/kill_test.py "$(swift build --show-bin-path)/vaescope" --n 12 --seed 1
else
  echo "SKIP kill test: python3 not found"
fi
