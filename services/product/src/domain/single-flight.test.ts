import { SingleFlight } from './single-flight';

describe('SingleFlight', () => {
  it('runs one loader for concurrent callers of a key and gives them all its result', async () => {
    const flights = new SingleFlight();
    let loads = 0;
    let finish: (value: string) => void = () => undefined;
    const load = () => {
      loads += 1;
      return new Promise<string>((resolve) => (finish = resolve));
    };
    const callers = Array.from({ length: 20 }, () => flights.run('k', load));
    await Promise.resolve();
    finish('value');
    expect(await Promise.all(callers)).toEqual(Array(20).fill('value'));
    expect(loads).toBe(1);
    expect(flights.size).toBe(0);
  });

  it('keeps keys apart', async () => {
    const flights = new SingleFlight();
    const results = await Promise.all([flights.run('a', async () => 'A'), flights.run('b', async () => 'B')]);
    expect(results).toEqual(['A', 'B']);
  });

  it('does not remember a failure: the next caller loads again', async () => {
    const flights = new SingleFlight();
    await expect(flights.run('k', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await expect(flights.run('k', async () => 'up')).resolves.toBe('up');
  });
});
