import {
  cpusVariable,
  instanceFileName,
  instanceName,
  instancePort,
  parseCpus,
  parseInstanceName,
  parseScaleArgs,
} from './instances';

const SERVICES = ['user', 'product', 'payment', 'payment-provider'];

describe('instance names', () => {
  it('without /i mean every instance of the service', () => {
    expect(parseInstanceName('product', SERVICES)).toEqual({ service: 'product', index: undefined });
    expect(parseInstanceName('payment-provider', SERVICES)).toEqual({
      service: 'payment-provider',
      index: undefined,
    });
  });

  it('with /i mean that one instance', () => {
    expect(parseInstanceName('product/2', SERVICES)).toEqual({ service: 'product', index: 2 });
    expect(parseInstanceName('product/0', SERVICES)).toEqual({ service: 'product', index: 0 });
  });

  it.each(['catalog', 'product/', 'product/x', 'product/-1', '/2', 'product/1/2', 'Product'])(
    'refuse "%s" and say what would do',
    (name) => {
      expect(() => parseInstanceName(name, SERVICES)).toThrow(/one of user, product/);
    },
  );

  it('print instance 0 as the service, as up has always named it', () => {
    expect(instanceName('product', 0)).toBe('product');
    expect(instanceName('product', 3)).toBe('product/3');
    expect(instanceFileName('product', 0)).toBe('product');
    expect(instanceFileName('product', 3)).toBe('product.3');
  });
});

describe('instance ports', () => {
  it('are the service port for instance 0 and + 100 per instance after it', () => {
    expect(instancePort(3002, 0, [3001, 3003])).toBe(3002);
    expect(instancePort(3002, 1, [3001, 3003])).toBe(3102);
    expect(instancePort(3002, 4, [3001, 3003])).toBe(3402);
  });

  it('never hand out another service port', () => {
    expect(() => instancePort(3002, 1, [3102])).toThrow(/another service's/);
  });

  it('stay within the port range', () => {
    expect(() => instancePort(65_500, 1, [])).toThrow(/beyond 65535/);
  });
});

describe('scale arguments', () => {
  it('name services and counts, with an optional CPU quota anywhere', () => {
    expect(parseScaleArgs(['product=3', '--cpus', '0.5', 'order=2'], [...SERVICES, 'order'])).toEqual({
      targets: [
        { service: 'product', count: 3 },
        { service: 'order', count: 2 },
      ],
      cpus: 0.5,
    });
    expect(parseScaleArgs(['product=0'], SERVICES)).toEqual({
      targets: [{ service: 'product', count: 0 }],
      cpus: undefined,
    });
  });

  it.each([
    [[]],
    [['product']],
    [['product=x']],
    [['catalog=2']],
    [['product=2', '--cpus']],
    [['product=99']],
  ])('refuse %j', (args) => {
    expect(() => parseScaleArgs(args, SERVICES)).toThrow();
  });
});

describe('CPU quotas', () => {
  it('take positive numbers, fractions too', () => {
    expect(parseCpus('0.5', '--cpus')).toBe(0.5);
    expect(parseCpus('2', '--cpus')).toBe(2);
  });

  it.each(['0', '-1', 'half', ''])('refuse "%s"', (raw) => {
    expect(() => parseCpus(raw, 'SURGE_PRODUCT_CPUS')).toThrow(/SURGE_PRODUCT_CPUS takes a positive number/);
  });

  it('are set per service by SURGE_<SERVICE>_CPUS', () => {
    expect(cpusVariable('payment-provider')).toBe('SURGE_PAYMENT_PROVIDER_CPUS');
  });
});
