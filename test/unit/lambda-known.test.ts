// What a caller already read spares reads, never safety: a known alias is used only when its
// RevisionId guards the write (a change since fails with 412 and nothing is overwritten), known
// version settings spare GetFunctionConfiguration, and the read-back after the write stays.
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PreconditionFailedException,
  ProvisionedConcurrencyConfigNotFoundException,
  PublishVersionCommand,
  ResourceNotFoundException,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  GetFunctionCommand,
  type AliasConfiguration,
  type UpdateAliasCommandInput,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsClients } from '../../packages/aws/src/clients.js';
import { LambdaDeployError, lambdaContext, listVersions, publishCandidate, readAlias, rollbackAlias, shiftTraffic } from '../../packages/aws/src/lambda.js';
import { RegionLimiter } from '../../packages/aws/src/limiter.js';

const lambda = mockClient(LambdaClient);
const target = { region: 'eu-west-1', functionName: 'orders-api', alias: 'live' };
const ROLE = 'arn:aws:iam::123456789012:role/orders';
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/other';

let clients: AwsClients;
let calls: string[];
function ctx() {
  return lambdaContext({
    clients,
    sleep: async () => {},
    now: () => 1_800_000_000_000,
    environment: 'production',
    limiter: new RegionLimiter({ sleep: async () => {}, now: () => 0, ratePerSecond: 9, concurrency: 100 }),
    onCall: (_region, operation) => calls.push(operation),
  });
}

function liveAlias(initial: AliasConfiguration) {
  let current = initial;
  let revision = 1;
  lambda.on(GetAliasCommand).callsFake(() => current);
  lambda.on(UpdateAliasCommand).callsFake((input: UpdateAliasCommandInput) => {
    if (input.RevisionId && input.RevisionId !== current.RevisionId) throw new PreconditionFailedException({ message: 'The Revision Id provided does not match the latest Revision Id.', $metadata: {} });
    revision += 1;
    current = { Name: 'live', FunctionVersion: input.FunctionVersion, Description: input.Description, RevisionId: `rev-${revision}`, ...(input.RoutingConfig ? { RoutingConfig: input.RoutingConfig } : {}) };
    return current;
  });
  return { set: (next: AliasConfiguration) => (current = next) };
}

beforeEach(() => {
  lambda.reset();
  calls = [];
  clients = new AwsClients({ credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
  lambda.on(GetProvisionedConcurrencyConfigCommand).rejects(new ProvisionedConcurrencyConfigNotFoundException({ message: 'none', $metadata: {} }));
  lambda.on(GetFunctionConfigurationCommand).resolves({ Role: ROLE });
});
afterAll(() => clients.destroy());

describe('listVersions', () => {
  it('reads every page once and keeps each version’s role and dead-letter target', async () => {
    lambda
      .on(ListVersionsByFunctionCommand)
      .resolvesOnce({ Versions: [{ Version: '$LATEST', Role: OTHER_ROLE, CodeSha256: 'sha' }, { Version: '1', Role: ROLE }], NextMarker: 'm' })
      .resolves({ Versions: [{ Version: '2', Role: ROLE, DeadLetterConfig: { TargetArn: 'arn:aws:sqs:eu-west-1:1:dlq' } }] });
    const versions = await listVersions(ctx(), target);
    expect(versions?.latest).toEqual({ version: '$LATEST', role: OTHER_ROLE, deadLetterTarget: undefined, codeSha256: 'sha' });
    expect(versions?.settings.get('2')).toEqual({ version: '2', role: ROLE, deadLetterTarget: 'arn:aws:sqs:eu-west-1:1:dlq' });
    expect(calls).toEqual(['ListVersionsByFunction', 'ListVersionsByFunction']);
  });

  it('answers null for a missing function and throws any other failure', async () => {
    lambda.on(ListVersionsByFunctionCommand).rejects(new ResourceNotFoundException({ message: 'Function not found', $metadata: {} }));
    expect(await listVersions(ctx(), target)).toBeNull();
    lambda.on(ListVersionsByFunctionCommand).rejects(new Error('AccessDenied'));
    await expect(listVersions(ctx(), target)).rejects.toThrow('AccessDenied');
  });
});

describe('publishCandidate with a listing already read', () => {
  it('reuses a version of the same commit without listing again, with its settings', async () => {
    const versions = { configs: [{ Version: '$LATEST', CodeSha256: 'x' }, { Version: '4', Description: 'safe-deploy commit=c0ffee run=1', Role: ROLE, CodeSha256: 'x' }], latest: null, settings: new Map() };
    const published = await publishCandidate(ctx(), target, { commit: 'c0ffee', run: '2', versions });
    expect(published).toEqual({ version: '4', codeSha256: 'x', reused: true, settings: { version: '4', role: ROLE, deadLetterTarget: undefined } });
    expect(calls).toEqual([]);
  });

  it('publishes without listing again and returns the role Lambda answered', async () => {
    lambda.on(UpdateFunctionCodeCommand).resolves({ CodeSha256: 'sha-new', RevisionId: 'f1' });
    lambda.on(GetFunctionCommand).resolves({ Configuration: { State: 'Active', LastUpdateStatus: 'Successful', RevisionId: 'f2' } });
    lambda.on(PublishVersionCommand).callsFake((input: { Description?: string }) => ({ Version: '5', CodeSha256: 'sha-new', Role: ROLE, Description: input.Description, State: 'Active' }));
    const published = await publishCandidate(ctx(), target, { code: { kind: 'zip', zipFile: new Uint8Array([1]) }, commit: 'c0ffee', run: '2', versions: { configs: [], latest: null, settings: new Map() } });
    expect(published).toMatchObject({ version: '5', reused: false, settings: { version: '5', role: ROLE } });
    expect(calls).toEqual(['UpdateFunctionCode', 'PublishVersion']);
  });
});

describe('shift with a known alias and known versions', () => {
  const base: AliasConfiguration = { Name: 'live', FunctionVersion: '1', Description: '', RevisionId: 'rev-1' };
  const known = (view: Awaited<ReturnType<typeof readAlias>>) => ({
    alias: view,
    versions: new Map([
      ['1', { version: '1', role: ROLE, deadLetterTarget: undefined }],
      ['2', { version: '2', role: ROLE, deadLetterTarget: undefined }],
    ]),
  });

  it('writes guarded by the known RevisionId, reads nothing before, and still reads back', async () => {
    liveAlias(base);
    const view = await readAlias(ctx(), target);
    calls = [];
    const change = await shiftTraffic(ctx(), target, { candidate: '2', weight: 0.1, commit: 'c0ffee', run: '1', known: known(view) });
    expect(change.after).toMatchObject({ version: '1', weights: { '2': 0.1 } });
    expect(calls).toEqual(['GetProvisionedConcurrencyConfig', 'UpdateAlias', 'GetAlias']);
    expect(lambda.commandCalls(UpdateAliasCommand)[0]?.args[0].input.RevisionId).toBe('rev-1');
  });

  it('fails with both states and writes nothing when the alias changed since the known read', async () => {
    const live = liveAlias(base);
    const view = await readAlias(ctx(), target);
    live.set({ Name: 'live', FunctionVersion: '7', Description: 'changed by terraform', RevisionId: 'rev-9' });
    const error = (await shiftTraffic(ctx(), target, { candidate: '2', weight: 0.1, commit: 'c0ffee', run: '1', known: known(view) }).catch((e) => e)) as LambdaDeployError;
    expect(error).toBeInstanceOf(LambdaDeployError);
    expect(error.rule).toBe('alias-changed-concurrently');
    expect(error.message).toContain('Read now: version 7');
    expect(await readAlias(ctx(), target)).toMatchObject({ version: '7', weights: {} });
  });

  it('reads the alias itself when the known one has no RevisionId to guard the write', async () => {
    liveAlias(base);
    const view = await readAlias(ctx(), target);
    calls = [];
    await shiftTraffic(ctx(), target, { candidate: '2', weight: 1, commit: 'c0ffee', run: '1', known: { alias: { ...view!, revision: null } } });
    expect(calls).toEqual(['GetAlias', 'UpdateAlias', 'GetAlias']);
  });

  it('still refuses a split between versions with different roles, from known settings', async () => {
    liveAlias(base);
    const view = await readAlias(ctx(), target);
    const versions = new Map([
      ['1', { version: '1', role: ROLE, deadLetterTarget: undefined }],
      ['2', { version: '2', role: OTHER_ROLE, deadLetterTarget: undefined }],
    ]);
    const error = (await shiftTraffic(ctx(), target, { candidate: '2', weight: 0.1, commit: 'c0ffee', run: '1', known: { alias: view, versions } }).catch((e) => e)) as LambdaDeployError;
    expect(error.rule).toBe('same-execution-role');
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(0);
  });

  it('rolls back from a known alias with one write and one read-back', async () => {
    liveAlias({ Name: 'live', FunctionVersion: '1', Description: '', RevisionId: 'rev-1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } });
    const view = await readAlias(ctx(), target);
    calls = [];
    const change = await rollbackAlias(ctx(), target, { to: '1', run: '3', known: { alias: view } });
    expect(change.after).toMatchObject({ version: '1', weights: {} });
    expect(calls).toEqual(['UpdateAlias', 'GetAlias']);
  });
});
