import fs from 'node:fs';
import path from 'node:path';

import {
  KAFKA_ACCESS,
  KAFKA_ADMIN_PRINCIPAL,
  KAFKA_TEST_PRINCIPAL,
  allKafkaAclRules,
  provisionedTopics,
  type KafkaAclRule,
} from '@surge/contracts';
import { devKafkaPassword } from '@surge/config';
import {
  type Admin,
  type AclFilter,
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  ResourcePatternTypes,
  logLevel,
} from 'kafkajs';

import type { SurgePaths } from './paths';

/**
 * Kafka security of the native stack (docs/security.md): SCRAM-SHA-512 principals with
 * their development passwords, and the ACLs of @surge/contracts KAFKA_ACCESS. The same
 * table feeds docker compose and Kubernetes (infra/containers/images/kafka/bin).
 */

export interface KafkaCredentials {
  username: string;
  password: string;
}

/** The admin principal with its development password (the super user). */
export function adminCredentials(env: NodeJS.ProcessEnv = process.env): KafkaCredentials {
  return {
    username: KAFKA_ADMIN_PRINCIPAL,
    password: env['SURGE_KAFKA_ADMIN_PASSWORD'] || devKafkaPassword(KAFKA_ADMIN_PRINCIPAL),
  };
}

/** The test principal with its development password (benches, test tooling). */
export function testPrincipalCredentials(): KafkaCredentials {
  return { username: KAFKA_TEST_PRINCIPAL, password: devKafkaPassword(KAFKA_TEST_PRINCIPAL) };
}

/** Every principal the native broker knows, with its development password. */
export function nativePrincipals(env: NodeJS.ProcessEnv = process.env): KafkaCredentials[] {
  const names = [KAFKA_TEST_PRINCIPAL, ...Object.keys(KAFKA_ACCESS)];
  return [
    adminCredentials(env),
    ...names.map((username) => ({ username, password: devKafkaPassword(username) })),
  ];
}

/** `kafka-storage format` arguments that store every principal's SCRAM credentials. */
export function formatScramArgs(principals: KafkaCredentials[]): string[] {
  return principals.flatMap(({ username, password }) => [
    '--add-scram',
    `SCRAM-SHA-512=[name=${username},password=${password}]`,
  ]);
}

/**
 * server.properties lines: SASL_PLAINTEXT with SCRAM-SHA-512 for clients and the broker
 * itself, the KRaft StandardAuthorizer, and deny-by-default. The controller listener
 * stays PLAINTEXT on loopback: the broker registers with the controller over it as
 * User:ANONYMOUS, which therefore must be a super user. No client can reach that
 * principal any other way (the client listener refuses unauthenticated connections);
 * whoever can reach the loopback controller port can already read the data directory.
 */
export function securityProperties(admin: KafkaCredentials): string[] {
  return [
    'sasl.enabled.mechanisms=SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    `listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${admin.username}" password="${admin.password}";`,
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found=false',
    `super.users=User:${admin.username};User:ANONYMOUS`,
  ];
}

/**
 * Whether the data directory was formatted with these principals' credentials. A new
 * principal in KAFKA_ACCESS needs a fresh data directory natively (kafka.ts moves the old
 * one aside), since Kafka takes the first credentials only at format time.
 */
export function hasScramMarker(paths: SurgePaths, principals: KafkaCredentials[]): boolean {
  const marker = scramMarker(paths);
  return fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === principalList(principals);
}

export function writeScramMarker(paths: SurgePaths, principals: KafkaCredentials[]): void {
  fs.writeFileSync(scramMarker(paths), `${principalList(principals)}\n`);
}

function principalList(principals: KafkaCredentials[]): string {
  return principals.map((p) => p.username).join(',');
}

function scramMarker(paths: SurgePaths): string {
  return path.join(paths.kafkaData, 'surge-scram-principals');
}

/** A quiet kafkajs client of the admin principal. */
export function adminClient(brokers: string[], admin: KafkaCredentials): Kafka {
  return new Kafka({
    clientId: 'surge-infra',
    brokers,
    sasl: { mechanism: 'scram-sha-512', username: admin.username, password: admin.password },
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 5_000,
    retry: { retries: 0 },
  });
}

/**
 * Creates every topic (with its dead-letter topic) and makes each service principal's
 * ALLOW rules exactly those of KAFKA_ACCESS: missing ones are added, ones no longer in the
 * table removed. The test principal gets every topic and group. Safe to run again.
 */
export async function provisionKafkaAccess(brokers: string[], admin: KafkaCredentials): Promise<void> {
  const client = adminClient(brokers, admin).admin();
  await client.connect();
  try {
    const existing = new Set(await client.listTopics());
    const missing = provisionedTopics().filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await client.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: 6, replicationFactor: 1 })),
      });
    }
    await client.createAcls({ acl: [...allKafkaAclRules(), ...testPrincipalRules()].map(toAcl) });
    await removeStaleRules(client);
  } finally {
    await client.disconnect();
  }
}

function testPrincipalRules(): Array<Omit<KafkaAclRule, 'operation'> & { operation: 'ALL' }> {
  return (['topic', 'group'] as const).map((resource) => ({
    principal: KAFKA_TEST_PRINCIPAL,
    resource,
    name: '*',
    pattern: 'literal',
    operation: 'ALL',
  }));
}

type Rule = Omit<KafkaAclRule, 'operation'> & { operation: KafkaAclRule['operation'] | 'ALL' };

function toAcl(rule: Rule) {
  return {
    resourceType: rule.resource === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
    resourceName: rule.name,
    resourcePatternType:
      rule.pattern === 'literal' ? ResourcePatternTypes.LITERAL : ResourcePatternTypes.PREFIXED,
    principal: `User:${rule.principal}`,
    host: '*',
    operation: AclOperationTypes[rule.operation],
    permissionType: AclPermissionTypes.ALLOW,
  };
}

/** Deletes service principals' ACLs that the table no longer grants (a narrowed access). */
async function removeStaleRules(client: Admin): Promise<void> {
  const wanted = new Set(allKafkaAclRules().map((rule) => JSON.stringify(toAcl(rule))));
  const stale: AclFilter[] = [];
  for (const principal of Object.keys(KAFKA_ACCESS)) {
    const { resources } = await client.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      principal: `User:${principal}`,
      host: '*',
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    for (const resource of resources) {
      for (const acl of resource.acls) {
        const binding = {
          resourceType: resource.resourceType,
          resourceName: resource.resourceName,
          resourcePatternType: resource.resourcePatternType,
          principal: acl.principal,
          host: acl.host,
          operation: acl.operation,
          permissionType: acl.permissionType,
        };
        if (!wanted.has(JSON.stringify(binding))) stale.push(binding);
      }
    }
  }
  if (stale.length > 0) await client.deleteAcls({ filters: stale });
}

/**
 * The provisioning steps of the Kafka container image (compose, Kubernetes), generated
 * from KAFKA_ACCESS so the two cannot drift: infra/containers/images/kafka/bin/
 * surge-provision.sh is this text, and a test compares them. Calls the image's
 * `create_topic` and `allow` shell functions (docker-entrypoint.sh).
 */
export function containerProvisionScript(): string {
  const lines = [
    '#!/bin/bash',
    '# Generated from @surge/contracts KAFKA_ACCESS by containerProvisionScript()',
    '# (infra/stack/src/native/kafka-security.ts); a test fails when they differ.',
    '# Sourced by docker-entrypoint.sh, which defines create_topic and allow',
    '# (allow <principal> <topic|group> <literal|prefixed> <operations,...> <names...>).',
    ...provisionedTopics().map((topic) => `create_topic ${topic}`),
    ...batchedRules().map(
      ({ principal, resource, pattern, operations, names }) =>
        `allow ${principal} ${resource} ${pattern} ${operations.join(',')} ${names.join(' ')}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The ACL rules in as few kafka-acls calls as possible (each starts a JVM, seconds on a
 * busy machine): one per principal, resource type and pattern whose operations apply to
 * the same names; kafka-acls adds every operation on every name it is given.
 */
function batchedRules(): Array<{
  principal: string;
  resource: string;
  pattern: string;
  operations: string[];
  names: string[];
}> {
  const byOperation = new Map<string, { rule: KafkaAclRule; names: string[] }>();
  for (const rule of allKafkaAclRules()) {
    const key = [rule.principal, rule.resource, rule.pattern, rule.operation].join(' ');
    const entry = byOperation.get(key) ?? { rule, names: [] };
    entry.names.push(rule.name);
    byOperation.set(key, entry);
  }
  const byNames = new Map<string, { rule: KafkaAclRule; names: string[]; operations: string[] }>();
  for (const { rule, names } of byOperation.values()) {
    const key = [rule.principal, rule.resource, rule.pattern, ...names].join(' ');
    const entry = byNames.get(key) ?? { rule, names, operations: [] };
    entry.operations.push(rule.operation.toLowerCase());
    byNames.set(key, entry);
  }
  return [...byNames.values()].map(({ rule, names, operations }) => ({
    principal: rule.principal,
    resource: rule.resource,
    pattern: rule.pattern,
    operations,
    names,
  }));
}
