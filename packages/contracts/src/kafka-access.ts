import { TOPICS, type Topic } from './events';

/**
 * Who may do what on Kafka: the one table the broker's ACLs are generated from, in the
 * native stack, docker compose and Kubernetes alike (docs/security.md). Each service
 * authenticates as its own SCRAM principal (its name) and gets exactly:
 * - WRITE on the topics its outbox relay publishes to (its aggregate's topic; topicOf);
 * - READ on the topics it consumes, READ on its consumer groups (every group id that
 *   starts with `groups`, so a second deployment or a test file can run its own group
 *   without reaching another service's), and WRITE on the dead-letter topic of each
 *   topic it consumes (EventConsumer copies poison messages to `<topic>.dlq`).
 * Nobody but the admin principal creates topics or changes ACLs: topics are created up
 * front when the broker is provisioned (see @surge/messaging ensureTopics for why).
 */
export interface KafkaAccess {
  /** Topics the service's outbox relay publishes to. */
  produces: readonly Topic[];
  /** Topics the service's consumers read, and the prefix of their group ids. */
  consumes?: { groups: string; topics: readonly Topic[] };
}

export const KAFKA_ACCESS = {
  user: { produces: ['users'] },
  product: { produces: ['products'] },
  order: { produces: ['orders'] },
  payment: { produces: ['payments'] },
  notification: {
    produces: [],
    consumes: { groups: 'notification', topics: ['users', 'orders', 'payments'] },
  },
} as const satisfies Record<string, KafkaAccess>;

export type KafkaServicePrincipal = keyof typeof KAFKA_ACCESS;

/** The super user: provisioning (topics, ACLs), the broker's own inter-broker link, `stack dlq`. */
export const KAFKA_ADMIN_PRINCIPAL = 'surge-admin';

/**
 * Test tooling (jest, benches): reads and writes any topic, creates per-file topics and
 * joins any group, but cannot change ACLs or credentials. Provisioned by the native
 * stack only, never by compose or Kubernetes.
 */
export const KAFKA_TEST_PRINCIPAL = 'surge-test';

export const DEAD_LETTER_SUFFIX = '.dlq';

/** Every topic the system uses, with its dead-letter topic: what provisioning creates. */
export function provisionedTopics(): string[] {
  return TOPICS.flatMap((topic) => [topic, `${topic}${DEAD_LETTER_SUFFIX}`]);
}

export type KafkaOperation = 'READ' | 'WRITE' | 'DESCRIBE' | 'CREATE';

/** Where a consumer's dead-letter replays are recorded (@surge/messaging dead-letters.ts). */
export const REPLAY_LEDGER_SUFFIX = '.dlq.replayed';

/** One ALLOW rule, in the vocabulary of kafka-acls and the admin API. */
export interface KafkaAclRule {
  principal: string;
  resource: 'topic' | 'group';
  name: string;
  pattern: 'literal' | 'prefixed';
  operation: KafkaOperation;
}

/**
 * The ALLOW rules of one service, derived from KAFKA_ACCESS. DESCRIBE is implied by READ
 * and WRITE on the broker, but stated for the produced topics so that metadata requests
 * read clearly in `kafka-acls --list`. Idempotent producers need no IDEMPOTENT_WRITE on
 * Kafka 3.0 and later (KIP-679): WRITE on a topic is enough.
 */
export function kafkaAclRules(principal: KafkaServicePrincipal): KafkaAclRule[] {
  const access: KafkaAccess = KAFKA_ACCESS[principal];
  const rule = (
    resource: KafkaAclRule['resource'],
    name: string,
    operation: KafkaOperation,
    pattern: KafkaAclRule['pattern'] = 'literal',
  ): KafkaAclRule => ({ principal, resource, name, pattern, operation });
  const rules = access.produces.flatMap((topic) => [
    rule('topic', topic, 'WRITE'),
    rule('topic', topic, 'DESCRIBE'),
  ]);
  if (access.consumes) {
    for (const topic of access.consumes.topics) {
      const deadLetters = `${topic}${DEAD_LETTER_SUFFIX}`;
      const ledger = `${topic}${REPLAY_LEDGER_SUFFIX}`;
      rules.push(
        rule('topic', topic, 'READ'),
        rule('topic', deadLetters, 'WRITE'),
        // Its dead letters, listed and replayed from its admin listener (the operations
        // console): it reads them and their replay ledger, and keeps the ledger.
        rule('topic', deadLetters, 'READ'),
        rule('topic', ledger, 'READ'),
        rule('topic', ledger, 'WRITE'),
        rule('topic', ledger, 'CREATE'),
        // A replay republishes a dead letter to the topic it failed on. The one exception
        // to "each producer writes its own topic": the consumer writes back only topics it
        // consumes, so a forged event could reach no consumer but itself in this table
        // (kafka-acls.security.test.ts keeps it off every other topic).
        rule('topic', topic, 'WRITE'),
      );
    }
    rules.push(rule('group', access.consumes.groups, 'READ', 'prefixed'));
  }
  return rules;
}

/** Every service principal's rules, in a stable order. */
export function allKafkaAclRules(): KafkaAclRule[] {
  return (Object.keys(KAFKA_ACCESS) as KafkaServicePrincipal[]).flatMap(kafkaAclRules);
}
