#!/usr/bin/env bash
# Serve yuanqu locally: migrate, load reference + demo data (idempotent), then run the
# task worker and the periodic-job scheduler beside the web server. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${PORT:-8000}"
export DEBUG="${DEBUG:-1}"

# Chromium and a CJK font print the A4 reports to PDF; without them the site still runs and
# the reports print from the browser.
scripts/system-packages.sh --pdf || echo "yuanqu: PDF export is off until Chromium is installed." >&2

scripts/messages.sh
$BIN/python manage.py migrate --noinput -v0
$BIN/python manage.py load_demo_data

pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

$BIN/python manage.py db_worker --no-startup-delay &
pids+=($!)
$BIN/python manage.py run_scheduler &
pids+=($!)

echo "yuanqu: http://127.0.0.1:${PORT}/  (task worker pid ${pids[0]}, scheduler pid ${pids[1]})"
$BIN/python manage.py runserver "127.0.0.1:${PORT}" --noreload &
pids+=($!)
# Stop everything as soon as any of the three exits.
wait -n
