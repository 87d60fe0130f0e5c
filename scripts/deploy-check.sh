#!/usr/bin/env bash
# make deploy-check: the production layout of deploy/ on loopback ports — nginx in front of
# two gunicorn instances, the task worker and the scheduler, with Redis — on a fresh PostgreSQL primary
# with a streaming replica (a second cluster made with pg_basebackup; anonymous public reads
# go to it), the demo data, a smoke test through nginx (deploy/smoke.py), a check from
# pg_stat_statements that the replica served public reads, a carrier edit seen on the
# public page within the replica's lag, then everything down.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
scripts/system-packages.sh --deploy
WORK=$(mktemp -d /tmp/yuanqu-deploy-check.XXXXXX)
PIDS=()
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDIR="$WORK/pg"
as_postgres() {  # PostgreSQL's servers refuse to run as root
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
  nginx -c "$WORK/nginx.conf" -p "$WORK" -s stop 2>/dev/null || true
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for cluster in replica primary; do
    [ -f "$PGDIR/$cluster/postmaster.pid" ] &&
      as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/$cluster" -m fast -w stop >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
[ -n "${KEEP_DEPLOY_CHECK:-}" ] && trap - EXIT
export YUANQU_VAR_DIR="$WORK/var" MEDIA_ROOT="$WORK/var/media" ALLOWED_HOSTS=127.0.0.1 \
  SECRET_KEY="deploy-check-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  TRUSTED_PROXY_COUNT=1 SECURE_COOKIES=0 LOG_LEVEL=WARNING
mkdir -p "$YUANQU_VAR_DIR" "$WORK/cache" "$WORK/logs"
# nginx workers run as an unprivileged user: they must reach the static files and the cache.
chmod 0755 "$WORK"
chmod 0777 "$WORK/cache"
# PostgreSQL primary on 18110 and its streaming replica on 18111, both on loopback.
mkdir -p "$PGDIR"
chmod 0777 "$WORK/logs"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$PGDIR"; fi
as_postgres "$PGBIN/initdb" -D "$PGDIR/primary" -A trust -U yuanqu -E UTF8 --locale=C.UTF-8 >/dev/null
cat >> "$PGDIR/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = 18110
unix_socket_directories = '$PGDIR'
wal_level = replica
max_wal_senders = 4
hot_standby = on
shared_preload_libraries = 'pg_stat_statements'
CONF
as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/primary" -l "$WORK/logs/pg-primary.log" -w start >/dev/null
PSQL_PRIMARY=(psql -X -q -At -h 127.0.0.1 -p 18110 -U yuanqu)
"${PSQL_PRIMARY[@]}" -d postgres -c "CREATE DATABASE yuanqu"
"${PSQL_PRIMARY[@]}" -d yuanqu -c "CREATE EXTENSION pg_stat_statements"
as_postgres "$PGBIN/pg_basebackup" -h 127.0.0.1 -p 18110 -U yuanqu -D "$PGDIR/replica" -R -X stream
echo "port = 18111" >> "$PGDIR/replica/postgresql.conf"
as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/replica" -l "$WORK/logs/pg-replica.log" -w start >/dev/null
PSQL_REPLICA=(psql -X -q -At -h 127.0.0.1 -p 18111 -U yuanqu -d yuanqu)
[ "$("${PSQL_REPLICA[@]}" -c "SELECT pg_is_in_recovery()")" = t ] ||
  { echo "FAIL the replica is not in recovery"; exit 1; }
echo "ok   PostgreSQL primary :18110 and streaming replica :18111"
# The shared cache and its own Redis: the web instances, the worker and this script see
# one cache (page versions, the replica grace marker).
redis-server --bind 127.0.0.1 --port 18120 --save "" --appendonly no > "$WORK/logs/redis.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 50); do redis-cli -p 18120 ping >/dev/null 2>&1 && break; sleep 0.1; done
export DATABASE_URL=postgres://yuanqu@127.0.0.1:18110/yuanqu \
  DATABASE_REPLICA_URLS=postgres://yuanqu@127.0.0.1:18111/yuanqu \
  REDIS_URL=redis://127.0.0.1:18120/0 REPLICA_LAG_GRACE_SECONDS=2
DEBUG=1 $BIN/python manage.py migrate --noinput -v0
DEBUG=1 $BIN/python manage.py load_demo_data > "$WORK/logs/demo.log"
DEBUG=0 $BIN/python manage.py collectstatic --noinput -v0
scripts/messages.sh
# The shipped systemd units, pointed at this checkout: systemd-analyze checks every directive
# and command line (no systemd runs as PID 1 here, so they are verified, not started by it);
# the processes below are started with the units' own ExecStart lines.
mkdir -p "$WORK/systemd"
cp deploy/yuanqu.env.example "$WORK/yuanqu.env"
for unit in deploy/systemd/*.service; do
  sed -e "s#/srv/yuanqu#$PWD#g" -e "s#/etc/yuanqu/yuanqu.env#$WORK/yuanqu.env#" "$unit" \
    > "$WORK/systemd/$(basename "$unit")"
done
verified=$(cd "$WORK/systemd" && systemd-analyze verify "$WORK"/systemd/*.service 2>&1) \
  || verified="systemd-analyze failed: $verified"
[ -z "$verified" ] || { echo "FAIL systemd units: $verified"; exit 1; }
echo "ok   systemd units verified (systemd-analyze verify: every directive and command)"
exec_start() { sed -n 's/^ExecStart=//p' "$WORK/systemd/yuanqu-$1.service"; }
for port in 18101 18102; do
  DEBUG=0 GUNICORN_BIND=127.0.0.1:$port GUNICORN_WORKERS=2 \
    $(exec_start web) > "$WORK/logs/web-$port.log" 2>&1 &
  PIDS+=($!)
done
DEBUG=0 $(exec_start worker) > "$WORK/logs/worker.log" 2>&1 & PIDS+=($!)
DEBUG=0 $(exec_start scheduler) > "$WORK/logs/scheduler.log" 2>&1 & PIDS+=($!)
# The shipped site file, pointed at the two instances, this folder and a loopback port.
sed -e "s#/var/cache/nginx/yuanqu#$WORK/cache#" -e "s#listen 80;#listen 127.0.0.1:18100;#" \
    -e "s#/srv/yuanqu/var/#$YUANQU_VAR_DIR/#g" \
    -e "s#server 127.0.0.1:8000 max_fails=3 fail_timeout=10s;#server 127.0.0.1:18101; server 127.0.0.1:18102;#" \
    deploy/nginx/yuanqu.conf > "$WORK/site.conf"
cat > "$WORK/nginx.conf" <<CONF
pid $WORK/nginx.pid;
error_log $WORK/logs/nginx-error.log;
events {}
http { access_log $WORK/logs/nginx-access.log; include /etc/nginx/mime.types; include $WORK/site.conf; }
CONF
nginx -t -c "$WORK/nginx.conf" -p "$WORK" 2>/dev/null
nginx -c "$WORK/nginx.conf" -p "$WORK"
for _ in $(seq 1 60); do
  curl -fsS http://127.0.0.1:18100/healthz >/dev/null 2>&1 && break
  sleep 0.5
done
"${PSQL_REPLICA[@]}" -c "SELECT pg_stat_statements_reset()" >/dev/null
sleep 2  # the demo data just changed public content: let the replica grace pass
$BIN/python deploy/smoke.py http://127.0.0.1:18100
# The public pages' reads reached the replica; the submission's writes the primary.
replica_reads=$("${PSQL_REPLICA[@]}" -c "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
  WHERE query LIKE 'SELECT%' AND (query LIKE '%news_article%' OR query LIKE '%listings_carrier%')")
primary_writes=$("${PSQL_PRIMARY[@]}" -d yuanqu -c "SELECT coalesce(sum(calls), 0)
  FROM pg_stat_statements WHERE query LIKE 'INSERT INTO \"leads_lead\"%'")
[ "$replica_reads" -gt 0 ] || { echo "FAIL no public read reached the replica"; exit 1; }
[ "$primary_writes" -gt 0 ] || { echo "FAIL the need was not written on the primary"; exit 1; }
echo "ok   replica served $replica_reads article/carrier reads; primary stored the need"
# A carrier edited on the primary: the replica replays it (lag measured), and its public
# page shows it at once (public reads use the primary for REPLICA_LAG_GRACE_SECONDS after a
# change, so no page is rendered from a replica that has not replayed it yet).
carrier=$(DEBUG=0 $BIN/python manage.py shell -v0 -c "
from django.db import transaction
from yuanqu.listings.models import Carrier
from yuanqu.listings.catalogue_index import catalogue_changed
carrier = Carrier.objects.filter(status='available', published_at__isnull=False).order_by('pk').first()
with transaction.atomic():
    Carrier.objects.filter(pk=carrier.pk).update(title='复制延迟检查厂房')
catalogue_changed()
print(carrier.pk)")
started=$(date +%s%N)
for _ in $(seq 1 1000); do
  [ "$("${PSQL_REPLICA[@]}" -c "SELECT title FROM listings_carrier WHERE id = $carrier")" = 复制延迟检查厂房 ] && break
  sleep 0.01
done
lag_ms=$(( ($(date +%s%N) - started) / 1000000 ))
[ "$("${PSQL_REPLICA[@]}" -c "SELECT title FROM listings_carrier WHERE id = $carrier")" = 复制延迟检查厂房 ] ||
  { echo "FAIL the replica did not replay the carrier edit within 10 s"; exit 1; }
curl -fsS "http://127.0.0.1:18101/carriers/$carrier/" | grep -q 复制延迟检查厂房 ||
  { echo "FAIL the edited carrier's public page shows the old title"; exit 1; }
echo "ok   carrier edit replayed on the replica within $lag_ms ms and shown on its public page"
for port in 18101 18102; do
  grep -q '"GET ' "$WORK/logs/web-$port.log" || { echo "FAIL instance $port served nothing"; exit 1; }
done
echo "ok   both gunicorn instances served requests"
