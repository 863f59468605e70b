// Bad inputs fail before any write, with a message naming the input, and moto is left exactly
// as it was (same aliases, same versions, same code) with zero write requests through the proxy.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { startFaultProxy, type FaultProxy } from '../../packages/local/src/fault-proxy.js';
import { motoEnv } from '../../packages/local/src/moto.js';
import { createAlias, createFunctions, createRole, getAlias, listVersions, motoEndpoint, publishVersion, rawLambda, uniqueName } from '../helpers/aws.js';
import { handlerZip } from '../../packages/local/src/zip.js';
import { runBundle } from './wave-deploy-harness.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
const WRITES = ['UpdateAlias', 'CreateAlias', 'PublishVersion', 'UpdateFunctionCode', 'DeleteAlias', 'UpdateFunctionConfiguration'];
const dir = mkdtempSync(join(tmpdir(), 'sd-e2e-inputs-'));
const zipPath = join(dir, 'v9.zip');
let api: string;
let worker: string;
let other: string;
let partial: string;
let proxy: FaultProxy;

async function snapshot(): Promise<unknown> {
  const rows: unknown[] = [];
  for (const region of REGIONS) {
    for (const functionName of [api, worker, other]) {
      const fn = { region, functionName };
      const lambda = rawLambda(region);
      const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
      lambda.destroy();
      const alias = await getAlias(fn, 'live').catch(() => null);
      rows.push({ region, functionName, code: latest.CodeSha256, versions: await listVersions(fn), alias: alias && [alias.FunctionVersion, alias.RoutingConfig, alias.Description] });
    }
  }
  return rows;
}

beforeAll(async () => {
  writeFileSync(zipPath, handlerZip('v9'));
  proxy = await startFaultProxy({ target: motoEndpoint() });
  const role = await createRole();
  api = uniqueName('in-api');
  worker = uniqueName('in-worker');
  other = uniqueName('in-other');
  for (const name of [api, worker, other]) {
    for (const fn of await createFunctions({ regions: REGIONS, name, role })) {
      await publishVersion(fn, 'v1');
      await createAlias(fn, 'live', '1');
      await publishVersion(fn, 'v2');
    }
  }
  // `partial` exists in the first two regions only: the third region's read must stop the wave before region one is written.
  partial = uniqueName('in-partial');
  await createFunctions({ regions: REGIONS.slice(0, 2), name: partial, role });
  // `other` has more versions than the rest: its version 4 exists, theirs does not.
  for (const region of REGIONS) {
    await publishVersion({ region, functionName: other }, 'v3');
    await publishVersion({ region, functionName: other }, 'v4');
  }
});

afterAll(async () => {
  await proxy.close();
});

function base(): Record<string, string> {
  return { functions: `${api},${worker}`, regions: REGIONS.join(','), alias: 'live', 'zip-file': zipPath, traffic: '10%' };
}

type Case = [string, 'wave-deploy' | 'rollback', () => Record<string, string>, string, RegExp];

const cases: Case[] = [
  ['a one-box share of 15%', 'wave-deploy', () => ({ ...base(), regions: REGIONS[0], traffic: '15%' }), 'traffic', /one-box limit of 10%/],
  ['a weight of 1.5', 'wave-deploy', () => ({ ...base(), traffic: '1.5' }), 'traffic', /percentage/],
  ['a share of 150%', 'wave-deploy', () => ({ ...base(), traffic: '150%' }), 'traffic', /above 100%/],
  ['$LATEST as the version to deploy', 'wave-deploy', () => ({ ...base(), 'zip-file': '', version: '$LATEST' }), 'version', /\$LATEST/],
  ['$LATEST as the rollback target', 'rollback', () => ({ functions: api, regions: REGIONS.join(','), to: '$LATEST' }), 'to', /\$LATEST/],
  ['an unknown region', 'wave-deploy', () => ({ ...base(), regions: `${REGIONS[0]},us-middle-9` }), 'regions', /"us-middle-9" is not an AWS region/],
  ['an unknown region in a rollback', 'rollback', () => ({ functions: api, regions: 'eu-wets-1' }), 'regions', /did you mean eu-west-1/],
  ['a missing function', 'wave-deploy', () => ({ ...base(), functions: `${api},${uniqueName('nope')}` }), 'functions', /does not exist in us-east-1/],
  ['a function missing in the last region only', 'wave-deploy', () => ({ ...base(), functions: `${api},${partial}`, traffic: '100%' }), 'functions', /in-partial-\w+ does not exist in ap-southeast-2/],
  ['a missing function in a rollback', 'rollback', () => ({ functions: `${api},${uniqueName('nope')}`, regions: REGIONS.join(','), to: '1' }), 'functions', /does not exist/],
  ['a version of another function (ARN)', 'rollback', () => ({ functions: api, regions: REGIONS.join(','), to: `arn:aws:lambda:us-east-1:123456789012:function:${other}:4` }), 'to', /belongs to function/],
  ['a version number only another function has', 'rollback', () => ({ functions: `${api},${other}`, regions: REGIONS.join(','), to: '4' }), 'to', /version 4 does not exist for function in-api/],
  ['a version to deploy that only another function has', 'wave-deploy', () => ({ ...base(), 'zip-file': '', version: '4', traffic: '100%' }), 'version', /version 4 does not exist for function/],
  ['an empty function list', 'wave-deploy', () => ({ ...base(), functions: ' ,\n, ' }), 'functions', /is empty/],
  ['an empty region list', 'rollback', () => ({ functions: api, regions: ',' }), 'regions', /is empty/],
  ['a deployment with no targets', 'rollback', () => ({ deployment: JSON.stringify({ format: 1, alias: 'live', commit: 'x', run: '1', traffic: 0.1, shiftedAt: '2026-01-01T00:00:00Z', targets: [] }) }), 'deployment', /targets/],
  ['no targets at all', 'wave-deploy', () => ({ traffic: '10%' }), 'functions', /no targets/],
];

describe('bad inputs are refused before any write', () => {
  it.each(cases)('%s (%s)', async (_name, action, inputs, input, message) => {
    const before = await snapshot();
    proxy.resetLog();
    const result = await runBundle(action, inputs(), motoEnv(proxy.endpoint));
    expect(result.code).toBe(1);
    const error = result.errors.join('\n');
    expect(error).toMatch(new RegExp(`input ${input}: `));
    expect(error).toMatch(message);
    for (const op of WRITES) expect(proxy.count(op)).toBe(0);
    expect(await snapshot()).toEqual(before);
  });
});
