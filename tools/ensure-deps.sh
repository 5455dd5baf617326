#!/usr/bin/env bash
# Installs the npm packages from the lockfile when they are missing or older than it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v node >/dev/null || { echo "baton: Node.js 20 or newer is needed (https://nodejs.org or apt-get install nodejs)." >&2; exit 3; }
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "baton: installing npm packages (npm ci)..."
  npm ci --no-audit --no-fund --loglevel=error
fi
