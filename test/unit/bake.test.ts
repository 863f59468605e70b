import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { AlarmState, RegionAlarms } from '../../packages/core/src/alarms.js';
import {
  bakeChart,
  bakePolicy,
  bakeSeries,
  decide,
  historyVerdict,
  runBake,
  type BakeIO,
  type BakePolicyInput,
  type PollReport,
  type TargetSample,
  type WindowCheck,
} from '../../packages/core/src/bake.js';

const MIN = 60_000;
const T0 = Date.parse('2026-11-26T10:00:00Z');

interface World {
  /** Candidate invocations per minute per region (stamped at invocation time). */
  perMinute: number;
  /** Candidate error rate. */
  errorRate: number;
  stableErrorRate?: number;
  p99Ms?: number | null;
  regions: string[];
  /** Alarm states by time. */
  alarmAt?: (now: number) => AlarmState;
  missing?: string[];
  /** Data points that only become visible after `visibleAt` (late arrivals): stamped at `t`. */
  late?: { t: number; visibleAt: number; invocations: number; errors: number }[];
  failAlarmsAt?: number;
  window?: WindowCheck;
  /** When steady traffic started (default T0, the shift). */
  trafficFrom?: number;
}

/** A fake clock plus readers computing what CloudWatch would answer for a window at the current time. */
function fakeIO(world: World, startAt = T0) {
  let now = startAt;
  const polls: PollReport[] = [];
  const metricWindows: [number, number][] = [];
  const io: BakeIO = {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    readAlarms: async (): Promise<RegionAlarms[]> => {
      if (world.failAlarmsAt !== undefined && now >= world.failAlarmsAt) throw new Error('CloudWatch DescribeAlarms in us-east-1 failed: AccessDenied: not allowed');
      return world.regions.map((region) => ({
        region,
        alarms: [{ region, name: 'orders-rollback', kind: 'metric' as const, state: world.alarmAt?.(now) ?? 'OK', reason: '', updatedAt: null }],
        missing: world.missing ?? [],
      }));
    },
    readMetrics: async (start, end): Promise<TargetSample[]> => {
      metricWindows.push([start, end]);
      return world.regions.map((region) => {
        // Whole minutes of steady traffic from T0 (the shift) to `end`.
        const from = Math.max(start, world.trafficFrom ?? T0);
        const minutes = Math.max(0, Math.floor((Math.min(end, now) - from) / MIN));
        let invocations = minutes * world.perMinute;
        let errors = Math.floor(invocations * world.errorRate);
        for (const late of world.late ?? []) {
          if (late.t >= start && late.t <= end && now >= late.visibleAt) {
            invocations += late.invocations;
            errors += late.errors;
          }
        }
        const stableInv = invocations * 9;
        return {
          region,
          function: 'orders-api',
          alias: 'live',
          candidate: { version: '7', invocations, errors, throttles: 0, p99Ms: world.p99Ms ?? null, points: [{ t: from, invocations, errors }] },
          stable: { version: '6', invocations: stableInv, errors: Math.floor(stableInv * (world.stableErrorRate ?? 0)), throttles: 0, p99Ms: null, points: [] },
        };
      });
    },
    window: world.window,
    onPoll: (report) => polls.push(report),
  };
  return { io, polls, metricWindows, now: () => now };
}

const base: BakePolicyInput = { durationMs: 10 * MIN, minInvocations: 100, pollIntervalMs: 30_000, maxErrorRate: 0.01 };
const regions = ['us-east-1', 'eu-west-1'];

describe('bakePolicy', () => {
  it('defaults max-wait to three times the duration and a 5 minute look-back', () => {
    const policy = bakePolicy({ durationMs: 20 * MIN });
    expect(policy.maxWaitMs).toBe(60 * MIN);
    expect(policy.lookBackMs).toBe(5 * MIN);
    expect(policy.minInvocations).toBe(100);
  });
  it('refuses a policy that could pass without traffic or never pass', () => {
    expect(() => bakePolicy({ durationMs: MIN, minInvocations: 0 })).toThrow(/min-invocations.*no errors seen/);
    expect(() => bakePolicy({ durationMs: 10 * MIN, maxWaitMs: 5 * MIN })).toThrow(/max-wait \(5m\) is shorter than the duration \(10m\)/);
    expect(() => bakePolicy({ durationMs: MIN, maxErrorRate: 2 })).toThrow(/max-error-rate/);
  });
});

describe('runBake with an injected clock', () => {
  it('bakes when the duration elapsed AND every region saw min-invocations, after a look-back', async () => {
    const { io, polls, metricWindows, now } = fakeIO({ perMinute: 20, errorRate: 0, regions });
    const outcome = await runBake(bakePolicy(base), T0, regions, io);
    expect(outcome.result).toBe('baked');
    expect(now() - T0).toBe(10 * MIN); // woke exactly at the end of the duration
    expect(outcome.invocations).toEqual({ 'us-east-1': 200, 'eu-west-1': 200 });
    expect(outcome.reason).toMatch(/look-back/);
    // every poll reads from the start; the final read reaches 5 minutes before it
    expect(metricWindows.slice(0, -1).every(([start]) => start === T0)).toBe(true);
    expect(metricWindows.at(-1)?.[0]).toBe(T0 - 5 * MIN);
    expect(polls[0]?.line).toBe('poll 1 | 0s / 10m | invocations us-east-1 0/100, eu-west-1 0/100 | alarms 2 OK | errors 0 (0%, max 1%)');
    expect(polls.at(-1)?.line).toContain('us-east-1 200/100 ✓');
  });

  it('ends at the duration, not a poll later, when the wake-up timer fires early and the reads take time', async () => {
    const { io, polls, now } = fakeIO({ perMinute: 20, errorRate: 0, regions });
    let clock = T0;
    const early: BakeIO = {
      ...io,
      now: () => Math.max(clock, now()),
      // setTimeout may fire a millisecond before the time asked for, and each read costs 40 ms
      sleep: async (ms) => {
        await io.sleep(Math.max(0, ms - 1));
        clock = now();
      },
      readAlarms: async () => {
        const answer = await io.readAlarms();
        await io.sleep(40);
        return answer;
      },
    };
    const outcome = await runBake(bakePolicy(base), T0, regions, early);
    expect(outcome.result).toBe('baked');
    const ended = now() - T0;
    expect(ended).toBeGreaterThanOrEqual(10 * MIN);
    expect(ended).toBeLessThan(10 * MIN + 1000); // not the 30 s poll interval later
    expect(polls.at(-2)?.decision.kind).toBe('continue'); // the poll that started 1 ms too early
  });

  it('waits past the duration for traffic, then bakes once it arrives', async () => {
    const { io, now } = fakeIO({ perMinute: 5, errorRate: 0, regions });
    const outcome = await runBake(bakePolicy({ ...base, durationMs: 10 * MIN, maxWaitMs: 30 * MIN }), T0, regions, io);
    expect(outcome.result).toBe('baked');
    expect(now() - T0).toBeGreaterThanOrEqual(20 * MIN); // 100 invocations at 5 a minute
    expect(now() - T0).toBeLessThanOrEqual(20 * MIN + 30_000);
  });

  it('fails as insufficient-traffic at max-wait when the candidate gets too little traffic', async () => {
    const { io, now } = fakeIO({ perMinute: 2, errorRate: 0, regions });
    const outcome = await runBake(bakePolicy(base), T0, regions, io);
    expect(outcome.result).toBe('insufficient-traffic');
    expect(now() - T0).toBe(30 * MIN); // the default max-wait: 3 × 10m
    expect(outcome.reason).toMatch(/us-east-1 60\/100, eu-west-1 60\/100/);
  });

  it('never passes on low traffic, whatever the duration, rate and poll interval ("no errors seen" is not a pass)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 120 }), // duration minutes
        fc.integer({ min: 1, max: 1000 }), // min invocations
        fc.integer({ min: 5, max: 600 }), // poll seconds
        async (durationMin, minInvocations, pollSeconds) => {
          const durationMs = durationMin * MIN;
          // Traffic that cannot reach the minimum within max-wait (3 × duration).
          const perMinute = Math.floor((minInvocations - 1) / (3 * durationMin + 6));
          const { io } = fakeIO({ perMinute, errorRate: 0, regions: ['us-east-1'] });
          const outcome = await runBake(bakePolicy({ durationMs, minInvocations, pollIntervalMs: pollSeconds * 1000 }), T0, ['us-east-1'], io);
          expect(outcome.result).toBe('insufficient-traffic');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('one region short of traffic holds the whole bake', async () => {
    const { io } = fakeIO({ perMinute: 20, errorRate: 0, regions });
    const world = fakeIO({ perMinute: 20, errorRate: 0, regions });
    const readMetrics = world.io.readMetrics;
    io.readMetrics = async (start, end) => (await readMetrics(start, end)).map((s) => (s.region === 'eu-west-1' ? { ...s, candidate: { ...s.candidate, invocations: 3 } } : s));
    const outcome = await runBake(bakePolicy(base), T0, regions, io);
    expect(outcome.result).toBe('insufficient-traffic');
    expect(outcome.invocations['eu-west-1']).toBe(3);
  });

  it('ends as alarm within one poll interval of an alarm firing', async () => {
    const firesAt = T0 + 4 * MIN + 10_000;
    const { io, now } = fakeIO({ perMinute: 20, errorRate: 0, regions, alarmAt: (t) => (t >= firesAt ? 'ALARM' : 'OK') });
    const outcome = await runBake(bakePolicy(base), T0, regions, io);
    expect(outcome.result).toBe('alarm');
    expect(outcome.reason).toMatch(/orders-rollback \(us-east-1: ALARM/);
    expect(now() - firesAt).toBeLessThanOrEqual(30_000);
  });

  it('fails closed on a missing alarm and on an alarm that cannot be read', async () => {
    const missing = await runBake(bakePolicy(base), T0, regions, fakeIO({ perMinute: 20, errorRate: 0, regions, missing: ['orders-typo'] }).io);
    expect(missing.result).toBe('alarm');
    expect(missing.reason).toMatch(/alarm not found: orders-typo in us-east-1/);
    const denied = await runBake(bakePolicy(base), T0, regions, fakeIO({ perMinute: 20, errorRate: 0, regions, failAlarmsAt: T0 + 2 * MIN }).io);
    expect(denied.result).toBe('alarm');
    expect(denied.reason).toMatch(/monitoring failed.*AccessDenied/);
  });

  it('treats INSUFFICIENT_DATA as firing when so configured, and otherwise waits for data until max-wait (timeout)', async () => {
    const world = { perMinute: 20, errorRate: 0, regions, alarmAt: (): AlarmState => 'INSUFFICIENT_DATA' };
    const strict = await runBake(bakePolicy({ ...base, failOnInsufficientData: true }), T0, regions, fakeIO(world).io);
    expect(strict.result).toBe('alarm');
    const { io, now } = fakeIO(world);
    const lenient = await runBake(bakePolicy(base), T0, regions, io);
    expect(lenient.result).toBe('timeout');
    expect(lenient.reason).toMatch(/alarms still had no data: orders-rollback/);
    expect(now() - T0).toBe(30 * MIN);
  });

  it('fails as metric-breach when the candidate error rate is above the bound', async () => {
    const { io, now } = fakeIO({ perMinute: 50, errorRate: 0.05, regions });
    const outcome = await runBake(bakePolicy(base), T0, regions, io);
    expect(outcome.result).toBe('metric-breach');
    expect(outcome.reason).toMatch(/error rate 5% \(5\/100\) of orders-api:live v7 in us-east-1 is above 1%/);
    expect(now() - T0).toBe(2 * MIN); // judged as soon as 100 invocations are in
  });

  it('judges the error rate relative to the stable version when asked', async () => {
    const policy = bakePolicy({ ...base, maxErrorRate: null, maxErrorRateOverStable: 0.01 });
    const close = await runBake(policy, T0, regions, fakeIO({ perMinute: 20, errorRate: 0.025, stableErrorRate: 0.02, regions }).io);
    expect(close.result).toBe('baked');
    const worse = await runBake(policy, T0, regions, fakeIO({ perMinute: 20, errorRate: 0.05, stableErrorRate: 0.02, regions }).io);
    expect(worse.result).toBe('metric-breach');
    expect(worse.reason).toMatch(/exceeds the stable v6's 2% by more than 1%/);
  });

  it('fails as metric-breach on a p99 above the bound', async () => {
    const outcome = await runBake(bakePolicy({ ...base, maxP99Ms: 800 }), T0, regions, fakeIO({ perMinute: 20, errorRate: 0, p99Ms: 950, regions }).io);
    expect(outcome.result).toBe('metric-breach');
    expect(outcome.reason).toMatch(/p99 duration 950ms .* above 800ms/);
  });

  it('catches a late data point in the final look-back', async () => {
    // Errors stamped 2 minutes before the start (while the shift ran) only arrive after the last regular poll.
    const late = [{ t: T0 - 2 * MIN, visibleAt: T0 + 10 * MIN, invocations: 0, errors: 9 }];
    const { io, polls } = fakeIO({ perMinute: 20, errorRate: 0, regions: ['us-east-1'], late });
    const outcome = await runBake(bakePolicy(base), T0, ['us-east-1'], io);
    expect(polls.at(-1)?.decision.kind).toBe('ready'); // the regular poll saw a clean bake
    expect(outcome.result).toBe('metric-breach');
    expect(outcome.reason).toMatch(/error rate 4.5% \(9\/200\).*found by the final look-back/);
  });

  it('a late data point inside the window is counted on the next poll', async () => {
    const late = [{ t: T0 + MIN, visibleAt: T0 + 5 * MIN, invocations: 0, errors: 30 }];
    const { io, now } = fakeIO({ perMinute: 100, errorRate: 0, regions: ['us-east-1'], late });
    const outcome = await runBake(bakePolicy(base), T0, ['us-east-1'], io);
    expect(outcome.result).toBe('metric-breach');
    expect(now()).toBe(T0 + 5 * MIN);
  });

  it('refuses to start, or to declare baked, outside the deploy window', async () => {
    const closed: WindowCheck = () => ({ open: false, reason: 'Sat 2026-11-28 10:00 PST is outside Mon-Thu 09:00-16:00' });
    const { io, polls } = fakeIO({ perMinute: 20, errorRate: 0, regions, window: closed });
    const outcome = await runBake(bakePolicy(base), T0, regions, io);
    expect(outcome.result).toBe('outside-window');
    expect(polls).toHaveLength(0);
    const closesAt = T0 + 5 * MIN;
    const closing: WindowCheck = (now) => ({ open: now.getTime() < closesAt, reason: 'the window closed at 16:00' });
    const late = await runBake(bakePolicy(base), T0, regions, fakeIO({ perMinute: 20, errorRate: 0, regions, window: closing }).io);
    expect(late.result).toBe('outside-window');
    expect(late.reason).toMatch(/baked, but outside the deploy window/);
  });

  it('verify mode: a start in the past is judged at once, from the whole window', async () => {
    const start = T0 - 60 * MIN;
    const { io, polls } = fakeIO({ perMinute: 20, errorRate: 0, regions, trafficFrom: start }, T0);
    const outcome = await runBake(bakePolicy({ ...base, durationMs: 30 * MIN }), start, regions, io);
    expect(outcome.result).toBe('baked');
    expect(polls).toHaveLength(1);
  });
});

describe('decide and the verify-mode history', () => {
  it('is continue before the duration even with plenty of traffic', () => {
    const policy = bakePolicy(base);
    const metrics: TargetSample[] = [
      { region: 'us-east-1', function: 'f', alias: 'live', candidate: { version: '2', invocations: 10_000, errors: 0, throttles: 0, p99Ms: null, points: [] }, stable: null },
    ];
    const decision = decide(policy, T0, { now: T0 + 9 * MIN, regions: ['us-east-1'], alarms: [], metrics });
    expect(decision).toEqual({ kind: 'continue', reason: 'baking, 1m to go' });
  });
  it('fails verify on any transition to ALARM during the window', () => {
    const policy = bakePolicy(base);
    expect(historyVerdict(policy, [{ region: 'us-east-1', name: 'a', at: '2026-11-26T10:05:00.000Z', to: 'OK' }])).toBeNull();
    expect(historyVerdict(policy, [{ region: 'us-east-1', name: 'a', at: '2026-11-26T10:05:00.000Z', to: 'ALARM' }])).toMatch(/a \(us-east-1\) went to ALARM at 2026-11-26T10:05/);
    expect(historyVerdict(policy, [{ region: 'us-east-1', name: 'a', at: 'x', to: 'INSUFFICIENT_DATA' }])).toBeNull();
    expect(historyVerdict(bakePolicy({ ...base, failOnInsufficientData: true }), [{ region: 'us-east-1', name: 'a', at: 'x', to: 'INSUFFICIENT_DATA' }])).not.toBeNull();
  });
  it('draws invocations and errors per period as a mermaid xychart', () => {
    const sample = (region: string, points: { t: number; invocations: number; errors: number }[]): TargetSample => ({
      region,
      function: 'f',
      alias: 'live',
      candidate: { version: '2', invocations: 0, errors: 0, throttles: 0, p99Ms: null, points },
      stable: null,
    });
    const series = bakeSeries([sample('a', [{ t: T0, invocations: 10, errors: 1 }, { t: T0 + MIN, invocations: 12, errors: 0 }]), sample('b', [{ t: T0, invocations: 5, errors: 0 }])]);
    expect(series).toEqual([{ t: T0, invocations: 15, errors: 1 }, { t: T0 + MIN, invocations: 12, errors: 0 }]);
    const chart = bakeChart([{ t: T0 - MIN, invocations: 1, errors: 0 }, ...series], T0);
    expect(chart).toContain('xychart-beta');
    expect(chart).toContain('x-axis ["-1m", "0s", "1m"]');
    expect(chart).toContain('bar [1, 15, 12]');
    expect(chart).toContain('line [0, 1, 0]');
  });
});
