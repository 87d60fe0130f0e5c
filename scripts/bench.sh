#!/usr/bin/env bash
# Run every benchmark under bench/ (slow; never part of `make test`). Each script prints its
# own figures; see docs/bench/ for the recorded runs.
set -euo pipefail
cd "$(dirname "$0")/.."
for script in bench/bench_*.py; do
  echo "=== $script"
  .venv/bin/python "$script"
done
