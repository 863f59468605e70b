// bake-gate's bundle against moto: the traffic simulator writes a one-box's per-version metrics at
// 10%, the bundle watches them (and the alarms) the way it would in a workflow.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTraffic, type LiveTraffic } from '../../packages/local/src/traffic.js';
import { motoEndpoint, testClients, uniqueName } from '../helpers/aws.js';
import { createAlarms, oneBox, setAlarmState, writeTraffic } from '../helpers/cloudwatch.js';
import { runBundle } from './bake-harness.js';

const clients = testClients();
const regions = ['us-east-1', 'eu-west-1'];
const live: LiveTraffic[] = [];

afterAll(async () => {
  for (const traffic of live) await traffic.stop();
  clients.destroy();
});

function bake(inputs: Record<string, string>, onLine?: (line: string) => void) {
  return runBundle('bake-gate', { 'poll-interval': '1s', 'min-invocations': '60', 'max-error-rate': '1%', mode: 'watch', ...inputs }, motoEndpoint(), { onLine });
}

describe('bake-gate bundle on moto', () => {
  let alarm: string;
  beforeAll(async () => {
    alarm = uniqueName('sd-bake-rollback');
    await createAlarms(clients, regions, alarm, 'OK');
  });

  it('bakes a healthy one-box at 10% once the duration and the traffic are there', async () => {
    const box = await oneBox({ regions, weight: 0.1, perMinute: 12_000 }); // 20 candidate invocations a second
    const traffic = startTraffic(clients, box.specs, { tickMs: 1000 });
    live.push(traffic);
    const run = await bake({ deployment: JSON.stringify(box.deployment), duration: '5s', alarms: alarm });
    await traffic.stop();
    expect(run.stderr).not.toMatch(/::error/);
    expect(run.outputs.result).toBe('baked');
    expect(run.code).toBe(0);
    const invocations = JSON.parse(run.outputs.invocations ?? '{}') as Record<string, number>;
    expect(Object.keys(invocations).sort()).toEqual(['eu-west-1', 'us-east-1']);
    for (const n of Object.values(invocations)) expect(n).toBeGreaterThanOrEqual(60);
    // a progress line per poll: elapsed / required, invocations / required per region, alarms
    expect(run.stdout).toMatch(/^poll 1 \| \d+m?s \/ 5s \| invocations us-east-1 \d+\/60( ✓)?, eu-west-1 \d+\/60( ✓)? \| alarms 2 OK \| errors 0/m);
    expect(run.summary).toContain('bake-gate (watch): baked');
    expect(run.summary).toContain('xychart-beta');
    expect(run.summary).toMatch(/\| us-east-1 \| sd-bake-\w+ \| v1 → v2 \| 10% \|/);
  });

  it('fails a candidate with a 5% error rate as metric-breach', async () => {
    const box = await oneBox({ regions, weight: 0.1, perMinute: 12_000, candidateErrorRate: 0.05 });
    const traffic = startTraffic(clients, box.specs, { tickMs: 1000 });
    live.push(traffic);
    const run = await bake({ deployment: JSON.stringify(box.deployment), duration: '60s', alarms: alarm });
    await traffic.stop();
    expect(run.outputs.result).toBe('metric-breach');
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(/bake-gate result: metric-breach: error rate 5% \(\d+\/\d+\) of sd-bake-\w+:live v2 in (us-east-1|eu-west-1) is above 1%/);
    expect(run.stdout).toMatch(/^::error::bake-gate metric-breach/m);
    expect(run.summary).toContain('gh workflow run rollback.yml -f environment=gamma -f regions=us-east-1,eu-west-1 -f version=1');
    expect(run.ms).toBeLessThan(30_000);
  });

  it('ends within one poll interval when a rollback alarm goes to ALARM mid-bake', async () => {
    const box = await oneBox({ regions, weight: 0.1, perMinute: 12_000 });
    const firing = uniqueName('sd-bake-midway');
    await createAlarms(clients, regions, firing, 'OK');
    const traffic = startTraffic(clients, box.specs, { tickMs: 1000 });
    live.push(traffic);
    let setAt = 0;
    const run = await bake({ deployment: JSON.stringify(box.deployment), duration: '2m', alarms: `${alarm}\nprefix:${firing}`, 'poll-interval': '2s' }, (line) => {
      if (line.startsWith('poll 2 ') && setAt === 0) {
        setAt = -1;
        void setAlarmState(clients, 'eu-west-1', firing, 'ALARM', 'Threshold Crossed: 3 errors').then(() => {
          setAt = Date.now();
        });
      }
    });
    await traffic.stop();
    expect(run.outputs.result).toBe('alarm');
    expect(run.stdout).toMatch(new RegExp(`alarm firing: ${firing} \\(eu-west-1: ALARM - Threshold Crossed: 3 errors\\)`));
    expect(setAt).toBeGreaterThan(0);
    expect(run.exitedAt - setAt).toBeLessThanOrEqual(2000 + 1000);
  });

  it('fails as insufficient-traffic when the candidate gets too little traffic by max-wait', async () => {
    const box = await oneBox({ regions: ['us-east-1'], weight: 0.1, perMinute: 60 }); // 6 candidate invocations a minute
    const now = Date.now();
    await writeTraffic(clients, box.specs, { from: new Date(now - 60_000), to: new Date(now) });
    const run = await bake({ deployment: JSON.stringify(box.deployment), duration: '2s', 'max-wait': '4s', alarms: alarm });
    expect(run.outputs.result).toBe('insufficient-traffic');
    expect(run.stdout).toMatch(/too little traffic: us-east-1 \d\/60/);
    expect(run.code).not.toBe(0);
  });

  it('verify mode judges a window that is already over', async () => {
    const now = Date.now();
    const since = new Date(Math.floor(now / 60_000) * 60_000 - 10 * 60_000);
    const box = await oneBox({ regions, weight: 0.1, perMinute: 1200, shiftedAt: since });
    await writeTraffic(clients, box.specs, { from: since, to: new Date(since.getTime() + 10 * 60_000) });
    const run = await bake({ deployment: JSON.stringify(box.deployment), duration: '10m', mode: 'verify', 'min-invocations': '1000' });
    expect(run.outputs.result).toBe('baked');
    expect(JSON.parse(run.outputs.invocations ?? '{}')).toEqual({ 'us-east-1': 1200, 'eu-west-1': 1200 });
    expect(run.summary).toContain('bake-gate (verify): baked');
    expect(run.stdout.match(/^poll \d/gm)).toHaveLength(1);
  });

  it('refuses bad input before any AWS call, naming the input', async () => {
    const box = await oneBox({ regions: ['us-east-1'] });
    const run = await runBundle('bake-gate', { deployment: JSON.stringify(box.deployment), duration: '10m', 'min-invocations': '0' }, 'http://127.0.0.1:9');
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(/::error::bake-gate: input min-invocations: "0" is not a whole number of at least 1/);
    const broken = await runBundle('bake-gate', { deployment: '{"format":1}', duration: '10m' }, 'http://127.0.0.1:9');
    expect(broken.stdout).toMatch(/::error::bake-gate: input deployment: not a safe-deploy deployment/);
  });
});

describe('bake-gate verify mode on moto, which lacks DescribeAlarmHistory', () => {
  it('fails closed when the alarm history cannot be read', async () => {
    const alarm = uniqueName('sd-verify');
    await createAlarms(clients, ['us-east-1'], alarm, 'OK');
    const since = new Date(Date.now() - 10 * 60_000);
    const box = await oneBox({ regions: ['us-east-1'], shiftedAt: since });
    const run = await bake({ deployment: JSON.stringify(box.deployment), duration: '10m', mode: 'verify', alarms: alarm });
    expect(run.outputs.result).toBe('alarm');
    expect(run.stdout).toMatch(/monitoring failed, so the bake fails closed: CloudWatch DescribeAlarmHistory in us-east-1 failed/);
  });
});

describe('bake-gate bundle behind the fault proxy', () => {
  it('rides out brief throttling through the SDK retries, and fails closed when it persists', async () => {
    const { startFaultProxy } = await import('../../packages/local/src/fault-proxy.js');
    const proxy = await startFaultProxy({ target: motoEndpoint() });
    try {
      const alarm = uniqueName('sd-throttle');
      await createAlarms(clients, ['us-east-1'], alarm, 'OK');
      const since = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000);
      const box = await oneBox({ regions: ['us-east-1'], perMinute: 1200, shiftedAt: since });
      await writeTraffic(clients, box.specs, { from: since, to: new Date(since.getTime() + 5 * 60_000) });
      const inputs = { deployment: JSON.stringify(box.deployment), duration: '5m', 'min-invocations': '100', alarms: alarm, 'poll-interval': '1s' };

      proxy.addRule({ operation: 'DescribeAlarms', times: 2, fault: { kind: 'throttle' } });
      proxy.addRule({ operation: 'GetMetricData', times: 1, fault: { kind: 'status', status: 503 } });
      const brief = await runBundle('bake-gate', inputs, proxy.endpoint);
      expect(brief.outputs.result).toBe('baked');
      expect(proxy.log.filter((r) => r.fault !== null)).toHaveLength(3);

      proxy.clearRules();
      proxy.addRule({ operation: 'DescribeAlarms', fault: { kind: 'throttle' } });
      const storm = await runBundle('bake-gate', inputs, proxy.endpoint);
      expect(storm.outputs.result).toBe('alarm');
      expect(storm.stdout).toMatch(/monitoring failed, so the bake fails closed: CloudWatch DescribeAlarms in us-east-1 failed: Throttling: Rate exceeded \(throttled past the SDK retries\)/);
      expect(storm.code).not.toBe(0);
    } finally {
      await proxy.close();
    }
  });
});
