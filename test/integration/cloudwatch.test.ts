// The CloudWatch adapter over real HTTP against moto, in two regions.
import { afterAll, describe, expect, it } from '@jest/globals';
import { newCallCounter, readAlarmStates, readCandidateMetrics } from '../../packages/aws/src/cloudwatch.js';
import { parseAlarmRefs } from '../../packages/core/src/alarms.js';
import { testClients, uniqueName } from '../helpers/aws.js';
import { createAlarms, setAlarmState, writeTraffic } from '../helpers/cloudwatch.js';

const clients = testClients();
const regions = ['us-east-1', 'eu-west-1'];

afterAll(() => {
  clients.destroy();
});

describe('alarm states on moto', () => {
  it('reads alarms by name and by prefix in two regions and reports a missing name', async () => {
    const prefix = uniqueName('sd-cw');
    await createAlarms(clients, regions, `${prefix}-errors`, 'OK');
    await createAlarms(clients, regions, `${prefix}-latency`, 'OK');
    await createAlarms(clients, ['eu-west-1'], `${prefix}-only-west`, 'OK');
    await setAlarmState(clients, 'eu-west-1', `${prefix}-latency`, 'ALARM', 'p99 above 800ms');

    const byName = parseAlarmRefs([`${prefix}-errors`, `${prefix}-only-west`]);
    const counter = newCallCounter();
    const east = await readAlarmStates(clients, 'us-east-1', byName, counter);
    expect(east.alarms.map((a) => [a.name, a.state])).toEqual([[`${prefix}-errors`, 'OK']]);
    expect(east.missing).toEqual([`${prefix}-only-west`]);
    expect(counter.describeAlarms).toBe(1);

    const byPrefix = parseAlarmRefs([`prefix:${prefix}-`]);
    const west = await readAlarmStates(clients, 'eu-west-1', byPrefix);
    expect(west.alarms.map((a) => [a.name, a.kind, a.state])).toEqual([
      [`${prefix}-errors`, 'metric', 'OK'],
      [`${prefix}-latency`, 'metric', 'ALARM'],
      [`${prefix}-only-west`, 'metric', 'OK'],
    ]);
    expect(west.alarms.find((a) => a.state === 'ALARM')?.reason).toBe('p99 above 800ms');
    expect(west.missing).toEqual([]);

    const none = await readAlarmStates(clients, 'us-east-1', parseAlarmRefs([`prefix:${prefix}-nothing`]));
    expect(none.missing).toEqual([`prefix:${prefix}-nothing`]);
  });
});

describe('candidate metrics on moto', () => {
  it('counts only the candidate version (ExecutedVersion), per region, in one GetMetricData call per region', async () => {
    const fn = uniqueName('sd-metrics');
    const to = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const from = new Date(to.getTime() - 10 * 60_000);
    const specs = regions.map((region, i) => ({
      region,
      function: fn,
      alias: 'live',
      stable: '1',
      candidate: '2',
      weight: 0.1,
      perMinute: 1000 * (i + 1),
      candidateErrorRate: 0.05,
      stableErrorRate: 0.001,
    }));
    const written = await writeTraffic(clients, specs, { from, to });
    expect(written[`us-east-1/${fn}`]).toEqual({ '1': { invocations: 9000, errors: 9 }, '2': { invocations: 1000, errors: 50 } });

    const counter = newCallCounter();
    const window = { start: new Date(from.getTime() - 60_000), end: new Date(to.getTime() + 60_000) };
    const [east] = await readCandidateMetrics(clients, 'us-east-1', [{ function: fn, alias: 'live', candidate: '2', stable: '1' }], window, { stable: true }, counter);
    const [west] = await readCandidateMetrics(clients, 'eu-west-1', [{ function: fn, alias: 'live', candidate: '2', stable: '1' }], window, { stable: true }, counter);
    expect(counter.getMetricData).toBe(2);
    // Exactly the candidate's numbers: moto matches the ExecutedVersion/Resource dimensions exactly,
    // so neither the alias-level nor the function-level series (10,000 a region) leak in.
    expect(east?.candidate).toMatchObject({ version: '2', invocations: 1000, errors: 50, p99Ms: null });
    expect(east?.stable).toMatchObject({ version: '1', invocations: 9000, errors: 9 });
    expect(west?.candidate).toMatchObject({ invocations: 2000, errors: 100 });
    expect(east?.candidate.points.reduce((n, p) => n + p.invocations, 0)).toBe(1000);

    // Another alias of the same function is not counted.
    const [other] = await readCandidateMetrics(clients, 'us-east-1', [{ function: fn, alias: 'canary', candidate: '2', stable: null }], window);
    expect(other?.candidate.invocations).toBe(0);
  });
});
