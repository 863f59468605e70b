import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { DEFAULT_MAX_WAVE_SIZE, parseAlarmRef, parseConfig, type Config } from '../../packages/core/src/config.js';
import { loadConfigText } from '../../packages/core/src/config-loader.js';
import { ALL_REGIONS, partitionOf } from '../../packages/core/src/regions.js';

function load(text: string): Config {
  const result = loadConfigText('safe-deploy.yml', text);
  if (!result.ok) throw new Error(result.problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n'));
  return result.config;
}

const minimal = `service: orders
functions: [orders-api]
stages:
  - { name: prod, regions: [us-east-1] }
`;

describe('config schema', () => {
  it('fills defaults for a minimal file', () => {
    const config = load(minimal);
    expect(config).toEqual({
      version: 1,
      service: 'orders',
      alias: 'live',
      functions: ['orders-api'],
      stages: [
        {
          name: 'prod',
          environment: 'prod',
          regions: ['us-east-1'],
          bake: {
            first: { durationMs: 30 * 60_000, minInvocations: 100, mode: 'watch', maxWaitMs: 90 * 60_000, metricsDelayMs: 180_000 },
            rest: { durationMs: 30 * 60_000, minInvocations: 100, mode: 'watch', maxWaitMs: 90 * 60_000, metricsDelayMs: 180_000 },
          },
          waves: 'auto',
          maxWaveSize: DEFAULT_MAX_WAVE_SIZE,
        },
      ],
      alarms: { block: [], rollback: [], onebox: {} },
      windows: { timezone: 'UTC', allow: [], freeze: [] },
      unqualifiedTriggers: 'refuse',
    });
  });

  it('reads the example service: durations, shares, bakes first/rest, alarms and windows', () => {
    const config = load(readFileSync('examples/orders/safe-deploy.yml', 'utf8'));
    const prod = config.stages.find((stage) => stage.name === 'prod');
    expect(prod?.regions.length).toBeGreaterThanOrEqual(5);
    expect(prod?.onebox).toEqual({ traffic: 0.05, bake: { durationMs: 3_600_000, minInvocations: 10_000, mode: 'watch', maxWaitMs: 3 * 3_600_000, metricsDelayMs: 180_000 } });
    expect(prod?.bake.first).toEqual({ durationMs: 12 * 3_600_000, minInvocations: 50_000, mode: 'verify', maxWaitMs: 36 * 3_600_000, metricsDelayMs: 180_000 });
    expect(prod?.bake.rest.durationMs).toBe(3 * 3_600_000);
    expect(config.stages[0]?.tests).toBe('npm run test:integration');
    expect(config.alarms).toEqual({ block: ['orders-high-severity'], rollback: ['orders-high-severity', 'prefix:orders-'], onebox: { errorRate: 0.01, p99DurationMs: 800 } });
    expect(config.windows.timezone).toBe('America/Los_Angeles');
    expect(config.windows.allow[0]).toMatchObject({ days: [1, 2, 3, 4], startMinute: 9 * 60, endMinute: 16 * 60 });
    expect(config.windows.freeze[0]).toMatchObject({ from: '2026-12-20', to: '2027-01-04' });
  });

  it('reads the demo pipeline: prod in at least four regions and short bakes', () => {
    const config = load(readFileSync('examples/orders/safe-deploy.demo.yml', 'utf8'));
    expect(config.stages.map((stage) => stage.name)).toEqual(['alpha', 'beta', 'gamma', 'prod']);
    expect(config.stages[3]?.regions.length).toBeGreaterThanOrEqual(4);
    for (const stage of config.stages) expect(stage.bake.first.durationMs).toBeLessThanOrEqual(10_000);
  });

  it('takes one bake for every wave, or first and rest with defaults for the other', () => {
    const config = load(`${minimal.replace('{ name: prod, regions: [us-east-1] }', '{ name: prod, regions: [us-east-1], bake: { first: { duration: 12h, mode: verify } } }')}`);
    expect(config.stages[0]?.bake.first).toMatchObject({ durationMs: 12 * 3_600_000, mode: 'verify' });
    expect(config.stages[0]?.bake.rest).toMatchObject({ durationMs: 30 * 60_000, mode: 'watch', minInvocations: 100 });
  });

  it('reads metrics-delay in every bake (default 3m) and refuses one that is not a duration', () => {
    const config = load(`service: orders
functions: [orders-api]
stages:
  - name: prod
    regions: [us-east-1, eu-west-1]
    onebox: { traffic: 5%, bake: { duration: 1h, metrics-delay: 10m } }
    bake: { first: { duration: 12h, metrics-delay: 20m }, rest: { duration: 3h } }
`);
    expect(config.stages[0]?.onebox?.bake.metricsDelayMs).toBe(600_000);
    expect(config.stages[0]?.bake.first.metricsDelayMs).toBe(1_200_000);
    expect(config.stages[0]?.bake.rest.metricsDelayMs).toBe(180_000);
    const bad = loadConfigText('safe-deploy.yml', `${minimal.trimEnd()}\n    bake: { metrics-delay: soon }\n`.replace('  - { name: prod, regions: [us-east-1] }\n    bake', '  - name: prod\n    regions: [us-east-1]\n    bake'));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => `${p.path}: ${p.message}`).join('\n')).toMatch(/metrics-delay.*duration/);
  });
  it('accepts explicit waves and an environment name', () => {
    const config = load(`service: s
functions: [f]
stages:
  - name: prod
    environment: production
    regions: [us-east-1, us-west-2]
    waves:
      - { regions: [us-east-1], traffic: 2% }
      - { regions: [us-east-1], bake: { duration: 1h } }
      - { regions: [us-west-2] }
`);
    expect(config.stages[0]?.environment).toBe('production');
    expect(config.stages[0]?.waves).toEqual([
      { regions: ['us-east-1'], traffic: 0.02 },
      { regions: ['us-east-1'], traffic: 1, bake: { durationMs: 3_600_000, minInvocations: 100, mode: 'watch', maxWaitMs: 3 * 3_600_000, metricsDelayMs: 180_000 } },
      { regions: ['us-west-2'], traffic: 1 },
    ]);
  });

  it('knows the regions of every partition', () => {
    for (const region of ['us-east-1', 'eu-west-1', 'ap-southeast-7', 'mx-central-1', 'cn-north-1', 'cn-northwest-1', 'us-gov-west-1', 'us-gov-east-1', 'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1', 'eusc-de-east-1']) {
      expect(ALL_REGIONS).toContain(region);
    }
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOf('us-isob-east-1')).toBe('aws-iso-b');
    expect(partitionOf('us-weast-1')).toBeUndefined();
    const config = load(minimal.replace('[us-east-1]', '[cn-north-1, cn-northwest-1]'));
    expect(config.stages[0]?.regions).toEqual(['cn-north-1', 'cn-northwest-1']);
  });

  it('reads alarm references: names and prefixes', () => {
    expect(parseAlarmRef('orders-high-severity')).toEqual({ kind: 'name', name: 'orders-high-severity' });
    expect(parseAlarmRef('prefix:orders-')).toEqual({ kind: 'prefix', prefix: 'orders-' });
    expect(() => parseAlarmRef('prefix:')).toThrow(/empty prefix/);
    expect(() => parseAlarmRef('')).toThrow(/empty alarm name/);
    expect(() => parseAlarmRef('x'.repeat(256))).toThrow(/at most 255/);
  });

  it('validates a plain object too (JSON configs)', () => {
    const result = parseConfig({ service: 'orders', functions: ['f'], stages: [{ name: 'prod', regions: ['us-east-1'], onebox: { traffic: '10%' } }] });
    expect(result.ok).toBe(true);
    const bad = parseConfig({ service: 'orders', functions: ['f'], stages: [{ name: 'prod', regions: ['us-east-1'], onebox: { traffic: '10.5%' } }] });
    expect(bad.ok).toBe(false);
  });

  it('accepts a one-box of exactly 10% and refuses anything above', () => {
    expect(load(minimal.replace('regions: [us-east-1] }', 'regions: [us-east-1], onebox: { traffic: 10% } }')).stages[0]?.onebox?.traffic).toBe(0.1);
    const result = loadConfigText('x.yml', minimal.replace('regions: [us-east-1] }', 'regions: [us-east-1], onebox: { traffic: 10.001% } }'));
    expect(result.ok).toBe(false);
  });
});

describe('configToJson', () => {
  it('writes the config back with defaults filled in, and loads again to the same Config', async () => {
    const { configToJson } = await import('../../packages/core/src/config.js');
    for (const file of ['examples/orders/safe-deploy.yml', 'examples/orders/safe-deploy.demo.yml', 'examples/orders/safe-deploy.demo.realistic.yml']) {
      const config = load(readFileSync(file, 'utf8'));
      const json = configToJson(config);
      expect(load(JSON.stringify(json))).toEqual(config);
    }
    const json = configToJson(load(readFileSync('examples/orders/safe-deploy.yml', 'utf8')));
    expect(json.alarms.onebox).toEqual({ 'error-rate': '1%', 'p99-duration': '800ms' });
    expect(json.stages[3]?.onebox).toEqual({ traffic: '5%', bake: { duration: '1h', 'min-invocations': 10000, mode: 'watch', 'max-wait': '3h', 'metrics-delay': '3m' } });
    expect(json.windows).toEqual({ timezone: 'America/Los_Angeles', allow: ['Mon-Thu 09:00-16:00'], freeze: ['2026-12-20..2027-01-04'] });
  });
});

describe('unqualified-triggers', () => {
  it('defaults to refuse, accepts allow, and names the key for anything else', () => {
    expect(load(minimal).unqualifiedTriggers).toBe('refuse');
    expect(load(`${minimal}\nunqualified-triggers: allow\n`).unqualifiedTriggers).toBe('allow');
    expect(() => load(`${minimal}\nunqualified-triggers: sometimes\n`)).toThrow(/unqualified-triggers.*expected refuse or allow/s);
  });
});
