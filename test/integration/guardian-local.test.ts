// The demo's local guardian (packages/local/src/guardian-local.ts) on moto: an alarm state change
// recorded by the evaluator is delivered as a "CloudWatch Alarm State Change" event and the guardian
// rolls the deployment's alias back; changes of another account or region, and changes recorded
// before it was installed, are not delivered; the sweep finds an alarm no event announced.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UpdateAliasCommand } from '@aws-sdk/client-lambda';
import type { AwsClients } from '../../packages/aws/src/clients.js';
import { storeContext, writeDeployment } from '../../packages/aws/src/deployment-store.js';
import { decodeRecord, encodeRecord } from '../../packages/core/src/deployment.js';
import type { StateChange } from '../../packages/local/src/alarm-evaluator.js';
import { LocalGuardian, type LocalGuardianRun } from '../../packages/local/src/guardian-local.js';
import { putErrorAlarm, setAlarmState } from '../../packages/local/src/traffic.js';
import { createAlias, createFunctions, createRole, getAlias, motoEndpoint, publishVersion, rawLambda, testClients, TEST_CREDENTIALS, uniqueName } from '../helpers/aws.js';

const ACCOUNT = '123456789012';
let clients: AwsClients;
let role: string;

beforeAll(async () => {
  clients = testClients();
  role = await createRole();
}, 120_000);

afterAll(() => {
  clients.destroy();
});

/** A function baking candidate 2 at 10% behind `live`, its store entry under `path`, its alarm in `state`. */
async function inFlight(region: string, path: string, alarm: string, state: 'OK' | 'ALARM'): Promise<string> {
  const name = uniqueName('glocal');
  const [fn] = await createFunctions({ regions: [region], name, role });
  await publishVersion(fn!, 'v1');
  await publishVersion(fn!, 'v2');
  await createAlias(fn!, 'live', '1');
  const lambda = rawLambda(region);
  try {
    const record = encodeRecord({ v: 1, stable: '1', candidate: '2', previous: null, weight: 0.1, state: 'baking', commit: 'c0ffee123456', run: '1', at: Math.floor(Date.now() / 1000) });
    await lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1', Description: record, RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } }));
  } finally {
    lambda.destroy();
  }
  const entry = { service: name, stage: 'prod', wave: 'prod-1', alias: 'live', functions: [name], regions: [region], alarms: [alarm], commit: 'c0ffee123456', run: '1', lease: null, at: Math.floor(Date.now() / 1000) };
  await writeDeployment(storeContext({ clients, path }), region, entry);
  await putErrorAlarm(clients, region, alarm, { function: name, alias: 'live' }, state);
  return name;
}

async function versionOf(region: string, name: string) {
  const a = await getAlias({ region, functionName: name }, 'live');
  return { version: a.FunctionVersion, weights: a.RoutingConfig?.AdditionalVersionWeights ?? {}, state: decodeRecord(a.Description) };
}

const change = (region: string, alarmName: string, account = ACCOUNT): StateChange => ({ at: Date.now(), account, region, alarmName, from: 'OK', to: 'ALARM', reason: 'Threshold Crossed' });

describe('LocalGuardian', () => {
  it('delivers a recorded alarm change as an event and rolls back; ignores other accounts, other regions and changes from before it was installed', async () => {
    const path = `/safe-deploy/${uniqueName('glocal')}`;
    const alarm = uniqueName('glocal-errors');
    const name = await inFlight('us-east-1', path, alarm, 'OK');
    const changes: StateChange[] = [change('us-east-1', alarm)]; // before the install: not delivered
    const runs: LocalGuardianRun[] = [];
    const guardian = new LocalGuardian({
      endpoint: motoEndpoint(),
      credentials: { ...TEST_CREDENTIALS },
      account: ACCOUNT,
      regions: ['us-east-1'],
      env: { SAFE_DEPLOY_STORE_PATH: path, SAFE_DEPLOY_EVENT_BUS: 'none' },
      changes: () => changes,
      sweepEveryMs: 3_600_000, // no sweep in this test: only events act
      deliverEveryMs: 50,
      onRun: (run) => runs.push(run),
    });
    guardian.start();
    try {
      await setAlarmState(clients, 'us-east-1', alarm, 'ALARM', 'Threshold Crossed: 9 errors');
      changes.push(change('us-east-1', alarm, '999999999999'), change('eu-west-1', alarm));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(guardian.count()).toBe(0);
      expect((await versionOf('us-east-1', name)).weights).toEqual({ '2': 0.1 });

      changes.push(change('us-east-1', alarm));
      expect(await guardian.waitFor((r) => r.length > 0, 20_000)).toBe(true);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ region: 'us-east-1', trigger: `alarm ${alarm} -> ALARM`, error: null });
      expect(runs[0]!.result?.rollbacks.map((r) => [r.decision.function, r.outcome, r.decision.cause])).toEqual([[name, 'rolled-back', 'rollback-alarm']]);
      expect(await versionOf('us-east-1', name)).toMatchObject({ version: '1', weights: {}, state: { kind: 'record', record: { state: 'rolled-back', run: 'guardian' } } });
    } finally {
      await guardian.stop();
    }
  }, 60_000);

  it('sweeps every region on its schedule and rolls back what an alarm no event announced says', async () => {
    const path = `/safe-deploy/${uniqueName('glocal-sweep')}`;
    const alarm = uniqueName('glocal-sweep');
    const name = await inFlight('eu-west-1', path, alarm, 'ALARM');
    const guardian = new LocalGuardian({
      endpoint: motoEndpoint(),
      credentials: { ...TEST_CREDENTIALS },
      account: ACCOUNT,
      regions: ['eu-west-1'],
      env: { SAFE_DEPLOY_STORE_PATH: path, SAFE_DEPLOY_EVENT_BUS: 'none' },
      changes: () => [],
      sweepEveryMs: 300,
    });
    guardian.start();
    try {
      expect(await guardian.waitFor((r) => r.length > 0, 20_000)).toBe(true);
      expect(guardian.runs[0]).toMatchObject({ region: 'eu-west-1', trigger: 'sweep', error: null });
      expect(await versionOf('eu-west-1', name)).toMatchObject({ version: '1', weights: {} });
    } finally {
      await guardian.stop();
    }
  }, 60_000);
});
