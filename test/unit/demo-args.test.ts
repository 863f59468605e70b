// `npm run demo`'s argument handling: a wrong argument stops before anything starts, with the usage.
import { describe, it, expect, afterEach, afterAll, jest } from '@jest/globals';
import { demoMain } from '../../packages/local/src/demo.js';
import { overlapMain } from '../../packages/local/src/overlap-cli.js';

describe('npm run demo arguments', () => {
  const written: { out: string; err: string } = { out: '', err: '' };
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((written.out += String(chunk)), true)),
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((written.err += String(chunk)), true)),
  ];
  afterEach(() => {
    written.out = '';
    written.err = '';
  });
  afterAll(() => spies.forEach((spy) => spy.mockRestore()));

  it.each([
    [['--bogus'], 'demo: unknown argument --bogus'],
    [['--config'], 'demo: --config needs a value'],
    [['--report-dir', '--config', 'x.yml'], 'demo: --report-dir needs a value'],
    [['--realistic', '--time-scale', '0'], 'demo: --time-scale needs a positive number'],
    [['--realistic', '--time-scale'], 'demo: --time-scale needs a positive number'],
    // The realistic mode is the default: a time scale is refused only with --instant.
    [['--instant', '--time-scale', '30'], 'demo: --time-scale applies to the realistic mode only, not --instant'],
    [['--instant', '--realistic'], 'demo: --instant and --realistic exclude each other'],
  ])('%j exits 2 and names the problem', async (args, message) => {
    await expect(demoMain(args)).resolves.toBe(2);
    expect(written.err).toContain(message);
    expect(written.err).toContain('usage: npm run demo -- [--config FILE] [--report-dir DIR]');
    expect(written.out).toBe('');
  });

  it.each<[string[], string | undefined, string]>([
    [[], undefined, 'demo: --scenario needs one of: overlap'],
    [[], 'crowd', 'demo: --scenario needs one of: overlap (got crowd)'],
    [['--config', 'x.yml'], 'overlap', 'demo: unknown argument for --scenario overlap: --config'],
    [['--time-scale', '-3'], 'overlap', 'demo: --time-scale needs a positive number'],
    [['--report-dir'], 'overlap', 'demo: --report-dir needs a value'],
  ])('--scenario %j %s exits 2 and names the problem', async (args, scenario, message) => {
    await expect(overlapMain(args, scenario)).resolves.toBe(2);
    expect(written.err).toContain(message);
    expect(written.err).toContain('usage: npm run demo -- --scenario overlap');
    expect(written.out).toBe('');
  });

  it('--help prints the usage and exits 0', async () => {
    await expect(demoMain(['--help'])).resolves.toBe(0);
    expect(written.out).toContain('--config FILE');
    expect(written.out).toContain('--realistic        (the default)');
    expect(written.out).toContain('--instant');
    expect(written.out).toContain('examples/orders/safe-deploy.demo.realistic.yml');
    expect(written.err).toBe('');
  });
});
