import { moduleOf } from './cpu-profile';

describe('moduleOf', () => {
  it('names the package of a script, the innermost node_modules winning (pnpm nests them)', () => {
    expect(
      moduleOf(
        'file:///repo/node_modules/.pnpm/@opentelemetry+api@1.9.1/node_modules/@opentelemetry/api/build/x.js',
        'f',
      ),
    ).toBe('@opentelemetry/api');
    expect(moduleOf('file:///repo/node_modules/.pnpm/pino@9.9.0/node_modules/pino/lib/tools.js', 'f')).toBe(
      'pino',
    );
    expect(moduleOf('file:///repo/services/gateway/dist/app.js', 'f')).toBe('services/gateway');
    expect(moduleOf('node:internal/streams/writable', 'f')).toBe('node:internal');
    expect(moduleOf('', '(garbage collector)')).toBe('(garbage collector)');
  });
});
