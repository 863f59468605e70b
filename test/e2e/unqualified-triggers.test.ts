// F1 through the real wave-deploy bundle on moto: a trigger that invokes the function without the
// alias runs $LATEST, so it would get the candidate from the first write, before any one-box share.
// An unqualified SQS event source mapping (or resource-policy permission, or function URL) stops a
// one-box with nothing written: no code update, no new version, the alias unchanged. The same
// mapping on the alias does not stop it; `unqualified-triggers: allow` accepts the risk with a warning.
// moto supports CreateEventSourceMapping (with a real SQS queue), AddPermission/GetPolicy and
// CreateFunctionUrlConfig/GetFunctionUrlConfig, so every kind is shown on moto itself.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AddPermissionCommand, CreateEventSourceMappingCommand, CreateFunctionUrlConfigCommand, GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { motoEnv } from '../../packages/local/src/moto.js';
import { handlerZip } from '../../packages/local/src/zip.js';
import { createAlias, createFunctions, createRole, getAlias, listVersions, motoEndpoint, publishVersion, rawLambda, uniqueName, type TestFunction } from '../helpers/aws.js';
import { runBundle, type BundleResult } from './wave-deploy-harness.js';

const REGION = 'us-east-1';
const dir = mkdtempSync(join(tmpdir(), 'sd-e2e-triggers-'));
let role: string;

function zip(tag: string): string {
  const path = join(dir, `${tag}.zip`);
  writeFileSync(path, handlerZip(tag));
  return path;
}

/** An SQS queue in moto (SQS query protocol; moto picks the service from the credential scope). */
async function createQueue(name: string): Promise<string> {
  const response = await fetch(`${motoEndpoint()}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${REGION}/sqs/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({ Action: 'CreateQueue', QueueName: name, Version: '2012-11-05' }).toString(),
  });
  if (!response.ok) throw new Error(`CreateQueue: ${response.status} ${await response.text()}`);
  return `arn:aws:sqs:${REGION}:123456789012:${name}`;
}

async function service(): Promise<TestFunction> {
  const [fn] = await createFunctions({ regions: [REGION], role, name: uniqueName('sd-trig'), tag: 'v1' });
  await createAlias(fn!, 'live', await publishVersion(fn!, 'v1', 'from infrastructure code'));
  return fn!;
}

async function snapshot(fn: TestFunction) {
  const lambda = rawLambda(fn.region);
  try {
    const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn.functionName }));
    const alias = await getAlias(fn, 'live');
    return { versions: await listVersions(fn), codeSha256: latest.CodeSha256, alias: { version: alias.FunctionVersion, weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {}, description: alias.Description, revision: alias.RevisionId } };
  } finally {
    lambda.destroy();
  }
}

function oneBox(fn: TestFunction, extra: Record<string, string> = {}): Promise<BundleResult> {
  return runBundle('wave-deploy', { functions: fn.functionName, regions: REGION, alias: 'live', 'zip-file': zip(`v2-${fn.functionName}`), traffic: '10%', ...extra }, motoEnv(motoEndpoint()));
}

beforeAll(async () => {
  role = await createRole();
});
afterAll(() => undefined);

describe('F1: triggers that invoke the function without the alias', () => {
  it('an unqualified SQS event source mapping stops a one-box with nothing written, naming the mapping and the fix', async () => {
    const fn = await service();
    const queue = await createQueue(uniqueName('orders-jobs'));
    const lambda = rawLambda(REGION);
    const mapping = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn.functionName, EventSourceArn: queue, BatchSize: 10 }));
    lambda.destroy();
    const before = await snapshot(fn);

    const result = await oneBox(fn);
    expect(result.code).toBe(1);
    const error = result.errors.join('\n');
    expect(error).toContain(`event source mapping ${mapping.UUID} from ${queue}`);
    expect(error).toContain(`aws lambda update-event-source-mapping --region ${REGION} --uuid ${mapping.UUID} --function-name ${fn.functionName}:live`);
    expect(error).toMatch(/unqualified-triggers: refuse/);
    expect(result.outputs.deployment).toBeUndefined();
    // Nothing was written: $LATEST keeps its code, no version was published, the alias is as it was.
    expect(await snapshot(fn)).toEqual(before);
  });

  it('the same mapping on the alias does not stop it', async () => {
    const fn = await service();
    const queue = await createQueue(uniqueName('orders-jobs'));
    const lambda = rawLambda(REGION);
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: `${fn.functionName}:live`, EventSourceArn: queue, BatchSize: 10 }));
    lambda.destroy();
    const result = await oneBox(fn);
    if (result.code !== 0) throw new Error(`wave-deploy failed:\n${result.errors.join('\n')}\n${result.stdout.slice(-2000)}`);
    const alias = await getAlias(fn, 'live');
    expect(alias.RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.1 });
  });

  it('an unqualified resource-policy permission and function URL are named with principal, SourceArn and URL; allow accepts them with a warning', async () => {
    const fn = await service();
    const lambda = rawLambda(REGION);
    await lambda.send(new AddPermissionCommand({ FunctionName: fn.functionName, StatementId: 's3-uploads', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceArn: 'arn:aws:s3:::orders-uploads' }));
    await lambda.send(new AddPermissionCommand({ FunctionName: fn.functionName, Qualifier: 'live', StatementId: 'sns-on-alias', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: 'arn:aws:sns:us-east-1:123456789012:orders' }));
    const url = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: fn.functionName, AuthType: 'AWS_IAM' }));
    lambda.destroy();
    const before = await snapshot(fn);

    const refused = await oneBox(fn);
    expect(refused.code).toBe(1);
    const error = refused.errors.join('\n');
    expect(error).toContain('resource-policy statement s3-uploads lets s3.amazonaws.com (SourceArn arn:aws:s3:::orders-uploads)');
    expect(error).toContain(`aws lambda add-permission --region ${REGION} --function-name ${fn.functionName} --qualifier live --statement-id s3-uploads`);
    expect(error).not.toContain('sns-on-alias');
    expect(error).toContain(`function URL ${url.FunctionUrl} (auth AWS_IAM) invokes $LATEST`);
    expect(error).toContain(`aws lambda create-function-url-config --region ${REGION} --function-name ${fn.functionName} --qualifier live --auth-type AWS_IAM`);
    expect(await snapshot(fn)).toEqual(before);

    const allowed = await oneBox(fn, { 'unqualified-triggers': 'allow' });
    if (allowed.code !== 0) throw new Error(`wave-deploy failed:\n${allowed.errors.join('\n')}\n${allowed.stdout.slice(-2000)}`);
    expect(allowed.stdout).toMatch(/::warning::.*unqualified trigger: resource-policy statement s3-uploads.*accepted: unqualified-triggers: allow/);
    expect(allowed.summary).toContain('### Risks accepted');
    expect((await getAlias(fn, 'live')).RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.1 });
  });

  it('a 100% wave and a deploy of a published version do not read triggers (the first gives every caller the candidate anyway, the second leaves $LATEST alone)', async () => {
    const fn = await service();
    const queue = await createQueue(uniqueName('orders-jobs'));
    const lambda = rawLambda(REGION);
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn.functionName, EventSourceArn: queue, BatchSize: 10 }));
    lambda.destroy();
    const v2 = await publishVersion(fn, 'v2', 'built elsewhere');
    const byVersion = await runBundle('wave-deploy', { functions: fn.functionName, regions: REGION, alias: 'live', version: v2, traffic: '10%' }, motoEnv(motoEndpoint()));
    if (byVersion.code !== 0) throw new Error(`wave-deploy failed:\n${byVersion.errors.join('\n')}`);
    const promoted = await runBundle('wave-deploy', { functions: fn.functionName, regions: REGION, alias: 'live', version: v2, traffic: '100%' }, motoEnv(motoEndpoint()));
    if (promoted.code !== 0) throw new Error(`wave-deploy failed:\n${promoted.errors.join('\n')}`);
    expect((await getAlias(fn, 'live')).FunctionVersion).toBe(v2);
  });
});
