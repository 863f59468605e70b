// The fault proxy records, for every request, the service and the calling component that the SDK's
// user agent names (AwsClients `caller`): the IAM check compares exactly these with the policies.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { AwsClients } from '../../packages/aws/src/clients.js';
import { startFaultProxy, type FaultProxy } from '../../packages/local/src/fault-proxy.js';
import { motoEndpoint, TEST_CREDENTIALS } from '../helpers/aws.js';

let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy({ target: motoEndpoint() });
});
afterAll(() => proxy.close());

describe('fault proxy request log', () => {
  it('names the service, the region and the caller of each request', async () => {
    const named = new AwsClients({ endpoint: proxy.endpoint, credentials: TEST_CREDENTIALS, caller: 'bake-gate', maxAttempts: 1 });
    const anonymous = new AwsClients({ endpoint: proxy.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    try {
      await named.cloudwatch('eu-west-1').send(new DescribeAlarmsCommand({ AlarmNames: ['none'] }));
      await anonymous.lambda('us-east-1').send(new ListFunctionsCommand({}));
    } finally {
      named.destroy();
      anonymous.destroy();
    }
    expect(proxy.log.map(({ service, operation, region, caller }) => ({ service, operation, region, caller }))).toEqual([
      { service: 'monitoring', operation: 'DescribeAlarms', region: 'eu-west-1', caller: 'bake-gate' },
      { service: 'lambda', operation: 'ListFunctions', region: 'us-east-1', caller: null },
    ]);
  });
});
