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
start actions .venv/app/bin/python -m rasa_sdk --actions actions --port 5055
start rasa .venv/rasa/bin/rasa run --model models/suixing.tar.gz --port 5005 --enable-api --cors "*" \
  --endpoints bot/endpoints.yml --credentials "$credentials"
start web .venv/app/bin/python web/serve.py --port 8080 --rasa-url http://localhost:5005
say "Starting (Rasa loads its model in about a minute)…"
wait_for http://localhost:5055/health actions
wait_for http://localhost:5005/status rasa
wait_for http://localhost:8080/ web
cat <<MSG

  随行 Suixing is running:
    web chat page     http://localhost:8080
    hotline console   http://localhost:8080/console
    Rasa REST channel http://localhost:5005/webhooks/rest/webhook
    action server     http://localhost:5055/health
    logs              var/logs/   hand-over cases  var/cases/
  Press Ctrl-C to stop.
MSG
wait
