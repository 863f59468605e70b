/**
 * Traffic simulator for the local run (moto has no Lambda runtime here, and no alarm evaluator).
 *
 * It writes the metrics Lambda itself would publish for an alias split between a stable and a
 * candidate version, into the `AWS/Lambda` namespace:
 * - per version:  Invocations, Errors, Duration with FunctionName, Resource (`fn:alias`), ExecutedVersion
 * - per alias:    the same three with FunctionName, Resource
 * - per function: the same three with FunctionName
 * (dimensions in that order: moto matches dimension lists in order).
 *
 * Counts are deterministic: a weight of 10% of 1,000 invocations per minute gives exactly 100
 * candidate invocations per minute, and an error rate of 5% exactly 5 errors of them (fractions
 * are carried over to the next tick), so tests and the demo never flake on randomness.
 *
 * Two ways to run it:
 * - plain (default): each tick's metrics are written at once, stamped with the tick, and
 *   `instantAlarms` (InstantAlarmRule) flip an alarm through SetAlarmState on the very tick the
 *   candidate's error rate crosses a threshold. Kinder than AWS: kept for the tests and runs that
 *   need an alarm on cue, and named "instant" for that reason.
 * - realistic (`realistic: model`, see realistic.ts): metrics are stamped at the invocations'
 *   START and written only after their duration plus the ingestion delay, as Lambda sends them
 *   (monitoring-metrics.html); alarms are left to the real evaluator (alarm-evaluator.ts), which
 *   judges them on completed periods of the data visible at the time.
 *
 * ```ts
 * const clients = new AwsClients();                       // AWS_ENDPOINT_URL points at moto
 * const oneBox = { region: 'us-east-1', function: 'orders-api', alias: 'live', stable: '1', candidate: '2',
 *                  weight: 0.1, perMinute: 1200, candidateErrorRate: 0.05 };
 * await writeTraffic(clients, [oneBox], { from: new Date(Date.now() - 10 * 60_000), to: new Date() }); // backfill
 * const live = startTraffic(clients, [oneBox], { tickMs: 1000, instantAlarms: [{ region: 'us-east-1',
 *   alarmName: 'orders-onebox-errors', target: oneBox, threshold: 0.01 }] });            // real time
 * const late = startTraffic(clients, [oneBox], { realistic: REALISTIC });                // as Lambda sends them
 * ...
 * const totals = await live.stop();
 * // or, for every target of wave-deploy's `deployment` output:
 * startTraffic(clients, trafficForDeployment(deployment, { perMinute: 1200, candidateErrorRate: 0.05 }));
 * ```
 */
import { PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { AwsClients } from '../../aws/src/clients.js';
import type { Deployment } from '../../core/src/deployment.js';
import type { RealisticModel } from './realistic.js';

export interface TrafficSpec {
  readonly region: string;
  readonly function: string;
  readonly alias: string;
  readonly stable: string;
  /** Null when the alias serves only the stable version. */
  readonly candidate: string | null;
  /** Share of the alias traffic on the candidate, 0..1 (the routing weight). */
  readonly weight: number;
  /** Invocations per minute through the alias, both versions together. */
  readonly perMinute: number;
  /** Share of the candidate's invocations that fail, 0..1 (default 0). */
  readonly candidateErrorRate?: number;
  /** Share of the stable version's invocations that fail, 0..1 (default 0). */
  readonly stableErrorRate?: number;
  /** Mean duration in ms (default 120 for the stable version, the same for the candidate). */
  readonly stableDurationMs?: number;
  readonly candidateDurationMs?: number;
}

/**
 * Traffic specs for every target of a `deployment` (wave-deploy's output): each alias split at
 * its recorded weight between its stable and candidate versions.
 */
export function trafficForDeployment(
  deployment: Deployment,
  options: { perMinute: number; candidateErrorRate?: number; stableErrorRate?: number; candidateDurationMs?: number; stableDurationMs?: number },
): TrafficSpec[] {
  return deployment.targets.map((t) => ({
    region: t.region,
    function: t.function,
    alias: t.alias,
    stable: t.stable,
    candidate: t.candidate,
    weight: t.weight,
    ...options,
  }));
}

export interface VersionCounts {
  invocations: number;
  errors: number;
}

/** Counts written so far, per `region/function`, per version. */
export type TrafficTotals = Record<string, Record<string, VersionCounts>>;

/** Carries fractions between ticks so long runs come out exact. */
class Meter {
  private candidateExact = 0;
  private candidateWritten = 0;
  private stableExact = 0;
  private stableWritten = 0;
  private candidateErrorsExact = 0;
  private candidateErrorsWritten = 0;
  private stableErrorsExact = 0;
  private stableErrorsWritten = 0;

  constructor(readonly spec: TrafficSpec) {}

  /** Invocations and errors per version for a tick of `ms`. */
  tick(ms: number): { candidate: VersionCounts; stable: VersionCounts } {
    const s = this.spec;
    const total = (s.perMinute * ms) / 60_000;
    const weight = s.candidate === null ? 0 : s.weight;
    this.candidateExact += total * weight;
    this.stableExact += total * (1 - weight);
    const candidate = Math.floor(this.candidateExact + 1e-9) - this.candidateWritten;
    const stable = Math.floor(this.stableExact + 1e-9) - this.stableWritten;
    this.candidateWritten += candidate;
    this.stableWritten += stable;
    this.candidateErrorsExact += candidate * (s.candidateErrorRate ?? 0);
    this.stableErrorsExact += stable * (s.stableErrorRate ?? 0);
    const candidateErrors = Math.floor(this.candidateErrorsExact + 1e-9) - this.candidateErrorsWritten;
    const stableErrors = Math.floor(this.stableErrorsExact + 1e-9) - this.stableErrorsWritten;
    this.candidateErrorsWritten += candidateErrors;
    this.stableErrorsWritten += stableErrors;
    return { candidate: { invocations: candidate, errors: candidateErrors }, stable: { invocations: stable, errors: stableErrors } };
  }
}

function datums(spec: TrafficSpec, at: Date, counts: { candidate: VersionCounts; stable: VersionCounts }): MetricDatum[] {
  const fn = { Name: 'FunctionName', Value: spec.function };
  const resource = { Name: 'Resource', Value: `${spec.function}:${spec.alias}` };
  const out: MetricDatum[] = [];
  const three = (dimensions: { Name: string; Value: string }[], c: VersionCounts, durationMs: number) => {
    out.push({ MetricName: 'Invocations', Dimensions: dimensions, Timestamp: at, Value: c.invocations, Unit: 'Count' });
    out.push({ MetricName: 'Errors', Dimensions: dimensions, Timestamp: at, Value: c.errors, Unit: 'Count' });
    if (c.invocations > 0) out.push({ MetricName: 'Duration', Dimensions: dimensions, Timestamp: at, Value: durationMs, Unit: 'Milliseconds' });
  };
  const stableMs = spec.stableDurationMs ?? 120;
  const candidateMs = spec.candidateDurationMs ?? stableMs;
  three([fn, resource, { Name: 'ExecutedVersion', Value: spec.stable }], counts.stable, stableMs);
  if (spec.candidate !== null) three([fn, resource, { Name: 'ExecutedVersion', Value: spec.candidate }], counts.candidate, candidateMs);
  const all = { invocations: counts.stable.invocations + counts.candidate.invocations, errors: counts.stable.errors + counts.candidate.errors };
  const mean = all.invocations > 0 ? (stableMs * counts.stable.invocations + candidateMs * counts.candidate.invocations) / all.invocations : stableMs;
  three([fn, resource], all, mean);
  three([fn], all, mean);
  return out;
}

/**
 * The metrics of a tick split by when they arrive: each version's series after its own duration,
 * the alias and function series (which add both versions up) after the slower one's.
 */
function datumsByVersion(spec: TrafficSpec, at: Date, counts: { candidate: VersionCounts; stable: VersionCounts }): { durationMs: number; data: MetricDatum[] }[] {
  const all = datums(spec, at, counts);
  const stableMs = spec.stableDurationMs ?? 120;
  const candidateMs = spec.candidateDurationMs ?? stableMs;
  const version = (d: MetricDatum) => d.Dimensions?.find((x) => x.Name === 'ExecutedVersion')?.Value;
  const stable = all.filter((d) => version(d) === spec.stable);
  const candidate = spec.candidate === null ? [] : all.filter((d) => version(d) === spec.candidate);
  const aggregate = all.filter((d) => version(d) === undefined);
  const slowest = spec.candidate === null || counts.candidate.invocations === 0 ? stableMs : Math.max(stableMs, candidateMs);
  return [
    { durationMs: stableMs, data: stable },
    { durationMs: candidateMs, data: candidate },
    { durationMs: slowest, data: aggregate },
  ].filter((p) => p.data.length > 0);
}

/** The SDK gzips PutMetricData bodies from 10,240 bytes on, and moto fails on those: stay below. */
const MAX_BODY_BYTES = 9000;

async function put(clients: AwsClients, region: string, data: MetricDatum[]): Promise<void> {
  const batches: MetricDatum[][] = [];
  let batch: MetricDatum[] = [];
  let bytes = 0;
  for (const datum of data) {
    const size = JSON.stringify(datum).length + 1;
    if (batch.length > 0 && (bytes + size > MAX_BODY_BYTES || batch.length >= 1000)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(datum);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  // A few batches at a time per region.
  for (let i = 0; i < batches.length; i += 8) {
    await Promise.all(batches.slice(i, i + 8).map((b) => clients.cloudwatch(region).send(new PutMetricDataCommand({ Namespace: 'AWS/Lambda', MetricData: b }))));
  }
}

function add(totals: TrafficTotals, spec: TrafficSpec, counts: { candidate: VersionCounts; stable: VersionCounts }): void {
  const key = `${spec.region}/${spec.function}`;
  const entry = (totals[key] ??= {});
  for (const [version, c] of [[spec.stable, counts.stable], [spec.candidate, counts.candidate]] as const) {
    if (version === null) continue;
    const v = (entry[version] ??= { invocations: 0, errors: 0 });
    v.invocations += c.invocations;
    v.errors += c.errors;
  }
}

/**
 * Writes the traffic of a past (or any) time window at once, one data point per `stepMs`
 * (default one minute) stamped at the start of each step. Returns what it wrote.
 */
export async function writeTraffic(clients: AwsClients, specs: readonly TrafficSpec[], window: { from: Date; to: Date; stepMs?: number }): Promise<TrafficTotals> {
  const step = window.stepMs ?? 60_000;
  const totals: TrafficTotals = {};
  const byRegion = new Map<string, MetricDatum[]>();
  for (const spec of specs) {
    const meter = new Meter(spec);
    for (let t = window.from.getTime(); t < window.to.getTime(); t += step) {
      const ms = Math.min(step, window.to.getTime() - t);
      const counts = meter.tick(ms);
      add(totals, spec, counts);
      const list = byRegion.get(spec.region) ?? [];
      list.push(...datums(spec, new Date(t), counts));
      byRegion.set(spec.region, list);
    }
  }
  await Promise.all([...byRegion.entries()].map(([region, data]) => put(clients, region, data)));
  return totals;
}

/**
 * The INSTANT alarm rule of the plain mode: sets an alarm on the candidate's error rate on the very
 * tick it crosses the threshold. CloudWatch never reacts this fast (it evaluates completed periods
 * of late data once a minute); the realistic mode uses alarm-evaluator.ts instead.
 */
export interface InstantAlarmRule {
  readonly region: string;
  readonly alarmName: string;
  /** The alias whose candidate is judged (matched by region and function). */
  readonly target: TrafficSpec;
  /** ALARM when errors / invocations of the candidate over the window is above this, 0..1. */
  readonly threshold: number;
  /** Sliding window (default one minute). */
  readonly windowMs?: number;
  /** Do not judge fewer invocations than this (default 1). */
  readonly minInvocations?: number;
}

export interface LiveTraffic {
  /** Counts written so far. */
  totals(): TrafficTotals;
  /** Replaces a spec while running (matched by region and function), e.g. to turn errors on. */
  update(spec: TrafficSpec): void;
  /** Stops writing, waits for the tick in flight, returns the totals. */
  stop(): Promise<TrafficTotals>;
  /** The last error of a tick, if any (ticks keep going after an error). */
  readonly lastError: () => Error | null;
}

export interface TrafficOptions {
  /** Local milliseconds between ticks (default 1000). */
  readonly tickMs?: number;
  /** Plain mode only: alarms flipped on the tick the error rate crosses their threshold. */
  readonly instantAlarms?: readonly InstantAlarmRule[];
  /**
   * Realistic mode: each tick's metrics are stamped at the tick's start (the invocations' start)
   * and written after the version's duration plus the ingestion delay, scaled by the model.
   * Durations (`stableDurationMs`, `candidateDurationMs`) are production milliseconds and
   * `perMinute` is per production minute (a local second is a minute at the default ×60).
   */
  readonly realistic?: RealisticModel;
  readonly now?: () => number;
}

/**
 * Writes traffic in real time: every `tickMs` (default 1 s) the invocations of that tick. Plain
 * mode writes them at once, stamped now, then applies the instant alarm rules (state changes only
 * on a transition); realistic mode delivers them late, stamped at their start (TrafficOptions).
 */
export function startTraffic(clients: AwsClients, specs: readonly TrafficSpec[], options: TrafficOptions = {}): LiveTraffic {
  if (options.realistic && options.instantAlarms && options.instantAlarms.length > 0) {
    throw new Error('startTraffic: instantAlarms belong to the plain mode; in realistic mode the alarm evaluator (alarm-evaluator.ts) judges the alarms');
  }
  const tickMs = options.tickMs ?? 1000;
  const now = options.now ?? (() => Date.now());
  const model = options.realistic;
  const deliveries = new Set<Promise<void>>();
  const deliver = (dueInMs: number, region: string, data: MetricDatum[]) => {
    const done = new Promise<void>((resolve) => {
      setTimeout(() => {
        put(clients, region, data)
          .catch((e: Error) => {
            error = e;
          })
          .finally(resolve);
      }, Math.max(0, dueInMs));
    }).finally(() => deliveries.delete(done));
    deliveries.add(done);
  };
  const meters = new Map(specs.map((s) => [`${s.region}/${s.function}`, new Meter(s)]));
  const totals: TrafficTotals = {};
  const recent: { t: number; key: string; c: VersionCounts }[] = [];
  const alarmStates = new Map<string, string>();
  let error: Error | null = null;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();

  const tick = async () => {
    const at = now();
    if (model) {
      // Stamped at the invocations' start (the tick's start), visible after duration + ingestion.
      for (const meter of meters.values()) {
        // Rates are per production minute: a local tick stands for timeScale times as long.
        const counts = meter.tick(model.toProduction(tickMs));
        add(totals, meter.spec, counts);
        for (const part of datumsByVersion(meter.spec, new Date(at - tickMs), counts)) deliver(model.visibilityDelayMs(part.durationMs), meter.spec.region, part.data);
      }
      return;
    }
    const byRegion = new Map<string, MetricDatum[]>();
    for (const meter of meters.values()) {
      const counts = meter.tick(tickMs);
      add(totals, meter.spec, counts);
      recent.push({ t: at, key: `${meter.spec.region}/${meter.spec.function}`, c: counts.candidate });
      const list = byRegion.get(meter.spec.region) ?? [];
      list.push(...datums(meter.spec, new Date(at), counts));
      byRegion.set(meter.spec.region, list);
    }
    await Promise.all([...byRegion.entries()].map(([region, data]) => put(clients, region, data)));
    for (const rule of options.instantAlarms ?? []) {
      const windowMs = rule.windowMs ?? 60_000;
      const key = `${rule.target.region}/${rule.target.function}`;
      const inWindow = recent.filter((r) => r.key === key && r.t > at - windowMs);
      const invocations = inWindow.reduce((n, r) => n + r.c.invocations, 0);
      const errors = inWindow.reduce((n, r) => n + r.c.errors, 0);
      if (invocations < (rule.minInvocations ?? 1)) continue;
      const rate = errors / invocations;
      const state = rate > rule.threshold ? 'ALARM' : 'OK';
      const id = `${rule.region}/${rule.alarmName}`;
      if (alarmStates.get(id) !== state) {
        await setAlarmState(clients, rule.region, rule.alarmName, state, `simulated evaluator: candidate error rate ${(rate * 100).toFixed(2)}% (${errors}/${invocations}) vs threshold ${(rule.threshold * 100).toFixed(2)}%`);
        alarmStates.set(id, state);
      }
    }
    const horizon = at - Math.max(60_000, ...(options.instantAlarms ?? []).map((r) => r.windowMs ?? 60_000));
    while (recent.length > 0 && recent[0]!.t <= horizon) recent.shift();
  };

  const timer = setInterval(() => {
    if (stopped) return;
    inFlight = inFlight.then(tick).catch((e: Error) => {
      error = e;
    });
  }, tickMs);

  return {
    totals: () => totals,
    update: (spec) => {
      const key = `${spec.region}/${spec.function}`;
      meters.set(key, new Meter(spec));
    },
    /** Stops the ticks; in realistic mode also waits until every invocation's metrics were delivered. */
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await inFlight;
      while (deliveries.size > 0) await Promise.all([...deliveries]);
      return totals;
    },
    lastError: () => error,
  };
}

/** Sets an alarm's state the way CloudWatch's evaluator would (moto never evaluates alarms). */
export async function setAlarmState(clients: AwsClients, region: string, alarmName: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA', reason: string): Promise<void> {
  await clients.cloudwatch(region).send(new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: state, StateReason: reason }));
}

/**
 * Creates (or updates) a rollback alarm on a function's Errors through an alias. `Errors` has data
 * points only when the function is invoked, so missing data is `notBreaching`, as AWS advises for a
 * metric that reports only on an event (alarms-and-missing-data.html): a quiet minute is no reason
 * to roll back. Its state starts as given (in realistic mode the evaluator takes it from there).
 */
export async function putErrorAlarm(
  clients: AwsClients,
  region: string,
  alarmName: string,
  target: { function: string; alias: string },
  initialState: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' = 'OK',
): Promise<void> {
  await clients.cloudwatch(region).send(
    new PutMetricAlarmCommand({
      AlarmName: alarmName,
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [
        { Name: 'FunctionName', Value: target.function },
        { Name: 'Resource', Value: `${target.function}:${target.alias}` },
      ],
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    }),
  );
  await setAlarmState(clients, region, alarmName, initialState, 'created by the safe-deploy traffic simulator');
}
