#!/usr/bin/env bash
# The main job: installs what is missing, starts Kafka and PostgreSQL (unless DATABASE_URL is set),
# creates Baton's topics, then runs inbox triage over real emails end to end (tools/main-job), or
# with --workflow lead-to-contract / demand-gen a step team's workflow (tools/main-job/flows.ts).
#   npm start [-- --workflow inbox-triage|lead-to-contract|demand-gen] [--cases N] [--keep]     npm start -- --stop
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ " $* " == *" --stop "* ]]; then
  bash tools/ensure-deps.sh
  exec node -r @swc-node/register tools/main-job/main.ts --stop
fi
exec bash tools/with-infra.sh bash -c 'node -r @swc-node/register tools/create-topics.ts && exec node -r @swc-node/register tools/main-job/main.ts "$@"' main-job "$@"
