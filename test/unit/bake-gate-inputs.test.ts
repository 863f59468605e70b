import { describe, expect, it } from '@jest/globals';
import { readInputs, withConfigJudge } from '../../actions/bake-gate/src/inputs.js';
import { readInputs as readAlarmCheckInputs } from '../../actions/alarm-check/src/main.js';

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

describe('bake-gate inputs', () => {
  it('fills the defaults: 100 invocations, 30s polls, max-wait 3 × duration, start at the shift', () => {
    const inputs = readInputs(from(base), NOW);
    expect(inputs.policy).toMatchObject({ durationMs: 600_000, minInvocations: 100, pollIntervalMs: 30_000, maxWaitMs: 1_800_000, maxErrorRate: null, maxP99Ms: null, lookBackMs: 300_000, metricsDelayMs: 180_000, functionTimeoutMs: 0 });
    expect(inputs.since).toBe(Date.parse('2026-11-26T11:50:00Z'));
    expect(inputs.mode).toBe('watch');
    expect(inputs.environment).toBe('gamma');
  });
  it('reads bounds, alarms and verify mode', () => {
    const inputs = readInputs(
      from({ ...base, 'max-error-rate': '1%', 'max-error-rate-over-stable': '0.5%', 'max-p99-duration': '800ms', alarms: 'a\nprefix:orders-', mode: 'verify', since: '2026-11-26T00:00:00Z', 'fail-on-insufficient-data': 'true' }),
      NOW,
    );
    expect(inputs.policy).toMatchObject({ maxErrorRate: 0.01, maxErrorRateOverStable: 0.005, maxP99Ms: 800, failOnInsufficientData: true });
    expect(inputs.refs).toEqual({ names: ['a'], prefixes: ['orders-'] });
    expect(inputs.mode).toBe('verify');
    expect(inputs.since).toBe(Date.parse('2026-11-26T00:00:00Z'));
  });
  it('names the input in every refusal', () => {
    expect(() => readInputs(from({ duration: '10m' }), NOW)).toThrow(/^input deployment: is required/);
    expect(() => readInputs(from({ ...base, duration: '' }), NOW)).toThrow(/^input duration: is required/);
    expect(() => readInputs(from({ ...base, duration: 'ten minutes' }), NOW)).toThrow(/^input duration: "ten minutes" is not a duration/);
    expect(() => readInputs(from({ ...base, 'max-wait': '5m' }), NOW)).toThrow(/^input max-wait: max-wait \(5m\) is shorter than the duration/);
    expect(() => readInputs(from({ ...base, 'max-error-rate': '0.01' }), NOW)).toThrow(/^input max-error-rate: "0.01" is not a share/);
    expect(() => readInputs(from({ ...base, mode: 'later' }), NOW)).toThrow(/^input mode: "later" is neither watch nor verify/);
    expect(() => readInputs(from({ ...base, since: 'yesterday' }), NOW)).toThrow(/^input since: "yesterday" is not an ISO time/);
    expect(() => readInputs(from({ ...base, since: '2026-11-27T00:00:00Z' }), NOW)).toThrow(/^input since: .* is in the future/);
    expect(() => readInputs(from({ ...base, 'poll-interval': '500ms' }), NOW)).toThrow(/^input poll-interval: must be at least 1s/);
    expect(() => readInputs(from({ ...base, 'metrics-delay': 'soon' }), NOW)).toThrow(/^input metrics-delay: "soon" is not a duration/);
  });
  it('takes metrics-delay as a duration, 0s included', () => {
    expect(readInputs(from({ ...base, 'metrics-delay': '90s' }), NOW).policy.metricsDelayMs).toBe(90_000);
    expect(readInputs(from({ ...base, 'metrics-delay': '0s' }), NOW).policy.metricsDelayMs).toBe(0);
  });
  it('refuses a verify window that starts before the two weeks of alarm history CloudWatch keeps (findings F12)', () => {
    const old = { ...base, mode: 'verify', since: '2026-11-11T11:00:00Z' }; // 15 days before NOW
    expect(() => readInputs(from(old), NOW)).toThrow(/^input since: 2026-11-11T11:00:00Z is more than 14 days ago; CloudWatch keeps alarm history for two weeks/);
    const shifted = { ...base, mode: 'verify', deployment: JSON.stringify({ ...deployment, shiftedAt: '2026-11-01T00:00:00Z' }) };
    expect(() => readInputs(from(shifted), NOW)).toThrow(/^input since: 2026-11-01T00:00:00Z \(the deployment's shiftedAt\) is more than 14 days ago/);
    expect(readInputs(from({ ...old, since: '2026-11-13T12:00:00Z' }), NOW).since).toBe(Date.parse('2026-11-13T12:00:00Z'));
    expect(readInputs(from({ ...old, mode: 'watch' }), NOW).mode).toBe('watch'); // watch reads no history
  });
});

describe('alarm-check inputs', () => {
  it('reads alarms, regions and fail-on, and refuses what would check nothing', () => {
    expect(readAlarmCheckInputs(from({ alarms: 'a, prefix:b-', regions: 'us-east-1\neu-west-1', 'fail-on': 'ALARM,INSUFFICIENT_DATA' }))).toMatchObject({
      refs: { names: ['a'], prefixes: ['b-'] },
      regions: ['us-east-1', 'eu-west-1'],
      failOn: ['ALARM', 'INSUFFICIENT_DATA'],
      bypassReason: '',
    });
    expect(() => readAlarmCheckInputs(from({ alarms: '', regions: 'us-east-1' }))).toThrow(/^input alarms: give at least one/);
    expect(() => readAlarmCheckInputs(from({ alarms: 'a', regions: '' }))).toThrow(/^input regions: give at least one AWS region/);
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
