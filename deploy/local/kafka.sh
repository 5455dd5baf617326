#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft) from Maven Central jars, on the machine's Java.
#   deploy/local/kafka.sh start|stop|status
# The first start fetches the jars (mvn) and formats the storage; later starts reuse both.
# Data and logs live in .baton/kafka (git-ignored). Starting a running broker is harmless.
# Environment: BATON_KAFKA_PORT (9092), BATON_KAFKA_CONTROLLER_PORT (9093), BATON_HOME (.baton).
# The broker is secured (docs/SECURITY.md, "Kafka"): SASL/SCRAM-SHA-512 users with random passwords in
# .baton/kafka/credentials.json (created at format time with --add-scram; users added to
# deploy/kafka-acls.json later are created through kafka-configs), and the ACLs of that file applied at
# every start. A data directory formatted before the broker was secured is formatted again (local data).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
home="${BATON_HOME:-$root/.baton}/kafka"
port="${BATON_KAFKA_PORT:-9092}"
cport="${BATON_KAFKA_CONTROLLER_PORT:-9093}"
pidfile="$home/broker.pid"
log="$home/broker.log"
security="$root/deploy/local/kafka-security.mjs"
export BATON_KAFKA_CREDENTIALS="${BATON_KAFKA_CREDENTIALS:-$home/credentials.json}"

need() {
  command -v java >/dev/null 2>&1 || { echo "kafka: Java 17 or newer is needed to run the local broker; install it (Debian: apt-get install -y openjdk-17-jre-headless)." >&2; exit 3; }
  [ -d "$home/lib" ] && [ -n "$(ls -A "$home/lib" 2>/dev/null)" ] && return 0
  command -v mvn >/dev/null 2>&1 || { echo "kafka: Maven is needed once to fetch the broker's jars from Maven Central; install it (Debian: apt-get install -y maven)." >&2; exit 3; }
}

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

fetch() {
  [ -d "$home/lib" ] && [ -n "$(ls -A "$home/lib" 2>/dev/null)" ] && return 0
  echo "kafka: fetching Apache Kafka 3.9.1 jars from Maven Central (first start only)..."
  mkdir -p "$home"
  if ! mvn -q -B -Dstyle.color=never -f "$root/deploy/local/kafka/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$home/lib.tmp" >"$home/fetch.log" 2>&1; then
    echo "kafka: fetching the jars failed; see $home/fetch.log" >&2; tail -n 20 "$home/fetch.log" >&2; exit 1
  fi
  mv "$home/lib.tmp" "$home/lib"
}

format() {
  if [ -f "$home/data/meta.properties" ] && [ ! -f "$home/data/scram-users" ]; then
    echo "kafka: $home/data was formatted without SASL users; formatting it again (the local topics are lost)"
    rm -rf "$home/data"
  fi
  [ -f "$home/data/meta.properties" ] && return 0
  mkdir -p "$home/data"
  local id scram=()
  id=$(java -cp "$home/lib/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
  while IFS= read -r line; do [ -n "$line" ] && scram+=(--add-scram "$line"); done < <(node "$security" scram-args)
  java -Dlog4j.configuration="file:$root/deploy/local/kafka/log4j.properties" -Dkafka.logs.dir="$home" \
    -cp "$home/lib/*" kafka.tools.StorageTool format -t "$id" -c "$home/server.properties" "${scram[@]}" >/dev/null
  node "$security" users > "$home/data/scram-users"
}

# SCRAM users of the credentials file the broker does not have yet (added to deploy/kafka-acls.json after formatting).
add_users() {
  local user cfg="$home/admin.properties"
  for user in $(node "$security" users); do
    grep -qx "$user" "$home/data/scram-users" && continue
    umask 077
    printf 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="%s";\n' "$(node "$security" admin-password)" > "$cfg"
    java -Dlog4j.configuration="file:$root/deploy/local/kafka/log4j.properties" -cp "$home/lib/*" kafka.admin.ConfigCommand \
      --bootstrap-server "127.0.0.1:$port" --command-config "$cfg" --alter --entity-type users --entity-name "$user" \
      --add-config "SCRAM-SHA-512=[password=$(node "$security" user-password "$user")]" >/dev/null
    echo "$user" >> "$home/data/scram-users"
    echo "kafka: created SASL user $user"
  done
}

render() {
  node "$security" credentials
  (umask 077; sed -e "s|@PORT@|$port|g" -e "s|@CONTROLLER_PORT@|$cport|g" -e "s|@DATA_DIR@|$home/data|g" \
    -e "s|@ADMIN_PASSWORD@|$(node "$security" admin-password)|g" \
    "$root/deploy/local/kafka/server.properties.template" > "$home/server.properties")
}

# The ACLs of deploy/kafka-acls.json (default namespace), as the admin user; idempotent.
secure() {
  add_users
  KAFKA_BROKERS="127.0.0.1:$port" node "$security" acls >/dev/null || { echo "kafka: creating the ACLs failed" >&2; exit 1; }
}

start() {
  need
  if running; then echo "kafka: already running (pid $(cat "$pidfile")) on 127.0.0.1:$port; log: $log"; return 0; fi
  if listening; then echo "kafka: something already listens on 127.0.0.1:$port; using it."; return 0; fi
  local t0=$SECONDS
  fetch
  mkdir -p "$home"
  render
  format
  : > "$log.start"
  # Only this start's lines count: broker.log keeps the lines of earlier runs.
  local seen=0; [ -f "$log" ] && seen=$(wc -l < "$log")
  nohup java ${BATON_KAFKA_HEAP:--Xms256m -Xmx1g} -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$root/deploy/local/kafka/log4j.properties" -Dkafka.logs.dir="$home" \
    -cp "$home/lib/*" kafka.Kafka "$home/server.properties" >"$log.start" 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 1 240); do
    if ! running; then echo "kafka: the broker exited during start; see $log and $log.start" >&2; tail -n 20 "$log.start" >&2; exit 1; fi
    [ -f "$log" ] && [ "$(wc -l < "$log")" -lt "$seen" ] && seen=0  # the log rolled over
    if listening && tail -n +"$((seen + 1))" "$log" 2>/dev/null | grep -q "Kafka Server started"; then
      secure
      echo "kafka: started (pid $(cat "$pidfile")) on 127.0.0.1:$port (SASL/SCRAM-SHA-512, ACLs) in $((SECONDS - t0))s; credentials: $BATON_KAFKA_CREDENTIALS; log: $log"
      return 0
    fi
    sleep 0.5
  done
  echo "kafka: the broker did not accept connections within 120s; see $log" >&2; exit 1
}

stop() {
  if ! running; then echo "kafka: not running"; rm -f "$pidfile"; return 0; fi
  local pid; pid=$(cat "$pidfile")
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$pidfile"
  echo "kafka: stopped"
}

status() {
  if running; then echo "kafka: running (pid $(cat "$pidfile")) on 127.0.0.1:$port; log: $log"; else echo "kafka: not running"; return 1; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
