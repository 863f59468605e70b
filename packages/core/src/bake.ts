// The bake policy: when a deployed candidate has baked long enough, with enough traffic of its
// own, no alarm and canary metrics within bounds, and when it must stop.
//
// Pure: time comes from an injected clock, waiting from an injected sleep, and alarm states and
// metrics from injected readers, so every outcome is reachable in a unit test without waiting.
//
// Late data. Lambda sends an invocation's metrics when it ends and stamps them with its start;
// CloudWatch shows them minutes later. At any moment `now`, only data stamped before
// `now - settle` is complete, where settle = the longest function timeout + metrics-delay. That
// cutoff is the *settled* end of the window. Every verdict that lets a candidate pass, or that
// counts traffic (baked, insufficient-traffic, timeout), is taken on a read of the settled window
// only, made after the cutoff has passed the end of the duration; fresher data can only fail a
// bake, at once.
//
// The rules, in the order they are applied on every poll:
// 1. A monitoring failure (an alarm that does not exist or cannot be read, metrics that cannot be
//    read) ends the bake as `alarm`: an unwatched candidate is never promoted.
// 2. A rollback alarm in ALARM (or INSUFFICIENT_DATA, when so configured) ends it as `alarm`.
// 3. A canary bound breached by the candidate's own metrics (latest read, or settled read) ends it
//    as `metric-breach`.
// 4. Before the window settles (duration end + settle), it waits.
// 5. Once it has settled, the settled window (from `look-back` before the start up to the cutoff)
//    decides: every region's candidate has `minInvocations` there, no alarm is without data, and
//    the deploy window is open: `baked`.
// 6. Otherwise it waits, up to `maxWait` (default three times the duration) of settled window,
//    then fails as `insufficient-traffic` (traffic short) or `timeout` (traffic enough, but a
//    rollback alarm still in INSUFFICIENT_DATA: an alarm without data cannot vouch for anything).
// "No errors seen" never passes a bake: without the minimum traffic there is nothing to judge.
import type { AlarmStatus, RegionAlarms } from './alarms.js';
import { summarizeAlarms } from './alarms.js';
import { logSafe } from './log-safe.js';
import { formatDuration } from './units.js';
import { judgeErrors, judgementText, judgeSettings, latencyVerdict, type JudgeSettings, type PairCounts } from './judge.js';

export const BAKE_RESULTS = ['baked', 'alarm', 'metric-breach', 'insufficient-traffic', 'timeout', 'outside-window'] as const;
export type BakeResult = (typeof BAKE_RESULTS)[number];

export const DEFAULT_LOOK_BACK_MS = 5 * 60_000;
/** How long after an invocation's metrics are due CloudWatch may still be missing them (input `metrics-delay`). */
export const DEFAULT_METRICS_DELAY_MS = 3 * 60_000;
/** Lambda's longest function timeout: what a bake assumes when it cannot read a function's own. */
export const MAX_FUNCTION_TIMEOUT_MS = 15 * 60_000;
/** The error rate (and the p99) is judged once a target has this many invocations (or min-invocations, if lower). */
export const ERROR_RATE_MIN_SAMPLE = 100;

export interface BakePolicy {
  readonly durationMs: number;
  /** Candidate invocations each region must see before the bake can pass (at least 1). */
  readonly minInvocations: number;
  /** Longest the bake may run while waiting for traffic, measured on the settled window. */
  readonly maxWaitMs: number;
  readonly pollIntervalMs: number;
  /** Highest candidate error rate, 0..1, or null. */
  readonly maxErrorRate: number | null;
  /** Highest excess of the candidate's error rate over the stable version's in the same window (0..1), or null. */
  readonly maxErrorRateOverStable: number | null;
  /** Highest p99 Duration of the candidate in ms, or null (then p99 is not even queried). */
  readonly maxP99Ms: number | null;
  readonly failOnInsufficientData: boolean;
  /** How far before the start the settled read reaches (data of the shift itself). */
  readonly lookBackMs: number;
  /** CloudWatch's ingestion delay allowed for on top of the function timeout (input `metrics-delay`). */
  readonly metricsDelayMs: number;
  /** The longest timeout among the deployment's functions (an invocation's metrics come when it ends). */
  readonly functionTimeoutMs: number;
  /**
   * The judge (packages/core/src/judge.ts): the candidate's error rate against the stable version's
   * in the same window, a sequential test safe to check every poll; null when off.
   */
  readonly judge: JudgeSettings | null;
  /** Highest excess of the candidate's p99 over the stable's (0.2 = 20%), judged from LATENCY_MIN_SAMPLE invocations of each; or null. */
  readonly maxP99OverStable: number | null;
  /**
   * Candidate invocations each target (`region/function`) needs before the bake can pass, planned
   * from the stable version's recent traffic so the judge can see the minimum effect (on top of
   * `minInvocations` per region). Empty when not planned.
   */
  readonly planned: Readonly<Record<string, number>>;
}

export interface BakePolicyInput {
  readonly durationMs: number;
  readonly minInvocations?: number;
  readonly maxWaitMs?: number | null;
  readonly pollIntervalMs?: number;
  readonly maxErrorRate?: number | null;
  readonly maxErrorRateOverStable?: number | null;
  readonly maxP99Ms?: number | null;
  readonly failOnInsufficientData?: boolean;
  readonly lookBackMs?: number;
  readonly metricsDelayMs?: number | null;
  readonly functionTimeoutMs?: number;
  /**
   * The judge's settings; null turns it off. When absent, the judge is on exactly when no error-rate
   * threshold is given (DESIGN: with no threshold, compare with the stable version).
   */
  readonly judge?: { readonly falsePositiveRate?: number | null; readonly minEffect?: number | null } | null;
  readonly maxP99OverStable?: number | null;
}

/** Fills defaults (max-wait three times the duration) and refuses policies that could pass without traffic. */
export function bakePolicy(input: BakePolicyInput): BakePolicy {
  const minInvocations = input.minInvocations ?? 100;
  if (!Number.isInteger(minInvocations) || minInvocations < 1) {
    throw new Error(`min-invocations must be a whole number of at least 1 (got ${minInvocations}); a bake never passes on "no errors seen"`);
  }
  if (!(input.durationMs >= 0)) throw new Error('duration must not be negative');
  const maxWaitMs = input.maxWaitMs ?? 3 * input.durationMs;
  if (maxWaitMs < input.durationMs) {
    throw new Error(`max-wait (${formatDuration(maxWaitMs)}) is shorter than the duration (${formatDuration(input.durationMs)}); the bake could never pass`);
  }
  const pollIntervalMs = input.pollIntervalMs ?? 30_000;
  if (!(pollIntervalMs > 0)) throw new Error('poll-interval must be above zero');
  for (const [name, value] of [['max-error-rate', input.maxErrorRate], ['max-error-rate-over-stable', input.maxErrorRateOverStable]] as const) {
    if (value !== null && value !== undefined && !(value >= 0 && value <= 1)) throw new Error(`${name} must be between 0% and 100%`);
  }
  const metricsDelayMs = input.metricsDelayMs ?? DEFAULT_METRICS_DELAY_MS;
  if (!(metricsDelayMs >= 0)) throw new Error('metrics-delay must not be negative');
  const functionTimeoutMs = input.functionTimeoutMs ?? 0;
  if (!(functionTimeoutMs >= 0)) throw new Error('the function timeout must not be negative');
  const thresholds = (input.maxErrorRate ?? null) !== null || (input.maxErrorRateOverStable ?? null) !== null;
  const judge = input.judge === null ? null : input.judge !== undefined || !thresholds ? judgeSettings(input.judge ?? {}) : null;
  const maxP99OverStable = input.maxP99OverStable ?? null;
  if (maxP99OverStable !== null && !(maxP99OverStable >= 0)) throw new Error('max-p99-over-stable must not be negative');
  return {
    durationMs: input.durationMs,
    minInvocations,
    maxWaitMs,
    pollIntervalMs,
    maxErrorRate: input.maxErrorRate ?? null,
    maxErrorRateOverStable: input.maxErrorRateOverStable ?? null,
    maxP99Ms: input.maxP99Ms ?? null,
    failOnInsufficientData: input.failOnInsufficientData ?? false,
    lookBackMs: input.lookBackMs ?? DEFAULT_LOOK_BACK_MS,
    metricsDelayMs,
    functionTimeoutMs,
    judge,
    maxP99OverStable,
    planned: {},
  };
}

/** The policy with the judge's planned traffic per target (`region/function`) filled in. */
export function withPlannedTraffic(policy: BakePolicy, planned: Readonly<Record<string, number>>): BakePolicy {
  return { ...policy, planned };
}

/** Whether the stable version's numbers must be read (relative threshold, judge, latency against stable). */
export function needsStable(policy: BakePolicy): boolean {
  return policy.maxErrorRateOverStable !== null || policy.judge !== null || policy.maxP99OverStable !== null;
}

/** The policy with the longest function timeout of the deployment filled in. */
export function withFunctionTimeout(policy: BakePolicy, functionTimeoutMs: number): BakePolicy {
  if (!(functionTimeoutMs >= 0)) throw new Error('the function timeout must not be negative');
  return { ...policy, functionTimeoutMs };
}

/** How long after a moment its data is complete: the longest function timeout plus metrics-delay. */
export function settleMs(policy: BakePolicy): number {
  return policy.functionTimeoutMs + policy.metricsDelayMs;
}

/** The moment the bake's window (start + duration) has settled: no verdict `baked` before it. */
export function settlesAt(policy: BakePolicy, startedAt: number): number {
  return startedAt + policy.durationMs + settleMs(policy);
}

/** `10:13:05Z`: the time of day in UTC, for progress lines. */
export function clockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)}Z`;
}

/** An instant to the second, as the logs and summaries print it (`2026-12-02T10:05:00Z`). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** Why the wait: "longest function timeout 30s + metrics-delay 3m". */
export function settleText(policy: BakePolicy): string {
  return `longest function timeout ${formatDuration(policy.functionTimeoutMs)} + metrics-delay ${formatDuration(policy.metricsDelayMs)}`;
}

export interface SamplePoint {
  /** Start of the period, epoch milliseconds. */
  readonly t: number;
  readonly invocations: number;
  readonly errors: number;
}

/** What one version of one function served in the window. */
export interface VersionSample {
  readonly version: string;
  readonly invocations: number;
  readonly errors: number;
  readonly p99Ms: number | null;
  readonly points: readonly SamplePoint[];
}

/** One alias of one function in one region: the candidate's numbers and, when asked, the stable's. */
export interface TargetSample {
  readonly region: string;
  readonly function: string;
  readonly alias: string;
  readonly candidate: VersionSample;
  readonly stable: VersionSample | null;
  /**
   * Throttles of the alias over all its versions (FunctionName + Resource), or null when CloudWatch
   * has no data point. Lambda does not document Throttles per ExecutedVersion, so the candidate's
   * own throttles are not known; absent when not read.
   */
  readonly aliasThrottles?: number | null;
}

/** The settled part of the window: read after `cutoff` + settle, from look-back before the start up to `cutoff`. */
export interface SettledRead {
  /** Epoch ms: data stamped before it was complete when read. */
  readonly cutoff: number;
  readonly metrics: readonly TargetSample[];
}

export interface Observation {
  /** Epoch milliseconds of the poll. */
  readonly now: number;
  /** Every region under bake (a region with no data still counts, with zero invocations). */
  readonly regions: readonly string[];
  readonly alarms: readonly RegionAlarms[];
  /** The latest read, from the start up to now (possibly incomplete: it can only fail the bake). */
  readonly metrics: readonly TargetSample[];
  /** Once the window has settled: the read the verdict is taken on. */
  readonly settled?: SettledRead | null;
}

export interface WindowVerdict {
  readonly open: boolean;
  /** Why it is closed (or which window is open), for the summary. */
  readonly reason: string;
}
export type WindowCheck = (now: Date) => WindowVerdict;

export type Decision =
  | { readonly kind: 'continue'; readonly reason: string }
  | { readonly kind: 'done'; readonly result: BakeResult; readonly reason: string };

export function invocationsByRegion(regions: readonly string[], metrics: readonly TargetSample[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const region of regions) totals[region] = 0;
  for (const sample of metrics) totals[sample.region] = (totals[sample.region] ?? 0) + sample.candidate.invocations;
  return totals;
}

/** The metrics a verdict is taken on: the settled read once there is one, else the latest. */
export function judgedMetrics(observation: Observation): readonly TargetSample[] {
  return observation.settled?.metrics ?? observation.metrics;
}

function rate(errors: number, invocations: number): number {
  return invocations > 0 ? errors / invocations : 0;
}

function percent(value: number): string {
  return `${Math.round(value * 10_000) / 100}%`;
}

/** Alarm rule: a missing alarm, a firing alarm, or (when so configured) one without data. */
export function alarmVerdict(policy: BakePolicy, alarms: readonly RegionAlarms[]): string | null {
  const missing = alarms.flatMap((r) => r.missing.map((ref) => `${logSafe(ref, 300)} in ${r.region}`));
  if (missing.length > 0) return `alarm not found: ${missing.join(', ')} (monitoring fails closed)`;
  const firing = alarms
    .flatMap((r) => r.alarms)
    .filter((a: AlarmStatus) => a.state === 'ALARM' || (policy.failOnInsufficientData && a.state === 'INSUFFICIENT_DATA'));
  // Names and StateReasons are AWS text that anyone with cloudwatch:SetAlarmState can write: one line, no `::`.
  if (firing.length > 0) return `alarm firing: ${firing.map((a) => `${logSafe(a.name, 300)} (${a.region}: ${a.state}${a.reason ? ` - ${logSafe(a.reason, 200)}` : ''})`).join(', ')}`;
  return null;
}

/** The counts of one target for the judge (the stable's are zero when not read). */
export function pairCounts(sample: TargetSample): PairCounts {
  return {
    candidateInvocations: sample.candidate.invocations,
    candidateErrors: sample.candidate.errors,
    stableInvocations: sample.stable?.invocations ?? 0,
    stableErrors: sample.stable?.errors ?? 0,
  };
}

function where(sample: TargetSample): string {
  return `${sample.function}:${sample.alias} v${sample.candidate.version} in ${sample.region}`;
}

/**
 * The judge's state on a read: the target with the most evidence against its candidate, as one
 * line (counts, the statistic, the threshold), or null when the judge is off or has no target to
 * compare. The false-positive rate is split over every target of the read.
 */
export function judgeLine(policy: BakePolicy, metrics: readonly TargetSample[]): string | null {
  if (!policy.judge || metrics.length === 0) return null;
  const judged = metrics.map((sample) => ({ sample, counts: pairCounts(sample), j: judgeErrors(policy.judge as JudgeSettings, pairCounts(sample), metrics.length) }));
  const comparable = judged.filter((x) => x.j.applicable);
  if (comparable.length === 0) return 'judge: the stable version has no traffic in the window, nothing to compare with';
  const worst = comparable.reduce((a, b) => (b.j.statistic > a.j.statistic ? b : a));
  const of = metrics.length > 1 ? `${worst.sample.function} in ${worst.sample.region} (most evidence of ${metrics.length}): ` : '';
  return `judge ${of}${judgementText(worst.counts, worst.j)}`;
}

/**
 * Canary rule, per function and region: the error-rate thresholds and the p99 bound once that target
 * has `min(min-invocations, 100)` invocations (the p99 of two cold starts is their maximum, not a
 * property of the release); the judge at any count (its test accounts for how little a few
 * invocations say); the p99 against the stable's from LATENCY_MIN_SAMPLE invocations of each.
 */
export function canaryVerdict(policy: BakePolicy, metrics: readonly TargetSample[]): string | null {
  const floor = Math.min(policy.minInvocations, ERROR_RATE_MIN_SAMPLE);
  for (const sample of metrics) {
    const c = sample.candidate;
    if (policy.judge) {
      const counts = pairCounts(sample);
      const j = judgeErrors(policy.judge, counts, metrics.length);
      if (j.fired) {
        return `the judge finds the error rate of ${where(sample)} above the stable v${sample.stable?.version ?? '?'}'s: ${judgementText(counts, j)} (false-positive rate ${percent(policy.judge.falsePositiveRate)} over the whole bake, split over ${metrics.length} target(s))`;
      }
    }
    if (policy.maxP99OverStable !== null) {
      const slow = latencyVerdict(c, sample.stable, policy.maxP99OverStable);
      if (slow) return `${slow}: ${where(sample)} against the stable v${sample.stable?.version ?? '?'}`;
    }
    if (c.invocations < floor) continue;
    const candidateRate = rate(c.errors, c.invocations);
    if (policy.maxErrorRate !== null && candidateRate > policy.maxErrorRate) {
      return `error rate ${percent(candidateRate)} (${c.errors}/${c.invocations}) of ${where(sample)} is above ${percent(policy.maxErrorRate)}`;
    }
    if (policy.maxErrorRateOverStable !== null && sample.stable && sample.stable.invocations > 0) {
      const stableRate = rate(sample.stable.errors, sample.stable.invocations);
      if (candidateRate - stableRate > policy.maxErrorRateOverStable) {
        return `error rate ${percent(candidateRate)} of ${where(sample)} exceeds the stable v${sample.stable.version}'s ${percent(stableRate)} by more than ${percent(policy.maxErrorRateOverStable)}`;
      }
    }
    if (policy.maxP99Ms !== null && c.p99Ms !== null && c.p99Ms > policy.maxP99Ms) {
      return `p99 duration ${Math.round(c.p99Ms)}ms of ${where(sample)} (${c.invocations} invocations) is above ${Math.round(policy.maxP99Ms)}ms`;
    }
  }
  return null;
}

/** Targets below the traffic the judge was planned to need: `us-west-2 orders-api 300/5617`. */
export function shortOfPlan(policy: BakePolicy, metrics: readonly TargetSample[]): string[] {
  const seen = new Map(metrics.map((m) => [`${m.region}/${m.function}`, m.candidate.invocations]));
  return Object.entries(policy.planned)
    .filter(([key, need]) => (seen.get(key) ?? 0) < need)
    .map(([key, need]) => `${key.replace('/', ' ')} ${seen.get(key) ?? 0}/${need} (planned for the judge)`);
}

/** One poll's decision from what was observed (the latest read, and the settled read once there is one). */
export function decide(policy: BakePolicy, startedAt: number, observation: Observation, options: { window?: WindowCheck } = {}): Decision {
  const alarm = alarmVerdict(policy, observation.alarms);
  if (alarm) return { kind: 'done', result: 'alarm', reason: alarm };
  const breach = canaryVerdict(policy, observation.metrics);
  if (breach) return { kind: 'done', result: 'metric-breach', reason: breach };
  const settled = observation.settled ?? null;
  if (settled) {
    const late = canaryVerdict(policy, settled.metrics);
    if (late) return { kind: 'done', result: 'metric-breach', reason: `${late} (in the settled window up to ${isoTime(settled.cutoff)})` };
  }

  const elapsed = observation.now - startedAt;
  const settleAt = settlesAt(policy, startedAt);
  if (!settled || settled.cutoff < startedAt + policy.durationMs) {
    if (elapsed < policy.durationMs) {
      return { kind: 'continue', reason: `baking, ${formatDuration(policy.durationMs - elapsed)} to go; the window settles at ${isoTime(settleAt)}` };
    }
    return {
      kind: 'continue',
      reason: `duration over; waiting until ${isoTime(settleAt)} for late data (${settleText(policy)}), ${formatDuration(Math.max(0, settleAt - observation.now))} to go`,
    };
  }

  // The window has settled: the verdict is taken on the settled read only.
  const judged = settled.cutoff - startedAt;
  const invocations = invocationsByRegion(observation.regions, settled.metrics);
  const short = Object.entries(invocations).filter(([, n]) => n < policy.minInvocations);
  const unplanned = shortOfPlan(policy, settled.metrics);
  // An alarm without data (when that is not configured to fail) cannot vouch for the candidate: wait for it.
  const quiet = observation.alarms.flatMap((r) => r.alarms).filter((a) => a.state === 'INSUFFICIENT_DATA');
  const quietText = quiet.map((a) => `${logSafe(a.name, 300)} (${a.region})`).join(', ');
  const settledText = `window settled at ${isoTime(settleAt)}; judged on data stamped up to ${isoTime(settled.cutoff)}, read at ${isoTime(observation.now)}`;
  if (short.length === 0 && unplanned.length === 0 && quiet.length === 0) {
    const verdict = options.window?.(new Date(observation.now));
    if (verdict && !verdict.open) return { kind: 'done', result: 'outside-window', reason: `baked, but outside the deploy window: ${verdict.reason}` };
    return {
      kind: 'done',
      result: 'baked',
      reason: `baked for ${formatDuration(judged)} with ${Object.entries(invocations).map(([r, n]) => `${n} invocations in ${r}`).join(', ')} (${settledText}, ${settleText(policy)}; look-back from ${formatDuration(policy.lookBackMs)} before the start)`,
    };
  }
  const shortText = [...short.map(([r, n]) => `${r} ${n}/${policy.minInvocations}`), ...unplanned].join(', ');
  if (judged >= policy.maxWaitMs) {
    if (short.length + unplanned.length > 0) {
      return {
        kind: 'done',
        result: 'insufficient-traffic',
        reason: `waited for ${formatDuration(judged)} of settled window (max-wait ${formatDuration(policy.maxWaitMs)}) and the candidate saw too little traffic: ${shortText} (${settledText})`,
      };
    }
    return { kind: 'done', result: 'timeout', reason: `max-wait ${formatDuration(policy.maxWaitMs)} reached while alarms still had no data: ${quietText}` };
  }
  return { kind: 'continue', reason: short.length + unplanned.length > 0 ? `waiting for settled traffic: ${shortText}` : `waiting for alarms to have data: ${quietText}` };
}

/**
 * The progress line printed each poll: elapsed / required, invocations / required per region
 * (of the settled window once there is one), alarm summary, errors, and when the window settles.
 */
export function progressLine(policy: BakePolicy, startedAt: number, observation: Observation, poll: number): string {
  const elapsed = Math.max(0, observation.now - startedAt);
  const metrics = judgedMetrics(observation);
  const invocations = invocationsByRegion(observation.regions, metrics);
  const regions = Object.entries(invocations)
    .map(([r, n]) => `${r} ${n}/${policy.minInvocations}${n >= policy.minInvocations ? ' ✓' : ''}`)
    .join(', ');
  const all = observation.alarms.flatMap((r) => r.alarms);
  const missing = observation.alarms.reduce((n, r) => n + r.missing.length, 0);
  const errors = metrics.reduce((n, s) => n + s.candidate.errors, 0);
  const total = Object.values(invocations).reduce((a, b) => a + b, 0);
  const errorText = policy.maxErrorRate !== null ? ` | errors ${errors} (${percent(rate(errors, total))}, max ${percent(policy.maxErrorRate)})` : ` | errors ${errors}`;
  const settled = observation.settled;
  const settleNote = settled && settled.cutoff >= startedAt + policy.durationMs
    ? ` | settled to ${clockTime(settled.cutoff)}`
    : ` | settles ${clockTime(settlesAt(policy, startedAt))}`;
  const planned = shortOfPlan(policy, metrics);
  const plannedText = planned.length > 0 ? ` | ${planned.join(', ')}` : '';
  const judge = judgeLine(policy, metrics);
  return `poll ${poll} | ${formatDuration(elapsed)} / ${formatDuration(policy.durationMs)} | invocations ${regions}${plannedText} | alarms ${summarizeAlarms(all, missing)}${errorText}${judge ? ` | ${judge}` : ''}${settleNote}`;
}

export interface PollReport {
  readonly poll: number;
  readonly observation: Observation;
  readonly decision: Decision;
  readonly line: string;
}

export interface BakeIO {
  now(): number;
  sleep(ms: number): Promise<void>;
  readAlarms(): Promise<readonly RegionAlarms[]>;
  /**
   * Candidate (and stable) metrics of every target for data stamped between two epoch-millisecond
   * times. `latest` marks a read up to now, which may include the current partial period.
   */
  readMetrics(start: number, end: number, latest: boolean): Promise<readonly TargetSample[]>;
  /** The deploy window; absent when no config gives one. */
  readonly window?: WindowCheck;
  onPoll?(report: PollReport): void;
}

export interface BakeOutcome {
  readonly result: BakeResult;
  readonly reason: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly polls: number;
  /** Candidate invocations per region in the last observation (its settled read, once there was one). */
  readonly invocations: Record<string, number>;
  /** The last observation, for the summary. */
  readonly last: Observation | null;
  /** When the window settles (or settled): duration end + longest function timeout + metrics-delay. */
  readonly settlesAt: number;
}

/**
 * Watches a bake from `startedAt` until it ends. A start in the past (verify mode, or a re-run)
 * counts the time already elapsed. Every poll reads the alarms and the metrics from `startedAt` up
 * to now (a data point arriving late is counted on the next poll, and anything bad fails at once);
 * once the window has settled, it also reads the settled window, on which the verdict is taken.
 */
export async function runBake(policy: BakePolicy, startedAt: number, regions: readonly string[], io: BakeIO): Promise<BakeOutcome> {
  let polls = 0;
  let last: Observation | null = null;
  const settle = settleMs(policy);
  const finish = (result: BakeResult, reason: string): BakeOutcome => ({
    result,
    reason,
    startedAt,
    endedAt: io.now(),
    polls,
    invocations: invocationsByRegion(regions, last ? judgedMetrics(last) : []),
    last,
    settlesAt: settlesAt(policy, startedAt),
  });

  const opening = io.window?.(new Date(io.now()));
  if (opening && !opening.open) return finish('outside-window', `outside the deploy window: ${opening.reason}`);

  const observe = async (): Promise<Observation | string> => {
    const now = io.now();
    const cutoff = now - settle;
    try {
      const settledRead = cutoff >= startedAt + policy.durationMs;
      const [alarms, metrics, settled] = await Promise.all([
        io.readAlarms(),
        io.readMetrics(startedAt, now, true),
        settledRead ? io.readMetrics(startedAt - policy.lookBackMs, cutoff, false) : Promise.resolve(null),
      ]);
      return { now, regions, alarms, metrics, settled: settled ? { cutoff, metrics: settled } : null };
    } catch (error) {
      return `monitoring failed, so the bake fails closed: ${logSafe((error as Error).message, 1000)}`;
    }
  };

  for (;;) {
    polls++;
    const observation = await observe();
    if (typeof observation === 'string') return finish('alarm', observation);
    last = observation;
    const decision = decide(policy, startedAt, observation, { window: io.window });
    io.onPoll?.({ poll: polls, observation, decision, line: progressLine(policy, startedAt, observation, polls) });
    if (decision.kind === 'done') return finish(decision.result, decision.reason);

    // Sleep one interval, but wake at the moment the duration ends, the window settles, or max-wait ends.
    const now = io.now();
    const marks = [startedAt + policy.durationMs, startedAt + policy.durationMs + settle, startedAt + policy.maxWaitMs + settle];
    // A mark passed while this poll was reading (a timer fires up to a millisecond early, and the
    // reads take time): look again at once instead of a whole interval later.
    if (marks.some((t) => observation.now < t && t <= now)) continue;
    const next = Math.min(now + policy.pollIntervalMs, ...marks.filter((t) => t > now));
    await io.sleep(Math.max(0, next - now));
  }
}

export interface TransitionLike {
  readonly region: string;
  readonly name: string;
  readonly at: string;
  readonly to: string;
}

/** Verify mode: any state change into ALARM (or INSUFFICIENT_DATA, when so configured) since the start fails the bake. */
export function historyVerdict(policy: BakePolicy, transitions: readonly TransitionLike[]): string | null {
  const bad = transitions.filter((t) => t.to === 'ALARM' || (policy.failOnInsufficientData && t.to === 'INSUFFICIENT_DATA'));
  if (bad.length === 0) return null;
  return `alarm fired during the bake: ${bad.map((t) => `${logSafe(t.name, 300)} (${t.region}) went to ${t.to} at ${logSafe(t.at, 40)}`).join(', ')}`;
}

/** Per-period candidate invocations and errors over all targets, for the summary chart. */
export function bakeSeries(metrics: readonly TargetSample[]): SamplePoint[] {
  const byTime = new Map<number, { invocations: number; errors: number }>();
  for (const sample of metrics) {
    for (const point of sample.candidate.points) {
      const entry = byTime.get(point.t) ?? { invocations: 0, errors: 0 };
      entry.invocations += point.invocations;
      entry.errors += point.errors;
      byTime.set(point.t, entry);
    }
  }
  return [...byTime.entries()].sort(([a], [b]) => a - b).map(([t, p]) => ({ t, ...p }));
}

/** A mermaid xychart-beta of candidate invocations (bars) and errors (line) per period since the start. */
export function bakeChart(points: readonly SamplePoint[], startedAt: number, maxBars = 48): string {
  if (points.length === 0) return '';
  // Merge neighbouring periods so the chart stays readable.
  const group = Math.max(1, Math.ceil(points.length / maxBars));
  const bars: { t: number; invocations: number; errors: number }[] = [];
  for (let i = 0; i < points.length; i += group) {
    const slice = points.slice(i, i + group);
    bars.push({ t: slice[0]!.t, invocations: slice.reduce((n, p) => n + p.invocations, 0), errors: slice.reduce((n, p) => n + p.errors, 0) });
  }
  const label = (t: number) => {
    const minutes = Math.round((t - startedAt) / 60_000) * 60_000;
    return minutes < 0 ? `-${formatDuration(-minutes)}` : formatDuration(minutes);
  };
  const labels = bars.map((b) => `"${label(b.t)}"`);
  const top = Math.max(1, ...bars.map((b) => b.invocations));
  return [
    '```mermaid',
    'xychart-beta',
    '    title "Candidate invocations (bars) and errors (line) since the start"',
    `    x-axis [${labels.join(', ')}]`,
    `    y-axis "per period" 0 --> ${top}`,
    `    bar [${bars.map((b) => b.invocations).join(', ')}]`,
    `    line [${bars.map((b) => b.errors).join(', ')}]`,
    '```',
  ].join('\n');
}
