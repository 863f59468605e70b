import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { AlarmState, RegionAlarms } from '../../packages/core/src/alarms.js';
import {
  bakeChart,
  bakePolicy,
  bakeSeries,
  canaryVerdict,
  alarmVerdict,
  decide,
  historyVerdict,
  runBake,
  settlesAt,
  withFunctionTimeout,
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
          candidate: { version: '7', invocations, errors, p99Ms: world.p99Ms ?? null, points: [{ t: from, invocations, errors }] },
          stable: { version: '6', invocations: stableInv, errors: Math.floor(stableInv * (world.stableErrorRate ?? 0)), p99Ms: null, points: [] },
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
  it('defaults max-wait to three times the duration, a 5 minute look-back and a 3 minute metrics-delay', () => {
    const policy = bakePolicy({ durationMs: 20 * MIN });
    expect(policy.maxWaitMs).toBe(60 * MIN);
    expect(policy.lookBackMs).toBe(5 * MIN);
    expect(policy.minInvocations).toBe(100);
    expect(policy.metricsDelayMs).toBe(3 * MIN);
    expect(policy.functionTimeoutMs).toBe(0);
    expect(settlesAt(withFunctionTimeout(policy, 30_000), T0)).toBe(T0 + 23 * MIN + 30_000);
  });
  it('refuses a policy that could pass without traffic or never pass', () => {
    expect(() => bakePolicy({ durationMs: MIN, minInvocations: 0 })).toThrow(/min-invocations.*no errors seen/);
    expect(() => bakePolicy({ durationMs: 10 * MIN, maxWaitMs: 5 * MIN })).toThrow(/max-wait \(5m\) is shorter than the duration \(10m\)/);
    expect(() => bakePolicy({ durationMs: MIN, maxErrorRate: 2 })).toThrow(/max-error-rate/);
  });
});

describe('runBake with an injected clock', () => {
  it('bakes once the window has settled (duration end + metrics-delay) AND every region saw min-invocations in it', async () => {
    const { io, polls, metricWindows, now } = fakeIO({ perMinute: 20, errorRate: 0, regions });
    const outcome = await runBake(bakePolicy(base), T0, regions, io);
    expect(outcome.result).toBe('baked');
    expect(now() - T0).toBe(13 * MIN); // woke exactly when the window settled: 10m + metrics-delay 3m
    expect(outcome.settlesAt).toBe(T0 + 13 * MIN);
    expect(outcome.invocations).toEqual({ 'us-east-1': 200, 'eu-west-1': 200 });
    expect(outcome.reason).toMatch(/window settled at 2026-11-26T10:13:00Z; judged on data stamped up to 2026-11-26T10:10:00Z, read at 2026-11-26T10:13:00Z/);
    expect(outcome.reason).toMatch(/look-back/);
    // every poll reads from the start up to now; the settled read reaches 5 minutes before it, up to the cutoff
    expect(metricWindows.filter(([start]) => start === T0).every(([, end], i, all) => i === 0 || end >= (all[i - 1]?.[1] ?? 0))).toBe(true);
    expect(metricWindows.filter(([start]) => start !== T0)).toEqual([[T0 - 5 * MIN, T0 + 10 * MIN]]);
    expect(polls[0]?.line).toBe('poll 1 | 0s / 10m | invocations us-east-1 0/100, eu-west-1 0/100 | alarms 2 OK | errors 0 (0%, max 1%) | settles 10:13:00Z');
    expect(polls.at(-1)?.line).toContain('us-east-1 200/100 ✓');
    expect(polls.at(-1)?.line).toMatch(/\| settled to 10:10:00Z$/);
    expect(polls.at(-2)?.decision.reason).toMatch(/duration over; waiting until 2026-11-26T10:13:00Z for late data \(longest function timeout 0s \+ metrics-delay 3m\)/);
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
    expect(ended).toBeGreaterThanOrEqual(13 * MIN);
    expect(ended).toBeLessThan(13 * MIN + 1000); // not the 30 s poll interval later
    expect(polls.at(-2)?.decision.kind).toBe('continue'); // the poll that started 1 ms too early
  });

  it('waits past the duration for traffic, then bakes once it arrives', async () => {
    const { io, now } = fakeIO({ perMinute: 5, errorRate: 0, regions });
    const outcome = await runBake(bakePolicy({ ...base, durationMs: 10 * MIN, maxWaitMs: 30 * MIN }), T0, regions, io);
    expect(outcome.result).toBe('baked');
    // 100 invocations at 5 a minute, counted in the settled window: 20 minutes of it, read 3 minutes later
    expect(now() - T0).toBeGreaterThanOrEqual(23 * MIN);
    expect(now() - T0).toBeLessThanOrEqual(23 * MIN + 30_000);
  });

  it('fails as insufficient-traffic at max-wait when the candidate gets too little traffic', async () => {
    const { io, now } = fakeIO({ perMinute: 2, errorRate: 0, regions });
    const outcome = await runBake(bakePolicy(base), T0, regions, io);
    expect(outcome.result).toBe('insufficient-traffic');
    expect(now() - T0).toBe(33 * MIN); // the default max-wait (3 × 10m) of settled window, read metrics-delay later
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
    io.readMetrics = async (start, end, latest) => (await readMetrics(start, end, latest)).map((s) => (s.region === 'eu-west-1' ? { ...s, candidate: { ...s.candidate, invocations: 3 } } : s));
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
    expect(now() - T0).toBe(33 * MIN);
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

  it('catches a late data point stamped before the start in the settled read (look-back)', async () => {
    // Errors stamped 2 minutes before the start (while the shift ran) arrive at the end of the duration.
    const late = [{ t: T0 - 2 * MIN, visibleAt: T0 + 10 * MIN, invocations: 0, errors: 9 }];
    const { io, polls } = fakeIO({ perMinute: 20, errorRate: 0, regions: ['us-east-1'], late });
    const outcome = await runBake(bakePolicy(base), T0, ['us-east-1'], io);
    expect(polls.at(-2)?.decision.kind).toBe('continue'); // the reads from the start saw a clean bake
    expect(outcome.result).toBe('metric-breach');
    expect(outcome.reason).toMatch(/error rate 4.5% \(9\/200\).*in the settled window up to 2026-11-26T10:10:00Z/);
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

/**
 * CloudWatch as it behaves: Lambda stamps an invocation's metrics with its start and sends them
 * when it ends, so a per-minute point stamped `t` becomes visible only `lagMs` later. Candidate
 * traffic `perMinute` from T0 on; errors only in the minutes listed in `errorMinutes`.
 */
function lateIO(options: { perMinute: number; errorsPerMinute: number; errorMinutes: number[]; lagMs: number; alarmOnErrors?: boolean }) {
  let now = T0;
  const reads: { at: number; start: number; end: number; latest: boolean }[] = [];
  const visible = (start: number, end: number) => {
    const points: { t: number; invocations: number; errors: number }[] = [];
    for (let t = T0; t < end; t += MIN) {
      if (t < start || t > now - options.lagMs) continue; // not stamped in the window, or not arrived yet
      const m = (t - T0) / MIN;
      points.push({ t, invocations: options.perMinute, errors: options.errorMinutes.includes(m) ? options.errorsPerMinute : 0 });
    }
    return points;
  };
  const io: BakeIO = {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    readAlarms: async () => {
      // An alarm on Errors > 0 sees exactly what has arrived (the evaluator adds its own lag on top in AWS).
      const firing = options.alarmOnErrors === true && visible(T0, now + MIN).some((p) => p.errors > 0);
      return [{ region: 'us-east-1', alarms: [{ region: 'us-east-1', name: 'orders-errors', kind: 'metric' as const, state: firing ? 'ALARM' : 'OK', reason: '', updatedAt: null }], missing: [] }];
    },
    readMetrics: async (start, end, latest) => {
      reads.push({ at: now, start, end, latest });
      const points = visible(start, end);
      const invocations = points.reduce((n, p) => n + p.invocations, 0);
      const errors = points.reduce((n, p) => n + p.errors, 0);
      return [{ region: 'us-east-1', function: 'orders-api', alias: 'live', candidate: { version: '7', invocations, errors, p99Ms: null, points }, stable: null }];
    },
  };
  return { io, reads, now: () => now };
}

describe('late data (findings F4): metrics arrive after the function timeout plus the ingestion delay', () => {
  // A 10-minute bake, 100 candidate invocations a minute, 30 errors a minute only in its last 2 minutes
  // (60/1000 = 6% over the window, far above 1%). Points arrive 3 minutes after their stamp.
  const world = { perMinute: 100, errorsPerMinute: 30, errorMinutes: [8, 9], lagMs: 3 * MIN };
  const policy = withFunctionTimeout(bakePolicy({ ...base, metricsDelayMs: 2 * MIN }), MIN); // settle: 1m timeout + 2m delay

  it('fails a candidate whose errors come in the last minutes of the bake, instead of calling it baked at the duration', async () => {
    const { io, reads, now } = lateIO(world);
    const outcome = await runBake(policy, T0, ['us-east-1'], io);
    expect(outcome.result).toBe('metric-breach');
    expect(outcome.reason).toMatch(/error rate [\d.]+% \(\d+\/\d+\) of orders-api:live v7 in us-east-1 is above 1%/);
    // nothing was decided at the end of the duration, when the errors had not arrived yet
    expect(now()).toBeGreaterThan(T0 + 10 * MIN);
    expect(now()).toBeLessThanOrEqual(T0 + 13 * MIN);
    expect(reads.some((r) => r.at === T0 + 10 * MIN)).toBe(true);
  });

  it('fails as alarm when a rollback alarm on those errors fires while the window settles', async () => {
    const { io } = lateIO({ ...world, alarmOnErrors: true });
    const outcome = await runBake(bakePolicy({ ...base, maxErrorRate: null, metricsDelayMs: 3 * MIN }), T0, ['us-east-1'], io);
    expect(outcome.result).toBe('alarm');
    expect(outcome.reason).toMatch(/alarm firing: orders-errors \(us-east-1: ALARM\)/);
  });

  it('bakes a healthy candidate only after duration + timeout + metrics-delay, on a read of the settled window', async () => {
    const { io, reads, now } = lateIO({ ...world, errorMinutes: [] });
    const polls: PollReport[] = [];
    const outcome = await runBake(policy, T0, ['us-east-1'], { ...io, onPoll: (p) => polls.push(p) });
    expect(outcome.result).toBe('baked');
    expect(now()).toBe(T0 + 13 * MIN); // 10m + 1m timeout + 2m metrics-delay
    // the verdict's read was made after the window settled, up to the end of the duration, from the look-back
    const verdictRead = reads.filter((r) => !r.latest).at(-1);
    expect(verdictRead).toEqual({ at: T0 + 13 * MIN, start: T0 - 5 * MIN, end: T0 + 10 * MIN, latest: false });
    expect(outcome.invocations).toEqual({ 'us-east-1': 1000 });
    expect(outcome.reason).toMatch(/longest function timeout 1m \+ metrics-delay 2m/);
    expect(polls.every((p, i) => i === polls.length - 1 || p.decision.kind === 'continue')).toBe(true);
    expect(polls[0]?.line).toMatch(/\| settles 10:13:00Z$/);
  });

  it('counts min-invocations only on settled data: traffic that is there but not settled does not pass', async () => {
    // 10 a minute: the latest read shows 100 after 10 minutes, the settled window only 10 minutes later.
    const { io, now } = lateIO({ ...world, perMinute: 10, errorMinutes: [], lagMs: 0 });
    const outcome = await runBake(withFunctionTimeout(bakePolicy({ ...base, durationMs: 5 * MIN, metricsDelayMs: 2 * MIN }), MIN), T0, ['us-east-1'], io);
    expect(outcome.result).toBe('baked');
    // The latest read had 100 at 10m; the settled window [start, now - 3m] has them once its cutoff is in
    // the tenth minute (a period is counted when it starts before the cutoff, as GetMetricData does).
    expect(now()).toBeGreaterThan(T0 + 12 * MIN);
    expect(now()).toBeLessThanOrEqual(T0 + 13 * MIN);
  });
});

describe('p99 needs a sample (findings F10)', () => {
  const sample = (invocations: number, p99Ms: number): TargetSample[] => [
    { region: 'us-east-1', function: 'orders-api', alias: 'live', candidate: { version: '7', invocations, errors: 0, p99Ms, points: [] }, stable: null },
  ];
  it('does not fail a healthy candidate on the p99 of two cold starts, and does once the floor is reached', () => {
    const policy = bakePolicy({ ...base, maxP99Ms: 800 });
    expect(canaryVerdict(policy, sample(2, 2400))).toBeNull();
    expect(canaryVerdict(policy, sample(99, 2400))).toBeNull();
    expect(canaryVerdict(policy, sample(100, 2400))).toMatch(/p99 duration 2400ms of orders-api:live v7 in us-east-1 \(100 invocations\) is above 800ms/);
    // the floor is min-invocations when that is lower than 100
    expect(canaryVerdict(bakePolicy({ ...base, minInvocations: 10, maxP99Ms: 800 }), sample(10, 2400))).not.toBeNull();
  });
});

describe('foreign text in the verdict (security I2)', () => {
  it('keeps an alarm StateReason on one line with no workflow command in it', () => {
    const reason = 'Threshold crossed\n::error title=Bake passed::forged-by-alarm-reason\n::stop-commands::q';
    const alarms: RegionAlarms[] = [{ region: 'us-east-1', alarms: [{ region: 'us-east-1', name: 'orders-errors', kind: 'metric', state: 'ALARM', reason, updatedAt: null }], missing: [] }];
    const verdict = alarmVerdict(bakePolicy(base), alarms) ?? '';
    expect(verdict).toMatch(/^alarm firing: orders-errors \(us-east-1: ALARM - Threshold crossed /);
    expect(verdict).not.toMatch(/[\r\n]/);
    expect(verdict).not.toContain('::');
  });
});

describe('decide and the verify-mode history', () => {
  it('is continue before the duration even with plenty of traffic', () => {
    const policy = bakePolicy(base);
    const metrics: TargetSample[] = [
      { region: 'us-east-1', function: 'f', alias: 'live', candidate: { version: '2', invocations: 10_000, errors: 0, p99Ms: null, points: [] }, stable: null },
    ];
    const decision = decide(policy, T0, { now: T0 + 9 * MIN, regions: ['us-east-1'], alarms: [], metrics });
    expect(decision).toEqual({ kind: 'continue', reason: 'baking, 1m to go; the window settles at 2026-11-26T10:13:00Z' });
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
      candidate: { version: '2', invocations: 0, errors: 0, p99Ms: null, points },
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
