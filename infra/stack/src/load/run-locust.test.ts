import fs from 'node:fs';
import os from 'node:os';
import { locustVersion, requirementsFile } from '../native/locust-venv';
import { describeExit, describeGenerator, generatorCpu } from './run-locust';

describe('the pinned Locust', () => {
  it('reads the version from the pin in load-tests/requirements.txt', () => {
    const version = locustVersion(fs.readFileSync(requirementsFile(), 'utf8'));
    expect(version).toMatch(/^2\.\d+\.\d+$/);
  });

  it('refuses requirements that pin no locust', () => {
    expect(() => locustVersion('gevent==26.9.0\n')).toThrow(/pins no locust/);
  });
});

describe("the generator's CPU", () => {
  const pinnable = fs.existsSync('/usr/bin/taskset');

  it('is the last CPU unless told otherwise, and none when asked', () => {
    expect(generatorCpu({})).toBe(pinnable ? os.cpus().length - 1 : undefined);
    expect(generatorCpu({ LOAD_GENERATOR_CPU: 'none' })).toBeUndefined();
  });

  it('refuses a CPU the machine does not have', () => {
    if (!pinnable) return;
    expect(() => generatorCpu({ LOAD_GENERATOR_CPU: String(os.cpus().length) })).toThrow(/not a CPU/);
    expect(() => generatorCpu({ LOAD_GENERATOR_CPU: 'one' })).toThrow(/not a CPU/);
  });
});

describe("what Locust's exit code means", () => {
  it('tells a missed objective from a failed setup and from Locust failing', () => {
    expect(describeExit(0)).toMatch(/passed/);
    expect(describeExit(3)).toMatch(/SLO/);
    expect(describeExit(4)).toMatch(/shop/);
    expect(describeExit(2)).toMatch(/exit 2/);
  });

  it('says how the generator ran', () => {
    expect(describeGenerator('2.47.0', 0, 1)).toBe('Locust 2.47.0 (one process, pinned to CPU 1)');
    expect(describeGenerator('2.47.0', 2, undefined)).toBe(
      'Locust 2.47.0 (a master and 2 worker processes, not pinned)',
    );
  });
});
