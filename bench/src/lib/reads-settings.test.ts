import { readReadsSettings } from './reads-settings';

describe('readReadsSettings', () => {
  it('measures every service with 5-second runs by default', () => {
    expect(readReadsSettings({})).toEqual({
      services: ['product', 'user', 'order', 'payment', 'notification'],
      otherSeconds: 5,
      otherWarmupSeconds: 2,
    });
  });

  it('keeps the table order whatever order BENCH_READS_SERVICES names them in', () => {
    expect(readReadsSettings({ BENCH_READS_SERVICES: ' notification, user ' }).services).toEqual([
      'user',
      'notification',
    ]);
  });

  it('never runs the other services longer than the product runs of a short proof run', () => {
    const settings = readReadsSettings({ BENCH_READS_SECONDS: '10' }, { seconds: 3, warmupSeconds: 0 });
    expect(settings.otherSeconds).toBe(3);
    expect(settings.otherWarmupSeconds).toBe(0);
  });

  it('refuses an unknown service and a run shorter than a second, saying what it expected', () => {
    expect(() => readReadsSettings({ BENCH_READS_SERVICES: 'product,gateway' })).toThrow(
      /no such service: gateway \(known: product, user, order, payment, notification\)/,
    );
    expect(() => readReadsSettings({ BENCH_READS_SECONDS: '0.5' })).toThrow(/at least 1/);
    expect(() => readReadsSettings({ BENCH_READS_SECONDS: 'soon' })).toThrow(/got soon/);
  });
});
