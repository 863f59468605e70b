// The bake policy: when a deployed candidate has baked long enough, with enough traffic of its
// own, no alarm and canary metrics within bounds, and when it must stop.
//
// Pure: time comes from an injected clock, waiting from an injected sleep, and alarm states and
// metrics from injected readers, so every outcome is reachable in a unit test without waiting.
//
// The rules, in the order they are applied on every poll:
// 1. A monitoring failure (an alarm that does not exist or cannot be read, metrics that cannot be
//    read) ends the bake as `alarm`: an unwatched candidate is never promoted.
// 2. A rollback alarm in ALARM (or INSUFFICIENT_DATA, when so configured) ends it as `alarm`.
// 3. A canary bound breached by the candidate's own metrics ends it as `metric-breach`.
// 4. When the duration has elapsed AND every region's candidate has received `minInvocations`,
//    a final look-back re-reads the metrics from a few minutes before the start up to now (late
//    data points are stamped at invocation time and arrive minutes late); only if that still
//    holds and the deploy window is open is the result `baked`.
// 5. Otherwise it waits, up to `maxWait` (default three times the duration), then fails as
//    `insufficient-traffic` (duration elapsed, traffic short) or `timeout` (traffic enough, but a
//    rollback alarm still in INSUFFICIENT_DATA: an alarm without data cannot vouch for anything).
// "No errors seen" never passes a bake: without the minimum traffic there is nothing to judge.
import type { AlarmStatus, RegionAlarms } from './alarms.js';
import { summarizeAlarms } from './alarms.js';
import { formatDuration } from './units.js';

export const BAKE_RESULTS = ['baked', 'alarm', 'metric-breach', 'insufficient-traffic', 'timeout', 'outside-window'] as const;
export type BakeResult = (typeof BAKE_RESULTS)[number];

export const DEFAULT_LOOK_BACK_MS = 5 * 60_000;
/** The error rate is judged once a target has this many invocations (or min-invocations, if lower). */
export const ERROR_RATE_MIN_SAMPLE = 100;

export interface BakePolicy {
  readonly durationMs: number;
  /** Candidate invocations each region must see before the bake can pass (at least 1). */
  readonly minInvocations: number;
  /** Longest the bake may run while waiting for traffic. */
  readonly maxWaitMs: number;
  readonly pollIntervalMs: number;
  /** Highest candidate error rate, 0..1, or null. */
  readonly maxErrorRate: number | null;
  /** Highest excess of the candidate's error rate over the stable version's in the same window (0..1), or null. */
  readonly maxErrorRateOverStable: number | null;
  /** Highest p99 Duration of the candidate in ms, or null (then p99 is not even queried). */
  readonly maxP99Ms: number | null;
  readonly failOnInsufficientData: boolean;
  /** How far before the start the final look-back reaches. */
  readonly lookBackMs: number;
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
  };
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
  readonly throttles: number;
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
}

export interface Observation {
  /** Epoch milliseconds of the poll. */
  readonly now: number;
  /** Every region under bake (a region with no data still counts, with zero invocations). */
  readonly regions: readonly string[];
  readonly alarms: readonly RegionAlarms[];
  readonly metrics: readonly TargetSample[];
}

export interface WindowVerdict {
  readonly open: boolean;
  /** Why it is closed (or which window is open), for the summary. */
  readonly reason: string;
}
export type WindowCheck = (now: Date) => WindowVerdict;

export type Decision =
  | { readonly kind: 'continue'; readonly reason: string }
  | { readonly kind: 'ready'; readonly reason: string }
  | { readonly kind: 'done'; readonly result: BakeResult; readonly reason: string };

export function invocationsByRegion(regions: readonly string[], metrics: readonly TargetSample[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const region of regions) totals[region] = 0;
  for (const sample of metrics) totals[sample.region] = (totals[sample.region] ?? 0) + sample.candidate.invocations;
  return totals;
}

function rate(errors: number, invocations: number): number {
  return invocations > 0 ? errors / invocations : 0;
}

function percent(value: number): string {
  return `${Math.round(value * 10_000) / 100}%`;
}

/** Alarm rule: a missing alarm, a firing alarm, or (when so configured) one without data. */
export function alarmVerdict(policy: BakePolicy, alarms: readonly RegionAlarms[]): string | null {
  const missing = alarms.flatMap((r) => r.missing.map((ref) => `${ref} in ${r.region}`));
  if (missing.length > 0) return `alarm not found: ${missing.join(', ')} (monitoring fails closed)`;
  const firing = alarms
    .flatMap((r) => r.alarms)
    .filter((a: AlarmStatus) => a.state === 'ALARM' || (policy.failOnInsufficientData && a.state === 'INSUFFICIENT_DATA'));
  if (firing.length > 0) return `alarm firing: ${firing.map((a) => `${a.name} (${a.region}: ${a.state}${a.reason ? ` - ${a.reason}` : ''})`).join(', ')}`;
  return null;
}

/** Canary rule: the candidate's error rate (absolute and over stable) and p99, per function and region. */
export function canaryVerdict(policy: BakePolicy, metrics: readonly TargetSample[]): string | null {
  const floor = Math.min(policy.minInvocations, ERROR_RATE_MIN_SAMPLE);
  for (const sample of metrics) {
    const where = `${sample.function}:${sample.alias} v${sample.candidate.version} in ${sample.region}`;
    const c = sample.candidate;
    if (c.invocations >= floor) {
      const candidateRate = rate(c.errors, c.invocations);
      if (policy.maxErrorRate !== null && candidateRate > policy.maxErrorRate) {
        return `error rate ${percent(candidateRate)} (${c.errors}/${c.invocations}) of ${where} is above ${percent(policy.maxErrorRate)}`;
      }
      if (policy.maxErrorRateOverStable !== null && sample.stable && sample.stable.invocations > 0) {
        const stableRate = rate(sample.stable.errors, sample.stable.invocations);
        if (candidateRate - stableRate > policy.maxErrorRateOverStable) {
          return `error rate ${percent(candidateRate)} of ${where} exceeds the stable v${sample.stable.version}'s ${percent(stableRate)} by more than ${percent(policy.maxErrorRateOverStable)}`;
        }
      }
    }
    if (policy.maxP99Ms !== null && c.p99Ms !== null && c.p99Ms > policy.maxP99Ms) {
      return `p99 duration ${Math.round(c.p99Ms)}ms of ${where} is above ${Math.round(policy.maxP99Ms)}ms`;
    }
  }
  return null;
}

/** One poll's decision from what was observed. `final` marks the look-back observation. */
export function decide(policy: BakePolicy, startedAt: number, observation: Observation, options: { final?: boolean; window?: WindowCheck } = {}): Decision {
  const alarm = alarmVerdict(policy, observation.alarms);
  if (alarm) return { kind: 'done', result: 'alarm', reason: alarm };
  const breach = canaryVerdict(policy, observation.metrics);
  if (breach) return { kind: 'done', result: 'metric-breach', reason: breach };

  const elapsed = observation.now - startedAt;
  const invocations = invocationsByRegion(observation.regions, observation.metrics);
  const short = Object.entries(invocations).filter(([, n]) => n < policy.minInvocations);
  const durationDone = elapsed >= policy.durationMs;

  // An alarm without data (when that is not configured to fail) cannot vouch for the candidate: wait for it.
  const quiet = observation.alarms.flatMap((r) => r.alarms).filter((a) => a.state === 'INSUFFICIENT_DATA');
  const quietText = quiet.map((a) => `${a.name} (${a.region})`).join(', ');
  if (durationDone && short.length === 0 && quiet.length === 0) {
    if (!options.final) return { kind: 'ready', reason: 'duration and traffic reached; final look-back next' };
    const verdict = options.window?.(new Date(observation.now));
    if (verdict && !verdict.open) return { kind: 'done', result: 'outside-window', reason: `baked, but outside the deploy window: ${verdict.reason}` };
    return {
      kind: 'done',
      result: 'baked',
      reason: `baked for ${formatDuration(elapsed)} with ${Object.entries(invocations).map(([r, n]) => `${n} invocations in ${r}`).join(', ')}`,
    };
  }
  const shortText = short.map(([r, n]) => `${r} ${n}/${policy.minInvocations}`).join(', ');
  if (elapsed >= policy.maxWaitMs) {
    if (durationDone && short.length > 0) {
      return { kind: 'done', result: 'insufficient-traffic', reason: `waited ${formatDuration(elapsed)} (max-wait ${formatDuration(policy.maxWaitMs)}) and the candidate saw too little traffic: ${shortText}` };
    }
    if (durationDone) {
      return { kind: 'done', result: 'timeout', reason: `max-wait ${formatDuration(policy.maxWaitMs)} reached while alarms still had no data: ${quietText}` };
    }
    return { kind: 'done', result: 'timeout', reason: `max-wait ${formatDuration(policy.maxWaitMs)} reached before the ${formatDuration(policy.durationMs)} bake ended` };
  }
  if (!durationDone) return { kind: 'continue', reason: `baking, ${formatDuration(policy.durationMs - elapsed)} to go` };
  return { kind: 'continue', reason: short.length > 0 ? `waiting for traffic: ${shortText}` : `waiting for alarms to have data: ${quietText}` };
}

/** The progress line printed each poll: elapsed / required, invocations / required per region, alarm summary. */
export function progressLine(policy: BakePolicy, startedAt: number, observation: Observation, poll: number): string {
  const elapsed = Math.max(0, observation.now - startedAt);
  const invocations = invocationsByRegion(observation.regions, observation.metrics);
  const regions = Object.entries(invocations)
    .map(([r, n]) => `${r} ${n}/${policy.minInvocations}${n >= policy.minInvocations ? ' ✓' : ''}`)
    .join(', ');
  const all = observation.alarms.flatMap((r) => r.alarms);
  const missing = observation.alarms.reduce((n, r) => n + r.missing.length, 0);
  const errors = observation.metrics.reduce((n, s) => n + s.candidate.errors, 0);
  const total = Object.values(invocations).reduce((a, b) => a + b, 0);
  const errorText = policy.maxErrorRate !== null ? ` | errors ${errors} (${percent(rate(errors, total))}, max ${percent(policy.maxErrorRate)})` : ` | errors ${errors}`;
  return `poll ${poll} | ${formatDuration(elapsed)} / ${formatDuration(policy.durationMs)} | invocations ${regions} | alarms ${summarizeAlarms(all, missing)}${errorText}`;
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
  /** Candidate (and stable) metrics of every target between two epoch-millisecond times. */
  readMetrics(start: number, end: number): Promise<readonly TargetSample[]>;
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
  /** Candidate invocations per region in the last observation. */
  readonly invocations: Record<string, number>;
  /** The last observation (the look-back one when there was one), for the summary. */
  readonly last: Observation | null;
}

/**
 * Watches a bake from `startedAt` until it ends. A start in the past (verify mode, or a re-run)
 * counts the time already elapsed. Alarms and metrics are read once per poll; the metrics window
 * always starts at `startedAt`, so a data point arriving late is counted on the next poll.
 */
export async function runBake(policy: BakePolicy, startedAt: number, regions: readonly string[], io: BakeIO): Promise<BakeOutcome> {
  let polls = 0;
  let last: Observation | null = null;
  const finish = (result: BakeResult, reason: string): BakeOutcome => ({
    result,
    reason,
    startedAt,
    endedAt: io.now(),
    polls,
    invocations: invocationsByRegion(regions, last?.metrics ?? []),
    last,
  });

  const opening = io.window?.(new Date(io.now()));
  if (opening && !opening.open) return finish('outside-window', `outside the deploy window: ${opening.reason}`);

  const observe = async (from: number): Promise<Observation | string> => {
    const now = io.now();
    try {
      const [alarms, metrics] = await Promise.all([io.readAlarms(), io.readMetrics(from, now)]);
      return { now, regions, alarms, metrics };
    } catch (error) {
      return `monitoring failed, so the bake fails closed: ${(error as Error).message}`;
    }
  };

  for (;;) {
    polls++;
    const observation = await observe(startedAt);
    if (typeof observation === 'string') return finish('alarm', observation);
    last = observation;
    let decision = decide(policy, startedAt, observation, { window: io.window });
    io.onPoll?.({ poll: polls, observation, decision, line: progressLine(policy, startedAt, observation, polls) });

    if (decision.kind === 'ready') {
      const lookBack = await observe(startedAt - policy.lookBackMs);
      if (typeof lookBack === 'string') return finish('alarm', lookBack);
      last = lookBack;
      decision = decide(policy, startedAt, lookBack, { final: true, window: io.window });
      if (decision.kind === 'done') return finish(decision.result, decision.result === 'baked' ? `${decision.reason} (look-back from ${formatDuration(policy.lookBackMs)} before the start)` : `${decision.reason} (found by the final look-back)`);
      // The look-back can only add data; if it made the bake not ready, keep watching.
    }
    if (decision.kind === 'done') return finish(decision.result, decision.reason);

    // Sleep one interval, but wake at the moment the duration or max-wait ends.
    const now = io.now();
    const marks = [startedAt + policy.durationMs, startedAt + policy.maxWaitMs];
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
  return `alarm fired during the bake: ${bad.map((t) => `${t.name} (${t.region}) went to ${t.to} at ${t.at}`).join(', ')}`;
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
