// A release through the real bundles, as the runner runs them, against moto in three regions:
// one-box in the first region, promote everywhere, a second release, rollback to previous,
// rollback to an explicit version, and a repeated rollback that writes nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeRecord, parseDeployment, type Deployment } from '../../packages/core/src/deployment.js';
import { startFaultProxy, type FaultProxy } from '../../packages/local/src/fault-proxy.js';
import { motoEnv } from '../../packages/local/src/moto.js';
import { createAlias, createFunctions, createRole, getAlias, listVersions, motoEndpoint, publishVersion, testClients, uniqueName } from '../helpers/aws.js';
import { lastBakePassed } from '../helpers/store.js';
import { handlerZip } from '../../packages/local/src/zip.js';
import { runBundle, type BundleResult } from './wave-deploy-harness.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
const ALIAS = 'live';
const dir = mkdtempSync(join(tmpdir(), 'sd-e2e-wave-'));
let api: string;
let worker: string;
let proxy: FaultProxy;

function zip(tag: string): string {
  const path = join(dir, `${tag}.zip`);
  writeFileSync(path, handlerZip(tag));
  return path;
}

function env(): Record<string, string> {
  return motoEnv(proxy.endpoint);
}

async function aliasAt(region: string, fn: string) {
  const alias = await getAlias({ region, functionName: fn }, ALIAS);
  return { version: alias.FunctionVersion, weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {}, description: alias.Description ?? '' };
}

function deploymentOf(result: BundleResult): Deployment {
  expect(result.outputs.deployment).toBeDefined();
  return parseDeployment(result.outputs.deployment as string);
}

function expectOk(result: BundleResult): void {
  if (result.code !== 0) throw new Error(`bundle failed (${result.code}):\n${result.errors.join('\n')}\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-2000)}`);
}

beforeAll(async () => {
  proxy = await startFaultProxy({ target: motoEndpoint() });
  const role = await createRole();
  api = uniqueName('orders-api');
  worker = uniqueName('orders-worker');
  // Infrastructure code created both functions and an alias on version 1 in every region.
  for (const name of [api, worker]) {
    const fns = await createFunctions({ regions: REGIONS, name, role, tag: 'v1' });
    for (const fn of fns) {
      const v1 = await publishVersion(fn, 'v1', 'from infrastructure code');
      await createAlias(fn, ALIAS, v1);
    }
  }
});

afterAll(async () => {
  await proxy.close();
});

describe('wave-deploy and rollback bundles against moto in three regions', () => {
  const inputs = () => ({ functions: `${api}\n${worker}`, alias: ALIAS });
  let release2: Deployment;
  let release3: Deployment;

  it('one-box: 10% in the first region only, the others untouched', async () => {
    const result = await runBundle('wave-deploy', { ...inputs(), regions: REGIONS[0], traffic: '10%', 'zip-file': zip('v2'), commit: 'aaaa000000000000000000000000000000000002', environment: 'prod' }, env());
    expectOk(result);
    const deployment = deploymentOf(result);
    expect(deployment.traffic).toBe(0.1);
    expect(deployment.targets).toHaveLength(2);
    for (const target of deployment.targets) {
      expect(target).toMatchObject({ region: REGIONS[0], alias: ALIAS, stable: '1', candidate: '2', weight: 0.1 });
    }
    for (const fn of [api, worker]) {
      const first = await aliasAt(REGIONS[0], fn);
      expect(first.version).toBe('1');
      expect(first.weights).toEqual({ '2': 0.1 });
      const record = decodeRecord(first.description);
      expect(record.kind === 'record' && record.record).toMatchObject({ stable: '1', candidate: '2', weight: 0.1, state: 'baking', commit: 'aaaa00000000' });
      for (const region of REGIONS.slice(1)) {
        expect(await aliasAt(region, fn)).toEqual({ version: '1', weights: {}, description: '' });
        expect(await listVersions({ region, functionName: fn })).toEqual(['1']);
      }
    }
    expect(result.summary).toContain('```mermaid');
    expect(result.summary).toContain('| Region | Function | Stable → candidate | Candidate weight |');
    expect(result.summary).toMatch(/us-east-1 \| orders-api-\w+ \| 1 → 2 \| 10%/);
  });

  it('promote: every region to 100% of the same commit, the first region reusing its version', async () => {
    const result = await runBundle('wave-deploy', { ...inputs(), regions: REGIONS.join(','), traffic: '100%', 'zip-file': zip('v2'), commit: 'aaaa000000000000000000000000000000000002' }, env());
    expectOk(result);
    release2 = deploymentOf(result);
    expect(release2.targets).toHaveLength(6);
    for (const target of release2.targets) expect(target).toMatchObject({ stable: '1', candidate: '2', weight: 1 });
    for (const region of REGIONS) {
      for (const fn of [api, worker]) {
        const alias = await aliasAt(region, fn);
        expect(alias).toMatchObject({ version: '2', weights: {} });
        expect(await listVersions({ region, functionName: fn })).toEqual(['1', '2']);
      }
    }
  });

  it('a second release goes out with version 2 recorded as stable', async () => {
    // Release 2 is verifying until its last bake passes; the bake's `final` ends its lease.
    const clients = testClients();
    try {
      await lastBakePassed(clients, { alias: ALIAS, functions: [api, worker], regions: REGIONS });
    } finally {
      clients.destroy();
    }
    const result = await runBundle('wave-deploy', { ...inputs(), regions: REGIONS.join(','), traffic: '100%', 'zip-file': zip('v3'), commit: 'bbbb000000000000000000000000000000000003' }, env());
    expectOk(result);
    release3 = deploymentOf(result);
    for (const target of release3.targets) expect(target).toMatchObject({ stable: '2', candidate: '3', weight: 1 });
    for (const region of REGIONS) for (const fn of [api, worker]) expect((await aliasAt(region, fn)).version).toBe('3');
  });

  it('rollback to previous puts every alias back on the recorded stable version, in parallel, and reads each back', async () => {
    proxy.resetLog();
    const result = await runBundle('rollback', { deployment: JSON.stringify(release3), reason: 'e2e: release 3 is bad' }, env());
    expectOk(result);
    const changed = JSON.parse(result.outputs['rolled-back'] as string) as { region: string; function: string; from: string; to: string }[];
    expect(changed).toHaveLength(6);
    for (const c of changed) expect(c).toMatchObject({ from: '3', to: '2' });
    for (const region of REGIONS) {
      for (const fn of [api, worker]) {
        const alias = await aliasAt(region, fn);
        expect(alias).toMatchObject({ version: '2', weights: {} });
        const record = decodeRecord(alias.description);
        expect(record.kind === 'record' && record.record).toMatchObject({ state: 'rolled-back', stable: '2', candidate: '3' });
      }
    }
    expect(proxy.count('UpdateAlias')).toBe(6);
    expect(result.summary).toContain('| Region | Function | Alias | Before | Target | After | Result |');
    expect(result.summary).toContain('e2e: release 3 is bad');
  });

  it('a manual rollback onto the refused version is named as refused and needs confirm-unvetted; nothing is written', async () => {
    proxy.resetLog();
    const refused = await runBundle('rollback', { ...inputs(), regions: REGIONS.join(','), to: '3', reason: 'back to 3?' }, env());
    expect(refused.code).not.toBe(0);
    expect(refused.errors.join('\n')).toMatch(/version 3 was refused: the record shows it rolled back \(stable 2\).*repeat 3 in input confirm-unvetted/);
    expect(proxy.count('UpdateAlias')).toBe(0);
    const wrong = await runBundle('rollback', { ...inputs(), regions: REGIONS.join(','), to: '3', 'confirm-unvetted': '2', reason: 'typo' }, env());
    expect(wrong.errors.join('\n')).toMatch(/input confirm-unvetted: "2" must repeat the version number of input to \(3\)/);
    expect(proxy.count('UpdateAlias')).toBe(0);
    for (const region of REGIONS) for (const fn of [api, worker]) expect((await aliasAt(region, fn)).version).toBe('2');
  });

  it('rollback to an explicit version checks it exists for every function, then moves every alias', async () => {
    const result = await runBundle('rollback', { ...inputs(), regions: REGIONS.join('\n'), to: '1', reason: 'back to the infrastructure version' }, env());
    expectOk(result);
    expect(JSON.parse(result.outputs['rolled-back'] as string)).toHaveLength(6);
    for (const region of REGIONS) for (const fn of [api, worker]) expect(await aliasAt(region, fn)).toMatchObject({ version: '1', weights: {} });
  });

  it('a repeated rollback succeeds and writes nothing', async () => {
    const before = await Promise.all(REGIONS.flatMap((region) => [api, worker].map((fn) => aliasAt(region, fn))));
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a write would change the record's timestamp
    proxy.resetLog();
    const result = await runBundle('rollback', { ...inputs(), regions: REGIONS.join(','), to: '1', reason: 'again' }, env());
    expectOk(result);
    expect(JSON.parse(result.outputs['rolled-back'] as string)).toEqual([]);
    expect(proxy.count('UpdateAlias') + proxy.count('CreateAlias')).toBe(0);
    expect(proxy.count('GetAlias')).toBeGreaterThanOrEqual(12); // read before and read back, 6 aliases
    const after = await Promise.all(REGIONS.flatMap((region) => [api, worker].map((fn) => aliasAt(region, fn))));
    expect(after).toEqual(before);
    expect(result.summary).toContain('already there (no write)');
  });

  it('re-running a finished wave converges without a write', async () => {
    await runBundle('wave-deploy', { ...inputs(), regions: REGIONS.join(','), traffic: '100%', 'zip-file': zip('v3'), commit: 'bbbb000000000000000000000000000000000003' }, env()).then(expectOk);
    proxy.resetLog();
    const again = await runBundle('wave-deploy', { ...inputs(), regions: REGIONS.join(','), traffic: '100%', 'zip-file': zip('v3'), commit: 'bbbb000000000000000000000000000000000003' }, env());
    expectOk(again);
    for (const op of ['UpdateAlias', 'CreateAlias', 'PublishVersion', 'UpdateFunctionCode']) expect(proxy.count(op)).toBe(0);
    for (const region of REGIONS) for (const fn of [api, worker]) expect(await listVersions({ region, functionName: fn })).toEqual(['1', '2', '3']);
  });
});
