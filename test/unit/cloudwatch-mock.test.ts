// What moto cannot show: composite alarms, pagination, >100 names, percentile queries, alarm history.
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type DescribeAlarmsCommandInput,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsClients } from '../../packages/aws/src/clients.js';
import { MonitoringError, choosePeriod, readAlarmHistory, readAlarmStates, readCandidateMetrics } from '../../packages/aws/src/cloudwatch.js';

const cw = mockClient(CloudWatchClient);
const clients = new AwsClients({ maxAttempts: 1 });
const window = { start: new Date('2026-11-26T10:00:00Z'), end: new Date('2026-11-26T10:30:00Z') };

afterEach(() => {
  cw.reset();
});

describe('readAlarmStates', () => {
  it('reads metric and composite alarms and lists a named alarm that does not exist as missing', async () => {
    cw.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [{ AlarmName: 'orders-errors', StateValue: 'OK', StateReason: 'fine', StateUpdatedTimestamp: new Date('2026-11-26T09:00:00Z') }],
      CompositeAlarms: [{ AlarmName: 'orders-high-severity', StateValue: 'ALARM', StateReason: 'children firing' }],
    });
    const result = await readAlarmStates(clients, 'us-east-1', { names: ['orders-errors', 'orders-high-severity', 'orders-typo'], prefixes: [] });
    expect(result.alarms).toEqual([
      { region: 'us-east-1', name: 'orders-errors', kind: 'metric', state: 'OK', reason: 'fine', updatedAt: '2026-11-26T09:00:00.000Z' },
      { region: 'us-east-1', name: 'orders-high-severity', kind: 'composite', state: 'ALARM', reason: 'children firing', updatedAt: null },
    ]);
    expect(result.missing).toEqual(['orders-typo']);
    const input = cw.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input as DescribeAlarmsCommandInput;
    expect(input.AlarmTypes).toEqual(['MetricAlarm', 'CompositeAlarm']);
  });

  it('batches names 100 per call', async () => {
    cw.on(DescribeAlarmsCommand).callsFake((input: DescribeAlarmsCommandInput) => ({
      MetricAlarms: (input.AlarmNames ?? []).map((name) => ({ AlarmName: name, StateValue: 'OK' })),
    }));
    const names = Array.from({ length: 250 }, (_, i) => `alarm-${i}`);
    const counter = { describeAlarms: 0, getMetricData: 0, describeAlarmHistory: 0 };
    const result = await readAlarmStates(clients, 'eu-west-1', { names, prefixes: [] }, counter);
    const sizes = cw.commandCalls(DescribeAlarmsCommand).map((c) => (c.args[0].input as DescribeAlarmsCommandInput).AlarmNames?.length);
    expect(sizes).toEqual([100, 100, 50]);
    expect(counter.describeAlarms).toBe(3);
    expect(result.alarms).toHaveLength(250);
    expect(result.missing).toEqual([]);
  });

  it('follows NextToken for a prefix and reports a prefix matching nothing as missing', async () => {
    cw.on(DescribeAlarmsCommand, { AlarmNamePrefix: 'orders-' })
      .resolvesOnce({ MetricAlarms: [{ AlarmName: 'orders-a', StateValue: 'OK' }], NextToken: 'page2' })
      .resolvesOnce({ CompositeAlarms: [{ AlarmName: 'orders-b', StateValue: 'INSUFFICIENT_DATA' }] });
    cw.on(DescribeAlarmsCommand, { AlarmNamePrefix: 'nothing-' }).resolves({ MetricAlarms: [], CompositeAlarms: [] });
    const result = await readAlarmStates(clients, 'us-east-1', { names: [], prefixes: ['orders-', 'nothing-'] });
    expect(result.alarms.map((a) => [a.name, a.kind, a.state])).toEqual([
      ['orders-a', 'metric', 'OK'],
      ['orders-b', 'composite', 'INSUFFICIENT_DATA'],
    ]);
    expect(result.missing).toEqual(['prefix:nothing-']);
    const tokens = cw.commandCalls(DescribeAlarmsCommand).map((c) => (c.args[0].input as DescribeAlarmsCommandInput).NextToken);
    expect(tokens).toEqual([undefined, 'page2', undefined]);
  });

  it('turns access denied and throttling into MonitoringError naming the region and the permission', async () => {
    cw.on(DescribeAlarmsCommand).rejects(Object.assign(new Error('User is not authorized to perform: cloudwatch:DescribeAlarms'), { name: 'AccessDenied' }));
    const denied = readAlarmStates(clients, 'ap-southeast-2', { names: ['a'], prefixes: [] });
    await expect(denied).rejects.toBeInstanceOf(MonitoringError);
    await expect(denied).rejects.toThrow(/CloudWatch DescribeAlarms in ap-southeast-2 failed: AccessDenied: .*\(the role needs cloudwatch:DescribeAlarms\)/);
    cw.reset();
    cw.on(DescribeAlarmsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    await expect(readAlarmStates(clients, 'us-east-1', { names: ['a'], prefixes: [] })).rejects.toThrow(/Throttling: Rate exceeded \(throttled past the SDK retries\)/);
  });
});

describe('readCandidateMetrics', () => {
  it('queries the Resource and ExecutedVersion dimensions, p99 as a whole-window percentile, and the stable version', async () => {
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
      MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({
        Id: q.Id,
        StatusCode: 'Complete',
        Timestamps: q.Id?.endsWith('p99') ? [window.start] : [new Date('2026-11-26T10:00:00Z'), new Date('2026-11-26T10:01:00Z')],
        Values: q.Id?.endsWith('p99') ? [812.5] : q.Id?.endsWith('inv') ? [40, 60] : q.Id?.endsWith('err') ? [1, 0] : [0, 0],
      })),
    }));
    const [sample] = await readCandidateMetrics(clients, 'us-east-1', [{ function: 'orders-api', alias: 'live', candidate: '7', stable: '6' }], window, { p99: true, stable: true });
    const input = cw.commandCalls(GetMetricDataCommand)[0]?.args[0].input as GetMetricDataCommandInput;
    const queries = input.MetricDataQueries ?? [];
    expect(queries.map((q) => q.Id)).toEqual(['t0_c_inv', 't0_c_err', 't0_c_thr', 't0_c_p99', 't0_s_inv', 't0_s_err']);
    expect(queries[0]?.MetricStat?.Metric?.Dimensions).toEqual([
      { Name: 'FunctionName', Value: 'orders-api' },
      { Name: 'Resource', Value: 'orders-api:live' },
      { Name: 'ExecutedVersion', Value: '7' },
    ]);
    expect(queries[3]?.MetricStat).toMatchObject({ Stat: 'p99', Period: 1800, Metric: { MetricName: 'Duration' } });
    expect(queries[0]?.MetricStat).toMatchObject({ Stat: 'Sum', Period: 60 });
    expect(queries[4]?.MetricStat?.Metric?.Dimensions?.[2]).toEqual({ Name: 'ExecutedVersion', Value: '6' });
    expect(sample?.candidate).toMatchObject({ version: '7', invocations: 100, errors: 1, throttles: 0, p99Ms: 812.5 });
    expect(sample?.candidate.points).toEqual([
      { t: Date.parse('2026-11-26T10:00:00Z'), invocations: 40, errors: 1 },
      { t: Date.parse('2026-11-26T10:01:00Z'), invocations: 60, errors: 0 },
    ]);
    expect(sample?.stable).toMatchObject({ version: '6', invocations: 100, errors: 1 });
  });

  it('does not query p99 or the stable version unless asked (moto answers percentiles with HTTP 500)', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const [sample] = await readCandidateMetrics(clients, 'us-east-1', [{ function: 'f', alias: 'live', candidate: '2', stable: '1' }], window);
    const queries = (cw.commandCalls(GetMetricDataCommand)[0]?.args[0].input as GetMetricDataCommandInput).MetricDataQueries ?? [];
    expect(queries.map((q) => q.MetricStat?.Stat)).toEqual(['Sum', 'Sum', 'Sum']);
    expect(sample?.candidate).toMatchObject({ invocations: 0, errors: 0, p99Ms: null });
    expect(sample?.stable).toBeNull();
  });

  it('reads 50 functions in one call, follows NextToken, and splits above 500 queries', async () => {
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      const ids = (input.MetricDataQueries ?? []).map((q) => q.Id as string);
      // Two pages: the first half of the queries, then the second half with another point each.
      const half = Math.ceil(ids.length / 2);
      const page = (list: string[]) => list.map((Id) => ({ Id, StatusCode: 'Complete' as const, Timestamps: [window.start], Values: [Id.endsWith('inv') ? 10 : 0] }));
      return input.NextToken ? { MetricDataResults: page(ids.slice(half)) } : { MetricDataResults: page(ids.slice(0, half)), NextToken: 'more' };
    });
    const targets = (n: number) => Array.from({ length: n }, (_, i) => ({ function: `fn-${i}`, alias: 'live', candidate: '2', stable: '1' }));
    const counter = { describeAlarms: 0, getMetricData: 0, describeAlarmHistory: 0 };
    const fifty = await readCandidateMetrics(clients, 'us-east-1', targets(50), window, {}, counter);
    expect(counter.getMetricData).toBe(2); // one call, two pages
    expect(cw.commandCalls(GetMetricDataCommand).map((c) => (c.args[0].input as GetMetricDataCommandInput).MetricDataQueries?.length)).toEqual([150, 150]);
    expect(fifty.every((s) => s.candidate.invocations === 10)).toBe(true);
    cw.resetHistory();
    await readCandidateMetrics(clients, 'us-east-1', targets(90), window, { p99: true, stable: true });
    const sizes = cw.commandCalls(GetMetricDataCommand).filter((c) => !(c.args[0].input as GetMetricDataCommandInput).NextToken).map((c) => (c.args[0].input as GetMetricDataCommandInput).MetricDataQueries?.length);
    expect(sizes).toEqual([500, 40]); // 90 × 6 queries
  });

  it('keeps the data points of one call under the limit by widening the period', () => {
    expect(choosePeriod(30 * 60_000, 150)).toBe(60);
    // 12 hours, 500 queries: 720 one-minute points each would be 360,000 points.
    const period = choosePeriod(12 * 3_600_000, 500);
    expect(period % 60).toBe(0);
    expect(((12 * 3600) / period) * 500).toBeLessThanOrEqual(100_800);
  });

  it('fails closed on a query answered Forbidden', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 't0_c_inv', StatusCode: 'Forbidden', Messages: [{ Code: 'Forbidden', Value: 'no access' }] }] });
    await expect(readCandidateMetrics(clients, 'eu-west-1', [{ function: 'f', alias: 'live', candidate: '2', stable: null }], window)).rejects.toThrow(
      /GetMetricData in eu-west-1 failed.*Forbidden: no access/,
    );
  });
});

describe('readAlarmHistory', () => {
  it('returns state changes since a time, oldest first, across pages, for metric and composite alarms', async () => {
    cw.on(DescribeAlarmHistoryCommand, { AlarmName: 'orders-errors' })
      .resolvesOnce({
        AlarmHistoryItems: [
          {
            AlarmName: 'orders-errors',
            Timestamp: new Date('2026-11-26T10:20:00Z'),
            HistoryItemType: 'StateUpdate',
            HistorySummary: 'Alarm updated from ALARM to OK',
            HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: 'ALARM' }, newState: { stateValue: 'OK' } }),
          },
        ],
        NextToken: 'older',
      })
      .resolvesOnce({
        AlarmHistoryItems: [
          {
            AlarmName: 'orders-errors',
            Timestamp: new Date('2026-11-26T10:10:00Z'),
            HistoryItemType: 'StateUpdate',
            HistorySummary: 'Alarm updated from OK to ALARM',
            HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: 'OK' }, newState: { stateValue: 'ALARM' } }),
          },
        ],
      });
    cw.on(DescribeAlarmHistoryCommand, { AlarmName: 'orders-high-severity' }).resolves({
      AlarmHistoryItems: [{ AlarmName: 'orders-high-severity', Timestamp: new Date('2026-11-26T10:15:00Z'), HistorySummary: 'Alarm updated from OK to INSUFFICIENT_DATA' }],
    });
    const history = await readAlarmHistory(clients, 'us-east-1', ['orders-errors', 'orders-high-severity'], window.start, window.end);
    expect(history.map((h) => [h.name, h.from, h.to, h.at])).toEqual([
      ['orders-errors', 'OK', 'ALARM', '2026-11-26T10:10:00.000Z'],
      ['orders-high-severity', null, 'INSUFFICIENT_DATA', '2026-11-26T10:15:00.000Z'],
      ['orders-errors', 'ALARM', 'OK', '2026-11-26T10:20:00.000Z'],
    ]);
    const input = cw.commandCalls(DescribeAlarmHistoryCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ HistoryItemType: 'StateUpdate', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], StartDate: window.start, EndDate: window.end });
  });
});
