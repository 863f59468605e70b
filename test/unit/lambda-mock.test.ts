// What moto cannot show: RevisionId conflicts (412), updates in progress (409), and every
// preflight refusal leaving UpdateAlias uncalled. The SDK client is replaced by aws-sdk-client-mock.
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  InvalidParameterValueException,
  LambdaServiceException,
  PreconditionFailedException,
  ProvisionedConcurrencyConfigNotFoundException,
  PublishVersionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  type AliasConfiguration,
  type UpdateAliasCommandInput,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsClients } from '../../packages/aws/src/clients.js';
import { AccessDeniedError, LambdaDeployError, lambdaContext, publishCandidate, promote, rollbackAlias, shiftTraffic, zipCodeSha256, type LambdaContext } from '../../packages/aws/src/lambda.js';
import { RegionLimiter } from '../../packages/aws/src/limiter.js';
import { encodeRecord, type AliasRecord } from '../../packages/core/src/deployment.js';

const lambda = mockClient(LambdaClient);
const target = { region: 'eu-west-1', functionName: 'orders-api', alias: 'live' };
const ROLE = 'arn:aws:iam::123456789012:role/orders';

function record(partial: Partial<AliasRecord>): string {
  return encodeRecord({ v: 1, stable: '1', candidate: null, previous: null, weight: 0, state: 'rolled-back', commit: 'abc', run: '7', at: 1_800_000_000, ...partial });
}

function alias(version: string, weights: Record<string, number> | undefined, description: string, revision: string): AliasConfiguration {
  return { Name: 'live', FunctionVersion: version, Description: description, RevisionId: revision, ...(weights ? { RoutingConfig: { AdditionalVersionWeights: weights } } : {}) };
}

/** Alias reads answer from a variable that UpdateAlias changes, like Lambda would. */
function liveAlias(initial: AliasConfiguration) {
  let current: AliasConfiguration = initial;
  let revision = 1;
  lambda.on(GetAliasCommand).callsFake(() => current);
  lambda.on(UpdateAliasCommand).callsFake((input: UpdateAliasCommandInput) => {
    if (input.RevisionId && input.RevisionId !== current.RevisionId) throw new PreconditionFailedException({ message: 'The Revision Id provided does not match the latest Revision Id.', $metadata: {} });
    revision += 1;
    current = alias(input.FunctionVersion as string, input.RoutingConfig?.AdditionalVersionWeights, input.Description ?? '', `rev-${revision}`);
    return current;
  });
  return { get: () => current, set: (next: AliasConfiguration) => (current = next) };
}

function sameVersions(overrides: Record<string, { Role?: string; DeadLetterConfig?: { TargetArn: string } }> = {}) {
  lambda.on(GetFunctionConfigurationCommand).callsFake((input: { Qualifier?: string }) => ({ Role: ROLE, ...(overrides[input.Qualifier ?? ''] ?? {}) }));
  lambda.on(GetProvisionedConcurrencyConfigCommand).rejects(new ProvisionedConcurrencyConfigNotFoundException({ message: 'No Provisioned Concurrency Config found for this function', $metadata: {} }));
}

let sleeps: number[];
let clients: AwsClients;
function ctx(extra: Partial<LambdaContext> = {}) {
  return lambdaContext({
    clients,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    now: () => 1_800_000_000_000,
    environment: 'production',
    limiter: new RegionLimiter({ sleep: async () => {}, now: () => 0, ratePerSecond: 9, concurrency: 100 }),
    ...extra,
  });
}
const updates = () => lambda.commandCalls(UpdateAliasCommand).length;

/** PublishVersion answering as Lambda does: the new version's configuration, with the Description sent. */
function publishes(answer: { Version: string; CodeSha256: string; State?: 'Active' | 'Pending' }) {
  lambda.on(PublishVersionCommand).callsFake((input: { Description?: string }) => ({ ...answer, Description: input.Description }));
}

beforeEach(() => {
  lambda.reset();
  sleeps = [];
  clients = new AwsClients({ credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
});
afterAll(() => clients.destroy());

describe('412 PreconditionFailed', () => {
  it('re-reads once, reports both states and never retries the write', async () => {
    const before = alias('1', undefined, record({ stable: '1', state: 'rolled-back' }), 'rev-1');
    const after = alias('5', undefined, 'changed by terraform', 'rev-2');
    lambda.on(GetAliasCommand).resolvesOnce(before).resolves(after);
    lambda.on(UpdateAliasCommand).rejects(new PreconditionFailedException({ message: 'The Revision Id provided does not match the latest Revision Id.', $metadata: {} }));
    sameVersions();
    const error = (await shiftTraffic(ctx(), target, { candidate: '2', weight: 0.1, commit: 'c0ffee', run: '42' }).catch((e) => e)) as LambdaDeployError;
    expect(error).toBeInstanceOf(LambdaDeployError);
    expect(error.rule).toBe('alias-changed-concurrently');
    expect(error.message).toContain('eu-west-1 orders-api:live');
    expect(error.message).toMatch(/Read before: version 1; record rolled-back stable=1/);
    expect(error.message).toMatch(/Read now: version 5; no record/);
    expect(error.message).toContain('gh workflow run rollback.yml -f environment=production -f regions=eu-west-1 -f version=5');
    expect(updates()).toBe(1);
    expect(lambda.commandCalls(UpdateAliasCommand)[0]?.args[0].input).toMatchObject({ RevisionId: 'rev-1', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } });
    expect(sleeps).toEqual([]);
  });
});

describe('412 after our own write landed', () => {
  it('accepts the alias when it already holds exactly what we wrote (the answer was lost, the SDK retried)', async () => {
    const live = liveAlias(alias('1', undefined, '', 'rev-1'));
    sameVersions();
    let first = true;
    lambda.on(UpdateAliasCommand).callsFake((input: UpdateAliasCommandInput) => {
      if (first) {
        first = false;
        live.set(alias(input.FunctionVersion as string, input.RoutingConfig?.AdditionalVersionWeights, input.Description ?? '', 'rev-2'));
      }
      throw new PreconditionFailedException({ message: 'The Revision Id provided does not match the latest Revision Id.', $metadata: {} });
    });
    const change = await shiftTraffic(ctx(), target, { candidate: '2', weight: 0.1, commit: 'c0ffee', run: '42' });
    expect(change).toMatchObject({ wrote: true, after: { version: '1', weights: { '2': 0.1 }, revision: 'rev-2' } });
    expect(updates()).toBe(1);
  });
});

describe('409 ResourceConflict', () => {
  it('waits with the injected sleep and retries until the update goes through', async () => {
    const live = liveAlias(alias('1', undefined, '', 'rev-1'));
    sameVersions();
    let conflicts = 2;
    const real = lambda.on(UpdateAliasCommand);
    real.callsFake((input: UpdateAliasCommandInput) => {
      if (conflicts-- > 0) throw new ResourceConflictException({ message: 'The operation cannot be performed at this time. An update is in progress for resource', $metadata: {} });
      const next = alias(input.FunctionVersion as string, input.RoutingConfig?.AdditionalVersionWeights, input.Description ?? '', 'rev-2');
      live.set(next);
      return next;
    });
    const change = await shiftTraffic(ctx(), target, { candidate: '2', weight: 0.1, commit: 'c0ffee', run: '42' });
    expect(change.wrote).toBe(true);
    expect(change.after).toMatchObject({ version: '1', weights: { '2': 0.1 }, revision: 'rev-2' });
    expect(updates()).toBe(3);
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('gives up after the bounded retries with the alias state and the command to finish by hand', async () => {
    liveAlias(alias('2', undefined, record({ stable: '1', candidate: '2', weight: 1, state: 'promoted' }), 'rev-1'));
    lambda.on(UpdateAliasCommand).rejects(new ResourceConflictException({ message: 'An update is in progress', $metadata: {} }));
    const error = (await rollbackAlias(ctx({ conflictRetries: 2 }), target, { to: 'previous', run: '9' }).catch((e) => e)) as LambdaDeployError;
    expect(error.rule).toBe('update-in-progress');
    expect(updates()).toBe(3);
    expect(sleeps).toEqual([1000, 2000]);
    expect(error.message).toMatch(/Alias now: version 2; record promoted stable=1 candidate=2/);
    expect(error.message).toContain('-f version=1');
  });
});

describe('preflight refusals write nothing', () => {
  const baking = () => alias('1', { '2': 0.1 }, record({ stable: '1', candidate: '2', weight: 0.1, state: 'baking' }), 'rev-1');
  const cases: Array<[string, () => void, () => Promise<unknown>]> = [
    ['same-execution-role', () => (liveAlias(alias('1', undefined, '', 'r')), sameVersions({ '2': { Role: 'arn:aws:iam::123456789012:role/other' } })), () => shiftTraffic(ctx(), target, { candidate: '2', weight: 0.1, commit: 'c', run: '1' })],
    ['same-dead-letter-config', () => (liveAlias(alias('1', undefined, '', 'r')), sameVersions({ '2': { Role: ROLE, DeadLetterConfig: { TargetArn: 'arn:aws:sqs:eu-west-1:1:dlq' } } })), () => shiftTraffic(ctx(), target, { candidate: '2', weight: 0.1, commit: 'c', run: '1' })],
    ['no-latest', () => liveAlias(alias('1', undefined, '', 'r')), () => shiftTraffic(ctx(), target, { candidate: '$LATEST', weight: 0.1, commit: 'c', run: '1' })],
    ['no-latest', () => liveAlias(alias('$LATEST', undefined, '', 'r')), () => shiftTraffic(ctx(), target, { candidate: '2', weight: 0.1, commit: 'c', run: '1' })],
    ['numeric-version', () => liveAlias(alias('1', undefined, '', 'r')), () => shiftTraffic(ctx(), target, { candidate: 'blue', weight: 0.1, commit: 'c', run: '1' })],
    ['weight-range', () => liveAlias(alias('1', undefined, '', 'r')), () => shiftTraffic(ctx(), target, { candidate: '2', weight: 1.2, commit: 'c', run: '1' })],
    ['candidate-differs', () => liveAlias(baking()), () => shiftTraffic(ctx(), target, { candidate: '1', weight: 0.2, commit: 'c', run: '1' })],
    ['one-extra-version', () => liveAlias(alias('1', { '2': 0.1, '3': 0.1 }, '', 'r')), () => shiftTraffic(ctx(), target, { candidate: '4', weight: 0.1, commit: 'c', run: '1' })],
    ['another-candidate-in-flight', () => liveAlias(baking()), () => shiftTraffic(ctx(), target, { candidate: '3', weight: 0.1, commit: 'c', run: '1' })],
    ['changed-behind-our-back', () => liveAlias(alias('7', undefined, record({ stable: '1', candidate: '2', weight: 0.1, state: 'baking' }), 'r')), () => shiftTraffic(ctx(), target, { candidate: '3', weight: 0.1, commit: 'c', run: '1' })],
    ['corrupt-record', () => liveAlias(alias('1', undefined, '{"sd":1,"s":"one"}', 'r')), () => shiftTraffic(ctx(), target, { candidate: '3', weight: 0.1, commit: 'c', run: '1' })],
    ['nothing-to-promote', () => liveAlias(alias('1', undefined, '', 'r')), () => promote(ctx(), target, { commit: 'c', run: '1' })],
    ['nothing-to-roll-back', () => lambda.on(GetAliasCommand).rejects(new ResourceNotFoundException({ message: 'Alias not found', $metadata: {} })), () => rollbackAlias(ctx(), target, { to: 'previous', run: '1' })],
  ];
  it.each(cases)('%s', async (rule, arrange, act) => {
    arrange();
    const error = (await act().catch((e) => e)) as LambdaDeployError;
    expect(error).toBeInstanceOf(LambdaDeployError);
    expect(error.rule).toBe(rule);
    expect(error.message).toMatch(/^eu-west-1 orders-api:live: /);
    expect(error.message).toContain('nothing was written');
    expect(error.message).toContain('To finish by hand: gh workflow run rollback.yml');
    expect(updates()).toBe(0);
    expect(lambda.commandCalls(CreateAliasCommand)).toHaveLength(0);
  });
});

describe('writes', () => {
  it('sets version, routing and record in one UpdateAlias guarded by RevisionId, then reads back', async () => {
    liveAlias(alias('1', { '2': 0.1 }, record({ stable: '1', candidate: '2', weight: 0.1, state: 'baking' }), 'rev-1'));
    const change = await promote(ctx(), target, { commit: 'c0ffee', run: '43' });
    expect(change.wrote).toBe(true);
    expect(updates()).toBe(1);
    const input = lambda.commandCalls(UpdateAliasCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ FunctionName: 'orders-api', Name: 'live', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} }, RevisionId: 'rev-1' });
    expect(JSON.parse(input?.Description as string)).toMatchObject({ s: '1', c: '2', st: 'promoted', w: 1, r: '43' });
    expect(lambda.commandCalls(GetAliasCommand)).toHaveLength(2);
  });

  it('fails when the read-back does not show what was written', async () => {
    lambda.on(GetAliasCommand).resolves(alias('1', undefined, '', 'rev-1'));
    lambda.on(UpdateAliasCommand).resolves({});
    sameVersions();
    const error = (await shiftTraffic(ctx(), target, { candidate: '2', weight: 0.1, commit: 'c', run: '1' }).catch((e) => e)) as LambdaDeployError;
    expect(error.rule).toBe('read-back-mismatch');
    expect(error.message).toMatch(/reads version 1; no record, expected version 1 \+2 at 10%/);
  });

  it('F5: shifts an alias that has provisioned concurrency (AWS allows routing on it) and warns about spillover', async () => {
    const warnings: string[] = [];
    liveAlias(alias('1', undefined, '', 'r'));
    lambda.on(GetFunctionConfigurationCommand).resolves({ Role: ROLE });
    lambda.on(GetProvisionedConcurrencyConfigCommand).resolves({ RequestedProvisionedConcurrentExecutions: 10 });
    const change = await shiftTraffic(ctx({ logger: { info: () => {}, warn: (m) => warnings.push(m) } }), target, { candidate: '2', weight: 0.1, commit: 'c', run: '1' });
    expect(change.wrote).toBe(true);
    expect(updates()).toBe(1);
    expect(warnings.join('\n')).toMatch(/eu-west-1 orders-api:live: the alias has 10 provisioned concurrency; Lambda allows routing 10% .*ProvisionedConcurrencySpilloverInvocations/);
  });

  it('F14: a CreateAlias race is told apart by reading the alias again, whatever the 409 says', async () => {
    lambda.on(GetAliasCommand).rejectsOnce(new ResourceNotFoundException({ message: 'not found', $metadata: {} })).resolves(alias('9', undefined, '', 'rev-other'));
    lambda.on(CreateAliasCommand).rejects(new ResourceConflictException({ message: 'Conflict: an alias named live is already associated with this function', $metadata: {} }));
    const error = (await shiftTraffic(ctx(), target, { candidate: '1', weight: 0.1, commit: 'c', run: '1' }).catch((e) => e)) as LambdaDeployError;
    expect(error.rule).toBe('alias-changed-concurrently');
    expect(lambda.commandCalls(CreateAliasCommand)).toHaveLength(1);
  });

  it('creates the alias on the first deployment', async () => {
    lambda.on(GetAliasCommand).rejectsOnce(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    lambda.on(CreateAliasCommand).callsFake((input) => {
      lambda.on(GetAliasCommand).resolves(alias(input.FunctionVersion, undefined, input.Description, 'rev-1'));
      return {};
    });
    const change = await shiftTraffic(ctx(), target, { candidate: '1', weight: 0.1, commit: 'c', run: '1' });
    expect(change).toMatchObject({ wrote: true, before: null, after: { version: '1', record: { kind: 'record', record: { state: 'promoted' } } } });
    expect(updates()).toBe(0);
  });
});

describe('publishCandidate', () => {
  it('updates the code, waits, and publishes guarded by CodeSha256 and RevisionId with commit and run', async () => {
    lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [{ Version: '$LATEST' }, { Version: '3', Description: 'safe-deploy commit=old run=1' }] });
    lambda.on(UpdateFunctionCodeCommand).resolves({ CodeSha256: 'sha-new', RevisionId: 'f-rev-1' });
    lambda.on(GetFunctionCommand).resolves({ Configuration: { State: 'Active', LastUpdateStatus: 'Successful', RevisionId: 'f-rev-2' } });
    publishes({ Version: '4', CodeSha256: 'sha-new' });
    const result = await publishCandidate(ctx(), target, { code: { kind: 's3', bucket: 'b', key: 'k.zip' }, commit: 'c0ffee', run: '42' });
    expect(result).toEqual({ version: '4', codeSha256: 'sha-new', reused: false });
    expect(lambda.commandCalls(UpdateFunctionCodeCommand)[0]?.args[0].input).toMatchObject({ FunctionName: 'orders-api', S3Bucket: 'b', S3Key: 'k.zip', Publish: false });
    expect(lambda.commandCalls(PublishVersionCommand)[0]?.args[0].input).toEqual({ FunctionName: 'orders-api', CodeSha256: 'sha-new', RevisionId: 'f-rev-2', Description: 'safe-deploy commit=c0ffee run=42 code=sha-new' });
  });

  it('reuses the zip version a previous run published for the same commit, with the same CodeSha256, without touching the function', async () => {
    const zip = new Uint8Array([1, 2, 3]);
    lambda
      .on(ListVersionsByFunctionCommand)
      .resolvesOnce({ Versions: [{ Version: '3', Description: 'safe-deploy commit=c0ffee run=41', CodeSha256: zipCodeSha256(zip), State: 'Active' }], NextMarker: 'm' })
      .resolves({ Versions: [{ Version: '4', Description: 'other' }] });
    const result = await publishCandidate(ctx(), target, { code: { kind: 'zip', zipFile: zip }, commit: 'c0ffee', run: '42' });
    expect(result).toEqual({ version: '3', codeSha256: zipCodeSha256(zip), reused: true });
    expect(lambda.commandCalls(ListVersionsByFunctionCommand)).toHaveLength(2);
    expect(lambda.commandCalls(UpdateFunctionCodeCommand)).toHaveLength(0);
    expect(lambda.commandCalls(PublishVersionCommand)).toHaveLength(0);
  });

  it('V1: a version with this commit in its description but other code is never reused; a new version is published', async () => {
    const good = new Uint8Array([1, 2, 3]);
    const warnings: string[] = [];
    lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [{ Version: '$LATEST' }, { Version: '3', Description: 'safe-deploy commit=c0ffee run=1', CodeSha256: 'EVILsha256base64evil=' }] });
    lambda.on(UpdateFunctionCodeCommand).resolves({ CodeSha256: zipCodeSha256(good), RevisionId: 'f-rev-1' });
    lambda.on(GetFunctionCommand).resolves({ Configuration: { State: 'Active', LastUpdateStatus: 'Successful', RevisionId: 'f-rev-2', CodeSha256: zipCodeSha256(good) } });
    publishes({ Version: '4', CodeSha256: zipCodeSha256(good), State: 'Active' });
    const result = await publishCandidate(ctx({ logger: { info: () => {}, warn: (m) => warnings.push(m) } }), target, { code: { kind: 'zip', zipFile: good }, commit: 'c0ffee', run: '42' });
    expect(result).toMatchObject({ version: '4', reused: false, codeSha256: zipCodeSha256(good) });
    expect(warnings.join('\n')).toMatch(/version 3 carries commit c0ffee .* is not the code given .*not reused, a new version is published/);
    expect(lambda.commandCalls(PublishVersionCommand)[0]?.args[0].input.Description).toBe(`safe-deploy commit=c0ffee run=42 code=${zipCodeSha256(good)}`);
  });

  it('V1: an S3 or image re-run updates $LATEST first and reuses the version only when its CodeSha256 equals $LATEST\'s after the update', async () => {
    lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [{ Version: '3', Description: 'safe-deploy commit=c0ffee run=41 code=sha-img', CodeSha256: 'sha-img', State: 'Active' }] });
    lambda.on(UpdateFunctionCodeCommand).resolves({ CodeSha256: 'sha-img', RevisionId: 'f-rev-1' });
    lambda.on(GetFunctionCommand).resolves({ Configuration: { State: 'Active', LastUpdateStatus: 'Successful', RevisionId: 'f-rev-2', CodeSha256: 'sha-img' } });
    const same = await publishCandidate(ctx(), target, { code: { kind: 'image', imageUri: 'repo:tag' }, commit: 'c0ffee', run: '42' });
    expect(same).toEqual({ version: '3', codeSha256: 'sha-img', reused: true });
    expect(lambda.commandCalls(PublishVersionCommand)).toHaveLength(0);

    lambda.on(GetFunctionCommand).resolves({ Configuration: { State: 'Active', LastUpdateStatus: 'Successful', RevisionId: 'f-rev-3', CodeSha256: 'sha-other' } });
    publishes({ Version: '4', CodeSha256: 'sha-other', State: 'Active' });
    const other = await publishCandidate(ctx(), target, { code: { kind: 'image', imageUri: 'repo:tag2' }, commit: 'c0ffee', run: '43' });
    expect(other).toMatchObject({ version: '4', reused: false });
  });

  it('F6: PublishVersion handing back an existing version of another commit is "code unchanged: no new version", never a new candidate', async () => {
    lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [{ Version: '$LATEST', CodeSha256: 'sha-41' }, { Version: '41', Description: 'safe-deploy commit=OLD run=9 code=sha-41', CodeSha256: 'sha-41' }] });
    lambda.on(GetFunctionConfigurationCommand).resolves({ CodeSha256: 'sha-41', RevisionId: 'f-rev-9' });
    // AWS: "Lambda doesn't publish a version if the function's configuration and code haven't changed since the last version".
    lambda.on(PublishVersionCommand).resolves({ Version: '41', Description: 'safe-deploy commit=OLD run=9 code=sha-41', CodeSha256: 'sha-41', State: 'Active' });
    const error = (await publishCandidate(ctx(), target, { commit: 'NEW', run: '10' }).catch((e) => e)) as LambdaDeployError;
    expect(error).toBeInstanceOf(LambdaDeployError);
    expect(error.rule).toBe('code-unchanged');
    expect(error.message).toMatch(/code unchanged: no new version\. PublishVersion returned the existing version 41/);
  });

  it('F6: the same version number with this commit and code (a re-run) is reused, not refused', async () => {
    lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [{ Version: '7', Description: 'safe-deploy commit=c0ffee run=41 code=sha-a', CodeSha256: 'sha-a' }] });
    lambda.on(UpdateFunctionCodeCommand).resolves({ CodeSha256: 'sha-b', RevisionId: 'f-rev-1' });
    lambda.on(GetFunctionCommand).resolves({ Configuration: { State: 'Active', LastUpdateStatus: 'Successful', RevisionId: 'f-rev-2', CodeSha256: 'sha-b' } });
    lambda.on(PublishVersionCommand).resolves({ Version: '6', Description: 'safe-deploy commit=c0ffee run=40 code=sha-b', CodeSha256: 'sha-b', State: 'Active' });
    const result = await publishCandidate(ctx(), target, { code: { kind: 's3', bucket: 'b', key: 'k' }, commit: 'c0ffee', run: '42' });
    expect(result).toMatchObject({ version: '6', reused: true });
  });

  it('F7: a Pending version is polled with the injected clock until Active before it is returned', async () => {
    lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [] });
    lambda.on(GetFunctionConfigurationCommand).resolves({ CodeSha256: 'sha-a', RevisionId: 'f-rev-1' });
    publishes({ Version: '5', CodeSha256: 'sha-a', State: 'Pending' });
    lambda.on(GetFunctionCommand, { FunctionName: 'orders-api', Qualifier: '5' }).resolvesOnce({ Configuration: { State: 'Pending' } }).resolvesOnce({ Configuration: { State: 'Pending' } }).resolves({ Configuration: { State: 'Active' } });
    const result = await publishCandidate(ctx(), target, { commit: 'c0ffee', run: '42' });
    expect(result.version).toBe('5');
    expect(lambda.commandCalls(GetFunctionCommand)).toHaveLength(3);
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('F7: a Failed version stops with its reason', async () => {
    lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [] });
    lambda.on(GetFunctionConfigurationCommand).resolves({ CodeSha256: 'sha-a', RevisionId: 'f-rev-1' });
    publishes({ Version: '5', CodeSha256: 'sha-a', State: 'Pending' });
    lambda.on(GetFunctionCommand).resolves({ Configuration: { State: 'Failed', StateReasonCode: 'FunctionError.InitTimeout', StateReason: 'The function could not be initialized within the init timeout' } });
    const error = (await publishCandidate(ctx(), target, { commit: 'c0ffee', run: '42' }).catch((e) => e)) as LambdaDeployError;
    expect(error.rule).toBe('version-failed');
    expect(error.message).toMatch(/version 5 is Failed: FunctionError.InitTimeout The function could not be initialized within the init timeout; no traffic was moved to it/);
  });

  it('a code update that never finishes stops at updateWaitSeconds on the injected clock, with the last state read', async () => {
    let clock = 1_800_000_000_000;
    lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [] });
    lambda.on(UpdateFunctionCodeCommand).resolves({ CodeSha256: 'sha-a', RevisionId: 'f-rev-1' });
    lambda.on(GetFunctionCommand).resolves({ Configuration: { State: 'Active', LastUpdateStatus: 'InProgress' } });
    const waiting = ctx({ now: () => clock, sleep: async (ms) => void (sleeps.push(ms), (clock += ms)), updateWaitSeconds: 30 });
    const error = (await publishCandidate(waiting, target, { code: { kind: 's3', bucket: 'b', key: 'k' }, commit: 'c0ffee', run: '42' }).catch((e) => e)) as LambdaDeployError;
    expect(error.rule).toBe('code-update-failed');
    expect(error.message).toMatch(/the code update did not finish within 30s \(last read: State Active, LastUpdateStatus InProgress\)/);
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 10000, 5000]);
    expect(lambda.commandCalls(PublishVersionCommand)).toHaveLength(0);
  });

  it('F13: GetFunction denied while waiting for the code update fails at once, naming lambda:GetFunction (no 300 s wait, no "did not finish")', async () => {
    lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [] });
    lambda.on(UpdateFunctionCodeCommand).resolves({ CodeSha256: 'sha-a', RevisionId: 'f-rev-1' });
    lambda.on(GetFunctionCommand).rejects(new LambdaServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'User: arn:aws:sts::123456789012:assumed-role/deployer/gh is not authorized to perform: lambda:GetFunction on resource: arn:aws:lambda:eu-west-1:123456789012:function:orders-api', $metadata: { httpStatusCode: 403 } }));
    const error = (await publishCandidate(ctx(), target, { code: { kind: 's3', bucket: 'b', key: 'k' }, commit: 'c0ffee', run: '42' }).catch((e) => e)) as Error;
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(error.message).toMatch(/^access denied: lambda:GetFunction on function orders-api in eu-west-1/);
    expect(error.message).not.toMatch(/did not finish/);
    expect(sleeps).toEqual([]);
    expect(lambda.commandCalls(PublishVersionCommand)).toHaveLength(0);
  });

  it('publishes what $LATEST holds when no code is given', async () => {
    lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [] });
    lambda.on(GetFunctionConfigurationCommand).resolves({ CodeSha256: 'sha-latest', RevisionId: 'f-rev-9' });
    publishes({ Version: '8', CodeSha256: 'sha-latest' });
    await publishCandidate(ctx(), target, { commit: 'c0ffee', run: '42' });
    expect(lambda.commandCalls(PublishVersionCommand)[0]?.args[0].input).toMatchObject({ CodeSha256: 'sha-latest', RevisionId: 'f-rev-9' });
  });

  it('stops when $LATEST changed under the publish (CodeSha256 guard, as AWS answers it)', async () => {
    lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [] });
    lambda.on(GetFunctionConfigurationCommand).resolves({ CodeSha256: 'sha-a' });
    lambda.on(PublishVersionCommand).rejects(new InvalidParameterValueException({ message: 'CodeSHA256 (sha-a) is different from current CodeSHA256 in $LATEST (sha-b). Please try again', $metadata: {} }));
    const error = (await publishCandidate(ctx(), target, { commit: 'c0ffee', run: '42' }).catch((e) => e)) as LambdaDeployError;
    expect(error.rule).toBe('code-changed-concurrently');
    expect(error.message).toMatch(/^eu-west-1 orders-api: code-changed-concurrently: .*nothing was published/);
  });
});
