// F1's pure half: which triggers run $LATEST, and the words and commands a person gets for each.
// GetPolicy, ListEventSourceMappings and GetFunctionUrlConfig answers in Lambda's real shapes;
// ListEventSourceMappings with a `$LATEST` mapping is mocked (moto cannot create one).
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GetFunctionUrlConfigCommand, GetPolicyCommand, LambdaClient, ListEventSourceMappingsCommand, LambdaServiceException, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsClients } from '../../packages/aws/src/clients.js';
import { readUnqualifiedTriggers } from '../../packages/aws/src/function-reads.js';
import { AccessDeniedError, lambdaContext } from '../../packages/aws/src/lambda.js';
import { RegionLimiter } from '../../packages/aws/src/limiter.js';
import { describeTrigger, qualifierOf, runsLatest, unqualifiedPermissions } from '../../packages/core/src/triggers.js';

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:orders-api';
const where = { region: 'eu-west-1', functionName: 'orders-api', alias: 'live' };

describe('which function ARNs run $LATEST', () => {
  it('unqualified and :$LATEST do; an alias or a version does not', () => {
    expect(runsLatest(ARN)).toBe(true);
    expect(runsLatest(`${ARN}:$LATEST`)).toBe(true);
    expect(runsLatest(`${ARN}:live`)).toBe(false);
    expect(runsLatest(`${ARN}:7`)).toBe(false);
    expect(qualifierOf('orders-api:live')).toBe('live');
    expect(runsLatest('orders-api')).toBe(true);
  });
});

describe('resource-policy statements', () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Id: 'default',
    Statement: [
      { Sid: 'events-nightly', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: ARN, Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:events:eu-west-1:123456789012:rule/nightly' } } },
      { Sid: 'sns-on-alias', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: `${ARN}:live` },
      { Sid: 'partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 'lambda:InvokeFunction', Resource: `${ARN}:$LATEST` },
    ],
  });
  it('keeps the unqualified and $LATEST grants, leaves out the alias grant', () => {
    const found = unqualifiedPermissions(policy);
    expect(found.map((t) => (t.kind === 'permission' ? t.sid : ''))).toEqual(['events-nightly', 'partner']);
    expect(found[0]).toMatchObject({ principal: 'events.amazonaws.com', sourceArn: 'arn:aws:events:eu-west-1:123456789012:rule/nightly' });
  });
  it('reports a policy it cannot read instead of ignoring it', () => {
    expect(unqualifiedPermissions('not json')).toHaveLength(1);
  });
  it('words each with the commands that move it to the alias; foreign text cannot start a runner command', () => {
    const [events] = unqualifiedPermissions(policy);
    const line = describeTrigger(events!, where);
    expect(line).toContain('aws lambda add-permission --region eu-west-1 --function-name orders-api --qualifier live --statement-id events-nightly --action lambda:InvokeFunction --principal events.amazonaws.com --source-arn arn:aws:events:eu-west-1:123456789012:rule/nightly');
    expect(line).toContain('aws lambda remove-permission --region eu-west-1 --function-name orders-api --statement-id events-nightly');
    const forged = describeTrigger({ kind: 'event-source-mapping', uuid: 'u\n::error::forged', sourceArn: 'x\n::stop-commands::zz', functionArn: ARN, state: 'Enabled' }, where);
    expect(forged.split('\n')).toHaveLength(1);
    expect(forged).not.toMatch(/::(error|stop-commands)/);
  });
});

describe('readUnqualifiedTriggers (Lambda answers mocked in their real shapes)', () => {
  const lambda = mockClient(LambdaClient);
  let clients: AwsClients;
  const ctx = () => lambdaContext({ clients, limiter: new RegionLimiter({ sleep: async () => {}, now: () => 0, ratePerSecond: 9, concurrency: 100 }) });
  beforeEach(() => {
    lambda.reset();
    clients = new AwsClients({ credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
  });
  afterAll(() => clients.destroy());

  it('pages ListEventSourceMappings, keeps mappings on the function or $LATEST; no policy and no URL are ResourceNotFound', async () => {
    lambda
      .on(ListEventSourceMappingsCommand)
      .resolvesOnce({ EventSourceMappings: [{ UUID: 'a1', EventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:jobs', FunctionArn: ARN, State: 'Enabled' }], NextMarker: 'next' })
      .resolves({
        EventSourceMappings: [
          { UUID: 'b2', EventSourceArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/clicks', FunctionArn: `${ARN}:$LATEST`, State: 'Disabled' },
          { UUID: 'c3', EventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:other', FunctionArn: `${ARN}:live`, State: 'Enabled' },
        ],
      });
    lambda.on(GetPolicyCommand).rejects(new ResourceNotFoundException({ message: 'The resource you requested does not exist.', $metadata: { httpStatusCode: 404 } }));
    lambda.on(GetFunctionUrlConfigCommand).rejects(new ResourceNotFoundException({ message: 'The resource you requested does not exist.', $metadata: { httpStatusCode: 404 } }));
    const found = await readUnqualifiedTriggers(ctx(), { region: 'eu-west-1', functionName: 'orders-api' });
    expect(found.map((t) => (t.kind === 'event-source-mapping' ? t.uuid : t.kind))).toEqual(['a1', 'b2']);
    expect(lambda.commandCalls(ListEventSourceMappingsCommand)[1]?.args[0].input).toMatchObject({ FunctionName: 'orders-api', Marker: 'next' });
  });

  it('an unqualified function URL is found; a denied read is an access denial naming the action, never "no triggers"', async () => {
    lambda.on(ListEventSourceMappingsCommand).resolves({ EventSourceMappings: [] });
    lambda.on(GetPolicyCommand).rejects(new LambdaServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'User is not authorized to perform: lambda:GetPolicy', $metadata: { httpStatusCode: 403 } }));
    const error = await readUnqualifiedTriggers(ctx(), { region: 'eu-west-1', functionName: 'orders-api' }).catch((e) => e);
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect((error as Error).message).toMatch(/^access denied: lambda:GetPolicy on function orders-api in eu-west-1/);

    lambda.on(GetPolicyCommand).rejects(new ResourceNotFoundException({ message: 'The resource you requested does not exist.', $metadata: { httpStatusCode: 404 } }));
    lambda.on(GetFunctionUrlConfigCommand).resolves({ FunctionUrl: 'https://abc.lambda-url.eu-west-1.on.aws/', FunctionArn: ARN, AuthType: 'NONE' });
    const found = await readUnqualifiedTriggers(ctx(), { region: 'eu-west-1', functionName: 'orders-api' });
    expect(found).toEqual([{ kind: 'function-url', url: 'https://abc.lambda-url.eu-west-1.on.aws/', authType: 'NONE' }]);
  });
});
