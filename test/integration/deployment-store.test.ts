// The deployment store on moto's Parameter Store: written before the first shift, listed by the
// guardian's sweep (all pages), renewed and ended only by the deployment that owns the entry; and
// the stop-the-line check wave-deploy and alarm-check call before starting anything in a region.
import { afterAll, describe, expect, it } from '@jest/globals';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { StoreError, endLease, listInFlight, readDeployment, renewLease, storeContext, writeDeployment } from '../../packages/aws/src/deployment-store.js';
import type { DeploymentEntry } from '../../packages/core/src/guardian-entry.js';
import { stopTheLine } from '../../packages/guardian/src/stop-the-line.js';
import { startFaultProxy } from '../../packages/local/src/fault-proxy.js';
import { putErrorAlarm } from '../../packages/local/src/traffic.js';
import { callCounter, motoEndpoint, testClients, TEST_CREDENTIALS, uniqueName } from '../helpers/aws.js';

const clients = testClients();
afterAll(() => clients.destroy());
const REGION = 'eu-west-1';

function entry(service: string, overrides: Partial<DeploymentEntry> = {}): DeploymentEntry {
  return { service, stage: 'prod', wave: 'prod-1', alias: 'live', functions: [`${service}-api`], regions: [REGION, 'us-east-1'], alarms: [`${service}-5xx`, 'prefix:team-'], commit: 'abc123def456', run: '4242', lease: 1_800_000_600, at: 1_800_000_000, ...overrides };
}

describe('deployment store (SSM Parameter Store)', () => {
  it('writes one standard String parameter per deployment and region, and lists every page back', async () => {
    const path = `/sd-test/${uniqueName('store')}`;
    const counter = callCounter();
    const ctx = storeContext({ clients, path, onCall: counter.onCall });
    const services = Array.from({ length: 13 }, (_, i) => `svc${i}`);
    for (const s of services) expect(await writeDeployment(ctx, REGION, entry(s))).toEqual({ name: `${path}/live/${s}`, version: 1 });
    const ssm = new SSMClient({ region: REGION, endpoint: motoEndpoint(), credentials: TEST_CREDENTIALS });
    try {
      const stored = await ssm.send(new GetParameterCommand({ Name: `${path}/live/svc0` }));
      expect(stored.Parameter).toMatchObject({ Type: 'String', Value: expect.stringContaining('"sd":1') });
    } finally {
      ssm.destroy();
    }
    counter.reset();
    const listed = await listInFlight(ctx, REGION);
    expect(listed.map((l) => l.name)).toEqual(services.map((s) => `${path}/live/${s}`).sort());
    expect(listed.every((l) => l.ok)).toBe(true);
    expect(counter.count('GetParametersByPath')).toBe(2); // 10 per page
    expect(await listInFlight(ctx, 'ap-southeast-2')).toEqual([]); // per region
  });

  it('renews and ends only the deployment that owns the entry', async () => {
    const path = `/sd-test/${uniqueName('lease')}`;
    const ctx = storeContext({ clients, path });
    const mine = entry('orders');
    await writeDeployment(ctx, REGION, mine);
    expect(await renewLease(ctx, REGION, mine, 1_800_001_200)).toBe('renewed');
    expect(await readDeployment(ctx, REGION, mine)).toMatchObject({ ok: true, entry: { lease: 1_800_001_200, commit: 'abc123def456' } });

    // A newer release of the same service took the entry over: the older run neither renews nor ends it.
    const newer = entry('orders', { commit: 'fff000111222', run: '4300' });
    await writeDeployment(ctx, REGION, newer);
    expect(await renewLease(ctx, REGION, mine, 1_900_000_000)).toBe('other-deployment');
    expect(await endLease(ctx, REGION, mine)).toBe('other-deployment');
    expect(await readDeployment(ctx, REGION, mine)).toMatchObject({ entry: { commit: 'fff000111222', lease: 1_800_000_600 } });

    expect(await endLease(ctx, REGION, newer)).toBe('ended');
    expect(await readDeployment(ctx, REGION, newer)).toBeNull();
    expect(await endLease(ctx, REGION, newer)).toBe('missing');
    expect(await renewLease(ctx, REGION, newer, 1)).toBe('missing');
  });

  it('lists an unreadable parameter by name with its problem, never its text', async () => {
    const path = `/sd-test/${uniqueName('bad')}`;
    const ctx = storeContext({ clients, path });
    await writeDeployment(ctx, REGION, entry('good'));
    const ssm = new SSMClient({ region: REGION, endpoint: motoEndpoint(), credentials: TEST_CREDENTIALS });
    try {
      await ssm.send(new PutParameterCommand({ Name: `${path}/live/forged`, Type: 'String', Value: '{"sd":1,"alias":"x\\n::error::forged"}' }));
    } finally {
      ssm.destroy();
    }
    const listed = await listInFlight(ctx, REGION);
    expect(listed.map((l) => [l.name.split('/').pop(), l.ok])).toEqual([
      ['forged', false],
      ['good', true],
    ]);
    expect(JSON.stringify(listed[0])).not.toContain('::error');
  });

  it('refuses an entry that is not valid before any call, naming the field', async () => {
    const counter = callCounter();
    const ctx = storeContext({ clients, path: '/sd-test/refuse', onCall: counter.onCall });
    await expect(writeDeployment(ctx, REGION, entry('orders', { functions: [] }))).rejects.toThrow(/functions/);
    expect(counter.all()).toEqual({});
    expect(() => storeContext({ clients, path: 'no-slash' })).toThrow(/store path/);
  });

  it('rides out throttling with the SDK standard retries', async () => {
    const proxy = await startFaultProxy({ target: motoEndpoint() });
    const throttled = testClients(proxy.endpoint);
    try {
      const ctx = storeContext({ clients: throttled, path: `/sd-test/${uniqueName('throttle')}` });
      proxy.addRule({ operation: 'PutParameter', times: 2, fault: { kind: 'throttle' } });
      proxy.addRule({ operation: 'GetParametersByPath', times: 2, fault: { kind: 'status', status: 503 } });
      await writeDeployment(ctx, REGION, entry('orders'));
      expect((await listInFlight(ctx, REGION)).map((l) => l.ok)).toEqual([true]);
      expect(proxy.count('PutParameter')).toBe(3);
      expect(proxy.count('GetParametersByPath')).toBe(3);
    } finally {
      throttled.destroy();
      await proxy.close();
    }
  });

  it('names region, operation and parameter when Parameter Store fails', async () => {
    const broken = testClients('http://127.0.0.1:9', { maxAttempts: 1 });
    try {
      const error = await listInFlight(storeContext({ clients: broken, path: '/sd-test/x' }), REGION).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect(String((error as Error).message)).toMatch(/^Parameter Store GetParametersByPath of \/sd-test\/x in eu-west-1 failed/);
    } finally {
      broken.destroy();
    }
  });
});

describe('stopTheLine', () => {
  it('says stopped while a stop-the-line alarm fires in the region, or one is missing; not elsewhere', async () => {
    const name = uniqueName('team-sev1');
    await putErrorAlarm(clients, 'us-west-2', name, { function: 'team', alias: 'live' }, 'ALARM');
    await putErrorAlarm(clients, 'eu-central-1', name, { function: 'team', alias: 'live' }, 'OK');
    expect(await stopTheLine(clients, 'us-west-2', name)).toMatchObject({ stopped: true, firing: [expect.objectContaining({ name })] });
    expect(await stopTheLine(clients, 'eu-central-1', `${name}, prefix:${name.slice(0, -2)}`)).toMatchObject({ stopped: false });
    expect(await stopTheLine(clients, 'eu-central-1', `${name}, ${name}-gone`)).toMatchObject({ stopped: true, missing: [`${name}-gone`] });
    expect(await stopTheLine(clients, 'eu-central-1', '')).toMatchObject({ stopped: false });
  });
});
