#!/usr/bin/env bash
# The main job: installs what is missing, builds in release mode and runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh --demo
swift build -c release -q --product vaescope
bin="$(swift build -c release --show-bin-path)/vaescope"
"$bin" --help
