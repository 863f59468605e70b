// The realistic local AWS, Lambda side and quotas, through the real SDK over HTTP: PublishVersion
// that hands back the latest version for unchanged code and configuration, versions Pending then
// Active, and AWS's per-region API quotas answered with AWS's throttling errors.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CloudWatchClient, DescribeAlarmHistoryCommand } from '@aws-sdk/client-cloudwatch';
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive,
} from '@aws-sdk/client-lambda';
import { startRealisticWorld, type RealisticWorld } from '../../packages/local/src/realistic-world.js';
import { handlerZip } from '../../packages/local/src/zip.js';
import { createFunctions, motoEndpoint, TEST_CREDENTIALS } from '../helpers/aws.js';

let world: RealisticWorld;

beforeAll(async () => {
  // 120 s Pending in production is 2 s here.
  world = await startRealisticWorld({ motoEndpoint: motoEndpoint(), model: { timeScale: 60, versionActivationMs: 120_000 } });
});
afterAll(async () => {
  await world.stop();
});

function lambda(region: string, maxAttempts = 3): LambdaClient {
  return new LambdaClient({ region, endpoint: world.endpoint, credentials: TEST_CREDENTIALS, maxAttempts });
}

describe('PublishVersion as AWS does it', () => {
  it('returns the same version for unchanged code and configuration, a new one after a change, and refuses a CodeSha256 that is not $LATEST', async () => {
    const [fn] = await createFunctions({ regions: ['ca-central-1'], endpoint: world.motoEndpoint, tag: 'pv1' });
    const client = lambda('ca-central-1');
    try {
      const first = await client.send(new PublishVersionCommand({ FunctionName: fn!.functionName, Description: 'first' }));
      const again = await client.send(new PublishVersionCommand({ FunctionName: fn!.functionName, Description: 'second try, same code' }));
      expect(first.Version).toBe('1');
      expect(again.Version).toBe('1');
      expect(again.Description).toBe('first');
      expect(again.CodeSha256).toBe(first.CodeSha256);

      await client.send(new UpdateFunctionCodeCommand({ FunctionName: fn!.functionName, ZipFile: handlerZip('pv2') }));
      await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 30 }, { FunctionName: fn!.functionName });
      const latest = await client.send(new GetFunctionConfigurationCommand({ FunctionName: fn!.functionName }));
      await expect(client.send(new PublishVersionCommand({ FunctionName: fn!.functionName, CodeSha256: first.CodeSha256 }))).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
        message: `CodeSHA256 (${first.CodeSha256}) is different from current CodeSHA256 in $LATEST. Please try again with the CodeSHA256 in $LATEST.`,
      });
      const second = await client.send(new PublishVersionCommand({ FunctionName: fn!.functionName, CodeSha256: latest.CodeSha256 }));
      expect(second.Version).toBe('2');

      // A configuration change alone makes a new version too.
      await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn!.functionName, MemorySize: 512 }));
      const third = await client.send(new PublishVersionCommand({ FunctionName: fn!.functionName }));
      expect(third.Version).toBe('3');
      const versions = await client.send(new ListVersionsByFunctionCommand({ FunctionName: fn!.functionName }));
      expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1', '2', '3']);
    } finally {
      client.destroy();
    }
  });

  it('a new version reads Pending (Creating) and becomes Active after the scaled delay; the SDK waiter sees it', async () => {
    const [fn] = await createFunctions({ regions: ['ca-central-1'], endpoint: world.motoEndpoint, tag: 'pending' });
    const client = lambda('ca-central-1');
    try {
      const published = await client.send(new PublishVersionCommand({ FunctionName: fn!.functionName }));
      const publishedAt = Date.now();
      expect(published).toMatchObject({ State: 'Pending', StateReasonCode: 'Creating' });
      const byQualifier = await client.send(new GetFunctionConfigurationCommand({ FunctionName: fn!.functionName, Qualifier: published.Version }));
      expect(byQualifier.State).toBe('Pending');
      const withCode = await client.send(new GetFunctionCommand({ FunctionName: fn!.functionName, Qualifier: published.Version }));
      expect(withCode.Configuration?.State).toBe('Pending');
      const listed = await client.send(new ListVersionsByFunctionCommand({ FunctionName: fn!.functionName }));
      expect(listed.Versions?.find((v) => v.Version === published.Version)?.State).toBe('Pending');
      expect(listed.Versions?.find((v) => v.Version === '$LATEST')?.State).toBe('Active');

      const waited = await waitUntilPublishedVersionActive({ client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { FunctionName: fn!.functionName, Qualifier: published.Version });
      expect(waited.state).toBe('SUCCESS');
      expect(Date.now() - publishedAt).toBeGreaterThanOrEqual(world.model.versionActivationMs - 100);
      const active = await client.send(new GetFunctionConfigurationCommand({ FunctionName: fn!.functionName, Qualifier: published.Version }));
      expect(active.State).toBe('Active');
      expect(active.StateReasonCode).toBeUndefined();
    } finally {
      client.destroy();
    }
  });
});

describe('per-region API quotas', () => {
  it('4 DescribeAlarmHistory calls in one second in one region get one Throttling; another region is unaffected', async () => {
    const east = new CloudWatchClient({ region: 'sa-east-1', endpoint: world.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    const west = new CloudWatchClient({ region: 'eu-north-1', endpoint: world.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    try {
      world.proxy.resetLog();
      const results = await Promise.allSettled([0, 1, 2, 3].map(() => east.send(new DescribeAlarmHistoryCommand({}))));
      const other = await Promise.allSettled([0, 1, 2].map(() => west.send(new DescribeAlarmHistoryCommand({}))));
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0]!.reason).toMatchObject({ name: 'Throttling', message: 'Rate exceeded' });
      expect(other.every((r) => r.status === 'fulfilled')).toBe(true);
      const throttled = world.proxy.log.filter((e) => e.fault === 'throttle');
      expect(throttled.map((e) => [e.service, e.operation, e.region])).toEqual([['monitoring', 'DescribeAlarmHistory', 'sa-east-1']]);
    } finally {
      east.destroy();
      west.destroy();
    }
  });

  it('the Lambda control plane shares 15 requests a second per region and answers TooManyRequestsException beyond', async () => {
    const [fn] = await createFunctions({ regions: ['ap-northeast-1'], endpoint: world.motoEndpoint, tag: 'quota' });
    const client = lambda('ap-northeast-1', 1);
    try {
      world.proxy.resetLog();
      const started = performance.now();
      const calls = [...Array(30).keys()].map((i) =>
        client.send(i % 2 ? new GetFunctionConfigurationCommand({ FunctionName: fn!.functionName }) : new ListVersionsByFunctionCommand({ FunctionName: fn!.functionName })),
      );
      const results = await Promise.allSettled(calls);
      const elapsedS = (performance.now() - started) / 1000;
      const ok = results.filter((r) => r.status === 'fulfilled').length;
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected.length).toBeGreaterThan(0);
      expect(rejected[0]!.reason).toMatchObject({ name: 'TooManyRequestsException' });
      // Never more than the burst plus what refilled meanwhile.
      expect(ok).toBeLessThanOrEqual(15 + Math.ceil(15 * elapsedS));
      expect(world.proxy.log.filter((e) => e.fault === 'throttle').length).toBe(rejected.length);
    } finally {
      client.destroy();
    }
  });
});
