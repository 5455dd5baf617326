#!/usr/bin/env bash
# Starts, stops or reports the local infrastructure: Apache Kafka (KRaft) and PostgreSQL.
#   deploy/local/infra.sh up|down|status
# PostgreSQL is skipped when DATABASE_URL points at a server of your own.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "${1:-}" in
  up) "$here/kafka.sh" start; node "$here/postgres.mjs" start ;;
  down) "$here/kafka.sh" stop; node "$here/postgres.mjs" stop ;;
  status) rc=0; "$here/kafka.sh" status || rc=1; node "$here/postgres.mjs" status || rc=1; exit $rc ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
