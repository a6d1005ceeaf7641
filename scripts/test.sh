#!/usr/bin/env bash
# Sets up everything (venvs, Chromium, knowledge base, model) and runs the whole test suite.
# Every stage runs even when an earlier one fails; the exit code is non-zero if any stage failed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash scripts/setup.sh --with-browser

failed=()
stage() {  # name, command...
  local name=$1; shift
  say "$name"
  local start; start=$(date +%s)
  if "$@"; then echo "-- $name: ok ($(( $(date +%s) - start )) s)"
  else echo "-- $name: FAILED ($(( $(date +%s) - start )) s)"; failed+=("$name"); fi
}
rasa=.venv/rasa/bin/rasa
stage "Rasa data validation" $rasa data validate --domain bot/domain --data bot/data --config config.yml \
  --fail-on-warnings
stage "Conversation test stories" $rasa test core --stories bot/tests --model models/suixing.tar.gz \
  --out var/results/core --fail-on-prediction-errors
stage "NLU evaluation on held-out data" .venv/rasa/bin/python scripts/evaluate_nlu.py
stage "Rasa-side tests (components, channels)" .venv/rasa/bin/python -m pytest tests/bot -q
stage "Tests (rules engine, knowledge, actions, end to end, browser)" .venv/app/bin/python -m pytest tests \
  --ignore=tests/bot -q

if [ ${#failed[@]} -gt 0 ]; then
  echo "Failed stages: ${failed[*]}"; exit 1
fi
echo "All stages passed."
