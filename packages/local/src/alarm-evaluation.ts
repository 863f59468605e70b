// The pure part of the realistic mode's CloudWatch alarm evaluator: data points in, state out.
// No SDK, no clock: alarm-evaluator.ts reads the alarms and the visible data from moto and writes
// the states; this module only decides.
//
// The rules are CloudWatch's, as documented in "Configuring how CloudWatch alarms treat missing
// data" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html,
// linked from AlarmThatSendsEmail.html):
// - CloudWatch reads more periods than EvaluationPeriods (the evaluation range).
// - When the range holds at least EvaluationPeriods real data points, the most recent
//   EvaluationPeriods of them decide, and TreatMissingData plays no part.
// - When it holds fewer, the missing points are filled in with the TreatMissingData choice as few
//   times as possible (EvaluationPeriods minus the real points), every real point is kept, and:
//     breaching     a filled point breaches;
//     notBreaching  a filled point does not breach;
//     ignore        the alarm keeps its state unless the real points decide it;
//     missing       the alarm goes to INSUFFICIENT_DATA only when every point of the range is
//                   missing, and is otherwise judged on the real points it has.
// - ALARM when at least DatapointsToAlarm of the evaluated points breach, OK otherwise.
// The table-driven test (test/unit/alarm-evaluation.test.ts) holds the documented table.

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type TreatMissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';
export type AlarmStatistic = 'Sum' | 'Average' | 'SampleCount' | 'Minimum' | 'Maximum';
export type ComparisonOperator = 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';

export const STATISTICS: readonly AlarmStatistic[] = ['Sum', 'Average', 'SampleCount', 'Minimum', 'Maximum'];
export const OPERATORS: readonly ComparisonOperator[] = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];

export interface AlarmRules {
  readonly evaluationPeriods: number;
  /** Default: evaluationPeriods (an "N out of N" alarm). */
  readonly datapointsToAlarm?: number;
  readonly threshold: number;
  readonly comparisonOperator: ComparisonOperator;
  /** Default `missing`, as in CloudWatch. */
  readonly treatMissingData?: TreatMissingData;
}

/** One period of the evaluation range; `value` null when the period has no data point. */
export interface Datapoint {
  readonly timestamp: Date;
  readonly value: number | null;
}

export interface Evaluation {
  /** The new state; equal to `current` when nothing changes (ignore keeps the state). */
  readonly state: AlarmState;
  /** A StateReason in CloudWatch's wording. */
  readonly reason: string;
  /** The data points that decided (real ones, oldest first), for StateReasonData. */
  readonly evaluated: readonly { readonly timestamp: Date; readonly value: number }[];
  /** Points filled in by TreatMissingData. */
  readonly filled: number;
}

/** Whether a value breaches the threshold under the operator. */
export function breaches(value: number, operator: ComparisonOperator, threshold: number): boolean {
  switch (operator) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

const OPERATOR_TEXT: Record<ComparisonOperator, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** CloudWatch's `(dd/MM/yy HH:mm:ss)` stamp in a StateReason. */
function stamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(date.getUTCDate())}/${p(date.getUTCMonth() + 1)}/${p(date.getUTCFullYear() % 100)} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}`;
}

function number(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** Checks an alarm's rules; returns what is wrong, or null. */
export function invalidRules(rules: AlarmRules): string | null {
  const n = rules.evaluationPeriods;
  const m = rules.datapointsToAlarm ?? n;
  if (!Number.isInteger(n) || n < 1) return `EvaluationPeriods must be a whole number of at least 1, got ${n}`;
  if (!Number.isInteger(m) || m < 1 || m > n) return `DatapointsToAlarm must be between 1 and EvaluationPeriods (${n}), got ${m}`;
  if (!OPERATORS.includes(rules.comparisonOperator)) return `ComparisonOperator ${String(rules.comparisonOperator)} is not evaluated by the local evaluator (anomaly-detection bands are not modelled)`;
  if (!Number.isFinite(rules.threshold)) return 'Threshold must be a number';
  return null;
}

/**
 * Evaluates an alarm over its evaluation range (oldest period first, completed periods only) and
 * its current state.
 */
export function evaluateAlarm(rules: AlarmRules, range: readonly Datapoint[], current: AlarmState): Evaluation {
  const problem = invalidRules(rules);
  if (problem) throw new Error(problem);
  const n = rules.evaluationPeriods;
  const m = rules.datapointsToAlarm ?? n;
  const treat = rules.treatMissingData ?? 'missing';
  const real = range.filter((p): p is { timestamp: Date; value: number } => p.value !== null);
  const isBreach = (p: { value: number }) => breaches(p.value, rules.comparisonOperator, rules.threshold);

  let evaluated: { timestamp: Date; value: number }[];
  let filled = 0;
  let state: AlarmState;
  let breaching: number;
  if (real.length >= n) {
    evaluated = real.slice(-n);
    breaching = evaluated.filter(isBreach).length;
    state = breaching >= m ? 'ALARM' : 'OK';
  } else {
    evaluated = real;
    filled = n - real.length;
    const realBreaching = real.filter(isBreach).length;
    breaching = realBreaching;
    switch (treat) {
      case 'breaching':
        breaching = realBreaching + filled;
        state = breaching >= m ? 'ALARM' : 'OK';
        break;
      case 'notBreaching':
        state = realBreaching >= m ? 'ALARM' : 'OK';
        break;
      case 'ignore':
        // Decided only when the real points decide whatever the missing ones would have been.
        state = realBreaching >= m ? 'ALARM' : realBreaching + filled < m ? 'OK' : current;
        break;
      case 'missing':
        if (real.length === 0) state = 'INSUFFICIENT_DATA';
        else state = realBreaching >= Math.min(m, real.length) ? 'ALARM' : 'OK';
        filled = 0;
        break;
    }
  }

  let reason: string;
  if (state === 'INSUFFICIENT_DATA') {
    reason = `Insufficient Data: ${range.length} datapoint${range.length === 1 ? ' was' : 's were'} unknown.`;
  } else if (treat === 'ignore' && real.length < n && state === current && !(breaching >= m) && !(breaching + filled < m)) {
    reason = `Unchanged: ${n - real.length} of the last ${n} datapoints are missing and the alarm ignores missing data.`;
  } else {
    const verb = state === 'ALARM' ? '' : 'not ';
    const shown = state === 'ALARM' ? evaluated.filter(isBreach) : evaluated.filter((p) => !isBreach(p));
    const count = state === 'ALARM' ? breaching : evaluated.length - evaluated.filter(isBreach).length;
    const list = shown
      .slice()
      .reverse()
      .map((p) => `${number(p.value)} (${stamp(p.timestamp)})`)
      .join(', ');
    const fillNote = filled > 0 ? ` (${filled} missing datapoint${filled === 1 ? '' : 's'} treated as ${treat === 'breaching' ? 'breaching' : 'not breaching'})` : '';
    const was = count === 1 ? 'was' : 'were';
    reason =
      `Threshold Crossed: ${count} out of the last ${n} datapoints [${list}] ${was} ${verb}${OPERATOR_TEXT[rules.comparisonOperator]} the threshold (${number(rules.threshold)})${fillNote} ` +
      `(minimum ${m} datapoint${m === 1 ? '' : 's'} for ${current === state ? state : `${current} -> ${state}`} transition).`;
  }
  return { state, reason, evaluated, filled };
}

/** `Alarm updated from OK to ALARM`, the HistorySummary of a StateUpdate item. */
export function historySummary(from: AlarmState, to: AlarmState): string {
  return `Alarm updated from ${from} to ${to}`;
}

/** The HistoryData JSON of a StateUpdate item, in CloudWatch's shape. */
export function historyData(from: { state: AlarmState; reason: string }, to: { state: AlarmState; reason: string; reasonData?: unknown }): string {
  return JSON.stringify({
    version: '1.0',
    oldState: { stateValue: from.state, stateReason: from.reason },
    newState: { stateValue: to.state, stateReason: to.reason, ...(to.reasonData !== undefined ? { stateReasonData: to.reasonData } : {}) },
  });
}
