#!/usr/bin/env bash
# Runs a command with everything it needs: installs missing npm packages, starts the local Kafka
# broker and PostgreSQL (unless DATABASE_URL points at a server of your own), and exports
# KAFKA_BROKERS, DATABASE_URL and BATON_KAFKA_CREDENTIALS for it.
#   bash tools/with-infra.sh <command> [args...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash tools/ensure-deps.sh
bash deploy/local/infra.sh up
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${BATON_KAFKA_PORT:-9092}}"
export DATABASE_URL="${DATABASE_URL:-$(node deploy/local/postgres.mjs url)}"
# The local broker's SASL credentials (deploy/local/kafka.sh), by absolute path: a test may give its services another BATON_HOME.
export BATON_KAFKA_CREDENTIALS="${BATON_KAFKA_CREDENTIALS:-${BATON_HOME:-$root/.baton}/kafka/credentials.json}"
export SWC_NODE_PROJECT="$root/tsconfig.json"
exec "$@"
