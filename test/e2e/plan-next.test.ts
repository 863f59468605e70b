// The plan action's `mode: next` through the real bundle on moto: it reads the aliases and the
// guardian's store entries that wave-deploy wrote and says which wave of production moves next.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endLease, readDeployment, storeContext } from '../../packages/aws/src/deployment-store.js';
import { motoEnv } from '../../packages/local/src/moto.js';
import { handlerZip } from '../../packages/local/src/zip.js';
import { createAlias, createFunctions, createRole, motoEndpoint, publishVersion, testClients, uniqueName } from '../helpers/aws.js';
import { createAlarms } from '../helpers/cloudwatch.js';
import { runBundle } from './wave-deploy-harness.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
const clients = testClients();
const dir = mkdtempSync(join(tmpdir(), 'sd-e2e-next-'));
const COMMIT = 'abcdef0123456789abcdef0123456789abcdef01';
let config: string;
let fnName: string;
let path: string;
let alarm: string;

beforeAll(async () => {
  const role = await createRole();
  fnName = uniqueName('sd-next');
  const fns = await createFunctions({ regions: REGIONS, role, name: fnName, tag: 'v1' });
  for (const fn of fns) await createAlias(fn, 'live', await publishVersion(fn, 'v1', 'from infrastructure code'));
  path = `/safe-deploy/${uniqueName('n')}`;
  alarm = uniqueName('next-alarm');
  await createAlarms(clients, REGIONS, alarm, 'OK');
  config = join(dir, 'safe-deploy.yml');
  writeFileSync(
    config,
    [
      'version: 1',
      `service: ${fnName}`,
      'alias: live',
      `functions: [${fnName}]`,
      'stages:',
      '  - name: prod',
      `    regions: [${REGIONS.join(', ')}]`,
      '    waves: auto',
      '    onebox: { traffic: 5%, bake: { duration: 1h, min-invocations: 5 } }',
      '    bake: { first: { duration: 12h, min-invocations: 5 }, rest: { duration: 3h, min-invocations: 5 } }',
      'alarms:',
      `  rollback: [${alarm}]`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'v2.zip'), handlerZip('v2'));
});

afterAll(() => {
  clients.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ ...motoEnv(motoEndpoint()), SAFE_DEPLOY_STORE_PATH: path, GITHUB_SHA: COMMIT, GITHUB_RUN_ID: '777' });
const next = (candidate = '') => runBundle('plan', { config, mode: 'next', stage: 'prod', candidate }, env());

describe('plan mode next', () => {
  it('offers the candidate to the one-box while production is at rest', async () => {
    const run = await next(COMMIT);
    expect(run.errors).toEqual([]);
    expect(JSON.parse(run.outputs.deploy ?? 'null')).toEqual([{ wave: 'prod-onebox', commit: COMMIT.slice(0, 12) }]);
    expect(JSON.parse(run.outputs.verify ?? 'null')).toEqual([]);
    expect(run.outputs['next-run']).toBe('');
    expect(run.summary).toContain('| prod-onebox | us-east-1 |');
  });

  it('while the one-box bakes, nothing runs until its bake falls due', async () => {
    const deploy = await runBundle('wave-deploy', { config, stage: 'prod', wave: 'prod-onebox', 'zip-file': join(dir, 'v2.zip'), lease: '2h' }, env());
    expect(deploy.errors).toEqual([]);
    const run = await next(COMMIT);
    expect(run.errors).toEqual([]);
    const steps = JSON.parse(run.outputs.next ?? '[]') as { kind: string; wave: string; untilMs?: number }[];
    expect(steps.map((s) => `${s.kind} ${s.wave}`)).toEqual(['wait prod-onebox']);
    const due = Date.parse(run.outputs['next-run'] ?? '');
    // 1 h of bake, the function's timeout and the default 3 m metrics delay after the shift.
    expect(due - Date.now()).toBeGreaterThan(60 * 60_000);
    expect(due - Date.now()).toBeLessThan(65 * 60_000);
    expect(JSON.parse(run.outputs.deploy ?? 'null')).toEqual([]);
  });

  it('once the one-box bake has ended its lease, the first region takes the release', async () => {
    const store = storeContext({ clients, path });
    const listed = await readDeployment(store, 'us-east-1', { alias: 'live', service: fnName, functions: [fnName] });
    if (!listed?.ok) throw new Error('wave-deploy wrote no store entry');
    expect(listed.entry.wave).toBe('prod-onebox');
    expect(await endLease(store, 'us-east-1', listed.entry)).toBe('ended');
    const run = await next(COMMIT);
    expect(run.errors).toEqual([]);
    expect(JSON.parse(run.outputs.deploy ?? 'null')).toEqual([{ wave: 'prod-1', commit: COMMIT.slice(0, 12) }]);
  });

  it('refuses a candidate that is not a commit id, naming the input', async () => {
    const run = await next('main; id');
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toContain('input candidate: "main; id" is not a commit id');
  });
});
