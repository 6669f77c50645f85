import { CLIENT_MUST_NOT_SET } from '../src/clients/forwarded-headers';
import { startTestGateway, type TestGateway } from './support/gateway';
import { send } from './support/http';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';

/**
 * Headers services trust, sent by a client through the public port: none of them may
 * reach a service as the client wrote it. The stub upstream echoes what it received.
 */
let userStub: StubUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  userStub = await startStubUpstream();
  gateway = await startTestGateway({ USER_SERVICE_URL: userStub.url, UPSTREAM_TIMEOUT_MS: '4000' });
});

afterAll(async () => {
  await gateway.stop();
  await userStub.close();
});

type Echo = { headers: Record<string, string | undefined> };

describe('a client forging the headers services trust', () => {
  it('reaches the service with none of them as it wrote them', async () => {
    const forged = Object.fromEntries(
      Object.keys(CLIENT_MUST_NOT_SET)
        .filter((name) => !['host', 'expect', 'x-request-id'].includes(name))
        .map((name) => [name, name === 'x-deadline-ms' ? '1' : 'forged-value']),
    );

    const answer = await send(gateway.url, '/api/auth/echo', {
      headers: { ...forged, 'x-internal-caller': 'order' },
    });

    expect(answer.status).toBe(200);
    const received = answer.json<Echo>().headers;
    for (const name of Object.keys(forged)) expect([name, received[name]]).not.toEqual([name, forged[name]]);
    expect(received['x-internal-caller']).toBeUndefined();
  });

  it('gets a request id the gateway chose: a forged one that is not short and plain is replaced', async () => {
    const answer = await send(gateway.url, '/api/auth/echo', {
      headers: { 'x-request-id': 'forged id; drop table' },
    });

    expect(answer.json<Echo>().headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("gets the gateway's own budget as x-deadline-ms, not its 1 ms", async () => {
    const answer = await send(gateway.url, '/api/auth/echo', { headers: { 'x-deadline-ms': '1' } });

    expect(answer.json<Echo>().headers['x-deadline-ms']).toBe('4000');
  });

  it('is not answered 504 by the gateway for a deadline of 0', async () => {
    const answer = await send(gateway.url, '/api/auth/echo', { headers: { 'x-deadline-ms': '0' } });

    expect(answer.status).toBe(200);
  });

  it('cannot force a trace or smuggle baggage to the service', async () => {
    const answer = await send(gateway.url, '/api/auth/echo', {
      headers: {
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        baggage: 'role=admin',
      },
    });

    const received = answer.json<Echo>().headers;
    expect(received.traceparent).toBeUndefined();
    expect(received.baggage).toBeUndefined();
  });
});
