#!/usr/bin/env bash
# `make test`: lint, then the whole suite on SQLite and again on PostgreSQL, browser tests
# included. Reuses PostgreSQL/Redis servers that answer; starts local ones when it can and
# stops only what it started. REQUIRE_POSTGRES=1 turns "no PostgreSQL" into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
started=()

cleanup() {
  for item in "${started[@]}"; do
    case "$item" in
      redis:*) $BIN/python - "${item#redis:}" <<'PY' || true
import sys, redis
redis.Redis(port=int(sys.argv[1])).shutdown(nosave=True)
PY
      ;;
      pg:*) pg_ctlcluster --skip-systemctl-redirect ${item#pg:} main stop || true ;;
    esac
  done
}
trap cleanup EXIT

say() { printf '\n=== %s\n' "$*"; }

say "system packages"
scripts/system-packages.sh
scripts/messages.sh

say "lint"
make --no-print-directory lint

# --- Redis: the cache tests talk to a real server -------------------------------------
if [ -z "${TEST_REDIS_URL:-}" ]; then
  if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    export TEST_REDIS_URL="redis://127.0.0.1:6379/15"
  elif command -v redis-server >/dev/null; then
    redis-server --port 6390 --bind 127.0.0.1 --save "" --appendonly no --daemonize yes >/dev/null
    for _ in $(seq 50); do redis-cli -p 6390 ping >/dev/null 2>&1 && break; sleep 0.1; done
    started+=("redis:6390")
    export TEST_REDIS_URL="redis://127.0.0.1:6390/15"
  fi
fi
echo "Redis for tests: ${TEST_REDIS_URL:-none}"

# --- PostgreSQL ----------------------------------------------------------------------
pg_url=""
case "${DATABASE_URL:-}" in postgres://*|postgresql://*) pg_url="$DATABASE_URL" ;; esac
if [ -z "$pg_url" ]; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && [ "$(id -u)" -eq 0 ] \
      && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start && started+=("pg:$version")
    for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
  fi
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    user="${PGUSER:-$(id -un)}"
    if ! psql -h 127.0.0.1 -U "$user" -d postgres -Atqc 'select 1' >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
      # A fresh Debian cluster knows only "postgres": give the current user a role.
      su postgres -c "psql -qc 'CREATE ROLE \"$user\" SUPERUSER LOGIN'" >/dev/null || true
    fi
    pg_url="postgres://$user@127.0.0.1:5432/postgres"
  fi
fi

status=0
run_suite() {
  local label="$1"; shift
  say "tests on $label"
  set +e
  env "$@" $BIN/pytest -q
  local code=$?
  set -e
  if [ $code -eq 5 ]; then
    echo "FAILED: no tests were collected on $label" >&2; status=1
  elif [ $code -ne 0 ]; then
    echo "FAILED: tests on $label exited with $code" >&2; status=1
  fi
}

run_suite "SQLite" DATABASE_URL=
if [ -n "$pg_url" ]; then
  run_suite "PostgreSQL" DATABASE_URL="$pg_url"
else
  echo "" >&2
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
  echo "!!  No PostgreSQL answers on 127.0.0.1:5432 and DATABASE_URL is unset:  !!" >&2
  echo "!!  the suite ran on SQLite ONLY.                                       !!" >&2
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
  if [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "FAILED: REQUIRE_POSTGRES=1 but no PostgreSQL is available." >&2
    status=1
  fi
fi
exit $status
