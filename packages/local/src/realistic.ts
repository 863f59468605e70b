// The realistic mode's one definition of time and of AWS's delays and quotas.
//
// Everything here is stated in PRODUCTION units (what AWS does) and converted once, through one
// time scale: `timeScale` production seconds pass per local second (default 60, so one production
// minute is one local second and every proportion between delays, periods and bakes stays).
// The demo, the campaign, the alarm evaluator, the traffic simulator, the fault proxy and the
// tests all read their delays from a RealisticModel, never from constants of their own.
//
// The one exception is the API quotas: they are token buckets in WALL-CLOCK seconds, because the
// code under test paces its calls in real time (its limiters count real milliseconds), and a
// scaled quota would be meaningless to it. See docs/realistic-aws.md.

export interface RealisticOptions {
  /** Production seconds per local second (default 60: one production minute is one local second). */
  readonly timeScale?: number;
  /**
   * Production ms between an invocation's end and its metrics becoming visible in CloudWatch
   * (default 90 s; AWS documents "several minutes" can pass, monitoring-metrics.html).
   */
  readonly ingestionDelayMs?: number;
  /** Production ms between two evaluations of every alarm (default 60 s: CloudWatch evaluates about once a minute). */
  readonly evaluationIntervalMs?: number;
  /**
   * Periods the alarm evaluator reads beyond EvaluationPeriods (its "evaluation range"; default 2).
   * AWS retrieves more data points than EvaluationPeriods but does not publish how many.
   */
  readonly evaluationRangeExtra?: number;
  /** Production ms a published version stays `Pending` before it is `Active` (default 60 s). */
  readonly versionActivationMs?: number;
  /** Per-region API quotas (wall-clock requests per second) or false for none (default QUOTAS). */
  readonly quotas?: Readonly<Record<string, QuotaRule>> | false;
}

/** A token bucket: `perSecond` tokens a wall-clock second, at most `burst` at once (default perSecond). */
export interface QuotaRule {
  /** SigV4 signing name the rule applies to (`lambda`, `monitoring`). */
  readonly service: string;
  /** Operations sharing this bucket; `*` for every operation of the service not named by another rule. */
  readonly operations: readonly string[] | '*';
  readonly perSecond: number;
  readonly burst?: number;
}

/**
 * AWS's published quotas, per account and region:
 * - Lambda: GetFunction 100 requests/s; every other control-plane API together 15/s
 *   (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html, "API request rate").
 * - CloudWatch: DescribeAlarms 9/s, DescribeAlarmHistory 3/s (not raisable), GetMetricData 50/s
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html).
 * Invoke has its own concurrency-based limits and is not paced here; PutMetricData (what Lambda
 * itself writes) and SetAlarmState are not limited either.
 */
export const QUOTAS: Readonly<Record<string, QuotaRule>> = {
  'lambda-get-function': { service: 'lambda', operations: ['GetFunction'], perSecond: 100 },
  'lambda-control-plane': { service: 'lambda', operations: '*', perSecond: 15 },
  'cloudwatch-describe-alarms': { service: 'monitoring', operations: ['DescribeAlarms'], perSecond: 9 },
  'cloudwatch-describe-alarm-history': { service: 'monitoring', operations: ['DescribeAlarmHistory'], perSecond: 3 },
  'cloudwatch-get-metric-data': { service: 'monitoring', operations: ['GetMetricData'], perSecond: 50 },
};

/** Operations of a service that are not control-plane calls, hence never in its `*` bucket. */
export const UNPACED_OPERATIONS: ReadonlySet<string> = new Set(['Invoke', 'InvokeAsync', 'InvokeWithResponseStream', 'PutMetricData', 'SetAlarmState', 'PutMetricAlarm', 'DeleteAlarms']);

export interface RealisticModel {
  readonly timeScale: number;
  /** Production milliseconds (as configured). */
  readonly production: {
    readonly ingestionDelayMs: number;
    readonly evaluationIntervalMs: number;
    readonly versionActivationMs: number;
  };
  readonly evaluationRangeExtra: number;
  readonly quotas: Readonly<Record<string, QuotaRule>> | false;
  /** Local milliseconds for a production duration. */
  local(productionMs: number): number;
  /** Production milliseconds for a local duration. */
  toProduction(localMs: number): number;
  /** Local ms from an invocation's start until its metrics are visible: its duration plus the ingestion delay. */
  visibilityDelayMs(durationMs: number): number;
  /** Local ms of an alarm period given in production seconds (at least one whole local second, see periodSeconds). */
  periodMs(periodSeconds: number): number;
  /**
   * Local whole seconds of an alarm period (moto's GetMetricData takes integral periods): the
   * scaled period rounded to the nearest second, at least 1.
   */
  periodSeconds(periodSeconds: number): number;
  /** Local ms between two evaluations of every alarm. */
  readonly evaluationIntervalMs: number;
  /** Local ms a new version is Pending. */
  readonly versionActivationMs: number;
  /**
   * The physical floor of detection for an alarm of `periods` periods of `periodSeconds` and an
   * invocation of `durationMs`, local ms: the invocation's duration and ingestion, the wait for its
   * period to complete (one period at worst), the remaining periods the alarm needs, and one
   * evaluation interval at worst.
   */
  detectionFloorMs(options: { periodSeconds: number; datapointsToAlarm: number; durationMs?: number }): number;
  /**
   * What a bake must wait past its duration (and the longest function timeout) before its verdict
   * in this model, as a bake-gate duration (`3.5s`): ingestion, one alarm period of `periodSeconds`
   * and one evaluation interval, in local time. The value for the bake gate's `metrics-delay`.
   */
  metricsDelay(periodSeconds?: number): string;
  /** One line for logs and reports. */
  describe(): string;
}

export function realisticModel(options: RealisticOptions = {}): RealisticModel {
  const timeScale = options.timeScale ?? 60;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new Error(`realistic mode: timeScale must be a positive number, got ${String(options.timeScale)}`);
  const production = {
    ingestionDelayMs: options.ingestionDelayMs ?? 90_000,
    evaluationIntervalMs: options.evaluationIntervalMs ?? 60_000,
    versionActivationMs: options.versionActivationMs ?? 60_000,
  };
  for (const [name, value] of Object.entries(production)) {
    if (!(value >= 0) || !Number.isFinite(value)) throw new Error(`realistic mode: ${name} must be a non-negative number of milliseconds, got ${String(value)}`);
  }
  if (production.evaluationIntervalMs <= 0) throw new Error('realistic mode: evaluationIntervalMs must be above 0');
  const evaluationRangeExtra = options.evaluationRangeExtra ?? 2;
  const local = (ms: number) => ms / timeScale;
  const periodSeconds = (seconds: number) => Math.max(1, Math.round(seconds / timeScale));
  const model: RealisticModel = {
    timeScale,
    production,
    evaluationRangeExtra,
    quotas: options.quotas === undefined ? QUOTAS : options.quotas,
    local,
    toProduction: (ms) => ms * timeScale,
    visibilityDelayMs: (durationMs) => local(durationMs + production.ingestionDelayMs),
    periodSeconds,
    periodMs: (seconds) => periodSeconds(seconds) * 1000,
    evaluationIntervalMs: local(production.evaluationIntervalMs),
    versionActivationMs: local(production.versionActivationMs),
    detectionFloorMs: ({ periodSeconds: p, datapointsToAlarm, durationMs = 0 }) =>
      local(durationMs + production.ingestionDelayMs) + periodSeconds(p) * 1000 * datapointsToAlarm + local(production.evaluationIntervalMs),
    metricsDelay: (p = 60) => {
      const ms = local(production.ingestionDelayMs) + periodSeconds(p) * 1000 + local(production.evaluationIntervalMs);
      return `${Math.ceil(ms / 100) / 10}s`;
    },
    describe: () =>
      `realistic AWS: ×${timeScale} (1 local s = ${timeScale} production s); metrics visible ${production.ingestionDelayMs / 1000} s after an invocation ends ` +
      `(${local(production.ingestionDelayMs) / 1000} s local); alarms evaluated every ${production.evaluationIntervalMs / 1000} s (${local(production.evaluationIntervalMs) / 1000} s local) on completed periods; ` +
      `versions Pending for ${production.versionActivationMs / 1000} s (${local(production.versionActivationMs) / 1000} s local); ` +
      `API quotas ${options.quotas === false ? 'off' : 'on (wall-clock)'}`,
  };
  return model;
}

/** The default model (×60, 90 s ingestion, evaluation every minute, 60 s Pending, AWS's quotas). */
export const REALISTIC = realisticModel();
