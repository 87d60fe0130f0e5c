#!/usr/bin/env bash
# make bench: every page budget in one run per database (bench/scenarios.py), on SQLite and on
# PostgreSQL, then the long fault runs (bench/faults.py); results in bench/results/ and the
# README's tables. Slow (≈ 7 min per database after the first setup, 5 min of faults); never
# part of `make test`. The per-issue benchmarks keep their own commands (docs/bench/).
#   BENCH_POSTGRES_URL   the PostgreSQL bench database (default: h_scenarios on 127.0.0.1:5432,
#                        created when missing); BENCH_POSTGRES_URL=none skips PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
# wrk is the load client; nginx serves the static anchor and the microcache.
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    scripts/system-packages.sh --deploy
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null
  else
    echo "bench: wrk and nginx are needed: apt-get install wrk nginx" >&2
    exit 1
  fi
fi
export YUANQU_VAR_DIR="${BENCH_VAR_DIR:-$PWD/var/bench}"
mkdir -p "$YUANQU_VAR_DIR"
$BIN/python bench/scenarios.py setup
$BIN/python bench/scenarios.py run

PG_URL="${BENCH_POSTGRES_URL:-postgres://root@127.0.0.1:5432/h_scenarios}"
if [ "$PG_URL" != none ]; then
  PG_NAME="${PG_URL##*/}"
  PG_SERVER="${PG_URL%/*}/postgres"
  if ! psql "$PG_SERVER" -X -q -At -c "SELECT 1 FROM pg_database WHERE datname = '$PG_NAME'" | grep -q 1; then
    psql "$PG_SERVER" -X -q -c "CREATE DATABASE \"$PG_NAME\""
  fi
  DATABASE_URL="$PG_URL" $BIN/python bench/scenarios.py setup
  DATABASE_URL="$PG_URL" $BIN/python bench/scenarios.py run
fi
# The long fault runs (each on its own fresh database; PostgreSQL as a private cluster).
$BIN/python bench/faults.py needs --database postgresql --restart-at 30
$BIN/python bench/faults.py needs --database sqlite
$BIN/python bench/faults.py worker-kill
$BIN/python bench/scenarios.py readme
