// `commit` limits a rollback to the aliases a given deployment touched: after a wave-deploy that
// died before it reported its deployment, functions + regions + commit restore what it moved
// and leave every other alias (still serving the previous, healthy release) alone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeRecord } from '../../packages/core/src/deployment.js';
import { startFaultProxy, type FaultProxy } from '../../packages/local/src/fault-proxy.js';
import { motoEnv } from '../../packages/local/src/moto.js';
import { createAlias, createFunctions, createRole, getAlias, motoEndpoint, publishVersion, uniqueName } from '../helpers/aws.js';
import { runBundle } from './wave-deploy-harness.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
const OLD = 'aaaa111111111111111111111111111111111111';
const NEW = 'bbbb222222222222222222222222222222222222';
let proxy: FaultProxy;
let role: string;

/** The first region already runs release 3 (commit NEW); the others still run release 2 (commit OLD). */
async function halfDeployed(): Promise<string> {
  const name = uniqueName('commit');
  for (const fn of await createFunctions({ regions: REGIONS, name, role })) {
    await publishVersion(fn, 'v1');
    await publishVersion(fn, 'v2');
    await publishVersion(fn, 'v3');
    const first = fn.region === REGIONS[0];
    const record = first
      ? { v: 1 as const, stable: '2', candidate: '3', previous: '1', weight: 1, state: 'promoted' as const, commit: NEW, run: '2', at: 1_700_000_100 }
      : { v: 1 as const, stable: '1', candidate: '2', previous: null, weight: 1, state: 'promoted' as const, commit: OLD, run: '1', at: 1_700_000_000 };
    await createAlias(fn, 'live', first ? '3' : '2', { description: encodeRecord(record) });
  }
  return name;
}

async function versions(name: string) {
  return Promise.all(REGIONS.map(async (region) => (await getAlias({ region, functionName: name }, 'live')).FunctionVersion));
}

beforeAll(async () => {
  proxy = await startFaultProxy({ target: motoEndpoint() });
  role = await createRole();
});

afterAll(async () => {
  await proxy.close();
});

describe('rollback with commit', () => {
  it('rolls back only the aliases whose record names the commit', async () => {
    const name = await halfDeployed();
    const result = await runBundle('rollback', { functions: name, regions: REGIONS.join(','), commit: NEW, reason: 'wave died' }, motoEnv(proxy.endpoint));
    expect(result.code).toBe(0);
    expect(await versions(name)).toEqual(['2', '2', '2']);
    expect(JSON.parse(result.outputs['rolled-back'] as string)).toEqual([expect.objectContaining({ region: REGIONS[0], from: '3', to: '2' })]);
    expect(result.summary).toContain('left as it is');
  });

  it('without it, `previous` would also undo the release the other regions still serve', async () => {
    const name = await halfDeployed();
    const result = await runBundle('rollback', { functions: name, regions: REGIONS.join(','), reason: 'everything' }, motoEnv(proxy.endpoint));
    expect(result.code).toBe(0);
    expect(await versions(name)).toEqual(['2', '1', '1']);
  });
});
