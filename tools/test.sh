#!/usr/bin/env bash
# The test command: installs what is missing, starts the local Kafka broker and PostgreSQL
# (unless DATABASE_URL is set), then runs every test.
#   npm test [-- path-filter ...]
# Ends with the line: N passed, N failed[, N skipped]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Tests (and the services they start, each in its own topic namespace) are the admin principal of the
# secured local broker; the per-service principals and their ACLs have their own test (libs/kafka acls).
export BATON_KAFKA_PRINCIPAL="${BATON_KAFKA_PRINCIPAL:-admin}"
exec bash "$root/tools/with-infra.sh" node tools/run-tests.mjs "$@"
