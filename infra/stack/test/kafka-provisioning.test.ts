import fs from 'node:fs';
import path from 'node:path';

import { KAFKA_ACCESS, kafkaAclRules } from '@surge/contracts';

import { containerProvisionScript, formatScramArgs, nativePrincipals } from '../src/native/kafka-security';

const repo = path.resolve(__dirname, '../../..');

describe('Kafka provisioning', () => {
  it("the container image's provisioning script is the one generated from KAFKA_ACCESS", () => {
    const committed = fs.readFileSync(
      path.join(repo, 'infra/containers/images/kafka/bin/surge-provision.sh'),
      'utf8',
    );
    // To refresh it: print containerProvisionScript() into that file.
    expect(committed).toBe(containerProvisionScript());
  });

  it('grants a producer WRITE and DESCRIBE on its own topic and nothing else', () => {
    expect(kafkaAclRules('order')).toEqual([
      { principal: 'order', resource: 'topic', name: 'orders', pattern: 'literal', operation: 'WRITE' },
      { principal: 'order', resource: 'topic', name: 'orders', pattern: 'literal', operation: 'DESCRIBE' },
    ]);
  });

  it('grants a consumer READ on what it consumes and its groups, WRITE on their dead-letter topics and ledgers, and a replay back into them only', () => {
    const rules = kafkaAclRules('notification');
    const writes = rules.filter((rule) => rule.operation === 'WRITE').map((rule) => rule.name);
    expect(writes.sort()).toEqual([
      'orders',
      'orders.dlq',
      'orders.dlq.replayed',
      'payments',
      'payments.dlq',
      'payments.dlq.replayed',
      'users',
      'users.dlq',
      'users.dlq.replayed',
    ]);
    const creates = rules.filter((rule) => rule.operation === 'CREATE').map((rule) => rule.name);
    expect(creates.sort()).toEqual(['orders.dlq.replayed', 'payments.dlq.replayed', 'users.dlq.replayed']);
    expect(rules).toContainEqual({
      principal: 'notification',
      resource: 'group',
      name: 'notification',
      pattern: 'prefixed',
      operation: 'READ',
    });
    expect(rules.some((rule) => rule.name === 'products')).toBe(false);
  });

  it('the compose file and the Kubernetes manifests name every principal the table has', () => {
    const principals = Object.keys(KAFKA_ACCESS);
    const compose = fs.readFileSync(path.join(repo, 'docker-compose.yml'), 'utf8');
    const statefulset = fs.readFileSync(path.join(repo, 'k8s/base/kafka/statefulset.yaml'), 'utf8');
    const wanted = `surge-admin ${principals.join(' ')}`;
    expect(compose).toContain(`SURGE_KAFKA_PRINCIPALS: ${wanted}`);
    expect(statefulset).toContain(`value: ${wanted}`);
  });

  it('formats the native broker with every principal, the admin first', () => {
    const args = formatScramArgs(nativePrincipals({}));
    expect(args[1]).toBe('SCRAM-SHA-512=[name=surge-admin,password=kafka-surge-admin-dev-password]');
    expect(args.filter((arg) => arg === '--add-scram')).toHaveLength(Object.keys(KAFKA_ACCESS).length + 2);
  });
});
