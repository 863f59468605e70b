// The realistic evaluator's pure rules against CloudWatch's documented missing-data table
// ("Configuring how CloudWatch alarms treat missing data", alarms-and-missing-data.html): an alarm
// of 3 evaluation periods and 3 datapoints to alarm, an evaluation range of 5 periods.
import { describe, expect, it } from '@jest/globals';
import { breaches, evaluateAlarm, historyData, historySummary, invalidRules, type AlarmRules, type AlarmState, type Datapoint, type TreatMissingData } from '../../packages/local/src/alarm-evaluation.js';

const T0 = Date.UTC(2026, 11, 1, 20, 0, 0);
/** `0` not breaching, `X` breaching, `-` missing; oldest first, one minute apart. */
function range(text: string): Datapoint[] {
  return text.split(' ').map((c, i) => ({ timestamp: new Date(T0 + i * 60_000), value: c === '-' ? null : c === 'X' ? 10 : 0 }));
}
const rules = (treat: TreatMissingData, n = 3, m = 3): AlarmRules => ({ evaluationPeriods: n, datapointsToAlarm: m, threshold: 5, comparisonOperator: 'GreaterThanOrEqualToThreshold', treatMissingData: treat });
const RETAIN = 'retain';

// points | MISSING | IGNORE | BREACHING | NOT BREACHING  (documented table, 3 of 3)
const TABLE: [string, string, string, string, string][] = [
  ['0 - X - X', 'OK', 'OK', 'OK', 'OK'],
  ['- - - - 0', 'OK', 'OK', 'OK', 'OK'],
  ['- - - - -', 'INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK'],
  ['0 X X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['- - X - -', 'ALARM', RETAIN, 'ALARM', 'OK'],
];

describe('evaluateAlarm: the documented missing-data table (3 of 3)', () => {
  const treatments: TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];
  for (const [points, ...expected] of TABLE) {
    treatments.forEach((treat, i) => {
      for (const current of ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as AlarmState[]) {
        const want = expected[i] === RETAIN ? current : expected[i];
        it(`${points} with ${treat} from ${current} → ${want}`, () => {
          expect(evaluateAlarm(rules(treat), range(points), current).state).toBe(want);
        });
      }
    });
  }
});

describe('evaluateAlarm: beyond the table', () => {
  it('three completed breaching periods are needed for 3 of 3: two are not enough whatever came before', () => {
    expect(evaluateAlarm(rules('notBreaching'), range('0 0 0 X X'), 'OK').state).toBe('OK');
    expect(evaluateAlarm(rules('notBreaching'), range('0 0 X X X'), 'OK').state).toBe('ALARM');
  });

  it('M out of N: 2 of 3 alarms on two breaching points among the last three real ones', () => {
    expect(evaluateAlarm(rules('missing', 3, 2), range('0 0 X 0 X'), 'OK').state).toBe('ALARM');
    expect(evaluateAlarm(rules('missing', 3, 2), range('X X 0 0 X'), 'ALARM').state).toBe('OK');
  });

  it('a quiet minute: breaching alarms a 1-of-1 alarm, notBreaching keeps it OK, missing goes to INSUFFICIENT_DATA, ignore keeps ALARM', () => {
    const quiet = range('- - -');
    expect(evaluateAlarm(rules('breaching', 1, 1), quiet, 'OK').state).toBe('ALARM');
    expect(evaluateAlarm(rules('notBreaching', 1, 1), quiet, 'OK').state).toBe('OK');
    expect(evaluateAlarm(rules('missing', 1, 1), quiet, 'OK').state).toBe('INSUFFICIENT_DATA');
    expect(evaluateAlarm(rules('ignore', 1, 1), quiet, 'ALARM').state).toBe('ALARM');
  });

  it('missing data is filled as few times as possible: real points from further back decide first', () => {
    // 3 real points in the range: the newest missing periods do not count, whatever the treatment.
    expect(evaluateAlarm(rules('breaching'), range('0 0 0 - -'), 'OK')).toMatchObject({ state: 'OK', filled: 0 });
    // 2 real points: one filled in.
    expect(evaluateAlarm(rules('breaching'), range('- - X X -'), 'OK')).toMatchObject({ state: 'ALARM', filled: 1 });
    expect(evaluateAlarm(rules('notBreaching'), range('- - X X -'), 'OK')).toMatchObject({ state: 'OK', filled: 1 });
  });

  it('applies every comparison operator', () => {
    expect([breaches(5, 'GreaterThanOrEqualToThreshold', 5), breaches(5, 'GreaterThanThreshold', 5), breaches(5, 'LessThanThreshold', 5), breaches(5, 'LessThanOrEqualToThreshold', 5)]).toEqual([true, false, false, true]);
    const low: AlarmRules = { evaluationPeriods: 1, threshold: 1, comparisonOperator: 'LessThanThreshold', treatMissingData: 'notBreaching' };
    expect(evaluateAlarm(low, [{ timestamp: new Date(T0), value: 0 }], 'OK').state).toBe('ALARM');
  });

  it('defaults: DatapointsToAlarm = EvaluationPeriods, TreatMissingData = missing', () => {
    const plain: AlarmRules = { evaluationPeriods: 2, threshold: 5, comparisonOperator: 'GreaterThanOrEqualToThreshold' };
    expect(evaluateAlarm(plain, range('0 X'), 'OK').state).toBe('OK');
    expect(evaluateAlarm(plain, range('X X'), 'OK').state).toBe('ALARM');
    expect(evaluateAlarm(plain, range('- -'), 'OK').state).toBe('INSUFFICIENT_DATA');
  });

  it('gives reasons in CloudWatch wording, newest data point first', () => {
    const result = evaluateAlarm(rules('notBreaching'), range('0 0 X X X'), 'OK');
    expect(result.reason).toBe(
      'Threshold Crossed: 3 out of the last 3 datapoints [10.0 (01/12/26 20:04:00), 10.0 (01/12/26 20:03:00), 10.0 (01/12/26 20:02:00)] were greater than or equal to the threshold (5.0) (minimum 3 datapoints for OK -> ALARM transition).',
    );
    expect(evaluateAlarm(rules('missing'), range('- - -'), 'OK').reason).toBe('Insufficient Data: 3 datapoints were unknown.');
  });

  it('refuses rules it cannot evaluate, naming the field', () => {
    expect(invalidRules({ evaluationPeriods: 0, threshold: 1, comparisonOperator: 'GreaterThanThreshold' })).toMatch(/EvaluationPeriods/);
    expect(invalidRules({ evaluationPeriods: 2, datapointsToAlarm: 3, threshold: 1, comparisonOperator: 'GreaterThanThreshold' })).toMatch(/DatapointsToAlarm/);
    expect(invalidRules({ evaluationPeriods: 1, threshold: 1, comparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold' as never })).toMatch(/ComparisonOperator/);
    expect(() => evaluateAlarm({ evaluationPeriods: 0, threshold: 1, comparisonOperator: 'GreaterThanThreshold' }, [], 'OK')).toThrow(/EvaluationPeriods/);
  });
});

describe('history items', () => {
  it('have the summary and HistoryData shape of DescribeAlarmHistory', () => {
    expect(historySummary('OK', 'ALARM')).toBe('Alarm updated from OK to ALARM');
    expect(JSON.parse(historyData({ state: 'OK', reason: 'a' }, { state: 'ALARM', reason: 'b' }))).toEqual({ version: '1.0', oldState: { stateValue: 'OK', stateReason: 'a' }, newState: { stateValue: 'ALARM', stateReason: 'b' } });
  });
});
