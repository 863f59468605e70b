// The guardian wired into the pipeline (issue 14, second slice), through the real bundles on moto:
// - wave-deploy writes the deployment store entry (regions, functions, alarms, commit, run, lease)
//   before its first shift, and shifts nothing when that write fails;
// - while a stop-the-line alarm (SAFE_DEPLOY_STOP_ALARMS) fires in a region, wave-deploy and
//   alarm-check start nothing there; rollback is not held;
// - a watching bake-gate renews the lease every lease/3 (not every poll), the wave's last bake ends it
//   when it passes, a bake before a promotion (final: false) and a failed bake leave it;
// - the entry wave-deploy wrote is what the guardian acts on.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDeployment, storeContext, writeDeployment } from '../../packages/aws/src/deployment-store.js';
import type { Deployment } from '../../packages/core/src/deployment.js';
import { motoEnv } from '../../packages/local/src/moto.js';
import { startFaultProxy, type FaultProxy } from '../../packages/local/src/fault-proxy.js';
import { startTraffic, type LiveTraffic } from '../../packages/local/src/traffic.js';
import { handlerZip } from '../../packages/local/src/zip.js';
import { createAlias, createFunctions, createRole, getAlias, listVersions, motoEndpoint, publishVersion, testClients, uniqueName, type TestFunction } from '../helpers/aws.js';
import { createAlarms, oneBox, setAlarmState } from '../helpers/cloudwatch.js';
import { runBundle as runBake } from './bake-harness.js';
import { alarmEvent, ensureGuardianBundle, invokeGuardian } from './guardian-harness.js';
import { runBundle } from './wave-deploy-harness.js';

const REGION = 'us-east-1';
const clients = testClients();
const dir = mkdtempSync(join(tmpdir(), 'sd-e2e-gpipe-'));
const live: LiveTraffic[] = [];
let role: string;

function zip(tag: string): string {
  const path = join(dir, `${tag}.zip`);
  writeFileSync(path, handlerZip(tag));
  return path;
}

function storePath(): string {
  return `/safe-deploy/${uniqueName('t')}`;
}

async function service(regions: readonly string[] = [REGION]): Promise<TestFunction[]> {
  const fns = await createFunctions({ regions: [...regions], role, name: uniqueName('sd-gp'), tag: 'v1' });
  for (const fn of fns) await createAlias(fn, 'live', await publishVersion(fn, 'v1', 'from infrastructure code'));
  return fns;
}

async function aliasState(fn: TestFunction) {
  const alias = await getAlias(fn, 'live');
  return { version: alias.FunctionVersion, weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {}, description: alias.Description ?? '' };
}

beforeAll(async () => {
  role = await createRole();
  ensureGuardianBundle();
});

afterAll(async () => {
  for (const traffic of live) await traffic.stop();
  clients.destroy();
});

describe('wave-deploy writes the deployment store entry before its first shift', () => {
  it('a one-box writes regions, functions, alarms, commit, run and lease in each region, and hands leaseSeconds on', async () => {
    const regions = ['us-east-1', 'eu-west-1'];
    const fns = await service(regions);
    const name = fns[0]!.functionName;
    const alarm = uniqueName('gp-own');
    await createAlarms(clients, regions, alarm, 'OK');
    const path = storePath();
    const before = Math.floor(Date.now() / 1000);
    const result = await runBundle(
      'wave-deploy',
      { functions: name, regions: regions.join(','), alias: 'live', 'zip-file': zip(`v2-${name}`), traffic: '10%', alarms: alarm, lease: '20m' },
      { ...motoEnv(motoEndpoint()), SAFE_DEPLOY_STORE_PATH: path },
    );
    expect(result.errors).toEqual([]);
    expect(result.code).toBe(0);
    const deployment = JSON.parse(result.outputs.deployment ?? '{}') as Deployment;
    expect(deployment.leaseSeconds).toBe(1200);
    const store = storeContext({ clients, path });
    for (const region of regions) {
      const listed = await readDeployment(store, region, { alias: 'live', service: null, functions: [name] });
      expect(listed).toMatchObject({ ok: true, name: `${path}/live/${name}` });
      if (!listed?.ok) throw new Error('no entry');
      expect(listed.entry).toMatchObject({ alias: 'live', functions: [name], regions, alarms: [alarm], commit: 'c0ffee000000', run: '4242', service: null });
      expect(listed.entry.lease).toBeGreaterThanOrEqual(before + 1200);
      expect(listed.entry.lease).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 1200);
      expect(result.stdout).toContain(`deployment store: ${path}/live/${name} in ${region} written`);
    }

    // The guardian of us-east-1 finds the deployment through that entry alone.
    await setAlarmState(clients, 'us-east-1', alarm, 'ALARM', 'Threshold crossed');
    const run = await invokeGuardian(alarmEvent('us-east-1', alarm, 'ALARM'), { endpoint: motoEndpoint(), region: 'us-east-1', env: { SAFE_DEPLOY_STORE_PATH: path } });
    expect(run.lines.filter((l) => l.kind === 'decision' && l.action === 'rollback')).toHaveLength(1);
    const east = await aliasState(fns.find((f) => f.region === 'us-east-1')!);
    expect({ version: east.version, weights: east.weights }).toEqual({ version: '1', weights: {} });
  });

  it('a failed store write shifts nothing and names the write', async () => {
    const [fn] = await service();
    const proxy: FaultProxy = await startFaultProxy({ target: motoEndpoint(), rules: [{ operation: 'PutParameter', fault: { kind: 'error', status: 400, code: 'AccessDeniedException', message: 'not allowed' } }] });
    try {
      const before = await aliasState(fn!);
      const result = await runBundle(
        'wave-deploy',
        { functions: fn!.functionName, regions: REGION, alias: 'live', 'zip-file': zip(`v2-${fn!.functionName}`), traffic: '10%' },
        { ...motoEnv(proxy.endpoint), SAFE_DEPLOY_STORE_PATH: storePath() },
      );
      expect(result.code).toBe(1);
      const error = result.errors.join('\n');
      expect(error).toContain('writing the deployment store entry (Parameter Store, what the guardian watches) failed, so no traffic was shifted');
      expect(error).toMatch(/PutParameter of \/safe-deploy\/t-\S+\/live\/sd-gp\S* in us-east-1 failed: AccessDeniedException/);
      expect(await aliasState(fn!)).toEqual(before);
      expect(proxy.count('UpdateAlias')).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('rejects a lease shorter than 3m before touching AWS, naming the input', async () => {
    const [fn] = await service();
    const result = await runBundle('wave-deploy', { functions: fn!.functionName, regions: REGION, alias: 'live', 'zip-file': zip(`v2b-${fn!.functionName}`), traffic: '10%', lease: '1m' }, motoEnv('http://127.0.0.1:9'));
    expect(result.code).toBe(1);
    expect(result.errors.join('\n')).toMatch(/^input lease: 1m is shorter than 3m/);
  });
});

describe('stop-the-line: SAFE_DEPLOY_STOP_ALARMS', () => {
  it('wave-deploy and alarm-check start nothing in a region where one fires; the other region and rollback are not held', async () => {
    const stop = uniqueName('gp-stop');
    await createAlarms(clients, ['us-east-1', 'eu-west-1'], stop, 'OK');
    await setAlarmState(clients, 'eu-west-1', stop, 'ALARM', 'Sev2 page');
    const [fn] = await service(['eu-west-1']);
    const path = storePath();
    const before = await aliasState(fn!);
    const versions = await listVersions(fn!);
    const env = { ...motoEnv(motoEndpoint()), SAFE_DEPLOY_STORE_PATH: path, SAFE_DEPLOY_STOP_ALARMS: `prefix:${stop}` };
    const result = await runBundle('wave-deploy', { functions: fn!.functionName, regions: 'eu-west-1', alias: 'live', 'zip-file': zip(`v2-${fn!.functionName}`), traffic: '10%' }, env);
    expect(result.code).toBe(1);
    expect(result.errors.join('\n')).toContain(`stop-the-line in eu-west-1: ${stop} in ALARM; nothing starts there until it clears`);
    expect(await aliasState(fn!)).toEqual(before);
    expect(await listVersions(fn!)).toEqual(versions);
    expect(await readDeployment(storeContext({ clients, path }), 'eu-west-1', { alias: 'live', service: null, functions: [fn!.functionName] })).toBeNull();

    const check = await runBake('alarm-check', { alarms: 'some-alarm-that-is-not-read', regions: 'us-east-1,eu-west-1' }, motoEndpoint(), { env: { SAFE_DEPLOY_STOP_ALARMS: `prefix:${stop}` } });
    expect(check.outputs.state).toBe('STOPPED');
    expect(check.stdout).toContain(`stop-the-line in eu-west-1: ${stop} in ALARM`);
    expect(check.stdout).not.toContain('stop-the-line in us-east-1');
    const ok = await runBake('alarm-check', { alarms: stop, regions: 'us-east-1', 'bypass-reason': '' }, motoEndpoint(), { env: { SAFE_DEPLOY_STOP_ALARMS: `prefix:${stop}` } });
    expect(ok.outputs.state).toBe('OK');

    // Rollback ignores stop-the-line: a one-box put there before the alarm goes back.
    const box = await oneBox({ regions: ['eu-west-1'], weight: 0.1 });
    const back = await runBundle('rollback', { deployment: JSON.stringify(box.deployment) }, { ...env });
    expect(back.code).toBe(0);
  });
});

describe('bake-gate keeps the lease', () => {
  async function leased(path: string, leaseSeconds: number) {
    const box = await oneBox({ regions: [REGION], weight: 0.1, perMinute: 12_000 });
    const deployment: Deployment = { ...box.deployment, leaseSeconds };
    const store = storeContext({ clients, path });
    const now = Math.floor(Date.now() / 1000);
    const entry = {
      service: deployment.service ?? null,
      stage: deployment.stage ?? null,
      wave: deployment.wave ?? null,
      alias: deployment.alias,
      functions: deployment.targets.map((t) => t.function),
      regions: [REGION],
      alarms: [],
      commit: deployment.commit,
      run: deployment.run,
      lease: now + leaseSeconds,
      at: now,
    };
    await writeDeployment(store, REGION, entry);
    const traffic = startTraffic(clients, box.specs, { tickMs: 1000 });
    live.push(traffic);
    return { deployment, store, entry, traffic, key: { alias: entry.alias, service: entry.service, functions: entry.functions } };
  }

  const inputs = (deployment: Deployment, extra: Record<string, string> = {}) => ({
    deployment: JSON.stringify(deployment),
    duration: '5s',
    'poll-interval': '1s',
    'min-invocations': '60',
    'metrics-delay': '1s',
    ...extra,
  });

  it('renews every lease/3 while it watches (not every poll); the last bake of a one-box parks the entry (no lease, still watched)', async () => {
    const path = storePath();
    const fx = await leased(path, 6);
    const run = await runBake('bake-gate', inputs(fx.deployment), motoEndpoint(), { env: { SAFE_DEPLOY_STORE_PATH: path } });
    await fx.traffic.stop();
    expect(run.outputs.result).toBe('baked');
    expect(run.code).toBe(0);
    const renewals = run.stdout.split('\n').filter((l) => l.startsWith(`lease renewed in ${REGION}`)).length;
    const polls = run.stdout.split('\n').filter((l) => /^poll \d+ /.test(l)).length;
    expect(renewals).toBeGreaterThanOrEqual(2);
    expect(renewals).toBeLessThan(polls);
    expect(run.stdout).toContain(`lease parked in ${REGION}`);
    expect(run.stdout).toMatch(/^transition us-east-1 \S+:live: baking \(2 at 10%, stable 1\) -> baking, parked/m);
    expect(run.summary).toContain('its store entry stays with no lease');
    // The 10% candidate stays watched on its alarms until the next wave takes the entry over.
    const parked = await readDeployment(fx.store, REGION, fx.key);
    expect(parked).toMatchObject({ ok: true, entry: { commit: fx.entry.commit.slice(0, 12), run: fx.entry.run, lease: null } });
  });

  it('the last bake of a promoted wave ends the lease: verifying -> at rest', async () => {
    const path = storePath();
    const fx = await leased(path, 600);
    const targets = fx.deployment.targets.map((t) => {
      const record = JSON.parse(t.record) as Record<string, unknown>;
      return { ...t, weight: 1, record: JSON.stringify({ ...record, w: 1, st: 'promoted' }) };
    });
    const promoted: Deployment = { ...fx.deployment, traffic: 1, targets };
    const run = await runBake('bake-gate', inputs(promoted, { 'min-invocations': '1' }), motoEndpoint(), { env: { SAFE_DEPLOY_STORE_PATH: path } });
    await fx.traffic.stop();
    expect(run.outputs.result).toBe('baked');
    expect(run.stdout).toContain(`lease ended in ${REGION}`);
    expect(run.stdout).toMatch(/^transition us-east-1 \S+:live: verifying \(promoted 2, stable 1 kept\) -> at-rest \(last bake passed, lease ended\)/m);
    expect(run.summary).toContain('Last bake of the wave: the lease is ended');
    expect(await readDeployment(fx.store, REGION, fx.key)).toBeNull();
  });

  it('a bake before a promotion (final: false) renews and keeps the lease; a failed bake leaves it too', async () => {
    const path = storePath();
    const fx = await leased(path, 6);
    const run = await runBake('bake-gate', inputs(fx.deployment, { final: 'false' }), motoEndpoint(), { env: { SAFE_DEPLOY_STORE_PATH: path } });
    expect(run.outputs.result).toBe('baked');
    const kept = await readDeployment(fx.store, REGION, fx.key);
    expect(kept?.ok && kept.entry.lease).toBeGreaterThan(fx.entry.lease);

    const failed = await runBake('bake-gate', inputs(fx.deployment, { 'min-invocations': '10000000', 'max-wait': '6s' }), motoEndpoint(), { env: { SAFE_DEPLOY_STORE_PATH: path } });
    await fx.traffic.stop();
    expect(failed.outputs.result).toBe('insufficient-traffic');
    expect(failed.stdout).not.toContain('lease ended');
    expect((await readDeployment(fx.store, REGION, fx.key))?.ok).toBe(true);
  });

  it('rejects a final that is not true or false', async () => {
    const box = await oneBox({ regions: [REGION], weight: 0.1 });
    const run = await runBake('bake-gate', { deployment: JSON.stringify(box.deployment), duration: '5s', final: 'yes' }, 'http://127.0.0.1:9');
    expect(run.stdout).toMatch(/::error::bake-gate: input final: "yes" is neither true nor false/);
  });
});
