// "In flight includes the bake after 100%" (issue 14), end to end through the real bundles on moto:
// a promoted wave keeps its store entry and its stable version until its last bake passes, so
// - wave-deploy refuses a new release on a verifying alias, and a re-run of the same release takes
//   the entry over (its run), while a re-run after the last bake passed leases nothing;
// - a one-box whose last bake parked its entry is taken over by the next wave of the same release;
// - a manual rollback of a verifying alias returns to the kept stable version and removes the entry;
// - the guardian rolls a verifying deployment back when its lease runs out, and removes its entry.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endLease, readDeployment, storeContext, writeDeployment } from '../../packages/aws/src/deployment-store.js';
import { decodeRecord, type Deployment } from '../../packages/core/src/deployment.js';
import { motoEnv } from '../../packages/local/src/moto.js';
import { handlerZip } from '../../packages/local/src/zip.js';
import { createAlias, createFunctions, createRole, getAlias, motoEndpoint, publishVersion, testClients, uniqueName, type TestFunction } from '../helpers/aws.js';
import { ensureGuardianBundle, invokeGuardian } from './guardian-harness.js';
import { runBundle } from './wave-deploy-harness.js';

const REGION = 'us-west-2';
const clients = testClients();
const dir = mkdtempSync(join(tmpdir(), 'sd-e2e-verify-'));
let role: string;

function zip(tag: string): string {
  const path = join(dir, `${tag}.zip`);
  writeFileSync(path, handlerZip(tag));
  return path;
}

async function service(): Promise<{ fn: TestFunction; path: string; env: Record<string, string>; key: { alias: string; service: null; functions: string[] } }> {
  const [fn] = await createFunctions({ regions: [REGION], role, name: uniqueName('sd-vf'), tag: 'v1' });
  await createAlias(fn!, 'live', await publishVersion(fn!, 'v1', 'from infrastructure code'));
  const path = `/safe-deploy/${uniqueName('vf')}`;
  return { fn: fn!, path, env: { ...motoEnv(motoEndpoint()), SAFE_DEPLOY_STORE_PATH: path }, key: { alias: 'live', service: null, functions: [fn!.functionName] } };
}

async function alias(fn: TestFunction) {
  const a = await getAlias(fn, 'live');
  const record = decodeRecord(a.Description);
  return { version: a.FunctionVersion, weights: a.RoutingConfig?.AdditionalVersionWeights ?? {}, record: record.kind === 'record' ? record.record : null };
}

const deploy = (fn: TestFunction, tag: string, traffic: string, env: Record<string, string>) =>
  runBundle('wave-deploy', { functions: fn.functionName, regions: REGION, alias: 'live', 'zip-file': zip(`${tag}-${fn.functionName}`), traffic }, env);

beforeAll(async () => {
  role = await createRole();
  ensureGuardianBundle();
});

afterAll(() => {
  clients.destroy();
});

describe('a promoted wave is verifying until its last bake passes', () => {
  it('refuses a new release while the entry is there, lets a re-run take the entry over, and leases nothing once the last bake passed', async () => {
    const { fn, env, path, key } = await service();
    const store = storeContext({ clients, path });
    const first = await deploy(fn, 'v2', '100%', env);
    expect(first.errors).toEqual([]);
    expect(first.stdout).toMatch(/^wave step: lease -> promote \(step 1\/1: 100%\)$/m);
    expect(first.stdout).toMatch(new RegExp(`^transition ${REGION} ${fn.functionName}:live: adopted \\(no safe-deploy record\\) -> verifying \\(promoted 2, stable 1 kept\\)$`, 'm'));
    expect(first.stdout).toMatch(/^wave step: read-back -> done \(deployed\)$/m);
    expect(await alias(fn)).toMatchObject({ version: '2', weights: {}, record: { state: 'promoted', stable: '1', candidate: '2' } });

    // Another commit while the verify bake is in flight: refused before any write, the kept stable stays.
    const next = await deploy(fn, 'v3', '10%', { ...env, GITHUB_SHA: 'beef00000000000000000000000000000000beef', GITHUB_RUN_ID: '5151' });
    expect(next.code).toBe(1);
    expect(next.errors.join('\n')).toContain(`${REGION} ${fn.functionName}:live: release-verifying: candidate 2 of commit c0ffee000000 is verifying (promoted, stable 1 kept until the wave's last bake passes)`);
    expect(await alias(fn)).toMatchObject({ version: '2', weights: {}, record: { stable: '1', candidate: '2' } });
    expect(await readDeployment(store, REGION, key)).toMatchObject({ ok: true, entry: { commit: 'c0ffee000000', run: '4242' } });

    // A re-run of the same release (another run) writes no alias and takes the entry over, so its bake-gate can end it.
    const rerun = await deploy(fn, 'v2', '100%', { ...env, GITHUB_RUN_ID: '4343' });
    expect(rerun.errors).toEqual([]);
    expect(rerun.stdout).not.toMatch(/^transition /m);
    expect(await readDeployment(store, REGION, key)).toMatchObject({ ok: true, entry: { commit: 'c0ffee000000', run: '4343' } });
    expect(JSON.parse(rerun.outputs.deployment ?? '{}')).toMatchObject({ targets: [{ stable: '1', candidate: '2', weight: 1 }] });

    // The last bake passed (bake-gate final ends the lease): at rest. A later re-run leases nothing, and the next release may go.
    const entry = await readDeployment(store, REGION, key);
    if (!entry?.ok) throw new Error('no entry');
    expect(await endLease(store, REGION, entry.entry)).toBe('ended');
    const late = await deploy(fn, 'v2', '100%', { ...env, GITHUB_RUN_ID: '4444' });
    expect(late.errors).toEqual([]);
    expect(late.stdout).toContain(`every alias in ${REGION} already serves commit c0ffee000000 at rest (its last bake passed); no entry written`);
    expect(await readDeployment(store, REGION, key)).toBeNull();
    const go = await deploy(fn, 'v3', '10%', { ...env, GITHUB_SHA: 'beef00000000000000000000000000000000beef', GITHUB_RUN_ID: '5151' });
    expect(go.errors).toEqual([]);
    expect(await alias(fn)).toMatchObject({ version: '2', weights: { '3': 0.1 }, record: { state: 'baking', stable: '2', previous: '1', candidate: '3' } });
  });

  it('the next wave of the same release takes a parked one-box entry over', async () => {
    const { fn, env, path, key } = await service();
    const store = storeContext({ clients, path });
    const box = await deploy(fn, 'v2', '10%', env);
    expect(box.errors).toEqual([]);
    expect(box.stdout).toMatch(new RegExp(`^transition ${REGION} ${fn.functionName}:live: adopted \\(no safe-deploy record\\) -> baking \\(2 at 10%, stable 1\\)$`, 'm'));
    // What bake-gate final does to a one-box whose bake passed: the entry stays, with no lease.
    const entry = await readDeployment(store, REGION, key);
    if (!entry?.ok) throw new Error('no entry');
    await writeDeployment(store, REGION, { ...entry.entry, lease: null });

    const region = await runBundle('wave-deploy', { functions: fn.functionName, regions: REGION, alias: 'live', 'zip-file': zip(`v2-${fn.functionName}`), traffic: '100%', lease: '45m' }, { ...env, GITHUB_RUN_ID: '4545' });
    expect(region.errors).toEqual([]);
    expect(region.stdout).toMatch(new RegExp(`^transition ${REGION} ${fn.functionName}:live: baking \\(2 at 10%, stable 1\\) -> verifying \\(promoted 2, stable 1 kept\\)$`, 'm'));
    const taken = await readDeployment(store, REGION, key);
    expect(taken).toMatchObject({ ok: true, entry: { run: '4545' } });
    expect(taken?.ok && taken.entry.lease).toBeGreaterThan(Math.floor(Date.now() / 1000) + 40 * 60);
  });
});

describe('rolling back a verifying deployment', () => {
  it('a manual rollback (functions + regions) returns to the kept stable version and removes the entry', async () => {
    const { fn, env, path, key } = await service();
    const store = storeContext({ clients, path });
    expect((await deploy(fn, 'v2', '100%', env)).errors).toEqual([]);
    // An entry of another deployment of the same alias name elsewhere in the store is left alone.
    const other = { service: null, stage: null, wave: null, alias: 'live', functions: ['sd-vf-someone-else'], regions: [REGION], alarms: [], commit: 'c0ffee000000', run: '1', lease: null, at: 1 };
    await writeDeployment(store, REGION, other);

    const back = await runBundle('rollback', { functions: fn.functionName, regions: REGION, alias: 'live', reason: 'verify bake looks wrong' }, { ...env, GITHUB_RUN_ID: '7777' });
    expect(back.errors).toEqual([]);
    expect(back.code).toBe(0);
    expect(await alias(fn)).toMatchObject({ version: '1', weights: {}, record: { state: 'rolled-back', stable: '1', candidate: '2' } });
    expect(back.stdout).toMatch(new RegExp(`^transition ${REGION} ${fn.functionName}:live: verifying \\(promoted 2, stable 1 kept\\) -> rolled-back \\(on 1\\) \\(rollback\\)$`, 'm'));
    expect(back.stdout).toContain(`deployment store: ${path}/live/${fn.functionName} removed`);
    expect(await readDeployment(store, REGION, key)).toBeNull();
    expect((await readDeployment(store, REGION, { alias: 'live', service: null, functions: other.functions }))?.ok).toBe(true);
  });

  it('the rollback step of a job (the deployment input) removes the entry too; one alias still in flight keeps it', async () => {
    const [a] = await createFunctions({ regions: [REGION], role, name: uniqueName('sd-vf2'), tag: 'v1' });
    const [b] = await createFunctions({ regions: [REGION], role, name: uniqueName('sd-vf2'), tag: 'v1' });
    for (const fn of [a!, b!]) await createAlias(fn, 'live', await publishVersion(fn, 'v1', 'from infrastructure code'));
    const path = `/safe-deploy/${uniqueName('vf')}`;
    const env = { ...motoEnv(motoEndpoint()), SAFE_DEPLOY_STORE_PATH: path };
    const store = storeContext({ clients, path });
    const wave = await runBundle('wave-deploy', { functions: `${a!.functionName},${b!.functionName}`, regions: REGION, alias: 'live', 'zip-file': zip(`v2-${a!.functionName}`), traffic: '10%' }, env);
    expect(wave.errors).toEqual([]);
    const deployment = JSON.parse(wave.outputs.deployment ?? '{}') as Deployment;
    const key = { alias: 'live', service: null, functions: [a!.functionName, b!.functionName] };

    // Only one of the two aliases goes back: the other is still in flight, so the entry stays.
    const one: Deployment = { ...deployment, targets: deployment.targets.filter((t) => t.function === a!.functionName) };
    const half = await runBundle('rollback', { deployment: JSON.stringify(one) }, env);
    expect(half.code).toBe(0);
    expect((await readDeployment(store, REGION, key))?.ok).toBe(true);

    const all = await runBundle('rollback', { deployment: JSON.stringify(deployment) }, env);
    expect(all.code).toBe(0);
    expect(await readDeployment(store, REGION, key)).toBeNull();
  });

  it('the guardian rolls a verifying deployment back when its lease runs out, and removes its entry', async () => {
    const { fn, env, path, key } = await service();
    const store = storeContext({ clients, path });
    expect((await deploy(fn, 'v2', '100%', env)).errors).toEqual([]);
    const entry = await readDeployment(store, REGION, key);
    if (!entry?.ok) throw new Error('no entry');
    // The verify job never came: the lease ran out a minute ago.
    await writeDeployment(store, REGION, { ...entry.entry, lease: Math.floor(Date.now() / 1000) - 60 });
    const sweep = { version: '0', id: uniqueName('sweep'), 'detail-type': 'Scheduled Event', source: 'aws.events', region: REGION, time: new Date().toISOString(), resources: [], detail: {} };
    const run = await invokeGuardian(sweep, { endpoint: motoEndpoint(), region: REGION, env: { SAFE_DEPLOY_STORE_PATH: path, SAFE_DEPLOY_EVENT_BUS: 'none' } });
    expect(run.error).toBeNull();
    expect(run.lines.filter((l) => l.kind === 'decision')).toEqual([expect.objectContaining({ action: 'rollback', cause: 'lease-expired', transition: 'promoted -> rolling-back', result: 'rolled-back', to: '1' })]);
    expect(await alias(fn)).toMatchObject({ version: '1', weights: {}, record: { state: 'rolled-back', stable: '1', run: 'guardian' } });
    expect(await readDeployment(store, REGION, key)).toBeNull();
  });
});
