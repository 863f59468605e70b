// Over real HTTP, counted at the fault proxy: one region's Lambda calls stay under 10 per second
// while another region runs alongside.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AwsClients } from '../../packages/aws/src/clients.js';
import { forEachTarget, lambdaContext, rollbackAlias, shiftTraffic, type AliasTarget } from '../../packages/aws/src/lambda.js';
import { startFaultProxy, type FaultProxy } from '../../packages/local/src/fault-proxy.js';
import { createAlias, createFunctions, createRole, motoEndpoint, publishVersion, testClients } from '../helpers/aws.js';

let proxy: FaultProxy;
let clients: AwsClients;

beforeAll(async () => {
  proxy = await startFaultProxy({ target: motoEndpoint() });
  clients = testClients(proxy.endpoint);
});
afterAll(async () => {
  clients.destroy();
  await proxy.close();
});

describe('per-region pacing', () => {
  it('keeps each region under 10 calls in any one-second window', async () => {
    const regions = ['us-east-2', 'ca-central-1'];
    const role = await createRole();
    const targets: AliasTarget[] = [];
    for (let i = 0; i < 6; i += 1) {
      const fns = await createFunctions({ regions, role, tag: 'p0' });
      for (const fn of fns) {
        const v1 = await publishVersion(fn, 'p1');
        await createAlias(fn, 'live', v1);
        await publishVersion(fn, 'p2');
        targets.push({ ...fn, alias: 'live' });
      }
    }
    const setup = lambdaContext({ clients });
    const armed = await forEachTarget(targets, (t) => shiftTraffic(setup, t, { candidate: '2', weight: 0.1, commit: 'pace', run: '1' }));
    expect(armed.every((o) => o.ok)).toBe(true);

    proxy.resetLog();
    const ctx = lambdaContext({ clients }); // a fresh limiter, as in a fresh action run
    const started = Date.now();
    const outcomes = await forEachTarget(targets, (t) => rollbackAlias(ctx, t, { to: 'previous', run: '2' }));
    const elapsed = Date.now() - started;
    expect(outcomes.every((o) => o.ok && o.value.wrote)).toBe(true);

    for (const region of regions) {
      const times = proxy.log.filter((l) => l.region === region).map((l) => l.at);
      expect(times).toHaveLength(18); // 6 aliases x (read, write, read back)
      const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
      expect(busiest).toBeLessThan(10);
    }
    // 18 calls at 8 per second per region need a second window, but the regions share no budget
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(6000);
  });
});
