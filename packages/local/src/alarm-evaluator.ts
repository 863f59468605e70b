// The realistic mode's CloudWatch alarm evaluator (moto stores alarms but never evaluates them).
//
// Every evaluation interval (about a production minute, scaled by the model), for every account and
// region it watches, it reads the metric alarms from moto (DescribeAlarms), reads the data visible
// at that moment for their metrics over their evaluation range of COMPLETED periods only
// (GetMetricData, the alarm's Period scaled to local seconds, its Statistic), decides each alarm's
// state with alarm-evaluation.ts, and on a change only: SetAlarmState, and a StateUpdate history
// item in DescribeAlarmHistory's shape (served by the fault proxy from `history`).
//
// It talks to moto directly, as CloudWatch's own evaluator is no API caller: its reads are never
// throttled or logged by the fault proxy.
//
// Not evaluated (left in the state they have): composite alarms, metric-math alarms (`Metrics`),
// percentile alarms (`ExtendedStatistic`: moto cannot compute percentiles) and anomaly bands.
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, SetAlarmStateCommand, type MetricAlarm, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { evaluateAlarm, historyData, historySummary, invalidRules, STATISTICS, type AlarmRules, type AlarmState, type AlarmStatistic, type Datapoint, type TreatMissingData } from './alarm-evaluation.js';
import { alarmArnScope, type AlarmHistory } from './alarm-history.js';
import type { RealisticModel } from './realistic.js';

export interface EvaluatorCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
}

export interface StateChange {
  readonly at: number;
  readonly account: string;
  readonly region: string;
  readonly alarmName: string;
  readonly from: AlarmState;
  readonly to: AlarmState;
  readonly reason: string;
}

export interface AlarmEvaluator {
  /**
   * Evaluates the alarms of these credentials' account in these regions from now on. Pass the
   * account when known: several keys of one account are then watched once.
   */
  watch(credentials: EvaluatorCredentials, regions: readonly string[], account?: string): void;
  /** One evaluation of every watched alarm, now (the timer also runs them). */
  evaluateNow(): Promise<void>;
  /** Every state change so far, in order. */
  readonly changes: readonly StateChange[];
  /** Evaluations run so far. */
  evaluations(): number;
  /** The last error of an evaluation, if any (evaluations keep running after one). */
  lastError(): Error | null;
  /** Problems with alarms it cannot evaluate (one line per alarm, kept once). */
  readonly skipped: ReadonlyMap<string, string>;
  stop(): Promise<void>;
}

export interface AlarmEvaluatorOptions {
  /** moto's endpoint (not the fault proxy's). */
  readonly endpoint: string;
  readonly model: RealisticModel;
  readonly history: AlarmHistory;
  readonly watch?: readonly { credentials: EvaluatorCredentials; regions: readonly string[]; account?: string }[];
  /** Start the timer (default true); false for tests that call evaluateNow themselves. */
  readonly timer?: boolean;
  readonly now?: () => number;
}

const TREATMENTS = new Set<string>(['missing', 'notBreaching', 'breaching', 'ignore']);

function rulesOf(alarm: MetricAlarm): AlarmRules | string {
  if (alarm.Metrics && alarm.Metrics.length > 0) return 'metric-math alarm (Metrics): not evaluated locally';
  if (alarm.ExtendedStatistic) return `percentile statistic ${alarm.ExtendedStatistic}: not evaluated locally (moto has no percentiles)`;
  if (!alarm.MetricName || !alarm.Namespace || !alarm.Period) return 'no metric, namespace or period';
  if (!alarm.Statistic || !STATISTICS.includes(alarm.Statistic as AlarmStatistic)) return `statistic ${String(alarm.Statistic)} is not evaluated locally`;
  const treat = alarm.TreatMissingData ?? 'missing';
  if (!TREATMENTS.has(treat)) return `TreatMissingData ${treat} is not one of missing, notBreaching, breaching, ignore`;
  const rules: AlarmRules = {
    evaluationPeriods: alarm.EvaluationPeriods ?? 1,
    datapointsToAlarm: alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods ?? 1,
    threshold: alarm.Threshold ?? NaN,
    comparisonOperator: alarm.ComparisonOperator as AlarmRules['comparisonOperator'],
    treatMissingData: treat as TreatMissingData,
  };
  return invalidRules(rules) ?? rules;
}

export function startAlarmEvaluator(options: AlarmEvaluatorOptions): AlarmEvaluator {
  const { model, history } = options;
  const now = options.now ?? (() => Date.now());
  const watched = new Map<string, { credentials: EvaluatorCredentials; regions: Set<string> }>();
  const clients = new Map<string, CloudWatchClient>();
  const changes: StateChange[] = [];
  const skipped = new Map<string, string>();
  let evaluations = 0;
  let error: Error | null = null;
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const client = (credentials: EvaluatorCredentials, region: string) => {
    const key = `${credentials.accessKeyId}/${region}`;
    let c = clients.get(key);
    if (!c) {
      c = new CloudWatchClient({
        region,
        endpoint: options.endpoint,
        credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey ?? 'evaluator', sessionToken: credentials.sessionToken },
        maxAttempts: 3,
      });
      clients.set(key, c);
    }
    return c;
  };

  const watch = (credentials: EvaluatorCredentials, regions: readonly string[], account?: string) => {
    const key = account ?? credentials.accessKeyId;
    const entry = watched.get(key) ?? { credentials, regions: new Set<string>() };
    for (const r of regions) entry.regions.add(r);
    watched.set(key, entry);
  };
  for (const w of options.watch ?? []) watch(w.credentials, w.regions, w.account);

  async function evaluateRegion(credentials: EvaluatorCredentials, region: string, at: number): Promise<void> {
    const cw = client(credentials, region);
    const alarms: MetricAlarm[] = [];
    let token: string | undefined;
    do {
      const page = await cw.send(new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'], MaxRecords: 100, NextToken: token }));
      alarms.push(...(page.MetricAlarms ?? []));
      token = page.NextToken;
    } while (token);

    // Alarms grouped by their local period: one GetMetricData per group (up to 500 queries each).
    const groups = new Map<number, { alarm: MetricAlarm; rules: AlarmRules }[]>();
    for (const alarm of alarms) {
      const rules = rulesOf(alarm);
      if (typeof rules === 'string') {
        skipped.set(alarm.AlarmArn ?? `${region}/${alarm.AlarmName}`, `${alarm.AlarmName}: ${rules}`);
        continue;
      }
      const seconds = model.periodSeconds(alarm.Period!);
      const list = groups.get(seconds) ?? [];
      list.push({ alarm, rules });
      groups.set(seconds, list);
    }
    for (const [seconds, list] of groups) {
      const periodMs = seconds * 1000;
      // Completed periods only: the range ends at the start of the period in progress.
      const end = Math.floor(at / periodMs) * periodMs;
      for (let i = 0; i < list.length; i += 500) {
        const chunk = list.slice(i, i + 500);
        const length = Math.max(...chunk.map((c) => c.rules.evaluationPeriods + model.evaluationRangeExtra));
        const start = end - length * periodMs;
        const queries: MetricDataQuery[] = chunk.map(({ alarm }, j) => ({
          Id: `a${j}`,
          ReturnData: true,
          MetricStat: {
            Metric: { Namespace: alarm.Namespace, MetricName: alarm.MetricName, Dimensions: alarm.Dimensions ?? [] },
            Period: seconds,
            Stat: alarm.Statistic,
            ...(alarm.Unit ? { Unit: alarm.Unit } : {}),
          },
        }));
        const values = new Map<string, Map<number, number>>();
        let next: string | undefined;
        do {
          const page = await cw.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(start), EndTime: new Date(end), ScanBy: 'TimestampAscending', NextToken: next }));
          for (const r of page.MetricDataResults ?? []) {
            const byTime = values.get(r.Id!) ?? new Map<number, number>();
            (r.Timestamps ?? []).forEach((t, k) => byTime.set(new Date(t).getTime(), r.Values![k]!));
            values.set(r.Id!, byTime);
          }
          next = page.NextToken;
        } while (next);

        for (const [j, { alarm, rules }] of chunk.entries()) {
          const own = rules.evaluationPeriods + model.evaluationRangeExtra;
          const byTime = values.get(`a${j}`) ?? new Map<number, number>();
          const range: Datapoint[] = [];
          for (let k = own; k >= 1; k--) {
            const t = end - k * periodMs;
            range.push({ timestamp: new Date(t), value: byTime.get(t) ?? null });
          }
          const current = (alarm.StateValue ?? 'INSUFFICIENT_DATA') as AlarmState;
          const result = evaluateAlarm(rules, range, current);
          if (result.state === current) continue;
          const reasonData = {
            version: '1.0',
            queryDate: new Date(at).toISOString(),
            startDate: new Date(end - own * periodMs).toISOString(),
            statistic: alarm.Statistic,
            period: alarm.Period,
            recentDatapoints: result.evaluated.map((p) => p.value),
            threshold: alarm.Threshold,
            evaluatedDatapoints: result.evaluated.map((p) => ({ timestamp: p.timestamp.toISOString(), value: p.value })),
          };
          await cw.send(new SetAlarmStateCommand({ AlarmName: alarm.AlarmName, StateValue: result.state, StateReason: result.reason, StateReasonData: JSON.stringify(reasonData) }));
          const scope = alarmArnScope(alarm.AlarmArn ?? '') ?? { region, account: 'unknown' };
          const when = now();
          history.record(scope.account, region, {
            AlarmName: alarm.AlarmName!,
            AlarmType: 'MetricAlarm',
            Timestamp: new Date(when),
            HistoryItemType: 'StateUpdate',
            HistorySummary: historySummary(current, result.state),
            HistoryData: historyData({ state: current, reason: alarm.StateReason ?? '' }, { state: result.state, reason: result.reason, reasonData }),
          });
          changes.push({ at: when, account: scope.account, region, alarmName: alarm.AlarmName!, from: current, to: result.state, reason: result.reason });
        }
      }
    }
  }

  // Evaluations never overlap (one reading a state another is changing would record it twice).
  let chain: Promise<void> = Promise.resolve();
  const evaluateNow = () => {
    chain = chain.then(evaluateAll);
    return chain;
  };
  const evaluateAll = async () => {
    const at = now();
    const work: Promise<void>[] = [];
    for (const { credentials, regions } of watched.values()) for (const region of regions) work.push(evaluateRegion(credentials, region, at));
    const results = await Promise.allSettled(work);
    for (const r of results) if (r.status === 'rejected') error = r.reason instanceof Error ? r.reason : new Error(String(r.reason));
    evaluations++;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      // One evaluation at a time: one that overruns its interval delays the next, as a busy CloudWatch would.
      running = evaluateNow().finally(() => {
        running = null;
        schedule();
      });
    }, model.evaluationIntervalMs);
  };
  if (options.timer !== false) schedule();

  return {
    watch,
    evaluateNow,
    changes,
    evaluations: () => evaluations,
    lastError: () => error,
    skipped,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      for (const c of clients.values()) c.destroy();
    },
  };
}
