#!/usr/bin/env bash
# Run every benchmark under bench/ (slow; never part of `make test`). Each script prints its
# own figures; see docs/bench/ for the recorded runs.
set -euo pipefail
cd "$(dirname "$0")/.."
# The HTTP load runs use wrk (Debian package); the generators need their data (docs/bench/).
if ! command -v wrk >/dev/null; then
  echo "bench: wrk is missing: apt-get install wrk" >&2
  exit 1
fi
for script in bench/bench_*.py; do
  echo "=== $script"
  .venv/bin/python "$script"
done
