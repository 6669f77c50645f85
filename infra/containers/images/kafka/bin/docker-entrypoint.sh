#!/bin/bash
# KAFKA_FOO_BAR=x becomes foo.bar=x (as in the official image: ___ is '-', __ is '_'),
# except the JVM options the start script itself reads.
#
# Surge's additions (docs/security.md): SASL/SCRAM principals and ACLs.
# - SURGE_KAFKA_PRINCIPALS: the SCRAM principals (space-separated); each one's password
#   in SURGE_KAFKA_PASSWORD_<NAME> (upper case, '-' as '_'), from a Secret in Kubernetes.
#   The first is the super user the broker itself and provisioning use.
# - A fresh volume is formatted with their credentials; on an existing one the services'
#   passwords are stored again as the admin (so a changed Secret applies after a restart).
# - Topics and ACLs (surge-provision.sh, generated from @surge/contracts KAFKA_ACCESS)
#   are applied once per version of that file; then /tmp/surge-kafka-provisioned exists,
#   which the health checks require, so no service starts against a broker without them.
# The root filesystem may be read-only: everything written goes to /tmp or the data volume.
set -euo pipefail
conf_dir=/tmp/kafka-config
mkdir -p "$conf_dir"
props="$conf_dir/server.properties"
: > "$props"
chmod 600 "$props"
while IFS='=' read -r name value; do
  case "$name" in
    KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_JVM_PERFORMANCE_OPTS | KAFKA_LOG4J_OPTS | KAFKA_GC_LOG_OPTS) continue ;;
  esac
  key="${name#KAFKA_}"
  key="$(printf '%s' "$key" | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g' | tr '[:upper:]' '[:lower:]')"
  printf '%s=%s\n' "$key" "$value" >> "$props"
done < <(env | grep '^KAFKA_' || true)

password_of() {
  local var="SURGE_KAFKA_PASSWORD_$(printf '%s' "$1" | tr '[:lower:]-' '[:upper:]_')"
  [ -n "${!var:-}" ] || { echo "kafka: $var is not set (the password of principal $1)" >&2; exit 1; }
  printf '%s' "${!var}"
}

read -r -a principals <<< "${SURGE_KAFKA_PRINCIPALS:-}"
scram_args=()
if [ "${#principals[@]}" -gt 0 ]; then
  admin="${principals[0]}"
  admin_password="$(password_of "$admin")"
  # The broker authenticates to itself (inter-broker listener) as the super user.
  printf 'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";\n' \
    "$admin" "$admin_password" >> "$props"
  printf 'sasl.mechanism=SCRAM-SHA-512\nsecurity.protocol=SASL_PLAINTEXT\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";\n' \
    "$admin" "$admin_password" > "$conf_dir/admin.properties"
  chmod 600 "$conf_dir/admin.properties"
  for p in "${principals[@]}"; do
    scram_args+=(--add-scram "SCRAM-SHA-512=[name=$p,password=$(password_of "$p")]")
  done
fi

java=(java ${KAFKA_HEAP_OPTS:--Xmx1g} -XX:+UseG1GC -Djava.awt.headless=true
  -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties -cp '/opt/kafka/libs/*')
tool=(java -Xmx96m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.awt.headless=true
  -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties -cp '/opt/kafka/libs/*')
data_dir="$(sed -n 's/^log\.dirs=//p' "$props" | cut -d, -f1)"
fresh=true
[ -f "$data_dir/meta.properties" ] && fresh=false
"${java[@]}" kafka.tools.StorageTool format --ignore-formatted -t "${CLUSTER_ID:?CLUSTER_ID is required}" -c "$props" "${scram_args[@]}"

rm -f /tmp/surge-kafka-provisioned
"${java[@]}" kafka.Kafka "$props" &
broker=$!
trap 'kill -TERM "$broker" 2>/dev/null' TERM INT

failed=
create_topic() {
  "${tool[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server localhost:9092 \
    --command-config "$conf_dir/admin.properties" --create --if-not-exists --topic "$1" \
    --partitions 6 --replication-factor 1 > /dev/null || failed="$failed topic:$1"
}
allow() { # principal topic|group literal|prefixed operation[,operation...] name...
  local principal="$1" resource="$2" pattern="$3" operations="$4" args=() op
  shift 4
  for op in ${operations//,/ }; do args+=(--operation "$op"); done
  for name in "$@"; do args+=("--$resource" "$name"); done
  "${tool[@]}" org.apache.kafka.tools.AclCommand --bootstrap-server localhost:9092 \
    --command-config "$conf_dir/admin.properties" --add --allow-principal "User:$principal" \
    --resource-pattern-type "$pattern" "${args[@]}" > /dev/null || failed="$failed acl:$principal/$*"
}

provision() {
  local tries=0
  until "${tool[@]}" org.apache.kafka.tools.BrokerApiVersionsCommand --bootstrap-server localhost:9092 \
    --command-config "$conf_dir/admin.properties" > /dev/null 2>&1; do
    kill -0 "$broker" 2>/dev/null || return 1
    tries=$((tries + 1))
    if [ "$fresh" = false ] && [ $((tries % 15)) = 0 ]; then
      # Kafka stores the first SCRAM credentials only at format time: a volume formatted
      # before Surge's Kafka had SASL (or with another admin password) admits nobody.
      echo "kafka: $admin cannot log in yet; if this volume predates SASL, drop it (docker compose down -v, or delete the PVC)" >&2
    fi
    sleep 2
  done
  if [ "$fresh" = false ]; then
    # An existing volume: store the services' passwords again, so a changed Secret applies.
    for p in "${principals[@]:1}"; do
      "${tool[@]}" kafka.admin.ConfigCommand --bootstrap-server localhost:9092 \
        --command-config "$conf_dir/admin.properties" --alter --entity-type users --entity-name "$p" \
        --add-config "SCRAM-SHA-512=[password=$(password_of "$p")]" > /dev/null || failed="$failed scram:$p"
    done
  fi
  local version marker="$data_dir/surge-provisioned"
  version="$(sha256sum /opt/kafka/bin/surge-provision.sh | cut -d' ' -f1)"
  if [ "$(cat "$marker" 2>/dev/null || true)" != "$version" ]; then
    echo "kafka: provisioning topics and ACLs (surge-provision.sh $version)"
    # shellcheck source=surge-provision.sh
    . /opt/kafka/bin/surge-provision.sh
    if [ -n "$failed" ]; then
      echo "kafka: provisioning failed for$failed" >&2
      return 1
    fi
    printf '%s\n' "$version" > "$marker"
  fi
  touch /tmp/surge-kafka-provisioned
  echo 'kafka: SASL/SCRAM principals, topics and ACLs in place'
}

if [ "${#principals[@]}" -gt 0 ]; then
  # Unhealthy until it succeeds: the health check requires the marker.
  provision || echo 'kafka: provisioning failed (see above); the broker stays unhealthy' >&2
else
  touch /tmp/surge-kafka-provisioned
fi
status=0
wait "$broker" || status=$?
# A signal ends the first wait early: wait for the broker's controlled shutdown too.
while kill -0 "$broker" 2>/dev/null; do wait "$broker" || status=$?; done
exit "$status"
