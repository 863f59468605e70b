// How many paced Lambda calls a wave makes per region: the preflight's listing serves the publish
// and the same-role check, and the shift writes from the preflight's alias read. Fewer calls keep a
// wave of two functions in one region within the limiter's 8 calls per 1.2 s, or close to it.
// A wave that leaves the candidate below 100% and updates $LATEST also reads, per function, the
// three places an unqualified trigger can hide (ListEventSourceMappings, GetPolicy,
// GetFunctionUrlConfig): 3 paced calls per function, 6 here, about 0.9 s of the region's budget.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployWave, type WavePlan } from '../../packages/deploy/src/wave.js';
import { motoEnv } from '../../packages/local/src/moto.js';
import { handlerZip } from '../../packages/local/src/zip.js';
import { createAlias, createFunctions, createRole, getAlias, motoEndpoint, publishVersion, testClients, uniqueName } from '../helpers/aws.js';
import { lastBakePassed } from '../helpers/store.js';

const REGION = 'eu-west-1';
const saved = { ...process.env };
let functions: string[];
let dir: string;

beforeAll(async () => {
  Object.assign(process.env, motoEnv(motoEndpoint()));
  const role = await createRole();
  functions = [];
  for (const prefix of ['sd-api', 'sd-worker']) {
    const [fn] = await createFunctions({ regions: [REGION], role, name: uniqueName(prefix), tag: 'r1' });
    await createAlias(fn!, 'live', await publishVersion(fn!, 'r1'));
    functions.push(fn!.functionName);
  }
  dir = mkdtempSync(join(tmpdir(), 'wave-calls-'));
});
afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

async function wave(tag: string, commit: string, steps: number[], now?: () => number) {
  const path = join(dir, `${tag}.zip`);
  writeFileSync(path, handlerZip(tag));
  const calls: string[] = [];
  const plan: WavePlan = { functions, regions: [REGION], alias: 'live', code: { kind: 'zip', path }, steps, stepWaitMs: 0, alarms: [], maxParallel: 4, commit, run: '1', environment: 'test', unqualifiedTriggers: 'refuse' };
  const interrupt = { stopping: false, signal: null, gate: (operation: string) => void calls.push(operation), sleep: async () => true };
  const result = await deployWave(plan, { logger: { info: () => {}, warn: () => {} }, interrupt: interrupt as never, onPlanned: () => {}, ...(now ? { now } : {}) });
  const count = (operation: string) => calls.filter((c) => c === operation).length;
  if (result.outcome === 'deployed' && steps[steps.length - 1] === 1) {
    // The next test deploys another commit: this one's last bake passed (bake-gate final ends its lease).
    const clients = testClients();
    await lastBakePassed(clients, plan).finally(() => clients.destroy());
  }
  return { result, calls, count };
}

describe('Lambda calls of one wave, two functions in one region', () => {
  it('one-box that publishes: 20 (one listing per function, no GetFunctionConfiguration, 3 trigger reads per function), read back after every write', async () => {
    const { result, calls, count } = await wave('r2', 'a'.repeat(40), [0.1]);
    expect(result.outcome).toBe('deployed');
    expect(calls).toHaveLength(20);
    expect(count('ListEventSourceMappings')).toBe(2);
    expect(count('GetPolicy')).toBe(2);
    expect(count('GetFunctionUrlConfig')).toBe(2);
    expect(count('ListVersionsByFunction')).toBe(2);
    expect(count('GetFunctionConfiguration')).toBe(0);
    expect(count('GetProvisionedConcurrencyConfig')).toBe(2);
    expect(count('UpdateAlias')).toBe(2);
    expect(count('GetAlias')).toBe(4); // the preflight's read and the read-back after the write
    for (const fn of functions) expect(Object.keys((await getAlias({ region: REGION, functionName: fn }, 'live')).RoutingConfig?.AdditionalVersionWeights ?? {})).toHaveLength(1);
  });

  it('100% of the same commit reuses the candidate (same CodeSha256): 8, no trigger reads at 100%', async () => {
    const { result, calls, count } = await wave('r2', 'a'.repeat(40), [1]);
    expect(result.outcome).toBe('deployed');
    expect(calls).toHaveLength(8);
    expect(count('ListEventSourceMappings') + count('GetPolicy') + count('GetFunctionUrlConfig')).toBe(0);
    expect(count('PublishVersion') + count('UpdateFunctionCode')).toBe(0);
  });

  it('three steps of a new commit: one listing, then a write and a read-back per step', async () => {
    const { result, calls, count } = await wave('r3', 'b'.repeat(40), [0.1, 0.5, 1]);
    expect(result.outcome).toBe('deployed');
    expect(count('ListVersionsByFunction')).toBe(2);
    expect(count('UpdateAlias')).toBe(6);
    expect(count('GetAlias')).toBe(8);
    expect(calls).toHaveLength(24);
  });

  it('F14: the bake window (shiftedAt) starts where the candidate first got traffic, before the later steps were written', async () => {
    let clock = 1_900_000_000_000;
    const { result } = await wave('r4', 'c'.repeat(40), [0.05, 0.1], () => (clock += 1000));
    expect(result.outcome).toBe('deployed');
    const shiftedAt = Date.parse(result.deployment!.shiftedAt);
    const writes = await Promise.all(functions.map(async (fn) => JSON.parse((await getAlias({ region: REGION, functionName: fn }, 'live')).Description ?? '{}') as { t: number; w: number }));
    expect(writes.every((r) => r.w === 0.1)).toBe(true);
    // The last step's records were written after the window started; the end of the wave is later still.
    for (const r of writes) expect(shiftedAt).toBeLessThan(r.t * 1000);
    expect(shiftedAt).toBeLessThan(clock);
  });
});
