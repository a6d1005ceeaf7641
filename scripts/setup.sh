#!/usr/bin/env bash
# Sets up everything the assistant needs, idempotently: both virtualenvs, the knowledge base, the trained model.
# Usage: scripts/setup.sh [--with-browser]   (--with-browser also installs Debian's chromium for the browser tests)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

with_browser=no
[ "${1:-}" = "--with-browser" ] && with_browser=yes
mkdir -p var models

apt_install() {
  local missing=()
  for package in "$@"; do dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing Debian packages: ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
# CJK fonts: charts and screenshots show Chinese text.
apt_install fonts-wqy-microhei
[ "$with_browser" = yes ] && apt_install chromium fonts-noto-color-emoji   # emoji glyphs in screenshots

make_venv() {  # name, requirements file
  local venv=".venv/$1" requirements="requirements/$2" stamp=".venv/$1/.requirements.sha"
  local want; want=$(sha256sum "$requirements" | cut -c1-16)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "Creating $venv from $requirements (a few minutes the first time)"
  local python; python=$(find_python310)
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  quiet_pip "$venv/bin/pip" install -q --upgrade "pip<24.1" wheel
  quiet_pip "$venv/bin/pip" install -q -r "$requirements"
  echo "$want" > "$stamp"
}
make_venv app app.txt
make_venv rasa rasa.txt

say "Building the knowledge base (var/knowledge.db)"
.venv/app/bin/python -m knowledge build

model_inputs=$(fingerprint config.yml bot/domain bot/data bot/components bot/jieba_userdict.txt)
if [ -f models/suixing.tar.gz ] && [ "$(cat models/.inputs.sha 2>/dev/null)" = "$model_inputs" ]; then
  say "The model is up to date (models/suixing.tar.gz)"
else
  say "Training the model (about 5-10 minutes on 2 cores)"
  start=$(date +%s)
  .venv/rasa/bin/rasa train --config config.yml --domain bot/domain --data bot/data --out models \
    --fixed-model-name suixing
  echo "$model_inputs" > models/.inputs.sha
  say "Trained in $(( $(date +%s) - start )) s"
fi
