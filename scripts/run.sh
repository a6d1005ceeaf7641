#!/usr/bin/env bash
# Sets up and runs the assistant on its embedded defaults: SQLite, local servers, the web chat page.
#   action server :5055   Rasa :5005   web chat :8080      Stop with Ctrl-C.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash scripts/setup.sh

mkdir -p var/logs
pids=()
stop_all() { for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || true; done; }
trap stop_all EXIT INT TERM

start() {  # name, command...
  local name=$1; shift
  setsid "$@" > "var/logs/$name.log" 2>&1 &
  pids+=($!)
}
wait_for() {  # url, name
  for _ in $(seq 1 240); do
    .venv/app/bin/python -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1" \
      2>/dev/null && return 0
    sleep 1
  done
  echo "$2 did not start; see var/logs/$2.log" >&2; tail -20 "var/logs/$2.log" >&2; exit 1
}

credentials=bot/credentials.yml
# Closed by default: Rasa and the action server listen on loopback only; the web server (the public face) proxies
# the chat webhook. Rasa's HTTP API (trackers, model) needs RASA_TOKEN, generated here when unset and never printed.
export RASA_TOKEN="${RASA_TOKEN:-$(.venv/app/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')}"
export SANIC_HOST=127.0.0.1
.venv/app/bin/python -m suixing.retention || echo "retention run failed; see above" >&2   # also daily, below
start actions .venv/app/bin/python -m rasa_sdk --actions actions --port 5055
start rasa .venv/rasa/bin/rasa run --model models/suixing.tar.gz -i 127.0.0.1 --port 5005 \
  --enable-api --auth-token "$RASA_TOKEN" --cors "http://localhost:8080" \
  --endpoints bot/endpoints.yml --credentials "$credentials"
start retention bash -c 'while sleep 86400; do .venv/app/bin/python -m suixing.retention; done'
start web .venv/app/bin/python web/serve.py --port 8080 --rasa-url http://localhost:5005
say "Starting (Rasa loads its model in about a minute)…"
wait_for http://127.0.0.1:5055/health actions
wait_for http://127.0.0.1:5005/ rasa
wait_for http://localhost:8080/ web
cat <<MSG

  随行 Suixing is running:
    web chat page     http://localhost:8080
    hotline console   http://localhost:8080/console
    Rasa REST channel http://127.0.0.1:5005/webhooks/rest/webhook   (loopback only; API needs \$RASA_TOKEN)
    action server     http://127.0.0.1:5055/health                   (loopback only)
    logs              var/logs/   hand-over cases  var/cases/
  Press Ctrl-C to stop.
MSG
wait
