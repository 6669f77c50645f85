import { describeFaults, parseFaultWords } from '../src/commands/fault';
import { SERVICE_SPECS, adminUrlOf, instanceAdminUrl } from '../src/services/service-specs';
import { toxicOf } from '../src/commands/network';

describe('npm run stack -- fault words', () => {
  it('combine into one PUT body', () => {
    expect(parseFaultWords(['latency=250', 'error-rate=0.2', 'drop-after-commit'])).toEqual({
      latencyMs: 250,
      errorRate: 0.2,
      dropAfterCommit: true,
    });
    expect(parseFaultWords(['hang'])).toEqual({ hang: true });
  });

  it('clear means DELETE', () => {
    expect(parseFaultWords(['clear'])).toBeNull();
  });

  it.each([['latency=-1'], ['latency=fast'], ['error-rate=1.5'], ['error-rate='], ['packet-loss=0.1']])(
    'reject %s with the usage',
    (word) => {
      expect(() => parseFaultWords([word])).toThrow(/usage: npm run stack -- fault/);
    },
  );

  it('describe what an instance now does', () => {
    expect(describeFaults({ latencyMs: 0, errorRate: 0, hang: false, dropAfterCommit: false })).toBe(
      'no faults',
    );
    expect(describeFaults({ latencyMs: 300, errorRate: 0.5, hang: false, dropAfterCommit: false })).toBe(
      'answers 300 ms late; fails 50% of requests with 500 FAULT_INJECTED',
    );
  });
});

describe('npm run stack -- toxic words', () => {
  it('map to Toxiproxy toxics', () => {
    expect(toxicOf('latency=300')).toMatchObject({ type: 'latency', attributes: { latency: 300 } });
    expect(toxicOf('bandwidth=64')).toMatchObject({ type: 'bandwidth', attributes: { rate: 64 } });
    expect(toxicOf('timeout=1000')).toMatchObject({ type: 'timeout', attributes: { timeout: 1000 } });
    expect(toxicOf('reset')).toMatchObject({ type: 'reset_peer' });
  });

  it.each([['latency=-5'], ['bandwidth=0'], ['jitter=3']])('reject %s', (word) => {
    expect(() => toxicOf(word)).toThrow(/usage: npm run stack -- toxic/);
  });
});

describe('where the stack reaches a fault switch', () => {
  it("is the instance's admin listener, its port + 1000, never the public port", () => {
    const spec = SERVICE_SPECS.find((entry) => entry.name === 'payment-provider')!;

    expect(instanceAdminUrl('http://127.0.0.1:3102')).toBe('http://127.0.0.1:4102');
    expect(adminUrlOf(spec, { SURGE_PAYMENT_PROVIDER_PORT: '13410' })).toBe('http://127.0.0.1:14410');
  });
});
