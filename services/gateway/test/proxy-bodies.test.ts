import { uniqueSuffix } from '@surge/testing';
import { startTestGateway, type TestGateway } from './support/gateway';
import { send } from './support/http';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';

const LIMIT = 1_048_576;
let stub: StubUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  stub = await startStubUpstream();
  gateway = await startTestGateway({ USER_SERVICE_URL: stub.url });
});

afterAll(async () => {
  await gateway.stop();
  await stub.close();
});

const uniquePath = () => `/api/auth/body-${uniqueSuffix()}`;
const json = { 'content-type': 'application/json' };

describe('request bodies', () => {
  it('streams a JSON body of exactly the limit to the service', async () => {
    const path = uniquePath();

    const answer = await send(gateway.url, path, {
      method: 'POST',
      headers: json,
      body: Buffer.alloc(LIMIT, 0x20),
    });

    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ bodyBytes: LIMIT });
  });

  it('streams a chunked JSON body under the limit to the service', async () => {
    const chunks = Array.from({ length: 4 }, () => Buffer.alloc(64 * 1024, 0x20));

    const answer = await send(gateway.url, uniquePath(), { method: 'PUT', headers: json, chunks });

    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ bodyBytes: 4 * 64 * 1024 });
  });

  it('answers 413 for a declared Content-Length over 1 MB without calling the service', async () => {
    const path = uniquePath();

    const answer = await send(gateway.url, path, {
      method: 'POST',
      headers: json,
      body: Buffer.alloc(LIMIT + 1, 0x20),
    });

    expect(answer.status).toBe(413);
    expect(answer.json()).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(stub.requestsTo(path)).toHaveLength(0);
  });

  it('answers 413 for a chunked body that grows over 1 MB', async () => {
    const path = uniquePath();
    const chunks = Array.from({ length: 20 }, () => Buffer.alloc(64 * 1024, 0x20));

    const answer = await send(gateway.url, path, { method: 'POST', headers: json, chunks });

    expect(answer.status).toBe(413);
    expect(answer.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers 415 for a body that is not JSON without calling the service', async () => {
    const path = uniquePath();

    const answer = await send(gateway.url, path, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });

    expect(answer.status).toBe(415);
    expect(answer.json()).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(stub.requestsTo(path)).toHaveLength(0);
  });

  it('answers 415 for a body without a content type', async () => {
    const answer = await send(gateway.url, uniquePath(), { method: 'POST', body: '{}' });

    expect(answer.status).toBe(415);
  });

  it('lets a bare POST without a body or content type through', async () => {
    const answer = await send(gateway.url, uniquePath(), {
      method: 'POST',
      headers: { 'content-length': '0' },
    });

    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ method: 'POST', bodyBytes: 0 });
  });
});
