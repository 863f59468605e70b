// The realistic mode's alarm history store: DescribeAlarmHistory's filters and paging, per account
// and region, and pages that stay put while new items arrive.
import { describe, expect, it } from '@jest/globals';
import { AlarmHistory, alarmArnScope, CloudWatchRequestError, type AlarmHistoryItem } from '../../packages/local/src/alarm-history.js';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const item = (name: string, i: number, type: AlarmHistoryItem['HistoryItemType'] = 'StateUpdate', alarmType: AlarmHistoryItem['AlarmType'] = 'MetricAlarm'): AlarmHistoryItem => ({
  AlarmName: name,
  AlarmType: alarmType,
  Timestamp: new Date(T0 + i * 1000),
  HistoryItemType: type,
  HistorySummary: `item ${i}`,
  HistoryData: '{}',
});

describe('AlarmHistory.query', () => {
  it('pages newest first; a page never shifts when items are recorded between calls', () => {
    const h = new AlarmHistory(() => T0 + 3600_000);
    for (let i = 0; i < 5; i++) h.record('111111111111', 'us-east-1', item('a', i));
    const first = h.query('111111111111', 'us-east-1', { MaxRecords: 2 });
    expect(first.AlarmHistoryItems.map((x) => x.HistorySummary)).toEqual(['item 4', 'item 3']);
    h.record('111111111111', 'us-east-1', item('a', 5));
    const second = h.query('111111111111', 'us-east-1', { MaxRecords: 2, NextToken: first.NextToken });
    expect(second.AlarmHistoryItems.map((x) => x.HistorySummary)).toEqual(['item 2', 'item 1']);
    const third = h.query('111111111111', 'us-east-1', { MaxRecords: 2, NextToken: second.NextToken });
    expect(third.AlarmHistoryItems.map((x) => x.HistorySummary)).toEqual(['item 0']);
    expect(third.NextToken).toBeUndefined();
  });

  it('filters by name, type, item type and dates (epoch seconds, as the SDK sends them), scoped to account and region', () => {
    const h = new AlarmHistory(() => T0 + 3600_000);
    h.record('111111111111', 'us-east-1', item('a', 0));
    h.record('111111111111', 'us-east-1', item('b', 1));
    h.record('111111111111', 'us-east-1', item('c', 2, 'StateUpdate', 'CompositeAlarm'));
    h.record('111111111111', 'us-east-1', item('a', 3, 'ConfigurationUpdate'));
    h.record('222222222222', 'us-east-1', item('a', 4));
    h.record('111111111111', 'eu-west-1', item('a', 5));
    const names = (q: Parameters<AlarmHistory['query']>[2]) => h.query('111111111111', 'us-east-1', q).AlarmHistoryItems.map((x) => `${x.AlarmName}${x.Timestamp.getTime() - T0}`);
    expect(names({})).toEqual(['a3000', 'b1000', 'a0']); // metric alarms only when AlarmTypes is omitted
    expect(names({ AlarmTypes: ['CompositeAlarm'] })).toEqual(['c2000']);
    expect(names({ AlarmName: 'a', HistoryItemType: 'StateUpdate' })).toEqual(['a0']);
    expect(names({ StartDate: (T0 + 1000) / 1000, EndDate: (T0 + 3000) / 1000 })).toEqual(['a3000', 'b1000']);
    expect(names({ ScanBy: 'TimestampAscending' })).toEqual(['a0', 'b1000', 'a3000']);
  });

  it('keeps two weeks and refuses what CloudWatch refuses', () => {
    let now = T0;
    const h = new AlarmHistory(() => now);
    h.record('1', 'r', item('old', 0));
    now = T0 + 15 * 24 * 3600_000;
    h.record('1', 'r', item('new', 15 * 24 * 3600));
    expect(h.items('1', 'r').map((x) => x.AlarmName)).toEqual(['new']);
    const refused = (q: Parameters<AlarmHistory['query']>[2]) => {
      try {
        h.query('1', 'r', q);
        return null;
      } catch (e) {
        return e instanceof CloudWatchRequestError ? e.code : 'other';
      }
    };
    expect(refused({ MaxRecords: 0 })).toBe('ValidationError');
    expect(refused({ MaxRecords: 101 })).toBe('ValidationError');
    expect(refused({ ScanBy: 'Sideways' })).toBe('ValidationError');
    expect(refused({ HistoryItemType: 'Nope' })).toBe('ValidationError');
    expect(refused({ AlarmTypes: ['Nope'] })).toBe('ValidationError');
    expect(refused({ NextToken: 'forged' })).toBe('InvalidNextToken');
    // A token only works with the filters it was issued for.
    for (let i = 0; i < 3; i++) h.record('1', 'r', item('x', i + 1));
    const page = h.query('1', 'r', { MaxRecords: 1 });
    expect(refused({ MaxRecords: 1, NextToken: page.NextToken, AlarmName: 'x' })).toBe('InvalidNextToken');
  });

  it('reads the account and region of an alarm ARN', () => {
    expect(alarmArnScope('arn:aws:cloudwatch:eu-west-1:123456789012:alarm:orders-errors')).toEqual({ region: 'eu-west-1', account: '123456789012' });
    expect(alarmArnScope('not an arn')).toBeNull();
  });
});
