#!/usr/bin/env bash
# Installs what VAEScope needs on a Debian machine, idempotently and quietly.
# Usage: scripts/setup.sh [--demo] [--long-docs]
#   --demo       also the packages the demo corpus is made from (fortunes, WordNet)
#   --long-docs  also An Anarchist FAQ (package anarchism), the source of `vaescope corpus --sources anarchism`
#   --tests      also what the test command uses beyond the build: pdflatex (every generated .tex is compiled),
#                Python's venv (the Python client is installed into a throwaway virtual environment), and
#                Chromium with its driver and Selenium (the site is checked in a real headless browser)
set -euo pipefail

packages=(libsqlite3-dev libgd-dev libcairo2-dev libopenblas-dev zlib1g-dev fonts-dejavu-core pkg-config)
for flag in "$@"; do
  case "$flag" in
    --demo) packages+=(fortunes fortunes-min wordnet-base) ;;
    --long-docs) packages+=(anarchism) ;;
    --tests) packages+=(texlive-latex-base texlive-latex-recommended python3 python3-venv python3-pip
                        chromium chromium-driver python3-selenium) ;;
    *) echo "setup: unknown option $flag (use --demo, --long-docs, --tests)" >&2; exit 64 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
  else
    echo "setup: no Swift toolchain on PATH; install Swift 6.1 or newer (https://swift.org/install)" >&2
    exit 1
  fi
fi
