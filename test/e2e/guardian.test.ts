// The guardian end to end, on moto, through its bundle (dist/guardian/index.js imported by a fresh
// Node process and called with EventBridge events of the documented shapes), every request going
// through the fault proxy so the role in guardian/template.yml can be compared with what it called.
// Fixtures are written the way wave-deploy writes them: alias record by UpdateAlias, store entry by
// writeDeployment (packages/aws/src/deployment-store.ts).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { parse } from 'yaml';
import type { AwsClients } from '../../packages/aws/src/clients.js';
import { readDeployment, renewLease, storeContext, writeDeployment } from '../../packages/aws/src/deployment-store.js';
import { decodeRecord, encodeRecord } from '../../packages/core/src/deployment.js';
import type { DeploymentEntry } from '../../packages/core/src/guardian-entry.js';
import { startFaultProxy, type FaultProxy } from '../../packages/local/src/fault-proxy.js';
import { putErrorAlarm, setAlarmState } from '../../packages/local/src/traffic.js';
import { createAlias, createFunctions, createRole, getAlias, motoEndpoint, publishVersion, rawLambda, testClients, TEST_CREDENTIALS, uniqueName } from '../helpers/aws.js';
import { alarmEvent, ensureGuardianBundle, invokeGuardian, sweepEvent, type GuardianRun } from './guardian-harness.js';

let proxy: FaultProxy;
let clients: AwsClients;
let role: string;
const COMMIT = 'c0ffee123456';

beforeAll(async () => {
  ensureGuardianBundle();
  proxy = await startFaultProxy({ target: motoEndpoint() });
  clients = testClients();
  role = await createRole();
}, 240_000);

afterAll(async () => {
  clients.destroy();
  await proxy.close();
});

interface Fixture {
  readonly path: string;
  readonly functions: string[];
  readonly region: string;
}

/** Functions on stable 1 with candidate 2 in flight (baking at 10%, or promoted to 100%), and the store entry. */
async function deployment(options: {
  region: string;
  path: string;
  service: string;
  functions?: number;
  alarms?: string[];
  lease?: number | null;
  state?: 'baking' | 'promoted';
  write?: boolean;
}): Promise<Fixture> {
  const names = Array.from({ length: options.functions ?? 1 }, () => uniqueName(`g-${options.service}`));
  for (const name of names) {
    const [fn] = await createFunctions({ regions: [options.region], name, role });
    await publishVersion(fn!, 'v1');
    await publishVersion(fn!, 'v2');
    await createAlias(fn!, 'live', '1');
    const promoted = options.state === 'promoted';
    const record = encodeRecord({ v: 1, stable: '1', candidate: '2', previous: null, weight: promoted ? 1 : 0.1, state: promoted ? 'promoted' : 'baking', commit: COMMIT, run: '4242', at: Math.floor(Date.now() / 1000) });
    const lambda = rawLambda(options.region);
    try {
      await lambda.send(
        new UpdateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: promoted ? '2' : '1', Description: record, RoutingConfig: { AdditionalVersionWeights: promoted ? {} : { '2': 0.1 } } }),
      );
    } finally {
      lambda.destroy();
    }
  }
  if (options.write !== false) {
    const entry: DeploymentEntry = {
      service: options.service,
      stage: 'prod',
      wave: 'prod-1',
      alias: 'live',
      functions: names,
      regions: [options.region],
      alarms: options.alarms ?? [],
      commit: COMMIT,
      run: '4242',
      lease: options.lease ?? null,
      at: Math.floor(Date.now() / 1000),
    };
    await writeDeployment(storeContext({ clients, path: options.path }), options.region, entry);
  }
  return { path: options.path, functions: names, region: options.region };
}

async function aliasOf(region: string, fn: string) {
  const alias = await getAlias({ region, functionName: fn }, 'live');
  return { version: alias.FunctionVersion, weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {}, description: alias.Description ?? '', record: decodeRecord(alias.Description) };
}

async function expectRolledBack(region: string, fn: string): Promise<void> {
  const alias = await aliasOf(region, fn);
  expect({ version: alias.version, weights: alias.weights }).toEqual({ version: '1', weights: {} });
  expect(alias.record).toMatchObject({ kind: 'record', record: { state: 'rolled-back', stable: '1', candidate: '2', commit: COMMIT, run: 'guardian' } });
}

async function expectInFlight(region: string, fn: string, state: 'baking' | 'promoted' = 'baking'): Promise<void> {
  const alias = await aliasOf(region, fn);
  expect({ version: alias.version, weights: alias.weights }).toEqual(state === 'baking' ? { version: '1', weights: { '2': 0.1 } } : { version: '2', weights: {} });
  expect(alias.record).toMatchObject({ kind: 'record', record: { state, stable: '1', candidate: '2', commit: COMMIT } });
}

function guardianCalls(operation: string, region?: string): number {
  return proxy.log.filter((r) => r.caller === 'guardian' && r.operation === operation && (region === undefined || r.region === region)).length;
}

function decisions(run: GuardianRun): Record<string, unknown>[] {
  return run.lines.filter((l) => l.kind === 'decision');
}

const invoke = (event: unknown, region: string, path: string, env: Record<string, string> = {}) =>
  invokeGuardian(event, { endpoint: proxy.endpoint, region, env: { SAFE_DEPLOY_STORE_PATH: path, ...env } });

describe('guardian: a deployment whose rollback alarm goes to ALARM', () => {
  it('rolls its aliases in that region back to stable, record intact, one log line per decision; a second delivery changes nothing', async () => {
    const path = `/safe-deploy/sd-test/${uniqueName('own')}`;
    const alarm = uniqueName('orders-errors');
    const here = await deployment({ region: 'us-east-1', path, service: 'orders', functions: 2, alarms: [alarm] });
    const there = await deployment({ region: 'eu-west-1', path, service: 'orders', functions: 1, alarms: [alarm] });
    for (const region of ['us-east-1', 'eu-west-1']) await putErrorAlarm(clients, region, alarm, { function: 'orders', alias: 'live' }, 'OK');
    // The alarm's reason carries runner commands: they must never reach the log as commands (I2).
    await setAlarmState(clients, 'us-east-1', alarm, 'ALARM', 'Threshold crossed\n::error title=forged::by-alarm-reason\n::stop-commands::x');

    const first = await invoke(alarmEvent('us-east-1', alarm, 'ALARM'), 'us-east-1', path);
    expect(first.error).toBeNull();
    for (const fn of here.functions) await expectRolledBack('us-east-1', fn);
    await expectInFlight('eu-west-1', there.functions[0]!);
    const lines = decisions(first);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toMatchObject({ action: 'rollback', cause: 'rollback-alarm', result: 'rolled-back', transition: 'baking -> rolling-back', to: '1', candidate: '2', region: 'us-east-1' });
      expect(String(line.reason)).toContain(alarm);
    }
    expect(lines.map((l) => l.function).sort()).toEqual([...here.functions].sort());
    expect(first.stdout).not.toMatch(/::(error|stop-commands)/);
    expect(first.result?.events.filter((e) => e.eventId)).toHaveLength(2);

    // The rolled-back deployment leaves the store of us-east-1 (the sweep stops reading it); eu-west-1 keeps its own.
    const store = storeContext({ clients, path });
    const key = { alias: 'live', service: 'orders', functions: here.functions };
    expect(await readDeployment(store, 'us-east-1', key)).toBeNull();
    expect((await readDeployment(store, 'eu-west-1', key))?.ok).toBe(true);
    expect(first.lines.filter((l) => l.kind === 'store')).toEqual([expect.objectContaining({ entry: `${path}/live/orders`, result: 'removed' })]);

    const writes = guardianCalls('UpdateAlias');
    const events = guardianCalls('PutEvents');
    const before = await Promise.all(here.functions.map((fn) => aliasOf('us-east-1', fn)));
    const second = await invoke(alarmEvent('us-east-1', alarm, 'ALARM'), 'us-east-1', path);
    expect(second.error).toBeNull();
    expect(second.result?.result).toBe(`nothing in flight under ${path} in us-east-1`);
    // An entry that outlived its rollback (say its delete failed) is judged at rest and removed, with no write.
    await writeDeployment(store, 'us-east-1', { service: 'orders', stage: 'prod', wave: 'prod-1', alias: 'live', functions: here.functions, regions: ['us-east-1'], alarms: [alarm], commit: COMMIT, run: '4242', lease: null, at: Math.floor(Date.now() / 1000) });
    const third = await invoke(alarmEvent('us-east-1', alarm, 'ALARM'), 'us-east-1', path);
    expect(third.error).toBeNull();
    expect(decisions(third).map((d) => d.action)).toEqual(['skip', 'skip']);
    expect(third.result?.result).toMatch(/^nothing to roll back/);
    expect(await readDeployment(store, 'us-east-1', key)).toBeNull();
    expect(guardianCalls('UpdateAlias')).toBe(writes);
    expect(guardianCalls('PutEvents')).toBe(events);
    expect(await Promise.all(here.functions.map((fn) => aliasOf('us-east-1', fn)))).toEqual(before);
  });

  it('rolls back a promoted alias whose bake after 100% is still in flight', async () => {
    const path = `/safe-deploy/sd-test/${uniqueName('prom')}`;
    const alarm = uniqueName('orders-verify');
    const fx = await deployment({ region: 'us-east-1', path, service: 'verify', alarms: [`prefix:${alarm.slice(0, -3)}`], state: 'promoted' });
    await putErrorAlarm(clients, 'us-east-1', alarm, { function: 'x', alias: 'live' }, 'ALARM');
    const run = await invoke(alarmEvent('us-east-1', alarm, 'ALARM'), 'us-east-1', path);
    expect(run.error).toBeNull();
    await expectRolledBack('us-east-1', fx.functions[0]!);
    expect(decisions(run)[0]).toMatchObject({ transition: 'promoted -> rolling-back', result: 'rolled-back' });
  });
});

describe('guardian: a stop-the-line alarm', () => {
  it('rolls back every in-flight deployment of the region and none in another region', async () => {
    const path = `/safe-deploy/sd-test/${uniqueName('stop')}`;
    const stop = uniqueName('team-sev1');
    const a = await deployment({ region: 'us-west-2', path, service: 'alpha', alarms: [uniqueName('alpha-own')] });
    const b = await deployment({ region: 'us-west-2', path, service: 'beta', functions: 2, alarms: [] });
    const other = await deployment({ region: 'eu-central-1', path, service: 'alpha', alarms: [] });
    await putErrorAlarm(clients, 'us-west-2', stop, { function: 'team', alias: 'live' }, 'ALARM');
    await putErrorAlarm(clients, 'eu-central-1', stop, { function: 'team', alias: 'live' }, 'OK');

    const run = await invoke(alarmEvent('us-west-2', stop, 'ALARM'), 'us-west-2', path, { SAFE_DEPLOY_STOP_ALARMS: `prefix:${stop.slice(0, -2)}` });
    expect(run.error).toBeNull();
    for (const fn of [...a.functions, ...b.functions]) await expectRolledBack('us-west-2', fn);
    await expectInFlight('eu-central-1', other.functions[0]!);
    expect(decisions(run).map((d) => [d.cause, d.result])).toEqual([
      ['stop-the-line', 'rolled-back'],
      ['stop-the-line', 'rolled-back'],
      ['stop-the-line', 'rolled-back'],
    ]);
    expect(guardianCalls('UpdateAlias', 'eu-central-1')).toBe(0);
  });
});

describe('guardian: leases in the sweep', () => {
  it('rolls back a deployment whose lease ran out and leaves a renewed one alone', async () => {
    const path = `/safe-deploy/sd-test/${uniqueName('lease')}`;
    const now = Math.floor(Date.now() / 1000);
    const expired = await deployment({ region: 'ap-southeast-2', path, service: 'lost-runner', lease: now - 90 });
    // Written with a lease that already ran out, then renewed by a watching bake-gate.
    const renewed = await deployment({ region: 'ap-southeast-2', path, service: 'watched', lease: now - 90 });
    const store = storeContext({ clients, path });
    const written = (await readDeployment(store, 'ap-southeast-2', { alias: 'live', service: 'watched', functions: renewed.functions })) as { ok: true; entry: DeploymentEntry };
    expect(await renewLease(store, 'ap-southeast-2', written.entry, now + 900)).toBe('renewed');
    const run = await invoke(sweepEvent('ap-southeast-2'), 'ap-southeast-2', path);
    expect(run.error).toBeNull();
    await expectRolledBack('ap-southeast-2', expired.functions[0]!);
    await expectInFlight('ap-southeast-2', renewed.functions[0]!);
    const byAction = Object.fromEntries(decisions(run).map((d) => [String((d.deployment as { entry: string } | null)?.entry).split('/').pop(), d]));
    expect(byAction['lost-runner']).toMatchObject({ action: 'rollback', cause: 'lease-expired', result: 'rolled-back' });
    expect(String(byAction['lost-runner']?.reason)).toMatch(/lease expired at .* \(\d+ s ago\)/);
    expect(byAction.watched).toMatchObject({ action: 'watch', cause: null });
  });
});

describe('guardian: a malformed alias record next to a good one', () => {
  it('rolls the good one back and reports the bad one and a bad store entry, by name, with no raw text', async () => {
    const path = `/safe-deploy/sd-test/${uniqueName('bad')}`;
    const alarm = uniqueName('mixed-errors');
    const fx = await deployment({ region: 'eu-west-1', path, service: 'mixed', functions: 2, alarms: [alarm] });
    const [good, bad] = fx.functions as [string, string];
    const lambda = rawLambda('eu-west-1');
    try {
      // S1 + I3: a forged record with runner commands in it.
      await lambda.send(new UpdateAliasCommand({ FunctionName: bad, Name: 'live', Description: '{"sd":1,"st":"x\\n::error title=sentinel::forged\\n::add-mask::eu-west-1","c":null}' }));
    } finally {
      lambda.destroy();
    }
    const ssm = new SSMClient({ region: 'eu-west-1', endpoint: motoEndpoint(), credentials: TEST_CREDENTIALS });
    try {
      await ssm.send(new PutParameterCommand({ Name: `${path}/live/forged`, Type: 'String', Value: '{"sd":1,"alias":"live\\n::error::forged-entry"}' }));
    } finally {
      ssm.destroy();
    }
    await putErrorAlarm(clients, 'eu-west-1', alarm, { function: good, alias: 'live' }, 'ALARM');

    const run = await invoke(alarmEvent('eu-west-1', alarm, 'ALARM'), 'eu-west-1', path);
    expect(run.error).toBeNull();
    await expectRolledBack('eu-west-1', good);
    expect((await aliasOf('eu-west-1', bad)).description).toContain('forged'); // left as it was
    const lines = decisions(run);
    expect(lines.find((l) => l.function === good)).toMatchObject({ action: 'rollback', result: 'rolled-back' });
    expect(lines.find((l) => l.function === bad)).toMatchObject({ action: 'report', transition: 'unreadable alias' });
    expect(String(lines.find((l) => l.function === bad)?.reason)).toMatch(/record cannot be read \(invalid [a-z, ]+\)/);
    expect(lines.find((l) => l.transition === 'unreadable store entry')?.reason).toContain(`${path}/live/forged`);
    expect(run.stdout).not.toMatch(/::(error|add-mask|stop-commands)/);
    expect(run.stdout).not.toContain('forged-entry');
    expect(run.stdout).not.toContain('sentinel');
  });
});

describe('guardian: confirmation', () => {
  it('changes nothing when the event says ALARM but DescribeAlarms says OK', async () => {
    const path = `/safe-deploy/sd-test/${uniqueName('confirm')}`;
    const alarm = uniqueName('flappy');
    const fx = await deployment({ region: 'us-east-1', path, service: 'flappy', alarms: [alarm] });
    await putErrorAlarm(clients, 'us-east-1', alarm, { function: 'x', alias: 'live' }, 'OK');
    const writes = guardianCalls('UpdateAlias');
    const run = await invoke(alarmEvent('us-east-1', alarm, 'ALARM'), 'us-east-1', path);
    expect(run.error).toBeNull();
    await expectInFlight('us-east-1', fx.functions[0]!);
    expect(guardianCalls('UpdateAlias')).toBe(writes);
    expect(run.result?.result).toBe('unconfirmed: nothing changed');
    expect(decisions(run)[0]?.reason).toMatch(/DescribeAlarms says OK/);
  });
});

describe('guardian: a race with the pipeline, through the bundle', () => {
  it('meets a 412 when the pipeline wrote between its read and its write, reads again, decides again, loses nothing', async () => {
    const path = `/safe-deploy/sd-test/${uniqueName('race')}`;
    const alarm = uniqueName('race-errors');
    const fx = await deployment({ region: 'eu-west-1', path, service: 'race', alarms: [alarm] });
    const fn = fx.functions[0]!;
    await putErrorAlarm(clients, 'eu-west-1', alarm, { function: fn, alias: 'live' }, 'ALARM');
    // moto keeps no RevisionId, so the proxy answers the guardian's first UpdateAlias the way Lambda
    // answers a stale RevisionId, after holding it long enough for the pipeline's write to land.
    const mark = proxy.log.length;
    const removeDelay = proxy.addRule({ operation: 'UpdateAlias', region: 'eu-west-1', times: 1, fault: { kind: 'delay', ms: 3000 } });
    const removeError = proxy.addRule({
      operation: 'UpdateAlias',
      region: 'eu-west-1',
      times: 1,
      fault: { kind: 'error', status: 412, code: 'PreconditionFailedException', message: 'The Revision Id provided does not match the latest Revision Id.' },
    });
    try {
      const running = invoke(alarmEvent('eu-west-1', alarm, 'ALARM'), 'eu-west-1', path);
      while (!proxy.log.slice(mark).some((r) => r.caller === 'guardian' && r.operation === 'UpdateAlias')) await new Promise((r) => setTimeout(r, 20));
      // The pipeline promotes the candidate to 100% while the guardian's write is in flight.
      const lambda = rawLambda('eu-west-1');
      try {
        const promoted = encodeRecord({ v: 1, stable: '1', candidate: '2', previous: null, weight: 1, state: 'promoted', commit: COMMIT, run: '4243', at: Math.floor(Date.now() / 1000) });
        await lambda.send(new UpdateAliasCommand({ FunctionName: fn, Name: 'live', FunctionVersion: '2', Description: promoted, RoutingConfig: { AdditionalVersionWeights: {} } }));
      } finally {
        lambda.destroy();
      }
      const run = await running;
      expect(run.error).toBeNull();
      await expectRolledBack('eu-west-1', fn);
      const line = decisions(run)[0] as { attempts: number; result: string; steps: string[] };
      expect(line).toMatchObject({ result: 'rolled-back', attempts: 2 });
      expect(line.steps.join('\n')).toContain('(412)');
      expect(line.steps.join('\n')).toMatch(/record promoted stable=1 candidate=2 .*run=4243 -> version 1; record rolled-back/);
    } finally {
      removeDelay();
      removeError();
    }
  });
});

describe('guardian/template.yml', () => {
  // Runs last in this file: by now the proxy has seen every kind of call the handler makes.
  it('gives the role exactly the operations the handler called (and its own logs), and subscribes to the documented events', () => {
    const template = parse(readFileSync(new URL('../../guardian/template.yml', import.meta.url), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const resources = Object.values(template.Resources);
    const rules = resources.filter((r) => r.Type === 'AWS::Events::Rule');
    expect(rules.map((r) => r.Properties.EventPattern ?? r.Properties.ScheduleExpression)).toEqual(
      expect.arrayContaining([
        { source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], detail: { state: { value: ['ALARM'] } } },
        'rate(1 minute)',
      ]),
    );
    const fn = resources.find((r) => r.Type === 'AWS::Lambda::Function');
    expect(fn?.Properties).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler' });
    expect(Object.keys((fn?.Properties.Environment as { Variables: object }).Variables)).toEqual(expect.arrayContaining(['SAFE_DEPLOY_STOP_ALARMS', 'SAFE_DEPLOY_EVENT_BUS', 'SAFE_DEPLOY_STORE_PATH']));

    const roleResource = resources.find((r) => r.Type === 'AWS::IAM::Role');
    const statements = (roleResource?.Properties.Policies as { PolicyDocument: { Statement: { Action: string[] }[] } }[]).flatMap((p) => p.PolicyDocument.Statement);
    const allowed = new Set(statements.flatMap((s) => s.Action));
    const prefix: Record<string, string> = { lambda: 'lambda', monitoring: 'cloudwatch', ssm: 'ssm', events: 'events' };
    const called = new Set(proxy.log.filter((r) => r.caller === 'guardian').map((r) => `${prefix[r.service] ?? r.service}:${r.operation}`));
    expect([...called].sort()).toEqual(['cloudwatch:DescribeAlarms', 'events:PutEvents', 'lambda:GetAlias', 'lambda:UpdateAlias', 'ssm:DeleteParameter', 'ssm:GetParameter', 'ssm:GetParametersByPath']);
    for (const action of called) expect(allowed).toContain(action);
    // Least privilege: nothing beyond what it calls, except writing its own log.
    expect([...allowed].filter((a) => !called.has(a)).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect([...allowed].some((a) => a.includes('*'))).toBe(false);

    // iam/guardian.json (for a role made outside this template) allows the same operations.
    const standalone = JSON.parse(readFileSync(new URL('../../iam/guardian.json', import.meta.url), 'utf8')) as { Statement: { Action: string[]; Resource: string | string[] }[] };
    expect(new Set(standalone.Statement.flatMap((s) => s.Action))).toEqual(allowed);
    const placeholders = JSON.stringify(standalone).match(/\$\{[A-Za-z]+\}/g) ?? [];
    expect([...new Set(placeholders)].sort()).toEqual(['${AccountId}', '${FunctionPrefix}', '${Region}']);
  });
});
