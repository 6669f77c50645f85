#!/bin/bash
# Generated from @surge/contracts KAFKA_ACCESS by containerProvisionScript()
# (infra/stack/src/native/kafka-security.ts); a test fails when they differ.
# Sourced by docker-entrypoint.sh, which defines create_topic and allow
# (allow <principal> <topic|group> <literal|prefixed> <operations,...> <names...>).
create_topic users
create_topic users.dlq
create_topic products
create_topic products.dlq
create_topic orders
create_topic orders.dlq
create_topic payments
create_topic payments.dlq
allow user topic literal write,describe users
allow product topic literal write,describe products
allow order topic literal write,describe orders
allow payment topic literal write,describe payments
allow notification topic literal read users users.dlq users.dlq.replayed orders orders.dlq orders.dlq.replayed payments payments.dlq payments.dlq.replayed
allow notification topic literal write users.dlq users.dlq.replayed users orders.dlq orders.dlq.replayed orders payments.dlq payments.dlq.replayed payments
allow notification topic literal create users.dlq.replayed orders.dlq.replayed payments.dlq.replayed
allow notification group prefixed read notification
