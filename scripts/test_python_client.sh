#!/usr/bin/env bash
# Tests of the Python client (python/, issue 18). Installs it with `pip install ./python` into a throwaway
# virtual environment, with NumPy (latents) and tensorboard + tensorboardX (the TensorBoard import test; a
# package that cannot be installed makes its tests SKIP), then runs python/tests with unittest against the
# vaescope binary BIN, from outside the work tree so that the installed package is the one tested.
# Exit code is the verdict; the last line is "N passed, M failed, K skipped".
# Usage: scripts/test_python_client.sh path/to/vaescope        (PYTHON=python3.x to choose the interpreter)
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
bin="${1:-${VAESCOPE_BIN:-}}"
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  echo "usage: scripts/test_python_client.sh path/to/vaescope (build it first: swift build -c release)" >&2
  exit 64
fi
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
python="${PYTHON:-python3}"
command -v "$python" >/dev/null || { echo "FAIL test_python_client: $python not found" >&2; exit 1; }

scratch="$(mktemp -d "${TMPDIR:-/tmp}/vaescope-pyclient.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
"$python" -m venv "$scratch/env" || { echo "FAIL test_python_client: $python -m venv (apt-get install python3-venv)" >&2; exit 1; }
py="$scratch/env/bin/python"
pip_install() { "$py" -m pip install -q --disable-pip-version-check "$@"; }
# `pip install ./python`, from a copy: building in place would leave build/ and *.egg-info in the work tree.
cp -R python "$scratch/python"
rm -rf "$scratch/python/build" "$scratch/python/"*.egg-info
pip_install "$scratch/python" || pip_install --no-build-isolation "$scratch/python" \
  || { echo "FAIL test_python_client: pip install ./python failed" >&2; exit 1; }
pip_install numpy || echo "SKIP numpy: could not be installed (latent tests will skip)"
pip_install tensorboard tensorboardX || echo "SKIP tensorboard, tensorboardX: could not be installed (TensorBoard import tests will skip)"
# PyTorch for the example (examples/torch_vae.py): from a local CPU wheel when the machine has one (TORCH_WHEEL,
# or /opt/wheels/torch-*.whl); PyPI's default torch wheel is gigabytes of CUDA libraries, so it is not fetched.
wheel="${TORCH_WHEEL:-$(ls /opt/wheels/torch-*.whl 2>/dev/null | head -n 1 || true)}"
if [ -n "$wheel" ] && [ -f "$wheel" ]; then
  pip_install "$wheel" || echo "SKIP torch: $wheel could not be installed (the example test will skip)"
fi

cd "$scratch"
TMPDIR="$scratch" VAESCOPE_BIN="$bin" "$py" - "$repo/python/tests" <<'PY'
import sys, unittest
import vaescope
tests = sys.argv[1]
print("testing vaescope %s from %s with %s" % (vaescope.__version__, vaescope.__file__, sys.executable), flush=True)
suite = unittest.defaultTestLoader.discover(tests, top_level_dir=tests)
result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
skipped = len(result.skipped)
passed = result.testsRun - failed - skipped - len(result.expectedFailures)
for test, reason in result.skipped:
    print("SKIP %s: %s" % (test.id(), reason))
print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
sys.exit(1 if failed or passed == 0 else 0)
PY
