import { SERVICE_SPECS, type ServiceSpec } from '../services/service-specs';
import { startInDependencyOrder } from './up';

const spec = (name: string, startAfter?: string[]): ServiceSpec => ({
  name,
  dir: `services/${name}`,
  defaultPort: 1,
  ...(startAfter ? { startAfter } : {}),
  env: () => ({}),
});

describe('startInDependencyOrder', () => {
  it('starts a service only after every service it names is ready, the rest at once', async () => {
    const events: string[] = [];
    const specs = [
      spec('order', ['user', 'payment']),
      spec('payment', ['user']),
      spec('user'),
      spec('gateway'),
    ];
    const results = await startInDependencyOrder(specs, async (s) => {
      events.push(`start ${s.name}`);
      await new Promise((resolve) => setImmediate(resolve));
      events.push(`ready ${s.name}`);
      return s.name;
    });
    expect(results.map((r) => r.status === 'fulfilled' && r.value)).toEqual([
      'order',
      'payment',
      'user',
      'gateway',
    ]);
    expect(events.indexOf('start payment')).toBeGreaterThan(events.indexOf('ready user'));
    expect(events.indexOf('start order')).toBeGreaterThan(events.indexOf('ready payment'));
    expect(events.indexOf('start gateway')).toBeLessThan(events.indexOf('ready user'));
  });

  it('does not start a service whose dependency failed, and ignores names it does not run', async () => {
    const started: string[] = [];
    const results = await startInDependencyOrder(
      [spec('order', ['product', 'absent']), spec('product')],
      async (s) => {
        started.push(s.name);
        if (s.name === 'product') throw new Error('product exited during start');
        return s.name;
      },
    );
    expect(started).toEqual(['product']);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});

describe('the stack npm start runs', () => {
  it('starts the gateway after every service it routes to, so its first ready answer means Surge is up', () => {
    const gateway = SERVICE_SPECS.find((s) => s.name === 'gateway');
    const routed = ['user', 'product', 'order', 'payment', 'notification'];
    expect(gateway?.startAfter).toEqual(expect.arrayContaining(routed));
  });
});
