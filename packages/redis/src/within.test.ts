import { within } from './within';

describe('within', () => {
  it('passes the answer through when it comes in time', async () => {
    await expect(within(Promise.resolve('PONG'), 1_000, 'redis')).resolves.toBe('PONG');
  });

  it('rejects naming the caller once the time has passed', async () => {
    await expect(within(new Promise(() => undefined), 10, 'the login throttle store')).rejects.toThrow(
      'the login throttle store did not answer within 10 ms',
    );
  });

  it("passes the call's own failure through", async () => {
    await expect(within(Promise.reject(new Error('NOAUTH')), 1_000, 'redis')).rejects.toThrow('NOAUTH');
  });
});
