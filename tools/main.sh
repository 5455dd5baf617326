#!/usr/bin/env bash
# The main job. Until the inbox-triage demo lands, it installs what is missing and starts the
# local infrastructure (Kafka and PostgreSQL), creates Baton's topics, and says so.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash tools/ensure-deps.sh
bash deploy/local/infra.sh up
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${BATON_KAFKA_PORT:-9092}}"
node -r @swc-node/register tools/create-topics.ts
echo
echo "baton: the main job (inbox triage over the SpamAssassin corpus) is not built yet."
echo "baton: the local infrastructure is up; stop it with: npm run infra -- down"
