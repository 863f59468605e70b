// Kill the wave-deploy bundle at every write boundary of a three-region wave and prove that
// (a) re-running wave-deploy converges to the intended state with no duplicate version, and
// (b) rollback restores every alias the dead run touched, leaving the others alone.
//
// The fault proxy holds the Nth write request (UpdateFunctionCode, PublishVersion, UpdateAlias,
// CreateAlias) while the test kills the process, so the kill lands exactly between write N-1 and
// write N. Two flavours per boundary: the held write never reaches moto ("killed before the
// write"), or it reaches moto after the process died ("the write happened, its answer was lost").
// `max-parallel: 1` makes the order of writes, and so each boundary, deterministic.
// SIGTERM (a cancelled run) is tested the same way: the write in flight finishes, no new one starts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeRecord, encodeRecord } from '../../packages/core/src/deployment.js';
import { startFaultProxy, type FaultProxy } from '../../packages/local/src/fault-proxy.js';
import { motoEnv } from '../../packages/local/src/moto.js';
import { versionDescription } from '../../packages/aws/src/lambda.js';
import { createAlias, createFunctions, createRole, getAlias, listVersions, motoEndpoint, publishVersion, uniqueName } from '../helpers/aws.js';
import { handlerZip } from '../../packages/local/src/zip.js';
import { runBundle, startBundle, type BundleResult } from './wave-deploy-harness.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
const WRITE = /^(UpdateFunctionCode|PublishVersion|UpdateAlias|CreateAlias)$/;
/** Writes of the wave: per region UpdateFunctionCode, PublishVersion, then per region UpdateAlias. */
const WAVE_WRITES = REGIONS.length * 3;
const OLD_COMMIT = 'c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2';
const NEW_COMMIT = 'c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3';
// Long enough that the kill (a few ms after the write reaches the proxy) always lands while the write is held.
const HOLD_MS = 1500;
const dir = mkdtempSync(join(tmpdir(), 'sd-e2e-kill-'));
const zipPath = join(dir, 'v3.zip');
let proxy: FaultProxy;
let role: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function writesSeen(): number {
  return proxy.log.filter((entry) => WRITE.test(entry.operation)).length;
}

function expectOk(result: BundleResult): void {
  if (result.code !== 0) throw new Error(`bundle failed (${result.code}):\n${result.errors.join('\n')}\n${result.stdout.slice(-3000)}`);
}

/** A function in three regions whose alias serves release 2 (promoted over 1) by an earlier safe-deploy run. */
async function releasedFunction(): Promise<string> {
  const name = uniqueName('kill');
  for (const fn of await createFunctions({ regions: REGIONS, name, role, tag: 'v1' })) {
    await publishVersion(fn, 'v1');
    await publishVersion(fn, 'v2', versionDescription(OLD_COMMIT, '100'));
    const record = encodeRecord({ v: 1, stable: '1', candidate: '2', previous: null, weight: 1, state: 'promoted', commit: OLD_COMMIT, run: '100', at: 1_700_000_000 });
    await createAlias(fn, 'live', '2', { description: record });
  }
  return name;
}

async function aliases(name: string) {
  return Promise.all(
    REGIONS.map(async (region) => {
      const alias = await getAlias({ region, functionName: name }, 'live');
      return { region, version: alias.FunctionVersion, weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {}, description: alias.Description ?? '' };
    }),
  );
}

function waveInputs(name: string): Record<string, string> {
  return { functions: name, regions: REGIONS.join(','), alias: 'live', traffic: '100%', 'zip-file': zipPath, commit: NEW_COMMIT, environment: 'prod' };
}

/** Runs the wave and stops it with `signal` once the `boundary`th write (1-based) is held at the proxy. */
async function interruptedWave(name: string, boundary: number, flavour: 'held' | 'lands', signal: NodeJS.Signals): Promise<BundleResult> {
  proxy.clearRules();
  proxy.resetLog();
  proxy.addRule({ operation: WRITE, after: boundary - 1, times: 1, fault: { kind: 'delay', ms: HOLD_MS } });
  if (signal === 'SIGKILL') proxy.addRule({ operation: WRITE, after: boundary - 1, times: 1, fault: { kind: flavour === 'held' ? 'reset' : 'reset-after-forward' } });
  const run = startBundle('wave-deploy', { ...waveInputs(name), 'max-parallel': '1' }, motoEnv(proxy.endpoint));
  await waitFor(() => writesSeen() >= boundary, `write ${boundary} to reach the proxy`);
  const held = proxy.log.filter((entry) => WRITE.test(entry.operation))[boundary - 1]!;
  run.child.kill(signal);
  const result = await run.done;
  // A write that is let through lands HOLD_MS after it arrived: wait until moto has answered it
  // before looking. A held write that is reset never reaches moto, so there is nothing to wait for.
  if (flavour === 'lands') await waitFor(() => held.upstreamMs !== undefined, `write ${boundary} to land in moto`);
  proxy.clearRules();
  return result;
}

async function expectConverged(name: string): Promise<void> {
  for (const alias of await aliases(name)) {
    expect(alias).toMatchObject({ version: '3', weights: {} });
    const record = decodeRecord(alias.description);
    expect(record.kind === 'record' && record.record).toMatchObject({ state: 'promoted', stable: '2', candidate: '3', previous: '1' });
  }
  for (const region of REGIONS) expect(await listVersions({ region, functionName: name })).toEqual(['1', '2', '3']);
}

beforeAll(async () => {
  writeFileSync(zipPath, handlerZip('v3'));
  proxy = await startFaultProxy({ target: motoEndpoint() });
  role = await createRole();
});

afterAll(async () => {
  await proxy.close();
});

const boundaries = Array.from({ length: WAVE_WRITES }, (_, i) => i + 1);

describe('SIGKILL at every write boundary, then re-run', () => {
  it.each(boundaries)('killed before write %i reaches AWS: re-running converges with no duplicate version', async (boundary) => {
    const name = await releasedFunction();
    const killed = await interruptedWave(name, boundary, 'held', 'SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    const rerun = await runBundle('wave-deploy', waveInputs(name), motoEnv(proxy.endpoint));
    expectOk(rerun);
    await expectConverged(name);
  });
});

describe('SIGKILL at every write boundary, then rollback', () => {
  it.each(boundaries)('killed while write %i lands unacknowledged: rollback restores every alias, re-running converges', async (boundary) => {
    const name = await releasedFunction();
    const before = await aliases(name);
    const killed = await interruptedWave(name, boundary, 'lands', 'SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    const deployment = killed.outputs.deployment;
    // The planned deployment is reported after publishing and before the first alias write.
    if (boundary > REGIONS.length * 2) expect(deployment).toBeDefined();
    const touched = (await aliases(name)).map((alias, i) => alias.description !== before[i]!.description);
    const rollback = await runBundle(
      'rollback',
      deployment ? { deployment, reason: 'killed wave' } : { functions: name, regions: REGIONS.join(','), alias: 'live', commit: NEW_COMMIT, reason: 'killed wave' },
      motoEnv(proxy.endpoint),
    );
    expectOk(rollback);
    const after = await aliases(name);
    after.forEach((alias, i) => {
      expect(alias).toMatchObject({ version: '2', weights: {} });
      if (touched[i]) {
        const record = decodeRecord(alias.description);
        expect(record.kind === 'record' && record.record).toMatchObject({ state: 'rolled-back', stable: '2' });
      } else {
        expect(alias.description).toBe(before[i]!.description); // never touched, never rewritten
      }
    });
    const rerun = await runBundle('wave-deploy', waveInputs(name), motoEnv(proxy.endpoint));
    expectOk(rerun);
    await expectConverged(name);
  });
});

describe('SIGTERM (a cancelled run)', () => {
  it.each([2, REGIONS.length * 2 + 2])('during write %i: the write in flight finishes, no new write starts, the state and the command are reported', async (boundary) => {
    const name = await releasedFunction();
    const stopped = await interruptedWave(name, boundary, 'lands', 'SIGTERM');
    expect(stopped.code).toBe(1);
    expect(writesSeen()).toBe(boundary);
    const text = `${stopped.stdout}\n${stopped.errors.join('\n')}`;
    expect(text).toContain('received SIGTERM');
    expect(text).toMatch(/wave-deploy interrupted/);
    expect(stopped.summary).toContain('interrupted');
    const now = await aliases(name);
    if (boundary > REGIONS.length * 2) {
      // One alias moved before the signal; the report names where each alias is and how to put them back.
      expect(now.filter((a) => a.version === '3')).toHaveLength(boundary - REGIONS.length * 2);
      expect(text).toMatch(/Aliases now:/);
      expect(text).toContain('gh workflow run rollback.yml -f environment=prod -f regions=us-east-1,eu-west-1 -f version=2');
      const rollback = await runBundle('rollback', { deployment: stopped.outputs.deployment as string, reason: 'cancelled' }, motoEnv(proxy.endpoint));
      expectOk(rollback);
      for (const alias of await aliases(name)) expect(alias).toMatchObject({ version: '2', weights: {} });
    } else {
      for (const alias of now) expect(alias.version).toBe('2');
      expect(text).toContain('No alias was changed');
    }
    const rerun = await runBundle('wave-deploy', waveInputs(name), motoEnv(proxy.endpoint));
    expectOk(rerun);
    await expectConverged(name);
  });
});

describe('SIGTERM during a rollback', () => {
  it('does not stop it half way: every alias ends on its target and the run succeeds', async () => {
    const name = await releasedFunction();
    const rollback = { functions: name, regions: REGIONS.join(','), alias: 'live', to: '1', reason: 'cancelled mid-rollback' };
    proxy.clearRules();
    proxy.resetLog();
    proxy.addRule({ operation: 'UpdateAlias', times: 1, fault: { kind: 'delay', ms: 1500 } });
    const run = startBundle('rollback', rollback, motoEnv(proxy.endpoint));
    await waitFor(() => proxy.count('UpdateAlias') >= 1, 'the first UpdateAlias');
    run.child.kill('SIGTERM');
    const result = await run.done;
    proxy.clearRules();
    expect(result.stdout).toContain('received SIGTERM: finishing the rollback first');
    expect(result.code).toBe(0);
    for (const alias of await aliases(name)) expect(alias).toMatchObject({ version: '1', weights: {} });
  });
});
