import type { ProfileSummary } from './cpu-profile';
import {
  renderRouteChoices,
  renderServiceReadTable,
  topItemsLine,
  type ServiceReadRow,
} from './service-read-table';

const profile: ProfileSummary = {
  totalMs: 1000,
  modules: [
    { name: '(garbage collector)', share: 0.12, ms: 120 },
    { name: 'pino', share: 0.08, ms: 80 },
    { name: 'express', share: 0.05, ms: 50 },
  ],
  functions: [
    { name: '(garbage collector) (garbage collector)', share: 0.12, ms: 120 },
    { name: 'write pino:10', share: 0.06, ms: 60 },
    { name: 'handle express:3', share: 0.04, ms: 40 },
    { name: 'next express:9', share: 0.01, ms: 10 },
  ],
};

describe('topItemsLine', () => {
  it('names the top modules, then the top functions that are not V8 pseudo-frames', () => {
    expect(topItemsLine(profile, 2, 2)).toBe(
      '(garbage collector) 12%, pino 8%; top functions `write pino:10` 6%, `handle express:3` 4%',
    );
  });

  it('says so when the measured window holds no samples', () => {
    expect(topItemsLine({ totalMs: 0, modules: [], functions: [] })).toBe(
      'no samples in the measured window',
    );
  });
});

describe('renderServiceReadTable', () => {
  const measured: ServiceReadRow = {
    service: 'user',
    route: 'GET /api/users/me',
    why: 'every page shows the shopper',
    productionUs: 212.4,
    developmentUs: 305,
    requestsPerSecond: 4100.5,
    errors: 0,
    profile,
  };

  it('puts figures, a link to the benchmark that measures the gateway, and unmeasured rows in one table', () => {
    const markdown = renderServiceReadTable([
      measured,
      {
        service: 'gateway',
        route: 'GET /api/products/{id} through the gateway',
        why: 'measured elsewhere',
        elsewhere: { label: 'gateway-vs-nginx', href: 'bench-gateway-vs-nginx.md' },
      },
      { service: 'mailer', route: '(none)', why: 'no HTTP read', unmeasured: 'no read route' },
    ]);
    const lines = markdown.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(
      /^\| user \| GET \/api\/users\/me \| 212 \| 305 \| 4,101 \| 0 \| \(garbage collector\) 12%/,
    );
    expect(lines[3]).toContain('see [gateway-vs-nginx](bench-gateway-vs-nginx.md)');
    expect(lines[4]).toContain('| mailer | (none) | no read route |');
  });

  it('says which figures were not measured rather than leaving a blank that reads as zero', () => {
    const { developmentUs: _dropped, profile: _none, ...partial } = measured;
    expect(renderServiceReadTable([partial]).split('\n')[2]).toContain('| not measured |');
    expect(renderServiceReadTable([partial]).split('\n')[2]).toContain('not profiled');
  });
});

describe('renderRouteChoices', () => {
  it('gives every route its reason, one bullet each', () => {
    expect(
      renderRouteChoices([
        { service: 'order', route: 'GET /api/orders/{id}', why: 'the order page polls it.' },
      ]),
    ).toBe('- **order**, `GET /api/orders/{id}`: the order page polls it.');
  });
});
