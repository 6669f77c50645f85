import { ONE_CLIENT_ADDRESS_LIMITS } from '../src/chaos/stack-process';
import { testStackEnv } from './support/stack-env';

describe('testStackEnv', () => {
  it('gives every test stack Redis counters and caches of its own', () => {
    // The stack tests run at once on one Redis and one client address: shared rate-limit
    // counters let the fuzzer's refused tokens get the journey's admin answered 429.
    const journey = testStackEnv({}, 'journey');
    const fuzz = testStackEnv({}, 'fuzz');
    const again = testStackEnv({}, 'journey');
    for (const name of ['RATE_LIMIT_KEY_PREFIX', 'REDIS_KEY_PREFIX']) {
      expect(new Set([journey[name], fuzz[name], again[name]]).size).toBe(3);
    }
    // Inside the key spaces the services' Redis users may touch (gateway:, product:).
    expect(journey.RATE_LIMIT_KEY_PREFIX).toMatch(/^rl:[\w-]+:$/);
    expect(journey.REDIS_KEY_PREFIX).toMatch(/^product:[\w.:-]{0,56}$/);
  });

  it('lifts every per-address limit: the traffic of each test stack comes from this one machine', () => {
    expect(testStackEnv({}, 'journey')).toMatchObject(ONE_CLIENT_ADDRESS_LIMITS);
  });
});
