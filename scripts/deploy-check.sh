#!/usr/bin/env bash
# make deploy-check: the production layout of deploy/ on loopback ports — nginx in front of
# two gunicorn instances, the task worker and the scheduler — on a fresh SQLite database
# with the demo data, a smoke test through nginx (deploy/smoke.py), then everything down.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
scripts/system-packages.sh --deploy
WORK=$(mktemp -d /tmp/yuanqu-deploy-check.XXXXXX)
PIDS=()
cleanup() {
  nginx -c "$WORK/nginx.conf" -p "$WORK" -s stop 2>/dev/null || true
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
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
DEBUG=1 $BIN/python manage.py migrate --noinput -v0
DEBUG=1 $BIN/python manage.py load_demo_data > "$WORK/logs/demo.log"
DEBUG=0 $BIN/python manage.py collectstatic --noinput -v0
for port in 18101 18102; do
  DEBUG=0 GUNICORN_BIND=127.0.0.1:$port GUNICORN_WORKERS=2 \
    $BIN/gunicorn -c deploy/gunicorn.conf.py config.wsgi:application > "$WORK/logs/web-$port.log" 2>&1 &
  PIDS+=($!)
done
DEBUG=0 $BIN/python manage.py db_worker > "$WORK/logs/worker.log" 2>&1 & PIDS+=($!)
DEBUG=0 $BIN/python manage.py run_scheduler > "$WORK/logs/scheduler.log" 2>&1 & PIDS+=($!)
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
$BIN/python deploy/smoke.py http://127.0.0.1:18100
# Both instances served requests: the layout is stateless across web processes.
for port in 18101 18102; do
  grep -q '"GET ' "$WORK/logs/web-$port.log" || { echo "FAIL instance $port served nothing"; exit 1; }
done
echo "ok   both gunicorn instances served requests"
