#!/usr/bin/env bash
# The benchmark: installs what is missing, starts the local Kafka and PostgreSQL (unless
# DATABASE_URL points elsewhere), then runs bench/src/main.ts with the arguments given.
#   npm run bench [-- --cases N]
# Writes bench/results/latest.json and bench/results/latest.md and prints the Markdown.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec bash "$root/tools/with-infra.sh" node -r @swc-node/register bench/src/main.ts "$@"
