import { KAFKA_ACCESS } from '@surge/contracts';
import { findSpec, type StackContext } from './service-specs';
import { databaseSuffix } from './stack-context';

describe('databaseSuffix', () => {
  it('is empty by default: npm start and the tests share the surge_* databases', () => {
    expect(databaseSuffix({})).toBe('');
  });

  it('ends every database name of a stack that asks for its own', () => {
    expect(databaseSuffix({ SURGE_DATABASE_SUFFIX: '_fuzz' })).toBe('_fuzz');
  });

  it.each(['-fuzz', '_Fuzz', 'x"; DROP', '_'.repeat(21)])(
    'refuses %j, which no database name may end with',
    (suffix) => {
      expect(() => databaseSuffix({ SURGE_DATABASE_SUFFIX: suffix })).toThrow(/SURGE_DATABASE_SUFFIX/);
    },
  );
});

describe("a suffixed stack's notification service", () => {
  const notification = findSpec('notification');
  const context = (suffix: string) =>
    ({
      paths: { stateDir: '/state' },
      infraEnv: { SURGE_PG_ADMIN_URL: '', REDIS_URL: '', KAFKA_BROKERS: '' },
      databases: {},
      suffix,
      urls: {},
      serviceUrls: {},
    }) as unknown as StackContext;

  it('reads events in a consumer group of its own, inside the prefix its principal may join', () => {
    // A shared group splits the partitions between the stacks: half of one stack's order
    // events were then notified by the other, into the other's database.
    const group = notification.env(context('_fuzz')).CONSUMER_GROUP;
    expect(group).toBe('notification_fuzz');
    expect(group?.startsWith(KAFKA_ACCESS.notification.consumes.groups)).toBe(true);
  });

  it('keeps the default group in a stack without a suffix, as compose and Kubernetes run it', () => {
    expect(notification.env(context('')).CONSUMER_GROUP).toBeUndefined();
  });
});
