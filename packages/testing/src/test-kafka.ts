import { devKafkaPassword } from '@surge/config';
import { KAFKA_TEST_PRINCIPAL, type KafkaServicePrincipal } from '@surge/contracts';

/**
 * Kafka principals in tests. The broker the jest global setup provisions has SASL/SCRAM
 * and ACLs on (infra/stack/src/native/kafka-security.ts) with the development passwords,
 * so a service under test connects as itself, with exactly its production rights, and
 * test code that publishes or reads directly connects as the test principal.
 */
export interface TestKafkaCredentials {
  username: string;
  password: string;
}

/** The test principal: any topic, any group, per-file topics; no ACL or credential changes. */
export function testKafkaCredentials(): TestKafkaCredentials {
  return { username: KAFKA_TEST_PRINCIPAL, password: devKafkaPassword(KAFKA_TEST_PRINCIPAL) };
}

/** The principal of a service, as its config takes it (spread into the service's env). */
export function serviceKafkaEnv(service: KafkaServicePrincipal | string): {
  KAFKA_SASL_USERNAME: string;
  KAFKA_SASL_PASSWORD: string;
} {
  return { KAFKA_SASL_USERNAME: service, KAFKA_SASL_PASSWORD: devKafkaPassword(service) };
}

/** kafkajs `sasl` settings for a principal. */
export function kafkaSaslOptions(credentials: TestKafkaCredentials = testKafkaCredentials()): {
  mechanism: 'scram-sha-512';
  username: string;
  password: string;
} {
  return { mechanism: 'scram-sha-512', ...credentials };
}
