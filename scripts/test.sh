#!/usr/bin/env bash
# Installs everything the tests need (Debian packages when run as root, Python packages),
# then runs the whole test suite. Used by README and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
python3 -m pytest -q "$@"
