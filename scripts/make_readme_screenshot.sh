#!/usr/bin/env bash
# Regenerate the documentation screenshots (docs/playground.png from Voilà, docs/lab-0N.png from
# JupyterLab), all at 1280×720, with scripts/make_screenshots.py. Open each one before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
python scripts/make_screenshots.py --out docs
