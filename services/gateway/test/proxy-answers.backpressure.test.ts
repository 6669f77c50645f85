import { request } from 'node:http';
import { startTestGateway, type TestGateway } from './support/gateway';
import {
  LARGE_ANSWER_BYTES,
  largeAnswerByte,
  startStubUpstream,
  type StubUpstream,
} from './support/stub-upstream';

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

/**
 * Reads an answer, holding off for a while after the first chunk so the gateway's socket
 * to the client fills up (the relay must pause the upstream and resume it on drain).
 * Resolves with the status, the byte count and the index of the first wrong byte (-1: none).
 */
function readSlowly(url: string): Promise<{ status: number; bytes: number; firstWrong: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let bytes = 0;
      let firstWrong = -1;
      let heldOff = false;
      res.on('data', (chunk: Buffer) => {
        for (let i = 0; i < chunk.length && firstWrong === -1; i++)
          if (chunk[i] !== largeAnswerByte(bytes + i)) firstWrong = bytes + i;
        bytes += chunk.length;
        if (heldOff) return;
        heldOff = true;
        res.pause();
        setTimeout(() => res.resume(), 200);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, firstWrong }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a large answer to a slow client', () => {
  it('arrives whole and in order', async () => {
    const answer = await readSlowly(`${gateway.url}/api/auth/large`);

    expect(answer).toEqual({ status: 200, bytes: LARGE_ANSWER_BYTES, firstWrong: -1 });
  });

  it('leaves the gateway serving the next request', async () => {
    await readSlowly(`${gateway.url}/api/auth/large`);

    const next = await fetch(`${gateway.url}/api/auth/next`);

    expect(next.status).toBe(200);
  });
});
