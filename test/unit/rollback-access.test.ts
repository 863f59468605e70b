// F2 and F13: a role without a permission is told so, naming the IAM action and the resource, never
// "not found" or a timeout. The rollback's own path, with the Lambda client mocked in real shapes.
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type AliasConfiguration, GetAliasCommand, GetFunctionConfigurationCommand, LambdaClient, LambdaServiceException, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { rollBack } from '../../packages/deploy/src/rollback.js';
import type { RollbackRequest } from '../../actions/rollback/src/request.js';
import { encodeRecord } from '../../packages/core/src/deployment.js';

const lambda = mockClient(LambdaClient);
// The rollback's last step lists the deployment store; here it holds nothing.
const ssm = mockClient(SSMClient);
const denied = (action: string, resource: string) =>
  new LambdaServiceException({
    name: 'AccessDeniedException',
    $fault: 'client',
    message: `User: arn:aws:sts::123456789012:assumed-role/rollback/gh is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
    $metadata: { httpStatusCode: 403 },
  });

const request: RollbackRequest = {
  targets: [{ region: 'eu-west-1', function: 'orders-api', alias: 'live' }],
  to: 'previous',
  reason: 'alarm',
  environment: 'prod',
  maxParallel: 5,
  run: '9',
  commit: '',
  deployment: null,
  onlyCommit: '',
  confirmUnvetted: '',
};
const baking = encodeRecord({ v: 1, stable: '3', candidate: '4', previous: null, weight: 0.1, state: 'baking', commit: 'abc', run: '8', at: 1_800_000_000 });

beforeEach(() => {
  lambda.reset();
  ssm.reset();
  ssm.on(GetParametersByPathCommand).resolves({ Parameters: [] });
});
afterAll(() => {
  lambda.restore();
  ssm.restore();
});

describe('rollback with a role that lacks a permission', () => {
  it('F2: GetFunctionConfiguration denied is reported as an access denial of that action on that function, and nothing is written', async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(denied('lambda:GetFunctionConfiguration', 'arn:aws:lambda:eu-west-1:123456789012:function:orders-api'));
    const result = await rollBack(request, { info: () => {}, warn: () => {} });
    expect(result.outcome).toBe('refused');
    expect(result.message).toMatch(/eu-west-1 orders-api: cannot read before rolling back: access denied: lambda:GetFunctionConfiguration on function orders-api in eu-west-1; the role lacks this permission/);
    expect(result.message).not.toMatch(/does not exist|not found/);
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });

  it('with the permissions of iam/rollback.json (GetFunctionConfiguration, GetAlias, UpdateAlias) it rolls back', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({ FunctionName: 'orders-api', Version: '$LATEST', Role: 'arn:aws:iam::123456789012:role/orders' });
    let alias: AliasConfiguration = { Name: 'live', FunctionVersion: '3', RoutingConfig: { AdditionalVersionWeights: { '4': 0.1 } }, Description: baking, RevisionId: 'r1' };
    lambda.on(GetAliasCommand).callsFake(() => alias);
    lambda.on(UpdateAliasCommand).callsFake((input) => {
      alias = { Name: 'live', FunctionVersion: input.FunctionVersion, RoutingConfig: { AdditionalVersionWeights: {} }, Description: input.Description, RevisionId: 'r2' };
      return alias;
    });
    const result = await rollBack(request, { info: () => {}, warn: () => {} });
    expect(result.outcome).toBe('rolled-back');
    expect(alias.FunctionVersion).toBe('3');
  });

  it('UpdateAlias denied names lambda:UpdateAlias on the alias', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({ FunctionName: 'orders-api', Version: '$LATEST' });
    lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '3', RoutingConfig: { AdditionalVersionWeights: { '4': 0.1 } }, Description: baking, RevisionId: 'r1' });
    lambda.on(UpdateAliasCommand).rejects(denied('lambda:UpdateAlias', 'arn:aws:lambda:eu-west-1:123456789012:function:orders-api'));
    const result = await rollBack(request, { info: () => {}, warn: () => {} });
    expect(result.outcome).toBe('failed');
    expect(result.message).toMatch(/access-denied: rollback to 3 failed: access denied: lambda:UpdateAlias on function orders-api:live in eu-west-1/);
  });
});
