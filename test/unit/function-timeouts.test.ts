// bake-gate reads the candidate versions' timeouts to know how long late metrics can take (findings F4).
import { afterEach, describe, expect, it } from '@jest/globals';
import { GetFunctionConfigurationCommand, LambdaClient, type GetFunctionConfigurationCommandInput } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsClients } from '../../packages/aws/src/clients.js';
import { readFunctionTimeouts } from '../../packages/aws/src/function-timeouts.js';

const lambda = mockClient(LambdaClient);
const clients = new AwsClients({ maxAttempts: 1 });

afterEach(() => {
  lambda.reset();
});

const targets = [
  { region: 'us-east-1', function: 'orders-api', version: '7' },
  { region: 'eu-west-1', function: 'orders-api', version: '7' },
  { region: 'us-east-1', function: 'orders-worker', version: '3' },
  { region: 'us-east-1', function: 'orders-worker', version: '3' }, // the same target twice is read once
];

describe('readFunctionTimeouts', () => {
  it('reads each candidate version once and keeps the longest timeout', async () => {
    lambda.on(GetFunctionConfigurationCommand).callsFake((input: GetFunctionConfigurationCommandInput) => ({ Timeout: input.FunctionName === 'orders-worker' ? 900 : 30, Version: input.Qualifier }));
    const report = await readFunctionTimeouts(clients, targets);
    expect(report.maxMs).toBe(900_000);
    const calls = lambda.commandCalls(GetFunctionConfigurationCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(3);
    expect(calls).toContainEqual({ FunctionName: 'orders-api', Qualifier: '7' });
    expect(report.timeouts.every((t) => t.problem === null)).toBe(true);
  });

  it('counts a timeout it may not read as Lambda\'s maximum, naming the permission', async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(Object.assign(new Error('User is not authorized to perform: lambda:GetFunctionConfiguration'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }));
    const report = await readFunctionTimeouts(clients, targets.slice(0, 1));
    expect(report.maxMs).toBe(15 * 60_000);
    expect(report.timeouts[0]?.problem).toMatch(/AccessDeniedException.*the role needs lambda:GetFunctionConfiguration on orders-api:7 in us-east-1/);
  });

  it('fails when a function or version of the deployment does not exist', async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(Object.assign(new Error('Function not found: orders-api:7'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } }));
    await expect(readFunctionTimeouts(clients, targets.slice(0, 1))).rejects.toThrow(/orders-api:7 in us-east-1 does not exist/);
  });
});
