#!/usr/bin/env bash
# Installs the peers of `npm run bench -- --peers`, once, into .baton/peers (git-ignored):
#   - npm: the packages of bench/peers/package.json (Restate server and SDK, DBOS, Temporal's
#     TypeScript SDK) into .baton/peers/npm, apart from the workspace's node_modules, so that the
#     workspace's dependency tree and `npm ci` stay as they are;
#   - Go: the `temporal` CLI (its dev server), built from the Go module proxy into .baton/peers/bin.
# Each part is skipped when its output is already there for the pinned version, and a part that
# fails does not stop the others: the benchmark reports that peer as "not measured" with the
# reason written to .baton/peers/<part>.error.
#   bash bench/peers/install.sh
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
peers="${BATON_HOME:-$root/.baton}/peers"
# v1.9.1 (latest on the proxy) replaces its nested module cliext with a local path that the module
# zip leaves out, so `go install` refuses it; v1.5.1 is the newest that builds from the proxy.
temporal_version="${BATON_PEER_TEMPORAL_CLI:-v1.5.1}"
mkdir -p "$peers/npm" "$peers/bin"
say() { echo "peers: $*" >&2; }

install_npm() {
  local stamp="$peers/npm/.installed"
  # The peers' programs under bench/peers resolve their packages through this link (git-ignored).
  ln -sfn "$peers/npm/node_modules" "$root/bench/peers/node_modules"
  if [ -f "$stamp" ] && cmp -s "$root/bench/peers/package-lock.json" "$peers/npm/package-lock.json"; then return 0; fi
  say "npm: installing the peers' packages into $peers/npm (once)"
  cp "$root/bench/peers/package.json" "$root/bench/peers/package-lock.json" "$peers/npm/"
  (cd "$peers/npm" && npm ci --no-audit --no-fund --loglevel=error) >"$peers/npm.log" 2>&1 || {
    tail -5 "$peers/npm.log" >"$peers/npm.error"; say "npm: failed, see $peers/npm.log"; return 1; }
  rm -f "$peers/npm.error"; touch "$stamp"
}

install_temporal() {
  local bin="$peers/bin/temporal-$temporal_version"
  [ -x "$bin" ] && return 0
  if ! command -v go >/dev/null; then echo "no Go toolchain on PATH to build the temporal CLI" >"$peers/temporal.error"; return 1; fi
  mkdir -p "$peers/bin/.build"
  say "go: building the temporal CLI $temporal_version from the module proxy (once; several minutes)"
  GOBIN="$peers/bin/.build" GOFLAGS=-buildvcs=false nice -n 10 go install "github.com/temporalio/cli/cmd/temporal@$temporal_version" \
    >"$peers/temporal-build.log" 2>&1 || {
    tail -5 "$peers/temporal-build.log" >"$peers/temporal.error"; say "go: failed, see $peers/temporal-build.log"; return 1; }
  mv "$peers/bin/.build/temporal" "$bin" && rm -f "$peers/temporal.error"
}

install_npm
install_temporal
exit 0
