import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AddressSource, type ResolveHost } from '../src';

/** The address source against real addresses files in a temporary directory. */
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-addresses-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const noDns: ResolveHost = () => Promise.reject(new Error('no DNS in this test'));

function sourceFor(file: string, resolveHost: ResolveHost = noDns): AddressSource {
  return new AddressSource('product', [pathToFileURL(file).href], resolveHost, undefined);
}

const origins = async (source: AddressSource) => (await source.discover()).map((target) => target.origin);

describe('an addresses file', () => {
  it('makes the source dynamic and lists the instances the file names', async () => {
    const file = path.join(dir, 'product');
    fs.writeFileSync(file, '# two\nhttp://127.0.0.1:3002\nhttp://127.0.0.1:3102\n');
    const source = sourceFor(file);

    expect(source.dynamic).toBe(true);
    expect(source.staticTargets()).toBeUndefined();
    expect(await origins(source)).toEqual(['http://127.0.0.1:3002', 'http://127.0.0.1:3102']);
  });

  it('is read again on every refresh, so scaling up and down shows', async () => {
    const file = path.join(dir, 'product');
    fs.writeFileSync(file, 'http://127.0.0.1:3002\n');
    const source = sourceFor(file);
    expect(await origins(source)).toEqual(['http://127.0.0.1:3002']);

    fs.writeFileSync(file, 'http://127.0.0.1:3002\nhttp://127.0.0.1:3102\nhttp://127.0.0.1:3202\n');
    expect(await origins(source)).toHaveLength(3);

    fs.writeFileSync(file, 'http://127.0.0.1:3002\n');
    expect(await origins(source)).toEqual(['http://127.0.0.1:3002']);
  });

  it('that disappears keeps its last known instances; one never read has none', async () => {
    const file = path.join(dir, 'product');
    expect(await origins(sourceFor(file))).toEqual([]);

    fs.writeFileSync(file, 'http://127.0.0.1:3002\n');
    const source = sourceFor(file);
    await source.discover();
    fs.rmSync(file);

    expect(await origins(source)).toEqual(['http://127.0.0.1:3002']);
  });

  it('may name DNS names, which are resolved like any other', async () => {
    const file = path.join(dir, 'product');
    fs.writeFileSync(file, 'http://product:3002\n');
    const source = sourceFor(file, async () => ['10.0.0.2', '10.0.0.1']);

    expect(await origins(source)).toEqual(['http://10.0.0.1:3002', 'http://10.0.0.2:3002']);
  });

  it('is merged with literal addresses in the same list, without duplicates', async () => {
    const file = path.join(dir, 'product');
    fs.writeFileSync(file, 'http://127.0.0.1:3002\nhttp://127.0.0.1:3102\n');
    const source = new AddressSource(
      'product',
      ['http://127.0.0.1:3002', pathToFileURL(file).href],
      noDns,
      undefined,
    );

    expect(await origins(source)).toEqual(['http://127.0.0.1:3002', 'http://127.0.0.1:3102']);
  });
});

describe('a list of literal addresses', () => {
  it('is static: known at once, without reading anything', () => {
    const source = new AddressSource(
      'user',
      ['http://127.0.0.1:3001', 'http://127.0.0.1:3101'],
      noDns,
      undefined,
    );

    expect(source.dynamic).toBe(false);
    expect(source.staticTargets()?.map((target) => target.origin)).toEqual([
      'http://127.0.0.1:3001',
      'http://127.0.0.1:3101',
    ]);
  });
});
