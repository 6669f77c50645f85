import { createServer } from 'node:net';

/**
 * A loopback port nothing listens on: bound on port 0, noted, released. A test points a
 * client at it to see a refused connection, which is what a stopped neighbour answers.
 */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port was bound');
  return address.port;
}
