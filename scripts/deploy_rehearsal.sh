#!/usr/bin/env bash
# The README's deployment, rehearsed on this machine's PostgreSQL and Redis: production settings, migrate,
# collectstatic, compilemessages, gunicorn on a local port, a Celery worker; then scripts/smoke.py logs in through
# the form as each role, verifies a certificate and has the worker render a PDF. Everything started is stopped
# by its PID, and the database dropped, however the rehearsal ends. CI runs it after the test legs.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${REHEARSAL_PORT:-18765}
work=$(mktemp -d /tmp/ocop-deploy.XXXXXX)
db="ocop_deploy_$$"
export DJANGO_SETTINGS_MODULE=ocop.settings.production
export SECRET_KEY="rehearsal-$(head -c 32 /dev/urandom | base64 | tr -dc A-Za-z0-9)"
export ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${db}"
export REDIS_URL=redis://127.0.0.1:6379/12 CELERY_BROKER_URL=redis://127.0.0.1:6379/13
export MEDIA_ROOT="$work/media" STATIC_ROOT="$work/static" EMAIL_URL=consolemail://
export SITE_URL="http://127.0.0.1:${PORT}" OCOP_TRUSTED_PROXY_COUNT=1 LOG_FORMAT=json
step() { echo; echo "--- deploy rehearsal: $* ($(date +%T))"; }

stop() {
  for name in gunicorn celery; do
    if [ -s "$work/$name.pid" ]; then
      pid=$(cat "$work/$name.pid")
      kill "$pid" 2>/dev/null && echo "stopped $name (pid $pid)"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  redis-cli -h 127.0.0.1 -n 12 flushdb >/dev/null 2>&1 || true
  redis-cli -h 127.0.0.1 -n 13 flushdb >/dev/null 2>&1 || true
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS ${db}" postgres >/dev/null 2>&1 || true
}
fail() {
  echo "deploy rehearsal FAILED; last lines of the logs:" >&2
  tail -n 40 "$work"/gunicorn.log "$work"/celery.log 2>/dev/null >&2 || true
  stop
  exit 1
}
trap fail ERR
trap stop EXIT

step "1. settings: manage.py check --deploy under ocop.settings.production"
$PY manage.py check --deploy --fail-level WARNING
step "2a. migrate on a new PostgreSQL database (${db})"
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE ${db}" postgres
$PY manage.py migrate --noinput -v1 | tail -n 3
step "2b. collectstatic (WhiteNoise's compressed manifest)"
$PY manage.py collectstatic --noinput -v1 | tail -n 1
step "2c. compilemessages"
$PY manage.py compilemessages --ignore=.venv -v1 | tail -n 1
step "data: the demo (the smoke logs in as its users)"
$PY manage.py seed_demo > "$work/seed.log" 2>&1 || { tail -n 20 "$work/seed.log"; false; }
tail -n 1 "$work/seed.log"
step "3. gunicorn on 127.0.0.1:${PORT}"
.venv/bin/gunicorn ocop.wsgi --bind "127.0.0.1:${PORT}" --workers 2 --timeout 60 --pid "$work/gunicorn.pid" \
  --access-logfile "$work/access.log" > "$work/gunicorn.log" 2>&1 &
step "4. a Celery worker"
.venv/bin/celery -A ocop worker -c 1 -l info --pidfile "$work/celery.pid" > "$work/celery.log" 2>&1 &
for _ in $(seq 150); do
  curl -fs -o /dev/null -H "X-Forwarded-Proto: https" "http://127.0.0.1:${PORT}/health/" && break
  sleep 0.2
done
for _ in $(seq 150); do grep -q "ready" "$work/celery.log" 2>/dev/null && break; sleep 0.2; done
echo "gunicorn pid $(cat "$work/gunicorn.pid"), celery pid $(cat "$work/celery.pid")"
step "5. /health/ answers 200 (database and broker)"
curl -fsS -H "X-Forwarded-Proto: https" "http://127.0.0.1:${PORT}/health/"; echo
step "smoke: logins, home pages, verification, a PDF rendered by the worker"
$PY scripts/smoke.py "http://127.0.0.1:${PORT}"
step "log lines are JSON with the request's id (the web) or the task's (the worker)"
curl -s -o /dev/null -H "X-Forwarded-Proto: https" -H "X-Request-ID: rehearsal-not-found-1" \
  "http://127.0.0.1:${PORT}/khong-co-trang-nay/"
sleep 1
$PY - "$work/gunicorn.log" "$work/celery.log" <<'PYEOF'
import json, sys
def lines(path):
    return [json.loads(line) for line in open(path, encoding="utf-8") if line.startswith("{")]
web, worker = lines(sys.argv[1]), lines(sys.argv[2])
print(f"web: {len(web)} JSON lines; worker: {len(worker)} JSON lines")
assert any(l["request_id"] == "rehearsal-not-found-1" and l["logger"] == "django.request" for l in web), web[-3:]
tasks = [l for l in worker if l["request_id"] != "-"]
assert tasks, worker[-3:]
print("the 404's line carries the id nginx would send:", [l["msg"] for l in web if l["request_id"] == "rehearsal-not-found-1"])
print("a task's line carries its task id:", tasks[-1]["request_id"], tasks[-1]["msg"][:80])
PYEOF
step "stop everything by PID"
trap - ERR
