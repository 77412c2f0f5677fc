#!/usr/bin/env bash
# docker-compose.yml's kafka-topics job: every topic of dev.seedloop.events.TopicCatalogue, with its settings (ADR
# 0013), on the compose broker before any service connects. RECORD topics are kept for ever, TRANSPORT topics for
# TRANSPORT_RETENTION_MS. The lists come from the job's environment, which ComposeFileTest compares with the catalogue.
# Idempotent: an existing topic keeps its partitions and gets the settings again.
set -euo pipefail
: "${BOOTSTRAP_SERVERS:?}" "${PARTITIONS:?}" "${RECORD_TOPICS:?}" "${TRANSPORT_TOPICS:?}" "${TRANSPORT_RETENTION_MS:?}"
bin=/opt/kafka/bin

topic() {
    local name=$1 retention=$2
    local settings="cleanup.policy=delete,retention.ms=${retention},retention.bytes=-1"
    "$bin/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP_SERVERS" --create --if-not-exists --topic "$name" \
        --partitions "$PARTITIONS" --replication-factor 1 \
        --config cleanup.policy=delete --config "retention.ms=${retention}" --config retention.bytes=-1
    "$bin/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP_SERVERS" --alter --entity-type topics --entity-name "$name" \
        --add-config "$settings"
}

IFS=, read -ra record <<< "$RECORD_TOPICS"
IFS=, read -ra transport <<< "$TRANSPORT_TOPICS"
for name in "${record[@]}"; do topic "$name" -1; done
for name in "${transport[@]}"; do topic "$name" "$TRANSPORT_RETENTION_MS"; done
echo "Topics in place: ${RECORD_TOPICS},${TRANSPORT_TOPICS}"
