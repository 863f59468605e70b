// The judge's settings: the config's `judge:` section and bake-gate's inputs, and how they combine.
import { describe, expect, it } from '@jest/globals';
import { readInputs, withConfigJudge } from '../../actions/bake-gate/src/inputs.js';
import { configToJson } from '../../packages/core/src/config.js';
import { formatProblem, loadConfigText } from '../../packages/core/src/config-loader.js';

const minimal = `service: orders
functions: [orders-api]
stages:
  - { name: prod, regions: [us-east-1] }
`;

const NOW = Date.parse('2026-11-26T12:00:00Z');
const deployment = {
  format: 1,
  stage: 'gamma',
  alias: 'live',
  commit: 'abc',
  run: '1',
  traffic: 0.1,
  shiftedAt: '2026-11-26T11:50:00Z',
  targets: [{ region: 'us-east-1', function: 'orders-api', alias: 'live', stable: '1', candidate: '2', weight: 0.1, revision: null, record: '' }],
};
const from = (values: Record<string, string>) => (name: string) => values[name] ?? '';
const base = { deployment: JSON.stringify(deployment), duration: '10m' };

describe('config judge:', () => {
  it('reads the level, the effect and the latency margin, and writes them back', () => {
    const loaded = loadConfigText('safe-deploy.yml', `${minimal}judge:\n  false-positive-rate: 1%\n  min-effect: 2x\n  max-p99-over-stable: 20%\n`);
    if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
    expect(loaded.config.judge).toEqual({ falsePositiveRate: 0.01, minEffect: 2, maxP99OverStable: 0.2 });
    expect(configToJson(loaded.config).judge).toEqual({ 'false-positive-rate': '1%', 'min-effect': '2x', 'max-p99-over-stable': '20%' });
    const again = loadConfigText('again.yml', JSON.stringify(configToJson(loaded.config)));
    expect(again.ok && again.config.judge).toEqual(loaded.config.judge);
  });

  it('leaves it out when absent', () => {
    const loaded = loadConfigText('safe-deploy.yml', minimal);
    expect(loaded.ok && loaded.config.judge).toBeUndefined();
  });

  it('reports a bad level or effect with file, line and column', () => {
    const loaded = loadConfigText('safe-deploy.yml', `${minimal}judge:\n  false-positive-rate: 60%\n  min-effect: double\n`);
    expect(loaded.ok).toBe(false);
    const messages = loaded.ok ? [] : loaded.problems.map(formatProblem);
    expect(messages).toEqual([
      expect.stringMatching(/^safe-deploy\.yml:6:\d+ judge\.false-positive-rate: must be above 0% and below 50%/),
      expect.stringMatching(/^safe-deploy\.yml:7:\d+ judge\.min-effect: "double" is not an effect/),
    ]);
  });
});

describe('bake-gate judge inputs', () => {
  it('turns the judge on beside a threshold when the level or the effect is given', () => {
    expect(readInputs(from({ ...base, 'max-error-rate': '1%' }), NOW).policy.judge).toBeNull();
    expect(readInputs(from(base), NOW).policy.judge).toEqual({ falsePositiveRate: 0.05, minEffect: 1.5 });
    const both = readInputs(from({ ...base, 'max-error-rate': '1%', 'min-effect': '50%' }), NOW).policy;
    expect(both).toMatchObject({ maxErrorRate: 0.01, judge: { falsePositiveRate: 0.05, minEffect: 1.5 } });
    expect(readInputs(from({ ...base, 'false-positive-rate': '1%', 'max-p99-over-stable': '25%' }), NOW).policy).toMatchObject({ judge: { falsePositiveRate: 0.01 }, maxP99OverStable: 0.25 });
  });

  it('names the input in every refusal', () => {
    expect(() => readInputs(from({ ...base, 'false-positive-rate': '0.05' }), NOW)).toThrow(/^input false-positive-rate: "0.05" is not a share/);
    expect(() => readInputs(from({ ...base, 'false-positive-rate': '50%' }), NOW)).toThrow(/^input false-positive-rate: false-positive-rate must be above 0%/);
    expect(() => readInputs(from({ ...base, 'min-effect': '1.5' }), NOW)).toThrow(/^input min-effect: "1.5" is not an effect/);
    expect(() => readInputs(from({ ...base, 'min-effect': '500x' }), NOW)).toThrow(/^input min-effect: min-effect must be above 1x and at most 100x/);
  });

  it('takes the config where the inputs are empty, the inputs where given', () => {
    const inputs = readInputs(from({ ...base, 'max-error-rate': '1%', 'false-positive-rate': '2%' }), NOW);
    const merged = withConfigJudge(inputs, { falsePositiveRate: 0.1, minEffect: 3, maxP99OverStable: 0.3 });
    expect(merged.policy).toMatchObject({ maxErrorRate: 0.01, judge: { falsePositiveRate: 0.02, minEffect: 3 }, maxP99OverStable: 0.3 });
    // A config section that names neither the level nor the effect leaves a threshold bake without the judge.
    expect(withConfigJudge(readInputs(from({ ...base, 'max-error-rate': '1%' }), NOW), { maxP99OverStable: 0.2 }).policy.judge).toBeNull();
    expect(withConfigJudge(inputs, undefined)).toBe(inputs);
  });
});
