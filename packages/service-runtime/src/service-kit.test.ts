import { createServer, IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@surge/logger';
import { startService, type ListenConfig, type ServiceKit } from './service-kit';

const logger = createLogger({ service: 'runtime-test', level: 'silent' });
const listen: ListenConfig = { PORT: 0, HOST: '127.0.0.1', SHUTDOWN_GRACE_MS: 500 };

/** Registers releases that note their name in `released` when they run. */
function opening(kit: ServiceKit, released: string[], names: string[]): void {
  for (const name of names)
    kit.onStop(name, async () => {
      released.push(name);
    });
}

describe('the service runtime releases what a service opened', () => {
  it('on stop, after the listeners closed, last opened first', async () => {
    const released: string[] = [];
    const running = await startService('runtime-test', logger, async (kit) => {
      opening(kit, released, ['pool', 'client', 'relay']);
      return kit.serve(listen, { routes: () => undefined });
    });
    const answer = await fetch(`${running.url}/health/live`);
    expect(answer.status).toBe(200);

    await running.stop();

    expect(released).toEqual(['relay', 'client', 'pool']);
    await expect(fetch(`${running.url}/health/live`)).rejects.toThrow();
  });

  it('when the wiring fails, at once and last first, and the caller sees the reason', async () => {
    const released: string[] = [];
    const start = startService('runtime-test', logger, async (kit) => {
      opening(kit, released, ['pool', 'redis']);
      throw new Error('the admin password is the published one');
    });

    await expect(start).rejects.toThrow('the admin password is the published one');
    expect(released).toEqual(['redis', 'pool']);
  });

  it('when the port is taken, so nothing outlives the failed start', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const released: string[] = [];
    try {
      const start = startService('runtime-test', logger, async (kit) => {
        opening(kit, released, ['pool', 'consumers']);
        return kit.serve({ ...listen, PORT: port }, { routes: () => undefined });
      });

      await expect(start).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(released).toEqual(['consumers', 'pool']);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('goes on with the others when one release fails', async () => {
    const released: string[] = [];
    const running = await startService('runtime-test', logger, async (kit) => {
      opening(kit, released, ['pool']);
      kit.onStop('client', () => Promise.reject(new Error('already closed')));
      opening(kit, released, ['relay']);
      return kit.serve(listen, { routes: () => undefined });
    });

    await running.stop();

    expect(released).toEqual(['relay', 'pool']);
  });

  it('refuses a release registered after the server started, which would never run', async () => {
    const start = startService('runtime-test', logger, async (kit) => {
      const running = await kit.serve(listen, { routes: () => undefined });
      kit.onStop('late job', async () => undefined);
      return running;
    });

    await expect(start).rejects.toThrow(/late job registered after the server started/);
  });
});

describe('the service runtime serves a public listener in front of the app', () => {
  it('answers its own paths, hands the rest to the app, and uses its server options', async () => {
    class TaggedRequest extends IncomingMessage {
      readonly tagged = true;
    }
    const running = await startService('runtime-test', logger, async (kit) =>
      kit.serve(listen, {
        routes: (app) => app.get('/from-app', (_req, res) => res.json({ by: 'app' })),
        publicListener: (http) => ({
          serverOptions: { IncomingMessage: TaggedRequest },
          listener: (req, res) => {
            if (req.url !== '/fast') return http.app(req, res);
            res.end(JSON.stringify({ by: 'listener', tagged: (req as TaggedRequest).tagged }));
          },
        }),
      }),
    );
    try {
      const fast = await fetch(`${running.url}/fast`);
      const fromApp = await fetch(`${running.url}/from-app`);
      const missing = await fetch(`${running.url}/nowhere`);

      expect(await fast.json()).toEqual({ by: 'listener', tagged: true });
      expect(await fromApp.json()).toEqual({ by: 'app' });
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toMatch(/problem\+json/);
    } finally {
      await running.stop();
    }
  });

  it('builds it once, at start, not per request', async () => {
    let built = 0;
    const running = await startService('runtime-test', logger, async (kit) =>
      kit.serve(listen, {
        routes: () => undefined,
        publicListener: (http) => {
          built += 1;
          return { listener: http.app };
        },
      }),
    );
    try {
      for (let i = 0; i < 3; i += 1) expect((await fetch(`${running.url}/health/live`)).status).toBe(200);

      expect(built).toBe(1);
    } finally {
      await running.stop();
    }
  });
});
