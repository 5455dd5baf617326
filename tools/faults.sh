#!/usr/bin/env bash
# The fault suite: the kill test in full (240 cases, 18 SIGKILLs of the orchestrator, the step
# service, or both), on the same infrastructure as `npm test`. Figures go to tmp/crash-recovery.json.
#   npm run faults [-- --runs N]
# Environment: BATON_CRASH_CASES (240), BATON_CRASH_KILLS (18).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=1
if [ "${1:-}" = "--runs" ]; then runs="${2:?--runs takes a number}"; fi
export BATON_CRASH_CASES="${BATON_CRASH_CASES:-240}" BATON_CRASH_KILLS="${BATON_CRASH_KILLS:-18}"
mkdir -p "$root/tmp"
for i in $(seq 1 "$runs"); do
  echo "== fault suite run $i of $runs: $BATON_CRASH_CASES cases, $BATON_CRASH_KILLS kills"
  bash "$root/tools/with-infra.sh" node tools/run-tests.mjs services/orchestrator/src/crash-recovery.e2e.spec.ts
  cp "$root/tmp/crash-recovery.json" "$root/tmp/crash-recovery.run-$i.json"
done
