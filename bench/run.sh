#!/usr/bin/env bash
# The benchmark: installs what is missing, starts the local Kafka and PostgreSQL (unless
# DATABASE_URL points elsewhere), then runs bench/src/main.ts with the arguments given.
#   npm run bench [-- --cases N]
# Writes bench/results/latest.json and bench/results/latest.md and prints the Markdown.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash tools/ensure-deps.sh
bash deploy/local/infra.sh up
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${BATON_KAFKA_PORT:-9092}}"
export DATABASE_URL="${DATABASE_URL:-$(node deploy/local/postgres.mjs url)}"
export SWC_NODE_PROJECT="$root/tsconfig.json"
exec node -r @swc-node/register bench/src/main.ts "$@"
