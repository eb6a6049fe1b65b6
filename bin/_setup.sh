# Shared set-up for bin/demo and bin/test: Python env through uv, front-end packages through npm.
# Sourced, not run. Works on a fresh machine: installs uv if missing and picks a Python >= 3.12.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.local/bin:$PATH"

source "$ROOT/bin/_run.sh"

if ! command -v uv >/dev/null 2>&1; then
  say "Installing uv"
  python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv \
    || python3 -m pip install --quiet --break-system-packages uv
fi

# Where pyenv holds a Python >= 3.12, use it and stop uv from downloading one (uv trips over pyenv's
# shims otherwise). Elsewhere uv finds or downloads a suitable Python on its own.
if [ -z "${UV_PYTHON:-}" ] && command -v pyenv >/dev/null 2>&1; then
  best="$(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9])(\.[0-9]+)?$' | sort -V | tail -n 1 || true)"
  if [ -n "$best" ]; then
    export UV_PYTHON="$(pyenv root)/versions/$best/bin/python3"
    export UV_PYTHON_DOWNLOADS=never
  fi
fi

say "Installing Python packages (uv sync)"
uv sync --locked --quiet

if command -v npm >/dev/null 2>&1; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "Installing front-end packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
  # The dashboard's ECharts bundle and Leaflet, into frontend-build/ (git-ignored): rebuilt when the lock,
  # package.json or the entry files change.
  if [ ! -f frontend-build/.built ] || [ package-lock.json -nt frontend-build/.built ] \
    || [ package.json -nt frontend-build/.built ] \
    || [ -n "$(find gridgov/ui/dashboard/frontend gridgov/ui/phone/frontend -newer frontend-build/.built -print -quit)" ]; then
    say "Building the front-end bundles (npm run build)"
    npm run --silent build
  fi
else
  say "npm not found: charts and maps will be missing (install Node.js to get them)"
fi

manage() { uv run --locked python manage.py "$@"; }
