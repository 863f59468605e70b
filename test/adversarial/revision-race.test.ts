// What moto cannot enforce, shown at the adapter with aws-sdk-client-mock (a Lambda that keeps
// RevisionId and CodeSha256 like the real one):
// - two deploys racing for one alias: both read the same RevisionId, one write lands, the other gets
//   412 and fails with alias-changed-concurrently, and the alias holds the winner's record whole;
// - code changed between upload and publish: PublishVersion carries the CodeSha256 that
//   UpdateFunctionCode returned; when $LATEST changed, the 412 stops the deploy with nothing published
//   and no alias write.
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PreconditionFailedException,
  ProvisionedConcurrencyConfigNotFoundException,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  type AliasConfiguration,
  type PublishVersionCommandInput,
  type UpdateAliasCommandInput,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsClients } from '../../packages/aws/src/clients.js';
import { LambdaDeployError, lambdaContext, publishCandidate, shiftTraffic } from '../../packages/aws/src/lambda.js';
import { RegionLimiter } from '../../packages/aws/src/limiter.js';
import { decodeRecord, encodeRecord } from '../../packages/core/src/deployment.js';

const lambda = mockClient(LambdaClient);
const target = { region: 'eu-west-1', functionName: 'orders-api', alias: 'live' };
let clients: AwsClients;

function ctx() {
  return lambdaContext({
    clients,
    sleep: async () => {},
    now: () => 1_800_000_000_000,
    environment: 'production',
    limiter: new RegionLimiter({ sleep: async () => {}, now: () => 0, ratePerSecond: 9, concurrency: 100 }),
  });
}

beforeEach(() => {
  lambda.reset();
  clients = new AwsClients({ credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
  lambda.on(GetFunctionConfigurationCommand).resolves({ Role: 'arn:aws:iam::123456789012:role/orders' });
  lambda.on(GetProvisionedConcurrencyConfigCommand).rejects(new ProvisionedConcurrencyConfigNotFoundException({ message: 'none', $metadata: {} }));
});
afterAll(() => clients.destroy());

describe('two deploys racing for one alias (RevisionId)', () => {
  it('one wins whole, the other fails with alias-changed-concurrently and writes nothing', async () => {
    const stable = encodeRecord({ v: 1, stable: '1', candidate: null, previous: null, weight: 0, state: 'promoted', commit: 'old', run: '1', at: 1_700_000_000 });
    let current: AliasConfiguration = { Name: 'live', FunctionVersion: '1', Description: stable, RevisionId: 'rev-1' };
    let revision = 1;
    // Both runs read the alias before either writes: the first two reads wait for each other.
    let waiting: Array<() => void> = [];
    let reads = 0;
    lambda.on(GetAliasCommand).callsFake(async () => {
      if (++reads <= 2) {
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length === 2) {
            waiting.forEach((r) => r());
            waiting = [];
          }
        });
      }
      return { ...current };
    });
    const accepted: UpdateAliasCommandInput[] = [];
    lambda.on(UpdateAliasCommand).callsFake((input: UpdateAliasCommandInput) => {
      if (input.RevisionId !== current.RevisionId) throw new PreconditionFailedException({ message: 'The Revision Id provided does not match the latest Revision Id.', $metadata: {} });
      accepted.push(input);
      current = { Name: 'live', FunctionVersion: input.FunctionVersion, Description: input.Description, RevisionId: `rev-${++revision}`, ...(input.RoutingConfig ? { RoutingConfig: input.RoutingConfig } : {}) };
      return current;
    });
    const results = await Promise.allSettled([
      shiftTraffic(ctx(), target, { candidate: '2', weight: 0.1, commit: 'aaaa', run: '41' }),
      shiftTraffic(ctx(), target, { candidate: '3', weight: 0.1, commit: 'bbbb', run: '42' }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const error = lost[0]!.reason as LambdaDeployError;
    expect(error).toBeInstanceOf(LambdaDeployError);
    expect(error.rule).toBe('alias-changed-concurrently');
    expect(error.message).toContain('nothing was written');
    expect(error.message).toMatch(/Read now: version 1 \+([23]) at 10%; record baking stable=1 candidate=\1 /);
    // Both writes carried the RevisionId they read; only one was accepted.
    expect(lambda.commandCalls(UpdateAliasCommand).map((c) => c.args[0].input.RevisionId)).toEqual(['rev-1', 'rev-1']);
    expect(accepted).toHaveLength(1);
    // The alias holds one run's deployment whole: routing and record agree and name the same run.
    const record = decodeRecord(current.Description ?? '');
    expect(record.kind).toBe('record');
    if (record.kind !== 'record') return;
    expect(current.RoutingConfig?.AdditionalVersionWeights).toEqual({ [record.record.candidate as string]: 0.1 });
    expect({ candidate: record.record.candidate, run: record.record.run }).toEqual(record.record.candidate === '2' ? { candidate: '2', run: '41' } : { candidate: '3', run: '42' });
  });
});

describe('code changed between upload and publish (CodeSha256)', () => {
  it('publishes with the CodeSha256 UpdateFunctionCode returned, and a 412 stops before any alias write', async () => {
    lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [{ Version: '$LATEST' }, { Version: '1', Description: '' }] });
    lambda.on(UpdateFunctionCodeCommand).resolves({ CodeSha256: 'sha-ours', RevisionId: 'f-rev-1' });
    lambda.on(GetFunctionCommand).resolves({ Configuration: { State: 'Active', LastUpdateStatus: 'Successful', RevisionId: 'f-rev-2', CodeSha256: 'sha-ours' } });
    // Someone else's UpdateFunctionCode lands in between: $LATEST now holds sha-theirs.
    lambda.on(PublishVersionCommand).callsFake((input: PublishVersionCommandInput) => {
      if (input.CodeSha256 !== 'sha-theirs') throw new PreconditionFailedException({ message: `CodeSha256 (${input.CodeSha256}) is different from current CodeSha256 in $LATEST (sha-theirs). Please try again with the CodeSha256 in $LATEST.`, $metadata: {} });
      return { Version: '2', CodeSha256: 'sha-theirs' };
    });
    // The deploy as wave-deploy runs it: publish, and shift only with what was published.
    const deploy = async () => {
      const published = await publishCandidate(ctx(), target, { code: { kind: 's3', bucket: 'b', key: 'k.zip' }, commit: 'c0ffee', run: '42' });
      return shiftTraffic(ctx(), target, { candidate: published.version, weight: 0.1, commit: 'c0ffee', run: '42' });
    };
    const error = (await deploy().catch((e) => e)) as LambdaDeployError;
    if (!(error instanceof LambdaDeployError)) throw error;
    expect(error).toBeInstanceOf(LambdaDeployError);
    expect(error.rule).toBe('code-changed-concurrently');
    expect(error.message).toMatch(/CodeSha256 sha-ours.*nothing was published/);
    expect(lambda.commandCalls(PublishVersionCommand).map((c) => c.args[0].input.CodeSha256)).toEqual(['sha-ours']);
    expect(lambda.commandCalls(PublishVersionCommand)[0]!.args[0].input.RevisionId).toBe('f-rev-2');
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
    expect(lambda.commandCalls(GetAliasCommand)).toHaveLength(0);
  });
});
