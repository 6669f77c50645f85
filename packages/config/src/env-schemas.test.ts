import { serviceUrls } from './env-schemas';

describe('<NAME>_SERVICE_URL values', () => {
  it.each([
    'http://127.0.0.1:3002',
    'http://product:3002,http://127.0.0.1:3102',
    'file:///work/.surge/run/upstreams/product',
    'https://product.internal, file:///tmp/product',
  ])('accept %s', (value) => {
    expect(serviceUrls.safeParse(value).success).toBe(true);
  });

  it.each(['', ' , ', 'product:3002', 'ftp://product', 'http://ok:1,nope'])('refuse "%s"', (value) => {
    expect(serviceUrls.safeParse(value).success).toBe(false);
  });

  it('keep the value as given: the service client reads the list', () => {
    expect(serviceUrls.parse('http://a:1,http://b:2')).toBe('http://a:1,http://b:2');
  });
});
