// A run cancelled (SIGTERM, what the runner sends on cancel) in the middle of a stepped traffic
// shift over three regions and two functions, with the alias writes running in parallel: every
// alias is either exactly as it was or exactly at a step (its routing equals its record), never
// half-written; the run reports itself interrupted; and rollback with its deployment output puts
// every alias back. Complements test/e2e/interrupt.test.ts (one write at a time, each boundary).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeRecord } from '../../packages/core/src/deployment.js';
import { startFaultProxy, type FaultProxy } from '../../packages/local/src/fault-proxy.js';
import { motoEnv } from '../../packages/local/src/moto.js';
import { handlerZip } from '../../packages/local/src/zip.js';
import { createAlias, createFunctions, createRole, getAlias, motoEndpoint, publishVersion, testClients, uniqueName } from '../helpers/aws.js';
import { createAlarms } from '../helpers/cloudwatch.js';
import { runBundle, startBundle } from '../e2e/wave-deploy-harness.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
const dir = mkdtempSync(join(tmpdir(), 'sd-adv-cancel-'));
const zipPath = join(dir, 'v2.zip');
const clients = testClients();
let proxy: FaultProxy;
let role: string;
let alarm: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function aliases(names: string[]) {
  return Promise.all(
    REGIONS.flatMap((region) =>
      names.map(async (functionName) => {
        const alias = await getAlias({ region, functionName }, 'live');
        return { where: `${region} ${functionName}`, version: alias.FunctionVersion, weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {}, description: alias.Description ?? '' };
      }),
    ),
  );
}

beforeAll(async () => {
  writeFileSync(zipPath, handlerZip('v2'));
  proxy = await startFaultProxy({ target: motoEndpoint() });
  role = await createRole();
  alarm = uniqueName('adv-cancel-alarm');
  await createAlarms(clients, REGIONS, alarm, 'OK');
});

afterAll(async () => {
  await proxy.close();
  clients.destroy();
});

async function service(): Promise<string[]> {
  const names = [uniqueName('adv-cancel-api'), uniqueName('adv-cancel-worker')];
  for (const name of names) {
    for (const fn of await createFunctions({ regions: REGIONS, name, role })) {
      await publishVersion(fn, 'v1');
      await createAlias(fn, 'live', '1');
    }
  }
  return names;
}

describe('SIGTERM in the middle of a stepped shift', () => {
  it.each([
    ['while the first step writes every alias in parallel', 1],
    ['while the wave waits between steps', 6],
  ])('%s: each alias is as it was or exactly at a step, and rollback restores all', async (_when, writesBeforeSignal) => {
    const names = await service();
    const before = await aliases(names);
    proxy.clearRules();
    proxy.resetLog();
    // Alias writes take 600 ms each, so a signal lands while several are in flight.
    proxy.addRule({ operation: 'UpdateAlias', fault: { kind: 'delay', ms: 600 } });
    const run = startBundle(
      'wave-deploy',
      { functions: names.join(','), regions: REGIONS.join(','), steps: '10%,100%', 'step-wait': '3s', alarms: alarm, 'zip-file': zipPath, commit: 'ca'.repeat(20), environment: 'prod' },
      motoEnv(proxy.endpoint),
    );
    await waitFor(() => proxy.count('UpdateAlias') >= writesBeforeSignal, `${writesBeforeSignal} UpdateAlias`);
    if (writesBeforeSignal === 6) await sleep(900); // the last of them has landed; the wave is in its step wait
    run.child.kill('SIGTERM');
    const result = await run.done;
    await sleep(700); // a write let through before the signal lands after its delay
    proxy.clearRules();

    expect(result.code).toBe(1);
    expect(`${result.stdout}\n${result.errors.join('\n')}`).toMatch(/received SIGTERM/);
    expect(result.summary).toContain('interrupted');
    // Only writes already started when the signal came: none of the second step.
    expect(proxy.count('UpdateAlias')).toBeLessThanOrEqual(6);

    const after = await aliases(names);
    after.forEach((alias, i) => {
      if (alias.description === before[i]!.description) {
        expect(alias).toEqual(before[i]); // untouched: exactly the old state
        return;
      }
      const record = decodeRecord(alias.description);
      expect(record.kind).toBe('record');
      if (record.kind !== 'record') return;
      // Touched: exactly the first step, its routing and its record written together.
      expect(record.record).toMatchObject({ stable: '1', candidate: '2', weight: 0.1 });
      expect({ where: alias.where, version: alias.version, weights: alias.weights }).toEqual({ where: alias.where, version: '1', weights: { '2': 0.1 } });
    });
    if (writesBeforeSignal === 6) expect(after.every((a) => a.weights['2'] === 0.1)).toBe(true);

    const rollback = await runBundle('rollback', { deployment: result.outputs.deployment as string, reason: 'cancelled mid-shift' }, motoEnv(proxy.endpoint));
    expect(rollback.code).toBe(0);
    for (const alias of await aliases(names)) expect(alias).toMatchObject({ version: '1', weights: {} });
  });
});
