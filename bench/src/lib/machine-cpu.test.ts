import { parseBusySeconds, parseProcessSeconds, perUnitMs, stackGroups } from './machine-cpu';

describe('machine CPU readings', () => {
  it('counts every busy state of /proc/stat and leaves idle and iowait out', () => {
    // user nice system idle iowait irq softirq steal guest guest_nice
    const stat = 'cpu  100 5 50 9000 40 3 2 10 0 0\ncpu0 50 2 25 4500 20 1 1 5 0 0\n';
    expect(parseBusySeconds(stat)).toBeCloseTo((100 + 5 + 50 + 3 + 2 + 10) / 100);
  });

  it("reads a process's user and system ticks, even with spaces and parentheses in its name", () => {
    const fields = ['S', '1', '1', '1', '0', '-1', '4194560', '10', '0', '0', '0', '250', '125'];
    expect(parseProcessSeconds(`42 (node (a) b) ${fields.join(' ')} 0 0 20 0`)).toBeCloseTo(3.75);
  });

  it('puts payment and the payment provider in their own groups, and the daemons by name', () => {
    const groups = stackGroups(['payment', 'payment-provider']);
    const groupOf = (commandLine: string) => groups.find((g) => g.matches(commandLine))?.name;
    expect(groupOf('node --import tsx /w/services/payment/src/main.ts ')).toBe('payment');
    expect(groupOf('node /w/services/payment-provider/dist/main.js ')).toBe('payment-provider');
    expect(groupOf('postgres: 16/main: surge_order surge_order 127.0.0.1(5000) idle ')).toBe('postgres');
    expect(groupOf('/usr/lib/postgresql/16/bin/postgres -D /data ')).toBe('postgres');
    expect(groupOf('/usr/bin/redis-server 127.0.0.1:6379 ')).toBe('redis');
    expect(groupOf('java -cp /libs/* kafka.Kafka /conf/server.properties ')).toBe('kafka');
    expect(groupOf('node some-other-tool.js ')).toBeUndefined();
  });

  it('turns two readings into milliseconds per unit of work', () => {
    const before = new Map([['order', 1.0]]);
    const after = new Map([['order', 1.5]]);
    expect(perUnitMs(before, after, 100)).toEqual([{ name: 'order', msPerUnit: 5 }]);
  });
});
