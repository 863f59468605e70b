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
import { MonitoringError, choosePeriod, minimumPeriod, readAlarmHistory, readAlarmStates, readCandidateMetrics } from '../../packages/aws/src/cloudwatch.js';

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
    const [sample] = await readCandidateMetrics(clients, 'us-east-1', [{ function: 'orders-api', alias: 'live', candidate: '7', stable: '6' }], window, { p99: true, stable: true, aliasThrottles: true, now: window.end.getTime() });
    const input = cw.commandCalls(GetMetricDataCommand)[0]?.args[0].input as GetMetricDataCommandInput;
    const queries = input.MetricDataQueries ?? [];
    expect(queries.map((q) => q.Id)).toEqual(['t0_c_inv', 't0_c_err', 't0_c_p99', 't0_s_inv', 't0_s_err', 't0_a_thr']);
    expect(queries[0]?.MetricStat?.Metric?.Dimensions).toEqual([
      { Name: 'FunctionName', Value: 'orders-api' },
      { Name: 'Resource', Value: 'orders-api:live' },
      { Name: 'ExecutedVersion', Value: '7' },
    ]);
    expect(queries[2]?.MetricStat).toMatchObject({ Stat: 'p99', Period: 1800, Metric: { MetricName: 'Duration' } });
    expect(queries[0]?.MetricStat).toMatchObject({ Stat: 'Sum', Period: 60 });
    expect(queries[3]?.MetricStat?.Metric?.Dimensions?.[2]).toEqual({ Name: 'ExecutedVersion', Value: '6' });
    // Throttles: Lambda documents no per-ExecutedVersion series, so the alias's over all versions
    expect(queries[5]?.MetricStat).toMatchObject({ Stat: 'Sum', Metric: { MetricName: 'Throttles', Dimensions: [{ Name: 'FunctionName', Value: 'orders-api' }, { Name: 'Resource', Value: 'orders-api:live' }] } });
    expect(sample?.candidate).toMatchObject({ version: '7', invocations: 100, errors: 1, p99Ms: 812.5 });
    expect(sample?.aliasThrottles).toBe(0);
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
    expect(queries.map((q) => q.MetricStat?.Stat)).toEqual(['Sum', 'Sum']);
    expect(sample?.candidate).toMatchObject({ invocations: 0, errors: 0, p99Ms: null });
    expect(sample?.stable).toBeNull();
    expect(sample?.aliasThrottles).toBeUndefined();
    // asked, but CloudWatch has no data point: "no data", never a made-up 0
    const [quiet] = await readCandidateMetrics(clients, 'us-east-1', [{ function: 'f', alias: 'live', candidate: '2', stable: '1' }], window, { aliasThrottles: true });
    expect(quiet?.aliasThrottles).toBeNull();
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
    expect(cw.commandCalls(GetMetricDataCommand).map((c) => (c.args[0].input as GetMetricDataCommandInput).MetricDataQueries?.length)).toEqual([100, 100]);
    expect(fifty.every((s) => s.candidate.invocations === 10)).toBe(true);
    cw.resetHistory();
    await readCandidateMetrics(clients, 'us-east-1', targets(90), window, { p99: true, stable: true, aliasThrottles: true });
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

  it('asks for 5-minute periods when the window starts more than 15 days ago (findings F12), hourly beyond 63 days', async () => {
    const DAY = 86_400_000;
    expect(minimumPeriod(14 * DAY)).toBe(60);
    expect(minimumPeriod(16 * DAY)).toBe(300);
    expect(minimumPeriod(64 * DAY)).toBe(3600);
    expect(choosePeriod(30 * 60_000, 10, 16 * DAY)).toBe(300);
    expect(choosePeriod(3 * 3_600_000, 500, 16 * DAY) % 300).toBe(0);
    expect(choosePeriod(30 * 60_000, 10, 64 * DAY)).toBe(3600);
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    await readCandidateMetrics(clients, 'us-east-1', [{ function: 'f', alias: 'live', candidate: '2', stable: null }], window, { p99: true, now: window.start.getTime() + 20 * DAY });
    const queries = (cw.commandCalls(GetMetricDataCommand)[0]?.args[0].input as GetMetricDataCommandInput).MetricDataQueries ?? [];
    expect(queries.map((q) => q.MetricStat?.Period)).toEqual([300, 300, 1800]);
  });

  it('fails closed on a query answered Forbidden', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 't0_c_inv', StatusCode: 'Forbidden', Messages: [{ Code: 'Forbidden', Value: 'no access' }] }] });
    await expect(readCandidateMetrics(clients, 'eu-west-1', [{ function: 'f', alias: 'live', candidate: '2', stable: null }], window)).rejects.toThrow(
      /GetMetricData in eu-west-1 failed.*Forbidden: no access/,
    );
  });
});

describe('readAlarmHistory', () => {
  const item = (name: string, at: string, from: string | null, to: string) => ({
    AlarmName: name,
    Timestamp: new Date(at),
    HistoryItemType: 'StateUpdate' as const,
    HistorySummary: `Alarm updated from ${from ?? 'OK'} to ${to}`,
    ...(from ? { HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: from }, newState: { stateValue: to } }) } : {}),
  });

  it('reads the history of the region in one paged query (no AlarmName) and keeps the named alarms, oldest first', async () => {
    cw.on(DescribeAlarmHistoryCommand)
      .resolvesOnce({ AlarmHistoryItems: [item('orders-errors', '2026-11-26T10:20:00Z', 'ALARM', 'OK'), item('payments-errors', '2026-11-26T10:19:00Z', 'OK', 'ALARM')], NextToken: 'older' })
      .resolvesOnce({ AlarmHistoryItems: [item('orders-high-severity', '2026-11-26T10:15:00Z', null, 'INSUFFICIENT_DATA'), item('orders-errors', '2026-11-26T10:10:00Z', 'OK', 'ALARM')] });
    const counter = { describeAlarms: 0, getMetricData: 0, describeAlarmHistory: 0 };
    const history = await readAlarmHistory(clients, 'us-east-1', ['orders-errors', 'orders-high-severity'], window.start, window.end, counter);
    expect(history.map((h) => [h.name, h.from, h.to, h.at])).toEqual([
      ['orders-errors', 'OK', 'ALARM', '2026-11-26T10:10:00.000Z'],
      ['orders-high-severity', null, 'INSUFFICIENT_DATA', '2026-11-26T10:15:00.000Z'],
      ['orders-errors', 'ALARM', 'OK', '2026-11-26T10:20:00.000Z'],
    ]);
    expect(counter.describeAlarmHistory).toBe(2);
    const inputs = cw.commandCalls(DescribeAlarmHistoryCommand).map((c) => c.args[0].input);
    expect(inputs[0]).toEqual({ HistoryItemType: 'StateUpdate', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], StartDate: window.start, EndDate: window.end, MaxRecords: 100 });
    expect(inputs[1]).toMatchObject({ NextToken: 'older' });
    expect(inputs.every((i) => !('AlarmName' in i) || i.AlarmName === undefined)).toBe(true);
  });

  it('stays under the 3-per-second quota of DescribeAlarmHistory however many pages (findings F3)', async () => {
    // CloudWatch's quota as a token bucket: 3 a second, a burst of 3, Throttling beyond (the SDK gets one attempt here).
    let tokens = 3;
    let refilled = Date.now();
    const times: number[] = [];
    cw.on(DescribeAlarmHistoryCommand).callsFake((input: { NextToken?: string }) => {
      const now = Date.now();
      tokens = Math.min(3, tokens + ((now - refilled) / 1000) * 3);
      refilled = now;
      if (tokens < 1) throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
      tokens -= 1;
      times.push(now);
      const page = Number(input.NextToken ?? '0');
      return { AlarmHistoryItems: [item(`orders-${page}`, '2026-11-26T10:10:00Z', 'OK', 'ALARM')], ...(page < 7 ? { NextToken: String(page + 1) } : {}) };
    });
    const names = Array.from({ length: 30 }, (_, i) => `orders-${i}`);
    const history = await readAlarmHistory(new AwsClients({ maxAttempts: 1 }), 'us-east-1', names, window.start, window.end);
    expect(history).toHaveLength(8);
    // never more than 3 calls in any second
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(3);
  });
});
