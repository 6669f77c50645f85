import { createServer } from 'node:net';
import { startStubUpstream, type StubUpstream } from './stub-upstream';

/**
 * Stubs on several loopback addresses (127.0.0.2, 127.0.0.3, ...) and one port, as the
 * replicas behind one DNS name look. Linux routes all of 127.0.0.0/8 to loopback; a
 * port free on the first address may be taken on another, so a clash starts over.
 */
export async function startReplicaStubs(hosts: string[]): Promise<StubUpstream[]> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const started: StubUpstream[] = [];
    try {
      const first = await startStubUpstream([], { host: hosts[0] ?? '127.0.0.2' });
      started.push(first);
      for (const host of hosts.slice(1))
        started.push(await startStubUpstream([], { host, port: first.port }));
      return started;
    } catch (error) {
      await Promise.all(started.map((stub) => stub.close()));
      if (attempt === 4) throw error;
    }
  }
  throw new Error('unreachable');
}

/**
 * A server that accepts a connection, reads the request and resets the connection
 * without a byte of answer: an instance crashing mid-request.
 */
export async function startResettingServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((socket) => {
    socket.once('data', () => socket.resetAndDestroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
