// The IAM policies under iam/ against what the bundles really call. Each path runs through its
// bundle on moto behind a recording proxy (service, operation, region, the SDK user agent's
// `caller/<action>`, and the resource from the request path): a one-box deploy with a rollback
// alarm, a bake, an alarm check and a rollback. Every recorded call must be allowed by the policy
// of its path, evaluated by test/helpers/iam.ts (Allow statements, Action and Resource with
// wildcards). The check can fail: a policy missing one action, the old docs' rollback-only role,
// and a function outside ${FunctionPrefix} are all denied.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handlerZip } from '../../packages/local/src/zip.js';
import { createAlias, createFunctions, createRole, motoEndpoint, publishVersion, testClients, uniqueName } from '../helpers/aws.js';
import { createAlarms } from '../helpers/cloudwatch.js';
import { ACCOUNT_ID, actionOf, denied, loadPolicy, resourceOf, startRecorder, type PolicyDocument, type RecordedCall, type Recorder } from '../helpers/iam.js';
import { runBundle } from './bake-harness.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
const PREFIX = 'sd-iam-';
let recorder: Recorder;
const byCaller = new Map<string, RecordedCall[]>();

function callsOf(caller: string): RecordedCall[] {
  return byCaller.get(caller) ?? [];
}

beforeAll(async () => {
  recorder = await startRecorder(motoEndpoint());
  const clients = testClients();
  const alarm = uniqueName('sd-iam-rollback');
  await createAlarms(clients, REGIONS, alarm, 'OK');
  clients.destroy();
  const role = await createRole();
  const names = [uniqueName(`${PREFIX}api`), uniqueName(`${PREFIX}worker`)];
  for (const name of names) {
    for (const fn of await createFunctions({ regions: REGIONS, name, role, tag: 'v1' })) await createAlias(fn, 'live', await publishVersion(fn, 'v1', 'from infrastructure code'));
  }
  const dir = mkdtempSync(join(tmpdir(), 'sd-iam-'));
  writeFileSync(join(dir, 'v2.zip'), handlerZip('v2'));
  const env = { GITHUB_RUN_ID: '77', GITHUB_SHA: 'feed000000000000000000000000000000000000' };
  const start = recorder.calls.length;

  const deploy = await runBundle('wave-deploy', { functions: names.join(','), regions: REGIONS.join(','), alias: 'live', 'zip-file': join(dir, 'v2.zip'), traffic: '10%', steps: '5%,10%', alarms: alarm }, recorder.endpoint, { env });
  if (deploy.code !== 0) throw new Error(`wave-deploy failed:\n${deploy.stdout.slice(-3000)}`);
  const deployment = deploy.outputs.deployment as string;
  await runBundle('alarm-check', { alarms: alarm, regions: REGIONS.join(',') }, recorder.endpoint, { env });
  // The outcome of this bake does not matter here (moto has no traffic for it); its calls do.
  await runBundle('bake-gate', { deployment, duration: '2s', 'min-invocations': '1', alarms: alarm, 'poll-interval': '1s', 'max-wait': '4s', 'metrics-delay': '0s' }, recorder.endpoint, { env, timeoutMs: 120_000 });
  const rollback = await runBundle('rollback', { deployment, reason: 'iam test' }, recorder.endpoint, { env });
  if (rollback.code !== 0) throw new Error(`rollback failed:\n${rollback.stdout.slice(-3000)}`);
  for (const call of recorder.calls.slice(start)) {
    if (!call.caller) continue;
    byCaller.set(call.caller, [...callsOf(call.caller), call]);
  }
}, 240_000);

afterAll(async () => {
  await recorder.close();
});

describe('iam/*.json allow exactly what each path calls', () => {
  it('recorded every path, with the calls each is known to make', () => {
    const actions = (caller: string) => new Set(callsOf(caller).map(actionOf));
    expect([...actions('wave-deploy')].sort()).toEqual(
      expect.arrayContaining(['lambda:ListVersionsByFunction', 'lambda:GetAlias', 'lambda:ListEventSourceMappings', 'lambda:GetPolicy', 'lambda:GetFunctionUrlConfig', 'lambda:UpdateFunctionCode', 'lambda:GetFunction', 'lambda:PublishVersion', 'lambda:GetProvisionedConcurrencyConfig', 'lambda:UpdateAlias', 'cloudwatch:DescribeAlarms']),
    );
    expect(actions('alarm-check')).toEqual(new Set(['cloudwatch:DescribeAlarms']));
    expect(actions('bake-gate')).toEqual(expect.objectContaining({ size: expect.any(Number) }));
    expect([...actions('bake-gate')]).toEqual(expect.arrayContaining(['cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData']));
    // The rollback's last step removes the store entry of a deployment it put wholly back at rest.
    expect([...actions('rollback')].sort()).toEqual(['lambda:GetAlias', 'lambda:GetFunctionConfiguration', 'lambda:UpdateAlias', 'ssm:DeleteParameter', 'ssm:GetParameter', 'ssm:GetParametersByPath']);
  });

  it('deployer.json allows every call of every action in a deploy job', () => {
    for (const caller of ['wave-deploy', 'alarm-check', 'bake-gate', 'rollback']) expect(denied('deployer', callsOf(caller), PREFIX)).toEqual([]);
  });

  it('rollback.json allows every call of the rollback (GetFunctionConfiguration included, F2)', () => {
    expect(denied('rollback', callsOf('rollback'), PREFIX)).toEqual([]);
  });

  it('watch.json allows alarm-check and bake-gate, and none of the writes', () => {
    expect(denied('watch', [...callsOf('alarm-check'), ...callsOf('bake-gate')], PREFIX)).toEqual([]);
    const writes = callsOf('wave-deploy').filter((c) => /^(UpdateAlias|PublishVersion|UpdateFunctionCode|CreateAlias)$/.test(c.operation));
    expect(writes.length).toBeGreaterThan(0);
    expect(denied('watch', writes, PREFIX).length).toBeGreaterThan(0);
  });

  it('fails with a policy missing one action, naming it and the resource', () => {
    const full = loadPolicy('rollback');
    const missing: PolicyDocument = {
      ...full,
      Statement: full.Statement.map((s) => ({ ...s, Action: (Array.isArray(s.Action) ? s.Action : [s.Action]).filter((a) => a !== 'lambda:GetFunctionConfiguration') })),
    };
    const problems = denied(missing, callsOf('rollback'), PREFIX);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(new RegExp(`^rollback: lambda:GetFunctionConfiguration on arn:aws:lambda:(us-east-1|eu-west-1):${ACCOUNT_ID}:function:${PREFIX}`));
  });

  it("fails with the old docs' rollback-only role (GetAlias and UpdateAlias only): it could not roll back", () => {
    const oldDocs: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['lambda:GetAlias', 'lambda:UpdateAlias'], Resource: `arn:aws:lambda:*:${ACCOUNT_ID}:function:${PREFIX}*` }] };
    expect(denied(oldDocs, callsOf('rollback'), PREFIX).some((p) => p.includes('lambda:GetFunctionConfiguration'))).toBe(true);
  });

  it('resources are checked: a function outside ${FunctionPrefix} is denied; `function:NAME` alone denies a qualified call (F14: NAME plus NAME:*)', () => {
    expect(denied('rollback', callsOf('rollback'), 'other-').length).toBeGreaterThan(0);
    const qualified = callsOf('wave-deploy').find((c) => c.operation === 'GetProvisionedConcurrencyConfig')!;
    expect(resourceOf(qualified)).toMatch(/:function:sd-iam-[a-z0-9-]+:live$/);
    const name = resourceOf(qualified).split(':')[6];
    const exact = (resources: string[]): PolicyDocument => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'lambda:GetProvisionedConcurrencyConfig', Resource: resources }] });
    const arn = `arn:aws:lambda:${qualified.region}:${ACCOUNT_ID}:function:${name}`;
    expect(denied(exact([arn]), [qualified], PREFIX)).toHaveLength(1);
    expect(denied(exact([arn, `${arn}:*`]), [qualified], PREFIX)).toEqual([]);
  });
});
