// When a region keeps failing, a wave-deploy or a rollback still reaches every other region and
// then says which region and function failed, where every alias stands now, and the one command
// that finishes the job by hand.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultProxy, type FaultProxy } from '../../packages/local/src/fault-proxy.js';
import { motoEnv } from '../../packages/local/src/moto.js';
import { createAlias, createFunctions, createRole, getAlias, motoEndpoint, publishVersion, uniqueName } from '../helpers/aws.js';
import { handlerZip } from '../../packages/local/src/zip.js';
import { runBundle } from './wave-deploy-harness.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
const dir = mkdtempSync(join(tmpdir(), 'sd-e2e-fail-'));
const zipPath = join(dir, 'v2.zip');
let proxy: FaultProxy;
let name: string;

async function versions(): Promise<Record<string, string | undefined>> {
  const entries = await Promise.all(REGIONS.map(async (region) => [region, (await getAlias({ region, functionName: name }, 'live')).FunctionVersion] as const));
  return Object.fromEntries(entries);
}

beforeAll(async () => {
  writeFileSync(zipPath, handlerZip('v2'));
  proxy = await startFaultProxy({ target: motoEndpoint() });
  name = uniqueName('fail');
  for (const fn of await createFunctions({ regions: REGIONS, name, role: await createRole() })) {
    await publishVersion(fn, 'v1');
    await createAlias(fn, 'live', '1');
  }
});

afterAll(async () => {
  await proxy.close();
});

describe('a region that keeps failing', () => {
  let deployment: string;

  it('wave-deploy moves the other regions and reports each alias and the command to put them back', async () => {
    proxy.clearRules();
    proxy.addRule({ operation: 'UpdateAlias', region: 'eu-west-1', fault: { kind: 'status', status: 500 } });
    const result = await runBundle('wave-deploy', { functions: name, regions: REGIONS.join(','), traffic: '100%', 'zip-file': zipPath, commit: 'f00f000000000000000000000000000000000001', environment: 'prod' }, motoEnv(proxy.endpoint));
    proxy.clearRules();
    expect(result.code).toBe(1);
    expect(await versions()).toEqual({ 'us-east-1': '2', 'eu-west-1': '1', 'ap-southeast-2': '2' });
    const error = result.errors.join('\n');
    expect(error).toMatch(new RegExp(`eu-west-1 ${name}:live: write-failed: .*Internal failure injected`));
    expect(error).toContain(`us-east-1 ${name}:live: version 2; record promoted stable=1 candidate=2`);
    expect(error).toContain(`eu-west-1 ${name}:live: version 1; no record`);
    expect(error).toContain('To put every changed alias back: gh workflow run rollback.yml -f environment=prod -f regions=us-east-1,ap-southeast-2 -f version=1');
    expect(result.summary).toContain('❌');
    deployment = result.outputs.deployment as string;
    expect(JSON.parse(deployment).targets).toHaveLength(3);
  });

  it('rollback puts back every region it can, then names the one it could not and how to finish', async () => {
    proxy.clearRules();
    proxy.addRule({ operation: 'UpdateAlias', region: 'us-east-1', fault: { kind: 'status', status: 503 } });
    const result = await runBundle('rollback', { deployment, reason: 'failed wave' }, motoEnv(proxy.endpoint));
    proxy.clearRules();
    expect(result.code).toBe(1);
    expect(await versions()).toEqual({ 'us-east-1': '2', 'eu-west-1': '1', 'ap-southeast-2': '1' });
    const error = result.errors.join('\n');
    expect(error).toMatch(new RegExp(`us-east-1 ${name}:live: .*write-failed`));
    expect(error).toMatch(/Aliases now:/);
    expect(error).toContain(`ap-southeast-2 ${name}:live: version 1; record rolled-back`);
    expect(error).toContain("To finish by hand: gh workflow run rollback.yml -f environment=production -f regions=us-east-1 -f version=1 -f reason='failed wave'");
    expect(JSON.parse(result.outputs['rolled-back'] as string)).toEqual([expect.objectContaining({ region: 'ap-southeast-2', from: '2', to: '1' })]);

    // Once the region answers again, the same rollback finishes the job and leaves the others alone.
    proxy.resetLog();
    const again = await runBundle('rollback', { deployment, reason: 'failed wave' }, motoEnv(proxy.endpoint));
    expect(again.code).toBe(0);
    expect(await versions()).toEqual({ 'us-east-1': '1', 'eu-west-1': '1', 'ap-southeast-2': '1' });
    expect(proxy.count('UpdateAlias')).toBe(1);
  });
});
