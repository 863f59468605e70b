// The realistic local AWS, CloudWatch side, through the real SDK over HTTP: metrics that arrive late
// and stamped at the invocation's start, the alarm evaluator on completed periods with CloudWatch's
// missing-data rules, and DescribeAlarmHistory served from the history it records.
// (Timing assertions are lower bounds only: on a loaded machine things can only come later.)
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricDataCommand, PutMetricAlarmCommand, SetAlarmStateCommand, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { provisionStage } from '../../packages/local/src/provision.js';
import { startRealisticWorld, type RealisticWorld } from '../../packages/local/src/realistic-world.js';
import { putErrorAlarm, startTraffic, type TrafficSpec } from '../../packages/local/src/traffic.js';
import { handlerZip } from '../../packages/local/src/zip.js';
import { testClients } from '../helpers/aws.js';
import { motoEndpoint, TEST_CREDENTIALS, uniqueName } from '../helpers/aws.js';

const REGION = 'us-east-2';
let world: RealisticWorld;
let cw: CloudWatchClient;

beforeAll(async () => {
  // Quotas off here: these tests make many calls back to back (the quota test is in realistic-quotas).
  world = await startRealisticWorld({ motoEndpoint: motoEndpoint(), model: { timeScale: 60, quotas: false }, watch: [{ credentials: TEST_CREDENTIALS, regions: [REGION], account: '123456789012' }] });
  cw = new CloudWatchClient({ region: REGION, endpoint: world.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 3 });
});
afterAll(async () => {
  cw.destroy();
  await world.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 25_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(100);
  }
}

function spec(fn: string, errorRate: number): TrafficSpec {
  return { region: REGION, function: fn, alias: 'live', stable: '1', candidate: '2', weight: 0.5, perMinute: 6000, candidateErrorRate: errorRate };
}

async function putAlarm(name: string, fn: string, extra: Partial<PutMetricAlarmCommandInput>): Promise<void> {
  await cw.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [
        { Name: 'FunctionName', Value: fn },
        { Name: 'Resource', Value: `${fn}:live` },
      ],
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      ...extra,
    }),
  );
  await cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'OK', StateReason: 'test start' }));
}

async function state(name: string): Promise<string | undefined> {
  const out = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  return out.MetricAlarms?.[0]?.StateValue;
}

describe('metrics as Lambda sends them', () => {
  it('a data point is invisible until its duration and the ingestion delay passed, then appears at its start timestamp', async () => {
    const fn = uniqueName('rw-late');
    const slow: TrafficSpec = { ...spec(fn, 0), candidate: null, weight: 0, stableDurationMs: 150_000 }; // 2.5 min production = 2.5 s local
    const delayMs = world.model.visibilityDelayMs(150_000);
    expect(delayMs).toBe(4000); // (150 s + 90 s) / 60
    const read = async () => {
      const out = await cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(Math.floor(started / 1000) * 1000 - 60_000),
          EndTime: new Date(Date.now() + 60_000),
          MetricDataQueries: [{ Id: 'inv', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: fn }] }, Period: 1, Stat: 'Sum' } }],
        }),
      );
      return out.MetricDataResults?.[0];
    };
    const started = Date.now();
    const traffic = world.traffic([slow], { tickMs: 500 });
    try {
      // The first tick (at +0.5 s) is stamped +0 s and arrives at +0.5 s + 4 s at the earliest.
      await sleep(1200);
      const early = await read();
      expect(early?.Values ?? []).toEqual([]);
      const visible = await waitFor(read, (r) => (r?.Values?.length ?? 0) > 0);
      const seenAt = Date.now();
      expect(visible?.Values?.length).toBeGreaterThan(0);
      const first = Math.min(...(visible!.Timestamps ?? []).map((t) => new Date(t).getTime()));
      // Stamped at the start of the first tick (moto's periods are whole seconds).
      expect(first).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
      expect(first).toBeLessThanOrEqual(started + 1500);
      expect(seenAt - first).toBeGreaterThanOrEqual(delayMs);
    } finally {
      await traffic.stop();
    }
  });
});

describe('the alarm evaluator', () => {
  it('an alarm of 3 evaluation periods and 3 datapoints to alarm goes ALARM only after three completed breaching periods, never on the tick of the errors', async () => {
    const fn = uniqueName('rw-three');
    const three = `${fn}-3of3`;
    const one = `${fn}-1of1`;
    await putAlarm(three, fn, { EvaluationPeriods: 3, DatapointsToAlarm: 3 });
    await putAlarm(one, fn, { EvaluationPeriods: 1, DatapointsToAlarm: 1 });
    const started = Date.now();
    const traffic = world.traffic([spec(fn, 0.2)], { tickMs: 500 });
    try {
      // Errors are written from the first tick on; the alarm must still be OK two periods later.
      await sleep(2000);
      expect(await state(three)).toBe('OK');
      const final = await waitFor(() => state(three), (s) => s === 'ALARM');
      expect(final).toBe('ALARM');
      const change = world.evaluator.changes.find((c) => c.alarmName === three && c.to === 'ALARM')!;
      const single = world.evaluator.changes.find((c) => c.alarmName === one && c.to === 'ALARM')!;
      // Even a one-period alarm waits for the ingestion delay and a completed period.
      expect(single.at - started).toBeGreaterThanOrEqual(world.model.visibilityDelayMs(120));
      expect(single.at).toBeLessThanOrEqual(change.at);
      // Ingestion (1.5 s) + three whole periods (3 s), less the first period's head start (< 1 s).
      expect(change.at - started).toBeGreaterThanOrEqual(3500);
      expect(change.reason).toMatch(/^Threshold Crossed: 3 out of the last 3 datapoints \[.+\] were greater than the threshold \(0\.0\) \(minimum 3 datapoints for OK -> ALARM transition\)\.$/);
      for (const [label, c] of [['1 of 1', single], ['3 of 3', change]] as const) {
        process.stdout.write(`realistic detection (${label}, 60 s periods, x60): first bad invocation -> ALARM ${c.at - started} ms local = ${((c.at - started) / 1000).toFixed(1)} production min\n`);
      }
    } finally {
      await traffic.stop();
    }
  });

  it('a quiet period: breaching goes ALARM, notBreaching stays OK, missing goes INSUFFICIENT_DATA', async () => {
    const fn = uniqueName('rw-quiet');
    await putAlarm(`${fn}-breaching`, fn, { TreatMissingData: 'breaching' });
    await putAlarm(`${fn}-notbreaching`, fn, { TreatMissingData: 'notBreaching' });
    await putAlarm(`${fn}-missing`, fn, { TreatMissingData: 'missing' });
    await world.evaluator.evaluateNow();
    expect(await state(`${fn}-breaching`)).toBe('ALARM');
    expect(await state(`${fn}-notbreaching`)).toBe('OK');
    expect(await state(`${fn}-missing`)).toBe('INSUFFICIENT_DATA');
    expect(world.evaluator.lastError()).toBeNull();
  });
});

describe('the simulator\'s and the demo\'s alarms on a quiet minute (F9)', () => {
  it('stay OK under the real evaluator: Errors has no data without traffic, and they treat missing data as notBreaching', async () => {
    const fn = uniqueName('rw-f9');
    const clients = testClients(world.motoEndpoint);
    try {
      await putErrorAlarm(clients, REGION, `${fn}-canary`, { function: fn, alias: 'live' }, 'OK');
      // The control: the same alarm treating missing data as breaching does go to ALARM.
      await putAlarm(`${fn}-control`, fn, { Threshold: 0, TreatMissingData: 'breaching' });
      // The demo's provisioning (its own account), alarms included.
      const svc = uniqueName('rwf9');
      const stage = await provisionStage(
        { endpoint: world.motoEndpoint, service: svc, alias: 'live', functions: [`${svc}-api`], stages: [{ name: 'prod', environment: 'prod', regions: [REGION] }], alarms: [`${svc}-high-severity`], code: handlerZip('f9') },
        0,
      );
      world.evaluator.watch(stage.credentials, [REGION], stage.accountId);
      await world.evaluator.evaluateNow();
      expect(await state(`${fn}-control`)).toBe('ALARM');
      expect(await state(`${fn}-canary`)).toBe('OK');
      const own = new CloudWatchClient({ region: REGION, endpoint: world.motoEndpoint, credentials: stage.credentials });
      try {
        const alarm = (await own.send(new DescribeAlarmsCommand({ AlarmNames: [`${svc}-high-severity`] }))).MetricAlarms?.[0];
        expect(alarm).toMatchObject({ TreatMissingData: 'notBreaching', StateValue: 'OK' });
      } finally {
        own.destroy();
      }
      expect(world.evaluator.changes.filter((c) => c.alarmName === `${fn}-canary` || c.alarmName === `${svc}-high-severity`)).toEqual([]);
    } finally {
      clients.destroy();
    }
  });

  it('the instant alarm rule belongs to the plain mode and is refused in realistic mode', () => {
    const clients = testClients(world.motoEndpoint);
    try {
      const s = spec('unused', 0);
      expect(() => startTraffic(clients, [s], { realistic: world.model, instantAlarms: [{ region: REGION, alarmName: 'x', target: s, threshold: 0.01 }] })).toThrow(/instantAlarms belong to the plain mode/);
    } finally {
      clients.destroy();
    }
  });
});

describe('DescribeAlarmHistory', () => {
  it('serves the state changes in CloudWatch shape, with filters and paging', async () => {
    const fn = uniqueName('rw-hist');
    const alarm = `${fn}-errors`;
    await putAlarm(alarm, fn, { TreatMissingData: 'breaching' });
    // From here on: the evaluator's own timer may have judged the new alarm between its creation and
    // putAlarm's SetAlarmState (a change of its own, in the history before this point).
    const before = new Date();
    await world.evaluator.evaluateNow(); // OK -> ALARM (quiet, breaching)
    const items = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: alarm, HistoryItemType: 'StateUpdate', StartDate: before }))).AlarmHistoryItems ?? [];
    expect(items).toHaveLength(1);
    const item = items[0]!;
    expect(item).toMatchObject({ AlarmName: alarm, AlarmType: 'MetricAlarm', HistoryItemType: 'StateUpdate', HistorySummary: 'Alarm updated from OK to ALARM' });
    expect(item.Timestamp).toBeInstanceOf(Date);
    expect(item.Timestamp!.getTime()).toBeGreaterThanOrEqual(before.getTime());
    const data = JSON.parse(item.HistoryData!) as { oldState: { stateValue: string; stateReason: string }; newState: { stateValue: string; stateReason: string } };
    expect(data.oldState).toEqual({ stateValue: 'OK', stateReason: 'test start' });
    expect(data.newState.stateValue).toBe('ALARM');
    expect(data.newState.stateReason).toMatch(/Threshold Crossed: 1 out of the last 1 datapoints \[\] was greater than the threshold \(0\.0\) \(1 missing datapoint treated as breaching\)/);

    // A state set by hand through the API is history too, as in CloudWatch.
    await cw.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'OK', StateReason: 'operator: false alarm' }));
    const manual = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: alarm, MaxRecords: 1 }))).AlarmHistoryItems?.[0];
    expect(manual?.HistorySummary).toBe('Alarm updated from ALARM to OK');
    expect(JSON.parse(manual!.HistoryData!)).toMatchObject({ oldState: { stateValue: 'ALARM' }, newState: { stateValue: 'OK', stateReason: 'operator: false alarm' } });

    // Volume for paging: 120 more items of another alarm in this account and region.
    const busy = `${fn}-busy`;
    const t0 = Date.now() - 200_000;
    for (let i = 0; i < 120; i++) {
      world.history.record('123456789012', REGION, { AlarmName: busy, AlarmType: 'MetricAlarm', Timestamp: new Date(t0 + i * 1000), HistoryItemType: 'StateUpdate', HistorySummary: `Alarm updated from ${i % 2 ? 'ALARM' : 'OK'} to ${i % 2 ? 'OK' : 'ALARM'}`, HistoryData: '{}' });
    }
    world.history.record('123456789012', REGION, { AlarmName: busy, AlarmType: 'MetricAlarm', Timestamp: new Date(t0), HistoryItemType: 'ConfigurationUpdate', HistorySummary: 'Alarm "x" updated', HistoryData: '{}' });
    const pages: number[] = [];
    const seen: Date[] = [];
    let token: string | undefined;
    do {
      const page = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: busy, HistoryItemType: 'StateUpdate', MaxRecords: 50, NextToken: token }));
      pages.push(page.AlarmHistoryItems?.length ?? 0);
      seen.push(...(page.AlarmHistoryItems ?? []).map((i) => i.Timestamp!));
      token = page.NextToken;
    } while (token);
    expect(pages).toEqual([50, 50, 20]);
    expect(seen.map((d) => d.getTime())).toEqual([...Array(120).keys()].map((i) => t0 + (119 - i) * 1000)); // newest first by default
    const ascending = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: busy, HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending', MaxRecords: 3 }));
    expect(ascending.AlarmHistoryItems?.map((i) => i.Timestamp!.getTime())).toEqual([t0, t0 + 1000, t0 + 2000]);
    const window = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: busy, StartDate: new Date(t0 + 10_000), EndDate: new Date(t0 + 14_000), MaxRecords: 100 }));
    expect(window.AlarmHistoryItems).toHaveLength(5);
    const config = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: busy, HistoryItemType: 'ConfigurationUpdate' }));
    expect(config.AlarmHistoryItems?.map((i) => i.HistorySummary)).toEqual(['Alarm "x" updated']);
    const composite = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: busy, AlarmTypes: ['CompositeAlarm'] }));
    expect(composite.AlarmHistoryItems).toEqual([]);
    // Without AlarmName: every alarm of the account and region (this one's item among them).
    const all = await cw.send(new DescribeAlarmHistoryCommand({ HistoryItemType: 'StateUpdate', StartDate: before, MaxRecords: 100 }));
    expect(all.AlarmHistoryItems?.some((i) => i.AlarmName === alarm)).toBe(true);

    // Wire code ValidationError; the SDK names it ValidationException.
    await expect(cw.send(new DescribeAlarmHistoryCommand({ AlarmName: busy, MaxRecords: 101 }))).rejects.toMatchObject({ name: expect.stringMatching(/^Validation/), message: expect.stringMatching(/'maxRecords' failed to satisfy constraint/) });
    await expect(cw.send(new DescribeAlarmHistoryCommand({ AlarmName: busy, NextToken: 'forged' }))).rejects.toMatchObject({ name: 'InvalidNextToken' });
    // Another region of the same account has none of it.
    const west = new CloudWatchClient({ region: 'us-west-1', endpoint: world.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    try {
      expect((await west.send(new DescribeAlarmHistoryCommand({ AlarmName: busy }))).AlarmHistoryItems).toEqual([]);
    } finally {
      west.destroy();
    }
  });
});
