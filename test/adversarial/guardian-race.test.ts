// The guardian racing the pipeline, where moto cannot show it (its aliases never change RevisionId):
// aws-sdk-client-mock plays a Lambda that keeps RevisionId and answers a stale one with 412, as
// UpdateAlias does. The pipeline writes between the guardian's read and its write; the guardian's
// guarded write fails, it reads the alias again, decides again from what the pipeline wrote, and
// only then writes. Nothing the pipeline wrote is overwritten unseen.
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DescribeAlarmsCommand, CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { PutEventsCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetAliasCommand, LambdaClient, PreconditionFailedException, UpdateAliasCommand, type AliasConfiguration, type UpdateAliasCommandInput } from '@aws-sdk/client-lambda';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsClients } from '../../packages/aws/src/clients.js';
import { decodeRecord, encodeRecord, type AliasRecord } from '../../packages/core/src/deployment.js';
import { encodeEntry } from '../../packages/core/src/guardian-entry.js';
import { parseStopAlarms } from '../../packages/core/src/guardian.js';
import { runGuardian } from '../../packages/guardian/src/guardian.js';

const lambda = mockClient(LambdaClient);
const cloudwatch = mockClient(CloudWatchClient);
const ssm = mockClient(SSMClient);
const events = mockClient(EventBridgeClient);
const NOW = 1_800_000_000_000;
const region = 'eu-west-1';

const baking: AliasRecord = { v: 1, stable: '7', candidate: '8', previous: '6', weight: 0.1, state: 'baking', commit: 'abc123def456', run: '99', at: NOW / 1000 - 60 };

let alias: AliasConfiguration;
let writes: UpdateAliasCommandInput[];
let pipelineWrite: (() => void) | null;

function setAlias(version: string, weights: Record<string, number>, record: AliasRecord, revision: string) {
  alias = { AliasArn: `arn:aws:lambda:${region}:123456789012:function:orders-api:live`, Name: 'live', FunctionVersion: version, RoutingConfig: { AdditionalVersionWeights: weights }, Description: encodeRecord(record), RevisionId: revision };
}

beforeEach(() => {
  lambda.reset();
  cloudwatch.reset();
  ssm.reset();
  events.reset();
  writes = [];
  pipelineWrite = null;
  setAlias('7', { '8': 0.1 }, baking, 'rev-1');
  ssm.on(GetParametersByPathCommand).resolves({
    Parameters: [
      {
        Name: '/safe-deploy/live/orders',
        Value: encodeEntry({ service: 'orders', stage: 'prod', wave: 'prod-1', alias: 'live', functions: ['orders-api'], regions: [region], alarms: ['orders-5xx'], commit: 'abc123def456', run: '99', lease: null, at: NOW / 1000 - 60 }),
      },
    ],
  });
  cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'orders-5xx', StateValue: 'ALARM', StateReason: 'Threshold crossed', StateUpdatedTimestamp: new Date(NOW - 5000) }] });
  events.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map((_, i) => ({ EventId: `ev-${i}` })) }));
  lambda.on(GetAliasCommand).callsFake(() => {
    const answer = structuredClone(alias);
    // The pipeline's write lands right after the guardian's first read (once).
    if (pipelineWrite) {
      const write = pipelineWrite;
      pipelineWrite = null;
      write();
    }
    return answer;
  });
  lambda.on(UpdateAliasCommand).callsFake((input: UpdateAliasCommandInput) => {
    if (input.RevisionId && input.RevisionId !== alias.RevisionId) {
      throw new PreconditionFailedException({ message: 'The Revision Id provided does not match the latest Revision Id.', $metadata: { httpStatusCode: 412 } });
    }
    writes.push(input);
    alias = { ...alias, FunctionVersion: input.FunctionVersion, RoutingConfig: input.RoutingConfig, Description: input.Description, RevisionId: `rev-${writes.length + 10}` };
    return structuredClone(alias);
  });
});

const clients = new AwsClients({ credentials: { accessKeyId: 'k', secretAccessKey: 's' }, maxAttempts: 1 });
afterAll(() => clients.destroy());

function run() {
  const lines: Record<string, unknown>[] = [];
  const event = { version: '0', id: 'race', 'detail-type': 'CloudWatch Alarm State Change', source: 'aws.cloudwatch', region, time: new Date(NOW).toISOString(), detail: { alarmName: 'orders-5xx', state: { value: 'ALARM' }, previousState: { value: 'OK' } } };
  return runGuardian(event, {
    settings: { stop: parseStopAlarms(''), eventBus: 'default', storePath: '/safe-deploy', region },
    clients,
    log: (line) => lines.push(line),
    now: () => NOW,
    sleep: async () => {},
  }).then((result) => ({ result, lines }));
}

describe('guardian racing the pipeline through RevisionId', () => {
  it('re-reads and re-decides when the pipeline promoted between its read and its write: no lost write', async () => {
    // The pipeline promotes 8 to 100% after the guardian read rev-1.
    pipelineWrite = () => setAlias('8', {}, { ...baking, weight: 1, state: 'promoted', run: '100' }, 'rev-2');
    const { result, lines } = await run();
    expect(result.rollbacks).toHaveLength(1);
    expect(result.rollbacks[0]).toMatchObject({ outcome: 'rolled-back', attempts: 2 });
    // One write landed, guarded by the RevisionId of the pipeline's write, decided from the promoted state.
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ FunctionVersion: '7', RevisionId: 'rev-2' });
    expect(decodeRecord(alias.Description)).toMatchObject({ kind: 'record', record: { state: 'rolled-back', stable: '7', candidate: '8', commit: 'abc123def456', run: 'guardian' } });
    const decision = lines.find((l) => l.kind === 'decision') as { steps: string[]; before: string };
    expect(decision.steps.join('\n')).toContain('changed between our read and our write (412)');
    expect(decision.steps.join('\n')).toMatch(/record promoted stable=7 candidate=8 .* -> version 7; record rolled-back/);
  });

  it('writes nothing when the pipeline itself rolled back in between', async () => {
    pipelineWrite = () => setAlias('7', {}, { ...baking, weight: 0, state: 'rolled-back', run: '100' }, 'rev-2');
    const { result } = await run();
    expect(result.rollbacks[0]).toMatchObject({ outcome: 'already', attempts: 2 });
    expect(writes).toHaveLength(0);
    expect(decodeRecord(alias.Description)).toMatchObject({ record: { state: 'rolled-back', run: '100' } });
    expect(events.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('leaves a newer release alone when the pipeline started one in between', async () => {
    pipelineWrite = () => setAlias('8', { '9': 0.05 }, { ...baking, stable: '8', candidate: '9', commit: 'fedcba654321', run: '101', weight: 0.05 }, 'rev-2');
    const { result } = await run();
    expect(result.rollbacks[0]).toMatchObject({ outcome: 'already' });
    expect(writes).toHaveLength(0);
    expect(alias.FunctionVersion).toBe('8');
  });

  it('fails loudly, writing nothing, when the alias was changed outside safe-deploy (record and routing disagree)', async () => {
    setAlias('5', {}, baking, 'rev-1'); // someone pointed the alias at 5 by hand; the record still says baking 7 -> 8
    const { result, lines } = await run();
    expect(result.rollbacks[0]).toMatchObject({ outcome: 'failed', error: expect.stringContaining('changed-behind-our-back') });
    expect(writes).toHaveLength(0);
    expect(lines.find((l) => l.kind === 'decision')).toMatchObject({ level: 'error', result: 'failed' });
    expect(events.commandCalls(PutEventsCommand)).toHaveLength(1); // the failure is notified
  });

  it('spends no alarm or alias call when nothing is in flight in the region', async () => {
    ssm.on(GetParametersByPathCommand).resolves({ Parameters: [] });
    const { result } = await run();
    expect(result.result).toMatch(/^nothing in flight under \/safe-deploy in eu-west-1/);
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)).toHaveLength(0);
    expect(lambda.commandCalls(GetAliasCommand)).toHaveLength(0);
  });
});
