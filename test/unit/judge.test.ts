import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { bakePolicy, canaryVerdict, decide, progressLine, withPlannedTraffic, type Observation, type TargetSample } from '../../packages/core/src/bake.js';
import {
  detectableEffect,
  effectGrid,
  judgeErrors,
  judgeSettings,
  judgeThreshold,
  latencyVerdict,
  logMixture,
  parseEffect,
  plannedInvocations,
  planTraffic,
  type PairCounts,
} from '../../packages/core/src/judge.js';
import { prng } from '../../packages/local/src/prng.js';

const DEFAULT = judgeSettings({});
const counts = (cn: number, ce: number, sn: number, se: number): PairCounts => ({ candidateInvocations: cn, candidateErrors: ce, stableInvocations: sn, stableErrors: se });


/** Exact Bernoulli draws, request by request: no approximation in the simulation itself. */
function draws(random: () => number, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (random() < p) k++;
  return k;
}

describe('the judge on the two counts', () => {
  it.each([
    // candidate errors/invocations, stable errors/invocations, fires?
    ['4% over 600 against 1% over 5000', counts(600, 24, 5000, 50), true],
    ['1.3% over 600 against 1% over 5000', counts(600, 8, 5000, 50), false],
    ['2.2% over 600 against 1% over 5000 (not yet enough evidence)', counts(600, 13, 5000, 50), false],
    ['one error in the first three calls, stable 1% over 1000', counts(3, 1, 1000, 10), false],
    ['no errors anywhere', counts(600, 0, 5000, 0), false],
    ['the candidate better than the stable', counts(600, 0, 5000, 200), false],
    ['2x of 0.1% at high traffic (200k requests)', counts(20_000, 40, 180_000, 180), true],
    ['30% errors against none, 50 calls', counts(50, 15, 950, 0), true],
  ])('%s', (_name, c, fires) => {
    const j = judgeErrors(DEFAULT, c);
    expect(j.applicable).toBe(true);
    expect(j.fired).toBe(fires);
    expect(j.threshold).toBeCloseTo(Math.log(20), 10);
  });

  it('has nothing to compare with when one version has no traffic (a full wave)', () => {
    expect(judgeErrors(DEFAULT, counts(500, 50, 0, 0))).toMatchObject({ applicable: false, fired: false, statistic: 0 });
    expect(judgeErrors(DEFAULT, counts(0, 0, 500, 5))).toMatchObject({ applicable: false, fired: false });
  });

  it('splits the false-positive rate over the targets of a bake', () => {
    expect(judgeThreshold(DEFAULT, 4)).toBeCloseTo(Math.log(4 / 0.05), 10);
    // Evidence enough for one target is not for forty.
    const c = counts(600, 17, 5000, 50);
    expect(judgeErrors(DEFAULT, c, 1).fired).toBe(true);
    expect(judgeErrors(DEFAULT, c, 40).fired).toBe(false);
  });

  it('never fires when the candidate fails less often than its share of the errors (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 500 }), (cn, sn, total) => {
        const share = cn / (cn + sn);
        const ce = Math.floor(total * share);
        return !judgeErrors(DEFAULT, counts(cn, Math.min(ce, cn), sn, total - Math.min(ce, cn))).fired;
      }),
    );
  });

  it('grows with every candidate error and shrinks with every stable error (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50_000 }), fc.integer({ min: 1, max: 50_000 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (cn, sn, ce, se) => {
        const share = cn / (cn + sn);
        const grid = effectGrid(1.5);
        const m = logMixture(grid, share, ce, se);
        return logMixture(grid, share, ce + 1, se) > m && logMixture(grid, share, ce, se + 1) < m;
      }),
    );
  });

  it('a larger minimum effect or a lower false-positive rate never fires where the defaults do not (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 20_000 }), fc.integer({ min: 10, max: 20_000 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), (cn, sn, ce, se) => {
        const c = counts(cn, Math.min(ce, cn), sn, Math.min(se, sn));
        if (judgeErrors(DEFAULT, c).fired) return true;
        return !judgeErrors(judgeSettings({ falsePositiveRate: 0.01 }), c).fired;
      }),
    );
  });

  it('keeps its false-positive rate when checked on every poll (seeded simulation, 600 healthy bakes of 40 polls)', () => {
    const random = prng(16);
    const settings = judgeSettings({ falsePositiveRate: 0.05, minEffect: 1.5 });
    let falsePositives = 0;
    let looks = 0;
    const bakes = 600;
    for (let b = 0; b < bakes; b++) {
      let cn = 0, ce = 0, sn = 0, se = 0;
      for (let poll = 0; poll < 40; poll++) {
        const requests = 60;
        const toCandidate = draws(random, requests, 0.1);
        cn += toCandidate;
        sn += requests - toCandidate;
        ce += draws(random, toCandidate, 0.02);
        se += draws(random, requests - toCandidate, 0.02);
        looks++;
        if (judgeErrors(settings, counts(cn, ce, sn, se)).fired) {
          falsePositives++;
          break;
        }
      }
    }
    expect(looks).toBeGreaterThan(bakes * 30);
    // At or under 5% over the whole bake, with its 40 looks (a fixed test at 5% per look would be far above).
    expect(falsePositives / bakes).toBeLessThanOrEqual(0.05);
  });

  it('stops a 3x candidate in most such bakes (seeded simulation, the same polling)', () => {
    const random = prng(7);
    let caught = 0;
    for (let b = 0; b < 150; b++) {
      let cn = 0, ce = 0, sn = 0, se = 0;
      for (let poll = 0; poll < 40; poll++) {
        const toCandidate = draws(random, 200, 0.1);
        cn += toCandidate;
        sn += 200 - toCandidate;
        ce += draws(random, toCandidate, 0.06);
        se += draws(random, 200 - toCandidate, 0.02);
        if (judgeErrors(DEFAULT, counts(cn, ce, sn, se)).fired) {
          caught++;
          break;
        }
      }
    }
    expect(caught / 150).toBeGreaterThan(0.8);
  });
});

describe('settings', () => {
  it.each([
    ['1.5x', 1.5],
    ['2×', 2],
    ['50%', 1.5],
    [' 3X ', 3],
  ])('reads the effect %s', (text, value) => expect(parseEffect(text)).toBeCloseTo(value, 10));

  it.each(['1x', '0%', '1.5', 'double', '0.5x'])('refuses the effect %s', (text) => expect(() => parseEffect(text)).toThrow(/effect|increase/));

  it('refuses a level outside (0, 50%) and an effect not above 1x, naming the setting', () => {
    expect(() => judgeSettings({ falsePositiveRate: 0 })).toThrow(/false-positive-rate/);
    expect(() => judgeSettings({ falsePositiveRate: 0.6 })).toThrow(/false-positive-rate/);
    expect(() => judgeSettings({ minEffect: 1 })).toThrow(/min-effect/);
  });
});

describe('planning from the stable version\'s traffic', () => {
  it('needs more candidate traffic for a smaller error rate and a smaller share', () => {
    const at1 = plannedInvocations(DEFAULT, 0.01, 0.1) as number;
    expect(at1).toBeGreaterThan(1000);
    expect(plannedInvocations(DEFAULT, 0.001, 0.1)).toBeGreaterThan(at1 * 5);
    expect(plannedInvocations(judgeSettings({ minEffect: 3 }), 0.01, 0.1)).toBeLessThan(at1 / 3);
    // At the planned traffic a candidate at exactly the minimum effect, on average, is stopped.
    const share = 0.1;
    const j = judgeErrors(DEFAULT, counts(at1, at1 * 0.015, (at1 * (1 - share)) / share, ((at1 * (1 - share)) / share) * 0.01));
    expect(j.fired).toBe(true);
    expect(plannedInvocations(DEFAULT, 0, 0.1)).toBeNull();
    expect(plannedInvocations(DEFAULT, 0.01, 1)).toBeNull();
  });

  it('tells which effect the traffic can see', () => {
    const n = plannedInvocations(DEFAULT, 0.01, 0.1) as number;
    expect(detectableEffect(DEFAULT, 0.01, 0.1, n)).toBeCloseTo(1.5, 1);
    expect(detectableEffect(DEFAULT, 0.01, 0.1, n / 10)).toBeGreaterThan(2);
  });

  it('bakes a quiet region longer, tells one that cannot be judged in its window, and plans nothing for a full wave', () => {
    const hour = 3_600_000;
    const plan = planTraffic(
      DEFAULT,
      [
        { region: 'us-east-1', function: 'orders', share: 0.1, baseline: { invocations: 600_000, errors: 6000, windowMs: hour } },
        { region: 'us-west-1', function: 'orders', share: 0.1, baseline: { invocations: 60_000, errors: 600, windowMs: hour } },
        { region: 'eu-west-1', function: 'orders', share: 0.1, baseline: { invocations: 600, errors: 6, windowMs: hour } },
        { region: 'ap-south-1', function: 'orders', share: 0.1, baseline: { invocations: 6000, errors: 0, windowMs: hour } },
        { region: 'sa-east-1', function: 'orders', share: 1, baseline: { invocations: 6000, errors: 60, windowMs: hour } },
        { region: 'me-south-1', function: 'orders', share: 0.1, baseline: null },
      ],
      { durationMs: hour, maxWaitMs: 3 * hour, minInvocations: 100 },
    );
    const need = plannedInvocations(DEFAULT, 0.01, 0.1, 6) as number;
    expect(plan.planned['us-east-1/orders']).toBe(need);
    expect(plan.planned['us-west-1/orders']).toBe(need);
    expect(plan.planned['eu-west-1/orders']).toBeUndefined();
    expect(plan.lines[0]).toMatch(/judged within the duration/);
    expect(plan.lines[1]).toMatch(/bakes longer, about \d+ min/);
    expect(plan.lines[2]).toMatch(/cannot be judged at 1\.5x in its window; it can see about [\d.]+x or more/);
    expect(plan.lines[3]).toMatch(/no errors to compare with/);
    expect(plan.lines[4]).toMatch(/takes all the traffic/);
    expect(plan.lines[5]).toMatch(/no recent traffic/);
  });
});

describe('latency against the stable version', () => {
  it('does not fire on a handful of cold starts, fires on a slower candidate with enough samples', () => {
    expect(latencyVerdict({ invocations: 50, p99Ms: 3000 }, { invocations: 5000, p99Ms: 200 }, 0.2)).toBeNull();
    expect(latencyVerdict({ invocations: 5000, p99Ms: 230 }, { invocations: 5000, p99Ms: 200 }, 0.2)).toBeNull();
    expect(latencyVerdict({ invocations: 5000, p99Ms: 15 }, { invocations: 5000, p99Ms: 8 }, 0.2)).toBeNull();
    expect(latencyVerdict({ invocations: 5000, p99Ms: 300 }, { invocations: 5000, p99Ms: 200 }, 0.2)).toMatch(/p99 duration 300ms .* above the stable's 200ms .* by more than 20%/);
    expect(latencyVerdict({ invocations: 5000, p99Ms: 300 }, null, 0.2)).toBeNull();
  });
});

describe('the judge inside the bake policy', () => {
  const T0 = Date.parse('2026-11-26T10:00:00Z');
  const target = (c: [number, number], s: [number, number] | null): TargetSample => ({
    region: 'us-east-1',
    function: 'orders-api',
    alias: 'live',
    candidate: { version: '7', invocations: c[0], errors: c[1], p99Ms: null, points: [] },
    stable: s ? { version: '6', invocations: s[0], errors: s[1], p99Ms: null, points: [] } : null,
  });

  it('is on by default without thresholds, off beside a threshold unless named, and can be combined', () => {
    expect(bakePolicy({ durationMs: 60_000 }).judge).toEqual({ falsePositiveRate: 0.05, minEffect: 1.5 });
    expect(bakePolicy({ durationMs: 60_000, maxErrorRate: 0.01 }).judge).toBeNull();
    const both = bakePolicy({ durationMs: 60_000, maxErrorRate: 0.5, judge: { minEffect: 2 } });
    expect(both.judge).toEqual({ falsePositiveRate: 0.05, minEffect: 2 });
    expect(canaryVerdict(both, [target([600, 24], [5000, 50])])).toMatch(/^the judge finds the error rate of orders-api:live v7 in us-east-1 above the stable v6's: candidate 24\/600 \(4%\) vs stable 50\/5000 \(1%\), ratio 4x, evidence [\d.]+ \/ 3\.00/);
    expect(canaryVerdict(both, [target([600, 400], [5000, 50])])).toMatch(/judge/);
    expect(canaryVerdict(bakePolicy({ durationMs: 60_000, maxErrorRate: 0.5 }), [target([600, 400], [5000, 50])])).toMatch(/^error rate 66\.67%/);
  });

  it('fails a bake as metric-breach and prints its counts, statistic and threshold every poll', () => {
    const policy = bakePolicy({ durationMs: 10 * 60_000, minInvocations: 100 });
    const observation = (c: [number, number]): Observation => ({ now: T0 + 60_000, regions: ['us-east-1'], alarms: [{ region: 'us-east-1', alarms: [], missing: [] }], metrics: [target(c, [5000, 50])] });
    expect(decide(policy, T0, observation([600, 8])).kind).toBe('continue');
    expect(decide(policy, T0, observation([600, 24]))).toMatchObject({ kind: 'done', result: 'metric-breach' });
    expect(progressLine(policy, T0, observation([600, 8]), 3)).toMatch(/\| judge candidate 8\/600 \(1\.33%\) vs stable 50\/5000 \(1%\), ratio 1\.33x, evidence -?[\d.]+ \/ 3\.00 \|/);
  });

  it('waits for the planned traffic before it passes, then passes', () => {
    const policy = withPlannedTraffic(bakePolicy({ durationMs: 60_000, minInvocations: 100, metricsDelayMs: 0 }), { 'us-east-1/orders-api': 2000 });
    const settled = (n: number): Observation => ({
      now: T0 + 2 * 60_000,
      regions: ['us-east-1'],
      alarms: [{ region: 'us-east-1', alarms: [], missing: [] }],
      metrics: [target([n, 0], [n * 9, 0])],
      settled: { cutoff: T0 + 2 * 60_000, metrics: [target([n, 0], [n * 9, 0])] },
    });
    expect(decide(policy, T0, settled(500))).toMatchObject({ kind: 'continue', reason: expect.stringMatching(/us-east-1 orders-api 500\/2000 \(planned for the judge\)/) });
    expect(decide(policy, T0, settled(2000))).toMatchObject({ kind: 'done', result: 'baked' });
  });
});
