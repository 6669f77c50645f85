import {
  endpointKey,
  instanceTarget,
  needsResolution,
  parseAddressFile,
  splitUrlList,
  toAddressEntry,
  toEndpoint,
} from './upstream-addresses';

describe('<NAME>_SERVICE_URL lists', () => {
  it('split on commas, trimmed, without empty entries', () => {
    expect(splitUrlList(' http://a:1 ,http://b:2,, ')).toEqual(['http://a:1', 'http://b:2']);
  });
});

describe('which hosts are resolved', () => {
  it.each([
    ['user', true],
    ['user.surge.svc.cluster.local', true],
    ['127.0.0.1', false],
    ['::1', false],
    ['localhost', false],
    ['LOCALHOST', false],
  ])('%s: %s', (host, resolved) => {
    expect(needsResolution(host)).toBe(resolved);
  });
});

describe('endpoints and instance targets', () => {
  it('keep a literal address as given', () => {
    const endpoint = toEndpoint('http://127.0.0.1:3001/ignored/path');

    expect(endpoint).toEqual({ protocol: 'http:', hostname: '127.0.0.1', port: '3001', resolve: false });
    expect(instanceTarget(endpoint)).toEqual({ origin: 'http://127.0.0.1:3001', servername: undefined });
  });

  it('turn each address of a DNS name into an instance on the same port, keeping the name for TLS', () => {
    const endpoint = toEndpoint('https://user.internal');

    expect(endpoint).toEqual({ protocol: 'https:', hostname: 'user.internal', port: '443', resolve: true });
    expect(instanceTarget(endpoint, '10.0.0.7')).toEqual({
      origin: 'https://10.0.0.7:443',
      servername: 'user.internal',
    });
    expect(instanceTarget(endpoint, 'fd00::7').origin).toBe('https://[fd00::7]:443');
  });

  it('read an IPv6 literal without its brackets', () => {
    const endpoint = toEndpoint('http://[::1]:3001');

    expect(endpoint.hostname).toBe('::1');
    expect(instanceTarget(endpoint).origin).toBe('http://[::1]:3001');
  });
});

describe('addresses files', () => {
  it('are named by a file:// URL in the list', () => {
    expect(toAddressEntry('file:///work/.surge/run/upstreams/product')).toEqual({
      kind: 'file',
      path: '/work/.surge/run/upstreams/product',
    });
    expect(toAddressEntry('http://127.0.0.1:3002').kind).toBe('endpoint');
  });

  it('list one URL a line, ignoring blank lines and comments, and accept commas too', () => {
    const text =
      '# instances of product\nhttp://127.0.0.1:3002\n\n  http://127.0.0.1:3102 # instance 1\nhttp://a:1,http://b:2\n';

    expect(parseAddressFile(text)).toEqual({
      urls: ['http://127.0.0.1:3002', 'http://127.0.0.1:3102', 'http://a:1', 'http://b:2'],
      invalid: [],
    });
  });

  it('set apart entries that are not http(s) URLs instead of dropping them silently', () => {
    expect(parseAddressFile('127.0.0.1:3002\nfile:///etc/passwd\nhttp://ok:1\n')).toEqual({
      urls: ['http://ok:1'],
      invalid: ['127.0.0.1:3002', 'file:///etc/passwd'],
    });
  });

  it('of an empty or comment-only file name no instance', () => {
    expect(parseAddressFile('# scaled to zero\n').urls).toEqual([]);
  });
});

describe('endpoint keys', () => {
  it('are the same for the same name read twice', () => {
    expect(endpointKey(toEndpoint('http://user:3001/a'))).toBe(endpointKey(toEndpoint('http://user:3001')));
  });
});
