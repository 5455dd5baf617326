#!/usr/bin/env bash
# The test command: installs what is missing, starts the local Kafka broker and PostgreSQL
# (unless DATABASE_URL is set), then runs every test.
#   npm test [-- path-filter ...]
# Ends with the line: N passed, N failed[, N skipped]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec bash "$root/tools/with-infra.sh" node tools/run-tests.mjs "$@"
