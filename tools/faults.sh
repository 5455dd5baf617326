#!/usr/bin/env bash
# The fault suite, on the same infrastructure as `npm test`; figures go to tmp/faults/*.json.
#   the checker's own test, duplicated and reordered step results against a baseline, ambiguous
#   commits (services/orchestrator/src/faults/faults.int.spec.ts, BATON_FAULT_CASES=300);
#   the broker restarted 10 times and PostgreSQL stopped 5 times for 30 s under load, 300 cases
#   (faults/outages.e2e.spec.ts);
#   the kill test: 300 cases, 100 SIGKILLs of the orchestrator, the step service or both
#   (crash-recovery.e2e.spec.ts; also tmp/crash-recovery.json).
#   the soak (only with --soak): 30 minutes at BATON_FAULT_SOAK_RATE cases/s (5), RSS slope and p99 drift
#   (faults/soak.e2e.spec.ts, BATON_FAULT_SOAK_MS).
#   npm run faults [-- --runs N] [--only faults|outages|kill] [--soak]
# Environment overrides every count: BATON_FAULT_CASES, BATON_FAULT_OUTAGE_CASES,
# BATON_FAULT_BROKER_RESTARTS, BATON_FAULT_PG_STOPS, BATON_FAULT_PG_DOWN_MS, BATON_CRASH_CASES, BATON_CRASH_KILLS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=1 only="" soak=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs takes a number}"; shift 2 ;;
    --only) only="${2:?--only takes faults, outages or kill}"; shift 2 ;;
    --soak) soak=1; shift ;;
    *) echo "faults: unknown option $1" >&2; exit 2 ;;
  esac
done
export BATON_FAULT_CASES="${BATON_FAULT_CASES:-300}" BATON_FAULT_OUTAGE_CASES="${BATON_FAULT_OUTAGE_CASES:-300}"
export BATON_FAULT_BROKER_RESTARTS="${BATON_FAULT_BROKER_RESTARTS:-10}" BATON_FAULT_PG_STOPS="${BATON_FAULT_PG_STOPS:-5}" BATON_FAULT_PG_DOWN_MS="${BATON_FAULT_PG_DOWN_MS:-30000}"
export BATON_CRASH_CASES="${BATON_CRASH_CASES:-300}" BATON_CRASH_KILLS="${BATON_CRASH_KILLS:-100}"
# 100 kills with their restarts take longer than the 10 minutes a test file gets in npm test.
export BATON_TEST_TIMEOUT_MS="${BATON_TEST_TIMEOUT_MS:-3600000}"
files=()
if [ "$soak" = 1 ]; then
  # 30 minutes at a steady rate: the orchestrator's RSS slope and the drift of case latency p99 (tmp/faults/soak.json).
  export BATON_FAULT_SOAK_MS="${BATON_FAULT_SOAK_MS:-1800000}"
  only=soak
  files+=(services/orchestrator/src/faults/soak.e2e.spec.ts)
fi
[ -z "$only" ] || [ "$only" = faults ] && files+=(services/orchestrator/src/faults/faults.int.spec.ts)
[ -z "$only" ] || [ "$only" = outages ] && files+=(services/orchestrator/src/faults/outages.e2e.spec.ts)
[ -z "$only" ] || [ "$only" = kill ] && files+=(services/orchestrator/src/crash-recovery.e2e.spec.ts)
mkdir -p "$root/tmp/faults"
for i in $(seq 1 "$runs"); do
  echo "== fault suite run $i of $runs: ${files[*]}"
  BATON_KAFKA_PRINCIPAL="${BATON_KAFKA_PRINCIPAL:-admin}" bash "$root/tools/with-infra.sh" node tools/run-tests.mjs "${files[@]}"
  for f in "$root"/tmp/faults/*.json; do case "$f" in *.run-*) ;; *) cp "$f" "${f%.json}.run-$i.json" ;; esac; done
done
