#!/usr/bin/env bash
# Run the benchmark suite at a scale (tiny for the smoke test in make test; small; province).
set -euo pipefail
scale=${1:-small}
exec python -m bench --scale "$scale"
