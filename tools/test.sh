#!/usr/bin/env bash
# The test command: installs what is missing, starts the local Kafka broker and PostgreSQL
# (unless DATABASE_URL is set), checks the Avro contracts' compatibility, then runs every test.
#   npm test [-- path-filter ...]
# Ends with the line: N passed, N failed[, N skipped]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash tools/ensure-deps.sh
bash deploy/local/infra.sh up
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${BATON_KAFKA_PORT:-9092}}"
export DATABASE_URL="${DATABASE_URL:-$(node deploy/local/postgres.mjs url)}"
exec node tools/run-tests.mjs "$@"
