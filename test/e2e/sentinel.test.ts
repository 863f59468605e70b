// The sentinel action's bundle (dist/sentinel/index.js) on moto, run like the runner runs it: the
// guardian's sweep over two regions, next to the forged records of security finding S1 (A: a `t` that
// is no number; C: a `stable` that is no version) and the I3 payload (runner commands in `st`). The
// real in-flight alias is rolled back, the forged ones are reported by name and left as they are, the
// quiet region is untouched, and no runner command from AWS text reaches the log.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateAliasCommand } from '@aws-sdk/client-lambda';
import type { AwsClients } from '../../packages/aws/src/clients.js';
import { storeContext, writeDeployment } from '../../packages/aws/src/deployment-store.js';
import { decodeRecord, encodeRecord } from '../../packages/core/src/deployment.js';
import { putErrorAlarm, setAlarmState } from '../../packages/local/src/traffic.js';
import { createAlias, createFunctions, createRole, getAlias, motoEndpoint, publishVersion, rawLambda, testClients, uniqueName } from '../helpers/aws.js';
import { runBundle } from './bake-harness.js';
import { ensureBundle } from './guardian-harness.js';

const COMMIT = 'c0ffee123456';
const FORGED = {
  a: '{"sd":1,"st":"baking","c":"9","s":"7","w":0.5,"t":"x"}',
  c: '{"sd":1,"st":"baking","c":"9","s":"latest","w":0.5,"t":1764144000}',
  i3: '{"sd":1,"st":"x\\n::error title=sentinel::forged annotation\\n::add-mask::us-east-1\\n::stop-commands::tok","c":null}',
} as const;

let clients: AwsClients;
let role: string;

beforeAll(async () => {
  ensureBundle('sentinel');
  clients = testClients();
  role = await createRole();
}, 300_000);

afterAll(() => {
  clients.destroy();
});

/** A function on stable 1 with candidate 2 baking at 10% (record written by UpdateAlias), or with `description` as its alias record. */
async function fn(region: string, description?: string): Promise<string> {
  const name = uniqueName('sentinel');
  const [f] = await createFunctions({ regions: [region], name, role });
  await publishVersion(f!, 'v1');
  await publishVersion(f!, 'v2');
  await createAlias(f!, 'live', '1');
  const record = description ?? encodeRecord({ v: 1, stable: '1', candidate: '2', previous: null, weight: 0.1, state: 'baking', commit: COMMIT, run: '4242', at: Math.floor(Date.now() / 1000) });
  const lambda = rawLambda(region);
  try {
    await lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1', Description: record, RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } }));
  } finally {
    lambda.destroy();
  }
  return name;
}

async function store(path: string, region: string, service: string, functions: string[], alarms: string[]): Promise<void> {
  const entry = { service, stage: 'prod', wave: 'prod-1', alias: 'live', functions, regions: [region], alarms, commit: COMMIT, run: '4242', lease: null, at: Math.floor(Date.now() / 1000) };
  await writeDeployment(storeContext({ clients, path }), region, entry);
}

async function alias(region: string, name: string) {
  const a = await getAlias({ region, functionName: name }, 'live');
  return { version: a.FunctionVersion, weights: a.RoutingConfig?.AdditionalVersionWeights ?? {}, description: a.Description ?? '' };
}

describe('sentinel: the guardian sweep from a runner', () => {
  it('rolls the real in-flight alias back, reports the forged records of S1 and I3 by name, leaves the quiet region alone, prints no runner command', async () => {
    const path = `/safe-deploy/${uniqueName('sentinel')}`;
    const alarm = uniqueName('sentinel-errors');
    const real = await fn('us-east-1');
    const forgedA = await fn('us-east-1', FORGED.a);
    const forgedC = await fn('us-east-1', FORGED.c);
    const forgedI3 = await fn('us-east-1', FORGED.i3);
    const quiet = await fn('eu-west-1');
    await store(path, 'us-east-1', 'orders', [forgedA, real, forgedC, forgedI3], [alarm]);
    await store(path, 'eu-west-1', 'orders', [quiet], [alarm]);
    for (const region of ['us-east-1', 'eu-west-1']) await putErrorAlarm(clients, region, alarm, { function: real, alias: 'live' }, 'OK');
    await setAlarmState(clients, 'us-east-1', alarm, 'ALARM', 'Threshold Crossed\n::error title=forged::by-alarm-reason\n::add-mask::eu-west-1');

    const run = await runBundle('sentinel', { regions: 'us-east-1, eu-west-1', 'store-path': path }, motoEndpoint(), { env: { GITHUB_RUN_ID: '777' } });

    // The real alias: back on 1, no routing, record rolled-back.
    expect(await alias('us-east-1', real)).toMatchObject({ version: '1', weights: {} });
    expect(decodeRecord((await alias('us-east-1', real)).description)).toMatchObject({ kind: 'record', record: { state: 'rolled-back', stable: '1', candidate: '2', commit: COMMIT } });
    // The forged ones: untouched; the quiet region: still baking.
    for (const [name, description] of [[forgedA, FORGED.a], [forgedC, FORGED.c], [forgedI3, FORGED.i3]] as const) {
      expect(await alias('us-east-1', name)).toEqual({ version: '1', weights: { '2': 0.1 }, description });
    }
    expect(await alias('eu-west-1', quiet)).toMatchObject({ version: '1', weights: { '2': 0.1 } });

    // Outputs: one rolled back, three reported; the step fails so the schedule notifies.
    expect(run.code).not.toBe(0);
    expect(run.outputs).toMatchObject({ state: 'reported', 'rolled-back': '1', reported: '3' });
    const aliases = JSON.parse(run.outputs.aliases ?? '[]') as Array<{ region: string; function: string | null; state: string; cause: string | null; reason: string }>;
    const stateOf = (name: string) => aliases.find((a) => a.function === name);
    expect(stateOf(real)).toMatchObject({ region: 'us-east-1', state: 'rolled-back', cause: 'rollback-alarm' });
    for (const name of [forgedA, forgedC, forgedI3]) expect(stateOf(name)).toMatchObject({ region: 'us-east-1', state: 'report' });
    expect(stateOf(forgedI3)?.reason).not.toContain('::');
    expect(aliases.find((a) => a.region === 'eu-west-1')).toMatchObject({ function: null, alias: 'live', state: 'watch' });

    // Every alias named in the summary with its state, and who acted.
    expect(run.summary).toContain('Acted: **sentinel**');
    expect(run.summary).toMatch(new RegExp(`\\| us-east-1 \\| ${real}:live \\| .* \\| ✅ rolled back \\|`));
    for (const name of [forgedA, forgedC, forgedI3]) expect(run.summary).toMatch(new RegExp(`\\| us-east-1 \\| ${name}:live \\| .* \\| ⚠️ cannot be judged, skipped \\|`));
    expect(run.summary).toMatch(/\| eu-west-1 \| \(deployment on alias live\) \| .* \| 👀 in flight, nothing fires \|/);

    // The log: only the sentinel's own commands (warnings per forged alias, the failure); nothing from AWS.
    const commands = run.stdout.split('\n').filter((l) => /^\s*::/.test(l));
    expect(commands.every((l) => /^::(warning|error)( title=sentinel[^:]*)?::/.test(l))).toBe(true);
    expect(commands.filter((l) => l.startsWith('::warning'))).toHaveLength(3);
    expect(run.stdout).not.toMatch(/^\s*::(add-mask|stop-commands|error title=forged|error title=sentinel::forged)/m);
    expect(run.stdout).toContain(`us-east-1 ${real}:live: rolled-back (rollback-alarm)`);
  }, 180_000);

  it('a second run finds the alias rolled back and writes nothing; without a firing alarm nothing moves', async () => {
    const path = `/safe-deploy/${uniqueName('sentinel-again')}`;
    const alarm = uniqueName('sentinel-again');
    const real = await fn('us-west-2');
    const calm = await fn('us-west-2');
    await store(path, 'us-west-2', 'orders', [real], [alarm]);
    await store(path, 'us-west-2', 'billing', [calm], [`${alarm}-billing`]);
    await putErrorAlarm(clients, 'us-west-2', alarm, { function: real, alias: 'live' }, 'ALARM');
    await putErrorAlarm(clients, 'us-west-2', `${alarm}-billing`, { function: calm, alias: 'live' }, 'OK');

    const first = await runBundle('sentinel', { regions: 'us-west-2', 'store-path': path }, motoEndpoint());
    expect(first.code).toBe(0);
    expect(first.outputs).toMatchObject({ state: 'rolled-back', 'rolled-back': '1', reported: '0' });
    const after = await alias('us-west-2', real);
    const second = await runBundle('sentinel', { regions: 'us-west-2', 'store-path': path }, motoEndpoint());
    expect(second.code).toBe(0);
    expect(second.outputs).toMatchObject({ state: 'clean', 'rolled-back': '0' });
    expect(await alias('us-west-2', real)).toEqual(after);
    expect(await alias('us-west-2', calm)).toMatchObject({ version: '1', weights: { '2': 0.1 } });
  }, 180_000);
});

describe('sentinel: S2, many firing alarms', () => {
  it('still rolls back when a dozen alarms of 250-character names fire; the reason is cut, never refused', async () => {
    const path = `/safe-deploy/${uniqueName('sentinel-s2')}`;
    const prefix = `${uniqueName('s2')}-${'x'.repeat(200)}`;
    const real = await fn('ap-southeast-2');
    await store(path, 'ap-southeast-2', 'orders', [real], [`prefix:${prefix}`]);
    for (let i = 0; i < 12; i += 1) {
      const name = `${prefix}-${String(i).padStart(2, '0')}-${'y'.repeat(30)}`;
      await putErrorAlarm(clients, 'ap-southeast-2', name, { function: real, alias: 'live' }, 'OK');
      await setAlarmState(clients, 'ap-southeast-2', name, 'ALARM', 'Threshold Crossed');
    }
    const run = await runBundle('sentinel', { regions: 'ap-southeast-2', 'store-path': path }, motoEndpoint());
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ state: 'rolled-back', 'rolled-back': '1' });
    const [line] = JSON.parse(run.outputs.aliases ?? '[]') as Array<{ state: string; reason: string }>;
    expect(line?.state).toBe('rolled-back');
    expect(line!.reason.length).toBeLessThanOrEqual(400);
    expect(line!.reason).toMatch(/^rollback alarms .* and 9 more in ALAR/); // the first three named, the rest counted, then cut
    expect(await alias('ap-southeast-2', real)).toMatchObject({ version: '1', weights: {} });
  }, 180_000);
});

describe('sentinel: inputs and the config, before any AWS call', () => {
  it('targets-only lists the config stages with their environments; no config means nothing to watch', async () => {
    const listed = await runBundle('sentinel', { 'targets-only': 'true', config: 'examples/orders/safe-deploy.yml' }, 'http://127.0.0.1:9');
    expect(listed.code).toBe(0);
    const targets = JSON.parse(listed.outputs.targets ?? '[]') as Array<{ stage: string; environment: string; regions: string[] }>;
    expect(targets.map((t) => t.stage)).toEqual(['alpha', 'beta', 'gamma', 'prod']);
    expect(targets[3]).toMatchObject({ environment: 'prod', regions: ['us-west-1', 'us-east-2', 'eu-west-1', 'ap-southeast-2', 'us-east-1', 'eu-central-1', 'ap-northeast-1'] });
    const prod = await runBundle('sentinel', { 'targets-only': 'true', config: 'examples/orders/safe-deploy.yml', stages: 'prod' }, 'http://127.0.0.1:9');
    expect(prod.outputs.count).toBe('1');

    for (const mode of ['true', 'false']) {
      const none = await runBundle('sentinel', { 'targets-only': mode, config: 'no/such/config.yml' }, 'http://127.0.0.1:9');
      expect(none.code).toBe(0);
      expect(none.summary).toContain('No safe-deploy config at no/such/config.yml: nothing to watch.');
    }
  }, 60_000);

  it('refuses bad input naming the input, and a broken config with file:line:col', async () => {
    const region = await runBundle('sentinel', { regions: 'US East' }, 'http://127.0.0.1:9');
    expect(region.code).not.toBe(0);
    expect(region.stdout).toContain('::error::sentinel: input regions: "US East" is not an AWS region name');
    const stage = await runBundle('sentinel', { config: 'examples/orders/safe-deploy.yml', stages: 'prdo' }, 'http://127.0.0.1:9');
    expect(stage.stdout).toContain('input stages: no stage prdo in the config');
    const path = await runBundle('sentinel', { regions: 'us-east-1', 'store-path': 'safe deploy' }, 'http://127.0.0.1:9');
    expect(path.stdout).toContain('input store-path: "safe deploy" is not a Parameter Store path');
    const dir = mkdtempSync(join(tmpdir(), 'sd-sentinel-config-'));
    writeFileSync(join(dir, 'safe-deploy.yml'), 'version: 1\nservice: orders\nfunctions: [orders-api]\nstages:\n  - name: prod\n    regions: [Mars]\n');
    const broken = await runBundle('sentinel', { config: join(dir, 'safe-deploy.yml') }, 'http://127.0.0.1:9');
    expect(broken.code).not.toBe(0);
    expect(broken.stdout).toMatch(new RegExp(`::error title=safe-deploy config,file=.*safe-deploy.yml,line=6,col=\\d+::.*safe-deploy.yml:6:\\d+ stages\\[0\\]\\.regions`));
    expect(broken.stdout).toContain('nothing was swept');
  }, 60_000);
});
