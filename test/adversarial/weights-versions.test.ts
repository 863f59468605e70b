// Invalid weights and versions through the bundles: each is refused before any write, with a
// message naming the input, and moto is exactly as it was (same aliases, versions and code) with
// zero write requests at the fault proxy.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { encodeRecord } from '../../packages/core/src/deployment.js';
import { startFaultProxy, type FaultProxy } from '../../packages/local/src/fault-proxy.js';
import { motoEnv } from '../../packages/local/src/moto.js';
import { handlerZip } from '../../packages/local/src/zip.js';
import { createAlias, createFunctions, createRole, getAlias, listVersions, motoEndpoint, publishVersion, rawLambda, uniqueName } from '../helpers/aws.js';
import { runBundle } from '../e2e/wave-deploy-harness.js';
import { expectNoWrites, pool } from './harness.js';

const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const dir = mkdtempSync(join(tmpdir(), 'sd-adv-weights-'));
const zipPath = join(dir, 'v5.zip');
let proxy: FaultProxy;
let api = '';
let other = '';

async function snapshot(): Promise<unknown> {
  const rows: unknown[] = [];
  for (const region of REGIONS) {
    for (const functionName of [api, other]) {
      const lambda = rawLambda(region);
      const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
      lambda.destroy();
      const alias = await getAlias({ region, functionName }, 'live');
      rows.push({ region, functionName, code: latest.CodeSha256, versions: await listVersions({ region, functionName }), alias: [alias.FunctionVersion, alias.RoutingConfig, alias.Description] });
    }
  }
  return rows;
}

beforeAll(async () => {
  writeFileSync(zipPath, handlerZip('v5'));
  proxy = await startFaultProxy({ target: motoEndpoint() });
  const role = await createRole();
  api = uniqueName('adv-w-api');
  other = uniqueName('adv-w-other');
  for (const fn of await createFunctions({ regions: REGIONS, name: api, role })) {
    await publishVersion(fn, 'v1');
    await publishVersion(fn, 'v2');
    await createAlias(fn, 'live', '1', { weights: { '2': 0.1 }, description: encodeRecord({ v: 1, stable: '1', candidate: '2', previous: null, weight: 0.1, state: 'baking', commit: 'c0ffee', run: '1', at: 1_700_000_000 }) });
  }
  for (const fn of await createFunctions({ regions: REGIONS, name: other, role })) {
    for (const tag of ['v1', 'v2', 'v3', 'v4', 'v5']) await publishVersion(fn, tag);
    await createAlias(fn, 'live', '5');
  }
});

afterAll(async () => {
  await proxy.close();
});

const deployment = (patch: Record<string, unknown>) =>
  JSON.stringify({
    format: 1,
    alias: 'live',
    commit: 'c0ffee',
    run: '1',
    traffic: 0.1,
    shiftedAt: '2026-01-01T00:00:00Z',
    targets: [{ region: 'us-east-1', function: api, alias: 'live', stable: '1', candidate: '2', weight: 0.1, revision: null, record: null, ...patch }],
  });

type Case = [label: string, action: 'wave-deploy' | 'rollback' | 'bake-gate', inputs: () => Record<string, string>, input: string];
const wave = (extra: Record<string, string>) => () => ({ functions: api, regions: REGIONS.join(','), alias: 'live', 'zip-file': zipPath, traffic: '10%', ...extra });
const rollback = (to: string) => () => ({ functions: api, regions: REGIONS.join(','), alias: 'live', to });
const cases: Case[] = [
  ...['NaN', 'NaN%', '-1%', '-0.1', '1e3%', '1e309%', 'Infinity%', '99999999999999999999%', '1.5', '0x10%', '10%%', '%', '10 % 20'].map(
    (traffic): Case => [`traffic ${JSON.stringify(traffic)}`, 'wave-deploy', wave({ regions: REGIONS[0], traffic }), 'traffic'],
  ),
  ...['10%,NaN', '10%,5%', '10%,-1%,100%', '1e3%,100%'].map((steps): Case => [`steps ${JSON.stringify(steps)}`, 'wave-deploy', wave({ regions: REGIONS[0], traffic: '100%', steps }), 'steps']),
  ...['$LATEST', '0', '-1', '1.5', 'NaN', '1e3', '99999999999999999999', 'latest'].map(
    (version): Case => [`version ${JSON.stringify(version)}`, 'wave-deploy', wave({ 'zip-file': '', version, traffic: '100%' }), 'version'],
  ),
  ['version 5 of another function', 'wave-deploy', wave({ 'zip-file': '', version: '5', traffic: '100%' }), 'version'],
  ['version ARN of another function', 'wave-deploy', () => ({ ...wave({})(), 'zip-file': '', version: `arn:aws:lambda:us-east-1:123456789012:function:${other}:5`, traffic: '100%' }), 'version'],
  ...['$LATEST', '0', '-1', '1.5', 'NaN', '1e3', '99999999999999999999', 'latest'].map((to): Case => [`rollback to ${JSON.stringify(to)}`, 'rollback', rollback(to), 'to']),
  ['rollback to version 5 of another function', 'rollback', rollback('5'), 'to'],
  ['rollback to an ARN of another function', 'rollback', () => rollback(`arn:aws:lambda:us-east-1:123456789012:function:${other}:5`)(), 'to'],
  ...[{ weight: Number.NaN }, { weight: -1 }, { weight: 1.5 }, { weight: 1e308 }, { stable: '$LATEST' }, { candidate: '0' }, { stable: '-1' }, { candidate: '1.5' }].map(
    (patch): Case => [`deployment with ${JSON.stringify(patch)}`, 'rollback', () => ({ deployment: deployment(patch) }), 'deployment'],
  ),
  ...[{ weight: -1 }, { weight: 2 }, { candidate: '$LATEST' }].map(
    (patch): Case => [`bake of a deployment with ${JSON.stringify(patch)}`, 'bake-gate', () => ({ deployment: deployment(patch), duration: '1s' }), 'deployment'],
  ),
];

describe('invalid weights and versions are refused before any write', () => {
  it(`${cases.length} cases through the bundles`, async () => {
    const before = await snapshot();
    proxy.resetLog();
    const results = await pool(cases.map(([label, action, inputs, input]) => async () => ({ label, input, result: await runBundle(action, inputs(), motoEnv(proxy.endpoint)) })), 6);
    const wrong = results
      // A refused rollback reports what it changed (`rolled-back=[]`, nothing); no other output is written.
      .filter(({ input, result }) => result.code !== 1 || !result.errors.join('\n').includes(`input ${input}`) || Object.entries(result.outputs).some(([name, value]) => !(name === 'rolled-back' && value === '[]')))
      .map(({ label, result }) => `${label}: exit ${result.code}, outputs ${Object.keys(result.outputs).join(',') || 'none'}: ${result.errors.join(' | ').slice(0, 300)}`);
    expect(wrong).toEqual([]);
    expectNoWrites(proxy);
    expect(await snapshot()).toEqual(before);
  });
});
