#!/bin/bash
# Generated from @surge/contracts KAFKA_ACCESS by containerProvisionScript()
# (infra/stack/src/native/kafka-security.ts); a test fails when they differ.
# Sourced by docker-entrypoint.sh, which defines create_topic and allow.
create_topic users
create_topic users.dlq
create_topic products
create_topic products.dlq
create_topic orders
create_topic orders.dlq
create_topic payments
create_topic payments.dlq
allow user topic users literal write
allow user topic users literal describe
allow product topic products literal write
allow product topic products literal describe
allow order topic orders literal write
allow order topic orders literal describe
allow payment topic payments literal write
allow payment topic payments literal describe
allow notification topic users literal read
allow notification topic users.dlq literal write
allow notification topic orders literal read
allow notification topic orders.dlq literal write
allow notification topic payments literal read
allow notification topic payments.dlq literal write
allow notification group notification prefixed read
