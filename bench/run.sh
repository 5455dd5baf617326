#!/usr/bin/env bash
# The benchmark: installs what is missing, starts the local Kafka and PostgreSQL (unless
# DATABASE_URL points elsewhere), then runs bench/src/main.ts with the arguments given.
#   npm run bench [-- --cases N] [-- --peers]
# Writes bench/results/latest.json and bench/results/latest.md and prints the Markdown.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# --peers / --peers-only: install the peers first (once; cached in .baton/peers).
for arg in "$@"; do
  case "$arg" in --peers|--peers-only) bash "$root/bench/peers/install.sh"; break ;; esac
done
# The bench runs in its own topic namespace, as the local broker's admin principal (deploy/kafka-acls.json holds the default namespace's ACLs).
export BATON_KAFKA_PRINCIPAL="${BATON_KAFKA_PRINCIPAL:-admin}"
exec bash "$root/tools/with-infra.sh" node -r @swc-node/register bench/src/main.ts "$@"
