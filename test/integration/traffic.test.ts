// The traffic simulator on moto: live per-version metrics and its stand-in for CloudWatch's alarm evaluator.
import { afterAll, describe, expect, it } from '@jest/globals';
import { readAlarmStates, readCandidateMetrics } from '../../packages/aws/src/cloudwatch.js';
import { putErrorAlarm, startTraffic, type TrafficSpec } from '../../packages/local/src/traffic.js';
import { testClients, uniqueName } from '../helpers/aws.js';

const clients = testClients();
afterAll(() => {
  clients.destroy();
});

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('startTraffic', () => {
  it('writes live candidate metrics and sets the rollback alarm when the error rate crosses the threshold, and back', async () => {
    const fn = uniqueName('sd-traffic');
    const alarm = uniqueName('sd-traffic-alarm');
    await putErrorAlarm(clients, 'us-west-2', alarm, { function: fn, alias: 'live' }, 'OK');
    const spec: TrafficSpec = { region: 'us-west-2', function: fn, alias: 'live', stable: '3', candidate: '4', weight: 0.1, perMinute: 6000, candidateErrorRate: 0.05 };
    const started = Date.now();
    const traffic = startTraffic(clients, [spec], { tickMs: 500, instantAlarms: [{ region: 'us-west-2', alarmName: alarm, target: spec, threshold: 0.01, windowMs: 1500 }] });
    try {
      const firing = await waitFor(
        () => readAlarmStates(clients, 'us-west-2', { names: [alarm], prefixes: [] }),
        (r) => r.alarms[0]?.state === 'ALARM',
      );
      expect(firing.alarms[0]?.state).toBe('ALARM');
      expect(firing.alarms[0]?.reason).toMatch(/simulated evaluator: candidate error rate \d+\.\d+% \(\d+\/\d+\) vs threshold 1.00%/);

      traffic.update({ ...spec, candidateErrorRate: 0 });
      const recovered = await waitFor(
        () => readAlarmStates(clients, 'us-west-2', { names: [alarm], prefixes: [] }),
        (r) => r.alarms[0]?.state === 'OK',
      );
      expect(recovered.alarms[0]?.state).toBe('OK');
    } finally {
      await traffic.stop();
    }
    expect(traffic.lastError()).toBeNull();
    const totals = traffic.totals()[`us-west-2/${fn}`];
    expect(totals?.['4']?.invocations).toBeGreaterThan(0);
    expect(totals?.['3']?.invocations).toBe(totals!['4']!.invocations * 9);
    const [sample] = await readCandidateMetrics(clients, 'us-west-2', [{ function: fn, alias: 'live', candidate: '4', stable: '3' }], { start: new Date(started - 60_000), end: new Date(Date.now() + 60_000) }, { stable: true });
    expect(sample?.candidate.invocations).toBe(totals?.['4']?.invocations);
    expect(sample?.candidate.errors).toBe(totals?.['4']?.errors);
  });
});
