#!/usr/bin/env bash
# The main job: installs what is missing, starts Kafka and PostgreSQL (unless DATABASE_URL is set),
# creates Baton's topics, then runs inbox triage over real emails end to end (tools/main-job).
#   npm start [-- --cases N] [--keep]     npm start -- --stop
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash tools/ensure-deps.sh
if [[ " $* " == *" --stop "* ]]; then
  exec node -r @swc-node/register tools/main-job/main.ts --stop
fi
bash deploy/local/infra.sh up
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${BATON_KAFKA_PORT:-9092}}"
export DATABASE_URL="${DATABASE_URL:-$(node deploy/local/postgres.mjs url)}"
node -r @swc-node/register tools/create-topics.ts
exec node -r @swc-node/register tools/main-job/main.ts "$@"
