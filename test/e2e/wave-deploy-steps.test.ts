// wave-deploy through its bundle: targets from config + stage + wave, and traffic moved in steps
// with the rollback alarms checked between them (a firing or missing alarm stops the wave).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { decodeRecord, parseDeployment } from '../../packages/core/src/deployment.js';
import { startFaultProxy, type FaultProxy } from '../../packages/local/src/fault-proxy.js';
import { motoEnv } from '../../packages/local/src/moto.js';
import { TEST_CREDENTIALS, createAlias, createFunctions, createRole, getAlias, motoEndpoint, publishVersion, uniqueName } from '../helpers/aws.js';
import { handlerZip } from '../../packages/local/src/zip.js';
import { runBundle, startBundle, type BundleResult } from './wave-deploy-harness.js';

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const REGIONS = ['us-west-1', 'us-east-2', 'eu-west-1'] as const;
const dir = mkdtempSync(join(tmpdir(), 'sd-e2e-steps-'));
const zipPath = join(dir, 'v2.zip');
let proxy: FaultProxy;
let role: string;

function expectOk(result: BundleResult): void {
  if (result.code !== 0) throw new Error(`bundle failed (${result.code}):\n${result.errors.join('\n')}\n${result.stdout.slice(-3000)}`);
}

async function fresh(regions: readonly string[] = REGIONS): Promise<string> {
  const name = uniqueName('steps');
  for (const fn of await createFunctions({ regions, name, role })) {
    await publishVersion(fn, 'v1');
    await createAlias(fn, 'live', '1');
  }
  return name;
}

async function alarm(name: string, state: 'OK' | 'ALARM'): Promise<void> {
  for (const region of REGIONS) {
    const cw = new CloudWatchClient({ region, endpoint: motoEndpoint(), credentials: TEST_CREDENTIALS });
    await cw.send(
      new PutMetricAlarmCommand({ AlarmName: name, Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }),
    );
    await cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: 'set by the test' }));
    cw.destroy();
  }
}

async function routing(name: string) {
  return Promise.all(
    REGIONS.map(async (region) => {
      const a = await getAlias({ region, functionName: name }, 'live');
      return { version: a.FunctionVersion, weights: a.RoutingConfig?.AdditionalVersionWeights ?? {}, record: decodeRecord(a.Description) };
    }),
  );
}

beforeAll(async () => {
  writeFileSync(zipPath, handlerZip('v2'));
  proxy = await startFaultProxy({ target: motoEndpoint() });
  role = await createRole();
});

afterAll(async () => {
  await proxy.close();
});

describe('steps with rollback alarms checked between them', () => {
  const inputs = (name: string, alarms: string) => ({ functions: name, regions: REGIONS.join(','), steps: '10%,50%,100%', 'step-wait': '1s', alarms, 'zip-file': zipPath, commit: 'd00d000000000000000000000000000000000001' });

  it('moves 10% → 50% → 100% while the alarms stay OK', async () => {
    const name = await fresh();
    const ok = uniqueName('steps-ok');
    await alarm(ok, 'OK');
    const result = await runBundle('wave-deploy', inputs(name, ok), motoEnv(proxy.endpoint));
    expectOk(result);
    expect(proxy.count('DescribeAlarms')).toBeGreaterThanOrEqual(2 * REGIONS.length);
    for (const a of await routing(name)) expect(a).toMatchObject({ version: '2', weights: {} });
    const deployment = parseDeployment(result.outputs.deployment as string);
    expect(deployment.traffic).toBe(1);
    expect(result.summary).toContain('step 1: 10%');
    expect(result.summary).toContain('step 3: 100% (promote)');
    expect(result.summary).toMatch(/after step 2 \(50%\): rollback alarms: 3 OK/);
  });

  it('stops after the first step when an alarm fires, saying where each alias is and how to put it back', async () => {
    const name = await fresh();
    const firing = uniqueName('steps-firing');
    await alarm(firing, 'OK');
    // The alarm fires while the wave waits after its first step (step-wait 3s).
    const run = startBundle('wave-deploy', { ...inputs(name, firing), 'step-wait': '3s' }, motoEnv(proxy.endpoint));
    await waitFor(async () => (await routing(name)).every((a) => a.weights['2'] === 0.1));
    await alarm(firing, 'ALARM');
    const result = await run.done;
    expect(result.code).toBe(1);
    const error = result.errors.join('\n');
    expect(error).toContain(`rollback alarm firing: ${firing}`);
    expect(error).toContain('stopped after step 1 (10%)');
    expect(error).toMatch(/Aliases now:\n {2}us-west-1 steps-\w+:live: version 1 \+2 at 10%; record shifting/);
    expect(error).toContain('gh workflow run rollback.yml -f environment=production -f regions=us-west-1,us-east-2,eu-west-1 -f version=1');
    for (const a of await routing(name)) {
      expect(a).toMatchObject({ version: '1', weights: { '2': 0.1 } });
      expect(a.record.kind === 'record' && a.record.record.state).toBe('shifting');
    }
    expect(result.summary).toContain('🚨');
    // The workflow's rollback step takes the deployment the failed step reported.
    const rollback = await runBundle('rollback', { deployment: result.outputs.deployment as string, reason: 'alarm during steps' }, motoEnv(proxy.endpoint));
    expectOk(rollback);
    for (const a of await routing(name)) expect(a).toMatchObject({ version: '1', weights: {} });
  });

  it('refuses to start when a rollback alarm does not exist (a wave never runs unwatched), writing nothing', async () => {
    const name = await fresh();
    proxy.resetLog();
    const result = await runBundle('wave-deploy', inputs(name, uniqueName('no-such-alarm')), motoEnv(proxy.endpoint));
    expect(result.code).toBe(1);
    expect(result.errors.join('\n')).toMatch(/input alarms: rollback alarm not found: no-such-alarm-\w+ in us-west-1/);
    for (const op of ['UpdateAlias', 'PublishVersion', 'UpdateFunctionCode']) expect(proxy.count(op)).toBe(0);
    for (const a of await routing(name)) expect(a).toMatchObject({ version: '1', weights: {} });
  });

  it('refuses to start while a rollback alarm fires', async () => {
    const name = await fresh();
    const firing = uniqueName('steps-early');
    await alarm(firing, 'ALARM');
    proxy.resetLog();
    const result = await runBundle('wave-deploy', { ...inputs(name, firing), steps: '', traffic: '10%' }, motoEnv(proxy.endpoint));
    expect(result.code).toBe(1);
    expect(result.errors.join('\n')).toContain(`rollback alarm firing: ${firing} (us-west-1)`);
    expect(proxy.count('UpdateAlias') + proxy.count('PublishVersion')).toBe(0);
  });
});

describe('traffic 0%', () => {
  it('publishes the candidate and writes no alias, even one where this candidate already holds a one-box', async () => {
    const name = await fresh();
    const commit = 'e0e0000000000000000000000000000000000001';
    const onebox = await runBundle('wave-deploy', { functions: name, regions: REGIONS[0], traffic: '10%', 'zip-file': zipPath, commit }, motoEnv(proxy.endpoint));
    expectOk(onebox);
    const before = await routing(name);
    proxy.resetLog();
    const result = await runBundle('wave-deploy', { functions: name, regions: REGIONS.join(','), traffic: '0%', 'zip-file': zipPath, commit }, motoEnv(proxy.endpoint));
    expectOk(result);
    expect(proxy.count('UpdateAlias') + proxy.count('CreateAlias')).toBe(0);
    expect(proxy.count('PublishVersion')).toBe(REGIONS.length - 1); // the one-box region reuses its version
    expect(await routing(name)).toEqual(before);
    const deployment = parseDeployment(result.outputs.deployment as string);
    expect(deployment.traffic).toBe(0);
    expect(deployment.targets.map((t) => [t.region, t.stable, t.candidate, t.weight])).toEqual([
      [REGIONS[0], '1', '2', 0.1],
      [REGIONS[1], '1', '2', 0],
      [REGIONS[2], '1', '2', 0],
    ]);
  });
});

describe('targets from config + stage + wave', () => {
  it('the one-box wave touches only the first region of the stage, at the config share, with the config alias', async () => {
    const name = await fresh();
    const ok = uniqueName('cfg-ok');
    await alarm(ok, 'OK');
    const config = join(dir, `${name}.yml`);
    writeFileSync(
      config,
      [
        'version: 1',
        `service: ${name}`,
        'alias: live',
        `functions: [${name}]`,
        'stages:',
        '  - name: prod',
        `    regions: [${REGIONS.join(', ')}]`,
        '    waves: auto',
        '    onebox: { traffic: 5%, bake: { duration: 1h, min-invocations: 100 } }',
        '    bake: { first: { duration: 2h }, rest: { duration: 1h } }',
        'alarms:',
        `  block: [${ok}]`,
        `  rollback: [${ok}]`,
        '',
      ].join('\n'),
    );
    const result = await runBundle('wave-deploy', { config, stage: 'prod', wave: 'prod-onebox', 'zip-file': zipPath, commit: 'cf00000000000000000000000000000000000001' }, motoEnv(proxy.endpoint));
    expectOk(result);
    const deployment = parseDeployment(result.outputs.deployment as string);
    expect(deployment).toMatchObject({ service: name, stage: 'prod', wave: 'prod-onebox', traffic: 0.05 });
    expect(deployment.targets.map((t) => t.region)).toEqual([REGIONS[0]]);
    const [first, ...rest] = await routing(name);
    expect(first).toMatchObject({ version: '1', weights: { '2': 0.05 } });
    for (const a of rest) expect(a).toMatchObject({ version: '1', weights: {}, record: { kind: 'none' } });

    // The next wave of the plan promotes the first region, reusing the version published for the commit.
    const next = await runBundle('wave-deploy', { config, stage: 'prod', wave: 'prod-1', 'zip-file': zipPath, commit: 'cf00000000000000000000000000000000000001' }, motoEnv(proxy.endpoint));
    expectOk(next);
    expect((await routing(name))[0]).toMatchObject({ version: '2', weights: {} });
  });

  it('a config problem names the file, line and column, and nothing is written', async () => {
    const config = join(dir, 'broken.yml');
    writeFileSync(config, ['version: 1', 'service: x', 'alias: live', 'functions: [x]', 'stages:', '  - name: prod', '    regions: [us-east-1]', '    onebox: { traffic: 15% }', ''].join('\n'));
    proxy.resetLog();
    const result = await runBundle('wave-deploy', { config, stage: 'prod', wave: 'prod-onebox', commit: 'cf00000000000000000000000000000000000002' }, motoEnv(proxy.endpoint));
    expect(result.code).toBe(1);
    expect(result.errors.join('\n')).toMatch(new RegExp(`input config: .*\\n${config.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:8:\\d+ stages\\[0\\]\\.onebox\\.traffic`));
    expect(proxy.log).toHaveLength(0);
  });

  it('an unknown wave is refused naming the input and listing the waves', async () => {
    const config = join(dir, 'ok.yml');
    writeFileSync(config, ['version: 1', 'service: x', 'alias: live', 'functions: [x]', 'stages:', '  - name: prod', '    regions: [us-east-1]', ''].join('\n'));
    const result = await runBundle('wave-deploy', { config, stage: 'prod', wave: 'prod-9', traffic: '100%', commit: 'cf00000000000000000000000000000000000003' }, motoEnv(proxy.endpoint));
    expect(result.code).toBe(1);
    expect(result.errors.join('\n')).toMatch(/^input wave: no wave "prod-9" in stage prod; its waves: prod-1/);
  });
});
