#!/usr/bin/env bash
# Regenerate docs/playground.png: the Voilà browser test takes the screenshot, this copies it.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pytest -q -m browser tests/test_browser.py -k voila
mkdir -p docs
cp test-artifacts/voila-playground.png docs/playground.png
echo "wrote docs/playground.png"
