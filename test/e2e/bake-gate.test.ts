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

// moto shows a metric the moment it is written, so these bakes pass a metrics-delay of 1s instead of
// the 3m default; the functions' own 3 s timeout (moto's default) is still waited out.
function bake(inputs: Record<string, string>, onLine?: (line: string) => void, endpoint = motoEndpoint()) {
  return runBundle('bake-gate', { 'poll-interval': '1s', 'min-invocations': '60', 'max-error-rate': '1%', mode: 'watch', 'metrics-delay': '1s', ...inputs }, endpoint, { onLine });
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
    expect(run.stdout).toMatch(/^poll 1 \| \d+m?s \/ 5s \| invocations us-east-1 \d+\/60( ✓)?, eu-west-1 \d+\/60( ✓)? \| alarms 2 OK \| errors 0 \(0%, max 1%\) \| settles \d\d:\d\d:\d\dZ$/m);
    expect(run.stdout).toMatch(/^poll \d+ .* \| settled to \d\d:\d\d:\d\dZ$/m);
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
    // started 11 minutes ago: its 10 minutes ended over a minute ago, so the window has settled already
    const since = new Date(Math.floor(now / 60_000) * 60_000 - 11 * 60_000);
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
      const inputs = { deployment: JSON.stringify(box.deployment), duration: '5m', 'min-invocations': '100', alarms: alarm, 'poll-interval': '1s', 'metrics-delay': '1s' };

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

describe('bake-gate and late data on moto (findings F4)', () => {
  it('fails a bake on errors that arrive after the duration ended, stamped inside the window', async () => {
    const alarm = uniqueName('sd-late');
    await createAlarms(clients, ['us-east-1'], alarm, 'OK');
    const box = await oneBox({ regions: ['us-east-1'], weight: 0.1, perMinute: 12_000 }); // 20 candidate invocations a second
    const start = Date.parse(box.deployment.shiftedAt);
    const traffic = startTraffic(clients, box.specs, { tickMs: 1000 });
    live.push(traffic);
    let wrote: Promise<unknown> | null = null;
    // duration 6s, function timeout 3s (moto's default), metrics-delay 4s: the window settles 13 s after the start
    const run = await bake({ deployment: JSON.stringify(box.deployment), duration: '6s', 'metrics-delay': '4s', alarms: alarm }, (line) => {
      // Two seconds after the duration ended, the invocations of its last seconds report in: half
      // of them failed, and their metrics are stamped when they started, inside the window.
      if (wrote === null && /^poll \d+ \| (8s|9s|1\ds) \/ 6s /.test(line)) {
        wrote = writeTraffic(clients, box.specs.map((spec) => ({ ...spec, candidateErrorRate: 0.5 })), { from: new Date(start + 2000), to: new Date(start + 5000), stepMs: 1000 });
      }
    });
    await traffic.stop();
    expect(wrote).not.toBeNull();
    await wrote;
    expect(run.outputs.result).toBe('metric-breach');
    expect(run.stdout).toMatch(/bake-gate result: metric-breach: error rate [\d.]+% \(\d+\/\d+\) of sd-bake-\w+:live v2 in us-east-1 is above 1%/);
    expect(run.code).not.toBe(0);
  });

  it('holds a healthy bake until duration + the longest function timeout + metrics-delay, and says when the window settled', async () => {
    const alarm = uniqueName('sd-settle');
    await createAlarms(clients, ['us-east-1'], alarm, 'OK');
    const box = await oneBox({ regions: ['us-east-1'], weight: 0.1, perMinute: 12_000, timeoutSeconds: 6 });
    const traffic = startTraffic(clients, box.specs, { tickMs: 1000 });
    live.push(traffic);
    const run = await bake({ deployment: JSON.stringify(box.deployment), duration: '4s', 'metrics-delay': '3s', alarms: alarm });
    await traffic.stop();
    expect(run.outputs.result).toBe('baked');
    expect(run.code).toBe(0);
    // 4 s + 6 s + 3 s = 13 s after the shift; generous margins on a shared machine
    const settled = Date.parse(box.deployment.shiftedAt) + 13_000;
    expect(run.exitedAt).toBeGreaterThanOrEqual(settled);
    expect(run.exitedAt - settled).toBeLessThan(20_000);
    expect(run.stdout).toMatch(/the window settles at \S+Z \(duration end \+ longest function timeout 6s \+ metrics-delay 3s\)/);
    expect(run.stdout).toMatch(/bake-gate result: baked: baked for \d+s with \d+ invocations in us-east-1 \(window settled at \S+Z; judged on data stamped up to \S+Z, read at \S+Z/);
    expect(run.summary).toMatch(/it settled at \*\*\S+Z\*\* \(duration end \+ longest function timeout 6s \+ metrics-delay 3s/);
    expect(run.summary).toMatch(/Longest function timeout 6s \(sd-bake-\w+:2 in us-east-1\)/);
    expect(run.summary).toContain('Alias throttles (all versions)');
    expect(run.summary).not.toMatch(/\| 0 throttles/);
  });
});

describe('bake-gate and foreign text (security I2, L5)', () => {
  it('prints a forged StateReason on one line, without workflow commands, and escapes it in the summary', async () => {
    const alarm = uniqueName('sd-inject');
    await createAlarms(clients, ['us-east-1'], alarm, 'OK');
    const reason = 'Threshold crossed\n::error title=Bake passed::forged-by-alarm-reason\n::stop-commands::q \\| [link](https://example.invalid)';
    await setAlarmState(clients, 'us-east-1', alarm, 'ALARM', reason);
    const box = await oneBox({ regions: ['us-east-1'] });
    const run = await bake({ deployment: JSON.stringify(box.deployment), duration: '10s', alarms: alarm });
    expect(run.outputs.result).toBe('alarm');
    expect(run.stdout).not.toMatch(/^::error title=Bake passed/m);
    expect(run.stdout).not.toMatch(/^::stop-commands::/m);
    expect(run.stdout).toMatch(/^::error::bake-gate alarm: alarm firing: sd-inject-\w+ \(us-east-1: ALARM - Threshold crossed : :error title=Bake passed: :forged-by-alarm-reason : :stop-commands: :q/m);
    // in the table, `\|` cannot end the cell early: the backslash and the bar are both escaped
    const row = run.summary.split('\n').find((l) => l.includes('**ALARM**')) ?? '';
    expect(row).toContain('q \\\\\\| [link]');
    expect(row.split(/(?<!\\)\|/).length).toBe(6); // | region | alarm | state | reason |
  });
});

describe('bake-gate verify mode within the DescribeAlarmHistory quota (findings F3)', () => {
  it('verifies 30 alarms against a 3-per-second quota and finishes healthy', async () => {
    const { startHistoryStub } = await import('./alarm-history-stub.js');
    const prefix = uniqueName('sd-quota');
    const names = Array.from({ length: 30 }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);
    await Promise.all(names.map((name) => createAlarms(clients, ['us-east-1'], name, 'OK')));
    const since = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 12 * 60_000);
    const box = await oneBox({ regions: ['us-east-1'], weight: 0.1, perMinute: 1200, shiftedAt: since });
    await writeTraffic(clients, box.specs, { from: since, to: new Date(since.getTime() + 10 * 60_000) });
    // Every alarm went from INSUFFICIENT_DATA to OK after the shift; another team's alarm fired.
    const history = [
      ...names.map((alarmName, i) => ({ alarmName, at: new Date(since.getTime() + 60_000 + i * 1000), from: 'INSUFFICIENT_DATA' as const, to: 'OK' as const })),
      { alarmName: 'payments-errors', at: new Date(since.getTime() + 120_000), from: 'OK' as const, to: 'ALARM' as const },
    ];
    const stub = await startHistoryStub({ target: motoEndpoint(), history: () => history });
    try {
      const run = await bake({ deployment: JSON.stringify(box.deployment), duration: '10m', mode: 'verify', 'min-invocations': '100', alarms: `prefix:${prefix}-` }, undefined, stub.endpoint);
      expect(run.stdout).not.toMatch(/Throttling/);
      expect(run.outputs.result).toBe('baked');
      expect(run.summary).toContain('bake-gate (verify): baked');
      expect(run.summary).toMatch(new RegExp(`${prefix}-00 \\(us-east-1\\) → OK at`));
      expect(run.summary).not.toContain('payments-errors');
      expect(stub.calls.filter((c) => c.throttled)).toHaveLength(0);
      expect(stub.calls.every((c) => c.alarmName === null)).toBe(true);
    } finally {
      await stub.close();
    }
  });
});
