import { Writable } from 'node:stream';
import { createLogger } from './create-logger';
import { runWithContext } from './request-context';

function captureLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger({ service: 'test', destination }), lines };
}

describe('logger redaction', () => {
  it('never writes client credentials of services or their tokens', () => {
    const { log, lines } = captureLogger();
    log.info(
      {
        tokenRequest: { client_id: 'order', client_secret: 'cs-value-1' },
        tokenAnswer: { access_token: 'at-value-2' },
        env: { SERVICE_CLIENT_SECRET: 'env-value-3', SERVICE_CLIENT_SECRETS: 'order=env-value-4' },
      },
      'token request',
    );
    const output = lines.join('');
    expect(output).not.toMatch(/value-\d/);
    expect(output).toContain('"client_id":"order"');
  });

  it('never writes passwords, tokens or authorization headers', () => {
    const { log, lines } = captureLogger();
    log.info(
      {
        password: 'hunter2-secret',
        body: { password: 'p4ss-secret', refreshToken: 'rt-secret', payment: { token: 'tok_visa_secret' } },
        req: { headers: { authorization: 'Bearer abc.def.secret', cookie: 'sid=secret' } },
        accessToken: 'at-secret',
      },
      'login attempt',
    );
    const output = lines.join('');
    expect(output).not.toMatch(/secret/);
    expect(output).toContain('[REDACTED]');
    expect(output).toContain('login attempt');
  });

  it('never writes payment tokens or emails, at any of the depths services log them', () => {
    const { log, lines } = captureLogger();
    log.warn(
      {
        paymentToken: 'tok_visa_secret1',
        email: 'secret2@example.com',
        order: { paymentToken: 'tok_secret3', customer: { email: 'secret4@example.com' } },
        err: { request: { body: { paymentToken: 'tok_secret5' } } },
      },
      'charge failed',
    );
    const output = lines.join('');
    expect(output).not.toMatch(/secret/);
    expect(output).toContain('charge failed');
  });

  it('redacts inside errors as the error serializer shows them, and keeps their type and message', () => {
    const { log, lines } = captureLogger();
    const cause = Object.assign(new Error('provider refused'), { request: { token: 'tok_secret6' } });
    const error = Object.assign(new TypeError('charge failed', { cause }), {
      config: { headers: { authorization: 'Bearer secret7' } },
    });
    log.error({ err: error }, 'payment failed');
    const output = lines.join('');
    expect(output).not.toMatch(/secret/);
    const line = JSON.parse(lines[0] ?? '{}') as { err: { type: string; message: string; stack: string } };
    expect(line.err.type).toBe('TypeError');
    expect(line.err.message).toContain('charge failed');
    expect(line.err.stack).toContain('TypeError');
  });

  it('redacts x-internal-token under headers and secrets in arrays, and never changes the logged objects', () => {
    const { log, lines } = captureLogger();
    const fields = {
      headers: { 'x-internal-token': 'svc-secret8', accept: 'application/json' },
      items: [{ token: 'tok_secret9' }],
    };
    log.info(fields, 'outgoing call');
    expect(lines.join('')).not.toMatch(/secret/);
    expect(lines.join('')).toContain('application/json');
    expect(fields.headers['x-internal-token']).toBe('svc-secret8');
    expect(fields.items[0]?.token).toBe('tok_secret9');
  });

  it('writes lines without secrets unchanged, however deep', () => {
    const { log, lines } = captureLogger();
    log.info({ method: 'GET', status: 200, a: { b: { c: { d: { e: 'deep' } } } } }, 'request');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      method: 'GET',
      status: 200,
      a: { b: { c: { d: { e: 'deep' } } } },
    });
  });

  it('adds the service name and the current request id to every line', () => {
    const { log, lines } = captureLogger();
    runWithContext({ requestId: 'req-123', userId: 'user-9' }, () =>
      log.info({ orderId: 'o1' }, 'order paid'),
    );
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({
      service: 'test',
      requestId: 'req-123',
      userId: 'user-9',
      orderId: 'o1',
      msg: 'order paid',
      level: 'info',
    });
  });
});
