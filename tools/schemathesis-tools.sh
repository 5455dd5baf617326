#!/usr/bin/env bash
# Installs schemathesis (PyPI, pinned) into a virtual environment at $BATON_SCHEMATHESIS_VENV
# (default .baton/tools/schemathesis), once, for the gateway's property-based API test
# (services/gateway/src/http/schemathesis.e2e.spec.ts, which skips, saying why, without it).
#   bash tools/schemathesis-tools.sh      prints the path of the `st` executable
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${BATON_SCHEMATHESIS_VENV:-$root/.baton/tools/schemathesis}"
SCHEMATHESIS=4.32.5
say() { echo "schemathesis-tools: $*" >&2; }
if [ ! -x "$venv/bin/st" ] || ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('schemathesis') != '$SCHEMATHESIS')" 2>/dev/null; then
  say "installing schemathesis $SCHEMATHESIS into $venv"
  python3 -m venv "$venv" || { say "python3 -m venv failed"; exit 1; }
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS" >"$venv.install.log" 2>&1 || { say "pip install failed; see $venv.install.log"; exit 1; }
fi
echo "$venv/bin/st"
