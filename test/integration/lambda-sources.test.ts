// Publishing from an S3 object and the version-level preflight (execution role) over real HTTP
// against moto.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../packages/aws/src/clients.js';
import { lambdaContext, LambdaDeployError, publishCandidate, readAlias, shiftTraffic, type LambdaContext } from '../../packages/aws/src/lambda.js';
import { callCounter, createAlias, createFunctions, createRole, listVersions, motoEndpoint, publishVersion, rawLambda, TEST_CREDENTIALS, testClients, uniqueName } from '../helpers/aws.js';
import { handlerZip } from '../../packages/local/src/zip.js';

const REGION = 'eu-west-2';
let clients: AwsClients;
let ctx: LambdaContext;
const counter = callCounter();

beforeAll(() => {
  clients = testClients();
  ctx = lambdaContext({ clients, onCall: counter.onCall, environment: 'staging' });
});
afterAll(() => clients.destroy());

describe('publishing from S3', () => {
  it('updates the code from an S3 object and publishes it once per commit', async () => {
    const bucket = uniqueName('sd-artifacts');
    const s3 = new S3Client({ region: REGION, endpoint: motoEndpoint(), credentials: TEST_CREDENTIALS, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'orders/abc.zip', Body: handlerZip('from-s3') }));
    s3.destroy();
    const [fn] = await createFunctions({ regions: [REGION], tag: 'before' });
    const first = await publishCandidate(ctx, fn!, { code: { kind: 's3', bucket, key: 'orders/abc.zip' }, commit: 'abcabc', run: '5' });
    expect(first).toMatchObject({ version: '1', reused: false });
    const again = await publishCandidate(ctx, fn!, { code: { kind: 's3', bucket, key: 'orders/abc.zip' }, commit: 'abcabc', run: '6' });
    expect(again).toMatchObject({ version: '1', reused: true });
    expect(await listVersions(fn!)).toEqual(['1']);
  });
});

describe('version preflight', () => {
  it('refuses to split traffic between versions with different execution roles, writing nothing', async () => {
    const [fn] = await createFunctions({ regions: [REGION], tag: 'r0' });
    const v1 = await publishVersion(fn!, 'r1');
    await createAlias(fn!, 'live', v1);
    const otherRole = await createRole();
    const raw = rawLambda(REGION);
    await raw.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn!.functionName, Role: otherRole }));
    raw.destroy();
    const v2 = (await publishCandidate(ctx, fn!, { code: { kind: 'zip', zipFile: handlerZip('r2') }, commit: 'r2r2', run: '1' })).version;
    counter.reset();
    const target = { ...fn!, alias: 'live' };
    const error = (await shiftTraffic(ctx, target, { candidate: v2, weight: 0.1, commit: 'r2r2', run: '1' }).catch((e) => e)) as LambdaDeployError;
    expect(error).toBeInstanceOf(LambdaDeployError);
    expect(error.rule).toBe('same-execution-role');
    expect(error.message).toContain(`versions ${v1} and ${v2} have different execution roles`);
    expect(counter.count('GetFunctionConfiguration')).toBe(2);
    expect(counter.count('UpdateAlias')).toBe(0);
    expect(await readAlias(ctx, target)).toMatchObject({ version: v1, weights: {} });
    // all traffic at once needs no shared role: the alias moves to the new version whole
    const whole = await shiftTraffic(ctx, target, { candidate: v2, weight: 1, commit: 'r2r2', run: '1' });
    expect(whole.after).toMatchObject({ version: v2, weights: {} });
  });
});
