// F6 at the wave: when PublishVersion hands back the version the alias already serves (unchanged
// code and configuration), wave-deploy ends refused with "code unchanged: no new version" and moves
// no traffic. moto always publishes a new version, so Lambda is mocked in its real shapes here.
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  ResourceNotFoundException,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployWave, type WavePlan } from '../../packages/deploy/src/wave.js';

const lambda = mockClient(LambdaClient);
// The preflight reads the deployment store: here it holds no entry.
const ssm = mockClient(SSMClient);
const ROLE = 'arn:aws:iam::123456789012:role/orders';
const notFound = () => new ResourceNotFoundException({ message: 'The resource you requested does not exist.', $metadata: { httpStatusCode: 404 } });

beforeEach(() => {
  lambda.reset();
  ssm.reset();
  ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: { httpStatusCode: 400 } }));
});
afterAll(() => {
  lambda.restore();
  ssm.restore();
});

describe('a wave whose code equals the stable version', () => {
  it('is refused as "code unchanged: no new version", with no alias written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-unchanged-'));
    writeFileSync(join(dir, 'same.zip'), 'same bytes');
    lambda.on(ListVersionsByFunctionCommand).resolves({
      Versions: [
        { Version: '$LATEST', Role: ROLE, CodeSha256: 'sha-41' },
        { Version: '41', Role: ROLE, Description: 'safe-deploy commit=0ld0ld run=3 code=sha-41', CodeSha256: 'sha-41', State: 'Active' },
      ],
    });
    lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '41', Description: '', RevisionId: 'r1' });
    lambda.on(ListEventSourceMappingsCommand).resolves({ EventSourceMappings: [] });
    lambda.on(GetPolicyCommand).rejects(notFound());
    lambda.on(GetFunctionUrlConfigCommand).rejects(notFound());
    lambda.on(UpdateFunctionCodeCommand).resolves({ CodeSha256: 'sha-41', RevisionId: 'f1' });
    lambda.on(GetFunctionCommand).resolves({ Configuration: { LastUpdateStatus: 'Successful', State: 'Active', RevisionId: 'f2', CodeSha256: 'sha-41' } });
    lambda.on(PublishVersionCommand).resolves({ Version: '41', Role: ROLE, Description: 'safe-deploy commit=0ld0ld run=3 code=sha-41', CodeSha256: 'sha-41', State: 'Active' });
    const plan: WavePlan = {
      functions: ['orders-api'],
      regions: ['eu-west-1'],
      alias: 'live',
      code: { kind: 'zip', path: join(dir, 'same.zip') },
      steps: [0.1],
      stepWaitMs: 0,
      alarms: [],
      maxParallel: 1,
      commit: 'new0000commit',
      run: '7',
      environment: 'prod',
    };
    const interrupt = { stopping: false, signal: null, gate: () => {}, sleep: async () => true };
    let planned = 0;
    const result = await deployWave(plan, { logger: { info: () => {}, warn: () => {} }, interrupt: interrupt as never, onPlanned: () => (planned += 1) });
    expect(result.outcome).toBe('refused');
    expect(result.message).toMatch(/^code unchanged: no new version, nothing was shifted/);
    expect(result.message).toMatch(/PublishVersion returned the existing version 41/);
    expect(result.deployment).toBeNull();
    expect(planned).toBe(0);
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });
});
