# Shared by setup.sh, run.sh and test.sh: paths, the Python 3.10 interpreter, quiet pip, fingerprints.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PYTHONPATH="$ROOT"
export PIP_DISABLE_PIP_VERSION_CHECK=1
export RASA_TELEMETRY_ENABLED=false   # no internet here: Rasa would keep retrying its telemetry server

say() { printf '\033[1m== %s\033[0m\n' "$*"; }

find_python310() {
  # Python 3.10 on PATH is the stated prerequisite; pyenv installs are found too.
  local candidate
  for candidate in "${PYTHON310:-}" "$(command -v python3.10 2>/dev/null || true)" \
      "$HOME"/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "Python 3.10 is required (Rasa 3.6 runs on 3.8-3.10). Install it and put python3.10 on PATH." >&2
  return 1
}

# pip prints one warning per package for this machine's missing local mirrors; keep real errors visible.
quiet_pip() { "$@" 2>&1 | grep -v "is ignored: it is neither a file nor a directory" || return "${PIPESTATUS[0]}"; }

# A fingerprint of files: when it changes, the product built from them is rebuilt.
fingerprint() { find "$@" -type f ! -name '*.pyc' ! -path '*/__pycache__/*' -print0 2>/dev/null | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16; }
