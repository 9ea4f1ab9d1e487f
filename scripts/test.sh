#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test. Exit code is the verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build --build-tests -q
swift test --skip-build
