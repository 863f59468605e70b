// Shared AWS test harness: clients against the moto server of the run (or any endpoint, such as
// the fault proxy), an IAM role, functions in several regions, versions and aliases.
// Every resource gets a unique name so test files can share one moto server.
import { randomBytes } from 'node:crypto';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  type AliasConfiguration,
} from '@aws-sdk/client-lambda';
import { AwsClients } from '../../packages/aws/src/clients.js';
import { handlerZip } from '../../packages/local/src/zip.js';

export const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' } as const;

/** Regions the integration tests spread over. */
export const TEST_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2', 'eu-central-1'] as const;

/** The moto endpoint started by jest's global setup. */
export function motoEndpoint(): string {
  const endpoint = process.env.SAFE_DEPLOY_MOTO_ENDPOINT;
  if (!endpoint) throw new Error('SAFE_DEPLOY_MOTO_ENDPOINT is not set: run the tests through jest (its global setup starts moto)');
  return endpoint;
}

/** A short random suffix for resource names. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** AwsClients (the product's client factory) pointed at an endpoint with test credentials. */
export function testClients(endpoint = motoEndpoint(), options: { maxAttempts?: number } = {}): AwsClients {
  return new AwsClients({ endpoint, credentials: TEST_CREDENTIALS, maxAttempts: options.maxAttempts });
}

/** A raw Lambda client for arranging fixtures (not through the code under test). */
export function rawLambda(region: string, endpoint = motoEndpoint()): LambdaClient {
  return new LambdaClient({ region, endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 3 });
}

/** Creates an IAM role Lambda functions can use; returns its ARN. */
export async function createRole(endpoint = motoEndpoint(), name = uniqueName('safe-deploy-test-role')): Promise<string> {
  const iam = new IAMClient({ region: 'us-east-1', endpoint, credentials: TEST_CREDENTIALS });
  try {
    const result = await iam.send(
      new CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    return result.Role?.Arn as string;
  } finally {
    iam.destroy();
  }
}

export interface TestFunction {
  readonly region: string;
  readonly functionName: string;
}

/** Creates a function (code `tag`) in each region; returns one entry per region. */
export async function createFunctions(options: {
  regions: readonly string[];
  name?: string;
  role?: string;
  endpoint?: string;
  tag?: string;
  deadLetterArn?: string;
}): Promise<TestFunction[]> {
  const endpoint = options.endpoint ?? motoEndpoint();
  const role = options.role ?? (await createRole(endpoint));
  const functionName = options.name ?? uniqueName('sd-fn');
  return Promise.all(
    options.regions.map(async (region) => {
      const lambda = rawLambda(region, endpoint);
      try {
        await lambda.send(
          new CreateFunctionCommand({
            FunctionName: functionName,
            Runtime: 'nodejs20.x',
            Role: role,
            Handler: 'index.handler',
            Code: { ZipFile: handlerZip(options.tag ?? 'v1') },
            ...(options.deadLetterArn ? { DeadLetterConfig: { TargetArn: options.deadLetterArn } } : {}),
          }),
        );
      } finally {
        lambda.destroy();
      }
      return { region, functionName };
    }),
  );
}

/** Replaces the code of $LATEST and publishes it (outside the code under test); returns the version. */
export async function publishVersion(fn: TestFunction, tag: string, description = '', endpoint = motoEndpoint()): Promise<string> {
  const lambda = rawLambda(fn.region, endpoint);
  try {
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: fn.functionName, ZipFile: handlerZip(tag) }));
    const published = await lambda.send(new PublishVersionCommand({ FunctionName: fn.functionName, Description: description }));
    return published.Version as string;
  } finally {
    lambda.destroy();
  }
}

/** Creates an alias outside the code under test (e.g. one infrastructure code made). */
export async function createAlias(
  fn: TestFunction,
  alias: string,
  version: string,
  options: { description?: string; weights?: Record<string, number>; endpoint?: string } = {},
): Promise<void> {
  const lambda = rawLambda(fn.region, options.endpoint);
  try {
    await lambda.send(
      new CreateAliasCommand({
        FunctionName: fn.functionName,
        Name: alias,
        FunctionVersion: version,
        Description: options.description ?? '',
        ...(options.weights ? { RoutingConfig: { AdditionalVersionWeights: options.weights } } : {}),
      }),
    );
  } finally {
    lambda.destroy();
  }
}

/** Reads an alias directly (outside the code under test). */
export async function getAlias(fn: TestFunction, alias: string, endpoint = motoEndpoint()): Promise<AliasConfiguration> {
  const lambda = rawLambda(fn.region, endpoint);
  try {
    return await lambda.send(new GetAliasCommand({ FunctionName: fn.functionName, Name: alias }));
  } finally {
    lambda.destroy();
  }
}

/** Published version numbers of a function (without $LATEST). */
export async function listVersions(fn: TestFunction, endpoint = motoEndpoint()): Promise<string[]> {
  const lambda = rawLambda(fn.region, endpoint);
  try {
    const versions: string[] = [];
    let marker: string | undefined;
    do {
      const page = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: fn.functionName, Marker: marker }));
      for (const v of page.Versions ?? []) if (v.Version && v.Version !== '$LATEST') versions.push(v.Version);
      marker = page.NextMarker;
    } while (marker);
    return versions;
  } finally {
    lambda.destroy();
  }
}

/** Counts control-plane calls by operation (pass `counter.onCall` as the LambdaContext hook). */
export function callCounter() {
  const counts = new Map<string, number>();
  return {
    onCall: (_region: string, operation: string) => counts.set(operation, (counts.get(operation) ?? 0) + 1),
    count: (operation: string) => counts.get(operation) ?? 0,
    reset: () => counts.clear(),
    all: () => Object.fromEntries(counts),
  };
}
